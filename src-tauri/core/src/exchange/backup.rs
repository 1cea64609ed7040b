//! Backups and archives: where they live, what they are called, how many are kept, and
//! whether the data folder is somewhere SQLite cannot be trusted. The copying itself is in
//! storage (`db::backup`), which alone names SQLite.

use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result, Text};

/// The folder of automatic backups, inside the data folder.
pub const BACKUP_DIR: &str = "backups";
/// How many automatic backups are kept when the setting is not set.
pub const DEFAULT_KEEP: u32 = 14;
/// The setting that holds how many automatic backups to keep.
pub const KEEP_SETTING: &str = "backup.keep";
/// Automatic backups are named `registry-YYYYMMDD-HHMMSS.db`; safety copies taken before a
/// restore `before-restore-…`, and are kept apart from the count.
const AUTO_PREFIX: &str = "registry-";
const SAFETY_PREFIX: &str = "before-restore-";
/// Copies taken before an upgrade are named after the schema version they hold:
/// `before-upgrade-v2-YYYYMMDD-HHMMSS.db`. Like safety copies, they are never pruned.
const UPGRADE_PREFIX: &str = "before-upgrade-v";
/// An automatic backup is due when the newest is this old.
pub const AUTO_INTERVAL_HOURS: i64 = 24;

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
    /// Taken automatically (the others are safety copies before a restore).
    pub automatic: bool,
}

/// What the backup screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupOverview {
    pub folder: String,
    /// Newest first.
    pub backups: Vec<BackupFile>,
    pub keep: u32,
    /// Set when the data folder is on a network share or a synced folder.
    #[ts(optional)]
    pub warning: Option<Text>,
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

fn stamp_of(at: NaiveDateTime) -> String {
    at.format("%Y%m%d-%H%M%S").to_string()
}

/// The file name of an automatic backup taken at `at`.
pub fn automatic_name(at: NaiveDateTime) -> String {
    format!("{AUTO_PREFIX}{}.db", stamp_of(at))
}

/// The file name of the safety copy taken before a restore at `at`.
pub fn safety_name(at: NaiveDateTime) -> String {
    format!("{SAFETY_PREFIX}{}.db", stamp_of(at))
}

/// The file name of the copy taken at `at` before a registry at schema version `version` is
/// upgraded: the way back if the new version turns out to be a mistake.
pub fn upgrade_name(version: i64, at: NaiveDateTime) -> String {
    format!("{UPGRADE_PREFIX}{version}-{}.db", stamp_of(at))
}

/// Where to write the backup named `name` in `dir`: that name, or, when a backup of that
/// name is already there (two taken within the same second), the name with `-2`, `-3` ...
/// before `.db`, so that no backup replaces another.
pub fn unused_path(dir: &Path, name: &str) -> PathBuf {
    let stem = name.strip_suffix(".db").unwrap_or(name);
    std::iter::once(dir.join(name))
        .chain((2u32..).map(|n| dir.join(format!("{stem}-{n}.db"))))
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
    let rest = rest.strip_suffix(".db")?;
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

/// Whether the newest automatic backup in `dir` is older than a day (or there is none).
pub fn due(dir: &Path, now: NaiveDateTime) -> Result<bool> {
    let newest = list(dir)?
        .into_iter()
        .filter(|b| b.automatic)
        .find_map(|b| taken_at(&b.name).map(|(t, _, _)| t));
    Ok(newest.is_none_or(|t| (now - t).num_hours() >= AUTO_INTERVAL_HOURS))
}

/// Deletes the oldest automatic backups beyond `keep`. Safety copies are never deleted here:
/// they are the way back from a restore that was a mistake.
pub fn prune(dir: &Path, keep: u32) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for old in list(dir)?
        .into_iter()
        .filter(|b| b.automatic)
        .skip(keep.max(1) as usize)
    {
        let path = PathBuf::from(&old.path);
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
        removed.push(path);
    }
    Ok(removed)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn names_sort_and_prune_keeps_the_newest_and_every_safety_copy() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["2026-11-01 09:00", "2026-11-02 09:00", "2026-11-03 09:00"] {
            std::fs::write(dir.path().join(automatic_name(at(d))), b"x").unwrap();
        }
        std::fs::write(dir.path().join(safety_name(at("2026-10-01 08:00"))), b"x").unwrap();
        let upgrade = upgrade_name(2, at("2026-09-01 08:00"));
        assert_eq!(upgrade, "before-upgrade-v2-20260901-080000.db");
        std::fs::write(dir.path().join(&upgrade), b"x").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"not ours").unwrap();
        std::fs::write(
            dir.path().join("before-upgrade-vx-20260901-080000.db"),
            b"?",
        )
        .unwrap();
        let all = list(dir.path()).unwrap();
        assert_eq!(all.len(), 5, "{all:?}");
        assert_eq!(all[0].taken, "2026-11-03 09:00:00");
        let removed = prune(dir.path(), 2).unwrap();
        assert_eq!(removed.len(), 1);
        assert!(removed[0].ends_with(automatic_name(at("2026-11-01 09:00"))));
        let left: Vec<String> = list(dir.path())
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect();
        assert!(left.contains(&safety_name(at("2026-10-01 08:00"))));
        assert!(
            left.contains(&upgrade),
            "copies before an upgrade are never pruned"
        );
        assert!(dir.path().join("notes.txt").exists());
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
        assert!(written[1].ends_with("registry-20261103-090000-2.db"));
        assert!(written[2].ends_with("registry-20261103-090000-3.db"));
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
                "registry-20261103-090100.db",
                "registry-20261103-090000-3.db",
                "registry-20261103-090000-2.db",
                "registry-20261103-090000.db"
            ]
        );
        let removed = prune(dir.path(), 2).unwrap();
        assert_eq!(removed, [written[1].clone(), written[0].clone()]);

        // A name that only looks like ours is not listed, so never pruned.
        for odd in ["x", "1", "0", "02", "+2", "", "２"] {
            std::fs::write(
                dir.path()
                    .join(format!("registry-20261103-090000-{odd}.db")),
                b"x",
            )
            .unwrap();
        }
        assert_eq!(list(dir.path()).unwrap().len(), 2);
    }

    #[test]
    fn a_backup_is_due_after_a_day() {
        let dir = tempfile::tempdir().unwrap();
        assert!(due(dir.path(), at("2026-11-03 09:00")).unwrap());
        std::fs::write(
            dir.path().join(automatic_name(at("2026-11-03 09:00"))),
            b"x",
        )
        .unwrap();
        assert!(!due(dir.path(), at("2026-11-04 08:59")).unwrap());
        assert!(due(dir.path(), at("2026-11-04 09:00")).unwrap());
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
