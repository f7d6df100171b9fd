//! The supervision dashboard of a school of 3,000 members in 300 units with
//! a year of data (`BENCH_ONLY=dashboard`): commitments in every state,
//! items crossed off, claimed and overdue, an annual round closed with
//! ballots and grades, the report packages. The server's time to answer the
//! office (the whole school), a committee and a branch, one request after
//! another; then, in headless Chromium on a phone, the time from opening the
//! dashboard to its first chart.

use chengnuo_server::demo::school::SchoolSize;
use chengnuo_tests::TestApp;
use serde_json::json;
use std::time::{Duration, Instant};

const MEMBERS: usize = 3_000;
const UNITS: usize = 300;
const REQUESTS: usize = 40;

async fn timed(user: &chengnuo_tests::User, path: &str) -> (Vec<Duration>, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..REQUESTS {
        let asked = Instant::now();
        let response = user
            .client
            .get(format!("{}{path}", user.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        size = response.bytes().await.unwrap().len();
        times.push(asked.elapsed());
    }
    times.sort();
    (times, size)
}

pub async fn run() {
    let started = Instant::now();
    let app = TestApp::with_school_of(SchoolSize {
        members: MEMBERS,
        years: 1,
        units: Some(UNITS),
    })
    .await;
    let units: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units WHERE kind != 'School'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let office = app.login("office").await;
    let cycle = app.current_cycle().await;
    let cycle_id = cycle["id"].as_str().unwrap().to_owned();
    // An annual round: every commitment in force scored and voted on
    // (straight into the tables), then closed by the office (the grades).
    let round = app.open_round_today(&cycle_id).await;
    crate::round::score_in_force(&app, &round, &cycle_id, &office.person_id()).await;
    sqlx::query(
        "INSERT INTO mass_tallies (round_id, commitment_id, satisfied, fairly_satisfied, dissatisfied) \
         SELECT $1, id, abs(random()) % 8, abs(random()) % 3, abs(random()) % 2 FROM commitments \
         WHERE cycle_id = $2 AND state IN ('Signed', 'Published')",
    )
    .bind(&round)
    .bind(&cycle_id)
    .execute(&app.db)
    .await
    .unwrap();
    let (status, body) = office
        .post_json(&format!("/api/rounds/{round}/close"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    let commitments: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM commitments WHERE cycle_id = $1")
            .bind(&cycle_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    println!(
        "dashboard: a school of {MEMBERS} members in {units} units, {commitments} commitments this year, a round closed, ready in {:.1?}",
        started.elapsed()
    );
    let school = office.get_json("/api/dashboard").await;
    let committee = school["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r["subject"]["Unit"]["id"].as_str())
        .unwrap()
        .to_owned();
    let at_committee = office
        .get_json(&format!("/api/dashboard?unit={committee}"))
        .await;
    let branch = at_committee["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|r| r["subject"]["Unit"]["id"].as_str())
        .unwrap()
        .to_owned();
    for (what, path) in [
        ("the school (office)", "/api/dashboard".to_owned()),
        ("a committee", format!("/api/dashboard?unit={committee}")),
        ("a branch", format!("/api/dashboard?unit={branch}")),
        (
            "the school's workbook",
            "/api/dashboard/workbook".to_owned(),
        ),
    ] {
        let (times, size) = timed(&office, &path).await;
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "dashboard: {what}: {REQUESTS} requests one after another, p50 {:.1?}, p90 {:.1?}, max {:.1?} ({size} B)",
            at(0.5),
            at(0.9),
            times[times.len() - 1]
        );
    }
    println!(
        "dashboard: the school's totals: {} commitments, {} items, {} crossed off, {} overdue, {} graded",
        school["total"]["commitments"],
        school["total"]["items"],
        school["total"]["crossed_off"],
        school["total"]["overdue"],
        ["excellent", "competent", "basically_competent", "not_competent"]
            .iter()
            .map(|g| school["total"][g].as_u64().unwrap())
            .sum::<u64>()
    );
    crate::browser_bench(&app, "bench/dashboard.mjs").await;
    roster_upload(&app, &office).await;
}

/// The office uploads a roster of a new committee: 100 branches and 3,000
/// people, each with an account (a one-time password made and hashed for
/// each), in one request.
async fn roster_upload(app: &TestApp, office: &chengnuo_tests::User) {
    const PEOPLE: usize = 3_000;
    const BRANCHES: usize = 100;
    let units = office.get_json("/api/admin/units").await;
    let school = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["kind"] == "School")
        .unwrap()["unit"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut csv = String::from(
        "type,name,parent,kind,short_name,category,cadre_rank,activist,title,login,role\n",
    );
    csv.push_str(&format!(
        "unit,基准学院分党委,{school},Committee,基准,,,,,,\n"
    ));
    for b in 0..BRANCHES {
        csv.push_str(&format!(
            "unit,基准第{b}党支部,基准学院分党委,Student,,,,,,,\n"
        ));
    }
    for p in 0..PEOPLE {
        csv.push_str(&format!(
            "person,基准{p},基准第{}党支部,,,Student,,,,bench{p},\n",
            p % BRANCHES
        ));
    }
    let started = Instant::now();
    let response = office
        .client
        .post(app.url("/api/admin/roster"))
        .header("content-type", "text/csv")
        .body(csv.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let imported: serde_json::Value = response.json().await.unwrap();
    println!(
        "dashboard: a roster of {} units and {} people with accounts ({} B of CSV) uploaded and imported in {:.1?}",
        imported["units"],
        imported["people"],
        csv.len(),
        started.elapsed()
    );
}
