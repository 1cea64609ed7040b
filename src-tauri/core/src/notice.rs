//! The notice of a decision to the applicant's responsible person (Art. 10(3): the secretariat
//! notifies by e-mail). Templates are settings the secretariat may edit; the registry fills in
//! the unit's data and prepares the message in Chinese and English, as a `mailto:` link for the
//! user's mail program or as an `.eml` file.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Problem;
use crate::field::Field;
use crate::labelled::labelled_enum;

labelled_enum!(
    /// Which decision a notice announces.
    NoticeKind {
        Approval => "approval", "入盟批准通知", "Approval notice";
        Rejection => "rejection", "入盟申请结果通知", "Rejection notice";
    }
);

/// One editable template: a subject line and a body, per language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Template {
    pub kind: NoticeKind,
    pub subject_zh: String,
    pub body_zh: String,
    pub subject_en: String,
    pub body_en: String,
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: &[&str] = &[
    "{name}",
    "{name_en}",
    "{head_name}",
    "{member_no}",
    "{certificate_no}",
    "{date}",
    "{reason}",
];

impl Template {
    /// The wording the registry ships with.
    pub fn default_for(kind: NoticeKind) -> Template {
        match kind {
            NoticeKind::Approval => Template {
                kind,
                subject_zh: "中国跨境电子商务应用联盟入盟批准通知".into(),
                body_zh: "{head_name}：\n\n您好！贵单位“{name}”申请加入中国跨境电子商务应用联盟，经联盟秘书处审核，已于 {date} 批准。根据联盟章程第十条，贵单位自该日起取得本联盟成员资格。\n\n成员编号：{member_no}\n成员证书编号：{certificate_no}\n\n成员证书将另行寄送。欢迎贵单位加入联盟，并请指定一名联络员与秘书处保持联系。\n\n中国跨境电子商务应用联盟秘书处".into(),
                subject_en: "CCEAA membership approved".into(),
                body_en: "Dear {head_name},\n\nThe secretariat of the China Cross-border E-commerce Application Alliance has reviewed the application of {name_en} and approved it on {date}. Under Article 10 of the charter, your organisation is a member of the Alliance from that date.\n\nMember number: {member_no}\nCertificate number: {certificate_no}\n\nThe membership certificate will follow separately. Welcome to the Alliance; please appoint a liaison person to keep in touch with the secretariat.\n\nThe CCEAA Secretariat".into(),
            },
            NoticeKind::Rejection => Template {
                kind,
                subject_zh: "中国跨境电子商务应用联盟入盟申请结果通知".into(),
                body_zh: "{head_name}：\n\n您好！贵单位“{name}”加入中国跨境电子商务应用联盟的申请，经联盟秘书处审核，于 {date} 决定暂不予批准。\n\n理由：{reason}\n\n感谢贵单位对联盟的关注。\n\n中国跨境电子商务应用联盟秘书处".into(),
                subject_en: "Your application to CCEAA".into(),
                body_en: "Dear {head_name},\n\nThe secretariat of the China Cross-border E-commerce Application Alliance has reviewed the application of {name_en} and decided on {date} not to approve it at this time.\n\nReason: {reason}\n\nThank you for your interest in the Alliance.\n\nThe CCEAA Secretariat".into(),
            },
        }
    }

    /// The setting key the template is stored under.
    pub fn setting_key(kind: NoticeKind) -> String {
        format!("notice.{}", kind.key())
    }
}

/// The values a notice is filled with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    pub name: String,
    pub name_en: String,
    pub head_name: String,
    /// How the English text addresses the person ("Sir or Madam" when no name is known).
    pub head_name_en: String,
    pub member_no: String,
    pub certificate_no: String,
    pub date: String,
    pub reason: String,
}

impl Template {
    /// A template needs a subject and a body in both languages.
    pub fn check(&self) -> Vec<Problem> {
        let parts = [
            (Field::Title, &self.subject_zh),
            (Field::Title, &self.subject_en),
            (Field::Notes, &self.body_zh),
            (Field::Notes, &self.body_en),
        ];
        match parts.iter().find(|(_, v)| v.trim().is_empty()) {
            Some((field, _)) => vec![Problem::new(
                *field,
                "required",
                "通知的标题和正文（中英文）都不能为空。",
                "The notice needs a subject and a body in both languages.",
            )],
            None => Vec::new(),
        }
    }
}

/// `template` with each known placeholder replaced, for the Chinese or the English text.
/// Unknown braces are left as typed.
pub fn fill(template: &str, v: &Values, english: bool) -> String {
    let name_en = if v.name_en.is_empty() {
        &v.name
    } else {
        &v.name_en
    };
    let head = if english && !v.head_name_en.is_empty() {
        &v.head_name_en
    } else {
        &v.head_name
    };
    [
        ("{name}", v.name.as_str()),
        ("{name_en}", name_en.as_str()),
        ("{head_name}", head.as_str()),
        ("{member_no}", v.member_no.as_str()),
        ("{certificate_no}", v.certificate_no.as_str()),
        ("{date}", v.date.as_str()),
        ("{reason}", v.reason.as_str()),
    ]
    .iter()
    .fold(template.to_string(), |t, (k, val)| t.replace(k, val))
}

/// A prepared notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Notice {
    pub kind: NoticeKind,
    /// The responsible person's address; empty when the registry has none (the user then types
    /// it in the mail program).
    pub to: String,
    pub subject: String,
    /// Chinese first, then English.
    pub body: String,
    /// For the user's mail program.
    pub mailto: String,
}

impl Notice {
    pub fn prepare(kind: NoticeKind, template: &Template, to: &str, v: &Values) -> Notice {
        let subject = format!(
            "{} / {}",
            fill(&template.subject_zh, v, false),
            fill(&template.subject_en, v, true)
        );
        let body = format!(
            "{}\n\n――――――――――――――――\n\n{}\n",
            fill(&template.body_zh, v, false),
            fill(&template.body_en, v, true)
        );
        let mailto = format!(
            "mailto:{}?subject={}&body={}",
            percent_encode(single_address(to).unwrap_or_default()),
            percent_encode(&subject),
            percent_encode(&body.replace('\n', "\r\n"))
        );
        Notice {
            kind,
            to: to.to_string(),
            subject,
            body,
            mailto,
        }
    }

    /// The notice as an RFC 5322 message (UTF-8, base64 body), for saving as `.eml`: a draft
    /// any mail program opens.
    pub fn to_eml(&self, from: &str, date: chrono::NaiveDateTime) -> String {
        let mut out = String::new();
        // Only one plain address each: a field that carries a line break, a comma or a
        // second address cannot add recipients or headers; the clerk types it instead.
        if let Some(from) = single_address(from) {
            out.push_str(&format!("From: {from}\r\n"));
        }
        if let Some(to) = single_address(&self.to) {
            out.push_str(&format!("To: {to}\r\n"));
        }
        out.push_str(&format!("Subject: {}\r\n", encoded_words(&self.subject)));
        out.push_str(&format!(
            "Date: {}\r\n",
            date.format("%a, %d %b %Y %H:%M:%S +0800")
        ));
        out.push_str("X-Unsent: 1\r\nMIME-Version: 1.0\r\n");
        out.push_str("Content-Type: text/plain; charset=UTF-8\r\n");
        out.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
        let body = base64(self.body.replace('\n', "\r\n").as_bytes());
        for line in body.as_bytes().chunks(76) {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            out.push_str("\r\n");
        }
        out
    }
}

/// Percent-encoding for a `mailto:` URL (RFC 6068): everything but unreserved characters.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `s` when it is one plain e-mail address (`name@host`, nothing else): no spaces, line
/// breaks, commas, semicolons, angle brackets, quotes or a second `@`. Anything else is not
/// put into a header or a `mailto:` link.
fn single_address(s: &str) -> Option<&str> {
    let s = s.trim();
    let (local, host) = s.split_once('@')?;
    let plain = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !",;:<>()[]\"\\@".contains(c))
    };
    (s.len() <= 254 && plain(local) && plain(host) && host.contains('.')).then_some(s)
}

/// A header value as RFC 2047 encoded words of at most 75 characters each, folded onto lines
/// of their own, so a Chinese subject of any length survives any mail program and no line
/// passes the 998-character limit.
fn encoded_words(s: &str) -> String {
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        // 42 bytes encode to 56 characters, plus the 12 of "=?UTF-8?B?" and "?=": with
        // "Subject: " before the first, every line stays within 78 characters.
        if chunk.len() + c.len_utf8() > 42 {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    words.join("\r\n ")
}

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            name: "杭州𠮷祥跨境科技有限公司".into(),
            name_en: "Hangzhou Jixiang Cross-border Tech".into(),
            head_name: "李华".into(),
            head_name_en: "Li Hua".into(),
            member_no: "00042".into(),
            certificate_no: "CCEAA-2026-0007".into(),
            date: "2026-11-25".into(),
            reason: String::new(),
        }
    }

    #[test]
    fn art10_the_approval_notice_names_the_unit_number_and_certificate_in_both_languages() {
        let t = Template::default_for(NoticeKind::Approval);
        let n = Notice::prepare(NoticeKind::Approval, &t, "li@example.cn", &values());
        assert!(n.body.starts_with("李华："));
        for s in [
            "杭州𠮷祥跨境科技有限公司",
            "00042",
            "CCEAA-2026-0007",
            "Dear Li Hua",
            "Hangzhou Jixiang",
        ] {
            assert!(n.body.contains(s), "{s}");
        }
        assert!(!n.body.contains('{'), "every placeholder is filled");
        assert!(n
            .mailto
            .starts_with("mailto:li@example.cn?subject=%E4%B8%AD"));
        assert!(!n.mailto.contains(' '));
    }

    #[test]
    fn a_unit_without_an_english_name_is_named_in_chinese_in_english_text() {
        let v = Values {
            name_en: String::new(),
            ..values()
        };
        assert_eq!(fill("{name_en}", &v, true), "杭州𠮷祥跨境科技有限公司");
    }

    #[test]
    fn base64_matches_the_standard_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }

    #[test]
    fn the_eml_is_a_draft_with_an_encoded_subject() {
        let t = Template::default_for(NoticeKind::Approval);
        let n = Notice::prepare(NoticeKind::Approval, &t, "li@example.cn", &values());
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let eml = n.to_eml("", at);
        assert!(eml.contains("To: li@example.cn\r\n"));
        assert!(eml.contains("Subject: =?UTF-8?B?"));
        assert!(eml.contains("X-Unsent: 1"));
        assert!(eml.lines().all(|l| l.len() <= 998));
    }

    #[test]
    fn a_field_cannot_add_recipients_or_headers() {
        let t = Template::default_for(NoticeKind::Approval);
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        for hostile in [
            "li@example.cn\r\nBcc: spy@evil.example",
            "li@example.cn\nBcc: spy@evil.example",
            "li@example.cn, spy@evil.example",
            "li@example.cn;spy@evil.example",
            "Li <li@example.cn>, spy@evil.example",
            "li@example.cn?bcc=spy@evil.example",
            "\"a@b\"@example.cn",
        ] {
            let mut v = values();
            v.name = "华为\r\nBcc: spy@evil.example".into();
            let n = Notice::prepare(NoticeKind::Approval, &t, hostile, &v);
            let eml = n.to_eml(hostile, at);
            let headers = eml.split("\r\n\r\n").next().unwrap();
            assert!(!headers.contains("evil"), "{hostile:?}: {headers}");
            assert!(!headers.contains("To:"), "{hostile:?}: {headers}");
            assert!(!headers.contains("From:"), "{hostile:?}: {headers}");
            // No recipient, and only the subject and body parameters.
            assert!(n.mailto.starts_with("mailto:?subject="), "{}", n.mailto);
            assert_eq!(n.mailto.matches('&').count(), 1, "{}", n.mailto);
            assert_eq!(n.mailto.matches('?').count(), 1, "{}", n.mailto);
            // Every header line is a header or a folded continuation.
            for line in headers.split("\r\n") {
                assert!(
                    line.starts_with(' ') || line.contains(": "),
                    "{hostile:?}: {line:?}"
                );
            }
        }
        // A long subject folds into encoded words of at most 75 characters.
        let mut v = values();
        v.name = "很长的单位名称".repeat(40);
        let n = Notice::prepare(NoticeKind::Approval, &t, "li@example.cn", &v);
        let eml = n.to_eml("", at);
        assert!(eml.lines().all(|l| l.len() <= 78), "{eml}");
        assert!(eml.contains("To: li@example.cn\r\n"));
    }
}
