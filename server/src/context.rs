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

/// The board's version, and the answer to each question asked since.
pub type KeptPages = (i64, HashMap<Filter, Arc<KeptAnswer>>);

/// A JSON answer kept, and the same compressed with brotli the first time a
/// browser accepts it (a board page is about 170 KB of JSON: compressing it
/// again on every request cost more than answering it).
pub struct KeptAnswer {
    pub json: String,
    pub brotli: std::sync::OnceLock<Vec<u8>>,
}

impl KeptAnswer {
    pub fn new(json: String) -> KeptAnswer {
        KeptAnswer {
            json,
            brotli: std::sync::OnceLock::new(),
        }
    }

    /// The answer compressed (quality 9, window 22: once per board version).
    pub fn brotli(&self) -> &[u8] {
        self.brotli.get_or_init(|| {
            let mut out = Vec::with_capacity(self.json.len() / 6);
            let params = brotli::enc::BrotliEncoderParams {
                quality: 9,
                lgwin: 22,
                ..Default::default()
            };
            let _ = brotli::BrotliCompress(&mut self.json.as_bytes(), &mut out, &params);
            out
        })
    }
}
