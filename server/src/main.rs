use chengnuo_server::admin;
use chengnuo_server::config::{Cli, Command, Settings};
use chengnuo_server::startup::Application;
use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command.clone().unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.settings).await,
        command => administer(&cli.settings, command).await,
    }
}

async fn serve(settings: Settings) -> ExitCode {
    let application = match Application::build(&settings).await {
        Ok(application) => application,
        Err(error) => {
            tracing::error!(%error, "could not start");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        "Chengnuo is serving http://{}:{}",
        settings.addr.ip(),
        application.port()
    );
    match application.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "server stopped");
            ExitCode::FAILURE
        }
    }
}

async fn administer(settings: &Settings, command: Command) -> ExitCode {
    let db = match chengnuo_server::db::connect(&settings.database_url).await {
        Ok(db) => db,
        Err(error) => {
            eprintln!("could not open the database: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = match command {
        Command::Serve => return ExitCode::SUCCESS,
        Command::Backup { path } => admin::backup(&db, &path).await,
        Command::CreateAccount {
            login,
            name,
            branch,
            category,
            cadre_rank,
            title,
            password,
        } => {
            admin::create_account(
                &db,
                &login,
                &name,
                &branch,
                &category,
                cadre_rank.as_deref(),
                &title,
                password,
            )
            .await
        }
        Command::ResetPassword { login, password } => {
            admin::reset_password(&db, &login, password).await
        }
        Command::Grant { login, role, unit } => admin::grant(&db, &login, &role, &unit).await,
        Command::ImportRoster { path } => admin::import_roster(&db, &path).await,
        Command::Seed { members, years } => admin::seed(&db, members, years).await,
        Command::ExportCommitments { year, path } => {
            admin::export_commitments(&db, year, &path).await
        }
    };
    match result {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
