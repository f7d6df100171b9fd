//! What every handler may use: the database and the server's settings that
//! requests depend on. Its own module, imported by the routes and extractors
//! and by `startup`, which builds it; it imports nothing of the crate.

use chrono::Duration;
use sqlx::SqlitePool;
use std::net::IpAddr;
use std::sync::Arc;

#[derive(Clone)]
pub struct ApiContext {
    pub db: SqlitePool,
    pub sessions: SessionPolicy,
    /// Proxies allowed to name the client in `X-Forwarded-For`.
    pub trusted_proxies: Arc<Vec<IpAddr>>,
}

/// How long sessions last. Phones sign in once and then work offline for days,
/// so the idle timeout is counted in days, not minutes.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
    /// Adds `Secure` to the cookie (when served over HTTPS).
    pub secure_cookie: bool,
}
