//! Writes a registry that uses every kind of record, for the upgrade test: members (rare
//! characters, Latin and Cyrillic names), applications with attachments, certificates (one
//! reissued, one revoked), presidium votes, chair terms, activities with attendance, excused
//! absences, a withdrawal, an expulsion and the audit log that all of it leaves.
//!
//! `cargo run -p cceaa-core --example upgrade_fixture -- DIR` fills the empty folder DIR and
//! writes `DIR/verifications.txt`: one line per certificate, its QR text, then whether it is
//! revoked. The folder made by a released version is committed under
//! `tests/fixtures/registry-<version>/` and opened by every later version
//! (`core/tests/upgrade.rs`); it is never regenerated in place.

use std::fmt::Write as _;
use std::path::PathBuf;

use cceaa_core::db::Owner;
use cceaa_core::documents::verify::{self, Key};
use cceaa_core::presidium::CastVote;
use cceaa_core::{
    ActivityInput, ActivityKind, ApplicationInput, Decision, Kind, LeaveInput, MemberInput,
    MotionInput, MotionKind, Origin, Purpose, Registry, Stamp, Tier, VoteChoice,
};
use chrono::NaiveDate;

fn on(date: &str) -> Stamp {
    Stamp {
        at: NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .expect("a fixture date")
            .and_hms_opt(9, 30, 0)
            .expect("a time"),
        actor: "秘书处-张敏".into(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: upgrade_fixture DIR")?,
    );
    std::fs::create_dir_all(&dir)?;
    if std::fs::read_dir(&dir)?.next().is_some() {
        return Err(format!("{} is not empty", dir.display()).into());
    }
    let mut r = Registry::open(&dir.join(cceaa_core::paths::DATABASE_FILE))?;

    let mut add = |input: MemberInput, joined: &str| -> Result<i64, cceaa_core::Error> {
        Ok(r.create_member(
            &MemberInput {
                joined: joined.into(),
                ..input
            },
            &on(joined),
        )?
        .id)
    };
    let founding = |name: &str, uscc: &str| MemberInput {
        name: name.into(),
        uscc: uscc.into(),
        kind: Kind::Enterprise,
        tier: Tier::Presidium,
        founding: true,
        ..Default::default()
    };
    let f1 = add(
        MemberInput {
            name_en: "Huawei Technologies Co., Ltd.".into(),
            city: "深圳".into(),
            liaison_name: "王小明".into(),
            liaison_phone: "138 0013 8000".into(),
            liaison_email: "wang.xm@example.com".into(),
            ..founding("华为技术有限公司", "914403001922038216")
        },
        "2015-01-01",
    )?;
    let f2 = add(
        founding("中兴通讯股份有限公司", "91440300708461136T"),
        "2015-01-01",
    )?;
    let f3 = add(
        founding("上海跨境电子商务公共服务有限公司", "9131000052601815X4"),
        "2015-01-01",
    )?;
    let rare = add(
        MemberInput {
            name: "𠮷祥跨境供应链（深圳）有限公司".into(),
            kind: Kind::Enterprise,
            city: "深圳".into(),
            liaison_name: "㐀明".into(),
            intro: "经营𠮷祥牌跨境商品；联络人㐀明。\n第二段：海外仓。".into(),
            ..Default::default()
        },
        "2019-04-01",
    )?;
    let russian = add(
        MemberInput {
            name: "ООО «Росэкспорт Онлайн»".into(),
            name_en: "Rosexport Online LLC".into(),
            origin: Origin::Overseas,
            region: "俄罗斯".into(),
            city: "Москва".into(),
            registration_no: "1027700132195".into(),
            liaison_name: "Иван Петров".into(),
            ..Default::default()
        },
        "2020-07-15",
    )?;
    let leaver = add(
        MemberInput {
            name: "厦门市跨境电子商务协会".into(),
            uscc: "913502001318609168".into(),
            kind: Kind::IndustryOrganisation,
            ..Default::default()
        },
        "2017-09-12",
    )?;
    let expelled = add(
        MemberInput {
            name: "南宁东盟跨境物流有限公司".into(),
            uscc: "914501009482199398".into(),
            kind: Kind::Enterprise,
            ..Default::default()
        },
        "2019-11-02",
    )?;
    let candidate = add(
        MemberInput {
            name: "杭州综合试验区跨境电商产业园".into(),
            uscc: "91330100908301663H".into(),
            kind: Kind::IndustrialPark,
            ..Default::default()
        },
        "2016-03-01",
    )?;

    // An edit, so the audit log holds a change with its values before and after, and the
    // liaison history a second period.
    let mut edited = r.member(russian)?.to_input();
    edited.liaison_name = "Анна Смирнова".into();
    edited.liaison_phone = "+7 495 123-45-67".into();
    edited.liaison_since = "2021-02-01".into();
    r.update_member(russian, &edited, &on("2021-02-01"))?;

    // Certificates: every member's first, one reissued, and later one revoked on leaving.
    for id in [f1, f2, f3, rare, russian, leaver, expelled, candidate] {
        r.issue_certificate(id, "2024-01-10", &on("2024-01-10"))?;
    }
    r.reissue_certificate(rare, "遗失", &on("2025-03-03"))?;

    // The presidium: an admission vote, the rotation and two chair terms.
    let yes = |ids: &[i64]| -> Vec<CastVote> {
        ids.iter()
            .map(|&member_id| CastVote {
                member_id,
                choice: VoteChoice::Yes,
            })
            .collect()
    };
    r.record_motion(
        &MotionInput {
            kind: MotionKind::Admission,
            member_id: Some(candidate),
            nominators: vec![f1],
            vote_date: "2024-06-01".into(),
            votes: yes(&[f1, f2]),
            ..Default::default()
        },
        &on("2024-06-02"),
    )?;
    r.set_rotation_order(&[f1, f2, f3, candidate], &on("2024-06-03"))?;
    r.start_chair_term(f1, "2024-07-01", &on("2024-07-01"))?;
    r.start_chair_term(f2, "2025-07-01", &on("2025-07-01"))?;

    // Activities with attendance, and an excused absence.
    let meeting = r.create_activity(
        &ActivityInput {
            kind: ActivityKind::AnnualMeeting,
            title: "2025年度工作会议".into(),
            date: "2025-03-20".into(),
            place: "上海国际会议中心".into(),
            notes: String::new(),
        },
        &on("2025-03-01"),
    )?;
    for (id, person) in [
        (f1, "王小明"),
        (f2, ""),
        (rare, "㐀明"),
        (russian, "Иван Петров"),
    ] {
        r.add_attendance(meeting.id, id, person, &on("2025-03-20"))?;
    }
    let training = r.create_activity(
        &ActivityInput {
            kind: ActivityKind::Training,
            title: "跨境电商海外仓运营培训".into(),
            date: "2025-09-10".into(),
            place: "杭州".into(),
            notes: "线上线下同步".into(),
        },
        &on("2025-09-01"),
    )?;
    r.add_attendance(training.id, candidate, "周杰", &on("2025-09-10"))?;
    r.add_excused(
        f3,
        "2025-04-01",
        "2025-06-30",
        "海外展会筹备，经秘书处同意",
        &on("2025-03-25"),
    )?;

    // Leaving: a withdrawal by written notice and an expulsion by vote (Art. 13).
    r.withdraw_member(
        leaver,
        &LeaveInput {
            date: "2025-10-08".into(),
            note: "书面通知退出".into(),
        },
        &on("2025-10-09"),
    )?;
    r.record_motion(
        &MotionInput {
            kind: MotionKind::Expulsion,
            member_id: Some(expelled),
            vote_date: "2025-11-01".into(),
            votes: yes(&[f1, f2, f3]),
            report: "经核实：冒用联盟名义开展商业活动。".into(),
            ..Default::default()
        },
        &on("2025-11-02"),
    )?;

    // Applications: one approved with its licence scan, one waiting with two attachments.
    let application = |name: &str, uscc: &str, received: &str| ApplicationInput {
        applicant: MemberInput {
            name: name.into(),
            uscc: uscc.into(),
            kind: Kind::Enterprise,
            head_name: "张伟".into(),
            head_email: "zhangwei@example.cn".into(),
            ..Default::default()
        },
        recommenders: vec![f1],
        received: received.into(),
        ..Default::default()
    };
    let approved = r.create_application(
        &application("宁波保税区跨境电商服务有限公司", "", "2026-10-08"),
        &on("2026-10-08"),
    )?;
    r.add_attachment(
        Owner::Application(approved.id),
        Purpose::Licence,
        "营业执照（扫描件）.pdf",
        b"%PDF-1.4\n% licence scan of the approved applicant\n",
        &on("2026-10-08"),
    )?;
    r.approve_application(
        approved.id,
        &Decision {
            date: "2026-10-20".into(),
            ..Default::default()
        },
        &on("2026-10-20"),
    )?;
    let waiting = r.create_application(
        &application("𪚥龍跨境数字贸易有限公司", "", "2026-11-18"),
        &on("2026-11-18"),
    )?;
    r.add_attachment(
        Owner::Application(waiting.id),
        Purpose::Licence,
        "执照.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89",
        &on("2026-11-18"),
    )?;
    r.add_attachment(
        Owner::Application(waiting.id),
        Purpose::Introduction,
        "单位简介.txt",
        "𪚥龍跨境：面向东盟的数字贸易服务商。\n".as_bytes(),
        &on("2026-11-18"),
    )?;

    // What each certificate's QR code says, as a clerk would scan it from the paper.
    let key = Key::load_or_create(&dir)?;
    let mut lines = String::new();
    for id in [f1, f2, f3, rare, russian, leaver, expelled, candidate] {
        for c in r.certificates(id)? {
            let text = verify::payload(&c.number, &key.code(&c.number, id, c.issued));
            let state = if c.revoked.is_some() {
                "revoked"
            } else {
                "valid"
            };
            writeln!(lines, "{text}\t{state}")?;
        }
    }
    let approved = r.application(approved.id)?;
    if let Some(id) = approved.member_id {
        for c in r.certificates(id)? {
            let text = verify::payload(&c.number, &key.code(&c.number, id, c.issued));
            writeln!(lines, "{text}\tvalid")?;
        }
    }
    std::fs::write(dir.join("verifications.txt"), lines)?;
    r.integrity_check()?;
    drop(r);
    println!("{}", dir.display());
    Ok(())
}
