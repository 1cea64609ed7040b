//! The `cceaa` binary as office IT scripts it: exit codes, stdout, stderr, JSON fields.

use std::path::Path;
use std::process::{Command, Output};

fn cceaa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cceaa"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("CCEAA_LANG")
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .expect("cceaa runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cceaa(dir, args);
    assert!(
        out.status.success(),
        "cceaa {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

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
    let all = json(dir.path(), &["audit", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
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
