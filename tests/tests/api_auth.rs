//! Sign-in, sessions, rate limiting, and the API's refusals of bad requests.

use chengnuo_tests::{spawn_app, TestApp};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_sets_a_strict_http_only_cookie_and_me_tells_who_and_where() {
    let app = TestApp::with_demo().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&json!({"login": "branch", "password": "chengnuo-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("chengnuo_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("chengnuo_session=");
    assert!(token.len() >= 32, "at least 128 bits of token");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
        .bind(token)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0, "only a hash of the token is stored");

    let user = app.login("branch").await;
    let me: Value = user
        .client
        .get(app.url("/api/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["person"]["name"], "陈静");
    assert_eq!(me["branch"]["name"], "软件工程系教师党支部");
    assert_eq!(me["committee"]["name"], "计算机科学与技术学院分党委");
    let roles: Vec<&str> = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert!(
        roles.contains(&"BranchSecretary") && roles.contains(&"Member"),
        "{roles:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_demo_account_signs_in() {
    let app = TestApp::with_demo().await;
    for login in [
        "member",
        "student",
        "cadre",
        "branch",
        "committee",
        "leader",
        "office",
    ] {
        let user = app.login(login).await;
        assert_eq!(user.me["login"], login);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_is_refused_in_the_callers_language() {
    let app = TestApp::with_demo().await;
    for (language, message) in [
        ("zh-CN", "账号或密码不正确。"),
        ("en", "Wrong account or password."),
    ] {
        let response = app
            .client
            .post(app.url("/api/auth/login"))
            .header("Accept-Language", language)
            .json(&json!({"login": "member", "password": "wrong"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        assert!(response.headers().get("set-cookie").is_none());
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_credentials");
        assert_eq!(body["error"]["message"], message);
    }
    // An unknown login gets the very same answer.
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&json!({"login": "nobody", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_sign_ins_are_rate_limited_per_account() {
    let app = TestApp::with_demo().await;
    for _ in 0..5 {
        let response = app
            .client
            .post(app.url("/api/auth/login"))
            .json(&json!({"login": "member", "password": "guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    // Now even the right password waits.
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&json!({"login": "member", "password": "chengnuo-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_attempts");
    assert!(body["error"]["message"].as_str().unwrap().contains("分钟"));
    // Another account from the same address is not locked out by it.
    app.login("student").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_sign_ins_are_rate_limited_per_address() {
    let app = TestApp::with_demo().await;
    for n in 0..20 {
        let response = app
            .client
            .post(app.url("/api/auth/login"))
            .json(&json!({"login": format!("someone-{n}"), "password": "guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .json(&json!({"login": "student", "password": "chengnuo-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_ends_the_session_on_the_server() {
    let app = TestApp::with_demo().await;
    let user = app.login("member").await;
    let cookie = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(cookie, 1);
    let response = user
        .client
        .post(app.url("/api/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    let response = user.client.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_expire_when_idle_and_at_their_absolute_lifetime() {
    let app = TestApp::with_demo().await;
    let idle = app.login("member").await;
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind((chrono::Utc::now() - chrono::Duration::days(15)).to_rfc3339())
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        idle.client
            .get(app.url("/api/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let old = app.login("member").await;
    sqlx::query("UPDATE sessions SET created_at = $1")
        .bind((chrono::Utc::now() - chrono::Duration::days(91)).to_rfc3339())
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        old.client
            .get(app.url("/api/me"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let fresh = app.login("member").await;
    assert_eq!(
        fresh
            .client
            .get(app.url("/api/me"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_and_oversized_bodies_get_clear_json_errors() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body("{\"login\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    assert_eq!(body["error"]["message"], "请求内容无法读取（格式不正确）。");

    let huge = format!(
        "{{\"login\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(5 * 1024 * 1024)
    );
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .header("Accept-Language", "en")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert_eq!(body["error"]["message"], "What was sent is too large.");
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_in_resources_answer_401_to_the_public() {
    let app = TestApp::with_demo().await;
    for path in ["/api/me", "/api/commitments", "/api/org", "/api/people"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 401, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
    }
    let response = app
        .client
        .post(app.url("/api/sync/pull"))
        .json(&json!({"since": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}
