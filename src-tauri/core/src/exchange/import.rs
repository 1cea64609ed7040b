//! Old spreadsheets in: finding the header row, mapping columns to fields, and the report.
//!
//! Legacy rosters start with a merged title row or two ("中国跨境电子商务应用联盟成员名录",
//! a date), then the header, then the members, with blank rows between groups. The header is
//! the first row in which several cells name registry fields; columns are mapped by those
//! names in Chinese or English, and the clerk may correct the mapping. What is written is
//! decided in storage (`Registry::import`), with the registry's own rules.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::sheet::{Cell, Sheet};
use super::values::cell_text;
use super::MEMBER_FIELDS;
use crate::error::{Error, Problem};
use crate::field::Field;
use crate::lang::Text;

/// How to read the file; everything left empty is found automatically.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ImportOptions {
    /// The worksheet; empty takes the first that has data.
    pub sheet: String,
    /// The header row as numbered in the spreadsheet (1 = first); `None` finds it.
    #[ts(optional)]
    pub header_row: Option<u32>,
    /// The field of each column, left to right (`None` ignores the column); `None` maps by
    /// the header's names.
    #[ts(optional)]
    pub mapping: Option<Vec<Option<Field>>>,
    /// Write the valid rows and skip those in error, instead of writing nothing.
    pub skip_invalid: bool,
}

/// What happens to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportAction {
    /// A member not in the registry: it will be added.
    New,
    /// A member already registered (same code, or same name): these fields change.
    Update,
    /// Already registered exactly so: nothing to do.
    Unchanged,
    /// The same unit as an earlier row of the file, with the same values: skipped.
    Duplicate,
    /// Breaks a rule: the problems say what to fix.
    Error,
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRow {
    /// The row's number in the spreadsheet, as Excel shows it.
    pub row: u32,
    pub action: ImportAction,
    pub name: String,
    /// The member number (assigned for new members).
    pub member_no: String,
    /// The registered member this row updates or matches.
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    /// For updates: the fields that change.
    pub changes: Vec<Field>,
    pub problems: Vec<Problem>,
    /// For duplicates: the earlier row of the file.
    pub duplicate_of: Option<u32>,
}

/// How many rows of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportCounts {
    /// Data rows read (blank rows not counted).
    pub rows: u32,
    pub new: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub duplicates: u32,
    pub errors: u32,
}

/// What an import found and did. A preview (dry run) is the same report with `written`
/// false.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub file: String,
    /// How the file was read: `XLSX`, `CSV (GB18030)`, ...
    pub format: String,
    pub sheet: String,
    pub header_row: u32,
    /// The header's cells, left to right.
    pub headers: Vec<String>,
    /// The field each column was mapped to.
    pub mapping: Vec<Option<Field>>,
    /// Mapped fields that more than one column named; only the first column is used.
    pub counts: ImportCounts,
    /// Rows in error and duplicates all; new, updated and unchanged rows up to
    /// [`LISTED_PER_ACTION`] each (the counts are exact).
    pub rows: Vec<ImportRow>,
    /// Whether the registry was changed.
    pub written: bool,
    /// Why nothing was written, when rows were in error.
    #[ts(optional)]
    pub refused: Option<Text>,
}

/// How many new, updated or unchanged rows a report lists; a preview of 100,000 new members
/// shows their count and the first of them.
pub const LISTED_PER_ACTION: usize = 1000;

impl ImportReport {
    pub fn has_errors(&self) -> bool {
        self.counts.errors > 0
    }
}

/// A header cell as compared: half-width, lower case, without spaces, a required-field
/// star, a trailing colon or a remark in brackets ("单位名称（全称）").
fn header_key(s: &str) -> String {
    let s = crate::text::to_half_width(s);
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = (depth - 1).max(0),
            _ if depth > 0 => {}
            '*' | ':' | '：' | '_' => {}
            c if c.is_whitespace() => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Names old rosters give each field, beyond the registry's own labels.
fn aliases(field: Field) -> &'static [&'static str] {
    match field {
        Field::MemberNo => &[
            "成员编号",
            "会员编号",
            "编号",
            "成员号",
            "会员号",
            "memberno",
            "membernumber",
            "no.",
        ],
        Field::Name => &[
            "单位名称",
            "成员单位",
            "成员单位名称",
            "单位",
            "名称",
            "企业名称",
            "公司名称",
            "机构名称",
            "会员单位",
            "会员名称",
            "name",
            "memberunit",
            "organisation",
            "organization",
            "company",
        ],
        Field::NameEn => &[
            "英文名称",
            "英文名",
            "单位英文名称",
            "englishname",
            "nameinenglish",
        ],
        Field::Kind => &["单位类型", "单位性质", "类型", "机构类型", "kind", "type"],
        Field::Origin => &[
            "境内/境外",
            "境内外",
            "国内/国外",
            "origin",
            "domestic/overseas",
        ],
        Field::Region => &[
            "国家/地区",
            "国家地区",
            "国家",
            "地区",
            "country",
            "region",
            "country/region",
        ],
        Field::City => &["城市", "所在城市", "所在地", "city"],
        Field::Uscc => &[
            "统一社会信用代码",
            "信用代码",
            "社会信用代码",
            "uscc",
            "unifiedsocialcreditcode",
            "creditcode",
        ],
        Field::RegistrationNo => &[
            "注册号",
            "登记号",
            "注册编号",
            "registrationnumber",
            "registrationno",
        ],
        Field::Address => &[
            "地址",
            "通讯地址",
            "单位地址",
            "办公地址",
            "联系地址",
            "address",
        ],
        Field::Website => &["网站", "网址", "官网", "单位网站", "website", "web"],
        Field::HeadName => &[
            "负责人",
            "负责人姓名",
            "法定代表人",
            "法人代表",
            "单位负责人",
            "responsibleperson",
            "responsibleperson'sname",
            "head",
        ],
        Field::HeadTitle => &["负责人职务", "responsibleperson'stitle", "headtitle"],
        Field::HeadPhone => &[
            "负责人电话",
            "负责人手机",
            "responsibleperson'sphone",
            "headphone",
        ],
        Field::HeadEmail => &[
            "负责人邮箱",
            "负责人电子邮箱",
            "responsibleperson'se-mail",
            "heademail",
        ],
        Field::LiaisonName => &[
            "联络员",
            "联络员姓名",
            "联系人",
            "联系人姓名",
            "liaison",
            "liaison'sname",
            "contact",
            "contactperson",
        ],
        Field::LiaisonTitle => &["联络员职务", "联系人职务", "职务", "liaison'stitle"],
        Field::LiaisonPhone => &[
            "联络员电话",
            "联系电话",
            "联系人电话",
            "电话",
            "手机",
            "手机号码",
            "联系方式",
            "liaison'sphone",
            "phone",
            "telephone",
            "mobile",
            "tel",
        ],
        Field::LiaisonEmail => &[
            "联络员邮箱",
            "电子邮箱",
            "邮箱",
            "联系人邮箱",
            "电子邮件",
            "liaison'se-mail",
            "email",
            "e-mail",
        ],
        Field::LiaisonSince => &["联络员任职日期", "liaisonsince"],
        Field::Intro => &["单位简介", "简介", "introduction", "profile"],
        Field::Tier => &[
            "成员类别",
            "会员类别",
            "类别",
            "成员级别",
            "会员级别",
            "级别",
            "tier",
        ],
        Field::Founding => &[
            "主发起人",
            "发起单位",
            "是否主发起人",
            "founding",
            "foundinginitiator",
        ],
        Field::Status => &["状态", "成员状态", "status"],
        Field::Joined => &[
            "入盟日期",
            "入盟时间",
            "加入日期",
            "加入时间",
            "入会时间",
            "入会日期",
            "datejoined",
            "joined",
            "joindate",
        ],
        Field::Notes => &["备注", "说明", "notes", "remarks"],
        _ => &[],
    }
}

/// The field a header cell names, if any.
pub fn field_of_header(cell: &str) -> Option<Field> {
    let key = header_key(cell);
    if key.is_empty() {
        return None;
    }
    MEMBER_FIELDS.iter().copied().find(|f| {
        let l = f.label();
        header_key(&l.zh) == key
            || header_key(&l.en) == key
            || aliases(*f).iter().any(|a| header_key(a) == key)
    })
}

/// Each column's field by its header; a field named twice is taken from its first column.
pub fn map_headers(headers: &[String]) -> Vec<Option<Field>> {
    let mut seen = Vec::new();
    headers
        .iter()
        .map(|h| {
            let f = field_of_header(h).filter(|f| !seen.contains(f));
            if let Some(f) = f {
                seen.push(f);
            }
            f
        })
        .collect()
}

/// How many rows at the top may be titles before the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// The header row (0-based): among the first rows, the first with the most cells naming
/// fields. At least two are needed, so that a title row that happens to say "名称" is not it.
pub fn find_header(sheet: &Sheet) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let headers: Vec<String> = row.iter().map(cell_text).collect();
        let n = map_headers(&headers).iter().flatten().count();
        if n >= 2 && best.is_none_or(|(_, m)| n > m) {
            best = Some((i, n));
        }
    }
    best.map(|(i, _)| i)
}

/// The header row and the mapping to use, from the options or found.
pub fn layout(
    sheet: &Sheet,
    options: &ImportOptions,
) -> crate::Result<(usize, Vec<String>, Vec<Option<Field>>)> {
    let header = match options.header_row {
        Some(n) if n >= 1 && (n as usize) <= sheet.rows.len() => n as usize - 1,
        Some(n) => {
            return Err(Error::refused(
                crate::error::ErrorCode::ImportHeaderRow,
                format!("第 {n} 行不在表格范围内（共 {} 行）。", sheet.rows.len()),
                format!("Row {n} is outside the sheet ({} rows).", sheet.rows.len()),
            ))
        }
        None => find_header(sheet).ok_or_else(|| {
            Error::refused(
                crate::error::ErrorCode::ImportNoHeader,
                "在表格前 30 行中找不到表头行（例如“单位名称”“统一社会信用代码”等列名）。请在表格首行加上列名，或在导入时指定表头所在行并手动对应各列。",
                "No header row (column names such as 'name' or 'unified social credit code') in the first 30 rows. Add column names above the data, or choose the header row and map the columns by hand.",
            )
        })?,
    };
    let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut headers: Vec<String> = sheet.rows[header].iter().map(cell_text).collect();
    headers.resize(width, String::new());
    let mapping = match &options.mapping {
        Some(m) => {
            let mut m = m.clone();
            m.resize(width, None);
            let mut seen = Vec::new();
            for f in m.iter().flatten() {
                if !MEMBER_FIELDS.contains(f) {
                    let l = f.label();
                    return Err(Error::refused(
                        crate::error::ErrorCode::ImportMapping,
                        format!("“{}”不是可导入的成员信息。", l.zh),
                        format!("'{}' is not a member field that can be imported.", l.en),
                    ));
                }
                if seen.contains(f) {
                    let l = f.label();
                    return Err(Error::refused(
                        crate::error::ErrorCode::ImportMapping,
                        format!("有两列都对应“{}”，请只保留一列。", l.zh),
                        format!("Two columns are mapped to '{}'; keep one.", l.en),
                    ));
                }
                seen.push(*f);
            }
            m
        }
        None => map_headers(&headers),
    };
    if !mapping.contains(&Some(Field::Name)) {
        return Err(Error::refused(
            crate::error::ErrorCode::ImportNoNameColumn,
            "没有对应“单位名称”的列，无法导入。请在导入时为单位名称所在的列选择“单位名称”。",
            "No column is mapped to the member's name, so nothing can be imported. Map the column that holds the names to 'name'.",
        ));
    }
    Ok((header, headers, mapping))
}

/// Whether a row holds nothing at all (blank rows between groups are skipped).
pub fn is_blank(row: &[Cell]) -> bool {
    row.iter().all(Cell::is_empty)
}

/// Why nothing was imported: rows are in error and the clerk did not choose to skip them.
pub fn rows_in_error(n: u32) -> Text {
    Text::new(
        format!("有 {n} 行存在错误，为保证数据完整，本次没有导入任何数据。请按提示改正这些行后重新导入，或选择“跳过错误行，只导入正确的行”。"),
        format!("{n} rows are in error, so nothing was imported. Correct them and import again, or choose to skip the rows in error and import the others."),
    )
}

/// A row that is the same unit as row `first` of the file, with other values.
pub fn duplicate_in_file(first: u32) -> Problem {
    Problem::new(
        Field::Name,
        "duplicate_in_file",
        format!("与第 {first} 行是同一单位（代码、名称或成员编号相同），但内容不同。请把两行合并为一行后重新导入。"),
        format!("The same unit as row {first} (same code, name or member number) with different values. Merge the two rows into one and import again."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Sheet {
        Sheet {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| Cell::Text(s.to_string())).collect())
                .collect(),
            ..Sheet::default()
        }
    }

    #[test]
    fn headers_in_chinese_english_and_with_remarks() {
        assert_eq!(field_of_header("单位名称（全称）*"), Some(Field::Name));
        assert_eq!(field_of_header("统一社会信用代码："), Some(Field::Uscc));
        assert_eq!(
            field_of_header("Unified social credit code"),
            Some(Field::Uscc)
        );
        assert_eq!(field_of_header("联系电话"), Some(Field::LiaisonPhone));
        assert_eq!(field_of_header("E-mail"), Some(Field::LiaisonEmail));
        assert_eq!(field_of_header("入会时间"), Some(Field::Joined));
        // 序号 counts rows; it is not the member number.
        assert_eq!(field_of_header("序号"), None);
        // Every label an export writes is read back.
        for f in MEMBER_FIELDS {
            assert_eq!(field_of_header(&f.label().zh), Some(*f), "{f:?}");
            assert_eq!(field_of_header(&f.label().en), Some(*f), "{f:?}");
        }
    }

    #[test]
    fn the_header_is_found_under_title_rows() {
        let s = sheet(&[
            &["中国跨境电子商务应用联盟成员名录"],
            &["截至 2024 年 12 月"],
            &[],
            &["序号", "单位名称", "统一社会信用代码", "联系人"],
            &["1", "甲公司", "91440300708461136T", "张三"],
        ]);
        assert_eq!(find_header(&s), Some(3));
        let (h, _, mapping) = layout(&s, &ImportOptions::default()).unwrap();
        assert_eq!(h, 3);
        assert_eq!(
            mapping,
            [
                None,
                Some(Field::Name),
                Some(Field::Uscc),
                Some(Field::LiaisonName)
            ]
        );
    }

    #[test]
    fn a_sheet_without_names_or_header_is_refused_with_advice() {
        let s = sheet(&[&["foo", "bar"], &["1", "2"]]);
        let e = layout(&s, &ImportOptions::default()).unwrap_err();
        assert_eq!(e.code(), "import_no_header");
        let s = sheet(&[&["城市", "联系人"], &["深圳", "张三"]]);
        let e = layout(&s, &ImportOptions::default()).unwrap_err();
        assert_eq!(e.code(), "import_no_name_column");
    }

    #[test]
    fn a_manual_mapping_overrides_and_is_checked() {
        let s = sheet(&[&["A", "B"], &["甲公司", "深圳"]]);
        let opts = ImportOptions {
            header_row: Some(1),
            mapping: Some(vec![Some(Field::Name), Some(Field::City)]),
            ..ImportOptions::default()
        };
        let (_, _, m) = layout(&s, &opts).unwrap();
        assert_eq!(m, [Some(Field::Name), Some(Field::City)]);
        let twice = ImportOptions {
            mapping: Some(vec![Some(Field::Name), Some(Field::Name)]),
            ..opts.clone()
        };
        assert_eq!(layout(&s, &twice).unwrap_err().code(), "import_mapping");
    }
}
