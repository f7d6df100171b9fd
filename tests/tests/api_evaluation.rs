//! A round from the inside: leaders' and the organization's scores sent like
//! any phone's work, one-time ballot codes issued, cast (atomically, once
//! each, anonymously), voided; the close computes every result with the
//! domain's scoring and publishes the grades; the annual round's close
//! orders rectification, which the committer works off and the branch closes.

use chengnuo_domain::evaluation::{
    assess, Ballot, Grade, ItemStanding, RoundInputs, RoundKind, Score, Tenths,
};
use chengnuo_domain::workflow::ItemState;
use chengnuo_tests::{new_id, school_today, TestApp, User};
use serde_json::{json, Value};

async fn push(user: &User, commitment: &str, change: Value) -> Value {
    let (status, body) = user
        .post_json(
            "/api/sync/push",
            json!({"operations": [{"id": new_id(), "commitment": commitment, "base_revision": null, "change": change}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["results"][0]["outcome"].clone()
}

fn assessment(round: &str, by: &str, score: &str, comment: &str) -> Value {
    json!({"type": "assess", "round": round, "by": by, "assessment": {"score": score, "comment": comment}})
}

struct Round {
    app: TestApp,
    commitment: Value,
    id: String,
    round: String,
    branch: User,
    office: User,
    cadre: User,
}

async fn round_of(kind: &str) -> Round {
    let app = TestApp::with_demo().await;
    let commitment = app.published_cadre_commitment().await;
    let id = commitment["id"].as_str().unwrap().to_owned();
    let cycle = commitment["cycle"].as_str().unwrap().to_owned();
    let round = app.open_round_today(&cycle).await;
    sqlx::query("UPDATE rounds SET kind = $1 WHERE id = $2")
        .bind(kind)
        .bind(&round)
        .execute(&app.db)
        .await
        .unwrap();
    let (branch, office, cadre) = (
        app.login("branch").await,
        app.login("office").await,
        app.login("cadre").await,
    );
    Round {
        app,
        commitment,
        id,
        round,
        branch,
        office,
        cadre,
    }
}

async fn issue(user: &User, round: &str, unit: &str, count: usize) -> Vec<String> {
    let (status, sheet) = user
        .post_json(
            &format!("/api/rounds/{round}/codes"),
            json!({"unit": unit, "count": count, "origin": "https://dangjian.example.edu.cn"}),
        )
        .await;
    assert_eq!(status, 201, "{sheet}");
    let codes = sheet["codes"].as_array().unwrap();
    assert_eq!(codes.len(), count);
    for code in codes {
        assert!(code["qr_svg"].as_str().unwrap().starts_with("<?xml"));
    }
    codes
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Makes the first `n` items of a commitment overdue (deadline three days ago).
async fn make_overdue(app: &TestApp, id: &str, n: usize) {
    let past = (school_today() - chrono::Duration::days(3)).to_string();
    for item in 0..n {
        app.edit_json("commitments", "dossier", id, |d| {
            d["fulfilment"][item]["deadline"] = past.clone().into()
        })
        .await;
    }
}

fn ballot(code: &str, subjects: &[String], choice: &str) -> Value {
    json!({"code": code, "choices": subjects.iter().map(|s| json!({"commitment": s, "ballot": choice})).collect::<Vec<_>>()})
}

#[tokio::test(flavor = "multi_thread")]
async fn a_round_runs_from_scores_and_ballots_to_published_grades() {
    let Round {
        app,
        commitment,
        id,
        round,
        branch,
        office,
        cadre,
    } = round_of("Quarterly").await;
    let leader = app.login("leader").await;

    // Leaders and the organization score with a written comment.
    let refused = push(&leader, &id, assessment(&round, "Leader", "88", " ")).await;
    assert_eq!(
        refused["refusal"]["Invalid"][0]["field"], "comment",
        "{refused}"
    );
    let refused = push(&leader, &id, assessment(&round, "Leader", "101", "好")).await;
    assert_eq!(
        refused["refusal"]["Invalid"][0]["message"]["code"],
        "score_out_of_range"
    );
    let by_cadre = push(&cadre, &id, assessment(&round, "Leader", "100", "自评")).await;
    assert_eq!(by_cadre["type"], "refused", "not a leader: {by_cadre}");
    let by_leader_as_org = push(&leader, &id, assessment(&round, "Organization", "90", "x")).await;
    assert_eq!(by_leader_as_org["type"], "refused", "{by_leader_as_org}");
    for (score, comment) in [("80", "初评"), ("86", "带头作用明显，台账扎实")] {
        let outcome = push(&leader, &id, assessment(&round, "Leader", score, comment)).await;
        assert_eq!(outcome["type"], "applied", "{outcome}");
    }
    let outcome = push(
        &branch,
        &id,
        assessment(&round, "Organization", "92", "按期推进"),
    )
    .await;
    assert_eq!(outcome["type"], "applied", "{outcome}");
    // While open, each scorer sees their own score only; the committer none.
    let seen = leader
        .get_json(&format!("/api/commitments/{id}/evaluation"))
        .await;
    let own = seen["assessments"].as_array().unwrap();
    assert_eq!(own.len(), 1, "the second replaced the first: {seen}");
    assert_eq!(own[0]["score"], 86);
    let by_committer = cadre
        .get_json(&format!("/api/commitments/{id}/evaluation"))
        .await;
    assert!(by_committer["assessments"].as_array().unwrap().is_empty());

    // Codes for the branch; the ballot paper lists its published commitments.
    let unit = branch.branch_id();
    let codes = issue(&branch, &round, &unit, 7).await;
    let distinct: std::collections::HashSet<_> = codes.iter().collect();
    assert_eq!(distinct.len(), 7);
    let visitor = app.visitor();
    let (status, paper) = visitor
        .post_json(
            "/api/ballots/paper",
            json!({"code": codes[0].to_lowercase()}),
        )
        .await;
    assert_eq!(status, 200, "{paper}");
    let subjects: Vec<String> = paper["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(subjects.contains(&id), "{paper}");
    // Each subject's items as signed, in the order of the subjects.
    let signed = visitor.get_json(&format!("/api/board/{id}")).await;
    let at = subjects.iter().position(|s| *s == id).unwrap();
    let promised: Vec<&str> = paper["promised"][at]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["content"].as_str().unwrap())
        .collect();
    let items: Vec<&str> = signed["commitment"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["content"].as_str().unwrap())
        .collect();
    assert_eq!(promised, items);
    assert_eq!(paper["promised"].as_array().unwrap().len(), subjects.len());
    // Every subject must be rated.
    let (status, body) = visitor
        .post_json("/api/ballots", json!({"code": codes[0], "choices": []}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "choices[0]");
    // Five ballots: four satisfied, one fairly satisfied.
    for (n, code) in codes.iter().take(5).enumerate() {
        let choice = if n == 4 {
            "FairlySatisfied"
        } else {
            "Satisfied"
        };
        let (status, body) = visitor
            .post_json("/api/ballots", ballot(code, &subjects, choice))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // A reused code, a made-up one, a voided one: refused, each saying why.
    let (status, body) = visitor
        .post_json("/api/ballots", ballot(&codes[0], &subjects, "Dissatisfied"))
        .await;
    assert_eq!(
        (status, body["error"]["fields"][0]["code"].as_str()),
        (409, Some("ballot_code_used"))
    );
    let (status, body) = visitor
        .post_json(
            "/api/ballots",
            ballot("2345-6789-AB", &subjects, "Dissatisfied"),
        )
        .await;
    assert_eq!(
        (status, body["error"]["fields"][0]["code"].as_str()),
        (409, Some("ballot_code_unknown"))
    );
    let (status, counts) = branch
        .post_json(
            &format!("/api/rounds/{round}/codes/void"),
            json!({"unit": unit, "numbers": [6, 1]}),
        )
        .await;
    assert_eq!(status, 200, "{counts}");
    assert_eq!(
        counts["counts"],
        json!({"issued": 7, "used": 5, "unused": 1, "void": 1}),
        "a used code stays used"
    );
    assert_eq!(counts["unused_numbers"], json!([7]));
    let (status, body) = visitor
        .post_json("/api/ballots", ballot(&codes[5], &subjects, "Dissatisfied"))
        .await;
    assert_eq!(
        (status, body["error"]["fields"][0]["code"].as_str()),
        (409, Some("ballot_code_void"))
    );

    // Nothing stored links a ballot to its code or to a time.
    let postgres = chengnuo_tests::postgres_server().is_some();
    let tables: Vec<String> = sqlx::query_scalar(if postgres {
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = 'public'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table'"
    })
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(tables.iter().any(|t| t == "ballot_codes"), "{tables:?}");
    for table in &tables {
        let rows: Vec<String> = sqlx::query_scalar(&if postgres {
            format!("SELECT CAST(COALESCE(json_agg(t), '[]') AS TEXT) FROM \"{table}\" t")
        } else {
            format!("SELECT CAST(json_group_array(json_array(*)) AS TEXT) FROM (SELECT * FROM \"{table}\")")
        })
        .fetch_all(&app.db)
        .await
        .unwrap_or_default();
        for code in &codes {
            let plain: String = code.chars().filter(|c| *c != '-').collect();
            assert!(
                !rows.iter().any(|r| r.contains(&plain) || r.contains(code)),
                "table {table} holds a code"
            );
        }
    }
    let columns: Vec<String> = sqlx::query_scalar(if postgres {
        "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
         WHERE table_name IN ('mass_tallies', 'ballot_codes') \
         ORDER BY table_name DESC, ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info('mass_tallies') UNION ALL SELECT name FROM pragma_table_info('ballot_codes')"
    })
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        columns,
        [
            "round_id",
            "commitment_id",
            "satisfied",
            "fairly_satisfied",
            "dissatisfied",
            "round_id",
            "unit_id",
            "number",
            "code_hash",
            "state"
        ],
        "counts without codes; codes without times"
    );
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE '%ballot%' AND action != 'issue_ballot_codes' AND action != 'void_ballot_codes'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 0, "casting is not audited");

    // The office closes the round: the result is the domain's computation.
    let (status, closed) = office
        .post_json(&format!("/api/rounds/{round}/close"), json!({}))
        .await;
    assert_eq!(status, 200, "{closed}");
    let evaluation = cadre
        .get_json(&format!("/api/commitments/{id}/evaluation"))
        .await;
    let result = &evaluation["results"][0]["result"];
    let items: Vec<ItemStanding> = commitment["fulfilment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| ItemStanding {
            item: serde_json::from_value(f["item"].clone()).unwrap(),
            state: ItemState::Open,
            deadline: serde_json::from_value(f["deadline"].clone()).unwrap(),
        })
        .collect();
    let expected = assess(
        &RoundInputs {
            kind: RoundKind::Quarterly,
            on: school_today(),
            leader_scores: vec![Score::new(86).unwrap()],
            ballots: [vec![Ballot::Satisfied; 4], vec![Ballot::FairlySatisfied]].concat(),
            organization: Score::new(92),
            items,
        },
        &chengnuo_domain::cycle::CycleSettings::default(),
    );
    // L 86, M (400 + 60)/5 = 92, O 92: 0.3·86 + 0.3·92 + 0.4·92 = 90.2.
    assert_eq!(expected.composite, Some(Tenths(902)));
    assert_eq!(
        serde_json::from_value::<Option<Tenths>>(result["composite"].clone()).unwrap(),
        expected.composite
    );
    assert_eq!(
        serde_json::from_value::<Option<Grade>>(result["grade"].clone()).unwrap(),
        expected.grade
    );
    assert_eq!(result["breakdown"]["mass"], json!({"Present": 920}));
    // Once closed, the committer reads every score and comment.
    let comments = evaluation["assessments"].as_array().unwrap();
    assert_eq!(comments.len(), 2, "{evaluation}");
    // The board publishes the grades (no sign-in).
    let published = visitor.get_json("/api/board/results").await;
    let line = published[0]["grades"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["commitment"] == id.as_str())
        .expect("the grade on the board")
        .clone();
    assert_eq!(line["composite"], 902);
    assert_eq!(line["grade"], "Excellent");
    // Dated with the day it was closed (its planned end is 10 days on).
    assert_eq!(
        published[0]["round"]["closed_on"],
        school_today().to_string()
    );
    assert_ne!(
        published[0]["round"]["closes_on"],
        school_today().to_string()
    );
    // One commitment's grades, for its page on the board.
    let own = visitor
        .get_json(&format!("/api/board/results?commitment={id}"))
        .await;
    assert_eq!(own[0]["grades"].as_array().unwrap().len(), 1, "{own}");
    assert_eq!(own[0]["grades"][0]["commitment"], id.as_str());
    let (status, _) = visitor
        .send(
            "GET",
            &format!("/api/board/results?commitment={}", new_id()),
            None,
        )
        .await;
    assert_eq!(status, 404, "not on the board");
    assert!(
        published[0]["commendations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["commitment"] == id.as_str()),
        "the Excellent are commended: {published}"
    );
    // Closed: no more ballots, scores or codes.
    let (status, _) = visitor
        .post_json("/api/ballots", ballot(&codes[6], &subjects, "Satisfied"))
        .await;
    assert_eq!(status, 409);
    let late = push(&leader, &id, assessment(&round, "Leader", "99", "晚了")).await;
    assert_eq!(
        late["refusal"]["Invalid"][0]["message"]["code"],
        "round_not_open"
    );
}

/// 50 phones cast at once with 45 codes, five of them twice: exactly 45
/// ballots counted, the others refused, no answer ≥ 500.
#[tokio::test(flavor = "multi_thread")]
async fn fifty_ballots_at_once_with_forty_five_codes_count_forty_five() {
    let Round {
        app,
        id,
        round,
        branch,
        ..
    } = round_of("Quarterly").await;
    let unit = branch.branch_id();
    let codes = issue(&branch, &round, &unit, 45).await;
    let visitor = app.visitor();
    let (_, paper) = visitor
        .post_json("/api/ballots/paper", json!({"code": codes[0]}))
        .await;
    let subjects: Vec<String> = paper["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let mut tasks = Vec::new();
    for n in 0..50 {
        let code = codes[n % 45].clone();
        let body = ballot(&code, &subjects, "Satisfied");
        let phone = app.visitor();
        tasks.push(tokio::spawn(async move {
            phone.post_json("/api/ballots", body).await.0
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        45,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        5,
        "{statuses:?}"
    );
    assert!(statuses.iter().all(|s| *s < 500));
    let counted: i64 = sqlx::query_scalar(
        "SELECT satisfied + fairly_satisfied + dissatisfied FROM mass_tallies WHERE round_id = $1 AND commitment_id = $2",
    )
    .bind(&round)
    .bind(&id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(counted, 45);
    let counts = branch
        .get_json(&format!("/api/rounds/{round}/codes/{unit}"))
        .await;
    assert_eq!(counts["counts"]["used"], 45);
}

/// Who may issue codes (the unit's secretary or the office); guessing codes
/// is limited per address.
#[tokio::test(flavor = "multi_thread")]
async fn codes_are_the_units_and_guessing_them_is_limited() {
    let Round {
        app,
        round,
        branch,
        office,
        cadre,
        ..
    } = round_of("Quarterly").await;
    let unit = branch.branch_id();
    let committee = app.login("committee").await;
    for (user, expected) in [(&cadre, 404), (&committee, 403)] {
        let (status, body) = user
            .post_json(
                &format!("/api/rounds/{round}/codes"),
                json!({"unit": unit, "count": 3}),
            )
            .await;
        assert_eq!(status, expected, "{body}");
    }
    assert_eq!(issue(&office, &round, &unit, 2).await.len(), 2);
    let (status, body) = branch
        .post_json(
            &format!("/api/rounds/{round}/codes"),
            json!({"unit": unit, "count": 501}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let guesser = app.visitor();
    let mut statuses = Vec::new();
    for n in 0..22 {
        let (status, _) = guesser
            .post_json(
                "/api/ballots/paper",
                json!({"code": format!("ZZZZZ-ZZZ{:02}", n + 22)}),
            )
            .await;
        statuses.push(status);
    }
    assert_eq!(statuses[..20], [409; 20]);
    assert_eq!(statuses[20..], [429, 429], "{statuses:?}");
    // 100 guesses at once (a fresh server): exactly 20 are checked, in the
    // paper's and the ballot's doors alike.
    let fresh = round_of("Quarterly").await;
    let mut running = tokio::task::JoinSet::new();
    for n in 0..100 {
        let guesser = fresh.app.visitor();
        running.spawn(async move {
            let code = format!("ZZZZZ-ZZ{n:03}");
            let (path, body) = if n % 2 == 0 {
                ("/api/ballots/paper", json!({"code": code}))
            } else {
                ("/api/ballots", json!({"code": code, "choices": []}))
            };
            guesser.post_json(path, body).await.0
        });
    }
    let statuses = running.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        20,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        80,
        "{statuses:?}"
    );
}

/// The annual round's close orders rectification of what is left undone;
/// the committer reports and claims, the branch returns or closes; an
/// order past its deadline is flagged to the office.
#[tokio::test(flavor = "multi_thread")]
async fn the_annual_round_orders_rectification_that_is_worked_off_and_closed() {
    let Round {
        app,
        commitment,
        id,
        round,
        branch,
        office,
        cadre,
    } = round_of("Annual").await;
    let items = commitment["fulfilment"].as_array().unwrap();
    assert!(items.len() >= 3);
    make_overdue(&app, &id, 2).await;
    // The to-do list while the round is open: the opened round's last day
    // (10 days on, not the calendar's), the scores not yet given.
    let todo = |user: &User| {
        let user = user.clone();
        async move { user.get_json("/api/todo").await }
    };
    let closes_on = (school_today() + chrono::Duration::days(10)).to_string();
    let round_line = json!({"RoundOpen": {"kind": "Annual", "closes_on": closes_on}});
    assert_eq!(todo(&cadre).await, json!([round_line.clone()]));
    let branch_list = todo(&branch).await;
    assert_eq!(branch_list[0], round_line);
    let waiting = |list: &Value, by: &str| {
        list.as_array().unwrap().iter().any(|t| {
            t["ScoreWaiting"]["commitment"] == id.as_str() && t["ScoreWaiting"]["by"] == by
        })
    };
    assert!(waiting(&branch_list, "Organization"), "{branch_list}");
    assert_eq!(
        push(
            &branch,
            &id,
            assessment(&round, "Organization", "90", "按期推进")
        )
        .await["type"],
        "applied"
    );
    assert!(
        !waiting(&todo(&branch).await, "Organization"),
        "given: gone"
    );
    let leader = app.login("leader").await;
    assert!(waiting(&todo(&leader).await, "Leader"));
    assert!(
        !todo(&office)
            .await
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t.get("RoundToOpen").is_some()),
        "a round is open: none to open"
    );
    let (status, _) = office
        .post_json(&format!("/api/rounds/{round}/close"), json!({}))
        .await;
    assert_eq!(status, 200);
    // Closed: no round line; the committer has the orders to work off.
    let after = todo(&cadre).await;
    let rectify: Vec<&Value> = after
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.get("Rectify"))
        .collect();
    assert_eq!(rectify.len(), 2, "{after}");
    assert!(rectify
        .iter()
        .all(|r| r["commitment"] == id.as_str() && r["claimed"] == false));
    assert!(after
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t.get("RoundOpen").is_none()));
    let evaluation = cadre
        .get_json(&format!("/api/commitments/{id}/evaluation"))
        .await;
    let orders = evaluation["rectification_orders"].as_array().unwrap();
    assert_eq!(
        orders.len(),
        2,
        "one per overdue item, none for one not yet due"
    );
    let result = &evaluation["results"][0]["result"];
    assert_eq!(
        result["breakdown"]["caps"],
        json!(["DueItemsNotCrossedOff", "OverdueAtAnnualRound"])
    );
    let order = orders[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(orders[0]["state"], "Open");
    let step = |step: &str, text: &str| json!({"type": "rectify", "order": order, "rectify": step, "text": text});
    // A report with its evidence: the file must be on the server first.
    let pdf = b"%PDF-1.4\n% rectification minutes\n".to_vec();
    let hash = chengnuo_domain::evidence::content_hash(&pdf);
    let file = json!([{"hash": hash, "kind": "Pdf", "size": pdf.len(), "name": "整改记录.pdf"}]);
    let with_file = |step: &str, text: &str| json!({"type": "rectify", "order": order, "rectify": step, "text": text, "evidence": file});
    let early = push(&cadre, &id, with_file("Report", "已补开组织生活会")).await;
    assert_eq!(
        early["refusal"]["Invalid"][0]["message"]["code"], "file_not_uploaded",
        "{early}"
    );
    let response = cadre
        .client
        .put(format!(
            "{}/api/commitments/{id}/evidence/{hash}",
            cadre.base
        ))
        .header("content-type", "application/octet-stream")
        .body(pdf)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(
        push(&cadre, &id, with_file("Report", "已补开组织生活会")).await["type"],
        "applied"
    );
    let empty = push(&cadre, &id, step("Claim", "")).await;
    assert_eq!(empty["refusal"]["Invalid"][0]["field"], "text");
    let too_early = push(&branch, &id, step("Close", "")).await;
    assert_eq!(
        too_early["refusal"]["Invalid"][0]["message"]["code"],
        "rectification_not_now"
    );
    assert_eq!(
        push(&cadre, &id, step("Claim", "已整改完毕")).await["type"],
        "applied"
    );
    // Claimed: the branch is asked to close it.
    let branch_list = todo(&branch).await;
    assert!(
        branch_list
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["RectificationClaimed"]["commitment"] == id.as_str()),
        "{branch_list}"
    );
    let not_hers = push(&cadre, &id, step("Close", "")).await;
    assert_eq!(not_hers["type"], "refused");
    assert_eq!(
        push(&branch, &id, step("Return", "缺会议记录")).await["type"],
        "applied"
    );
    assert_eq!(
        push(&cadre, &id, step("Claim", "已补记录")).await["type"],
        "applied"
    );
    let with_files_to_close = push(&branch, &id, with_file("Close", "验收通过")).await;
    assert_eq!(
        with_files_to_close["type"], "refused",
        "files are the committer's"
    );
    assert_eq!(
        push(&branch, &id, step("Close", "验收通过")).await["type"],
        "applied"
    );
    let evaluation = cadre
        .get_json(&format!("/api/commitments/{id}/evaluation"))
        .await;
    let closed = evaluation["rectification_orders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == order.as_str())
        .unwrap()
        .clone();
    assert_eq!(closed["state"], "Closed");
    assert_eq!(closed["entries"].as_array().unwrap().len(), 5);
    assert_eq!(closed["entries"][0]["evidence"][0]["hash"], hash.as_str());
    // The branch above sees the file; another member does not.
    let status_for = |user: User| {
        let url = format!("{}/api/commitments/{id}/evidence/{hash}", user.base);
        async move { user.client.get(url).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status_for(branch.clone()).await, 200);
    assert_eq!(status_for(app.login("member").await).await, 404);
    assert_eq!(closed["closed_on"], school_today().to_string());

    // Another order past its deadline: the office sees it flagged.
    sqlx::query(
        "UPDATE rectification_orders SET deadline = '2000-01-01' WHERE commitment_id = $1 AND id != $2",
    )
    .bind(&id)
    .bind(&order)
        .execute(&app.db)
        .await
        .unwrap();
    let overdue = office.get_json("/api/rectifications/overdue").await;
    let flagged = overdue
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["commitment"] == id.as_str())
        .count();
    assert_eq!(flagged, 1, "{overdue}");
    let (status, _) = branch
        .send("GET", "/api/rectifications/overdue", None)
        .await;
    assert_eq!(status, 403);
}

/// The to-do lines only the server can decide for the office and a
/// committee: the calendar's round window has begun and no round is open
/// (the office opens it), the report package is past its deadline and not
/// sent (the committee's secretary); once sent, gone.
#[tokio::test(flavor = "multi_thread")]
async fn the_office_is_asked_to_open_a_round_and_a_committee_for_its_late_package() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let id = cycle["id"].as_str().unwrap().to_owned();
    let today = school_today();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    app.edit_json("cycles", "calendar", &id, |calendar| {
        calendar["report_deadline"] = json!(day(-1));
        calendar["quarterly_rounds"][0] = json!({"start": day(-1), "end": day(5)});
    })
    .await;
    let office = app.login("office").await;
    let list = office.get_json("/api/todo").await;
    assert!(
        list.as_array()
            .unwrap()
            .contains(&json!({"RoundToOpen": {"kind": "Quarterly", "closes_on": day(5)}})),
        "{list}"
    );
    let committee = app.login("committee").await;
    let unit = committee.committee_id();
    let late = json!({"ReportLate": {"committee": unit, "deadline": day(-1)}});
    let list = committee.get_json("/api/todo").await;
    assert!(list.as_array().unwrap().contains(&late), "{list}");
    // Sent (as the store keeps it): no longer late.
    sqlx::query(
        "INSERT INTO report_packages (committee_id, cycle_id, submitted_on, submitted_at, submitted_by) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&unit)
    .bind(&id)
    .bind(today.to_string())
    .bind(chrono::Utc::now().to_rfc3339())
    .bind(committee.person_id())
    .execute(&app.db)
    .await
    .unwrap();
    let list = committee.get_json("/api/todo").await;
    assert!(!list.as_array().unwrap().contains(&late), "{list}");
    // A member has none of these.
    let member = app.login("member").await;
    assert_eq!(member.get_json("/api/todo").await, json!([]));
}
