//! The presidium's votes (charter Art. 8 and 13(2)): admission of an ordinary member to the
//! presidium, and expulsion of a member, both decided by "more than half of all presidium
//! members" (过半数主席团成员表决通过).
//!
//! "All" is the point: the majority is counted against every presidium member in office on
//! the vote date, not against those present. Absent and abstaining members therefore count
//! against a motion, and a vote exactly at half fails.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Problem};
use crate::field::Field;
use crate::lang::Text;
use crate::member::MemberRef;

/// How one presidium member voted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VoteChoice {
    Yes,
    No,
    Abstain,
    /// Did not take part. A member with no recorded vote counts as absent.
    Absent,
}

impl VoteChoice {
    pub const ALL: &'static [VoteChoice] = &[
        VoteChoice::Yes,
        VoteChoice::No,
        VoteChoice::Abstain,
        VoteChoice::Absent,
    ];

    pub fn label(self) -> crate::lang::Text {
        let (zh, en) = match self {
            VoteChoice::Yes => ("赞成", "Yes"),
            VoteChoice::No => ("反对", "No"),
            VoteChoice::Abstain => ("弃权", "Abstain"),
            VoteChoice::Absent => ("缺席", "Absent"),
        };
        crate::lang::Text::new(zh, en)
    }

    pub fn key(self) -> &'static str {
        match self {
            VoteChoice::Yes => "yes",
            VoteChoice::No => "no",
            VoteChoice::Abstain => "abstain",
            VoteChoice::Absent => "absent",
        }
    }

    pub fn parse(s: &str) -> Option<VoteChoice> {
        [
            VoteChoice::Yes,
            VoteChoice::No,
            VoteChoice::Abstain,
            VoteChoice::Absent,
        ]
        .into_iter()
        .find(|v| v.key() == s.trim())
    }
}

/// The count of a vote and what it decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Tally {
    /// Presidium members in office on the vote date: the base of the majority.
    pub in_office: u32,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    /// In office but with no vote, or recorded as absent.
    pub absent: u32,
    pub passed: bool,
}

impl Tally {
    /// Counts `votes` (one per presidium member in office; members without a vote are
    /// absent). Passed only when yes-votes are more than half of `in_office`.
    pub fn count(in_office: u32, votes: &[VoteChoice]) -> Tally {
        let n = |c: VoteChoice| votes.iter().filter(|v| **v == c).count() as u32;
        let (yes, no, abstain) = (
            n(VoteChoice::Yes),
            n(VoteChoice::No),
            n(VoteChoice::Abstain),
        );
        Tally {
            in_office,
            yes,
            no,
            abstain,
            absent: in_office.saturating_sub(yes + no + abstain),
            passed: in_office > 0 && 2 * yes > in_office,
        }
    }

    /// The tally as the audit log names it, e.g. "7 of 11 yes".
    pub fn summary(&self) -> String {
        format!("{} of {} yes", self.yes, self.in_office)
    }
}

crate::labelled::labelled_enum!(
    /// What a presidium vote decides: admitting an ordinary member to the presidium (Art. 8)
    /// or expelling a member (Art. 13(2)).
    MotionKind {
        Admission => "admission", "增补主席团成员", "Admission to the presidium";
        Expulsion => "expulsion", "除名", "Expulsion";
    }
);

/// A vote as the clerk records it, after the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MotionInput {
    pub kind: MotionKind,
    /// The candidate (admission) or the member to be expelled.
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    /// The nominating presidium members (admission only; at least one).
    #[ts(type = "number[]")]
    pub nominators: Vec<i64>,
    /// `YYYY-MM-DD`.
    pub vote_date: String,
    /// Each presidium member's vote, by member id. Members in office who are not listed are
    /// counted as absent.
    pub votes: Vec<CastVote>,
    /// For an expulsion: the secretariat's report of what was verified (Art. 13(2)).
    pub report: String,
}

impl MotionInput {
    /// The nominators that count: an admission's (Art. 8). An expulsion has none, so ids
    /// left over from an admission form are neither looked up nor stored.
    pub fn counted_nominators(&self) -> &[i64] {
        match self.kind {
            MotionKind::Admission => &self.nominators,
            MotionKind::Expulsion => &[],
        }
    }
}

impl Default for MotionInput {
    fn default() -> Self {
        MotionInput {
            kind: MotionKind::Admission,
            member_id: None,
            nominators: Vec::new(),
            vote_date: String::new(),
            votes: Vec::new(),
            report: String::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CastVote {
    #[ts(type = "number")]
    pub member_id: i64,
    pub choice: VoteChoice,
}

/// A recorded vote with its computed result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Motion {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: MotionKind,
    pub member: MemberRef,
    pub vote_date: NaiveDate,
    pub report: String,
    pub tally: Tally,
    pub nominators: Vec<MemberRef>,
    pub votes: Vec<MemberVote>,
    pub at: String,
    pub actor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberVote {
    pub member: MemberRef,
    pub choice: VoteChoice,
}

/// A term as rotating chair (轮值主席).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChairTerm {
    pub member: MemberRef,
    pub since: NaiveDate,
    pub until: NaiveDate,
}

/// The rotation as the presidium screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Rotation {
    /// The members in rotation order.
    pub order: Vec<MemberRef>,
    /// Ids in `order` who have chaired in the current round.
    #[ts(type = "number[]")]
    pub chaired_this_round: Vec<i64>,
    pub current: Option<ChairTerm>,
    pub next: Option<MemberRef>,
    /// Every term, newest first.
    pub terms: Vec<ChairTerm>,
    pub term_months: u32,
}

/// The presidium screen: who is in office, the rotation, and the votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PresidiumView {
    pub in_office: Vec<MemberRef>,
    pub rotation: Rotation,
    /// Newest first.
    pub motions: Vec<Motion>,
}

/// Art. 8: a founding initiator is a presidium member by right (the audit log's words).
pub fn founding_by_right() -> Text {
    Text::new(
        "第八条：主发起人为当然的主席团成员",
        "Art. 8: founding initiators are presidium members by right",
    )
}

/// No presidium vote has this id.
pub fn not_found(id: i64) -> Error {
    Error::not_found("主席团表决", "presidium vote", id)
}

/// What the store knows that a motion's rules need, gathered for [`check_motion`].
#[derive(Debug, Clone)]
pub struct MotionFacts<'a> {
    pub date: NaiveDate,
    /// The member the vote is about, and whether it was an active member on `date`.
    pub member: Option<(&'a MemberRef, bool)>,
    /// The presidium members in office on `date` (Art. 8: the majority is of these).
    pub in_office: &'a [MemberRef],
    /// The name of every nominator and voter, by member id.
    pub names: &'a std::collections::HashMap<i64, String>,
}

/// The vote's date and its member, which every other check needs: the date must be given
/// (and not later than `today`), and the member chosen.
pub fn check_motion_input(
    input: &MotionInput,
    today: NaiveDate,
) -> (Option<NaiveDate>, Vec<Problem>) {
    let mut problems = Vec::new();
    let date = if input.vote_date.trim().is_empty() {
        problems.push(Problem::new(
            Field::Date,
            "date_missing",
            "请填写表决日期。",
            "Enter the date of the vote.",
        ));
        None
    } else {
        crate::member::parse_date(Field::Date, &input.vote_date, today, &mut problems)
    };
    if input.member_id.is_none() {
        problems.push(Problem::new(
            Field::Candidate,
            "required",
            "请选择表决所涉及的成员。",
            "Choose the member the vote is about.",
        ));
    }
    (date, problems)
}

/// No vote can be held on a day with no presidium member in office.
pub fn no_presidium(date: NaiveDate) -> Error {
    Error::refused(
        crate::error::ErrorCode::NoPresidium,
        format!("{date} 没有在任的主席团成员，无法表决。请先登记主发起人等主席团成员。"),
        format!("No presidium members were in office on {date}, so there can be no vote. Record the founding initiators first."),
    )
}

/// Art. 8 and 13(2) for a recorded vote: an admission's candidate is an active ordinary
/// member nominated by presidium members, an expulsion's member is active and comes with the
/// secretariat's report, and only presidium members in office vote, once each.
pub fn check_motion(input: &MotionInput, facts: &MotionFacts) -> Vec<Problem> {
    let date = facts.date;
    let in_office = |id: &i64| facts.in_office.iter().any(|m| m.id == *id);
    let name = |id: &i64| facts.names.get(id).cloned().unwrap_or_default();
    let mut problems = Vec::new();
    if let Some((m, active_then)) = facts.member {
        let active_then = active_then && m.status == crate::member::Status::Active;
        match input.kind {
            MotionKind::Admission if !active_then || m.tier != crate::member::Tier::Ordinary => problems.push(Problem::new(
                Field::Candidate,
                "candidate_not_ordinary",
                format!("“{}”须是表决日在册的普通成员，才能被增补为主席团成员（第八条）。", m.name),
                format!("'{}' must be an active ordinary member on the vote date to join the presidium (Art. 8).", m.name),
            )),
            MotionKind::Expulsion if !active_then => problems.push(Problem::new(
                Field::Candidate,
                "not_a_member",
                format!("“{}”在表决日不是在册成员，无法除名。", m.name),
                format!("'{}' was not an active member on the vote date and cannot be expelled.", m.name),
            )),
            _ => {}
        }
    }
    match input.kind {
        MotionKind::Admission => {
            if input.nominators.is_empty() {
                problems.push(Problem::new(Field::Nominators, "nominator_missing", "须由主席团成员提名（第八条），请选择提名人。", "A presidium member must nominate the candidate (Art. 8); choose the nominators."));
            }
            for n in input.nominators.iter().filter(|n| !in_office(n)) {
                problems.push(Problem::new(
                    Field::Nominators,
                    "nominator_not_presidium",
                    format!("提名人“{}”在 {date} 不是主席团成员。", name(n)),
                    format!(
                        "The nominator '{}' was not a presidium member on {date}.",
                        name(n)
                    ),
                ));
            }
        }
        MotionKind::Expulsion => {
            if crate::text::clean_multiline(&input.report).is_empty() {
                problems.push(Problem::new(Field::Reason, "report_required", "除名须附秘书处的核实报告（第十三条第二项），请填写报告摘要，并可附上报告文件。", "An expulsion needs the secretariat's report of what was verified (Art. 13(2)): summarise it here and attach the file if there is one."));
            }
        }
    }
    let mut seen = Vec::new();
    for v in &input.votes {
        if seen.contains(&v.member_id) {
            problems.push(Problem::new(
                Field::Votes,
                "vote_twice",
                format!("“{}”的表决被记录了两次。", name(&v.member_id)),
                format!("'{}' has two votes recorded.", name(&v.member_id)),
            ));
        } else if !in_office(&v.member_id) {
            problems.push(Problem::new(
                Field::Votes,
                "voter_not_presidium",
                format!(
                    "“{}”在 {date} 不是主席团成员，不能参加表决。",
                    name(&v.member_id)
                ),
                format!(
                    "'{}' was not a presidium member on {date} and cannot vote.",
                    name(&v.member_id)
                ),
            ));
        }
        seen.push(v.member_id);
    }
    problems
}

/// What the audit log says of a vote's outcome.
pub fn motion_summary(kind: MotionKind, tally: &Tally, date: NaiveDate) -> Text {
    let (yes, n) = (tally.yes, tally.in_office);
    match (kind, tally.passed) {
        (MotionKind::Admission, true) => Text::new(
            format!("第八条：增补为主席团成员，{date} 表决：{n} 人中 {yes} 票赞成，通过"),
            format!("Art. 8 admission to the presidium, vote of {date}: {yes} of {n} yes, passed"),
        ),
        (MotionKind::Expulsion, true) => Text::new(
            format!("第十三条（二）：除名，{date} 表决：{n} 人中 {yes} 票赞成"),
            format!("Art. 13(2) expulsion, vote of {date}: {yes} of {n} yes"),
        ),
        (kind, false) => {
            let label = kind.label();
            Text::new(
                format!(
                    "主席团表决（{}）未通过，{date}：{n} 人中 {yes} 票赞成，未过半数",
                    label.zh
                ),
                format!(
                    "Presidium vote ({}) failed on {date}: {yes} of {n} yes, not more than half",
                    label.en.to_lowercase()
                ),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::VoteChoice::*;
    use super::*;

    #[test]
    fn art8_more_than_half_of_all_presidium_members_passes() {
        assert!(
            Tally::count(11, &[Yes; 6]).passed,
            "6 of 11 is more than half"
        );
        assert!(Tally::count(3, &[Yes, Yes, No]).passed);
    }

    #[test]
    fn art8_a_vote_exactly_at_half_fails() {
        let t = Tally::count(10, &[Yes, Yes, Yes, Yes, Yes, No, No, No, No, No]);
        assert!(!t.passed, "5 of 10 is half, not more than half");
        assert!(!Tally::count(4, &[Yes, Yes]).passed);
    }

    #[test]
    fn art8_absent_members_count_against_the_motion() {
        // 5 present, all yes, but 11 in office: 5 is not more than 5.5.
        let t = Tally::count(11, &[Yes; 5]);
        assert!(!t.passed);
        assert_eq!(t.absent, 6);
        assert_eq!(t.summary(), "5 of 11 yes");
    }

    #[test]
    fn art8_abstentions_do_not_help() {
        assert!(!Tally::count(5, &[Yes, Yes, Abstain, Abstain, Abstain]).passed);
    }

    #[test]
    fn an_empty_presidium_cannot_pass_anything() {
        assert!(!Tally::count(0, &[]).passed);
    }
}
