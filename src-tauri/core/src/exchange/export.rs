//! Rosters out: XLSX for people, CSV for other programs.
//!
//! XLSX: a bold, frozen header with an autofilter; codes and phone numbers as text (an
//! 18-character code stored as a number loses its last digits); dates as real dates; columns
//! wide enough for their Chinese text. CSV: UTF-8 with a byte-order mark, which Chinese Excel
//! needs to decode it, or GB18030 for older programs; cells that a spreadsheet would run as a
//! formula are neutralised.

use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::values::{display_width, excel_date_ok, member_value, neutralise, Value};
use super::{MEMBER_FIELDS, PERSONAL_FIELDS, PUBLIC_FIELDS};
use crate::error::{Error, Result};
use crate::field::Field;
use crate::listing::MemberQuery;
use crate::member::Member;

/// The file kinds an export writes, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Xlsx,
    Csv,
}

impl ExportFormat {
    pub fn of(path: &Path) -> Result<ExportFormat> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx") => Ok(ExportFormat::Xlsx),
            Some("csv") => Ok(ExportFormat::Csv),
            _ => Err(Error::file(
                path,
                "只能导出为 .xlsx（Excel）或 .csv 文件，请更改文件扩展名。",
                "can only be exported as .xlsx (Excel) or .csv; change the file's extension.",
            )),
        }
    }
}

/// The text encoding of a CSV export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark: Chinese Excel opens it cleanly, and every character fits.
    #[default]
    Utf8,
    /// GB18030, for programs that expect the Chinese Windows code page.
    Gb18030,
}

/// What to export: which members (the list's filters), which columns, which version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ExportRequest {
    pub query: MemberQuery,
    /// The public roster: no personal contact data, for partners and meetings.
    pub public: bool,
    /// The columns in order; empty takes the version's standard set.
    pub columns: Vec<Field>,
    pub encoding: CsvEncoding,
}

impl ExportRequest {
    /// The columns to write, checked: known member fields, and none personal in a public roster.
    pub fn columns(&self) -> Result<Vec<Field>> {
        let columns: Vec<Field> = if !self.columns.is_empty() {
            self.columns.clone()
        } else if self.public {
            PUBLIC_FIELDS.to_vec()
        } else {
            MEMBER_FIELDS.to_vec()
        };
        if let Some(f) = columns.iter().find(|f| !MEMBER_FIELDS.contains(f)) {
            let l = f.label();
            return Err(Error::refused(
                crate::error::ErrorCode::ExportColumnUnknown,
                format!("“{}”不是成员信息的列，不能导出。", l.zh),
                format!("'{}' is not a member column and cannot be exported.", l.en),
            ));
        }
        if self.public {
            let personal: Vec<Field> = columns
                .iter()
                .copied()
                .filter(|f| PERSONAL_FIELDS.contains(f))
                .collect();
            if !personal.is_empty() {
                let zh: Vec<String> = personal.iter().map(|f| f.label().zh).collect();
                let en: Vec<String> = personal.iter().map(|f| f.label().en).collect();
                return Err(Error::refused(
                    crate::error::ErrorCode::ExportPublicPersonal,
                    format!("公开版名录不能包含个人联系信息：{}。请取消这些列，或改为导出内部版。", zh.join("、")),
                    format!("A public roster cannot contain personal contact data: {}. Untick these columns or export the internal roster.", en.join(", ")),
                ));
            }
        }
        Ok(columns)
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    pub path: String,
    pub format: ExportFormat,
    pub members: u32,
    pub columns: u32,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The sheet's name, which also names the roster's version.
pub fn sheet_name(public: bool) -> &'static str {
    if public {
        "成员名录（公开版）"
    } else {
        "成员名录（内部版）"
    }
}

/// Builds a file of one kind row by row; the members arrive one at a time from storage.
pub trait RosterWriter {
    fn member(&mut self, m: &Member) -> Result<()>;
    /// The finished file's bytes.
    fn finish(self: Box<Self>) -> Result<Vec<u8>>;
}

pub fn writer(
    format: ExportFormat,
    columns: &[Field],
    public: bool,
    encoding: CsvEncoding,
) -> Result<Box<dyn RosterWriter>> {
    Ok(match format {
        ExportFormat::Xlsx => Box::new(Xlsx::new(columns, public)?),
        ExportFormat::Csv => Box::new(Csv::new(columns, encoding)),
    })
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Storage(format!("writing the spreadsheet failed: {e}"))
}

struct Xlsx {
    book: Workbook,
    columns: Vec<Field>,
    row: u32,
    widths: Vec<usize>,
    date: Format,
    text: Format,
}

impl Xlsx {
    fn new(columns: &[Field], public: bool) -> Result<Xlsx> {
        let mut book = Workbook::new();
        let header = Format::new()
            .set_bold()
            .set_background_color("#E8EEF7")
            .set_border_bottom(FormatBorder::Thin);
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(public)).map_err(xlsx_error)?;
        let mut widths = Vec::with_capacity(columns.len());
        for (c, f) in columns.iter().enumerate() {
            let label = f.label().zh;
            widths.push(display_width(&label) + 4);
            sheet
                .write_string_with_format(0, c as u16, &label, &header)
                .map_err(xlsx_error)?;
        }
        Ok(Xlsx {
            book,
            columns: columns.to_vec(),
            row: 0,
            widths,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            // Codes and numbers typed as text stay text when the clerk edits the cell.
            text: Format::new().set_num_format("@"),
        })
    }
}

impl RosterWriter for Xlsx {
    fn member(&mut self, m: &Member) -> Result<()> {
        self.row += 1;
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        for (c, f) in self.columns.iter().enumerate() {
            let col = c as u16;
            match member_value(m, *f) {
                Value::Text(s) if s.is_empty() => {}
                Value::Text(s) => {
                    self.widths[c] = self.widths[c].max(display_width(&s));
                    if matches!(
                        f,
                        Field::Uscc
                            | Field::RegistrationNo
                            | Field::MemberNo
                            | Field::HeadPhone
                            | Field::LiaisonPhone
                    ) {
                        sheet
                            .write_string_with_format(self.row, col, &s, &self.text)
                            .map_err(xlsx_error)?;
                    } else {
                        sheet.write_string(self.row, col, &s).map_err(xlsx_error)?;
                    }
                }
                Value::Date(d) if excel_date_ok(d) => {
                    let dt =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .map_err(xlsx_error)?;
                    self.widths[c] = self.widths[c].max(11);
                    sheet
                        .write_datetime_with_format(self.row, col, &dt, &self.date)
                        .map_err(xlsx_error)?;
                }
                Value::Date(d) => {
                    sheet
                        .write_string(self.row, col, d.to_string())
                        .map_err(xlsx_error)?;
                }
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Vec<u8>> {
        let last_col = self.columns.len().saturating_sub(1) as u16;
        let rows = self.row;
        let widths = std::mem::take(&mut self.widths);
        let sheet = self.book.worksheet_from_index(0).map_err(xlsx_error)?;
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        sheet.autofilter(0, 0, rows, last_col).map_err(xlsx_error)?;
        for (c, w) in widths.into_iter().enumerate() {
            // Long introductions would make a column a screen wide; 60 is enough to read.
            sheet
                .set_column_width(c as u16, (w.min(60) + 2) as f64)
                .map_err(xlsx_error)?;
        }
        self.book.save_to_buffer().map_err(xlsx_error)
    }
}

struct Csv {
    out: String,
    columns: Vec<Field>,
    encoding: CsvEncoding,
}

impl Csv {
    fn new(columns: &[Field], encoding: CsvEncoding) -> Csv {
        let mut w = Csv {
            out: String::with_capacity(1 << 20),
            columns: columns.to_vec(),
            encoding,
        };
        let labels: Vec<String> = columns.iter().map(|f| f.label().zh).collect();
        w.line(labels.iter().map(String::as_str));
        w
    }

    fn line<'a>(&mut self, cells: impl Iterator<Item = &'a str>) {
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            let cell = neutralise(cell);
            if cell.contains([',', '"', '\n', '\r']) {
                self.out.push('"');
                self.out.push_str(&cell.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(&cell);
            }
        }
        // Excel writes CRLF; so do we, so that the file looks the same to every program.
        self.out.push_str("\r\n");
    }
}

impl RosterWriter for Csv {
    fn member(&mut self, m: &Member) -> Result<()> {
        let values: Vec<String> = self
            .columns
            .iter()
            .map(|f| member_value(m, *f).text())
            .collect();
        self.line(values.iter().map(String::as_str));
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<Vec<u8>> {
        Ok(match self.encoding {
            CsvEncoding::Utf8 => {
                let mut bytes = Vec::with_capacity(self.out.len() + 3);
                bytes.extend_from_slice(b"\xEF\xBB\xBF");
                bytes.extend_from_slice(self.out.as_bytes());
                bytes
            }
            // GB18030 encodes every Unicode character, so nothing is lost, 𠮷 included.
            CsvEncoding::Gb18030 => encoding_rs::GB18030.encode(&self.out).0.into_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_export_refuses_personal_columns() {
        let r = ExportRequest {
            public: true,
            columns: vec![Field::Name, Field::LiaisonPhone],
            ..ExportRequest::default()
        };
        let e = r.columns().unwrap_err();
        assert_eq!(e.code(), "export_public_personal");
        assert!(e.message().zh.contains("联络员电话"));
        let r = ExportRequest {
            public: true,
            ..ExportRequest::default()
        };
        let cols = r.columns().unwrap();
        assert!(cols.iter().all(|f| !PERSONAL_FIELDS.contains(f)));
        assert_eq!(
            ExportRequest::default().columns().unwrap().len(),
            MEMBER_FIELDS.len()
        );
    }

    #[test]
    fn csv_quotes_and_neutralises() {
        let mut w = Csv::new(&[Field::Name], CsvEncoding::Utf8);
        w.line(["=cmd|' /C calc'!A0", "a,b", "say \"hi\"", "两行\n文字"].into_iter());
        let text = String::from_utf8(Box::new(w).finish().unwrap()).unwrap();
        assert!(text.starts_with("\u{FEFF}单位名称\r\n"), "{text:?}");
        assert!(text.contains("'=cmd|' /C calc'!A0,\"a,b\",\"say \"\"hi\"\"\",\"两行\n文字\"\r\n"));
    }

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(
            ExportFormat::of(Path::new("名录.XLSX")).unwrap(),
            ExportFormat::Xlsx
        );
        assert_eq!(
            ExportFormat::of(Path::new("a.csv")).unwrap(),
            ExportFormat::Csv
        );
        assert_eq!(
            ExportFormat::of(Path::new("a.pdf")).unwrap_err().code(),
            "file"
        );
    }
}
