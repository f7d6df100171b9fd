//! The supervision dashboard (督查): its counts equal what the database
//! holds (counted here in SQL, independently of the domain's counting), the
//! rows add up to the total at every level of the drill-down, each person
//! sees only the subtree they supervise, and the table exports as a workbook.

use chengnuo_tests::{school_today, TestApp, User};
use serde_json::json;
use serde_json::Value;

const COLUMNS: [&str; 24] = [
    "commitments",
    "draft",
    "submitted",
    "returned",
    "approved",
    "signed",
    "published",
    "items",
    "due",
    "crossed_off",
    "due_crossed_off",
    "overdue",
    "claims_waiting",
    "ballots",
    "quorum_reached",
    "in_force",
    "excellent",
    "competent",
    "basically_competent",
    "not_competent",
    "reports_on_time",
    "reports_late",
    "reports_missing",
    "reports_pending",
];

fn sum(rows: &[Value]) -> Vec<u64> {
    COLUMNS
        .iter()
        .map(|c| rows.iter().map(|r| r["counts"][c].as_u64().unwrap()).sum())
        .collect()
}

fn counts(value: &Value) -> Vec<u64> {
    COLUMNS.iter().map(|c| value[c].as_u64().unwrap()).collect()
}

async fn scalar(app: &TestApp, sql: &str, cycle: &str) -> u64 {
    let n: i64 = sqlx::query_scalar(sql)
        .bind(cycle)
        .fetch_one(&app.db)
        .await
        .unwrap();
    n as u64
}

/// Each level's rows add up to its total (plus its own report package), and
/// a unit's total is its row one level up.
async fn walk_down(user: &User, path: &str, row_counts: Option<Vec<u64>>) -> Value {
    let dashboard = user.get_json(path).await;
    let rows = dashboard["rows"].as_array().unwrap().clone();
    let total = counts(&dashboard["total"]);
    let mut summed = sum(&rows);
    if dashboard["kind"] == "Committee" {
        // the committee's own package counts on its total, not on a row
        for (i, c) in COLUMNS.iter().enumerate() {
            if c.starts_with("reports_") {
                summed[i] = total[i];
            }
        }
    }
    assert_eq!(summed, total, "{path}: the rows add up to the total");
    if let Some(expected) = row_counts {
        assert_eq!(total, expected, "{path}: equal to its row one level up");
    }
    dashboard
}

#[tokio::test]
async fn the_schools_dashboard_counts_what_the_database_holds_and_drills_down() {
    let app = TestApp::with_demo().await;
    // one commitment in force, with items and their deadlines
    let published = app.published_cadre_commitment().await;
    let cycle = published["cycle"].as_str().unwrap().to_owned();
    let office = app.login("office").await;

    let school = walk_down(&office, "/api/dashboard", None).await;
    assert_eq!(school["kind"], "School");
    assert_eq!(school["as_of"], school_today().to_string());
    let total = &school["total"];
    // the same counts, straight from the database
    let in_cycle = "SELECT COUNT(*) FROM commitments WHERE cycle_id = $1";
    assert_eq!(total["commitments"], scalar(&app, in_cycle, &cycle).await);
    for state in [
        "Draft",
        "Submitted",
        "Returned",
        "Approved",
        "Signed",
        "Published",
    ] {
        let sql = format!("{in_cycle} AND state = '{state}'");
        assert_eq!(
            total[state.to_lowercase()],
            scalar(&app, &sql, &cycle).await,
            "{state}"
        );
    }
    // the items of every commitment in force, read from the stored dossiers
    let dossiers: Vec<String> = sqlx::query_scalar(
        "SELECT dossier FROM commitments WHERE cycle_id = $1 AND state IN ('Signed', 'Published')",
    )
    .bind(&cycle)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let items: Vec<Value> = dossiers
        .iter()
        .flat_map(|d| {
            let dossier: Value = serde_json::from_str(d).unwrap();
            dossier["fulfilment"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    let count = |keep: &dyn Fn(&Value) -> bool| items.iter().filter(|i| keep(i)).count();
    assert_eq!(total["items"], items.len());
    assert!(!items.is_empty(), "the published commitment's items");
    let today = school_today().to_string();
    let deadline = |i: &Value| i["deadline"].as_str().unwrap().to_owned();
    assert_eq!(total["due"], count(&|i| deadline(i) <= today));
    assert_eq!(
        total["overdue"],
        count(&|i| i["state"] == "Open" && deadline(i) < today)
    );
    assert_eq!(total["crossed_off"], count(&|i| i["state"] == "CrossedOff"));
    assert_eq!(
        total["due_crossed_off"],
        count(&|i| i["state"] == "CrossedOff" && deadline(i) <= today)
    );
    let committees = "SELECT COUNT(*) FROM org_units WHERE kind = 'Committee' AND $1 IS NOT NULL";
    let reports = [
        "reports_on_time",
        "reports_late",
        "reports_missing",
        "reports_pending",
    ]
    .iter()
    .map(|c| total[c].as_u64().unwrap())
    .sum::<u64>();
    assert_eq!(reports, scalar(&app, committees, &cycle).await);
    assert_eq!(
        school["progress"].as_array().unwrap().last().unwrap()["due"],
        total["items"]
    );

    // down to the cadre's committee, its branch, the commitment
    let committee = app.login("committee").await;
    let committee_id = committee.committee_id();
    let row = |dashboard: &Value, id: &str| {
        dashboard["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["subject"]["Unit"]["id"] == id)
            .map(|r| counts(&r["counts"]))
            .expect("a row for the unit")
    };
    let expected = row(&school, &committee_id);
    let at_committee = walk_down(
        &office,
        &format!("/api/dashboard?unit={committee_id}"),
        Some(expected),
    )
    .await;
    let names: Vec<&str> = at_committee["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 1, "the office's way down: the school");
    let cadre = app.login("cadre").await;
    let branch_id = cadre.branch_id();
    let expected = row(&at_committee, &branch_id);
    let at_branch = walk_down(
        &office,
        &format!("/api/dashboard?unit={branch_id}"),
        Some(expected),
    )
    .await;
    let line = at_branch["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["subject"]["Commitment"]["id"] == published["id"])
        .expect("the published commitment has its own row");
    assert_eq!(line["counts"]["published"], 1);
    assert_eq!(line["subject"]["Commitment"]["number"], published["number"]);
    assert_eq!(
        line["counts"]["items"].as_u64().unwrap() as usize,
        published["fulfilment"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn each_person_sees_only_the_subtree_they_supervise() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let committee = app.login("committee").await;
    let branch = app.login("branch").await;
    let leader = app.login("leader").await;
    let member = app.login("member").await;
    let committee_id = committee.committee_id();
    let school = office.get_json("/api/dashboard").await;
    let school_id = school["unit"]["id"].as_str().unwrap().to_owned();
    let other_committee = school["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["subject"]["Unit"]["id"].as_str())
        .find(|id| *id != committee_id)
        .expect("another committee")
        .to_owned();

    // a committee secretary lands on their committee, never above or beside it
    let own = committee.get_json("/api/dashboard").await;
    assert_eq!(own["unit"]["id"], committee_id.as_str());
    assert_eq!(own["mine"][0]["id"], committee_id.as_str());
    assert_eq!(own["path"].as_array().unwrap().len(), 0);
    for unit in [&school_id, &other_committee] {
        let (status, _) = committee
            .send("GET", &format!("/api/dashboard?unit={unit}"), None)
            .await;
        assert_eq!(status, 404, "a committee secretary on {unit}");
        let (status, _) = committee
            .send("GET", &format!("/api/dashboard/workbook?unit={unit}"), None)
            .await;
        assert_eq!(status, 404);
    }
    // a leader assigned to the committee sees it
    let (status, body) = leader
        .send("GET", &format!("/api/dashboard?unit={committee_id}"), None)
        .await;
    assert_eq!(status, 200, "{body}");
    // a branch secretary sees their branch only
    let own = branch.get_json("/api/dashboard").await;
    assert_eq!(own["unit"]["id"], branch.branch_id().as_str());
    let (status, _) = branch
        .send("GET", &format!("/api/dashboard?unit={committee_id}"), None)
        .await;
    assert_eq!(status, 404);
    // a member supervises nothing; the public is not signed in
    assert_eq!(member.send("GET", "/api/dashboard", None).await.0, 403);
    assert_eq!(
        member
            .send(
                "GET",
                &format!("/api/dashboard?unit={}", member.branch_id()),
                None
            )
            .await
            .0,
        404
    );
    assert_eq!(
        app.visitor().send("GET", "/api/dashboard", None).await.0,
        401
    );
    // an unknown unit is as absent as one out of sight
    let (status, _) = office
        .send(
            "GET",
            &format!("/api/dashboard?unit={}", chengnuo_tests::new_id()),
            None,
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_dashboard_exports_as_a_workbook_with_a_row_per_line() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let dashboard = office.get_json("/api/dashboard").await;
    let response = office
        .client
        .get(app.url("/api/dashboard/workbook?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx workbook");
    use calamine::Reader;
    assert_eq!(workbook.sheet_names(), ["Supervision"]);
    let range = workbook.worksheet_range("Supervision").unwrap();
    let cells: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let lines = dashboard["rows"].as_array().unwrap();
    // title, headings, a row per line, the total
    assert_eq!(cells.len(), lines.len() + 3);
    assert_eq!(cells[1][0], "Unit / committer");
    assert_eq!(cells[1][1], "Commitments");
    for (line, row) in lines.iter().zip(&cells[2..]) {
        if let Some(name) = line["subject"]["Unit"]["name"].as_str() {
            assert_eq!(row[0], name);
        }
        let expected: Vec<String> = counts(&line["counts"])
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(row[1..=COLUMNS.len()], expected[..]);
    }
    let last = cells.last().unwrap();
    assert_eq!(last[0], "Total");
    let expected: Vec<String> = counts(&dashboard["total"])
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(last[1..=COLUMNS.len()], expected[..]);
    let member = app.login("member").await;
    assert_eq!(
        member.send("GET", "/api/dashboard/workbook", None).await.0,
        403
    );
}

fn titles(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap().to_owned())
        .collect()
}

/// 情况通报: drafted from the unit's dashboard, edited, numbered per unit,
/// delivered to everyone in the unit's scope and no one else, on the board
/// only when chosen.
#[tokio::test]
async fn a_circular_is_drafted_from_the_dashboard_numbered_and_reaches_its_scope() {
    let app = TestApp::with_demo().await;
    let committee = app.login("committee").await;
    let member = app.login("member").await;
    let office = app.login("office").await;
    let unit = committee.committee_id();
    let dashboard = committee
        .get_json(&format!("/api/dashboard?unit={unit}"))
        .await;
    let mut draft = committee
        .get_json(&format!("/api/circulars/draft?unit={unit}"))
        .await;
    let title = draft["title"].as_str().unwrap().to_owned();
    assert!(title.ends_with("（第 1 期）"), "{title}");
    let body = draft["body"].as_str().unwrap().to_owned();
    assert!(
        body.contains(&format!(
            "共有公开承诺 {} 份，其中已公示 {} 份",
            dashboard["total"]["commitments"], dashboard["total"]["published"]
        )),
        "{body}"
    );

    // refused by field, nothing published
    let mut empty = draft.clone();
    empty["title"] = json!("  ");
    let (status, refused) = committee.post_json("/api/circulars", empty).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["field"], "title");
    assert_eq!(member.get_json("/api/circulars").await, json!([]));

    // edited and published on the board: number 1, then 2
    draft["body"] = json!(format!("{body}\n请各支部对照整改。"));
    draft["on_board"] = json!(true);
    let (status, first) = committee.post_json("/api/circulars", draft.clone()).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["number"], 1);
    assert!(first["body"]
        .as_str()
        .unwrap()
        .ends_with("请各支部对照整改。"));
    draft["on_board"] = json!(false);
    draft["title"] = json!("内部通报");
    let (_, second) = committee.post_json("/api/circulars", draft.clone()).await;
    assert_eq!(second["number"], 2);
    let next = committee
        .get_json(&format!("/api/circulars/draft?unit={unit}"))
        .await;
    assert!(next["title"].as_str().unwrap().ends_with("（第 3 期）"));

    // the committee's members get both; someone of another committee neither
    assert_eq!(
        titles(&member.get_json("/api/circulars").await),
        ["内部通报", title.as_str()]
    );
    let elsewhere = office.branch_id();
    let (status, account) = office
        .post_json(
            "/api/admin/accounts",
            json!({"name": "周外", "branch": elsewhere, "category": "Staff", "login": "zhouwai"}),
        )
        .await;
    assert_eq!(status, 201, "{account}");
    let outsider = TestApp::new_client();
    let response = outsider
        .post(app.url("/api/auth/login"))
        .json(&json!({"login": "zhouwai", "password": account["password"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let outsider = User {
        client: outsider,
        me: response.json().await.unwrap(),
        base: app.address.clone(),
    };
    // Their own password first: a one-time password opens nothing else.
    let (status, _) = outsider
        .post_json(
            "/api/auth/password",
            json!({"current": account["password"], "new": "zhouwai-own-secret", "repeat": "zhouwai-own-secret"}),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(outsider.get_json("/api/circulars").await, json!([]));
    let internal = second["id"].as_str().unwrap();
    assert_eq!(
        outsider
            .send("GET", &format!("/api/circulars/{internal}"), None)
            .await
            .0,
        404
    );
    assert_eq!(
        app.visitor()
            .send("GET", &format!("/api/circulars/{internal}"), None)
            .await
            .0,
        404
    );
    assert_eq!(
        member.get_json(&format!("/api/circulars/{internal}")).await["title"],
        "内部通报"
    );
    // the one on the board is anyone's
    let public = first["id"].as_str().unwrap();
    assert_eq!(
        app.visitor()
            .get_json(&format!("/api/circulars/{public}"))
            .await["number"],
        1
    );
    assert_eq!(
        titles(&app.visitor().get_json("/api/board/circulars").await),
        [title.as_str()]
    );

    // the office's notice reaches the whole school, the outsider included
    let school = office.get_json("/api/dashboard").await["unit"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let school_draft = office
        .get_json(&format!("/api/circulars/draft?unit={school}&lang=en"))
        .await;
    assert!(school_draft["title"]
        .as_str()
        .unwrap()
        .ends_with("progress notice no. 1"));
    let (status, _) = office
        .post_json("/api/circulars", school_draft.clone())
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        titles(&outsider.get_json("/api/circulars").await),
        [school_draft["title"].as_str().unwrap()]
    );

    // who may not: a committee secretary for the school, a leader, a member
    for (user, unit) in [
        (&committee, &school),
        (&app.login("leader").await, &unit),
        (&member, &member.branch_id()),
    ] {
        let (status, body) = user
            .send("GET", &format!("/api/circulars/draft?unit={unit}"), None)
            .await;
        assert!(status == 403 || status == 404, "{status} {body}");
        let mut attempt = school_draft.clone();
        attempt["unit"] = json!(unit);
        let (status, _) = user.post_json("/api/circulars", attempt).await;
        assert!(status == 403 || status == 404, "{status}");
    }
    assert_eq!(titles(&member.get_json("/api/circulars").await).len(), 3);
}
