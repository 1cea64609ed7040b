//! Alliance activities and who attended them (charter Art. 11-12), and the watch-list of
//! members nearing deemed withdrawal (Art. 13(1)) that attendance feeds.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Problem;
use crate::field::Field;
use crate::labelled::labelled_enum;
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
