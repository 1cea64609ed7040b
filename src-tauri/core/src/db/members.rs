//! Member queries: create, update, look up, list and search, with the liaison history, the
//! search index and the audit log written in the same transaction as the member.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::rows::{get_member, key, member_from_row, write_audit, FROM_MEMBER, MEMBER_COLUMNS};
use super::Registry;
use crate::audit::{diff, AuditAction, AuditEntry, Change, Stamp};
use crate::error::{Error, Problem, Result};
use crate::field::Field;
use crate::lang::Text;
use crate::listing::{LiaisonPeriod, MemberDetail, MemberPage, MemberQuery, MemberRow, Sort};
use crate::member::{Kind, Member, MemberInput, Origin, Person, Status, Tier, ValidMember};
use crate::text::fold_for_search;

/// The folded fields a search looks in: names, codes, member number, liaison, city.
fn search_fields(m: &Member) -> Vec<String> {
    [
        m.name.as_str(),
        &m.name_en,
        m.uscc.as_deref().unwrap_or(""),
        m.registration_no.as_deref().unwrap_or(""),
        &m.member_no,
        &m.liaison.name,
        &m.city,
    ]
    .iter()
    .map(|s| fold_for_search(s))
    .filter(|s| !s.is_empty())
    .collect()
}

/// Every character as its own token, for the `member_chars` index. Fields are kept apart by
/// a two-letter token that no one- or two-character phrase can match, so a short query never
/// matches across the end of one field and the start of the next.
fn spaced_chars(fields: &[String]) -> String {
    let mut out = String::with_capacity(fields.iter().map(|f| f.len() * 2 + 4).sum());
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(" zz ");
        }
        for (j, c) in f.chars().enumerate() {
            if j > 0 {
                out.push(' ');
            }
            out.push(c);
        }
    }
    out
}

/// A search string as an FTS5 phrase: quotes doubled, the whole wrapped in quotes, so that
/// whatever the clerk types is matched literally.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Problems only the database can see: a code or member number already in use.
fn uniqueness_problems(
    conn: &rusqlite::Connection,
    uscc: Option<&str>,
    member_no: Option<&str>,
    status: Status,
    id: Option<i64>,
) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let other = id.unwrap_or(-1);
    if let (Some(code), Status::Active) = (uscc, status) {
        // `(SELECT ?1)`: see get_member; a bare parameter here makes SQLite recompile the
        // statement for each code, to decide on the partial index.
        let clash: Option<(String, String)> = conn
            .prepare_cached(
                "SELECT name, member_no FROM member
                 WHERE uscc = (SELECT ?1) AND status = 'active' AND id <> ?2",
            )?
            .query_row(params![code, other], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((name, no)) = clash {
            problems.push(crate::member::uscc_taken(&name, &no));
        }
    }
    if let Some(no) = member_no {
        let clash: Option<String> = conn
            .prepare_cached("SELECT name FROM member WHERE member_no = ?1 AND id <> ?2")?
            .query_row(params![no, other], |r| r.get(0))
            .optional()?;
        if let Some(name) = clash {
            problems.push(crate::member::member_no_taken(no, &name));
        }
    }
    Ok(problems)
}

/// The setting that remembers the highest numeric member number handed out, so the next one
/// is found without scanning every member.
const LAST_MEMBER_NO: &str = "member_no.last";

/// The next free member number: one more than the highest numeric one, five digits wide.
pub(super) fn next_member_no(tx: &Transaction) -> Result<String> {
    let last: Option<i64> = tx
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM setting WHERE key = ?1",
            [LAST_MEMBER_NO],
            |r| r.get(0),
        )
        .optional()?;
    let last = match last {
        Some(n) => n,
        None => tx
            .prepare_cached("SELECT coalesce(max(CAST(member_no AS INTEGER)), 0) FROM member")?
            .query_row([], |r| r.get(0))?,
    };
    Ok(format!("{:05}", last.saturating_add(1)))
}

/// Keeps [`LAST_MEMBER_NO`] at the highest numeric member number in use, including numbers
/// typed in by hand, so an assigned number never collides with one entered earlier.
pub(super) fn note_member_no(tx: &Transaction, member_no: &str) -> Result<()> {
    if let Ok(n) = member_no.parse::<i64>() {
        tx.prepare_cached(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), ?2)",
        )?
        .execute(params![LAST_MEMBER_NO, n])?;
    }
    Ok(())
}

/// A member's stored columns as named parameters, in one place for the INSERT and the UPDATE,
/// so a new column is bound once. `:member_no` and `:at` come from the caller.
pub(super) fn member_params<'a>(
    member_no: &'a dyn rusqlite::ToSql,
    v: &'a ValidMember,
    at: &'a dyn rusqlite::ToSql,
) -> Vec<(&'static str, &'a dyn rusqlite::ToSql)> {
    vec![
        (":member_no", member_no),
        (":name", &v.name),
        (":name_en", &v.name_en),
        (":kind", &v.kind),
        (":origin", &v.origin),
        (":region", &v.region),
        (":city", &v.city),
        (":uscc", &v.uscc),
        (":registration_no", &v.registration_no),
        (":address", &v.address),
        (":website", &v.website),
        (":head_name", &v.head.name),
        (":head_title", &v.head.title),
        (":head_phone", &v.head.phone),
        (":head_email", &v.head.email),
        (":intro", &v.intro),
        (":tier", &v.tier),
        (":founding", &v.founding),
        (":status", &v.status),
        (":joined", &v.joined),
        (":notes", &v.notes),
        (":name_key", &v.name_key),
        (":at", at),
    ]
}

/// Inserts the member row and notes its number; returns the new id. The caller writes the
/// liaison, search index and audit in the same transaction.
pub(super) fn insert_member(
    tx: &Transaction,
    member_no: &str,
    v: &ValidMember,
    at: &str,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO member (member_no, name, name_en, kind, origin, region, city, uscc,
            registration_no, address, website, head_name, head_title, head_phone, head_email,
            intro, tier, founding, status, joined, notes, name_key, created_at, updated_at)
         VALUES (:member_no, :name, :name_en, :kind, :origin, :region, :city, :uscc,
            :registration_no, :address, :website, :head_name, :head_title, :head_phone,
            :head_email, :intro, :tier, :founding, :status, :joined, :notes, :name_key, :at,
            :at)",
    )?
    .execute(member_params(&member_no, v, &at).as_slice())?;
    let id = tx.last_insert_rowid();
    note_member_no(tx, member_no)?;
    Ok(id)
}

/// Rewrites a member's entries in the search indexes after a change.
pub(super) fn write_search(tx: &Transaction, m: &Member) -> Result<()> {
    tx.prepare_cached("DELETE FROM member_fts WHERE rowid = ?1")?
        .execute([m.id])?;
    tx.prepare_cached("DELETE FROM member_chars WHERE rowid = ?1")?
        .execute([m.id])?;
    index_new_member(tx, m)
}

/// Adds a member just inserted to the search indexes. Deleting first would cost a lookup in
/// each index for a row that cannot be there, which an import pays 100,000 times.
pub(super) fn index_new_member(tx: &Transaction, m: &Member) -> Result<()> {
    let fields = search_fields(m);
    tx.prepare_cached("INSERT INTO member_fts (rowid, text) VALUES (?1, ?2)")?
        .execute(params![m.id, fields.join("\n")])?;
    tx.prepare_cached("INSERT INTO member_chars (rowid, text) VALUES (?1, ?2)")?
        .execute(params![m.id, spaced_chars(&fields)])?;
    Ok(())
}

/// Brings the liaison history in line with the input: a different person or different
/// details close the current period and open a new one; the same details leave it alone.
pub(super) fn write_liaison(
    tx: &Transaction,
    member_id: i64,
    v: &ValidMember,
    default_since: NaiveDate,
) -> Result<()> {
    let current: Option<(i64, Person, NaiveDate)> = tx
        .query_row(
            "SELECT id, name, title, phone, email, since FROM liaison
             WHERE member_id = ?1 AND until IS NULL",
            [member_id],
            |r| {
                let p = Person {
                    name: r.get(1)?,
                    title: r.get(2)?,
                    phone: r.get(3)?,
                    email: r.get(4)?,
                };
                Ok((r.get(0)?, p, r.get(5)?))
            },
        )
        .optional()?;
    let since = v.liaison_since.unwrap_or(default_since);
    match &current {
        Some((_, p, old_since)) if *p == v.liaison => {
            if let Some(s) = v.liaison_since.filter(|s| s != old_since) {
                // A corrected start date moves the end of the previous period with it, so
                // the periods stay back to back. liaison_problems has checked the order.
                tx.prepare_cached(
                    "UPDATE liaison SET until = ?1 WHERE member_id = ?2 AND until = ?3",
                )?
                .execute(params![s, member_id, old_since])?;
                tx.prepare_cached(
                    "UPDATE liaison SET since = ?1 WHERE member_id = ?2 AND until IS NULL",
                )?
                .execute(params![s, member_id])?;
            }
            return Ok(());
        }
        None if v.liaison.is_empty() => return Ok(()),
        _ => {}
    }
    if let Some((id, _, _)) = current {
        tx.prepare_cached("UPDATE liaison SET until = ?1 WHERE id = ?2")?
            .execute(params![since, id])?;
    }
    if !v.liaison.is_empty() {
        let p = &v.liaison;
        tx.prepare_cached(
            "INSERT INTO liaison (member_id, name, title, phone, email, since)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![member_id, p.name, p.title, p.phone, p.email, since])?;
    }
    Ok(())
}

/// The liaison history's rule: periods follow one another. A new liaison starts after the
/// current one did; a corrected start date stays after the previous liaison's.
fn liaison_problems(
    conn: &rusqlite::Connection,
    member_id: i64,
    v: &ValidMember,
    today: NaiveDate,
) -> Result<Vec<Problem>> {
    let current: Option<(Person, NaiveDate)> = conn
        .query_row(
            "SELECT name, title, phone, email, since FROM liaison
             WHERE member_id = ?1 AND until IS NULL",
            [member_id],
            |r| {
                let p = Person {
                    name: r.get(0)?,
                    title: r.get(1)?,
                    phone: r.get(2)?,
                    email: r.get(3)?,
                };
                Ok((p, r.get(4)?))
            },
        )
        .optional()?;
    let Some((person, old_since)) = current else {
        return Ok(Vec::new());
    };
    if person != v.liaison {
        if v.liaison.is_empty() {
            return Ok(Vec::new());
        }
        // The same date as the current liaison's is almost always that date carried over
        // by the edit form, not a real start date: asking beats a zero-length period.
        if v.liaison_since.unwrap_or(today) <= old_since {
            return Ok(vec![crate::member::new_liaison_since(old_since)]);
        }
        return Ok(Vec::new());
    }
    let Some(new_since) = v.liaison_since.filter(|s| *s != old_since) else {
        return Ok(Vec::new());
    };
    let previous: Option<NaiveDate> = conn
        .prepare_cached(
            "SELECT max(since) FROM liaison WHERE member_id = ?1 AND until IS NOT NULL",
        )?
        .query_row([member_id], |r| r.get(0))?;
    match previous {
        Some(prev) if new_since <= prev => Ok(vec![crate::member::liaison_since_not_after(prev)]),
        _ => Ok(Vec::new()),
    }
}

/// Validation and uniqueness together, so a form learns of every problem in one round.
pub(super) fn check(
    conn: &rusqlite::Connection,
    input: &MemberInput,
    id: Option<i64>,
    today: NaiveDate,
) -> Result<ValidMember> {
    match input.validate(today) {
        Ok(v) => {
            let mut problems = uniqueness_problems(
                conn,
                v.uscc.as_deref(),
                v.member_no.as_deref(),
                v.status,
                id,
            )?;
            if let Some(id) = id {
                problems.extend(liaison_problems(conn, id, &v, today)?);
            }
            if problems.is_empty() {
                Ok(v)
            } else {
                Err(Error::Invalid(problems))
            }
        }
        Err(mut problems) => {
            // Uniqueness can still be told for the fields that are themselves valid.
            let bad = |f: Field| problems.iter().any(|p| p.field == f);
            let code = crate::uscc::parse(&input.uscc)
                .ok()
                .filter(|_| !bad(Field::Uscc));
            let no = crate::text::clean_line(&input.member_no);
            let no = (!no.is_empty() && !bad(Field::MemberNo)).then_some(no);
            let more = uniqueness_problems(conn, code.as_deref(), no.as_deref(), input.status, id)?;
            problems.extend(more);
            Err(Error::Invalid(problems))
        }
    }
}

/// The SQL terms and arguments of a member query's search and filters, shared by the list,
/// the roster and the export so that the three always select the same members.
pub(super) struct MemberFilter {
    pub terms: Vec<&'static str>,
    pub args: Vec<(&'static str, Box<dyn rusqlite::ToSql>)>,
    /// The search as folded for the indexes.
    pub folded: String,
}

pub(super) fn member_filter(q: &MemberQuery) -> MemberFilter {
    // Only the filters in use become SQL terms: an unfiltered count is then SQLite's fast
    // count over the smallest index, and each term can use its index.
    let mut terms: Vec<&'static str> = Vec::new();
    let mut args: Vec<(&'static str, Box<dyn rusqlite::ToSql>)> = Vec::new();
    let folded = fold_for_search(&q.search);
    match folded.chars().count() {
        0 => {}
        1 | 2 => {
            let spaced: Vec<String> = folded.chars().map(String::from).collect();
            terms.push("m.id IN (SELECT rowid FROM member_chars WHERE member_chars MATCH :search)");
            args.push((":search", Box::new(fts_phrase(&spaced.join(" ")))));
        }
        _ => {
            terms.push("m.id IN (SELECT rowid FROM member_fts WHERE member_fts MATCH :search)");
            args.push((":search", Box::new(fts_phrase(&folded))));
        }
    }
    if let Some(t) = q.tier {
        terms.push("m.tier = :tier");
        args.push((":tier", Box::new(t.key())));
    }
    if let Some(s) = q.status {
        terms.push("m.status = :status");
        args.push((":status", Box::new(s.key())));
    }
    if let Some(k) = q.kind {
        terms.push("m.kind = :kind");
        args.push((":kind", Box::new(k.key())));
    }
    if let Some(o) = q.origin {
        terms.push("m.origin = :origin");
        args.push((":origin", Box::new(o.key())));
    }
    if !q.region.is_empty() {
        terms.push("m.region = :region");
        args.push((":region", Box::new(q.region.clone())));
    }
    if let Some(d) = q.joined_from {
        terms.push("m.joined >= :joined_from");
        args.push((":joined_from", Box::new(d)));
    }
    if let Some(d) = q.joined_to {
        terms.push("m.joined <= :joined_to");
        args.push((":joined_to", Box::new(d)));
    }
    MemberFilter {
        terms,
        args,
        folded,
    }
}

pub(super) fn member_order(sort: Sort) -> &'static str {
    match sort {
        Sort::MemberNo => "m.member_no",
        Sort::JoinedDesc => "m.joined DESC, m.member_no DESC",
        Sort::UpdatedDesc => "m.updated_at DESC, m.id DESC",
    }
}

/// Every member a query selects (paging ignored), in its order, one at a time: an export of
/// 100,000 members never holds them all.
pub(super) fn each_member(
    conn: &rusqlite::Connection,
    q: &MemberQuery,
    mut f: impl FnMut(Member) -> Result<()>,
) -> Result<()> {
    let MemberFilter { terms, args, .. } = member_filter(q);
    let filter = if terms.is_empty() {
        "1".to_string()
    } else {
        terms.join(" AND ")
    };
    let named: Vec<(&str, &dyn rusqlite::ToSql)> =
        args.iter().map(|(k, v)| (*k, v.as_ref())).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT {MEMBER_COLUMNS} {FROM_MEMBER} WHERE {filter} ORDER BY {}",
        member_order(q.sort)
    ))?;
    let mut rows = stmt.query(named.as_slice())?;
    while let Some(r) = rows.next()? {
        f(member_from_row(r)?)?;
    }
    Ok(())
}

/// [`Registry::create_member`] inside the caller's transaction (an import writes many).
pub(super) fn create_in(tx: &Transaction, input: &MemberInput, stamp: &Stamp) -> Result<Member> {
    let v = check(tx, input, None, stamp.today())?;
    let member_no = match &v.member_no {
        Some(no) => no.clone(),
        None => next_member_no(tx)?,
    };
    let id = insert_member(tx, &member_no, &v, &stamp.at_text())?;
    write_liaison(tx, id, &v, v.joined.unwrap_or(stamp.today()))?;
    super::periods::record_existing_member(tx, id, &v, stamp.today())?;
    let member = get_member(tx, id)?;
    index_new_member(tx, &member)?;
    let empty: Vec<(Field, String)> = member
        .audit_fields()
        .into_iter()
        .map(|(f, _)| (f, String::new()))
        .collect();
    write_audit(
        tx,
        stamp,
        id,
        AuditAction::Create,
        &diff(&empty, &member.audit_fields()),
    )?;
    Ok(member)
}

/// [`Registry::update_member`] inside the caller's transaction. The flag says whether
/// anything changed; when nothing did, nothing was written.
pub(super) fn update_in(
    tx: &Transaction,
    id: i64,
    input: &MemberInput,
    stamp: &Stamp,
) -> Result<(Member, bool)> {
    let before = get_member(tx, id)?;
    // Optimistic concurrency: the form (or script) saw a revision; if someone saved in
    // between, saving over it would silently undo their change.
    if input.revision.is_some_and(|r| r != before.revision) {
        return Err(Error::Stale { name: before.name });
    }
    let v = check(tx, input, Some(id), stamp.today())?;
    let problems = crate::member::check_edit(&before, &v);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let member_no = v
        .member_no
        .clone()
        .unwrap_or_else(|| before.member_no.clone());
    if same_as_stored(&before, &v, &member_no) {
        // Nothing to write: the revision and updated_at stay, and an import run twice
        // changes nothing.
        return Ok((before, false));
    }
    let at = stamp.at_text();
    let mut params = member_params(&member_no, &v, &at);
    params.push((":id", &id));
    tx.prepare_cached(
        "UPDATE member SET member_no = :member_no, name = :name, name_en = :name_en,
            kind = :kind, origin = :origin, region = :region, city = :city, uscc = :uscc,
            registration_no = :registration_no, address = :address, website = :website,
            head_name = :head_name, head_title = :head_title, head_phone = :head_phone,
            head_email = :head_email, intro = :intro, tier = :tier, founding = :founding,
            status = :status, joined = :joined, notes = :notes, name_key = :name_key,
            updated_at = :at,
            revision = revision + 1
         WHERE id = :id",
    )?
    .execute(params.as_slice())?;
    note_member_no(tx, &member_no)?;
    write_liaison(tx, id, &v, stamp.today())?;
    let after = get_member(tx, id)?;
    super::periods::follow_member_edit(tx, &before, &after, stamp)?;
    let (status, other): (Vec<Change>, Vec<Change>) =
        diff(&before.audit_fields(), &after.audit_fields())
            .into_iter()
            .partition(|c| c.field == Field::Status);
    if !other.is_empty() {
        write_audit(tx, stamp, id, AuditAction::Update, &other)?;
    }
    if !status.is_empty() {
        write_audit(tx, stamp, id, AuditAction::StatusChange, &status)?;
    }
    if status.is_empty() && other.is_empty() {
        // Nothing changed: leave updated_at and the search index as they were.
        return Ok((before, false));
    }
    write_search(tx, &after)?;
    Ok((after, true))
}

/// Whether a validated input says exactly what is stored. A liaison start date left out
/// means "unchanged".
fn same_as_stored(m: &Member, v: &ValidMember, member_no: &str) -> bool {
    m.member_no == member_no
        && m.name == v.name
        && m.name_en == v.name_en
        && m.kind == v.kind
        && m.origin == v.origin
        && m.region == v.region
        && m.city == v.city
        && m.uscc == v.uscc
        && m.registration_no == v.registration_no
        && m.address == v.address
        && m.website == v.website
        && m.head == v.head
        && m.liaison == v.liaison
        && v.liaison_since.is_none_or(|d| m.liaison_since == Some(d))
        && m.intro == v.intro
        && m.tier == v.tier
        && m.founding == v.founding
        && m.status == v.status
        && m.joined == v.joined
        && m.notes == v.notes
}

impl Registry {
    /// Every problem with `input`, without writing anything: for a form's inline validation.
    /// `id` is the member being edited, if any.
    pub fn check_member(
        &self,
        input: &MemberInput,
        id: Option<i64>,
        today: NaiveDate,
    ) -> Result<Vec<Problem>> {
        match check(&self.conn, input, id, today) {
            Ok(_) => Ok(Vec::new()),
            Err(Error::Invalid(p)) => Ok(p),
            Err(e) => Err(e),
        }
    }

    /// Records a new member unit. Assigns the next member number when none is given.
    pub fn create_member(&mut self, input: &MemberInput, stamp: &Stamp) -> Result<Member> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let member = create_in(&tx, input, stamp)?;
        tx.commit()?;
        Ok(member)
    }

    /// Replaces a member's details with `input`. A status change is logged as its own audit
    /// row, apart from the other fields, because leaving (Art. 13) is looked for on its own.
    pub fn update_member(&mut self, id: i64, input: &MemberInput, stamp: &Stamp) -> Result<Member> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (member, changed) = update_in(&tx, id, input, stamp)?;
        if changed {
            tx.commit()?;
        }
        Ok(member)
    }

    pub fn member(&self, id: i64) -> Result<Member> {
        get_member(&self.conn, id)
    }

    /// The member with its liaison history and audit trail, for the detail view.
    pub fn member_detail(&self, id: i64, today: NaiveDate) -> Result<MemberDetail> {
        let member = self.member(id)?;
        let mut stmt = self.conn.prepare(
            "SELECT name, title, phone, email, since, until FROM liaison
             WHERE member_id = ?1 ORDER BY since DESC, id DESC",
        )?;
        let liaisons = stmt
            .query_map([id], |r| {
                Ok(LiaisonPeriod {
                    person: Person {
                        name: r.get(0)?,
                        title: r.get(1)?,
                        phone: r.get(2)?,
                        email: r.get(3)?,
                    },
                    since: r.get(4)?,
                    until: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let audit = self.audit(Some(id), 500)?;
        Ok(MemberDetail {
            input: member.to_input(),
            timeline: self.timeline(id)?,
            certificates: self.certificates(id)?,
            attachments: self.attachments_of(super::Owner::Member(id))?,
            excused: self.excused(id)?,
            watch: self.watchlist_of(id, today)?,
            member,
            liaisons,
            audit,
        })
    }

    /// The audit log, newest first: of one member, or of the whole registry.
    pub fn audit(&self, member_id: Option<i64>, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id, a.at, a.actor, a.member_id, coalesce(m.name, ''), a.action, a.changes,
                a.summary
             FROM audit a LEFT JOIN member m ON m.id = a.member_id
             WHERE ?1 IS NULL OR a.member_id = ?1
             ORDER BY a.id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![member_id, limit], |r| {
            let changes: String = r.get(6)?;
            let summary: String = r.get(7)?;
            Ok(AuditEntry {
                summary: serde_json::from_str(&summary).unwrap_or_else(|_| Text::new("", "")),
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                member_id: r.get(3)?,
                member_name: r.get(4)?,
                action: key(r, 5, AuditAction::parse)?,
                changes: serde_json::from_str(&changes).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        6,
                        rusqlite::types::Type::Text,
                        e.into(),
                    )
                })?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One page of the member list, searched, filtered and sorted.
    pub fn list_members(&self, q: &MemberQuery) -> Result<MemberPage> {
        let MemberFilter {
            terms,
            args,
            folded,
        } = member_filter(q);
        let filter = if terms.is_empty() {
            "1".to_string()
        } else {
            terms.join(" AND ")
        };
        let order = member_order(q.sort);
        let limit = q.limit.clamp(1, 1000);
        let named: Vec<(&str, &dyn rusqlite::ToSql)> =
            args.iter().map(|(k, v)| (*k, v.as_ref())).collect();
        // A search alone is counted in its index, without visiting a member row per hit.
        let count_sql = match (terms.as_slice(), folded.chars().count()) {
            ([_], 1 | 2) => {
                "SELECT count(*) FROM member_chars WHERE member_chars MATCH :search".into()
            }
            ([_], 3..) => "SELECT count(*) FROM member_fts WHERE member_fts MATCH :search".into(),
            _ => format!("SELECT count(*) FROM member m WHERE {filter}"),
        };
        let total: u32 = self
            .conn
            .query_row(&count_sql, named.as_slice(), |r| r.get(0))?;
        let mut named = named;
        named.push((":limit", &limit));
        named.push((":offset", &q.offset));
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT m.id, m.member_no, m.name, m.name_en, m.uscc, m.registration_no, m.kind,
                m.origin, m.region, m.city, m.tier, m.founding, m.status, m.joined,
                coalesce(l.name, '')
             {FROM_MEMBER} WHERE {filter} ORDER BY {order} LIMIT :limit OFFSET :offset"
        ))?;
        let rows = stmt
            .query_map(named.as_slice(), |r| {
                Ok(MemberRow {
                    id: r.get(0)?,
                    member_no: r.get(1)?,
                    name: r.get(2)?,
                    name_en: r.get(3)?,
                    uscc: r.get(4)?,
                    registration_no: r.get(5)?,
                    kind: key(r, 6, Kind::parse)?,
                    origin: key(r, 7, Origin::parse)?,
                    region: r.get(8)?,
                    city: r.get(9)?,
                    tier: key(r, 10, Tier::parse)?,
                    founding: r.get(11)?,
                    status: key(r, 12, Status::parse)?,
                    joined: r.get(13)?,
                    liaison_name: r.get(14)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(MemberPage {
            total,
            offset: q.offset,
            limit,
            rows,
        })
    }

    /// The countries/regions in use, for the list's region filter.
    pub fn regions(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT region FROM member WHERE region <> '' GROUP BY region ORDER BY count(*) DESC, region",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    }

    /// Inserts many members in one transaction without per-row audit detail: for benchmarks
    /// and test fixtures that need a large registry quickly. Each still gets its search index.
    #[doc(hidden)]
    pub fn bulk_insert_for_bench(&mut self, inputs: &[MemberInput], stamp: &Stamp) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for input in inputs {
            let v = input.validate(stamp.today()).map_err(Error::Invalid)?;
            let no = match &v.member_no {
                Some(n) => n.clone(),
                None => next_member_no(&tx)?,
            };
            let id = insert_member(&tx, &no, &v, &stamp.at_text())?;
            write_liaison(&tx, id, &v, stamp.today())?;
            super::periods::record_existing_member(&tx, id, &v, stamp.today())?;
            let m = get_member(&tx, id)?;
            index_new_member(&tx, &m)?;
        }
        tx.commit()?;
        Ok(())
    }
}
