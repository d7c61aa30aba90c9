//! The command line: what each command is for, in its own help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::FlagOverrides;

/// villi: practice software for gut-health dietitians and their clients.
///
/// Configuration is read from villi.toml (or --config), then VILLI_*
/// environment variables, then these flags.
#[derive(Debug, Parser)]
#[command(name = "villi", version, propagate_version = true)]
pub struct Cli {
    /// A TOML configuration file (default: ./villi.toml if present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true, value_name = "ADDR")]
    pub bind: Option<String>,
    /// Folder for the SQLite database, outbox and backups [default: ./villi-data].
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://FILE or postgres://… [default: SQLite in the data dir].
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Public URL used in links [default: http://<bind>].
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The practice's public name.
    #[arg(long, global = true, value_name = "NAME")]
    pub practice_name: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    pub fn overrides(&self) -> FlagOverrides {
        FlagOverrides {
            bind: self.bind.clone(),
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            base_url: self.base_url.clone(),
            practice_name: self.practice_name.clone(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server and the background worker.
    Serve,
    /// Create (once) a demo practice with two practitioners, then serve it.
    Demo(DemoArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage practitioners.
    #[command(subcommand)]
    Practitioner(PractitionerCommand),
    /// Set or show weekly availability and date overrides.
    #[command(subcommand)]
    Availability(AvailabilityCommand),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Only create the demo data; do not start the server.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Subcommand)]
pub enum PractitionerCommand {
    /// Add a practitioner.
    Add {
        /// Short name used in links, e.g. "ada-okafor".
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// IANA time zone, e.g. Europe/London.
        #[arg(long)]
        time_zone: String,
        #[arg(long, default_value = "")]
        bio: String,
    },
    /// List practitioners.
    List,
}

#[derive(Debug, Subcommand)]
pub enum AvailabilityCommand {
    /// Replace a practitioner's hours on one weekday, e.g.
    /// `--day mon --hours 09:00-12:00 --hours 13:00-17:00`. No --hours clears the day.
    Set {
        #[arg(long)]
        practitioner: String,
        /// mon, tue, … or full names.
        #[arg(long)]
        day: String,
        /// A window like 09:00-12:30 in the practitioner's zone; repeatable.
        #[arg(long)]
        hours: Vec<String>,
        /// Only for this appointment type (default: all types).
        #[arg(long = "type")]
        appointment_type: Option<String>,
    },
    /// Change one date: a day off, time off, or extra hours.
    Override {
        #[arg(long)]
        practitioner: String,
        /// YYYY-MM-DD, in the practitioner's zone.
        #[arg(long)]
        date: String,
        /// The whole day off.
        #[arg(long, conflicts_with_all = ["off", "extra"])]
        day_off: bool,
        /// Hours off, like 13:00-15:00.
        #[arg(long, conflicts_with = "extra")]
        off: Option<String>,
        /// Extra hours, like 18:00-20:00.
        #[arg(long)]
        extra: Option<String>,
    },
    /// Show the weekly hours and the free slots of the coming days.
    Show {
        #[arg(long)]
        practitioner: String,
        /// Appointment type whose slots to list.
        #[arg(long = "type", default_value = "discovery")]
        appointment_type: String,
        /// How many days of slots to list.
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
}
