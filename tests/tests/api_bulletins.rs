//! 简报: a secretary nominates a published commitment's crossed-off item or
//! a ledger entry, the committer agrees or declines, the office composes a
//! numbered bulletin from what was agreed to; it is public on the board.

use chengnuo_tests::{TestApp, User};
use serde_json::{json, Value};

async fn nominate(user: &User, id: &str, body: Value) -> (u16, Value) {
    user.post_json(&format!("/api/commitments/{id}/nominations"), body)
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_practice_goes_from_nomination_through_consent_into_a_public_bulletin() {
    let app = TestApp::with_demo().await;
    let (id, items, entries) = app.crossed_off_practice().await;
    let (branch, cadre, office) = (
        app.login("branch").await,
        app.login("cadre").await,
        app.login("office").await,
    );

    // Only what was done: the open item is refused as a whole (409, by field),
    // and so is an entry of another item; nothing stored.
    let before = app.fingerprint().await;
    let (status, body) = nominate(&branch, &id, json!({"item": items[1], "reason": "好"})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "not_crossed_off");
    let (status, body) = nominate(
        &branch,
        &id,
        json!({"item": items[1], "entry": entries[0], "reason": "好"}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "entry");
    let (status, body) = nominate(&branch, &id, json!({"item": items[0], "reason": "  "})).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["fields"][0]["field"], "reason");
    // Not the committer, a leader, or the public.
    for login in ["cadre", "leader", "member"] {
        let user = app.login(login).await;
        let (status, _) = nominate(&user, &id, json!({"item": items[0], "reason": "好"})).await;
        assert_eq!(status, 403, "{login}");
    }
    let (status, _) = app
        .visitor()
        .send(
            "POST",
            &format!("/api/commitments/{id}/nominations"),
            Some(json!({"item": items[0], "reason": "好"})),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(app.fingerprint().await, before);

    // The crossed-off item, then an entry of the open one; each once.
    let (status, item) = nominate(
        &branch,
        &id,
        json!({"item": items[0], "reason": "坚持每周答疑，学生反映好"}),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    assert_eq!(item["consent"], "waiting");
    assert_eq!(item["practice"]["committer"], cadre.me["person"]["name"]);
    assert_eq!(
        item["practice"]["done"][0]["text"],
        "组建答疑小组，每周两次"
    );
    assert!(item["practice"]["crossed_off_on"].is_string());
    assert_eq!(item["nominated_by"], branch.me["person"]["name"]);
    let (status, body) = nominate(&office, &id, json!({"item": items[0], "reason": "再推"})).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"]["fields"][0]["code"], "already_nominated");
    let (status, entry) = nominate(
        &office,
        &id,
        json!({"item": items[1], "entry": entries[1], "reason": "校企合作起步快"}),
    )
    .await;
    assert_eq!(status, 201, "{entry}");
    assert_eq!(entry["practice"]["done"].as_array().unwrap().len(), 1);

    // The committer and the chain see them; a peer does not.
    let path = format!("/api/commitments/{id}/nominations");
    assert_eq!(cadre.get_json(&path).await.as_array().unwrap().len(), 2);
    let (status, _) = app.login("member").await.send("GET", &path, None).await;
    assert_eq!(status, 403);

    // Only the committer answers.
    let consent = |n: &Value| format!("/api/nominations/{}/consent", n["id"].as_str().unwrap());
    let (status, _) = branch
        .post_json(&consent(&item), json!({"give": true}))
        .await;
    assert_eq!(status, 403);
    let (status, answered) = cadre
        .post_json(&consent(&item), json!({"give": true}))
        .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["consent"], "given");
    let (status, answered) = cadre
        .post_json(&consent(&entry), json!({"give": false}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(answered["consent"], "declined");

    // The office's desk and suggested issue: only what was agreed to.
    let desk = office.get_json("/api/nominations").await;
    assert_eq!(desk.as_array().unwrap().len(), 2);
    let (status, _) = branch.send("GET", "/api/nominations", None).await;
    assert_eq!(status, 403);
    let draft = office.get_json("/api/bulletins/draft").await;
    assert_eq!(draft["title"], "公开承诺践诺经验交流（第 1 期）");
    assert_eq!(draft["nominations"], json!([item["id"]]));

    // The declined practice cannot be printed; the committee cannot publish.
    let mut refused = draft.clone();
    refused["nominations"] = json!([item["id"], entry["id"]]);
    let before = app.fingerprint().await;
    let (status, body) = office.post_json("/api/bulletins", refused).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "consent_needed");
    let (status, _) = app
        .login("committee")
        .await
        .post_json("/api/bulletins", draft.clone())
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.fingerprint().await, before);

    let mut edited = draft.clone();
    edited["intro"] = json!("编者按：各支部可参照。");
    let (status, bulletin) = office.post_json("/api/bulletins", edited).await;
    assert_eq!(status, 201, "{bulletin}");
    assert_eq!(bulletin["number"], 1);
    assert_eq!(bulletin["intro"], "编者按：各支部可参照。");
    assert_eq!(
        bulletin["practices"][0]["reason"],
        "坚持每周答疑，学生反映好"
    );
    assert_eq!(
        bulletin["practices"][0]["practice"]["content"],
        item["practice"]["content"]
    );

    // Printed: public on the board; consent no longer changes; not printed twice.
    let visitor = app.visitor();
    let board = visitor.get_json("/api/board/bulletins").await;
    assert_eq!(board[0]["id"], bulletin["id"]);
    let one = visitor
        .get_json(&format!(
            "/api/board/bulletins/{}",
            bulletin["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one, bulletin);
    let (status, body) = cadre
        .post_json(&consent(&item), json!({"give": false}))
        .await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = office.post_json("/api/bulletins", draft).await;
    assert_eq!(status, 409);
    let next = office.get_json("/api/bulletins/draft").await;
    assert_eq!(next["title"], "公开承诺践诺经验交流（第 2 期）");
    assert_eq!(next["nominations"], json!([]));
    assert_eq!(
        office
            .get_json("/api/nominations")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Every step is in the commitment's history.
    let audit = branch
        .get_json(&format!("/api/commitments/{id}/audit"))
        .await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    for action in ["nominate_practice", "consent_practice", "decline_practice"] {
        assert!(actions.contains(&action), "{actions:?}");
    }
}
