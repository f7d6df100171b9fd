//! Security headers on every response. The CSP allows only the app's own
//! origin; `wasm-unsafe-eval` is what compiling the client's WebAssembly needs.
//! The client has no inline scripts or styles, so none are allowed.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
manifest-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Every response's security headers; with HTTPS (`secure`), HSTS too.
pub fn with_headers(router: Router, secure: bool) -> Router {
    let headers: [(HeaderName, &'static str); 5] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    let router = headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ))
    });
    if secure {
        router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        router
    }
}

/// Guards of the API: answers that are never cached (they are per person),
/// and state-changing requests only from the app's own pages (a page on
/// another site cannot make a signed-in person's browser sign out, submit or
/// publish: `Sec-Fetch-Site` or `Origin` must say the request is the app's).
pub async fn api_guard(request: Request, next: Next) -> Response {
    let changes = !matches!(
        request.method(),
        &Method::GET | &Method::HEAD | &Method::OPTIONS
    );
    if changes && !same_origin(&request) {
        return crate::error::ApiError::Forbidden.into_response();
    }
    // U+0000 in a query (`?q=%00`) is no one's search and PostgreSQL cannot
    // compare it: dropped, on either database.
    let mut request = request;
    if let Some(clean) = query_without_nul(request.uri()) {
        *request.uri_mut() = clean;
    }
    let mut response = next.run(request).await;
    // Private unless the route said otherwise (the public board).
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The address with every `%00` taken out of its query, if it had one.
fn query_without_nul(uri: &axum::http::Uri) -> Option<axum::http::Uri> {
    let query = uri.query()?;
    if !query.to_ascii_lowercase().contains("%00") {
        return None;
    }
    let clean = query.replace("%00", "");
    let mut parts = uri.clone().into_parts();
    let path = uri.path();
    parts.path_and_query = format!("{path}?{clean}").parse().ok();
    axum::http::Uri::from_parts(parts).ok()
}

fn same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    // Older browsers: the Origin must be this host. Programs that send
    // neither (scripts, the tests) are not browsers a page can drive.
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| !host.is_empty() && rest == host)
        }
    }
}

/// Addresses with an empty segment (`//icons`) are not the app's: a
/// directory redirect would otherwise send the browser to `//icons/`,
/// another site.
pub async fn no_empty_segments(request: Request, next: Next) -> Response {
    if request.uri().path().contains("//") {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    next.run(request).await
}
