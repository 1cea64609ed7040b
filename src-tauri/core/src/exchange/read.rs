//! Reading a spreadsheet into rows of cells, whatever program wrote it.
//!
//! The secretariat's old rosters come from Excel (XLSX, the older XLS), WPS and LibreOffice
//! (ODS), and as CSV saved by Chinese Excel, which writes GB18030 unless told otherwise. Every
//! format ends up as the same [`Sheet`]: rows numbered as the spreadsheet numbers them, cells
//! typed only as far as the file says (text, number, date), so that normalising is done once,
//! in [`super::values`].

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use chrono::NaiveDate;

use crate::error::{Error, Result};

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell the file marks as a date (Excel's date formats, ODS dates).
    Date(NaiveDate),
    Bool(bool),
    /// A formula error such as `#REF!`: the value is lost, the row must be fixed.
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// The rows of one sheet. `rows[0]` is the spreadsheet's row 1, so a row's number in a
/// message is its index plus one, as the clerk sees it in Excel.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// What the file was read as, for the report: `XLSX`, `CSV (GB18030)`, ...
    pub format: String,
}

/// Reads `path` by its extension. `sheet` names a worksheet; empty takes the first one that
/// has any data (an empty "Sheet1" left before the real one is common).
pub fn read(path: &Path, sheet: &str) -> Result<Sheet> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" | "tsv" => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            read_csv(&bytes).map_err(|m| Error::file(path, m.0, m.1))
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path, sheet, &ext),
        _ => Err(Error::file(
            path,
            "不是可导入的表格文件。请使用 Excel（.xlsx / .xls）、WPS 或 LibreOffice（.ods）表格，或 CSV 文件。",
            "is not a spreadsheet that can be imported. Use an Excel (.xlsx, .xls), WPS or LibreOffice (.ods) workbook, or a CSV file.",
        )),
    }
}

fn read_workbook(path: &Path, wanted: &str, ext: &str) -> Result<Sheet> {
    let mut book = open_workbook_auto(path).map_err(|e| {
        Error::file(
            path,
            format!("无法作为表格打开（{e}）。文件可能已损坏，或设有打开密码：请在 Excel 中另存为 .xlsx 后重试。"),
            format!("cannot be opened as a workbook ({e}). It may be damaged or password-protected: save it again as .xlsx in Excel and retry."),
        )
    })?;
    let names = book.sheet_names();
    if !wanted.is_empty() && !names.iter().any(|n| n == wanted) {
        return Err(Error::file(
            path,
            format!("没有名为“{wanted}”的工作表；现有：{}", names.join("、")),
            format!(
                "has no sheet named '{wanted}'; it has: {}",
                names.join(", ")
            ),
        ));
    }
    let format = ext.to_ascii_uppercase();
    for name in names {
        if !wanted.is_empty() && name != wanted {
            continue;
        }
        let range = book.worksheet_range(&name).map_err(|e| {
            Error::file(
                path,
                format!("工作表“{name}”无法读取（{e}）。"),
                format!("sheet '{name}' cannot be read ({e})."),
            )
        })?;
        let Some((top, left)) = range.start() else {
            continue;
        };
        // A range starts at its first used cell; pad it back so that rows and columns keep
        // the numbers the clerk sees in Excel.
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); top as usize];
        for row in range.rows() {
            let mut cells = vec![Cell::Empty; left as usize];
            cells.extend(row.iter().map(cell_of));
            while cells.last().is_some_and(Cell::is_empty) {
                cells.pop();
            }
            rows.push(cells);
        }
        if rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
            continue;
        }
        return Ok(Sheet { name, rows, format });
    }
    Err(Error::file(
        path,
        "表格中没有任何数据。",
        "has no data in any sheet.",
    ))
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(y.into(), m.into(), d.into())
                .map(Cell::Date)
                .unwrap_or_else(|| Cell::Number(dt.as_f64()))
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            // ODS writes dates as ISO text; keep the date part.
            let day = s.get(..10).unwrap_or(s);
            NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map(Cell::Date)
                .unwrap_or_else(|_| Cell::Text(s.clone()))
        }
        Data::Error(e) => Cell::Error(format!("{e:?}")),
    }
}

/// A reason a CSV cannot be read, in Chinese and English.
#[derive(Debug)]
pub struct CsvProblem(pub String, pub String);

/// Reads CSV bytes: UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text"),
/// or GB18030 (which covers GBK and GB2312). The delimiter (comma, tab or semicolon) is the
/// one the first line uses most.
pub fn read_csv(bytes: &[u8]) -> std::result::Result<Sheet, CsvProblem> {
    let (text, encoding) = decode(bytes)?;
    // Title lines above the header have no delimiters, so the first lines are counted
    // together; a tie goes to the comma.
    let head: Vec<&str> = text.lines().take(30).collect();
    let count = |d: u8| -> usize {
        head.iter()
            .map(|l| l.bytes().filter(|b| *b == d).count())
            .sum()
    };
    let mut delimiter = b',';
    for d in [b'\t', b';'] {
        if count(d) > count(delimiter) {
            delimiter = d;
        }
    }
    let rows = parse_csv(&text, delimiter as char)?
        .into_iter()
        .map(|fields| {
            let mut cells: Vec<Cell> = fields
                .iter()
                .map(|f| Cell::Text(super::values::unquote(f).to_string()))
                .collect();
            while cells.last().is_some_and(Cell::is_empty) {
                cells.pop();
            }
            cells
        })
        .collect();
    Ok(Sheet {
        name: String::new(),
        rows,
        format: format!("CSV ({encoding})"),
    })
}

/// Splits CSV text into records of fields (RFC 4180: quoted fields may hold delimiters,
/// doubled quotes and line breaks). Written here rather than taken from a CSV library
/// because a blank line must stay a row: row numbers in the report are Excel's.
fn parse_csv(text: &str, delimiter: char) -> std::result::Result<Vec<Vec<String>>, CsvProblem> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut quote_line = 0;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                quote_line = line;
            }
            c if c == delimiter => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(CsvProblem(
            format!("CSV 格式有误：第 {quote_line} 行开始的引号没有闭合。请在 Excel 中打开后另存为 CSV 重试。"),
            format!("the CSV is malformed: the quote opened on line {quote_line} is never closed. Open it in Excel and save it as CSV again."),
        ));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// The text of a CSV file and the name of the encoding it was read in.
fn decode(bytes: &[u8]) -> std::result::Result<(String, &'static str), CsvProblem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest).map(|s| (s, "UTF-8"));
    }
    for (bom, enc) in [
        (b"\xFF\xFE", encoding_rs::UTF_16LE),
        (b"\xFE\xFF", encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (text, _, bad) = enc.decode(bytes);
            if !bad {
                return Ok((text.into_owned(), "UTF-16"));
            }
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    // Not UTF-8: Chinese Excel's "CSV" is GB18030 (a superset of GBK). A decoding error there
    // means the file is neither, and guessing further would put wrong characters in names.
    let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
    if bad {
        return Err(CsvProblem(
            "无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK）。请在 Excel 中另存为“CSV UTF-8”后重试。".into(),
            "the file's encoding is neither UTF-8 nor GB18030/GBK. Save it from Excel as 'CSV UTF-8' and retry.".into(),
        ));
    }
    Ok((text.into_owned(), "GB18030"))
}

fn utf8(bytes: &[u8]) -> std::result::Result<String, CsvProblem> {
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        CsvProblem(
            "文件标明为 UTF-8，但其中有无效字节，可能已损坏。".into(),
            "the file says it is UTF-8 but holds invalid bytes; it may be damaged.".into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &Sheet) -> Vec<Vec<String>> {
        s.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::Text(t) => t.clone(),
                        other => format!("{other:?}"),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn gb18030_csv_from_chinese_excel_is_read() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("单位名称,城市\r\n华为技术有限公司,深圳\r\n");
        let s = read_csv(&bytes).unwrap();
        assert_eq!(s.format, "CSV (GB18030)");
        assert_eq!(texts(&s)[1], ["华为技术有限公司", "深圳"]);
    }

    #[test]
    fn utf8_with_bom_and_rare_characters() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend("单位名称\n𠮷野家㐀\n".as_bytes());
        let s = read_csv(&bytes).unwrap();
        assert_eq!(s.format, "CSV (UTF-8)");
        assert_eq!(texts(&s), [["单位名称"], ["𠮷野家㐀"]]);
    }

    #[test]
    fn tabs_and_quoted_line_breaks() {
        let s = read_csv("名称\t简介\n甲\t\"第一行\n第二行\"\n".as_bytes()).unwrap();
        assert_eq!(texts(&s)[1], ["甲", "第一行\n第二行"]);
    }

    #[test]
    fn a_title_line_does_not_hide_the_delimiter() {
        let s =
            read_csv("成员单位名单\n\n名称,城市\n甲,\"深\n圳\"\n\n乙,广州\n".as_bytes()).unwrap();
        // Rows keep Excel's numbers: blank lines count, a cell's line break does not.
        assert_eq!(texts(&s)[3], ["甲", "深\n圳"]);
        assert!(s.rows[4].is_empty());
        assert_eq!(texts(&s)[5], ["乙", "广州"]);
    }

    #[test]
    fn an_unclosed_quote_is_reported_with_its_line() {
        let e = read_csv("名称\n\"甲,深圳\n".as_bytes()).unwrap_err();
        assert!(e.0.contains("第 2 行"), "{e:?}");
    }

    #[test]
    fn utf16_unicode_text_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "名称\t城市\n甲\t乙\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let s = read_csv(&bytes).unwrap();
        assert_eq!(texts(&s)[1], ["甲", "乙"]);
    }

    #[test]
    fn bytes_in_no_known_encoding_are_refused() {
        // 0x80 alone is not valid UTF-8, and 0xFF is not a GB18030 lead byte.
        let err = read_csv(b"name\n\xFF\xFF\x80\n").unwrap_err();
        assert!(err.0.contains("编码"), "{err:?}");
    }
}
