//! Applications to join (入盟申请, charter Art. 9-10): what the secretariat receives, the
//! states an application moves through, and the checks it must pass before review.
//!
//! The applicant's details are a [`MemberInput`], the same form as a member's, so approval
//! turns them into a member through the same validation and nothing is typed twice.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attachment::Attachment;
use crate::certificate::Certificate;
use crate::error::{Error, ErrorCode, Problem, Result};
use crate::field::Field;
use crate::labelled::labelled_enum;
use crate::lang::Text;
use crate::member::{MemberInput, MemberRef, Status};
use crate::text::clean_multiline;

labelled_enum!(
    /// Where an application stands (Art. 10). Approved, rejected and withdrawn are final.
    ApplicationState {
        Received => "received", "已收件", "Received";
        UnderReview => "under_review", "审核中", "Under review";
        Approved => "approved", "已批准", "Approved";
        Rejected => "rejected", "未通过", "Rejected";
        Withdrawn => "withdrawn", "申请已撤回", "Withdrawn by applicant";
    }
);

impl ApplicationState {
    /// Still waiting for a decision: its details may change and it counts as a duplicate.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ApplicationState::Received | ApplicationState::UnderReview
        )
    }

    /// The steps the secretariat may take from here. Review comes before a decision; the
    /// applicant may withdraw at any time before one.
    pub fn may_move_to(self, to: ApplicationState) -> bool {
        use ApplicationState::*;
        matches!(
            (self, to),
            (Received, UnderReview)
                | (Received, Withdrawn)
                | (UnderReview, Approved)
                | (UnderReview, Rejected)
                | (UnderReview, Withdrawn)
        )
    }
}

/// An application as the form or the CLI submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ApplicationInput {
    /// The applicant unit: the member form's fields. Its member number, tier, status and
    /// joined date are set on approval, not here.
    pub applicant: MemberInput,
    /// Ids of the recommending members (Art. 9(1): at least one).
    #[ts(type = "number[]")]
    pub recommenders: Vec<i64>,
    /// The applicant declared that it accepts the charter (Art. 9(2)).
    pub charter_accepted: bool,
    /// The date the secretariat received the application, `YYYY-MM-DD`.
    pub received: String,
    pub notes: String,
    /// The revision the form was opened at; see [`MemberInput::revision`].
    pub revision: Option<u32>,
}

impl Default for ApplicationInput {
    fn default() -> Self {
        ApplicationInput {
            applicant: MemberInput::default(),
            recommenders: Vec::new(),
            charter_accepted: true,
            received: String::new(),
            notes: String::new(),
            revision: None,
        }
    }
}

impl ApplicationInput {
    /// A blank application received today.
    pub fn new_application(today: NaiveDate) -> ApplicationInput {
        ApplicationInput {
            received: today.to_string(),
            ..ApplicationInput::default()
        }
    }
}

/// The problems of the application's own fields (not the applicant's, not the recommenders'
/// standing, which needs the database). Returns the received date when it is valid.
pub fn check_own_fields(
    input: &ApplicationInput,
    today: NaiveDate,
    problems: &mut Vec<Problem>,
) -> Option<NaiveDate> {
    if !input.charter_accepted {
        problems.push(Problem::new(
            Field::CharterAccepted,
            "charter_not_accepted",
            "申请单位须承认本联盟章程（第九条第二项），请确认申请表上已勾选。",
            "The applicant must accept the charter (Art. 9(2)); confirm it is ticked on the form.",
        ));
    }
    if input.recommenders.is_empty() {
        problems.push(Problem::new(
            Field::Recommenders,
            "recommender_missing",
            "至少需要一名本联盟成员推荐（第九条第一项），请选择推荐单位。",
            "At least one member must recommend the applicant (Art. 9(1)); choose a recommender.",
        ));
    }
    let received = crate::member::parse_date(Field::Received, &input.received, today, problems);
    if received.is_none() && input.received.trim().is_empty() {
        problems.push(Problem::new(
            Field::Received,
            "date_missing",
            "请填写收件日期。",
            "Enter the date the application was received.",
        ));
    }
    problems.extend(crate::member::char_problem(
        Field::Notes,
        &clean_multiline(&input.notes),
        true,
    ));
    if clean_multiline(&input.notes).chars().count() > 10_000 {
        problems.push(Problem::new(
            Field::Notes,
            "too_long",
            "备注过长（最多 10000 字）。",
            "The notes are too long (10,000 characters at most).",
        ));
    }
    received
}

/// Why an application needs a second look before review (the duplicate guard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Flag {
    /// The unit is an active member already.
    ActiveMember { member: MemberRef },
    /// The unit was a member and left: approval re-admits it under its old record and number.
    FormerMember { member: MemberRef },
    /// The unit was expelled (Art. 13(2)): approval needs a recorded presidium decision.
    Expelled { member: MemberRef },
    /// Another application for the same unit is still open.
    OpenApplication {
        #[ts(type = "number")]
        id: i64,
        name: String,
    },
}

impl Flag {
    /// What the flag means, for the detail view and the CLI.
    pub fn message(&self) -> Text {
        match self {
            Flag::ActiveMember { member } => Text::new(
                format!("该单位已是在册成员“{}”（编号 {}），不能再次入盟。", member.name, member.member_no),
                format!("This unit is already the active member '{}' (no. {}); it cannot join twice.", member.name, member.member_no),
            ),
            Flag::FormerMember { member } => Text::new(
                format!("该单位曾是成员“{}”（编号 {}），已退出；批准后恢复原记录和编号，开始新的成员期。", member.name, member.member_no),
                format!("This unit was the member '{}' (no. {}) and left; approval re-admits it under its old record and number.", member.name, member.member_no),
            ),
            Flag::Expelled { member } => Text::new(
                format!("注意：该单位曾被除名（“{}”，编号 {}）。须有主席团决定方可批准。", member.name, member.member_no),
                format!("Warning: this unit was expelled ('{}', no. {}). It can only be approved with a recorded presidium decision.", member.name, member.member_no),
            ),
            Flag::OpenApplication { id, name } => Text::new(
                format!("同一单位另有未结的申请（第 {id} 号，“{name}”）。"),
                format!("Another open application for the same unit exists (no. {id}, '{name}')."),
            ),
        }
    }

    /// The member record a flag points at when it is a former member.
    pub fn former_member(&self) -> Option<&MemberRef> {
        match self {
            Flag::FormerMember { member } | Flag::Expelled { member } => Some(member),
            _ => None,
        }
    }

    /// The flag for a matching member record, by its status.
    pub fn for_member(member: MemberRef) -> Flag {
        match member.status {
            Status::Active => Flag::ActiveMember { member },
            Status::Withdrawn => Flag::FormerMember { member },
            Status::Expelled => Flag::Expelled { member },
        }
    }
}

/// An application as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Application {
    #[ts(type = "number")]
    pub id: i64,
    pub applicant: MemberInput,
    pub charter_accepted: bool,
    pub received: NaiveDate,
    pub state: ApplicationState,
    /// The member made (or re-admitted) on approval.
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub reason: String,
    pub presidium_decision: String,
    /// When the notice of the decision went to the responsible person (Art. 10(3)).
    pub notice_sent: Option<NaiveDate>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
    pub revision: u32,
}

/// A dated step of an application, for its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationEvent {
    pub state: ApplicationState,
    pub on_date: NaiveDate,
    pub note: String,
    pub at: String,
    pub actor: String,
}

/// One line of the applications list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationRow {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub uscc: String,
    pub received: NaiveDate,
    pub state: ApplicationState,
    /// The recommenders' names, joined for display.
    pub recommenders: String,
    /// True when the duplicate guard has something to say.
    pub flagged: bool,
}

/// Everything the application view shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplicationDetail {
    pub application: Application,
    /// The form's starting point when the application is edited.
    pub input: ApplicationInput,
    pub recommenders: Vec<MemberRef>,
    /// Oldest first.
    pub events: Vec<ApplicationEvent>,
    pub attachments: Vec<Attachment>,
    pub flags: Vec<Flag>,
    /// Problems that block approval today (a recommender no longer a member, say); empty when
    /// the application may be approved.
    pub problems: Vec<Problem>,
    pub member: Option<MemberRef>,
    pub certificate: Option<Certificate>,
}

/// What the clerk enters to approve an application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Decision {
    /// `YYYY-MM-DD`; empty means today.
    pub date: String,
    /// The reason (for a rejection) or note (for approval or withdrawal).
    pub reason: String,
    /// For a unit that was expelled: the presidium decision allowing it back (Art. 13(2)).
    pub presidium_decision: String,
}

/// No application has this id.
pub fn not_found(id: i64) -> Error {
    Error::not_found("入盟申请", "application", id)
}

/// A recommender id that names no member.
pub fn recommender_unknown(id: i64) -> Problem {
    Problem::new(
        Field::Recommenders,
        "recommender_unknown",
        format!("推荐单位（记录号 {id}）不存在，请重新选择。"),
        format!("Recommender id {id} does not exist; choose again."),
    )
}

/// Art. 9(1): only a member on the day of the application may recommend it.
pub fn recommender_not_member(m: &MemberRef, date: NaiveDate) -> Problem {
    Problem::new(
        Field::Recommenders,
        "recommender_not_member",
        format!(
            "推荐单位“{}”（编号 {}）在 {date} 不是本联盟成员，不能推荐（第九条第一项）。",
            m.name, m.member_no
        ),
        format!(
            "The recommender '{}' (no. {}) was not a member on {date} and cannot recommend (Art. 9(1)).",
            m.name, m.member_no
        ),
    )
}

/// Art. 9(1): at least one member recommends the applicant.
pub fn recommender_missing() -> Problem {
    Problem::new(
        Field::Recommenders,
        "recommender_missing",
        "至少需要一名本联盟成员推荐（第九条第一项）。",
        "At least one member must recommend the applicant (Art. 9(1)).",
    )
}

/// An application moves only along [`ApplicationState::may_move_to`].
pub fn check_move(from: ApplicationState, to: ApplicationState) -> Result<()> {
    if from.may_move_to(to) {
        return Ok(());
    }
    let (from, want) = (from.label(), to.label());
    Err(Error::refused(
        ErrorCode::ApplicationState,
        format!("该申请当前为“{}”，不能改为“{}”。", from.zh, want.zh),
        format!(
            "This application is '{}'; it cannot become '{}'.",
            from.en, want.en
        ),
    ))
}

/// A step is dated no earlier than the application's previous one.
pub fn check_step_date(date: NaiveDate, last: NaiveDate) -> Result<()> {
    if date >= last {
        return Ok(());
    }
    Err(Error::invalid(Problem::new(
        Field::Date,
        "date_before_previous_step",
        format!("日期 {date} 早于该申请上一步的日期 {last}，请检查。"),
        format!("{date} is before the application's previous step ({last}); check the date."),
    )))
}

/// A decision (`approval` or rejection) is dated no earlier than the application's receipt.
pub fn check_decision_date(date: NaiveDate, received: NaiveDate, approval: bool) -> Result<()> {
    if date >= received {
        return Ok(());
    }
    let what = if approval {
        "批准日期"
    } else {
        "决定日期"
    };
    Err(Error::invalid(Problem::new(
        Field::Date,
        "date_before_received",
        format!("{what} {date} 早于收件日期 {received}，请检查。"),
        format!("{date} is before the application was received ({received}); check the date."),
    )))
}

/// A decided application is no longer edited.
pub fn check_open(state: ApplicationState) -> Result<()> {
    if state.is_open() {
        return Ok(());
    }
    Err(Error::refused(
        ErrorCode::ApplicationClosed,
        "该申请已有结论，不能再修改。",
        "This application has been decided and can no longer be changed.",
    ))
}

/// A rejection states its reason, which goes into the notice (Art. 10(3)).
pub fn check_rejection_reason(reason: &str) -> Result<()> {
    if !reason.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(Problem::new(
        Field::Reason,
        "reason_required",
        "不予批准须写明理由，理由将写入给申请单位的通知。",
        "A rejection needs a reason; it goes into the notice to the applicant.",
    )))
}

/// Why there is no notice or decision date yet: `for_what` is the step that needs one.
pub fn no_decision(for_what: NoDecision) -> Error {
    let (zh, en) = match for_what {
        NoDecision::Date => ("该申请尚无结论。", "This application has no decision yet."),
        NoDecision::Notice => (
            "该申请尚无结论，批准或不予批准后才能准备通知。",
            "This application has no decision yet; a notice is prepared after approval or rejection.",
        ),
        NoDecision::NoticeSent => (
            "该申请尚无结论，无需通知。",
            "This application has no decision yet, so there is no notice to send.",
        ),
    };
    Error::refused(ErrorCode::NoDecision, zh, en)
}

/// What was asked of an undecided application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoDecision {
    Date,
    Notice,
    NoticeSent,
}

/// The note of the event that records a notice sent.
pub const NOTICE_SENT_NOTE: &str = "已通知负责人 / notice sent";

/// Whether a record flagged by the duplicate guard is the applicant itself: a record that
/// matched by name alone, with another unified social credit code, is another unit (the flag
/// stays for the clerk to see, but approval neither refuses nor merges on it).
pub fn is_same_unit(stored_uscc: Option<&str>, applicant_uscc: Option<&str>) -> bool {
    stored_uscc.is_none() || applicant_uscc.is_none() || stored_uscc == applicant_uscc
}

/// An active member is not admitted a second time.
pub fn already_a_member(member: &MemberRef) -> Error {
    Error::refused(
        ErrorCode::AlreadyAMember,
        format!(
            "该单位已是在册成员“{}”（编号 {}），不能再次批准入盟。",
            member.name, member.member_no
        ),
        format!(
            "This unit is already the active member '{}' (no. {}); it cannot be admitted twice.",
            member.name, member.member_no
        ),
    )
}

/// A returning unit is approved no earlier than it left, and an expelled one only with the
/// presidium's decision that allows it back.
pub fn check_return(
    date: NaiveDate,
    left: Option<NaiveDate>,
    expelled: bool,
    presidium_decision: &str,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(left) = left.filter(|left| date < *left) {
        problems.push(Problem::new(
            Field::Date,
            "date_before_left",
            format!("该单位于 {left} 退出本联盟，重新入盟的批准日期不能早于此日。"),
            format!("This unit left the alliance on {left}; its return cannot be approved before that date."),
        ));
    }
    if expelled && presidium_decision.is_empty() {
        problems.push(Problem::new(
            Field::PresidiumDecision,
            "presidium_decision_required",
            "该单位曾被除名，须填写准予其重新入盟的主席团决定（日期、会议及结果）后方可批准。",
            "This unit was expelled: enter the presidium decision that allows it back (date, meeting and result) before approving.",
        ));
    }
    problems
}

/// What the audit log says of an approval (Art. 10).
pub fn approval_summary(id: i64, date: NaiveDate, returning: bool, member_no: &str) -> Text {
    if returning {
        Text::new(
            format!("第十条：入盟申请第 {id} 号于 {date} 批准，重新入盟，沿用原编号 {member_no}"),
            format!("Art. 10: application no. {id} approved on {date}; re-admitted under its old number {member_no}"),
        )
    } else {
        Text::new(
            format!("第十条：入盟申请第 {id} 号于 {date} 批准，自该日起为普通成员"),
            format!("Art. 10: application no. {id} approved on {date}; an ordinary member from that day"),
        )
    }
}

/// How the notice addresses the responsible person: by name, or, with none recorded, as
/// 负责同志 and "Sir or Madam".
pub fn addressee(head_name: &str) -> (String, String) {
    if head_name.is_empty() {
        ("负责同志".into(), "Sir or Madam".into())
    } else {
        (head_name.into(), head_name.into())
    }
}

#[cfg(test)]
mod tests {
    use super::ApplicationState::*;
    use super::*;

    #[test]
    fn art10_an_application_is_reviewed_before_it_is_decided() {
        assert!(Received.may_move_to(UnderReview));
        assert!(!Received.may_move_to(Approved), "no approval unseen");
        assert!(!Received.may_move_to(Rejected));
        assert!(UnderReview.may_move_to(Approved));
        assert!(UnderReview.may_move_to(Rejected));
    }

    #[test]
    fn art10_decisions_are_final() {
        for from in [Approved, Rejected, Withdrawn] {
            for to in ApplicationState::ALL {
                assert!(!from.may_move_to(*to), "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn the_applicant_may_withdraw_before_a_decision() {
        assert!(Received.may_move_to(Withdrawn));
        assert!(UnderReview.may_move_to(Withdrawn));
    }

    #[test]
    fn art9_an_application_needs_a_recommender_and_the_charter() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let input = ApplicationInput {
            charter_accepted: false,
            received: "2026-11-20".into(),
            ..Default::default()
        };
        let mut problems = Vec::new();
        let received = check_own_fields(&input, today, &mut problems);
        assert_eq!(received, NaiveDate::from_ymd_opt(2026, 11, 20));
        let codes: Vec<&str> = problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["charter_not_accepted", "recommender_missing"]);
    }

    #[test]
    fn a_received_date_in_the_future_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let input = ApplicationInput {
            recommenders: vec![1],
            received: "2027-01-01".into(),
            ..Default::default()
        };
        let mut problems = Vec::new();
        assert_eq!(check_own_fields(&input, today, &mut problems), None);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, Field::Received);
    }
}
