//! The API's contract at its edges: every error is the documented JSON in the
//! caller's language, answers are never cached, pages on other sites cannot
//! change anything, and input that must not be stored is refused by field.

use chengnuo_tests::{new_id, spawn_app_with, TestApp};
use serde_json::{json, Value};

async fn raw(app: &TestApp, method: &str, path: &str) -> reqwest::Response {
    TestApp::new_client()
        .request(method.parse().unwrap(), app.url(path))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
}

async fn is_error_json(response: reqwest::Response, status: u16, code: &str) {
    assert_eq!(response.status(), status);
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("application/json"), "{kind}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"].as_str().unwrap().is_ascii(),
        "in the caller's language"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_error_is_the_json_shape_and_no_answer_is_cached() {
    let app = TestApp::with_demo().await;
    // A path parameter that does not parse, a query that does not parse.
    is_error_json(
        raw(&app, "GET", "/api/board/not-an-id").await,
        400,
        "bad_request",
    )
    .await;
    let member = app.login("member").await;
    let bad_query = member
        .client
        .get(app.url("/api/commitments?state=Nonsense"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    is_error_json(bad_query, 400, "bad_request").await;
    // A method the address does not take.
    let wrong = raw(&app, "DELETE", "/api/health").await;
    assert!(wrong.headers().get("allow").is_some());
    is_error_json(wrong, 405, "method_not_allowed").await;
    // A body that is not JSON.
    let response = TestApp::new_client()
        .post(app.url("/api/auth/login"))
        .header("content-type", "text/plain")
        .body("login=member")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    // No private API answer is kept by a cache (the public board is, see
    // `api_commitments::the_board_is_paged_filtered_searched_and_cacheable`).
    for path in ["/api/health", "/api/me", "/api/commitments"] {
        let response = raw(&app, "GET", path).await;
        assert_eq!(
            response.headers().get("cache-control").unwrap(),
            "no-store",
            "{path}"
        );
    }
    // An address with an empty segment is nobody's: no redirect to another site.
    let response = TestApp::new_client()
        .get(app.url("//icons"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.headers().get("location").is_none());
    // HSTS only behind HTTPS.
    assert!(raw(&app, "GET", "/")
        .await
        .headers()
        .get("strict-transport-security")
        .is_none());
    let secure = spawn_app_with(|s| s.secure_cookies = true).await;
    let hsts = TestApp::new_client()
        .get(secure.url("/"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        hsts.headers().get("strict-transport-security").unwrap(),
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_on_another_site_cannot_change_anything() {
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let response = member
            .client
            .post(app.url("/api/auth/logout"))
            .header(name, value)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{name}: {value}");
        assert_eq!(
            member.send("GET", "/api/me", None).await.0,
            200,
            "still signed in"
        );
    }
    // The app's own pages can.
    let response = member
        .client
        .post(app.url("/api/auth/logout"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

#[tokio::test(flavor = "multi_thread")]
async fn numbers_out_of_range_are_refused_by_field_and_whole_floats_are_numbers() {
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    let (status, body) = member
        .post_json("/api/sync/pull", json!({"since": 18446744073709551615u64}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "since");
    assert_eq!(body["error"]["fields"][0]["code"], "invalid_value");
    let (status, body) = member
        .post_json("/api/sync/pull", json!({"since": -1}))
        .await;
    assert_eq!(status, 422, "{body}");
    // `2.0` is the integer 2, as the schema's "integer" says.
    let (status, body) = member
        .post_json("/api/sync/pull", json!({"since": 2.0}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = member
        .post_json(
            "/api/sync/push",
            json!({"operations": [{"id": new_id(), "commitment": new_id(), "base_revision": 1.5, "change": {"type": "submit"}}]}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["error"]["fields"][0]["field"],
        "operations[0].base_revision"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operation_id_is_its_authors_only() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let id = new_id();
    let operation = new_id();
    let create = json!({"operations": [{"id": operation, "commitment": id, "base_revision": null,
        "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()},
                   "draft": {"needs_summary": "只给自己看的", "items": [], "standards": []}}}]});
    let (status, _) = member.post_json("/api/sync/push", create.clone()).await;
    assert_eq!(status, 200);
    // Another person replays the same operation id: refused, and nothing of the first answer leaks.
    let other = app.login("student").await;
    let (status, body) = other.post_json("/api/sync/push", create).await;
    assert_eq!(status, 200, "{body}");
    let outcome = &body["results"][0]["outcome"];
    assert_eq!(outcome["type"], "refused", "{outcome}");
    assert!(!body.to_string().contains("只给自己看的"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_past_the_forms_limits_is_not_stored_and_exports_never_fail() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let id = new_id();
    let long = "长".repeat(32_768);
    let draft = json!({"needs_summary": "", "items": [{"id": new_id(), "area": "M1", "content": long, "measures": "", "deadline": ""}], "standards": []});
    let before = app.fingerprint().await;
    let (status, body) = member
        .post_json(
            "/api/sync/push",
            json!({"operations": [{"id": new_id(), "commitment": id, "base_revision": null,
                "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft}}]}),
        )
        .await;
    assert_eq!(status, 200);
    let refusal = &body["results"][0]["outcome"]["refusal"]["Invalid"][0];
    assert_eq!(refusal["field"], "items[0].content", "{body}");
    assert_eq!(refusal["message"]["code"], "too_long");
    assert_eq!(app.fingerprint().await, before, "nothing stored");

    // A text that long stored by an earlier version: the workbook still comes out.
    let branch_id: String = sqlx::query_scalar(
        "SELECT id FROM commitments WHERE committer_type = 'unit' AND cycle_id = $1 LIMIT 1",
    )
    .bind(cycle["id"].as_str().unwrap())
    .fetch_one(&app.db)
    .await
    .unwrap();
    app.edit_json("commitments", "dossier", &branch_id, |d| {
        d["draft"]["items"][0]["measures"] = "措".repeat(40_000).into()
    })
    .await;
    let committee = app.login("committee").await;
    let response = committee
        .client
        .get(app.url(&format!(
            "/api/reports/{}/workbook",
            committee.committee_id()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(!response.bytes().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_progress_entry_dated_outside_the_cycle_is_refused() {
    let app = TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let cadre = app.login("cadre").await;
    let item = published["draft"]["items"][0]["id"].clone();
    let before = app.fingerprint().await;
    let (status, body) = cadre
        .post_json(
            &format!(
                "/api/commitments/{}/ledger",
                published["id"].as_str().unwrap()
            ),
            json!({"item": item, "date": "0001-01-01", "text": "很久以前"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "date");
    assert_eq!(body["error"]["fields"][0]["code"], "date_outside");
    assert_eq!(app.fingerprint().await, before);
}

/// U+0000 is in no text a person types and PostgreSQL cannot store or
/// compare it: it is dropped from bodies and queries, on either database,
/// so such a request is answered as it would be without it (never a 500).
#[tokio::test]
async fn a_nul_character_is_dropped_from_texts_and_queries() {
    let app = TestApp::with_demo().await;
    let answer = app
        .client
        .post(format!("{}/api/auth/login", app.address))
        .json(&serde_json::json!({ "login": "mem\u{0}ber", "password": "chengnuo-demo" }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "the login without U+0000");
    let answer = app
        .client
        .post(format!("{}/api/auth/login", app.address))
        .json(&serde_json::json!({ "login": "\u{0}", "password": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.status(),
        401,
        "an empty login, once U+0000 is dropped"
    );
    let plain = app
        .client
        .get(format!("{}/api/board", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 200);
    let plain: serde_json::Value = plain.json().await.unwrap();
    let searched = app
        .client
        .get(format!("{}/api/board?q=%00", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(searched.status(), 200);
    let searched: serde_json::Value = searched.json().await.unwrap();
    assert_eq!(searched["items"], plain["items"], "an empty search");
}
