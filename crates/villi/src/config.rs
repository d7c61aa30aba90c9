//! Configuration: built-in defaults, then a TOML file, then `VILLI_*`
//! environment variables, then command-line flags (each overriding the one
//! before). With no configuration at all, villi starts and works.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Address to listen on.
    pub bind: String,
    /// Where the SQLite file, the outbox and backups live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; default: `villi.db` in the data dir.
    pub database_url: Option<String>,
    /// Public URL used in email links; default `http://<bind>`.
    pub base_url: Option<String>,
    pub practice_name: String,
    pub practice_tagline: String,
    /// Sender of outgoing email.
    pub mail_from: String,
    /// SMTP relay; without one, emails are written to `<data-dir>/outbox/`.
    pub smtp: Option<SmtpConfig>,
    /// Proxies (IPs or CIDRs) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<String>,
    /// Booking POSTs allowed per client address per hour.
    pub booking_rate_limit: u32,
    pub max_active_bookings_per_email: u32,
    /// Minutes before an appointment that reminders are sent.
    pub reminder_minutes: Vec<u32>,
    /// `text` or `json`.
    pub log_format: String,
    /// Run the background worker (emails, reminders) in this process.
    pub worker: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// `starttls` (default), `tls`, or `none` for a relay on localhost.
    #[serde(default = "default_security")]
    pub security: String,
}

fn default_smtp_port() -> u16 {
    587
}

fn default_security() -> String {
    "starttls".to_owned()
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".to_owned(),
            data_dir: PathBuf::from("./villi-data"),
            database_url: None,
            base_url: None,
            practice_name: "villi practice".to_owned(),
            practice_tagline: "Gut-health dietetics: understand what drives your symptoms."
                .to_owned(),
            mail_from: "villi <no-reply@localhost>".to_owned(),
            smtp: None,
            trusted_proxies: Vec::new(),
            booking_rate_limit: 10,
            max_active_bookings_per_email: 3,
            reminder_minutes: vec![24 * 60, 60],
            log_format: "text".to_owned(),
            worker: true,
        }
    }
}

/// Values given as command-line flags; only those present override.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FlagOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub practice_name: Option<String>,
}

impl Config {
    /// Reads the layers. `file` is the `--config` path; without it,
    /// `villi.toml` in the working directory is read if it exists.
    pub fn load(file: Option<&Path>, flags: &FlagOverrides) -> Result<Self, Box<figment::Error>> {
        Self::figment(file, flags).extract().map_err(Box::new)
    }

    fn figment(file: Option<&Path>, flags: &FlagOverrides) -> Figment {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        figment = match file {
            Some(path) => figment.merge(Toml::file_exact(path)),
            None => figment.merge(Toml::file("villi.toml")),
        };
        figment
            .merge(
                Env::prefixed("VILLI_")
                    .split("__")
                    .ignore(&["require_all", "test_database_url"]),
            )
            .merge(Serialized::defaults(flags))
    }

    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("villi.db").display()))
    }

    /// The database URL with any password hidden, for messages.
    pub fn database_url_redacted(&self) -> String {
        let url = self.database_url();
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let creds = &url[scheme + 3..at];
                match creds.split_once(':') {
                    Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                    None => url,
                }
            }
            _ => url,
        }
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_owned()
    }
}

#[cfg(test)]
// figment's Jail closures return its (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    #[test]
    fn with_nothing_configured_the_defaults_apply() {
        Jail::expect_with(|_| {
            let c = Config::load(None, &FlagOverrides::default()).map_err(|e| *e)?;
            assert_eq!(c.bind, "127.0.0.1:8080");
            assert!(c.database_url().starts_with("sqlite://"));
            assert!(c.database_url().ends_with("villi.db"));
            assert_eq!(c.base_url(), "http://127.0.0.1:8080");
            Ok(())
        });
    }

    #[test]
    fn flags_beat_environment_which_beats_the_file() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "villi.toml",
                "bind = \"0.0.0.0:1\"\npractice_name = \"From file\"\ndata_dir = \"/file\"\n",
            )?;
            jail.set_env("VILLI_BIND", "0.0.0.0:2");
            jail.set_env("VILLI_PRACTICE_NAME", "From env");
            let flags = FlagOverrides {
                bind: Some("0.0.0.0:3".into()),
                ..Default::default()
            };
            let c = Config::load(None, &flags).map_err(|e| *e)?;
            assert_eq!(c.bind, "0.0.0.0:3");
            assert_eq!(c.practice_name, "From env");
            assert_eq!(c.data_dir, PathBuf::from("/file"));
            Ok(())
        });
    }

    #[test]
    fn database_passwords_are_hidden_in_messages() {
        let c = Config {
            database_url: Some("postgres://villi:s3cret@db:5432/villi".into()),
            ..Config::default()
        };
        assert_eq!(
            c.database_url_redacted(),
            "postgres://villi:***@db:5432/villi"
        );
    }

    #[test]
    fn smtp_settings_nest_under_a_double_underscore() {
        Jail::expect_with(|jail| {
            jail.set_env("VILLI_SMTP__HOST", "mail.example.org");
            let c = Config::load(None, &FlagOverrides::default()).map_err(|e| *e)?;
            let smtp = c.smtp.expect("smtp");
            assert_eq!(smtp.host, "mail.example.org");
            assert_eq!(smtp.port, 587);
            Ok(())
        });
    }

    #[test]
    fn a_missing_config_file_named_explicitly_is_an_error() {
        Jail::expect_with(|_| {
            let err = Config::load(Some(Path::new("nope.toml")), &FlagOverrides::default());
            assert!(err.is_err());
            Ok(())
        });
    }
}
