//! Documents from the command line: certificates as PDF, and checking a certificate's code.

use std::path::PathBuf;

use cceaa_core::documents::{self, Fonts};
use cceaa_core::{Error, FormSource, Lang, Registry, Stamp, Text};

use crate::show::Filters;

#[derive(clap::Args)]
pub struct CertificateArgs {
    /// Member ids; several give one PDF with a page each, in this order.
    #[arg(required = true)]
    pub ids: Vec<i64>,
    /// Where to write the PDF.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

/// Prints each member's certificate number and writes the PDF; an active member without a
/// certificate is issued one first. A character no font can draw writes no file.
pub fn certificate(registry: &mut Registry, args: &CertificateArgs) -> Result<(), Error> {
    let fonts = &registry.document_fonts(Fonts::bundled()?)?;
    let (certificates, doc) =
        registry.certificates_document(&args.ids, fonts, &Stamp::now(), true)?;
    documents::save(&args.output, &doc.pdf(fonts)?)?;
    for (id, c) in args.ids.iter().zip(&certificates) {
        println!("{id}\t{}", c.number);
    }
    Ok(())
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The QR code's text, or the certificate number and its code.
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

/// Prints the certificate when it is genuine and valid; exits 1 when it is forged, unknown,
/// or genuine but revoked.
pub fn verify(registry: &Registry, args: &VerifyArgs, lang: Lang) -> Result<(), Error> {
    let v = registry.verify_certificate(&args.text.join(" "))?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("serialisable")
        );
    } else if let (true, Some(c), Some(m)) = (v.genuine, &v.certificate, &v.member) {
        let state = match c.revoked {
            None => Text::new("有效".to_string(), "valid".to_string()),
            Some(d) => Text::new(format!("已于 {d} 失效"), format!("revoked on {d}")),
        };
        println!(
            "{}\t{}\t{}\t{}\t{}",
            c.number,
            m.member_no,
            m.name,
            c.issued,
            state.get(lang)
        );
    }
    match (&v.certificate, v.genuine) {
        (Some(c), true) => match c.revoked {
            None => Ok(()),
            // Genuine but no longer valid (the member left, or it was reissued): a script
            // checking a certificate must not take it as good.
            Some(d) => Err(Error::refused(
                cceaa_core::error::ErrorCode::CertificateRevoked,
                format!(
                    "证书“{}”真实，但已于 {d} 失效：{}",
                    c.number, c.revoked_note
                ),
                format!(
                    "Certificate '{}' is genuine but was revoked on {d}: {}",
                    c.number, c.revoked_note
                ),
            )),
        },
        _ => Err(Error::refused(
            cceaa_core::error::ErrorCode::CertificateNotGenuine,
            format!("证书“{}”未通过验证：编号不存在或验证码不符。", v.number),
            format!(
                "Certificate '{}' did not verify: no such number, or the code does not match.",
                v.number
            ),
        )),
    }
}

#[derive(clap::Args)]
pub struct RosterArgs {
    /// Write the roster as PDF (spreadsheets come with `cceaa export`).
    #[arg(long, required = true)]
    pub pdf: bool,
    /// The public version: no liaison, phone or e-mail.
    #[arg(long)]
    pub public: bool,
    #[command(flatten)]
    pub filters: Filters,
    /// Where to write the PDF.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

/// Writes the roster of the members the filters take (active members unless `--status`
/// says otherwise).
pub fn roster(registry: &Registry, args: &RosterArgs) -> Result<(), Error> {
    let query = args.filters.query()?;
    let fonts = &registry.document_fonts(Fonts::bundled()?)?;
    let doc = registry.roster_document(&query, args.public, fonts, Stamp::now().today())?;
    documents::save(&args.output, &doc.pdf(fonts)?)?;
    Ok(())
}

#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub struct FormWhich {
    /// The blank form, to send to an applicant.
    #[arg(long)]
    pub blank: bool,
    /// Filled in from a received application.
    #[arg(long, value_name = "ID")]
    pub application: Option<i64>,
    /// Filled in from a member's record.
    #[arg(long, value_name = "ID")]
    pub member: Option<i64>,
}

#[derive(clap::Args)]
pub struct FormArgs {
    #[command(flatten)]
    pub which: FormWhich,
    /// Where to write the PDF.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

/// Writes the application form 《入盟申请表》, blank or filled in.
pub fn form(registry: &Registry, args: &FormArgs) -> Result<(), Error> {
    let source = match (args.which.application, args.which.member) {
        (Some(id), _) => FormSource::Application(id),
        (_, Some(id)) => FormSource::Member(id),
        _ => FormSource::Blank,
    };
    let fonts = &registry.document_fonts(Fonts::bundled()?)?;
    let doc = registry.application_form_document(source, fonts, Stamp::now().today())?;
    documents::save(&args.output, &doc.pdf(fonts)?)
}

#[derive(clap::Args)]
pub struct ReissueArgs {
    /// The member whose certificate was lost or damaged.
    pub id: i64,
    /// Why (遗失, 损毁 ...), kept with the superseded certificate.
    #[arg(long, default_value = "")]
    pub reason: String,
}

/// 补发: issues a new certificate with the next number and marks the old one superseded;
/// prints "MEMBER_ID<TAB>NEW_NUMBER". Print it with `cceaa certificate`.
pub fn reissue(registry: &mut Registry, args: &ReissueArgs) -> Result<(), Error> {
    let c = registry.reissue_certificate(args.id, &args.reason, &Stamp::now())?;
    println!("{}\t{}", args.id, c.number);
    Ok(())
}
