//! The built client: precompressed files from dist/, `index.html` for every
//! unknown non-API path (the client routes), and caching that lets a new build
//! reach people at once: hashed assets are immutable for a year; `index.html`,
//! the manifest and the service worker must be revalidated (`no-cache`).

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn router(dist: &Path) -> Router {
    let index = ServeFile::new(dist.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_control))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// `chengnuo-0123456789abcdef.wasm` and wasm-bindgen's `snippets/<crate>-<hash>/…`
/// change name whenever their content changes.
fn is_content_hashed(path: &str) -> bool {
    path.split('/').any(|segment| {
        let stem = segment.split('.').next().unwrap_or(segment);
        stem.rsplit('-')
            .next()
            .is_some_and(|tail| tail.len() >= 16 && tail.chars().all(|c| c.is_ascii_hexdigit()))
            && stem.contains('-')
    })
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_content_hashed("/chengnuo-0123456789abcdef.wasm"));
        assert!(is_content_hashed("/style-a1b2c3d4e5f60718.css"));
        assert!(is_content_hashed(
            "/snippets/leptos-0123456789abcdef/inline0.js"
        ));
        assert!(!is_content_hashed("/"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/sw.js"));
        assert!(!is_content_hashed("/manifest.webmanifest"));
        assert!(!is_content_hashed("/icons/icon-192.png"));
        assert!(!is_content_hashed("/commitments/abc"));
    }
}
