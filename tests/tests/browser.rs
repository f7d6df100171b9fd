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
