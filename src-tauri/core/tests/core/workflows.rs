//! The charter's workflows end to end through storage, one test (or more) per rule, named after
//! the article: joining (Art. 9-10), the presidium (Art. 8), activities (Art. 11-12) and
//! leaving (Art. 13).

use cceaa_core::presidium::CastVote;
use cceaa_core::{
    ActivityInput, ActivityKind, ApplicationInput, ApplicationState, AuditAction, Decision, Error,
    Flag, LeaveInput, MemberInput, MotionInput, MotionKind, Purpose, Registry, Stamp, Status, Tier,
    TimelineKind, VoteChoice,
};
use chrono::NaiveDate;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn on(s: &str) -> Stamp {
    Stamp {
        at: day(s).and_hms_opt(10, 0, 0).unwrap(),
        actor: "secretariat".into(),
    }
}

/// A member recorded directly, joined on `joined`.
fn member(r: &mut Registry, name: &str, joined: &str) -> i64 {
    let input = MemberInput {
        name: name.into(),
        joined: joined.into(),
        ..Default::default()
    };
    r.create_member(&input, &on(joined)).unwrap().id
}

fn founding(r: &mut Registry, name: &str, joined: &str) -> i64 {
    let input = MemberInput {
        name: name.into(),
        joined: joined.into(),
        tier: Tier::Presidium,
        founding: true,
        ..Default::default()
    };
    r.create_member(&input, &on(joined)).unwrap().id
}

fn application(name: &str, uscc: &str, recommenders: &[i64], received: &str) -> ApplicationInput {
    ApplicationInput {
        applicant: MemberInput {
            name: name.into(),
            uscc: uscc.into(),
            head_name: "李华".into(),
            head_email: "lihua@example.cn".into(),
            ..Default::default()
        },
        recommenders: recommenders.to_vec(),
        received: received.into(),
        ..Default::default()
    }
}

fn decided(date: &str) -> Decision {
    Decision {
        date: date.into(),
        ..Default::default()
    }
}

fn codes(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(p) => p.into_iter().map(|p| p.code).collect(),
        Error::Refused { code, .. } => vec![code.to_string()],
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn leave(date: &str) -> LeaveInput {
    LeaveInput {
        date: date.into(),
        note: String::new(),
    }
}

#[test]
fn art9_a_recommender_who_withdrew_the_day_before_cannot_recommend() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "阿里巴巴（中国）有限公司", "2020-01-01");
    r.withdraw_member(rec, &leave("2026-03-09"), &on("2026-03-09"))
        .unwrap();
    let input = application("杭州跨境科技有限公司", "", &[rec], "2026-03-10");
    let err = r.create_application(&input, &on("2026-03-10")).unwrap_err();
    let message = err.report().message;
    assert!(
        message.zh.contains("阿里巴巴（中国）有限公司"),
        "names the recommender: {}",
        message.zh
    );
    assert_eq!(codes(err), ["recommender_not_member"]);
    // Received the day before it withdrew, the recommendation stands.
    let earlier = application("杭州跨境科技有限公司", "", &[rec], "2026-03-08");
    r.create_application(&earlier, &on("2026-03-10")).unwrap();
}

#[test]
fn art9_a_recommender_must_already_be_a_member_on_the_received_date() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "新成员", "2026-05-01");
    let input = application("申请单位", "", &[rec], "2026-04-30");
    assert_eq!(
        codes(r.create_application(&input, &on("2026-05-02")).unwrap_err()),
        ["recommender_not_member"]
    );
}

#[test]
fn art9_an_application_needs_a_recommender_and_the_charter_accepted() {
    let mut r = Registry::open_in_memory().unwrap();
    let input = ApplicationInput {
        charter_accepted: false,
        ..application("申请单位", "", &[], "2026-04-30")
    };
    assert_eq!(
        codes(r.create_application(&input, &on("2026-05-02")).unwrap_err()),
        ["charter_not_accepted", "recommender_missing"]
    );
}

#[test]
fn art10_approval_makes_an_ordinary_member_with_the_next_number_and_a_certificate() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let app = r
        .create_application(
            &application(
                "杭州𠮷祥跨境科技有限公司",
                "91440300708461136T",
                &[rec],
                "2026-11-02",
            ),
            &on("2026-11-02"),
        )
        .unwrap();
    assert_eq!(app.state, ApplicationState::Received);
    let approval = r
        .approve_application(app.id, &decided("2026-11-20"), &on("2026-11-25"))
        .unwrap();
    let m = &approval.member;
    assert_eq!(m.member_no, "00002");
    assert_eq!((m.tier, m.status), (Tier::Ordinary, Status::Active));
    assert_eq!(
        m.joined,
        Some(day("2026-11-20")),
        "a member from the approval date"
    );
    assert_eq!(m.head.email, "lihua@example.cn");
    assert_eq!(approval.certificate.number, "CCEAA-2026-0001");
    assert_eq!(approval.certificate.issued, day("2026-11-20"));
    let detail = r.application_detail(app.id, day("2026-11-25")).unwrap();
    let states: Vec<_> = detail.events.iter().map(|e| e.state).collect();
    assert_eq!(
        states,
        [
            ApplicationState::Received,
            ApplicationState::UnderReview,
            ApplicationState::Approved
        ]
    );
    assert_eq!(detail.member.unwrap().id, m.id);
    let admission = r
        .audit(Some(m.id), 10)
        .unwrap()
        .into_iter()
        .find(|a| a.action == AuditAction::Admission)
        .unwrap();
    assert!(
        admission.summary.en.starts_with("Art. 10"),
        "{:?}",
        admission.summary
    );
}

#[test]
fn art10_a_failed_approval_leaves_nothing_behind() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let app = r
        .create_application(
            &application("申请单位", "", &[rec], "2026-11-02"),
            &on("2026-11-02"),
        )
        .unwrap();
    r.review_application(app.id, "2026-11-10", &on("2026-11-10"))
        .unwrap();
    let members = r.list_members(&Default::default()).unwrap().total;
    // Dated before the review began: the last step of the approval refuses it, after the
    // member, its membership and its certificate were written inside the transaction.
    let failed = r.approve_application(app.id, &decided("2026-11-05"), &on("2026-11-12"));
    assert_eq!(codes(failed.unwrap_err()), ["date_before_previous_step"]);
    assert_eq!(
        r.list_members(&Default::default()).unwrap().total,
        members,
        "no member is left behind by the failed approval"
    );
    assert_eq!(
        r.application(app.id).unwrap().state,
        ApplicationState::UnderReview
    );
    // Neither the member number nor the certificate number was used up.
    let a = r
        .approve_application(app.id, &decided("2026-11-12"), &on("2026-11-12"))
        .unwrap();
    assert_eq!(a.member.member_no, "00002");
    assert_eq!(a.certificate.number, "CCEAA-2026-0001");
    let again = r.approve_application(app.id, &decided("2026-11-13"), &on("2026-11-13"));
    assert_eq!(codes(again.unwrap_err()), ["application_state"]);
}

#[test]
fn art9_a_recommender_who_leaves_after_the_application_arrived_still_counts() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let ok = r
        .create_application(
            &application("申请单位", "", &[rec], "2026-11-02"),
            &on("2026-11-02"),
        )
        .unwrap();
    r.withdraw_member(rec, &leave("2026-11-03"), &on("2026-11-03"))
        .unwrap();
    r.approve_application(ok.id, &decided("2026-11-04"), &on("2026-11-04"))
        .unwrap();
}

#[test]
fn art10_certificate_numbers_are_never_reused() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let mut numbers = Vec::new();
    for (i, name) in ["甲公司", "乙公司", "丙公司"].iter().enumerate() {
        let app = r
            .create_application(
                &application(name, "", &[rec], "2026-01-05"),
                &on("2026-01-05"),
            )
            .unwrap();
        let a = r
            .approve_application(app.id, &decided("2026-01-10"), &on("2026-01-10"))
            .unwrap();
        numbers.push(a.certificate.number.clone());
        if i == 2 {
            // The newest holder leaves: its number stays used.
            r.withdraw_member(a.member.id, &leave("2026-02-01"), &on("2026-02-01"))
                .unwrap();
            let c = &r.certificates(a.member.id).unwrap()[0];
            assert_eq!(
                c.revoked,
                Some(day("2026-02-01")),
                "Art. 13(3): revoked on leaving"
            );
        }
    }
    assert_eq!(
        numbers,
        ["CCEAA-2026-0001", "CCEAA-2026-0002", "CCEAA-2026-0003"]
    );
    let next = member(&mut r, "丁公司", "2026-03-01");
    assert_eq!(
        r.issue_certificate(next, "2026-03-01", &on("2026-03-01"))
            .unwrap()
            .number,
        "CCEAA-2026-0004"
    );
    // A scheme that would produce an old number again skips it.
    r.set_certificate_scheme("CCEAA-2026-{seq:04}").unwrap();
    let last = member(&mut r, "戊公司", "2026-03-02");
    assert_eq!(
        r.issue_certificate(last, "2026-03-02", &on("2026-03-02"))
            .unwrap()
            .number,
        "CCEAA-2026-0005"
    );
    assert!(
        r.set_certificate_scheme("CCEAA-{year}").is_err(),
        "no sequence, no uniqueness"
    );
}

#[test]
fn art10_a_decision_dated_before_the_application_arrived_names_the_date() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let app = r
        .create_application(
            &application("申请单位", "", &[rec], "2026-11-02"),
            &on("2026-11-02"),
        )
        .unwrap();
    let early = Decision {
        reason: "材料不全".into(),
        ..decided("2026-11-01")
    };
    assert_eq!(
        codes(
            r.reject_application(app.id, &early, &on("2026-11-03"))
                .unwrap_err()
        ),
        ["date_before_received"]
    );
    assert_eq!(
        r.application(app.id).unwrap().state,
        ApplicationState::Received
    );
}

#[test]
fn art10_a_rejection_needs_a_reason_and_the_notice_gives_it() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let app = r
        .create_application(
            &application("申请单位", "", &[rec], "2026-11-02"),
            &on("2026-11-02"),
        )
        .unwrap();
    assert_eq!(
        codes(
            r.reject_application(app.id, &decided("2026-11-10"), &on("2026-11-10"))
                .unwrap_err()
        ),
        ["reason_required"]
    );
    let reason = Decision {
        reason: "主营业务与跨境电子商务无关（第九条第三项）".into(),
        ..decided("2026-11-10")
    };
    let rejected = r
        .reject_application(app.id, &reason, &on("2026-11-10"))
        .unwrap();
    assert_eq!(rejected.state, ApplicationState::Rejected);
    let notice = r.application_notice(app.id).unwrap();
    assert!(notice.body.contains("主营业务与跨境电子商务无关"));
    assert_eq!(notice.to, "lihua@example.cn");
}

#[test]
fn art10_the_approval_notice_is_prepared_and_its_date_recorded() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let app = r
        .create_application(
            &application("申请单位", "", &[rec], "2026-11-02"),
            &on("2026-11-02"),
        )
        .unwrap();
    assert_eq!(
        codes(r.application_notice(app.id).unwrap_err()),
        ["no_decision"]
    );
    let a = r
        .approve_application(app.id, &decided("2026-11-20"), &on("2026-11-20"))
        .unwrap();
    let notice = r.application_notice(app.id).unwrap();
    assert!(notice.body.contains(&a.certificate.number));
    assert!(notice.body.contains(&a.member.member_no));
    assert!(notice.mailto.starts_with("mailto:lihua@example.cn?"));
    let mut t = r.notice_template(cceaa_core::NoticeKind::Approval).unwrap();
    t.body_zh = "{name}：欢迎！证书 {certificate_no}".into();
    r.set_notice_template(&t).unwrap();
    assert!(r
        .application_notice(app.id)
        .unwrap()
        .body
        .starts_with("申请单位：欢迎！证书 CCEAA-2026-0001"));
    let sent = r
        .record_notice_sent(app.id, "2026-11-21", &on("2026-11-21"))
        .unwrap();
    assert_eq!(sent.notice_sent, Some(day("2026-11-21")));
    // Sending is not a second decision: the notice keeps the approval date, and the member's
    // timeline says the unit was notified rather than approved twice.
    t.body_zh = "{date} 批准".into();
    r.set_notice_template(&t).unwrap();
    let again = r.application_notice(app.id).unwrap();
    assert!(
        again.body.starts_with("2026-11-20 批准"),
        "the notice must keep the decision date after it was sent: {}",
        again.body
    );
    let timeline = r.timeline(a.member.id).unwrap();
    let approved = timeline
        .iter()
        .filter(|e| e.kind == TimelineKind::Application && e.text.zh.contains("已批准"))
        .count();
    assert_eq!(approved, 1, "one approval on the timeline: {timeline:?}");
    assert!(timeline
        .iter()
        .any(|e| e.date == day("2026-11-21") && e.text.zh.contains("已通知负责人")));
}

#[test]
fn the_duplicate_guard_flags_members_and_open_applications() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let huawei = MemberInput {
        name: "华为技术有限公司".into(),
        uscc: "914403001922038216".into(),
        joined: "2020-01-01".into(),
        ..Default::default()
    };
    r.create_member(&huawei, &on("2020-01-01")).unwrap();
    // Same code, name written differently.
    let dup = application(
        "华为技术 有限公司",
        "914403001922038216",
        &[rec],
        "2026-11-02",
    );
    let app = r.create_application(&dup, &on("2026-11-02")).unwrap();
    let flags = r
        .application_detail(app.id, day("2026-11-25"))
        .unwrap()
        .flags;
    assert!(
        matches!(flags.as_slice(), [Flag::ActiveMember { .. }]),
        "{flags:?}"
    );
    assert_eq!(
        codes(
            r.approve_application(app.id, &decided("2026-11-03"), &on("2026-11-03"))
                .unwrap_err()
        ),
        ["already_a_member"]
    );
    // Two open applications from one unit (by normalised name) flag each other.
    let a = r
        .create_application(
            &application("深圳市某某科技有限公司", "", &[rec], "2026-11-02"),
            &on("2026-11-02"),
        )
        .unwrap();
    let b = r
        .create_application(
            &application("深圳市某某科技有限公司。", "", &[rec], "2026-11-03"),
            &on("2026-11-03"),
        )
        .unwrap();
    let flags = r.application_detail(b.id, day("2026-11-25")).unwrap().flags;
    assert!(matches!(flags.as_slice(), [Flag::OpenApplication { id, .. }] if *id == a.id));
    let rows = r.list_applications(None, "").unwrap();
    assert!(rows.iter().all(|row| row.flagged), "all three are flagged");
}

#[test]
fn art10_a_unit_that_left_and_applies_again_keeps_its_record_and_number() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let old = member(&mut r, "回归科技有限公司", "2021-01-01");
    let old_no = r.member(old).unwrap().member_no;
    r.withdraw_member(old, &leave("2024-06-30"), &on("2024-06-30"))
        .unwrap();
    let app = r
        .create_application(
            &application("回归科技有限公司", "", &[rec], "2026-10-01"),
            &on("2026-10-01"),
        )
        .unwrap();
    let flags = r
        .application_detail(app.id, day("2026-10-02"))
        .unwrap()
        .flags;
    assert!(matches!(flags.as_slice(), [Flag::FormerMember { .. }]));
    let a = r
        .approve_application(app.id, &decided("2026-10-15"), &on("2026-10-15"))
        .unwrap();
    assert!(a.returning);
    assert_eq!(
        (a.member.id, a.member.member_no.as_str()),
        (old, old_no.as_str())
    );
    assert_eq!(a.member.status, Status::Active);
    let timeline = r.timeline(old).unwrap();
    let joins = timeline
        .iter()
        .filter(|e| e.kind == TimelineKind::Joined)
        .count();
    assert_eq!(joins, 2, "two membership periods");
    assert_eq!(
        r.list_members(&Default::default()).unwrap().total,
        2,
        "no second record"
    );
}

#[test]
fn art10_a_former_member_with_another_code_is_another_unit_not_a_return() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let old = r
        .create_member(
            &MemberInput {
                name: "华为技术有限公司".into(),
                uscc: "914403001922038216".into(),
                joined: "2020-01-01".into(),
                ..Default::default()
            },
            &on("2020-01-01"),
        )
        .unwrap();
    r.withdraw_member(old.id, &leave("2024-06-30"), &on("2024-06-30"))
        .unwrap();
    // Same name, another unit's code: flagged for the clerk, but approved as a new member.
    let app = r
        .create_application(
            &application(
                "华为技术有限公司",
                "91440300708461136T",
                &[rec],
                "2026-10-01",
            ),
            &on("2026-10-01"),
        )
        .unwrap();
    let flags = r
        .application_detail(app.id, day("2026-10-02"))
        .unwrap()
        .flags;
    assert!(matches!(flags.as_slice(), [Flag::FormerMember { .. }]));
    let a = r
        .approve_application(app.id, &decided("2026-10-15"), &on("2026-10-15"))
        .unwrap();
    assert!(
        !a.returning,
        "a unit with another code must not take over the old record"
    );
    assert_ne!(a.member.id, old.id);
    assert_eq!(
        r.member(old.id).unwrap().uscc.as_deref(),
        Some("914403001922038216")
    );
    assert_eq!(r.member(old.id).unwrap().status, Status::Withdrawn);
}

#[test]
fn art10_a_return_is_not_approved_before_the_unit_left() {
    let mut r = Registry::open_in_memory().unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let old = member(&mut r, "回归科技有限公司", "2021-01-01");
    let app = r
        .create_application(
            &application("回归科技有限公司", "", &[rec], "2024-05-01"),
            &on("2024-05-01"),
        )
        .unwrap();
    r.withdraw_member(old, &leave("2024-06-30"), &on("2024-06-30"))
        .unwrap();
    assert_eq!(
        codes(
            r.approve_application(app.id, &decided("2024-06-01"), &on("2024-07-01"))
                .unwrap_err()
        ),
        ["date_before_left"]
    );
    assert_eq!(r.member(old).unwrap().status, Status::Withdrawn);
    let a = r
        .approve_application(app.id, &decided("2024-07-01"), &on("2024-07-01"))
        .unwrap();
    assert!(a.returning);
}

/// A presidium of `n` founding members and one ordinary candidate.
fn presidium(r: &mut Registry, n: usize) -> (Vec<i64>, i64) {
    let ids = (0..n)
        .map(|i| founding(r, &format!("主发起单位{i:02}"), "2016-05-01"))
        .collect();
    let candidate = member(r, "候选单位", "2020-01-01");
    (ids, candidate)
}

fn votes(ids: &[i64], yes: usize) -> Vec<CastVote> {
    ids.iter()
        .enumerate()
        .map(|(i, &member_id)| CastVote {
            member_id,
            choice: if i < yes {
                VoteChoice::Yes
            } else {
                VoteChoice::No
            },
        })
        .collect()
}

#[test]
fn art13_an_expelled_unit_comes_back_only_with_a_presidium_decision() {
    let mut r = Registry::open_in_memory().unwrap();
    let (ids, bad) = presidium(&mut r, 3);
    let expel = MotionInput {
        kind: MotionKind::Expulsion,
        member_id: Some(bad),
        vote_date: "2025-05-01".into(),
        votes: votes(&ids, 2),
        report: "经核实，该单位严重违反章程。".into(),
        // A nominator left over from an admission form counts for nothing here, even one
        // that names no member.
        nominators: vec![999_999],
    };
    r.record_motion(&expel, &on("2025-05-02")).unwrap();
    let app = r
        .create_application(
            &application("候选单位", "", &[ids[0]], "2026-10-01"),
            &on("2026-10-01"),
        )
        .unwrap();
    let detail = r.application_detail(app.id, day("2026-10-02")).unwrap();
    assert!(matches!(detail.flags.as_slice(), [Flag::Expelled { .. }]));
    assert_eq!(
        codes(
            r.approve_application(app.id, &decided("2026-10-20"), &on("2026-10-20"))
                .unwrap_err()
        ),
        ["presidium_decision_required"]
    );
    let with = Decision {
        presidium_decision: "2026-10-18 主席团会议决定准予重新入盟".into(),
        ..decided("2026-10-20")
    };
    let a = r
        .approve_application(app.id, &with, &on("2026-10-20"))
        .unwrap();
    assert_eq!(a.member.id, bad);
    assert_eq!(
        r.application(app.id).unwrap().presidium_decision,
        "2026-10-18 主席团会议决定准予重新入盟"
    );
}

#[test]
fn art8_an_admission_passes_with_more_than_half_of_all_presidium_members() {
    let mut r = Registry::open_in_memory().unwrap();
    let (ids, candidate) = presidium(&mut r, 5);
    let motion = MotionInput {
        kind: MotionKind::Admission,
        member_id: Some(candidate),
        nominators: vec![ids[0]],
        vote_date: "2026-06-01".into(),
        // Three yes of five in office; two did not attend and are counted absent.
        votes: votes(&ids[..3], 3),
        ..Default::default()
    };
    let m = r.record_motion(&motion, &on("2026-06-02")).unwrap();
    assert!(m.tally.passed);
    assert_eq!((m.tally.yes, m.tally.absent, m.tally.in_office), (3, 2, 5));
    assert_eq!(r.member(candidate).unwrap().tier, Tier::Presidium);
    assert!(!r
        .presidium_on(day("2026-05-31"))
        .unwrap()
        .iter()
        .any(|p| p.id == candidate));
    assert!(
        r.presidium_on(day("2026-06-01"))
            .unwrap()
            .iter()
            .any(|p| p.id == candidate),
        "from the vote date"
    );
    assert!(r
        .rotation(day("2026-06-02"))
        .unwrap()
        .order
        .iter()
        .any(|p| p.id == candidate));
    let tier = r
        .audit(Some(candidate), 5)
        .unwrap()
        .into_iter()
        .find(|a| a.action == AuditAction::TierChange)
        .unwrap();
    assert_eq!(
        tier.summary.en,
        "Art. 8 admission to the presidium, vote of 2026-06-01: 3 of 5 yes, passed"
    );
}

#[test]
fn art8_a_vote_exactly_at_half_fails_and_changes_nothing() {
    let mut r = Registry::open_in_memory().unwrap();
    let (ids, candidate) = presidium(&mut r, 4);
    let motion = MotionInput {
        kind: MotionKind::Admission,
        member_id: Some(candidate),
        nominators: vec![ids[0]],
        vote_date: "2026-06-01".into(),
        votes: votes(&ids, 2),
        ..Default::default()
    };
    let m = r.record_motion(&motion, &on("2026-06-02")).unwrap();
    assert!(!m.tally.passed, "2 of 4 is half, not more than half");
    assert_eq!(r.member(candidate).unwrap().tier, Tier::Ordinary);
    assert_eq!(
        r.motions(Some(candidate)).unwrap().len(),
        1,
        "the failed vote is kept"
    );
}

#[test]
fn art8_only_presidium_members_in_office_nominate_and_vote() {
    let mut r = Registry::open_in_memory().unwrap();
    let (ids, candidate) = presidium(&mut r, 3);
    let outsider = member(&mut r, "普通成员", "2020-01-01");
    let mut v = votes(&ids, 3);
    v.push(CastVote {
        member_id: outsider,
        choice: VoteChoice::Yes,
    });
    let motion = MotionInput {
        kind: MotionKind::Admission,
        member_id: Some(candidate),
        nominators: vec![outsider],
        vote_date: "2026-06-01".into(),
        votes: v,
        ..Default::default()
    };
    assert_eq!(
        codes(r.record_motion(&motion, &on("2026-06-02")).unwrap_err()),
        ["nominator_not_presidium", "voter_not_presidium"]
    );
    assert!(r.motions(None).unwrap().is_empty());
}

#[test]
fn art13_expulsion_by_vote_revokes_the_certificate_and_names_the_article() {
    let mut r = Registry::open_in_memory().unwrap();
    let (ids, bad) = presidium(&mut r, 11);
    r.issue_certificate(bad, "2020-01-01", &on("2020-01-01"))
        .unwrap();
    let motion = MotionInput {
        kind: MotionKind::Expulsion,
        member_id: Some(bad),
        vote_date: "2026-05-01".into(),
        votes: votes(&ids, 7),
        report: "经核实：长期冒用联盟名义开展商业活动。".into(),
        ..Default::default()
    };
    let m = r.record_motion(&motion, &on("2026-05-02")).unwrap();
    assert!(m.tally.passed);
    let after = r.member(bad).unwrap();
    assert_eq!(after.status, Status::Expelled);
    assert!(r.certificates(bad).unwrap()[0].revoked.is_some());
    let status = r
        .audit(Some(bad), 10)
        .unwrap()
        .into_iter()
        .find(|a| a.action == AuditAction::StatusChange)
        .unwrap();
    assert_eq!(
        status.summary.en,
        "Art. 13(2) expulsion, vote of 2026-05-01: 7 of 11 yes"
    );
    let without_report = MotionInput {
        report: String::new(),
        member_id: Some(ids[0]),
        ..motion
    };
    assert_eq!(
        codes(
            r.record_motion(&without_report, &on("2026-05-02"))
                .unwrap_err()
        ),
        ["report_required"]
    );
}

#[test]
fn art8_no_member_chairs_twice_before_all_have_and_leavers_leave_the_rotation() {
    let mut r = Registry::open_in_memory().unwrap();
    let (ids, _) = presidium(&mut r, 3);
    let rot = r.rotation(day("2026-01-01")).unwrap();
    assert_eq!(rot.order.iter().map(|m| m.id).collect::<Vec<_>>(), ids);
    assert_eq!(rot.next.unwrap().id, ids[0]);
    let rot = r
        .start_chair_term(ids[0], "2024-01-01", &on("2024-01-01"))
        .unwrap();
    assert_eq!(
        rot.current.as_ref().unwrap().until,
        day("2025-01-01"),
        "one year by default"
    );
    assert_eq!(rot.next.unwrap().id, ids[1]);
    assert_eq!(
        codes(
            r.start_chair_term(ids[0], "2025-01-01", &on("2025-01-01"))
                .unwrap_err()
        ),
        ["chaired_this_round"]
    );
    r.start_chair_term(ids[1], "2025-01-01", &on("2025-01-01"))
        .unwrap();
    // The third leaves the alliance: it leaves the rotation, and the round is complete.
    r.withdraw_member(ids[2], &leave("2025-06-01"), &on("2025-06-01"))
        .unwrap();
    let rot = r.rotation(day("2025-06-02")).unwrap();
    assert_eq!(rot.order.len(), 2);
    assert!(!r
        .presidium_on(day("2025-06-02"))
        .unwrap()
        .iter()
        .any(|m| m.id == ids[2]));
    assert_eq!(rot.next.unwrap().id, ids[0]);
    r.start_chair_term(ids[0], "2026-01-01", &on("2026-01-01"))
        .unwrap();
}

#[test]
fn art13_a_sitting_chair_who_is_expelled_stops_chairing_that_day() {
    let mut r = Registry::open_in_memory().unwrap();
    let (ids, _) = presidium(&mut r, 3);
    r.start_chair_term(ids[0], "2026-01-01", &on("2026-01-01"))
        .unwrap();
    let expel = MotionInput {
        kind: MotionKind::Expulsion,
        member_id: Some(ids[0]),
        vote_date: "2026-03-01".into(),
        votes: votes(&ids[1..], 2),
        report: "经核实，该单位严重违反章程。".into(),
        ..Default::default()
    };
    assert!(
        r.record_motion(&expel, &on("2026-03-02"))
            .unwrap()
            .tally
            .passed
    );
    // The term's end moves to the day of the expulsion.
    let before = r.rotation(day("2026-02-15")).unwrap();
    assert_eq!(before.current.map(|t| t.until), Some(day("2026-03-01")));
    assert!(r.rotation(day("2026-03-02")).unwrap().current.is_none());
}

fn activity(r: &mut Registry, title: &str, date: &str) -> i64 {
    let input = ActivityInput {
        kind: ActivityKind::AnnualMeeting,
        title: title.into(),
        date: date.into(),
        ..Default::default()
    };
    r.create_activity(&input, &on(date)).unwrap().id
}

#[test]
fn art12_attendance_is_recorded_for_members_only() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = member(&mut r, "参会单位", "2025-01-01");
    let a = activity(&mut r, "2024 年度工作会议", "2024-12-20");
    assert_eq!(
        codes(
            r.add_attendance(a, m, "王五", &on("2025-01-02"))
                .unwrap_err()
        ),
        ["not_a_member"]
    );
    let b = activity(&mut r, "2025 年度工作会议", "2025-12-20");
    let d = r.add_attendance(b, m, "王五", &on("2025-12-21")).unwrap();
    assert_eq!(d.attendance[0].person, "王五");
    assert_eq!(d.activity.attendance, 1);
}

#[test]
fn art13_1_the_watch_list_warns_at_9_and_11_months_and_lists_members_past_12() {
    let mut r = Registry::open_in_memory().unwrap();
    let quiet = member(&mut r, "沉寂单位", "2024-01-15");
    let busy = member(&mut r, "活跃单位", "2024-01-15");
    let a = activity(&mut r, "交流会", "2025-01-10");
    r.add_attendance(a, busy, "", &on("2025-01-10")).unwrap();
    let level = |r: &Registry, date: &str, id: i64| {
        r.watchlist(day(date))
            .unwrap()
            .into_iter()
            .find(|w| w.id == id)
            .map(|w| (w.months, w.level))
    };
    use cceaa_core::watchlist::Level;
    assert_eq!(
        level(&r, "2024-10-14", quiet),
        None,
        "8 months: nothing yet"
    );
    assert_eq!(level(&r, "2024-10-15", quiet), Some((9, Level::Notice)));
    assert_eq!(level(&r, "2024-12-15", quiet), Some((11, Level::Warning)));
    assert_eq!(level(&r, "2025-01-15", quiet), Some((12, Level::Past)));
    assert_eq!(
        level(&r, "2025-01-15", busy),
        None,
        "counted from the last activity"
    );
    let w = r.watchlist(day("2025-10-10")).unwrap();
    let row = w.iter().find(|w| w.id == busy).unwrap();
    assert_eq!(
        (row.last_activity, row.months),
        (Some(day("2025-01-10")), 9)
    );
}

#[test]
fn art13_1_a_member_excused_for_three_months_is_not_on_the_watch_list() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = member(&mut r, "请假单位", "2025-01-01");
    // Nine months since joining, three of them excused: six months counted.
    r.add_excused(
        m,
        "2025-03-01",
        "2025-05-31",
        "海外展会筹备，经秘书处同意",
        &on("2025-02-20"),
    )
    .unwrap();
    assert!(r.watchlist(day("2025-10-01")).unwrap().is_empty());
    assert!(
        r.add_excused(m, "2025-06-01", "2025-07-01", "", &on("2025-06-01"))
            .is_err(),
        "a reason is required"
    );
}

#[test]
fn art13_1_a_deemed_withdrawal_is_confirmed_by_the_secretariat_and_only_past_the_mark() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = member(&mut r, "失联单位", "2024-01-15");
    r.issue_certificate(m, "2024-01-15", &on("2024-01-15"))
        .unwrap();
    // The app never applies it by itself: past the mark, the member is still active.
    assert_eq!(r.watchlist(day("2025-03-01")).unwrap()[0].months, 13);
    assert_eq!(r.member(m).unwrap().status, Status::Active);
    assert_eq!(
        codes(
            r.confirm_deemed_withdrawal(m, &leave("2024-12-01"), &on("2025-03-01"))
                .unwrap_err()
        ),
        ["not_past_the_mark"]
    );
    let after = r
        .confirm_deemed_withdrawal(m, &leave("2025-03-01"), &on("2025-03-01"))
        .unwrap();
    assert_eq!(after.status, Status::Withdrawn);
    assert!(r.certificates(m).unwrap()[0].revoked.is_some());
    assert!(
        r.watchlist(day("2025-03-02")).unwrap().is_empty(),
        "a former member is not watched"
    );
    let s = r
        .audit(Some(m), 10)
        .unwrap()
        .into_iter()
        .find(|a| a.action == AuditAction::StatusChange)
        .unwrap();
    assert!(
        s.summary
            .en
            .starts_with("Art. 13(1) deemed withdrawal: no activity for 13 months"),
        "{}",
        s.summary.en
    );
}

#[test]
fn art13_1_withdrawal_by_notice_keeps_the_record() {
    let mut r = Registry::open_in_memory().unwrap();
    let m = member(&mut r, "退出单位", "2024-01-15");
    assert_eq!(
        codes(
            r.withdraw_member(m, &leave("2023-01-01"), &on("2024-02-01"))
                .unwrap_err()
        ),
        ["date_before_membership"]
    );
    r.withdraw_member(m, &leave("2024-02-01"), &on("2024-02-01"))
        .unwrap();
    assert_eq!(
        codes(
            r.withdraw_member(m, &leave("2024-02-02"), &on("2024-02-02"))
                .unwrap_err()
        ),
        ["not_a_member"]
    );
    let t = r.timeline(m).unwrap();
    assert_eq!(t.last().unwrap().kind, TimelineKind::Left);
    assert!(t
        .last()
        .unwrap()
        .text
        .en
        .starts_with("Art. 13(1) withdrawal"));
    assert_eq!(r.member(m).unwrap().status, Status::Withdrawn);
}

#[test]
fn attachments_are_kept_in_the_data_folder_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open(&dir.path().join("registry.db")).unwrap();
    let rec = member(&mut r, "推荐单位", "2020-01-01");
    let app = r
        .create_application(
            &application("申请单位", "", &[rec], "2026-11-02"),
            &on("2026-11-02"),
        )
        .unwrap();
    let owner = cceaa_core::db::Owner::Application(app.id);
    let pdf = b"%PDF-1.4\n%scan of the licence\n";
    let a = r
        .add_attachment(
            owner,
            Purpose::Licence,
            "C:\\扫描\\营业执照.pdf",
            pdf,
            &on("2026-11-02"),
        )
        .unwrap();
    assert_eq!(
        (a.file_name.as_str(), a.media_type.as_str(), a.size),
        ("营业执照.pdf", "application/pdf", pdf.len() as u64)
    );
    let path = r.attachment_path(a.id).unwrap();
    assert!(path.starts_with(dir.path().join("attachments")));
    assert_eq!(std::fs::read(&path).unwrap(), pdf);
    let bad = r.add_attachment(
        owner,
        Purpose::Licence,
        "执照.pdf",
        b"\x89PNG\r\n\x1a\nxxxx",
        &on("2026-11-02"),
    );
    assert_eq!(codes(bad.unwrap_err()), ["file_type_mismatch"]);
    let detail = r.application_detail(app.id, day("2026-11-03")).unwrap();
    assert_eq!(detail.attachments.len(), 1);
    assert_eq!(detail.attachments[0].kind.zh, "PDF 文档");
    // Opened only while it is what it says: a file changed on disk into a program is not.
    assert_eq!(r.attachment_to_open(a.id).unwrap(), path);
    std::fs::write(&path, b"MZ\x90\0 a program now").unwrap();
    assert_eq!(
        codes(r.attachment_to_open(a.id).unwrap_err()),
        ["attachment_not_opened"]
    );
    // A name with a direction override is kept without it, and judged as it then reads.
    let hidden = r.add_attachment(
        owner,
        Purpose::Other,
        "invoice\u{202E}fdp.exe",
        pdf,
        &on("2026-11-02"),
    );
    assert_eq!(codes(hidden.unwrap_err()), ["file_type_not_allowed"]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        codes(r.attachment_path(a.id).unwrap_err()),
        ["attachment_missing"]
    );
}

#[test]
fn a_chosen_file_is_measured_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open(&dir.path().join("registry.db")).unwrap();
    let m = member(&mut r, "成员单位", "2020-01-01");
    let owner = cceaa_core::db::Owner::Member(m);
    // A sparse 26 MB file: refused by its size on disk, without reading it.
    let big = dir.path().join("会议录像.pdf");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(26 * 1024 * 1024)
        .unwrap();
    let refused = r.add_attachment_file(owner, Purpose::Other, &big, &on("2026-11-02"));
    assert_eq!(codes(refused.unwrap_err()), ["file_too_large"]);
    let gone = r.add_attachment_file(
        owner,
        Purpose::Other,
        &dir.path().join("不存在.pdf"),
        &on("2026-11-02"),
    );
    assert_eq!(codes(gone.unwrap_err()), ["file_unreadable"]);
    let scan = dir.path().join("退出通知.pdf");
    std::fs::write(&scan, b"%PDF-1.4\n%notice\n").unwrap();
    let kept = r
        .add_attachment_file(owner, Purpose::WithdrawalNotice, &scan, &on("2026-11-02"))
        .unwrap();
    assert_eq!(kept.file_name, "退出通知.pdf");
    assert_eq!(
        r.member_detail(m, day("2026-11-03"))
            .unwrap()
            .attachments
            .len(),
        1
    );
}

#[test]
fn the_member_timeline_runs_from_application_to_leaving() {
    let mut r = Registry::open_in_memory().unwrap();
    let (ids, _) = presidium(&mut r, 1);
    let app = r
        .create_application(
            &application("时间线单位", "", &[ids[0]], "2024-01-02"),
            &on("2024-01-02"),
        )
        .unwrap();
    let m = r
        .approve_application(app.id, &decided("2024-01-10"), &on("2024-01-10"))
        .unwrap()
        .member
        .id;
    let a = activity(&mut r, "年度工作会议", "2024-06-01");
    r.add_attendance(a, m, "赵六", &on("2024-06-01")).unwrap();
    let motion = MotionInput {
        kind: MotionKind::Admission,
        member_id: Some(m),
        nominators: vec![ids[0]],
        vote_date: "2024-07-01".into(),
        votes: votes(&ids, 1),
        ..Default::default()
    };
    r.record_motion(&motion, &on("2024-07-01")).unwrap();
    r.start_chair_term(ids[0], "2024-08-01", &on("2024-08-01"))
        .unwrap();
    r.start_chair_term(m, "2025-08-01", &on("2025-08-01"))
        .unwrap();
    r.withdraw_member(m, &leave("2026-01-05"), &on("2026-01-05"))
        .unwrap();
    let kinds: Vec<TimelineKind> = r.timeline(m).unwrap().into_iter().map(|e| e.kind).collect();
    use TimelineKind::*;
    assert_eq!(
        kinds,
        [
            Application,
            Application,
            Application,
            Joined,
            Certificate,
            Activity,
            Presidium,
            Vote,
            Chair,
            Left,
            Certificate,
            Presidium
        ]
    );
    let detail = r.member_detail(m, day("2026-01-06")).unwrap();
    assert_eq!(detail.certificates.len(), 1);
    assert!(r
        .rotation(day("2026-01-06"))
        .unwrap()
        .order
        .iter()
        .all(|o| o.id != m));
}

#[test]
fn a_registry_from_before_the_workflows_is_upgraded_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!("../../migrations/0001_init.sql"))
            .unwrap();
        c.execute_batch(
            "PRAGMA user_version = 1; PRAGMA application_id = 1128482113;
             INSERT INTO member (member_no, name, kind, origin, tier, founding, status, joined,
                created_at, updated_at)
             VALUES ('00001', '华为技术 有限公司', 'enterprise', 'domestic', 'presidium', 1,
                'active', '2016-05-01', '2024-01-01 09:00:00', '2024-01-01 09:00:00'),
                    ('00002', '已退单位', 'enterprise', 'domestic', 'ordinary', 0,
                'withdrawn', '2017-01-01', '2024-01-01 09:00:00', '2024-03-01 09:00:00');",
        )
        .unwrap();
    }
    let r = Registry::open(&path).unwrap();
    assert_eq!(r.schema_version().unwrap(), 2);
    let p = r.presidium_on(day("2020-01-01")).unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(
        r.rotation(day("2026-01-01")).unwrap().order[0].name,
        "华为技术 有限公司"
    );
    let flags = r
        .applicant_flags(
            &MemberInput {
                name: "华为技术有限公司".into(),
                ..Default::default()
            },
            None,
        )
        .unwrap();
    assert!(
        matches!(flags.as_slice(), [Flag::ActiveMember { .. }]),
        "name keys were filled in"
    );
    let t = r.timeline(2).unwrap();
    assert_eq!(t.last().unwrap().kind, TimelineKind::Left);
    assert_eq!(t.last().unwrap().date, day("2024-03-01"));
}

#[test]
fn art8_two_programs_starting_a_term_at_once_record_one() {
    // The app and the CLI (here: eight connections to one file) each start a term for the
    // same member, on different days, released together: the rules run inside the write
    // lock, so the first term is recorded and the others are refused as a second turn in
    // the same round.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.db");
    let ids = {
        let mut r = Registry::open(&path).unwrap();
        presidium(&mut r, 3).0
    };
    let start = std::sync::Arc::new(std::sync::Barrier::new(8));
    let results: Vec<Result<(), String>> = (1..=8)
        .map(|day_of_month| {
            let path = path.clone();
            let start = start.clone();
            let member = ids[0];
            std::thread::spawn(move || {
                let mut r = Registry::open(&path).unwrap();
                let since = format!("2026-01-{day_of_month:02}");
                start.wait();
                r.start_chair_term(member, &since, &on("2026-01-10"))
                    .map(|_| ())
                    .map_err(|e| e.code().to_string())
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let r = Registry::open(&path).unwrap();
    assert_eq!(r.rotation(day("2026-01-10")).unwrap().terms.len(), 1);
}
