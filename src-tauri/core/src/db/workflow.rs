//! What the charter's workflows share: membership periods, presidium terms, the chair rotation's
//! membership, certificates, leaving (Art. 13), and the member timeline that shows all of it.
//! Every function taking a `Transaction` is one step of a caller's single transaction.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::members::{get_member, key, write_event};
use super::Registry;
use crate::audit::{AuditAction, Change, Stamp};
use crate::certificate::{self, Certificate};
use crate::error::{Error, Field, Problem, Result, Text};
use crate::member::{Member, MemberRef, Status, Tier, ValidMember};
use crate::timeline::{LeaveInput, LeaveReason, TimelineEvent, TimelineKind};

pub(super) const CERTIFICATE_SCHEME: &str = "certificate.scheme";

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

/// The open membership period of a member: its id and start.
pub(super) fn open_membership(c: &Connection, id: i64) -> Result<Option<(i64, NaiveDate)>> {
    Ok(c.query_row(
        "SELECT id, since FROM membership WHERE member_id = ?1 AND until IS NULL",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?)
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

/// An edit may correct details, but becoming presidium (a vote, Art. 8) and leaving
/// (Art. 13) are workflows with their own records; an edit that tries either is refused,
/// except marking a founding initiator, who is presidium by right.
pub(super) fn refuse_workflow_fields(before: &Member, v: &ValidMember) -> Result<()> {
    let mut problems = Vec::new();
    if v.status != before.status {
        problems.push(Problem::new(
            Field::Status,
            "status_by_workflow",
            "成员状态不能在此直接修改：退出请用“办理退出”（书面通知或视为退出），除名须经主席团表决，重新入盟须提交入盟申请。",
            "The status is not edited here: record a withdrawal with 'Leave' (written notice or deemed withdrawal), an expulsion with a presidium vote, and a return with a new application.",
        ));
    }
    let founding_now = v.founding && !before.founding;
    if founding_now && before.status != Status::Active {
        problems.push(Problem::new(
            Field::Founding,
            "founding_not_active",
            "已不在册的成员不能标记为主发起人：主发起人是在册的主席团成员（第八条）。如该单位重新入盟，请先办理入盟申请。",
            "A unit that is no longer a member cannot be marked as founding initiator: founding initiators are presidium members in office (Art. 8). If the unit returns, record its application first.",
        ));
    }
    if v.tier != before.tier && !(founding_now && v.tier == Tier::Presidium) {
        problems.push(Problem::new(
            Field::Tier,
            "tier_by_vote",
            "成为主席团成员须经主席团成员提名并表决通过（第八条），请在“主席团”中记录表决；主发起人可直接勾选“主发起人”。",
            "Joining the presidium takes a nomination and a presidium vote (Art. 8): record the vote under Presidium. Founding initiators may be marked as such directly.",
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
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
            Some(&Text::new(
                "第八条：主发起人为当然的主席团成员",
                "Art. 8: founding initiators are presidium members by right",
            )),
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

/// The next certificate number under the scheme in force; the counter is a setting per scheme
/// and year, and a number already in the table is skipped, so none is ever given twice.
fn next_certificate_number(tx: &Transaction, date: NaiveDate) -> Result<String> {
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

pub(super) const CERTIFICATE_COLUMNS: &str = "id, number, member_id, issued, revoked, revoked_note";

/// Issues the next numbered certificate for the member's open membership (Art. 10(3)).
pub(super) fn issue_certificate(
    tx: &Transaction,
    member_id: i64,
    date: NaiveDate,
    stamp: &Stamp,
) -> Result<Certificate> {
    let (membership, _) = open_membership(tx, member_id)?.ok_or_else(|| {
        Error::refused(
            "not_a_member",
            "该单位目前不是本联盟成员，不能颁发成员证书。",
            "This unit is not a member now, so no certificate can be issued.",
        )
    })?;
    let number = next_certificate_number(tx, date)?;
    tx.prepare_cached("INSERT INTO certificate (number, member_id, membership_id, issued) VALUES (?1, ?2, ?3, ?4)")?.execute(
        params![number, member_id, membership, date],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => Error::refused(
            "certificate_exists",
            "该成员已有有效的成员证书；遗失或损坏时请用“补发”。",
            "This member already holds a valid certificate; use 'Reissue' if it was lost or damaged.",
        ),
        _ => e.into(),
    })?;
    let id = tx.last_insert_rowid();
    write_event(
        tx,
        stamp,
        Some(member_id),
        AuditAction::CertificateIssued,
        Some(&Text::new(
            format!("第十条（三）：颁发成员证书 {number}（{date}）"),
            format!("Art. 10(3): certificate {number} issued on {date}"),
        )),
        &[],
    )?;
    Ok(tx.query_row(
        &format!("SELECT {CERTIFICATE_COLUMNS} FROM certificate WHERE id = ?1"),
        [id],
        certificate_from_row,
    )?)
}

fn revoke_certificates(
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
            Some(&Text::new(
                format!("第十三条（三）：成员证书 {number} 自 {date} 起失效"),
                format!("Art. 13(3): certificate {number} revoked from {date}"),
            )),
            &[],
        )?;
    }
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
        return Err(Error::refused(
            "not_a_member",
            format!("“{}”目前不是在册成员，无需办理退出。", before.name),
            format!(
                "'{}' is not an active member, so it cannot leave.",
                before.name
            ),
        ));
    };
    if date < since {
        return Err(Error::invalid(Problem::new(
            Field::Date,
            "date_before_membership",
            format!("退出日期 {date} 早于本次入盟日期 {since}，请检查。"),
            format!("{date} is before this membership began ({since}); check the date."),
        )));
    }
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

/// A date typed by the clerk for a workflow step: required, valid, and not after today.
pub(super) fn step_date(raw: &str, field: Field, today: NaiveDate) -> Result<NaiveDate> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    let mut problems = Vec::new();
    match crate::member::parse_date(field, raw, today, &mut problems) {
        Some(d) => Ok(d),
        None => Err(Error::Invalid(problems)),
    }
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
        let date = step_date(&input.date, Field::Date, stamp.today())?;
        let note = crate::text::clean_multiline(&input.note);
        let summary = Text::new(
            format!("第十三条（一）：书面通知退出，通知日期 {date}"),
            format!("Art. 13(1) withdrawal by written notice of {date}"),
        );
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
        let date = step_date(date, Field::Date, stamp.today())?;
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
            return Err(Error::refused(
                "no_certificate",
                "该成员没有有效的成员证书可补发；请直接颁发证书。",
                "This member holds no valid certificate to reissue; issue one instead.",
            ));
        };
        let today = stamp.today();
        let reason = crate::text::clean_line(reason);
        tx.prepare_cached(
            "UPDATE certificate SET revoked = ?2, revoked_note = ?3 WHERE number = ?1",
        )?
        .execute(params![old, today, "superseded"])?;
        let new = issue_certificate(&tx, member_id, today, stamp)?;
        let why = if reason.is_empty() {
            String::new()
        } else {
            format!("（{reason}）")
        };
        tx.prepare_cached("UPDATE certificate SET revoked_note = ?2 WHERE number = ?1")?
            .execute(params![
                old,
                format!(
                    "补发，由 {} 取代{why} / superseded by {}",
                    new.number, new.number
                )
            ])?;
        write_event(
            &tx,
            stamp,
            Some(member_id),
            AuditAction::CertificateRevoked,
            Some(&Text::new(
                format!("补发成员证书 {}，原证书 {old} 作废{why}", new.number),
                format!("certificate {} reissued; {old} superseded", new.number),
            )),
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

    /// The certificate scheme in force.
    pub fn certificate_scheme(&self) -> Result<String> {
        Ok(self
            .setting(CERTIFICATE_SCHEME)?
            .unwrap_or_else(|| certificate::DEFAULT_SCHEME.to_string()))
    }

    pub fn set_certificate_scheme(&mut self, scheme: &str) -> Result<()> {
        certificate::check_scheme(scheme).map_err(Error::invalid)?;
        self.set_setting(CERTIFICATE_SCHEME, scheme.trim())
    }

    /// The largest spreadsheet to import, in MB.
    pub fn import_max_mb(&self) -> Result<u32> {
        Ok(self
            .setting(crate::exchange::read::IMPORT_MAX_MB_SETTING)?
            .and_then(|v| v.parse().ok())
            .filter(|mb| (1..=1024).contains(mb))
            .unwrap_or(crate::exchange::read::DEFAULT_MAX_MB as u32))
    }

    /// The limits a spreadsheet to import is read within.
    pub fn import_limits(&self) -> Result<crate::exchange::read::Limits> {
        Ok(crate::exchange::read::Limits {
            max_bytes: u64::from(self.import_max_mb()?) << 20,
        })
    }

    pub fn workflow_settings(&self) -> Result<crate::vocabulary::WorkflowSettings> {
        use crate::notice::NoticeKind;
        Ok(crate::vocabulary::WorkflowSettings {
            certificate_scheme: self.certificate_scheme()?,
            chair_term_months: self.chair_term_months()?,
            import_max_mb: self.import_max_mb()?,
            approval: self.notice_template(NoticeKind::Approval)?,
            rejection: self.notice_template(NoticeKind::Rejection)?,
        })
    }

    /// Saves the workflow settings in one transaction, after checking all of them: the
    /// certificate scheme, the chair's term (1-60 months), and both notice templates.
    pub fn save_workflow_settings(
        &mut self,
        s: &crate::vocabulary::WorkflowSettings,
    ) -> Result<()> {
        use crate::notice::{NoticeKind, Template};
        let mut problems = Vec::new();
        if let Err(p) = certificate::check_scheme(&s.certificate_scheme) {
            problems.push(p);
        }
        if !(1..=60).contains(&s.chair_term_months) {
            problems.push(Problem::new(
                Field::Until,
                "term_length",
                "轮值主席任期须在 1 到 60 个月之间。",
                "The chair's term must be between 1 and 60 months.",
            ));
        }
        if !(1..=1024).contains(&s.import_max_mb) {
            problems.push(Problem::new(
                Field::File,
                "import_limit",
                "导入文件大小上限须在 1 到 1024 MB 之间。",
                "The import size limit must be between 1 and 1024 MB.",
            ));
        }
        for (t, kind) in [
            (&s.approval, NoticeKind::Approval),
            (&s.rejection, NoticeKind::Rejection),
        ] {
            let blank = [&t.subject_zh, &t.subject_en, &t.body_zh, &t.body_en]
                .iter()
                .any(|v| v.trim().is_empty());
            if blank || t.kind != kind {
                let l = kind.label();
                problems.push(Problem::new(
                    Field::Notes,
                    "template_incomplete",
                    format!("“{}”的标题和正文（中英文）都不能为空。", l.zh),
                    format!(
                        "The {} needs a subject and a body in both languages.",
                        l.en.to_lowercase()
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let json =
            |t: &Template| serde_json::to_string(t).map_err(|e| Error::Storage(e.to_string()));
        for (k, v) in [
            (
                CERTIFICATE_SCHEME.to_string(),
                s.certificate_scheme.trim().to_string(),
            ),
            (
                "chair.term_months".to_string(),
                s.chair_term_months.to_string(),
            ),
            (
                crate::exchange::read::IMPORT_MAX_MB_SETTING.to_string(),
                s.import_max_mb.to_string(),
            ),
            (
                Template::setting_key(NoticeKind::Approval),
                json(&s.approval)?,
            ),
            (
                Template::setting_key(NoticeKind::Rejection),
                json(&s.rejection)?,
            ),
        ] {
            tx.prepare_cached(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![k, v])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Everything that happened to a member, oldest first.
    pub fn timeline(&self, id: i64) -> Result<Vec<TimelineEvent>> {
        let c = &self.conn;
        let mut out: Vec<TimelineEvent> = Vec::new();
        let mut push = |date: NaiveDate, kind: TimelineKind, zh: String, en: String| {
            out.push(TimelineEvent {
                date,
                kind,
                text: Text::new(zh, en),
            })
        };
        let mut stmt = c.prepare(
            "SELECT e.on_date, e.state, e.note, a.id FROM application_event e
             JOIN application a ON a.id = e.application_id WHERE a.member_id = ?1 ORDER BY e.id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let mut seen = std::collections::HashSet::new();
        for row in rows {
            let (date, state, note, app) = row?;
            // A decided state recorded a second time is the notice to the responsible person
            // (Art. 10(3)), not a second decision.
            if !seen.insert((app, state.clone())) {
                push(
                    date,
                    TimelineKind::Application,
                    format!("入盟申请第 {app} 号：已通知负责人（第十条第三项）"),
                    format!(
                        "Application no. {app}: the responsible person was notified (Art. 10(3))"
                    ),
                );
                continue;
            }
            let label = crate::application::ApplicationState::parse(&state)
                .map(|s| s.label())
                .unwrap_or_else(|| Text::new(state.clone(), state.clone()));
            let (zh_note, en_note) = if note.is_empty() {
                (String::new(), String::new())
            } else {
                (format!("：{note}"), format!(": {note}"))
            };
            push(
                date,
                TimelineKind::Application,
                format!("入盟申请第 {app} 号 {}{zh_note}", label.zh),
                format!("Application no. {app} {}{en_note}", label.en.to_lowercase()),
            );
        }
        let mut stmt = c.prepare(
            "SELECT since, until, until_reason, until_note FROM membership WHERE member_id = ?1 ORDER BY since",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, Option<NaiveDate>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (since, until, reason, note) = row?;
            push(
                since,
                TimelineKind::Joined,
                "成为本联盟成员".into(),
                "Became a member".into(),
            );
            if let (Some(until), Some(reason)) =
                (until, reason.as_deref().and_then(LeaveReason::parse))
            {
                let l = reason.label();
                let (zn, en) = if note.is_empty() {
                    (String::new(), String::new())
                } else {
                    (format!("：{note}"), format!(": {note}"))
                };
                push(
                    until,
                    TimelineKind::Left,
                    format!("{}{}{zn}", reason.article().zh, l.zh),
                    format!("{} {}{en}", reason.article().en, l.en.to_lowercase()),
                );
            }
        }
        for cert in self.certificates(id)? {
            push(
                cert.issued,
                TimelineKind::Certificate,
                format!("颁发成员证书 {}", cert.number),
                format!("Certificate {} issued", cert.number),
            );
            if let Some(r) = cert.revoked {
                push(
                    r,
                    TimelineKind::Certificate,
                    format!("成员证书 {} 失效", cert.number),
                    format!("Certificate {} revoked", cert.number),
                );
            }
        }
        let mut stmt = c.prepare(
            "SELECT since, until, basis FROM presidium_term WHERE member_id = ?1 ORDER BY since",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, Option<NaiveDate>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (since, until, basis) = row?;
            let (zh, en) = if basis == "founding" {
                (
                    "作为主发起人成为主席团成员",
                    "Presidium member by right as a founding initiator",
                )
            } else {
                ("成为主席团成员", "Became a presidium member")
            };
            push(since, TimelineKind::Presidium, zh.into(), en.into());
            if let Some(u) = until {
                push(
                    u,
                    TimelineKind::Presidium,
                    "离开主席团".into(),
                    "Left the presidium".into(),
                );
            }
        }
        let mut stmt = c.prepare(
            "SELECT vote_date, kind, yes, in_office, passed FROM motion WHERE member_id = ?1 ORDER BY vote_date, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        for row in rows {
            let (date, kind, yes, n, passed) = row?;
            let k = crate::presidium::MotionKind::parse(&kind)
                .map(|k| k.label())
                .unwrap_or_else(|| Text::new(kind.clone(), kind.clone()));
            let (rz, re) = if passed {
                ("通过", "passed")
            } else {
                ("未通过", "failed")
            };
            push(
                date,
                TimelineKind::Vote,
                format!("主席团表决（{}）：{n} 人中 {yes} 票赞成，{rz}", k.zh),
                format!(
                    "Presidium vote ({}): {yes} of {n} yes, {re}",
                    k.en.to_lowercase()
                ),
            );
        }
        let mut stmt =
            c.prepare("SELECT since, until FROM chair_term WHERE member_id = ?1 ORDER BY since")?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, NaiveDate>(1)?))
        })?;
        for row in rows {
            let (since, until) = row?;
            push(
                since,
                TimelineKind::Chair,
                format!("担任轮值主席（至 {until}）"),
                format!("Rotating chair (until {until})"),
            );
        }
        let mut stmt = c.prepare(
            "SELECT a.date, a.title, t.person FROM attendance t JOIN activity a ON a.id = t.activity_id
             WHERE t.member_id = ?1 ORDER BY a.date",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (date, title, person) = row?;
            let (pz, pe) = if person.is_empty() {
                (String::new(), String::new())
            } else {
                (format!("（{person}）"), format!(" ({person})"))
            };
            push(
                date,
                TimelineKind::Activity,
                format!("参加“{title}”{pz}"),
                format!("Attended '{title}'{pe}"),
            );
        }
        let mut stmt = c.prepare(
            "SELECT since, until, reason FROM excused WHERE member_id = ?1 ORDER BY since",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, NaiveDate>(0)?,
                r.get::<_, NaiveDate>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (since, until, reason) = row?;
            push(
                since,
                TimelineKind::Excused,
                format!("请假至 {until}：{reason}"),
                format!("Excused until {until}: {reason}"),
            );
        }
        let mut stmt =
            c.prepare("SELECT since, name FROM liaison WHERE member_id = ?1 ORDER BY since")?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (since, name) = row?;
            push(
                since,
                TimelineKind::Liaison,
                format!("联络员：{name}"),
                format!("Liaison: {name}"),
            );
        }
        // Stable: on one day, events keep the order they were gathered in (application before
        // joining before the certificate).
        out.sort_by_key(|e| e.date);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_date_defaults_to_today_and_may_not_be_later() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(step_date("", Field::Date, today).unwrap(), today);
        assert_eq!(
            step_date("２０２６-１１-０１", Field::Date, today).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
        assert!(step_date("2026-12-01", Field::Date, today).is_err());
    }
}
