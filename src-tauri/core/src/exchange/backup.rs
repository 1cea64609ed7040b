//! Backups and archives: where they live, what they are called and hold, which are kept,
//! and whether a folder is somewhere SQLite cannot be trusted. The copying itself is in
//! storage (`db::backup`), which alone names SQLite.
//!
//! A backup is one ZIP file holding everything needed to carry on on another PC: the
//! database (settings included), the certificate key, the seal and signature images and
//! every attachment, with a manifest of their sizes and SHA-256 digests.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Local, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::documents::images::DocumentImage;
use crate::documents::verify::Key;
use crate::error::{Error, ErrorCode, Result};
use crate::lang::Text;

/// The folder of automatic backups, inside the data folder.
pub const BACKUP_DIR: &str = "backups";
/// The setting that holds the second backup destination (a USB drive or a share).
pub const SECOND_DIR_SETTING: &str = "backup.second_dir";
/// Automatic backups are named `registry-YYYYMMDD-HHMMSS.zip`; safety copies taken before a
/// restore `before-restore-…`, and are never pruned. Backups of earlier versions end in
/// `.db` (the database alone) and are still listed and restored.
const AUTO_PREFIX: &str = "registry-";
const SAFETY_PREFIX: &str = "before-restore-";
/// Copies taken before an upgrade are named after the schema version they hold:
/// `before-upgrade-v2-YYYYMMDD-HHMMSS.db`. Like safety copies, they are never pruned.
const UPGRADE_PREFIX: &str = "before-upgrade-v";
/// The extension of a complete backup.
pub const BACKUP_EXT: &str = "zip";
/// The second destination is warned about when its newest backup is older than this.
pub const SECOND_STALE_DAYS: i64 = 2;

/// Retention by age: every automatic backup of today, the newest of each day for
/// [`KEEP_DAILY_DAYS`], of each week for [`KEEP_WEEKLY_DAYS`], of each month for
/// [`KEEP_MONTHLY_DAYS`]; and always the newest of the [`KEEP_NEWEST_DAYS`] latest days with
/// a backup, so that an office back after a long closure still has the backups it left.
pub const KEEP_DAILY_DAYS: i64 = 14;
pub const KEEP_WEEKLY_DAYS: i64 = 92;
pub const KEEP_MONTHLY_DAYS: i64 = 366;
pub const KEEP_NEWEST_DAYS: usize = 3;

/// A backup file as the Settings screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupFile {
    pub path: String,
    pub name: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// When it was taken, local time, `YYYY-MM-DD HH:MM:SS`.
    pub taken: String,
    /// Taken automatically (the others are safety copies before a restore or an upgrade).
    pub automatic: bool,
    /// Holds the database alone (a backup of version 0.2 or earlier, or a copy taken before
    /// an upgrade): the key, the images and the attachments are not in it.
    pub database_only: bool,
}

/// The second backup destination and how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SecondDestination {
    pub folder: String,
    /// When its newest backup was taken, `YYYY-MM-DD HH:MM:SS`.
    #[ts(optional)]
    pub newest: Option<String>,
    /// Set when the folder cannot be reached or its newest backup is old.
    #[ts(optional)]
    pub problem: Option<Text>,
}

/// What the backup screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupOverview {
    pub folder: String,
    /// Newest first.
    pub backups: Vec<BackupFile>,
    /// Set when the data folder is on a network share or a synced folder.
    #[ts(optional)]
    pub warning: Option<Text>,
    /// The second destination, when one is set.
    #[ts(optional)]
    pub second: Option<SecondDestination>,
}

/// A backup just taken, and whether it reached the second destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupDone {
    pub file: BackupFile,
    /// Where the copy in the second destination was written.
    #[ts(optional)]
    pub copied_to: Option<String>,
    /// Why it could not be copied there.
    #[ts(optional)]
    pub second_problem: Option<Text>,
}

/// What an archive holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ArchiveSummary {
    pub path: String,
    pub tables: u32,
    pub attachments: u32,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The manifest inside a backup: what it holds, so a restore can check every file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`Manifest::FORMAT`].
    pub format: String,
    pub app_version: String,
    pub schema_version: i64,
    /// Local time, `YYYY-MM-DD HH:MM:SS`.
    pub taken: String,
    pub files: Vec<ManifestFile>,
    /// Attachments the database names whose files were already missing when it was taken.
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

impl Manifest {
    pub const FORMAT: &'static str = "cceaa-registry-backup/1";
    pub const ENTRY: &'static str = "manifest.json";
}

/// The database's entry in a backup or an archive.
pub const DATABASE_ENTRY: &str = "registry.db";
/// The folder of attachment files, in the data folder and in a backup.
pub const ATTACHMENTS_DIR: &str = "attachments";

/// What one entry of a backup is; `None` for a name a backup never holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Manifest,
    Database,
    Key,
    Image(DocumentImage),
    /// An attachment file, by its stored name.
    Attachment(String),
}

impl Entry {
    /// Reads an entry name. Anything else (other folders, `..`, absolute or drive paths,
    /// names the registry never stores) is refused by the caller.
    pub fn parse(name: &str) -> Option<Entry> {
        Some(match name {
            Manifest::ENTRY => Entry::Manifest,
            DATABASE_ENTRY => Entry::Database,
            Key::FILE => Entry::Key,
            n if n == DocumentImage::Seal.file_name() => Entry::Image(DocumentImage::Seal),
            n if n == DocumentImage::Signature.file_name() => {
                Entry::Image(DocumentImage::Signature)
            }
            n => {
                let stored = n.strip_prefix(ATTACHMENTS_DIR)?.strip_prefix('/')?;
                if !is_stored_name(stored) {
                    return None;
                }
                Entry::Attachment(stored.to_string())
            }
        })
    }

    /// Its name inside the ZIP and, relative to the data folder, on disk.
    pub fn name(&self) -> String {
        match self {
            Entry::Manifest => Manifest::ENTRY.into(),
            Entry::Database => DATABASE_ENTRY.into(),
            Entry::Key => Key::FILE.into(),
            Entry::Image(kind) => kind.file_name().into(),
            Entry::Attachment(stored) => format!("{ATTACHMENTS_DIR}/{stored}"),
        }
    }
}

/// Whether `name` is an attachment's stored name as the registry makes them (see
/// `attachment::stored_name`): the row's number, a dash, then a file name with no folder,
/// drive, device or control character in it. Anything else in a database or a backup came
/// from elsewhere and is never used as a path.
pub fn is_stored_name(name: &str) -> bool {
    let Some((id, rest)) = name.split_once('-') else {
        return false;
    };
    id.len() >= 6
        && id.bytes().all(|b| b.is_ascii_digit())
        && name.len() <= 1024
        && !rest.starts_with('.')
        && !rest.chars().any(|c| {
            c.is_control() || "/\\:*?\"<>|".contains(c) || crate::text::is_format_override(c)
        })
}

fn stamp_of(at: NaiveDateTime) -> String {
    at.format("%Y%m%d-%H%M%S").to_string()
}

/// The file name of an automatic backup taken at `at`.
pub fn automatic_name(at: NaiveDateTime) -> String {
    format!("{AUTO_PREFIX}{}.{BACKUP_EXT}", stamp_of(at))
}

/// The file name of the safety copy taken before a restore at `at`.
pub fn safety_name(at: NaiveDateTime) -> String {
    format!("{SAFETY_PREFIX}{}.{BACKUP_EXT}", stamp_of(at))
}

/// The file name of the copy taken at `at` before a registry at schema version `version` is
/// upgraded: the way back if the new version turns out to be a mistake. The database alone:
/// the files beside it are not changed by an upgrade.
pub fn upgrade_name(version: i64, at: NaiveDateTime) -> String {
    format!("{UPGRADE_PREFIX}{version}-{}.db", stamp_of(at))
}

/// Whether the file at `path` is a database alone (`.db`) rather than a complete backup.
pub fn is_database_only(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| !e.eq_ignore_ascii_case(BACKUP_EXT))
}

/// `path`, with `.zip` added when its name does not end in it: a backup is a ZIP, and a name
/// ending in `.db` would be taken for a database alone.
pub fn with_backup_ext(path: &Path) -> PathBuf {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(BACKUP_EXT))
    {
        path.to_path_buf()
    } else {
        let mut p = path.as_os_str().to_owned();
        p.push(".");
        p.push(BACKUP_EXT);
        PathBuf::from(p)
    }
}

/// Where to write the backup named `name` in `dir`: that name, or, when a backup of that
/// name is already there (two taken within the same second), the name with `-2`, `-3` ...
/// before the extension, so that no backup replaces another.
pub fn unused_path(dir: &Path, name: &str) -> PathBuf {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    std::iter::once(dir.join(name))
        .chain((2u32..).map(|n| dir.join(format!("{stem}-{n}.{ext}"))))
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(name))
}

/// When a backup named by this module was taken, read from its name, with its place among
/// backups of the same second (0 for the first, then 2, 3 ...).
fn taken_at(name: &str) -> Option<(NaiveDateTime, bool, u32)> {
    let (rest, automatic) = if let Some(r) = name.strip_prefix(AUTO_PREFIX) {
        (r, true)
    } else if let Some(r) = name.strip_prefix(UPGRADE_PREFIX) {
        // "3-20261126-072341": the version, then the time as for the others.
        let (version, r) = r.split_once('-')?;
        if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        (r, false)
    } else {
        (name.strip_prefix(SAFETY_PREFIX)?, false)
    };
    let rest = rest
        .strip_suffix(".db")
        .or_else(|| rest.strip_suffix(".zip"))?;
    // "20261126-072341", or "20261126-072341-2" for the second of that second.
    let (stamp, seq) = match rest.get(15..) {
        Some("") => (rest, 0),
        Some(tail) => {
            // Only the suffixes `unused_path` writes: -2, -3 ... (no -0, -1, -02 or -+2).
            let n = tail.strip_prefix('-')?;
            if n.starts_with('0') || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (&rest[..15], n.parse().ok().filter(|&n: &u32| n >= 2)?)
        }
        None => return None,
    };
    NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S")
        .ok()
        .map(|t| (t, automatic, seq))
}

/// The backups in `dir`, newest first. Files of other names are not ours and are left out.
pub fn list(dir: &Path) -> Result<Vec<BackupFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((at, automatic, seq)) = taken_at(&name) else {
            continue;
        };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        found.push((
            (at, seq),
            BackupFile {
                path: entry.path().display().to_string(),
                database_only: is_database_only(Path::new(&name)),
                name,
                bytes,
                taken: at.format("%Y-%m-%d %H:%M:%S").to_string(),
                automatic,
            },
        ));
    }
    found.sort_by_key(|b| std::cmp::Reverse(b.0));
    Ok(found.into_iter().map(|(_, f)| f).collect())
}

/// Whether an automatic backup is due: none was taken today (local time). The app checks at
/// start and every hour, so one is taken each day the registry is used, and no more.
pub fn due(dir: &Path, now: NaiveDateTime) -> Result<bool> {
    let newest = list(dir)?
        .into_iter()
        .filter(|b| b.automatic)
        .find_map(|b| taken_at(&b.name).map(|(t, _, _)| t));
    Ok(newest.is_none_or(|t| t.date() != now.date()))
}

/// Which of the backups taken at `taken` (newest first) the retention keeps at `now`: see
/// [`KEEP_DAILY_DAYS`]. Age alone decides, never the count: a new backup can only push out
/// an older one of the same day.
pub fn retained(taken: &[NaiveDateTime], now: NaiveDateTime) -> Vec<bool> {
    use std::collections::HashSet;
    let mut days = HashSet::new();
    let mut weeks = HashSet::new();
    let mut months = HashSet::new();
    taken
        .iter()
        .map(|t| {
            let age = (now.date() - t.date()).num_days();
            // Newest first, so the first seen of a day, week or month is its newest.
            let newest_of_day = days.insert(t.date());
            let newest_of_week = weeks.insert(t.iso_week());
            let newest_of_month = months.insert((t.year(), t.month()));
            (newest_of_day && days.len() <= KEEP_NEWEST_DAYS)
                || age <= 0
                || (age < KEEP_DAILY_DAYS && newest_of_day)
                || (age < KEEP_WEEKLY_DAYS && newest_of_week)
                || (age < KEEP_MONTHLY_DAYS && newest_of_month)
        })
        .collect()
}

/// Deletes the automatic backups the retention no longer keeps (see [`retained`]). Safety
/// copies are never deleted here: they are the way back from a restore that was a mistake.
pub fn prune(dir: &Path, now: NaiveDateTime) -> Result<Vec<PathBuf>> {
    let automatic: Vec<BackupFile> = list(dir)?.into_iter().filter(|b| b.automatic).collect();
    let taken: Vec<NaiveDateTime> = automatic
        .iter()
        .filter_map(|b| taken_at(&b.name).map(|(t, _, _)| t))
        .collect();
    let mut removed = Vec::new();
    for (old, keep) in automatic.iter().zip(retained(&taken, now)) {
        if keep {
            continue;
        }
        let path = PathBuf::from(&old.path);
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        removed.push(path);
    }
    Ok(removed)
}

/// Refuses a second destination inside the data folder: a copy on the same disk is no
/// second copy.
pub fn check_second_dir(folder: &Path, data_dir: &Path) -> Result<()> {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    if !folder.is_absolute() || canon(folder).starts_with(canon(data_dir)) {
        return Err(Error::refused(
            ErrorCode::SecondDirInside,
            "第二备份位置不能在数据文件夹之内。请选择 U 盘、移动硬盘或共享文件夹。",
            "The second backup destination cannot be inside the data folder. Choose a USB drive, an external disk or a shared folder.",
        ));
    }
    Ok(())
}

/// How the second destination `folder` stands at `now`: its newest backup, and a problem
/// when it cannot be reached or that backup is older than [`SECOND_STALE_DAYS`].
pub fn second_status(folder: &Path, now: NaiveDateTime) -> SecondDestination {
    let shown = folder.display().to_string();
    let newest = if folder.is_dir() {
        list(folder).ok().and_then(|l| {
            l.into_iter()
                .find(|b| b.automatic)
                .and_then(|b| taken_at(&b.name).map(|(t, _, _)| t))
        })
    } else {
        None
    };
    let problem = if !folder.is_dir() {
        Some(Text::new(
            format!("第二备份位置 {shown} 目前无法访问（U 盘未插入或共享不可用），今天的备份未能复制过去。请接上后点“立即备份”。"),
            format!("The second backup destination {shown} cannot be reached (the USB drive is not plugged in or the share is unavailable), so today's backup was not copied there. Connect it and choose Back up now."),
        ))
    } else {
        match newest {
            None => Some(Text::new(
                format!("第二备份位置 {shown} 里还没有备份。请点“立即备份”。"),
                format!("The second backup destination {shown} holds no backup yet. Choose Back up now."),
            )),
            Some(t) if (now.date() - t.date()).num_days() >= SECOND_STALE_DAYS => {
                let days = (now.date() - t.date()).num_days();
                Some(Text::new(
                    format!("第二备份位置 {shown} 的最新备份是 {days} 天前的（{}）。请接上 U 盘或共享后点“立即备份”。", t.format("%Y-%m-%d")),
                    format!("The newest backup in the second destination {shown} is {days} days old ({}). Connect the drive or share and choose Back up now.", t.format("%Y-%m-%d")),
                ))
            }
            Some(_) => None,
        }
    };
    SecondDestination {
        folder: shown,
        newest: newest.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
        problem,
    }
}

/// The current local time, as backups are named by it.
pub fn now() -> NaiveDateTime {
    Local::now().naive_local()
}

/// A warning when `dir` is on a network share or inside a folder a sync program manages:
/// SQLite's locking is unreliable there and the registry can be damaged.
pub fn storage_warning(dir: &Path) -> Option<Text> {
    let shown = dir.display().to_string();
    let network = shown.starts_with(r"\\") || network_mount(dir);
    let synced = SYNCED_FOLDERS.iter().find(|s| {
        dir.components().any(|c| {
            let c = c.as_os_str().to_string_lossy().to_lowercase();
            c.starts_with(&s.to_lowercase())
        })
    });
    if network {
        Some(Text::new(
            format!("数据文件夹 {shown} 位于网络共享位置。SQLite 在网络共享上的文件锁不可靠，多人同时使用可能损坏登记簿。请把数据文件夹放在本机硬盘上，并用“备份”功能把副本存到共享位置。"),
            format!("The data folder {shown} is on a network share, where SQLite's file locking is unreliable and the registry can be damaged. Keep the data folder on this PC's own disk and put backups on the share instead."),
        ))
    } else {
        synced.map(|s| Text::new(
            format!("数据文件夹 {shown} 位于同步文件夹（{s}）中。同步程序可能在写入过程中复制或覆盖数据库文件，导致登记簿损坏。请把数据文件夹移到不同步的位置，并用“备份”功能保存副本。"),
            format!("The data folder {shown} is inside a synced folder ({s}). The sync program may copy or overwrite the database while it is being written and damage the registry. Move the data folder somewhere not synced and keep copies with Backup."),
        ))
    }
}

/// Folders that sync programs keep, by the name their folder starts with.
const SYNCED_FOLDERS: &[&str] = &[
    "OneDrive",
    "Dropbox",
    "Google Drive",
    "iCloudDrive",
    "iCloud Drive",
    "Nutstore",
    "坚果云",
    "BaiduNetdisk",
    "百度网盘",
    "WPS云盘",
    "WPSDrive",
    "Box Sync",
];

/// On Linux, whether the file system holding `dir` is a network one, read from the mount
/// table. Other systems are recognised by their UNC path only.
fn network_mount(dir: &Path) -> bool {
    let Ok(mounts) = std::fs::read_to_string("/proc/self/mounts") else {
        return false;
    };
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let mut best: Option<(usize, bool)> = None;
    for line in mounts.lines() {
        let mut parts = line.split_whitespace();
        let (Some(_), Some(point), Some(fs)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let point = point.replace("\\040", " ");
        if dir.starts_with(&point) && best.is_none_or(|(len, _)| point.len() > len) {
            let network = matches!(
                fs,
                "nfs" | "nfs4" | "cifs" | "smb3" | "smbfs" | "fuse.sshfs" | "davfs" | "9p"
            );
            best = Some((point.len(), network));
        }
    }
    best.is_some_and(|(_, n)| n)
}

/// The second destination cannot be reached when a backup is copied there.
pub fn second_dir_unreachable(folder: &Path) -> Error {
    Error::refused(
        ErrorCode::SecondDirMissing,
        format!("第二备份位置 {} 无法访问（U 盘未插入或共享不可用）。备份已保存在本机，接上后请再点“立即备份”。", folder.display()),
        format!("The second backup destination {} cannot be reached (the USB drive is not plugged in or the share is unavailable). The backup is kept on this PC; connect it and choose Back up now.", folder.display()),
    )
}

/// A folder chosen as the second destination does not exist.
pub fn folder_missing(folder: &Path) -> Error {
    Error::refused(
        ErrorCode::SecondDirMissing,
        format!("文件夹 {} 不存在或无法访问。", folder.display()),
        format!(
            "The folder {} does not exist or cannot be reached.",
            folder.display()
        ),
    )
}

/// What the audit log says of a restore from the backup `name`, the registry as it was kept
/// as `safety`.
pub fn restore_summary(name: &str, safety: &str) -> Text {
    Text::new(
        format!("从备份“{name}”恢复登记簿；恢复前的登记簿另存为 {safety}"),
        format!("Registry restored from the backup '{name}'; the registry as it was is kept as {safety}"),
    )
}

/// The README at the top of a complete archive (Art. 17-18), in both languages.
pub const ARCHIVE_README: &str = "中国跨境电子商务应用联盟成员登记簿 · 完整归档
CCEAA member registry: full archive

registry.db      登记簿数据库（SQLite 3），可用本程序“从备份恢复”打开，或用任何 SQLite 工具读取。
                 The registry database (SQLite 3): restore it in the app, or read it with any SQLite tool.
tables/*.json    每张数据表一个 JSON 文件（对象数组，列名→值），无需本程序即可阅读。
                 Every table as JSON (an array of objects, column name to value), readable without the app.
attachments/     成员和申请的附件原件（文件名与 attachment 表中的 stored_name 对应）。
                 The attachment files of members and applications (named as in the attachment table).
certificate.key  证书校验码的密钥：有了它，已打印证书上的校验码仍可核验。请妥善保管，切勿外传。
                 The key behind the certificates' verification codes: keep it safe and private.
seal.png         公章图片、签名图片（如已设置）。
signature.png    The seal and signature images, when set.
";

/// What is wrong with a file offered as a backup. Names are shown as `escape_debug` gives
/// them, so a name made of control characters cannot disguise itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    NotZip(String),
    TooManyFiles,
    Directory(String),
    Unexpected(String),
    Twice(String),
    NoManifest,
    ManifestTooLarge,
    ManifestUnreadable(String),
    ManifestInvalid,
    NotInBackup(String),
    SizeDiffers(String),
    NotInManifest(String),
    NoDatabase,
    /// An entry (its name, and why) cannot be read, or is damaged.
    Unreadable(String, String),
    Damaged(String, String),
    DiffersFromManifest(String),
    VersionDiffers,
    ContentInvalid(String),
    NotSqlite,
    Corrupt,
    ReadFailed(String),
    NotARegistry,
    /// The schema of a registry at this version differs, at this object.
    SchemaDiffers(i64, String),
    IntegrityFailed(String),
    AttachmentName(String),
}

impl Fault {
    /// The fault in Chinese and in English.
    pub fn words(&self) -> (String, String) {
        use Fault::*;
        let s = |n: &String| n.escape_debug().to_string();
        match self {
            NotZip(e) => (format!("不是完整的 ZIP 文件：{e}"), format!("not a whole ZIP file: {e}")),
            TooManyFiles => ("文件数量过多".into(), "it holds too many files".into()),
            Directory(e) => (format!("ZIP 目录已损坏：{e}"), format!("the ZIP directory is damaged: {e}")),
            Unexpected(n) => (format!("含有备份不应有的文件“{}”", s(n)), format!("it holds a file a backup never has: '{}'", s(n))),
            Twice(n) => (format!("文件“{}”出现了两次", s(n)), format!("the file '{}' appears twice", s(n))),
            NoManifest => ("缺少清单 manifest.json".into(), "manifest.json is missing".into()),
            ManifestTooLarge => ("清单过大".into(), "the manifest is too large".into()),
            ManifestUnreadable(e) => (format!("无法读取清单：{e}"), format!("the manifest cannot be read: {e}")),
            ManifestInvalid => ("清单无效".into(), "the manifest is not valid".into()),
            NotInBackup(n) => (format!("清单中的“{}”不在备份里", s(n)), format!("'{}' is in the manifest but not in the backup", s(n))),
            SizeDiffers(n) => (format!("“{}”的大小与清单不符", s(n)), format!("the size of '{}' differs from the manifest", s(n))),
            NotInManifest(n) => (format!("“{}”不在清单中", s(n)), format!("'{}' is not in the manifest", s(n))),
            NoDatabase => ("缺少数据库 registry.db".into(), "registry.db is missing".into()),
            Unreadable(n, e) => (format!("无法读取“{n}”：{e}"), format!("'{n}' cannot be read: {e}")),
            Damaged(n, e) => (format!("“{n}”已损坏：{e}"), format!("'{n}' is damaged: {e}")),
            DiffersFromManifest(n) => (format!("“{}”与清单不符（大小或校验值不同）", s(n)), format!("'{}' does not match the manifest (size or digest)", s(n))),
            VersionDiffers => ("数据库版本与清单不符".into(), "the database's version differs from the manifest".into()),
            ContentInvalid(n) => (format!("“{n}”的内容无效"), format!("the content of '{n}' is not valid")),
            NotSqlite => ("不是 SQLite 数据库文件".into(), "not an SQLite database".into()),
            Corrupt => ("数据库文件已损坏".into(), "the database file is corrupt".into()),
            ReadFailed(e) => (format!("读取出错：{e}"), e.clone()),
            NotARegistry => ("是 SQLite 数据库，但不是本程序的登记簿".into(), "an SQLite database, but not this program's registry".into()),
            SchemaDiffers(v, o) => (format!("数据结构与第 {v} 版登记簿不符（{o}），可能被其他程序改动过"), format!("its structure differs from a version {v} registry ({o}); another program may have changed it")),
            IntegrityFailed(why) => (format!("完整性检查未通过：{why}"), format!("the integrity check failed: {why}")),
            AttachmentName(n) => (format!("附件文件名“{}”不是本程序生成的，可能指向数据文件夹之外", s(n)), format!("the attachment file name '{}' was not made by this program and may point outside the data folder", s(n))),
        }
    }
}

/// The message for a file that is not a backup this program can restore.
pub fn not_a_backup(path: &Path, fault: Fault) -> Error {
    let (zh, en) = fault.words();
    Error::file(
        path,
        format!("不是联盟登记簿的备份文件，或已损坏（{zh}）。请选择由本程序生成的备份（.zip 或 .db）文件。"),
        format!("is not a registry backup, or it is damaged ({en}). Choose a backup (.zip or .db) file made by this program."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn names_sort_and_prune_keeps_every_safety_copy() {
        let dir = tempfile::tempdir().unwrap();
        // Two years of daily backups would be pruned; these are older than a year.
        for d in ["2024-11-01 09:00", "2024-11-02 09:00", "2024-11-03 09:00"] {
            std::fs::write(dir.path().join(automatic_name(at(d))), b"x").unwrap();
        }
        for d in ["2026-11-01 09:00", "2026-11-02 09:00", "2026-11-03 09:00"] {
            std::fs::write(dir.path().join(automatic_name(at(d))), b"x").unwrap();
        }
        assert_eq!(
            automatic_name(at("2026-11-03 09:00")),
            "registry-20261103-090000.zip"
        );
        std::fs::write(dir.path().join(safety_name(at("2024-10-01 08:00"))), b"x").unwrap();
        let upgrade = upgrade_name(2, at("2024-09-01 08:00"));
        assert_eq!(upgrade, "before-upgrade-v2-20240901-080000.db");
        std::fs::write(dir.path().join(&upgrade), b"x").unwrap();
        // A backup of version 0.2 (the database alone) is still listed, and pruned by age.
        std::fs::write(dir.path().join("registry-20241031-090000.db"), b"x").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"not ours").unwrap();
        std::fs::write(
            dir.path().join("before-upgrade-vx-20260901-080000.db"),
            b"?",
        )
        .unwrap();
        let all = list(dir.path()).unwrap();
        assert_eq!(all.len(), 9, "{all:?}");
        assert_eq!(all[0].taken, "2026-11-03 09:00:00");
        assert!(all.iter().any(|b| b.database_only && b.automatic));
        let removed = prune(dir.path(), at("2026-11-29 09:00")).unwrap();
        assert_eq!(removed.len(), 4, "{removed:?}");
        let left: Vec<String> = list(dir.path())
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect();
        assert!(left.contains(&safety_name(at("2024-10-01 08:00"))));
        assert!(
            left.contains(&upgrade),
            "copies before an upgrade are never pruned"
        );
        assert!(dir.path().join("notes.txt").exists());
    }

    fn kept(taken: &[&str], now: &str) -> Vec<String> {
        let times: Vec<NaiveDateTime> = taken.iter().map(|t| at(t)).collect();
        taken
            .iter()
            .zip(retained(&times, at(now)))
            .filter(|(_, k)| *k)
            .map(|(t, _)| t.to_string())
            .collect()
    }

    #[test]
    fn retention_goes_by_age() {
        // Newest first. Today: all kept. A day with two: the newest of it.
        let taken = [
            "2026-11-29 15:00",
            "2026-11-29 09:00",
            "2026-11-28 17:00",
            "2026-11-28 08:00",
            "2026-11-27 08:00",
            "2026-11-26 08:00",
            // Weeks: 2026-W44 has two, 2026-W43 one; beyond 14 days one a week is kept.
            "2026-10-30 08:00",
            "2026-10-27 08:00",
            "2026-10-20 08:00",
            // Months: beyond 92 days one a month; beyond a year none.
            "2026-07-20 08:00",
            "2026-07-02 08:00",
            "2026-02-10 08:00",
            "2025-10-01 08:00",
        ];
        assert_eq!(
            kept(&taken, "2026-11-29 16:00"),
            [
                "2026-11-29 15:00",
                "2026-11-29 09:00",
                "2026-11-28 17:00",
                "2026-11-27 08:00",
                "2026-11-26 08:00",
                "2026-10-30 08:00",
                "2026-10-20 08:00",
                "2026-07-20 08:00",
                "2026-02-10 08:00",
            ]
        );
        // After a long closure the newest few are kept whatever their age.
        assert_eq!(
            kept(
                &[
                    "2024-01-03 08:00",
                    "2024-01-02 08:00",
                    "2024-01-01 08:00",
                    "2023-12-01 08:00"
                ],
                "2026-11-29 09:00"
            ),
            ["2024-01-03 08:00", "2024-01-02 08:00", "2024-01-01 08:00"]
        );
        // A new backup today never changes what is kept of earlier days.
        let before = kept(&taken[1..], "2026-11-29 16:00");
        let after = kept(&taken, "2026-11-29 16:00");
        assert_eq!(&after[1..], &before[..]);
    }

    #[test]
    fn backups_within_one_second_keep_each_other() {
        let dir = tempfile::tempdir().unwrap();
        let name = automatic_name(at("2026-11-03 09:00"));
        let mut written = Vec::new();
        for content in [b"first", b"secnd", b"third"] {
            let path = unused_path(dir.path(), &name);
            std::fs::write(&path, content).unwrap();
            written.push(path);
        }
        assert_eq!(written[0], dir.path().join(&name));
        assert!(written[1].ends_with("registry-20261103-090000-2.zip"));
        assert!(written[2].ends_with("registry-20261103-090000-3.zip"));
        assert_eq!(std::fs::read(&written[0]).unwrap(), b"first");

        // Newest first: the third, then the second, then the first; one more second sorts above.
        std::fs::write(
            dir.path().join(automatic_name(at("2026-11-03 09:01"))),
            b"x",
        )
        .unwrap();
        let names: Vec<String> = list(dir.path())
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect();
        assert_eq!(
            names,
            [
                "registry-20261103-090100.zip",
                "registry-20261103-090000-3.zip",
                "registry-20261103-090000-2.zip",
                "registry-20261103-090000.zip"
            ]
        );
        // A month later only the newest of that day is kept.
        let removed = prune(dir.path(), at("2026-11-20 09:00")).unwrap();
        assert_eq!(
            removed,
            [written[2].clone(), written[1].clone(), written[0].clone()]
        );

        // A name that only looks like ours is not listed, so never pruned.
        for odd in ["x", "1", "0", "02", "+2", "", "２"] {
            std::fs::write(
                dir.path()
                    .join(format!("registry-20261103-090000-{odd}.zip")),
                b"x",
            )
            .unwrap();
        }
        assert_eq!(list(dir.path()).unwrap().len(), 1);
    }

    #[test]
    fn a_backup_is_due_once_a_day() {
        let dir = tempfile::tempdir().unwrap();
        assert!(due(dir.path(), at("2026-11-03 09:00")).unwrap());
        std::fs::write(
            dir.path().join(automatic_name(at("2026-11-03 09:00"))),
            b"x",
        )
        .unwrap();
        assert!(!due(dir.path(), at("2026-11-03 23:59")).unwrap());
        assert!(due(dir.path(), at("2026-11-04 00:00")).unwrap());
    }

    #[test]
    fn entries_are_only_the_names_a_backup_holds() {
        assert_eq!(Entry::parse("registry.db"), Some(Entry::Database));
        assert_eq!(Entry::parse("certificate.key"), Some(Entry::Key));
        assert_eq!(
            Entry::parse("seal.png"),
            Some(Entry::Image(DocumentImage::Seal))
        );
        assert_eq!(
            Entry::parse("attachments/000012-营业执照 𠮷.pdf"),
            Some(Entry::Attachment("000012-营业执照 𠮷.pdf".into()))
        );
        for hostile in [
            "attachments/../registry.db",
            "attachments/000001-../../x",
            "attachments/000001-a/b",
            "attachments/000001-a\\b",
            "attachments/000001-C:x",
            "attachments/000001-.hidden",
            "attachments/x-1.pdf",
            "attachments/000001-invoice\u{202E}fdp.exe",
            "attachments/000001-a\u{0}b",
            "/etc/passwd",
            "C:/Windows/x",
            "//server/share/x",
            "../registry.db",
            "attachments/",
            "registry.db/",
            "other.txt",
        ] {
            assert_eq!(Entry::parse(hostile), None, "{hostile}");
        }
    }

    #[test]
    fn a_second_destination_is_elsewhere_and_warned_about_when_missing_or_old() {
        let data = tempfile::tempdir().unwrap();
        let inside = data.path().join("backups");
        std::fs::create_dir_all(&inside).unwrap();
        assert_eq!(
            check_second_dir(&inside, data.path()).unwrap_err().code(),
            "second_dir_inside"
        );
        let usb = tempfile::tempdir().unwrap();
        check_second_dir(usb.path(), data.path()).unwrap();
        let gone = second_status(&usb.path().join("unplugged"), at("2026-11-29 09:00"));
        assert!(gone.problem.unwrap().zh.contains("无法访问"));
        let empty = second_status(usb.path(), at("2026-11-29 09:00"));
        assert!(empty.problem.unwrap().zh.contains("还没有备份"));
        std::fs::write(
            usb.path().join(automatic_name(at("2026-11-26 09:00"))),
            b"x",
        )
        .unwrap();
        let old = second_status(usb.path(), at("2026-11-29 09:00"));
        assert_eq!(old.newest.as_deref(), Some("2026-11-26 09:00:00"));
        assert!(old.problem.unwrap().zh.contains("3 天前"));
        let fresh = second_status(usb.path(), at("2026-11-27 18:00"));
        assert_eq!(fresh.problem, None);
    }

    #[test]
    fn network_and_synced_folders_are_warned_about() {
        let w = storage_warning(Path::new(r"\\fileserver\share\cceaa")).unwrap();
        assert!(w.zh.contains("网络共享"));
        let w = storage_warning(Path::new("/home/clerk/OneDrive - CCEAA/registry")).unwrap();
        assert!(w.zh.contains("同步文件夹"), "{w:?}");
        let w = storage_warning(Path::new("/home/clerk/坚果云/registry")).unwrap();
        assert!(w.zh.contains("坚果云"));
        let local = tempfile::tempdir().unwrap();
        assert_eq!(storage_warning(local.path()), None);
    }
}
