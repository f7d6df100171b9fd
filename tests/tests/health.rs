use chengnuo_tests::spawn_app;

#[tokio::test(flavor = "multi_thread")]
async fn health_reports_version_and_database() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/health")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test(flavor = "multi_thread")]
async fn migrations_ran_at_start() {
    let app = spawn_app().await;
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(applied >= 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_api_paths_answer_a_json_404_in_the_callers_language() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["message"], "请求的内容不存在。");
    assert!(body["error"]["fields"].as_array().unwrap().is_empty());

    let response = app
        .client
        .get(app.url("/api/no-such-thing"))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-language"], "en");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["error"]["message"],
        "Nothing was found at this address."
    );
}
