//! `cceaa`: the registry's jobs from the command line, over the same core as the desktop app.
//!
//! Office IT scripts these commands, so their names, flags, JSON fields and exit codes are
//! kept stable: 0 on success, 1 when the registry refused or failed (the reason on stderr, in
//! the user's language), 2 when the command line itself is wrong.

mod documents;
mod edit;
mod exchange;
mod show;
mod workflow;

use std::path::PathBuf;
use std::process::ExitCode;

use cceaa_core::{paths, Error, Lang, Registry, Text};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cceaa",
    version,
    about = "中国跨境电子商务应用联盟 成员登记簿 / CCEAA member registry"
)]
struct Cli {
    /// The data folder (default: CCEAA_DATA_DIR, else the OS application-data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Language of messages: zh or en (default: CCEAA_LANG, else LANG, else zh).
    #[arg(long, global = true, value_name = "zh|en")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add, show or edit one member unit.
    #[command(subcommand)]
    Member(MemberCommand),
    /// List or search member units.
    Members(show::ListArgs),
    /// Show the audit log, of one member or of the whole registry.
    Audit(show::AuditArgs),
    /// Applications to join (Art. 9-10): add, review, approve, reject, notice.
    #[command(subcommand)]
    Application(workflow::ApplicationCommand),
    /// Alliance activities (Art. 11-12).
    #[command(subcommand)]
    Activity(workflow::ActivityCommand),
    /// Who attended an activity.
    #[command(subcommand)]
    Attendance(workflow::AttendanceCommand),
    /// Members past or near 12 months without activity (Art. 13(1)).
    Watchlist(workflow::WatchlistArgs),
    /// Write members' certificates as one PDF (issuing any that are missing); prints
    /// "MEMBER_ID<TAB>CERTIFICATE_NO" per member.
    Certificate(documents::CertificateArgs),
    /// Reissue (补发) a member's certificate: a new number, the old one superseded.
    Reissue(documents::ReissueArgs),
    /// Check a certificate's QR text, or its number and code.
    Verify(documents::VerifyArgs),
    /// Write the member roster (成员名录) as PDF.
    Roster(documents::RosterArgs),
    /// Write the application form (入盟申请表): blank, or from an application or a member.
    Form(documents::FormArgs),
    /// Export members as XLSX or CSV (all statuses unless --status is given).
    Export(exchange::ExportArgs),
    /// Import members from a spreadsheet (XLSX, XLS, ODS, CSV): all rows or none, unless
    /// --skip-invalid. Exit status 0: clean; 1: rows in error (nothing written, or with
    /// --dry-run nothing would be) or the file refused; 2: usage.
    Import(exchange::ImportArgs),
    /// Back up the registry and the files beside it (key, images, attachments) into one ZIP.
    Backup(exchange::BackupArgs),
    /// Replace the registry with a backup, after taking a safety copy.
    Restore(exchange::RestoreArgs),
    /// Write the full archive (ZIP): database, key, images, attachments, every table as JSON.
    Archive(exchange::ArchiveArgs),
    /// Where the registry and the fonts are, and the program's and the data's versions.
    Info {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum MemberCommand {
    /// Record a new member unit; prints its id.
    Add(Box<edit::MemberArgs>),
    /// Show one member unit.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change the given fields of a member unit; fields not given stay as they are.
    Edit {
        id: i64,
        #[command(flatten)]
        args: Box<edit::MemberArgs>,
    },
    /// Record a withdrawal by written notice (Art. 13(1)): the certificate is revoked and the
    /// record kept.
    Withdraw {
        id: i64,
        /// The date of the written notice, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Keep a copy of a file with the member (PDF, OFD, JPEG, PNG, TIFF, Word, Excel, WPS or
    /// plain text, checked by content); prints the attachment's id.
    Attach {
        id: i64,
        file: std::path::PathBuf,
        /// What it is: licence, introduction, withdrawal_notice, expulsion_report or other.
        #[arg(long, default_value = "other")]
        purpose: String,
    },
}

/// The language for messages: the flag, then `CCEAA_LANG`, then the locale, then Chinese.
fn language(flag: Option<&str>) -> Lang {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    flag.map(str::to_string)
        .or_else(|| env("CCEAA_LANG"))
        .or_else(|| env("LC_ALL"))
        .or_else(|| env("LC_MESSAGES"))
        .or_else(|| env("LANG"))
        .and_then(|t| Lang::from_tag(&t))
        .unwrap_or_default()
}

fn open(data_dir: Option<&std::path::Path>) -> Result<Registry, Error> {
    let dir = paths::data_dir(data_dir)?;
    Registry::open(&paths::database_in(&dir)?)
}

fn run(cli: Cli, lang: Lang) -> Result<(), Error> {
    let mut registry = open(cli.data_dir.as_deref())?;
    match cli.command {
        Command::Member(MemberCommand::Add(args)) => edit::add(&mut registry, &args),
        Command::Member(MemberCommand::Show { id, json }) => {
            show::member(&registry, id, json, lang)
        }
        Command::Member(MemberCommand::Edit { id, args }) => edit::edit(&mut registry, id, &args),
        Command::Members(args) => show::members(&registry, &args, lang),
        Command::Audit(args) => show::audit(&registry, &args, lang),
        Command::Member(MemberCommand::Withdraw { id, date, note }) => {
            workflow::withdraw(&mut registry, id, date, note)
        }
        Command::Member(MemberCommand::Attach { id, file, purpose }) => {
            workflow::attach(&mut registry, id, &file, &purpose)
        }
        Command::Application(cmd) => workflow::application(&mut registry, cmd, lang),
        Command::Activity(cmd) => workflow::activity(&mut registry, cmd),
        Command::Attendance(cmd) => workflow::attendance(&mut registry, cmd),
        Command::Watchlist(args) => workflow::watchlist(&registry, &args, lang),
        Command::Certificate(args) => documents::certificate(&mut registry, &args),
        Command::Verify(args) => documents::verify(&registry, &args, lang),
        Command::Reissue(args) => documents::reissue(&mut registry, &args),
        Command::Roster(args) => documents::roster(&registry, &args),
        Command::Form(args) => documents::form(&registry, &args),
        Command::Export(args) => exchange::export(&registry, &args, lang),
        Command::Import(args) => exchange::import(&mut registry, &args, lang),
        Command::Backup(args) => exchange::backup(&mut registry, &args, lang),
        Command::Restore(args) => exchange::restore(&mut registry, &args, lang),
        Command::Archive(args) => exchange::archive(&registry, &args, lang),
        Command::Info { json } => show::info(&registry, json, lang),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = language(cli.lang.as_deref());
    match run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, lang);
            ExitCode::from(1)
        }
    }
}

/// Writes an error to stderr: one line per problem for invalid input, so a script's log
/// shows every field to fix.
fn report(e: &Error, lang: Lang) {
    let prefix = Text::new("错误", "error");
    match e {
        Error::Invalid(problems) => {
            for p in problems {
                let sep = if lang == Lang::Zh { "：" } else { ": " };
                eprintln!(
                    "{}{sep}{}{sep}{}",
                    prefix.get(lang),
                    p.field.label().get(lang),
                    p.message.get(lang)
                );
            }
        }
        other => eprintln!("{}: {}", prefix.get(lang), other.message().get(lang)),
    }
}
