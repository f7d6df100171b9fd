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

#[tokio::test(flavor = "multi_thread")]
async fn hashed_assets_are_immutable_and_the_shell_is_revalidated() {
    let app = spawn_app().await;
    let wasm = built_file(".wasm", "chengnuo-");
    let response = app
        .client
        .get(app.url(&format!("/{wasm}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    for path in ["/", "/index.html", "/sw.js", "/manifest.webmanifest"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn static_files_are_served_compressed() {
    let app = spawn_app().await;
    let wasm = built_file(".wasm", "chengnuo-");
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
async fn the_service_worker_precaches_the_whole_shell() {
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
        built_file(".wasm", "chengnuo-"),
        built_file(".js", "chengnuo-"),
        built_file(".css", "style-"),
        built_file(".js", "loader-"),
    ] {
        assert!(
            worker.contains(&format!("\"/{file}\"")),
            "sw.js does not precache {file}"
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
