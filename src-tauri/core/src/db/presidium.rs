//! Presidium votes (admission, Art. 8; expulsion, Art. 13(2)) and the rotating chair.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::periods::{end_membership, join_presidium, member_on, presidium_on, set_standing};
use super::rows::{key, member_ref, member_ref_from_row, write_event, REF_COLUMNS};
use super::Registry;
use crate::audit::{AuditAction, Change, Stamp};
use crate::error::{Error, Result};
use crate::field::Field;
use crate::member::{MemberRef, Status, Tier};
use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::presidium::{
    self, ChairTerm, MemberVote, Motion, MotionFacts, MotionInput, MotionKind, PresidiumView,
    Rotation, Tally, VoteChoice,
};
use crate::rotation;
use crate::timeline::LeaveReason;

const TERM_MONTHS: &str = "chair.term_months";

fn motion_not_found(id: i64) -> Error {
    presidium::not_found(id)
}

fn load_motion(c: &Connection, id: i64) -> Result<Motion> {
    let (kind, member_id, vote_date, report, in_office, yes, no, abstain, passed, at, actor): (
        String, i64, NaiveDate, String, u32, u32, u32, u32, bool, String, String,
    ) = c
        .query_row(
            "SELECT kind, member_id, vote_date, report, in_office, yes, no, abstain, passed, at, actor
             FROM motion WHERE id = ?1",
            [id],
            |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?))
            },
        )
        .optional()?
        .ok_or_else(|| motion_not_found(id))?;
    let mut stmt = c.prepare(&format!(
        "SELECT {REF_COLUMNS} FROM nomination n JOIN member m ON m.id = n.member_id
         WHERE n.motion_id = ?1 ORDER BY m.member_no"
    ))?;
    let nominators = stmt
        .query_map([id], |r| member_ref_from_row(r, 0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut stmt = c.prepare(&format!(
        "SELECT {REF_COLUMNS}, v.choice FROM vote v JOIN member m ON m.id = v.member_id
         WHERE v.motion_id = ?1 ORDER BY m.founding DESC, m.member_no"
    ))?;
    let votes = stmt
        .query_map([id], |r| {
            Ok(MemberVote {
                member: member_ref_from_row(r, 0)?,
                choice: key(r, 5, VoteChoice::parse)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Motion {
        id,
        kind: MotionKind::parse(&kind).unwrap_or(MotionKind::Admission),
        member: member_ref(c, member_id)?,
        vote_date,
        report,
        tally: Tally {
            in_office,
            yes,
            no,
            abstain,
            absent: in_office.saturating_sub(yes + no + abstain),
            passed,
        },
        nominators,
        votes,
        at,
        actor,
    })
}

/// Stores a checked motion, its nominations and every member in office's vote (absent where
/// none was recorded); returns its id.
fn insert_motion(
    tx: &rusqlite::Transaction,
    input: &MotionInput,
    member_id: i64,
    date: NaiveDate,
    in_office: &[MemberRef],
    tally: &Tally,
    stamp: &Stamp,
) -> Result<i64> {
    let report = crate::text::clean_multiline(&input.report);
    tx.execute(
        "INSERT INTO motion (kind, member_id, vote_date, report, in_office, yes, no, abstain, passed, at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![input.kind.key(), member_id, date, report, tally.in_office, tally.yes, tally.no, tally.abstain, tally.passed, stamp.at_text(), stamp.actor],
    )?;
    let id = tx.last_insert_rowid();
    for n in input.counted_nominators() {
        tx.execute(
            "INSERT OR IGNORE INTO nomination (motion_id, member_id) VALUES (?1, ?2)",
            params![id, n],
        )?;
    }
    for m in in_office {
        let choice = input
            .votes
            .iter()
            .find(|v| v.member_id == m.id)
            .map_or(VoteChoice::Absent, |v| v.choice);
        tx.execute(
            "INSERT INTO vote (motion_id, member_id, choice) VALUES (?1, ?2, ?3)",
            params![id, m.id, choice.key()],
        )?;
    }
    Ok(id)
}

impl Registry {
    /// Presidium members in office on `date`.
    pub fn presidium_on(&self, date: NaiveDate) -> Result<Vec<MemberRef>> {
        presidium_on(&self.conn, date)
    }

    /// Records a presidium vote and applies its computed result: a passed admission makes the
    /// candidate a presidium member from the vote date; a passed expulsion ends its membership
    /// (Art. 13(2)). A failed motion is recorded and changes nothing else.
    pub fn record_motion(&mut self, input: &MotionInput, stamp: &Stamp) -> Result<Motion> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (date, mut problems) = presidium::check_motion_input(input, stamp.today());
        let member = input.member_id.map(|id| member_ref(&tx, id)).transpose()?;
        let Some(date) = date else {
            return Err(Error::Invalid(problems));
        };
        let in_office = presidium_on(&tx, date)?;
        if in_office.is_empty() {
            return Err(presidium::no_presidium(date));
        }
        let member_then = match &member {
            Some(m) => Some((m, member_on(&tx, m.id, date)?)),
            None => None,
        };
        let mut names = HashMap::new();
        for id in input
            .counted_nominators()
            .iter()
            .chain(input.votes.iter().map(|v| &v.member_id))
        {
            if let Entry::Vacant(e) = names.entry(*id) {
                let known = in_office
                    .iter()
                    .find(|m| m.id == *id)
                    .map(|m| m.name.clone());
                e.insert(match known {
                    Some(name) => name,
                    None => member_ref(&tx, *id)?.name,
                });
            }
        }
        let facts = MotionFacts {
            date,
            member: member_then,
            in_office: &in_office,
            names: &names,
        };
        problems.extend(presidium::check_motion(input, &facts));
        let Some(member) = member.filter(|_| problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let choices: Vec<VoteChoice> = input.votes.iter().map(|v| v.choice).collect();
        let tally = Tally::count(in_office.len() as u32, &choices);
        let id = insert_motion(&tx, input, member.id, date, &in_office, &tally, stamp)?;
        let summary = presidium::motion_summary(input.kind, &tally, date);
        match (input.kind, tally.passed) {
            (MotionKind::Admission, true) => {
                set_standing(&tx, member.id, Status::Active, Tier::Presidium, stamp)?;
                join_presidium(&tx, member.id, date, &format!("motion {id}"))?;
                let change = Change {
                    field: Field::Tier,
                    before: Tier::Ordinary.key().into(),
                    after: Tier::Presidium.key().into(),
                };
                let (action, member) = (AuditAction::TierChange, Some(member.id));
                write_event(&tx, stamp, member, action, Some(&summary), &[change])?;
            }
            (MotionKind::Expulsion, true) => {
                let report = crate::text::clean_multiline(&input.report);
                let reason = LeaveReason::Expulsion;
                end_membership(&tx, member.id, date, reason, &report, &summary, stamp)?;
            }
            (_, false) => {
                let (action, member) = (AuditAction::TierChange, Some(member.id));
                write_event(&tx, stamp, member, action, Some(&summary), &[])?;
            }
        }
        let motion = load_motion(&tx, id)?;
        tx.commit()?;
        Ok(motion)
    }

    pub fn motion(&self, id: i64) -> Result<Motion> {
        load_motion(&self.conn, id)
    }

    /// Recorded votes, newest first; of one member when `member_id` is given.
    pub fn motions(&self, member_id: Option<i64>) -> Result<Vec<Motion>> {
        let ids: Vec<i64> = self
            .conn
            .prepare("SELECT id FROM motion WHERE ?1 IS NULL OR member_id = ?1 ORDER BY vote_date DESC, id DESC")?
            .query_map([member_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter()
            .map(|id| load_motion(&self.conn, id))
            .collect()
    }

    /// The chair's term length in months (a setting; one year unless changed).
    pub fn chair_term_months(&self) -> Result<u32> {
        Ok(self
            .setting(TERM_MONTHS)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(12))
    }

    pub fn set_chair_term_months(&mut self, months: u32) -> Result<()> {
        rotation::check_term_months(months).map_err(Error::invalid)?;
        self.set_setting(TERM_MONTHS, &months.to_string())
    }

    fn chair_terms(&self) -> Result<Vec<ChairTerm>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REF_COLUMNS}, t.since, t.until FROM chair_term t JOIN member m ON m.id = t.member_id
             ORDER BY t.since"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(ChairTerm {
                member: member_ref_from_row(r, 0)?,
                since: r.get(5)?,
                until: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The rotation: order, who chaired this round, the current and next chair.
    pub fn rotation(&self, today: NaiveDate) -> Result<Rotation> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REF_COLUMNS} FROM rotation r JOIN member m ON m.id = r.member_id ORDER BY r.position"
        ))?;
        let order = stmt
            .query_map([], |r| member_ref_from_row(r, 0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let terms = self.chair_terms()?;
        let ids: Vec<i64> = order.iter().map(|m| m.id).collect();
        let plain: Vec<rotation::Term> = terms
            .iter()
            .map(|t| rotation::Term {
                member_id: t.member.id,
                start: t.since,
            })
            .collect();
        let next = rotation::next_chair(&ids, &plain)
            .and_then(|id| order.iter().find(|m| m.id == id).cloned());
        let current = terms
            .iter()
            .rev()
            .find(|t| t.since <= today && today < t.until)
            .cloned();
        Ok(Rotation {
            chaired_this_round: rotation::chaired_this_round(&ids, &plain),
            order,
            current,
            next,
            terms: terms.into_iter().rev().collect(),
            term_months: self.chair_term_months()?,
        })
    }

    /// Sets the rotation order. It must list every member now in the rotation, once each.
    pub fn set_rotation_order(&mut self, ids: &[i64], stamp: &Stamp) -> Result<Rotation> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut current: Vec<i64> = tx
            .prepare("SELECT member_id FROM rotation ORDER BY member_id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut given = ids.to_vec();
        given.sort_unstable();
        current.sort_unstable();
        if given != current {
            return Err(Error::invalid(rotation::order_incomplete()));
        }
        for (i, id) in ids.iter().enumerate() {
            tx.execute(
                "UPDATE rotation SET position = ?2 WHERE member_id = ?1",
                params![id, i as i64 + 1],
            )?;
        }
        write_event(
            &tx,
            stamp,
            None,
            AuditAction::Rotation,
            Some(&rotation::order_changed()),
            &[],
        )?;
        tx.commit()?;
        self.rotation(stamp.today())
    }

    /// Starts a member's term as rotating chair on `since` (Art. 8): only a member in the
    /// rotation who has not chaired in the current round. A term still running ends that day.
    pub fn start_chair_term(
        &mut self,
        member_id: i64,
        since: &str,
        stamp: &Stamp,
    ) -> Result<Rotation> {
        let horizon = stamp.today() + chrono::Days::new(366);
        let since = crate::member::step_date(since, Field::Since, horizon)?;
        // The rules read the terms, so they run inside the write lock: the app and the CLI
        // starting a term at once queue here, and the second sees the first's term.
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let rot = self.rotation(stamp.today())?;
        let member = member_ref(&self.conn, member_id)?;
        let ids: Vec<i64> = rot.order.iter().map(|m| m.id).collect();
        if !ids.contains(&member_id) {
            return Err(rotation::not_in_rotation(&member.name));
        }
        let terms: Vec<rotation::Term> = rot
            .terms
            .iter()
            .rev()
            .map(|t| rotation::Term {
                member_id: t.member.id,
                start: t.since,
            })
            .collect();
        if !rotation::may_chair(&ids, &terms, member_id) {
            let waiting: Vec<String> = rot
                .order
                .iter()
                .filter(|m| !rot.chaired_this_round.contains(&m.id))
                .map(|m| m.name.clone())
                .collect();
            return Err(rotation::chaired_already(&member.name, &waiting));
        }
        if let Some(last) = rot.terms.first() {
            rotation::check_term_start(since, last.since).map_err(Error::invalid)?;
        }
        let until = rotation::term_end(since, rot.term_months);
        tx.execute("UPDATE chair_term SET until = ?1 WHERE until > ?1", [since])?;
        tx.execute(
            "INSERT INTO chair_term (member_id, since, until) VALUES (?1, ?2, ?3)",
            params![member_id, since, until],
        )?;
        write_event(
            &tx,
            stamp,
            Some(member_id),
            AuditAction::ChairTerm,
            Some(&rotation::chair_term_summary(since, until)),
            &[],
        )?;
        tx.commit()?;
        self.rotation(stamp.today())
    }

    /// The presidium screen.
    pub fn presidium_view(&self, today: NaiveDate) -> Result<PresidiumView> {
        Ok(PresidiumView {
            in_office: presidium_on(&self.conn, today)?,
            rotation: self.rotation(today)?,
            motions: self.motions(None)?,
        })
    }
}
