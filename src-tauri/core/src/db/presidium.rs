//! Presidium votes (admission, Art. 8; expulsion, Art. 13(2)) and the rotating chair.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::members::{key, write_event};
use super::workflow::{
    end_membership, join_presidium, member_on, member_ref, member_ref_from_row, presidium_on,
    set_standing, step_date, REF_COLUMNS,
};
use super::Registry;
use crate::audit::{AuditAction, Change, Stamp};
use crate::error::{Error, Field, Problem, Result, Text};
use crate::member::{MemberRef, Status, Tier};
use crate::presidium::{
    ChairTerm, MemberVote, Motion, MotionInput, MotionKind, PresidiumView, Rotation, Tally,
    VoteChoice,
};
use crate::rotation;
use crate::timeline::LeaveReason;

const TERM_MONTHS: &str = "chair.term_months";

fn motion_not_found(id: i64) -> Error {
    Error::not_found("主席团表决", "presidium vote", id)
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

fn problem(field: Field, code: &str, zh: String, en: String) -> Problem {
    Problem::new(field, code, zh, en)
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
        let mut problems = Vec::new();
        let date = if input.vote_date.trim().is_empty() {
            problems.push(problem(
                Field::Date,
                "date_missing",
                "请填写表决日期。".into(),
                "Enter the date of the vote.".into(),
            ));
            None
        } else {
            crate::member::parse_date(Field::Date, &input.vote_date, stamp.today(), &mut problems)
        };
        let member = match input.member_id {
            None => {
                problems.push(problem(
                    Field::Candidate,
                    "required",
                    "请选择表决所涉及的成员。".into(),
                    "Choose the member the vote is about.".into(),
                ));
                None
            }
            Some(id) => Some(member_ref(&tx, id)?),
        };
        let report = crate::text::clean_multiline(&input.report);
        let Some(date) = date else {
            return Err(Error::Invalid(problems));
        };
        let in_office = presidium_on(&tx, date)?;
        let in_office_ids: Vec<i64> = in_office.iter().map(|m| m.id).collect();
        if in_office.is_empty() {
            return Err(Error::refused(
                "no_presidium",
                format!("{date} 没有在任的主席团成员，无法表决。请先登记主发起人等主席团成员。"),
                format!("No presidium members were in office on {date}, so there can be no vote. Record the founding initiators first."),
            ));
        }
        if let Some(m) = &member {
            let active_then = member_on(&tx, m.id, date)? && m.status == Status::Active;
            match input.kind {
                MotionKind::Admission if !active_then || m.tier != Tier::Ordinary => problems.push(problem(
                    Field::Candidate,
                    "candidate_not_ordinary",
                    format!("“{}”须是表决日在册的普通成员，才能被增补为主席团成员（第八条）。", m.name),
                    format!("'{}' must be an active ordinary member on the vote date to join the presidium (Art. 8).", m.name),
                )),
                MotionKind::Expulsion if !active_then => problems.push(problem(
                    Field::Candidate,
                    "not_a_member",
                    format!("“{}”在表决日不是在册成员，无法除名。", m.name),
                    format!("'{}' was not an active member on the vote date and cannot be expelled.", m.name),
                )),
                _ => {}
            }
        }
        match input.kind {
            MotionKind::Admission => {
                if input.nominators.is_empty() {
                    problems.push(problem(Field::Nominators, "nominator_missing", "须由主席团成员提名（第八条），请选择提名人。".into(), "A presidium member must nominate the candidate (Art. 8); choose the nominators.".into()));
                }
                for n in &input.nominators {
                    if !in_office_ids.contains(n) {
                        let m = member_ref(&tx, *n)?;
                        problems.push(problem(
                            Field::Nominators,
                            "nominator_not_presidium",
                            format!("提名人“{}”在 {date} 不是主席团成员。", m.name),
                            format!(
                                "The nominator '{}' was not a presidium member on {date}.",
                                m.name
                            ),
                        ));
                    }
                }
            }
            MotionKind::Expulsion => {
                if report.is_empty() {
                    problems.push(problem(Field::Reason, "report_required", "除名须附秘书处的核实报告（第十三条第二项），请填写报告摘要，并可附上报告文件。".into(), "An expulsion needs the secretariat's report of what was verified (Art. 13(2)): summarise it here and attach the file if there is one.".into()));
                }
            }
        }
        let mut seen = Vec::new();
        for v in &input.votes {
            if seen.contains(&v.member_id) {
                let m = member_ref(&tx, v.member_id)?;
                problems.push(problem(
                    Field::Votes,
                    "vote_twice",
                    format!("“{}”的表决被记录了两次。", m.name),
                    format!("'{}' has two votes recorded.", m.name),
                ));
            } else if !in_office_ids.contains(&v.member_id) {
                let m = member_ref(&tx, v.member_id)?;
                problems.push(problem(
                    Field::Votes,
                    "voter_not_presidium",
                    format!("“{}”在 {date} 不是主席团成员，不能参加表决。", m.name),
                    format!(
                        "'{}' was not a presidium member on {date} and cannot vote.",
                        m.name
                    ),
                ));
            }
            seen.push(v.member_id);
        }
        let Some(member) = member.filter(|_| problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let choices: Vec<VoteChoice> = input.votes.iter().map(|v| v.choice).collect();
        let tally = Tally::count(in_office.len() as u32, &choices);
        tx.execute(
            "INSERT INTO motion (kind, member_id, vote_date, report, in_office, yes, no, abstain, passed, at, actor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![input.kind.key(), member.id, date, report, tally.in_office, tally.yes, tally.no, tally.abstain, tally.passed, stamp.at_text(), stamp.actor],
        )?;
        let id = tx.last_insert_rowid();
        for n in &input.nominators {
            tx.execute(
                "INSERT OR IGNORE INTO nomination (motion_id, member_id) VALUES (?1, ?2)",
                params![id, n],
            )?;
        }
        for m in &in_office_ids {
            let choice = input
                .votes
                .iter()
                .find(|v| v.member_id == *m)
                .map_or(VoteChoice::Absent, |v| v.choice);
            tx.execute(
                "INSERT INTO vote (motion_id, member_id, choice) VALUES (?1, ?2, ?3)",
                params![id, m, choice.key()],
            )?;
        }
        let (yes, n) = (tally.yes, tally.in_office);
        let (rz, re) = if tally.passed {
            ("通过", "passed")
        } else {
            ("未通过", "failed")
        };
        match (input.kind, tally.passed) {
            (MotionKind::Admission, true) => {
                set_standing(&tx, member.id, Status::Active, Tier::Presidium, stamp)?;
                join_presidium(&tx, member.id, date, &format!("motion {id}"))?;
                let summary = Text::new(
                    format!("第八条：增补为主席团成员，{date} 表决：{n} 人中 {yes} 票赞成，{rz}"),
                    format!(
                        "Art. 8 admission to the presidium, vote of {date}: {yes} of {n} yes, {re}"
                    ),
                );
                let change = Change {
                    field: Field::Tier,
                    before: Tier::Ordinary.key().into(),
                    after: Tier::Presidium.key().into(),
                };
                write_event(
                    &tx,
                    stamp,
                    Some(member.id),
                    AuditAction::TierChange,
                    Some(&summary),
                    &[change],
                )?;
            }
            (MotionKind::Expulsion, true) => {
                let summary = Text::new(
                    format!("第十三条（二）：除名，{date} 表决：{n} 人中 {yes} 票赞成"),
                    format!("Art. 13(2) expulsion, vote of {date}: {yes} of {n} yes"),
                );
                end_membership(
                    &tx,
                    member.id,
                    date,
                    LeaveReason::Expulsion,
                    &report,
                    &summary,
                    stamp,
                )?;
            }
            (kind, false) => {
                let label = kind.label();
                let summary = Text::new(
                    format!("主席团表决（{}）未通过，{date}：{n} 人中 {yes} 票赞成，未过半数", label.zh),
                    format!("Presidium vote ({}) failed on {date}: {yes} of {n} yes, not more than half", label.en.to_lowercase()),
                );
                write_event(
                    &tx,
                    stamp,
                    Some(member.id),
                    AuditAction::TierChange,
                    Some(&summary),
                    &[],
                )?;
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
        if !(1..=60).contains(&months) {
            return Err(Error::invalid(Problem::new(
                Field::Until,
                "term_length",
                "轮值主席任期须在 1 到 60 个月之间。",
                "The chair's term must be between 1 and 60 months.",
            )));
        }
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
            return Err(Error::invalid(Problem::new(
                Field::Votes,
                "rotation_members",
                "轮值顺序须恰好包含当前轮值的全部主席团成员，每家一次。",
                "The order must list every presidium member now in the rotation, each once.",
            )));
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
            Some(&Text::new(
                "第八条：调整轮值主席顺序",
                "Art. 8: rotation order changed",
            )),
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
        let since = step_date(since, Field::Since, horizon)?;
        // The rules read the terms, so they run inside the write lock: the app and the CLI
        // starting a term at once queue here, and the second sees the first's term.
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        let rot = self.rotation(stamp.today())?;
        let member = member_ref(&self.conn, member_id)?;
        let ids: Vec<i64> = rot.order.iter().map(|m| m.id).collect();
        if !ids.contains(&member_id) {
            return Err(Error::refused(
                "not_in_rotation",
                format!("“{}”不在轮值顺序中（只有在任的主席团成员参加轮值）。", member.name),
                format!("'{}' is not in the rotation (only presidium members in office take the chair).", member.name),
            ));
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
            return Err(Error::refused(
                "chaired_this_round",
                format!("“{}”本轮已担任过轮值主席；须待本轮其他成员（{}）都担任过后才能再次担任（第八条，平等轮流）。", member.name, waiting.join("、")),
                format!("'{}' has chaired in this round; every other member in the rotation ({}) chairs first (Art. 8, equal rotation).", member.name, waiting.join(", ")),
            ));
        }
        if let Some(last) = rot.terms.first() {
            if since <= last.since {
                return Err(Error::invalid(Problem::new(
                    Field::Since,
                    "term_before_previous",
                    format!("新任期的开始日期须晚于上一任期的开始日期 {}。", last.since),
                    format!(
                        "The new term must start after the previous one began ({}).",
                        last.since
                    ),
                )));
            }
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
            Some(&Text::new(
                format!("第八条：担任轮值主席，{since} 至 {until}"),
                format!("Art. 8: rotating chair from {since} to {until}"),
            )),
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
