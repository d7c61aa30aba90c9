//! The `villi` binary: configuration, commands, and the server's lifecycle.

mod admin;
mod assess;
mod cli;
mod config;
mod demo;
mod labs;
mod practice;
mod server;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::config::Config;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), &cli.overrides()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("villi: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("villi: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("villi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve => server::serve(&config).await,
        Command::Demo(args) => {
            let store = server::open_store(&config).await?;
            demo::create(&store).await?;
            store.close().await;
            if args.no_serve {
                println!("Demo practice ready in {}", config.database_url_redacted());
                return Ok(ExitCode::SUCCESS);
            }
            let mut config = config;
            if config.practice_name == Config::default().practice_name {
                config.practice_name = demo::PRACTICE_NAME.to_owned();
            }
            server::serve(&config).await
        }
        Command::Migrate => {
            server::open_store(&config).await?.close().await;
            println!("Migrations applied.");
            Ok(ExitCode::SUCCESS)
        }
        Command::Practitioner(cmd) => admin::practitioner(&config, cmd).await,
        Command::Availability(cmd) => admin::availability(&config, cmd).await,
        Command::AppointmentType(cmd) => practice::appointment_type(&config, cmd).await,
        Command::Questions(cmd) => practice::questions(&config, cmd).await,
        Command::Assess {
            file,
            format,
            schema,
        } => assess::run(file.as_deref(), format, schema),
        Command::Medications(cli::MedicationsCommand::Search { name, json }) => {
            assess::search(&name, json)
        }
        Command::Labs(cmd) => labs::run(cmd),
    }
}

fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter =
        EnvFilter::try_from_env("VILLI_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
