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
pub mod sheet;
pub mod values;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::field::Field;

/// Every member field a spreadsheet can carry, in the order an export writes them: the
/// member's own fields, which `Field::ALL` lists first, before the workflows' fields.
pub const MEMBER_FIELDS: &[Field] = Field::ALL.split_at(26).0;

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
    pub label: crate::lang::Text,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_fields_are_exactly_the_member_inputs_fields() {
        assert_eq!(MEMBER_FIELDS.first(), Some(&Field::MemberNo));
        assert_eq!(MEMBER_FIELDS.last(), Some(&Field::Notes));
        assert_eq!(Field::ALL[MEMBER_FIELDS.len()], Field::Recommenders);
        // The same fields, in the same order, as a member's audit record.
        let m = crate::Registry::open_in_memory()
            .unwrap()
            .create_member(
                &crate::MemberInput {
                    name: "甲".into(),
                    ..Default::default()
                },
                &crate::Stamp::now(),
            )
            .unwrap();
        let audited: Vec<Field> = m.audit_fields().into_iter().map(|(f, _)| f).collect();
        assert_eq!(audited, MEMBER_FIELDS);
    }
}
