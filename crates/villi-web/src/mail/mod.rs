//! Outgoing email: SMTP when configured, otherwise `.eml` files in an outbox
//! folder so that a fresh install works and tests can read what was sent.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// An email to send. Bodies carry no health details.
#[derive(Debug, Clone)]
pub struct Email {
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub text: String,
    /// An iCalendar invite and its method (`REQUEST` or `CANCEL`).
    pub invite: Option<(String, &'static str)>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("address '{0}' is not valid")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not write to the outbox: {0}")]
    Outbox(#[from] std::io::Error),
    #[error("SMTP: {0}")]
    Smtp(String),
}

/// SMTP settings from the configuration.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// `starttls` (default), `tls` or `none` (only for a relay on localhost).
    pub security: String,
}

/// Where emails go.
#[derive(Clone)]
pub enum Mailer {
    Outbox(Arc<PathBuf>),
    Smtp(Arc<AsyncSmtpTransport<Tokio1Executor>>),
}

impl Mailer {
    pub fn outbox(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Mailer::Outbox(Arc::new(dir.to_owned())))
    }

    pub fn smtp(s: &SmtpSettings) -> Result<Self, MailError> {
        let builder = match s.security.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host),
            "none" => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &s.host,
            )),
            _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host),
        }
        .map_err(|e| MailError::Smtp(e.to_string()))?;
        let mut builder = builder.port(s.port);
        if let (Some(user), Some(pass)) = (&s.username, &s.password) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        Ok(Mailer::Smtp(Arc::new(builder.build())))
    }

    pub async fn send(&self, from: &str, email: &Email) -> Result<(), MailError> {
        let message = build(from, email)?;
        match self {
            Mailer::Outbox(dir) => {
                let bytes = message.formatted();
                let dir = dir.as_ref().clone();
                tokio::task::spawn_blocking(move || write_outbox(&dir, &bytes))
                    .await
                    .map_err(|e| MailError::Outbox(std::io::Error::other(e)))??;
                Ok(())
            }
            Mailer::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Smtp(e.to_string())),
        }
    }
}

fn build(from: &str, email: &Email) -> Result<Message, MailError> {
    let from: Mailbox = from
        .parse()
        .map_err(|_| MailError::Address(from.to_owned()))?;
    let to = Mailbox::new(
        Some(email.to_name.clone()),
        email
            .to_address
            .parse()
            .map_err(|_| MailError::Address(email.to_address.clone()))?,
    );
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone());
    let text = SinglePart::plain(email.text.clone());
    let result = match &email.invite {
        None => builder.singlepart(text),
        Some((ics, method)) => {
            let calendar_type =
                ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                    .map_err(|e| MailError::Build(e.to_string()))?;
            let inline = SinglePart::builder()
                .header(calendar_type.clone())
                .body(ics.clone());
            let attached =
                Attachment::new("invite.ics".to_owned()).body(ics.clone(), calendar_type);
            builder.multipart(
                MultiPart::mixed()
                    .multipart(MultiPart::alternative().singlepart(text).singlepart(inline))
                    .singlepart(attached),
            )
        }
    };
    result.map_err(|e| MailError::Build(e.to_string()))
}

/// Writes the message under a temporary name and renames it, so a reader
/// never sees half a file.
fn write_outbox(dir: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let stamp = jiff::Timestamp::now().as_millisecond();
    let name = format!("{stamp}-{}.eml", uuid::Uuid::new_v4().simple());
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, dir.join(name))
}
