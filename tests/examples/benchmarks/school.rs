//! The seeded 25,000-member school (`chengnuo-server seed`), served by the
//! release server in a process of its own: an open-loop load at fixed rates
//! with a realistic mix (pull since a recent cursor, push of one small edit,
//! board list, board entry) and sign-ins beside it at 5 per second; the board
//! alone at 500 per second; a fresh phone's first sync; the server's peak
//! memory.
//!
//! Open loop: request `i` is due at `start + i / rate` and is sent then
//! whether or not earlier answers came; its latency counts from when it was
//! due, so a server that falls behind shows it (no coordinated omission).

use chengnuo_tests::workspace_root;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const MEMBERS: usize = 25_000;
pub const YEARS: usize = 5;

/// The release server on a copy of the seeded school.
pub struct Server {
    pub base: String,
    child: tokio::process::Child,
    /// The database's URL.
    pub db: String,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id().expect("the server runs")
    }

    /// The server's peak resident memory so far (VmHWM), in MiB.
    pub fn peak_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the server's /proc status");
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmHWM");
        kb / 1024.0
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn server_binary() -> PathBuf {
    workspace_root()
        .join("target")
        .join("release")
        .join("chengnuo-server")
}

/// The seeded school, made once and kept in `target/bench/` (seeding takes
/// about two minutes); each run serves a copy.
pub async fn start() -> Server {
    let folder = workspace_root().join("target").join("bench");
    std::fs::create_dir_all(&folder).expect("target/bench");
    let seeded = folder.join(format!("school-{MEMBERS}-{YEARS}.db"));
    if !seeded.exists() {
        let partial = folder.join("seeding.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
        }
        seed_into(&format!("sqlite://{}", partial.display())).await;
        std::fs::rename(&partial, &seeded).expect("the seeded school kept");
    }
    let db = folder.join("run.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&seeded, &db).expect("a copy of the school");
    spawn(format!("sqlite://{}", db.display())).await
}

/// The same school seeded into a new database on the PostgreSQL server
/// `server` (`postgres://user@host:port`), served by one release server.
pub async fn start_postgres(server: &str) -> Server {
    let url = chengnuo_tests::fresh_postgres_database(server).await;
    seed_into(&url).await;
    spawn(url).await
}

/// Seeds the school into the empty database at `url` with the release
/// server, and says how long it took.
async fn seed_into(url: &str) {
    let started = Instant::now();
    let output = tokio::process::Command::new(server_binary())
        .arg("--database-url")
        .arg(url)
        .args([
            "seed",
            "--members",
            &MEMBERS.to_string(),
            "--years",
            &YEARS.to_string(),
        ])
        .output()
        .await
        .expect("the release server (cargo build --release -p chengnuo-server)");
    assert!(output.status.success(), "{output:?}");
    println!(
        "seed ({}): {} ({:.0?})",
        url.split(':').next().unwrap_or(""),
        String::from_utf8_lossy(&output.stdout).trim(),
        started.elapsed()
    );
}

/// Another instance of the server on `first`'s database (two processes on
/// one SQLite file, as two machines would be on one database).
pub async fn another_instance(first: &Server) -> Server {
    spawn(first.db.clone()).await
}

async fn spawn(db: String) -> Server {
    let port = free_port();
    let child = tokio::process::Command::new(server_binary())
        .arg("--database-url")
        .arg(&db)
        .arg("--addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--dist")
        .arg(chengnuo_tests::dist())
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .expect("the release server starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client
            .get(format!("{base}/api/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Server { base, child, db };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not answer within a minute");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("its address")
        .port()
}

/// A signed-in person: the session cookie.
#[derive(Clone)]
pub struct Person {
    pub cookie: String,
}

pub async fn sign_in(client: &reqwest::Client, base: &str, login: &str) -> Person {
    let response = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"login": login, "password": "chengnuo-demo"}))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 200, "sign-in of {login}");
    let cookie = response
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    Person { cookie }
}

/// One phone of the load: its person, its cursor, its draft.
struct Phone {
    person: Person,
    cursor: Value,
    /// (commitment, revision, draft) when the phone has a draft to edit.
    draft: Option<(String, u64, Value)>,
}

/// What the load sends, chosen by weight.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Pull,
    Push,
    BoardList,
    BoardEntry,
    SignIn,
}

struct Fixture {
    phones: Vec<Mutex<Phone>>,
    /// Phones with a draft (indexes into `phones`).
    editors: Vec<usize>,
    board_ids: Vec<String>,
    years: Vec<i64>,
    committees: Vec<String>,
    words: Vec<String>,
    /// Logins for the sign-in stream.
    logins: Vec<String>,
}

async fn fixture(server: &Server, client: &reqwest::Client) -> Fixture {
    let db = chengnuo_server::db::connect(&server.db)
        .await
        .expect("the database");
    // Members whose commitment of this year is still a draft edit it; the
    // others (members, branch secretaries) pull.
    let editors: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT a.login, c.id, c.revision, c.dossier FROM commitments c \
         JOIN cycles y ON y.id = c.cycle_id AND y.is_current = 1 \
         JOIN accounts a ON a.person_id = c.committer_id \
         WHERE c.committer_type = 'person' AND c.state IN ('Draft', 'Returned') \
         ORDER BY a.login LIMIT 100",
    )
    .fetch_all(&db)
    .await
    .expect("drafts");
    let readers: Vec<String> = sqlx::query_scalar(
        "SELECT a.login FROM accounts a JOIN role_grants g ON g.person_id = a.person_id \
         WHERE g.role IN ('Member', 'BranchSecretary') GROUP BY a.login ORDER BY a.login LIMIT 300 OFFSET 500",
    )
    .fetch_all(&db)
    .await
    .expect("readers");
    let board_ids: Vec<String> =
        sqlx::query_scalar("SELECT commitment_id FROM board_entries ORDER BY random() LIMIT 5000")
            .fetch_all(&db)
            .await
            .expect("the board");
    let years: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT year FROM board_entries")
        .fetch_all(&db)
        .await
        .expect("years");
    let committees: Vec<String> =
        sqlx::query_scalar("SELECT id FROM org_units WHERE kind = 'Committee'")
            .fetch_all(&db)
            .await
            .expect("committees");
    let logins: Vec<String> =
        sqlx::query_scalar("SELECT login FROM accounts ORDER BY random() LIMIT 2000")
            .fetch_all(&db)
            .await
            .expect("logins");
    db.close().await;

    let mut phones = Vec::new();
    let mut editor_indexes = Vec::new();
    for (login, commitment, revision, dossier) in editors {
        let dossier: Value = serde_json::from_str(&dossier).expect("a dossier");
        let person = sign_in(client, &server.base, &login).await;
        editor_indexes.push(phones.len());
        phones.push(Phone {
            person,
            cursor: json!(0),
            draft: Some((commitment, revision as u64, dossier["draft"].clone())),
        });
    }
    for login in readers {
        let person = sign_in(client, &server.base, &login).await;
        phones.push(Phone {
            person,
            cursor: json!(0),
            draft: None,
        });
    }
    // Every phone has synced once: the load pulls since a recent cursor.
    for phone in &mut phones {
        let page = pull(client, &server.base, &phone.person, &phone.cursor).await;
        phone.cursor = page["cursor"].clone();
    }
    Fixture {
        phones: phones.into_iter().map(Mutex::new).collect(),
        editors: editor_indexes,
        board_ids,
        years,
        committees,
        words: ["志愿服务", "答疑", "张志强", "帮扶", "组织生活", "党史"]
            .map(str::to_owned)
            .to_vec(),
        logins,
    }
}

async fn pull(client: &reqwest::Client, base: &str, person: &Person, since: &Value) -> Value {
    client
        .post(format!("{base}/api/sync/pull"))
        .header(reqwest::header::COOKIE, &person.cookie)
        .json(&json!({"since": since}))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a pull")
}

/// Sends one request of `kind`; true when the answer is what a phone or a
/// browser takes as success.
async fn send(
    client: &reqwest::Client,
    base: &str,
    fixture: &Fixture,
    kind: Kind,
    rng: &mut ChaCha8Rng,
) -> bool {
    let ok = |r: &reqwest::Response| r.status().is_success() || r.status().as_u16() == 304;
    match kind {
        Kind::Pull => {
            let index = fixture.editors.len()
                + rng.gen_range(0..fixture.phones.len() - fixture.editors.len());
            let (person, cursor) = {
                let phone = fixture.phones[index].lock().expect("a phone");
                (phone.person.clone(), phone.cursor.clone())
            };
            let Ok(response) = client
                .post(format!("{base}/api/sync/pull"))
                .header(reqwest::header::COOKIE, &person.cookie)
                .json(&json!({"since": cursor}))
                .send()
                .await
            else {
                return false;
            };
            if !ok(&response) {
                return false;
            }
            let Ok(page) = response.json::<Value>().await else {
                return false;
            };
            fixture.phones[index].lock().expect("a phone").cursor = page["cursor"].clone();
            true
        }
        Kind::Push => {
            let index = fixture.editors[rng.gen_range(0..fixture.editors.len())];
            let (person, body) = {
                let mut phone = fixture.phones[index].lock().expect("a phone");
                let person = phone.person.clone();
                let (commitment, revision, draft) = phone.draft.as_mut().expect("a draft");
                let mut draft = draft.clone();
                draft["needs_summary"] = json!(format!(
                    "{}（第{}次修改）",
                    draft["needs_summary"].as_str().unwrap_or_default(),
                    *revision
                ));
                let body = json!({"compact": true, "operations": [{
                    "id": uuid::Uuid::new_v4().to_string(), "commitment": commitment,
                    "base_revision": *revision, "change": {"type": "save_draft", "draft": draft}}]});
                (person, body)
            };
            let Ok(response) = client
                .post(format!("{base}/api/sync/push"))
                .header(reqwest::header::COOKIE, &person.cookie)
                .json(&body)
                .send()
                .await
            else {
                return false;
            };
            if !ok(&response) {
                return false;
            }
            let Ok(answer) = response.json::<Value>().await else {
                return false;
            };
            let outcome = &answer["results"][0]["outcome"];
            let revision = outcome["revision"]
                .as_u64()
                .or_else(|| outcome["server"]["revision"].as_u64());
            if let Some(revision) = revision {
                let mut phone = fixture.phones[index].lock().expect("a phone");
                if let Some(draft) = phone.draft.as_mut() {
                    draft.1 = draft.1.max(revision);
                }
            }
            true
        }
        Kind::BoardList => {
            let mut url = format!("{base}/api/board?");
            let year = fixture.years[rng.gen_range(0..fixture.years.len())];
            match rng.gen_range(0..10) {
                0..=2 => {}
                3..=5 => url.push_str(&format!("year={year}&offset={}", 50 * rng.gen_range(0..10))),
                6..=7 => url.push_str(&format!(
                    "year={year}&committee={}",
                    fixture.committees[rng.gen_range(0..fixture.committees.len())]
                )),
                _ => url.push_str(&format!(
                    "year={year}&q={}",
                    fixture.words[rng.gen_range(0..fixture.words.len())]
                )),
            }
            client.get(url).send().await.is_ok_and(|r| ok(&r))
        }
        Kind::BoardEntry => {
            let id = &fixture.board_ids[rng.gen_range(0..fixture.board_ids.len())];
            client
                .get(format!("{base}/api/board/{id}"))
                .send()
                .await
                .is_ok_and(|r| ok(&r))
        }
        Kind::SignIn => {
            let login = &fixture.logins[rng.gen_range(0..fixture.logins.len())];
            client
                .post(format!("{base}/api/auth/login"))
                .json(&json!({"login": login, "password": "chengnuo-demo"}))
                .send()
                .await
                .is_ok_and(|r| ok(&r))
        }
    }
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
}

type Tallies = BTreeMap<Kind, Tally>;

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

/// Sends `rate` requests per second of the weighted mix for `seconds`, and
/// `sign_ins` sign-ins per second beside them.
async fn open_loop(
    client: &reqwest::Client,
    bases: &[&str],
    fixture: &Arc<Fixture>,
    mix: &[(Kind, u32)],
    rate: f64,
    sign_ins: f64,
    seconds: f64,
) -> Tallies {
    let tallies = Arc::new(Mutex::new(Tallies::new()));
    let mut schedule: Vec<(Duration, Kind)> = Vec::new();
    let total: u32 = mix.iter().map(|(_, w)| w).sum();
    let mut rng = ChaCha8Rng::seed_from_u64(rate as u64);
    let count = (rate * seconds) as usize;
    for i in 0..count {
        let mut pick = rng.gen_range(0..total);
        let kind = mix
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map(|(k, _)| *k)
            .expect("a kind");
        schedule.push((Duration::from_secs_f64(i as f64 / rate), kind));
    }
    for i in 0..(sign_ins * seconds) as usize {
        schedule.push((Duration::from_secs_f64(i as f64 / sign_ins), Kind::SignIn));
    }
    schedule.sort_by_key(|(at, _)| *at);
    let start = tokio::time::Instant::now() + Duration::from_millis(50);
    let mut running = tokio::task::JoinSet::new();
    for (n, (at, kind)) in schedule.into_iter().enumerate() {
        let due = start + at;
        tokio::time::sleep_until(due).await;
        let client = client.clone();
        // Spread over the instances in turn, as a round-robin balancer does.
        let base = bases[n % bases.len()].to_owned();
        let fixture = fixture.clone();
        let tallies = tallies.clone();
        running.spawn(async move {
            let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
            let ok = send(&client, &base, &fixture, kind, &mut rng).await;
            let latency = due.elapsed();
            let mut tallies = tallies.lock().expect("tallies");
            let tally = tallies.entry(kind).or_default();
            tally.latencies.push(latency);
            if !ok {
                tally.errors += 1;
            }
        });
        // Finished tasks are reaped as we go.
        while running.try_join_next().is_some() {}
    }
    while running.join_next().await.is_some() {}
    Arc::try_unwrap(tallies)
        .ok()
        .expect("every task ended")
        .into_inner()
        .expect("tallies")
}

fn report(label: &str, tallies: &mut Tallies) -> Duration {
    let mut worst = Duration::ZERO;
    println!("{label}");
    for (kind, tally) in tallies.iter_mut() {
        tally.latencies.sort();
        let p99 = quantile(&tally.latencies, 0.99);
        if *kind != Kind::SignIn {
            worst = worst.max(p99);
        }
        println!(
            "  {:<11} {:>6} requests  p50 {:>8.2?}  p90 {:>8.2?}  p99 {:>8.2?}  max {:>8.2?}  errors {}",
            format!("{kind:?}"),
            tally.latencies.len(),
            quantile(&tally.latencies, 0.5),
            quantile(&tally.latencies, 0.9),
            p99,
            tally.latencies.last().copied().unwrap_or_default(),
            tally.errors
        );
    }
    worst
}

const MIX: &[(Kind, u32)] = &[
    (Kind::Pull, 35),
    (Kind::Push, 15),
    (Kind::BoardList, 30),
    (Kind::BoardEntry, 20),
];

/// The same mix against one instance, then against two instances of the
/// server on the one database, side by side (`BENCH_ONLY=instances`): the
/// phones signed in on the first are served by both (sessions are rows).
pub async fn instances() {
    let first = start().await;
    let second = another_instance(&first).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .expect("a client");
    let fixture = Arc::new(fixture(&first, &client).await);
    for rate in [1000.0, 1500.0, 2000.0, 3000.0] {
        for (label, bases) in [
            ("one instance", vec![first.base.as_str()]),
            (
                "two instances",
                vec![first.base.as_str(), second.base.as_str()],
            ),
        ] {
            let mut tallies = open_loop(&client, &bases, &fixture, MIX, rate, 5.0, 10.0).await;
            report(
                &format!("{label}: open-loop mix at {rate} requests/s for 10 s:"),
                &mut tallies,
            );
        }
    }
    println!(
        "peak memory (VmHWM): first {:.0} MiB, second {:.0} MiB",
        first.peak_mib(),
        second.peak_mib()
    );
}

/// The same open-loop mix against two instances on one PostgreSQL, after
/// one instance on SQLite (`BENCH_ONLY=backends`).
pub async fn instances_on_postgres(postgres: &str, which: &str) {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .expect("a client");
    let rates = [1000.0, 1500.0, 2000.0, 3000.0];
    if "sqlite".starts_with(&which.to_ascii_lowercase()) {
        let sqlite = start().await;
        let fixture = Arc::new(fixture(&sqlite, &client).await);
        for rate in rates {
            let mut tallies =
                open_loop(&client, &[&sqlite.base], &fixture, MIX, rate, 5.0, 10.0).await;
            report(
                &format!("SQLite, one instance: open-loop mix at {rate} requests/s for 10 s:"),
                &mut tallies,
            );
        }
    }
    if !"postgresql".starts_with(&which.to_ascii_lowercase()) {
        return;
    }
    let first = start_postgres(postgres).await;
    let second = another_instance(&first).await;
    let fixture = Arc::new(fixture(&first, &client).await);
    for rate in rates {
        let mut tallies = open_loop(
            &client,
            &[first.base.as_str(), second.base.as_str()],
            &fixture,
            MIX,
            rate,
            5.0,
            10.0,
        )
        .await;
        report(
            &format!("PostgreSQL, two instances: open-loop mix at {rate} requests/s for 10 s:"),
            &mut tallies,
        );
    }
    println!(
        "peak memory (VmHWM): first {:.0} MiB, second {:.0} MiB",
        first.peak_mib(),
        second.peak_mib()
    );
}

/// Only the committee secretary's queue (`BENCH_ONLY=claims`).
pub async fn claims_only() {
    let server = start().await;
    let client = reqwest::Client::new();
    claims_queue(&server, &client).await;
}

pub async fn run() {
    let server = start().await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .expect("a client");
    let started = Instant::now();
    let fixture = Arc::new(fixture(&server, &client).await);
    println!(
        "school: {} phones signed in and synced once ({} with a draft) in {:.1?}; server at {:.0} MiB",
        fixture.phones.len(),
        fixture.editors.len(),
        started.elapsed(),
        server.peak_mib()
    );

    fresh_phone(&server, &client).await;
    claims_queue(&server, &client).await;

    let mut tallies = open_loop(&client, &[&server.base], &fixture, MIX, 1000.0, 5.0, 30.0).await;
    report(
        "open-loop mix at 1,000 requests/s for 30 s (35% pull since a recent cursor, 15% push of one edit, 30% board list, 20% board entry), sign-ins at 5/s beside:",
        &mut tallies,
    );
    println!("  server peak memory so far: {:.0} MiB", server.peak_mib());

    let board = &[(Kind::BoardList, 50), (Kind::BoardEntry, 50)];
    let mut tallies = open_loop(&client, &[&server.base], &fixture, board, 500.0, 0.0, 15.0).await;
    report("board alone at 500 requests/s for 15 s:", &mut tallies);

    for rate in [1500.0, 2000.0, 3000.0, 4000.0, 6000.0] {
        let mut tallies = open_loop(&client, &[&server.base], &fixture, MIX, rate, 5.0, 10.0).await;
        let worst = report(
            &format!("open-loop mix at {rate} requests/s for 10 s:"),
            &mut tallies,
        );
        if worst > Duration::from_millis(100) {
            println!("  p99 crosses 100 ms at {rate} requests/s");
            break;
        }
    }
    println!(
        "server peak memory (VmHWM) over the whole run: {:.0} MiB",
        server.peak_mib()
    );
}

/// A fresh phone's first sync: pulls from cursor 0 until nothing more
/// waits, 20 times each for a member and for a branch secretary.
async fn fresh_phone(server: &Server, client: &reqwest::Client) {
    for login in ["member", "branch"] {
        let person = sign_in(client, &server.base, login).await;
        let mut times = Vec::new();
        let mut records = 0;
        let mut trips = 0;
        for _ in 0..20 {
            let started = Instant::now();
            let mut since = json!(0);
            records = 0;
            trips = 0;
            loop {
                let page = pull(client, &server.base, &person, &since).await;
                trips += 1;
                records += page["changes"].as_array().map_or(0, Vec::len);
                since = page["cursor"].clone();
                if page["more"] != true {
                    break;
                }
            }
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "fresh phone's first sync, {login}: {records} records in {trips} round trip(s), median {:.2?}, max {:.2?}",
            quantile(&times, 0.5),
            times.last().copied().unwrap_or_default()
        );
    }
}

/// The committee secretary's phone: everything in scope pulled into a
/// replica, then what its screens decide on the device, natively (the wasm
/// build runs the same domain code): the queue of claims to confirm (the
/// claims page) and the to-do list (the dashboard and the app bar).
async fn claims_queue(server: &Server, client: &reqwest::Client) {
    use chengnuo_domain::account::Me;
    use chengnuo_domain::permission::{can, Action, Actor};
    use chengnuo_domain::sync::replica::Replica;
    use chengnuo_domain::sync::PullResponse;
    use chengnuo_domain::workflow::ItemState;
    let person = sign_in(client, &server.base, "committee").await;
    let me: Me = client
        .get(format!("{}/api/me", server.base))
        .header(reqwest::header::COOKIE, &person.cookie)
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("me");
    let cycle: chengnuo_domain::cycle::Cycle = client
        .get(format!("{}/api/cycles/current", server.base))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("a cycle");
    let actor = Actor {
        person: Some(me.id()),
        grants: me.roles.clone(),
    };
    let mut replica = Replica::default();
    let mut since = json!(0);
    loop {
        let page = pull(client, &server.base, &person, &since).await;
        since = page["cursor"].clone();
        let more = page["more"] == true;
        let response: PullResponse = serde_json::from_value(page).expect("a pull");
        replica.absorb(response.changes, response.cursor);
        if !more {
            break;
        }
    }
    let today = cycle.today(chrono::Utc::now());
    let in_cycle: Vec<_> = replica
        .commitments
        .iter()
        .filter(|c| c.cycle == cycle.id)
        .collect();
    let items: usize = in_cycle
        .iter()
        .map(|c| replica.predicted_fulfilment(c.id).len())
        .sum();
    let mut times = Vec::new();
    let mut waiting = 0;
    for _ in 0..20 {
        let started = Instant::now();
        // As `pages/claims.rs`: the commitments this person crosses off, their claimed items.
        waiting = in_cycle
            .iter()
            .filter(|c| {
                replica
                    .target(c.id)
                    .is_some_and(|t| can(&actor, Action::CrossOff, &t).is_ok())
            })
            .map(|c| {
                replica
                    .predicted_fulfilment(c.id)
                    .into_iter()
                    .filter(|f| f.state == ItemState::ClaimedDone)
                    .count()
            })
            .sum::<usize>();
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "committee secretary's claims queue on the device: {} commitments, {items} items, {waiting} claims waiting; decided in median {:.2?} (native)",
        in_cycle.len(),
        quantile(&times, 0.5)
    );
    let mut times = Vec::new();
    let mut listed = 0;
    for _ in 0..20 {
        let started = Instant::now();
        let on_device = chengnuo_domain::todo::on_device(&replica, Some(&cycle));
        listed =
            chengnuo_domain::todo::todo_list(&actor, Some(&cycle), &on_device, today, true).len();
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "committee secretary's to-do list over the same replica: {listed} lines, median {:.2?} (native)",
        quantile(&times, 0.5)
    );
}
