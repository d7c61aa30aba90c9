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
    /// Configure the appointment types the practice offers.
    #[command(subcommand, name = "appointment-type")]
    AppointmentType(AppointmentTypeCommand),
    /// Configure the questions asked when someone books a call.
    #[command(subcommand)]
    Questions(QuestionsCommand),
    /// Assess an intake (JSON): possible contributors, scores, red flags.
    ///
    /// Exit code 2 and the precise errors when the intake is not valid.
    Assess {
        /// The intake file; see --schema for its shape.
        file: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Print the intake's JSON Schema and exit.
        #[arg(long)]
        schema: bool,
    },
    /// Look up medications in the knowledge base.
    #[command(subcommand)]
    Medications(MedicationsCommand),
    /// Import, check and export stool-test results (HL7 v2, FHIR R4, CSV).
    #[command(subcommand)]
    Labs(LabsCommand),
}

/// How `villi assess` prints the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// For a terminal.
    Text,
    /// For machines: stable top-level keys.
    Json,
    /// A printable page.
    Html,
}

#[derive(Debug, Subcommand)]
pub enum MedicationsCommand {
    /// Show what a typed medication name resolves to, with scores.
    Search {
        /// The name as a client might type it ("metforminn", "Nexium 20mg").
        name: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Output of `villi labs import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Text,
    Json,
}

/// A lab file's format (detected from the content when not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LabFormat {
    /// HL7 v2.x ORU^R01.
    Hl7,
    /// FHIR R4 JSON.
    Fhir,
    /// villi's CSV template.
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum LabsCommand {
    /// Read a result file and print the normalised report with flags, area
    /// summaries and any issues. Exit code 2 on bad input.
    Import {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = OutFormat::Text)]
        format: OutFormat,
        /// Check and show only; store nothing.
        #[arg(long)]
        dry_run: bool,
        /// Keep the good results and list the rejected ones (default: all or nothing).
        #[arg(long)]
        partial: bool,
        /// The file's format, when detection is not wanted.
        #[arg(long, value_enum)]
        from: Option<LabFormat>,
        /// The client's intake (JSON), to link results to their answers
        /// (e.g. raised Escherichia with metformin).
        #[arg(long, value_name = "FILE")]
        intake: Option<PathBuf>,
    },
    /// Read a result file and write it as a FHIR R4 Bundle.
    Export {
        file: PathBuf,
        #[arg(long)]
        partial: bool,
        #[arg(long, value_enum)]
        from: Option<LabFormat>,
    },
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

#[derive(Debug, Subcommand)]
pub enum AppointmentTypeCommand {
    /// Create or change an appointment type. Unset options keep their
    /// current value (or the default for a new type).
    Set {
        /// Short name used in links, e.g. "discovery".
        #[arg(long)]
        slug: String,
        /// Name shown to visitors.
        #[arg(long)]
        name: Option<String>,
        /// Length in minutes.
        #[arg(long)]
        duration: Option<u32>,
        /// Minutes kept free before each appointment.
        #[arg(long)]
        buffer_before: Option<u32>,
        /// Minutes kept free after each appointment.
        #[arg(long)]
        buffer_after: Option<u32>,
        /// Earliest booking, in hours from now [default for new types: 12].
        #[arg(long)]
        min_notice_hours: Option<u32>,
        /// Latest booking, in days from today [default for new types: 60].
        #[arg(long)]
        horizon_days: Option<u32>,
        /// Most bookings per practitioner per day; 0 removes the cap.
        #[arg(long)]
        daily_cap: Option<u32>,
        /// Minutes between slot starts [default for new types: the duration].
        #[arg(long)]
        interval: Option<u32>,
        /// "Free", or a price label such as "£95".
        #[arg(long)]
        price_label: Option<String>,
        /// Offered on the public booking page (true or false).
        #[arg(long)]
        public: Option<bool>,
    },
    /// List the appointment types.
    List,
}

#[derive(Debug, Subcommand)]
pub enum QuestionsCommand {
    /// Replace the pre-call questions with those in a JSON file: a list of
    /// {"key", "label", "kind": {"type": "short_text"} or {"type": "choice",
    /// "options": [...]}, "required"}.
    Set { file: PathBuf },
    /// Print the pre-call questions as JSON (the format `set` reads).
    List,
}
