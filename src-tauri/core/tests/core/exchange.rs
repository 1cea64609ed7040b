//! Rosters out, spreadsheets in, backups: through real files, as the clerk would use them.
//! The messy files are built here, the way Chinese Excel and old rosters make them.

use std::path::Path;

use cceaa_core::exchange::export::{CsvEncoding, ExportRequest};
use cceaa_core::exchange::import::{ImportAction, ImportOptions, ImportReport};
use cceaa_core::{Field, Kind, MemberInput, MemberQuery, Origin, Registry, Stamp, Status, Tier};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook};

fn stamp() -> Stamp {
    Stamp {
        at: NaiveDate::from_ymd_opt(2026, 11, 26)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
        actor: "secretariat".into(),
    }
}

/// A valid code whose organisation part is built from `n`.
fn code(n: u32) -> String {
    cceaa_core::uscc::complete(&format!("91440300{n:08}")).unwrap()
}

/// Every member of the registry as a form would show it, by member number, revision left out.
fn members(r: &Registry) -> Vec<MemberInput> {
    let q = MemberQuery {
        limit: 1000,
        ..MemberQuery::default()
    };
    let mut all: Vec<MemberInput> = r
        .roster_members(&q)
        .unwrap()
        .into_iter()
        .map(|m| MemberInput {
            revision: None,
            ..m.to_input()
        })
        .collect();
    all.sort_by(|a, b| a.member_no.cmp(&b.member_no));
    all
}

fn import(r: &mut Registry, path: &Path, skip_invalid: bool, dry_run: bool) -> ImportReport {
    let options = ImportOptions {
        skip_invalid,
        ..ImportOptions::default()
    };
    r.import(path, &options, &stamp(), dry_run).unwrap()
}

fn row(report: &ImportReport, n: u32) -> &cceaa_core::exchange::import::ImportRow {
    report
        .rows
        .iter()
        .find(|r| r.row == n)
        .unwrap_or_else(|| panic!("row {n} not in report: {:#?}", report.rows))
}

// ---------------------------------------------------------------------------------------
// Round trip

const NAME_PARTS: &[&str] = &[
    "华为",
    "𠮷野家",
    "㐀",
    "阿里巴巴（中国）",
    "ООО Ромашка",
    "Global Trade",
    "深圳",
    "跨境",
    "PT Sinar Jaya",
    "–",
    "0",
    "=SUM(A1)",
    "+",
    "@home",
    "'",
    "\"引号\"",
    "a,b",
];

fn arb_member() -> impl Strategy<Value = MemberInput> {
    (
        prop::collection::vec(prop::sample::select(NAME_PARTS), 1..6),
        0u32..3,
        any::<bool>(),
        prop::sample::select(vec!["13800138000", "010-12345678", "+86 755 8888 6666", ""]),
        "[\\u{4e00}-\\u{4e20}a-z \n]{0,300}",
        (2015i32..2026, 1u32..13, 1u32..29),
        prop::sample::select(vec![Status::Active, Status::Withdrawn]),
        prop::sample::select(Kind::ALL.to_vec()),
    )
        .prop_map(
            |(parts, tier, overseas, phone, intro, (y, m, d), status, kind)| {
                let (tier, founding) = match tier {
                    0 => (Tier::Ordinary, false),
                    1 => (Tier::Presidium, false),
                    _ => (Tier::Presidium, status == Status::Active),
                };
                MemberInput {
                    name: parts.concat(),
                    name_en: if overseas {
                        "Ромашка LLC".into()
                    } else {
                        String::new()
                    },
                    kind,
                    origin: if overseas {
                        Origin::Overseas
                    } else {
                        Origin::Domestic
                    },
                    region: if overseas {
                        "俄罗斯".into()
                    } else {
                        String::new()
                    },
                    city: "深圳".into(),
                    address: "深圳市南山区科技园 1 号".into(),
                    liaison_name: "张三".into(),
                    liaison_phone: phone.into(),
                    liaison_email: "zhang@example.cn".into(),
                    head_name: "李四".into(),
                    head_title: "总经理".into(),
                    intro: intro.trim().into(),
                    tier,
                    founding,
                    status,
                    joined: format!("{y}-{m:02}-{d:02}"),
                    notes: "=1+2 不是公式".into(),
                    ..MemberInput::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Export, then import into an empty registry: the same members, field for field, in each
    /// format (XLSX, CSV in UTF-8, CSV in GB18030).
    #[test]
    fn export_then_import_gives_identical_members(
        list in prop::collection::vec(arb_member(), 1..6),
        format in 0usize..3,
    ) {
        let mut source = Registry::open_in_memory().unwrap();
        for (i, mut m) in list.into_iter().enumerate() {
            // Unique names and codes; member numbers with leading zeros, some hand-typed.
            m.name = format!("{}{i}", m.name);
            if m.origin == Origin::Domestic {
                m.uscc = code(i as u32 + 1);
            } else {
                m.registration_no = format!("0{i}-ABC");
            }
            m.member_no = format!("{:05}", i * 7 + 1);
            source.create_member(&m, &stamp()).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let (file, encoding) = match format {
            0 => ("roster.xlsx", CsvEncoding::Utf8),
            1 => ("roster.csv", CsvEncoding::Utf8),
            _ => ("roster.csv", CsvEncoding::Gb18030),
        };
        let path = dir.path().join(file);
        let request = ExportRequest { encoding, ..ExportRequest::default() };
        source.export_members(&request, &path).unwrap();
        let mut target = Registry::open_in_memory().unwrap();
        let report = import(&mut target, &path, false, false);
        prop_assert_eq!(report.counts.errors, 0, "{:#?}", report.rows);
        prop_assert!(report.written);
        prop_assert_eq!(members(&target), members(&source));
        // The same file again changes nothing.
        let again = import(&mut target, &path, false, false);
        prop_assert_eq!(again.counts.unchanged, again.counts.rows);
        prop_assert!(!again.written);
    }
}

// ---------------------------------------------------------------------------------------
// Messy files

/// An old roster as Excel holds it: a merged title, a date line, a blank row, headers in the
/// office's own words, full-width digits, a date in a Chinese built-in format (read as a bare
/// number), a formula, a bad check digit, a duplicate row and blank rows between groups.
fn legacy_workbook(path: &Path) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let title = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 6, "中国跨境电子商务应用联盟成员单位名单", &title)
        .unwrap();
    ws.write_string(1, 0, "截至 2024 年 12 月 31 日").unwrap();
    let headers = [
        "序号",
        "单位名称（全称）",
        "统一社会信用代码",
        "入会时间",
        "联系人",
        "联系电话",
        "备注",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    // Excel's built-in Chinese date format 31 (yyyy年m月d日) reaches a reader as a number.
    let cn_date = Format::new().set_num_format_index(31);
    let full_width: String = code(1)
        .chars()
        .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
        .collect();
    let rows: &[(u32, &str, &str, &str, &str)] = &[
        (
            4,
            "深圳市甲跨境科技有限公司",
            &full_width,
            "张三",
            "１３８００１３８０００",
        ),
        (
            5,
            "𠮷祥㐀贸易（广州）有限公司",
            &code(2),
            "李四",
            "020-12345678",
        ),
        // Row 8 (index 7) is blank; row 9 has a mistyped check character.
        (8, "错码公司", "91440300000000039X", "王五", "13900000000"),
        // Row 10 repeats row 5 exactly.
        (
            9,
            "深圳市甲跨境科技有限公司",
            &full_width,
            "张三",
            "１３８００１３８０００",
        ),
        (11, "ООО «Ромашка»", "", "Иван Петров", "+7 495 123-45-67"),
    ];
    for (i, (r, name, uscc, person, phone)) in rows.iter().enumerate() {
        ws.write_number(*r, 0, (i + 1) as f64).unwrap();
        ws.write_string(*r, 1, *name).unwrap();
        ws.write_string(*r, 2, *uscc).unwrap();
        ws.write_number_with_format(*r, 3, 43525.0, &cn_date)
            .unwrap(); // 2019-03-01
        ws.write_string(*r, 4, *person).unwrap();
        ws.write_string(*r, 5, *phone).unwrap();
    }
    ws.write_formula(11, 6, "=\"老会员\"&\"（2015）\"")
        .unwrap()
        .set_formula_result(11, 6, "老会员（2015）");
    book.save(path).unwrap();
}

#[test]
fn a_legacy_workbook_is_read_row_by_row_and_refused_whole_while_a_row_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("老名单.xlsx");
    legacy_workbook(&path);
    let mut r = Registry::open_in_memory().unwrap();

    let preview = import(&mut r, &path, false, true);
    assert_eq!(
        preview.header_row, 4,
        "the header sits under the title rows"
    );
    assert_eq!(preview.mapping[0], None, "序号 is not the member number");
    assert_eq!(preview.mapping[1], Some(Field::Name));
    assert_eq!(preview.mapping[3], Some(Field::Joined));
    assert_eq!(preview.counts.rows, 5, "blank rows are not counted");
    assert_eq!(preview.counts.new, 3);
    assert_eq!(preview.counts.errors, 1, "{:#?}", preview.rows);
    assert_eq!(preview.counts.duplicates, 1);
    let bad = row(&preview, 9);
    assert_eq!(bad.action, ImportAction::Error);
    assert_eq!(bad.problems[0].code, "uscc_org_check");
    let dup = row(&preview, 10);
    assert_eq!(dup.action, ImportAction::Duplicate);
    assert_eq!(dup.duplicate_of, Some(5));
    assert!(!preview.written);
    assert!(members(&r).is_empty(), "a preview writes nothing");

    let refused = import(&mut r, &path, false, false);
    assert!(!refused.written);
    assert!(refused.refused.unwrap().zh.contains("1 行存在错误"));
    assert!(
        members(&r).is_empty(),
        "a file with an error row imports nothing"
    );

    let done = import(&mut r, &path, true, false);
    assert!(done.written);
    assert_eq!(done.counts.new, 3);
    let all = members(&r);
    assert_eq!(all.len(), 3);
    let first = &all[0];
    assert_eq!(first.name, "深圳市甲跨境科技有限公司");
    assert_eq!(first.uscc, code(1), "full-width digits become half-width");
    assert_eq!(first.liaison_phone, "13800138000");
    assert_eq!(
        first.joined, "2019-03-01",
        "a Chinese date format read as a serial"
    );
    assert_eq!(all[1].name, "𠮷祥㐀贸易（广州）有限公司");
    let russian = &all[2];
    assert_eq!(russian.name, "ООО «Ромашка»");
    assert_eq!(
        russian.origin,
        Origin::Domestic,
        "no code and no country: domestic"
    );
    assert_eq!(russian.notes, "老会员（2015）", "a formula gives its value");

    // Importing the same file again changes nothing.
    let again = import(&mut r, &path, true, false);
    assert_eq!(again.counts.unchanged, 3);
    assert_eq!(again.counts.new, 0);
    assert!(!again.written);
}

#[test]
fn an_imported_row_with_an_invisible_character_is_in_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("名单.csv");
    std::fs::write(
        &path,
        "单位名称,地址\n正常公司,深圳\n\u{202E}反向公司,广州\n私用区公司,杭州\u{E0B0}\n",
    )
    .unwrap();
    let mut r = Registry::open_in_memory().unwrap();
    let preview = import(&mut r, &path, false, true);
    assert_eq!(preview.counts.errors, 2, "{:#?}", preview.rows);
    let reversed = row(&preview, 3);
    assert_eq!(reversed.problems[0].code, "char_forbidden");
    assert_eq!(reversed.problems[0].field, Field::Name);
    assert!(reversed.problems[0].message.zh.contains("第 1 个字符"));
    let private = row(&preview, 4);
    assert_eq!(private.problems[0].field, Field::Address);
    assert!(private.problems[0].message.zh.contains("U+E0B0"));
}

#[test]
fn gb18030_csv_updates_by_code_and_never_erases_with_an_empty_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open_in_memory().unwrap();
    let existing = r
        .create_member(
            &MemberInput {
                name: "广州乙贸易有限公司".into(),
                uscc: code(7),
                city: "广州".into(),
                liaison_name: "赵六".into(),
                liaison_phone: "13700000000".into(),
                joined: "2020-05-01".into(),
                ..MemberInput::default()
            },
            &stamp(),
        )
        .unwrap();
    let text = format!(
        "单位名称,统一社会信用代码,城市,联系人,联系电话,入盟日期,成员类别\r\n\
         广州乙贸易有限公司,{},,赵六,020-88886666,2020年5月1日,普通成员\r\n\
         ,,,,,,\r\n\
         㐀丙电子商务有限公司,{},杭州,钱七,0571-1234567,2021.6.1,普通\r\n",
        code(7).to_lowercase(),
        code(8)
    );
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    let path = dir.path().join("名单.csv");
    std::fs::write(&path, &bytes).unwrap();
    let report = import(&mut r, &path, false, false);
    assert_eq!(report.format, "CSV (GB18030)");
    assert!(report.written, "{:#?}", report.rows);
    let update = row(&report, 2);
    assert_eq!(update.action, ImportAction::Update);
    assert_eq!(update.member_id, Some(existing.id));
    // A liaison's new number opens a new liaison period, from today.
    assert_eq!(update.changes, [Field::LiaisonPhone, Field::LiaisonSince]);
    let m = r.member(existing.id).unwrap();
    assert_eq!(m.city, "广州", "an empty cell leaves the stored value");
    assert_eq!(m.liaison.phone, "020-88886666");
    assert_eq!(row(&report, 4).action, ImportAction::New);
    assert_eq!(members(&r)[1].name, "㐀丙电子商务有限公司");
}

#[test]
fn a_status_change_in_a_file_is_refused_as_the_workflows_require() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open_in_memory().unwrap();
    r.create_member(
        &MemberInput {
            name: "甲公司".into(),
            joined: "2020-01-01".into(),
            ..MemberInput::default()
        },
        &stamp(),
    )
    .unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(&path, "单位名称,状态\n甲公司,已退出\n").unwrap();
    let report = import(&mut r, &path, false, false);
    assert!(!report.written);
    assert_eq!(row(&report, 2).problems[0].code, "status_by_workflow");
}

#[test]
fn conflicting_duplicates_and_unknown_choices_are_errors_with_row_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(
        &path,
        "单位名称,城市,成员类别\n甲公司,深圳,普通\n甲 公司,广州,普通\n乙公司,深圳,VIP\n",
    )
    .unwrap();
    let mut r = Registry::open_in_memory().unwrap();
    let report = import(&mut r, &path, false, true);
    let dup = row(&report, 3);
    assert_eq!(dup.action, ImportAction::Error);
    assert_eq!(dup.problems[0].code, "duplicate_in_file");
    assert_eq!(dup.duplicate_of, Some(2));
    let vip = row(&report, 4);
    assert_eq!(vip.problems[0].field, Field::Tier);
    assert_eq!(report.counts.errors, 2);
}

// ---------------------------------------------------------------------------------------
// Export

#[test]
fn xlsx_keeps_codes_as_text_dates_as_dates_with_a_frozen_filtered_header() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open_in_memory().unwrap();
    r.create_member(
        &MemberInput {
            name: "深圳市甲跨境科技有限公司".into(),
            uscc: code(1),
            member_no: "00042".into(),
            liaison_name: "张三".into(),
            liaison_phone: "13800138000".into(),
            joined: "2019-03-01".into(),
            ..MemberInput::default()
        },
        &stamp(),
    )
    .unwrap();
    let path = dir.path().join("名录.xlsx");
    let summary = r.export_members(&ExportRequest::default(), &path).unwrap();
    assert_eq!(summary.members, 1);
    use calamine::{open_workbook_auto, Data, Reader};
    let mut book = open_workbook_auto(&path).unwrap();
    let range = book.worksheet_range("成员名录（内部版）").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[0], "成员编号");
    let row: Vec<&Data> = range.rows().nth(1).unwrap().iter().collect();
    let col = |f: Field| {
        cceaa_core::exchange::MEMBER_FIELDS
            .iter()
            .position(|x| *x == f)
            .unwrap()
    };
    assert_eq!(row[col(Field::MemberNo)], &Data::String("00042".into()));
    assert_eq!(row[col(Field::Uscc)], &Data::String(code(1)));
    assert_eq!(
        row[col(Field::LiaisonPhone)],
        &Data::String("13800138000".into())
    );
    assert!(
        matches!(row[col(Field::Joined)], Data::DateTime(d) if d.as_f64() == 43525.0),
        "{:?}",
        row[col(Field::Joined)]
    );
    // The sheet's XML: frozen first row and an autofilter over the header.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("state=\"frozen\""), "{xml}");
    assert!(xml.contains("<autoFilter ref=\"A1:Z2\""), "{xml}");
}

#[test]
fn a_public_csv_has_no_personal_data_and_filters_apply() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open_in_memory().unwrap();
    for (name, joined, tier) in [
        ("甲公司", "2019-03-01", Tier::Ordinary),
        ("乙公司", "2021-03-01", Tier::Ordinary),
        ("丙公司", "2021-06-01", Tier::Presidium),
    ] {
        r.create_member(
            &MemberInput {
                name: name.into(),
                joined: joined.into(),
                tier,
                liaison_name: "张三".into(),
                liaison_phone: "13800138000".into(),
                ..MemberInput::default()
            },
            &stamp(),
        )
        .unwrap();
    }
    let path = dir.path().join("public.csv");
    let request = ExportRequest {
        public: true,
        query: MemberQuery {
            tier: Some(Tier::Ordinary),
            joined_from: NaiveDate::from_ymd_opt(2020, 1, 1),
            ..MemberQuery::default()
        },
        ..ExportRequest::default()
    };
    let summary = r.export_members(&request, &path).unwrap();
    assert_eq!(summary.members, 1);
    let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    assert!(text.starts_with('\u{FEFF}'), "UTF-8 with a byte-order mark");
    assert!(text.contains("乙公司"));
    assert!(!text.contains("甲公司") && !text.contains("丙公司"));
    assert!(!text.contains("13800138000") && !text.contains("张三"));
}

// ---------------------------------------------------------------------------------------
// Backups

fn file_registry(dir: &Path) -> Registry {
    let mut r = Registry::open(&dir.join("registry.db")).unwrap();
    r.create_member(
        &MemberInput {
            name: "甲公司".into(),
            ..MemberInput::default()
        },
        &stamp(),
    )
    .unwrap();
    r
}

#[test]
fn backup_then_restore_brings_the_registry_back_after_a_safety_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = file_registry(dir.path());
    let backup = dir.path().join("elsewhere").join("copy.zip");
    let file = r.backup_to(&backup).unwrap();
    assert!(file.bytes > 0);
    let left: Vec<_> = std::fs::read_dir(dir.path().join("elsewhere"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["copy.zip"], "no temporary file is left beside it");
    assert_eq!(
        cceaa_core::db::check_backup(&backup).unwrap(),
        r.schema_version().unwrap()
    );
    r.create_member(
        &MemberInput {
            name: "乙公司".into(),
            ..MemberInput::default()
        },
        &stamp(),
    )
    .unwrap();
    assert_eq!(members(&r).len(), 2);
    let safety = r.restore_from(&backup, &stamp()).unwrap();
    assert_eq!(members(&r).len(), 1, "the backup's registry is back");
    assert!(safety.name.starts_with("before-restore-"));
    assert!(!safety.database_only);
    // The safety copy holds what was there before the restore.
    let other = tempfile::tempdir().unwrap();
    let mut before = Registry::open(&other.path().join("registry.db")).unwrap();
    before
        .restore_from(Path::new(&safety.path), &stamp())
        .unwrap();
    assert_eq!(members(&before).len(), 2);
    // A file that is not a backup changes nothing.
    for name in ["junk.db", "junk.zip"] {
        let junk = dir.path().join(name);
        std::fs::write(&junk, vec![7u8; 4096]).unwrap();
        assert_eq!(r.restore_from(&junk, &stamp()).unwrap_err().code(), "file");
        assert_eq!(members(&r).len(), 1);
    }
}

#[test]
fn automatic_backups_are_pruned_by_age_never_by_a_days_launches() {
    let dir = tempfile::tempdir().unwrap();
    let r = file_registry(dir.path());
    let db = dir.path().join("registry.db");
    let backups = dir.path().join("backups");
    // Older automatic backups, as if taken on earlier days, one of them two years ago.
    let old = [
        "20241120-090000",
        "20261120-090000",
        "20261121-090000",
        "20261122-090000",
    ];
    for d in old {
        std::fs::copy(&db, backups_dir_file(&backups, d)).unwrap();
    }
    // Fourteen backups in one day (fourteen launches, or Back up now).
    for _ in 0..14 {
        cceaa_core::db::automatic_backup(&db).unwrap();
    }
    let names: Vec<String> = r
        .backup_overview()
        .unwrap()
        .backups
        .into_iter()
        .map(|b| b.name)
        .collect();
    for d in &old[1..] {
        assert!(
            names.contains(&format!("registry-{d}.db")),
            "the only backup of its day stays: {d} in {names:?}"
        );
    }
    assert!(
        !names.contains(&format!("registry-{}.db", old[0])),
        "older than a year, and not among the newest: pruned"
    );
}

fn backups_dir_file(dir: &Path, stamp: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    dir.join(format!("registry-{stamp}.db"))
}

#[test]
fn an_archive_holds_the_database_every_attachment_and_each_table_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = file_registry(dir.path());
    let scan = dir.path().join("通知书.pdf");
    std::fs::write(&scan, b"%PDF-1.4 scan").unwrap();
    let id = members(&r)[0].member_no.clone();
    let member_id = r
        .list_members(&MemberQuery {
            search: id,
            ..MemberQuery::default()
        })
        .unwrap()
        .rows[0]
        .id;
    r.add_attachment_file(
        cceaa_core::Owner::Member(member_id),
        cceaa_core::Purpose::Other,
        &scan,
        &stamp(),
    )
    .unwrap();
    let path = dir.path().join("archive.zip");
    let summary = r.export_archive(&path).unwrap();
    assert_eq!(summary.attachments, 1);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert!(names.contains(&"registry.db".to_string()), "{names:?}");
    assert!(names.contains(&"README.txt".to_string()));
    assert!(names.iter().any(|n| n.starts_with("attachments/")));
    assert!(!names.iter().any(|n| n.contains("member_fts")));
    let mut json = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("tables/member.json").unwrap(), &mut json)
        .unwrap();
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["name"], "甲公司");
    assert!(!dir.path().join("archive.zip.db.tmp").exists());
}

// ---------------------------------------------------------------------------------------
// Hostile spreadsheets: refused quickly, in little memory, with a message

fn refused(r: &mut Registry, path: &Path) -> String {
    let err = r
        .import(path, &ImportOptions::default(), &stamp(), true)
        .unwrap_err();
    assert_eq!(err.code(), "file", "{err:?}");
    err.message().zh
}

#[test]
fn a_sheet_with_a_cell_at_the_far_corner_is_refused_without_allocating_the_range() {
    // calamine#433: two cells, at A1 and XFD1048576, make a range of 17 billion cells. Read
    // cell by cell, the far one is refused for its column, and nothing that size is made.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corner.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "单位名称").unwrap();
    ws.write_string(1_048_575, 16_383, "远处").unwrap();
    book.save(&path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 20_000);
    let mut r = Registry::open_in_memory().unwrap();
    let zh = refused(&mut r, &path);
    assert!(zh.contains("第 1048576 行第 16384 列"), "{zh}");
    assert!(zh.contains("未导入"), "{zh}");
}

/// `path`'s XLSX with the first worksheet's XML replaced by `xml`.
fn with_sheet_xml(from: &Path, to: &Path, xml: &[u8]) {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        out.start_file(name.as_str(), options).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            out.write_all(xml).unwrap();
        } else {
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            out.write_all(&b).unwrap();
        }
    }
    out.finish().unwrap();
}

/// A workbook in `dir` named `name` whose sheet is valid XML padded with `spaces` spaces.
fn padded_workbook(dir: &Path, name: &str, spaces: usize) -> std::path::PathBuf {
    let honest = dir.join("honest.xlsx");
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "单位名称").unwrap();
    book.save(&honest).unwrap();
    let mut xml = b"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>".to_vec();
    xml.resize(xml.len() + spaces, b' ');
    xml.extend_from_slice(b"</sheetData></worksheet>");
    let path = dir.join(name);
    with_sheet_xml(&honest, &path, &xml);
    path
}

#[test]
fn a_workbook_that_inflates_a_thousand_times_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    // A sheet padded with 16 MB of spaces: valid XML, deflated to about 16 KB.
    let bomb = padded_workbook(dir.path(), "bomb.xlsx", 16 << 20);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1 << 20);
    let mut r = Registry::open_in_memory().unwrap();
    let zh = refused(&mut r, &bomb);
    assert!(zh.contains("压缩了"), "{zh}");
}

#[test]
fn a_file_over_the_size_limit_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("大名单.csv");
    // Sparse: 60 MB on paper, nothing on disk, and never read.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(60 << 20)
        .unwrap();
    let mut r = Registry::open_in_memory().unwrap();
    let zh = refused(&mut r, &big);
    assert!(zh.contains("60 MB") && zh.contains("50 MB"), "{zh}");
    // The limit is a setting.
    let mut settings = r.workflow_settings().unwrap();
    assert_eq!(settings.import_max_mb, 50);
    settings.import_max_mb = 1;
    r.save_workflow_settings(&settings).unwrap();
    let small = dir.path().join("名单.csv");
    let mut text = "单位名称\n".to_string();
    while text.len() < 3 << 19 {
        text.push_str("某某跨境电子商务有限公司\n");
    }
    std::fs::write(&small, text).unwrap();
    let zh = refused(&mut r, &small);
    assert!(zh.contains("2 MB") && zh.contains("上限 1 MB"), "{zh}");
    settings.import_max_mb = 0;
    assert_eq!(
        r.save_workflow_settings(&settings)
            .unwrap_err()
            .report()
            .problems[0]
            .code,
        "import_limit"
    );
}

#[test]
fn a_workbook_part_that_inflates_beyond_its_declared_size_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let lying = padded_workbook(dir.path(), "lying.xlsx", 1 << 20);
    // The sheet's headers say it inflates to 1,000 bytes.
    let mut bytes = std::fs::read(&lying).unwrap();
    let name = b"xl/worksheets/sheet1.xml";
    for (sig, len_at, name_at, size_at) in
        [(b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)]
    {
        let mut at = 0;
        while let Some(i) = bytes[at..]
            .windows(4)
            .position(|w| w == sig)
            .map(|i| i + at)
        {
            let n = u16::from_le_bytes([bytes[i + len_at], bytes[i + len_at + 1]]) as usize;
            if bytes.get(i + name_at..i + name_at + n) == Some(&name[..]) {
                bytes[i + size_at..i + size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
            }
            at = i + 4;
        }
    }
    std::fs::write(&lying, bytes).unwrap();
    let mut r = Registry::open_in_memory().unwrap();
    let zh = refused(&mut r, &lying);
    assert!(zh.contains("比文件声明的更大"), "{zh}");
}

#[test]
fn an_xls_sheet_from_a1_to_iv65536_is_refused_before_calamine_lays_it_out() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corner.xls");
    let record = |kind: u16, data: &[u8]| {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    };
    let number = |row: u16, col: u16| {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0, 0]);
        d.extend(1.0f64.to_le_bytes());
        record(0x0203, &d)
    };
    let bof = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
    let mut stream = bof.clone();
    stream.extend(record(0x000A, &[]));
    stream.extend(bof);
    stream.extend(number(0, 0));
    stream.extend(number(65535, 255));
    stream.extend(record(0x000A, &[]));
    let mut book = cfb::create(&path).unwrap();
    book.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    book.flush().unwrap();
    drop(book);
    let mut r = Registry::open_in_memory().unwrap();
    let zh = refused(&mut r, &path);
    assert!(
        zh.contains("第 1 行到第 65536 行") && zh.contains("16777216"),
        "{zh}"
    );
}
