//! The server's typed configuration: flags, each with an environment variable.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "chengnuo-server",
    version,
    about = "Chengnuo (承诺): the server"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "CHENGNUO_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Database URL; the default is an SQLite file under data/, created when missing.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/chengnuo.db"
    )]
    pub database_url: String,
    /// Folder of the built client (`cargo xtask build-client` writes dist/).
    #[arg(long, env = "CHENGNUO_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Fill an empty database with the demo university.
    #[arg(long, env = "CHENGNUO_DEMO")]
    pub demo: bool,
    /// A session unused this long ends (default 14 days: phones work offline for days).
    #[arg(long, env = "CHENGNUO_SESSION_IDLE_MINUTES", default_value_t = 14 * 24 * 60)]
    pub session_idle_minutes: i64,
    /// A session ends this long after sign-in, used or not (default 90 days).
    #[arg(long, env = "CHENGNUO_SESSION_MAX_MINUTES", default_value_t = 90 * 24 * 60)]
    pub session_max_minutes: i64,
    /// Mark the session cookie `Secure` (set this when served over HTTPS).
    #[arg(long, env = "CHENGNUO_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// A reverse proxy whose `X-Forwarded-For` names the client (for the
    /// sign-in and feedback limits); repeat the flag, or separate by commas.
    #[arg(
        long = "trusted-proxy",
        env = "CHENGNUO_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// API requests handled at once; one more is refused at once with 503
    /// and `Retry-After` (load shed, not queued: past its capacity the
    /// server stays quick to answer and recovers by itself).
    #[arg(long, env = "CHENGNUO_MAX_IN_FLIGHT", default_value_t = 256)]
    pub max_in_flight: usize,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the app and the API (the default).
    Serve,
    /// Copy the database, while it is in use, into a new file (restore: stop
    /// the server and put the copy in place of the database file).
    Backup { path: PathBuf },
    /// Create a person with an account and the Member role in their branch.
    CreateAccount {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// The branch, by its name.
        #[arg(long)]
        branch: String,
        /// Teacher, Staff, Retired or Student.
        #[arg(long)]
        category: String,
        /// Section, Division or Bureau, for cadres.
        #[arg(long)]
        cadre_rank: Option<String>,
        #[arg(long, default_value = "")]
        title: String,
        /// The initial password; one is generated and printed when missing.
        #[arg(long, env = "CHENGNUO_PASSWORD")]
        password: Option<String>,
    },
    /// Set a new password for an account (and end its sessions).
    ResetPassword {
        #[arg(long)]
        login: String,
        #[arg(long, env = "CHENGNUO_PASSWORD")]
        password: Option<String>,
    },
    /// Give an account a role over a unit (BranchSecretary, CommitteeSecretary, Leader, Office).
    Grant {
        #[arg(long)]
        login: String,
        #[arg(long)]
        role: String,
        /// The unit, by its name.
        #[arg(long)]
        unit: String,
    },
    /// Import the org tree and the roster from a CSV file (see README); nothing
    /// is imported when any line is wrong.
    ImportRoster { path: PathBuf },
    /// Fill an empty database with a school of a real size (for benchmarks):
    /// committees, branches, an account for every member (password
    /// `chengnuo-demo`), `years - 1` finished cycles and the current one.
    Seed {
        #[arg(long, default_value_t = 25_000)]
        members: usize,
        #[arg(long, default_value_t = 5)]
        years: usize,
    },
    /// Export a cycle's commitments, one row per item, to a CSV file.
    ExportCommitments {
        /// The year the cycle starts in.
        #[arg(long)]
        year: i32,
        path: PathBuf,
    },
}
