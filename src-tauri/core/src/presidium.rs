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

    pub fn label(self) -> crate::error::Text {
        let (zh, en) = match self {
            VoteChoice::Yes => ("赞成", "Yes"),
            VoteChoice::No => ("反对", "No"),
            VoteChoice::Abstain => ("弃权", "Abstain"),
            VoteChoice::Absent => ("缺席", "Absent"),
        };
        crate::error::Text::new(zh, en)
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

crate::member::labelled_enum!(
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
