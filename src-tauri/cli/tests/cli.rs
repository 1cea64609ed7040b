//! The `cceaa` binary as office IT scripts it: exit codes, stdout, stderr, JSON fields.

mod common;

use std::path::Path;
use std::process::Command;

use common::{cceaa, ok};

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(dir, args)).expect("valid JSON on stdout")
}

#[test]
fn add_prints_the_id_and_members_json_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let id = ok(
        dir.path(),
        &[
            "member",
            "add",
            "--name",
            "华为技术有限公司",
            "--name-en",
            "Huawei Technologies",
            "--uscc",
            "914403001922038216",
            "--kind",
            "enterprise",
            "--tier",
            "ordinary",
            "--joined",
            "2016-05-01",
            "--city",
            "深圳",
            "--liaison",
            "王小明",
            "--liaison-phone",
            "13800138000",
            "--liaison-email",
            "wang@example.com",
        ],
    );
    let id: i64 = id.trim().parse().expect("stdout is the new id alone");
    let list = json(dir.path(), &["members", "--json"]);
    let m = &list[0];
    assert_eq!(m["id"], id);
    assert_eq!(m["name"], "华为技术有限公司");
    assert_eq!(m["name_en"], "Huawei Technologies");
    assert_eq!(m["uscc"], "914403001922038216");
    assert_eq!(m["tier"], "ordinary");
    assert_eq!(m["status"], "active");
    assert_eq!(m["joined"], "2016-05-01");
}

#[test]
fn a_bad_code_is_refused_in_the_users_language_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = cceaa(
        dir.path(),
        &[
            "member",
            "add",
            "--name",
            "某公司",
            "--uscc",
            "914403001922038217",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("统一社会信用代码") && err.contains("第 18 位"),
        "zh message: {err}"
    );
    assert!(out.stdout.is_empty());
    let out = cceaa(
        dir.path(),
        &[
            "--lang",
            "en",
            "member",
            "add",
            "--name",
            "X",
            "--uscc",
            "91440300192203821",
        ],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("must be 18 characters"), "en message: {err}");
    assert_eq!(
        json(dir.path(), &["members", "--json"]),
        serde_json::json!([])
    );
}

#[test]
fn every_problem_gets_its_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = cceaa(
        dir.path(),
        &[
            "--lang",
            "en",
            "member",
            "add",
            "--name",
            "X",
            "--head-email",
            "x@",
            "--liaison-phone",
            "12",
            "--kind",
            "person",
        ],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.lines().count(),
        1,
        "a bad --kind is reported before the rest: {err}"
    );
    assert!(err.contains("'person' is not one of"), "{err}");
    let out = cceaa(
        dir.path(),
        &[
            "--lang",
            "en",
            "member",
            "add",
            "--name",
            "X",
            "--head-email",
            "x@",
            "--liaison-phone",
            "12",
        ],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.lines().count(),
        3,
        "email, phone, and the liaison's missing name: {err}"
    );
}

#[test]
fn edit_changes_only_the_given_fields_and_the_audit_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let id = ok(
        dir.path(),
        &[
            "member",
            "add",
            "--name",
            "深圳市跨境贸易协会",
            "--kind",
            "行业组织",
            "--city",
            "深圳",
        ],
    );
    let id = id.trim();
    ok(
        dir.path(),
        &["member", "edit", id, "--city", "广州", "--founding"],
    );
    let m = json(dir.path(), &["member", "show", id, "--json"]);
    assert_eq!(m["city"], "广州");
    assert_eq!(m["kind"], "industry_organisation");
    assert_eq!(
        m["tier"], "presidium",
        "--founding implies the presidium (Art. 8)"
    );
    assert_eq!(m["founding"], true);
    let log = ok(dir.path(), &["audit", id]);
    assert!(log.contains("城市: 深圳 → 广州"), "{log}");
    assert!(log.contains("第八条：主发起人为当然的主席团成员"), "{log}");
    let all = json(dir.path(), &["audit", "--json"]);
    assert_eq!(
        all.as_array().unwrap().len(),
        3,
        "created, edited, joined the presidium"
    );
}

#[test]
fn two_character_search_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &[
            "member",
            "add",
            "--name",
            "阿里巴巴（中国）有限公司",
            "--city",
            "杭州",
        ],
    );
    ok(
        dir.path(),
        &[
            "member",
            "add",
            "--name",
            "中兴通讯股份有限公司",
            "--tier",
            "presidium",
        ],
    );
    let found = json(dir.path(), &["members", "--search", "杭州", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["name"], "阿里巴巴（中国）有限公司");
    let presidium = json(dir.path(), &["members", "--tier", "presidium", "--json"]);
    assert_eq!(presidium[0]["name"], "中兴通讯股份有限公司");
    let table = ok(dir.path(), &["members"]);
    assert_eq!(table.lines().count(), 3, "header and two rows: {table}");
}

#[test]
fn unknown_member_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = cceaa(dir.path(), &["member", "show", "42"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("找不到编号为 42 的成员"));
}

#[test]
fn environment_variable_points_at_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cceaa"))
        .args(["member", "add", "--name", "环境变量测试单位"])
        .env("CCEAA_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        dir.path().join("registry.db").exists(),
        "the registry is created in CCEAA_DATA_DIR"
    );
}

#[test]
fn several_processes_writing_at_once_lose_nothing() {
    // As when the desktop app saves while an office script imports: separate processes, one
    // file. WAL and the busy timeout must queue them; every write must land exactly once.
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["members"]);
    let children: Vec<_> = (0..4)
        .map(|p| {
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                for i in 0..10 {
                    let name = format!("并发进程{p}单位{i}");
                    ok(&dir, &["member", "add", "--name", &name]);
                }
            })
        })
        .collect();
    for c in children {
        c.join().expect("a writer process failed");
    }
    let all = json(dir.path(), &["members", "--json"]);
    let mut nos: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member_no"].as_str().unwrap().to_string())
        .collect();
    nos.sort();
    let expected: Vec<_> = (1..=40).map(|n| format!("{n:05}")).collect();
    assert_eq!(
        nos, expected,
        "every write landed once, numbered without gaps or repeats"
    );
}

/// A member recorded directly, joined on `joined`; returns its id as printed.
fn member_joined(dir: &Path, name: &str, joined: &str) -> String {
    ok(dir, &["member", "add", "--name", name, "--joined", joined])
        .trim()
        .to_string()
}

#[test]
fn application_add_refuses_a_recommender_who_is_not_a_member_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let rec = member_joined(dir.path(), "阿里巴巴（中国）有限公司", "2020-01-01");
    ok(
        dir.path(),
        &["member", "withdraw", &rec, "--date", "2026-03-09"],
    );
    let out = cceaa(
        dir.path(),
        &[
            "application",
            "add",
            "--name",
            "杭州跨境科技有限公司",
            "--recommender",
            &rec,
            "--received",
            "2026-03-10",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("阿里巴巴（中国）有限公司"), "{err}");
    assert!(out.stdout.is_empty(), "no id printed");
}

#[test]
fn application_approve_prints_the_member_id_and_certificate_number() {
    let dir = tempfile::tempdir().unwrap();
    let rec = member_joined(dir.path(), "推荐单位", "2020-01-01");
    let app = ok(
        dir.path(),
        &[
            "application",
            "add",
            "--name",
            "深圳𠮷祥跨境供应链有限公司",
            "--uscc",
            "914403001922038216",
            "--head-email",
            "ceo@example.cn",
            "--recommender",
            &rec,
            "--received",
            "2026-11-02",
        ],
    );
    let app = app.trim();
    let out = ok(
        dir.path(),
        &["application", "approve", app, "--date", "2026-11-20"],
    );
    let (member_id, certificate) = out.trim().split_once('\t').expect("id<TAB>certificate");
    assert!(certificate.starts_with("CCEAA-2026-"), "{certificate}");
    let m = json(dir.path(), &["member", "show", member_id, "--json"]);
    assert_eq!(m["name"], "深圳𠮷祥跨境供应链有限公司");
    assert_eq!(m["joined"], "2026-11-20");
    let notice = ok(dir.path(), &["application", "notice", app]);
    assert!(notice.contains(certificate) && notice.contains("To: ceo@example.cn"));
    // Approving twice is refused, and nothing more is created.
    assert_eq!(
        cceaa(dir.path(), &["application", "approve", app])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        json(dir.path(), &["members", "--json"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn application_reject_needs_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let rec = member_joined(dir.path(), "推荐单位", "2020-01-01");
    let app = ok(
        dir.path(),
        &[
            "application",
            "add",
            "--name",
            "申请单位",
            "--recommender",
            &rec,
        ],
    );
    let app = app.trim();
    assert_eq!(
        cceaa(dir.path(), &["application", "reject", app])
            .status
            .code(),
        Some(2)
    );
    ok(
        dir.path(),
        &[
            "application",
            "reject",
            app,
            "--reason",
            "与跨境电子商务无关",
        ],
    );
    let shown = json(dir.path(), &["application", "show", app, "--json"]);
    assert_eq!(shown["application"]["state"], "rejected");
    assert_eq!(shown["application"]["reason"], "与跨境电子商务无关");
}

#[test]
fn activities_attendance_and_the_watchlist() {
    let dir = tempfile::tempdir().unwrap();
    let quiet = member_joined(dir.path(), "沉寂单位", "2024-01-15");
    let busy = member_joined(dir.path(), "活跃单位", "2024-01-15");
    let activity = ok(
        dir.path(),
        &[
            "activity",
            "add",
            "--title",
            "2024 年度工作会议",
            "--date",
            "2024-12-20",
            "--kind",
            "年度工作会议",
        ],
    );
    ok(
        dir.path(),
        &[
            "attendance",
            "add",
            activity.trim(),
            &busy,
            "--person",
            "王五",
        ],
    );
    let list = json(
        dir.path(),
        &["watchlist", "--today", "2025-02-01", "--json"],
    );
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{list}");
    assert_eq!(rows[0]["id"].to_string(), quiet);
    assert_eq!(rows[0]["name"], "沉寂单位");
    assert_eq!(rows[0]["last_activity"], serde_json::Value::Null);
    assert_eq!(rows[0]["months"], 12);
    let later = json(
        dir.path(),
        &["watchlist", "--today", "2025-10-01", "--json"],
    );
    let b = later
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == busy.parse::<i64>().unwrap())
        .expect("busy is watched nine months after its last activity");
    assert_eq!(b["last_activity"], "2024-12-20");
    assert_eq!(b["months"], 9);
    let bad = cceaa(
        dir.path(),
        &[
            "activity",
            "add",
            "--title",
            "x",
            "--date",
            "2024-12-20",
            "--kind",
            "party",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("活动类型"));
}

#[test]
fn certificate_issues_and_writes_the_pdf_and_verify_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = member_joined(dir.path(), "华为技术有限公司", "2015-01-01");
    let b = member_joined(dir.path(), "ООО «Росэкспорт Онлайн»", "2020-07-15");
    let pdf = dir.path().join("证书.pdf");
    let out = ok(
        dir.path(),
        &["certificate", &a, &b, "-o", pdf.to_str().unwrap()],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "one line per member: {out}");
    assert!(lines[0].starts_with(&format!("{a}\tCCEAA-")), "{out}");
    let bytes = std::fs::read(&pdf).expect("the PDF was written");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        !dir.path().join("证书.pdf.part").exists(),
        "no temporary file is left"
    );
    // Printing again reuses the valid certificates: same numbers.
    let again = ok(
        dir.path(),
        &["certificate", &a, &b, "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(again, out);

    let number = lines[0].split('\t').nth(1).unwrap();
    let forged = cceaa(dir.path(), &["verify", number, "AAAA-BBBB-CCCC-DDDD"]);
    assert_eq!(forged.status.code(), Some(1), "a wrong code is not genuine");
    assert!(String::from_utf8_lossy(&forged.stderr).contains("未通过验证"));

    // The genuine code, read off the PDF, verifies; once the member has left it is genuine
    // but revoked, which a script must not take as good.
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) reads the certificate");
    let text = String::from_utf8(text.stdout).unwrap();
    let code = text
        .split_whitespace()
        .find(|w| w.len() == 19 && w.split('-').count() == 4 && !w.starts_with("CCEAA"))
        .expect("a verification code on the certificate");
    ok(dir.path(), &["verify", number, code]);

    // 补发: a new number for the second member; its old certificate no longer passes.
    let old_b = lines[1].split('\t').nth(1).unwrap();
    let reissued = ok(dir.path(), &["reissue", &b, "--reason", "遗失"]);
    let new_b = reissued.trim().split('\t').nth(1).unwrap();
    assert_ne!(new_b, old_b, "a reissue never reuses the number");
    let again = ok(
        dir.path(),
        &["certificate", &b, "-o", pdf.to_str().unwrap()],
    );
    assert_eq!(
        again.trim(),
        format!("{b}\t{new_b}"),
        "printing uses the new certificate"
    );

    ok(dir.path(), &["member", "withdraw", &a]);
    let revoked = cceaa(dir.path(), &["verify", number, code]);
    assert_eq!(revoked.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&revoked.stderr).contains("失效"));
}

#[test]
fn a_character_no_font_has_writes_no_file_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    // U+2B81D (CJK Extension D) is in no bundled face; the PC's fonts are an empty folder.
    let id = member_joined(dir.path(), "测试\u{2B81D}有限公司", "2020-01-01");
    let pdf = dir.path().join("c.pdf");
    let no_fonts = dir.path().join("no-fonts");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cceaa"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .env("LANG", "zh_CN.UTF-8")
            .env_remove("CCEAA_LANG")
            .env("CCEAA_FONT_DIRS", &no_fonts)
            .output()
            .unwrap()
    };
    let out = run(&["certificate", &id, "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("U+2B81D") && err.contains("第 3 个字符"),
        "{err}"
    );
    assert!(!pdf.exists(), "nothing is written");
    let roster = dir.path().join("r.pdf");
    let out = run(&["roster", "--pdf", "-o", roster.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!roster.exists());

    // With a font that has it among the PC's fonts, the same certificate prints (HanaMin B is
    // Debian's, which the test command installs).
    if !cfg!(unix) {
        return;
    }
    let hana = Path::new("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf");
    assert!(
        hana.is_file(),
        "install fonts-hanazono (bash .ci/setup-debian --test)"
    );
    std::fs::create_dir_all(&no_fonts).unwrap();
    std::fs::copy(hana, no_fonts.join("HanaMinB.ttf")).unwrap();
    let out = run(&["certificate", &id, "-o", pdf.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(pdf.exists());
}

#[test]
fn roster_and_form_write_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let id = member_joined(dir.path(), "华为技术有限公司", "2015-01-01");
    for (args, file) in [
        (vec!["roster", "--pdf"], "roster.pdf"),
        (vec!["roster", "--pdf", "--public"], "public.pdf"),
        (vec!["form", "--blank"], "blank.pdf"),
        (vec!["form", "--member", id.as_str()], "member.pdf"),
    ] {
        let path = dir.path().join(file);
        let mut all = args.clone();
        all.extend(["-o", path.to_str().unwrap()]);
        ok(dir.path(), &all);
        assert!(
            std::fs::read(&path).unwrap().starts_with(b"%PDF-"),
            "{file}"
        );
    }
    let usage = cceaa(dir.path(), &["form", "-o", "x.pdf"]);
    assert_eq!(
        usage.status.code(),
        Some(2),
        "the form needs --blank, --application or --member"
    );
}

// ---------------------------------------------------------------------------------------
// Export, import, backup

/// A valid credit code built from `n`.
fn code(n: u32) -> String {
    cceaa_core::uscc::complete(&format!("91440300{n:08}")).unwrap()
}

fn members_count(dir: &Path) -> usize {
    json(dir, &["members", "--json", "--status", "active"])
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn import_is_all_or_nothing_and_reports_rows_in_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("名单.csv");
    std::fs::write(
        &file,
        format!(
            "成员单位名单\n\n单位名称,统一社会信用代码,入会时间\n甲公司,{},2019年3月1日\n错码公司,91440300000000039X,2019-03-01\n",
            code(1)
        ),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = cceaa(dir.path(), &["import", f]);
    assert_eq!(out.status.code(), Some(1), "rows in error: exit 1");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("第 5 行\t错误"), "{stdout}");
    assert!(stdout.contains("第 17 位"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有导入任何数据"));
    assert_eq!(members_count(dir.path()), 0);

    // A dry run exits as the import would: 1 with rows in error, so a script can validate.
    let out = cceaa(dir.path(), &["import", f, "--dry-run", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a dry run with rows in error: exit 1"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["counts"]["errors"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--skip-invalid"));
    // Usage errors: exit 2.
    let out = cceaa(dir.path(), &["import", f, "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let clean = dir.path().join("clean.csv");
    std::fs::write(
        &clean,
        format!("单位名称,统一社会信用代码\n甲公司,{}\n", code(1)),
    )
    .unwrap();
    ok(
        dir.path(),
        &["import", clean.to_str().unwrap(), "--dry-run"],
    );

    let report = json(
        dir.path(),
        &["import", f, "--dry-run", "--skip-invalid", "--json"],
    );
    assert_eq!(report["counts"]["new"], 1);
    assert_eq!(report["counts"]["errors"], 1);
    assert_eq!(report["written"], false);
    assert_eq!(report["header_row"], 3);
    assert_eq!(members_count(dir.path()), 0, "a dry run writes nothing");

    ok(dir.path(), &["import", f, "--skip-invalid"]);
    assert_eq!(members_count(dir.path()), 1);

    // Exported and imported again: nothing changes.
    let out = dir.path().join("roster.xlsx");
    let printed = ok(
        dir.path(),
        &["export", out.to_str().unwrap(), "--status", "active"],
    );
    assert!(printed.contains("已导出 1 个成员"), "{printed}");
    let again = json(dir.path(), &["import", out.to_str().unwrap(), "--json"]);
    assert_eq!(again["counts"]["unchanged"], 1);
    assert_eq!(again["written"], false);
}

#[test]
fn backup_and_restore_need_confirmation_and_refuse_a_foreign_file() {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["member", "add", "--name", "甲公司"]);
    let copy = dir.path().join("copy.zip");
    ok(dir.path(), &["backup", copy.to_str().unwrap()]);
    ok(dir.path(), &["member", "add", "--name", "乙公司"]);
    let out = cceaa(dir.path(), &["restore", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(members_count(dir.path()), 2);
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database, just some words in a file").unwrap();
    let out = cceaa(dir.path(), &["restore", junk.to_str().unwrap(), "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是联盟登记簿的备份文件"));
    ok(dir.path(), &["restore", copy.to_str().unwrap(), "--yes"]);
    assert_eq!(members_count(dir.path()), 1);
    let safety = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .flatten()
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("before-restore-")
        });
    assert!(safety, "a safety copy is taken before restoring");
}

/// How an import is interrupted.
#[derive(Clone, Copy, Debug)]
enum Kill {
    /// Part-way through writing the rows, which are still in the transaction's page cache.
    WhileWriting,
    /// While the commit writes the transaction into the WAL: the moment a crash is worst.
    WhileCommitting,
}

/// Runs `cceaa import file` and kills it as `when` says; returns whether it was killed (the
/// import may finish first) and the registry's member count afterwards.
fn import_and_kill(dir: &Path, file: &Path, when: Kill) -> (bool, u32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cceaa"))
        .arg("--data-dir")
        .arg(dir)
        .arg("import")
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let wal = dir.join("registry.db-wal");
    let started = std::time::Instant::now();
    let killed = loop {
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        let due = match when {
            // The file is read and rows are being written; the whole import takes several
            // times as long in a test build.
            Kill::WhileWriting => started.elapsed() > std::time::Duration::from_secs(2),
            Kill::WhileCommitting => std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 0,
        };
        if due {
            child.kill().unwrap();
            break true;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    child.wait().unwrap();
    let r = cceaa_core::Registry::open(&dir.join("registry.db")).unwrap();
    r.integrity_check()
        .unwrap_or_else(|e| panic!("{when:?}: the registry is damaged: {e}"));
    let total = r
        .list_members(&cceaa_core::MemberQuery::default())
        .unwrap()
        .total;
    (killed, total)
}

/// The registry survives an import killed half-way: it passes integrity_check and holds all
/// of the file or none of it.
#[test]
fn an_import_killed_mid_way_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Opening once creates the registry, so the kill cannot land in its creation.
    ok(dir.path(), &["members", "--json"]);
    let rows = 50_000u32;
    let mut csv = String::from("单位名称,统一社会信用代码,城市,入盟日期\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "测试单位{i}有限公司,{},深圳,2020-01-01\n",
            code(i + 1)
        ));
    }
    let file = dir.path().join("big.csv");
    std::fs::write(&file, csv).unwrap();

    let (killed, n) = import_and_kill(dir.path(), &file, Kill::WhileWriting);
    assert!(
        killed,
        "the import finished before it could be killed: make the file larger"
    );
    assert_eq!(
        n, 0,
        "an import killed while writing leaves none of the file"
    );

    // Killed while its commit is being written, the import is either not committed (none)
    // or, if the commit record made it, all there: never part of it.
    let (killed, n) = import_and_kill(dir.path(), &file, Kill::WhileCommitting);
    eprintln!("killed in the commit: {killed}; members afterwards: {n}");
    if killed {
        assert!(
            n == 0 || n == rows,
            "{n} of {rows} rows after a kill in the commit"
        );
    } else {
        assert_eq!(n, rows, "a finished import holds all of it");
    }
}

#[test]
fn version_and_info_name_the_release_and_where_things_are() {
    let dir = tempfile::tempdir().unwrap();
    // A data folder under a user name in Chinese, as on many office PCs.
    let data = dir.path().join("张三的文档").join("登记簿");
    let version = ok(&data, &["--version"]);
    assert_eq!(
        version.trim(),
        format!("cceaa {}", env!("CARGO_PKG_VERSION"))
    );

    let info = json(&data, &["info", "--json"]);
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["data_dir"], data.display().to_string());
    assert!(info["database"].as_str().unwrap().ends_with("registry.db"));
    assert!(info["schema_version"].as_i64().unwrap() >= 2);
    let fonts = Path::new(info["fonts_dir"].as_str().unwrap());
    assert!(
        fonts.join("NotoSerifCJKsc-Regular.otf").is_file(),
        "the fonts folder it names holds the fonts: {}",
        fonts.display()
    );
    let text = ok(&data, &["info"]);
    assert!(text.contains("数据文件夹\t"), "{text}");
    assert!(text.contains("张三的文档"), "{text}");
}
