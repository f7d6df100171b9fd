//! 征求意见 through the API: anyone leaves a unit suggestions until its
//! drafting ends (limited per sender), the unit's secretary answers and
//! moderates them, and the public sees them with the answers once the
//! unit's commitment is published.

use chengnuo_tests::{school_today, TestApp};
use serde_json::{json, Value};

async fn set_draft_end(app: &TestApp, cycle: &str, day: chrono::NaiveDate) {
    app.edit_json("cycles", "calendar", cycle, |c| {
        c["draft"]["end"] = day.to_string().into()
    })
    .await;
}

#[tokio::test]
async fn suggestions_are_left_answered_moderated_and_shown_once_published() {
    let app = TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    let cycle_id = cycle["id"].as_str().unwrap().to_owned();
    set_draft_end(&app, &cycle_id, school_today() + chrono::Days::new(3)).await;
    let branch = app.login("branch").await;
    let unit = branch.branch_id();
    let path = format!("/api/board/units/{unit}/suggestions");
    let visitor = app.visitor();

    // refused by field, nothing stored
    let (status, body) = visitor.post_json(&path, json!({"text": "  "})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "text");
    let texts = [
        "多组织实验室开放日",
        "取消所有考试",
        "广告：代写论文",
        "公开党费使用情况",
        "多与新生谈心",
    ];
    let mut ids = Vec::new();
    for (n, text) in texts.iter().enumerate() {
        let name = if n == 0 { "大二学生" } else { "" };
        let (status, left) = visitor
            .post_json(&path, json!({"name": name, "text": text}))
            .await;
        assert_eq!(status, 201, "{left}");
        assert_eq!(left["status"], "Open");
        ids.push(left["id"].as_str().unwrap().to_owned());
    }
    // the sixth in ten minutes from the same sender waits
    let (status, _) = visitor.post_json(&path, json!({"text": "再来一条"})).await;
    assert_eq!(status, 429);

    // the unit's secretary sees them all; a member, another unit's secretary do not
    let all = branch
        .get_json(&format!("/api/units/{unit}/suggestions"))
        .await;
    assert_eq!(all.as_array().unwrap().len(), 5);
    assert_eq!(all[0]["name"], "大二学生");
    for login in ["member", "committee", "leader"] {
        let user = app.login(login).await;
        let (status, _) = user
            .send("GET", &format!("/api/units/{unit}/suggestions"), None)
            .await;
        assert!(status == 403 || status == 404, "{login}: {status}");
        let (status, _) = user
            .post_json(
                &format!("/api/suggestions/{}/answer", ids[0]),
                json!({"status": "Adopted", "reply": "好"}),
            )
            .await;
        assert!(status == 403 || status == 404, "{login}: {status}");
    }

    // answered: adopted, not adopted (a reply is required), hidden with a reason
    let answer = |status: &str, reply: &str| json!({"status": status, "reply": reply});
    let (status, body) = branch
        .post_json(
            &format!("/api/suggestions/{}/answer", ids[1]),
            answer("NotAdopted", " "),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "reply");
    let (status, adopted) = branch
        .post_json(
            &format!("/api/suggestions/{}/answer", ids[0]),
            answer("Adopted", "已写入本支部承诺第 2 项。"),
        )
        .await;
    assert_eq!(status, 200, "{adopted}");
    assert_eq!(adopted["status"], "Adopted");
    branch
        .post_json(
            &format!("/api/suggestions/{}/answer", ids[1]),
            answer("NotAdopted", "考试安排不属于支部职责。"),
        )
        .await;
    let (status, hidden) = branch
        .post_json(
            &format!("/api/suggestions/{}/hide", ids[2]),
            json!({"reason": "广告"}),
        )
        .await;
    assert_eq!(status, 200, "{hidden}");
    assert_eq!(hidden["hidden"], true);
    assert_eq!(
        branch
            .post_json(
                &format!("/api/suggestions/{}/hide", ids[2]),
                json!({"reason": "广告"})
            )
            .await
            .0,
        409
    );

    // the public sees nothing before the unit's commitment is published...
    assert_eq!(visitor.get_json(&path).await, json!([]));
    sqlx::query("UPDATE commitments SET state = 'Published' WHERE cycle_id = $1 AND committer_type = 'unit' AND committer_id = $2")
        .bind(&cycle_id)
        .bind(&unit)
        .execute(&app.db)
        .await
        .unwrap();
    // ...then every suggestion but the hidden one, with the answers
    let public: Vec<Value> = visitor.get_json(&path).await.as_array().unwrap().clone();
    let shown: Vec<&str> = public.iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(
        shown,
        [
            "多组织实验室开放日",
            "取消所有考试",
            "公开党费使用情况",
            "多与新生谈心"
        ]
    );
    assert_eq!(public[0]["reply"], "已写入本支部承诺第 2 项。");
    assert_eq!(public[1]["status"], "NotAdopted");

    // after drafting, no more suggestions; an unknown unit is 404
    set_draft_end(&app, &cycle_id, school_today() - chrono::Days::new(1)).await;
    let late = app.visitor();
    let (status, body) = late.post_json(&path, json!({"text": "晚了一步"})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "suggestions_closed");
    let unknown = format!("/api/board/units/{}/suggestions", chengnuo_tests::new_id());
    assert_eq!(late.post_json(&unknown, json!({"text": "x"})).await.0, 404);
    let trail = app
        .login("office")
        .await
        .get_json("/api/audit?action=answer_suggestion")
        .await;
    assert_eq!(trail.as_array().unwrap().len(), 2);
}
