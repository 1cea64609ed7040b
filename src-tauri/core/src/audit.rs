//! The audit log: who changed what, and when. Nothing in the registry is hard-deleted and no
//! audit row is ever changed (the database refuses both), so the log is the member's history.

use chrono::{Local, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::field::Field;
use crate::lang::Text;

/// When a change happens and who makes it. Shells build it (from the clock and the OS user);
/// domain logic only receives it, so rules about dates can be tested with any date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub at: NaiveDateTime,
    /// The operating-system user name, as the audit log records it.
    pub actor: String,
}

impl Stamp {
    /// Now, by the local clock, as the current operating-system user.
    pub fn now() -> Stamp {
        Stamp {
            at: Local::now().naive_local(),
            actor: os_user(),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.at.date()
    }

    /// The form stored in the database: local time to the second.
    pub fn at_text(&self) -> String {
        self.at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// The logged-in user's name: `USERNAME` on Windows, `USER` or `LOGNAME` elsewhere.
pub fn os_user() -> String {
    ["USERNAME", "USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// What kind of event an audit row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditAction {
    Create,
    Update,
    /// Active, withdrawn or expelled: recorded on its own, as the charter's Art. 13 cares.
    StatusChange,
    /// Admitted on an approved application (Art. 10), new or returning.
    Admission,
    /// Ordinary to presidium or back (Art. 8).
    TierChange,
    CertificateIssued,
    CertificateRevoked,
    Attendance,
    Excused,
    ChairTerm,
    Rotation,
    /// The registry replaced by a backup.
    Restore,
}

impl AuditAction {
    pub const ALL: &'static [AuditAction] = &[
        AuditAction::Create,
        AuditAction::Update,
        AuditAction::StatusChange,
        AuditAction::Admission,
        AuditAction::TierChange,
        AuditAction::CertificateIssued,
        AuditAction::CertificateRevoked,
        AuditAction::Attendance,
        AuditAction::Excused,
        AuditAction::ChairTerm,
        AuditAction::Rotation,
        AuditAction::Restore,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Update => "update",
            AuditAction::StatusChange => "status_change",
            AuditAction::Admission => "admission",
            AuditAction::TierChange => "tier_change",
            AuditAction::CertificateIssued => "certificate_issued",
            AuditAction::CertificateRevoked => "certificate_revoked",
            AuditAction::Attendance => "attendance",
            AuditAction::Excused => "excused",
            AuditAction::ChairTerm => "chair_term",
            AuditAction::Rotation => "rotation",
            AuditAction::Restore => "restore",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.iter().copied().find(|a| a.key() == s)
    }
}

/// One field's value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Change {
    pub field: Field,
    pub before: String,
    pub after: String,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    pub actor: String,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub member_name: String,
    pub action: AuditAction,
    /// What happened, naming the charter article behind it ("Art. 13(2) expulsion, vote of
    /// 2026-05-01: 7 of 11 yes"); empty for plain edits, whose changes say it all.
    pub summary: Text,
    pub changes: Vec<Change>,
}

/// The fields whose values differ between two snapshots, in form order.
pub fn diff(before: &[(Field, String)], after: &[(Field, String)]) -> Vec<Change> {
    before
        .iter()
        .zip(after)
        .filter(|((_, b), (_, a))| a != b)
        .map(|((field, b), (_, a))| Change {
            field: *field,
            before: b.clone(),
            after: a.clone(),
        })
        .collect()
}
