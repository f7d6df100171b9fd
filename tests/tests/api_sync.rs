//! Offline sync against the real server: a batch applies once however often
//! it is replayed, an edit based on an old revision conflicts and overwrites
//! nothing, a review of a commitment that changed is stale, and a pull brings
//! what the caller may see.

use chengnuo_tests::{new_id, TestApp, User};
use serde_json::{json, Value};

fn uuid_like(n: u64) -> String {
    format!(
        "{:08x}-0000-4000-8000-{:012x}",
        (n >> 32) as u32,
        n & 0xffff_ffff_ffff
    )
}

fn draft(cycle: &Value, summary: &str, n: usize) -> Value {
    let deadline = cycle["calendar"]["fulfilment_until"].as_str().unwrap();
    json!({
        "needs_summary": summary,
        "items": (0..n).map(|i| json!({
            "id": uuid_like(1000 + i as u64),
            "area": "M1",
            "content": format!("事项{}", i + 1),
            "measures": "每周一次",
            "deadline": deadline,
        })).collect::<Vec<_>>(),
        "standards": [],
    })
}

async fn push(app: &TestApp, user: &User, operations: Value) -> Vec<Value> {
    let response = user
        .client
        .post(app.url("/api/sync/push"))
        .json(&json!({"operations": operations}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["results"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_replayed_batch_is_applied_once() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let commitment = new_id();
    let batch = json!([
        {"id": new_id(), "commitment": commitment, "base_revision": null,
         "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(&cycle, "一", 1)}},
        {"id": new_id(), "commitment": commitment, "base_revision": 1,
         "change": {"type": "save_draft", "draft": draft(&cycle, "二", 3)}},
    ]);
    let results = push(&app, &member, batch.clone()).await;
    assert_eq!(results[0]["outcome"]["type"], "applied");
    assert_eq!(results[1]["outcome"]["type"], "applied");
    assert_eq!(results[1]["outcome"]["snapshot"]["revision"], 2);

    let before = app.fingerprint().await;
    for _ in 0..3 {
        let replayed = push(&app, &member, batch.clone()).await;
        assert_eq!(replayed[0]["outcome"]["type"], "already_applied");
        assert_eq!(replayed[1]["outcome"]["type"], "already_applied");
        assert_eq!(replayed[1]["outcome"]["revision"], 2);
    }
    assert_eq!(app.fingerprint().await, before);
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM commitments WHERE committer_id = $1 AND cycle_id = $2",
    )
    .bind(member.person_id())
    .bind(cycle["id"].as_str().unwrap())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_from_another_device_conflicts_and_nothing_is_overwritten() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let phone = app.login("member").await;
    let laptop = app.login("member").await;
    let commitment = new_id();
    push(&app, &phone, json!([{"id": new_id(), "commitment": commitment, "base_revision": null,
        "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": phone.person_id()}, "draft": draft(&cycle, "起草", 2)}}])).await;

    // Both devices edit revision 1 offline; the phone syncs first.
    let first = push(
        &app,
        &phone,
        json!([{"id": new_id(), "commitment": commitment, "base_revision": 1,
        "change": {"type": "save_draft", "draft": draft(&cycle, "手机上写的", 2)}}]),
    )
    .await;
    assert_eq!(first[0]["outcome"]["type"], "applied");
    let second = push(
        &app,
        &laptop,
        json!([{"id": new_id(), "commitment": commitment, "base_revision": 1,
        "change": {"type": "save_draft", "draft": draft(&cycle, "电脑上写的", 3)}}]),
    )
    .await;
    assert_eq!(second[0]["outcome"]["type"], "conflict");
    let server = &second[0]["outcome"]["server"];
    assert_eq!(server["draft"]["needs_summary"], "手机上写的");
    assert_eq!(server["revision"], 2);

    // The laptop merges on top of the server's revision.
    let merged = push(
        &app,
        &laptop,
        json!([{"id": new_id(), "commitment": commitment, "base_revision": 2,
        "change": {"type": "save_draft", "draft": draft(&cycle, "手机上写的；电脑上写的", 3)}}]),
    )
    .await;
    assert_eq!(merged[0]["outcome"]["type"], "applied");
    assert_eq!(
        merged[0]["outcome"]["snapshot"]["draft"]["needs_summary"],
        "手机上写的；电脑上写的"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_devices_creating_the_same_persons_commitment_conflict_instead_of_duplicating() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let phone = app.login("member").await;
    let create = |summary: &str| {
        json!([{"id": new_id(), "commitment": new_id(), "base_revision": null,
        "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": phone.person_id()}, "draft": draft(&cycle, summary, 1)}}])
    };
    assert_eq!(
        push(&app, &phone, create("手机")).await[0]["outcome"]["type"],
        "applied"
    );
    let other = push(&app, &phone, create("平板")).await;
    assert_eq!(other[0]["outcome"]["type"], "conflict");
    assert_eq!(
        other[0]["outcome"]["server"]["draft"]["needs_summary"],
        "手机"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_review_of_a_commitment_that_changed_is_stale() {
    let app = TestApp::with_demo().await;
    let branch = app.login("branch").await;
    let committee = app.login("committee").await;
    let cadre = app.login("cadre").await;
    let pulled: Value = branch
        .client
        .post(app.url("/api/sync/pull"))
        .json(&json!({"since": 0}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seen = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|c| c["committer"]["id"] == cadre.person_id().as_str() && c["state"] == "Submitted")
        .expect("the cadre's submitted commitment")
        .clone();
    // The committee returns it while the branch secretary reviews offline.
    let returned = push(&app, &committee, json!([{"id": new_id(), "commitment": seen["id"], "base_revision": seen["revision"],
        "change": {"type": "review", "review": {"criteria": {}, "decision": "Return", "guidance": "请补充措施"}}}])).await;
    assert_eq!(returned[0]["outcome"]["type"], "applied");
    let all = json!({"vanguard": true, "centred_on_work": true, "fits_post": true, "matches_wishes": true, "feasible": true});
    let before = app.fingerprint().await;
    let stale = push(
        &app,
        &branch,
        json!([{"id": new_id(), "commitment": seen["id"], "base_revision": seen["revision"],
        "change": {"type": "review", "review": {"criteria": all, "decision": "Approve"}}}]),
    )
    .await;
    assert_eq!(stale[0]["outcome"]["type"], "stale");
    assert_eq!(stale[0]["outcome"]["server"]["state"], "Returned");
    let after = app.fingerprint().await;
    assert_eq!(
        after.commitments, before.commitments,
        "the stale review changed nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_in_a_batch_are_acknowledged_with_their_reasons_and_do_not_block_the_rest() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let commitment = new_id();
    let results = push(&app, &member, json!([
        {"id": new_id(), "commitment": commitment, "base_revision": null,
         "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(&cycle, "一", 1)}},
        {"id": new_id(), "commitment": commitment, "base_revision": 1, "change": {"type": "submit"}},
        {"id": new_id(), "commitment": commitment, "base_revision": 1, "change": {"type": "save_draft", "draft": draft(&cycle, "二", 2)}},
        {"id": new_id(), "commitment": new_id(), "base_revision": 1, "change": {"type": "sign"}},
    ])).await;
    assert_eq!(results[0]["outcome"]["type"], "applied");
    assert_eq!(results[1]["outcome"]["type"], "refused");
    assert_eq!(
        results[1]["outcome"]["refusal"]["Invalid"][0]["message"]["code"],
        "too_few_items"
    );
    assert_eq!(results[2]["outcome"]["type"], "applied");
    assert_eq!(results[3]["outcome"]["type"], "refused");
    assert_eq!(results[3]["outcome"]["refusal"]["Denied"], "NotVisible");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pull_brings_only_what_the_caller_may_see_and_its_cursor_moves_on() {
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    let mut cursor = json!(0);
    let mut seen = Vec::new();
    loop {
        let page: Value = member
            .client
            .post(app.url("/api/sync/pull"))
            .json(&json!({"since": cursor}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = page["cursor"].clone();
        if !page["more"].as_bool().unwrap() {
            break;
        }
    }
    assert!(!seen.is_empty());
    for snapshot in &seen {
        let own = snapshot["committer"]["id"] == member.person_id().as_str();
        assert!(
            own || snapshot["state"] == "Published",
            "{} {}",
            snapshot["committer_name"],
            snapshot["state"]
        );
    }
    let again: Value = member
        .client
        .post(app.url("/api/sync/pull"))
        .json(&json!({"since": cursor}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(again["changes"].as_array().unwrap().is_empty());
    assert_eq!(again["cursor"], cursor);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_version_set_aside_in_a_merge_stays_readable_in_the_history() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let commitment = new_id();
    let created = push(&app, &member, json!([
        {"id": new_id(), "commitment": commitment, "base_revision": null,
         "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(&cycle, "起", 2)}},
        {"id": new_id(), "commitment": commitment, "base_revision": 1,
         "change": {"type": "save_draft", "draft": draft(&cycle, "合并后的", 2), "set_aside": [draft(&cycle, "没有采用的", 2)]}},
    ])).await;
    assert_eq!(created[1]["outcome"]["type"], "applied");
    let history: Value = member
        .client
        .get(app.url(&format!("/api/commitments/{commitment}/set-aside")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["draft"]["needs_summary"], "没有采用的");
    assert_eq!(history[0]["by"], "王立新");
    // Nobody outside the commitment's scope reads it.
    let other = app.login("student").await;
    let refused = other
        .client
        .get(app.url(&format!("/api/commitments/{commitment}/set-aside")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operation_made_after_one_that_did_not_apply_does_not_apply() {
    // Two phones of one person: phone 2's edit conflicts, and its submit,
    // which expected the revision that edit would have made, must not apply
    // on top of phone 1's version, which has that very revision number.
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let commitment = new_id();
    push(&app, &member, json!([
        {"id": new_id(), "commitment": commitment, "base_revision": null,
         "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(&cycle, "起", 2)}},
    ])).await;
    let phone1 = push(&app, &member, json!([
        {"id": new_id(), "commitment": commitment, "base_revision": 1, "change": {"type": "save_draft", "draft": draft(&cycle, "手机1", 2)}},
    ])).await;
    assert_eq!(phone1[0]["outcome"]["snapshot"]["revision"], 2);
    let edit = new_id();
    let phone2 = push(&app, &member, json!([
        {"id": edit, "commitment": commitment, "base_revision": 1, "change": {"type": "save_draft", "draft": draft(&cycle, "手机2", 2)}},
        {"id": new_id(), "commitment": commitment, "base_revision": 2, "after": edit, "change": {"type": "submit"}},
    ])).await;
    assert_eq!(phone2[0]["outcome"]["type"], "conflict");
    assert_eq!(phone2[1]["outcome"]["type"], "conflict");
    let now: Value = member
        .client
        .get(app.url(&format!("/api/commitments/{commitment}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        now["state"], "Draft",
        "phone 1's text was not submitted by phone 2"
    );
    assert_eq!(now["revision"], 2);
}

/// A phone asks for compact answers: a saved draft is answered with its new
/// revision only (the phone already holds the text), a replay with the same
/// revision, and the next pull brings the text the server keeps.
#[tokio::test(flavor = "multi_thread")]
async fn a_compact_push_answers_a_saved_draft_with_its_revision_only() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let commitment = new_id();
    let batch = json!({"compact": true, "operations": [
        {"id": new_id(), "commitment": commitment, "base_revision": null,
         "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(&cycle, "一", 1)}},
        {"id": new_id(), "commitment": commitment, "base_revision": 1,
         "change": {"type": "save_draft", "draft": draft(&cycle, "压缩的回答", 2)}},
    ]});
    let (status, body) = member.post_json("/api/sync/push", batch.clone()).await;
    assert_eq!(status, 200, "{body}");
    let saved = &body["results"][1]["outcome"];
    assert_eq!(saved, &json!({"type": "saved", "revision": 2}));
    let (_, replayed) = member.post_json("/api/sync/push", batch).await;
    assert_eq!(
        replayed["results"][1]["outcome"],
        json!({"type": "already_applied", "revision": 2})
    );

    let (status, pulled) = member
        .post_json("/api/sync/pull", json!({"since": 0}))
        .await;
    assert_eq!(status, 200, "{pulled}");
    let mine = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == commitment)
        .unwrap_or_else(|| panic!("{pulled}"));
    assert_eq!(mine["revision"], 2);
    assert_eq!(mine["draft"]["needs_summary"], "压缩的回答");
}

/// A phone back online after days sends many edits of its draft and then
/// submits, in one batch: every edit is applied in order (one audit row
/// each), the submission carries the last text, and the commitment moved
/// once in the stream phones pull for the edits, not once per edit.
#[tokio::test(flavor = "multi_thread")]
async fn a_batch_of_many_edits_then_a_submission_keeps_every_edit_in_order() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let commitment = new_id();
    let (_, created) = member
        .post_json(
            "/api/sync/push",
            json!({"operations": [{"id": new_id(), "commitment": commitment, "base_revision": null,
                "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(&cycle, "起", 2)}}]}),
        )
        .await;
    assert_eq!(created["results"][0]["outcome"]["type"], "applied");
    let (_, before) = member
        .post_json("/api/sync/pull", json!({"since": 0}))
        .await;
    let mut operations: Vec<Value> = (1..=40u64)
        .map(|n| {
            json!({"id": new_id(), "commitment": commitment, "base_revision": n,
                "change": {"type": "save_draft", "draft": draft(&cycle, &format!("第{n}稿"), 2)}})
        })
        .collect();
    operations.push(
        json!({"id": new_id(), "commitment": commitment, "base_revision": 41,
        "change": {"type": "submit"}}),
    );
    let (status, answer) = member
        .post_json(
            "/api/sync/push",
            json!({"compact": true, "operations": operations}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let results = answer["results"].as_array().unwrap();
    for (n, result) in results[..40].iter().enumerate() {
        assert_eq!(
            result["outcome"],
            json!({"type": "saved", "revision": n + 2}),
            "edit {n}"
        );
    }
    assert_eq!(results[40]["outcome"]["type"], "applied", "{answer}");
    assert_eq!(results[40]["outcome"]["snapshot"]["state"], "Submitted");
    assert_eq!(
        results[40]["outcome"]["snapshot"]["draft"]["needs_summary"],
        "第40稿"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'commitment' AND subject_id = $1",
    )
    .bind(&commitment)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 42, "create, 40 edits, the submission");
    // The stream moved by two for this commitment (the edits, the submission).
    let (_, after) = member
        .post_json("/api/sync/pull", json!({"since": before["cursor"]}))
        .await;
    assert_eq!(
        after["cursor"].as_u64().unwrap() - before["cursor"].as_u64().unwrap(),
        2
    );
    assert_eq!(after["changes"][0]["revision"], 42);
}
