//! People act at the same time (a branch meeting's 30 phones syncing at
//! once, a mass evaluation): never a 500, and every change applied exactly
//! once. Each scenario runs at least 50 clients in parallel against the real
//! server and then reads the database to check its integrity.

use chengnuo_tests::{new_id, TestApp, User};
use serde_json::{json, Value};
use std::collections::HashMap;
use tokio::task::JoinSet;

fn draft(cycle: &Value, summary: &str) -> Value {
    let deadline = cycle["calendar"]["fulfilment_until"].as_str().unwrap();
    json!({
        "needs_summary": summary,
        "items": (0..2).map(|i| json!({
            "id": format!("00000000-0000-4000-8000-00000000000{i}"),
            "area": "M1",
            "content": format!("事项{}", i + 1),
            "measures": "每周一次",
            "deadline": deadline,
        })).collect::<Vec<_>>(),
        "standards": [],
    })
}

/// Counts the answers by status and fails on any 5xx but a 503 with Retry-After.
fn tally(answers: &[(u16, Value)]) -> HashMap<u16, usize> {
    let mut counts = HashMap::new();
    for (status, body) in answers {
        *counts.entry(*status).or_default() += 1;
        assert!(*status < 500, "a server error: {status} {body}");
    }
    counts
}

/// The member's own commitment, created once.
async fn own_commitment(app: &TestApp, member: &User) -> (String, Value) {
    let cycle = app.current_cycle().await;
    let id = new_id();
    let (status, created) = member
        .post_json(
            "/api/sync/push",
            json!({"operations": [{"id": new_id(), "commitment": id, "base_revision": null,
                "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(&cycle, "起")}}]}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    (id, cycle)
}

/// Applied changes are counted exactly: the revision and the audit rows of
/// the commitment equal the operations recorded as applied (the log keeps
/// an applied operation as its revision, answered `already_applied` on replay).
async fn assert_counted_once(app: &TestApp, commitment: &str) {
    let (revision,): (i64,) = sqlx::query_as("SELECT revision FROM commitments WHERE id = $1")
        .bind(commitment)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let applied: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applied_operations WHERE commitment_id = $1 AND outcome LIKE '{\"type\":\"already_applied\"%'",
    )
    .bind(commitment)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'commitment' AND subject_id = $1",
    )
    .bind(commitment)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(applied, revision, "one applied operation per revision");
    assert_eq!(audited, revision, "one audit row per applied change");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_phones_pushing_at_once_get_no_server_error_and_each_edit_applies_once() {
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    let (commitment, cycle) = own_commitment(&app, &member).await;

    // The same operation sent by 50 connections at once: applied once.
    let same = new_id();
    let mut running = JoinSet::new();
    for _ in 0..50 {
        let member = member.clone();
        let body = json!({"operations": [{"id": same, "commitment": commitment, "base_revision": 1,
            "change": {"type": "save_draft", "draft": draft(&cycle, "同一个修改")}}]});
        running.spawn(async move { member.post_json("/api/sync/push", body).await });
    }
    let answers: Vec<(u16, Value)> = running.join_all().await;
    assert_eq!(tally(&answers).get(&200), Some(&50));
    let kinds: Vec<&str> = answers
        .iter()
        .map(|(_, b)| b["results"][0]["outcome"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "applied").count(),
        1,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "already_applied").count(),
        49
    );

    // 50 different edits on the same base revision: one applies, the others conflict.
    let mut running = JoinSet::new();
    for n in 0..50 {
        let member = member.clone();
        let body = json!({"operations": [{"id": new_id(), "commitment": commitment, "base_revision": 2,
            "change": {"type": "save_draft", "draft": draft(&cycle, &format!("第{n}台手机"))}}]});
        running.spawn(async move { member.post_json("/api/sync/push", body).await });
    }
    let answers = running.join_all().await;
    tally(&answers);
    let applied = answers
        .iter()
        .filter(|(_, b)| b["results"][0]["outcome"]["type"] == "applied")
        .count();
    assert_eq!(applied, 1, "exactly one edit per base revision");
    assert_counted_once(&app, &commitment).await;

    // 50 devices, 10 rounds each, every one pushing on what it last saw.
    let mut running = JoinSet::new();
    for device in 0..50 {
        let member = member.clone();
        let cycle = cycle.clone();
        let commitment = commitment.clone();
        running.spawn(async move {
            let mut base = 3;
            let mut answers = Vec::new();
            for round in 0..10 {
                let body = json!({"operations": [{"id": new_id(), "commitment": commitment, "base_revision": base,
                    "change": {"type": "save_draft", "draft": draft(&cycle, &format!("{device}-{round}"))}}]});
                let (status, answer) = member.post_json("/api/sync/push", body).await;
                let outcome = &answer["results"][0]["outcome"];
                if let Some(revision) = outcome["snapshot"]["revision"]
                    .as_i64()
                    .or(outcome["server"]["revision"].as_i64())
                {
                    base = revision;
                }
                answers.push((status, answer));
            }
            answers
        });
    }
    let answers: Vec<(u16, Value)> = running.join_all().await.into_iter().flatten().collect();
    assert_eq!(answers.len(), 500);
    tally(&answers);
    assert_counted_once(&app, &commitment).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_drafts_saved_at_once_and_fifty_submissions_of_one_package_get_no_server_error() {
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    let (commitment, cycle) = own_commitment(&app, &member).await;

    // 250 REST saves from 50 clients, each on the revision it read last.
    let mut running = JoinSet::new();
    for client in 0..50 {
        let member = member.clone();
        let cycle = cycle.clone();
        let commitment = commitment.clone();
        running.spawn(async move {
            let mut answers = Vec::new();
            for round in 0..5 {
                let current = member.get_json(&format!("/api/commitments/{commitment}")).await;
                let answer = member
                    .put_json(
                        &format!("/api/commitments/{commitment}/draft"),
                        json!({"base_revision": current["revision"], "draft": draft(&cycle, &format!("{client}-{round}"))}),
                    )
                    .await;
                answers.push(answer);
            }
            answers
        });
    }
    let answers: Vec<(u16, Value)> = running.join_all().await.into_iter().flatten().collect();
    let counts = tally(&answers);
    assert!(counts.get(&200).copied().unwrap_or(0) > 0, "{counts:?}");
    assert_eq!(
        counts.get(&200).copied().unwrap_or(0) + counts.get(&409).copied().unwrap_or(0),
        250,
        "saved or told it changed meanwhile: {counts:?}"
    );
    let (revision,): (i64,) = sqlx::query_as("SELECT revision FROM commitments WHERE id = $1")
        .bind(&commitment)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(revision as usize, 1 + counts[&200], "one revision per save");

    // 50 submissions of a complete package: one goes through, the rest are told it went.
    let committee = app.login("committee").await;
    let unit = committee.committee_id();
    let package = committee.get_json(&format!("/api/reports/{unit}")).await;
    for line in package["lines"].as_array().unwrap() {
        if line["present"] == true {
            continue;
        }
        app.force_state(line["commitment"].as_str().unwrap(), "Approved")
            .await;
    }
    let mut running = JoinSet::new();
    for _ in 0..50 {
        let committee = committee.clone();
        let path = format!("/api/reports/{unit}/submit");
        let cycle = cycle["id"].clone();
        running.spawn(async move { committee.post_json(&path, json!({"cycle": cycle})).await });
    }
    let answers = running.join_all().await;
    let counts = tally(&answers);
    assert_eq!(counts.get(&200), Some(&1), "{counts:?}");
    assert_eq!(counts.get(&409), Some(&49), "{counts:?}");
    let rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM report_packages WHERE committee_id = $1")
            .bind(&unit)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(rows, 1, "one package row");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'submit_report' AND subject_id LIKE $1",
    )
    .bind(format!("{unit}/%"))
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failed_sign_ins_from_many_threads_do_not_break_a_members_pushes() {
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    let (commitment, cycle) = own_commitment(&app, &member).await;
    let mut noise = JoinSet::new();
    for thread in 0..6 {
        let base = app.address.clone();
        noise.spawn(async move {
            let client = TestApp::new_client();
            let mut statuses = Vec::new();
            for n in 0..15 {
                let response = client
                    .post(format!("{base}/api/auth/login"))
                    .json(&json!({"login": format!("nobody{thread}-{n}"), "password": "wrong"}))
                    .send()
                    .await
                    .unwrap();
                statuses.push(response.status().as_u16());
            }
            statuses
        });
    }
    let mut base = 1;
    let mut answers = Vec::new();
    for round in 0..40 {
        let body = json!({"operations": [{"id": new_id(), "commitment": commitment, "base_revision": base,
            "change": {"type": "save_draft", "draft": draft(&cycle, &format!("第{round}次"))}}]});
        let (status, answer) = member.post_json("/api/sync/push", body).await;
        if let Some(revision) = answer["results"][0]["outcome"]["snapshot"]["revision"].as_i64() {
            base = revision;
        }
        answers.push((status, answer));
    }
    for statuses in noise.join_all().await {
        assert!(statuses.iter().all(|s| *s < 500), "{statuses:?}");
    }
    let counts = tally(&answers);
    assert_eq!(counts.get(&200), Some(&40));
    assert_eq!(base, 41, "every one of the member's pushes applied");
    assert_counted_once(&app, &commitment).await;
}

/// Phones on a weak network give up on their requests: a write whose client
/// went away is dropped by the server at whatever point it had reached
/// (taking the write lock, writing, committing). After hundreds of such
/// drops under parallel writers, no connection is back in the pool inside
/// a transaction (on SQLite it would hold the write lock, and every later
/// write would wait and fail until a restart), and a write goes through at
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_abandoned_by_their_clients_at_any_point_leave_the_database_writable() {
    use sqlx::Connection as _;
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    let (commitment, cycle) = own_commitment(&app, &member).await;
    let push = |n: usize| {
        json!({"operations": [{"id": new_id(), "commitment": commitment, "base_revision": null,
            "change": {"type": "save_draft", "draft": draft(&cycle, &format!("第{n}次，信号不好"))}}]})
    };
    for round in 0..6 {
        let mut running = JoinSet::new();
        for n in 0..48 {
            let request = member
                .client
                .post(format!("{}/api/sync/push", member.base))
                .json(&push(round * 100 + n))
                // 1–50 ms: given up before, during and after the write.
                .timeout(std::time::Duration::from_millis(
                    1 + ((n * 7 + round * 13) % 50) as u64,
                ));
            running.spawn(async move {
                match request.send().await {
                    Ok(response) => Some(response.status().as_u16()),
                    Err(_) => None,
                }
            });
        }
        for status in running.join_all().await.into_iter().flatten() {
            assert!(status < 500 || status == 503, "a server error: {status}");
        }
    }
    // What the server was still doing for the clients that left ends.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut held = Vec::new();
    for _ in 0..app.db.options().get_max_connections() {
        let connection = app.db.acquire().await.expect("a connection");
        held.push(connection);
    }
    for connection in &held {
        assert!(
            !connection.is_in_transaction(),
            "a connection came back to the pool inside a transaction"
        );
    }
    drop(held);
    let started = std::time::Instant::now();
    let (status, body) = member.post_json("/api/sync/push", push(9_999)).await;
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    assert!(
        took < std::time::Duration::from_millis(500),
        "a write took {took:?} after the abandoned ones"
    );
    let mut connection = app.db.acquire().await.unwrap();
    connection.ping().await.unwrap();
}

/// A classroom signs in at once on a server set to handle 4 requests at a
/// time: what is past its capacity is refused at once (503 with
/// Retry-After, in the API's error shape), never queued; nothing fails
/// otherwise, and once the wave is over the server answers as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn past_its_capacity_the_server_refuses_at_once_and_recovers_by_itself() {
    let app = chengnuo_tests::spawn_app_with(|settings| {
        settings.demo = true;
        settings.max_in_flight = 4;
    })
    .await;
    let mut running = JoinSet::new();
    for _ in 0..48 {
        let url = app.url("/api/auth/login");
        running.spawn(async move {
            let started = std::time::Instant::now();
            let response = TestApp::new_client()
                .post(url)
                .json(&json!({"login": "member", "password": "chengnuo-demo"}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let retry = response.headers().get("retry-after").is_some();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            (status, retry, started.elapsed(), body)
        });
    }
    let answers = running.join_all().await;
    let shed: Vec<_> = answers.iter().filter(|a| a.0 == 503).collect();
    assert!(!shed.is_empty(), "48 at once over a capacity of 4");
    assert!(
        answers.iter().any(|a| a.0 == 200),
        "the first ones are served"
    );
    for (status, retry, took, body) in &answers {
        assert!(matches!(status, 200 | 429 | 503), "{status} {body}");
        if *status == 503 {
            assert!(retry, "a refusal says when to come back");
            assert_eq!(body["error"]["code"], "busy");
            assert!(
                *took < std::time::Duration::from_secs(2),
                "refused at once, not after waiting: {took:?}"
            );
        }
    }
    // Over: served as before.
    let branch = app.login("branch").await;
    let (status, _) = branch.send("GET", "/api/me", None).await;
    assert_eq!(status, 200);
}
