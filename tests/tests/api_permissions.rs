//! The permission matrix against the real server: each demo role × each
//! action × a target inside and one outside the role's scope, with the
//! expected answer, and the database unchanged after every refusal.
//!
//! In scope: commitments of the software engineering branch (`member`,
//! `cadre`, `branch`) and the student branch (`student`), both under the
//! computer science committee (`committee`, `leader`). Out of scope: a
//! member's draft in the school of economics and management.

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
    View,
    Edit,
    Submit,
    Review,
    Sign,
    Publish,
}

/// Expected HTTP status for (action, role) on the in-scope target.
fn in_scope(action: Action, role: &str) -> u16 {
    use Action::*;
    match (action, role) {
        (_, "public") => 401,
        (View, "cadre" | "branch" | "committee" | "leader" | "office") => 200,
        (View, _) => 404,
        // The student's own draft.
        (Edit | Submit, "student") => 200,
        (Edit | Submit, "committee" | "leader" | "office") => 403,
        (Edit | Submit, _) => 404,
        // The cadre's submitted commitment: reviewed by the branch or the committee.
        (Review, "branch" | "committee") => 200,
        (Review | Sign | Publish, "cadre" | "leader" | "office") if action == Review => 403,
        (Review, _) => 404,
        // The cadre's approved commitment: only the cadre signs.
        (Sign, "cadre") => 200,
        (Sign, "branch" | "committee" | "leader" | "office") => 403,
        (Sign, _) => 404,
        // The cadre's signed commitment: any secretary above it, or the office, publishes.
        (Publish, "branch" | "committee" | "office") => 200,
        (Publish, "cadre" | "leader") => 403,
        (Publish, _) => 404,
    }
}

/// Expected status on the out-of-scope target (an economics member's draft).
fn out_of_scope(action: Action, role: &str) -> u16 {
    match (action, role) {
        (_, "public") => 401,
        (Action::View, "office") => 200,
        // The office may publish anything, but not a draft.
        (Action::Publish, "office") => 409,
        (_, "office") => 403,
        _ => 404,
    }
}

async fn commitments(app: &TestApp) -> Vec<Value> {
    let office = app.login("office").await;
    office
        .client
        .get(app.url("/api/commitments"))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

async fn current_of(app: &TestApp, person: &str) -> Value {
    let cycle = app.current_cycle().await;
    commitments(app)
        .await
        .into_iter()
        .find(|c| c["cycle"] == cycle["id"] && c["committer"]["id"] == person)
        .expect("the person has a commitment in the current cycle")
}

/// An economics member's draft in the current cycle.
async fn economics_draft(app: &TestApp) -> Value {
    let cycle = app.current_cycle().await;
    let econ: Vec<String> = sqlx::query_scalar("SELECT p.id FROM persons p JOIN org_units b ON b.id = p.branch_id JOIN org_units c ON c.id = b.parent_id WHERE c.name = '经济管理学院分党委'")
        .fetch_all(&app.db)
        .await
        .unwrap();
    commitments(app)
        .await
        .into_iter()
        .find(|c| {
            c["cycle"] == cycle["id"]
                && c["state"] == "Draft"
                && econ.iter().any(|p| c["committer"]["id"] == p.as_str())
        })
        .expect("an economics draft in the demo")
}

/// Brings the in-scope target of `action` into the state the action needs.
async fn prepare(app: &TestApp, action: Action) -> Value {
    let all = json!({"vanguard": true, "centred_on_work": true, "fits_post": true, "matches_wishes": true, "feasible": true});
    match action {
        Action::Edit | Action::Submit => {
            let student = app.login("student").await;
            current_of(app, &student.person_id()).await
        }
        Action::View | Action::Review | Action::Sign | Action::Publish => {
            let cadre = app.login("cadre").await;
            let mut target = current_of(app, &cadre.person_id()).await;
            assert_eq!(target["state"], "Submitted");
            if action == Action::View || action == Action::Review {
                return target;
            }
            let branch = app.login("branch").await;
            let id = target["id"].as_str().unwrap().to_owned();
            target = send(app, Some(&branch), Action::Review, &target).await.1;
            assert_eq!(target["state"], "Approved", "{target}");
            if action == Action::Publish {
                target = send(app, Some(&cadre), Action::Sign, &target).await.1;
                assert_eq!(target["state"], "Signed", "{target}");
            }
            let _ = (id, all);
            target
        }
    }
}

async fn send(app: &TestApp, user: Option<&User>, action: Action, target: &Value) -> (u16, Value) {
    let client = user
        .map(|u| u.client.clone())
        .unwrap_or_else(TestApp::new_client);
    let id = target["id"].as_str().unwrap();
    let revision = target["revision"].clone();
    let all = json!({"vanguard": true, "centred_on_work": true, "fits_post": true, "matches_wishes": true, "feasible": true});
    let request = match action {
        Action::View => client.get(app.url(&format!("/api/commitments/{id}"))),
        Action::Edit => {
            let mut draft = target["draft"].clone();
            draft["needs_summary"] = json!("改过的调研情况");
            client.put(app.url(&format!("/api/commitments/{id}/draft"))).json(&json!({"base_revision": revision, "draft": draft}))
        }
        Action::Submit => client.post(app.url(&format!("/api/commitments/{id}/submit"))).json(&json!({"base_revision": revision})),
        Action::Review => client
            .post(app.url(&format!("/api/commitments/{id}/review")))
            .json(&json!({"base_revision": revision, "review": {"criteria": all, "decision": "Approve"}})),
        Action::Sign => client.post(app.url(&format!("/api/commitments/{id}/sign"))).json(&json!({"base_revision": revision})),
        Action::Publish => client
            .post(app.url(&format!("/api/commitments/{id}/publish")))
            .json(&json!({"base_revision": revision, "display": {
                "start": chengnuo_tests::school_today().to_string(),
                "end": (chengnuo_tests::school_today() + chrono::Duration::days(6)).to_string(),
            }})),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn check_action(action: Action) {
    // Refusals first, all on one server whose database must not move.
    let app = TestApp::with_demo().await;
    let target = prepare(&app, action).await;
    let outside = economics_draft(&app).await;
    let mut users = Vec::new();
    for role in ROLES {
        users.push(if role == "public" {
            None
        } else {
            Some(app.login(role).await)
        });
    }
    for (role, user) in ROLES.iter().zip(&users) {
        for (expected, target, scope) in [
            (in_scope(action, role), &target, "in scope"),
            (out_of_scope(action, role), &outside, "out of scope"),
        ] {
            if expected == 200 && action != Action::View {
                continue;
            }
            let before = app.fingerprint().await;
            let (status, body) = send(&app, user.as_ref(), action, target).await;
            assert_eq!(status, expected, "{action:?} by {role} {scope}: {body}");
            if status != 200 || action == Action::View {
                assert_eq!(
                    app.fingerprint().await,
                    before,
                    "{action:?} by {role} {scope} changed the database"
                );
            }
            if status != 200 {
                assert!(body["error"]["code"].is_string(), "{body}");
                assert!(body["error"]["message"].is_string(), "{body}");
            }
        }
    }
    // Each allowed change, on a server of its own.
    for role in ROLES
        .iter()
        .filter(|r| in_scope(action, r) == 200 && action != Action::View)
    {
        let app = TestApp::with_demo().await;
        let target = prepare(&app, action).await;
        let user = app.login(role).await;
        let (status, body) = send(&app, Some(&user), action, &target).await;
        assert_eq!(status, 200, "{action:?} by {role}: {body}");
        assert_eq!(
            body["revision"].as_u64(),
            Some(target["revision"].as_u64().unwrap() + 1),
            "{action:?} by {role}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn view() {
    check_action(Action::View).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn edit() {
    check_action(Action::Edit).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn submit() {
    check_action(Action::Submit).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn review() {
    check_action(Action::Review).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign() {
    check_action(Action::Sign).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn publish() {
    check_action(Action::Publish).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn people_are_listed_within_scope_only() {
    let app = TestApp::with_demo().await;
    let names = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let member = app.login("member").await;
    let mine = names(
        member
            .client
            .get(app.url("/api/people"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap(),
    );
    assert!(mine.contains(&"陈静".to_owned()) && mine.contains(&"王立新".to_owned()));
    assert!(!mine.contains(&"李思远".to_owned()), "another branch");
    let committee = app.login("committee").await;
    let theirs = names(
        committee
            .client
            .get(app.url("/api/people"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap(),
    );
    assert!(theirs.contains(&"李思远".to_owned()) && theirs.contains(&"王立新".to_owned()));
    assert!(!theirs.contains(&"周晓燕".to_owned()), "another committee");
    let office = app.login("office").await;
    let everyone = names(
        office
            .client
            .get(app.url("/api/people"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap(),
    );
    assert!(
        everyone.len() >= 60 && everyone.len() <= 100,
        "{}",
        everyone.len()
    );
}
