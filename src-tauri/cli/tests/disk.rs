//! A disk that fills, or a folder that turns read-only, in the middle of a backup, a restore
//! or an import: nothing half-written is left, no `.part` file stays behind, the registry is
//! as it was, and the message says what happened. The small disks are tmpfs mounts, which
//! need root: where root can mount one, `bash .ci/test` sets CCEAA_DISK_TESTS=require, so
//! there they cannot be skipped; elsewhere they are skipped, and the test command says so.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{cceaa, ok};

/// A tmpfs of `kb` KB (read-only with `ro`), unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn new(kb: u32, ro: bool) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let options = format!("size={kb}k{}", if ro { ",ro" } else { "" });
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &options, "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !mounted {
            assert!(
                std::env::var("CCEAA_DISK_TESTS").as_deref() != Ok("require"),
                "CCEAA_DISK_TESTS=require, but a tmpfs cannot be mounted here"
            );
            eprintln!("skipped: mounting a tmpfs is not allowed here");
            return None;
        }
        Some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Every file left on the disk.
    fn files(&self) -> Vec<PathBuf> {
        fn walk(d: &Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(d).unwrap().flatten() {
                if e.path().is_dir() {
                    walk(&e.path(), out);
                } else {
                    out.push(e.path());
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn members(dir: &Path) -> usize {
    let out = ok(dir, &["members", "--json", "--status", "active"]);
    serde_json::from_str::<serde_json::Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .len()
}

/// A registry with one member and a 600 KB attachment (random, so it does not compress).
fn registry_with_attachment(dir: &Path) {
    ok(dir, &["member", "add", "--name", "甲公司"]);
    let mut state = 0x9e37_79b9_u32;
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend((0..600_000).map(|_| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as u8
    }));
    let scan = dir.join("执照.pdf");
    std::fs::write(&scan, pdf).unwrap();
    ok(dir, &["member", "attach", "1", scan.to_str().unwrap()]);
}

#[test]
fn a_backup_onto_a_disk_that_fills_leaves_nothing_and_says_so() {
    let data = tempfile::tempdir().unwrap();
    registry_with_attachment(data.path());
    let Some(usb) = SmallDisk::new(256, false) else {
        return;
    };
    for args in [vec!["backup"], vec!["archive"]] {
        let dest = usb.path().join("备份.zip");
        let mut args = args;
        args.push(dest.to_str().unwrap());
        let out = cceaa(data.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("磁盘空间不足"), "{args:?}: {err}");
        assert_eq!(usb.files(), Vec::<PathBuf>::new(), "{args:?}: nothing left");
    }
    let Some(locked) = SmallDisk::new(256, true) else {
        return;
    };
    let out = cceaa(
        data.path(),
        &["backup", locked.path().join("b.zip").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("只读"), "{err}");
}

#[test]
fn a_restore_onto_a_full_disk_leaves_the_registry_as_it_was() {
    let elsewhere = tempfile::tempdir().unwrap();
    registry_with_attachment(elsewhere.path());
    let backup = elsewhere.path().join("b.zip");
    ok(elsewhere.path(), &["backup", backup.to_str().unwrap()]);

    let Some(disk) = SmallDisk::new(1536, false) else {
        return;
    };
    let data = disk.path().join("registry");
    ok(&data, &["member", "add", "--name", "乙公司"]);
    ok(&data, &["member", "add", "--name", "丙公司"]);
    // Fill the disk but for 200 KB.
    let free = |p: &Path| {
        let out = Command::new("df")
            .args(["-k", "--output=avail"])
            .arg(p)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse::<u64>()
            .unwrap()
    };
    let filler = disk.path().join("filler");
    std::fs::write(
        &filler,
        vec![0u8; ((free(disk.path()).saturating_sub(200)) * 1024) as usize],
    )
    .unwrap();
    let before: Vec<PathBuf> = disk.files();

    let out = cceaa(&data, &["restore", backup.to_str().unwrap(), "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("磁盘空间不足"), "{err}");
    assert_eq!(members(&data), 2, "the registry is as it was");
    let mut after = disk.files();
    after.retain(|p| {
        !p.to_string_lossy().ends_with("-shm") && !p.to_string_lossy().ends_with("-wal")
    });
    let mut expected = before;
    expected.retain(|p| {
        !p.to_string_lossy().ends_with("-shm") && !p.to_string_lossy().ends_with("-wal")
    });
    assert_eq!(
        after, expected,
        "no staging, no .part, no half a safety copy"
    );

    // An import on the full disk: refused whole, in words.
    let csv = elsewhere.path().join("名单.csv");
    let mut text = "单位名称,地址\n".to_string();
    for i in 0..5000 {
        text.push_str(&format!("导入单位{i:05}有限公司,某省某市某区某街道{i}号\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let out = cceaa(&data, &["import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("磁盘空间不足") && err.contains("已全部撤销"),
        "{err}"
    );

    // An attachment copied onto the full disk: no file, no .part, no row.
    let scan = elsewhere.path().join("执照.pdf");
    let out = cceaa(&data, &["member", "attach", "1", scan.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("磁盘空间不足"), "{err}");
    let attachments = data.join("attachments");
    let left: Vec<_> = std::fs::read_dir(&attachments)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");

    std::fs::remove_file(&filler).unwrap();
    assert_eq!(members(&data), 2, "nothing of the import was kept");
    // With room again, the same attachment is the first one kept: the failed copy left no row.
    let id = ok(&data, &["member", "attach", "1", scan.to_str().unwrap()]);
    assert_eq!(id.trim(), "1");
}
