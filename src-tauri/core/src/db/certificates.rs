//! Membership certificates (成员证书): numbered under the office's scheme, issued on joining,
//! reissued when lost, revoked on leaving; a number is never given twice.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::rows::{open_membership, write_event};
use super::Registry;
use crate::audit::{AuditAction, Stamp};
use crate::certificate::{self, Certificate};
use crate::error::{Error, Result};
use crate::field::Field;

/// The columns [`certificate_from_row`] reads.
pub(super) const CERTIFICATE_COLUMNS: &str = "id, number, member_id, issued, revoked, revoked_note";

pub(super) const CERTIFICATE_SCHEME: &str = "certificate.scheme";

/// The next certificate number under the scheme in force; the counter is a setting per scheme
/// and year, and a number already in the table is skipped, so none is ever given twice.
pub(super) fn next_certificate_number(tx: &Transaction, date: NaiveDate) -> Result<String> {
    use chrono::Datelike;
    let scheme: String = tx
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [CERTIFICATE_SCHEME],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| certificate::DEFAULT_SCHEME.to_string());
    let counter = if certificate::counts_per_year(&scheme) {
        format!("certificate.seq.{}.{}", scheme, date.year())
    } else {
        format!("certificate.seq.{scheme}")
    };
    let mut seq: u32 = tx
        .query_row(
            "SELECT value FROM setting WHERE key = ?1",
            [&counter],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    loop {
        seq += 1;
        let number =
            certificate::format_number(&scheme, date.year(), seq).map_err(Error::invalid)?;
        let taken: bool = tx
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM certificate WHERE number = ?1)")?
            .query_row([&number], |r| r.get(0))?;
        if !taken {
            tx.prepare_cached(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![counter, seq.to_string()])?;
            return Ok(number);
        }
    }
}

pub(super) fn certificate_from_row(r: &rusqlite::Row) -> rusqlite::Result<Certificate> {
    Ok(Certificate {
        id: r.get(0)?,
        number: r.get(1)?,
        member_id: r.get(2)?,
        issued: r.get(3)?,
        revoked: r.get(4)?,
        revoked_note: r.get(5)?,
    })
}

/// Issues the next numbered certificate for the member's open membership (Art. 10(3)).
pub(super) fn issue_certificate(
    tx: &Transaction,
    member_id: i64,
    date: NaiveDate,
    stamp: &Stamp,
) -> Result<Certificate> {
    let (membership, _) = open_membership(tx, member_id)?.ok_or_else(certificate::not_a_member)?;
    let number = next_certificate_number(tx, date)?;
    tx.prepare_cached("INSERT INTO certificate (number, member_id, membership_id, issued) VALUES (?1, ?2, ?3, ?4)")?.execute(
        params![number, member_id, membership, date],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => certificate::exists(),
        _ => e.into(),
    })?;
    let id = tx.last_insert_rowid();
    write_event(
        tx,
        stamp,
        Some(member_id),
        AuditAction::CertificateIssued,
        Some(&certificate::issued_summary(&number, date)),
        &[],
    )?;
    Ok(tx.query_row(
        &format!("SELECT {CERTIFICATE_COLUMNS} FROM certificate WHERE id = ?1"),
        [id],
        certificate_from_row,
    )?)
}

pub(super) fn revoke_certificates(
    tx: &Transaction,
    member_id: i64,
    date: NaiveDate,
    note: &str,
    stamp: &Stamp,
) -> Result<()> {
    let numbers: Vec<String> = tx
        .prepare("SELECT number FROM certificate WHERE member_id = ?1 AND revoked IS NULL")?
        .query_map([member_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for number in numbers {
        tx.prepare_cached(
            "UPDATE certificate SET revoked = ?2, revoked_note = ?3 WHERE number = ?1",
        )?
        .execute(params![number, date, note])?;
        write_event(
            tx,
            stamp,
            Some(member_id),
            AuditAction::CertificateRevoked,
            Some(&certificate::revoked_summary(&number, date)),
            &[],
        )?;
    }
    Ok(())
}

impl Registry {
    /// Issues a certificate to a member that has none (for example one recorded before the
    /// registry kept certificates).
    pub fn issue_certificate(
        &mut self,
        member_id: i64,
        date: &str,
        stamp: &Stamp,
    ) -> Result<Certificate> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let date = crate::member::step_date(date, Field::Date, stamp.today())?;
        let c = issue_certificate(&tx, member_id, date, stamp)?;
        tx.commit()?;
        Ok(c)
    }

    /// Reissues a member's certificate (补发, when the original is lost or damaged): the
    /// valid certificate is marked superseded and a new one with the next number is issued,
    /// in one transaction. The old number is never used again.
    pub fn reissue_certificate(
        &mut self,
        member_id: i64,
        reason: &str,
        stamp: &Stamp,
    ) -> Result<Certificate> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old: Option<String> = tx
            .query_row(
                "SELECT number FROM certificate WHERE member_id = ?1 AND revoked IS NULL",
                [member_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(old) = old else {
            return Err(certificate::none_to_reissue());
        };
        let today = stamp.today();
        let reason = crate::text::clean_line(reason);
        tx.prepare_cached(
            "UPDATE certificate SET revoked = ?2, revoked_note = ?3 WHERE number = ?1",
        )?
        .execute(params![old, today, "superseded"])?;
        let new = issue_certificate(&tx, member_id, today, stamp)?;
        let (note, summary) = certificate::reissue_words(&old, &new.number, &reason);
        tx.prepare_cached("UPDATE certificate SET revoked_note = ?2 WHERE number = ?1")?
            .execute(params![old, note])?;
        write_event(
            &tx,
            stamp,
            Some(member_id),
            AuditAction::CertificateRevoked,
            Some(&summary),
            &[],
        )?;
        tx.commit()?;
        Ok(new)
    }

    /// The certificate with this number, revoked or not.
    pub fn certificate_by_number(&self, number: &str) -> Result<Option<Certificate>> {
        Ok(self
            .conn
            .query_row(
                // Numbers are printed in capitals; one typed in small letters is the same.
                &format!(
                    "SELECT {CERTIFICATE_COLUMNS} FROM certificate WHERE number = ?1 COLLATE NOCASE"
                ),
                [number.trim()],
                certificate_from_row,
            )
            .optional()?)
    }

    pub fn certificates(&self, member_id: i64) -> Result<Vec<Certificate>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {CERTIFICATE_COLUMNS} FROM certificate WHERE member_id = ?1 ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([member_id], certificate_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
