//! What the store's modules share: reading a member (whole, or as a reference) from a row,
//! and writing the audit log beside a change.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::audit::{AuditAction, Change, Stamp};
use crate::error::{Error, Result};
use crate::lang::Text;
use crate::member::{Kind, Member, MemberRef, Origin, Person, Status, Tier};

pub(super) fn member_ref_from_row(r: &rusqlite::Row, at: usize) -> rusqlite::Result<MemberRef> {
    Ok(MemberRef {
        id: r.get(at)?,
        member_no: r.get(at + 1)?,
        name: r.get(at + 2)?,
        tier: key(r, at + 3, Tier::parse)?,
        status: key(r, at + 4, Status::parse)?,
    })
}

/// The columns [`member_ref_from_row`] reads, from a member aliased `m`.
pub(super) const REF_COLUMNS: &str = "m.id, m.member_no, m.name, m.tier, m.status";

pub(super) fn member_ref(c: &Connection, id: i64) -> Result<MemberRef> {
    c.query_row(
        &format!("SELECT {REF_COLUMNS} FROM member m WHERE m.id = ?1"),
        [id],
        |r| member_ref_from_row(r, 0),
    )
    .optional()?
    .ok_or(Error::MemberNotFound(id))
}

/// Reads a stored enum key; a value the schema's CHECK let through but this version does not
/// know is reported rather than guessed.
pub(super) fn key<T>(row: &Row, i: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let s: String = row.get(i)?;
    parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown value {s:?}").into(),
        )
    })
}

pub(super) const MEMBER_COLUMNS: &str =
    "m.id, m.member_no, m.name, m.name_en, m.kind, m.origin, m.region,
    m.city, m.uscc, m.registration_no, m.address, m.website, m.head_name, m.head_title,
    m.head_phone, m.head_email, m.intro, m.tier, m.founding, m.status, m.joined, m.notes,
    m.created_at, m.updated_at, l.name, l.title, l.phone, l.email, l.since, m.revision";

pub(super) const FROM_MEMBER: &str =
    "FROM member m LEFT JOIN liaison l ON l.member_id = m.id AND l.until IS NULL";

pub(super) fn member_from_row(r: &Row) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        member_no: r.get(1)?,
        name: r.get(2)?,
        name_en: r.get(3)?,
        kind: key(r, 4, Kind::parse)?,
        origin: key(r, 5, Origin::parse)?,
        region: r.get(6)?,
        city: r.get(7)?,
        uscc: r.get(8)?,
        registration_no: r.get(9)?,
        address: r.get(10)?,
        website: r.get(11)?,
        head: Person {
            name: r.get(12)?,
            title: r.get(13)?,
            phone: r.get(14)?,
            email: r.get(15)?,
        },
        intro: r.get(16)?,
        tier: key(r, 17, Tier::parse)?,
        founding: r.get(18)?,
        status: key(r, 19, Status::parse)?,
        joined: r.get(20)?,
        notes: r.get(21)?,
        created_at: r.get(22)?,
        updated_at: r.get(23)?,
        liaison: Person {
            name: r.get::<_, Option<String>>(24)?.unwrap_or_default(),
            title: r.get::<_, Option<String>>(25)?.unwrap_or_default(),
            phone: r.get::<_, Option<String>>(26)?.unwrap_or_default(),
            email: r.get::<_, Option<String>>(27)?.unwrap_or_default(),
        },
        liaison_since: r.get(28)?,
        revision: r.get(29)?,
    })
}

pub(super) fn get_member(tx: &rusqlite::Connection, id: i64) -> Result<Member> {
    // `(SELECT ?1)` rather than `?1`: SQLite propagates a bare parameter into the join
    // and then recompiles the statement for every new value, which cost an import of
    // 100,000 rows a third of its time.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!("SELECT {MEMBER_COLUMNS} {FROM_MEMBER} WHERE m.id = (SELECT ?1)")
    });
    tx.prepare_cached(&SQL)?
        .query_row([id], member_from_row)
        .optional()?
        .ok_or(Error::MemberNotFound(id))
}

pub(super) fn write_audit(
    tx: &Transaction,
    stamp: &Stamp,
    member_id: i64,
    action: AuditAction,
    changes: &[Change],
) -> Result<()> {
    write_event(tx, stamp, Some(member_id), action, None, changes)
}

/// An audit row with a summary naming the charter article behind it.
pub(super) fn write_event(
    tx: &Transaction,
    stamp: &Stamp,
    member_id: Option<i64>,
    action: AuditAction,
    summary: Option<&Text>,
    changes: &[Change],
) -> Result<()> {
    let json = serde_json::to_string(changes).map_err(|e| Error::Storage(e.to_string()))?;
    let summary = match summary {
        Some(t) => serde_json::to_string(t).map_err(|e| Error::Storage(e.to_string()))?,
        None => String::new(),
    };
    tx.prepare_cached(
        "INSERT INTO audit (at, actor, member_id, action, summary, changes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        stamp.at_text(),
        stamp.actor,
        member_id,
        action.key(),
        summary,
        json
    ])?;
    Ok(())
}

/// The open membership period of a member: its id and start.
pub(super) fn open_membership(c: &Connection, id: i64) -> Result<Option<(i64, NaiveDate)>> {
    Ok(c.query_row(
        "SELECT id, since FROM membership WHERE member_id = ?1 AND until IS NULL",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?)
}
