//! What every handler may use: the database and the server's settings that
//! requests depend on. Its own module, imported by the routes and extractors
//! and by `startup`, which builds it; it imports only the store.

use crate::db::DbPool;
use crate::store::board::Filter;
use crate::store::directory::DirectoryCache;
use chrono::Duration;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct ApiContext {
    pub db: DbPool,
    /// The org tree, cached (see `DirectoryCache`).
    pub directories: DirectoryCache,
    /// Board pages answered since the board last changed.
    pub board_pages: BoardPages,
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

/// The board pages answered since the board last changed (its version, and
/// each question's JSON answer): see `routes/board.rs`.
#[derive(Clone, Default)]
pub struct BoardPages(pub Arc<Mutex<KeptPages>>);

/// The board's version, and the JSON answer to each question asked since.
pub type KeptPages = (i64, HashMap<Filter, Arc<String>>);
