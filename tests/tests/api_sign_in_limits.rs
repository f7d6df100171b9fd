//! Signing in under attack: nothing oversized is stored or hashed, the limits
//! hold when attempts arrive in parallel, nobody can lock a person out by
//! failing on purpose, the client's address behind a proxy counts only when
//! the proxy is trusted, and a person changes their own password.

use chengnuo_tests::{spawn_app_with, TestApp};
use serde_json::{json, Value};
use tokio::task::JoinSet;

async fn sign_in(app: &TestApp, login: &str, password: &str, from: Option<&str>) -> (u16, Value) {
    let client = TestApp::new_client();
    let mut request = client
        .post(app.url("/api/auth/login"))
        .json(&json!({"login": login, "password": password}));
    if let Some(address) = from {
        request = request.header("x-forwarded-for", address);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The demo server behind a proxy at 127.0.0.1 (the tests' own address).
async fn behind_a_proxy() -> TestApp {
    spawn_app_with(|settings| {
        settings.demo = true;
        settings.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_login_or_password_is_refused_before_anything_is_stored() {
    let app = TestApp::with_demo().await;
    let huge = "x".repeat(3 << 20);
    let (status, body) = sign_in(&app, &huge, "chengnuo-demo", None).await;
    assert_eq!(status, 422, "a login of 3 MB: {body}");
    assert_eq!(body["error"]["fields"][0]["field"], "login");
    let long = "x".repeat(65);
    let (status, body) = sign_in(&app, &long, "chengnuo-demo", None).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "login");
    assert_eq!(body["error"]["fields"][0]["code"], "too_long");
    let (status, body) = sign_in(&app, "member", &"p".repeat(1025), None).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "password");
    assert_eq!(rows(&app).await, 0, "nothing was counted or stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_attempts_cannot_slip_past_the_limits() {
    let app = TestApp::with_demo().await;
    // 40 wrong passwords for one account at once: five are checked.
    let mut running = JoinSet::new();
    for _ in 0..40 {
        let base = app.address.clone();
        running.spawn(async move {
            let response = TestApp::new_client()
                .post(format!("{base}/api/auth/login"))
                .json(&json!({"login": "member", "password": "wrong"}))
                .send()
                .await
                .unwrap();
            response.status().as_u16()
        });
    }
    let statuses = running.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 35);

    // 60 wrong sign-ins for many accounts from one address: twenty are checked.
    let fresh = TestApp::with_demo().await;
    let mut running = JoinSet::new();
    for n in 0..60 {
        let base = fresh.address.clone();
        running.spawn(async move {
            let response = TestApp::new_client()
                .post(format!("{base}/api/auth/login"))
                .json(&json!({"login": format!("nobody{n}"), "password": "wrong"}))
                .send()
                .await
                .unwrap();
            response.status().as_u16()
        });
    }
    let statuses = running.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        20,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 40);
}

#[tokio::test(flavor = "multi_thread")]
async fn failing_on_purpose_does_not_lock_the_person_out() {
    let app = behind_a_proxy().await;
    for _ in 0..5 {
        let (status, _) = sign_in(&app, "member", "wrong", Some("203.0.113.66")).await;
        assert_eq!(status, 401);
    }
    // The attacker's address is refused, even with the right password...
    let (status, body) = sign_in(&app, "member", "chengnuo-demo", Some("203.0.113.66")).await;
    assert_eq!(status, 429, "{body}");
    // ...the member, elsewhere, gets in (slowed down a little, not refused).
    let started = std::time::Instant::now();
    let (status, body) = sign_in(&app, "member", "chengnuo-demo", Some("198.51.100.20")).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "slowed down"
    );
    // And after the right password the account is not under suspicion any more.
    let started = std::time::Instant::now();
    let (status, _) = sign_in(&app, "member", "chengnuo-demo", Some("198.51.100.21")).await;
    assert_eq!(status, 200);
    assert!(started.elapsed() < std::time::Duration::from_millis(900));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_address_behind_a_proxy_counts_only_when_the_proxy_is_trusted() {
    // Trusted: each client behind the proxy has its own limit.
    let app = behind_a_proxy().await;
    for n in 0..21 {
        let (status, _) = sign_in(
            &app,
            &format!("nobody{n}"),
            "wrong",
            Some(&format!("203.0.113.{n}")),
        )
        .await;
        assert_eq!(status, 401, "attempt {n} from its own address");
    }
    // Not trusted: whatever the header says, it is one address.
    let app = TestApp::with_demo().await;
    let mut statuses = Vec::new();
    for n in 0..21 {
        statuses.push(
            sign_in(
                &app,
                &format!("nobody{n}"),
                "wrong",
                Some(&format!("203.0.113.{n}")),
            )
            .await
            .0,
        );
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 20);
    assert_eq!(statuses.last(), Some(&429));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_person_changes_their_password_and_their_other_sessions_end() {
    let app = TestApp::with_demo().await;
    let phone = app.login("member").await;
    let laptop = app.login("member").await;
    let change = |current: &str, new: &str, repeat: &str| json!({"current": current, "new": new, "repeat": repeat});
    for (body, field, code) in [
        (
            change("wrong-one", "a-new-password-1", "a-new-password-1"),
            "current",
            "wrong_password",
        ),
        (
            change("chengnuo-demo", "short", "short"),
            "new",
            "password_too_short",
        ),
        (
            change("chengnuo-demo", "a-new-password-1", "a-new-password-2"),
            "repeat",
            "passwords_differ",
        ),
    ] {
        let (status, answer) = laptop.post_json("/api/auth/password", body).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field);
        assert_eq!(answer["error"]["fields"][0]["code"], code);
    }
    let (status, answer) = laptop
        .post_json(
            "/api/auth/password",
            change("chengnuo-demo", "a-new-password-1", "a-new-password-1"),
        )
        .await;
    assert_eq!(status, 204, "{answer}");
    // The laptop stays signed in; the phone's session ended.
    assert_eq!(laptop.send("GET", "/api/me", None).await.0, 200);
    assert_eq!(phone.send("GET", "/api/me", None).await.0, 401);
    assert_eq!(sign_in(&app, "member", "chengnuo-demo", None).await.0, 401);
    assert_eq!(
        sign_in(&app, "member", "a-new-password-1", None).await.0,
        200
    );
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'change_password'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(audit, 1);
}

/// A classroom behind one address signs in together: 40 people, each with
/// their own right password, at once. Nobody is refused (attempts under way
/// take turns instead of counting as failures); the address's failures are
/// still what limits it (the parallel guesses above: twenty checked).
#[tokio::test(flavor = "multi_thread")]
async fn a_classroom_behind_one_address_signs_in_together() {
    let app = TestApp::with_school(80, 1).await;
    let logins: Vec<String> = sqlx::query_scalar(
        "SELECT login FROM accounts WHERE login LIKE 'u%' ORDER BY login LIMIT 40",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(logins.len(), 40);
    let mut running = JoinSet::new();
    for login in logins {
        let base = app.address.clone();
        running.spawn(async move {
            let response = TestApp::new_client()
                .post(format!("{base}/api/auth/login"))
                .json(&json!({"login": login, "password": "chengnuo-demo"}))
                .send()
                .await
                .unwrap();
            response.status().as_u16()
        });
    }
    let statuses = running.join_all().await;
    assert_eq!(statuses, vec![200; 40], "{statuses:?}");
    assert_eq!(rows(&app).await, 0, "nothing left counted");
}
