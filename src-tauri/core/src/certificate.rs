//! Membership certificates (成员证书, charter Art. 10(3)) and their numbers.
//!
//! The numbering scheme is a setting, because the secretariat may already number its paper
//! certificates in its own way. Whatever the scheme, a number is handed out once: storage keeps
//! a counter per scheme and year and a unique index on the number.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Problem};
use crate::field::Field;
use crate::lang::Text;

/// The scheme used until the secretariat sets its own.
pub const DEFAULT_SCHEME: &str = "CCEAA-{year}-{seq:04}";

/// A certificate as stored. A revoked one keeps its number and row (Art. 13(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Certificate {
    #[ts(type = "number")]
    pub id: i64,
    pub number: String,
    #[ts(type = "number")]
    pub member_id: i64,
    pub issued: NaiveDate,
    pub revoked: Option<NaiveDate>,
    pub revoked_note: String,
}

/// A number made from `scheme`: `{year}` is the issue year, `{seq}` the sequence number, and
/// `{seq:04}` the sequence padded with zeros to four digits (any width from 1 to 9).
pub fn format_number(scheme: &str, year: i32, seq: u32) -> Result<String, Problem> {
    check_scheme(scheme)?;
    let mut out = String::new();
    let mut rest = scheme;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').unwrap_or(0);
        let token = &rest[open + 1..close];
        match token {
            "year" => out.push_str(&year.to_string()),
            "seq" => out.push_str(&seq.to_string()),
            _ => {
                let width: usize = token[4..].parse().unwrap_or(1);
                out.push_str(&format!("{seq:0width$}"));
            }
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Whether the counter of `scheme` starts again each year: it does when the year is part of
/// the number, so `CCEAA-2027-0001` follows `CCEAA-2026-0137`.
pub fn counts_per_year(scheme: &str) -> bool {
    scheme.contains("{year}")
}

/// A scheme must contain `{seq}` (or `{seq:0N}`) exactly once, and no other placeholder.
pub fn check_scheme(scheme: &str) -> Result<(), Problem> {
    let bad = |zh: String, en: String| Err(Problem::new(Field::Scheme, "scheme_invalid", zh, en));
    let s = scheme.trim();
    if s.is_empty() || s.chars().count() > 60 {
        return bad(
            "编号规则不能为空，也不能超过 60 个字，例如 CCEAA-{year}-{seq:04}。".into(),
            "The scheme must not be empty or longer than 60 characters, e.g. CCEAA-{year}-{seq:04}.".into(),
        );
    }
    let mut seqs = 0;
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            return bad(
                format!("编号规则“{s}”中的花括号没有闭合。"),
                format!("The scheme '{s}' has a '{{' without its '}}'."),
            );
        };
        let token = &rest[open + 1..open + len];
        let ok_width = token
            .strip_prefix("seq:0")
            .and_then(|w| w.parse::<u8>().ok())
            .is_some_and(|w| (1..=9).contains(&w));
        match token {
            "year" => {}
            "seq" => seqs += 1,
            _ if ok_width => seqs += 1,
            _ => {
                return bad(
                    format!(
                        "编号规则中的“{{{token}}}”无法识别；可用 {{year}}、{{seq}}、{{seq:04}}。"
                    ),
                    format!("'{{{token}}}' is not known; use {{year}}, {{seq}} or {{seq:04}}."),
                )
            }
        }
        rest = &rest[open + len + 1..];
    }
    if seqs != 1 {
        return bad(
            "编号规则须包含一次 {seq}（或 {seq:04}），以保证编号不重复。".into(),
            "The scheme must contain {seq} (or {seq:04}) exactly once, so numbers never repeat."
                .into(),
        );
    }
    Ok(())
}

/// Only a member holds a certificate.
pub fn not_a_member() -> Error {
    Error::refused(
        ErrorCode::NotAMember,
        "该单位目前不是本联盟成员，不能颁发成员证书。",
        "This unit is not a member now, so no certificate can be issued.",
    )
}

/// A member holds one valid certificate at a time.
pub fn exists() -> Error {
    Error::refused(
        ErrorCode::CertificateExists,
        "该成员已有有效的成员证书；遗失或损坏时请用“补发”。",
        "This member already holds a valid certificate; use 'Reissue' if it was lost or damaged.",
    )
}

/// A reissue replaces a valid certificate.
pub fn none_to_reissue() -> Error {
    Error::refused(
        ErrorCode::NoCertificate,
        "该成员没有有效的成员证书可补发；请直接颁发证书。",
        "This member holds no valid certificate to reissue; issue one instead.",
    )
}

/// What the audit log says of a certificate issued (Art. 10(3)).
pub fn issued_summary(number: &str, date: NaiveDate) -> Text {
    Text::new(
        format!("第十条（三）：颁发成员证书 {number}（{date}）"),
        format!("Art. 10(3): certificate {number} issued on {date}"),
    )
}

/// What the audit log says of a certificate revoked on leaving (Art. 13(3)).
pub fn revoked_summary(number: &str, date: NaiveDate) -> Text {
    Text::new(
        format!("第十三条（三）：成员证书 {number} 自 {date} 起失效"),
        format!("Art. 13(3): certificate {number} revoked from {date}"),
    )
}

/// A reissue's words: the note kept on the old certificate, and the audit log's summary.
pub fn reissue_words(old: &str, new: &str, reason: &str) -> (String, Text) {
    let why = if reason.is_empty() {
        String::new()
    } else {
        format!("（{reason}）")
    };
    (
        format!("补发，由 {new} 取代{why} / superseded by {new}"),
        Text::new(
            format!("补发成员证书 {new}，原证书 {old} 作废{why}"),
            format!("certificate {new} reissued; {old} superseded"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn art10_the_default_scheme_gives_year_and_padded_sequence() {
        assert_eq!(
            format_number(DEFAULT_SCHEME, 2026, 7).unwrap(),
            "CCEAA-2026-0007"
        );
        assert_eq!(
            format_number(DEFAULT_SCHEME, 2026, 12345).unwrap(),
            "CCEAA-2026-12345",
            "a wide number is not cut"
        );
        assert_eq!(
            format_number("跨境联盟证字第{seq}号", 2026, 31).unwrap(),
            "跨境联盟证字第31号"
        );
    }

    #[test]
    fn a_scheme_without_exactly_one_sequence_is_refused() {
        for bad in [
            "CCEAA-{year}",
            "{seq}-{seq}",
            "",
            "CCEAA-{yr}-{seq}",
            "A-{seq:04",
            "{seq:00}",
        ] {
            assert!(check_scheme(bad).is_err(), "{bad}");
        }
        assert!(check_scheme("{seq:09}").is_ok());
    }

    #[test]
    fn counters_restart_yearly_only_when_the_year_is_in_the_number() {
        assert!(counts_per_year(DEFAULT_SCHEME));
        assert!(!counts_per_year("NO.{seq:05}"));
    }
}
