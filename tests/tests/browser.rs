//! Browser tests: real headless Chromium (Debian's), driven by playwright-core
//! from `tests/browser/*.spec.mjs`, against the real server on a random port
//! with a fresh database. Each Rust test starts its own server.

#[tokio::test(flavor = "multi_thread")]
async fn the_app_shell_speaks_both_languages_and_opens_offline() {
    // Its own copy of the client, so the update test can deploy a "new version".
    let dist = chengnuo_tests::dist_copy();
    let path = dist.path().to_path_buf();
    let app = chengnuo_tests::spawn_app_with(|settings| settings.dist = path.clone()).await;
    app.run_browser_test_with("shell.spec.mjs", &[("CHENGNUO_DIST", dist.path())])
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_drafts_offline_and_it_syncs_when_back_online() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("drafting.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn two_devices_a_lost_response_and_an_offline_reviewer() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("sync.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_commitment_from_draft_to_the_public_board() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("publication.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_committee_sends_its_report_package() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    // Arrange: everything the computer science package needs is approved but
    // the software engineering branch's commitment, which waits for the committee.
    let committee = app.login("committee").await;
    let package: serde_json::Value = committee
        .client
        .get(app.url(&format!("/api/reports/{}", committee.committee_id())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for line in package["lines"].as_array().unwrap() {
        let waiting = line["committer_name"] == "软件工程系教师党支部";
        if line["present"] == true || waiting {
            continue;
        }
        sqlx::query("UPDATE commitments SET state = 'Approved', dossier = json_set(dossier, '$.state', 'Approved') WHERE id = $1")
            .bind(line["commitment"].as_str().unwrap())
            .execute(&app.db)
            .await
            .unwrap();
    }
    app.run_browser_test("package.spec.mjs").await;

    // The package sent from the browser: its workbook lists the branch approved there.
    let office = app.login("office").await;
    let bytes = office
        .client
        .get(app.url(&format!(
            "/api/reports/{}/workbook",
            committee.committee_id()
        )))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let branches = workbook.worksheet_range("党支部承诺").unwrap();
    let rows: Vec<Vec<String>> = branches
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let software: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[1] == "软件工程系教师党支部")
        .collect();
    assert!(!software.is_empty());
    assert!(
        software.iter().all(|r| r[2] == "已审核通过"),
        "{software:?}"
    );
    assert!(!software[0][5].is_empty(), "the item's content");
}

#[tokio::test(flavor = "multi_thread")]
async fn unsynced_work_moves_by_file_and_a_full_storage_is_reported() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("transfer.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_axe_fits_a_phone_and_has_big_enough_targets() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("screens.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_status_tells_the_truth_and_a_submission_is_withdrawn_offline() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("status.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_downloads_the_first_load_only_and_a_secretarys_screens_open_offline() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("parts.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_to_do_list_follows_the_calendar_and_the_items() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.published_cadre_commitment().await;
    app.run_browser_test("todo.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ledger_entries_and_claims_go_from_an_offline_phone_to_the_branch_and_back() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.published_cadre_commitment().await;
    app.run_browser_test("fulfilment.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn photos_and_pdfs_attached_offline_are_scaled_kept_and_uploaded_once() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.published_cadre_commitment().await;
    app.run_browser_test("evidence.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_office_sets_up_a_year_and_puts_it_in_force() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("years.spec.mjs").await;
}

/// Issue 16's dashboard: the office on a phone, with one commitment in force.
#[tokio::test(flavor = "multi_thread")]
async fn the_office_reads_sorts_drills_down_exports_and_reads_offline_its_dashboard() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.published_cadre_commitment().await;
    app.run_browser_test("dashboard.spec.mjs").await;
}

/// Issue 16's 情况通报: generated, edited, published, read, printed.
#[tokio::test(flavor = "multi_thread")]
async fn a_notice_is_generated_edited_published_read_and_printed() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.published_cadre_commitment().await;
    app.run_browser_test("circular.spec.mjs").await;
}

/// Issue 16's 简报: nominated, agreed to, composed, published, printed.
#[tokio::test(flavor = "multi_thread")]
async fn a_practice_is_nominated_agreed_to_and_published_in_a_bulletin() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.crossed_off_practice().await;
    app.run_browser_test("bulletin.spec.mjs").await;
}

/// Issue 16's consultation: suggestions are open while the cycle drafts.
#[tokio::test(flavor = "multi_thread")]
async fn a_visitors_suggestion_is_adopted_while_drafting() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    let cycle = app.current_cycle().await;
    sqlx::query("UPDATE cycles SET calendar = json_set(calendar, '$.draft.end', $1) WHERE id = $2")
        .bind((chengnuo_tests::school_today() + chrono::Days::new(3)).to_string())
        .bind(cycle["id"].as_str().unwrap())
        .execute(&app.db)
        .await
        .unwrap();
    app.run_browser_test("consultation.spec.mjs").await;
}

/// Issue 16's administration: the roster, a grant, a one-time password replaced.
#[tokio::test(flavor = "multi_thread")]
async fn the_office_imports_a_roster_and_grants_a_secretary_who_sets_a_password() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.run_browser_test("admin.spec.mjs").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_committer_self_checks_every_item_offline_in_an_open_round() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    app.open_round_today(published["cycle"].as_str().unwrap())
        .await;
    app.run_browser_test("self_check.spec.mjs").await;
}

/// Issue 15's round in the browser; afterwards, the result the server kept
/// is the domain's computation of the inputs it kept.
#[tokio::test(flavor = "multi_thread")]
async fn a_round_is_scored_voted_closed_graded_and_rectified_in_the_browser() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    let published = app.published_cadre_commitment().await;
    let round = app
        .open_round_today(published["cycle"].as_str().unwrap())
        .await;
    sqlx::query("UPDATE rounds SET kind = 'Annual' WHERE id = $1")
        .bind(&round)
        .execute(&app.db)
        .await
        .unwrap();
    let id = published["id"].as_str().unwrap().to_owned();
    // The cadre's first item overdue: the annual close orders its rectification.
    let past = (chengnuo_tests::school_today() - chrono::Duration::days(3)).to_string();
    sqlx::query("UPDATE commitments SET dossier = json_set(dossier, '$.fulfilment[0].deadline', $1) WHERE id = $2")
        .bind(&past)
        .bind(&id)
        .execute(&app.db)
        .await
        .unwrap();
    // Another published commitment with nothing due left undone, scored
    // high: the commendation list has someone on it.
    let today = chengnuo_tests::school_today();
    let others: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, dossier FROM commitments WHERE state = 'Published' AND cycle_id = $1 AND id != $2",
    )
    .bind(published["cycle"].as_str().unwrap())
    .bind(&id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let excellent = others
        .iter()
        .find(|(_, dossier)| {
            let dossier: chengnuo_domain::dossier::Dossier = serde_json::from_str(dossier).unwrap();
            dossier.standings().iter().all(|s| {
                s.deadline > today || s.state == chengnuo_domain::workflow::ItemState::CrossedOff
            })
        })
        .map(|(other, _)| other.clone())
        .expect("a published commitment with nothing due left undone");
    let scorer = app.login("office").await.person_id();
    for assessor in ["Leader", "Organization"] {
        sqlx::query("INSERT INTO assessments (round_id, commitment_id, assessor, scorer_id, score, comment, scored_at) VALUES ($1, $2, $3, $4, 96, '好', '2026-01-01T00:00:00Z')")
            .bind(&round)
            .bind(&excellent)
            .bind(assessor)
            .bind(&scorer)
            .execute(&app.db)
            .await
            .unwrap();
    }
    sqlx::query("INSERT INTO mass_tallies (round_id, commitment_id, satisfied) VALUES ($1, $2, 5)")
        .bind(&round)
        .bind(&excellent)
        .execute(&app.db)
        .await
        .unwrap();
    app.run_browser_test_with(
        "evaluation.spec.mjs",
        &[
            ("COMMITMENT", std::path::Path::new(&id)),
            ("ROUND", std::path::Path::new(&round)),
        ],
    )
    .await;
    let (inputs, result): (String, String) = sqlx::query_as(
        "SELECT inputs, result FROM round_results WHERE round_id = $1 AND commitment_id = $2",
    )
    .bind(&round)
    .bind(&id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let inputs: chengnuo_domain::evaluation::RoundInputs = serde_json::from_str(&inputs).unwrap();
    let kept: chengnuo_domain::evaluation::RoundResult = serde_json::from_str(&result).unwrap();
    let settings = chengnuo_domain::cycle::CycleSettings::default();
    assert_eq!(
        kept,
        chengnuo_domain::evaluation::assess(&inputs, &settings)
    );
    assert_eq!(inputs.ballots.len(), 6);
    assert_eq!(inputs.leader_scores.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_phone_keeps_what_was_typed_when_full_killed_shared_or_its_clock_is_wrong() {
    let app = chengnuo_tests::TestApp::with_demo().await;
    app.published_cadre_commitment().await;
    app.run_browser_test("durability.spec.mjs").await;
}
