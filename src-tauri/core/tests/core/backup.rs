//! Backups that survive a new PC, and restores that trust nothing in the file: a backup holds
//! the database, the certificate key, the seal and signature and every attachment; a backup
//! that was tampered with (by name, size, digest or schema) is refused before anything in the
//! data folder changes.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use cceaa_core::audit::AuditAction;
use cceaa_core::db::check_backup;
use cceaa_core::documents::images::DocumentImage;
use cceaa_core::exchange::backup::Manifest;
use cceaa_core::{Registry, Stamp};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

fn stamp() -> Stamp {
    Stamp {
        at: chrono::NaiveDate::from_ymd_opt(2026, 11, 29)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
        actor: "secretariat".into(),
    }
}

fn fixture() -> PathBuf {
    common::fixture("0.1.0")
}

/// The office's old PC: the registry written by 0.1.0 (ten certificates printed, three
/// attachments), opened by this version, with a seal image set.
fn old_pc() -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(), dir.path());
    let r = Registry::open(&dir.path().join("registry.db")).unwrap();
    let seal = dir.path().join("公章.png");
    std::fs::write(&seal, png(120, 120)).unwrap();
    r.set_document_image(DocumentImage::Seal, &seal).unwrap();
    (dir, r)
}

/// A small valid PNG of the given size.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&vec![200u8; (w * h * 4) as usize])
            .unwrap();
    }
    out
}

fn verifications() -> Vec<(String, bool)> {
    std::fs::read_to_string(fixture().join("verifications.txt"))
        .unwrap()
        .lines()
        .map(|l| {
            let (text, state) = l.split_once('\t').unwrap();
            (text.to_string(), state == "revoked")
        })
        .collect()
}

#[test]
fn a_backup_restored_on_a_new_pc_keeps_every_certificate_attachment_and_the_seal() {
    let (old, r) = old_pc();
    let backup = old.path().join("usb").join("registry.zip");
    r.backup_to(&backup).unwrap();
    drop(r);

    // The new PC: a fresh registry that has already made a key of its own.
    let new = tempfile::tempdir().unwrap();
    let mut fresh = Registry::open(&new.path().join("registry.db")).unwrap();
    fresh
        .set_setting("backup.second_dir", "/media/clerk/USB")
        .unwrap();
    let own = fresh.verify_certificate("CCEAA-2024-0001 QEVY-VDSS-0TN0-T684");
    assert!(own.map(|v| !v.genuine).unwrap_or(true));
    fresh.restore_from(&backup, &stamp()).unwrap();

    let mut checked = 0;
    for (text, revoked) in verifications() {
        let v = fresh.verify_certificate(&text).unwrap();
        assert!(v.genuine, "{text} must verify after the move");
        assert_eq!(v.certificate.unwrap().revoked.is_some(), revoked, "{text}");
        checked += 1;
    }
    assert!(checked >= 10);
    for name in std::fs::read_dir(old.path().join("attachments")).unwrap() {
        let name = name.unwrap().file_name();
        assert_eq!(
            std::fs::read(new.path().join("attachments").join(&name)).unwrap(),
            std::fs::read(old.path().join("attachments").join(&name)).unwrap(),
            "{name:?} came over whole"
        );
    }
    assert_eq!(
        std::fs::read(new.path().join("seal.png")).unwrap(),
        std::fs::read(old.path().join("seal.png")).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(new.path().join("certificate.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the restored key is its owner's alone");
    }
    // This PC's own settings stay; the restore is in the audit log.
    assert_eq!(
        fresh.setting("backup.second_dir").unwrap().as_deref(),
        Some("/media/clerk/USB")
    );
    let log = fresh.audit(None, 5).unwrap();
    assert!(
        log.iter().any(|e| e.action == AuditAction::Restore),
        "{log:?}"
    );
    // Nothing of the restore is left behind in the data folder.
    assert!(!new.path().join("restore.part").exists());
}

/// A backup's entries: (name, bytes).
type Entries = Vec<(String, Vec<u8>)>;

/// A backup of the old PC, unpacked to (name, bytes) so that tests can tamper with it.
fn unpacked() -> Entries {
    let (old, r) = old_pc();
    let backup = old.path().join("b.zip");
    r.backup_to(&backup).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&backup).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// Packs entries into a ZIP at `path`, with a manifest that lists them truly unless
/// `manifest` is given.
fn pack(path: &Path, entries: &[(String, Vec<u8>)], fix_manifest: bool) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let mut manifest: Option<Manifest> = None;
    for (name, bytes) in entries {
        if name == Manifest::ENTRY {
            manifest = Some(serde_json::from_slice(bytes).unwrap());
            continue;
        }
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    if let Some(mut m) = manifest {
        if fix_manifest {
            m.files = entries
                .iter()
                .filter(|(n, _)| n != Manifest::ENTRY)
                .map(|(n, b)| cceaa_core::exchange::backup::ManifestFile {
                    name: n.clone(),
                    bytes: b.len() as u64,
                    sha256: Sha256::digest(b)
                        .iter()
                        .map(|x| format!("{x:02x}"))
                        .collect(),
                })
                .collect();
        }
        zip.start_file(Manifest::ENTRY, options).unwrap();
        zip.write_all(&serde_json::to_vec(&m).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

/// The database entry changed by `sql`, run with the schema writable as a hostile tool would.
fn with_database_changed(entries: &[(String, Vec<u8>)], sql: &str) -> Entries {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let mut out = entries.to_vec();
    let e = out.iter_mut().find(|(n, _)| n == "registry.db").unwrap();
    std::fs::write(&db, &e.1).unwrap();
    let c = Connection::open(&db).unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    e.1 = std::fs::read(&db).unwrap();
    out
}

#[test]
fn a_tampered_backup_is_refused_and_changes_nothing() {
    let entries = unpacked();
    let dir = tempfile::tempdir().unwrap();
    let mut live = Registry::open(&dir.path().join("registry.db")).unwrap();
    let before = std::fs::read_dir(dir.path()).unwrap().count();

    let mut cases: Vec<(&str, Entries, bool, &str)> = Vec::new();
    for hostile in [
        "../evil.txt",
        "attachments/../../evil.txt",
        "attachments/000009-a/../../x",
        "/etc/cron.d/x",
        "C:/Windows/x.dll",
        "attachments/000009-invoice\u{202E}fdp.exe",
        "run.bat",
    ] {
        let mut e = entries.clone();
        e.push((hostile.to_string(), b"x".to_vec()));
        cases.push(("an entry a backup never has", e, true, "备份不应有的文件"));
    }
    let mut e = entries.clone();
    e.iter_mut()
        .find(|(n, _)| n == "certificate.key")
        .unwrap()
        .1 = b"0".repeat(64);
    cases.push(("a key changed after the manifest", e, false, "与清单不符"));
    let mut e = entries.clone();
    e.iter_mut()
        .find(|(n, _)| n == "certificate.key")
        .unwrap()
        .1 = b"not a key".to_vec();
    cases.push(("a key that is no key", e, true, "内容无效"));
    let mut e = entries.clone();
    e.retain(|(n, _)| n != Manifest::ENTRY);
    cases.push(("no manifest", e, true, "manifest.json"));
    cases.push((
        "an added trigger",
        with_database_changed(
            &entries,
            "CREATE TRIGGER evil AFTER INSERT ON member BEGIN DELETE FROM setting; END;",
        ),
        true,
        "数据结构",
    ));
    cases.push((
        "a view",
        with_database_changed(&entries, "CREATE VIEW v AS SELECT 1;"),
        true,
        "数据结构",
    ));
    cases.push((
        "an append-only trigger dropped",
        with_database_changed(&entries, "DROP TRIGGER audit_no_delete;"),
        true,
        "数据结构",
    ));
    cases.push((
        "an attachment name that leaves the folder",
        with_database_changed(
            &entries,
            "UPDATE attachment SET stored_name = '../../.bashrc' WHERE id = 1;",
        ),
        true,
        "附件文件名",
    ));
    cases.push((
        "an absolute attachment path",
        with_database_changed(
            &entries,
            "UPDATE attachment SET stored_name = 'C:\\Windows\\system.ini' WHERE id = 1;",
        ),
        true,
        "附件文件名",
    ));

    for (what, e, fix, expected) in cases {
        let path = dir.path().join("hostile.zip");
        pack(&path, &e, fix);
        let err = check_backup(&path)
            .map(|_| format!("{what}: accepted"))
            .unwrap_err();
        assert!(
            err.message().zh.contains(expected),
            "{what}: {:?}",
            err.message()
        );
        let err = live.restore_from(&path, &stamp()).unwrap_err();
        assert!(
            err.message().zh.contains(expected),
            "{what}: {:?}",
            err.message()
        );
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            before,
            "{what}: nothing is left in the data folder"
        );
        assert!(!dir.path().join("evil.txt").exists());
        assert!(!dir.path().join("certificate.key").exists(), "{what}");
    }
    live.integrity_check().unwrap();

    // The same entries, packed truly, restore.
    let path = dir.path().join("true.zip");
    pack(&path, &entries, true);
    live.restore_from(&path, &stamp()).unwrap();
    assert!(dir.path().join("certificate.key").exists());
}

#[test]
fn a_forged_size_cannot_fill_the_disk() {
    // The manifest says 64 bytes; the entry inflates to 50 MB of zeros.
    let mut entries = unpacked();
    entries.push(("attachments/000099-bomb.pdf".into(), vec![0u8; 64]));
    let dir = tempfile::tempdir().unwrap();
    let honest = dir.path().join("honest.zip");
    pack(&honest, &entries, true);
    let listed: Manifest = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&honest).unwrap()).unwrap();
        let mut f = zip.by_name(Manifest::ENTRY).unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut b).unwrap();
        serde_json::from_slice(&b).unwrap()
    };
    entries.iter_mut().last().unwrap().1 = vec![0u8; 50 << 20];
    entries.retain(|(n, _)| n != Manifest::ENTRY);
    entries.push((Manifest::ENTRY.into(), serde_json::to_vec(&listed).unwrap()));
    let bomb = dir.path().join("bomb.zip");
    pack(&bomb, &entries, false);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    let data = tempfile::tempdir().unwrap();
    let mut live = Registry::open(&data.path().join("registry.db")).unwrap();
    let err = live.restore_from(&bomb, &stamp()).unwrap_err();
    assert!(
        err.message().zh.contains("与清单不符"),
        "{:?}",
        err.message()
    );
    assert!(!data.path().join("restore.part").exists());
}

#[test]
fn a_database_only_backup_of_an_earlier_version_still_restores() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("registry-20261101-090000.db");
    std::fs::copy(fixture().join("registry.db"), &old).unwrap();
    assert_eq!(check_backup(&old).unwrap(), cceaa_core::db::SCHEMA_VERSION);
    let data = tempfile::tempdir().unwrap();
    let mut live = Registry::open(&data.path().join("registry.db")).unwrap();
    live.restore_from(&old, &stamp()).unwrap();
    assert!(live.list_members(&Default::default()).unwrap().total >= 9);
}

#[test]
fn backups_are_copied_to_the_second_destination() {
    let (old, mut r) = old_pc();
    let usb = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(old.path().join("backups")).unwrap();
    assert_eq!(
        r.set_second_backup_dir(Some(&old.path().join("backups")))
            .unwrap_err()
            .code(),
        "second_dir_inside"
    );
    r.set_second_backup_dir(Some(usb.path())).unwrap();
    let db = old.path().join("registry.db");
    let done = cceaa_core::db::automatic_backup(&db).unwrap();
    let copy = PathBuf::from(done.copied_to.expect("copied"));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&done.file.path).unwrap()
    );
    assert_eq!(r.backup_overview().unwrap().second.unwrap().problem, None);
    // The USB drive is unplugged: the backup is still made, and the problem said.
    let gone = usb.path().join("unplugged");
    std::fs::create_dir(&gone).unwrap();
    r.set_second_backup_dir(Some(&gone)).unwrap();
    std::fs::remove_dir(&gone).unwrap();
    let done = cceaa_core::db::automatic_backup(&db).unwrap();
    assert!(Path::new(&done.file.path).exists());
    assert!(done.second_problem.unwrap().zh.contains("无法访问"));
    let overview = r.backup_overview().unwrap();
    assert!(overview.second.unwrap().problem.is_some());
}
