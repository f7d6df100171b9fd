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
    let today = chrono::Utc::now().date_naive();
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
    assert!(found
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

#[tokio::test(flavor = "multi_thread")]
async fn the_public_board_shows_only_published_commitments() {
    let app = TestApp::with_demo().await;
    let board: Value = app
        .client
        .get(app.url("/api/board"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let published = board.as_array().unwrap();
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
