//! Push 10,000 and pull 10,000 side by side with PouchDB replicating the
//! same bodies to and from pouchdb-server (`tests/pouchdb/compare.mjs`), in
//! the same run on the same machine; prints the ratios.
//!
//! Chengnuo's push: a phone back online after a long time sends 10,000
//! queued edits of its draft (each carrying the whole draft, as the queue
//! does) in pushes of 100, one after another, asking for compact answers.
//! Chengnuo's pull: the office's fresh phone pulls 10,000 commitments from
//! cursor 0. PouchDB: 10,000 documents with the same draft replicated to the
//! server (batches of 100), then into a fresh local database.

use chengnuo_domain::ids::{CommitmentId, OperationId};
use chengnuo_tests::{workspace_root, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub const RECORDS: usize = 10_000;
const BATCH: usize = 100;

pub async fn compare(app: &TestApp) {
    let draft = serde_json::to_value(super::draft(3)).expect("a draft");
    let (push, pushed_bytes) = push(app, &draft).await;
    let pull = pull(app).await;

    let payload = tempfile::NamedTempFile::new().expect("a temporary file");
    std::fs::write(payload.path(), draft.to_string()).expect("the payload");
    let folder = workspace_root().join("tests").join("pouchdb");
    let output = tokio::process::Command::new("node")
        .arg("compare.mjs")
        .arg(payload.path())
        .arg(RECORDS.to_string())
        .current_dir(&folder)
        .output()
        .await
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pouch: Value = serde_json::from_slice(&output.stdout).expect("the comparison's figures");
    let pouch_push = Duration::from_secs_f64(pouch["push_ms"].as_f64().expect("push_ms") / 1000.0);
    let pouch_pull = Duration::from_secs_f64(pouch["pull_ms"].as_f64().expect("pull_ms") / 1000.0);
    println!(
        "push {RECORDS} edits (pushes of {BATCH}, {:.1} MB): Chengnuo {push:.2?}, PouchDB→pouchdb-server {pouch_push:.2?} ({:.1} MB): ×{:.1}",
        pushed_bytes as f64 / 1e6,
        pouch["bytes"].as_f64().unwrap_or_default() / 1e6,
        pouch_push.as_secs_f64() / push.as_secs_f64()
    );
    println!(
        "pull {RECORDS} records from cursor 0: Chengnuo {pull:.2?}, PouchDB←pouchdb-server {pouch_pull:.2?}: ×{:.1}",
        pouch_pull.as_secs_f64() / pull.as_secs_f64()
    );
}

pub async fn push(app: &TestApp, draft: &Value) -> (Duration, usize) {
    // Someone new, so the commitment is theirs alone.
    chengnuo_server::admin::create_account(
        &app.db,
        "offline-for-weeks",
        "离线很久",
        "软件工程系教师党支部",
        "Teacher",
        None,
        "",
        Some("chengnuo-demo".into()),
    )
    .await
    .expect("an account");
    let member = app.login("offline-for-weeks").await;
    let cycle = app.current_cycle().await;
    let commitment = CommitmentId::new().to_string();
    let create = json!({"operations": [{"id": OperationId::new(), "commitment": commitment, "base_revision": null,
        "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft}}]});
    let (status, created) = member.post_json("/api/sync/push", create).await;
    assert_eq!(status, 200);
    assert_eq!(
        created["results"][0]["outcome"]["type"], "applied",
        "{created}"
    );
    let mut bodies = Vec::new();
    for batch in 0..RECORDS / BATCH {
        let operations: Vec<Value> = (0..BATCH)
            .map(|n| {
                let base = (batch * BATCH + n + 1) as u64;
                json!({"id": OperationId::new(), "commitment": commitment, "base_revision": base,
                    "change": {"type": "save_draft", "draft": draft}})
            })
            .collect();
        bodies.push(json!({"compact": true, "operations": operations}).to_string());
    }
    let bytes = bodies.iter().map(String::len).sum();
    let started = Instant::now();
    for body in bodies {
        let response = member
            .client
            .post(app.url("/api/sync/push"))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), 200);
        let answer: Value = response.json().await.expect("an answer");
        let saved = answer["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter(|r| r["outcome"]["type"] == "saved")
            .count();
        assert_eq!(saved, BATCH, "every edit saved: {answer}");
    }
    (started.elapsed(), bytes)
}

pub async fn pull(app: &TestApp) -> Duration {
    let office = app.login("office").await;
    let started = Instant::now();
    let mut cursor = json!(0);
    let mut records = 0;
    loop {
        let page: Value = office
            .client
            .post(app.url("/api/sync/pull"))
            .json(&json!({"since": cursor}))
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .expect("a page");
        records += page["changes"].as_array().expect("changes").len();
        cursor = page["cursor"].clone();
        if page["more"] != true {
            break;
        }
    }
    assert!(records >= RECORDS, "{records}");
    started.elapsed()
}
