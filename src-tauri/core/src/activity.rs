//! Alliance activities and who attended them (charter Art. 11-12), and the watch-list of
//! members nearing deemed withdrawal (Art. 13(1)) that attendance feeds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Problem};
use crate::field::Field;
use crate::labelled::labelled_enum;
use crate::lang::Text;
use crate::member::{parse_date, MemberRef, Tier};
use crate::text::{clean_line, clean_multiline};
use crate::watchlist::Level;

labelled_enum!(
    /// The kinds of activity the charter names (Art. 11(1)1, 12(2)).
    ActivityKind {
        AnnualMeeting => "annual_meeting", "年度工作会议", "Annual work meeting";
        PresidiumMeeting => "presidium_meeting", "主席团会议", "Presidium meeting";
        Training => "training", "培训", "Training";
        Exchange => "exchange", "交流活动", "Exchange";
        Exhibition => "exhibition", "展会", "Exhibition";
        InternationalCooperation => "international_cooperation", "国际合作", "International cooperation";
        Other => "other", "其他活动", "Other";
    }
);

/// An activity as the form or the CLI submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub place: String,
    pub notes: String,
}

impl Default for ActivityInput {
    fn default() -> Self {
        ActivityInput {
            kind: ActivityKind::Other,
            title: String::new(),
            date: String::new(),
            place: String::new(),
            notes: String::new(),
        }
    }
}

/// A checked activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub title: String,
    pub date: NaiveDate,
    pub place: String,
    pub notes: String,
}

impl ActivityInput {
    /// An activity may be recorded ahead of its date (to plan attendance), so a date up to a
    /// year after `today` is allowed.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidActivity, Vec<Problem>> {
        let mut problems = Vec::new();
        let title = clean_line(&self.title);
        if title.is_empty() {
            problems.push(Problem::new(
                Field::Title,
                "required",
                "请填写活动名称。",
                "Enter the activity's title.",
            ));
        } else if title.chars().count() > 200 {
            problems.push(Problem::new(
                Field::Title,
                "too_long",
                "活动名称最多 200 个字。",
                "The title is at most 200 characters.",
            ));
        }
        let horizon = today + chrono::Days::new(366);
        let date = parse_date(Field::Date, &self.date, horizon, &mut problems);
        if date.is_none() && self.date.trim().is_empty() {
            problems.push(Problem::new(
                Field::Date,
                "date_missing",
                "请填写活动日期。",
                "Enter the activity's date.",
            ));
        }
        let place = clean_line(&self.place);
        if place.chars().count() > 200 {
            problems.push(Problem::new(
                Field::Place,
                "too_long",
                "地点最多 200 个字。",
                "The place is at most 200 characters.",
            ));
        }
        let notes = clean_multiline(&self.notes);
        problems.extend(
            [
                crate::member::char_problem(Field::Title, &title, false),
                crate::member::char_problem(Field::Place, &place, false),
                crate::member::char_problem(Field::Notes, &notes, true),
            ]
            .into_iter()
            .flatten(),
        );
        match (date, problems.is_empty()) {
            (Some(date), true) => Ok(ValidActivity {
                kind: self.kind,
                title,
                date,
                place,
                notes,
            }),
            _ => Err(problems),
        }
    }
}

/// An activity as stored, with how many units attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Activity {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub date: NaiveDate,
    pub place: String,
    pub notes: String,
    pub attendance: u32,
}

/// One attending unit and the person it sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Attendance {
    pub member: MemberRef,
    pub person: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityDetail {
    pub activity: Activity,
    pub input: ActivityInput,
    pub attendance: Vec<Attendance>,
}

/// An excused absence: a period the watch-list does not count, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExcusedPeriod {
    #[ts(type = "number")]
    pub id: i64,
    pub since: NaiveDate,
    pub until: NaiveDate,
    pub reason: String,
}

/// One member on the watch-list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WatchRow {
    #[ts(type = "number")]
    pub id: i64,
    pub member_no: String,
    pub name: String,
    pub tier: Tier,
    /// The last attended activity; `None` if the unit has attended none since joining.
    pub last_activity: Option<NaiveDate>,
    /// The date counting starts from: the later of the last activity and the join date.
    pub counted_from: NaiveDate,
    /// Whole months without activity, excused periods skipped.
    pub months: u32,
    pub level: Level,
}
/// Art. 13(1): a member is deemed to have withdrawn only after more than a year without
/// activity.
pub fn not_past_the_mark(m: &MemberRef, date: NaiveDate, months: u32) -> Error {
    Error::refused(
        ErrorCode::NotPastTheMark,
        format!("截至 {date}，“{}”未参加活动 {months} 个月（已扣除请假），未超过一年，不能视为自动退出（第十三条第一项）。", m.name),
        format!("As of {date}, '{}' has gone {months} months without activity (excused periods skipped), not more than a year, so it cannot be deemed to have withdrawn (Art. 13(1)).", m.name),
    )
}

/// What the audit log says of a deemed withdrawal confirmed on `date`.
pub fn deemed_withdrawal_summary(row: &WatchRow, date: NaiveDate) -> Text {
    let since = row.last_activity.map_or_else(
        || format!("入盟（{}）", row.counted_from),
        |d| d.to_string(),
    );
    let since_en = row.last_activity.map_or_else(
        || format!("joining ({})", row.counted_from),
        |d| d.to_string(),
    );
    Text::new(
        format!("第十三条（一）：视为自动退出，自 {since} 起 {} 个月未参加本联盟活动，秘书处于 {date} 确认", row.months),
        format!("Art. 13(1) deemed withdrawal: no activity for {} months since {since_en}, confirmed by the secretariat on {date}", row.months),
    )
}

/// No activity has this id.
pub fn not_found(id: i64) -> Error {
    Error::not_found("活动", "activity", id)
}

/// An activity's new date leaves a recorded attendee outside its membership.
pub fn attendee_not_member(m: &MemberRef, date: NaiveDate) -> Problem {
    Problem::new(
        Field::Date,
        "attendee_not_member",
        format!("“{}”在 {date} 不是成员，却登记为参加了本活动；请先核对出席名单。", m.name),
        format!("'{}' was not a member on {date} but is recorded as attending; check the attendance first.", m.name),
    )
}

/// Art. 12: only a member on the activity's date attends as a member.
pub fn not_a_member_then(m: &MemberRef, date: NaiveDate) -> Error {
    Error::refused(
        ErrorCode::NotAMember,
        format!("“{}”在活动日期 {date} 不是本联盟成员，不能登记出席。", m.name),
        format!("'{}' was not a member on the activity's date ({date}), so its attendance cannot be recorded.", m.name),
    )
}

/// The person who attended for a member, as stored: one line, at most 200 characters.
pub fn attending_person(raw: &str) -> crate::error::Result<String> {
    let person = clean_line(raw);
    if person.chars().count() > 200 {
        return Err(Error::invalid(Problem::new(
            Field::Person,
            "too_long",
            "参加人最多 200 个字。",
            "The person attending is at most 200 characters.",
        )));
    }
    Ok(person)
}

/// What the audit log says of an attendance recorded (Art. 12) or removed.
pub fn attendance_summary(a: &Activity, recorded: bool) -> Text {
    let (title, date) = (&a.title, a.date);
    if recorded {
        Text::new(
            format!("第十二条：参加“{title}”（{date}）"),
            format!("Art. 12: attended '{title}' ({date})"),
        )
    } else {
        Text::new(
            format!("撤销出席记录：“{title}”（{date}）"),
            format!("Attendance removed: '{title}' ({date})"),
        )
    }
}

/// An excused period (Art. 13(1)'s valid reason) as entered: its first and last day (up to a
/// year after `today`) and its reason, with every problem found.
pub fn check_excused(
    since: &str,
    until: &str,
    reason: &str,
    today: NaiveDate,
) -> (Option<NaiveDate>, Option<NaiveDate>, String, Vec<Problem>) {
    let mut problems = Vec::new();
    let horizon = today + chrono::Days::new(366);
    let s = crate::member::parse_date(Field::Since, since, horizon, &mut problems);
    let u = crate::member::parse_date(Field::Until, until, horizon, &mut problems);
    for (d, f) in [(&s, Field::Since), (&u, Field::Until)] {
        if d.is_none() && !problems.iter().any(|p| p.field == f) {
            problems.push(Problem::new(
                f,
                "date_missing",
                "请填写请假的起止日期。",
                "Enter the first and last day of the excused period.",
            ));
        }
    }
    if let (Some(s), Some(u)) = (s, u) {
        if u < s {
            problems.push(Problem::new(
                Field::Until,
                "until_before_since",
                "结束日期早于开始日期。",
                "The last day is before the first.",
            ));
        }
    }
    let reason = clean_multiline(reason);
    if reason.is_empty() {
        problems.push(Problem::new(
            Field::Reason,
            "reason_required",
            "请写明请假理由（第十三条第一项所说的正当理由）。",
            "Give the reason (Art. 13(1) speaks of a valid reason).",
        ));
    }
    (s, u, reason, problems)
}

/// What the audit log says of an excused period.
pub fn excused_summary(since: NaiveDate, until: NaiveDate, reason: &str) -> Text {
    Text::new(
        format!("第十三条（一）：请假 {since} 至 {until}：{reason}"),
        format!("Art. 13(1): excused from {since} to {until}: {reason}"),
    )
}
