//! Leaving the alliance (charter Art. 13) and the member's timeline: everything that happened
//! to a unit, from its application to its leaving, in date order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Problem};
use crate::field::Field;
use crate::labelled::labelled_enum;
use crate::lang::Text;

labelled_enum!(
    /// How a membership ended.
    LeaveReason {
        Withdrawal => "withdrawal", "书面通知退出", "Withdrawal by written notice";
        DeemedWithdrawal => "deemed_withdrawal", "视为自动退出", "Deemed withdrawal";
        Expulsion => "expulsion", "除名", "Expulsion";
    }
);

impl LeaveReason {
    /// The charter article behind it, for the audit log.
    pub fn article(self) -> Text {
        match self {
            LeaveReason::Withdrawal | LeaveReason::DeemedWithdrawal => {
                Text::new("第十三条（一）", "Art. 13(1)")
            }
            LeaveReason::Expulsion => Text::new("第十三条（二）", "Art. 13(2)"),
        }
    }
}

/// What the clerk enters when a member leaves by notice or is deemed to have withdrawn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct LeaveInput {
    /// The date of the written notice, or of the secretariat's confirmation; `YYYY-MM-DD`.
    pub date: String,
    pub note: String,
}

labelled_enum!(
    /// The kinds of event on a member's timeline.
    TimelineKind {
        Application => "application", "入盟申请", "Application";
        Joined => "joined", "入盟", "Joined";
        Certificate => "certificate", "成员证书", "Certificate";
        Presidium => "presidium", "主席团", "Presidium";
        Vote => "vote", "主席团表决", "Presidium vote";
        Chair => "chair", "轮值主席", "Rotating chair";
        Activity => "activity", "活动", "Activity";
        Excused => "excused", "请假", "Excused absence";
        Liaison => "liaison", "联络员", "Liaison";
        Left => "left", "退出", "Left";
    }
);

/// One dated event in a member's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineEvent {
    pub date: NaiveDate,
    pub kind: TimelineKind,
    pub text: Text,
}

/// Only an active member leaves.
pub fn not_a_member(name: &str) -> Error {
    Error::refused(
        ErrorCode::NotAMember,
        format!("“{name}”目前不是在册成员，无需办理退出。"),
        format!("'{name}' is not an active member, so it cannot leave."),
    )
}

/// A membership ends no earlier than it began.
pub fn check_leave_date(date: NaiveDate, since: NaiveDate) -> crate::error::Result<()> {
    if date >= since {
        return Ok(());
    }
    Err(Error::invalid(Problem::new(
        Field::Date,
        "date_before_membership",
        format!("退出日期 {date} 早于本次入盟日期 {since}，请检查。"),
        format!("{date} is before this membership began ({since}); check the date."),
    )))
}

/// What the audit log says of a withdrawal by written notice (Art. 13(1)).
pub fn withdrawal_summary(date: NaiveDate) -> Text {
    Text::new(
        format!("第十三条（一）：书面通知退出，通知日期 {date}"),
        format!("Art. 13(1) withdrawal by written notice of {date}"),
    )
}

/// One thing the registry recorded about a member, as the store found it: what a timeline
/// event is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// A step of application number `application` (its state's key, and the note).
    Application {
        application: i64,
        state: String,
        note: String,
    },
    Joined,
    Left {
        reason: LeaveReason,
        note: String,
    },
    CertificateIssued {
        number: String,
    },
    CertificateRevoked {
        number: String,
    },
    JoinedPresidium {
        founding: bool,
    },
    LeftPresidium,
    /// A presidium vote about the member (the motion kind's key).
    Vote {
        kind: String,
        yes: u32,
        in_office: u32,
        passed: bool,
    },
    Chair {
        until: NaiveDate,
    },
    Attended {
        title: String,
        person: String,
    },
    Excused {
        until: NaiveDate,
        reason: String,
    },
    Liaison {
        name: String,
    },
}

/// `: note` in the two languages' punctuation, or nothing for no note.
fn with_note(note: &str) -> (String, String) {
    if note.is_empty() {
        (String::new(), String::new())
    } else {
        (format!("：{note}"), format!(": {note}"))
    }
}

/// A stored key's label, or the key itself where this version does not know it.
fn label_or_key(label: Option<Text>, key: &str) -> Text {
    label.unwrap_or_else(|| Text::new(key, key))
}

/// The member's timeline from the facts in the order the store gathered them, sorted by date;
/// on one day, events keep that order (application before joining before the certificate).
/// A decided application state recorded a second time is the notice to the responsible
/// person (Art. 10(3)), not a second decision.
pub fn events(facts: Vec<(NaiveDate, Fact)>) -> Vec<TimelineEvent> {
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<TimelineEvent> = facts
        .into_iter()
        .map(|(date, fact)| {
            let repeated = match &fact {
                Fact::Application {
                    application, state, ..
                } => !seen.insert((*application, state.clone())),
                _ => false,
            };
            let (kind, text) = describe(&fact, repeated);
            TimelineEvent { date, kind, text }
        })
        .collect();
    out.sort_by_key(|e| e.date);
    out
}

/// What one fact says on the timeline; `repeated` for an application state seen before.
pub fn describe(fact: &Fact, repeated: bool) -> (TimelineKind, Text) {
    use TimelineKind as K;
    let t = |zh: String, en: String| Text::new(zh, en);
    match fact {
        Fact::Application { application, .. } if repeated => (
            K::Application,
            t(
                format!("入盟申请第 {application} 号：已通知负责人（第十条第三项）"),
                format!(
                    "Application no. {application}: the responsible person was notified (Art. 10(3))"
                ),
            ),
        ),
        Fact::Application {
            application,
            state,
            note,
        } => {
            let label = label_or_key(
                crate::application::ApplicationState::parse(state).map(|s| s.label()),
                state,
            );
            let (zn, en) = with_note(note);
            (
                K::Application,
                t(
                    format!("入盟申请第 {application} 号 {}{zn}", label.zh),
                    format!(
                        "Application no. {application} {}{en}",
                        label.en.to_lowercase()
                    ),
                ),
            )
        }
        Fact::Joined => (K::Joined, Text::new("成为本联盟成员", "Became a member")),
        Fact::Left { reason, note } => {
            let (l, a) = (reason.label(), reason.article());
            let (zn, en) = with_note(note);
            (
                K::Left,
                t(
                    format!("{}{}{zn}", a.zh, l.zh),
                    format!("{} {}{en}", a.en, l.en.to_lowercase()),
                ),
            )
        }
        Fact::CertificateIssued { number } => (
            K::Certificate,
            t(
                format!("颁发成员证书 {number}"),
                format!("Certificate {number} issued"),
            ),
        ),
        Fact::CertificateRevoked { number } => (
            K::Certificate,
            t(
                format!("成员证书 {number} 失效"),
                format!("Certificate {number} revoked"),
            ),
        ),
        Fact::JoinedPresidium { founding: true } => (
            K::Presidium,
            Text::new(
                "作为主发起人成为主席团成员",
                "Presidium member by right as a founding initiator",
            ),
        ),
        Fact::JoinedPresidium { founding: false } => (
            K::Presidium,
            Text::new("成为主席团成员", "Became a presidium member"),
        ),
        Fact::LeftPresidium => (
            K::Presidium,
            Text::new("离开主席团", "Left the presidium"),
        ),
        Fact::Vote {
            kind,
            yes,
            in_office,
            passed,
        } => {
            let k = label_or_key(
                crate::presidium::MotionKind::parse(kind).map(|k| k.label()),
                kind,
            );
            let (rz, re) = if *passed {
                ("通过", "passed")
            } else {
                ("未通过", "failed")
            };
            (
                K::Vote,
                t(
                    format!("主席团表决（{}）：{in_office} 人中 {yes} 票赞成，{rz}", k.zh),
                    format!(
                        "Presidium vote ({}): {yes} of {in_office} yes, {re}",
                        k.en.to_lowercase()
                    ),
                ),
            )
        }
        Fact::Chair { until } => (
            K::Chair,
            t(
                format!("担任轮值主席（至 {until}）"),
                format!("Rotating chair (until {until})"),
            ),
        ),
        Fact::Attended { title, person } => {
            let (pz, pe) = if person.is_empty() {
                (String::new(), String::new())
            } else {
                (format!("（{person}）"), format!(" ({person})"))
            };
            (
                K::Activity,
                t(
                    format!("参加“{title}”{pz}"),
                    format!("Attended '{title}'{pe}"),
                ),
            )
        }
        Fact::Excused { until, reason } => (
            K::Excused,
            t(
                format!("请假至 {until}：{reason}"),
                format!("Excused until {until}: {reason}"),
            ),
        ),
        Fact::Liaison { name } => (
            K::Liaison,
            t(format!("联络员：{name}"), format!("Liaison: {name}")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn art10_a_decision_recorded_twice_is_the_notice_to_the_applicant() {
        let step = || Fact::Application {
            application: 7,
            state: "approved".into(),
            note: String::new(),
        };
        let events = events(vec![(day(2), step()), (day(3), step())]);
        assert_eq!(events[0].text.en, "Application no. 7 approved");
        assert!(
            events[1].text.zh.contains("已通知负责人"),
            "{:?}",
            events[1]
        );
    }

    #[test]
    fn events_are_in_date_order_and_keep_their_order_within_a_day() {
        let events = events(vec![
            (
                day(5),
                Fact::Liaison {
                    name: "王芳".into(),
                },
            ),
            (day(1), Fact::Joined),
            (
                day(1),
                Fact::CertificateIssued {
                    number: "CCEAA-2026-001".into(),
                },
            ),
        ]);
        let kinds: Vec<TimelineKind> = events.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                TimelineKind::Joined,
                TimelineKind::Certificate,
                TimelineKind::Liaison
            ]
        );
        assert_eq!(events[2].text.zh, "联络员：王芳");
    }

    #[test]
    fn a_key_this_version_does_not_know_is_shown_as_it_is() {
        let (_, text) = describe(
            &Fact::Vote {
                kind: "merger".into(),
                yes: 3,
                in_office: 5,
                passed: true,
            },
            false,
        );
        assert_eq!(text.en, "Presidium vote (merger): 3 of 5 yes, passed");
    }
}
