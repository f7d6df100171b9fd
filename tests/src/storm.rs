//! The seeded sync storm: devices running the very engine the browser runs
//! (`chengnuo_domain::sync::engine`) against the real server, under every
//! fault a phone network and a server can produce, then healed and checked.
//!
//! One seed is one run: N devices over M accounts (several phones per
//! person, a branch secretary reviewing on two), random offline periods,
//! typing at any moment (also while a push is on its way), requests dropped
//! before the server, answers lost after it applied them, requests
//! duplicated, delayed and delivered out of order after the device gave up,
//! tabs reloaded, and the server restarted, also in the middle of a batch.
//! Then every device comes online and syncs until quiet, and the run checks:
//!
//! - every operation a device saw acknowledged is recorded on the server,
//!   and every applied change is applied once (a commitment's revision and
//!   its audit rows count exactly its applied operations);
//! - every device of an account holds what the server holds;
//! - whatever a device holds that the server does not is visible to its
//!   owner (waiting, a merge to make, a refusal);
//! - every character typed is on the server, or in a visible refusal on the
//!   device that typed it, or in an item someone removed.
//!
//! Everything random comes from the seed, so a failing seed replays the same
//! steps (only whether a batch cut by a restart had committed depends on
//! timing, and both cases must pass).

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use axum::Router;
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::ids::{CommitmentId, OperationId, OrgUnitId, PersonId};
use chengnuo_domain::org::{Ancestry, BranchKind, MemberCategory};
use chengnuo_domain::review::{Criteria, ReviewDecision, ReviewDraft};
use chengnuo_domain::sync::engine::{Engine, Failure, Request as SyncRequest};
use chengnuo_domain::sync::merge::{merge, Choice};
use chengnuo_domain::sync::replica::{Replica, SyncStatus};
use chengnuo_domain::sync::{Change, Outcome, PullResponse, PushRequest, PushResponse};
use chengnuo_domain::workflow::CommitmentState;
use chengnuo_server::config::Settings;
use chengnuo_server::startup::Application;
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use sqlx::AnyPool;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// How big a run is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Random events before the network heals.
    pub events: usize,
    /// Server instances on the one database, as behind a load balancer:
    /// each request goes to the next one in turn, a restart stops one of
    /// them (the one applying the batch, when a batch is cut).
    pub instances: usize,
}

impl Default for Size {
    fn default() -> Size {
        Size {
            events: 240,
            instances: 1,
        }
    }
}

/// What a run found and did, for the benchmark and the failure message.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub requests: usize,
    /// Answers 503 (the database stayed busy): retried like a lost answer.
    pub busy: usize,
    pub typed_in_flight: usize,
    pub dropped: usize,
    pub answers_lost: usize,
    pub duplicated: usize,
    pub delayed: usize,
    pub restarts: usize,
    pub cut_batches: usize,
    pub conflicts_merged: usize,
    pub refusals_seen: usize,
    pub tokens: usize,
}

#[derive(Debug, Clone)]
struct Account {
    person: PersonId,
    cookie: String,
    /// The unit whose own commitment this account drafts, as its secretary.
    leads: Option<OrgUnitId>,
    branch: OrgUnitId,
}

/// A database with the storm's small school, its accounts signed in, made
/// once and copied for every seed.
pub struct Template {
    _dir: tempfile::TempDir,
    source: Source,
    accounts: Vec<Account>,
    cycle: Cycle,
}

const ROSTER: &str = "\
type,name,parent,kind,short_name,category,cadre_rank,activist,title,login,role
unit,风暴大学党委,,School,校,,,,,,
unit,测试学院分党委,风暴大学党委,Committee,测试,,,,,,
unit,风暴测试党支部,测试学院分党委,Teaching,风暴,,,,,,
person,甲老师,风暴测试党支部,,,Teacher,,,讲师,storm-a,
person,乙老师,风暴测试党支部,,,Teacher,,,讲师,storm-b,
person,丙老师,风暴测试党支部,,,Teacher,Section,,副教授,storm-c,
person,丁书记,风暴测试党支部,,,Teacher,,,教授,storm-s,BranchSecretary
";

/// Where the template database is: an SQLite file copied for every seed, or
/// a PostgreSQL database every seed's database is created from
/// (`CHENGNUO_TEST_POSTGRES`, as in the API tests).
enum Source {
    Sqlite(PathBuf),
    Postgres { server: String, name: String },
}

impl Source {
    /// A database of the seed's own, a copy of the template; its URL.
    async fn copy(&self, folder: &Path) -> String {
        match self {
            Source::Sqlite(path) => {
                let copy = folder.join("storm.db");
                std::fs::copy(path, &copy).expect("the template is copied");
                format!("sqlite://{}", copy.display())
            }
            Source::Postgres { server, name } => {
                let copy = format!("s_{}", uuid::Uuid::new_v4().simple());
                crate::postgres_admin(server, &format!("CREATE DATABASE {copy} TEMPLATE {name}"))
                    .await;
                format!("{server}/{copy}")
            }
        }
    }

    /// Drops a seed's database (PostgreSQL; an SQLite copy goes with its folder).
    async fn drop_copy(&self, url: &str) {
        if let Source::Postgres { server, .. } = self {
            let name = url.rsplit('/').next().expect("a database name");
            crate::postgres_admin(
                server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }
}

fn settings(database_url: &str) -> Settings {
    Settings {
        addr: "127.0.0.1:0".parse().expect("an address"),
        database_url: database_url.to_owned(),
        dist: crate::dist(),
        demo: false,
        session_idle_minutes: 14 * 24 * 60,
        session_max_minutes: 90 * 24 * 60,
        secure_cookies: false,
        trusted_proxies: Vec::new(),
        max_in_flight: 256,
    }
}

/// How the storm reaches the server.
enum Backend {
    /// In this process: requests go to its router without a socket; a
    /// restart drops the application (and a batch it was applying).
    InProcess(Router),
    /// A real server process (`STORM_SERVER_BIN`), killed with SIGKILL to
    /// restart it, also while it applies a batch.
    Process {
        child: Box<tokio::process::Child>,
        base: String,
        client: reqwest::Client,
    },
}

/// The server the devices talk to, and the database the checks read.
struct Server {
    backend: Backend,
    db: AnyPool,
    url: String,
}

/// The real server binary, when the long mode asks for real processes.
fn server_binary() -> Option<PathBuf> {
    std::env::var_os("STORM_SERVER_BIN").map(PathBuf::from)
}

impl Server {
    async fn start(url: &str) -> Server {
        if let Some(binary) = server_binary() {
            return Server::spawn(&binary, url).await;
        }
        let application = Application::build(&settings(url))
            .await
            .expect("the server starts");
        Server {
            backend: Backend::InProcess(application.router()),
            db: application.db.clone(),
            url: url.to_owned(),
        }
    }

    async fn spawn(binary: &Path, url: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = tokio::process::Command::new(binary)
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--database-url")
            .arg(url)
            .arg("--dist")
            .arg(crate::dist())
            .env("RUST_LOG", "error")
            .kill_on_drop(true)
            .spawn()
            .expect("the server binary starts");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client
                .get(format!("{base}/api/health"))
                .send()
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        let db = chengnuo_server::db::connect(url)
            .await
            .expect("the database opens");
        Server {
            backend: Backend::Process {
                child: Box::new(child),
                base,
                client,
            },
            db,
            url: url.to_owned(),
        }
    }

    /// Stops (a process: with SIGKILL) and starts again on the same database.
    async fn restart(&mut self) {
        if let Backend::Process { child, .. } = &mut self.backend {
            let _ = child.kill().await;
        }
        self.db.close().await;
        *self = Server::start(&self.url.clone()).await;
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        cookie: &str,
        body: Option<String>,
    ) -> (StatusCode, Vec<u8>, Option<String>) {
        let (status, cookie_out, bytes) = match &self.backend {
            Backend::InProcess(router) => {
                let mut request = Request::builder()
                    .method(method)
                    .uri(path)
                    .header("cookie", cookie)
                    .header("accept", "application/json")
                    .header("sec-fetch-site", "same-origin")
                    .header("content-type", "application/json")
                    .body(body.map(Body::from).unwrap_or_else(Body::empty))
                    .expect("a request");
                request
                    .extensions_mut()
                    .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 41_000))));
                let response = router
                    .clone()
                    .oneshot(request)
                    .await
                    .expect("the router answers");
                let status = response.status();
                let cookie = response
                    .headers()
                    .get("set-cookie")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .expect("a body");
                (status, cookie, bytes.to_vec())
            }
            Backend::Process { base, client, .. } => {
                let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
                let mut request = client
                    .request(method, format!("{base}{path}"))
                    .header("cookie", cookie)
                    .header("accept", "application/json")
                    .header("sec-fetch-site", "same-origin")
                    .header("content-type", "application/json");
                if let Some(body) = body {
                    request = request.body(body);
                }
                match request.send().await {
                    Ok(response) => {
                        let status =
                            StatusCode::from_u16(response.status().as_u16()).expect("a status");
                        let cookie = response
                            .headers()
                            .get("set-cookie")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        let bytes = response
                            .bytes()
                            .await
                            .map(|b| b.to_vec())
                            .unwrap_or_default();
                        (status, cookie, bytes)
                    }
                    // Killed while answering: as if the answer were lost.
                    Err(_) => (StatusCode::SERVICE_UNAVAILABLE, None, Vec::new()),
                }
            }
        };
        let cookie = cookie_out.map(|v| v.split(';').next().unwrap_or_default().to_owned());
        (status, bytes, cookie)
    }

    async fn json(&self, method: &str, path: &str, cookie: &str, body: Option<String>) -> Value {
        let (status, bytes, _) = self.call(method, path, cookie, body).await;
        assert!(
            status.is_success(),
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).expect("JSON")
    }
}

impl Template {
    pub async fn new() -> Template {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (source, url) = match crate::postgres_server() {
            Some(server) => {
                let url = crate::fresh_postgres_database(&server).await;
                let name = url.rsplit('/').next().expect("a name").to_owned();
                (Source::Postgres { server, name }, url)
            }
            None => {
                let path = dir.path().join("template.db");
                let url = format!("sqlite://{}", path.display());
                (Source::Sqlite(path), url)
            }
        };
        let application = Application::build(&settings(&url))
            .await
            .expect("the server starts");
        let server = Server {
            backend: Backend::InProcess(application.router()),
            db: application.db.clone(),
            url,
        };
        let roster = dir.path().join("roster.csv");
        std::fs::write(&roster, ROSTER).expect("the roster is written");
        let report = chengnuo_server::admin::import_roster(&server.db, &roster)
            .await
            .expect("the roster imports");
        let passwords: HashMap<String, String> = report
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(login, password)| (login.to_owned(), password.to_owned()))
            .collect();
        let today = crate::school_today();
        let cycle = Cycle::starting_on(today.pred_opt().unwrap_or(today));
        {
            let mut db = server.db.acquire().await.expect("a connection");
            chengnuo_server::store::cycles::insert(&mut db, &cycle, true)
                .await
                .expect("the cycle is stored");
        }
        let mut accounts = Vec::new();
        for login in ["storm-a", "storm-b", "storm-c", "storm-s"] {
            let body =
                serde_json::json!({"login": login, "password": passwords[login]}).to_string();
            let (status, bytes, cookie) =
                server.call("POST", "/api/auth/login", "", Some(body)).await;
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
            let me: Value = serde_json::from_slice(&bytes).expect("me");
            let branch: OrgUnitId = me["branch"]["id"].as_str().unwrap().parse().unwrap();
            let leads = me["roles"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["role"] == "BranchSecretary")
                .map(|g| g["unit"].as_str().unwrap().parse().unwrap());
            let cookie = cookie.expect("a session cookie");
            // A roster's one-time password opens nothing until replaced.
            let own = format!("{login}-own-secret");
            let change =
                serde_json::json!({"current": passwords[login], "new": own, "repeat": own})
                    .to_string();
            let (status, bytes, _) = server
                .call("POST", "/api/auth/password", &cookie, Some(change))
                .await;
            assert_eq!(status, 204, "{}", String::from_utf8_lossy(&bytes));
            accounts.push(Account {
                person: me["person"]["id"].as_str().unwrap().parse().unwrap(),
                cookie,
                leads,
                branch,
            });
        }
        if matches!(source, Source::Sqlite(_)) {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&server.db)
                .await
                .expect("a checkpoint");
        }
        server.db.close().await;
        drop(application);
        Template {
            _dir: dir,
            source,
            accounts,
            cycle,
        }
    }
}

/// A phone: the replica its storage keeps and the engine its tab runs.
struct Device {
    account: usize,
    replica: Replica,
    engine: Engine,
    clock: DateTime<Utc>,
    offline_for: usize,
    /// The ancestry the device gives what it creates (its branch).
    ancestry: Ancestry,
}

/// A request a device gave up on, still travelling to the server.
struct Late {
    cookie: String,
    push: PushRequest,
}

/// One token a device typed, and where.
#[derive(Debug, Clone)]
struct Typed {
    token: String,
    device: usize,
    committer: Committer,
    item: Option<chengnuo_domain::ids::ItemId>,
}

struct Storm<'a> {
    trace: bool,
    template: &'a Template,
    rng: ChaCha8Rng,
    /// One or more instances on the same database.
    servers: Vec<Server>,
    /// Which instance answers the next request (round robin).
    turn: std::sync::atomic::AtomicUsize,
    devices: Vec<Device>,
    late: Vec<Late>,
    typed: Vec<Typed>,
    removed_items: HashSet<chengnuo_domain::ids::ItemId>,
    acknowledged: HashSet<OperationId>,
    report: Report,
}

fn starting_draft(kind: CommitterKind, cycle: &Cycle, token: &str) -> CommitmentDraft {
    let deadline = cycle.calendar.fulfilment_until.to_string();
    let areas: [(&str, bool); 2] = match kind {
        CommitterKind::Branch { .. } => [("B1", false), ("B2", true)],
        _ => [("M1", false), ("M2", false)],
    };
    CommitmentDraft {
        needs_summary: token.to_owned(),
        items: areas
            .iter()
            .map(|(area, deed)| ItemDraft {
                area: (*area).to_owned(),
                content: "承诺事项".to_owned(),
                measures: "具体措施".to_owned(),
                deadline: deadline.clone(),
                practical_deed: *deed,
                ..Default::default()
            })
            .collect(),
        standards: vec![],
    }
}

impl<'a> Storm<'a> {
    async fn new(template: &'a Template, seed: u64, folder: &Path, instances: usize) -> Storm<'a> {
        let url = template.source.copy(folder).await;
        let mut servers = Vec::new();
        for _ in 0..instances.max(1) {
            servers.push(Server::start(&url).await);
        }
        // Phones: two for each of the first two members, one for the third,
        // two for the branch secretary.
        let owners = [0, 0, 1, 1, 2, 3, 3];
        let devices = owners
            .iter()
            .map(|&account| Device {
                account,
                replica: Replica::default(),
                engine: Engine::new(None),
                clock: Utc::now(),
                offline_for: 0,
                ancestry: Ancestry(vec![template.accounts[account].branch]),
            })
            .collect();
        Storm {
            trace: std::env::var_os("STORM_TRACE").is_some(),
            template,
            rng: ChaCha8Rng::seed_from_u64(seed),
            servers,
            turn: std::sync::atomic::AtomicUsize::new(0),
            devices,
            late: Vec::new(),
            typed: Vec::new(),
            removed_items: HashSet::new(),
            acknowledged: HashSet::new(),
            report: Report::default(),
        }
    }

    /// The instance the next request goes to (its index).
    fn next_instance(&self) -> usize {
        self.turn.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.servers.len()
    }

    /// The instance that answers the next request.
    fn server(&self) -> &Server {
        &self.servers[self.next_instance()]
    }

    /// The database the checks read (the instances share it).
    fn db(&self) -> &AnyPool {
        &self.servers[0].db
    }

    fn account(&self, device: usize) -> &Account {
        &self.template.accounts[self.devices[device].account]
    }

    /// The commitment this device's person writes (their own, or their branch's).
    fn own_committer(&self, device: usize) -> Committer {
        let account = self.account(device);
        match account.leads {
            Some(unit) => Committer::Unit(unit),
            None => Committer::Person(account.person),
        }
    }

    fn own_commitment(&self, device: usize) -> Option<CommitmentId> {
        let committer = self.own_committer(device);
        self.devices[device]
            .replica
            .commitments
            .iter()
            .find(|c| c.committer == committer)
            .map(|c| c.id)
    }

    fn token(&self, device: usize) -> String {
        let n = self.typed.len();
        format!("⟨{device}.{n}⟩")
    }

    /// Types a token into a random field of the device's own commitment,
    /// creating it first when this device has none.
    fn type_something(&mut self, d: usize) {
        let committer = self.own_committer(d);
        let token = self.token(d);
        if self.trace {
            eprintln!("device {d} types {token}");
        }
        let Some(id) = self.own_commitment(d) else {
            let kind = match committer {
                Committer::Unit(_) => CommitterKind::Branch {
                    kind: BranchKind::Teaching,
                },
                Committer::Person(_) => CommitterKind::Member {
                    category: MemberCategory::Teacher,
                    cadre_rank: None,
                    is_activist: false,
                },
            };
            let draft = starting_draft(kind, &self.template.cycle, &token);
            let device = &mut self.devices[d];
            device.replica.create(
                CommitmentId::new(),
                self.template.cycle.id,
                committer,
                kind,
                "风暴".into(),
                device.ancestry.clone(),
                draft,
            );
            device.engine.edited(tick(device.clock));
            self.typed.push(Typed {
                token,
                device: d,
                committer,
                item: None,
            });
            return;
        };
        let device = &mut self.devices[d];
        let local = device.replica.get(id).expect("own commitment");
        let editable = device.replica.predicted_state(id).is_editable();
        if !editable || local.conflict.is_some() {
            return;
        }
        let mut draft = local.draft.clone();
        let choice = self.rng.gen_range(0..10);
        let item = if choice < 3 || draft.items.is_empty() {
            if draft.needs_summary.chars().count() > 900 {
                return;
            }
            draft.needs_summary.push_str(&token);
            None
        } else if choice < 9 {
            let at = self.rng.gen_range(0..draft.items.len());
            let measures = &mut draft.items[at].measures;
            if measures.chars().count() > 450 {
                return;
            }
            measures.push_str(&token);
            Some(draft.items[at].id)
        } else {
            let item = ItemDraft {
                area: draft.items[0].area.clone(),
                content: "新加的事项".into(),
                measures: token.clone(),
                deadline: draft.items[0].deadline.clone(),
                ..Default::default()
            };
            let id = item.id;
            if draft.items.len() >= 12 {
                return;
            }
            draft.items.push(item);
            Some(id)
        };
        device.replica.edit(id, draft);
        device.engine.edited(tick(device.clock));
        self.typed.push(Typed {
            token,
            device: d,
            committer,
            item,
        });
    }

    fn remove_an_item(&mut self, d: usize) {
        let Some(id) = self.own_commitment(d) else {
            return;
        };
        let device = &mut self.devices[d];
        let local = device.replica.get(id).expect("own commitment");
        if !device.replica.predicted_state(id).is_editable()
            || local.conflict.is_some()
            || local.draft.items.len() <= 2
        {
            return;
        }
        let mut draft = local.draft.clone();
        let at = self.rng.gen_range(2..draft.items.len());
        let removed = draft.items.remove(at);
        self.removed_items.insert(removed.id);
        device.replica.edit(id, draft);
        device.engine.edited(tick(device.clock));
    }

    /// Submit or withdraw one's own; the secretary reviews a member's.
    fn take_a_step(&mut self, d: usize) {
        let secretary = self.devices[d].account == 3;
        if secretary && self.rng.gen_bool(0.6) {
            let actor_branch = self.account(d).branch;
            let device = &mut self.devices[d];
            let waiting: Vec<CommitmentId> = device
                .replica
                .commitments
                .iter()
                .filter(|c| matches!(c.committer, Committer::Person(_)))
                .filter(|c| c.ancestry.0.first() == Some(&actor_branch))
                .filter(|c| device.replica.predicted_state(c.id) == CommitmentState::Submitted)
                .map(|c| c.id)
                .collect();
            if waiting.is_empty() {
                return;
            }
            let id = waiting[self.rng.gen_range(0..waiting.len())];
            let approve = self.rng.gen_bool(0.3);
            let review = ReviewDraft {
                criteria: if approve {
                    Criteria::all()
                } else {
                    Criteria::default()
                },
                decision: if approve {
                    ReviewDecision::Approve
                } else {
                    ReviewDecision::Return
                },
                guidance: if approve {
                    String::new()
                } else {
                    "请补充措施".into()
                },
            };
            device
                .replica
                .queue(id, Change::Review { review }, &mut OperationId::new);
            return;
        }
        let Some(id) = self.own_commitment(d) else {
            return;
        };
        let device = &mut self.devices[d];
        if device.replica.get(id).is_some_and(|c| c.conflict.is_some()) {
            return;
        }
        let change = match device.replica.predicted_state(id) {
            CommitmentState::Draft | CommitmentState::Returned => Change::Submit,
            CommitmentState::Submitted => Change::Withdraw,
            _ => return,
        };
        device.replica.queue(id, change, &mut OperationId::new);
    }

    /// The person merges what waits, taking what is offered (texts: both).
    fn merge_conflicts(&mut self, d: usize) {
        let device = &mut self.devices[d];
        let waiting: Vec<CommitmentId> = device
            .replica
            .commitments
            .iter()
            .filter(|c| c.conflict.is_some())
            .map(|c| c.id)
            .collect();
        for id in waiting {
            let local = device.replica.get(id).expect("known");
            let other = local.conflict.as_ref().expect("a conflict");
            let merged = merge(&local.ancestor(), &local.draft, &other.draft, &|_| None);
            // A field that cannot keep both (a deadline): this device's.
            let chosen = merge(&local.ancestor(), &local.draft, &other.draft, &|spot| {
                merged
                    .questions
                    .iter()
                    .find(|q| q.spot == spot)
                    .and_then(|q| q.offered())
                    .or(Some(Choice::Mine))
            });
            device
                .replica
                .resolve(id, chosen.draft, chosen.set_aside, OperationId::new());
            self.report.conflicts_merged += 1;
        }
    }

    /// The device asks its engine for a request and sends it into the storm.
    async fn network(&mut self, d: usize, healed: bool) -> bool {
        let clock = self.devices[d].clock;
        let request = {
            let device = &mut self.devices[d];
            device
                .engine
                .next(&mut device.replica, tick(clock), &mut OperationId::new)
        };
        let Some(request) = request else {
            return false;
        };
        self.report.requests += 1;
        let cookie = self.account(d).cookie.clone();
        let fate = if healed {
            0
        } else {
            self.rng.gen_range(0..100)
        };
        if self.trace {
            match &request {
                SyncRequest::Push(push) => {
                    for op in &push.operations {
                        let change = serde_json::to_value(&op.change).unwrap();
                        eprintln!(
                            "device {d} → push {} on {} base {:?} {} {} (fate {fate})",
                            op.id,
                            op.commitment,
                            op.base_revision,
                            change["type"],
                            change["draft"]["needs_summary"]
                        );
                    }
                }
                SyncRequest::Pull(pull) => {
                    eprintln!("device {d} → pull {} (fate {fate})", pull.since.0)
                }
                SyncRequest::Upload { file, .. } => {
                    eprintln!("device {d} → upload {} (fate {fate})", file.hash)
                }
            }
        }
        match request {
            SyncRequest::Push(push) => {
                let body = serde_json::to_string(&push).expect("JSON");
                match fate {
                    0..=59 => {
                        let answer = self.push(&cookie, body).await;
                        // The person types while the answer is on its way.
                        if !healed && self.rng.gen_bool(0.2) {
                            self.report.typed_in_flight += 1;
                            self.type_something(d);
                        }
                        self.answer_push(d, answer);
                    }
                    60..=69 => {
                        self.report.dropped += 1;
                        self.fail(d);
                    }
                    70..=79 => {
                        self.report.answers_lost += 1;
                        self.push(&cookie, body).await;
                        self.fail(d);
                    }
                    80..=87 => {
                        self.report.delayed += 1;
                        self.late.push(Late { cookie, push });
                        self.fail(d);
                    }
                    88..=94 => {
                        self.report.duplicated += 1;
                        self.push(&cookie, body.clone()).await;
                        let answer = self.push(&cookie, body).await;
                        self.answer_push(d, answer);
                    }
                    _ => {
                        // The server stops in the middle of the batch.
                        self.report.cut_batches += 1;
                        let cut = self.rng.gen_range(0..3_000);
                        let at = self.next_instance();
                        let server = &self.servers[at];
                        tokio::select! {
                            _ = server.call("POST", "/api/sync/push", &cookie, Some(body)) => {}
                            _ = tokio::time::sleep(std::time::Duration::from_micros(cut)) => {}
                        }
                        self.report.restarts += 1;
                        self.servers[at].restart().await;
                        self.fail(d);
                    }
                }
            }
            SyncRequest::Pull(pull) => {
                let body = serde_json::to_string(&pull).expect("JSON");
                if fate < 80 {
                    let (status, bytes, _) = self
                        .server()
                        .call("POST", "/api/sync/pull", &cookie, Some(body))
                        .await;
                    if status == StatusCode::SERVICE_UNAVAILABLE {
                        self.report.busy += 1;
                        self.fail(d);
                        return true;
                    }
                    assert_eq!(status, 200, "pull: {}", String::from_utf8_lossy(&bytes));
                    let response: PullResponse =
                        serde_json::from_slice(&bytes).expect("a pull answer");
                    let device = &mut self.devices[d];
                    device
                        .engine
                        .pulled(&mut device.replica, response, tick(clock), clock);
                } else {
                    self.report.dropped += 1;
                    self.fail(d);
                }
            }
            SyncRequest::Upload { .. } => {
                panic!("the storm's devices attach no files, so none asks to upload")
            }
        }
        true
    }

    /// A push's answer; none when the server was busy (503, nothing applied).
    /// Any other failure is a bug.
    async fn push(&self, cookie: &str, body: String) -> Option<PushResponse> {
        let (status, bytes, _) = self
            .server()
            .call("POST", "/api/sync/push", cookie, Some(body))
            .await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            return None;
        }
        assert_eq!(status, 200, "push: {}", String::from_utf8_lossy(&bytes));
        Some(serde_json::from_slice(&bytes).expect("a push answer"))
    }

    fn answer_push(&mut self, d: usize, answer: Option<PushResponse>) {
        let Some(answer) = answer else {
            self.report.busy += 1;
            self.fail(d);
            return;
        };
        if self.trace {
            for r in &answer.results {
                let kind = serde_json::to_value(&r.outcome).unwrap()["type"].clone();
                eprintln!("  device {d} ← {} {kind}", r.id);
            }
        }
        for result in &answer.results {
            if result.outcome.is_acknowledged() {
                self.acknowledged.insert(result.id);
            }
            if matches!(result.outcome, Outcome::Refused { .. }) {
                self.report.refusals_seen += 1;
            }
        }
        let device = &mut self.devices[d];
        let clock = device.clock;
        device
            .engine
            .pushed(&mut device.replica, &answer, tick(clock));
    }

    fn fail(&mut self, d: usize) {
        let device = &mut self.devices[d];
        device
            .engine
            .failed(Failure::Unreachable, tick(device.clock));
    }

    async fn deliver_late(&mut self) {
        if self.late.is_empty() {
            return;
        }
        let at = self.rng.gen_range(0..self.late.len());
        let late = self.late.remove(at);
        let body = serde_json::to_string(&late.push).expect("JSON");
        self.push(&late.cookie, body).await;
    }

    async fn run(&mut self, size: Size) {
        for _ in 0..size.events {
            let d = self.rng.gen_range(0..self.devices.len());
            let seconds = self.rng.gen_range(0..4);
            self.devices[d].clock += Duration::seconds(seconds);
            let online = self.devices[d].offline_for == 0;
            if !online {
                self.devices[d].offline_for -= 1;
            }
            match self.rng.gen_range(0..100) {
                0..=29 => self.type_something(d),
                30..=31 => self.remove_an_item(d),
                32..=37 => self.take_a_step(d),
                38..=40 => self.merge_conflicts(d),
                41..=43 => self.devices[d].offline_for = self.rng.gen_range(3..30),
                44..=45 => {
                    // The tab reloads: what was in flight is forgotten, storage stays.
                    let device = &mut self.devices[d];
                    device.engine = Engine::new(device.engine.last_sync());
                }
                46..=47 => self.deliver_late().await,
                48 => {
                    self.report.restarts += 1;
                    let at = match self.servers.len() {
                        1 => 0,
                        n => self.rng.gen_range(0..n),
                    };
                    self.servers[at].restart().await;
                }
                _ if online => {
                    self.network(d, false).await;
                }
                _ => {}
            }
        }
    }

    /// Everyone online, nothing lost on the way: merges made, syncs until quiet.
    async fn heal(&mut self) {
        while !self.late.is_empty() {
            self.deliver_late().await;
        }
        for _round in 0..6 {
            let mut busy = false;
            for d in 0..self.devices.len() {
                self.devices[d].offline_for = 0;
                self.merge_conflicts(d);
                self.devices[d].clock += Duration::minutes(10);
                self.devices[d].engine.wake(true);
                for _ in 0..40 {
                    if !self.network(d, true).await {
                        break;
                    }
                    busy = true;
                }
            }
            if !busy {
                return;
            }
        }
    }

    /// What a device holds that the server does not is shown to its owner.
    fn assert_visible(&self) {
        for (d, device) in self.devices.iter().enumerate() {
            let status = device
                .engine
                .status(&device.replica, tick(device.clock), true);
            for local in &device.replica.commitments {
                if device.replica.has_unsent(local.id) {
                    assert_ne!(
                        device.replica.status(local.id),
                        SyncStatus::Synced,
                        "device {d}: unsent work shown as synced"
                    );
                }
                if local.conflict.is_some() {
                    assert!(status.conflicts > 0, "device {d}: a conflict not counted");
                }
            }
        }
    }

    async fn check(&self) {
        let db = self.db();
        // Acknowledged operations are recorded; applied changes counted once.
        let recorded: Vec<(String, String, String)> =
            sqlx::query_as("SELECT operation_id, commitment_id, outcome FROM applied_operations")
                .fetch_all(db)
                .await
                .expect("the record");
        let ids: HashSet<String> = recorded.iter().map(|(id, _, _)| id.clone()).collect();
        for op in &self.acknowledged {
            assert!(
                ids.contains(&op.to_string()),
                "acknowledged {op} is not recorded"
            );
        }
        // The log keeps an applied operation as the revision it made (a
        // replay is answered `already_applied`). The same creation arriving
        // under another id (a tab reloaded before the answer came) is
        // answered and logged `already_applied` with the revision the
        // commitment had, changing nothing: so an applied change is a
        // revision logged, and each revision is made once.
        let mut revisions: BTreeMap<String, HashSet<i64>> = BTreeMap::new();
        for (_, commitment, outcome) in &recorded {
            let outcome: Value = serde_json::from_str(outcome).expect("an outcome");
            if outcome["type"] == "already_applied" {
                revisions
                    .entry(commitment.clone())
                    .or_default()
                    .insert(outcome["revision"].as_i64().expect("a revision"));
            }
        }
        let applied: BTreeMap<String, i64> = revisions
            .into_iter()
            .map(|(commitment, made)| (commitment, made.len() as i64))
            .collect();
        let commitments: Vec<(String, i64)> =
            sqlx::query_as("SELECT id, revision FROM commitments")
                .fetch_all(db)
                .await
                .expect("commitments");
        for (id, revision) in &commitments {
            assert_eq!(
                applied.get(id).copied().unwrap_or(0),
                *revision,
                "commitment {id}: its revision counts its applied operations"
            );
            let audit: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'commitment' AND subject_id = $1",
            )
            .bind(id)
            .fetch_one(db)
            .await
            .expect("the audit");
            assert_eq!(
                audit, *revision,
                "commitment {id}: one audit row per applied change"
            );
        }

        // Every device holds what the server holds, unless it shows why not.
        let mut server_texts: HashMap<Committer, String> = HashMap::new();
        for (a, account) in self.template.accounts.iter().enumerate() {
            let all: Value = self
                .server()
                .json(
                    "GET",
                    &format!("/api/commitments?cycle={}", self.template.cycle.id),
                    &account.cookie,
                    None,
                )
                .await;
            let all: Vec<chengnuo_domain::sync::Snapshot> =
                serde_json::from_value(all).expect("snapshots");
            for snapshot in &all {
                server_texts.insert(
                    snapshot.committer,
                    serde_json::to_string(&snapshot.draft).expect("JSON"),
                );
            }
            for (d, device) in self
                .devices
                .iter()
                .enumerate()
                .filter(|(_, x)| x.account == a)
            {
                assert!(
                    device.replica.outbox.is_empty(),
                    "device {d}: outbox not empty after healing"
                );
                for snapshot in &all {
                    let local = device
                        .replica
                        .get(snapshot.id)
                        .unwrap_or_else(|| panic!("device {d} lacks {}", snapshot.id));
                    assert!(
                        local.conflict.is_none(),
                        "device {d}: a merge left after healing"
                    );
                    let shown = local.refused.is_some() || local.draft.check_limits().is_err();
                    if shown && local.draft != snapshot.draft {
                        continue; // shown to the person: not accepted, or too long to send
                    }
                    assert_eq!(
                        local.draft, snapshot.draft,
                        "device {d}: {} differs from the server",
                        snapshot.id
                    );
                    assert_eq!(local.state(), snapshot.state, "device {d}: state differs");
                }
            }
        }

        // Every token typed is on the server, or refused visibly where typed, or removed.
        for typed in &self.typed {
            if typed
                .item
                .is_some_and(|item| self.removed_items.contains(&item))
            {
                continue;
            }
            let on_server = server_texts
                .get(&typed.committer)
                .is_some_and(|text| text.contains(&typed.token));
            let refused_here = self.devices[typed.device]
                .replica
                .commitments
                .iter()
                .any(|c| {
                    c.committer == typed.committer
                        && (c.refused.is_some() || c.draft.check_limits().is_err())
                        && serde_json::to_string(&c.draft)
                            .expect("JSON")
                            .contains(&typed.token)
                });
            assert!(
                on_server || refused_here,
                "{} typed on device {} is lost",
                typed.token,
                typed.device
            );
        }
    }
}

/// Runs one seed; panics with what went wrong.
pub async fn run_seed(template: &Template, seed: u64, size: Size) -> Report {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let mut storm = Storm::new(template, seed, folder.path(), size.instances).await;
    storm.run(size).await;
    storm.assert_visible();
    storm.heal().await;
    storm.check().await;
    storm.report.tokens = storm.typed.len();
    for server in &storm.servers {
        server.db.close().await;
    }
    let url = storm.servers[0].url.clone();
    let report = storm.report.clone();
    drop(storm);
    template.source.drop_copy(&url).await;
    report
}

/// A device's clock as its engine's monotonic one (the storm's clocks only
/// move forward).
fn tick(at: DateTime<Utc>) -> chengnuo_domain::sync::engine::Tick {
    chengnuo_domain::sync::engine::Tick(at.timestamp_millis())
}
