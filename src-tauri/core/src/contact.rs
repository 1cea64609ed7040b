//! Checks for the contact details of the responsible person and the liaison: e-mail, phone
//! and website. Each check returns the cleaned value or a message that says what is wrong.
//!
//! The rules are deliberately forgiving about format (spaces, hyphens, an extension) and strict
//! about what cannot work: an e-mail without a domain, a phone number with letters in it.

use crate::error::Problem;
use crate::field::Field;
use crate::text::to_half_width;

/// Returns the e-mail as stored (trimmed, half-width), or what is wrong with it.
pub fn email(field: Field, raw: &str) -> Result<String, Problem> {
    let s = to_half_width(raw.trim());
    let bad = |zh: String, en: String| Err(Problem::new(field, "email_invalid", zh, en));
    if s.chars().any(char::is_whitespace) {
        return bad(
            "邮箱地址中不能有空格，请删除空格。".into(),
            "An e-mail address cannot contain spaces; remove them.".into(),
        );
    }
    if let Some(c) = s.chars().find(|c| "，。；：、".contains(*c)) {
        return bad(
            format!("邮箱地址中有中文标点“{c}”，请改为英文半角字符（例如“.”）。"),
            format!("The e-mail address contains the Chinese punctuation '{c}'; use '.' instead."),
        );
    }
    let Some((local, domain)) = s.split_once('@') else {
        return bad(
            "邮箱地址缺少“@”，格式应为 name@example.com。".into(),
            "The e-mail address has no '@'; it should look like name@example.com.".into(),
        );
    };
    if domain.contains('@') {
        return bad(
            "邮箱地址只能有一个“@”；如有多个邮箱，请只填一个。".into(),
            "An e-mail address has exactly one '@'; enter one address only.".into(),
        );
    }
    if local.is_empty() {
        return bad(
            "“@”前面缺少用户名，格式应为 name@example.com。".into(),
            "Nothing before the '@'; it should look like name@example.com.".into(),
        );
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) || local.contains("..") {
        return bad(
            format!("“@”后面的域名“{domain}”不完整，应类似 example.com。"),
            format!(
                "The domain after '@' ('{domain}') is incomplete; it should look like example.com."
            ),
        );
    }
    Ok(s)
}

/// Returns the phone number as stored (trimmed, half-width, spacing kept as typed), or what
/// is wrong with it. Accepts mobile numbers, landlines with area code, `+86`-style
/// international numbers and an extension (`转 123`, `ext 123`, `#123`).
pub fn phone(field: Field, raw: &str) -> Result<String, Problem> {
    let s = to_half_width(raw.trim());
    let lower = s.to_lowercase();
    let marker = ["转", "ext.", "ext", "#", "x"]
        .iter()
        .filter_map(|m| lower.find(m).map(|i| (i, m.len())))
        .min();
    let (main, extension) = match marker {
        Some((i, len)) => (&lower[..i], Some(lower[i + len..].trim())),
        None => (lower.as_str(), None),
    };
    let bad = |zh: String, en: String| Err(Problem::new(field, "phone_invalid", zh, en));
    if let Some(ext) = extension {
        if ext.is_empty() || ext.len() > 6 || !ext.bytes().all(|b| b.is_ascii_digit()) {
            return bad(
                format!("分机号“{ext}”应为 1 至 6 位数字（例如“转 123”）。"),
                format!("The extension '{ext}' should be 1 to 6 digits (as in 'ext 123')."),
            );
        }
    }
    if let Some(c) = main
        .chars()
        .find(|c| !(c.is_ascii_digit() || " -()+".contains(*c)))
    {
        return bad(
            format!(
                "电话号码中不能有“{c}”，只可填写数字、空格、“-”、“+”和括号（分机可写“转 123”）。"
            ),
            format!(
                "A phone number cannot contain '{c}': use digits, spaces, '-', '+' and brackets \
                 (an extension as 'ext 123')."
            ),
        );
    }
    if main.trim_start().find('+').is_some_and(|i| i > 0) || main.matches('+').count() > 1 {
        return bad(
            "“+”只能出现在号码开头（如 +86 138 0000 0000）。".into(),
            "'+' may only stand at the start (as in +86 138 0000 0000).".into(),
        );
    }
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 || digits.len() > 15 {
        return bad(
            format!(
                "电话号码应有 7 至 15 位数字，当前为 {} 位，请检查是否漏填或多填。",
                digits.len()
            ),
            format!(
                "A phone number has 7 to 15 digits; this one has {}. Check for missing or extra \
                 digits.",
                digits.len()
            ),
        );
    }
    let international = main.trim_start().starts_with('+');
    if !international && digits.starts_with('1') && digits.len() != 11 {
        return bad(
            format!("手机号码应为 11 位，当前为 {} 位。", digits.len()),
            format!(
                "A mobile number has 11 digits; this one has {}.",
                digits.len()
            ),
        );
    }
    Ok(s)
}

/// Returns the website as stored, or what is wrong with it. A bare `www.example.com` is fine:
/// that is how it is printed on business cards.
pub fn website(raw: &str) -> Result<String, Problem> {
    let s = to_half_width(raw.trim());
    let host = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let host = host.split(['/', '?', '#']).next().unwrap_or("");
    if s.chars().any(char::is_whitespace) || !host.contains('.') || host.starts_with('.') {
        return Err(Problem::new(
            Field::Website,
            "website_invalid",
            "网址格式不正确，应类似 www.example.com 或 https://example.com。",
            "The website should look like www.example.com or https://example.com.",
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_emails_pass_and_are_cleaned() {
        assert_eq!(
            email(Field::HeadEmail, " li@example.com "),
            Ok("li@example.com".into())
        );
        assert_eq!(
            email(Field::HeadEmail, "ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ"),
            Ok("li@example.cn".into())
        );
        assert!(email(Field::HeadEmail, "zhang.san+cceaa@mail.中国").is_ok());
    }

    #[test]
    fn bad_emails_say_what_is_wrong() {
        let msg = |s: &str| email(Field::LiaisonEmail, s).unwrap_err().message.zh;
        assert!(msg("li example.com").contains("空格"));
        assert!(msg("li@example。com").contains("。"));
        assert!(msg("li.example.com").contains("@"));
        assert!(msg("@example.com").contains("用户名"));
        assert!(msg("li@example").contains("域名"));
        assert!(
            msg("a@b.com;c@d.com").contains("只能有一个")
                || msg("a@b.com;c@d.com").contains("域名")
        );
        assert!(msg("a@b.com@c.com").contains("只能有一个"));
    }

    #[test]
    fn phones_in_office_formats_pass() {
        for p in [
            "13800138000",
            "138 0013 8000",
            "021-6888 8888",
            "(0755)8888-8888 转 123",
            "+86 138 0013 8000",
            "+7 495 123-45-67",
            "０２１－６８８８８８８８",
        ] {
            assert!(
                phone(Field::HeadPhone, p).is_ok(),
                "{p} is a usable phone number"
            );
        }
    }

    #[test]
    fn bad_phones_say_what_is_wrong() {
        let code = |s: &str| phone(Field::HeadPhone, s).unwrap_err().message.en;
        assert!(code("138001380").contains("11 digits"));
        assert!(code("1380013800a").contains("'a'"));
        assert!(code("12345").contains("7 to 15"));
        assert!(code("86+13800138000").contains("'+'"));
        assert!(code("13800138000 x 随便").contains("extension"));
        assert!(code("010-12345678#abc!").contains("extension"));
        assert!(code("010-12345678 转").contains("extension"));
    }

    #[test]
    fn websites() {
        assert!(website("www.cceaa.org").is_ok());
        assert!(website("https://cceaa.org/about").is_ok());
        assert!(website("cceaa").is_err());
        assert!(website("http://").is_err());
    }
}
