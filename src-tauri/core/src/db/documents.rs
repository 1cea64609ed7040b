//! The registry's side of printing: gathering what a document says, issuing the certificate a
//! document needs, and the verification of a certificate someone shows the secretariat.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Registry;
use crate::audit::Stamp;
use crate::certificate::Certificate;
use crate::documents::certificate::{self as layout, CertificateData};
use crate::documents::fonts::{self, InstalledFont};
use crate::documents::form::{self, FormData};
use crate::documents::images::{self, DocumentImage, Png};
use crate::documents::verify::{self, Key};
use crate::documents::{letter, roster, Document, Fonts};
use crate::error::{Error, Result};
use crate::listing::MemberQuery;
use crate::member::{Member, MemberRef, Status};

/// The setting that holds the chosen body font, as JSON.
pub(super) const DOCUMENT_FONT: &str = "document_font";

fn not_active(m: &Member) -> Error {
    layout::not_active(&m.name)
}

/// What checking a certificate found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Verification {
    pub number: String,
    /// The certificate exists and the code matches its holder, number and date.
    pub genuine: bool,
    pub certificate: Option<Certificate>,
    pub member: Option<MemberRef>,
}

impl Registry {
    pub(super) fn data_dir(&self) -> Result<PathBuf> {
        self.files.clone().ok_or_else(|| Error::DataDir {
            path: String::new(),
            message: "this registry has no data folder (it lives in memory)".into(),
        })
    }

    fn certificate_key(&self) -> Result<Key> {
        Key::load_or_create(&self.data_dir()?)
    }

    /// The member's valid certificate, issuing one (dated today) when an active member has
    /// none, as printing a certificate for a member implies.
    pub fn valid_certificate(&mut self, member_id: i64, stamp: &Stamp) -> Result<Certificate> {
        if let Some(c) = self
            .certificates(member_id)?
            .into_iter()
            .find(|c| c.revoked.is_none())
        {
            return Ok(c);
        }
        let m = self.member(member_id)?;
        if m.status != Status::Active {
            return Err(not_active(&m));
        }
        self.issue_certificate(member_id, "", stamp)
    }

    fn certificate_data(
        &self,
        m: &Member,
        c: &Certificate,
        key: &Key,
        images: &(Option<Png>, Option<Png>),
    ) -> CertificateData {
        CertificateData {
            number: c.number.clone(),
            name: m.name.clone(),
            name_en: m.name_en.clone(),
            tier: m.tier,
            since: m.joined.unwrap_or(c.issued),
            issued: c.issued,
            code: key.code(&c.number, m.id, c.issued),
            seal: images.0.clone(),
            signature: images.1.clone(),
        }
    }

    /// The certificates of `member_ids`, one page each in the order given, as one PDF; each
    /// active member without a certificate is issued one first. Nothing is written to the
    /// registry unless every page can be laid out (a missing glyph refuses the whole batch
    /// before any certificate is issued).
    pub fn certificates_document(
        &mut self,
        member_ids: &[i64],
        fonts: &Fonts,
        stamp: &Stamp,
        issue_missing: bool,
    ) -> Result<(Vec<Certificate>, Document)> {
        let key = self.certificate_key()?;
        let members = member_ids
            .iter()
            .map(|&id| self.member(id))
            .collect::<Result<Vec<_>>>()?;
        // Rare characters in any name are looked for among the PC's fonts in one pass.
        fonts.look_for_rare(members.iter().flat_map(|m| {
            [
                (crate::documents::Face::SerifBold, m.name.as_str()),
                (crate::documents::Face::Serif, m.name_en.as_str()),
            ]
        }));
        for m in &members {
            layout::check_glyphs(
                fonts,
                &[
                    (
                        layout::NAME_LABEL,
                        &m.name,
                        crate::documents::Face::SerifBold,
                    ),
                    (
                        layout::NAME_EN_LABEL,
                        &m.name_en,
                        crate::documents::Face::Serif,
                    ),
                ],
            )?;
        }
        let dir = self.data_dir()?;
        let images = (
            images::load(&dir, DocumentImage::Seal)?,
            images::load(&dir, DocumentImage::Signature)?,
        );
        // Every member is checked, and every missing certificate issued, in one write
        // transaction: a batch that cannot print, or fails half-way, leaves the register as
        // it was, and no other program issues a number between the check and the write.
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )?;
        let mut held = Vec::with_capacity(members.len());
        for m in &members {
            let valid = self
                .certificates(m.id)?
                .into_iter()
                .find(|c| c.revoked.is_none());
            if valid.is_none() {
                if !issue_missing {
                    return Err(layout::no_certificate_yet(&m.name));
                }
                if m.status != Status::Active {
                    return Err(not_active(m));
                }
            }
            held.push(valid);
        }
        let mut certificates = Vec::with_capacity(members.len());
        let mut pages = Vec::with_capacity(members.len());
        for (m, valid) in members.iter().zip(held) {
            let c = match valid {
                Some(c) => c,
                None => super::certificates::issue_certificate(&tx, m.id, stamp.today(), stamp)?,
            };
            pages.push(layout::page(
                fonts,
                &self.certificate_data(m, &c, &key, &images),
            )?);
            certificates.push(c);
        }
        tx.commit()?;
        let title = match members.as_slice() {
            [one] => layout::title(Some(&certificates[0].number), &one.name),
            _ => layout::title_of_batch(members.len()),
        };
        Ok((certificates, Document { title, pages }))
    }

    /// Every member matching `query`'s filters and search, in its sort order, paging ignored.
    pub fn roster_members(&self, query: &MemberQuery) -> Result<Vec<Member>> {
        let mut members = Vec::new();
        super::members::each_member(&self.conn, query, |m| {
            members.push(m);
            Ok(())
        })?;
        Ok(members)
    }

    /// The roster of the members matching `query` (public: no personal contacts).
    pub fn roster_document(
        &self,
        query: &MemberQuery,
        public: bool,
        fonts: &Fonts,
        today: NaiveDate,
    ) -> Result<Document> {
        // A roster lists the current members unless a status is asked for.
        let mut query = query.clone();
        if query.status.is_none() {
            query.status = Some(crate::member::Status::Active);
        }
        let members = self.roster_members(&query)?;
        let table = roster::table(&members, public, today);
        Ok(Document {
            pages: table.pages(fonts)?,
            title: table.title,
        })
    }

    /// The application form: blank, or filled in from an application or a member.
    pub fn application_form_document(
        &self,
        source: FormSource,
        fonts: &Fonts,
        today: NaiveDate,
    ) -> Result<Document> {
        let data = match source {
            FormSource::Blank => FormData::default(),
            FormSource::Application(id) => {
                let d = self.application_detail(id, today)?;
                let mut data = form_data(&d.application.applicant);
                data.application_no = Some(id);
                data.received = Some(d.application.received);
                data.recommenders = d
                    .recommenders
                    .iter()
                    .map(|m| (m.name.clone(), m.member_no.clone()))
                    .collect();
                data
            }
            FormSource::Member(id) => form_data(&self.member(id)?.to_input()),
        };
        let title = match (source, data.name.as_str()) {
            (FormSource::Blank, _) => form::title(None),
            (_, name) => form::title(Some(name)),
        };
        Ok(Document {
            pages: vec![form::page(fonts, &data)?],
            title,
        })
    }

    /// The notice of the decision on an application as a letter, from the same template as
    /// the e-mail, dated with the decision.
    pub fn notice_letter_document(&self, application_id: i64, fonts: &Fonts) -> Result<Document> {
        let notice = self.application_notice(application_id)?;
        let decided = self.decision_date(application_id)?;
        Ok(Document {
            pages: letter::pages(fonts, &notice.subject, &notice.body, decided)?,
            title: notice.subject,
        })
    }

    /// Lays out the document `request` asks for. `printing` issues a certificate to an active
    /// member that has none, as printing one implies; a preview (`false`) never writes.
    pub fn document(
        &mut self,
        request: &DocumentRequest,
        fonts: &Fonts,
        stamp: &Stamp,
        printing: bool,
    ) -> Result<Document> {
        let today = stamp.today();
        match request {
            DocumentRequest::Certificates { member_ids } => {
                if member_ids.is_empty() {
                    return Err(layout::nothing_selected());
                }
                Ok(self
                    .certificates_document(member_ids, fonts, stamp, printing)?
                    .1)
            }
            DocumentRequest::Roster { query, public } => {
                self.roster_document(query, *public, fonts, today)
            }
            DocumentRequest::ApplicationForm { source } => {
                self.application_form_document(*source, fonts, today)
            }
            DocumentRequest::NoticeLetter { application_id } => {
                self.notice_letter_document(*application_id, fonts)
            }
        }
    }

    /// Keeps the file at `path` as the office's seal or signature image, after checking it is
    /// a PNG of a sensible size (measured on disk before it is read); written whole under a
    /// temporary name, then renamed into place.
    pub fn set_document_image(&self, kind: DocumentImage, path: &std::path::Path) -> Result<()> {
        let unreadable = |e: std::io::Error| images::unreadable(&e);
        let size = std::fs::metadata(path).map_err(unreadable)?.len();
        if size > images::MAX_IMAGE as u64 {
            return Err(Error::invalid(
                Png::check(vec![0; images::MAX_IMAGE + 1]).unwrap_err(),
            ));
        }
        let png = Png::check(std::fs::read(path).map_err(unreadable)?).map_err(Error::invalid)?;
        crate::documents::pdf::check_image(&png.bytes)
            .map_err(|why| Error::invalid(images::damaged(&why)))?;
        crate::documents::save(&kind.path_in(&self.data_dir()?), &png.bytes)
    }

    /// Removes the seal or signature image; certificates then leave the space blank.
    pub fn clear_document_image(&self, kind: DocumentImage) -> Result<()> {
        let path = kind.path_in(&self.data_dir()?);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(images::not_removed(&path, &e)),
        }
    }

    /// The seal and signature images as set, as `data:` URLs for the settings screen.
    pub fn document_images(&self) -> Result<DocumentImages> {
        use base64::Engine;
        let dir = self.data_dir()?;
        let url = |kind| -> Result<Option<String>> {
            Ok(images::load(&dir, kind)?.map(|png| {
                format!(
                    "data:image/png;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(png.bytes.as_slice())
                )
            }))
        };
        Ok(DocumentImages {
            seal: url(DocumentImage::Seal)?,
            signature: url(DocumentImage::Signature)?,
        })
    }

    /// A file name for the document `request` asks for, without laying it out (for the save
    /// dialog, before the document is made).
    pub fn document_file_name(&self, request: &DocumentRequest) -> Result<String> {
        let title = match request {
            DocumentRequest::Certificates { member_ids } => match member_ids.as_slice() {
                [one] => {
                    let m = self.member(*one)?;
                    let valid = self
                        .certificates(*one)?
                        .into_iter()
                        .find(|c| c.revoked.is_none());
                    layout::title(valid.as_ref().map(|c| c.number.as_str()), &m.name)
                }
                ids => layout::title_of_batch(ids.len()),
            },
            DocumentRequest::Roster { public, .. } => roster::title(*public),
            DocumentRequest::ApplicationForm { source } => match source {
                FormSource::Blank => form::title(None),
                FormSource::Application(id) => {
                    form::title(Some(&self.application(*id)?.applicant.name))
                }
                FormSource::Member(id) => form::title(Some(&self.member(*id)?.name)),
            },
            DocumentRequest::NoticeLetter { application_id } => {
                self.application_notice(*application_id)?.subject
            }
        };
        Ok(Document {
            title,
            pages: Vec::new(),
        }
        .file_name())
    }

    /// The installed font the office chose for documents' body text, if any: only one in
    /// this PC's font folders (a setting naming any other file is passed over).
    pub fn document_font(&self) -> Result<Option<InstalledFont>> {
        Ok(self
            .setting(DOCUMENT_FONT)?
            .filter(|v| !v.is_empty())
            .and_then(|v| serde_json::from_str::<InstalledFont>(&v).ok())
            .filter(|f| fonts::is_installed_font_path(std::path::Path::new(&f.path))))
    }

    /// Chooses an installed font for documents' body text (`None`: the bundled fonts). The
    /// font is read first, and refused if it cannot set Chinese text.
    pub fn set_document_font(&mut self, font: Option<&InstalledFont>) -> Result<()> {
        let value = match font {
            None => String::new(),
            Some(f) => {
                if !fonts::is_installed_font_path(std::path::Path::new(&f.path)) {
                    return Err(fonts::not_installed(&f.path));
                }
                let loaded = fonts::load_installed(f)?;
                if !fonts::sets_chinese(&loaded) {
                    return Err(fonts::not_cjk(&f.name));
                }
                serde_json::to_string(f).map_err(|e| Error::Storage(e.to_string()))?
            }
        };
        self.set_setting(DOCUMENT_FONT, &value)
    }

    /// The fonts documents are set in: the bundled ones, with the office's chosen body font
    /// where one is set and can still be read (a font removed from the PC falls back to the
    /// bundled face rather than stopping the office from printing).
    pub fn document_fonts(&self, bundled: &Fonts) -> Result<Fonts> {
        Ok(match self.document_font()? {
            Some(choice) => match fonts::load_installed(&choice) {
                Ok(font) => bundled.with_installed(font),
                Err(_) => bundled.clone(),
            },
            None => bundled.clone(),
        })
    }

    /// Checks a certificate from its QR payload or its number and code as typed.
    pub fn verify_certificate(&self, text: &str) -> Result<Verification> {
        let Some((number, code)) = verify::parse(text) else {
            return Err(verify::unreadable_input());
        };
        let key = self.certificate_key()?;
        let Some(c) = self.certificate_by_number(&number)? else {
            return Ok(Verification {
                number,
                genuine: false,
                certificate: None,
                member: None,
            });
        };
        let m = self.member(c.member_id)?;
        let genuine = key.code(&c.number, m.id, c.issued) == code;
        Ok(Verification {
            number,
            genuine,
            member: Some(MemberRef {
                id: m.id,
                member_no: m.member_no.clone(),
                name: m.name.clone(),
                tier: m.tier,
                status: m.status,
            }),
            certificate: Some(c),
        })
    }
}

/// A document the app asks for: what to lay out, from which records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentRequest {
    /// Members' certificates, a page each, in this order.
    Certificates {
        #[ts(type = "number[]")]
        member_ids: Vec<i64>,
    },
    /// The roster of the members a query takes; `public` leaves out personal contacts.
    Roster {
        query: MemberQuery,
        public: bool,
    },
    ApplicationForm {
        source: FormSource,
    },
    /// The decision on an application as a letter.
    NoticeLetter {
        #[ts(type = "number")]
        application_id: i64,
    },
}

/// A document shown before it is saved: its title and each page as SVG.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Preview {
    pub title: String,
    /// The first pages (at most [`Preview::PAGES`]), each as an SVG element.
    pub svg: Vec<String>,
    /// The images the pages draw, each once at screen resolution, as one hidden SVG element
    /// to be placed beside them.
    pub images: String,
    /// How many pages the document has in all.
    pub total_pages: u32,
}

impl Preview {
    /// How many pages a preview shows: enough to judge a roster, and a batch of 1,000
    /// certificates with a seal image stays a few megabytes rather than gigabytes.
    pub const PAGES: usize = 20;

    pub fn of(doc: &Document) -> Preview {
        let mut images = crate::documents::svg::SharedImages::default();
        let svg = doc
            .pages
            .iter()
            .take(Self::PAGES)
            .map(|p| crate::documents::svg::preview_page(p, &mut images))
            .collect();
        Preview {
            title: doc.title.clone(),
            svg,
            images: images.finish(),
            total_pages: doc.pages.len() as u32,
        }
    }
}

/// The seal and signature images the office has set, as `data:` URLs (None: not set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentImages {
    pub seal: Option<String>,
    pub signature: Option<String>,
}

/// Which application form to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[ts(export)]
pub enum FormSource {
    Blank,
    Application(#[ts(type = "number")] i64),
    Member(#[ts(type = "number")] i64),
}

/// The form's fields from a unit's details as entered.
fn form_data(m: &crate::member::MemberInput) -> FormData {
    let code = if m.uscc.trim().is_empty() {
        m.registration_no.clone()
    } else {
        m.uscc.clone()
    };
    FormData {
        name: m.name.clone(),
        name_en: m.name_en.clone(),
        kind: m.kind.label().zh,
        origin: m.origin.label().zh,
        code,
        place: [m.region.as_str(), m.city.as_str()]
            .iter()
            .filter(|s| !s.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
        address: m.address.clone(),
        website: m.website.clone(),
        head: crate::member::Person {
            name: m.head_name.clone(),
            title: m.head_title.clone(),
            phone: m.head_phone.clone(),
            email: m.head_email.clone(),
        },
        liaison: crate::member::Person {
            name: m.liaison_name.clone(),
            title: m.liaison_title.clone(),
            phone: m.liaison_phone.clone(),
            email: m.liaison_email.clone(),
        },
        intro: m.intro.clone(),
        ..Default::default()
    }
}
