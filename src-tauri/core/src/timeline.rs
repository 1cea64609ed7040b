//! Leaving the alliance (charter Art. 13) and the member's timeline: everything that happened
//! to a unit, from its application to its leaving, in date order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Text;
use crate::member::labelled_enum;

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
