//! Activities, attendance and excused absences (Art. 11-12), the watch-list they feed, and
//! the secretariat's confirmation of a deemed withdrawal (Art. 13(1)).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::periods::{end_membership, member_on};
use super::rows::{key, member_ref, member_ref_from_row, write_event, REF_COLUMNS};
use super::Registry;
use crate::activity::{
    self, Activity, ActivityDetail, ActivityInput, ActivityKind, Attendance, ExcusedPeriod,
    WatchRow,
};
use crate::audit::{AuditAction, Stamp};
use crate::error::{Error, Result};
use crate::field::Field;
use crate::member::Tier;
use crate::text::{clean_line, clean_multiline};
use crate::timeline::{LeaveInput, LeaveReason};
use crate::watchlist::{self, Excused, Level};

fn activity_not_found(id: i64) -> Error {
    activity::not_found(id)
}

const ACTIVITY_COLUMNS: &str = "a.id, a.kind, a.title, a.date, a.place, a.notes,
    (SELECT count(*) FROM attendance t WHERE t.activity_id = a.id)";

fn activity_from_row(r: &rusqlite::Row) -> rusqlite::Result<Activity> {
    Ok(Activity {
        id: r.get(0)?,
        kind: key(r, 1, ActivityKind::parse)?,
        title: r.get(2)?,
        date: r.get(3)?,
        place: r.get(4)?,
        notes: r.get(5)?,
        attendance: r.get(6)?,
    })
}

fn get_activity(c: &Connection, id: i64) -> Result<Activity> {
    c.query_row(
        &format!("SELECT {ACTIVITY_COLUMNS} FROM activity a WHERE a.id = ?1"),
        [id],
        activity_from_row,
    )
    .optional()?
    .ok_or_else(|| activity_not_found(id))
}

/// Every active member's watch-list figures as of `today`.
fn watch_rows(c: &Connection, today: NaiveDate, only: Option<i64>) -> Result<Vec<WatchRow>> {
    let mut excused: HashMap<i64, Vec<Excused>> = HashMap::new();
    let mut stmt = c.prepare(
        "SELECT member_id, since, until FROM excused WHERE ?1 IS NULL OR member_id = ?1",
    )?;
    for row in stmt.query_map([only], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))? {
        let (id, start, end) = row?;
        excused.entry(id).or_default().push(Excused { start, end });
    }
    let mut stmt = c.prepare(
        "SELECT m.id, m.member_no, m.name, m.tier, ms.since,
            (SELECT max(a.date) FROM attendance t JOIN activity a ON a.id = t.activity_id
             WHERE t.member_id = m.id AND a.date <= ?1)
         FROM member m JOIN membership ms ON ms.member_id = m.id AND ms.until IS NULL
         WHERE m.status = 'active' AND ms.since <= ?1 AND (?2 IS NULL OR m.id = ?2)",
    )?;
    let rows = stmt.query_map(params![today, only], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            key(r, 3, Tier::parse)?,
            r.get::<_, NaiveDate>(4)?,
            r.get::<_, Option<NaiveDate>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, member_no, name, tier, since, last) = row?;
        let counted_from = last.map_or(since, |l| l.max(since));
        let ex = excused.get(&id).map(Vec::as_slice).unwrap_or(&[]);
        let months = watchlist::months_inactive(counted_from, today, ex);
        if let Some(level) = watchlist::level(months) {
            out.push(WatchRow {
                id,
                member_no,
                name,
                tier,
                last_activity: last,
                counted_from,
                months,
                level,
            });
        }
    }
    out.sort_by(|a, b| b.months.cmp(&a.months).then(a.member_no.cmp(&b.member_no)));
    Ok(out)
}

impl Registry {
    pub fn create_activity(&mut self, input: &ActivityInput, stamp: &Stamp) -> Result<Activity> {
        let v = input.validate(stamp.today()).map_err(Error::Invalid)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO activity (kind, title, date, place, notes, created_at, actor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                v.kind.key(),
                v.title,
                v.date,
                v.place,
                v.notes,
                stamp.at_text(),
                stamp.actor
            ],
        )?;
        let a = get_activity(&tx, tx.last_insert_rowid())?;
        tx.commit()?;
        Ok(a)
    }

    /// Corrects an activity. Moving its date is refused when an attending unit was not a
    /// member on the new date.
    pub fn update_activity(
        &mut self,
        id: i64,
        input: &ActivityInput,
        stamp: &Stamp,
    ) -> Result<Activity> {
        let v = input.validate(stamp.today()).map_err(Error::Invalid)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        get_activity(&tx, id)?;
        let attendees: Vec<i64> = tx
            .prepare("SELECT member_id FROM attendance WHERE activity_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for m in attendees {
            if !member_on(&tx, m, v.date)? {
                let r = member_ref(&tx, m)?;
                return Err(Error::invalid(activity::attendee_not_member(&r, v.date)));
            }
        }
        tx.execute(
            "UPDATE activity SET kind = ?2, title = ?3, date = ?4, place = ?5, notes = ?6 WHERE id = ?1",
            params![id, v.kind.key(), v.title, v.date, v.place, v.notes],
        )?;
        let a = get_activity(&tx, id)?;
        tx.commit()?;
        Ok(a)
    }

    /// Activities, newest first; `year` and `search` (title or place) narrow the list.
    pub fn list_activities(&self, year: Option<i32>, search: &str) -> Result<Vec<Activity>> {
        let like = format!("%{}%", clean_line(search).replace(['%', '_'], ""));
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activity a
             WHERE (?1 IS NULL OR substr(a.date, 1, 4) = ?1)
               AND (?2 = '%%' OR a.title LIKE ?2 OR a.place LIKE ?2)
             ORDER BY a.date DESC, a.id DESC"
        ))?;
        let rows = stmt.query_map(
            params![year.map(|y| format!("{y:04}")), like],
            activity_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The next `limit` activities from `today` on, soonest first.
    pub fn activities_from(&self, today: NaiveDate, limit: u32) -> Result<Vec<Activity>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activity a WHERE a.date >= ?1
             ORDER BY a.date, a.id LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![today, limit], activity_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn activity_detail(&self, id: i64) -> Result<ActivityDetail> {
        let activity = get_activity(&self.conn, id)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REF_COLUMNS}, t.person FROM attendance t JOIN member m ON m.id = t.member_id
             WHERE t.activity_id = ?1 ORDER BY m.member_no"
        ))?;
        let attendance = stmt
            .query_map([id], |r| {
                Ok(Attendance {
                    member: member_ref_from_row(r, 0)?,
                    person: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let input = ActivityInput {
            kind: activity.kind,
            title: activity.title.clone(),
            date: activity.date.to_string(),
            place: activity.place.clone(),
            notes: activity.notes.clone(),
        };
        Ok(ActivityDetail {
            activity,
            input,
            attendance,
        })
    }

    /// Records that a member unit attended, and who it sent. Recording it again updates the
    /// person. The unit must have been a member on the activity's date.
    pub fn add_attendance(
        &mut self,
        activity_id: i64,
        member_id: i64,
        person: &str,
        stamp: &Stamp,
    ) -> Result<ActivityDetail> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let a = get_activity(&tx, activity_id)?;
        let m = member_ref(&tx, member_id)?;
        if !member_on(&tx, member_id, a.date)? {
            return Err(activity::not_a_member_then(&m, a.date));
        }
        let person = activity::attending_person(person)?;
        tx.execute(
            "INSERT INTO attendance (activity_id, member_id, person) VALUES (?1, ?2, ?3)
             ON CONFLICT (activity_id, member_id) DO UPDATE SET person = excluded.person",
            params![activity_id, member_id, person],
        )?;
        write_event(
            &tx,
            stamp,
            Some(member_id),
            AuditAction::Attendance,
            Some(&activity::attendance_summary(&a, true)),
            &[],
        )?;
        tx.commit()?;
        self.activity_detail(activity_id)
    }

    /// Removes an attendance recorded by mistake; the audit log keeps both steps.
    pub fn remove_attendance(
        &mut self,
        activity_id: i64,
        member_id: i64,
        stamp: &Stamp,
    ) -> Result<ActivityDetail> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let a = get_activity(&tx, activity_id)?;
        let n = tx.execute(
            "DELETE FROM attendance WHERE activity_id = ?1 AND member_id = ?2",
            params![activity_id, member_id],
        )?;
        if n > 0 {
            write_event(
                &tx,
                stamp,
                Some(member_id),
                AuditAction::Attendance,
                Some(&activity::attendance_summary(&a, false)),
                &[],
            )?;
        }
        tx.commit()?;
        self.activity_detail(activity_id)
    }

    /// Records an excused absence: the watch-list does not count `since..=until`.
    pub fn add_excused(
        &mut self,
        member_id: i64,
        since: &str,
        until: &str,
        reason: &str,
        stamp: &Stamp,
    ) -> Result<ExcusedPeriod> {
        let (s, u, reason, problems) = activity::check_excused(since, until, reason, stamp.today());
        let (Some(s), Some(u), true) = (s, u, problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        member_ref(&tx, member_id)?;
        tx.execute(
            "INSERT INTO excused (member_id, since, until, reason, at, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![member_id, s, u, reason, stamp.at_text(), stamp.actor],
        )?;
        let id = tx.last_insert_rowid();
        write_event(
            &tx,
            stamp,
            Some(member_id),
            AuditAction::Excused,
            Some(&activity::excused_summary(s, u, &reason)),
            &[],
        )?;
        tx.commit()?;
        Ok(ExcusedPeriod {
            id,
            since: s,
            until: u,
            reason,
        })
    }

    pub fn excused(&self, member_id: i64) -> Result<Vec<ExcusedPeriod>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, since, until, reason FROM excused WHERE member_id = ?1 ORDER BY since DESC",
        )?;
        let rows = stmt.query_map([member_id], |r| {
            Ok(ExcusedPeriod {
                id: r.get(0)?,
                since: r.get(1)?,
                until: r.get(2)?,
                reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Members at or past 9 months without activity as of `today` (Art. 13(1)), longest first.
    pub fn watchlist(&self, today: NaiveDate) -> Result<Vec<WatchRow>> {
        watch_rows(&self.conn, today, None)
    }

    /// The member's watch-list row, when it has one.
    pub fn watchlist_of(&self, id: i64, today: NaiveDate) -> Result<Option<WatchRow>> {
        Ok(watch_rows(&self.conn, today, Some(id))?.into_iter().next())
    }

    /// Confirms a deemed withdrawal (Art. 13(1)) as of `input.date`. Only the secretariat does
    /// this, and only for a member past the 12-month mark on that date.
    pub fn confirm_deemed_withdrawal(
        &mut self,
        id: i64,
        input: &LeaveInput,
        stamp: &Stamp,
    ) -> Result<crate::member::Member> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let date = crate::member::step_date(&input.date, Field::Date, stamp.today())?;
        let m = member_ref(&tx, id)?;
        let row = watch_rows(&tx, date, Some(id))?.into_iter().next();
        let months = row.as_ref().map_or(0, |r| r.months);
        let Some(row) = row.filter(|r| r.level == Level::Past) else {
            return Err(activity::not_past_the_mark(&m, date, months));
        };
        let summary = activity::deemed_withdrawal_summary(&row, date);
        end_membership(
            &tx,
            id,
            date,
            LeaveReason::DeemedWithdrawal,
            &clean_multiline(&input.note),
            &summary,
            stamp,
        )?;
        let member = super::rows::get_member(&tx, id)?;
        tx.commit()?;
        Ok(member)
    }
}
