//! Upgrades keep every record: a registry written by a released version (committed under
//! `tests/fixtures/`, made by `examples/upgrade_fixture.rs` with that version) is opened by this
//! one, and every record, attachment and certificate verification must come through.

use crate::common;

use std::path::Path;

use common::{copy_dir, fixture};

use cceaa_core::db::{check_backup, Owner, SCHEMA_VERSION};
use cceaa_core::{Registry, Status, Tier};
use chrono::NaiveDate;
use rusqlite::Connection;

/// The released versions whose registries this version must open.
const RELEASED: &[&str] = &["0.1.0"];

/// A copy of the fixture's data folder, as an office PC would hold it.
fn copy_of(version: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(version), dir.path());
    dir
}

/// Every table's rows, as text, in a stable order: what must survive unchanged. The search
/// indexes are rebuilt from the members and are not data.
fn contents(db: &Path) -> Vec<(String, Vec<String>)> {
    let c = Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND name NOT LIKE 'member_fts%' AND name NOT LIKE 'member_chars%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let columns = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..columns)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            rows.sort();
            (t, rows)
        })
        .collect()
}

#[test]
fn every_released_registry_opens_with_all_its_records() {
    for version in RELEASED {
        let dir = copy_of(version);
        let db = dir.path().join(cceaa_core::paths::DATABASE_FILE);
        let before = contents(&db);
        let rows = |t: &str| {
            before
                .iter()
                .find(|(n, _)| n == t)
                .map_or(0, |(_, r)| r.len())
        };
        // The fixture holds every kind of record, or this test proves less than it says.
        for table in [
            "member",
            "liaison",
            "audit",
            "membership",
            "application",
            "recommendation",
            "application_event",
            "certificate",
            "attachment",
            "presidium_term",
            "motion",
            "nomination",
            "vote",
            "rotation",
            "chair_term",
            "activity",
            "attendance",
            "excused",
        ] {
            assert!(
                rows(table) > 0,
                "{version}: the fixture has no {table} rows"
            );
        }

        let r = Registry::open(&db).unwrap();
        assert_eq!(r.schema_version().unwrap(), SCHEMA_VERSION);
        r.integrity_check().unwrap();
        drop(r);
        let after = contents(&db);
        for (table, old_rows) in &before {
            let new_rows = &after
                .iter()
                .find(|(n, _)| n == table)
                .unwrap_or_else(|| panic!("{version}: table {table} is gone after the upgrade"))
                .1;
            // Columns may be added by later versions; every old row must still be there, as
            // its old columns read.
            assert_eq!(
                new_rows.len(),
                old_rows.len(),
                "{version}: {table} has {} rows after the upgrade, {} before",
                new_rows.len(),
                old_rows.len()
            );
            for (old, new) in old_rows.iter().zip(new_rows) {
                assert!(
                    new.starts_with(old.as_str()),
                    "{version}: a row of {table} changed:\n before {old}\n after  {new}"
                );
            }
        }
        let upgraded = check_backup(&db).unwrap();
        assert_eq!(upgraded, SCHEMA_VERSION);

        let r = Registry::open(&db).unwrap();
        check_records(version, &r, dir.path());
    }
}

/// The members the list's search box finds for `text`.
fn search(r: &Registry, text: &str) -> cceaa_core::MemberPage {
    r.list_members(&cceaa_core::MemberQuery {
        search: text.into(),
        ..Default::default()
    })
    .unwrap()
}

/// What a clerk would look at after the upgrade: the members with their rare characters, the
/// certificates' verification, the attachments, the presidium and the leavers.
fn check_records(version: &str, r: &Registry, dir: &Path) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let page = search(r, "𠮷祥");
    assert_eq!(page.total, 1, "{version}: search finds the member with 𠮷");
    let rare = r.member(page.rows[0].id).unwrap();
    assert_eq!(rare.name, "𠮷祥跨境供应链（深圳）有限公司");
    assert_eq!(rare.to_input().liaison_name, "㐀明");
    let russian = search(r, "Росэкспорт");
    assert_eq!(russian.total, 1, "{version}: Cyrillic search");
    let russian = r.member_detail(russian.rows[0].id, today).unwrap();
    assert_eq!(russian.input.liaison_name, "Анна Смирнова");
    assert!(
        russian.liaisons.len() >= 2,
        "{version}: the liaison history"
    );

    // Every certificate printed before still verifies, and the revoked ones say so.
    let lines = std::fs::read_to_string(dir.join("verifications.txt")).unwrap();
    let mut checked = 0;
    for line in lines.lines() {
        let (text, state) = line.split_once('\t').unwrap();
        let v = r.verify_certificate(text).unwrap();
        assert!(v.genuine, "{version}: {text} no longer verifies");
        let revoked = v.certificate.as_ref().unwrap().revoked.is_some();
        assert_eq!(
            revoked,
            state == "revoked",
            "{version}: {text} should be {state}"
        );
        checked += 1;
    }
    assert!(
        checked >= 10,
        "{version}: only {checked} certificates checked"
    );

    // Leavers stay on record with their reason.
    let statuses: Vec<Status> = ["厦门市跨境电子商务协会", "南宁东盟跨境物流有限公司"]
        .iter()
        .map(|name| r.member(search(r, name).rows[0].id).unwrap().status)
        .collect();
    assert_eq!(statuses, [Status::Withdrawn, Status::Expelled], "{version}");

    // The presidium: the admitted candidate, the rotation and its chair terms.
    let view = r.presidium_view(today).unwrap();
    assert!(
        view.in_office
            .iter()
            .any(|m| m.name == "杭州综合试验区跨境电商产业园"),
        "{version}: the admitted member is in the presidium"
    );
    let park = view
        .in_office
        .iter()
        .find(|m| m.name == "杭州综合试验区跨境电商产业园")
        .unwrap();
    assert_eq!(r.member(park.id).unwrap().tier, Tier::Presidium);
    assert_eq!(view.rotation.terms.len(), 2, "{version}: two chair terms");
    assert!(!r.motions(None).unwrap().is_empty());

    // Every attachment opens with the bytes it was kept with.
    let apps = r.list_applications(None, "").unwrap();
    assert_eq!(apps.len(), 2, "{version}: two applications");
    let mut files = 0;
    for a in apps {
        for att in r.attachments_of(Owner::Application(a.id)).unwrap() {
            let path = r.attachment_path(att.id).unwrap();
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{version}: {} does not open: {e}", path.display()));
            assert_eq!(bytes.len() as u64, att.size, "{version}: {}", att.file_name);
            files += 1;
        }
    }
    assert_eq!(files, 3, "{version}: three attachments");
    assert!(!r.audit(None, 1000).unwrap().is_empty());
}
