//! Cell values to the registry's text and back: the normalising an import needs (full-width
//! digits, codes with spaces, the many ways a date is written in a Chinese office) and the
//! values an export writes.

use chrono::{Datelike, NaiveDate};

use super::sheet::Cell;
use crate::error::Problem;
use crate::field::Field;
use crate::member::{Kind, Member, MemberInput, Origin, Status, Tier};

/// Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) and the ideographic space to their
/// ASCII forms. Full-width brackets and punctuation stay: registered Chinese names are written
/// with （ ）, and changing them would make a name differ from its licence.
pub fn half_width_alnum(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

/// A number as a person would type it: whole numbers without `.0` (a phone number Excel
/// stored as a number must come back as the same digits).
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// The text of a cell, trimmed, with full-width digits and letters made half-width.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Empty | Cell::Error(_) => String::new(),
        Cell::Text(s) => half_width_alnum(s.trim()),
        Cell::Number(f) => number_text(*f),
        Cell::Date(d) => d.to_string(),
        Cell::Bool(true) => "是".into(),
        Cell::Bool(false) => "否".into(),
    }
}

/// The characters that make a spreadsheet program read a cell as a formula, with their
/// full-width forms (＝＋－＠), which a Chinese input method types and which Excel and WPS in
/// East Asian locales may take for the ASCII ones.
const FORMULA_START: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// Whether a cell would be run as a formula, looking past apostrophes already in front.
fn formula_like(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// Protects a CSV cell against formula injection: a spreadsheet program would run a cell
/// that starts with `=`, `+`, `-`, `@` (or their full-width forms), tab or carriage return as
/// a formula, so such a cell
/// is written with a leading apostrophe, which Excel shows as text. A value that itself
/// starts with apostrophes before such a character gets one more, so [`unquote`] can tell.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Undoes [`neutralise`] on a cell read from CSV: the apostrophe is the registry's own.
pub fn unquote(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_like(s) => rest,
        _ => s,
    }
}

/// The first day Excel's 1900 date system counts from (serial 1 is 1900-01-01; serial 60 is
/// the 29 February 1900 that never was, kept for Lotus 1-2-3).
fn excel_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = if days < 61 { days + 1 } else { days };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// A date cell as `YYYY-MM-DD`: a real date, an Excel serial (Excel's Chinese built-in date
/// formats reach us as plain numbers), or text such as 2019年3月1日, 2019.3.1, 2019/3/1,
/// 2019-03-01 or 20190301. Text that is no date is returned as typed, for validation to
/// report with the row.
pub fn date_text(cell: &Cell) -> String {
    match cell {
        Cell::Date(d) => d.to_string(),
        Cell::Number(f) if (20000.0..100_000.0).contains(f) => {
            excel_serial(*f).map(|d| d.to_string()).unwrap_or_default()
        }
        Cell::Number(f) if (1.0e7..1.0e8).contains(f) && f.fract() == 0.0 => {
            parse_date(&number_text(*f)).unwrap_or_else(|| number_text(*f))
        }
        other => {
            let s = cell_text(other);
            parse_date(&s).unwrap_or(s)
        }
    }
}

fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    // A time after the date (2019-03-01 00:00:00) is dropped.
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    let s = s.trim_end_matches('日').trim_end_matches('号');
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d")
            .ok()
            .map(|d| d.to_string());
    }
    let parts: Vec<&str> = s
        .split(['年', '月', '.', '/', '-'])
        .filter(|p| !p.is_empty())
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let y: i32 = y.trim().parse().ok()?;
    let m: u32 = m.trim().parse().ok()?;
    let d: u32 = d.trim().parse().ok()?;
    if !(1900..=2999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string())
}

/// Yes or no as offices write it: 是/否, √, Y/N, yes/no, true/false, 1/0.
fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "√" | "✓" | "✔" | "y" | "yes" | "true" | "1" | "是的" | "主发起人" => {
            Some(true)
        }
        "否" | "×" | "n" | "no" | "false" | "0" | "不是" | "" => Some(false),
        _ => None,
    }
}

/// Words that old rosters use for the registry's choices, beyond its own labels.
fn alias<T: Copy>(s: &str, table: &[(&str, T)]) -> Option<T> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    table.iter().find(|(k, _)| *k == s).map(|(_, v)| *v)
}

fn choice<T: Copy>(
    field: Field,
    raw: &str,
    parse: fn(&str) -> Option<T>,
    table: &[(&str, T)],
    keys: impl FnOnce() -> String,
) -> Result<T, Problem> {
    parse(raw).or_else(|| alias(raw, table)).ok_or_else(|| {
        let keys = keys();
        Problem::new(
            field,
            "choice_invalid",
            format!("“{raw}”不是可选值，可选：{keys}"),
            format!("'{raw}' is not one of: {keys}"),
        )
    })
}

fn labels<T: Copy>(all: &[T], label: fn(T) -> crate::lang::Text) -> String {
    all.iter()
        .map(|v| label(*v).zh)
        .collect::<Vec<_>>()
        .join("、")
}

/// Puts one cell's value into the field it is mapped to. Choices (kind, tier, status,
/// origin) accept the registry's keys and labels in either language and common synonyms.
pub fn set_field(input: &mut MemberInput, field: Field, cell: &Cell) -> Result<(), Problem> {
    if let Cell::Error(e) = cell {
        return Err(Problem::new(
            field,
            "cell_error",
            format!("单元格是公式错误（{e}），没有值；请在表格中改正后重新导入。"),
            format!("the cell holds a formula error ({e}) and no value; correct it in the spreadsheet and import again."),
        ));
    }
    let text = match field {
        Field::Joined | Field::LiaisonSince => date_text(cell),
        _ => cell_text(cell),
    };
    if field == Field::Uscc && matches!(cell, Cell::Number(_)) {
        return Err(Problem::new(
            field,
            "code_stored_as_number",
            "此代码在表格中被存成了数字，18 位代码已丢失末尾数位。请在 Excel 中把该列设为“文本”格式，重新录入代码后再导入。",
            "the spreadsheet stored this code as a number, which loses the last digits of an 18-character code. Format the column as Text in Excel, type the code again and re-import.",
        ));
    }
    match field {
        Field::MemberNo => input.member_no = text,
        Field::Name => input.name = text,
        Field::NameEn => input.name_en = text,
        Field::Region => input.region = text,
        Field::City => input.city = text,
        Field::Uscc => input.uscc = text.replace([' ', '-'], "").to_uppercase(),
        Field::RegistrationNo => input.registration_no = text,
        Field::Address => input.address = text,
        Field::Website => input.website = text,
        Field::HeadName => input.head_name = text,
        Field::HeadTitle => input.head_title = text,
        Field::HeadPhone => input.head_phone = text,
        Field::HeadEmail => input.head_email = text,
        Field::LiaisonName => input.liaison_name = text,
        Field::LiaisonTitle => input.liaison_title = text,
        Field::LiaisonPhone => input.liaison_phone = text,
        Field::LiaisonEmail => input.liaison_email = text,
        Field::LiaisonSince => input.liaison_since = text,
        Field::Intro => input.intro = text,
        Field::Joined => input.joined = text,
        Field::Notes => input.notes = text,
        Field::Kind => {
            input.kind = choice(
                field,
                &text,
                Kind::parse,
                &[
                    ("公司", Kind::Enterprise),
                    ("企业单位", Kind::Enterprise),
                    ("协会", Kind::IndustryOrganisation),
                    ("商会", Kind::IndustryOrganisation),
                    ("行业协会", Kind::IndustryOrganisation),
                    ("社会团体", Kind::IndustryOrganisation),
                    ("科研院所", Kind::ResearchInstitute),
                    ("高校", Kind::ResearchInstitute),
                    ("科研机构", Kind::ResearchInstitute),
                    ("园区", Kind::IndustrialPark),
                    ("产业园区", Kind::IndustrialPark),
                    ("产业基地", Kind::IndustrialPark),
                    ("事业单位", Kind::PublicInstitution),
                    ("其他", Kind::Other),
                ],
                || labels(Kind::ALL, Kind::label),
            )?
        }
        Field::Origin => {
            input.origin = choice(
                field,
                &text,
                Origin::parse,
                &[
                    ("国内", Origin::Domestic),
                    ("中国", Origin::Domestic),
                    ("国外", Origin::Overseas),
                    ("海外", Origin::Overseas),
                    ("境外单位", Origin::Overseas),
                ],
                || labels(Origin::ALL, Origin::label),
            )?
        }
        Field::Tier => {
            input.tier = choice(
                field,
                &text,
                Tier::parse,
                &[
                    ("普通", Tier::Ordinary),
                    ("成员", Tier::Ordinary),
                    ("成员单位", Tier::Ordinary),
                    ("普通成员单位", Tier::Ordinary),
                    ("会员单位", Tier::Ordinary),
                    ("主席团", Tier::Presidium),
                    ("主席团成员单位", Tier::Presidium),
                ],
                || labels(Tier::ALL, Tier::label),
            )?
        }
        Field::Status => {
            input.status = choice(
                field,
                &text,
                Status::parse,
                &[
                    ("正常", Status::Active),
                    ("有效", Status::Active),
                    ("在册成员", Status::Active),
                    ("退出", Status::Withdrawn),
                    ("已退盟", Status::Withdrawn),
                    ("退盟", Status::Withdrawn),
                    ("除名", Status::Expelled),
                    ("开除", Status::Expelled),
                ],
                || labels(Status::ALL, Status::label),
            )?
        }
        Field::Founding => {
            input.founding = parse_bool(&text).ok_or_else(|| {
                Problem::new(
                    field,
                    "choice_invalid",
                    format!("“{text}”应为“是”或“否”。"),
                    format!("'{text}' should be yes or no."),
                )
            })?;
            if input.founding {
                // Founding initiators are presidium members by right (Art. 8).
                input.tier = Tier::Presidium;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One value of an export.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
}

impl Value {
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Date(d) => d.to_string(),
        }
    }
}

/// A member's value for one column, as an export writes it: choices by their Chinese label
/// (which an import reads back), dates as dates.
pub fn member_value(m: &Member, field: Field) -> Value {
    let t = |s: &str| Value::Text(s.to_string());
    let date = |d: Option<NaiveDate>| d.map(Value::Date).unwrap_or_else(|| t(""));
    match field {
        Field::MemberNo => t(&m.member_no),
        Field::Name => t(&m.name),
        Field::NameEn => t(&m.name_en),
        Field::Kind => Value::Text(m.kind.label().zh),
        Field::Origin => Value::Text(m.origin.label().zh),
        Field::Region => t(&m.region),
        Field::City => t(&m.city),
        Field::Uscc => t(m.uscc.as_deref().unwrap_or("")),
        Field::RegistrationNo => t(m.registration_no.as_deref().unwrap_or("")),
        Field::Address => t(&m.address),
        Field::Website => t(&m.website),
        Field::HeadName => t(&m.head.name),
        Field::HeadTitle => t(&m.head.title),
        Field::HeadPhone => t(&m.head.phone),
        Field::HeadEmail => t(&m.head.email),
        Field::LiaisonName => t(&m.liaison.name),
        Field::LiaisonTitle => t(&m.liaison.title),
        Field::LiaisonPhone => t(&m.liaison.phone),
        Field::LiaisonEmail => t(&m.liaison.email),
        Field::LiaisonSince => date(m.liaison_since),
        Field::Intro => t(&m.intro),
        Field::Tier => Value::Text(m.tier.label().zh),
        Field::Founding => t(if m.founding { "是" } else { "否" }),
        Field::Status => Value::Text(m.status.label().zh),
        Field::Joined => date(m.joined),
        Field::Notes => t(&m.notes),
        _ => t(""),
    }
}

/// How wide a text is in Excel's column units: a Chinese character takes two.
pub fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| {
            l.chars()
                .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
}

/// Whether a date is one Excel can hold (from 1900 on).
pub fn excel_date_ok(d: NaiveDate) -> bool {
    (1900..=9999).contains(&d.year())
}

/// Domestic units carry a credit code; a unit without one whose country is given and is not
/// China is overseas.
pub fn infer_origin(input: &MemberInput) -> Origin {
    let region = input.region.trim();
    let china = [
        "",
        "中国",
        "中国大陆",
        "中华人民共和国",
        "China",
        "CN",
        "PRC",
    ];
    if !input.uscc.is_empty() {
        Origin::Domestic
    } else if !input.registration_no.is_empty() || !china.contains(&region) {
        Origin::Overseas
    } else {
        Origin::Domestic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> String {
        date_text(&Cell::Text(s.into()))
    }

    #[test]
    fn dates_in_the_ways_offices_write_them() {
        for s in [
            "2019年3月1日",
            "2019.3.1",
            "2019/3/1",
            "2019-03-01",
            "2019-3-1",
            "20190301",
            "２０１９年３月１日",
            "2019-03-01 00:00:00",
            "2019年03月01号",
        ] {
            assert_eq!(date(s), "2019-03-01", "{s}");
        }
        // Excel serial 43525 is 2019-03-01 (a Chinese built-in date format reads as a number).
        assert_eq!(date_text(&Cell::Number(43525.0)), "2019-03-01");
        assert_eq!(date_text(&Cell::Number(20190301.0)), "2019-03-01");
        // Not a date: passed on as typed, for validation to report with the row.
        assert_eq!(date("去年春天"), "去年春天");
        assert_eq!(date("2019-02-30"), "2019-02-30");
    }

    #[test]
    fn excel_serials_around_the_1900_leap_year_bug() {
        assert_eq!(excel_serial(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(excel_serial(59.0), NaiveDate::from_ymd_opt(1900, 2, 28));
        assert_eq!(excel_serial(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
        assert_eq!(excel_serial(45292.0), NaiveDate::from_ymd_opt(2024, 1, 1));
    }

    #[test]
    fn numbers_come_back_as_typed() {
        assert_eq!(cell_text(&Cell::Number(13800138000.0)), "13800138000");
        assert_eq!(cell_text(&Cell::Number(1.5)), "1.5");
        assert_eq!(cell_text(&Cell::Text(" ９１４４ ".into())), "9144");
        // Registered names keep their full-width brackets.
        assert_eq!(
            cell_text(&Cell::Text("阿里巴巴（中国）有限公司".into())),
            "阿里巴巴（中国）有限公司"
        );
    }

    #[test]
    fn formula_protection_round_trips() {
        for s in [
            "=1+2",
            "+86 10 1234 5678",
            "-x",
            "@SUM(A1)",
            "plain",
            "'quoted",
            "'=SUM(A1)",
            "''+1",
            "＝HYPERLINK(\"x\")",
            "＋86 10 1234 5678",
            "'＠SUM(A1)",
        ] {
            assert_eq!(unquote(&neutralise(s)), s);
        }
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        // The full-width forms a Chinese input method types are neutralised too.
        for s in ["＝1+1", "＋1", "－1", "＠SUM(A1)"] {
            assert_eq!(neutralise(s), format!("'{s}"), "{s}");
        }
        assert_eq!(
            neutralise("中＝国"),
            "中＝国",
            "only at the start of a cell"
        );
    }

    #[test]
    fn choices_accept_labels_keys_and_synonyms() {
        let mut i = MemberInput::default();
        set_field(&mut i, Field::Tier, &Cell::Text("主席团".into())).unwrap();
        assert_eq!(i.tier, Tier::Presidium);
        set_field(&mut i, Field::Kind, &Cell::Text("行业协会".into())).unwrap();
        assert_eq!(i.kind, Kind::IndustryOrganisation);
        set_field(&mut i, Field::Status, &Cell::Text("Withdrawn".into())).unwrap();
        assert_eq!(i.status, Status::Withdrawn);
        let p = set_field(&mut i, Field::Tier, &Cell::Text("VIP".into())).unwrap_err();
        assert_eq!(p.code, "choice_invalid");
        assert!(p.message.zh.contains("主席团成员"), "{:?}", p.message);
    }

    #[test]
    fn a_code_stored_as_a_number_is_reported() {
        let mut i = MemberInput::default();
        let p = set_field(&mut i, Field::Uscc, &Cell::Number(9.1440300708461e17)).unwrap_err();
        assert_eq!(p.code, "code_stored_as_number");
        set_field(
            &mut i,
            Field::Uscc,
            &Cell::Text("9144 0300 7084 6113 6q".into()),
        )
        .unwrap();
        assert_eq!(i.uscc, "91440300708461136Q");
    }

    #[test]
    fn widths_count_chinese_as_two() {
        assert_eq!(display_width("华为"), 4);
        assert_eq!(display_width("ab\n华为技术"), 8);
    }
}
