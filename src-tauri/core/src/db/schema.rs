//! What a registry file is: its schema, one migration a version, and the header that marks
//! it; opening one (refusing another program's file or a newer version's), checking one that
//! came from elsewhere, and copying one with SQLite's online backup API. No [`super::Registry`]
//! here: the registry, its backups and its restores are built on this.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};
use crate::exchange::backup::{self as files, not_a_backup, BackupFile, Fault, BACKUP_DIR};

/// One step of the schema: its SQL and, where the program must compute what SQL cannot, a
/// function run in the same transaction.
#[derive(Clone, Copy)]
pub(super) struct Migration {
    pub(super) sql: &'static str,
    pub(super) then: Option<fn(&rusqlite::Transaction) -> Result<()>>,
}

/// The schema, one file per version. Append only: an applied file is never edited.
pub(super) const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: include_str!("../../migrations/0001_init.sql"),
        then: None,
    },
    Migration {
        sql: include_str!("../../migrations/0002_workflows.sql"),
        then: Some(backfill_name_keys),
    },
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Marks a SQLite file as a CCEAA registry (`PRAGMA application_id`, the bytes "CCEA").
pub(super) const APPLICATION_ID: i64 = 0x4343_4541;

/// How long a writer waits for another program's write to finish before reporting busy.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Migration 0002 adds `member.name_key`, which only the program can compute; it is filled in
/// inside the migration's transaction.
fn backfill_name_keys(tx: &rusqlite::Transaction) -> Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare("SELECT id, name FROM member")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE member SET name_key = ?2 WHERE id = ?1")?;
    for (id, name) in rows {
        update.execute(rusqlite::params![id, crate::text::name_key(&name)])?;
    }
    Ok(())
}

/// The schema version of the registry at `path`, read from its header through a read-only
/// connection: `None` for a file that does not exist yet or is empty (a new registry), an
/// error for a file this version must not write to (see [`Registry::open`]).
fn existing_version(path: &Path, known: i64) -> Result<Option<i64>> {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > 0 => {}
        _ => return Ok(None),
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    header_version(&conn, known).map(Some)
}

/// The schema version in the header of the open file, when this version may keep it: an
/// error for another program's database or for one written by a newer version. Reading the
/// header is also the first thing that fails on a file that is not SQLite.
fn header_version(conn: &Connection, known: i64) -> Result<i64> {
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if (app_id != 0 && app_id != APPLICATION_ID) || (version == 0 && tables > 0) {
        return Err(Error::NotARegistry(
            "the file is an SQLite database of another program".into(),
        ));
    }
    if version > known {
        return Err(Error::NewerSchema {
            found: version,
            known,
        });
    }
    Ok(version)
}

/// Pages copied per step: large enough to finish a 60 MB registry in a few steps, small
/// enough that a writer in another process is not kept waiting long.
const PAGES_PER_STEP: i32 = 4096;

pub(super) fn copy(from: &Connection, to: &mut Connection) -> Result<()> {
    Backup::new(from, to)?.run_to_completion(PAGES_PER_STEP, Duration::from_millis(10), None)?;
    Ok(())
}

/// `path` with `suffix` appended: where a file is written before it is renamed into place.
pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

pub(super) fn part_of(path: &Path) -> PathBuf {
    with_suffix(path, ".part")
}

/// Removes a database file and the journal files SQLite may have left beside it.
pub(super) fn remove_database(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}

/// Opens a database that came from elsewhere: read-only, in SQLite's defensive mode (no
/// writes to the schema, no `PRAGMA writable_schema`), with the schema untrusted (its views
/// and triggers cannot call functions with side effects), no memory mapping, and page cells
/// checked as they are read.
pub(super) fn open_untrusted(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.execute_batch("PRAGMA mmap_size = 0; PRAGMA cell_size_check = ON;")?;
    Ok(conn)
}

/// Opens (creating if needed) the registry file at `path`, applying pending `migrations`; see
/// [`super::Registry::open`].
pub(super) fn open(path: &Path, migrations: &[Migration]) -> Result<Connection> {
    let found = existing_version(path, migrations.len() as i64)?;
    if let Some(version) = found.filter(|&v| v > 0 && v < migrations.len() as i64) {
        before_upgrade(path, version, migrations.len() as i64)?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    prepare(Connection::open_with_flags(path, flags)?, true, migrations)
}

/// Sets up a fresh connection the way the registry works (see the comments) and brings its
/// file to the schema of `migrations`.
pub(super) fn prepare(conn: Connection, wal: bool, migrations: &[Migration]) -> Result<Connection> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Defensive mode: no statement can corrupt the file on purpose (writable_schema,
    // writes to the search index's shadow tables).
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    // Writing one member runs about twenty statements; an import runs them 100,000
    // times, so each is prepared once and kept.
    conn.set_prepared_statement_cache_capacity(64);
    header_version(&conn, migrations.len() as i64)?;
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
    let mut conn = conn;
    migrate(&mut conn, migrations)?;
    Ok(conn)
}

/// Applies the pending ones of `migrations` and the version bump in one transaction: an
/// upgrade is whole or not at all, and a failure is reported with the versions it was
/// between while the file stays at the old one.
fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<()> {
    let known = migrations.len() as i64;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Read inside the write lock: another process may have migrated while we waited.
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > known {
        return Err(Error::NewerSchema { found, known });
    }
    if found == known {
        return Ok(());
    }
    let failed = |e: Error| Error::UpgradeFailed {
        from: found,
        to: known,
        detail: e.to_string(),
    };
    for m in &migrations[found as usize..] {
        tx.execute_batch(m.sql).map_err(|e| failed(e.into()))?;
        if let Some(then) = m.then {
            then(&tx).map_err(failed)?;
        }
    }
    tx.execute_batch(&format!(
        "PRAGMA user_version = {known}; PRAGMA application_id = {APPLICATION_ID};"
    ))
    .map_err(|e| failed(e.into()))?;
    tx.commit().map_err(|e| failed(e.into()))?;
    Ok(())
}

/// One schema object: its type, name, table and SQL.
type SchemaObject = (String, String, String, Option<String>);

/// The schema objects of `conn` (type, name, table, SQL), sorted; SQLite's statistics
/// tables are left out (they are data the planner may write).
fn schema_of(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master
         WHERE name NOT LIKE 'sqlite!_stat%' ESCAPE '!'
         ORDER BY type, name",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
    .collect()
}

/// The schema a registry at `version` has: the first `version` migrations, applied to an
/// empty database.
fn expected_schema(version: i64) -> Result<Vec<SchemaObject>> {
    let conn = prepare(
        Connection::open_in_memory()?,
        false,
        &MIGRATIONS[..version as usize],
    )?;
    Ok(schema_of(&conn)?)
}

/// Checks that the database at `path` is a registry this version can restore: a sound SQLite
/// file, marked as a registry, at a version no newer than this one, with exactly the schema
/// of that version (no table, column, trigger, index or view added, changed or missing), and
/// every attachment file name one the registry makes. Returns its schema version.
pub(super) fn check_database(path: &Path, shown: &Path) -> Result<i64> {
    let bad = |fault: Fault| not_a_backup(shown, fault);
    // SQLite's own words name the fault exactly; the Chinese message says it in Chinese
    // where it can, and keeps SQLite's text only for the rare faults it has no words for.
    let sqlite = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => bad(Fault::NotSqlite),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => bad(Fault::Corrupt),
        _ => bad(Fault::ReadFailed(e.to_string())),
    };
    let conn = open_untrusted(path).map_err(sqlite)?;
    let header =
        |sql: &str| -> Result<i64> { conn.query_row(sql, [], |r| r.get(0)).map_err(sqlite) };
    let app_id = header("PRAGMA application_id")?;
    let version = header("PRAGMA user_version")?;
    if app_id != APPLICATION_ID || version < 1 {
        return Err(bad(Fault::NotARegistry));
    }
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(Error::NewerSchema {
            found: version,
            known,
        });
    }
    let found = schema_of(&conn).map_err(sqlite)?;
    let expected = expected_schema(version)?;
    if found != expected {
        let differs = found
            .iter()
            .filter(|o| !expected.contains(o))
            .chain(expected.iter().filter(|o| !found.contains(o)))
            .map(|o| o.1.clone())
            .next()
            .unwrap_or_default();
        return Err(bad(Fault::SchemaDiffers(version, differs)));
    }
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(sqlite)?;
    if verdict != "ok" {
        return Err(bad(Fault::IntegrityFailed(verdict)));
    }
    if found.iter().any(|o| o.0 == "table" && o.1 == "attachment") {
        let names: Vec<String> = conn
            .prepare("SELECT stored_name FROM attachment")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(sqlite)?;
        if let Some(odd) = names.iter().find(|n| !files::is_stored_name(n)) {
            return Err(bad(Fault::AttachmentName(odd.clone())));
        }
    }
    Ok(version)
}

/// A new empty folder in the system's temporary folder, for a database being checked.
pub(super) fn tempfile_dir() -> Result<PathBuf> {
    let base = std::env::temp_dir();
    for n in 0..1000u32 {
        let dir = base.join(format!("cceaa-check-{}-{n}", std::process::id()));
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::write_failed(&dir, &e)),
        }
    }
    Err(Error::Storage("no temporary folder could be made".into()))
}

/// Copies the database behind `from` into the file `dest` (the database alone): into
/// `dest.part` first, switched to a self-contained file (no WAL beside it), checked, then
/// renamed over `dest`.
pub(super) fn database_into(from: &Connection, dest: &Path) -> Result<()> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::write_failed(dir, &e))?;
    }
    let part = part_of(dest);
    remove_database(&part);
    let result = (|| {
        let mut to = Connection::open(&part)?;
        copy(from, &mut to)?;
        let _: String = to.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        drop(to);
        check_database(&part, dest)?;
        std::fs::rename(&part, dest).map_err(|e| Error::write_failed(dest, &e))
    })();
    if result.is_err() {
        remove_database(&part);
    }
    result.map_err(|e| disk_error(e, dest))
}

/// A storage error that is really a full disk or a read-only folder, said as such.
pub(super) fn disk_error(e: Error, dest: &Path) -> Error {
    match &e {
        Error::Storage(msg)
            if msg.contains("disk is full") || msg.contains("database or disk is full") =>
        {
            Error::write_failed(dest, &std::io::Error::from(std::io::ErrorKind::StorageFull))
        }
        Error::Storage(msg) if msg.contains("readonly") || msg.contains("unable to open") => {
            Error::write_failed(
                dest,
                &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            )
        }
        _ => e,
    }
}

/// The file `dest` as the backups screen lists it.
pub(super) fn described(dest: &Path, automatic: bool) -> BackupFile {
    BackupFile {
        path: dest.display().to_string(),
        name: dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0),
        taken: files::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        automatic,
        database_only: files::is_database_only(dest),
    }
}

/// Flushes the folder holding `path` (its new entry) to disk, where the system allows it.
pub(super) fn sync_folder(path: &Path) {
    #[cfg(unix)]
    if let Some(d) = path.parent().and_then(|d| std::fs::File::open(d).ok()) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

pub(super) fn read_only(database: &Path) -> Result<Connection> {
    let from = Connection::open_with_flags(
        database,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    from.busy_timeout(BUSY_TIMEOUT)?;
    Ok(from)
}

/// The copy taken before the registry `database`, at schema `version`, is upgraded: into its
/// backups folder, named after the version (see [`files::upgrade_name`]). The database alone:
/// an upgrade changes no file beside it.
pub(super) fn before_upgrade(database: &Path, version: i64, to: i64) -> Result<BackupFile> {
    let dir = backups_dir_of(database)?;
    let dest = files::unused_path(&dir, &files::upgrade_name(version, files::now()));
    // Nothing was changed yet: said as an upgrade that did not start, not as a bad backup.
    read_only(database)
        .and_then(|from| database_into(&from, &dest))
        .map(|()| described(&dest, false))
        .map_err(|e| Error::UpgradeFailed {
            from: version,
            to,
            detail: format!(
                "the copy to take before upgrading could not be written to {} ({})",
                dir.display(),
                e.message().en
            ),
        })
}

pub(super) fn data_dir_of(database: &Path) -> Result<PathBuf> {
    database
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::Storage("the registry has no data folder".into()))
}

pub(super) fn backups_dir_of(database: &Path) -> Result<PathBuf> {
    Ok(data_dir_of(database)?.join(BACKUP_DIR))
}
