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
mod certificates;
mod dashboard;
mod documents;
mod exchange;
mod members;
mod periods;
mod presidium;
mod rows;
mod schema;
mod settings;
mod timeline;

pub use applications::Approval;
pub use attachments::Owner;
pub use backup::{automatic_backup, backup_database, check_backup};
pub use documents::{DocumentImages, DocumentRequest, FormSource, Preview, Verification};
pub use schema::SCHEMA_VERSION;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OptionalExtension};

use schema::{Migration, MIGRATIONS};

use crate::error::{Error, Result};

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::NotADatabase) => Error::NotARegistry(e.to_string()),
            Some(ErrorCode::DiskFull) => Error::registry_disk_full(),
            Some(ErrorCode::ReadOnly) => Error::registry_read_only(),
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

impl Registry {
    /// Opens (creating if needed) the registry file at `path`, applying pending migrations.
    ///
    /// A file this version cannot keep (another program's database, or a registry written by
    /// a newer version) is refused after reading its header alone, and is never written to.
    /// A registry at an older schema is first copied into `backups/` under a name that gives
    /// its version (`before-upgrade-v2-…`); the migrations then run in one transaction, so a
    /// failure leaves the file as it was.
    pub fn open(path: &Path) -> Result<Registry> {
        Registry::open_migrating(path, MIGRATIONS)
    }

    fn open_migrating(path: &Path, migrations: &[Migration]) -> Result<Registry> {
        Ok(Registry {
            conn: schema::open(path, migrations)?,
            files: path.parent().map(Path::to_path_buf),
        })
    }

    /// A registry that lives in memory only, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Registry> {
        let conn = schema::prepare(Connection::open_in_memory()?, false, MIGRATIONS)?;
        Ok(Registry { conn, files: None })
    }

    /// The schema version this file is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// What Settings' About panel and `cceaa info` show: the version, where the registry and
    /// the fonts (`fonts_dir`, the folder the caller loads them from) are, and the schema
    /// version of this file.
    pub fn app_info(&self, fonts_dir: &Path) -> Result<crate::vocabulary::AppInfo> {
        let data_dir = self.data_dir()?;
        Ok(crate::vocabulary::AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            database: data_dir
                .join(crate::paths::DATABASE_FILE)
                .display()
                .to_string(),
            data_dir: data_dir.display().to_string(),
            schema_version: self.schema_version()?,
            fonts_dir: fonts_dir.display().to_string(),
        })
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
    fn a_file_from_a_newer_version_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        drop(Registry::open(&path).unwrap());
        // As a newer version might leave it: another journal mode, a higher version.
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99")
            .unwrap();
        drop(c);
        let before = std::fs::read(&path).unwrap();
        match Registry::open(&path) {
            Err(e @ Error::NewerSchema { found: 99, .. }) => {
                assert!(e.message().zh.contains("没有改动"), "{}", e.message().zh);
            }
            other => panic!("expected NewerSchema, got {:?}", other.err()),
        }
        assert!(
            std::fs::read(&path).unwrap() == before,
            "a newer registry must not be written to, not even its journal mode"
        );
        assert!(
            !dir.path().join("backups").exists(),
            "nor backed up as if older"
        );
    }

    fn version_of(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap()
    }

    fn upgrade_copies(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.join("backups"))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn an_upgrade_is_backed_up_first_and_a_failed_one_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::paths::DATABASE_FILE);
        // A registry as the first version wrote it, with a member in it.
        let old = Registry::open_migrating(&path, &MIGRATIONS[..1]).unwrap();
        old.conn
            .execute(
                "INSERT INTO member (member_no, name, kind, origin, tier, status, joined,
                                     created_at, updated_at)
                 VALUES ('0001', '华为技术有限公司', 'enterprise', 'domestic', 'presidium',
                         'active', '2015-01-01', 'x', 'x')",
                [],
            )
            .unwrap();
        drop(old);
        assert!(
            upgrade_copies(dir.path()).is_empty(),
            "a new file needs none"
        );
        let before = std::fs::read(&path).unwrap();

        // A later version whose last step fails: nothing of the first steps may remain.
        let mut failing = MIGRATIONS.to_vec();
        failing.push(Migration {
            sql: "CREATE TABLE ledger (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1);",
            then: None,
        });
        match Registry::open_migrating(&path, &failing) {
            Err(e @ Error::UpgradeFailed { from: 1, to: 3, .. }) => {
                assert!(
                    e.message().zh.contains("原文件保持原样"),
                    "{}",
                    e.message().zh
                );
            }
            other => panic!("expected UpgradeFailed from 1 to 3, got {:?}", other.err()),
        }
        assert!(
            std::fs::read(&path).unwrap() == before,
            "the file is as it was"
        );
        assert_eq!(version_of(&path), 1);
        let copies = upgrade_copies(dir.path());
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert!(copies[0].starts_with("before-upgrade-v1-"), "{copies:?}");
        let copy = dir.path().join("backups").join(&copies[0]);
        assert_eq!(check_backup(&copy).unwrap(), 1, "the copy holds version 1");

        // This version's upgrade succeeds and keeps the member.
        let r = Registry::open(&path).unwrap();
        assert_eq!(r.schema_version().unwrap(), SCHEMA_VERSION);
        let name: String = r
            .conn
            .query_row(
                "SELECT name FROM member WHERE member_no = '0001'",
                [],
                |x| x.get(0),
            )
            .unwrap();
        assert_eq!(name, "华为技术有限公司");
        assert_eq!(
            upgrade_copies(dir.path()).len(),
            2,
            "one copy per upgrade tried"
        );
        drop(r);
        // Opening an up-to-date registry takes no copy.
        drop(Registry::open(&path).unwrap());
        assert_eq!(upgrade_copies(dir.path()).len(), 2);
    }

    #[test]
    fn a_restore_whose_upgrade_fails_leaves_the_registry_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut live = Registry::open(&dir.path().join(crate::paths::DATABASE_FILE)).unwrap();
        let stamp = crate::audit::Stamp {
            at: chrono::NaiveDate::from_ymd_opt(2026, 11, 29)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            actor: "secretariat".into(),
        };
        let input = crate::member::MemberInput {
            name: "华为技术有限公司".into(),
            joined: "2020-01-01".into(),
            ..Default::default()
        };
        let id = live.create_member(&input, &stamp).unwrap().id;
        // A backup as the first version wrote it.
        let old = dir.path().join("old.db");
        drop(Registry::open_migrating(&old, &MIGRATIONS[..1]).unwrap());

        let mut failing = MIGRATIONS.to_vec();
        failing.push(Migration {
            sql: "CREATE TABLE ledger (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1);",
            then: None,
        });
        match live.restore_with(&old, &stamp, &failing) {
            Err(Error::UpgradeFailed { from: 1, to: 3, .. }) => {}
            other => panic!("expected UpgradeFailed, got {:?}", other.map(|b| b.name)),
        }
        assert_eq!(
            live.member(id).unwrap().name,
            "华为技术有限公司",
            "the registry is as it was"
        );
        assert_eq!(live.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(!dir.path().join("restore.part").exists());

        // This version's upgrade goes through: the old, empty registry replaces the live one.
        live.restore_from(&old, &stamp).unwrap();
        assert_eq!(live.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(
            live.member(id).is_err(),
            "the restored registry has no members"
        );
        assert!(!dir.path().join("restore.part").exists());
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
