//! The registry's words in both languages, for the UI: the kinds, tiers, statuses and field
//! names are labelled here once, so the front end never spells them a second time.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::ActivityKind;
use crate::application::ApplicationState;
use crate::attachment::Purpose;
use crate::error::Problem;
use crate::field::Field;
use crate::lang::Text;
use crate::member::{Kind, Origin, Status, Tier};
use crate::presidium::{MotionKind, VoteChoice};
use crate::timeline::LeaveReason;

/// A value with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Labelled<T> {
    pub key: T,
    pub label: Text,
}

/// Every label the UI shows for the registry's own values, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Vocabulary {
    pub kinds: Vec<Labelled<Kind>>,
    pub origins: Vec<Labelled<Origin>>,
    pub tiers: Vec<Labelled<Tier>>,
    pub statuses: Vec<Labelled<Status>>,
    pub fields: Vec<Labelled<Field>>,
    pub application_states: Vec<Labelled<ApplicationState>>,
    pub activity_kinds: Vec<Labelled<ActivityKind>>,
    pub motion_kinds: Vec<Labelled<MotionKind>>,
    pub vote_choices: Vec<Labelled<VoteChoice>>,
    pub purposes: Vec<Labelled<Purpose>>,
    pub leave_reasons: Vec<Labelled<LeaveReason>>,
}

/// Every value of a labelled enum with its label.
macro_rules! labelled {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|&k| Labelled {
                key: k,
                label: k.label(),
            })
            .collect()
    };
}

impl Vocabulary {
    pub fn get() -> Vocabulary {
        Vocabulary {
            kinds: Kind::ALL
                .iter()
                .map(|&k| Labelled {
                    key: k,
                    label: k.label(),
                })
                .collect(),
            origins: Origin::ALL
                .iter()
                .map(|&k| Labelled {
                    key: k,
                    label: k.label(),
                })
                .collect(),
            tiers: Tier::ALL
                .iter()
                .map(|&k| Labelled {
                    key: k,
                    label: k.label(),
                })
                .collect(),
            statuses: Status::ALL
                .iter()
                .map(|&k| Labelled {
                    key: k,
                    label: k.label(),
                })
                .collect(),
            fields: Field::ALL
                .iter()
                .map(|&k| Labelled {
                    key: k,
                    label: k.label(),
                })
                .collect(),
            application_states: labelled!(ApplicationState),
            activity_kinds: labelled!(ActivityKind),
            motion_kinds: labelled!(MotionKind),
            vote_choices: labelled!(VoteChoice),
            purposes: labelled!(Purpose),
            leave_reasons: labelled!(LeaveReason),
        }
    }
}

/// The secretariat's settings for the workflows, edited on the settings screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkflowSettings {
    /// How certificates are numbered; see [`crate::certificate::format_number`].
    pub certificate_scheme: String,
    /// The rotating chair's term, in months.
    pub chair_term_months: u32,
    /// The largest spreadsheet to import, in MB (1 to 1024; default 50).
    pub import_max_mb: u32,
    pub approval: crate::notice::Template,
    pub rejection: crate::notice::Template,
}

/// Where this installation keeps its data, for the About panel and support calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The program's version: the same for the app, `cceaa` and the installers.
    pub version: String,
    pub data_dir: String,
    pub database: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// Where the bundled fonts were found (in an installed app, among its resources).
    pub fonts_dir: String,
}

impl WorkflowSettings {
    /// Every problem of the settings as entered: the certificate scheme, the chair's term
    /// (1-60 months), the import limit (1-1024 MB) and both notice templates, complete.
    pub fn check(&self) -> Vec<Problem> {
        use crate::notice::NoticeKind;
        let mut problems = Vec::new();
        if let Err(p) = crate::certificate::check_scheme(&self.certificate_scheme) {
            problems.push(p);
        }
        if let Err(p) = crate::rotation::check_term_months(self.chair_term_months) {
            problems.push(p);
        }
        if !(1..=1024).contains(&self.import_max_mb) {
            problems.push(Problem::new(
                Field::File,
                "import_limit",
                "导入文件大小上限须在 1 到 1024 MB 之间。",
                "The import size limit must be between 1 and 1024 MB.",
            ));
        }
        for (t, kind) in [
            (&self.approval, NoticeKind::Approval),
            (&self.rejection, NoticeKind::Rejection),
        ] {
            let blank = [&t.subject_zh, &t.subject_en, &t.body_zh, &t.body_en]
                .iter()
                .any(|v| v.trim().is_empty());
            if blank || t.kind != kind {
                let l = kind.label();
                problems.push(Problem::new(
                    Field::Notes,
                    "template_incomplete",
                    format!("“{}”的标题和正文（中英文）都不能为空。", l.zh),
                    format!(
                        "The {} needs a subject and a body in both languages.",
                        l.en.to_lowercase()
                    ),
                ));
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_label_in_both_languages() {
        for l in Vocabulary::get().fields {
            assert!(
                !l.label.zh.is_empty() && !l.label.en.is_empty(),
                "{:?}",
                l.key
            );
        }
    }
}
