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

use super::sheet::{Cell, Sheet};
use crate::error::{Error, Result};

/// How large a spreadsheet may be. A file beyond any of these is refused before it is read
/// whole, quickly and in little memory, with a message saying what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file on disk (a setting, [`IMPORT_MAX_MB_SETTING`]; default 50 MB).
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: DEFAULT_MAX_MB << 20,
        }
    }
}

/// The setting that holds the largest spreadsheet to import, in MB.
pub const IMPORT_MAX_MB_SETTING: &str = "import.max_mb";
pub const DEFAULT_MAX_MB: u64 = 50;
/// A workbook's parts, inflated, all together: a roster of 100,000 members is about a fifth.
const MAX_INFLATED: u64 = 512 << 20;
/// How much one part may inflate, for parts over 1 MB inflated: real sheets compress 10 to
/// 40 times; a "ZIP bomb" a thousand times and more.
const MAX_RATIO: u64 = 200;
const MAX_ENTRIES: usize = 10_000;
/// Cells with a value in one sheet (100,000 members of 30 columns are 3 million).
pub const MAX_CELLS: usize = 5_000_000;
/// The rightmost column read: a roster has a few dozen.
pub const MAX_COLUMNS: u32 = 1_000;

/// Reads `path` by its extension, within `limits`. `sheet` names a worksheet; empty takes
/// the first one that has any data (an empty "Sheet1" left before the real one is common).
pub fn read(path: &Path, sheet: &str, limits: Limits) -> Result<Sheet> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if size > limits.max_bytes {
        let (mb, max) = (size.div_ceil(1 << 20), limits.max_bytes >> 20);
        return Err(Error::file(
            path,
            format!("文件有 {mb} MB，超过导入上限 {max} MB。请只保留需要导入的工作表和列后另存，或分成几个文件导入。"),
            format!("is {mb} MB, over the import limit of {max} MB. Keep only the sheet and columns to import and save it again, or split it into several files."),
        ));
    }
    match ext.as_str() {
        "csv" | "txt" | "tsv" => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            read_csv_from(std::io::BufReader::new(file)).map_err(|m| match m {
                CsvError::Io(e) => Error::io(path, e),
                CsvError::Problem(m) => Error::file(path, m.0, m.1),
            })
        }
        "xlsx" | "xlsm" => {
            check_zip(path)?;
            read_xlsx(path, sheet)
        }
        "xlsb" | "ods" => {
            check_zip(path)?;
            read_workbook(path, sheet, &ext)
        }
        "xls" => {
            check_xls(path)?;
            read_workbook(path, sheet, &ext)
        }
        _ => Err(Error::file(
            path,
            "不是可导入的表格文件。请使用 Excel（.xlsx / .xls）、WPS 或 LibreOffice（.ods）表格，或 CSV 文件。",
            "is not a spreadsheet that can be imported. Use an Excel (.xlsx, .xls), WPS or LibreOffice (.ods) workbook, or a CSV file.",
        )),
    }
}

fn damaged(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::file(
        path,
        format!("无法作为表格打开（{why}）。文件可能已损坏，或设有打开密码：请在 Excel 中另存为 .xlsx 后重试。"),
        format!("cannot be opened as a workbook ({why}). It may be damaged or password-protected: save it again as .xlsx in Excel and retry."),
    )
}

fn too_big(path: &Path, zh: &str, en: &str) -> Error {
    Error::file(
        path,
        format!("{zh}，不像是一份正常的名单，未导入。请在 Excel 中只保留需要导入的数据，另存为新文件后重试。"),
        format!("{en}; it does not look like a roster and was not imported. Keep only the data to import in Excel, save it as a new file and retry."),
    )
}

/// Checks a workbook's ZIP directory before anything is inflated: how many parts, how large
/// they say they are inflated, and how much each inflates. (That no part inflates beyond
/// what it says is checked by the ZIP reader as it reads.)
fn check_zip(path: &Path) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut zip =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| damaged(path, e))?;
    if zip.len() > MAX_ENTRIES {
        return Err(too_big(
            path,
            "文件内部的部件过多",
            "it has too many parts inside",
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| damaged(path, e))?;
        let (size, packed) = (f.size(), f.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > 1 << 20 && size / packed > MAX_RATIO {
            return Err(too_big(
                path,
                &format!(
                    "其中一部分压缩了 {} 倍（解开后 {} MB）",
                    size / packed,
                    size >> 20
                ),
                &format!(
                    "one part is compressed {} times ({} MB inflated)",
                    size / packed,
                    size >> 20
                ),
            ));
        }
    }
    if total > MAX_INFLATED {
        return Err(too_big(
            path,
            &format!("解压后有 {} MB", total >> 20),
            &format!("it inflates to {} MB", total >> 20),
        ));
    }
    Ok(())
}

/// Checks an Excel 97-2003 workbook's sheets before calamine reads it, which lays each sheet
/// out as the rectangle from its first cell to its last: two cells at A1 and IV65536 would
/// be 16.7 million cells and half a gigabyte. The cell records' positions are read from the
/// record stream alone (each record's type, length, row and column), and a sheet whose
/// rectangle is over [`MAX_CELLS`] is refused.
fn check_xls(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut book = cfb::open(path).map_err(|e| damaged(path, e))?;
    let stream = ["/Workbook", "/Book"]
        .into_iter()
        .find(|s| book.exists(s))
        .ok_or_else(|| damaged(path, "no Workbook stream"))?;
    let mut r = std::io::BufReader::new(book.open_stream(stream).map_err(|e| damaged(path, e))?);
    // The rectangle of one sheet's cells: (first row, last row, first column, last column).
    let mut rect: Option<(u32, u32, u32, u32)> = None;
    let check = |rect: Option<(u32, u32, u32, u32)>| -> Result<()> {
        if let Some((r0, r1, c0, c1)) = rect {
            let cells = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            if cells > MAX_CELLS as u64 {
                return Err(too_big(
                    path,
                    &format!(
                        "一个工作表从第 {} 行到第 {} 行都有数据，共 {cells} 个单元格",
                        r0 + 1,
                        r1 + 1
                    ),
                    &format!(
                        "a sheet has data from row {} to row {}, {cells} cells in all",
                        r0 + 1,
                        r1 + 1
                    ),
                ));
            }
        }
        Ok(())
    };
    let mut head = [0u8; 4];
    let mut data = Vec::new();
    loop {
        match r.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(damaged(path, e)),
        }
        let kind = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        data.resize(len, 0);
        if r.read_exact(&mut data).is_err() {
            break;
        }
        let word = |at: usize| {
            data.get(at..at + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let (row, first, last) = match kind {
            // BOF: a new sheet (or the workbook globals) begins.
            0x0809 => {
                check(rect.take())?;
                continue;
            }
            // FORMULA, LABELSST, NUMBER, RK, BLANK, BOOLERR, LABEL, RSTRING: row, column.
            0x0006 | 0x00FD | 0x0203 | 0x027E | 0x0201 | 0x0205 | 0x0204 | 0x00D6 => {
                let (Some(row), Some(col)) = (word(0), word(2)) else {
                    continue;
                };
                (row, col, col)
            }
            // MULRK, MULBLANK: row, first column, ..., last column.
            0x00BD | 0x00BE if len >= 6 => {
                let (Some(row), Some(first), Some(last)) = (word(0), word(2), word(len - 2)) else {
                    continue;
                };
                (row, first, last.max(first))
            }
            _ => continue,
        };
        rect = Some(match rect {
            None => (row, row, first, last),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(first), c1.max(last)),
        });
    }
    check(rect)
}

/// Collects cells given by position into rows as the spreadsheet numbers them, refusing a
/// sheet with more cells or columns than a roster has (a few cells at A1 and XFD1048576
/// would otherwise be a sheet of seventeen billion cells).
struct Rows {
    rows: Vec<Vec<Cell>>,
    cells: usize,
}

impl Rows {
    fn put(&mut self, path: &Path, row: u32, col: u32, cell: Cell) -> Result<()> {
        if cell.is_empty() {
            return Ok(());
        }
        if col >= MAX_COLUMNS {
            return Err(too_big(
                path,
                &format!(
                    "第 {} 行第 {} 列有数据，表格宽于 {MAX_COLUMNS} 列",
                    row + 1,
                    col + 1
                ),
                &format!(
                    "row {} has data in column {}, beyond {MAX_COLUMNS} columns",
                    row + 1,
                    col + 1
                ),
            ));
        }
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(too_big(
                path,
                &format!("有数据的单元格超过 {MAX_CELLS} 个"),
                &format!("more than {MAX_CELLS} cells hold data"),
            ));
        }
        let (r, c) = (row as usize, col as usize);
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let cells = &mut self.rows[r];
        if cells.len() <= c {
            cells.resize(c + 1, Cell::Empty);
        }
        cells[c] = cell;
        Ok(())
    }
}

/// Reads an XLSX workbook one cell at a time, never allocating the sheet's declared range.
fn read_xlsx(path: &Path, wanted: &str) -> Result<Sheet> {
    use calamine::{open_workbook, Xlsx};
    let mut book: Xlsx<_> = open_workbook(path).map_err(|e| damaged(path, e))?;
    let names = book.sheet_names();
    check_sheet_name(path, wanted, &names)?;
    for name in names {
        if !wanted.is_empty() && name != wanted {
            continue;
        }
        let unreadable = |e: calamine::XlsxError| {
            let e = e.to_string();
            if e.contains("declared uncompressed size") {
                // The ZIP reader stopped a part that inflates beyond what it says.
                return too_big(
                    path,
                    &format!("工作表“{name}”解开后比文件声明的更大"),
                    &format!("sheet '{name}' inflates beyond the size the file declares"),
                );
            }
            Error::file(
                path,
                format!("工作表“{name}”无法读取，文件可能已损坏（{e}）。请在 Excel 中另存为 .xlsx 后重试。"),
                format!("sheet '{name}' cannot be read; the file may be damaged ({e}). Save it again as .xlsx in Excel and retry."),
            )
        };
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a macro sheet: no cells to read.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(unreadable(e)),
        };
        let mut rows = Rows {
            rows: Vec::new(),
            cells: 0,
        };
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            let (row, col) = cell.get_position();
            let value = cell_of(&Data::from(cell.get_value().clone()));
            rows.put(path, row, col, value)?;
        }
        if rows.cells == 0 {
            continue;
        }
        return Ok(Sheet {
            name,
            rows: rows.rows,
            format: "XLSX".into(),
        });
    }
    Err(no_data(path))
}

fn check_sheet_name(path: &Path, wanted: &str, names: &[String]) -> Result<()> {
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
    Ok(())
}

fn no_data(path: &Path) -> Error {
    Error::file(path, "表格中没有任何数据。", "has no data in any sheet.")
}

fn read_workbook(path: &Path, wanted: &str, ext: &str) -> Result<Sheet> {
    let mut book = open_workbook_auto(path).map_err(|e| damaged(path, e))?;
    let names = book.sheet_names();
    check_sheet_name(path, wanted, &names)?;
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
        let mut rows = Rows {
            rows: Vec::new(),
            cells: 0,
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        for (row, col, value) in range.used_cells() {
            rows.put(path, top + row as u32, left + col as u32, cell_of(value))?;
        }
        if rows.cells == 0 {
            continue;
        }
        return Ok(Sheet {
            name,
            rows: rows.rows,
            format,
        });
    }
    Err(no_data(path))
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

/// Why a CSV stream could not be read: the file, or its content.
#[derive(Debug)]
pub enum CsvError {
    Io(std::io::Error),
    Problem(CsvProblem),
}

impl From<CsvProblem> for CsvError {
    fn from(p: CsvProblem) -> CsvError {
        CsvError::Problem(p)
    }
}

/// Reads CSV bytes (see [`read_csv_from`]).
pub fn read_csv(bytes: &[u8]) -> std::result::Result<Sheet, CsvProblem> {
    read_csv_from(std::io::Cursor::new(bytes)).map_err(|e| match e {
        CsvError::Problem(p) => p,
        CsvError::Io(e) => CsvProblem(e.to_string(), e.to_string()),
    })
}

/// Reads CSV as a stream: UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode
/// text"), or GB18030 (which covers GBK and GB2312), decoded and split into rows as it is
/// read, so only the rows are held, never the file or its text whole. Without a byte-order
/// mark the file is read as UTF-8, and read again from the start as GB18030 at the first
/// byte that is not UTF-8. The delimiter (comma, tab or semicolon) is the one the first
/// lines use most.
pub fn read_csv_from<R: std::io::BufRead + std::io::Seek>(
    mut input: R,
) -> std::result::Result<Sheet, CsvError> {
    use encoding_rs::{GB18030, UTF_16BE, UTF_16LE, UTF_8};
    // The first three bytes say whether there is a byte-order mark (a small buffer may hold
    // fewer, so they are read whole and the stream rewound).
    let mut head = [0u8; 3];
    let mut got = 0;
    while got < 3 {
        match input.read(&mut head[got..]).map_err(CsvError::Io)? {
            0 => break,
            n => got += n,
        }
    }
    let head = &head[..got];
    let (encoding, skip, name) = if head.starts_with(b"\xEF\xBB\xBF") {
        (UTF_8, 3, "UTF-8")
    } else if head.starts_with(b"\xFF\xFE") {
        (UTF_16LE, 2, "UTF-16")
    } else if head.starts_with(b"\xFE\xFF") {
        (UTF_16BE, 2, "UTF-16")
    } else {
        (UTF_8, 0, "")
    };
    input
        .seek(std::io::SeekFrom::Start(skip))
        .map_err(CsvError::Io)?;
    match decode_rows(&mut input, encoding) {
        Ok(rows) => Ok(sheet_of(rows, if name.is_empty() { "UTF-8" } else { name })),
        Err(Malformed::Bytes) if name.is_empty() => {
            // Not UTF-8: Chinese Excel's "CSV" is GB18030 (a superset of GBK).
            input
                .seek(std::io::SeekFrom::Start(0))
                .map_err(CsvError::Io)?;
            match decode_rows(&mut input, GB18030) {
                Ok(rows) => Ok(sheet_of(rows, "GB18030")),
                // A decoding error here means the file is neither, and guessing further
                // would put wrong characters in names.
                Err(Malformed::Bytes) => Err(CsvProblem(
                    "无法识别文件编码（既不是 UTF-8 也不是 GB18030/GBK）。请在 Excel 中另存为“CSV UTF-8”后重试。".into(),
                    "the file's encoding is neither UTF-8 nor GB18030/GBK. Save it from Excel as 'CSV UTF-8' and retry.".into(),
                ).into()),
                Err(Malformed::Other(e)) => Err(e),
            }
        }
        Err(Malformed::Bytes) if encoding == UTF_8 => Err(CsvProblem(
            "文件标明为 UTF-8，但其中有无效字节，可能已损坏。".into(),
            "the file says it is UTF-8 but holds invalid bytes; it may be damaged.".into(),
        )
        .into()),
        Err(Malformed::Bytes) => Err(CsvProblem(
            "文件标明为 UTF-16，但其中有无效字节，可能已损坏。".into(),
            "the file says it is UTF-16 but holds invalid bytes; it may be damaged.".into(),
        )
        .into()),
        Err(Malformed::Other(e)) => Err(e),
    }
}

enum Malformed {
    /// A byte sequence the encoding does not allow.
    Bytes,
    Other(CsvError),
}

fn sheet_of(rows: Vec<Vec<String>>, encoding: &str) -> Sheet {
    let rows = rows
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
    Sheet {
        name: String::new(),
        rows,
        format: format!("CSV ({encoding})"),
    }
}

/// Decodes `input` in `encoding` chunk by chunk and splits the text into rows.
fn decode_rows<R: std::io::BufRead>(
    input: &mut R,
    encoding: &'static encoding_rs::Encoding,
) -> std::result::Result<Vec<Vec<String>>, Malformed> {
    use encoding_rs::DecoderResult;
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut parser = CsvParser::default();
    // The first lines are kept until the delimiter is known.
    let mut head = String::new();
    let mut delimiter: Option<char> = None;
    let mut text = String::with_capacity(64 * 1024);
    loop {
        let bytes = input
            .fill_buf()
            .map_err(|e| Malformed::Other(CsvError::Io(e)))?;
        let last = bytes.is_empty();
        let mut read = 0;
        loop {
            text.clear();
            text.reserve(
                decoder
                    .max_utf8_buffer_length_without_replacement(bytes.len() - read)
                    .unwrap_or(64 * 1024),
            );
            let (result, n) =
                decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, last);
            read += n;
            match delimiter {
                Some(d) => parser.feed(&text, d),
                None => {
                    head.push_str(&text);
                    if last || head.lines().nth(30).is_some() {
                        let d = guess_delimiter(&head);
                        delimiter = Some(d);
                        parser.feed(&std::mem::take(&mut head), d);
                    }
                }
            }
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => continue,
                DecoderResult::Malformed(_, _) => return Err(Malformed::Bytes),
            }
        }
        let consumed = read;
        input.consume(consumed);
        if last {
            break;
        }
    }
    parser.finish().map_err(|p| Malformed::Other(p.into()))
}

/// The delimiter the first lines use most: title lines above the header have none, so the
/// lines are counted together; a tie goes to the comma.
fn guess_delimiter(head: &str) -> char {
    let lines: Vec<&str> = head.lines().take(30).collect();
    let count = |d: char| -> usize { lines.iter().map(|l| l.matches(d).count()).sum() };
    let mut delimiter = ',';
    for d in ['\t', ';'] {
        if count(d) > count(delimiter) {
            delimiter = d;
        }
    }
    delimiter
}

/// Splits CSV text into records of fields as it arrives (RFC 4180: quoted fields may hold
/// delimiters, doubled quotes and line breaks). Written here rather than taken from a CSV
/// library because a blank line must stay a row: row numbers in the report are Excel's.
#[derive(Default)]
struct CsvParser {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    field: String,
    quoted: bool,
    /// A quote just closed a quoted part: a second one is a literal quote.
    quote_closing: bool,
    /// A carriage return just ended a row: a line feed after it is part of the same break.
    after_cr: bool,
    line: usize,
    quote_line: usize,
}

impl CsvParser {
    fn feed(&mut self, text: &str, delimiter: char) {
        for c in text.chars() {
            self.push(c, delimiter);
        }
    }

    fn push(&mut self, c: char, delimiter: char) {
        if self.line == 0 {
            self.line = 1;
        }
        if std::mem::take(&mut self.after_cr) && c == '\n' {
            return;
        }
        if std::mem::take(&mut self.quote_closing) && c == '"' {
            self.field.push('"');
            self.quoted = true;
            return;
        }
        if self.quoted {
            match c {
                '"' => {
                    self.quoted = false;
                    self.quote_closing = true;
                }
                '\n' => {
                    self.line += 1;
                    self.field.push(c);
                }
                _ => self.field.push(c),
            }
            return;
        }
        match c {
            '"' if self.field.is_empty() => {
                self.quoted = true;
                self.quote_line = self.line;
            }
            c if c == delimiter => self.row.push(std::mem::take(&mut self.field)),
            '\n' | '\r' => {
                self.after_cr = c == '\r';
                self.line += 1;
                self.row.push(std::mem::take(&mut self.field));
                self.rows.push(std::mem::take(&mut self.row));
            }
            _ => self.field.push(c),
        }
    }

    fn finish(mut self) -> std::result::Result<Vec<Vec<String>>, CsvProblem> {
        if self.quoted {
            let quote_line = self.quote_line;
            return Err(CsvProblem(
                format!("CSV 格式有误：第 {quote_line} 行开始的引号没有闭合。请在 Excel 中打开后另存为 CSV 重试。"),
                format!("the CSV is malformed: the quote opened on line {quote_line} is never closed. Open it in Excel and save it as CSV again."),
            ));
        }
        if !self.field.is_empty() || !self.row.is_empty() {
            self.row.push(self.field);
            self.rows.push(self.row);
        }
        Ok(self.rows)
    }
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

    #[test]
    fn streaming_gives_the_same_rows_whatever_the_chunks() {
        let mut late_gbk = "名称,城市\r\n".as_bytes().to_vec();
        for i in 0..5000 {
            late_gbk.extend(format!("company {i},\"a \"\"q\"\"\r\nb\"\r\n").as_bytes());
        }
        // The first byte that is not UTF-8 comes after 100 KB: read again as GB18030.
        late_gbk.extend(
            encoding_rs::GB18030
                .encode("华为技术有限公司,深圳\r\n")
                .0
                .iter(),
        );
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "名称\t城市\r\n甲\t\"深\r\n圳\"\r\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        for bytes in [
            late_gbk.clone(),
            utf16,
            b"\xEF\xBB\xBFa;b\r\n\"x;y\";z\r\r\n\n".to_vec(),
            "单位名称\n\"引号\"\"中\"\"间\",b\n\n".as_bytes().to_vec(),
        ] {
            let whole = read_csv(&bytes).unwrap();
            for capacity in [1, 2, 3, 7, 4096] {
                let r = std::io::BufReader::with_capacity(capacity, std::io::Cursor::new(&bytes));
                let streamed = read_csv_from(r).unwrap();
                assert_eq!(streamed.rows, whole.rows, "capacity {capacity}");
                assert_eq!(streamed.format, whole.format);
            }
        }
        let s = read_csv(&late_gbk).unwrap();
        assert_eq!(s.format, "CSV (GB18030)");
        assert_eq!(texts(&s)[1], ["company 0", "a \"q\"\r\nb"]);
        assert_eq!(texts(&s).last().unwrap(), &["华为技术有限公司", "深圳"]);
    }
}
