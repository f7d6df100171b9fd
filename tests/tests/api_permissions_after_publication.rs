//! The permission matrix for what follows publication: the ledger, crossing
//! off, feedback and its moderation, report packages. Each demo role × each
//! action × a target inside and one outside the role's scope, with the expected
//! answer, and the database unchanged after every refusal.
//!
//! In scope: the cadre's commitment (software engineering branch, computer
//! science committee), published today; the computer science committee's
//! package. Out of scope: a published commitment of last year in the school of
//! economics and management; that school's package.

use chengnuo_tests::{TestApp, User};
use serde_json::{json, Value};

const ROLES: [&str; 8] = [
    "member",
    "student",
    "cadre",
    "branch",
    "committee",
    "leader",
    "office",
    "public",
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Action {
    RecordProgress,
    ClaimDone,
    CrossOff,
    Feedback,
    ModerateFeedback,
    ViewReports,
    SubmitReport,
}

fn in_scope(action: Action, role: &str) -> u16 {
    use Action::*;
    match (action, role) {
        (Feedback, _) => 201,
        (_, "public") => 401,
        (RecordProgress | ClaimDone, "cadre") => 200,
        (RecordProgress | ClaimDone, _) => 403,
        (CrossOff, "branch" | "committee") => 200,
        (CrossOff, _) => 403,
        (ModerateFeedback, "branch" | "committee" | "office") => 200,
        (ModerateFeedback, _) => 403,
        (ViewReports, "committee" | "leader" | "office") => 200,
        (ViewReports, _) => 404,
        // Permitted, but this year's package is not complete.
        (SubmitReport, "committee") => 422,
        (SubmitReport, "leader" | "office") => 403,
        (SubmitReport, _) => 404,
    }
}

fn out_of_scope(action: Action, role: &str) -> u16 {
    use Action::*;
    match (action, role) {
        // Last year's display window is closed.
        (Feedback, _) => 409,
        (_, "public") => 401,
        (ModerateFeedback, "office") => 200,
        (RecordProgress | ClaimDone | CrossOff | ModerateFeedback, _) => 403,
        (ViewReports, "office") => 200,
        (SubmitReport, "office") => 403,
        (ViewReports | SubmitReport, _) => 404,
    }
}

struct Targets {
    commitment: String,
    item: String,
    feedback: String,
    committee: String,
}

async fn first_item(app: &TestApp, commitment: &str) -> String {
    let office = app.login("office").await;
    let ledger: Value = office
        .client
        .get(app.url(&format!("/api/commitments/{commitment}/ledger")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    ledger["items"][0]["item"].as_str().unwrap().to_owned()
}

async fn feedback_on(app: &TestApp, commitment: &str) -> String {
    // Written straight into the database: last year's window is closed to the API.
    let id = uuid::Uuid::new_v4().to_string();
    sqlx::query("INSERT INTO feedback (id, commitment_id, text, created_at, sender_key) VALUES ($1, $2, '希望公布进度', '2026-01-01T00:00:00Z', 'test')")
        .bind(&id)
        .bind(commitment)
        .execute(&app.db)
        .await
        .unwrap();
    id
}

async fn in_scope_targets(app: &TestApp, action: Action) -> Targets {
    let published = app.published_cadre_commitment().await;
    let commitment = published["id"].as_str().unwrap().to_owned();
    let item = first_item(app, &commitment).await;
    if action == Action::CrossOff {
        let cadre = app.login("cadre").await;
        let response = cadre
            .client
            .post(app.url(&format!("/api/commitments/{commitment}/items/{item}/steps")))
            .json(&json!({"step": "Claim"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let feedback = feedback_on(app, &commitment).await;
    let committee = app.login("committee").await.committee_id();
    Targets {
        commitment,
        item,
        feedback,
        committee,
    }
}

async fn out_of_scope_targets(app: &TestApp) -> Targets {
    let (commitment, committee): (String, String) = sqlx::query_as(
        "SELECT c.id, k.id FROM commitments c JOIN persons p ON p.id = c.committer_id \
         JOIN org_units b ON b.id = p.branch_id JOIN org_units k ON k.id = b.parent_id \
         WHERE c.state = 'Published' AND k.name = '经济管理学院分党委' LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let item = first_item(app, &commitment).await;
    let feedback = feedback_on(app, &commitment).await;
    Targets {
        commitment,
        item,
        feedback,
        committee,
    }
}

async fn send(app: &TestApp, user: Option<&User>, action: Action, t: &Targets) -> (u16, Value) {
    let client = user
        .map(|u| u.client.clone())
        .unwrap_or_else(TestApp::new_client);
    let today = chengnuo_tests::school_today().to_string();
    let (commitment, item) = (&t.commitment, &t.item);
    let request = match action {
        Action::RecordProgress => client
            .post(app.url(&format!("/api/commitments/{commitment}/ledger")))
            .json(&json!({"item": item, "date": today, "text": "已开展第一次活动"})),
        Action::ClaimDone => client
            .post(app.url(&format!("/api/commitments/{commitment}/items/{item}/steps")))
            .json(&json!({"step": "Claim"})),
        Action::CrossOff => client
            .post(app.url(&format!("/api/commitments/{commitment}/items/{item}/steps")))
            .json(&json!({"step": "CrossOff"})),
        Action::Feedback => client
            .post(app.url(&format!("/api/board/{commitment}/feedback")))
            .json(&json!({"text": "支持！"})),
        Action::ModerateFeedback => client
            .post(app.url(&format!("/api/feedback/{}/hide", t.feedback)))
            .json(&json!({"reason": "与承诺无关"})),
        Action::ViewReports => client.get(app.url(&format!("/api/reports/{}", t.committee))),
        Action::SubmitReport => client
            .post(app.url(&format!("/api/reports/{}/submit", t.committee)))
            .json(&json!({})),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn check(action: Action) {
    let changes = |status: u16| status == 200 && action != Action::ViewReports || status == 201;
    // Refusals first, all on one server whose database must not move.
    let app = TestApp::with_demo().await;
    let inside = in_scope_targets(&app, action).await;
    let outside = out_of_scope_targets(&app).await;
    let mut users = Vec::new();
    for role in ROLES {
        users.push(if role == "public" {
            None
        } else {
            Some(app.login(role).await)
        });
    }
    for (role, user) in ROLES.iter().zip(&users) {
        for (expected, targets, scope) in [
            (in_scope(action, role), &inside, "in scope"),
            (out_of_scope(action, role), &outside, "out of scope"),
        ] {
            if changes(expected) {
                continue;
            }
            let before = app.fingerprint().await;
            let (status, body) = send(&app, user.as_ref(), action, targets).await;
            assert_eq!(status, expected, "{action:?} by {role} {scope}: {body}");
            assert_eq!(
                app.fingerprint().await,
                before,
                "{action:?} by {role} {scope} changed the database"
            );
            if status >= 400 {
                assert!(body["error"]["code"].is_string(), "{body}");
            }
        }
    }
    // Each allowed change, on a server of its own.
    for (role_index, role) in ROLES.iter().enumerate() {
        for (inside_scope, expected) in [
            (true, in_scope(action, role)),
            (false, out_of_scope(action, role)),
        ] {
            if !changes(expected) {
                continue;
            }
            let app = TestApp::with_demo().await;
            let targets = if inside_scope {
                in_scope_targets(&app, action).await
            } else {
                out_of_scope_targets(&app).await
            };
            let user = if ROLES[role_index] == "public" {
                None
            } else {
                Some(app.login(role).await)
            };
            let before = app.fingerprint().await;
            let (status, body) = send(&app, user.as_ref(), action, &targets).await;
            assert_eq!(
                status, expected,
                "{action:?} by {role} (in scope: {inside_scope}): {body}"
            );
            assert_ne!(
                app.fingerprint().await,
                before,
                "{action:?} by {role} changed nothing"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn record_progress() {
    check(Action::RecordProgress).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn claim_done() {
    check(Action::ClaimDone).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_off() {
    check(Action::CrossOff).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn feedback() {
    check(Action::Feedback).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn moderate_feedback() {
    check(Action::ModerateFeedback).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn view_reports() {
    check(Action::ViewReports).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submit_report() {
    check(Action::SubmitReport).await;
}
