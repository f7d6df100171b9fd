//! The path of a member's commitment through the API: draft, submit, return
//! with guidance, revise, approve, sign, publish, and the public board.

use chengnuo_tests::TestApp;
use serde_json::{json, Value};

const AREAS: [&str; 3] = ["M1", "M2", "M3"];

fn items(cycle: &Value, n: usize) -> Vec<Value> {
    let deadline = cycle["calendar"]["fulfilment_until"]
        .as_str()
        .unwrap()
        .to_owned();
    (0..n)
        .map(|i| {
            json!({
                "id": format!("00000000-0000-4000-8000-{:012}", i + 1),
                "area": AREAS[i % 3],
                "content": format!("第{}项：为学生开设课外答疑", i + 1),
                "measures": "每周三下午在实验楼开放两小时",
                "deadline": deadline,
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_members_commitment_from_draft_to_the_public_board() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let member = app.login("member").await;
    let branch = app.login("branch").await;

    // Draft: any text is kept, even an invalid one.
    let (status, created) = member.post_json("/api/commitments",
        json!({"cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}, "draft": {"items": items(&cycle, 1)}}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(created["state"], "Draft");
    assert_eq!(created["revision"], 1);
    let id = created["id"].as_str().unwrap().to_owned();

    // Submitting one item is refused field by field, in the caller's language; nothing changes.
    let before = app.fingerprint().await;
    let response = member
        .client
        .post(app.url(&format!("/api/commitments/{id}/submit")))
        .header("Accept-Language", "en")
        .json(&json!({"base_revision": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "items");
    assert_eq!(body["error"]["fields"][0]["code"], "too_few_items");
    assert_eq!(
        body["error"]["fields"][0]["message"],
        "At least 2 commitment items are needed."
    );
    assert_eq!(app.fingerprint().await, before);

    let response = member
        .client
        .put(app.url(&format!("/api/commitments/{id}/draft")))
        .json(&json!({"base_revision": 1, "draft": {"needs_summary": "学生希望多些答疑", "items": items(&cycle, 3), "standards": ["L1"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["revision"], 2);
    // An edit based on an old revision conflicts and overwrites nothing.
    let response = member
        .client
        .put(app.url(&format!("/api/commitments/{id}/draft")))
        .json(&json!({"base_revision": 1, "draft": {"items": []}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);

    let (status, submitted) = member
        .post_json(
            &format!("/api/commitments/{id}/submit"),
            json!({"base_revision": 2}),
        )
        .await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["state"], "Submitted");

    // Return needs guidance.
    let (status, body) = branch.post_json(&format!("/api/commitments/{id}/review"),
        json!({"base_revision": 3, "review": {"criteria": {}, "decision": "Return", "guidance": ""}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "guidance_required");
    let (status, returned) = branch.post_json(&format!("/api/commitments/{id}/review"),
        json!({"base_revision": 3, "review": {"criteria": {"vanguard": true}, "decision": "Return", "guidance": "措施请写明具体时间"}}),
    )
    .await;
    assert_eq!(status, 200, "{returned}");
    assert_eq!(returned["state"], "Returned");
    assert_eq!(returned["reviews"][0]["guidance"], "措施请写明具体时间");

    // Revise and resubmit; approve needs all five criteria.
    let response = member
        .client
        .put(app.url(&format!("/api/commitments/{id}/draft")))
        .json(&json!({"base_revision": 4, "draft": {"needs_summary": "学生希望多些答疑", "items": items(&cycle, 3), "standards": ["L1", "L3"]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (status, _) = member
        .post_json(
            &format!("/api/commitments/{id}/submit"),
            json!({"base_revision": 5}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = branch.post_json(&format!("/api/commitments/{id}/review"),
        json!({"base_revision": 6, "review": {"criteria": {"vanguard": true}, "decision": "Approve"}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "criteria_incomplete");
    let all = json!({"vanguard": true, "centred_on_work": true, "fits_post": true, "matches_wishes": true, "feasible": true});
    let (status, approved) = branch
        .post_json(
            &format!("/api/commitments/{id}/review"),
            json!({"base_revision": 6, "review": {"criteria": all, "decision": "Approve"}}),
        )
        .await;
    assert_eq!(status, 200, "{approved}");

    // Only the member signs; it gets its number and is read-only from then on.
    let (status, _) = branch
        .post_json(
            &format!("/api/commitments/{id}/sign"),
            json!({"base_revision": 7}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, signed) = member
        .post_json(
            &format!("/api/commitments/{id}/sign"),
            json!({"base_revision": 7}),
        )
        .await;
    assert_eq!(status, 200, "{signed}");
    assert_eq!(signed["state"], "Signed");
    let number = signed["number"].as_str().unwrap();
    assert!(
        number.starts_with(&format!("{}-计算机-", cycle["year"])),
        "{number}"
    );
    let response = member
        .client
        .put(app.url(&format!("/api/commitments/{id}/draft")))
        .json(&json!({"base_revision": 8, "draft": {"items": []}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"]["code"],
        "wrong_state"
    );

    // Six days of display are refused; a window in the year 9999 or in the
    // past is refused; seven days from today are published.
    let today = chengnuo_tests::school_today();
    let day = |offset: i64| (today + chrono::Duration::days(offset)).to_string();
    let (status, body) = branch
        .post_json(
            &format!("/api/commitments/{id}/publish"),
            json!({"base_revision": 8, "display": {"start": day(0), "end": day(5)}}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["code"], "display_too_short");
    for (start, end, code) in [
        (
            "9999-12-25".to_owned(),
            "9999-12-31".to_owned(),
            "date_outside",
        ),
        (day(-3), day(4), "date_before_today"),
    ] {
        let (status, body) = branch
            .post_json(
                &format!("/api/commitments/{id}/publish"),
                json!({"base_revision": 8, "display": {"start": start, "end": end}}),
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["fields"][0]["field"], "start");
        assert_eq!(body["error"]["fields"][0]["code"], code);
    }
    let (status, published) = branch
        .post_json(
            &format!("/api/commitments/{id}/publish"),
            json!({"base_revision": 8, "display": {"start": day(0), "end": day(6)}}),
        )
        .await;
    assert_eq!(status, 200, "{published}");

    // The public board shows the signed text without signing in.
    let board: Value = app
        .client
        .get(app.url(&format!("/api/board/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(board["committer_name"], "王立新");
    assert_eq!(board["branch"], "软件工程系教师党支部");
    assert_eq!(board["commitment"]["items"].as_array().unwrap().len(), 3);
    let found: Value = app
        .client
        .get(app.url("/api/board?q=王立新"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(found["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == id.as_str()));

    // Every step is in the audit trail, visible to the member.
    let audit: Value = member
        .client
        .get(app.url(&format!("/api/commitments/{id}/audit")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["create", "edit", "submit", "return", "edit", "submit", "approve", "sign", "publish"]
    );
    assert_eq!(audit[3]["comment"], "措施请写明具体时间");
    assert_eq!(audit[3]["actor_name"], "陈静");
    assert_eq!(audit[3]["from_state"], "Submitted");
    assert_eq!(audit[3]["to_state"], "Returned");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_cannot_be_rewritten() {
    let app = TestApp::with_demo().await;
    assert!(sqlx::query("UPDATE audit_log SET action = 'x'")
        .execute(&app.db)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(&app.db)
        .await
        .is_err());
}

/// Every item of the board: each year, page after page.
async fn whole_board(app: &TestApp) -> Vec<Value> {
    let visitor = app.visitor();
    let first = visitor.get_json("/api/board").await;
    let mut items = Vec::new();
    for year in first["years"].as_array().unwrap() {
        let mut offset = Some(0);
        while let Some(at) = offset {
            let page = visitor
                .get_json(&format!("/api/board?year={year}&offset={at}"))
                .await;
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            offset = page["next"].as_u64();
        }
    }
    items
}

#[tokio::test(flavor = "multi_thread")]
async fn the_board_is_paged_filtered_searched_and_cacheable() {
    let app = TestApp::with_demo().await;
    let visitor = app.visitor();
    let first = visitor.get_json("/api/board").await;
    let years: Vec<i64> = first["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_i64().unwrap())
        .collect();
    assert!(years.len() >= 2, "last year's and this year's: {years:?}");
    assert!(years.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert_eq!(first["year"], years[0]);
    // Last year: everything published (the demo's 43 fit a page of 50); a
    // page from an offset continues the same order, no entry twice.
    let last = years[1];
    let page = visitor.get_json(&format!("/api/board?year={last}")).await;
    let items = page["items"].as_array().unwrap();
    assert!(items.len() > 20 && items.len() <= 50, "{}", items.len());
    assert_eq!(page["next"], Value::Null);
    let from_ten = visitor
        .get_json(&format!("/api/board?year={last}&offset=10"))
        .await;
    assert_eq!(from_ten["items"].as_array().unwrap()[..], items[10..]);
    let mut ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["year"] == last && i.get("commitment").is_none()));

    // By committee and by branch: only theirs.
    let committee = &page["committees"][0];
    let by_committee = visitor
        .get_json(&format!(
            "/api/board?year={last}&committee={}",
            committee["id"].as_str().unwrap()
        ))
        .await;
    let shown = by_committee["items"].as_array().unwrap();
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|i| i["committee"] == committee["name"]));
    let branch = page["branches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "软件工程系教师党支部")
        .unwrap();
    let by_branch = visitor
        .get_json(&format!(
            "/api/board?year={last}&branch={}",
            branch["id"].as_str().unwrap()
        ))
        .await;
    assert!(!by_branch["items"].as_array().unwrap().is_empty());
    assert!(by_branch["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["branch"] == "软件工程系教师党支部"));

    // Words: a name (three characters, through the index), two characters
    // of an item, two words at once, and nothing for what nobody wrote.
    let member_name = "王立新";
    let found = visitor
        .get_json(&format!("/api/board?year={last}&q={member_name}"))
        .await;
    let found = found["items"].as_array().unwrap();
    assert!(!found.is_empty());
    assert!(found.iter().all(|i| i["committer_name"] == member_name));
    for q in ["答疑", "王立新 答疑", "课堂"] {
        let answer = visitor
            .get_json(&format!("/api/board?year={last}&q={q}"))
            .await;
        for item in answer["items"].as_array().unwrap() {
            let entry = visitor
                .get_json(&format!("/api/board/{}", item["id"].as_str().unwrap()))
                .await;
            let text = format!("{}", entry);
            for word in q.split(' ') {
                assert!(text.contains(word), "{q}: {text}");
            }
        }
    }
    let nothing = visitor
        .get_json(&format!("/api/board?year={last}&q=没有人写过这句话"))
        .await;
    assert!(nothing["items"].as_array().unwrap().is_empty());
    let odd = visitor.get_json("/api/board?q=%25%22_*").await;
    assert!(odd["items"].as_array().unwrap().is_empty());

    // Public and revalidated: the same ETag answers 304 until the board changes.
    let response = visitor
        .client
        .get(app.url("/api/board"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "public, max-age=60");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let again = visitor
        .client
        .get(app.url("/api/board"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // A browser's Accept-Encoding: the page kept compressed, the same JSON.
    let plain = response.text().await.unwrap();
    for _ in 0..2 {
        let compressed = visitor
            .client
            .get(app.url("/api/board"))
            .header("accept-encoding", "gzip, deflate, br, zstd")
            .send()
            .await
            .unwrap();
        assert_eq!(compressed.headers()["content-encoding"], "br");
        assert_eq!(compressed.headers()["vary"], "accept-encoding");
        let bytes = compressed.bytes().await.unwrap();
        assert!(bytes.len() < plain.len());
        let mut json = Vec::new();
        brotli::BrotliDecompress(&mut bytes.as_ref(), &mut json).unwrap();
        assert_eq!(String::from_utf8(json).unwrap(), plain);
    }
    // Without brotli (or refusing it): the compression layer's gzip, as before.
    let gzip = visitor
        .client
        .get(app.url("/api/board"))
        .header("accept-encoding", "gzip, br;q=0")
        .send()
        .await
        .unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    let entry_id = page["items"][0]["id"].as_str().unwrap();
    let entry = visitor
        .client
        .get(app.url(&format!("/api/board/{entry_id}")))
        .send()
        .await
        .unwrap();
    let entry_etag = entry.headers()["etag"].to_str().unwrap().to_owned();
    let entry_again = visitor
        .client
        .get(app.url(&format!("/api/board/{entry_id}")))
        .header("if-none-match", &entry_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(entry_again.status(), 304);
    // Publishing changes the board: the old ETag no longer matches.
    app.published_cadre_commitment().await;
    let changed = visitor
        .client
        .get(app.url("/api/board"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_public_board_shows_only_published_commitments() {
    let app = TestApp::with_demo().await;
    let published = whole_board(&app).await;
    assert!(!published.is_empty());
    let office = app.login("office").await;
    let all: Value = office
        .client
        .get(app.url("/api/commitments"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for commitment in all.as_array().unwrap() {
        let on_board = published.iter().any(|p| p["id"] == commitment["id"]);
        assert_eq!(
            on_board,
            commitment["state"] == "Published",
            "{}",
            commitment["committer_name"]
        );
        if commitment["state"] != "Published" {
            let id = commitment["id"].as_str().unwrap();
            let response = app
                .client
                .get(app.url(&format!("/api/board/{id}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 404);
        }
    }
    // Every kind of state is in the demo's current cycle.
    for state in [
        "Draft",
        "Submitted",
        "Returned",
        "Approved",
        "Signed",
        "Published",
    ] {
        assert!(
            all.as_array().unwrap().iter().any(|c| c["state"] == state),
            "{state}"
        );
    }
}
