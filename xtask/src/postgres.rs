//! A private PostgreSQL cluster for the tests: Debian's server binaries, a
//! temporary folder, a free port on 127.0.0.1, trust authentication for the
//! one user `chengnuo`, run as an unprivileged account (PostgreSQL refuses to
//! run as root). It stops and its folder goes when the value is dropped.

use crate::{status, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    bin: PathBuf,
    folder: PathBuf,
    data: PathBuf,
    owner: Option<String>,
    pub port: u16,
}

impl Cluster {
    /// `postgres://chengnuo@127.0.0.1:PORT`: each test makes its own database there.
    pub fn url(&self) -> String {
        format!("postgres://chengnuo@127.0.0.1:{}", self.port)
    }

    /// For tests: nothing is flushed to disk (a crash loses the cluster,
    /// which is thrown away anyway).
    pub fn start() -> Result<Cluster> {
        Cluster::start_with("-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    }

    /// For benchmarks: every commit on disk before it is acknowledged, as
    /// SQLite's `synchronous=FULL` does, so the figures compare.
    pub fn start_durable() -> Result<Cluster> {
        Cluster::start_with("-c fsync=on -c synchronous_commit=on")
    }

    fn start_with(durability: &str) -> Result<Cluster> {
        let bin = server_binaries()?;
        let port = free_port()?;
        let folder =
            std::env::temp_dir().join(format!("chengnuo-pg-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        let owner = unprivileged_owner(&folder)?;
        let data = folder.join("data");
        let cluster = Cluster {
            bin,
            folder,
            data,
            owner,
            port,
        };
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data.to_string_lossy(),
                "-A",
                "trust",
                "-U",
                "chengnuo",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=400 \
             -c shared_buffers=512MB {durability}",
            cluster.folder.display()
        );
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                &cluster.data.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &cluster.folder.join("server.log").to_string_lossy(),
                "-w",
                "start",
            ],
        )?;
        eprintln!(
            "xtask: PostgreSQL on 127.0.0.1:{port} in {}",
            cluster.folder.display()
        );
        Ok(cluster)
    }

    fn run(&self, program: &str, args: &[&str]) -> Result {
        let binary = self.bin.join(program);
        let mut command = match &self.owner {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&binary);
                command
            }
            None => Command::new(&binary),
        };
        command.args(args).current_dir(&self.folder);
        status(command.stdout(std::process::Stdio::null()))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// The newest `/usr/lib/postgresql/N/bin` (Debian's layout).
fn server_binaries() -> Result<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| format!("PostgreSQL's server is not installed (/usr/lib/postgresql: {e})"))?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no initdb under /usr/lib/postgresql".to_owned())
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// As root, the cluster runs as `postgres` (Debian's package makes it) or
/// `nobody`, owning its folder; otherwise as whoever runs the tests.
fn unprivileged_owner(folder: &Path) -> Result<Option<String>> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false);
    if !root {
        return Ok(None);
    }
    let user = ["postgres", "nobody"]
        .into_iter()
        .find(|user| {
            Command::new("id")
                .arg(user)
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or("no unprivileged account to run PostgreSQL as")?;
    status(Command::new("chown").args(["-R", user]).arg(folder))?;
    Ok(Some(user.to_owned()))
}
