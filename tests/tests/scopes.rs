//! Scopes decided in SQL agree with the permission table. For every demo
//! account (members, secretaries, a leader, the office): a fresh phone's
//! pull brings exactly what `permission::on_device` says, in one round trip;
//! `GET /api/commitments` lists exactly what `can(View)` allows; and pulling
//! again from the cursor brings nothing, then only what changed.

use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::permission::{can, Action};
use chengnuo_server::routes::sync::PULL_PAGE;
use chengnuo_server::store::directory;
use chengnuo_tests::TestApp;
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn ids(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_accounts_pull_and_list_are_exactly_what_the_permission_table_allows() {
    let app = TestApp::with_demo().await;
    let logins: Vec<String> = sqlx::query_scalar("SELECT login FROM accounts ORDER BY login")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(logins.len() >= 7);
    assert_scopes_agree(&app, &logins).await;
}

/// The same on a seeded school of 600 members and three years (finished
/// cycles, the current one under way): the named accounts and one person in
/// every 37th place of the roster.
#[tokio::test(flavor = "multi_thread")]
async fn in_a_seeded_school_every_scope_is_what_the_permission_table_allows() {
    let app = TestApp::with_school(600, 3).await;
    let mut logins: Vec<String> = ["member", "branch", "committee", "leader", "office"]
        .map(str::to_owned)
        .to_vec();
    logins.extend((1..600).step_by(37).map(|n| format!("u{n:05}")));
    assert_scopes_agree(&app, &logins).await;
}

async fn assert_scopes_agree(app: &TestApp, logins: &[String]) {
    let dossiers: Vec<Dossier> = sqlx::query_scalar::<_, String>("SELECT dossier FROM commitments")
        .fetch_all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    let current = app.current_cycle().await["id"].as_str().unwrap().to_owned();
    for login in logins {
        let user = app.login(login).await;
        let person = user.person_id().parse().unwrap();
        let actor = {
            let mut db = app.db.acquire().await.unwrap();
            directory::actor(&mut db, person).await.unwrap()
        };
        let on_device: BTreeSet<String> = dossiers
            .iter()
            .filter(|d| d.on_device(&actor, current.parse().ok()))
            .map(|d| d.id.to_string())
            .collect();
        let visible: BTreeSet<String> = dossiers
            .iter()
            .filter(|d| can(&actor, Action::View, &d.target()).is_ok())
            .map(|d| d.id.to_string())
            .collect();

        // A fresh phone: one round trip unless the scope is more than a page
        // (a secretary of a whole committee, a leader, the office).
        let mut pulled_ids = BTreeSet::new();
        let mut since = json!(0);
        let mut trips = 0;
        let pulled = loop {
            let (status, pulled) = user
                .post_json("/api/sync/pull", json!({"since": since}))
                .await;
            assert_eq!(status, 200, "{login}: {pulled}");
            trips += 1;
            pulled_ids.extend(ids(&pulled["changes"]));
            since = pulled["cursor"].clone();
            if pulled["more"] == false {
                break pulled;
            }
        };
        let pages = on_device.len().div_ceil(PULL_PAGE as usize).max(1);
        assert_eq!(trips, pages, "{login}: round trips for {}", on_device.len());
        assert_eq!(pulled_ids, on_device, "{login}: pull");
        let listed = user.get_json("/api/commitments").await;
        assert_eq!(ids(&listed), visible, "{login}: list");

        // Nothing new since the cursor.
        let (_, again) = user
            .post_json("/api/sync/pull", json!({"since": pulled["cursor"]}))
            .await;
        assert_eq!(again["changes"], json!([]), "{login}");
        assert_eq!(again["cursor"], pulled["cursor"], "{login}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_reaches_the_phones_in_scope_and_no_other() {
    let app = TestApp::with_demo().await;
    let member = app.login("member").await;
    let branch = app.login("branch").await;
    let committee = app.login("committee").await;
    let cursors = {
        let mut cursors = Vec::new();
        for user in [&member, &branch, &committee] {
            let (_, pulled) = user.post_json("/api/sync/pull", json!({"since": 0})).await;
            cursors.push(pulled["cursor"].clone());
        }
        cursors
    };
    // The member starts this year's commitment: their phone and their branch
    // secretary's get it; the committee secretary supervises it too (it is
    // under the committee); an account elsewhere does not.
    let cycle = app.current_cycle().await;
    let id = chengnuo_tests::new_id();
    let (status, _) = member
        .post_json(
            "/api/commitments",
            json!({"id": id, "cycle": cycle["id"], "committer": {"type": "person", "id": member.person_id()}}),
        )
        .await;
    assert_eq!(status, 200);
    for (user, cursor) in [&member, &branch, &committee].into_iter().zip(&cursors) {
        let (_, pulled) = user
            .post_json("/api/sync/pull", json!({"since": cursor}))
            .await;
        let got: Vec<&str> = pulled["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(got, [id.as_str()]);
    }
    let other = app.login("student").await;
    let (_, before) = other.post_json("/api/sync/pull", json!({"since": 0})).await;
    assert!(!ids(&before["changes"]).contains(&id));
}
