//! SQLite URLs and the connections opened from them.
//!
//! Accepted: `sqlite://path`, `sqlite:path` and `sqlite::memory:`, the path
//! percent-decoded (so it may hold `?` or `#`), with the query options
//! `mode=rw|rwc|memory` and `cache=private|shared`. The file is created if
//! missing, whatever `mode` says.

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{StoreError, StoreResult};

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection: more than the store has, so
/// none is ever prepared twice.
const STATEMENT_CACHE: usize = 128;

/// Where a SQLite store keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// Private to one connection (the writer's), gone when it closes.
    Memory,
    File(PathBuf),
}

impl Target {
    pub(super) fn parse(url: &str) -> StoreResult<Self> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| invalid(format!("'{url}' does not start with sqlite:")))?;
        let (database, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut memory = database == ":memory:";
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match (key, value) {
                ("mode", "memory") => memory = true,
                ("mode", "rw" | "rwc") | ("cache", "private" | "shared") => {}
                _ => return Err(invalid(format!("unsupported option '{pair}'"))),
            }
        }
        if memory {
            return Ok(Self::Memory);
        }
        if database.is_empty() {
            return Err(invalid("no file name".to_owned()));
        }
        Ok(Self::File(PathBuf::from(percent_decode(database)?)))
    }

    /// The one writing connection: WAL (a reader never blocks the writer),
    /// `synchronous=FULL` (a booking acknowledged is a booking kept, even
    /// after power loss), foreign keys, and a busy timeout for the write
    /// lock that another process may hold.
    pub(super) fn open_writer(&self) -> StoreResult<Connection> {
        let conn = match self {
            Self::Memory => Connection::open_in_memory()?,
            Self::File(path) => Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?,
        };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Answers with the mode now in force; an in-memory database stays
        // `memory`, which is fine.
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    /// A reading connection to a file the writer has opened: it can never
    /// write (`query_only`), and in WAL mode never blocks the writer.
    pub(super) fn open_reader(&self) -> StoreResult<Connection> {
        let Self::File(path) = self else {
            return Err(invalid(
                "an in-memory database has no reading connections".to_owned(),
            ));
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "query_only", "ON")?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }
}

fn invalid(reason: String) -> StoreError {
    StoreError::InvalidUrl { reason }
}

/// Decodes `%XX` escapes; anything else is kept as written.
fn percent_decode(text: &str) -> StoreResult<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'%', Some(hex)) => std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok()),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| invalid(format!("'{text}' is not UTF-8 once decoded")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> Target {
        Target::File(PathBuf::from(path))
    }

    #[test]
    fn every_accepted_form_names_the_same_kind_of_target() {
        assert_eq!(
            Target::parse("sqlite://data/villi.db").unwrap(),
            file("data/villi.db")
        );
        assert_eq!(
            Target::parse("sqlite:///srv/villi.db").unwrap(),
            file("/srv/villi.db")
        );
        assert_eq!(Target::parse("sqlite:villi.db").unwrap(), file("villi.db"));
        assert_eq!(
            Target::parse("sqlite://villi.db?mode=rwc").unwrap(),
            file("villi.db")
        );
        assert_eq!(Target::parse("sqlite::memory:").unwrap(), Target::Memory);
        assert_eq!(
            Target::parse("sqlite://x?mode=memory&cache=shared").unwrap(),
            Target::Memory
        );
        assert_eq!(
            Target::parse("sqlite:///tmp/a%3Fb%20c.db").unwrap(),
            file("/tmp/a?b c.db")
        );
    }

    #[test]
    fn unknown_options_and_empty_names_are_refused() {
        for url in [
            "sqlite://x.db?mode=ro",
            "sqlite://x.db?vfs=unix",
            "sqlite://",
            "mysql://x",
        ] {
            assert!(
                matches!(Target::parse(url), Err(StoreError::InvalidUrl { .. })),
                "{url}"
            );
        }
    }

    #[test]
    fn a_bad_escape_is_kept_as_written() {
        assert_eq!(percent_decode("100%").unwrap(), "100%");
        assert_eq!(percent_decode("%zz").unwrap(), "%zz");
        assert!(percent_decode("%ff").is_err());
    }
}
