//! Storage as the secretariat uses it: members written, changed, found and kept across
//! restarts, with the audit log and liaison history that go with every change.

use cceaa_core::{
    AuditAction, Error, Field, Kind, MemberInput, MemberQuery, Origin, Registry, Stamp, Status,
    Tier,
};
use chrono::NaiveDate;

fn stamp(day: u32) -> Stamp {
    Stamp {
        at: NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap(),
        actor: "clerk".into(),
    }
}

fn huawei() -> MemberInput {
    MemberInput {
        name: "华为技术有限公司".into(),
        name_en: "Huawei Technologies Co., Ltd.".into(),
        uscc: "914403001922038216".into(),
        city: "深圳".into(),
        region: "广东".into(),
        joined: "2016-05-01".into(),
        liaison_name: "王小明".into(),
        liaison_phone: "13800138000".into(),
        ..Default::default()
    }
}

fn search(r: &Registry, text: &str) -> Vec<String> {
    let q = MemberQuery {
        search: text.into(),
        ..Default::default()
    };
    r.list_members(&q)
        .unwrap()
        .rows
        .into_iter()
        .map(|m| m.name)
        .collect()
}

#[test]
fn create_assigns_numbers_and_records_the_audit() {
    let mut r = Registry::open_in_memory().unwrap();
    let a = r.create_member(&huawei(), &stamp(1)).unwrap();
    let b = r
        .create_member(
            &MemberInput {
                name: "中兴通讯股份有限公司".into(),
                ..Default::default()
            },
            &stamp(1),
        )
        .unwrap();
    assert_eq!(
        (a.member_no.as_str(), b.member_no.as_str()),
        ("00001", "00002")
    );
    assert_eq!(a.uscc.as_deref(), Some("914403001922038216"));
    assert_eq!(a.liaison.name, "王小明");
    let audit = r.audit(Some(a.id), 10).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, AuditAction::Create);
    assert_eq!(audit[0].actor, "clerk");
    assert!(audit[0]
        .changes
        .iter()
        .any(|c| c.field == Field::Name && c.after == "华为技术有限公司"));
}

#[test]
fn assigned_numbers_never_collide_with_typed_ones() {
    let mut r = Registry::open_in_memory().unwrap();
    let typed = MemberInput {
        name: "老成员".into(),
        member_no: "00120".into(),
        ..Default::default()
    };
    r.create_member(&typed, &stamp(1)).unwrap();
    let next = r
        .create_member(
            &MemberInput {
                name: "新成员".into(),
                ..Default::default()
            },
            &stamp(1),
        )
        .unwrap();
    assert_eq!(next.member_no, "00121");
    let dup = MemberInput {
        name: "重号".into(),
        member_no: "00121".into(),
        ..Default::default()
    };
    match r.create_member(&dup, &stamp(1)) {
        Err(Error::Invalid(p)) => assert_eq!(p[0].code, "member_no_duplicate"),
        other => panic!("expected member_no_duplicate, got {other:?}"),
    }
}

#[test]
fn update_records_only_changed_fields_with_before_and_after() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let edit = MemberInput {
        city: "东莞".into(),
        head_name: "任正非".into(),
        ..m.to_input()
    };
    let after = r.update_member(m.id, &edit, &stamp(2)).unwrap();
    assert_eq!(after.city, "东莞");
    let last = &r.audit(Some(m.id), 10).unwrap()[0];
    assert_eq!(last.action, AuditAction::Update);
    let fields: Vec<_> = last
        .changes
        .iter()
        .map(|c| (c.field, c.before.as_str(), c.after.as_str()))
        .collect();
    assert_eq!(
        fields,
        vec![
            (Field::City, "深圳", "东莞"),
            (Field::HeadName, "", "任正非")
        ]
    );
}

#[test]
fn saving_unchanged_details_writes_no_audit_row() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    r.update_member(m.id, &m.to_input(), &stamp(2)).unwrap();
    assert_eq!(r.audit(Some(m.id), 10).unwrap().len(), 1);
}

#[test]
fn art13_status_and_tier_are_not_edited_but_go_through_their_workflows() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let edit = MemberInput {
        status: Status::Withdrawn,
        tier: Tier::Presidium,
        ..m.to_input()
    };
    match r.update_member(m.id, &edit, &stamp(2)) {
        Err(Error::Invalid(p)) => {
            let codes: Vec<_> = p.iter().map(|p| p.code.as_str()).collect();
            assert_eq!(codes, ["status_by_workflow", "tier_by_vote"]);
        }
        other => panic!("expected refusal, got {other:?}"),
    }
    assert_eq!(r.member(m.id).unwrap().status, Status::Active);
    // Marking a founding initiator is a correction, not a vote: allowed, and it joins the
    // presidium (Art. 8) without the clerk choosing the tier as well.
    let founding = MemberInput {
        founding: true,
        ..m.to_input()
    };
    r.update_member(m.id, &founding, &stamp(2)).unwrap();
    let day = stamp(3).today();
    assert_eq!(r.presidium_on(day).unwrap()[0].id, m.id);
    assert_eq!(r.rotation(day).unwrap().order[0].id, m.id);
    assert_eq!(r.member(m.id).unwrap().tier, Tier::Presidium);
}

#[test]
fn art8_a_unit_that_left_cannot_be_marked_founding_initiator() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let leave = cceaa_core::LeaveInput {
        date: stamp(2).today().to_string(),
        note: String::new(),
    };
    let gone = r.withdraw_member(m.id, &leave, &stamp(2)).unwrap();
    let founding = MemberInput {
        founding: true,
        ..gone.to_input()
    };
    match r.update_member(m.id, &founding, &stamp(3)) {
        Err(Error::Invalid(p)) => {
            let codes: Vec<_> = p.iter().map(|p| p.code.as_str()).collect();
            assert_eq!(codes, ["founding_not_active"]);
        }
        other => panic!("a withdrawn unit was marked founding initiator: {other:?}"),
    }
    assert!(r.presidium_on(stamp(3).today()).unwrap().is_empty());
}

#[test]
fn status_change_is_audited_on_its_own() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let leave = cceaa_core::LeaveInput {
        date: "2026-11-02".into(),
        note: "书面通知退出".into(),
    };
    r.withdraw_member(m.id, &leave, &stamp(2)).unwrap();
    let actions: Vec<_> = r
        .audit(Some(m.id), 10)
        .unwrap()
        .iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        vec![AuditAction::StatusChange, AuditAction::Create]
    );
}

#[test]
fn liaison_changes_keep_a_dated_history() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let edit = MemberInput {
        liaison_name: "李娜".into(),
        liaison_phone: "021-6888 8888".into(),
        liaison_since: "2026-11-20".into(),
        ..m.to_input()
    };
    r.update_member(m.id, &edit, &stamp(21)).unwrap();
    let d = r.member_detail(m.id, stamp(20).today()).unwrap();
    assert_eq!(d.member.liaison.name, "李娜");
    assert_eq!(d.liaisons.len(), 2);
    assert_eq!(d.liaisons[0].person.name, "李娜");
    assert_eq!(d.liaisons[0].until, None);
    assert_eq!(d.liaisons[1].person.name, "王小明");
    assert_eq!(
        d.liaisons[1].since,
        NaiveDate::from_ymd_opt(2016, 5, 1).unwrap()
    );
    assert_eq!(d.liaisons[1].until, NaiveDate::from_ymd_opt(2026, 11, 20));
}

#[test]
fn a_new_liaison_cannot_start_before_the_previous_one() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let edit = MemberInput {
        liaison_name: "李娜".into(),
        liaison_since: "2015-03-01".into(),
        ..m.to_input()
    };
    match r.update_member(m.id, &edit, &stamp(2)) {
        Err(Error::Invalid(p)) => assert_eq!(p[0].field, Field::LiaisonSince),
        other => panic!("expected a liaison_since problem, got {other:?}"),
    }
    assert_eq!(
        r.member(m.id).unwrap().liaison.name,
        "王小明",
        "a refused edit changes nothing"
    );
}

#[test]
fn a_changed_liaison_with_the_previous_start_date_is_asked_for_a_date() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    // The edit form carries the current liaison's start date over.
    let edit = MemberInput {
        liaison_name: "李娜".into(),
        ..m.to_input()
    };
    assert_eq!(edit.liaison_since, "2016-05-01");
    match r.update_member(m.id, &edit, &stamp(2)) {
        Err(Error::Invalid(p)) => assert_eq!(p[0].code, "liaison_since_not_after_previous"),
        other => panic!("expected a request for the start date, got {other:?}"),
    }
}

#[test]
fn correcting_the_liaisons_start_date_is_stored_audited_and_kept_in_order() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let change = MemberInput {
        liaison_name: "李娜".into(),
        liaison_since: "2020-01-01".into(),
        ..m.to_input()
    };
    let m = r.update_member(m.id, &change, &stamp(2)).unwrap();
    // Only the date changes: it must be saved and audited, and the previous period must end
    // where the corrected one begins.
    let fixed = MemberInput {
        liaison_since: "2020-03-01".into(),
        ..m.to_input()
    };
    r.update_member(m.id, &fixed, &stamp(3)).unwrap();
    let d = r.member_detail(m.id, stamp(20).today()).unwrap();
    assert_eq!(
        d.liaisons[0].since,
        NaiveDate::from_ymd_opt(2020, 3, 1).unwrap()
    );
    assert_eq!(d.liaisons[1].until, NaiveDate::from_ymd_opt(2020, 3, 1));
    let last = &d.audit[0];
    assert_eq!(last.changes.len(), 1, "{:?}", last.changes);
    assert_eq!(last.changes[0].field, Field::LiaisonSince);
    assert_eq!(last.changes[0].after, "2020-03-01");
    // A date at or before the previous liaison's start would overlap it.
    let now = r.member(m.id).unwrap();
    let overlap = MemberInput {
        liaison_since: "2016-05-01".into(),
        ..now.to_input()
    };
    match r.update_member(m.id, &overlap, &stamp(4)) {
        Err(Error::Invalid(p)) => assert_eq!(p[0].code, "liaison_since_not_after_previous"),
        other => panic!("expected an overlap problem, got {other:?}"),
    }
    let problems = r
        .check_member(&overlap, Some(m.id), stamp(4).today())
        .unwrap();
    assert_eq!(
        problems.len(),
        1,
        "the form learns of it before saving: {problems:?}"
    );
}

#[test]
fn a_save_over_someone_elses_change_is_refused() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let app_form = m.to_input();
    let script = MemberInput {
        city: "东莞".into(),
        ..m.to_input()
    };
    r.update_member(m.id, &script, &stamp(2)).unwrap();
    let stale = MemberInput {
        notes: "来自窗口".into(),
        ..app_form
    };
    match r.update_member(m.id, &stale, &stamp(3)) {
        Err(Error::Stale { name }) => assert_eq!(name, "华为技术有限公司"),
        other => panic!("expected Stale, got {other:?}"),
    }
    assert_eq!(
        r.member(m.id).unwrap().city,
        "东莞",
        "the earlier save is not undone"
    );
}

#[test]
fn an_overlong_numeric_member_number_is_refused_not_overflowed() {
    let mut r = Registry::open_in_memory().unwrap();
    let huge = MemberInput {
        name: "甲".into(),
        member_no: "9223372036854775807".into(),
        ..Default::default()
    };
    match r.create_member(&huge, &stamp(1)) {
        Err(Error::Invalid(p)) => assert_eq!(p[0].code, "member_no_too_long"),
        other => panic!("expected member_no_too_long, got {other:?}"),
    }
    let top = MemberInput {
        name: "乙".into(),
        member_no: "999999999".into(),
        ..Default::default()
    };
    r.create_member(&top, &stamp(1)).unwrap();
    let next = MemberInput {
        name: "丙".into(),
        ..Default::default()
    };
    assert_eq!(
        r.create_member(&next, &stamp(1)).unwrap().member_no,
        "1000000000"
    );
}

#[test]
fn two_live_members_never_share_a_code() {
    let mut r = Registry::open_in_memory().unwrap();
    r.create_member(&huawei(), &stamp(1)).unwrap();
    let twin = MemberInput {
        name: "华为（重复）".into(),
        uscc: "9144 0300 1922 0382 16".into(),
        ..Default::default()
    };
    match r.create_member(&twin, &stamp(1)) {
        Err(Error::Invalid(p)) => {
            assert_eq!(p[0].code, "uscc_duplicate");
            assert!(
                p[0].message.zh.contains("华为技术有限公司"),
                "names the other member: {:?}",
                p[0]
            );
        }
        other => panic!("expected uscc_duplicate, got {other:?}"),
    }
}

#[test]
fn a_withdrawn_members_code_does_not_block_nor_is_its_record_lost() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    let leave = cceaa_core::LeaveInput {
        date: "2026-11-02".into(),
        note: String::new(),
    };
    r.withdraw_member(m.id, &leave, &stamp(2)).unwrap();
    let again = MemberInput {
        name: "华为技术有限公司（新）".into(),
        ..huawei()
    };
    r.create_member(&again, &stamp(3)).unwrap();
    assert_eq!(r.member(m.id).unwrap().status, Status::Withdrawn);
}

#[test]
fn check_member_reports_validation_and_uniqueness_together() {
    let mut r = Registry::open_in_memory().unwrap();
    r.create_member(&huawei(), &stamp(1)).unwrap();
    let input = MemberInput {
        name: "x".into(),
        uscc: "914403001922038216".into(),
        head_email: "bad".into(),
        ..Default::default()
    };
    let problems = r.check_member(&input, None, stamp(1).today()).unwrap();
    let codes: Vec<_> = problems.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, vec!["email_invalid", "uscc_duplicate"]);
}

#[test]
fn one_and_two_character_chinese_searches_find_members() {
    let mut r = Registry::open_in_memory().unwrap();
    r.create_member(&huawei(), &stamp(1)).unwrap();
    let other = MemberInput {
        name: "阿里巴巴（中国）有限公司".into(),
        city: "杭州".into(),
        ..Default::default()
    };
    r.create_member(&other, &stamp(1)).unwrap();
    assert_eq!(search(&r, "华"), vec!["华为技术有限公司"]);
    assert_eq!(search(&r, "华为"), vec!["华为技术有限公司"]);
    assert_eq!(search(&r, "杭州"), vec!["阿里巴巴（中国）有限公司"]);
    assert_eq!(search(&r, "有限公司").len(), 2);
    assert_eq!(search(&r, "小明"), vec!["华为技术有限公司"], "liaison name");
    assert_eq!(
        search(&r, "HUAWEI tech"),
        vec!["华为技术有限公司"],
        "English, case and spaces"
    );
    assert_eq!(
        search(&r, "１９２２０３８"),
        vec!["华为技术有限公司"],
        "full-width code digits"
    );
    assert_eq!(
        search(&r, "00002"),
        vec!["阿里巴巴（中国）有限公司"],
        "member number"
    );
    assert!(search(&r, "腾讯").is_empty());
}

#[test]
fn a_short_search_never_matches_across_two_fields() {
    let mut r = Registry::open_in_memory().unwrap();
    // The name ends in 司 and the liaison begins with 王: "司王" is in no single field.
    r.create_member(&huawei(), &stamp(1)).unwrap();
    assert!(search(&r, "司王").is_empty());
    assert!(search(&r, "司王小").is_empty());
    assert_eq!(search(&r, "王小"), vec!["华为技术有限公司"]);
}

#[test]
fn quotes_and_operators_in_a_search_are_taken_literally() {
    let mut r = Registry::open_in_memory().unwrap();
    r.create_member(&huawei(), &stamp(1)).unwrap();
    for q in ["\"", "\"华", "AND", "华 OR", "*", "NEAR(", "华*"] {
        let page = r.list_members(&MemberQuery {
            search: q.into(),
            ..Default::default()
        });
        assert!(page.is_ok(), "{q:?} must not be an error: {page:?}");
    }
    assert_eq!(
        search(&r, "\"华"),
        vec!["华为技术有限公司"],
        "a stray quote is ignored"
    );
}

#[test]
fn search_follows_edits() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = r.create_member(&huawei(), &stamp(1)).unwrap();
    r.update_member(
        m.id,
        &MemberInput {
            name: "华为终端有限公司".into(),
            ..m.to_input()
        },
        &stamp(2),
    )
    .unwrap();
    assert!(
        search(&r, "技术有限").is_empty(),
        "the old name must leave the index"
    );
    assert_eq!(search(&r, "终端有限"), vec!["华为终端有限公司"]);
}

#[test]
fn rare_and_foreign_characters_are_stored_and_found() {
    let mut r = Registry::open_in_memory().unwrap();
    let names = [
        "𠮷野家（中国）有限公司",
        "㐀字研究院",
        "ООО «Ромашка»",
        "Société Générale Commerce",
    ];
    for name in names {
        let input = MemberInput {
            name: name.into(),
            origin: Origin::Overseas,
            region: "海外".into(),
            ..Default::default()
        };
        r.create_member(&input, &stamp(1)).unwrap();
    }
    assert_eq!(search(&r, "𠮷"), vec![names[0]]);
    assert_eq!(search(&r, "㐀字"), vec![names[1]]);
    assert_eq!(search(&r, "ромашка"), vec![names[2]]);
    assert_eq!(search(&r, "générale"), vec![names[3]]);
}

#[test]
fn filters_and_paging() {
    let mut r = Registry::open_in_memory().unwrap();
    for i in 0..30 {
        let input = MemberInput {
            name: format!("测试单位{i:02}"),
            tier: if i % 3 == 0 {
                Tier::Presidium
            } else {
                Tier::Ordinary
            },
            kind: if i % 2 == 0 {
                Kind::Enterprise
            } else {
                Kind::ResearchInstitute
            },
            origin: if i < 5 {
                Origin::Overseas
            } else {
                Origin::Domestic
            },
            region: if i < 5 {
                "俄罗斯".into()
            } else {
                String::new()
            },
            ..Default::default()
        };
        r.create_member(&input, &stamp(1)).unwrap();
    }
    let q = |q: MemberQuery| r.list_members(&q).unwrap();
    assert_eq!(
        q(MemberQuery {
            tier: Some(Tier::Presidium),
            ..Default::default()
        })
        .total,
        10
    );
    assert_eq!(
        q(MemberQuery {
            kind: Some(Kind::ResearchInstitute),
            ..Default::default()
        })
        .total,
        15
    );
    assert_eq!(
        q(MemberQuery {
            origin: Some(Origin::Overseas),
            ..Default::default()
        })
        .total,
        5
    );
    assert_eq!(
        q(MemberQuery {
            region: "俄罗斯".into(),
            ..Default::default()
        })
        .total,
        5
    );
    let page = q(MemberQuery {
        limit: 10,
        offset: 20,
        ..Default::default()
    });
    assert_eq!((page.total, page.rows.len()), (30, 10));
    assert_eq!(page.rows[0].name, "测试单位20");
    assert_eq!(r.regions().unwrap(), vec!["俄罗斯"]);
}

#[test]
fn nothing_is_ever_hard_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut r = Registry::open(&path).unwrap();
    r.create_member(&huawei(), &stamp(1)).unwrap();
    drop(r);
    // Another program (a DB browser, a script) opening the file directly.
    let raw = rusqlite::Connection::open(&path).unwrap();
    assert!(
        raw.execute("DELETE FROM member", []).is_err(),
        "member rows must not be deletable"
    );
    assert!(
        raw.execute("DELETE FROM audit", []).is_err(),
        "audit rows must not be deletable"
    );
    assert!(
        raw.execute("UPDATE audit SET actor = 'x'", []).is_err(),
        "audit rows must not change"
    );
    assert!(
        raw.execute("DELETE FROM liaison", []).is_err(),
        "liaison history must not be deletable"
    );
}

#[test]
fn data_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let id = Registry::open(&path)
        .unwrap()
        .create_member(&huawei(), &stamp(1))
        .unwrap()
        .id;
    let r = Registry::open(&path).unwrap();
    assert_eq!(r.member(id).unwrap().name, "华为技术有限公司");
    assert_eq!(search(&r, "华为"), vec!["华为技术有限公司"]);
    r.integrity_check().unwrap();
}

#[test]
fn two_processes_writing_at_once_both_succeed() {
    // The desktop app and a CLI script may write at the same moment: WAL and the busy
    // timeout must queue them, and neither may lose a write.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    drop(Registry::open(&path).unwrap());
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut r = Registry::open(&path).unwrap();
                for i in 0..50 {
                    let input = MemberInput {
                        name: format!("并发单位 {w}-{i}"),
                        ..Default::default()
                    };
                    r.create_member(&input, &stamp(1)).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer failed");
    }
    let r = Registry::open(&path).unwrap();
    let nos: Vec<_> = r
        .list_members(&MemberQuery {
            limit: 1000,
            ..Default::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|m| m.member_no)
        .collect();
    let expected: Vec<_> = (1..=100).map(|n| format!("{n:05}")).collect();
    assert_eq!(
        nos, expected,
        "every write landed once, numbered without gaps or repeats"
    );
}
