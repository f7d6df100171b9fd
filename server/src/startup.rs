//! Builds the whole application from its typed configuration; `main` and the
//! tests both start the server through `Application::build`.

use crate::config::Settings;
use crate::context::{ApiContext, SessionPolicy};
use crate::db::DbPool;
use crate::{db, error, routes, security, static_files};
use axum::extract::DefaultBodyLimit;
use axum::serve::ListenerExt as _;
use axum::Router;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// At most `max_in_flight` API requests at once; the next is answered at
/// once 503 with `Retry-After` (the client's sync backs off and retries)
/// instead of waiting in a queue that only grows past the server's
/// capacity. The body is the API's error shape, in the caller's language
/// (`error::localize` fills the message).
fn shed_load(
    max_in_flight: usize,
) -> impl tower::Layer<
    axum::routing::Route,
    Service: tower::Service<
        axum::extract::Request,
        Response = axum::response::Response,
        Error = std::convert::Infallible,
        Future: Send + 'static,
    > + Clone
                 + Send
                 + Sync
                 + 'static,
> + Clone
       + Send
       + Sync
       + 'static {
    tower::ServiceBuilder::new()
        .layer(axum::error_handling::HandleErrorLayer::new(
            |_: tower::BoxError| async { error::ApiError::Busy },
        ))
        .layer(tower::load_shed::LoadShedLayer::new())
        .layer(tower::limit::ConcurrencyLimitLayer::new(
            max_in_flight.max(1),
        ))
}

/// The largest request body accepted (a sync batch of a few hundred drafts fits).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Connect(#[from] db::ConnectError),
    #[error("demo data: {0}")]
    Demo(#[from] crate::demo::DemoError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("the board: {0}")]
    Board(String),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub db: DbPool,
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Application, StartupError> {
        let db = db::connect(&settings.database_url).await?;
        if settings.demo {
            crate::demo::load_if_empty(&db).await?;
        }
        // A database from before the board had its own table.
        let mut tx = crate::db::begin_write(&db)
            .await
            .map_err(db::ConnectError::from)?;
        let added = crate::store::board::fill(&mut tx)
            .await
            .map_err(|e| StartupError::Board(e.to_string()))?;
        tx.commit().await.map_err(db::ConnectError::from)?;
        if added > 0 {
            tracing::info!("{added} published commitments put on the board's table");
        }
        let context = ApiContext {
            db: db.clone(),
            directories: Default::default(),
            board_pages: Default::default(),
            sessions: SessionPolicy {
                idle: chrono::Duration::minutes(settings.session_idle_minutes),
                absolute: chrono::Duration::minutes(settings.session_max_minutes),
                secure_cookie: settings.secure_cookies,
            },
            trusted_proxies: std::sync::Arc::new(settings.trusted_proxies.clone()),
        };
        let api = routes::api()
            .with_state(context)
            .layer(CompressionLayer::new())
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
            .layer(axum::middleware::from_fn(security::api_guard))
            .layer(shed_load(settings.max_in_flight));
        let router = Router::new()
            .nest("/api", api)
            .merge(static_files::router(&settings.dist))
            .layer(axum::middleware::from_fn(error::localize))
            .layer(axum::middleware::from_fn(security::no_empty_segments))
            .layer(TraceLayer::new_for_http());
        let router = security::with_headers(router, settings.secure_cookies);
        let listener = TcpListener::bind(settings.addr).await?;
        Ok(Application {
            listener,
            router,
            db,
        })
    }

    /// The whole application as a service, to call without a socket (the
    /// sync storm sends thousands of requests this way).
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until Ctrl-C or SIGTERM, then lets requests in flight finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        axum::serve(
            self.listener.tap_io(no_delay),
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
    }

    /// Serves until the future completes (tests stop servers this way).
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(
            self.listener.tap_io(no_delay),
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await
    }
}

/// Small answers go out at once on a reused connection (Nagle's algorithm
/// held static files ~40 ms behind the previous answer's last packet).
fn no_delay(stream: &mut tokio::net::TcpStream) {
    let _ = stream.set_nodelay(true);
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
