//! Backup, restore and archive with SQLite's online backup API: a copy is consistent even
//! while the app keeps working, and goes to a temporary file that is checked before it is
//! renamed into place, so an interrupted backup never replaces a good one.
//!
//! A backup is a ZIP of the database and the files beside it (see `exchange::backup`). A file
//! to be restored is untrusted input: its entries are checked by name, size and digest, its
//! database is opened read-only in SQLite's defensive mode with the schema untrusted and
//! compared with the schema its version must have, and every stored file name is checked
//! before anything is used.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::schema::{
    self, backups_dir_of, check_database, copy, data_dir_of, database_into, described,
    open_untrusted, part_of, read_only, remove_database, sync_folder, tempfile_dir,
};
use super::Registry;
use crate::audit::{AuditAction, Stamp};
use crate::documents::images::{DocumentImage, Png};
use crate::documents::verify::Key;
use crate::error::{Error, Result};
use crate::exchange::backup::{
    self as files, not_a_backup, ArchiveSummary, BackupDone, BackupFile, BackupOverview, Entry,
    Fault, Manifest, ManifestFile, ATTACHMENTS_DIR, BACKUP_DIR, DATABASE_ENTRY, SECOND_DIR_SETTING,
};

/// The most entries a backup may hold (a registry with 100,000 attachments is far beyond any
/// office's), and the largest manifest read.
const MAX_ENTRIES: usize = 200_000;
const MAX_MANIFEST: u64 = 64 * 1024 * 1024;

/// Settings that belong to the PC rather than to the registry: a restore keeps this PC's.
const LOCAL_SETTINGS: &[&str] = &[SECOND_DIR_SETTING, super::documents::DOCUMENT_FONT];

/// A backup ZIP opened for reading: its manifest and entries, each checked by name.
struct Bundle {
    zip: zip::ZipArchive<std::fs::File>,
    manifest: Manifest,
    /// Each entry's index in the ZIP and what the manifest says of it.
    entries: Vec<(usize, Entry, ManifestFile)>,
}

impl Bundle {
    /// Opens the backup at `path` and checks its entries against the names a backup holds
    /// and against its manifest, reading no entry but the manifest.
    fn open(path: &Path) -> Result<Bundle> {
        let bad = |fault: Fault| not_a_backup(path, fault);
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(Fault::NotZip(e.to_string())))?;
        if zip.len() > MAX_ENTRIES {
            return Err(bad(Fault::TooManyFiles));
        }
        let mut found: HashMap<String, (usize, Entry, u64)> = HashMap::new();
        for i in 0..zip.len() {
            let f = zip
                .by_index_raw(i)
                .map_err(|e| bad(Fault::Directory(e.to_string())))?;
            let name = String::from_utf8_lossy(f.name_raw()).into_owned();
            let entry = Entry::parse(&name)
                .filter(|_| !f.is_dir())
                .ok_or_else(|| bad(Fault::Unexpected(name.clone())))?;
            if found.insert(name.clone(), (i, entry, f.size())).is_some() {
                return Err(bad(Fault::Twice(name)));
            }
        }
        let (m_index, _, m_size) = found
            .remove(Manifest::ENTRY)
            .ok_or_else(|| bad(Fault::NoManifest))?;
        if m_size > MAX_MANIFEST {
            return Err(bad(Fault::ManifestTooLarge));
        }
        let mut text = Vec::new();
        zip.by_index(m_index)
            .map_err(|e| bad(Fault::ManifestUnreadable(e.to_string())))?
            .take(MAX_MANIFEST)
            .read_to_end(&mut text)
            .map_err(|e| bad(Fault::ManifestUnreadable(e.to_string())))?;
        let manifest: Manifest = serde_json::from_slice(&text)
            .ok()
            .filter(|m: &Manifest| m.format == Manifest::FORMAT)
            .ok_or_else(|| bad(Fault::ManifestInvalid))?;
        let mut entries = Vec::with_capacity(found.len());
        for listed in &manifest.files {
            let (index, entry, size) = found
                .remove(&listed.name)
                .ok_or_else(|| bad(Fault::NotInBackup(listed.name.clone())))?;
            if size != listed.bytes {
                return Err(bad(Fault::SizeDiffers(listed.name.clone())));
            }
            entries.push((index, entry, listed.clone()));
        }
        if let Some(extra) = found.keys().next() {
            return Err(bad(Fault::NotInManifest(extra.clone())));
        }
        if !entries.iter().any(|e| e.1 == Entry::Database) {
            return Err(bad(Fault::NoDatabase));
        }
        Ok(Bundle {
            zip,
            manifest,
            entries,
        })
    }

    /// Copies the entry at `index` into `sink`, checking as it goes that it inflates to the
    /// size and digest the manifest gives (so a forged size cannot fill the disk).
    fn copy_entry(
        &mut self,
        index: usize,
        listed: &ManifestFile,
        sink: &mut dyn Write,
        shown: &Path,
        dest: &Path,
    ) -> Result<()> {
        let bad = |fault: Fault| not_a_backup(shown, fault);
        let mut entry = self
            .zip
            .by_index(index)
            .map_err(|e| bad(Fault::Unreadable(listed.name.clone(), e.to_string())))?;
        let mut hasher = Sha256::new();
        let mut written = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = entry
                .read(&mut buf)
                .map_err(|e| bad(Fault::Damaged(listed.name.clone(), e.to_string())))?;
            if n == 0 {
                break;
            }
            written += n as u64;
            if written > listed.bytes {
                break;
            }
            hasher.update(&buf[..n]);
            sink.write_all(&buf[..n])
                .map_err(|e| Error::write_failed(dest, &e))?;
        }
        if written != listed.bytes || hex(&hasher.finalize()) != listed.sha256 {
            return Err(bad(Fault::DiffersFromManifest(listed.name.clone())));
        }
        Ok(())
    }

    /// Writes the entry at `index` to `dest` (see [`Bundle::copy_entry`]) and flushes it.
    fn extract(
        &mut self,
        index: usize,
        listed: &ManifestFile,
        dest: &Path,
        shown: &Path,
    ) -> Result<()> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // The key is its owner's alone on Linux, from the moment it exists.
        #[cfg(unix)]
        if dest.file_name().is_some_and(|n| n == Key::FILE) {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        let mut out = options
            .open(dest)
            .map_err(|e| Error::write_failed(dest, &e))?;
        self.copy_entry(index, listed, &mut out, shown, dest)?;
        out.sync_all().map_err(|e| Error::write_failed(dest, &e))
    }

    /// Reads every entry but the database through, checking each against the manifest and
    /// the key and images by their content, writing nothing.
    fn check_files(&mut self, shown: &Path) -> Result<()> {
        for (index, entry, listed) in self.entries.clone() {
            match entry {
                Entry::Manifest | Entry::Database => {}
                Entry::Attachment(_) => {
                    self.copy_entry(index, &listed, &mut std::io::sink(), shown, shown)?
                }
                Entry::Key | Entry::Image(_) => {
                    let mut bytes = Vec::new();
                    if listed.bytes > crate::documents::images::MAX_IMAGE as u64 {
                        return Err(content_invalid(shown, &listed.name));
                    }
                    self.copy_entry(index, &listed, &mut bytes, shown, shown)?;
                    if !content_ok(&entry, bytes) {
                        return Err(content_invalid(shown, &listed.name));
                    }
                }
            }
        }
        Ok(())
    }

    /// Extracts the database alone into `dest` and checks it (see [`check_database`]).
    fn check_database_into(&mut self, dest: &Path, shown: &Path) -> Result<i64> {
        let (index, _, listed) = self
            .entries
            .iter()
            .find(|e| e.1 == Entry::Database)
            .cloned()
            .expect("checked on opening");
        remove_database(dest);
        self.extract(index, &listed, dest, shown)?;
        let version = check_database(dest, shown)?;
        if version != self.manifest.schema_version {
            return Err(not_a_backup(shown, Fault::VersionDiffers));
        }
        Ok(version)
    }
}

/// Whether a key or image entry holds what its name says: a key must be a key, an image a
/// PNG (other entries are checked elsewhere).
fn content_ok(entry: &Entry, bytes: Vec<u8>) -> bool {
    match entry {
        Entry::Key => Key::is_key_text(&bytes),
        Entry::Image(_) => Png::check(bytes).is_ok(),
        _ => true,
    }
}

fn content_invalid(shown: &Path, name: &str) -> Error {
    not_a_backup(shown, Fault::ContentInvalid(name.to_string()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks that `path` is a backup this version can restore, reading it as untrusted input:
/// a complete backup (`.zip`: its entries and manifest, then its database) or, from an
/// earlier version, a database alone (`.db`). Returns its schema version.
pub fn check_backup(path: &Path) -> Result<i64> {
    if !path.is_file() {
        return Err(Error::io(
            path,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    if is_sqlite_file(path) {
        return check_database(path, path);
    }
    let mut bundle = Bundle::open(path)?;
    bundle.check_files(path)?;
    let dir = tempfile_dir()?;
    let db = dir.join(DATABASE_ENTRY);
    let result = bundle.check_database_into(&db, path);
    remove_database(&db);
    let _ = std::fs::remove_dir(&dir);
    result
}

/// Whether the file at `path` is an SQLite database (a backup of the database alone, as
/// versions up to 0.2 wrote them) rather than a ZIP, told by its first bytes, not its name.
/// A file that is neither is read as its name says (`.db` as a database).
fn is_sqlite_file(path: &Path) -> bool {
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head));
    match read {
        Ok(()) if &head == b"SQLite format 3\0" => true,
        Ok(()) if head.starts_with(b"PK") => false,
        _ => files::is_database_only(path),
    }
}

/// The schema version of the database copy at `db`, and the stored names of the
/// attachments it lists (none in a registry from before attachments).
fn version_and_attachments(db: &Path) -> Result<(i64, Vec<String>)> {
    let conn = open_untrusted(db)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_table: bool = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attachment'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    let stored: Vec<String> = if has_table {
        conn.prepare("SELECT stored_name FROM attachment ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        Vec::new()
    };
    Ok((version, stored))
}

/// What a backup of the data folder `data_dir` holds: the database copy `db`, the key and
/// images that exist, and each `stored` attachment found; and the attachments not found.
fn sources(
    data_dir: &Path,
    db: &Path,
    stored: Vec<String>,
) -> (Vec<(Entry, PathBuf)>, Vec<String>) {
    let mut sources: Vec<(Entry, PathBuf)> = vec![(Entry::Database, db.to_path_buf())];
    for (entry, name) in [
        (Entry::Key, Key::FILE),
        (
            Entry::Image(DocumentImage::Seal),
            DocumentImage::Seal.file_name(),
        ),
        (
            Entry::Image(DocumentImage::Signature),
            DocumentImage::Signature.file_name(),
        ),
    ] {
        let p = data_dir.join(name);
        if p.is_file() {
            sources.push((entry, p));
        }
    }
    let mut missing = Vec::new();
    for name in stored {
        let p = data_dir.join(ATTACHMENTS_DIR).join(&name);
        if p.is_file() {
            sources.push((Entry::Attachment(name), p));
        } else {
            missing.push(name);
        }
    }
    (sources, missing)
}

/// Writes the file at `path` into the backup ZIP as `entry`, measuring and digesting it as
/// it goes, for the manifest.
fn write_entry<W: Write + std::io::Seek>(
    zip: &mut zip::ZipWriter<W>,
    entry: &Entry,
    path: &Path,
    dest: &Path,
) -> Result<ManifestFile> {
    // The database compresses to a fraction; attachments are mostly PDFs and photographs,
    // already compressed, and are stored as they are.
    let method = match entry {
        Entry::Attachment(_) | Entry::Image(_) => zip::CompressionMethod::Stored,
        _ => zip::CompressionMethod::Deflated,
    };
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(true);
    zip.start_file(entry.name(), options)
        .map_err(|e| zip_error(e, dest))?;
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        zip.write_all(&buf[..n])
            .map_err(|e| Error::write_failed(dest, &e))?;
        bytes += n as u64;
    }
    Ok(ManifestFile {
        name: entry.name(),
        bytes,
        sha256: hex(&hasher.finalize()),
    })
}

/// A ZIP writer's error while writing the backup `dest`: a disk's said as such.
fn zip_error(e: zip::result::ZipError, dest: &Path) -> Error {
    match e {
        zip::result::ZipError::Io(e) => Error::write_failed(dest, &e),
        e => Error::Storage(format!("writing the backup: {e}")),
    }
}

/// Writes a complete backup into the ZIP `dest`: the database behind `from` and, from the
/// data folder `data_dir`, the certificate key, the seal and signature images and every
/// attachment the database names, with a manifest of their sizes and digests. Written as
/// `dest.part` and renamed into place once whole and flushed; on any failure nothing is
/// left behind.
fn bundle_into(from: &Connection, data_dir: &Path, dest: &Path) -> Result<BackupFile> {
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::write_failed(dir, &e))?;
    }
    // The database is copied into the data folder first (SQLite says "disk I/O error" where
    // a plain write says which disk is full), then written into the ZIP at `dest`.
    static COPIES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COPIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let db = data_dir.join(format!("backup-{}-{n}.db.part", std::process::id()));
    let part = part_of(dest);
    let _ = std::fs::remove_file(&part);
    let result = (|| -> Result<()> {
        database_into(from, &db)?;
        let (schema_version, stored) = version_and_attachments(&db)?;
        let (sources, missing) = sources(data_dir, &db, stored);
        let file = std::fs::File::create(&part).map_err(|e| Error::write_failed(&part, &e))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let zip_err = |e| zip_error(e, dest);
        let mut listed = Vec::with_capacity(sources.len());
        for (entry, path) in &sources {
            listed.push(write_entry(&mut zip, entry, path, dest)?);
        }
        let manifest = Manifest {
            format: Manifest::FORMAT.into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version,
            taken: files::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            files: listed,
            missing,
        };
        zip.start_file(Manifest::ENTRY, zip::write::SimpleFileOptions::default())
            .map_err(zip_err)?;
        let json =
            serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Storage(e.to_string()))?;
        zip.write_all(&json)
            .map_err(|e| Error::write_failed(dest, &e))?;
        let out = zip.finish().map_err(zip_err)?;
        out.into_inner()
            .map_err(|e| Error::write_failed(dest, e.error()))?
            .sync_all()
            .map_err(|e| Error::write_failed(dest, &e))?;
        std::fs::rename(&part, dest).map_err(|e| Error::write_failed(dest, &e))?;
        sync_folder(dest);
        Ok(())
    })();
    remove_database(&db);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&part);
        return Err(e);
    }
    Ok(described(dest, false))
}

/// Backs up the registry file `database` and the files beside it into `dest` (see
/// [`bundle_into`]; `.zip` is added to a name without it) through its own read connection, so that the app's connection stays free
/// while the copy runs.
pub fn backup_database(database: &Path, dest: &Path) -> Result<BackupFile> {
    let data_dir = data_dir_of(database)?;
    bundle_into(
        &read_only(database)?,
        &data_dir,
        &files::with_backup_ext(dest),
    )
}

/// The automatic backup: into the data folder's `backups/`, pruned by age (see
/// `exchange::backup::retained`), then copied to the second destination when one is set.
/// A second destination that cannot be written is reported in the result, not as a failure:
/// the backup itself was made.
pub fn automatic_backup(database: &Path) -> Result<BackupDone> {
    let dir = backups_dir_of(database)?;
    let now = files::now();
    let dest = files::unused_path(&dir, &files::automatic_name(now));
    let mut file = backup_database(database, &dest)?;
    file.automatic = true;
    files::prune(&dir, now)?;
    let second: Option<String> = read_only(database)?
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [SECOND_DIR_SETTING],
            |r| r.get(0),
        )
        .optional()?
        .filter(|v: &String| !v.is_empty());
    let (copied_to, second_problem) = match second {
        None => (None, None),
        Some(folder) => match copy_to_second(&dest, Path::new(&folder), now) {
            Ok(p) => (Some(p.display().to_string()), None),
            Err(e) => (None, Some(e.message())),
        },
    };
    Ok(BackupDone {
        file,
        copied_to,
        second_problem,
    })
}

/// Copies the backup `file` into the second destination `folder` (through `.part`, flushed,
/// then renamed), and prunes the backups there by the same rule as at home.
fn copy_to_second(file: &Path, folder: &Path, now: chrono::NaiveDateTime) -> Result<PathBuf> {
    if !folder.is_dir() {
        return Err(files::second_dir_unreachable(folder));
    }
    let name = file.file_name().unwrap_or_default();
    let dest = folder.join(name);
    let part = part_of(&dest);
    let result = (|| -> std::io::Result<()> {
        let mut from = std::fs::File::open(file)?;
        let mut to = std::fs::File::create(&part)?;
        std::io::copy(&mut from, &mut to)?;
        to.sync_all()?;
        drop(to);
        std::fs::rename(&part, &dest)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&part);
        return Err(Error::write_failed(&dest, &e));
    }
    sync_folder(&dest);
    files::prune(folder, now)?;
    Ok(dest)
}

/// Table names that are part of the search indexes: rebuilt from the members, not data.
fn is_index_table(name: &str) -> bool {
    name.starts_with("member_fts")
        || name.starts_with("member_chars")
        || name.starts_with("sqlite_")
}

/// A restore's files, extracted and checked in a staging folder, waiting to be moved into the
/// data folder once the database is in.
struct Staged {
    /// The key and images the backup holds (an image it lacks is removed).
    files: Vec<(PathBuf, PathBuf)>,
    absent_images: Vec<PathBuf>,
    attachments: Vec<(PathBuf, PathBuf)>,
}

impl Registry {
    /// The folder of automatic backups.
    pub fn backups_dir(&self) -> Result<PathBuf> {
        Ok(self.data_dir()?.join(BACKUP_DIR))
    }

    /// The second backup destination, when one is set.
    pub fn second_backup_dir(&self) -> Result<Option<PathBuf>> {
        Ok(self
            .setting(SECOND_DIR_SETTING)?
            .filter(|v| !v.is_empty())
            .map(PathBuf::from))
    }

    /// Sets (or with `None` clears) the second backup destination. It must be a folder that
    /// exists now and lies outside the data folder.
    pub fn set_second_backup_dir(&mut self, folder: Option<&Path>) -> Result<()> {
        let value = match folder {
            None => String::new(),
            Some(f) => {
                if !f.is_dir() {
                    return Err(files::folder_missing(f));
                }
                files::check_second_dir(f, &self.data_dir()?)?;
                f.display().to_string()
            }
        };
        self.set_setting(SECOND_DIR_SETTING, &value)
    }

    /// The backups screen: the folder, its backups, any storage warning, and how the second
    /// destination stands.
    pub fn backup_overview(&self) -> Result<BackupOverview> {
        let dir = self.backups_dir()?;
        Ok(BackupOverview {
            folder: dir.display().to_string(),
            backups: files::list(&dir)?,
            warning: files::storage_warning(&self.data_dir()?),
            second: self
                .second_backup_dir()?
                .map(|f| files::second_status(&f, files::now())),
        })
    }

    /// A complete backup of this registry into `dest` (`.zip` is added to a name without
    /// it), through this connection.
    pub fn backup_to(&self, dest: &Path) -> Result<BackupFile> {
        bundle_into(&self.conn, &self.data_dir()?, &files::with_backup_ext(dest))
    }

    /// Replaces the registry with the backup at `source`, after checking it as untrusted input
    /// (see [`check_backup`]) and taking a complete safety copy of the current registry into
    /// the backups folder. Returns the safety copy. A complete backup brings its key, images
    /// and attachments too; a database-only backup (`.db`, from an earlier version) leaves
    /// the files as they are. Settings that belong to this PC (the second backup destination,
    /// the document font) are kept, and the restore is recorded in the audit log.
    pub fn restore_from(&mut self, source: &Path, stamp: &Stamp) -> Result<BackupFile> {
        self.restore_with(source, stamp, schema::MIGRATIONS)
    }

    /// [`Registry::restore_from`], bringing an older backup up to `migrations` first in a copy
    /// of its own (in `restore.part/` in the data folder), so that a failed upgrade leaves the
    /// registry as it was; the copy is gone afterwards either way.
    pub(super) fn restore_with(
        &mut self,
        source: &Path,
        stamp: &Stamp,
        migrations: &[super::Migration],
    ) -> Result<BackupFile> {
        if !source.is_file() {
            return Err(Error::io(
                source,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
        let data_dir = self.data_dir()?;
        let staging = data_dir.join("restore.part");
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(staging.join(ATTACHMENTS_DIR))
            .map_err(|e| Error::write_failed(&staging, &e))?;
        let result = self.restore_staged(source, stamp, migrations, &data_dir, &staging);
        let _ = std::fs::remove_dir_all(&staging);
        result
    }

    fn restore_staged(
        &mut self,
        source: &Path,
        stamp: &Stamp,
        migrations: &[super::Migration],
        data_dir: &Path,
        staging: &Path,
    ) -> Result<BackupFile> {
        let db = staging.join(DATABASE_ENTRY);
        let staged = if is_sqlite_file(source) {
            check_database(source, source)?;
            std::fs::copy(source, &db).map_err(|e| Error::write_failed(&db, &e))?;
            None
        } else {
            let mut bundle = Bundle::open(source)?;
            bundle.check_database_into(&db, source)?;
            Some(self.stage_files(&mut bundle, source, data_dir, staging)?)
        };
        let result = (|| -> Result<BackupFile> {
            // An older backup is brought up to this version's schema, as on opening.
            let upgraded = Registry {
                conn: schema::prepare(Connection::open(&db)?, false, migrations)?,
                files: None,
            };
            upgraded.integrity_check()?;
            let safety =
                files::unused_path(&self.backups_dir()?, &files::safety_name(files::now()));
            let safety = self.backup_to(&safety)?;
            let local: Vec<(&str, Option<String>)> = LOCAL_SETTINGS
                .iter()
                .map(|k| Ok((*k, self.setting(k)?)))
                .collect::<Result<_>>()?;
            copy(&upgraded.conn, &mut self.conn)?;
            drop(upgraded);
            self.integrity_check()?;
            let tx = self.conn.transaction()?;
            for (key, value) in &local {
                tx.execute(
                    "INSERT INTO setting (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    rusqlite::params![key, value.clone().unwrap_or_default()],
                )?;
            }
            let name = source
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let summary = files::restore_summary(&name, &safety.name);
            super::rows::write_event(&tx, stamp, None, AuditAction::Restore, Some(&summary), &[])?;
            tx.commit()?;
            Ok(safety)
        })();
        remove_database(&db);
        let safety = result?;
        if let Some(staged) = staged {
            // The database is in: its files follow. Each is whole in the staging folder, on
            // the same disk, so each move is a rename.
            for (from, to) in staged.files.iter().chain(&staged.attachments) {
                std::fs::rename(from, to).map_err(|e| Error::write_failed(to, &e))?;
            }
            for p in &staged.absent_images {
                let _ = std::fs::remove_file(p);
            }
            sync_folder(&data_dir.join(Key::FILE));
        }
        Ok(safety)
    }

    /// Extracts every file of `bundle` but the database into `staging`, each checked against
    /// the manifest and by its content (the key must be a key, an image a PNG).
    fn stage_files(
        &self,
        bundle: &mut Bundle,
        source: &Path,
        data_dir: &Path,
        staging: &Path,
    ) -> Result<Staged> {
        let mut staged = Staged {
            files: Vec::new(),
            absent_images: Vec::new(),
            attachments: Vec::new(),
        };
        let entries = bundle.entries.clone();
        for (index, entry, listed) in &entries {
            let name = entry.name();
            let (at, to) = match entry {
                Entry::Manifest | Entry::Database => continue,
                Entry::Key | Entry::Image(_) => (staging.join(&name), data_dir.join(&name)),
                Entry::Attachment(stored) => (
                    staging.join(ATTACHMENTS_DIR).join(stored),
                    data_dir.join(ATTACHMENTS_DIR).join(stored),
                ),
            };
            bundle.extract(*index, listed, &at, source)?;
            if matches!(entry, Entry::Key | Entry::Image(_))
                && !std::fs::read(&at).is_ok_and(|b| content_ok(entry, b))
            {
                return Err(content_invalid(source, &name));
            }
            match entry {
                Entry::Attachment(_) => staged.attachments.push((at, to)),
                _ => staged.files.push((at, to)),
            }
        }
        for kind in [DocumentImage::Seal, DocumentImage::Signature] {
            if !entries.iter().any(|e| e.1 == Entry::Image(kind)) {
                staged.absent_images.push(kind.path_in(data_dir));
            }
        }
        if !staged.attachments.is_empty() {
            std::fs::create_dir_all(data_dir.join(ATTACHMENTS_DIR))
                .map_err(|e| Error::write_failed(data_dir, &e))?;
        }
        Ok(staged)
    }

    /// The whole registry as one ZIP (charter Art. 17-18, the registry's records kept and
    /// handed over): the database, every attachment, and each table as JSON, so the records
    /// can be read without this program.
    pub fn export_archive(&self, dest: &Path) -> Result<ArchiveSummary> {
        // The database copy is made in the data folder (see `bundle_into`).
        let tmp = self
            .data_dir()?
            .join(format!("archive-{}.db.part", std::process::id()));
        database_into(&self.conn, &tmp)?;
        let result = self.write_archive(dest, &tmp);
        remove_database(&tmp);
        result
    }

    fn write_archive(&self, dest: &Path, db_copy: &Path) -> Result<ArchiveSummary> {
        use zip::write::SimpleFileOptions;
        let part = part_of(dest);
        let file = std::fs::File::create(&part).map_err(|e| Error::write_failed(&part, &e))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let zip_err = |e: zip::result::ZipError| match e {
            zip::result::ZipError::Io(e) => Error::write_failed(dest, &e),
            e => Error::Storage(format!("writing the archive: {e}")),
        };
        let io_err = |e: std::io::Error| Error::write_failed(dest, &e);
        let result = (|| -> Result<ArchiveSummary> {
            zip.start_file("README.txt", options).map_err(zip_err)?;
            zip.write_all(files::ARCHIVE_README.as_bytes())
                .map_err(io_err)?;
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
            // The key behind the certificates' codes and the seal and signature images, so
            // that the records handed over can still be checked and printed.
            let data_dir = self.data_dir()?;
            for name in [
                Key::FILE,
                DocumentImage::Seal.file_name(),
                DocumentImage::Signature.file_name(),
            ] {
                let p = data_dir.join(name);
                if p.is_file() {
                    zip.start_file(name, options).map_err(zip_err)?;
                    let mut f = std::fs::File::open(&p).map_err(|e| Error::io(&p, e))?;
                    std::io::copy(&mut f, &mut zip).map_err(io_err)?;
                }
            }
            let mut attachments = 0;
            let dir = data_dir.join(ATTACHMENTS_DIR);
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
                .map_err(|e| Error::write_failed(dest, e.error()))?
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
