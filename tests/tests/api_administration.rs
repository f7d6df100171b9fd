//! Running the school from the browser's API (the office only): the roster
//! uploaded whole or not at all with every bad line named in the caller's
//! language, one-time passwords replaced at the first sign-in, accounts
//! created, disabled and reset, roles granted and revoked where they fit,
//! every change in the audit trail, which filters by person, unit, action
//! and day.

use chengnuo_tests::{TestApp, User};
use serde_json::{json, Value};

const HEADER: &str =
    "type,name,parent,kind,short_name,category,cadre_rank,activist,title,login,role\n";

async fn school_name(office: &User) -> String {
    let units = office.get_json("/api/admin/units").await;
    units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["kind"] == "School")
        .unwrap()["unit"]["name"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn upload(user: &User, csv: &str, language: &str) -> (u16, Value) {
    let response = user
        .client
        .post(format!("{}/api/admin/roster", user.base))
        .header("content-type", "text/csv")
        .header("accept-language", language)
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

async fn sign_in(app: &TestApp, login: &str, password: &str) -> (u16, Option<User>) {
    let client = TestApp::new_client();
    let response = client
        .post(app.url("/api/auth/login"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status != 200 {
        return (status, None);
    }
    let me = response.json().await.unwrap();
    (
        status,
        Some(User {
            client,
            me,
            base: app.address.clone(),
        }),
    )
}

#[tokio::test]
async fn a_roster_with_bad_lines_imports_nothing_and_names_each_line() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let school = school_name(&office).await;
    let bad = format!(
        "{HEADER}unit,法学院分党委,{school},Committee,法学,,,,,,\n\
         unit,法学院教师党支部,法学院分党委,Teaching,法学教师,,,,,,\n\
         person,王法,法学院教师党支部,,,Professor,,,,wangfa,\n\
         person,李律,不存在的支部,,,Teacher,,,,lilv,\n"
    );
    let units = count(&app, "SELECT COUNT(*) FROM org_units").await;
    let people = count(&app, "SELECT COUNT(*) FROM persons").await;
    let (status, body) = upload(&office, &bad, "zh-CN").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "roster_invalid");
    let fields = body["error"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 2, "{body}");
    assert_eq!(fields[0]["field"], "line 4");
    assert_eq!(fields[0]["code"], "unknown_category");
    assert!(fields[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("第 4 行：党员类别“Professor”"));
    assert_eq!(fields[1]["field"], "line 5");
    assert_eq!(
        fields[1]["message"],
        "第 5 行：没有名为“不存在的支部”的党支部。"
    );
    let (_, english) = upload(&office, &bad, "en").await;
    assert_eq!(
        english["error"]["fields"][1]["message"],
        "line 5: No branch is named \"不存在的支部\"."
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM org_units").await,
        units,
        "nothing imported"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM persons").await, people);

    // fixed: imported, with the new accounts' passwords shown once
    let good = bad
        .replace("Professor", "Teacher")
        .replace("不存在的支部", "法学院教师党支部");
    let (status, imported) = upload(&office, &good, "zh-CN").await;
    assert_eq!(status, 201, "{imported}");
    assert_eq!(
        (imported["units"].as_u64(), imported["people"].as_u64()),
        (Some(2), Some(2))
    );
    let passwords = imported["passwords"].as_array().unwrap();
    assert_eq!(passwords.len(), 2);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM org_units").await,
        units + 2
    );
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT password_hash FROM accounts WHERE login IN ('wangfa', 'lilv')")
            .fetch_all(&app.db)
            .await
            .unwrap();
    for (hash, given) in stored.iter().zip(passwords) {
        assert!(
            !hash.contains(given["password"].as_str().unwrap()),
            "only a hash is kept"
        );
    }

    // the person signs in with it and is asked to set their own
    let login = passwords[0]["login"].as_str().unwrap();
    let first = passwords[0]["password"].as_str().unwrap();
    let (status, person) = sign_in(&app, login, first).await;
    assert_eq!(status, 200);
    let person = person.unwrap();
    assert_eq!(person.me["must_change_password"], true);
    let (status, body) = person
        .post_json(
            "/api/auth/password",
            json!({"current": first, "new": "my-own-secret-1", "repeat": "my-own-secret-1"}),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(
        person.get_json("/api/me").await["must_change_password"],
        false
    );
    // a unit of the same name again is a refused line, not a 500
    let (status, body) = upload(&office, &good, "zh-CN").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "unit_exists");
    // an empty file, or not UTF-8
    assert_eq!(
        upload(&office, HEADER, "zh-CN").await.1["error"]["fields"][0]["code"],
        "empty"
    );
    let audit = office.get_json("/api/audit?action=import_roster").await;
    assert_eq!(
        audit.as_array().unwrap().len(),
        1,
        "one import audited: {audit}"
    );
}

#[tokio::test]
async fn the_office_creates_resets_disables_and_grants_accounts() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let member = app.login("member").await;
    let branch = member.branch_id();
    let committee = member.committee_id();

    // created, field by field
    let new = |login: &str| json!({"name": "赵新", "branch": branch, "category": "Teacher", "title": "讲师", "login": login});
    let (status, body) = office.post_json("/api/admin/accounts", new("赵 新")).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "login_characters");
    let (status, body) = office.post_json("/api/admin/accounts", new("member")).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "login_taken");
    let mut at_committee = new("zhaoxin");
    at_committee["branch"] = json!(committee);
    let (status, body) = office.post_json("/api/admin/accounts", at_committee).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "branch_required");
    let (status, created) = office
        .post_json("/api/admin/accounts", new("zhaoxin"))
        .await;
    assert_eq!(status, 201, "{created}");
    let (status, zhao) = sign_in(&app, "zhaoxin", created["password"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let zhao = zhao.unwrap();
    assert_eq!(zhao.me["must_change_password"], true);
    let person = zhao.person_id();

    // listed in the branch with the counts of the tree
    let people = office
        .get_json(&format!("/api/admin/people?unit={branch}"))
        .await;
    let line = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["person"]["id"] == person.as_str())
        .expect("listed");
    assert_eq!(
        (line["login"].as_str(), line["disabled"].as_bool()),
        (Some("zhaoxin"), Some(false))
    );
    let units = office.get_json("/api/admin/units").await;
    let counted = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["id"] == branch.as_str())
        .unwrap();
    let in_branch = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["person"]["branch"] == branch.as_str())
        .count();
    assert_eq!(counted["people"].as_u64().unwrap() as usize, in_branch);

    // granted a branch secretary; office over a branch does not fit
    let grant = json!({"person": person, "role": "BranchSecretary", "unit": branch});
    assert_eq!(
        office.post_json("/api/admin/grants", grant.clone()).await.0,
        204
    );
    let roles = zhao.get_json("/api/me").await["roles"].clone();
    assert!(
        roles
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"] == "BranchSecretary"),
        "{roles}"
    );
    let (status, body) = office
        .post_json(
            "/api/admin/grants",
            json!({"person": person, "role": "Office", "unit": branch}),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["fields"][0]["code"], "role_not_for_unit");
    assert_eq!(
        office
            .post_json("/api/admin/grants/revoke", grant.clone())
            .await
            .0,
        204
    );
    assert_eq!(
        office
            .post_json("/api/admin/grants/revoke", grant.clone())
            .await
            .0,
        404,
        "not held any more"
    );

    // reset: the old password stops working, the new one is one-time
    let (status, reset) = office
        .post_json(&format!("/api/admin/accounts/{person}/password"), json!({}))
        .await;
    assert_eq!(status, 200, "{reset}");
    assert_eq!(
        zhao.send("GET", "/api/me", None).await.0,
        401,
        "the session ended"
    );
    assert_eq!(
        sign_in(&app, "zhaoxin", created["password"].as_str().unwrap())
            .await
            .0,
        401
    );
    let (status, again) = sign_in(&app, "zhaoxin", reset["password"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let again = again.unwrap();
    assert_eq!(again.me["must_change_password"], true);

    // disabled: signed out and refused like a wrong password; enabled again
    assert_eq!(
        office
            .post_json(&format!("/api/admin/accounts/{person}/disable"), json!({}))
            .await
            .0,
        204
    );
    assert_eq!(again.send("GET", "/api/me", None).await.0, 401);
    assert_eq!(
        sign_in(&app, "zhaoxin", reset["password"].as_str().unwrap())
            .await
            .0,
        401
    );
    assert_eq!(
        office
            .post_json(&format!("/api/admin/accounts/{person}/enable"), json!({}))
            .await
            .0,
        204
    );
    assert_eq!(
        sign_in(&app, "zhaoxin", reset["password"].as_str().unwrap())
            .await
            .0,
        200
    );
    // the office does not lock itself out
    let me = office.person_id();
    assert_eq!(
        office
            .post_json(&format!("/api/admin/accounts/{me}/disable"), json!({}))
            .await
            .0,
        403
    );

    // every change audited; the trail filters by action, person, unit and day
    let trail = office.get_json(&format!("/api/audit?person={me}")).await;
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "create_account",
        "grant_role",
        "revoke_role",
        "reset_password",
        "disable_account",
        "enable_account",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let two = office
        .get_json(&format!("/api/audit?person={me}&limit=2"))
        .await;
    assert_eq!(
        two.as_array().unwrap()[..],
        trail.as_array().unwrap()[..2],
        "a shorter page"
    );
    let grants = office.get_json("/api/audit?action=grant_role").await;
    assert!(grants
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["action"] == "grant_role"));
    assert_eq!(grants.as_array().unwrap().len(), 1);
    // Every action the trail holds is one the filter knows; a name no
    // record carries ("review": reviews are approve or return) is refused.
    let names: Vec<String> = sqlx::query_scalar("SELECT DISTINCT action FROM audit_log")
        .fetch_all(&app.db)
        .await
        .unwrap();
    for name in &names {
        assert!(
            chengnuo_domain::audit::AuditAction::parse(name).is_some(),
            "{name} is recorded but not in the list"
        );
    }
    assert!(names.iter().any(|n| n == "approve"));
    let (status, body) = office.send("GET", "/api/audit?action=review", None).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "action");
    let approvals = office.get_json("/api/audit?action=approve").await;
    assert!(!approvals.as_array().unwrap().is_empty());
    assert!(approvals
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["words"] == "审核通过"));
    // The filter's list: every recorded name, no other, in the caller's words.
    let offered = office.get_json("/api/audit/actions").await;
    let offered: Vec<&str> = offered
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().all(|n| offered.contains(&n.as_str())));
    assert!(!offered.contains(&"review"));
    assert_eq!(
        app.login("member")
            .await
            .send("GET", "/api/audit/actions", None)
            .await
            .0,
        403
    );
    let about_branch = office
        .get_json(&format!("/api/audit?unit={branch}&action=create_account"))
        .await;
    assert_eq!(
        about_branch.as_array().unwrap().len(),
        1,
        "the new person is of the branch"
    );
    let today = chrono::Utc::now().date_naive();
    let todays = office
        .get_json(&format!("/api/audit?person={me}&from={today}&to={today}"))
        .await;
    let dated_today = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["at"].as_str().unwrap().starts_with(&today.to_string()))
        .count();
    assert!(dated_today >= 6, "this test's changes are today's");
    assert_eq!(todays.as_array().unwrap().len(), dated_today);
    let yesterday = today - chrono::Days::new(1);
    let before_today = office
        .get_json(&format!("/api/audit?person={me}&to={yesterday}"))
        .await;
    let dated_before = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["at"].as_str().unwrap() < today.to_string().as_str())
        .count();
    assert_eq!(before_today.as_array().unwrap().len(), dated_before);
}

#[tokio::test]
async fn nobody_but_the_office_administers() {
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    let person = member.person_id();
    let branch = member.branch_id();
    let calls: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", "/api/admin/units".into(), None),
        ("GET", format!("/api/admin/people?unit={branch}"), None),
        (
            "POST",
            "/api/admin/accounts".into(),
            Some(json!({"name": "x", "branch": branch, "category": "Teacher", "login": "xx"})),
        ),
        (
            "POST",
            format!("/api/admin/accounts/{person}/password"),
            Some(json!({})),
        ),
        (
            "POST",
            format!("/api/admin/accounts/{person}/disable"),
            Some(json!({})),
        ),
        (
            "POST",
            format!("/api/admin/accounts/{person}/enable"),
            Some(json!({})),
        ),
        (
            "POST",
            "/api/admin/grants".into(),
            Some(json!({"person": person, "role": "Office", "unit": branch})),
        ),
        (
            "POST",
            "/api/admin/grants/revoke".into(),
            Some(json!({"person": person, "role": "Member", "unit": branch})),
        ),
        ("GET", "/api/audit".into(), None),
    ];
    for login in ["member", "branch", "committee", "leader"] {
        let user = app.login(login).await;
        for (method, path, body) in &calls {
            let (status, answer) = user.send(method, path, body.clone()).await;
            assert_eq!(status, 403, "{login}: {method} {path}: {answer}");
        }
        let (status, _) = upload(&user, HEADER, "zh-CN").await;
        assert_eq!(status, 403, "{login} uploads a roster");
    }
    for (method, path, body) in &calls {
        assert_eq!(
            app.visitor().send(method, path, body.clone()).await.0,
            401,
            "{method} {path}"
        );
    }
    // nothing changed for the member
    let (status, _) = sign_in(&app, "member", "chengnuo-demo").await;
    assert_eq!(status, 200);
}

/// Signed in with a one-time password, an account is answered nothing but
/// the change of its password, who it is, and signing out: every other
/// route of the document that needs a session says 403
/// `password_change_required` in the person's language, and nothing is
/// created; the public routes answer it as the public. Once changed, it is
/// served.
#[tokio::test]
async fn a_one_time_password_opens_nothing_but_its_change() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let member = app.login("member").await;
    let new = json!({"name": "钱新", "branch": member.branch_id(), "category": "Teacher", "title": "讲师", "login": "qianxin"});
    let (status, created) = office.post_json("/api/admin/accounts", new).await;
    assert_eq!(status, 201, "{created}");
    let one_time = created["password"].as_str().unwrap().to_owned();
    let (_, qian) = sign_in(&app, "qianxin", &one_time).await;
    let qian = qian.unwrap();
    let commitments_before = count(&app, "SELECT COUNT(*) FROM commitments").await;

    let doc: Value = qian.get_json("/api/openapi.json").await;
    let open = [
        "GET /api/health",
        "GET /api/openapi.json",
        "POST /api/auth/login",
        "POST /api/auth/logout",
        "POST /api/auth/password",
        "GET /api/me",
    ];
    let id = "00000000-0000-4000-8000-000000000001";
    let mut refused = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let route = format!("{} {path}", method.to_uppercase());
            let public = operation["security"]
                .as_array()
                .is_none_or(|s| s.iter().all(|s| s.get("session").is_none()));
            if public || open.contains(&route.as_str()) {
                continue;
            }
            let url = [
                "{id}",
                "{item}",
                "{committee}",
                "{unit}",
                "{person}",
                "{hash}",
            ]
            .iter()
            .fold(path.clone(), |url, name| url.replace(name, id));
            let response = qian
                .client
                .request(
                    method.to_uppercase().parse().unwrap(),
                    format!("{}{url}", qian.base),
                )
                .header("accept-language", "zh-CN")
                .header("content-type", "application/json")
                .body(r#"{"commitment":{"type":"Person"}}"#)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert_eq!(status, 403, "{route}: {body}");
            assert_eq!(body["error"]["code"], "password_change_required", "{route}");
            assert_eq!(
                body["error"]["message"], "请先把一次性密码改为您自己的密码。",
                "{route}"
            );
            refused += 1;
        }
    }
    assert!(refused >= 60, "only {refused} routes tried");
    // The board answers as to anyone.
    let response = qian
        .client
        .get(format!("{}/api/board", qian.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM commitments").await,
        commitments_before
    );
    assert_eq!(qian.get_json("/api/me").await["must_change_password"], true);

    let (status, body) = qian
        .post_json(
            "/api/auth/password",
            json!({"current": one_time, "new": "qianxin-own-secret", "repeat": "qianxin-own-secret"}),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let response = qian
        .client
        .get(format!("{}/api/commitments", qian.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

/// A name longer than the office's form takes is refused at its line (the
/// same bound, 50), nothing stored; a workbook never fails on a long name
/// already stored (cut at Excel's 32,767 characters per cell).
#[tokio::test]
async fn a_roster_line_with_a_name_longer_than_the_form_is_refused_and_workbooks_never_fail() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let school = school_name(&office).await;
    let long = "长".repeat(40_000);
    let units_before = count(&app, "SELECT COUNT(*) FROM org_units").await;
    let people_before = count(&app, "SELECT COUNT(*) FROM persons").await;
    for csv in [
        format!("{HEADER}unit,{long},{school},Committee,法学,,,,,,\n"),
        format!("{HEADER}unit,法学院分党委,{school},Committee,法学,,,,,,\nperson,{long},法学院分党委,,,Teacher,,,,,\n"),
    ] {
        let (status, body) = upload(&office, &csv, "zh-CN").await;
        assert_eq!(status, 422, "{body}");
        let fields = body["error"]["fields"].as_array().unwrap();
        assert!(
            fields.iter().any(|f| f["code"] == "name_too_long"
                && f["message"].as_str().unwrap().contains("最多 50 个字")),
            "{body}"
        );
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM org_units").await,
        units_before
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM persons").await,
        people_before
    );
    // Stored before the bound (an older server): the workbooks still answer.
    let committee = app.login("committee").await;
    let unit = committee.committee_id();
    sqlx::query("UPDATE org_units SET name = $1 WHERE id = $2")
        .bind(&long)
        .bind(&unit)
        .execute(&app.db)
        .await
        .unwrap();
    for (user, path) in [
        (&office, "/api/dashboard/workbook".to_owned()),
        (&office, format!("/api/dashboard/workbook?unit={unit}")),
        (&committee, format!("/api/dashboard/workbook?unit={unit}")),
        (&committee, format!("/api/reports/{unit}/workbook")),
    ] {
        let response = user.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
}

/// The school always keeps a working office account: its last Office role
/// cannot be revoked, nor its last account holding one disabled (409, said
/// at the role); with a second office, either can go.
#[tokio::test]
async fn the_last_office_account_cannot_be_revoked_or_disabled() {
    let app = TestApp::with_demo().await;
    let office = app.login("office").await;
    let me = office.me["person"]["id"].as_str().unwrap().to_owned();
    let school = office.me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["role"] == "Office")
        .unwrap()["unit"]
        .clone();
    let offices = "SELECT COUNT(*) FROM role_grants WHERE role = 'Office'";
    assert_eq!(count(&app, offices).await, 1, "the demo has one office");
    let revoke_mine = json!({"person": me, "role": "Office", "unit": school});
    let (status, body) = office
        .post_json("/api/admin/grants/revoke", revoke_mine.clone())
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "role");
    assert_eq!(body["error"]["fields"][0]["code"], "last_office");
    assert_eq!(count(&app, offices).await, 1, "nothing changed");
    // A second office: now the first role may go, and the second is the last.
    let leader = app.login("leader").await;
    let other = leader.me["person"]["id"].as_str().unwrap().to_owned();
    let grant = json!({"person": other, "role": "Office", "unit": school});
    assert_eq!(
        office.post_json("/api/admin/grants", grant.clone()).await.0,
        204
    );
    let (status, body) = office
        .post_json(&format!("/api/admin/accounts/{other}/disable"), json!({}))
        .await;
    assert_eq!(status, 204, "{body}");
    // Disabled, the second no longer counts: the first stays the last.
    let (status, _) = office
        .post_json("/api/admin/grants/revoke", revoke_mine.clone())
        .await;
    assert_eq!(status, 409);
    let (status, _) = office
        .post_json(&format!("/api/admin/accounts/{other}/enable"), json!({}))
        .await;
    assert_eq!(status, 204);
    let (status, body) = office
        .post_json("/api/admin/grants/revoke", revoke_mine)
        .await;
    assert_eq!(status, 204, "{body}");
}
