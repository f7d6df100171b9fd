//! The year set up by the campaign office (年度设置): created from the
//! plan's template with every date editable, checked field by field, changed,
//! made the one in force; nobody else may.

use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::cycle_draft::CycleDraft;
use chengnuo_tests::TestApp;
use serde_json::{json, Value};

fn template(year: i32) -> Value {
    serde_json::to_value(CycleDraft::of(&Cycle::from_template(year))).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_office_sets_up_a_year_and_makes_it_the_one_in_force() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let member = app.login("member").await;
    let before = app.fingerprint().await;

    // Not the members' to do; nothing stored.
    let (status, _) = member.post_json("/api/cycles", template(2031)).await;
    assert_eq!(status, 403);
    // Wrong dates, each named with its reason, in the person's language.
    let mut wrong = template(2031);
    wrong["review"]["start"] = json!("2031-10-20");
    wrong["settings"]["weights"]["mass"] = json!(35);
    wrong["annual_round"]["end"] = json!("不是日期");
    let (status, body) = office.post_json("/api/cycles", wrong).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<(&str, &str)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("annual_round.end", "invalid_date"),
            ("review.start", "must_come_after"),
            ("settings.weights", "weights_must_sum_to_100"),
        ]
    );
    assert!(body["error"]["fields"][1]["message"]
        .as_str()
        .unwrap()
        .contains("2031-10-22"));
    // A year the school has already.
    let current = app.current_cycle().await;
    let year = current["year"].as_i64().unwrap() as i32;
    let (status, body) = office.post_json("/api/cycles", template(year)).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "year_taken");
    assert_eq!(app.fingerprint().await, before);

    // The template, one date moved: created, not yet in force.
    let mut next = template(2031);
    next["draft"]["end"] = json!("2031-10-21");
    next["name"] = json!("2031—2032年度公开承诺");
    let (status, created) = office.post_json("/api/cycles", next.clone()).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["is_current"], false);
    assert_eq!(created["calendar"]["draft"]["end"], "2031-10-21");
    assert_eq!(created["year"], 2031);
    let id = created["id"].as_str().unwrap().to_owned();
    // Changed: the school's time zone and the quorum.
    next["settings"]["utc_offset_minutes"] = json!(420);
    next["settings"]["mass_quorum"] = json!(8);
    let (status, changed) = office.put_json(&format!("/api/cycles/{id}"), next).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["settings"]["utc_offset_minutes"], 420);
    // In force: what every phone reads as the current cycle.
    let (status, _) = member
        .post_json(&format!("/api/cycles/{id}/current"), json!({}))
        .await;
    assert_eq!(status, 403);
    let (status, _) = office
        .post_json(&format!("/api/cycles/{id}/current"), json!({}))
        .await;
    assert_eq!(status, 200);
    let now = app.current_cycle().await;
    assert_eq!(now["id"], id.as_str());
    assert_eq!(now["settings"]["mass_quorum"], 8);
    let all = member.get_json("/api/cycles").await;
    assert_eq!(
        all.as_array()
            .unwrap()
            .iter()
            .filter(|c| c["is_current"] == true)
            .count(),
        1
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'cycle' AND subject_id = $1",
    )
    .bind(&id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_office_opens_and_closes_rounds_one_at_a_time() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let member = app.login("member").await;
    let cycle = app.current_cycle().await;
    let id = cycle["id"].as_str().unwrap();
    let path = format!("/api/cycles/{id}/rounds");
    let quarter = &cycle["calendar"]["quarterly_rounds"][0];
    let draft =
        json!({"kind": "Quarterly", "opens_on": quarter["start"], "closes_on": quarter["end"]});
    let held_before = member.get_json(&path).await.as_array().unwrap().len();

    assert_eq!(member.post_json(&path, draft.clone()).await.0, 403);
    let (status, body) = office
        .post_json(
            &path,
            json!({"kind": "Quarterly", "opens_on": "2000-01-01", "closes_on": quarter["end"]}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "opens_on");
    assert_eq!(body["error"]["fields"][0]["code"], "date_outside");

    let (status, round) = office.post_json(&path, draft.clone()).await;
    assert_eq!(status, 201, "{round}");
    assert_eq!(round["is_closed"], false);
    let (status, body) = office.post_json(&path, draft.clone()).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "round_still_open");
    // Everyone signed in reads the rounds (phones learn the round is open).
    let rounds = member.get_json(&path).await;
    assert_eq!(rounds.as_array().unwrap().len(), held_before + 1);

    let close = format!("/api/rounds/{}/close", round["id"].as_str().unwrap());
    assert_eq!(member.post_json(&close, json!({})).await.0, 403);
    let (status, closed) = office.post_json(&close, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(closed["is_closed"], true);
    let (status, body) = office.post_json(&close, json!({})).await;
    assert_eq!(status, 409, "closing is final: {body}");
    assert_eq!(body["error"]["fields"][0]["code"], "round_not_open");
    // Closed, the next one may open.
    assert_eq!(office.post_json(&path, draft).await.0, 201);
}

/// A year under way is edited: fulfilment cannot end before a round already
/// opened ends, nor before an item already promised is due (422 at the
/// field, nothing stored); every setting of the year can be changed.
#[tokio::test(flavor = "multi_thread")]
async fn a_year_under_way_keeps_its_rounds_and_promised_items_inside_fulfilment() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let published = app.published_cadre_commitment().await;
    let cycle = app.current_cycle().await;
    let id = cycle["id"].as_str().unwrap().to_owned();
    let round = app.open_round_today(&id).await;
    let (round_ends,): (String,) = sqlx::query_as("SELECT closes_on FROM rounds WHERE id = $1")
        .bind(&round)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let as_draft = |cycle: &Value| {
        let cycle: Cycle = serde_json::from_value(cycle.clone()).unwrap();
        serde_json::to_value(CycleDraft::of(&cycle)).unwrap()
    };
    let latest_deadline = published["fulfilment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["deadline"].as_str().unwrap().to_owned())
        .max()
        .unwrap();
    let day_before = |day: &str| {
        (chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap() - chrono::Duration::days(1))
            .to_string()
    };
    // Fulfilment ending the day before the later of the two: refused there.
    let latest = round_ends.clone().max(latest_deadline.clone());
    let mut shorter = as_draft(&cycle);
    shorter["fulfilment_until"] = json!(day_before(&latest));
    // The rounds of the calendar stay inside it (their own check).
    for round in shorter["quarterly_rounds"].as_array_mut().unwrap() {
        round["start"] = json!(day_before(&day_before(&latest)));
        round["end"] = json!(day_before(&day_before(&latest)));
    }
    shorter["quarterly_rounds"] = json!([shorter["quarterly_rounds"][0].clone()]);
    shorter["annual_round"] = json!({"start": day_before(&latest), "end": day_before(&latest)});
    let (status, body) = office.put_json(&format!("/api/cycles/{id}"), shorter).await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["fulfilment_until"], "{body}");
    assert!(
        body["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&latest),
        "the date it cannot precede is said: {body}"
    );
    assert_eq!(app.current_cycle().await, cycle, "nothing stored");
    // Every setting of the year, changed.
    let mut settings = as_draft(&cycle);
    settings["settings"]["member_min_items"] = json!(3);
    settings["settings"]["cadre_min_items"] = json!(4);
    settings["settings"]["rectification_days"] = json!(45);
    settings["settings"]["publication_grace_days"] = json!(20);
    let (status, changed) = office
        .put_json(&format!("/api/cycles/{id}"), settings)
        .await;
    assert_eq!(status, 200, "{changed}");
    let now = app.current_cycle().await;
    assert_eq!(now["settings"]["member_min_items"], 3);
    assert_eq!(now["settings"]["cadre_min_items"], 4);
    assert_eq!(now["settings"]["rectification_days"], 45);
    assert_eq!(now["settings"]["publication_grace_days"], 20);
}
