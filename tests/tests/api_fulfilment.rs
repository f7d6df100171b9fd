//! After publication: public feedback and its moderation, the ledger (progress,
//! claims, crossing off), evaluation results, and the committee's report package.

use chengnuo_tests::TestApp;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread")]
async fn anyone_leaves_feedback_during_display_and_the_unit_moderates_it() {
    let app = TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let id = published["id"].as_str().unwrap();
    let visitor = app.visitor();
    let path = format!("/api/board/{id}/feedback");

    // Markup is stored and answered as the text typed, never interpreted.
    let (status, entry) = visitor
        .send(
            "POST",
            &path,
            Some(json!({"name": "", "text": "<script>alert('x')</script> 建议每月公布进展"})),
        )
        .await;
    assert_eq!(status, 201, "{entry}");
    assert_eq!(
        entry["text"],
        "<script>alert('x')</script> 建议每月公布进展"
    );
    assert_eq!(entry["name"], Value::Null);

    // Empty text is refused by field, in the caller's language; nothing is stored.
    let before = app.fingerprint().await;
    let response = visitor
        .client
        .post(app.url(&path))
        .header("Accept-Language", "en")
        .json(&json!({"name": "张老师", "text": "   "}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "text");
    assert_eq!(
        body["error"]["fields"][0]["message"],
        "This field is required."
    );
    let (status, body) = visitor
        .send("POST", &path, Some(json!({"text": "长".repeat(501)})))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "too_long");
    assert_eq!(app.fingerprint().await, before);

    // A commitment not on display takes none (last year's window closed).
    let old: Vec<String> = sqlx::query_scalar(
        "SELECT c.id FROM commitments c JOIN cycles y ON y.id = c.cycle_id WHERE c.state = 'Published' ORDER BY y.year LIMIT 1",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let (status, body) = visitor
        .send(
            "POST",
            &format!("/api/board/{}/feedback", old[0]),
            Some(json!({"text": "好"})),
        )
        .await;
    // Well-formed, not possible now: 409, the reason by field.
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "not_now");
    assert_eq!(body["error"]["fields"][0]["code"], "feedback_closed");
    // A draft is not on the board at all.
    let draft: String =
        sqlx::query_scalar("SELECT id FROM commitments WHERE state = 'Draft' LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (status, _) = visitor
        .send(
            "POST",
            &format!("/api/board/{draft}/feedback"),
            Some(json!({"text": "好"})),
        )
        .await;
    assert_eq!(status, 404);

    // Five per sender in ten minutes; the sixth waits.
    for n in 2..=5 {
        let (status, _) = visitor
            .send(
                "POST",
                &path,
                Some(json!({"name": "李同学", "text": format!("第{n}条意见")})),
            )
            .await;
        assert_eq!(status, 201);
    }
    let before = app.fingerprint().await;
    let response = visitor
        .client
        .post(app.url(&path))
        .json(&json!({"text": "还有一条"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(app.fingerprint().await, before);

    let board: Value = visitor
        .client
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(board.as_array().unwrap().len(), 5);
    let first = board[0]["id"].as_str().unwrap().to_owned();

    // Moderation: the member may not, the branch secretary may, with a reason.
    let member = app.login("member").await;
    let branch = app.login("branch").await;
    let hide = format!("/api/feedback/{first}/hide");
    let (status, _) = member.post_json(&hide, json!({"reason": "不当"})).await;
    assert_eq!(status, 403);
    let (status, body) = branch.post_json(&hide, json!({"reason": " "})).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "reason_required");
    assert_eq!(app.fingerprint().await, before);
    let (status, all) = branch
        .post_json(&hide, json!({"reason": "含有脚本代码"}))
        .await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all[0]["hidden"]["reason"], "含有脚本代码");
    let (status, _) = branch.post_json(&hide, json!({"reason": "再次"})).await;
    assert_eq!(status, 409, "hidden once");

    let board: Value = visitor
        .client
        .get(app.url(&path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(board.as_array().unwrap().len(), 4);
    assert!(board
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["id"] != first.as_str()));
    let moderated = branch
        .get_json(&format!("/api/commitments/{id}/feedback"))
        .await;
    assert_eq!(moderated.as_array().unwrap().len(), 5);
    let (status, _) = member
        .send("GET", &format!("/api/commitments/{id}/feedback"), None)
        .await;
    assert_eq!(status, 403);

    let audit = branch
        .get_json(&format!("/api/commitments/{id}/audit"))
        .await;
    let last = audit.as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "hide_feedback");
    assert!(last["comment"].as_str().unwrap().contains("含有脚本代码"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_author_keeps_the_ledger_and_the_branch_crosses_items_off() {
    let app = TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let id = published["id"].as_str().unwrap();
    let cadre = app.login("cadre").await;
    let branch = app.login("branch").await;
    let ledger = cadre
        .get_json(&format!("/api/commitments/{id}/ledger"))
        .await;
    let items = ledger["items"].as_array().unwrap();
    assert!(items.len() >= 2);
    assert!(items
        .iter()
        .all(|i| i["state"] == "Open" && !i["content"].as_str().unwrap().is_empty()));
    let item = items[0]["item"].as_str().unwrap().to_owned();
    let today = chengnuo_tests::school_today();

    // Progress: dated no later than today, on one of the commitment's items, by its author.
    let path = format!("/api/commitments/{id}/ledger");
    let before = app.fingerprint().await;
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let (status, body) = cadre
        .post_json(
            &path,
            json!({"item": item, "date": tomorrow, "text": "计划明天开课"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["field"], "date");
    let (status, _) = branch
        .post_json(
            &path,
            json!({"item": item, "date": today.to_string(), "text": "代为记录"}),
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.fingerprint().await, before);
    let (status, ledger) = cadre.post_json(&path,
        json!({"item": item, "date": today.to_string(), "text": "第一次答疑已开展，到场学生24人"}),
    )
    .await;
    assert_eq!(status, 200, "{ledger}");
    assert_eq!(
        ledger["entries"][0]["text"],
        "第一次答疑已开展，到场学生24人"
    );
    assert_eq!(ledger["entries"][0]["by_name"], cadre.me["person"]["name"]);

    // Claim, send back with a reason, claim again, cross off.
    let step = format!("/api/commitments/{id}/items/{item}/steps");
    let state_of = |ledger: &Value| ledger["items"][0]["state"].as_str().unwrap().to_owned();
    let (status, _) = branch.post_json(&step, json!({"step": "CrossOff"})).await;
    assert_eq!(status, 409, "nothing claimed yet");
    let (status, ledger) = cadre.post_json(&step, json!({"step": "Claim"})).await;
    assert_eq!(status, 200, "{ledger}");
    assert_eq!(state_of(&ledger), "ClaimedDone");
    let (status, _) = cadre.post_json(&step, json!({"step": "CrossOff"})).await;
    assert_eq!(status, 403, "the author does not cross off their own item");
    let (status, body) = branch
        .post_json(&step, json!({"step": "RejectClaim"}))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "reason_required");
    let (status, ledger) = branch
        .post_json(
            &step,
            json!({"step": "RejectClaim", "reason": "请补充签到表"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(state_of(&ledger), "Open");
    cadre.post_json(&step, json!({"step": "Claim"})).await;
    let (status, ledger) = branch.post_json(&step, json!({"step": "CrossOff"})).await;
    assert_eq!(status, 200);
    assert_eq!(state_of(&ledger), "CrossedOff");
    assert_eq!(ledger["items"][0]["status"], "CrossedOff");

    let audit = branch
        .get_json(&format!("/api/commitments/{id}/audit"))
        .await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.ends_with(&["claim_item", "reject_claim", "claim_item", "cross_off_item"]),
        "{actions:?}"
    );
    // An unknown item is not found.
    let (status, _) = cadre
        .post_json(
            &format!("/api/commitments/{id}/items/00000000-0000-4000-8000-00000000abcd/steps"),
            json!({"step": "Claim"}),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn last_years_results_and_rectification_orders_are_visible_in_scope() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let cycles = office.get_json("/api/cycles").await;
    let last = cycles
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["is_current"] == false)
        .unwrap();
    let rounds = office
        .get_json(&format!(
            "/api/cycles/{}/rounds",
            last["id"].as_str().unwrap()
        ))
        .await;
    let kinds: Vec<&str> = rounds
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Quarterly", "Quarterly", "Annual"]);

    let ordered: String =
        sqlx::query_scalar("SELECT commitment_id FROM rectification_orders LIMIT 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let evaluation = office
        .get_json(&format!("/api/commitments/{ordered}/evaluation"))
        .await;
    assert_eq!(evaluation["results"].as_array().unwrap().len(), 3);
    let annual = &evaluation["results"][2];
    assert_eq!(annual["round"]["kind"], "Annual");
    assert!(annual["result"]["composite"].is_number(), "{annual}");
    // (Leaders score units and cadres only; the organization scores everyone.)
    assert!(
        annual["result"]["breakdown"]["organization"].is_number(),
        "the office sees the breakdown: {annual}"
    );
    assert!(!evaluation["rectification_orders"]
        .as_array()
        .unwrap()
        .is_empty());
    // Published: a member elsewhere sees the grade, not what it is made of,
    // nor the rectification orders (the permission table's ViewGrade,
    // ViewScores, ViewRectification rows).
    let stranger = app.login("member").await;
    let elsewhere: String = sqlx::query_scalar(
        "SELECT r.commitment_id FROM rectification_orders r JOIN commitments c ON c.id = r.commitment_id \
         WHERE c.committer_id <> $1 AND c.state = 'Published' LIMIT 1",
    )
    .bind(stranger.person_id())
    .fetch_one(&app.db)
    .await
    .unwrap();
    let (status, seen) = stranger
        .send(
            "GET",
            &format!("/api/commitments/{elsewhere}/evaluation"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let annual = &seen["results"][2]["result"];
    assert!(annual["grade"].is_string(), "{seen}");
    assert!(annual["breakdown"].is_null(), "{seen}");
    assert!(seen["rectification_orders"].as_array().unwrap().is_empty());
    let office_view = office
        .get_json(&format!("/api/commitments/{elsewhere}/evaluation"))
        .await;
    assert!(!office_view["rectification_orders"]
        .as_array()
        .unwrap()
        .is_empty());
    let (status, _) = app
        .visitor()
        .send(
            "GET",
            &format!("/api/commitments/{ordered}/evaluation"),
            None,
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_committee_submits_its_package_only_when_everything_in_it_is_approved() {
    let app = TestApp::with_demo().await;
    let committee = app.login("committee").await;
    let office = app.login("office").await;
    let mine = committee.committee_id();
    let cycles = office.get_json("/api/cycles").await;
    let last = cycles
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["is_current"] == false)
        .unwrap()["id"]
        .clone();

    // This year: drafts and submitted commitments are missing; submitting is refused.
    let package = committee.get_json(&format!("/api/reports/{mine}")).await;
    let lines = package["lines"].as_array().unwrap();
    assert_eq!(lines[0]["required"]["type"], "own");
    assert!(lines.iter().any(|l| l["required"]["type"] == "branch"));
    assert!(lines.iter().any(|l| l["required"]["type"] == "cadre"));
    let missing = package["status"]["missing"].as_array().unwrap().len();
    assert!(missing > 0);
    assert_eq!(
        lines.iter().filter(|l| l["present"] == false).count(),
        missing
    );
    let before = app.fingerprint().await;
    let response = committee
        .client
        .post(app.url(&format!("/api/reports/{mine}/submit")))
        .header("Accept-Language", "en")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["code"], "package_incomplete");
    assert_eq!(
        body["error"]["fields"][0]["message"],
        format!("{missing} commitments are not approved yet; the package cannot be sent.")
    );
    assert_eq!(app.fingerprint().await, before);

    // Last year everything was published: it goes, late.
    let (status, sent) = committee
        .post_json(
            &format!("/api/reports/{mine}/submit"),
            json!({"cycle": last}),
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    assert!(sent["status"]["submitted_on"].is_string());
    assert_eq!(sent["status"]["late"], true);
    let (status, _) = committee
        .post_json(
            &format!("/api/reports/{mine}/submit"),
            json!({"cycle": last}),
        )
        .await;
    assert_eq!(status, 409, "once");

    // The office sees every committee, who sent it and when; a member sees none.
    let all = office
        .get_json(&format!("/api/reports?cycle={}", last.as_str().unwrap()))
        .await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    let ours = all
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["committee"] == mine.as_str())
        .unwrap();
    assert_eq!(ours["submitted_by"], committee.me["person"]["name"]);
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["committee"] != mine.as_str())
        .all(|p| p["status"]["submitted_on"].is_null()));
    let theirs = committee.get_json("/api/reports").await;
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    let member = app.login("member").await;
    assert!(member
        .get_json("/api/reports")
        .await
        .as_array()
        .unwrap()
        .is_empty());
    let (status, _) = member
        .send("GET", &format!("/api/reports/{mine}"), None)
        .await;
    assert_eq!(status, 404);
    let audit: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'submit_report'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(audit, 1);

    // The electronic copy: one sheet per kind, one row per item, as sent.
    let response = office
        .client
        .get(app.url(&format!(
            "/api/reports/{mine}/workbook?cycle={}",
            last.as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".xlsx"));
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx workbook");
    use calamine::Reader;
    assert_eq!(
        workbook.sheet_names(),
        ["分党委承诺", "党支部承诺", "领导干部承诺"]
    );
    let lines = sent["lines"].as_array().unwrap();
    for (sheet, kind) in [
        ("分党委承诺", "own"),
        ("党支部承诺", "branch"),
        ("领导干部承诺", "cadre"),
    ] {
        let range = workbook.worksheet_range(sheet).unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0][..3], ["编号", "承诺主体", "状态"]);
        for line in lines.iter().filter(|l| l["required"]["type"] == kind) {
            let id = line["commitment"].as_str().unwrap();
            let items =
                sqlx::query_scalar::<_, String>("SELECT dossier FROM commitments WHERE id = $1")
                    .bind(id)
                    .fetch_one(&app.db)
                    .await
                    .unwrap();
            let dossier: Value = serde_json::from_str(&items).unwrap();
            let expected = dossier["signed"]["items"].as_array().unwrap();
            let mine: Vec<&Vec<String>> = rows
                .iter()
                .filter(|r| r[1] == line["committer_name"].as_str().unwrap())
                .collect();
            assert_eq!(
                mine.len(),
                expected.len(),
                "{sheet}: {}",
                line["committer_name"]
            );
            assert_eq!(mine[0][0], line["number"].as_str().unwrap());
            assert_eq!(mine[0][2], "已审核通过");
            assert_eq!(mine[0][5], expected[0]["content"].as_str().unwrap());
        }
    }
    let (status, _) = member
        .send("GET", &format!("/api/reports/{mine}/workbook"), None)
        .await;
    assert_eq!(status, 404);

    // The office reads the whole trail, newest first; nobody else does.
    let trail = office.get_json("/api/audit").await;
    assert_eq!(trail[0]["action"], "submit_report");
    assert_eq!(trail[0]["subject_type"], "report_package");
    let older = office
        .get_json(&format!("/api/audit?before={}", trail[0]["id"]))
        .await;
    assert_eq!(older[0]["id"], trail[1]["id"]);
    let (status, _) = committee.send("GET", "/api/audit", None).await;
    assert_eq!(status, 403);
    let (status, _) = app.visitor().send("GET", "/api/audit", None).await;
    assert_eq!(status, 401);
}

/// Fulfilment work arrives by sync like drafts: a ledger entry and the
/// steps of an item are operations, applied once however often they are
/// replayed, decided on the item's state (a step on another item in between
/// is no conflict), refused with a reason when the item is not in the state
/// the step needs, and never for someone out of scope.
#[tokio::test(flavor = "multi_thread")]
async fn ledger_entries_claims_and_decisions_sync_as_operations() {
    let app = TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let id = published["id"].as_str().unwrap().to_owned();
    let cadre = app.login("cadre").await;
    let branch = app.login("branch").await;
    let items: Vec<String> = published["draft"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let today = chengnuo_tests::school_today().to_string();
    let op = |change: Value| json!({"id": chengnuo_tests::new_id(), "commitment": id, "base_revision": null, "change": change});
    let push = |user: &chengnuo_tests::User, operations: Vec<Value>| {
        let user = user.clone();
        async move {
            let (status, body) = user
                .post_json(
                    "/api/sync/push",
                    json!({"compact": true, "operations": operations}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
            body["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["outcome"].clone())
                .collect::<Vec<Value>>()
        }
    };
    let ledger_path = format!("/api/commitments/{id}/ledger");

    // Offline, the cadre wrote an entry and claimed item 1, then item 2.
    let batch = vec![
        op(
            json!({"type": "record_progress", "entry": {"item": items[0], "date": today, "text": "完成了第一次集中辅导"}}),
        ),
        op(
            json!({"type": "step_item", "item": items[0], "step": "Claim", "reason": "已按计划完成"}),
        ),
        op(json!({"type": "step_item", "item": items[1], "step": "Claim"})),
    ];
    let outcomes = push(&cadre, batch.clone()).await;
    assert!(
        outcomes.iter().all(|o| o["type"] == "applied"),
        "{outcomes:?}"
    );
    // The answer was lost: replayed, nothing twice.
    let replayed = push(&cadre, batch).await;
    assert!(
        replayed.iter().all(|o| o["type"] == "already_applied"),
        "{replayed:?}"
    );
    let ledger = cadre.get_json(&ledger_path).await;
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 1, "{ledger}");
    assert_eq!(ledger["items"][0]["state"], "ClaimedDone");

    // The branch returns item 2 without a reason: refused by field; with one: applied.
    let refused = push(
        &branch,
        vec![op(
            json!({"type": "step_item", "item": items[1], "step": "RejectClaim", "reason": " "}),
        )],
    )
    .await;
    assert_eq!(refused[0]["type"], "refused", "{refused:?}");
    assert_eq!(refused[0]["refusal"]["Invalid"][0]["field"], "reason");
    let decided = push(
        &branch,
        vec![
            op(json!({"type": "step_item", "item": items[0], "step": "CrossOff"})),
            op(json!({"type": "step_item", "item": items[1], "step": "RejectClaim", "reason": "请补充活动照片"})),
        ],
    )
    .await;
    assert!(
        decided.iter().all(|o| o["type"] == "applied"),
        "{decided:?}"
    );
    // The member's phone learns why (the item is open again, with the reason).
    let returned = &decided[1]["snapshot"]["fulfilment"][1];
    assert_eq!(returned["state"], "Open");
    assert_eq!(returned["returned"], "请补充活动照片");
    // Crossing off what is already crossed off: refused, nothing changes.
    let before = app.fingerprint().await;
    let again = push(
        &branch,
        vec![op(
            json!({"type": "step_item", "item": items[0], "step": "CrossOff"}),
        )],
    )
    .await;
    assert_eq!(again[0]["type"], "refused", "{again:?}");
    // The cadre may not cross off their own; a member elsewhere sees nothing.
    let own = push(
        &cadre,
        vec![op(
            json!({"type": "step_item", "item": items[1], "step": "CrossOff"}),
        )],
    )
    .await;
    assert_eq!(own[0]["type"], "refused", "{own:?}");
    let student = app.login("student").await;
    let foreign = push(&student, vec![op(json!({"type": "record_progress", "entry": {"item": items[1], "date": today, "text": "不是我的"}}))]).await;
    assert_eq!(foreign[0]["type"], "refused", "{foreign:?}");
    // An entry dated outside the cycle: refused by field.
    let early = push(&cadre, vec![op(json!({"type": "record_progress", "entry": {"item": items[1], "date": "2000-01-01", "text": "太早"}}))]).await;
    assert_eq!(
        early[0]["refusal"]["Invalid"][0]["field"], "date",
        "{early:?}"
    );
    assert_eq!(app.fingerprint().await, before, "refusals store nothing");

    // More work, a second claim, crossed off.
    let outcomes = push(
        &cadre,
        vec![
            op(json!({"type": "record_progress", "entry": {"item": items[1], "date": today, "text": "补充了活动照片"}})),
            op(json!({"type": "step_item", "item": items[1], "step": "Claim"})),
        ],
    )
    .await;
    assert!(
        outcomes.iter().all(|o| o["type"] == "applied"),
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes[1]["snapshot"]["fulfilment"][1]["returned"],
        Value::Null
    );
    let done = push(
        &branch,
        vec![op(
            json!({"type": "step_item", "item": items[1], "step": "CrossOff"}),
        )],
    )
    .await;
    assert_eq!(done[0]["type"], "applied");
    let states: Vec<&str> = done[0]["snapshot"]["fulfilment"]
        .as_array()
        .unwrap()
        .iter()
        .take(2)
        .map(|f| f["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["CrossedOff", "CrossedOff"]);
    let ledger = branch.get_json(&ledger_path).await;
    assert_eq!(ledger["entries"].as_array().unwrap().len(), 2);

    // The public board shows the progress: the entry and its line in the list.
    let visitor = app.visitor();
    let entry = visitor.get_json(&format!("/api/board/{id}")).await;
    let crossed = |fulfilment: &Value| {
        fulfilment
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["state"] == "CrossedOff")
            .count()
    };
    assert_eq!(crossed(&entry["fulfilment"]), 2, "{entry}");
    let today = chengnuo_tests::school_today().to_string();
    assert!(entry["fulfilment"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["state"] == "CrossedOff")
        .all(|f| f["crossed_off_on"] == today.as_str()));
    let list = visitor.get_json("/api/board?q=赵建国").await;
    let line = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(crossed(&line["fulfilment"]), 2);
}

/// 实施计划: the committer adds and takes out dated steps of an item's plan,
/// by sync; two phones' edits both apply (what one added stays whatever the
/// other took out); a step outside the cycle, too many steps, a claimed
/// item's plan, or someone else's: refused, nothing stored.
#[tokio::test(flavor = "multi_thread")]
async fn an_items_plan_is_edited_from_two_phones_and_both_edits_stay() {
    let app = TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let id = published["id"].as_str().unwrap().to_owned();
    let cadre = app.login("cadre").await;
    let item = published["draft"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deadline = published["draft"]["items"][0]["deadline"]
        .as_str()
        .unwrap()
        .to_owned();
    let today = chengnuo_tests::school_today();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let edit = |add: Value, remove: Value| {
        json!({"compact": true, "operations": [{"id": chengnuo_tests::new_id(), "commitment": id, "base_revision": null,
            "change": {"type": "edit_plan", "item": item, "add": add, "remove": remove}}]})
    };
    let send = |user: &chengnuo_tests::User, body: Value| {
        let user = user.clone();
        async move {
            let (status, answer) = user.post_json("/api/sync/push", body).await;
            assert_eq!(status, 200, "{answer}");
            answer["results"][0]["outcome"].clone()
        }
    };
    let plan_of = |outcome: &Value| outcome["snapshot"]["fulfilment"][0]["plan"].clone();

    let first = send(
        &cadre,
        edit(json!([{"date": day(20), "text": "第二次辅导"}, {"date": day(5), "text": "第一次辅导"}]), json!([])),
    )
    .await;
    assert_eq!(first["type"], "applied", "{first}");
    assert_eq!(
        plan_of(&first),
        json!([{"date": day(5), "text": "第一次辅导"}, {"date": day(20), "text": "第二次辅导"}]),
        "in date order"
    );
    // Phone A adds a step; phone B, which had not seen it, rewrites the first.
    let a = send(
        &cadre,
        edit(json!([{"date": day(30), "text": "总结"}]), json!([])),
    )
    .await;
    assert_eq!(a["type"], "applied");
    let b = send(
        &cadre,
        edit(
            json!([{"date": day(6), "text": "第一次辅导（改到周三）"}]),
            json!([{"date": day(5), "text": "第一次辅导"}]),
        ),
    )
    .await;
    assert_eq!(
        plan_of(&b),
        json!([
            {"date": day(6), "text": "第一次辅导（改到周三）"},
            {"date": day(20), "text": "第二次辅导"},
            {"date": day(30), "text": "总结"}
        ])
    );

    let before = app.fingerprint().await;
    let outside = send(
        &cadre,
        edit(json!([{"date": "2000-01-01", "text": "太早"}]), json!([])),
    )
    .await;
    assert_eq!(
        outside["refusal"]["Invalid"][0]["field"], "add[0].date",
        "{outside}"
    );
    let many: Vec<Value> = (0..8)
        .map(|n| json!({"date": day(40 + n), "text": format!("步骤{n}")}))
        .collect();
    let too_many = send(&cadre, edit(json!(many), json!([]))).await;
    assert_eq!(
        too_many["refusal"]["Invalid"][0]["message"]["code"], "too_many_plan_steps",
        "{too_many}"
    );
    let student = app.login("student").await;
    let foreign = send(
        &student,
        edit(json!([{"date": day(7), "text": "不是我的"}]), json!([])),
    )
    .await;
    assert_eq!(foreign["type"], "refused");
    assert!(foreign["refusal"]["Denied"].is_string(), "{foreign}");
    assert_eq!(app.fingerprint().await, before, "refusals store nothing");

    // Claimed: the plan stays as it was.
    let (status, _) = cadre
        .post_json(
            "/api/sync/push",
            json!({"operations": [{"id": chengnuo_tests::new_id(), "commitment": id, "base_revision": null,
                "change": {"type": "step_item", "item": item, "step": "Claim"}}]}),
        )
        .await;
    assert_eq!(status, 200);
    let late = send(
        &cadre,
        edit(json!([{"date": deadline, "text": "补一步"}]), json!([])),
    )
    .await;
    assert_eq!(late["refusal"]["Item"]["from"], "ClaimedDone", "{late}");
}

/// Ledger dates are checked against the school's day, not the server
/// machine's (UTC): a phone in Beijing recording "today" at 07:30 was
/// refused as "in the future". Run with the school at UTC+14 and at UTC−12:
/// at any hour one of the two is on another day than UTC, so a server that
/// checked against its own day would fail here whatever the time.
#[tokio::test(flavor = "multi_thread")]
async fn ledger_dates_are_checked_against_the_schools_day() {
    let app = TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let id = published["id"].as_str().unwrap().to_owned();
    let cycle = published["cycle"].as_str().unwrap().to_owned();
    let item = published["draft"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cadre = app.login("cadre").await;
    let path = format!("/api/commitments/{id}/ledger");
    for offset in [14 * 60, -12 * 60] {
        app.edit_json("cycles", "settings", &cycle, |s| {
            s["utc_offset_minutes"] = offset.into()
        })
        .await;
        let today = chengnuo_domain::cycle::school_day(chrono::Utc::now(), offset);
        let tomorrow = today + chrono::Duration::days(1);
        // The REST route.
        let (status, body) = cadre
            .post_json(&path, json!({"item": item, "date": today.to_string(), "text": format!("UTC{offset:+} 当天的记录")}))
            .await;
        assert_eq!(status, 200, "offset {offset}: {body}");
        let (status, body) = cadre
            .post_json(
                &path,
                json!({"item": item, "date": tomorrow.to_string(), "text": "明天的"}),
            )
            .await;
        assert_eq!(status, 422, "offset {offset}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], "date");
        // The sync push (how phones send it).
        let (status, body) = cadre
            .post_json(
                "/api/sync/push",
                json!({"operations": [
                    {"id": chengnuo_tests::new_id(), "commitment": id, "base_revision": null,
                     "change": {"type": "record_progress", "entry": {"item": item, "date": today.to_string(), "text": format!("同步 UTC{offset:+}")}}},
                    {"id": chengnuo_tests::new_id(), "commitment": id, "base_revision": null,
                     "change": {"type": "record_progress", "entry": {"item": item, "date": tomorrow.to_string(), "text": "同步 明天"}}},
                ]}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["results"][0]["outcome"]["type"], "applied",
            "offset {offset}: {body}"
        );
        assert_eq!(
            body["results"][1]["outcome"]["type"], "refused",
            "offset {offset}: {body}"
        );
    }
    let ledger = cadre.get_json(&path).await;
    let texts: Vec<&str> = ledger["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    for kept in [
        "UTC+840 当天的记录",
        "UTC-720 当天的记录",
        "同步 UTC+840",
        "同步 UTC-720",
    ] {
        assert!(texts.contains(&kept), "{kept} missing from {texts:?}");
    }
    assert!(!texts.iter().any(|t| t.contains("明天")));
}

/// A unit's page on the board sums its members' progress, and follows a
/// crossing off at once (the page kept in memory is dropped when the board
/// changes); a board entry's tag follows its progress too.
#[tokio::test(flavor = "multi_thread")]
async fn a_units_board_page_sums_its_commitments_progress() {
    let app = TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let id = published["id"].as_str().unwrap().to_owned();
    let item = published["draft"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let visitor = app.visitor();
    let cadre = app.login("cadre").await;
    let branch = app.login("branch").await;
    let entry = visitor.get_json(&format!("/api/board/{id}")).await;
    let committee = entry["committee_id"].as_str().unwrap().to_owned();
    let page_of = |visitor: chengnuo_tests::User, committee: String| async move {
        visitor
            .get_json(&format!("/api/board?committee={committee}"))
            .await
    };
    let before = page_of(visitor.clone(), committee.clone()).await;
    let listed = before["items"].as_array().unwrap();
    assert!(
        before["next"].is_null(),
        "one page holds the committee here"
    );
    assert_eq!(before["unit"]["commitments"], listed.len());
    let total: usize = listed
        .iter()
        .map(|i| i["fulfilment"].as_array().unwrap().len())
        .sum();
    assert_eq!(before["unit"]["progress"]["total"], total);
    let crossed = |page: &Value| page["unit"]["progress"]["crossed_off"].as_u64().unwrap();
    // The whole board is no unit's page.
    assert!(visitor.get_json("/api/board").await["unit"].is_null());

    let entry_tag = |visitor: chengnuo_tests::User, id: String| async move {
        let response = visitor
            .client
            .get(format!("{}/api/board/{id}", visitor.base))
            .send()
            .await
            .unwrap();
        response.headers()["etag"].to_str().unwrap().to_owned()
    };
    let tag_before = entry_tag(visitor.clone(), id.clone()).await;
    let step = format!("/api/commitments/{id}/items/{item}/steps");
    assert_eq!(
        cadre.post_json(&step, json!({"step": "Claim"})).await.0,
        200
    );
    assert_eq!(
        branch.post_json(&step, json!({"step": "CrossOff"})).await.0,
        200
    );
    let after = page_of(visitor.clone(), committee).await;
    assert_eq!(crossed(&after), crossed(&before) + 1);
    assert_ne!(
        entry_tag(visitor.clone(), id.clone()).await,
        tag_before,
        "a browser holding the entry is not told it is unchanged"
    );
}

/// 逐项对照检查: in an open round the committer checks every item (an
/// explanation unless fulfilled), sent like any phone's work; sent again it
/// replaces the first; outside a round, or by someone else, refused.
#[tokio::test(flavor = "multi_thread")]
async fn the_committer_self_checks_every_item_in_an_open_round() {
    let app = TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let id = published["id"].as_str().unwrap().to_owned();
    let cycle = published["cycle"].as_str().unwrap().to_owned();
    let items: Vec<String> = published["draft"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let cadre = app.login("cadre").await;
    let branch = app.login("branch").await;
    let round = app.open_round_today(&cycle).await;
    let checks = |explain_second: &str| {
        let mut checks: Vec<Value> = items
            .iter()
            .map(|item| json!({"item": item, "status": "Fulfilled"}))
            .collect();
        checks[1] = json!({"item": items[1], "status": "Behind", "explanation": explain_second});
        checks
    };
    let push = |user: &chengnuo_tests::User, round: String, checks: Vec<Value>| {
        let user = user.clone();
        let id = id.clone();
        async move {
            let (status, body) = user
                .post_json(
                    "/api/sync/push",
                    json!({"operations": [{"id": chengnuo_tests::new_id(), "commitment": id, "base_revision": null,
                        "change": {"type": "self_check", "round": round, "checks": checks}}]}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
            body["results"][0]["outcome"].clone()
        }
    };
    // Behind without a word: refused by field.
    let outcome = push(&cadre, round.clone(), checks(" ")).await;
    assert_eq!(outcome["type"], "refused", "{outcome}");
    assert_eq!(
        outcome["refusal"]["Invalid"][0]["field"],
        "checks[1].explanation"
    );
    // Not the committer's: refused.
    let outcome = push(&branch, round.clone(), checks("代填")).await;
    assert_eq!(outcome["type"], "refused", "{outcome}");
    // A round that does not exist: refused.
    let outcome = push(&cadre, chengnuo_tests::new_id(), checks("x")).await;
    assert_eq!(
        outcome["refusal"]["Invalid"][0]["message"]["code"], "round_not_open",
        "{outcome}"
    );
    // Sent twice, the second stands.
    assert_eq!(
        push(&cadre, round.clone(), checks("设备未到")).await["type"],
        "applied"
    );
    assert_eq!(
        push(&cadre, round.clone(), checks("设备已到，下周完成")).await["type"],
        "applied"
    );
    let evaluation = branch
        .get_json(&format!("/api/commitments/{id}/evaluation"))
        .await;
    let kept = evaluation["self_checks"].as_array().unwrap();
    assert_eq!(kept.len(), items.len());
    let behind = kept
        .iter()
        .find(|c| c["item"] == items[1].as_str())
        .unwrap();
    assert_eq!(behind["status"], "Behind");
    assert_eq!(behind["explanation"], "设备已到，下周完成");
    // Closed: no more.
    sqlx::query("UPDATE rounds SET is_closed = 1 WHERE id = $1")
        .bind(&round)
        .execute(&app.db)
        .await
        .unwrap();
    let outcome = push(&cadre, round, checks("晚了")).await;
    assert_eq!(
        outcome["refusal"]["Invalid"][0]["message"]["code"], "round_not_open",
        "{outcome}"
    );
}
