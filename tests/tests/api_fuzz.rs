//! Schemathesis (from PyPI, in a virtual environment `cargo xtask test`
//! creates) over the server's own OpenAPI document, with every check: no
//! server error, every answer's status, content type, headers and body as
//! documented, invalid input refused, valid input accepted, the session
//! honoured. Signed in as a member, as a branch secretary, and anonymous.

use chengnuo_tests::{workspace_root, TestApp};
use std::path::PathBuf;

/// The `st` program of the virtual environment.
fn schemathesis() -> PathBuf {
    std::env::var_os("CHENGNUO_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            workspace_root()
                .join("target")
                .join("schemathesis")
                .join("bin")
                .join("st")
        })
}

/// Signs in and returns the session token (none: anonymous).
async fn session(app: &TestApp, login: Option<&str>) -> String {
    let Some(login) = login else {
        return "none".to_owned();
    };
    let response = TestApp::new_client()
        .post(app.url("/api/auth/login"))
        .json(&serde_json::json!({"login": login, "password": "chengnuo-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, token)| token.to_owned())
        .expect("a session cookie")
}

async fn fuzz_as(app: &TestApp, login: Option<&str>) -> u64 {
    let st = schemathesis();
    assert!(
        st.exists(),
        "schemathesis is missing at {}: run `cargo xtask test`, which installs it",
        st.display()
    );
    let folder = tempfile::tempdir().unwrap();
    let config = folder.path().join("schemathesis.toml");
    // The session cookie as the schema's security scheme, so that the
    // requests schemathesis makes without it are expected to be refused.
    std::fs::write(
        &config,
        "[auth.openapi.session]\napi_key = \"${CHENGNUO_SESSION}\"\n",
    )
    .unwrap();
    let mut command = tokio::process::Command::new(&st);
    command
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(app.url("/api/openapi.json"))
        .args(["--url", &app.address])
        .args(["--checks", "all"])
        .args(["--max-examples", "25"])
        .args(["--seed", "20261127"])
        // One worker: hypothesis's source inspection is not safe across threads on this Python.
        .args(["--workers", "1"])
        .env("CHENGNUO_SESSION", session(app, login).await)
        .env("NO_COLOR", "1")
        .current_dir(folder.path());
    if login.is_some() {
        // Signing out, changing the password or signing in again would end the session under test.
        for path in ["/api/auth/logout", "/api/auth/password", "/api/auth/login"] {
            command.args(["--exclude-path", path]);
        }
    }
    let output = command.output().await.expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let who = login.unwrap_or("anonymous");
    let cases = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Test cases:"))
        .nth(1)
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    println!("schemathesis as {who}: {cases} cases");
    assert!(
        output.status.success(),
        "schemathesis as {who} found problems:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(cases > 1000, "schemathesis as {who} ran only {cases} cases");
    cases
}

#[tokio::test(flavor = "multi_thread")]
async fn schemathesis_finds_nothing_as_a_member_a_secretary_or_anonymous() {
    let app = TestApp::with_demo().await;
    let mut total = 0;
    for login in [Some("member"), Some("branch"), None] {
        total += fuzz_as(&app, login).await;
    }
    println!("schemathesis: {total} cases in all");
}
