//! A spreadsheet's rows as they were read, before any of them means anything: what
//! [`super::read`] produces and [`super::values`] and [`super::import`] interpret.

use chrono::NaiveDate;

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
