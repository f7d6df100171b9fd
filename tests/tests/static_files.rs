//! The built client as the server serves it: caching, compression, content
//! types, client routing and security headers. Needs `cargo xtask build-client`.

use chengnuo_tests::{dist, spawn_app};

fn built_file(extension: &str, stem: &str) -> String {
    std::fs::read_dir(dist())
        .expect("the client is built (cargo xtask build-client)")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with(stem) && name.ends_with(extension))
        .unwrap_or_else(|| panic!("no {stem}*{extension} in dist/"))
}

/// A file of the client's folder (`app-<hash>/`), e.g. `chengnuo_bg.wasm`,
/// as a path under `dist/`.
fn app_file(name: &str) -> String {
    let folder = built_file("", "app-");
    assert!(
        dist().join(&folder).join(name).exists(),
        "no {folder}/{name} in dist/"
    );
    format!("{folder}/{name}")
}

/// The parts loaded on demand (`split_*.wasm`), as paths under `dist/`.
fn on_demand_parts() -> Vec<String> {
    let folder = built_file("", "app-");
    let mut parts: Vec<String> = std::fs::read_dir(dist().join(&folder))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("split_") && name.ends_with(".wasm"))
        .map(|name| format!("{folder}/{name}"))
        .collect();
    parts.sort();
    parts
}

#[tokio::test(flavor = "multi_thread")]
async fn hashed_assets_are_immutable_and_the_shell_is_revalidated() {
    let app = spawn_app().await;
    let parts = on_demand_parts();
    assert!(!parts.is_empty(), "the client is split into parts");
    for wasm in std::iter::once(app_file("chengnuo_bg.wasm")).chain(parts) {
        let response = app
            .client
            .get(app.url(&format!("/{wasm}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{wasm}");
        assert_eq!(response.headers()["content-type"], "application/wasm");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{wasm}"
        );
    }

    for path in ["/", "/index.html", "/sw.js", "/manifest.webmanifest"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn static_files_are_served_compressed() {
    let app = spawn_app().await;
    let wasm = app_file("chengnuo_bg.wasm");
    for (accept, expected) in [("br", "br"), ("gzip", "gzip")] {
        let response = app
            .client
            .get(app.url(&format!("/{wasm}")))
            .header("Accept-Encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], expected);
        assert_eq!(response.headers()["content-type"], "application/wasm");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_pages_answer_the_app_for_client_routing() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/commitments/some/deep/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let body = response.text().await.unwrap();
    assert!(body.contains("<script type=\"module\""), "{body}");
    assert!(body.contains("manifest.webmanifest"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_manifest_makes_the_app_installable() {
    let app = spawn_app().await;
    let manifest: serde_json::Value = app
        .client
        .get(app.url("/manifest.webmanifest"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["lang"], "zh-CN");
    let icons = manifest["icons"].as_array().unwrap();
    for (size, purpose) in [
        ("192x192", "any"),
        ("512x512", "any"),
        ("512x512", "maskable"),
    ] {
        let icon = icons
            .iter()
            .find(|i| i["sizes"] == size && i["purpose"] == purpose)
            .unwrap_or_else(|| panic!("no {size} {purpose} icon"));
        let response = app
            .client
            .get(app.url(icon["src"].as_str().unwrap()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/png");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_worker_precaches_the_shell_but_not_the_parts_on_demand() {
    let app = spawn_app().await;
    let worker = app
        .client
        .get(app.url("/sw.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for file in [
        app_file("chengnuo_bg.wasm"),
        app_file("chengnuo.js"),
        app_file("__wasm_split.js"),
        built_file(".css", "style-"),
        built_file(".js", "loader-"),
    ] {
        assert!(
            worker.contains(&format!("\"/{file}\"")),
            "sw.js does not precache {file}"
        );
    }
    // What a member never opens is not downloaded for them in advance.
    for part in on_demand_parts() {
        assert!(
            !worker.contains(&format!("\"/{part}\"")),
            "sw.js precaches {part}"
        );
    }
    assert!(worker.contains("\"/index.html\""));
    assert!(worker.contains("\"/icons/icon-192.png\""));
    assert!(!worker.contains("__VERSION__"));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/api/health", "/api/nothing-here"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
    }
}
