//! The charter's workflows from the command line: applications (Art. 9-10), activities and
//! attendance (Art. 11-12), the watch-list and leaving (Art. 13). Names and output formats are
//! stable: office IT scripts them.

use std::path::PathBuf;

use cceaa_core::{
    ActivityInput, ActivityKind, ApplicationInput, Decision, Error, Field, Kind, Lang, LeaveInput,
    MemberInput, Origin, Problem, Registry, Stamp, Text,
};
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::show::json_out;

#[derive(Subcommand)]
pub enum ApplicationCommand {
    /// Record a received application; prints its id.
    Add(Box<ApplicationArgs>),
    /// Start the review of a received application.
    Review {
        id: i64,
        /// YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Approve an application; prints the new member's id and certificate number.
    Approve {
        id: i64,
        /// YYYY-MM-DD: the member's joining date (default: today).
        #[arg(long)]
        date: Option<String>,
        /// For a unit that was expelled: the presidium decision that lets it back in.
        #[arg(long)]
        presidium_decision: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Reject an application; the reason goes into the notice.
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        date: Option<String>,
    },
    /// Record that the applicant withdrew its application.
    Withdraw {
        id: i64,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Print the notice of the decision, or save it as an .eml draft with --eml.
    Notice {
        id: i64,
        #[arg(long, value_name = "FILE")]
        eml: Option<PathBuf>,
        /// Also write the notice as a letter on the alliance's letterhead (PDF).
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
        /// Also record the notice as sent today.
        #[arg(long)]
        sent: bool,
    },
    /// Show an application with its timeline and the duplicate guard's findings.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct ApplicationArgs {
    #[arg(long)]
    name: String,
    #[arg(long)]
    name_en: Option<String>,
    #[arg(long)]
    uscc: Option<String>,
    #[arg(long)]
    registration_no: Option<String>,
    /// enterprise, industry_organisation, research_institute, industrial_park,
    /// public_institution, other (or the Chinese label).
    #[arg(long)]
    kind: Option<String>,
    /// domestic or overseas.
    #[arg(long)]
    origin: Option<String>,
    #[arg(long)]
    region: Option<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    head_name: Option<String>,
    #[arg(long)]
    head_email: Option<String>,
    #[arg(long)]
    head_phone: Option<String>,
    /// A recommending member's id (Art. 9(1)); repeat for several.
    #[arg(long = "recommender", value_name = "MEMBER_ID", required = true)]
    recommenders: Vec<i64>,
    /// YYYY-MM-DD (default: today).
    #[arg(long)]
    received: Option<String>,
    #[arg(long)]
    notes: Option<String>,
}

#[derive(Subcommand)]
pub enum ActivityCommand {
    /// Record an activity; prints its id.
    Add {
        #[arg(long)]
        title: String,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// annual_meeting, presidium_meeting, training, exchange, exhibition,
        /// international_cooperation, other (or the Chinese label). Default: other.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        place: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum AttendanceCommand {
    /// Record that a member unit attended an activity.
    Add {
        activity_id: i64,
        member_id: i64,
        /// Who attended for the unit.
        #[arg(long)]
        person: Option<String>,
    },
}

#[derive(Args)]
pub struct WatchlistArgs {
    /// Count as of this day (YYYY-MM-DD; default: today).
    #[arg(long)]
    today: Option<String>,
    #[arg(long)]
    json: bool,
}

fn choice<T>(
    raw: &Option<String>,
    parse: impl Fn(&str) -> Result<T, Problem>,
    default: T,
) -> Result<T, Error> {
    match raw {
        None => Ok(default),
        Some(s) => parse(s).map_err(Error::invalid),
    }
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

pub fn application(
    registry: &mut Registry,
    cmd: ApplicationCommand,
    lang: Lang,
) -> Result<(), Error> {
    let stamp = Stamp::now();
    match cmd {
        ApplicationCommand::Add(a) => {
            let applicant = MemberInput {
                name: a.name.clone(),
                name_en: text(&a.name_en),
                uscc: text(&a.uscc),
                registration_no: text(&a.registration_no),
                kind: choice(
                    &a.kind,
                    |s| Kind::parse_for(Field::Kind, s),
                    Kind::Enterprise,
                )?,
                origin: choice(
                    &a.origin,
                    |s| Origin::parse_for(Field::Origin, s),
                    Origin::Domestic,
                )?,
                region: text(&a.region),
                city: text(&a.city),
                head_name: text(&a.head_name),
                head_email: text(&a.head_email),
                head_phone: text(&a.head_phone),
                ..MemberInput::default()
            };
            let input = ApplicationInput {
                applicant,
                recommenders: a.recommenders.clone(),
                received: a
                    .received
                    .clone()
                    .unwrap_or_else(|| stamp.today().to_string()),
                notes: text(&a.notes),
                ..ApplicationInput::default()
            };
            let app = registry.create_application(&input, &stamp)?;
            println!("{}", app.id);
            for flag in registry.applicant_flags(&app.applicant, Some(app.id))? {
                eprintln!("{}", flag.message().get(lang));
            }
            Ok(())
        }
        ApplicationCommand::Review { id, date } => {
            registry.review_application(id, &text(&date), &stamp)?;
            Ok(())
        }
        ApplicationCommand::Approve {
            id,
            date,
            presidium_decision,
            json,
        } => {
            let decision = Decision {
                date: text(&date),
                presidium_decision: text(&presidium_decision),
                ..Decision::default()
            };
            let a = registry.approve_application(id, &decision, &stamp)?;
            if json {
                return json_out(&serde_json::json!({
                    "member_id": a.member.id,
                    "member_no": a.member.member_no,
                    "certificate": a.certificate.number,
                    "returning": a.returning,
                }));
            }
            println!("{}\t{}", a.member.id, a.certificate.number);
            Ok(())
        }
        ApplicationCommand::Reject { id, reason, date } => {
            let decision = Decision {
                date: text(&date),
                reason,
                ..Decision::default()
            };
            registry.reject_application(id, &decision, &stamp)?;
            Ok(())
        }
        ApplicationCommand::Withdraw { id, date, note } => {
            let decision = Decision {
                date: text(&date),
                reason: text(&note),
                ..Decision::default()
            };
            registry.withdraw_application(id, &decision, &stamp)?;
            Ok(())
        }
        ApplicationCommand::Notice { id, eml, pdf, sent } => {
            let notice = registry.application_notice(id)?;
            if let Some(path) = pdf {
                let fonts = &registry.document_fonts(cceaa_core::documents::Fonts::bundled()?)?;
                let letter = registry.notice_letter_document(id, fonts)?;
                cceaa_core::documents::save(&path, &letter.pdf(fonts)?)?;
            }
            match eml {
                Some(path) => std::fs::write(&path, notice.to_eml("", stamp.at)).map_err(|e| {
                    Error::refused(
                        cceaa_core::error::ErrorCode::Os,
                        format!("无法写入 {}：{e}", path.display()),
                        format!("Cannot write {}: {e}", path.display()),
                    )
                })?,
                None => {
                    println!("To: {}", notice.to);
                    println!("Subject: {}\n", notice.subject);
                    print!("{}", notice.body);
                }
            }
            if sent {
                registry.record_notice_sent(id, "", &stamp)?;
            }
            Ok(())
        }
        ApplicationCommand::Show { id, json } => {
            let d = registry.application_detail(id, stamp.today())?;
            if json {
                return json_out(&d);
            }
            let a = &d.application;
            println!(
                "{}  {}  {}",
                a.id,
                a.applicant.name,
                a.state.label().get(lang)
            );
            for e in &d.events {
                let note = if e.note.is_empty() {
                    String::new()
                } else {
                    format!("  {}", e.note)
                };
                println!("  {}  {}{note}", e.on_date, e.state.label().get(lang));
            }
            for f in &d.flags {
                println!("! {}", f.message().get(lang));
            }
            for p in &d.problems {
                println!("! {}", p.message.get(lang));
            }
            if let (Some(m), Some(c)) = (&d.member, &d.certificate) {
                println!("{} {}  {}", m.member_no, m.name, c.number);
            }
            Ok(())
        }
    }
}

pub fn activity(registry: &mut Registry, cmd: ActivityCommand) -> Result<(), Error> {
    match cmd {
        ActivityCommand::Add {
            title,
            date,
            kind,
            place,
        } => {
            let input = ActivityInput {
                kind: choice(
                    &kind,
                    |s| ActivityKind::parse_for(Field::ActivityKind, s),
                    ActivityKind::Other,
                )?,
                title,
                date,
                place: text(&place),
                notes: String::new(),
            };
            println!("{}", registry.create_activity(&input, &Stamp::now())?.id);
            Ok(())
        }
    }
}

pub fn attendance(registry: &mut Registry, cmd: AttendanceCommand) -> Result<(), Error> {
    match cmd {
        AttendanceCommand::Add {
            activity_id,
            member_id,
            person,
        } => {
            registry.add_attendance(activity_id, member_id, &text(&person), &Stamp::now())?;
            Ok(())
        }
    }
}

pub fn watchlist(registry: &Registry, args: &WatchlistArgs, lang: Lang) -> Result<(), Error> {
    let today = match &args.today {
        None => Stamp::now().today(),
        Some(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            Error::invalid(Problem::new(
                Field::Date,
                "date_invalid",
                format!("“{s}”不是有效日期，请按 年-月-日 填写。"),
                format!("'{s}' is not a valid date; write it as YYYY-MM-DD."),
            ))
        })?,
    };
    let rows = registry.watchlist(today)?;
    if args.json {
        return json_out(&rows);
    }
    let never = Text::new("入盟以来未参加", "none since joining");
    for w in rows {
        let last = w
            .last_activity
            .map_or_else(|| never.get(lang).to_string(), |d| d.to_string());
        println!(
            "{}\t{}\t{}\t{}\t{}",
            w.id, w.member_no, w.name, last, w.months
        );
    }
    Ok(())
}

/// `member withdraw`: Art. 13(1), withdrawal by written notice.
pub fn attach(
    registry: &mut Registry,
    id: i64,
    file: &std::path::Path,
    purpose: &str,
) -> Result<(), Error> {
    let purpose = cceaa_core::Purpose::parse(purpose).ok_or_else(|| {
        Error::refused(
            cceaa_core::error::ErrorCode::PurposeUnknown,
            format!("未知的附件用途“{purpose}”：可用 licence、introduction、withdrawal_notice、expulsion_report、other。"),
            format!("Unknown purpose '{purpose}': use licence, introduction, withdrawal_notice, expulsion_report or other."),
        )
    })?;
    let a = registry.add_attachment_file(
        cceaa_core::db::Owner::Member(id),
        purpose,
        file,
        &Stamp::now(),
    )?;
    println!("{}", a.id);
    Ok(())
}

pub fn withdraw(
    registry: &mut Registry,
    id: i64,
    date: Option<String>,
    note: Option<String>,
) -> Result<(), Error> {
    let input = LeaveInput {
        date: text(&date),
        note: text(&note),
    };
    registry.withdraw_member(id, &input, &Stamp::now())?;
    Ok(())
}
