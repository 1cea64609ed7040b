//! Applications to join (Art. 9-10): recorded, reviewed, approved (making a member and its
//! certificate in one transaction), rejected or withdrawn, and the notice of the decision.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::certificates::{certificate_from_row, issue_certificate, CERTIFICATE_COLUMNS};
use super::members::{
    insert_member, member_params, next_member_no, note_member_no, write_liaison, write_search,
};
use super::periods::{member_on, start_membership};
use super::rows::{get_member, member_ref, member_ref_from_row, write_event, REF_COLUMNS};
use super::Registry;
use crate::application::{
    check_own_fields, Application, ApplicationDetail, ApplicationEvent, ApplicationInput,
    ApplicationRow, ApplicationState, Decision, Flag,
};
use crate::audit::{diff, AuditAction, Stamp};
use crate::certificate::Certificate;
use crate::error::{Error, Problem, Result};
use crate::field::Field;
use crate::lang::Text;
use crate::member::{Member, MemberInput, MemberRef, Status, Tier, ValidMember};
use crate::notice::{Notice, NoticeKind, Template, Values};
use crate::text::{clean_line, clean_multiline, name_key};

fn application_not_found(id: i64) -> Error {
    Error::not_found("入盟申请", "application", id)
}

/// The applicant as a new ordinary member joining on `joined`: the fields an application does
/// not decide (number, tier, status) are set here, not taken from the form.
fn as_new_member(applicant: &MemberInput, joined: NaiveDate) -> MemberInput {
    MemberInput {
        member_no: String::new(),
        tier: Tier::Ordinary,
        founding: false,
        status: Status::Active,
        joined: joined.to_string(),
        liaison_since: String::new(),
        revision: None,
        ..applicant.clone()
    }
}

/// Recommenders who were not members on `date`, as problems naming each (Art. 9(1)).
fn recommender_problems(c: &Connection, ids: &[i64], date: NaiveDate) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for &id in ids {
        match member_ref(c, id) {
            Err(Error::MemberNotFound(_)) => problems.push(Problem::new(
                Field::Recommenders,
                "recommender_unknown",
                format!("推荐单位（记录号 {id}）不存在，请重新选择。"),
                format!("Recommender id {id} does not exist; choose again."),
            )),
            Err(e) => return Err(e),
            Ok(m) if !member_on(c, id, date)? => problems.push(Problem::new(
                Field::Recommenders,
                "recommender_not_member",
                format!(
                    "推荐单位“{}”（编号 {}）在 {date} 不是本联盟成员，不能推荐（第九条第一项）。",
                    m.name, m.member_no
                ),
                format!(
                    "The recommender '{}' (no. {}) was not a member on {date} and cannot recommend (Art. 9(1)).",
                    m.name, m.member_no
                ),
            )),
            Ok(_) => {}
        }
    }
    Ok(problems)
}

/// Every problem of an application as entered; the applicant's fields are checked as those of
/// a new member.
fn check_application(
    c: &Connection,
    input: &ApplicationInput,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let mut problems = Vec::new();
    let received = check_own_fields(input, today, &mut problems);
    let joined = received.unwrap_or(today);
    if let Err(p) = as_new_member(&input.applicant, joined).validate(today) {
        problems.extend(p);
    }
    if let Some(date) = received {
        let mut ids = input.recommenders.clone();
        ids.dedup();
        problems.extend(recommender_problems(c, &ids, date)?);
    }
    match received {
        Some(d) if problems.is_empty() => Ok(d),
        _ => Err(Error::Invalid(problems)),
    }
}

const APPLICATION_COLUMNS: &str = "id, applicant, charter_accepted, received, state, member_id,
    reason, presidium_decision, notice_sent, notes, created_at, updated_at, revision";

fn application_from_row(r: &rusqlite::Row) -> rusqlite::Result<Application> {
    let json: String = r.get(1)?;
    Ok(Application {
        id: r.get(0)?,
        applicant: serde_json::from_str(&json).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
        })?,
        charter_accepted: r.get(2)?,
        received: r.get(3)?,
        state: super::rows::key(r, 4, ApplicationState::parse)?,
        member_id: r.get(5)?,
        reason: r.get(6)?,
        presidium_decision: r.get(7)?,
        notice_sent: r.get(8)?,
        notes: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        revision: r.get(12)?,
    })
}

fn get_application(c: &Connection, id: i64) -> Result<Application> {
    c.query_row(
        &format!("SELECT {APPLICATION_COLUMNS} FROM application WHERE id = ?1"),
        [id],
        application_from_row,
    )
    .optional()?
    .ok_or_else(|| application_not_found(id))
}

/// The duplicate guard: members and other open applications with the same code or name.
fn flags(c: &Connection, app_id: Option<i64>, uscc: Option<&str>, key: &str) -> Result<Vec<Flag>> {
    let mut out = Vec::new();
    let mut stmt = c.prepare(&format!(
        "SELECT {REF_COLUMNS} FROM member m
         WHERE (?1 IS NOT NULL AND m.uscc = ?1) OR (?2 <> '' AND m.name_key = ?2)
         ORDER BY (m.uscc IS ?1) DESC, m.id"
    ))?;
    let members = stmt.query_map(params![uscc, key], |r| member_ref_from_row(r, 0))?;
    for m in members {
        out.push(Flag::for_member(m?));
    }
    let mut stmt = c.prepare(
        "SELECT id, name FROM application
         WHERE state IN ('received', 'under_review') AND id <> ?3
           AND ((?1 IS NOT NULL AND uscc = ?1) OR (?2 <> '' AND name_key = ?2))
         ORDER BY id",
    )?;
    let apps = stmt.query_map(params![uscc, key, app_id.unwrap_or(-1)], |r| {
        Ok(Flag::OpenApplication {
            id: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    for a in apps {
        out.push(a?);
    }
    Ok(out)
}

fn applicant_keys(applicant: &MemberInput) -> (String, Option<String>, String) {
    let name = clean_line(&applicant.name);
    let uscc = crate::uscc::parse(&applicant.uscc).ok();
    let key = name_key(&name);
    (name, uscc, key)
}

fn write_event_row(
    tx: &Transaction,
    id: i64,
    state: ApplicationState,
    date: NaiveDate,
    note: &str,
    stamp: &Stamp,
) -> Result<()> {
    tx.execute(
        "INSERT INTO application_event (application_id, state, on_date, note, at, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, state.key(), date, note, stamp.at_text(), stamp.actor],
    )?;
    Ok(())
}

fn write_recommenders(tx: &Transaction, id: i64, ids: &[i64]) -> Result<()> {
    tx.execute("DELETE FROM recommendation WHERE application_id = ?1", [id])?;
    for m in ids {
        tx.execute(
            "INSERT OR IGNORE INTO recommendation (application_id, member_id) VALUES (?1, ?2)",
            params![id, m],
        )?;
    }
    Ok(())
}

/// Moves an open application one step, checking the order of steps and the date.
fn step(
    tx: &Transaction,
    app: &Application,
    to: ApplicationState,
    date: NaiveDate,
    note: &str,
    stamp: &Stamp,
) -> Result<()> {
    if !app.state.may_move_to(to) {
        let (from, want) = (app.state.label(), to.label());
        return Err(Error::refused(
            crate::error::ErrorCode::ApplicationState,
            format!("该申请当前为“{}”，不能改为“{}”。", from.zh, want.zh),
            format!(
                "This application is '{}'; it cannot become '{}'.",
                from.en, want.en
            ),
        ));
    }
    let last: NaiveDate = tx.query_row(
        "SELECT max(on_date) FROM application_event WHERE application_id = ?1",
        [app.id],
        |r| r.get(0),
    )?;
    if date < last {
        return Err(Error::invalid(Problem::new(
            Field::Date,
            "date_before_previous_step",
            format!("日期 {date} 早于该申请上一步的日期 {last}，请检查。"),
            format!("{date} is before the application's previous step ({last}); check the date."),
        )));
    }
    write_event_row(tx, app.id, to, date, note, stamp)?;
    tx.execute(
        "UPDATE application SET state = ?2, updated_at = ?3, revision = revision + 1 WHERE id = ?1",
        params![app.id, to.key(), stamp.at_text()],
    )?;
    Ok(())
}

/// What an approval made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Approval {
    #[ts(type = "number")]
    pub application_id: i64,
    pub member: Member,
    pub certificate: Certificate,
    /// True when the unit was a member before and got its old record and number back.
    pub returning: bool,
}

impl Registry {
    /// Every problem with an application as entered, without writing: for the form.
    pub fn check_application(
        &self,
        input: &ApplicationInput,
        today: NaiveDate,
    ) -> Result<Vec<Problem>> {
        match check_application(&self.conn, input, today) {
            Ok(_) => Ok(Vec::new()),
            Err(Error::Invalid(p)) => Ok(p),
            Err(e) => Err(e),
        }
    }

    /// The duplicate guard's findings for an applicant as typed, before it is saved.
    pub fn applicant_flags(&self, applicant: &MemberInput, id: Option<i64>) -> Result<Vec<Flag>> {
        let (_, uscc, key) = applicant_keys(applicant);
        flags(&self.conn, id, uscc.as_deref(), &key)
    }

    /// Records a received application (Art. 10(1)).
    pub fn create_application(
        &mut self,
        input: &ApplicationInput,
        stamp: &Stamp,
    ) -> Result<Application> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let received = check_application(&tx, input, stamp.today())?;
        let (name, uscc, key) = applicant_keys(&input.applicant);
        let json =
            serde_json::to_string(&input.applicant).map_err(|e| Error::Storage(e.to_string()))?;
        tx.execute(
            "INSERT INTO application (applicant, name, name_key, uscc, charter_accepted, received,
                state, notes, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'received', ?7, ?8, ?8)",
            params![
                json,
                name,
                key,
                uscc,
                input.charter_accepted,
                received,
                clean_multiline(&input.notes),
                stamp.at_text()
            ],
        )?;
        let id = tx.last_insert_rowid();
        write_recommenders(&tx, id, &input.recommenders)?;
        write_event_row(&tx, id, ApplicationState::Received, received, "", stamp)?;
        let app = get_application(&tx, id)?;
        tx.commit()?;
        Ok(app)
    }

    /// Corrects an open application's details.
    pub fn update_application(
        &mut self,
        id: i64,
        input: &ApplicationInput,
        stamp: &Stamp,
    ) -> Result<Application> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let before = get_application(&tx, id)?;
        if input.revision.is_some_and(|r| r != before.revision) {
            return Err(Error::Stale {
                name: before.applicant.name,
            });
        }
        if !before.state.is_open() {
            return Err(Error::refused(
                crate::error::ErrorCode::ApplicationClosed,
                "该申请已有结论，不能再修改。",
                "This application has been decided and can no longer be changed.",
            ));
        }
        let received = check_application(&tx, input, stamp.today())?;
        let (name, uscc, key) = applicant_keys(&input.applicant);
        let json =
            serde_json::to_string(&input.applicant).map_err(|e| Error::Storage(e.to_string()))?;
        tx.execute(
            "UPDATE application SET applicant = ?2, name = ?3, name_key = ?4, uscc = ?5,
                charter_accepted = ?6, received = ?7, notes = ?8, updated_at = ?9,
                revision = revision + 1
             WHERE id = ?1",
            params![
                id,
                json,
                name,
                key,
                uscc,
                input.charter_accepted,
                received,
                clean_multiline(&input.notes),
                stamp.at_text()
            ],
        )?;
        write_recommenders(&tx, id, &input.recommenders)?;
        let app = get_application(&tx, id)?;
        tx.commit()?;
        Ok(app)
    }

    pub fn application(&self, id: i64) -> Result<Application> {
        get_application(&self.conn, id)
    }

    /// Applications, newest received first; `state` filters, `search` matches the name or code.
    pub fn list_applications(
        &self,
        state: Option<ApplicationState>,
        search: &str,
    ) -> Result<Vec<ApplicationRow>> {
        // Names are compared by their key, so punctuation and spacing typed in the search box
        // do not matter; codes are letters and digits, which the key keeps.
        let like = format!("%{}%", name_key(search));
        let mut stmt = self.conn.prepare(
            "SELECT a.id, a.name, coalesce(a.uscc, ''), a.received, a.state, a.name_key,
                (SELECT group_concat(m.name, '、') FROM recommendation r JOIN member m ON m.id = r.member_id
                 WHERE r.application_id = a.id)
             FROM application a
             WHERE (?1 IS NULL OR a.state = ?1)
               AND (?2 = '%%' OR a.name_key LIKE ?2 OR lower(coalesce(a.uscc, '')) LIKE ?2)
             ORDER BY a.received DESC, a.id DESC",
        )?;
        let rows = stmt.query_map(params![state.map(|s| s.key()), like], |r| {
            Ok((
                ApplicationRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    uscc: r.get(2)?,
                    received: r.get(3)?,
                    state: super::rows::key(r, 4, ApplicationState::parse)?,
                    recommenders: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    flagged: false,
                },
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut row, key) = row?;
            if row.state.is_open() {
                let uscc = (!row.uscc.is_empty()).then_some(row.uscc.as_str());
                row.flagged = !flags(&self.conn, Some(row.id), uscc, &key)?.is_empty();
            }
            out.push(row);
        }
        Ok(out)
    }

    /// The application with its recommenders, timeline, files, flags and what blocks approval.
    pub fn application_detail(&self, id: i64, today: NaiveDate) -> Result<ApplicationDetail> {
        let app = get_application(&self.conn, id)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REF_COLUMNS} FROM recommendation r JOIN member m ON m.id = r.member_id
             WHERE r.application_id = ?1 ORDER BY m.member_no"
        ))?;
        let recommenders = stmt
            .query_map([id], |r| member_ref_from_row(r, 0))?
            .collect::<rusqlite::Result<Vec<MemberRef>>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT state, on_date, note, at, actor FROM application_event
             WHERE application_id = ?1 ORDER BY id",
        )?;
        let events = stmt
            .query_map([id], |r| {
                Ok(ApplicationEvent {
                    state: super::rows::key(r, 0, ApplicationState::parse)?,
                    on_date: r.get(1)?,
                    note: r.get(2)?,
                    at: r.get(3)?,
                    actor: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (_, uscc, key) = applicant_keys(&app.applicant);
        let (flags, problems) = if app.state.is_open() {
            let f = flags(&self.conn, Some(id), uscc.as_deref(), &key)?;
            let ids: Vec<i64> = recommenders.iter().map(|m| m.id).collect();
            let mut p = recommender_problems(&self.conn, &ids, app.received)?;
            if let Err(v) = as_new_member(&app.applicant, today).validate(today) {
                p.extend(v);
            }
            (f, p)
        } else {
            (Vec::new(), Vec::new())
        };
        let member = app
            .member_id
            .map(|m| member_ref(&self.conn, m))
            .transpose()?;
        let certificate = self
            .conn
            .query_row(
                &format!(
                    "SELECT {CERTIFICATE_COLUMNS} FROM certificate
                     WHERE id = (SELECT certificate_id FROM application WHERE id = ?1)"
                ),
                [id],
                certificate_from_row,
            )
            .optional()?;
        let input = ApplicationInput {
            applicant: app.applicant.clone(),
            recommenders: recommenders.iter().map(|m| m.id).collect(),
            charter_accepted: app.charter_accepted,
            received: app.received.to_string(),
            notes: app.notes.clone(),
            revision: Some(app.revision),
        };
        Ok(ApplicationDetail {
            attachments: self.attachments_of(super::attachments::Owner::Application(id))?,
            application: app,
            input,
            recommenders,
            events,
            flags,
            problems,
            member,
            certificate,
        })
    }

    /// Starts the review of a received application.
    pub fn review_application(
        &mut self,
        id: i64,
        date: &str,
        stamp: &Stamp,
    ) -> Result<Application> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let app = get_application(&tx, id)?;
        let date = crate::member::step_date(date, Field::Date, stamp.today())?;
        step(&tx, &app, ApplicationState::UnderReview, date, "", stamp)?;
        let app = get_application(&tx, id)?;
        tx.commit()?;
        Ok(app)
    }

    /// Approves an application (Art. 10(2)-(3)). In one transaction the unit becomes an ordinary
    /// member from the approval date with the next member number (or, for a unit that left,
    /// its old record and number with a new membership period), and the next certificate is
    /// issued. An application still only received is put under review on the same day first.
    pub fn approve_application(
        &mut self,
        id: i64,
        decision: &Decision,
        stamp: &Stamp,
    ) -> Result<Approval> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut app = get_application(&tx, id)?;
        let date = crate::member::step_date(&decision.date, Field::Date, stamp.today())?;
        if date < app.received {
            return Err(Error::invalid(Problem::new(
                Field::Date,
                "date_before_received",
                format!("批准日期 {date} 早于收件日期 {}，请检查。", app.received),
                format!(
                    "{date} is before the application was received ({}); check the date.",
                    app.received
                ),
            )));
        }
        if app.state == ApplicationState::Received {
            step(&tx, &app, ApplicationState::UnderReview, date, "", stamp)?;
            app = get_application(&tx, id)?;
        }
        if !app.state.may_move_to(ApplicationState::Approved) {
            // Decided already: `step` refuses with the reason, before anything is written.
            return step(&tx, &app, ApplicationState::Approved, date, "", stamp).and_then(|_| {
                Err(Error::Storage(
                    "unreachable: a decided application moved".into(),
                ))
            });
        }
        let recommenders: Vec<i64> = tx
            .prepare("SELECT member_id FROM recommendation WHERE application_id = ?1")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut problems = recommender_problems(&tx, &recommenders, app.received)?;
        if recommenders.is_empty() {
            problems.push(Problem::new(
                Field::Recommenders,
                "recommender_missing",
                "至少需要一名本联盟成员推荐（第九条第一项）。",
                "At least one member must recommend the applicant (Art. 9(1)).",
            ));
        }
        let v: Option<ValidMember> =
            match as_new_member(&app.applicant, date).validate(stamp.today()) {
                Ok(v) => Some(v),
                Err(p) => {
                    problems.extend(p);
                    None
                }
            };
        let (_, uscc, key) = applicant_keys(&app.applicant);
        let found = flags(&tx, Some(id), uscc.as_deref(), &key)?;
        // A record that matched by name alone, with another code, is another unit: the flag
        // stays for the clerk to see, but approval neither refuses nor merges on it.
        let mut same_unit = Vec::new();
        for f in &found {
            let member = match f {
                Flag::ActiveMember { member } => member,
                other => match other.former_member() {
                    Some(m) => m,
                    None => continue,
                },
            };
            let codes: Option<String> =
                tx.query_row("SELECT uscc FROM member WHERE id = ?1", [member.id], |r| {
                    r.get(0)
                })?;
            if codes.is_none() || uscc.is_none() || codes == uscc {
                same_unit.push(f);
            }
        }
        if let Some(Flag::ActiveMember { member }) = same_unit
            .iter()
            .find(|f| matches!(f, Flag::ActiveMember { .. }))
        {
            return Err(Error::refused(
                crate::error::ErrorCode::AlreadyAMember,
                format!("该单位已是在册成员“{}”（编号 {}），不能再次批准入盟。", member.name, member.member_no),
                format!("This unit is already the active member '{}' (no. {}); it cannot be admitted twice.", member.name, member.member_no),
            ));
        }
        let former = same_unit.iter().find_map(|f| f.former_member()).cloned();
        let decision_text = clean_multiline(&decision.presidium_decision);
        if let Some(old) = &former {
            let left: Option<NaiveDate> = tx.query_row(
                "SELECT max(until) FROM membership WHERE member_id = ?1",
                [old.id],
                |r| r.get(0),
            )?;
            if let Some(left) = left.filter(|left| date < *left) {
                problems.push(Problem::new(
                    Field::Date,
                    "date_before_left",
                    format!("该单位于 {left} 退出本联盟，重新入盟的批准日期不能早于此日。"),
                    format!("This unit left the alliance on {left}; its return cannot be approved before that date."),
                ));
            }
        }
        let expelled = same_unit.iter().any(|f| matches!(f, Flag::Expelled { .. }));
        if expelled && decision_text.is_empty() {
            problems.push(Problem::new(
                Field::PresidiumDecision,
                "presidium_decision_required",
                "该单位曾被除名，须填写准予其重新入盟的主席团决定（日期、会议及结果）后方可批准。",
                "This unit was expelled: enter the presidium decision that allows it back (date, meeting and result) before approving.",
            ));
        }
        let Some(v) = v.filter(|_| problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let at = stamp.at_text();
        let (member_id, returning) = match &former {
            None => {
                let no = next_member_no(&tx)?;
                (insert_member(&tx, &no, &v, &at)?, false)
            }
            Some(old) => {
                let before = get_member(&tx, old.id)?;
                let mut params = member_params(&before.member_no, &v, &at);
                params.push((":id", &old.id));
                tx.execute(
                    "UPDATE member SET name = :name, name_en = :name_en, kind = :kind,
                        origin = :origin, region = :region, city = :city, uscc = :uscc,
                        registration_no = :registration_no, address = :address,
                        website = :website, head_name = :head_name, head_title = :head_title,
                        head_phone = :head_phone, head_email = :head_email, intro = :intro,
                        tier = :tier, founding = :founding, status = :status, joined = :joined,
                        notes = CASE WHEN :notes = '' THEN notes ELSE :notes END,
                        name_key = :name_key, updated_at = :at, revision = revision + 1
                     WHERE id = :id AND member_no = :member_no",
                    params.as_slice(),
                )?;
                note_member_no(&tx, &before.member_no)?;
                (old.id, true)
            }
        };
        let before = if returning {
            Some(get_member(&tx, member_id)?)
        } else {
            None
        };
        write_liaison(&tx, member_id, &v, date)?;
        start_membership(&tx, member_id, date)?;
        let member = get_member(&tx, member_id)?;
        write_search(&tx, &member)?;
        let blank: Vec<_> = member
            .audit_fields()
            .into_iter()
            .map(|(f, _)| (f, String::new()))
            .collect();
        let changes = diff(
            &before.map(|b| b.audit_fields()).unwrap_or(blank),
            &member.audit_fields(),
        );
        let summary = if returning {
            Text::new(
                format!("第十条：入盟申请第 {id} 号于 {date} 批准，重新入盟，沿用原编号 {}", member.member_no),
                format!("Art. 10: application no. {id} approved on {date}; re-admitted under its old number {}", member.member_no),
            )
        } else {
            Text::new(
                format!("第十条：入盟申请第 {id} 号于 {date} 批准，自该日起为普通成员"),
                format!("Art. 10: application no. {id} approved on {date}; an ordinary member from that day"),
            )
        };
        write_event(
            &tx,
            stamp,
            Some(member_id),
            AuditAction::Admission,
            Some(&summary),
            &changes,
        )?;
        let certificate = issue_certificate(&tx, member_id, date, stamp)?;
        step(
            &tx,
            &app,
            ApplicationState::Approved,
            date,
            &clean_multiline(&decision.reason),
            stamp,
        )?;
        tx.execute(
            "UPDATE application SET member_id = ?2, certificate_id = ?3, presidium_decision = ?4
             WHERE id = ?1",
            params![id, member_id, certificate.id, decision_text],
        )?;
        tx.commit()?;
        Ok(Approval {
            application_id: id,
            member,
            certificate,
            returning,
        })
    }

    /// Rejects an application; the reason is required and goes into the notice.
    pub fn reject_application(
        &mut self,
        id: i64,
        decision: &Decision,
        stamp: &Stamp,
    ) -> Result<Application> {
        let reason = clean_multiline(&decision.reason);
        if reason.is_empty() {
            return Err(Error::invalid(Problem::new(
                Field::Reason,
                "reason_required",
                "不予批准须写明理由，理由将写入给申请单位的通知。",
                "A rejection needs a reason; it goes into the notice to the applicant.",
            )));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut app = get_application(&tx, id)?;
        let date = crate::member::step_date(&decision.date, Field::Date, stamp.today())?;
        if date < app.received {
            return Err(Error::invalid(Problem::new(
                Field::Date,
                "date_before_received",
                format!("决定日期 {date} 早于收件日期 {}，请检查。", app.received),
                format!(
                    "{date} is before the application was received ({}); check the date.",
                    app.received
                ),
            )));
        }
        if app.state == ApplicationState::Received {
            step(&tx, &app, ApplicationState::UnderReview, date, "", stamp)?;
            app = get_application(&tx, id)?;
        }
        step(&tx, &app, ApplicationState::Rejected, date, &reason, stamp)?;
        tx.execute(
            "UPDATE application SET reason = ?2 WHERE id = ?1",
            params![id, reason],
        )?;
        let app = get_application(&tx, id)?;
        tx.commit()?;
        Ok(app)
    }

    /// Records that the applicant withdrew its application.
    pub fn withdraw_application(
        &mut self,
        id: i64,
        decision: &Decision,
        stamp: &Stamp,
    ) -> Result<Application> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let app = get_application(&tx, id)?;
        let date = crate::member::step_date(&decision.date, Field::Date, stamp.today())?;
        step(
            &tx,
            &app,
            ApplicationState::Withdrawn,
            date,
            &clean_multiline(&decision.reason),
            stamp,
        )?;
        let app = get_application(&tx, id)?;
        tx.commit()?;
        Ok(app)
    }

    /// The notice template in force for `kind`: the secretariat's own, or the shipped one.
    pub fn notice_template(&self, kind: NoticeKind) -> Result<Template> {
        Ok(self
            .setting(&Template::setting_key(kind))?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_else(|| Template::default_for(kind)))
    }

    pub fn set_notice_template(&mut self, t: &Template) -> Result<()> {
        let mut problems = Vec::new();
        for (field, v) in [
            (Field::Title, &t.subject_zh),
            (Field::Title, &t.subject_en),
            (Field::Notes, &t.body_zh),
            (Field::Notes, &t.body_en),
        ] {
            if v.trim().is_empty() {
                problems.push(Problem::new(
                    field,
                    "required",
                    "通知的标题和正文（中英文）都不能为空。",
                    "The notice needs a subject and a body in both languages.",
                ));
                break;
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let json = serde_json::to_string(t).map_err(|e| Error::Storage(e.to_string()))?;
        self.set_setting(&Template::setting_key(t.kind), &json)
    }

    /// The day an application was decided: its first event in its final state (a later
    /// event in the same state records the notice being sent, not a second decision).
    pub fn decision_date(&self, id: i64) -> Result<NaiveDate> {
        let app = get_application(&self.conn, id)?;
        self.conn
            .query_row(
                "SELECT on_date FROM application_event WHERE application_id = ?1 AND state = ?2
                 ORDER BY id LIMIT 1",
                params![id, app.state.key()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                Error::refused(
                    crate::error::ErrorCode::NoDecision,
                    "该申请尚无结论。",
                    "This application has no decision yet.",
                )
            })
    }

    /// The notice of a decided application to the unit's responsible person (Art. 10(3)).
    pub fn application_notice(&self, id: i64) -> Result<Notice> {
        let app = get_application(&self.conn, id)?;
        let kind = match app.state {
            ApplicationState::Approved => NoticeKind::Approval,
            ApplicationState::Rejected => NoticeKind::Rejection,
            _ => {
                return Err(Error::refused(
                    crate::error::ErrorCode::NoDecision,
                    "该申请尚无结论，批准或不予批准后才能准备通知。",
                    "This application has no decision yet; a notice is prepared after approval or rejection.",
                ))
            }
        };
        let decided = self.decision_date(id)?;
        let member = app
            .member_id
            .map(|m| get_member(&self.conn, m))
            .transpose()?;
        let certificate: Option<String> = self
            .conn
            .query_row(
                "SELECT c.number FROM certificate c JOIN application a ON a.certificate_id = c.id WHERE a.id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let a = &app.applicant;
        let head = clean_line(&a.head_name);
        let values = Values {
            name: member
                .as_ref()
                .map_or_else(|| clean_line(&a.name), |m| m.name.clone()),
            name_en: clean_line(&a.name_en),
            head_name: if head.is_empty() {
                "负责同志".into()
            } else {
                head.clone()
            },
            head_name_en: if head.is_empty() {
                "Sir or Madam".into()
            } else {
                head
            },
            member_no: member.map(|m| m.member_no).unwrap_or_default(),
            certificate_no: certificate.unwrap_or_default(),
            date: decided.to_string(),
            reason: app.reason.clone(),
        };
        let to = [&a.head_email, &a.liaison_email]
            .into_iter()
            .map(|e| e.trim())
            .find(|e| !e.is_empty())
            .unwrap_or("");
        Ok(Notice::prepare(
            kind,
            &self.notice_template(kind)?,
            to,
            &values,
        ))
    }

    /// Records the date the notice went out.
    pub fn record_notice_sent(
        &mut self,
        id: i64,
        date: &str,
        stamp: &Stamp,
    ) -> Result<Application> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let app = get_application(&tx, id)?;
        if !matches!(
            app.state,
            ApplicationState::Approved | ApplicationState::Rejected
        ) {
            return Err(Error::refused(
                crate::error::ErrorCode::NoDecision,
                "该申请尚无结论，无需通知。",
                "This application has no decision yet, so there is no notice to send.",
            ));
        }
        let date = crate::member::step_date(date, Field::Date, stamp.today())?;
        tx.execute(
            "UPDATE application SET notice_sent = ?2, updated_at = ?3, revision = revision + 1 WHERE id = ?1",
            params![id, date, stamp.at_text()],
        )?;
        write_event_row(
            &tx,
            id,
            app.state,
            date,
            "已通知负责人 / notice sent",
            stamp,
        )?;
        let app = get_application(&tx, id)?;
        tx.commit()?;
        Ok(app)
    }
}
