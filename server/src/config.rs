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
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the app and the API (the default).
    Serve,
}
