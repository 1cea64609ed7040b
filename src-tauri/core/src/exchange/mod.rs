//! Exchange: rosters out as XLSX and CSV, old spreadsheets in, backups and archives.
//!
//! The secretariat lives in Excel and WPS. What leaves the registry must open cleanly in a
//! Chinese Excel (codes as text, dates as dates, a CSV it decodes right); what comes in is
//! checked by the registry's own rules, row by row, before anything is written. The columns
//! are the member's fields, named by [`Field`] as everywhere else.

pub mod backup;
pub mod export;
pub mod import;
pub mod read;
pub mod values;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Field;

/// Every member field a spreadsheet can carry, in the order an export writes them.
pub const MEMBER_FIELDS: &[Field] = &[
    Field::MemberNo,
    Field::Name,
    Field::NameEn,
    Field::Kind,
    Field::Origin,
    Field::Region,
    Field::City,
    Field::Uscc,
    Field::RegistrationNo,
    Field::Address,
    Field::Website,
    Field::HeadName,
    Field::HeadTitle,
    Field::HeadPhone,
    Field::HeadEmail,
    Field::LiaisonName,
    Field::LiaisonTitle,
    Field::LiaisonPhone,
    Field::LiaisonEmail,
    Field::LiaisonSince,
    Field::Intro,
    Field::Tier,
    Field::Founding,
    Field::Status,
    Field::Joined,
    Field::Notes,
];

/// Fields about persons (the responsible person and the liaison) and the office's own notes:
/// never in a public roster.
pub const PERSONAL_FIELDS: &[Field] = &[
    Field::HeadName,
    Field::HeadTitle,
    Field::HeadPhone,
    Field::HeadEmail,
    Field::LiaisonName,
    Field::LiaisonTitle,
    Field::LiaisonPhone,
    Field::LiaisonEmail,
    Field::LiaisonSince,
    Field::Notes,
];

/// The columns of a public roster when none are chosen: what partners and meetings need.
pub const PUBLIC_FIELDS: &[Field] = &[
    Field::MemberNo,
    Field::Name,
    Field::NameEn,
    Field::Kind,
    Field::Region,
    Field::City,
    Field::Tier,
    Field::Founding,
    Field::Joined,
    Field::Website,
];

/// A column the export dialog offers and an import maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ColumnInfo {
    pub field: Field,
    pub label: crate::error::Text,
    /// Personal contact data, left out of public rosters.
    pub personal: bool,
}

/// The columns in export order, with their labels, for the export and import screens.
pub fn columns() -> Vec<ColumnInfo> {
    MEMBER_FIELDS
        .iter()
        .map(|f| ColumnInfo {
            field: *f,
            label: f.label(),
            personal: PERSONAL_FIELDS.contains(f),
        })
        .collect()
}
