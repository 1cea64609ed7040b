//! A member's timeline: the facts about it gathered from the workflows' tables, for
//! [`crate::timeline::events`] to describe and put in date order.

use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use super::Registry;
use crate::error::Result;
use crate::timeline::{self, Fact, LeaveReason, TimelineEvent};

/// Each row `sql` finds for the member `id`, read by `read`.
fn each<T>(
    c: &Connection,
    sql: &str,
    id: i64,
    read: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = c.prepare(sql)?;
    let rows = stmt.query_map([id], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Registry {
    /// Everything that happened to a member, oldest first.
    pub fn timeline(&self, id: i64) -> Result<Vec<TimelineEvent>> {
        let mut facts = self.membership_facts(id)?;
        facts.extend(self.participation_facts(id)?);
        Ok(timeline::events(facts))
    }

    /// Its applications, membership periods, certificates and presidium terms.
    fn membership_facts(&self, id: i64) -> Result<Vec<(NaiveDate, Fact)>> {
        let c = &self.conn;
        let mut facts = each(
            c,
            "SELECT e.on_date, a.id, e.state, e.note FROM application_event e
             JOIN application a ON a.id = e.application_id WHERE a.member_id = ?1 ORDER BY e.id",
            id,
            |r| {
                let (application, state, note) = (r.get(1)?, r.get(2)?, r.get(3)?);
                Ok((
                    r.get(0)?,
                    Fact::Application {
                        application,
                        state,
                        note,
                    },
                ))
            },
        )?;
        let periods = each(
            c,
            "SELECT since, until, until_reason, until_note FROM membership
             WHERE member_id = ?1 ORDER BY since",
            id,
            |r| {
                let reason: Option<String> = r.get(2)?;
                let left = r
                    .get::<_, Option<NaiveDate>>(1)?
                    .zip(reason.as_deref().and_then(LeaveReason::parse));
                Ok((r.get::<_, NaiveDate>(0)?, left, r.get::<_, String>(3)?))
            },
        )?;
        for (since, left, note) in periods {
            facts.push((since, Fact::Joined));
            if let Some((until, reason)) = left {
                facts.push((until, Fact::Left { reason, note }));
            }
        }
        for cert in self.certificates(id)? {
            let number = cert.number.clone();
            facts.push((cert.issued, Fact::CertificateIssued { number }));
            if let Some(r) = cert.revoked {
                facts.push((
                    r,
                    Fact::CertificateRevoked {
                        number: cert.number,
                    },
                ));
            }
        }
        let terms = each(
            c,
            "SELECT since, until, basis FROM presidium_term WHERE member_id = ?1 ORDER BY since",
            id,
            |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, Option<NaiveDate>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )?;
        for (since, until, basis) in terms {
            let founding = basis == "founding";
            facts.push((since, Fact::JoinedPresidium { founding }));
            facts.extend(until.map(|u| (u, Fact::LeftPresidium)));
        }
        Ok(facts)
    }

    /// The votes about it, its terms as chair, and its part in the alliance's activities.
    fn participation_facts(&self, id: i64) -> Result<Vec<(NaiveDate, Fact)>> {
        let c = &self.conn;
        let mut facts = each(
            c,
            "SELECT vote_date, kind, yes, in_office, passed FROM motion
             WHERE member_id = ?1 ORDER BY vote_date, id",
            id,
            |r| {
                let (kind, yes, in_office, passed) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
                Ok((
                    r.get(0)?,
                    Fact::Vote {
                        kind,
                        yes,
                        in_office,
                        passed,
                    },
                ))
            },
        )?;
        facts.extend(each(
            c,
            "SELECT since, until FROM chair_term WHERE member_id = ?1 ORDER BY since",
            id,
            |r| Ok((r.get(0)?, Fact::Chair { until: r.get(1)? })),
        )?);
        facts.extend(each(
            c,
            "SELECT a.date, a.title, t.person FROM attendance t
             JOIN activity a ON a.id = t.activity_id WHERE t.member_id = ?1 ORDER BY a.date",
            id,
            |r| {
                Ok((
                    r.get(0)?,
                    Fact::Attended {
                        title: r.get(1)?,
                        person: r.get(2)?,
                    },
                ))
            },
        )?);
        facts.extend(each(
            c,
            "SELECT since, until, reason FROM excused WHERE member_id = ?1 ORDER BY since",
            id,
            |r| {
                Ok((
                    r.get(0)?,
                    Fact::Excused {
                        until: r.get(1)?,
                        reason: r.get(2)?,
                    },
                ))
            },
        )?);
        facts.extend(each(
            c,
            "SELECT since, name FROM liaison WHERE member_id = ?1 ORDER BY since",
            id,
            |r| Ok((r.get(0)?, Fact::Liaison { name: r.get(1)? })),
        )?);
        Ok(facts)
    }
}
