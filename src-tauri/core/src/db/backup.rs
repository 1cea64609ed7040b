//! Backup, restore and archive with SQLite's online backup API: a copy is consistent even
//! while the app keeps working, and goes to a temporary file that is checked before it is
//! renamed into place, so an interrupted backup never replaces a good one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::{Registry, APPLICATION_ID, MIGRATIONS};
use crate::error::{Error, Result};
use crate::exchange::backup::{
    self as files, ArchiveSummary, BackupFile, BackupOverview, BACKUP_DIR, DEFAULT_KEEP,
    KEEP_SETTING,
};

/// Pages copied per step: large enough to finish a 60 MB registry in a few steps, small
/// enough that a writer in another process is not kept waiting long.
const PAGES_PER_STEP: i32 = 4096;

fn copy(from: &Connection, to: &mut Connection) -> Result<()> {
    Backup::new(from, to)?.run_to_completion(PAGES_PER_STEP, Duration::from_millis(10), None)?;
    Ok(())
}

/// `path` with `.part` appended: where a file is written before it is renamed into place.
fn part_of(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".part");
    PathBuf::from(p)
}

/// Checks that `path` is a registry database this version can read and that SQLite finds
/// sound. Returns its schema version.
pub fn check_backup(path: &Path) -> Result<i64> {
    let not_backup = |zh: &str, en: &str| {
        Error::file(
            path,
            format!("不是联盟登记簿的备份文件，或已损坏（{zh}）。请选择由本程序生成的备份（.db）文件。"),
            format!("is not a registry backup, or it is damaged ({en}). Choose a backup (.db) file made by this program."),
        )
    };
    // SQLite's own words name the fault exactly; the Chinese message says it in Chinese
    // where it can, and keeps SQLite's text only for the rare faults it has no words for.
    let sqlite = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            not_backup("不是 SQLite 数据库文件", "not an SQLite database")
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            not_backup("数据库文件已损坏", "the database file is corrupt")
        }
        _ => not_backup(&format!("读取出错：{e}"), &e.to_string()),
    };
    if !path.is_file() {
        return Err(Error::io(
            path,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite)?;
    let header =
        |sql: &str| -> Result<i64> { conn.query_row(sql, [], |r| r.get(0)).map_err(sqlite) };
    let app_id = header("PRAGMA application_id")?;
    let version = header("PRAGMA user_version")?;
    if app_id != APPLICATION_ID || version < 1 {
        return Err(not_backup(
            "是 SQLite 数据库，但不是本程序的登记簿",
            "an SQLite database, but not this program's registry",
        ));
    }
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(Error::NewerSchema {
            found: version,
            known,
        });
    }
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(sqlite)?;
    if verdict != "ok" {
        return Err(not_backup(
            &format!("完整性检查未通过：{verdict}"),
            &format!("the integrity check failed: {verdict}"),
        ));
    }
    Ok(version)
}

/// Copies `from` into the file `dest`: into `dest.part` first, switched to a self-contained
/// file (no WAL beside it), checked, then renamed over `dest`.
fn backup_into(from: &Connection, dest: &Path) -> Result<BackupFile> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let part = part_of(dest);
    let _ = std::fs::remove_file(&part);
    let result = (|| {
        let mut to = Connection::open(&part)?;
        copy(from, &mut to)?;
        let _: String = to.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        drop(to);
        check_backup(&part)?;
        std::fs::rename(&part, dest).map_err(|e| Error::io(dest, e))
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
    Ok(BackupFile {
        path: dest.display().to_string(),
        name: dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes,
        taken: files::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        automatic: false,
    })
}

/// Backs up the registry file `database` into `dest` through its own read connection, so
/// that the app's connection stays free while the copy runs.
pub fn backup_database(database: &Path, dest: &Path) -> Result<BackupFile> {
    let from = Connection::open_with_flags(
        database,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    from.busy_timeout(super::BUSY_TIMEOUT)?;
    backup_into(&from, dest)
}

/// The automatic backup: into the data folder's `backups/`, then the oldest beyond `keep`
/// are deleted.
pub fn automatic_backup(database: &Path, keep: u32) -> Result<BackupFile> {
    let dir = backups_dir_of(database)?;
    let dest = files::unused_path(&dir, &files::automatic_name(files::now()));
    let mut file = backup_database(database, &dest)?;
    file.automatic = true;
    files::prune(&dir, keep)?;
    Ok(file)
}

/// The copy taken before the registry `database`, at schema `version`, is upgraded: into its
/// backups folder, named after the version (see [`files::upgrade_name`]).
pub(super) fn before_upgrade(database: &Path, version: i64, to: i64) -> Result<BackupFile> {
    let dir = backups_dir_of(database)?;
    let dest = files::unused_path(&dir, &files::upgrade_name(version, files::now()));
    // Nothing was changed yet: said as an upgrade that did not start, not as a bad backup.
    backup_database(database, &dest).map_err(|e| Error::UpgradeFailed {
        from: version,
        to,
        detail: format!(
            "the copy to take before upgrading could not be written to {} ({})",
            dir.display(),
            e.message().en
        ),
    })
}

fn backups_dir_of(database: &Path) -> Result<PathBuf> {
    database
        .parent()
        .map(|d| d.join(BACKUP_DIR))
        .ok_or_else(|| Error::Storage("the registry has no data folder".into()))
}

/// Table names that are part of the search indexes: rebuilt from the members, not data.
fn is_index_table(name: &str) -> bool {
    name.starts_with("member_fts")
        || name.starts_with("member_chars")
        || name.starts_with("sqlite_")
}

impl Registry {
    /// The folder of automatic backups.
    pub fn backups_dir(&self) -> Result<PathBuf> {
        Ok(self.data_dir()?.join(BACKUP_DIR))
    }

    /// How many automatic backups are kept.
    pub fn backup_keep(&self) -> Result<u32> {
        Ok(self
            .setting(KEEP_SETTING)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_KEEP))
    }

    pub fn set_backup_keep(&mut self, keep: u32) -> Result<()> {
        if !(1..=365).contains(&keep) {
            return Err(Error::refused(
                "backup_keep",
                "保留的自动备份份数应在 1 到 365 之间。",
                "Keep between 1 and 365 automatic backups.",
            ));
        }
        self.set_setting(KEEP_SETTING, &keep.to_string())
    }

    /// The backups screen: the folder, its backups, the setting, and any storage warning.
    pub fn backup_overview(&self) -> Result<BackupOverview> {
        let dir = self.backups_dir()?;
        Ok(BackupOverview {
            folder: dir.display().to_string(),
            backups: files::list(&dir)?,
            keep: self.backup_keep()?,
            warning: files::storage_warning(&self.data_dir()?),
        })
    }

    /// A backup of this registry into `dest`, through this connection.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupFile> {
        backup_into(&self.conn, dest)
    }

    /// Replaces the registry's contents with the backup at `source`, after checking it and
    /// taking a safety copy of the current registry into the backups folder. Returns the
    /// safety copy. Attachment files are kept; the restored rows name the ones they use.
    pub fn restore_from(&mut self, source: &Path) -> Result<BackupFile> {
        self.restore_with(source, super::MIGRATIONS)
    }

    /// [`Registry::restore_from`], bringing an older backup up to `migrations` first in a copy
    /// of its own (`restore.db.part` in the data folder), so that a failed upgrade leaves the
    /// registry as it was; the copy is gone afterwards either way.
    pub(super) fn restore_with(
        &mut self,
        source: &Path,
        migrations: &[super::Migration],
    ) -> Result<BackupFile> {
        check_backup(source)?;
        let staged = self.data_dir()?.join("restore.db.part");
        let remove_staged = || {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let mut p = staged.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(p));
            }
        };
        remove_staged();
        let result = (|| {
            let from = Connection::open_with_flags(
                source,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            let mut to = Connection::open(&staged)?;
            copy(&from, &mut to)?;
            drop(from);
            // An older backup is brought up to this version's schema, as on opening.
            let upgraded = Registry::prepare(to, false, migrations)?;
            upgraded.integrity_check()?;
            let safety =
                files::unused_path(&self.backups_dir()?, &files::safety_name(files::now()));
            let safety = self.backup_to(&safety)?;
            copy(&upgraded.conn, &mut self.conn)?;
            self.integrity_check()?;
            Ok(safety)
        })();
        remove_staged();
        result
    }

    /// The whole registry as one ZIP (charter Art. 17-18, the registry's records kept and
    /// handed over): the database, every attachment, and each table as JSON, so the records
    /// can be read without this program.
    pub fn export_archive(&self, dest: &Path) -> Result<ArchiveSummary> {
        let tmp = tempfile_path(dest);
        let db_copy = self.backup_to(&tmp)?;
        let result = self.write_archive(dest, Path::new(&db_copy.path));
        let _ = std::fs::remove_file(&tmp);
        result
    }

    fn write_archive(&self, dest: &Path, db_copy: &Path) -> Result<ArchiveSummary> {
        use zip::write::SimpleFileOptions;
        let part = part_of(dest);
        let file = std::fs::File::create(&part).map_err(|e| Error::io(&part, e))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let zip_err =
            |e: zip::result::ZipError| Error::Storage(format!("writing the archive: {e}"));
        let io_err = |e: std::io::Error| Error::io(dest, e);
        let result = (|| -> Result<ArchiveSummary> {
            zip.start_file("README.txt", options).map_err(zip_err)?;
            zip.write_all(ARCHIVE_README.as_bytes()).map_err(io_err)?;
            zip.start_file("registry.db", options.large_file(true))
                .map_err(zip_err)?;
            let mut db = std::fs::File::open(db_copy).map_err(|e| Error::io(db_copy, e))?;
            std::io::copy(&mut db, &mut zip).map_err(io_err)?;
            let tables: Vec<String> = self
                .conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let tables: Vec<String> = tables.into_iter().filter(|t| !is_index_table(t)).collect();
            for table in &tables {
                zip.start_file(format!("tables/{table}.json"), options)
                    .map_err(zip_err)?;
                let json = self.table_json(table)?;
                zip.write_all(json.as_bytes()).map_err(io_err)?;
            }
            let mut attachments = 0;
            let dir = self.data_dir()?.join("attachments");
            if let Ok(entries) = std::fs::read_dir(&dir) {
                let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                paths.sort();
                for p in paths.into_iter().filter(|p| p.is_file()) {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    zip.start_file(format!("attachments/{name}"), options.large_file(true))
                        .map_err(zip_err)?;
                    let mut f = std::fs::File::open(&p).map_err(|e| Error::io(&p, e))?;
                    std::io::copy(&mut f, &mut zip).map_err(io_err)?;
                    attachments += 1;
                }
            }
            let out = zip.finish().map_err(zip_err)?;
            out.into_inner()
                .map_err(|e| io_err(e.into_error()))?
                .sync_all()
                .map_err(io_err)?;
            Ok(ArchiveSummary {
                path: dest.display().to_string(),
                tables: tables.len() as u32,
                attachments,
                bytes: 0,
            })
        })();
        match result {
            Ok(mut summary) => {
                std::fs::rename(&part, dest).map_err(|e| Error::io(dest, e))?;
                summary.bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
                Ok(summary)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&part);
                Err(e)
            }
        }
    }

    /// One table as a JSON array of objects, column name to value; binary values as base64.
    fn table_json(&self, table: &str) -> Result<String> {
        use base64::Engine;
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT * FROM \"{}\" ORDER BY rowid",
                table.replace('"', "\"\"")
            ))
            .or_else(|_| {
                self.conn
                    .prepare(&format!("SELECT * FROM \"{}\"", table.replace('"', "\"\"")))
            })?;
        let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut obj = serde_json::Map::new();
            for (i, name) in names.iter().enumerate() {
                let v = match r.get_ref(i)? {
                    ValueRef::Null => serde_json::Value::Null,
                    ValueRef::Integer(n) => n.into(),
                    ValueRef::Real(f) => f.into(),
                    ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                    ValueRef::Blob(b) => base64::engine::general_purpose::STANDARD.encode(b).into(),
                };
                obj.insert(name.clone(), v);
            }
            out.push(serde_json::Value::Object(obj));
        }
        serde_json::to_string_pretty(&out).map_err(|e| Error::Storage(e.to_string()))
    }
}

/// A temporary file beside `dest` for the database copy that goes into an archive.
fn tempfile_path(dest: &Path) -> PathBuf {
    let mut p = dest.as_os_str().to_owned();
    p.push(".db.tmp");
    PathBuf::from(p)
}

const ARCHIVE_README: &str = "中国跨境电子商务应用联盟成员登记簿 · 完整归档
CCEAA member registry: full archive

registry.db      登记簿数据库（SQLite 3），可用本程序“从备份恢复”打开，或用任何 SQLite 工具读取。
                 The registry database (SQLite 3): restore it in the app, or read it with any SQLite tool.
tables/*.json    每张数据表一个 JSON 文件（对象数组，列名→值），无需本程序即可阅读。
                 Every table as JSON (an array of objects, column name to value), readable without the app.
attachments/     成员和申请的附件原件（文件名与 attachment 表中的 stored_name 对应）。
                 The attachment files of members and applications (named as in the attachment table).
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_backup_is_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.db");
        std::fs::write(&p, b"hello, this is certainly not SQLite at all").unwrap();
        let e = check_backup(&p).unwrap_err();
        assert_eq!(e.code(), "file");
        let zh = e.message().zh;
        assert!(zh.contains("不是联盟登记簿的备份文件"), "{zh}");
        assert!(zh.contains("不是 SQLite 数据库文件"), "{zh}");
        assert!(
            !zh.contains("file is not a database"),
            "no English inside: {zh}"
        );
        assert!(e.message().en.contains("not an SQLite database"));
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let e = check_backup(&other).unwrap_err();
        assert_eq!(e.code(), "file");
        assert!(
            e.message().zh.contains("不是本程序的登记簿"),
            "{}",
            e.message().zh
        );
    }
}
