//! Membership periods and presidium terms (Art. 8), and leaving (Art. 13): the records a
//! member's standing is read from. Every function taking a `Transaction` is one step of a
//! caller's single transaction.

use chrono::NaiveDate;
use rusqlite::{params, Connection, Transaction, TransactionBehavior};

use super::rows::{get_member, member_ref_from_row, open_membership, write_event, REF_COLUMNS};
use super::Registry;
use crate::audit::{AuditAction, Change, Stamp};
use crate::error::Result;
use crate::field::Field;
use crate::lang::Text;
use crate::member::{Member, MemberRef, Status, Tier, ValidMember};
use crate::presidium;
use crate::timeline::{self, LeaveInput, LeaveReason};

use super::certificates::revoke_certificates;

/// Whether the unit was a member on `date`: a membership period covers it.
pub(super) fn member_on(c: &Connection, id: i64, date: NaiveDate) -> Result<bool> {
    Ok(c.query_row(
        "SELECT EXISTS (SELECT 1 FROM membership WHERE member_id = ?1 AND since <= ?2
             AND (until IS NULL OR until > ?2))",
        params![id, date],
        |r| r.get(0),
    )?)
}

/// Presidium members in office on `date` (Art. 8: the majority is of these).
pub(super) fn presidium_on(c: &Connection, date: NaiveDate) -> Result<Vec<MemberRef>> {
    let mut stmt = c.prepare(&format!(
        "SELECT {REF_COLUMNS} FROM presidium_term t JOIN member m ON m.id = t.member_id
         WHERE t.since <= ?1 AND (t.until IS NULL OR t.until > ?1)
         ORDER BY m.founding DESC, m.member_no"
    ))?;
    let rows = stmt.query_map([date], |r| member_ref_from_row(r, 0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(super) fn start_membership(tx: &Transaction, id: i64, since: NaiveDate) -> Result<i64> {
    tx.prepare_cached("INSERT INTO membership (member_id, since) VALUES (?1, ?2)")?
        .execute(params![id, since])?;
    Ok(tx.last_insert_rowid())
}

pub(super) fn join_presidium(
    tx: &Transaction,
    id: i64,
    since: NaiveDate,
    basis: &str,
) -> Result<()> {
    tx.prepare_cached("INSERT INTO presidium_term (member_id, since, basis) VALUES (?1, ?2, ?3)")?
        .execute(params![id, since, basis])?;
    // The next position is read first and inserted as a value: an INSERT ... SELECT opens a
    // statement journal, which makes SQLite flush the search indexes' pending writes, and an
    // import of many presidium members paid for that on every one.
    let next: i64 = tx
        .prepare_cached("SELECT coalesce(max(position), 0) + 1 FROM rotation")?
        .query_row([], |r| r.get(0))?;
    tx.prepare_cached("INSERT OR IGNORE INTO rotation (member_id, position) VALUES (?1, ?2)")?
        .execute(params![id, next])?;
    Ok(())
}

/// A member recorded directly (an existing member typed in, not an application) gets the
/// membership period and presidium term its fields describe.
pub(super) fn record_existing_member(
    tx: &Transaction,
    id: i64,
    v: &ValidMember,
    today: NaiveDate,
) -> Result<()> {
    let since = v.joined.unwrap_or(today);
    let reason = match v.status {
        Status::Active => None,
        Status::Withdrawn => Some(LeaveReason::Withdrawal),
        Status::Expelled => Some(LeaveReason::Expulsion),
    };
    tx.prepare_cached(
        "INSERT INTO membership (member_id, since, until, until_reason) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        id,
        since,
        reason.map(|_| today.max(since)),
        reason.map(|r| r.key())
    ])?;
    if v.tier == Tier::Presidium {
        let basis = if v.founding { "founding" } else { "recorded" };
        if v.status == Status::Active {
            join_presidium(tx, id, since, basis)?;
        } else {
            tx.prepare_cached("INSERT INTO presidium_term (member_id, since, until, basis) VALUES (?1, ?2, ?3, ?4)")?.execute(
                params![id, since, today.max(since), basis],
            )?;
        }
    }
    Ok(())
}

/// Keeps the workflow records in line with an accepted edit: a founding initiator marked now
/// enters the presidium and the rotation; a corrected join date moves the first period's start.
pub(super) fn follow_member_edit(
    tx: &Transaction,
    before: &Member,
    after: &Member,
    stamp: &Stamp,
) -> Result<()> {
    if before.tier == Tier::Ordinary && after.tier == Tier::Presidium {
        let since = after.joined.unwrap_or(stamp.today());
        join_presidium(tx, after.id, since, "founding")?;
        write_event(
            tx,
            stamp,
            Some(after.id),
            AuditAction::TierChange,
            Some(&presidium::founding_by_right()),
            &[],
        )?;
    }
    if let (Some(joined), true) = (after.joined, after.joined != before.joined) {
        let periods: i64 = tx
            .prepare_cached("SELECT count(*) FROM membership WHERE member_id = ?1")?
            .query_row([after.id], |r| r.get(0))?;
        if periods == 1 {
            tx.prepare_cached(
                "UPDATE membership SET since = ?2 WHERE member_id = ?1
                 AND (until IS NULL OR until >= ?2)",
            )?
            .execute(params![after.id, joined])?;
        }
    }
    Ok(())
}

/// Sets a member's status and tier in one audited update.
pub(super) fn set_standing(
    tx: &Transaction,
    id: i64,
    status: Status,
    tier: Tier,
    stamp: &Stamp,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE member SET status = ?2, tier = ?3,
             founding = CASE WHEN ?3 = 'presidium' THEN founding ELSE 0 END,
             updated_at = ?4, revision = revision + 1 WHERE id = ?1",
    )?
    .execute(params![id, status, tier, stamp.at_text()])?;
    Ok(())
}

/// Ends a membership (Art. 13): the period closes, the status changes, the certificate is
/// revoked, the member leaves the presidium and the chair rotation; the record stays.
pub(super) fn end_membership(
    tx: &Transaction,
    member_id: i64,
    date: NaiveDate,
    reason: LeaveReason,
    note: &str,
    summary: &Text,
    stamp: &Stamp,
) -> Result<()> {
    let before = get_member(tx, member_id)?;
    let Some((_, since)) =
        open_membership(tx, member_id)?.filter(|_| before.status == Status::Active)
    else {
        return Err(timeline::not_a_member(&before.name));
    };
    timeline::check_leave_date(date, since)?;
    tx.prepare_cached(
        "UPDATE membership SET until = ?2, until_reason = ?3, until_note = ?4
         WHERE member_id = ?1 AND until IS NULL",
    )?
    .execute(params![member_id, date, reason.key(), note])?;
    tx.prepare_cached(
        "UPDATE presidium_term SET until = max(since, ?2) WHERE member_id = ?1 AND until IS NULL",
    )?
    .execute(params![member_id, date])?;
    tx.prepare_cached("DELETE FROM rotation WHERE member_id = ?1")?
        .execute([member_id])?;
    // A chair who leaves stops chairing that day (a term is at least one day long).
    tx.prepare_cached(
        "UPDATE chair_term SET until = max(?2, date(since, '+1 day'))
         WHERE member_id = ?1 AND until > ?2",
    )?
    .execute(params![member_id, date])?;
    let status = match reason {
        LeaveReason::Expulsion => Status::Expelled,
        _ => Status::Withdrawn,
    };
    set_standing(tx, member_id, status, before.tier, stamp)?;
    write_event(
        tx,
        stamp,
        Some(member_id),
        AuditAction::StatusChange,
        Some(summary),
        &[Change {
            field: Field::Status,
            before: before.status.key().into(),
            after: status.key().into(),
        }],
    )?;
    revoke_certificates(tx, member_id, date, &reason.label().zh, stamp)?;
    Ok(())
}

impl Registry {
    /// Records a withdrawal by written notice (Art. 13(1)) dated `input.date`.
    pub fn withdraw_member(
        &mut self,
        id: i64,
        input: &LeaveInput,
        stamp: &Stamp,
    ) -> Result<Member> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let date = crate::member::step_date(&input.date, Field::Date, stamp.today())?;
        let note = crate::text::clean_multiline(&input.note);
        let summary = timeline::withdrawal_summary(date);
        end_membership(
            &tx,
            id,
            date,
            LeaveReason::Withdrawal,
            &note,
            &summary,
            stamp,
        )?;
        let m = get_member(&tx, id)?;
        tx.commit()?;
        Ok(m)
    }
}
