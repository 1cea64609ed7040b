//! Storage: the only module that names rusqlite.
//!
//! One SQLite file per registry, opened with foreign keys on, WAL (so the desktop app and the
//! `cceaa` CLI can use it at once), a busy timeout, and every migration applied in order. All
//! writes run in one `BEGIN IMMEDIATE` transaction each: a failure anywhere leaves the file as
//! it was, and two writers queue instead of failing half-way.

mod activities;
mod applications;
pub mod attachments;
mod backup;
mod documents;
mod exchange;
mod members;
mod presidium;
mod workflow;

pub use applications::Approval;
pub use attachments::Owner;
pub use backup::{automatic_backup, backup_database, check_backup};
pub use documents::{DocumentImages, DocumentRequest, FormSource, Preview, Verification};

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};

use crate::error::{Error, Result};

/// The schema, one file per version. Append only: an applied file is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_workflows.sql"),
];

/// Marks a SQLite file as a CCEAA registry (`PRAGMA application_id`, the bytes "CCEA").
const APPLICATION_ID: i64 = 0x4343_4541;

/// How long a writer waits for another program's write to finish before reporting busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::NotADatabase) => Error::NotARegistry(e.to_string()),
            _ => Error::Storage(e.to_string()),
        }
    }
}

/// The registry's enums are stored by their stable key.
macro_rules! stored_as_key {
    ($($t:ty),+) => {$(
        impl rusqlite::ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.key().into())
            }
        }
    )+};
}
stored_as_key!(
    crate::member::Kind,
    crate::member::Origin,
    crate::member::Tier,
    crate::member::Status
);

/// An open registry. Cheap operations borrow it; writes take `&mut self`, so within one
/// process a registry is shared behind a lock and across processes SQLite queues the writers.
pub struct Registry {
    conn: Connection,
    /// The data folder (the database's folder), where attachments are kept; `None` in memory.
    files: Option<PathBuf>,
}

/// Migration 0002 adds `member.name_key`, which only the program can compute; it is filled in
/// inside the migration's transaction.
fn backfill_name_keys(tx: &rusqlite::Transaction) -> Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM member")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE member SET name_key = ?2 WHERE id = ?1")?;
    for (id, name) in rows {
        update.execute(rusqlite::params![id, crate::application::name_key(&name)])?;
    }
    Ok(())
}

impl Registry {
    /// Opens (creating if needed) the registry file at `path`, applying pending migrations.
    pub fn open(path: &Path) -> Result<Registry> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        let mut r = Registry::prepare(conn, true)?;
        r.files = path.parent().map(Path::to_path_buf);
        Ok(r)
    }

    /// A registry that lives in memory only, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Registry> {
        Registry::prepare(Connection::open_in_memory()?, false)
    }

    fn prepare(conn: Connection, wal: bool) -> Result<Registry> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Writing one member runs about twenty statements; an import runs them 100,000
        // times, so each is prepared once and kept.
        conn.set_prepared_statement_cache_capacity(64);
        // Reading the schema is the first thing that fails on a file that is not SQLite.
        let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if (app_id != 0 && app_id != APPLICATION_ID) || (version == 0 && tables > 0) {
            return Err(Error::NotARegistry(
                "the file is an SQLite database of another program".into(),
            ));
        }
        if wal {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Storage(format!(
                    "cannot switch to WAL mode (got {mode})"
                )));
            }
        }
        // A page cache of up to 64 MiB (SQLite's default is 2 MiB, allocated as used): a
        // registry of 100,000 members fits, and an import's one large transaction is not
        // spilled to the WAL half-way (100,000 rows: 10.3 s with 2 MiB, 8.4 s with 64 MiB).
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;",
        )?;
        let mut registry = Registry { conn, files: None };
        registry.migrate()?;
        Ok(registry)
    }

    /// The schema version this file is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Applies the migrations the file has not seen, each in its own transaction together
    /// with the version bump, so an interrupted upgrade resumes where it stopped.
    fn migrate(&mut self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > known {
            return Err(Error::NewerSchema { found, known });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now > i as i64 {
                continue;
            }
            tx.execute_batch(sql)?;
            if i == 1 {
                backfill_name_keys(&tx)?;
            }
            tx.execute_batch(&format!(
                "PRAGMA user_version = {}; PRAGMA application_id = {APPLICATION_ID};",
                i + 1
            ))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Runs SQLite's own consistency check; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(Error::NotARegistry(verdict))
        }
    }

    /// A stored setting (for example the UI language).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_migrations_apply_to_an_empty_database() {
        let r = Registry::open_in_memory().unwrap();
        assert_eq!(r.schema_version().unwrap(), MIGRATIONS.len() as i64);
        r.integrity_check().unwrap();
        let fk: i64 = r
            .conn
            .query_row("PRAGMA foreign_keys", [], |x| x.get(0))
            .unwrap();
        assert_eq!(fk, 1, "foreign keys must be enforced");
    }

    #[test]
    fn a_file_from_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        drop(Registry::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA user_version = 99").unwrap();
        drop(c);
        match Registry::open(&path) {
            Err(Error::NewerSchema { found: 99, .. }) => {}
            other => panic!("expected NewerSchema, got {:?}", other.err()),
        }
    }

    #[test]
    fn a_file_that_is_not_a_registry_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let garbage = dir.path().join("garbage.db");
        std::fs::write(
            &garbage,
            b"this is a spreadsheet, not a database, honestly ok",
        )
        .unwrap();
        assert!(matches!(
            Registry::open(&garbage),
            Err(Error::NotARegistry(_))
        ));
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        assert!(matches!(
            Registry::open(&other),
            Err(Error::NotARegistry(_))
        ));
    }

    #[test]
    fn wal_is_on_for_files() {
        let dir = tempfile::tempdir().unwrap();
        let r = Registry::open(&dir.path().join("r.db")).unwrap();
        let mode: String = r
            .conn
            .query_row("PRAGMA journal_mode", [], |x| x.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn settings_round_trip() {
        let mut r = Registry::open_in_memory().unwrap();
        assert_eq!(r.setting("ui.language").unwrap(), None);
        r.set_setting("ui.language", "en").unwrap();
        r.set_setting("ui.language", "zh").unwrap();
        assert_eq!(r.setting("ui.language").unwrap().as_deref(), Some("zh"));
    }
}
