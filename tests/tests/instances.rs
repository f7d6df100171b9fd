//! Two server instances on one database, as behind a load balancer: nothing
//! a person relies on lives in one process's memory. A session made on one
//! is honoured (and ended) on the other, sign-in limits count attempts on
//! both, a batch replayed to the other instance is answered from the log and
//! applied once, and what one instance changes (roles, the board) the other
//! answers at once, its caches notwithstanding.

use chengnuo_tests::{new_id, TestApp};
use serde_json::{json, Value};

fn draft(cycle: &Value, summary: &str) -> Value {
    let deadline = cycle["calendar"]["fulfilment_until"].as_str().unwrap();
    json!({
        "needs_summary": summary,
        "items": (0..2).map(|i| json!({
            "id": new_id(),
            "area": "M1",
            "content": format!("事项{}", i + 1),
            "measures": "每周一次",
            "deadline": deadline,
        })).collect::<Vec<_>>(),
        "standards": [],
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_made_on_one_instance_works_and_ends_on_the_other() {
    let a = TestApp::with_demo().await;
    let b = a.another_instance().await;
    let member = a.login("member").await;
    let on_b = b.as_here(&member);
    let me = on_b.get_json("/api/me").await;
    assert_eq!(me["person"]["id"], member.me["person"]["id"]);
    let (status, _) = on_b.send("POST", "/api/auth/logout", None).await;
    assert!(status == 200 || status == 204, "{status}");
    let (status, _) = member.send("GET", "/api/me", None).await;
    assert_eq!(status, 401, "signed out on B is signed out on A");
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_limits_count_the_attempts_made_on_both_instances() {
    let a = TestApp::with_demo().await;
    let b = a.another_instance().await;
    let mut statuses = Vec::new();
    for n in 0..8 {
        let app = if n % 2 == 0 { &a } else { &b };
        let response = TestApp::new_client()
            .post(app.url("/api/auth/login"))
            .json(&json!({"login": "member", "password": "wrong"}))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    // Five wrong passwords are checked in all, wherever they landed.
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        3,
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_replayed_to_the_other_instance_is_applied_once() {
    let a = TestApp::with_demo().await;
    let b = a.another_instance().await;
    let cycle = a.current_cycle().await;
    let member = a.login("member").await;
    let commitment = new_id();
    let batch = json!({"operations": [
        {"id": new_id(), "commitment": commitment, "base_revision": null,
         "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(&cycle, "一")}},
        {"id": new_id(), "commitment": commitment, "base_revision": 1,
         "change": {"type": "save_draft", "draft": draft(&cycle, "在手机上写的")}},
    ]});
    let (status, first) = member.post_json("/api/sync/push", batch.clone()).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["results"][1]["outcome"]["type"], "applied");
    // The answer was lost; the phone's retry lands on the other instance.
    let (status, replayed) = b.as_here(&member).post_json("/api/sync/push", batch).await;
    assert_eq!(status, 200, "{replayed}");
    assert_eq!(replayed["results"][0]["outcome"]["type"], "already_applied");
    assert_eq!(replayed["results"][1]["outcome"]["type"], "already_applied");
    let stored: (i64, i64) = sqlx::query_as(
        "SELECT revision, (SELECT COUNT(*) FROM commitments WHERE id = $1) FROM commitments WHERE id = $2",
    )
    .bind(&commitment)
    .bind(&commitment)
    .fetch_one(&a.db)
    .await
    .unwrap();
    assert_eq!(stored, (2, 1), "created once, saved once");
}

#[tokio::test(flavor = "multi_thread")]
async fn what_one_instance_changes_the_other_answers_at_once() {
    let a = TestApp::with_demo().await;
    let b = a.another_instance().await;
    // The board, answered (and kept) by B, then changed through A.
    let before = b.visitor().get_json("/api/board").await;
    let published = a.published_cadre_commitment().await;
    let after = b.visitor().get_json("/api/board").await;
    assert_ne!(before, after, "B's kept board pages were dropped");
    assert!(
        after
            .to_string()
            .contains(published["id"].as_str().unwrap()),
        "{after}"
    );
    // A role granted through A is B's next answer.
    let office = a.login("office").await;
    let member = a.login("member").await;
    let on_b = b.as_here(&member);
    let roles = |me: &Value| me["roles"].as_array().map_or(0, Vec::len);
    let held = roles(&on_b.get_json("/api/me").await);
    assert!(held > 0);
    let (status, body) = office
        .post_json(
            "/api/admin/grants",
            json!({"person": member.person_id(), "role": "BranchSecretary", "unit": member.branch_id()}),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(roles(&on_b.get_json("/api/me").await), held + 1);
}
