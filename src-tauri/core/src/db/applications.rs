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
    self, check_own_fields, Application, ApplicationDetail, ApplicationEvent, ApplicationInput,
    ApplicationRow, ApplicationState, Decision, Flag, NoDecision,
};
use crate::audit::{diff, AuditAction, Stamp};
use crate::certificate::Certificate;
use crate::error::{Error, Problem, Result};
use crate::field::Field;
use crate::member::{Member, MemberInput, MemberRef, Status, Tier, ValidMember};
use crate::notice::{Notice, NoticeKind, Template, Values};
use crate::text::{clean_line, clean_multiline, name_key};

fn application_not_found(id: i64) -> Error {
    application::not_found(id)
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
            Err(Error::MemberNotFound(_)) => problems.push(application::recommender_unknown(id)),
            Err(e) => return Err(e),
            Ok(m) if !member_on(c, id, date)? => {
                problems.push(application::recommender_not_member(&m, date))
            }
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
    application::check_move(app.state, to)?;
    let last: NaiveDate = tx.query_row(
        "SELECT max(on_date) FROM application_event WHERE application_id = ?1",
        [app.id],
        |r| r.get(0),
    )?;
    application::check_step_date(date, last)?;
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

/// Everything Art. 9 and 10 ask of an approval on `date`: members recommending on the day
/// of the application, the applicant's fields as a new member's, and for a returning unit
/// its leaving date and, if expelled, the presidium's decision. Returns the member to write
/// and the former record it returns to, if any.
fn check_approval(
    tx: &Transaction,
    app: &Application,
    date: NaiveDate,
    decision_text: &str,
    today: NaiveDate,
) -> Result<(ValidMember, Option<MemberRef>)> {
    let recommenders: Vec<i64> = tx
        .prepare("SELECT member_id FROM recommendation WHERE application_id = ?1")?
        .query_map([app.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut problems = recommender_problems(tx, &recommenders, app.received)?;
    if recommenders.is_empty() {
        problems.push(application::recommender_missing());
    }
    let v: Option<ValidMember> = match as_new_member(&app.applicant, date).validate(today) {
        Ok(v) => Some(v),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    let same_unit = same_unit(tx, app.id, app)?;
    let former = same_unit.iter().find_map(|f| f.former_member()).cloned();
    let left: Option<NaiveDate> = match &former {
        Some(old) => tx.query_row(
            "SELECT max(until) FROM membership WHERE member_id = ?1",
            [old.id],
            |r| r.get(0),
        )?,
        None => None,
    };
    let expelled = same_unit.iter().any(|f| matches!(f, Flag::Expelled { .. }));
    problems.extend(application::check_return(
        date,
        left,
        expelled,
        decision_text,
    ));
    match v.filter(|_| problems.is_empty()) {
        Some(v) => Ok((v, former)),
        None => Err(Error::Invalid(problems)),
    }
}

/// The duplicate guard's flags that are the applicant itself (see
/// [`application::is_same_unit`]); an active member among them is refused.
fn same_unit(tx: &Transaction, id: i64, app: &Application) -> Result<Vec<Flag>> {
    let (_, uscc, key) = applicant_keys(&app.applicant);
    let found = flags(tx, Some(id), uscc.as_deref(), &key)?;
    let mut same_unit: Vec<Flag> = Vec::new();
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
        if application::is_same_unit(codes.as_deref(), uscc.as_deref()) {
            same_unit.push(f.clone());
        }
    }
    if let Some(Flag::ActiveMember { member }) = same_unit
        .iter()
        .find(|f| matches!(f, Flag::ActiveMember { .. }))
    {
        return Err(application::already_a_member(member));
    }
    Ok(same_unit)
}

/// Writes the admitted unit: a new member with the next number, or a returning one under its
/// old record and number. Returns its id and whether it returned.
fn write_admitted(
    tx: &Transaction,
    former: Option<&MemberRef>,
    v: &ValidMember,
    at: &str,
) -> Result<(i64, bool)> {
    Ok(match former {
        None => {
            let no = next_member_no(tx)?;
            (insert_member(tx, &no, v, at)?, false)
        }
        Some(old) => {
            let before = get_member(tx, old.id)?;
            let mut params = member_params(&before.member_no, v, &at);
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
            note_member_no(tx, &before.member_no)?;
            (old.id, true)
        }
    })
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
        application::check_open(before.state)?;
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
        application::check_decision_date(date, app.received, true)?;
        let decision_text = clean_multiline(&decision.presidium_decision);
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
        let (v, former) = check_approval(&tx, &app, date, &decision_text, stamp.today())?;

        let (member_id, returning) = write_admitted(&tx, former.as_ref(), &v, &stamp.at_text())?;
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
        let summary = application::approval_summary(id, date, returning, &member.member_no);
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
        application::check_rejection_reason(&reason)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut app = get_application(&tx, id)?;
        let date = crate::member::step_date(&decision.date, Field::Date, stamp.today())?;
        application::check_decision_date(date, app.received, false)?;
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
        let problems = t.check();
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
            .ok_or_else(|| application::no_decision(NoDecision::Date))
    }

    /// The notice of a decided application to the unit's responsible person (Art. 10(3)).
    pub fn application_notice(&self, id: i64) -> Result<Notice> {
        let app = get_application(&self.conn, id)?;
        let kind = match app.state {
            ApplicationState::Approved => NoticeKind::Approval,
            ApplicationState::Rejected => NoticeKind::Rejection,
            _ => return Err(application::no_decision(NoDecision::Notice)),
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
        let (head_name, head_name_en) = application::addressee(&clean_line(&a.head_name));
        let values = Values {
            name: member
                .as_ref()
                .map_or_else(|| clean_line(&a.name), |m| m.name.clone()),
            name_en: clean_line(&a.name_en),
            head_name,
            head_name_en,
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
            return Err(application::no_decision(NoDecision::NoticeSent));
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
            application::NOTICE_SENT_NOTE,
            stamp,
        )?;
        let app = get_application(&tx, id)?;
        tx.commit()?;
        Ok(app)
    }
}
