//! The database: SQLite by default (WAL, and `synchronous=FULL` because the
//! client drops its copy of a change once the server acknowledged it), or
//! PostgreSQL when `DATABASE_URL` starts with `postgres://`. The same queries
//! serve both through sqlx's `Any` driver: placeholders are `$1, $2…` (SQLite
//! reads them too), flags are integers, times are RFC 3339 text; the few
//! statements that differ ask [`Backend`].

use crate::error::ApiError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{ConnectOptions, Executor as _};
use std::str::FromStr;
use std::time::Duration;

/// A pool of connections to either database.
pub type DbPool = sqlx::AnyPool;
/// One connection (or a transaction, through `&mut *tx`).
pub type DbConnection = sqlx::AnyConnection;
/// A row as either database returns it.
pub type DbRow = sqlx::any::AnyRow;
/// A transaction begun on the pool.
pub type Transaction<'c> = sqlx::Transaction<'c, sqlx::Any>;

/// Which database a connection talks to, for the statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    pub fn of_pool(pool: &DbPool) -> Backend {
        Backend::of_url(pool.connect_options().database_url.as_str())
    }

    pub fn of(db: &DbConnection) -> Backend {
        if db.backend_name().eq_ignore_ascii_case("postgresql") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub async fn connect(url: &str) -> Result<DbPool, ConnectError> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url);
    let url = match backend {
        Backend::Sqlite => sqlite_url(url)?,
        Backend::Postgres => url.to_owned(),
    };
    let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        })
        // Waiting for a connection is waiting for the database: the same patience.
        .acquire_timeout(BUSY_WAIT * 2)
        .after_connect(move |connection, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    connection.execute(sqlite_settings().as_str()).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
    }
    Ok(pool)
}

/// What every SQLite connection is set to (the `Any` driver opens it from
/// the URL alone): write-ahead log, every commit on disk before it is
/// acknowledged, foreign keys checked, and `BUSY_WAIT` of patience.
fn sqlite_settings() -> String {
    format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA busy_timeout = {};",
        BUSY_WAIT.as_millis()
    )
}

/// The SQLite URL with the file created when missing (`mode=rwc`), its
/// folder made first.
fn sqlite_url(url: &str) -> Result<String, ConnectError> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path != ":memory:" {
        if let Some(folder) = std::path::Path::new(path).parent() {
            if !folder.as_os_str().is_empty() {
                std::fs::create_dir_all(folder)?;
            }
        }
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// How long a write waits for another to finish before the database is
/// called busy (SQLite's busy timeout; BEGIN IMMEDIATE waits this long).
pub const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Begins a write transaction holding the database's write lock from its
/// first statement. On SQLite that is `BEGIN IMMEDIATE`: a transaction that
/// reads and then writes never has to upgrade its lock while another writer
/// holds it, which SQLite refuses at once whatever the busy timeout. On
/// PostgreSQL the same order is kept with one transaction-scoped advisory
/// lock: writers take turns (readers never wait), so the change stream's
/// numbers are committed in the order they are given, as clients pulling by
/// cursor rely on, and every read-then-write sees what the previous writer
/// committed.
///
/// Begun in a task of its own ([`detached`]): a request dropped while the
/// transaction begins (its client gave up) must not hand the connection
/// back inside a transaction nobody holds. sqlx's SQLite driver awaits
/// again after a custom `BEGIN` succeeded, before a `Transaction` exists to
/// roll it back; a connection returned then kept the write lock, and every
/// later write waited and failed until a restart.
pub async fn begin_write(pool: &DbPool) -> Result<Transaction<'static>, sqlx::Error> {
    let pool = pool.clone();
    detached(async move {
        if Backend::of_pool(&pool) == Backend::Postgres {
            let mut tx = pool.begin().await?;
            lock_for_writing(&mut tx).await?;
            Ok(tx)
        } else {
            pool.begin_with("BEGIN IMMEDIATE").await
        }
    })
    .await
}

/// Runs `work` to its end in a task of its own, whether or not the caller
/// still waits for it (a request future is dropped when its client goes
/// away): what it begins, commits or rolls back is never left half done.
/// What it answers to a caller that left is dropped there, a transaction
/// being rolled back.
async fn detached<T: Send + 'static>(
    work: impl std::future::Future<Output = Result<T, sqlx::Error>> + Send + 'static,
) -> Result<T, sqlx::Error> {
    match tokio::spawn(work).await {
        Ok(result) => result,
        Err(stopped) => Err(sqlx::Error::Io(std::io::Error::other(stopped))),
    }
}

/// PostgreSQL: takes the writers' lock for the rest of the transaction,
/// waiting as long as SQLite's busy timeout would (then 55P03, which the
/// store calls busy).
async fn lock_for_writing(db: &mut DbConnection) -> Result<(), sqlx::Error> {
    sqlx::query(&format!(
        "SET LOCAL lock_timeout = '{}ms'",
        BUSY_WAIT.as_millis()
    ))
    .execute(&mut *db)
    .await?;
    sqlx::query("SELECT pg_advisory_xact_lock(7226)")
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Inside a long write transaction on PostgreSQL (the seed of a school of
/// 25,000), commits what it wrote so far and goes on in a new transaction
/// holding the writers' lock again. One transaction that updates the same
/// row a hundred thousand times (the change stream's counter, the
/// directory's version) slows down quadratically there: every version of
/// the row is kept, and looked through, until it commits. Nothing on SQLite.
pub async fn commit_so_far(db: &mut DbConnection) -> Result<(), sqlx::Error> {
    if Backend::of(db) == Backend::Postgres {
        sqlx::query("COMMIT").execute(&mut *db).await?;
        sqlx::query("BEGIN").execute(&mut *db).await?;
        lock_for_writing(db).await?;
    }
    Ok(())
}

/// Begins a transaction that only reads, on one consistent snapshot (on
/// PostgreSQL `REPEATABLE READ`; SQLite's read transactions always are).
/// Begun in a task of its own, as [`begin_write`].
pub async fn begin_read(pool: &DbPool) -> Result<Transaction<'static>, sqlx::Error> {
    let pool = pool.clone();
    detached(async move {
        if Backend::of_pool(&pool) == Backend::Postgres {
            pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await
        } else {
            pool.begin().await
        }
    })
    .await
}

/// Runs `work` in one write transaction ([`begin_write`]) and commits it
/// when `work` succeeds, rolls it back at once when it fails. A writer that
/// waited `BUSY_WAIT` in vain gets `ApiError::Busy` (503, retry); a
/// transaction dropped unfinished would hold the lock until its connection
/// is used again, so it is always finished here. Every route that writes
/// goes through this.
pub async fn write<T>(
    pool: &DbPool,
    work: impl AsyncFnOnce(&mut DbConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut tx = begin_write(pool).await?;
    // Dropped here (the client left), `tx` is rolled back by sqlx before
    // its connection is used again. The commit and the rollback run to
    // their end whatever happens to this request.
    let result = work(&mut tx).await;
    match result {
        Ok(value) => {
            detached(tx.commit()).await?;
            Ok(value)
        }
        Err(error) => {
            detached(tx.rollback()).await?;
            Err(error)
        }
    }
}

/// A statement built from pieces, with each `?` outside quotes numbered
/// `$1, $2…` in order (the form both databases read).
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let (mut n, mut quoted) = (0, false);
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// A statement built in pieces with its values, numbering its placeholders
/// `$1, $2…` as both databases read them (sqlx's `QueryBuilder` writes `?`
/// for the `Any` driver, which PostgreSQL does not read).
pub struct Sql<'a> {
    text: String,
    values: sqlx::any::AnyArguments<'a>,
    count: usize,
}

impl<'a> Sql<'a> {
    pub fn new(start: impl Into<String>) -> Sql<'a> {
        Sql {
            text: start.into(),
            values: Default::default(),
            count: 0,
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// A placeholder for `value`.
    pub fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'a + sqlx::Encode<'a, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        use sqlx::Arguments as _;
        self.count += 1;
        self.text.push('$');
        self.text.push_str(&self.count.to_string());
        // Encoding a string or a number into the Any driver's values cannot fail.
        let _ = self.values.add(value);
        self
    }

    /// `(value, value…)` with one placeholder each.
    pub fn push_list<T>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self
    where
        T: 'a + sqlx::Encode<'a, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        self.push("(");
        for (i, value) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push_bind(value);
        }
        self.push(")")
    }

    pub fn sql(&self) -> &str {
        &self.text
    }

    /// The statement with its values (once).
    pub fn build(&'a mut self) -> sqlx::query::Query<'a, sqlx::Any, sqlx::any::AnyArguments<'a>> {
        let values = std::mem::take(&mut self.values);
        sqlx::query_with(&self.text, values)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_in_order_outside_quotes() {
        assert_eq!(
            super::numbered("a = ? AND b IN (?, ?) AND c = '?' AND d LIKE ? || '/%'"),
            "a = $1 AND b IN ($2, $3) AND c = '?' AND d LIKE $4 || '/%'"
        );
    }
}
