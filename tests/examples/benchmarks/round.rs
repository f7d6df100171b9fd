//! A round for a school of 3,000 members (`BENCH_ONLY=round`): every
//! commitment in force scored by a leader (an upper bound: leaders score
//! units and cadres only) and by its parent unit, codes
//! issued for every branch through the API, 10,000 ballots cast through the
//! API by 32 phones at once, then the office closes the round: the time to
//! compute and keep every result (the domain's `assess`) and, the round being
//! annual, every rectification order.

use chengnuo_tests::TestApp;
use serde_json::{json, Value};
use std::time::Instant;

const MEMBERS: usize = 3_000;
const BALLOTS: usize = 10_000;
const PHONES: usize = 32;

/// Every commitment in force scored by a leader and by its parent unit
/// (written straight to the table: the sync path is measured elsewhere).
pub async fn score_in_force(app: &TestApp, round: &str, cycle: &str, scorer: &str) {
    for (assessor, base) in [("Leader", 70), ("Organization", 75)] {
        sqlx::query(
            "INSERT INTO assessments (round_id, commitment_id, assessor, scorer_id, score, comment, scored_at) \
             SELECT $1, id, $2, $3, $4 + (abs(random()) % 26), '点评', '2026-01-01T00:00:00Z' FROM commitments \
             WHERE cycle_id = $5 AND state IN ('Signed', 'Published')",
        )
        .bind(round)
        .bind(assessor)
        .bind(scorer)
        .bind(base)
        .bind(cycle)
        .execute(&app.db)
        .await
        .unwrap();
    }
}

pub async fn run() {
    let started = Instant::now();
    let app = TestApp::with_school(MEMBERS, 1).await;
    println!(
        "round: a school of {MEMBERS} members seeded in {:.1?}",
        started.elapsed()
    );
    let office = app.login("office").await;
    let cycle = app.current_cycle().await;
    let cycle_id = cycle["id"].as_str().unwrap().to_owned();
    let round = app.open_round_today(&cycle_id).await;
    sqlx::query("UPDATE rounds SET kind = 'Annual' WHERE id = $1")
        .bind(&round)
        .execute(&app.db)
        .await
        .unwrap();
    score_in_force(&app, &round, &cycle_id, &office.person_id()).await;
    let scored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assessments WHERE round_id = $1")
        .bind(&round)
        .fetch_one(&app.db)
        .await
        .unwrap();
    // Codes for every branch with something published, through the API.
    let branches: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT branch_id FROM board_entries WHERE cycle_id = $1 AND branch_id IS NOT NULL",
    )
    .bind(&cycle_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let per_branch = BALLOTS.div_ceil(branches.len());
    let issuing = Instant::now();
    let mut codes = Vec::new();
    for branch in &branches {
        let (status, sheet) = office
            .post_json(
                &format!("/api/rounds/{round}/codes"),
                json!({"unit": branch, "count": per_branch}),
            )
            .await;
        assert_eq!(status, 201, "{sheet}");
        codes.extend(
            sheet["codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].as_str().unwrap().to_owned()),
        );
    }
    codes.truncate(BALLOTS);
    println!(
        "round: {} codes issued for {} branches (with their QR codes) in {:.1?}",
        codes.len(),
        branches.len(),
        issuing.elapsed()
    );
    // 10,000 ballots, 32 phones at once: each reads its paper and casts.
    let casting = Instant::now();
    let codes = std::sync::Arc::new(std::sync::Mutex::new(codes));
    let mut phones = Vec::new();
    for _ in 0..PHONES {
        let codes = codes.clone();
        let phone = app.visitor();
        phones.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let Some(code) = codes.lock().unwrap().pop() else {
                    break;
                };
                let asked = Instant::now();
                let (status, paper) = phone
                    .post_json("/api/ballots/paper", json!({"code": code}))
                    .await;
                assert_eq!(status, 200, "{paper}");
                let choices: Vec<Value> = paper["subjects"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .enumerate()
                    .map(|(n, s)| {
                        let ballot =
                            ["Satisfied", "FairlySatisfied", "Satisfied", "Dissatisfied"][n % 4];
                        json!({"commitment": s["id"], "ballot": ballot})
                    })
                    .collect();
                let (status, body) = phone
                    .post_json("/api/ballots", json!({"code": code, "choices": choices}))
                    .await;
                assert_eq!(status, 201, "{body}");
                latencies.push(asked.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for phone in phones {
        latencies.extend(phone.await.unwrap());
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "round: {} ballots (paper + cast) by {PHONES} phones at once in {:.1?}: {:.0} ballots/s, p50 {:.1?}, p99 {:.1?}",
        latencies.len(),
        casting.elapsed(),
        latencies.len() as f64 / casting.elapsed().as_secs_f64(),
        at(0.5),
        at(0.99)
    );
    let counted: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(satisfied + fairly_satisfied + dissatisfied), 0) FROM mass_tallies WHERE round_id = $1",
    )
    .bind(&round)
    .fetch_one(&app.db)
    .await
    .unwrap();
    // The close: every result computed and kept, rectification ordered.
    let closing = Instant::now();
    let (status, body) = office
        .post_json(&format!("/api/rounds/{round}/close"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let closed = closing.elapsed();
    let results: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM round_results WHERE round_id = $1")
        .bind(&round)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let orders: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM rectification_orders WHERE round_id = $1")
            .bind(&round)
            .fetch_one(&app.db)
            .await
            .unwrap();
    println!(
        "round: close of the annual round: {results} results ({scored} scores, {counted} choices counted) and {orders} rectification orders computed and kept in {closed:.1?}"
    );
    let board = Instant::now();
    let published = app.visitor().get_json("/api/board/results").await;
    println!(
        "round: the board's results ({} grades) read in {:.1?}",
        published[0]["grades"].as_array().map_or(0, Vec::len),
        board.elapsed()
    );
}
