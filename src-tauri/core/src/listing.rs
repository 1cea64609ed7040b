//! What the member list asks for and what it gets back: search, filters, sort and one page.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::{ExcusedPeriod, WatchRow};
use crate::attachment::Attachment;
use crate::audit::AuditEntry;
use crate::certificate::Certificate;
use crate::member::{Kind, Member, MemberInput, Origin, Person, Status, Tier};
use crate::timeline::TimelineEvent;

/// The order of the member list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Sort {
    /// By member number: the order in which units joined the registry.
    #[default]
    MemberNo,
    /// Most recently joined first.
    JoinedDesc,
    /// Most recently changed first: what the clerk just worked on.
    UpdatedDesc,
}

/// A search of the registry. Every filter left empty matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MemberQuery {
    /// Any part of the Chinese or English name, the code, the member number, the liaison's
    /// name or the city; case, width and spaces do not matter.
    pub search: String,
    pub tier: Option<Tier>,
    pub status: Option<Status>,
    pub kind: Option<Kind>,
    pub origin: Option<Origin>,
    /// Exact country/region, as listed by `Registry::regions`.
    pub region: String,
    /// Joined on or after this day.
    #[ts(optional)]
    pub joined_from: Option<NaiveDate>,
    /// Joined on or before this day.
    #[ts(optional)]
    pub joined_to: Option<NaiveDate>,
    pub sort: Sort,
    pub offset: u32,
    pub limit: u32,
}

impl Default for MemberQuery {
    fn default() -> Self {
        MemberQuery {
            search: String::new(),
            tier: None,
            status: None,
            kind: None,
            origin: None,
            region: String::new(),
            joined_from: None,
            joined_to: None,
            sort: Sort::default(),
            offset: 0,
            limit: 50,
        }
    }
}

/// One line of the member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberRow {
    #[ts(type = "number")]
    pub id: i64,
    pub member_no: String,
    pub name: String,
    pub name_en: String,
    pub uscc: Option<String>,
    pub registration_no: Option<String>,
    pub kind: Kind,
    pub origin: Origin,
    pub region: String,
    pub city: String,
    pub tier: Tier,
    pub founding: bool,
    pub status: Status,
    pub joined: Option<NaiveDate>,
    pub liaison_name: String,
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberPage {
    pub total: u32,
    pub offset: u32,
    pub limit: u32,
    pub rows: Vec<MemberRow>,
}

/// A period in which one person was the member's liaison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LiaisonPeriod {
    pub person: Person,
    pub since: NaiveDate,
    /// `None` for the current liaison.
    pub until: Option<NaiveDate>,
}

/// Everything the detail view shows about one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberDetail {
    pub member: Member,
    /// The member as the edit form starts from it.
    pub input: MemberInput,
    /// Newest first.
    pub liaisons: Vec<LiaisonPeriod>,
    /// Newest first.
    pub audit: Vec<AuditEntry>,
    /// Oldest first: application, joining, certificates, presidium, chair terms, activities,
    /// leaving.
    pub timeline: Vec<TimelineEvent>,
    /// Newest first; at most one is valid (not revoked).
    pub certificates: Vec<Certificate>,
    pub attachments: Vec<Attachment>,
    pub excused: Vec<ExcusedPeriod>,
    /// Set when the member is at or past 9 months without activity.
    pub watch: Option<WatchRow>,
}
