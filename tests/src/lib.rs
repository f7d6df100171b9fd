//! Helpers shared by the integration tests: the real server on a random port
//! with a fresh database (the zero2prod `spawn_app` pattern), and the runner
//! of the browser tests in `tests/browser/`.

pub mod storm;

use chengnuo_server::config::Settings;
use chengnuo_server::startup::Application;
use std::path::PathBuf;
use std::process::Output;

pub struct TestApp {
    pub address: String,
    pub db: sqlx::AnyPool,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    /// The database the server was started on (a second instance shares it).
    pub database_url: String,
    /// The temporary folder of the database: the first instance owns it.
    _data: Option<std::sync::Arc<tempfile::TempDir>>,
}

/// Today at the school (the cycles the tests create keep the default time
/// zone, UTC+8): the day the server checks dates against.
pub fn school_today() -> chrono::NaiveDate {
    let offset = chengnuo_domain::cycle::CycleSettings::default().utc_offset_minutes;
    chengnuo_domain::cycle::school_day(chrono::Utc::now(), offset)
}

/// A fresh id as the API writes ids (a UUID v4).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The built client: `CHENGNUO_DIST`, else the workspace's `dist/`.
pub fn dist() -> PathBuf {
    std::env::var_os("CHENGNUO_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"))
}

/// A copy of the built client a test may change (a "new deployment").
pub fn dist_copy() -> tempfile::TempDir {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).expect("a folder");
        for entry in std::fs::read_dir(from).expect("the client is built") {
            let entry = entry.expect("an entry");
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("a copy");
            }
        }
    }
    let folder = tempfile::tempdir().expect("a temporary folder");
    copy(&dist(), folder.path());
    folder
}

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// Starts the real server on 127.0.0.1 with a random free port and a fresh
/// database: SQLite in a temporary folder, or, when `CHENGNUO_TEST_POSTGRES`
/// names a PostgreSQL server (`postgres://user@host:port`, as `cargo xtask
/// test` sets it for its second pass), a new database there.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let data = std::sync::Arc::new(tempfile::tempdir().expect("a temporary folder"));
    let database_url = match postgres_server() {
        Some(server) => fresh_postgres_database(&server).await,
        None => format!("sqlite://{}", data.path().join("test.db").display()),
    };
    spawn_on(database_url, Some(data), configure).await
}

/// The PostgreSQL server the tests run against, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var("CHENGNUO_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// A new, empty database on `server` (`postgres://user@host:port`), its URL.
pub async fn fresh_postgres_database(server: &str) -> String {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    postgres_admin(server, &format!("CREATE DATABASE {name}")).await;
    format!("{server}/{name}")
}

/// Runs `statement` on `server`'s `postgres` database (creating or dropping
/// databases).
pub async fn postgres_admin(server: &str, statement: &str) {
    use sqlx::Connection as _;
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("the PostgreSQL server answers");
    sqlx::query(statement)
        .execute(&mut admin)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
    let _ = admin.close().await;
}

/// Starts a server on `database_url` (an empty database, or one of this
/// server's).
pub async fn spawn_on_database(
    database_url: String,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    spawn_on(database_url, None, configure).await
}

/// Starts a server on `database_url`.
async fn spawn_on(
    database_url: String,
    data: Option<std::sync::Arc<tempfile::TempDir>>,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = Settings {
        addr: "127.0.0.1:0".parse().expect("an address"),
        database_url: database_url.clone(),
        dist: dist(),
        demo: false,
        session_idle_minutes: 14 * 24 * 60,
        session_max_minutes: 90 * 24 * 60,
        secure_cookies: false,
        trusted_proxies: Vec::new(),
        max_in_flight: 256,
    };
    configure(&mut settings);
    let application = Application::build(&settings)
        .await
        .expect("the server starts");
    let address = format!("http://127.0.0.1:{}", application.port());
    let db = application.db.clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(application.run_until(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        address,
        db,
        client,
        stop: Some(stop),
        database_url,
        _data: data,
    }
}

impl TestApp {
    /// Changes the JSON held in `column` of the row `id` of `table`, in Rust,
    /// so the same test runs on both databases (their JSON functions differ).
    pub async fn edit_json(
        &self,
        table: &str,
        column: &str,
        id: &str,
        edit: impl FnOnce(&mut serde_json::Value),
    ) {
        let text: String =
            sqlx::query_scalar(&format!("SELECT {column} FROM {table} WHERE id = $1"))
                .bind(id)
                .fetch_one(&self.db)
                .await
                .expect("the row");
        let mut value: serde_json::Value = serde_json::from_str(&text).expect("stored JSON");
        edit(&mut value);
        sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
            .bind(value.to_string())
            .bind(id)
            .execute(&self.db)
            .await
            .expect("the row is changed");
    }

    /// Puts a commitment in `state` behind the API's back (its column and
    /// its dossier), as a fixture.
    pub async fn force_state(&self, id: &str, state: &str) {
        sqlx::query("UPDATE commitments SET state = $1 WHERE id = $2")
            .bind(state)
            .bind(id)
            .execute(&self.db)
            .await
            .expect("the commitment");
        self.edit_json("commitments", "dossier", id, |d| d["state"] = state.into())
            .await;
    }

    /// A second server process's worth of state (its own caches, pool and
    /// port) on this one's database, as two instances behind a load
    /// balancer: whatever one keeps only in memory, the other does not see.
    pub async fn another_instance(&self) -> TestApp {
        spawn_on(self.database_url.clone(), self._data.clone(), |_| {}).await
    }

    /// `user`'s session (their cookie jar: cookies ignore the port) sending
    /// its requests to this instance.
    pub fn as_here(&self, user: &User) -> User {
        User {
            client: user.client.clone(),
            me: user.me.clone(),
            base: self.address.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Runs one file of `tests/browser/` with node's test runner against this
    /// server, and fails the Rust test with the browser test's output if it fails.
    pub async fn run_browser_test(&self, spec: &str) {
        self.run_browser_test_with(spec, &[]).await
    }

    /// As `run_browser_test`, with extra environment for the spec.
    pub async fn run_browser_test_with(&self, spec: &str, env: &[(&str, &std::path::Path)]) {
        assert!(
            dist().join("index.html").exists(),
            "the client is not built: run `cargo xtask build-client` (or `cargo xtask test`) first"
        );
        let browser = workspace_root().join("tests").join("browser");
        assert!(
            browser
                .join("node_modules")
                .join("playwright-core")
                .exists(),
            "playwright-core is missing: run `cargo xtask test`, which installs it"
        );
        let output: Output = tokio::process::Command::new("node")
            .arg("--test")
            .arg("--test-reporter=spec")
            .arg(spec)
            .current_dir(&browser)
            .env("CHENGNUO_URL", &self.address)
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .output()
            .await
            .expect("node runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        println!("{stdout}");
        eprintln!("{stderr}");
        assert!(output.status.success(), "browser test {spec} failed");
    }
}

/// A person signed in to the test server, with their own cookie jar.
#[derive(Clone)]
pub struct User {
    pub client: reqwest::Client,
    pub me: serde_json::Value,
    /// The server's address.
    pub base: String,
}

impl User {
    /// Any request with an optional JSON body: the status and the JSON answer
    /// (`Null` when the answer is not JSON).
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = self.client.request(
            method.parse().expect("a method"),
            format!("{}{path}", self.base),
        );
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// A GET that must succeed.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.send("GET", path, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    pub async fn post_json(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send("POST", path, Some(body)).await
    }

    pub async fn put_json(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.send("PUT", path, Some(body)).await
    }

    pub fn person_id(&self) -> String {
        self.me["person"]["id"].as_str().expect("an id").to_owned()
    }
    pub fn branch_id(&self) -> String {
        self.me["branch"]["id"]
            .as_str()
            .expect("a branch")
            .to_owned()
    }
    pub fn committee_id(&self) -> String {
        self.me["committee"]["id"]
            .as_str()
            .expect("a committee")
            .to_owned()
    }
}

impl TestApp {
    /// The demo university's server (`--demo`).
    pub async fn with_demo() -> TestApp {
        spawn_app_with(|settings| settings.demo = true).await
    }

    /// A server on a seeded school (`seed --members N --years Y`): the named
    /// logins of the demo and `u00001`…, every password `chengnuo-demo`.
    pub async fn with_school(members: usize, years: usize) -> TestApp {
        Self::with_school_of(chengnuo_server::demo::school::SchoolSize {
            members,
            years,
            units: None,
        })
        .await
    }

    /// A server on a seeded school of the given size.
    pub async fn with_school_of(size: chengnuo_server::demo::school::SchoolSize) -> TestApp {
        let app = spawn_app().await;
        chengnuo_server::demo::school::seed(&app.db, size, chrono::Utc::now())
            .await
            .expect("the school is seeded");
        app
    }

    /// Someone who is not signed in (the public), as a `User` for its helpers.
    pub fn visitor(&self) -> User {
        User {
            client: Self::new_client(),
            me: serde_json::Value::Null,
            base: self.address.clone(),
        }
    }

    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("an HTTP client")
    }

    /// Signs in a demo account (password `chengnuo-demo`).
    pub async fn login(&self, login: &str) -> User {
        let client = Self::new_client();
        let response = client
            .post(self.url("/api/auth/login"))
            .json(&serde_json::json!({"login": login, "password": "chengnuo-demo"}))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), 200, "sign-in of {login}");
        let me = response.json().await.expect("me");
        User {
            client,
            me,
            base: self.address.clone(),
        }
    }

    /// Opens a quarterly round of `cycle` from the school's today, for ten
    /// days, straight in the database (the office's route keeps rounds
    /// within fulfilment, which the demo's cycle has not reached yet).
    pub async fn open_round_today(&self, cycle: &str) -> String {
        let id = new_id();
        let today = school_today();
        sqlx::query("INSERT INTO rounds (id, cycle_id, kind, opens_on, closes_on, is_closed) VALUES ($1, $2, 'Quarterly', $3, $4, 0)")
            .bind(&id)
            .bind(cycle)
            .bind(today.to_string())
            .bind((today + chrono::Duration::days(10)).to_string())
            .execute(&self.db)
            .await
            .expect("a round");
        id
    }

    pub async fn current_cycle(&self) -> serde_json::Value {
        self.client
            .get(self.url("/api/cycles/current"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The cadre's commitment of the current cycle (submitted in the demo),
    /// approved by `branch`, signed, and published by `branch` from today for
    /// seven days: on display, open for feedback, in force for the ledger.
    pub async fn published_cadre_commitment(&self) -> serde_json::Value {
        let cadre = self.login("cadre").await;
        let branch = self.login("branch").await;
        let cycle = self.current_cycle().await;
        let all: serde_json::Value = branch
            .client
            .get(self.url(&format!(
                "/api/commitments?cycle={}",
                cycle["id"].as_str().unwrap()
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut target = all
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["committer"]["id"] == cadre.person_id().as_str())
            .expect("the cadre's commitment")
            .clone();
        let criteria = serde_json::json!({"vanguard": true, "centred_on_work": true, "fits_post": true, "matches_wishes": true, "feasible": true});
        let today = crate::school_today();
        let steps = [
            (
                &branch,
                "review",
                serde_json::json!({"review": {"criteria": criteria, "decision": "Approve"}}),
            ),
            (&cadre, "sign", serde_json::json!({})),
            (
                &branch,
                "publish",
                serde_json::json!({"display": {"start": today.to_string(), "end": (today + chrono::Duration::days(6)).to_string()}}),
            ),
        ];
        for (user, step, mut body) in steps {
            body["base_revision"] = target["revision"].clone();
            let response = user
                .client
                .post(self.url(&format!(
                    "/api/commitments/{}/{step}",
                    target["id"].as_str().unwrap()
                )))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{step}");
            target = response.json().await.unwrap();
        }
        assert_eq!(target["state"], "Published");
        target
    }

    /// The cadre's published commitment with its first item crossed off after
    /// one ledger entry, and one entry on the second (still open) item.
    pub async fn crossed_off_practice(&self) -> (String, Vec<String>, Vec<String>) {
        let app = self;
        let published = app.published_cadre_commitment().await;
        let id = published["id"].as_str().unwrap().to_owned();
        let cadre = app.login("cadre").await;
        let branch = app.login("branch").await;
        let today = crate::school_today().to_string();
        let ledger_path = format!("/api/commitments/{id}/ledger");
        let ledger = cadre.get_json(&ledger_path).await;
        let items: Vec<String> = ledger["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["item"].as_str().unwrap().to_owned())
            .collect();
        for (item, text) in [
            (&items[0], "组建答疑小组，每周两次"),
            (&items[1], "联系了三家企业"),
        ] {
            let (status, _) = cadre
                .post_json(
                    &ledger_path,
                    serde_json::json!({"item": item, "date": today, "text": text}),
                )
                .await;
            assert_eq!(status, 200);
        }
        let step = format!("/api/commitments/{id}/items/{}/steps", items[0]);
        assert_eq!(
            cadre
                .post_json(&step, serde_json::json!({"step": "Claim"}))
                .await
                .0,
            200
        );
        assert_eq!(
            branch
                .post_json(&step, serde_json::json!({"step": "CrossOff"}))
                .await
                .0,
            200
        );
        let ledger = cadre.get_json(&ledger_path).await;
        let entries = items[..2]
            .iter()
            .map(|item| {
                ledger["entries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["item"] == item.as_str())
                    .unwrap_or_else(|| panic!("{ledger}"))["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        (id, items, entries)
    }

    /// Everything a refused request must leave alone, as one comparable value.
    pub async fn fingerprint(&self) -> Fingerprint {
        let commitments: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT id, revision, dossier FROM commitments ORDER BY id")
                .fetch_all(&self.db)
                .await
                .unwrap();
        let mut counts = Vec::new();
        for table in [
            "audit_log",
            "board_entries",
            "feedback",
            "progress_entries",
            "report_packages",
            "set_aside_versions",
        ] {
            let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&self.db)
                .await
                .unwrap();
            counts.push((table, count));
        }
        let stream: i64 = sqlx::query_scalar(
            "SELECT CAST(value AS INTEGER) FROM app_meta WHERE key = 'change_seq'",
        )
        .fetch_one(&self.db)
        .await
        .unwrap();
        counts.push(("change stream", stream));
        let hidden: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT id, hidden_at FROM feedback ORDER BY id")
                .fetch_all(&self.db)
                .await
                .unwrap();
        Fingerprint {
            commitments,
            counts,
            hidden,
        }
    }
}

/// The rows and counts a refusal must not change.
#[derive(Debug, PartialEq)]
pub struct Fingerprint {
    pub commitments: Vec<(String, i64, String)>,
    pub counts: Vec<(&'static str, i64)>,
    pub hidden: Vec<(String, Option<String>)>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
