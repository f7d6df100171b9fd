//! The server's administration commands: backup, accounts, the roster import
//! (all or nothing, errors by line) and the commitments export.

use chengnuo_server::admin::{self, AdminError};
use chengnuo_tests::{spawn_app, TestApp};
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn an_online_backup_holds_the_data() {
    let app = TestApp::with_demo().await;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("backup.db");
    if chengnuo_tests::postgres_server().is_some() {
        // PostgreSQL is backed up by its own tools; the server says so.
        let refused = admin::backup(&app.db, &path).await.unwrap_err();
        assert!(refused.to_string().contains("pg_dump"), "{refused}");
        assert!(!path.exists());
        return;
    }
    admin::backup(&app.db, &path).await.unwrap();
    let copy = chengnuo_server::db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons")
        .fetch_one(&copy)
        .await
        .unwrap();
    let original: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(people, original);
    assert!(
        matches!(
            admin::backup(&app.db, &path).await,
            Err(AdminError::Refused(_))
        ),
        "never overwrites"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_are_created_and_passwords_reset() {
    let app = TestApp::with_demo().await;
    let report = admin::create_account(
        &app.db,
        "newteacher",
        "钱学文",
        "软件工程系教师党支部",
        "Teacher",
        None,
        "讲师",
        Some("first-password".into()),
    )
    .await
    .unwrap();
    assert!(report.contains("newteacher"));
    let login = |password: &'static str| {
        let client = TestApp::new_client();
        let url = app.url("/api/auth/login");
        async move {
            client
                .post(url)
                .json(&json!({"login": "newteacher", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(login("first-password").await, 200);
    let report = admin::reset_password(&app.db, "newteacher", None)
        .await
        .unwrap();
    assert!(report.contains("new password"));
    assert_eq!(login("first-password").await, 401);
    // A password chosen on the command line meets the app's rule (10 characters).
    let refused = admin::reset_password(&app.db, "newteacher", Some("short".into())).await;
    assert!(
        matches!(refused, Err(AdminError::Refused(ref m)) if m.contains("10")),
        "{refused:?}"
    );
    assert!(
        admin::reset_password(&app.db, "newteacher", Some("long-enough-1".into()))
            .await
            .is_ok()
    );
    assert_eq!(login("long-enough-1").await, 200);
    assert!(admin::create_account(
        &app.db,
        "newteacher",
        "重名",
        "软件工程系教师党支部",
        "Teacher",
        None,
        "",
        None
    )
    .await
    .is_err());
    assert!(
        admin::create_account(
            &app.db,
            "x",
            "某人",
            "计算机科学与技术学院分党委",
            "Teacher",
            None,
            "",
            None
        )
        .await
        .is_err(),
        "people belong to branches"
    );
    admin::grant(
        &app.db,
        "newteacher",
        "BranchSecretary",
        "软件工程系教师党支部",
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_roster_imports_whole_or_not_at_all() {
    let app = spawn_app().await;
    let folder = tempfile::tempdir().unwrap();
    let good = folder.path().join("roster.csv");
    std::fs::write(
        &good,
        "type,name,parent,kind,short_name,category,cadre_rank,activist,title,login,role\n\
         unit,明德大学党委,,School,校,,,,,,\n\
         unit,外国语学院分党委,明德大学党委,Committee,外语,,,,,,\n\
         unit,英语系教师党支部,外国语学院分党委,Teaching,英语系,,,,,,\n\
         person,林小雨,英语系教师党支部,,,Teacher,,no,讲师,linxiaoyu,BranchSecretary\n\
         person,周一鸣,英语系教师党支部,,,Student,,yes,本科二年级,,\n",
    )
    .unwrap();
    let bad = folder.path().join("bad.csv");
    std::fs::write(
        &bad,
        "type,name,parent,kind,short_name,category,cadre_rank,activist,title,login,role\n\
         unit,法学院分党委,明德大学党委,Committee,法学,,,,,,\n\
         person,无名,不存在的支部,,,Teacher,,,,,\n\
         person,某人,英语系教师党支部,,,Professor,,,,,\n",
    )
    .unwrap();
    let report = admin::import_roster(&app.db, &good).await.unwrap();
    assert!(
        report.starts_with("imported 3 units and 2 people"),
        "{report}"
    );
    assert!(report.contains("linxiaoyu"));
    let units_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let error = admin::import_roster(&app.db, &bad)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("line 3: No branch is named \"不存在的支部\"."),
        "{error}"
    );
    assert!(
        error.contains("line 4: The category \"Professor\" is not one of"),
        "{error}"
    );
    assert!(!error.contains("line 2"), "{error}");
    let units_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(units_after, units_before, "nothing imported");
    let activist: i64 = sqlx::query_scalar("SELECT is_activist FROM persons WHERE name = '周一鸣'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(activist, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cycles_commitments_export_one_row_per_item() {
    let app = TestApp::with_demo().await;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("export.csv");
    let year: i32 = sqlx::query_scalar("SELECT year FROM cycles WHERE is_current = 0")
        .fetch_one(&app.db)
        .await
        .unwrap();
    // Cells a spreadsheet would run as formulas (OWASP: CSV injection).
    let id: String = sqlx::query_scalar(
        "SELECT c.id FROM commitments c JOIN cycles y ON y.id = c.cycle_id WHERE y.year = $1 ORDER BY c.id LIMIT 1",
    )
    .bind(year)
    .fetch_one(&app.db)
    .await
    .unwrap();
    app.edit_json("commitments", "dossier", &id, |d| {
        d["draft"]["items"][0]["content"] = "=HYPERLINK(\"http://evil.example\")".into();
        d["draft"]["items"][0]["measures"] = "@SUM(1+1)".into();
    })
    .await;
    let report = admin::export_commitments(&app.db, year, &path)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), "number,committer,committee,state,item,area,content,measures,deadline,target,practical_deed");
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 50, "{report}");
    assert!(rows.iter().all(|r| r.contains("Published")));
    assert!(text.contains("'=HYPERLINK"), "a formula is neutralised");
    assert!(text.contains("'@SUM(1+1)"));
    assert!(!text.contains(",=HYPERLINK") && !text.contains(",@SUM"));
    assert!(rows
        .iter()
        .any(|r| r.contains("软件工程系教师党支部") && r.contains("B2")));
    assert!(matches!(
        admin::export_commitments(&app.db, 1999, &path).await,
        Err(AdminError::Refused(_))
    ));
}
