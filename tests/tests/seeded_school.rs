//! The seeded school the benchmarks run on, at a reduced size: the shape it
//! promises (every unit with a secretary, every member with an account and a
//! commitment every year, finished years graded, the current year under way
//! with commitments in every state), served correctly by the real server,
//! and refused on a database that has people.

use chengnuo_tests::TestApp;
use serde_json::{json, Value};
use std::collections::BTreeMap;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seeded_school_has_the_promised_shape_and_is_served() {
    let app = TestApp::with_school(400, 3).await;

    // The tree: committees of branches, a secretary for each.
    let branches = count(&app, "SELECT COUNT(*) FROM org_units WHERE kind = 'Branch'").await;
    assert_eq!(branches, 16, "branches of about 25 members");
    // 400, and the `branch` account's branch made 60 strong.
    let people = count(&app, "SELECT COUNT(*) FROM persons").await;
    assert_eq!(people, 400 - 25 + 60, "everyone");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM accounts").await, people);
    let branch = app.login("branch").await;
    let in_branch = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM persons WHERE branch_id = '{}'",
            branch.branch_id()
        ),
    )
    .await;
    assert_eq!(in_branch, 60);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(DISTINCT unit_id) FROM role_grants WHERE role = 'BranchSecretary'"
        )
        .await,
        branches
    );

    // Three cycles; every member (but the secretaries, who commit as the
    // branch), every branch and committee commits every year.
    let cycles: Vec<(String, i64, i64)> =
        sqlx::query_as("SELECT id, year, is_current FROM cycles ORDER BY year")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(cycles.len(), 3);
    assert!(cycles[2].2 == 1 && cycles[0].2 == 0 && cycles[1].2 == 0);
    let committees = count(
        &app,
        "SELECT COUNT(*) FROM org_units WHERE kind = 'Committee'",
    )
    .await;
    for (cycle, year, current) in &cycles {
        let states: BTreeMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
            "SELECT state, COUNT(*) FROM commitments WHERE cycle_id = $1 GROUP BY state",
        )
        .bind(cycle)
        .fetch_all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .collect();
        let total: i64 = states.values().sum();
        // Every person but the branch secretaries, every branch, every committee.
        assert_eq!(total, people - branches + branches + committees, "{year}");
        if *current == 1 {
            for state in [
                "Draft",
                "Submitted",
                "Returned",
                "Approved",
                "Signed",
                "Published",
            ] {
                assert!(
                    states.get(state).is_some_and(|n| *n > 0),
                    "{state}: {states:?}"
                );
            }
        } else {
            assert_eq!(states.get("Published"), Some(&total), "{year}");
            // Three rounds, every commitment graded in each.
            let results = count(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM round_results r JOIN rounds o ON o.id = r.round_id \
                     WHERE o.cycle_id = '{cycle}' AND r.grade IS NOT NULL"
                ),
            )
            .await;
            assert_eq!(results, 3 * total, "{year}");
        }
    }
    assert!(count(&app, "SELECT COUNT(*) FROM progress_entries").await > 1000);
    assert!(count(&app, "SELECT COUNT(*) FROM rectification_orders").await > 0);
    assert!(count(&app, "SELECT COUNT(*) FROM feedback").await > 0);

    // The board holds every published commitment, year by year.
    let visitor = app.visitor();
    let first = visitor.get_json("/api/board").await;
    assert_eq!(first["years"].as_array().unwrap().len(), 3);
    for (cycle, year, _) in &cycles {
        let published = count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM commitments WHERE cycle_id = '{cycle}' AND state = 'Published'"
            ),
        )
        .await;
        let mut seen = 0;
        let mut offset = Some(0);
        while let Some(at) = offset {
            let page = visitor
                .get_json(&format!("/api/board?year={year}&offset={at}"))
                .await;
            seen += page["items"].as_array().unwrap().len() as i64;
            offset = page["next"].as_u64();
        }
        assert_eq!(seen, published, "{year}");
    }

    // The named accounts sign in: the member has their own commitments of
    // every year, the branch secretary their branch's.
    let member = app.login("member").await;
    let (_, pulled) = member
        .post_json("/api/sync/pull", json!({"since": 0}))
        .await;
    let mine: Vec<&Value> = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["committer"]["id"] == member.person_id().as_str())
        .collect();
    assert_eq!(mine.len(), 3, "their own commitment of every year");
    assert_eq!(
        mine.iter()
            .filter(|c| c["cycle"] == cycles[2].0.as_str())
            .count(),
        1,
        "this year's"
    );
    let listed = branch.get_json("/api/commitments").await;
    assert!(listed.as_array().unwrap().len() > 20, "the branch's people");
}

#[tokio::test(flavor = "multi_thread")]
async fn seeding_refuses_a_database_that_has_people() {
    let app = TestApp::with_demo().await;
    let before = count(&app, "SELECT COUNT(*) FROM commitments").await;
    let size = chengnuo_server::demo::school::SchoolSize {
        members: 100,
        years: 1,
        units: None,
    };
    let refused = chengnuo_server::demo::school::seed(&app.db, size, chrono::Utc::now()).await;
    assert!(refused.is_err());
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM commitments").await,
        before
    );
}
