//! SQLite's migrations: the files in `migrations/sqlite`, embedded at build
//! time, applied in version order on the writer thread, each in its own
//! `BEGIN IMMEDIATE` transaction together with its record in
//! `schema_migrations`.
//!
//! Databases made by earlier releases were migrated by sqlx, which kept its
//! records in `_sqlx_migrations`; the versions it applied successfully are
//! copied over and count as applied. The checksum is the same (SHA-384 of the
//! file's text, here as lowercase hex), so an edit to an applied migration is
//! caught either way.

use rusqlite::Connection;
use sha2::{Digest, Sha384};

use super::rows::{FromSqlite, all_rows, execute, scalar};
use crate::error::{StoreError, StoreResult};

/// One migration file: `<version>_<description>.sql`.
#[derive(Clone, Copy)]
pub(super) struct Migration {
    pub(super) version: i64,
    pub(super) description: &'static str,
    pub(super) sql: &'static str,
}

/// Every file of `migrations/sqlite`, in version order. A test checks that
/// this list and the folder agree.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "init",
        sql: include_str!("../../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        description: "bounded blocks",
        sql: include_str!("../../migrations/sqlite/0002_bounded_blocks.sql"),
    },
];

const RECORDS: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    checksum    TEXT NOT NULL,
    applied_at  INTEGER NOT NULL
)";

const FROM_SQLX: &str = "INSERT OR IGNORE INTO schema_migrations \
    (version, description, checksum, applied_at) \
    SELECT version, description, lower(hex(checksum)), \
        coalesce(CAST(strftime('%s', installed_on) AS INTEGER), \
                 CAST(strftime('%s', 'now') AS INTEGER)) \
    FROM _sqlx_migrations WHERE success = 1";

/// Applies every embedded migration not applied yet.
pub(super) fn run(conn: &Connection) -> StoreResult<()> {
    apply(conn, MIGRATIONS)
}

/// Applies `migrations` (in version order) that the database lacks; an
/// applied one must still match its checksum.
pub(super) fn apply(conn: &Connection, migrations: &[Migration]) -> StoreResult<()> {
    in_transaction(conn, || {
        execute(conn, RECORDS, [])?;
        let sqlx_made: Option<i64> = scalar(
            conn,
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
            [],
        )?;
        if sqlx_made.is_some() {
            execute(conn, FROM_SQLX, [])?;
        }
        Ok(())
    })?;
    let applied: Vec<Applied> = all_rows(
        conn,
        "SELECT version FROM schema_migrations ORDER BY version",
        [],
    )?;
    if let Some(unknown) = applied
        .iter()
        .find(|a| !migrations.iter().any(|m| m.version == a.version))
    {
        return Err(StoreError::MigrationUnknown {
            version: unknown.version,
        });
    }
    for migration in migrations {
        // Checked again inside the transaction: another process may have
        // applied it meanwhile.
        in_transaction(conn, || apply_one(conn, migration))?;
    }
    Ok(())
}

/// A migration the database records as applied.
struct Applied {
    version: i64,
}

impl FromSqlite for Applied {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            version: row.get(0)?,
        })
    }
}

fn apply_one(conn: &Connection, migration: &Migration) -> StoreResult<()> {
    let checksum = checksum(migration.sql);
    let recorded: Option<String> = scalar(
        conn,
        "SELECT checksum FROM schema_migrations WHERE version = ?",
        [migration.version],
    )?;
    match recorded {
        Some(recorded) if recorded == checksum => Ok(()),
        Some(_) => Err(StoreError::MigrationChanged {
            version: migration.version,
        }),
        None => {
            conn.execute_batch(migration.sql)
                .map_err(|e| StoreError::MigrationFailed {
                    version: migration.version,
                    source: Box::new(e.into()),
                })?;
            execute(
                conn,
                "INSERT INTO schema_migrations (version, description, checksum, applied_at) \
                 VALUES (?, ?, ?, CAST(strftime('%s', 'now') AS INTEGER))",
                (migration.version, migration.description, &checksum),
            )?;
            tracing::info!(version = migration.version, "sqlite migration applied");
            Ok(())
        }
    }
}

/// SHA-384 of the file's text, as sqlx computes it, in lowercase hex.
fn checksum(sql: &str) -> String {
    hex::encode(Sha384::digest(sql.as_bytes()))
}

/// Runs `work` inside `BEGIN IMMEDIATE`; commits if it succeeds, else
/// rolls back.
fn in_transaction(conn: &Connection, work: impl FnOnce() -> StoreResult<()>) -> StoreResult<()> {
    execute(conn, "BEGIN IMMEDIATE", [])?;
    match work() {
        Ok(()) => {
            execute(conn, "COMMIT", [])?;
            Ok(())
        }
        Err(error) => {
            if !conn.is_autocommit() {
                execute(conn, "ROLLBACK", [])?;
            }
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |row| row.get(0)).unwrap()
    }

    fn tables(conn: &Connection) -> i64 {
        count(
            conn,
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bookings'",
        )
    }

    #[test]
    fn the_embedded_list_is_every_file_of_the_folder_in_version_order() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{:04}_{}.sql", m.version, m.description.replace(' ', "_")))
            .collect();
        assert_eq!(files, listed);
        assert!(MIGRATIONS.windows(2).all(|w| w[0].version < w[1].version));
    }

    #[test]
    fn a_fresh_database_gets_every_migration_and_a_second_run_changes_nothing() {
        let conn = Connection::open_in_memory().unwrap();
        run(&conn).unwrap();
        assert_eq!(tables(&conn), 1);
        let recorded = "SELECT count(*) FROM schema_migrations";
        let every = i64::try_from(MIGRATIONS.len()).unwrap();
        assert_eq!(count(&conn, recorded), every);
        let stamp = "SELECT applied_at FROM schema_migrations WHERE version = 1";
        let first = count(&conn, stamp);
        run(&conn).unwrap();
        assert_eq!(count(&conn, recorded), every);
        assert_eq!(count(&conn, stamp), first);
    }

    /// A database as an earlier release left it: sqlx applied migration 1.
    fn migrated_by_sqlx(checksum_of: &str) -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0].sql).unwrap();
        conn.execute_batch(
            "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, \
             description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT \
             CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, \
             execution_time BIGINT NOT NULL)",
        )
        .unwrap();
        let digest = Sha384::digest(checksum_of.as_bytes()).to_vec();
        conn.execute(
            "INSERT INTO _sqlx_migrations (version, description, installed_on, success, \
             checksum, execution_time) VALUES (1, 'init', '2026-11-30 12:00:00', 1, ?, 5)",
            [digest],
        )
        .unwrap();
        conn
    }

    #[test]
    fn migrations_sqlx_applied_count_as_applied_and_are_copied_over() {
        let conn = migrated_by_sqlx(MIGRATIONS[0].sql);
        // Running the first migration again would fail: its tables exist.
        run(&conn).unwrap();
        assert_eq!(
            count(
                &conn,
                "SELECT applied_at FROM schema_migrations WHERE version = 1 \
                 AND description = 'init'"
            ),
            1_796_040_000
        );
        run(&conn).unwrap();
    }

    #[test]
    fn a_migration_sqlx_left_unfinished_is_not_counted() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, \
             description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT \
             CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, \
             execution_time BIGINT NOT NULL); \
             INSERT INTO _sqlx_migrations VALUES (1, 'init', '2026-11-30 12:00:00', 0, x'00', 5);",
        )
        .unwrap();
        run(&conn).unwrap();
        assert_eq!(tables(&conn), 1);
    }

    #[test]
    fn an_applied_migration_whose_file_changed_is_refused_by_version() {
        let conn = migrated_by_sqlx("-- the file as it was when it ran\n");
        match run(&conn) {
            Err(StoreError::MigrationChanged { version }) => assert_eq!(version, 1),
            other => panic!("expected MigrationChanged, got {other:?}"),
        }
        let fresh = Connection::open_in_memory().unwrap();
        run(&fresh).unwrap();
        let mut edited = MIGRATIONS.to_vec();
        edited[0] = Migration {
            version: 1,
            description: "init",
            sql: "CREATE TABLE edited (x INTEGER);",
        };
        let refused = apply(&fresh, &edited).unwrap_err();
        assert!(refused.to_string().contains("migration 1 "), "{refused}");
    }

    #[test]
    fn a_failing_migration_keeps_nothing_and_names_its_version() {
        let conn = Connection::open_in_memory().unwrap();
        let broken = [
            Migration {
                version: 1,
                description: "one",
                sql: "CREATE TABLE one (x INTEGER);",
            },
            Migration {
                version: 2,
                description: "two",
                sql: "CREATE TABLE two (x INTEGER); CREATE TABLE one (y INTEGER);",
            },
        ];
        match apply(&conn, &broken) {
            Err(StoreError::MigrationFailed { version, .. }) => assert_eq!(version, 2),
            other => panic!("expected MigrationFailed, got {other:?}"),
        }
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM sqlite_master WHERE name = 'two'"
            ),
            0
        );
        assert_eq!(
            count(&conn, "SELECT max(version) FROM schema_migrations"),
            1
        );
    }

    #[test]
    fn a_database_newer_than_this_build_is_refused() {
        let conn = Connection::open_in_memory().unwrap();
        run(&conn).unwrap();
        conn.execute_batch("INSERT INTO schema_migrations VALUES (99, 'future', 'x', 0)")
            .unwrap();
        assert!(matches!(
            run(&conn),
            Err(StoreError::MigrationUnknown { version: 99 })
        ));
    }
}
