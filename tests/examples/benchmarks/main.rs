//! Prints the numbers kept in BENCHMARKS.md: `cargo xtask bench`.
//! Sync against the real server on this machine (push 500 queued operations;
//! push and pull 10,000 beside PouchDB, in `pouchdb`), the cost of saving one
//! keystroke with a 50-item draft, through headless Chromium the time from an
//! offline reload to an interactive form, and the seeded 25,000-member
//! school under an open-loop load (`school`).

mod dashboard;
mod pouchdb;
mod round;
mod school;

use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::ids::{CommitmentId, CycleId, ItemId, OperationId, PersonId};
use chengnuo_domain::org::{Ancestry, MemberCategory};
use chengnuo_domain::sync::replica::Replica;
use chengnuo_domain::workflow::CommitmentState;
use chengnuo_server::store::{commitments, cycles};
use chengnuo_tests::{workspace_root, TestApp};
use serde_json::{json, Value};
use std::time::Instant;

fn draft(items: usize) -> CommitmentDraft {
    CommitmentDraft {
        needs_summary: "学生希望增加课后答疑和实践机会，教师希望减少重复填表".repeat(3),
        items: (0..items)
            .map(|i| ItemDraft {
                id: ItemId::new(),
                area: "M1".into(),
                content: format!("第{i}项：主讲两门专业课，课堂教学评价保持优良"),
                measures: "每章更新案例，每两周开放一次答疑，期中收集学生意见并改进".into(),
                deadline: "2027-05-31".into(),
                target: "学生评教 90 分以上".into(),
                practical_deed: i % 3 == 0,
            })
            .collect(),
        standards: vec!["L1".into(), "L3".into()],
    }
}

fn keystroke() {
    let mut replica = Replica::default();
    let id = CommitmentId::new();
    replica.create(
        id,
        CycleId::new(),
        Committer::Person(PersonId::new()),
        CommitterKind::Member {
            category: MemberCategory::Teacher,
            cadre_rank: None,
            is_activist: false,
        },
        "王立新".into(),
        Ancestry(vec![]),
        draft(50),
    );
    let mut text = draft(50);
    let rounds = 2000;
    let started = Instant::now();
    let mut bytes = 0;
    for n in 0..rounds {
        text.items[7]
            .content
            .push(if n % 2 == 0 { '承' } else { '诺' });
        replica.edit(id, text.clone());
        bytes = serde_json::to_string(&replica).expect("serializes").len();
    }
    let each = started.elapsed() / rounds;
    println!("keystroke save, 50-item draft (edit + serialize the replica, native): {each:?} per keystroke, {bytes} bytes written");

    // What the browser does on every (debounced) save since two tabs merge:
    // read back what is stored, merge it against this tab's base, write.
    let mut stored = serde_json::to_string(&replica).expect("serializes");
    let mut base = replica.clone();
    let started = Instant::now();
    for n in 0..rounds {
        text.items[9]
            .content
            .push(if n % 2 == 0 { '承' } else { '诺' });
        replica.edit(id, text.clone());
        let theirs: Replica = serde_json::from_str(&stored).expect("parses");
        replica.merge_stored(&theirs, Some(&base));
        stored = serde_json::to_string(&replica).expect("serializes");
        base = replica.clone();
    }
    let each = started.elapsed() / rounds;
    println!("keystroke save with the merge of other tabs' storage (parse + merge + serialize, native): {each:?} per save");
}

/// `records` more people in the software branch, each with a submitted
/// commitment in the current cycle: all of them in the office's sync scope.
async fn seed(app: &TestApp, records: usize) {
    let mut tx = app.db.begin().await.unwrap();
    let directory = chengnuo_server::store::directory::Directory::load(&mut tx)
        .await
        .unwrap();
    let branch: String =
        sqlx::query_scalar("SELECT id FROM org_units WHERE name = '软件工程系教师党支部'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    let cycle = cycles::current(&mut tx)
        .await
        .unwrap()
        .expect("a current cycle");
    let now = chrono::Utc::now();
    for n in 0..records {
        let person = PersonId::new();
        sqlx::query(
            "INSERT INTO persons (id, name, branch_id, category) VALUES ($1, $2, $3, 'Teacher')",
        )
        .bind(person.to_string())
        .bind(format!("测试教师{n}"))
        .bind(&branch)
        .execute(&mut *tx)
        .await
        .unwrap();
        let mut dossier = Dossier::new(
            CommitmentId::new(),
            cycle.id,
            Committer::Person(person),
            CommitterKind::Member {
                category: MemberCategory::Teacher,
                cadre_rank: None,
                is_activist: false,
            },
            directory.ancestry(branch.parse().unwrap()),
            draft(3),
        );
        dossier.state = CommitmentState::Submitted;
        commitments::save(&mut tx, &dossier, now).await.unwrap();
    }
    tx.commit().await.unwrap();
}

/// The sync figures on SQLite and on PostgreSQL (`CHENGNUO_BENCH_POSTGRES`,
/// a server `cargo xtask bench` starts), the same demo data on each: push 500
/// queued operations in one batch, push 10,000 edits in batches of 100,
/// pull 10,000 commitments from cursor 0; then the load mix against two
/// instances on PostgreSQL beside one on SQLite (`school::instances_on`).
async fn backends() {
    // `BENCH_BACKENDS=sqlite` or `postgres` runs one of the two.
    let which = std::env::var("BENCH_BACKENDS").unwrap_or_default();
    let postgres = std::env::var("CHENGNUO_BENCH_POSTGRES").unwrap_or_default();
    for backend in ["SQLite", "PostgreSQL"] {
        if !backend
            .to_ascii_lowercase()
            .starts_with(&which.to_ascii_lowercase())
        {
            continue;
        }
        assert!(
            backend == "SQLite" || !postgres.is_empty(),
            "CHENGNUO_BENCH_POSTGRES: run `BENCH_ONLY=backends cargo xtask bench`"
        );
        let app = if backend == "SQLite" {
            TestApp::with_demo().await
        } else {
            let url = chengnuo_tests::fresh_postgres_database(&postgres).await;
            chengnuo_tests::spawn_on_database(url, |settings| settings.demo = true).await
        };
        println!("== {backend}");
        push_500(&app).await;
        seed(&app, 10_000).await;
        let draft = serde_json::to_value(draft(3)).expect("a draft");
        let (push, bytes) = pouchdb::push(&app, &draft).await;
        println!("push 10,000 edits in batches of 100: {push:.2?} ({bytes} bytes sent)");
        let pull = pouchdb::pull(&app).await;
        println!("pull 10,000 commitments from cursor 0: {pull:.2?}");
    }
    school::instances_on_postgres(&postgres, &which).await;
}

async fn push_500(app: &TestApp) {
    let member = app.login("member").await;
    let cycle = app.current_cycle().await;
    let commitment = CommitmentId::new().to_string();
    let mut operations = vec![
        json!({"id": OperationId::new(), "commitment": commitment, "base_revision": null,
        "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": draft(3)}}),
    ];
    for n in 1..500u64 {
        let mut text = draft(3);
        text.needs_summary = format!("第{n}次修改");
        operations.push(
            json!({"id": OperationId::new(), "commitment": commitment, "base_revision": n,
            "change": {"type": "save_draft", "draft": text}}),
        );
    }
    let started = Instant::now();
    let response: Value = member
        .client
        .post(app.url("/api/sync/push"))
        .json(&json!({"operations": operations}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let elapsed = started.elapsed();
    let applied = response["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"]["type"] == "applied")
        .count();
    println!("push 500 queued operations in one batch: {elapsed:?} ({applied} applied)");
}

/// 50 phones, each its own person with their own commitment, pushing one
/// small edit after another as fast as answers come, for 10 seconds.
async fn parallel_pushers(app: &TestApp) {
    const PHONES: usize = 50;
    let cycle = app.current_cycle().await;
    let mut phones = Vec::new();
    for n in 0..PHONES {
        let login = format!("pusher{n}");
        chengnuo_server::admin::create_account(
            &app.db,
            &login,
            &format!("推送{n}"),
            "软件工程系教师党支部",
            "Teacher",
            None,
            "",
            Some("chengnuo-bench".into()),
        )
        .await
        .unwrap();
        let client = TestApp::new_client();
        let me: Value = client
            .post(app.url("/api/auth/login"))
            .json(&json!({"login": login, "password": "chengnuo-bench"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let commitment = CommitmentId::new().to_string();
        let create = json!({"operations": [{"id": OperationId::new(), "commitment": commitment, "base_revision": null,
            "change": {"type": "create", "cycle": cycle["id"], "committer": {"type": "person", "id": me["person"]["id"]}, "draft": draft(3)}}]});
        client
            .post(app.url("/api/sync/push"))
            .json(&create)
            .send()
            .await
            .unwrap();
        phones.push((client, commitment));
    }
    let until = Instant::now() + std::time::Duration::from_secs(10);
    let started = Instant::now();
    let mut running = tokio::task::JoinSet::new();
    for (client, commitment) in phones {
        let base = app.address.clone();
        running.spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut revision = 1u64;
            while Instant::now() < until {
                let mut text = draft(3);
                text.needs_summary = format!("第{revision}次修改");
                let body = json!({"operations": [{"id": OperationId::new(), "commitment": commitment, "base_revision": revision,
                    "change": {"type": "save_draft", "draft": text}}]});
                let sent = Instant::now();
                let response = client.post(format!("{base}/api/sync/push")).json(&body).send().await.unwrap();
                latencies.push(sent.elapsed());
                if response.status() != 200 {
                    errors += 1;
                    continue;
                }
                let answer: Value = response.json().await.unwrap();
                if let Some(r) = answer["results"][0]["outcome"]["snapshot"]["revision"].as_u64() {
                    revision = r;
                }
            }
            (latencies, errors)
        });
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for (mut l, e) in running.join_all().await {
        latencies.append(&mut l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "50 parallel pushers, one edit per push, 10 s: {} pushes, {:.0} pushes/s, p50 {:?}, p99 {:?}, {errors} answers not 200",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        at(0.5),
        at(0.99)
    );
}

/// Scaling and sending a 12-megapixel photo in headless Chromium (`BENCH_ONLY=evidence`).
async fn evidence() {
    let app = TestApp::with_demo().await;
    app.published_cadre_commitment().await;
    browser_bench(&app, "bench/evidence.mjs").await;
}

/// Runs one of `tests/browser/bench/` against `app`'s server.
async fn browser_bench(app: &TestApp, script: &str) {
    let status = tokio::process::Command::new("node")
        .arg(script)
        .current_dir(workspace_root().join("tests").join("browser"))
        .env("CHENGNUO_URL", &app.address)
        .status()
        .await
        .expect("node runs");
    assert!(status.success(), "{script}");
}

#[tokio::main]
async fn main() {
    // `BENCH_ONLY=school` (or `demo`) runs one half; `claims` the claims queue alone, `evidence` the photo alone, `typing` keydown to paint in a draft of 20 items, `round` an evaluation round of 3,000 members, `dashboard` the supervision dashboard of 3,000 members in 300 units; `instances` the load mix against one and two server instances on one database.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    if only == "claims" {
        school::claims_only().await;
        return;
    }
    if only == "instances" {
        school::instances().await;
        return;
    }
    if only == "backends" {
        backends().await;
        return;
    }
    if only == "evidence" {
        evidence().await;
        return;
    }
    if only == "typing" {
        let app = TestApp::with_demo().await;
        browser_bench(&app, "bench/keystroke.mjs").await;
        return;
    }
    if only == "round" {
        round::run().await;
        return;
    }
    if only == "dashboard" {
        dashboard::run().await;
        return;
    }
    if only != "school" {
        keystroke();
        let app = TestApp::with_demo().await;
        parallel_pushers(&app).await;
        seed(&app, 10_000).await;
        push_500(&app).await;
        pouchdb::compare(&app).await;
        browser_bench(&app, "bench/offline-reload.mjs").await;
        browser_bench(&app, "bench/keystroke.mjs").await;
        evidence().await;
        round::run().await;
        dashboard::run().await;
    }
    if only != "demo" {
        school::run().await;
    }
}
