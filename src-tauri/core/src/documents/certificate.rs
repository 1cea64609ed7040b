//! The membership certificate (成员证书, charter Art. 10(3)): A4 landscape, Chinese first with
//! English beneath, framed in the alliance's red and gold. It carries the member's full name,
//! its tier, the day membership began, the certificate number, the issuing body and date, and
//! a QR code with the verification code (see `verify.rs`). The lower right is left blank for
//! the office's own seal, stamped by hand: the registry never draws a seal.
//!
//! The certificate uses the two serif faces only: every face in a PDF is subset when it is
//! written, and a third face cost a third more time for a page that needs none of its look.

use chrono::{Datelike, NaiveDate};
use qrcode::{Color as QrColor, EcLevel, QrCode};

use super::images::Png;
use super::{Align, Face, Fonts, Page, Pen, Rgb, A4_LONG, A4_SHORT};
use crate::error::{Error, Result};
use crate::member::Tier;

pub const ALLIANCE_ZH: &str = "中国跨境电子商务应用联盟";
pub const ALLIANCE_EN: &str = "China Cross-border E-commerce Application Alliance";
pub const ISSUER_ZH: &str = "中国跨境电子商务应用联盟秘书处";
pub const ISSUER_EN: &str = "Secretariat of the CCEAA";

/// What a certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateData {
    pub number: String,
    pub name: String,
    pub name_en: String,
    pub tier: Tier,
    /// The day the current membership began.
    pub since: NaiveDate,
    pub issued: NaiveDate,
    /// `XXXX-XXXX-XXXX-XXXX`, see `verify.rs`.
    pub code: String,
    /// The office's seal, when set in Settings; otherwise the space stays blank for a stamp.
    pub seal: Option<Png>,
    /// An authorised signature, when set in Settings.
    pub signature: Option<Png>,
}

/// `2026年11月20日`.
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `二〇二六年十一月二十日`, as official documents date their signature.
pub fn date_zh_upper(d: NaiveDate) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let year: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
        .collect();
    let small = |n: u32| -> String {
        match n {
            0..=9 => DIGITS[n as usize].to_string(),
            10 => "十".into(),
            11..=19 => format!("十{}", DIGITS[(n - 10) as usize]),
            _ if n.is_multiple_of(10) => format!("{}十", DIGITS[(n / 10) as usize]),
            _ => format!(
                "{}十{}",
                DIGITS[(n / 10) as usize],
                DIGITS[(n % 10) as usize]
            ),
        }
    };
    format!("{year}年{}月{}日", small(d.month()), small(d.day()))
}

/// `20 November 2026`.
pub fn date_en(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// Refuses a text with a character that no bundled face can draw, naming it and where it is,
/// so that a document is never printed with a missing glyph.
pub fn check_glyphs(fonts: &Fonts, parts: &[(&str, &str, Face)]) -> Result<()> {
    fonts.look_for_rare(parts.iter().map(|(_, text, face)| (*face, *text)));
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for (label, text, face) in parts {
        for (pos, c) in fonts.missing(*face, text) {
            let code = format!("U+{:04X}", c as u32);
            zh.push(format!("“{label}”第 {pos} 个字符“{c}”（{code}）"));
            en.push(format!("character {pos} of '{label}', '{c}' ({code})"));
        }
    }
    if zh.is_empty() {
        return Ok(());
    }
    Err(Error::refused(
        crate::error::ErrorCode::MissingGlyph,
        format!(
            "字体中没有以下字符，文件未生成：{}。请检查是否录入有误（例如从其他软件粘贴进来的特殊符号）。",
            zh.join("；")
        ),
        format!(
            "The fonts have no glyph for {}; no file was written. Check the entry for a typing \
             mistake (a special symbol pasted from another program, say).",
            en.join("; ")
        ),
    ))
}

fn tier_zh(t: Tier) -> &'static str {
    match t {
        Tier::Presidium => "主席团成员单位",
        Tier::Ordinary => "成员单位",
    }
}

/// Lays out one certificate.
pub fn page(fonts: &Fonts, c: &CertificateData) -> Result<Page> {
    check_glyphs(
        fonts,
        &[
            ("单位名称 / name", &c.name, Face::SerifBold),
            ("英文名称 / English name", &c.name_en, Face::Serif),
            ("证书编号 / certificate number", &c.number, Face::Serif),
        ],
    )?;
    let (w, h) = (A4_LONG, A4_SHORT);
    let mut p = Pen::new(fonts, w, h);
    let mid = w / 2.0;

    // The frame: a red rule, a fine gold rule inside it, and corner marks.
    p.rect(9.0, 9.0, w - 18.0, h - 18.0, Some((2.4, Rgb::RED)), None);
    p.rect(12.5, 12.5, w - 25.0, h - 25.0, Some((0.7, Rgb::GOLD)), None);
    for (x, y, dx, dy) in [
        (15.5, 15.5, 1.0, 1.0),
        (w - 15.5, 15.5, -1.0, 1.0),
        (15.5, h - 15.5, 1.0, -1.0),
        (w - 15.5, h - 15.5, -1.0, -1.0),
    ] {
        p.line((x, y), (x + 14.0 * dx, y), 1.2, Rgb::GOLD);
        p.line((x, y), (x, y + 14.0 * dy), 1.2, Rgb::GOLD);
        p.rect(
            x + 2.5 * dx - 1.1,
            y + 2.5 * dy - 1.1,
            2.2,
            2.2,
            None,
            Some(Rgb::GOLD),
        );
    }

    // The alliance and the title.
    p.text(
        mid,
        35.0,
        Align::Center,
        Face::Serif,
        15.0,
        Rgb::RED,
        3.0,
        ALLIANCE_ZH,
    );
    p.text(
        mid,
        41.5,
        Align::Center,
        Face::Serif,
        8.5,
        Rgb::GREY,
        0.8,
        ALLIANCE_EN,
    );
    p.text(
        mid,
        66.0,
        Align::Center,
        Face::SerifBold,
        40.0,
        Rgb::RED,
        16.0,
        "成员证书",
    );
    p.text(
        mid,
        76.0,
        Align::Center,
        Face::Serif,
        11.0,
        Rgb::GOLD,
        4.0,
        "CERTIFICATE OF MEMBERSHIP",
    );
    p.line((mid - 34.0, 83.0), (mid - 4.0, 83.0), 0.6, Rgb::GOLD);
    p.line((mid + 4.0, 83.0), (mid + 34.0, 83.0), 0.6, Rgb::GOLD);
    p.rect(mid - 1.3, 81.7, 2.6, 2.6, None, Some(Rgb::GOLD));

    // The holder: as large as fits, up to two lines of the text block's width.
    let block = 205.0;
    p.text(
        mid - block / 2.0,
        95.0,
        Align::Left,
        Face::Serif,
        13.0,
        Rgb::BLACK,
        0.0,
        "兹证明",
    );
    // Up to two lines at 13 points or more; a very long name (up to the 200 characters a
    // name may have) takes a third line and smaller type rather than running off the page.
    let (mut size, mut lines) = p.fit(Face::SerifBold, 26.0, 13.0, &c.name, block, 2);
    if lines.len() > 2 {
        (size, lines) = p.fit(Face::SerifBold, 13.0, 7.5, &c.name, block, 3);
    }
    let lead = size * 0.3528 * 1.3;
    let mut y = 107.0 + if lines.len() > 1 { 0.0 } else { lead * 0.25 };
    for line in &lines {
        p.text(
            mid,
            y,
            Align::Center,
            Face::SerifBold,
            size,
            Rgb::BLACK,
            0.0,
            line,
        );
        y += lead;
    }
    let mut y = y - lead + 7.5;
    if !c.name_en.is_empty() {
        let (size, lines) = p.fit(Face::Serif, 12.0, 8.0, &c.name_en, block, 2);
        for line in &lines {
            p.text(
                mid,
                y,
                Align::Center,
                Face::Serif,
                size,
                Rgb::GREY,
                0.0,
                line,
            );
            y += size * 0.3528 * 1.25;
        }
        y += 2.0;
    }
    // Two lines broken where the sentence breaks, not where the width runs out. The date is
    // when membership began; a presidium seat may have come later, so the tier is not dated.
    let sentence = [
        format!("为{ALLIANCE_ZH}{}，", tier_zh(c.tier)),
        format!(
            "自{}起为本联盟成员，享有章程规定的权利，履行相应义务。",
            date_zh(c.since)
        ),
    ];
    for line in sentence
        .iter()
        .flat_map(|s| p.wrap(Face::Serif, 13.0, s, block))
        .collect::<Vec<_>>()
    {
        y += 6.5;
        p.text(
            mid,
            y,
            Align::Center,
            Face::Serif,
            13.0,
            Rgb::BLACK,
            0.0,
            &line,
        );
    }
    let english = match c.tier {
        Tier::Ordinary => format!("is a member of the {ALLIANCE_EN} since {}.", date_en(c.since)),
        Tier::Presidium => format!(
            "is a member of the Presidium of the {ALLIANCE_EN}, and a member of the Alliance since {}.",
            date_en(c.since)
        ),
    };
    for line in p.wrap(Face::Serif, 9.5, &english, block) {
        y += 5.0;
        p.text(
            mid,
            y,
            Align::Center,
            Face::Serif,
            9.5,
            Rgb::GREY,
            0.0,
            &line,
        );
    }

    // Lower left: the QR code and the numbers that identify this certificate.
    let qr_size = 26.0;
    let (qx, qy) = (26.0, h - 26.0 - qr_size);
    qr(
        &mut p,
        qx,
        qy,
        qr_size,
        &super::verify::payload(&c.number, &c.code),
    )?;
    let tx = qx + qr_size + 5.0;
    let rows = [
        ("证书编号", "Certificate No.", c.number.as_str()),
        ("颁发日期", "Date of issue", &date_zh(c.issued)),
        ("验证码", "Verification code", c.code.as_str()),
    ];
    let mut ry = qy + 5.5;
    for (zh, en, value) in rows {
        p.text(
            tx,
            ry,
            Align::Left,
            Face::Serif,
            8.0,
            Rgb::GREY,
            0.0,
            &format!("{zh} {en}"),
        );
        p.text(
            tx,
            ry + 4.6,
            Align::Left,
            Face::Serif,
            10.5,
            Rgb::BLACK,
            0.0,
            value,
        );
        ry += 9.2;
    }

    // Lower right: the issuer and date, over the space kept for the seal.
    let sx = w - 72.0;
    p.text(
        sx,
        h - 44.0,
        Align::Center,
        Face::Serif,
        13.0,
        Rgb::BLACK,
        0.0,
        ISSUER_ZH,
    );
    p.text(
        sx,
        h - 38.5,
        Align::Center,
        Face::Serif,
        8.0,
        Rgb::GREY,
        0.5,
        ISSUER_EN,
    );
    p.text(
        sx,
        h - 30.0,
        Align::Center,
        Face::Serif,
        13.0,
        Rgb::BLACK,
        0.0,
        &date_zh_upper(c.issued),
    );
    if let Some(signature) = &c.signature {
        let cx = mid + 8.0;
        p.image(cx, h - 40.0, 46.0, 17.0, signature);
        p.line((cx - 24.0, h - 31.0), (cx + 24.0, h - 31.0), 0.5, Rgb::GREY);
        p.text(
            cx,
            h - 27.0,
            Align::Center,
            Face::Serif,
            8.0,
            Rgb::GREY,
            0.3,
            "授权签字 Authorised signature",
        );
    }
    // The seal goes on last, over the issuer's name and date, as a stamp does.
    if let Some(seal) = &c.seal {
        p.image(sx, h - 38.0, 40.0, 40.0, seal);
    }
    Ok(p.page)
}

/// Draws `payload` as a QR code, `size` millimetres square with its quiet zone inside.
fn qr(p: &mut Pen, x: f32, y: f32, size: f32, payload: &str) -> Result<()> {
    let code =
        QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).map_err(|e| {
            Error::refused(
                crate::error::ErrorCode::Qr,
                format!("无法生成二维码：{e}"),
                format!("The QR code could not be made: {e}"),
            )
        })?;
    let n = code.width();
    let colors = code.to_colors();
    let module = size / (n as f32 + 2.0);
    let (ox, oy) = (x + module, y + module);
    for row in 0..n {
        // One rectangle per run of dark modules keeps the page small.
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == QrColor::Dark {
                let start = col;
                while col < n && colors[row * n + col] == QrColor::Dark {
                    col += 1;
                }
                p.rect(
                    ox + start as f32 * module,
                    oy + row as f32 * module,
                    (col - start) as f32 * module,
                    module,
                    None,
                    Some(Rgb::BLACK),
                );
            } else {
                col += 1;
            }
        }
    }
    Ok(())
}

/// The labels of the names checked for drawable characters before a batch is printed.
pub const NAME_LABEL: &str = "单位名称 / name";
pub const NAME_EN_LABEL: &str = "英文名称 / English name";

/// A certificate's document title: its number (when it has one yet) and the member's name.
pub fn title(number: Option<&str>, name: &str) -> String {
    match number {
        Some(n) => format!("成员证书 {n} {name}"),
        None => format!("成员证书 {name}"),
    }
}

/// The title of a batch of `n` certificates.
pub fn title_of_batch(n: usize) -> String {
    format!("成员证书（{n} 份）")
}

/// Only a member in the register is given or printed a certificate.
pub fn not_active(name: &str) -> Error {
    Error::refused(
        crate::error::ErrorCode::MemberNotActive,
        format!("“{name}”已不在册，不能颁发或打印成员证书。"),
        format!("'{name}' is no longer a member; no certificate is issued or printed."),
    )
}

/// Printing without issuing needs a certificate to print.
pub fn no_certificate_yet(name: &str) -> Error {
    Error::refused(
        crate::error::ErrorCode::NoCertificate,
        format!("“{name}”尚无有效的成员证书，请先颁发。"),
        format!("'{name}' holds no valid certificate yet; issue one first."),
    )
}

/// A batch of certificates names at least one member.
pub fn nothing_selected() -> Error {
    Error::refused(
        crate::error::ErrorCode::NothingSelected,
        "请先选择要打印证书的成员。",
        "Choose the members whose certificates to print first.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str) -> CertificateData {
        CertificateData {
            number: "CCEAA-2026-0001".into(),
            name: name.into(),
            name_en: String::new(),
            tier: Tier::Ordinary,
            since: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            issued: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            code: "ABCD-EFGH-JKMN-PQRS".into(),
            seal: None,
            signature: None,
        }
    }

    #[test]
    fn official_dates_are_written_in_chinese_numerals() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date_zh_upper(d(2026, 11, 20)), "二〇二六年十一月二十日");
        assert_eq!(date_zh_upper(d(2015, 1, 1)), "二〇一五年一月一日");
        assert_eq!(date_zh_upper(d(2030, 10, 31)), "二〇三〇年十月三十一日");
        assert_eq!(date_zh_upper(d(2026, 2, 14)), "二〇二六年二月十四日");
        assert_eq!(date_en(d(2026, 3, 1)), "1 March 2026");
    }

    #[test]
    fn the_page_carries_every_fact_in_both_languages() {
        let fonts = Fonts::bundled().unwrap();
        let page = page(fonts, &data("杭州𠮷祥跨境电子商务有限公司")).unwrap();
        let all: String = page.texts().collect::<Vec<_>>().join("\n");
        for expected in [
            "杭州𠮷祥跨境电子商务有限公司",
            "CCEAA-2026-0001",
            "ABCD-EFGH-JKMN-PQRS",
            "2026年11月20日",
            "二〇二六年十一月二十日",
            ALLIANCE_ZH,
            ALLIANCE_EN,
            "成员证书",
        ] {
            assert!(all.contains(expected), "{expected:?} missing from\n{all}");
        }
    }

    #[test]
    fn a_long_name_wraps_and_shrinks_but_stays_inside_the_frame() {
        let fonts = Fonts::bundled().unwrap();
        let long = "中国（上海）自由贸易试验区临港新片区跨境电子商务综合服务与国际供应链管理及数字贸易创新发展研究院有限责任公司联合体（筹备组）秘书处";
        assert!(long.chars().count() > 60);
        let page = page(fonts, &data(long)).unwrap();
        let pen = Pen::new(fonts, A4_LONG, A4_SHORT);
        let mut name_lines = 0;
        let mut joined = String::new();
        for item in &page.items {
            if let super::super::Item::Text {
                x,
                size,
                face: Face::SerifBold,
                text,
                ..
            } = item
            {
                if text == "成员证书" {
                    continue;
                }
                name_lines += 1;
                joined.push_str(text);
                let right = x + pen.width(Face::SerifBold, *size, 0.0, text);
                assert!(
                    *x >= 20.0 && right <= A4_LONG - 20.0,
                    "{text:?} runs outside the frame"
                );
                assert!(*size < 26.0, "a long name is set smaller");
            }
        }
        assert_eq!(name_lines, 2);
        assert_eq!(joined, long, "nothing of the name is lost in wrapping");
    }

    #[test]
    fn a_name_of_two_hundred_characters_still_stays_inside_the_frame() {
        let fonts = Fonts::bundled().unwrap();
        let long: String = "跨境电子商务综合服务".repeat(20);
        assert_eq!(long.chars().count(), 200);
        let page = page(fonts, &data(&long)).unwrap();
        let pen = Pen::new(fonts, A4_LONG, A4_SHORT);
        let mut name = String::new();
        let mut lowest: f32 = 0.0;
        for item in &page.items {
            if let super::super::Item::Text {
                x,
                y,
                size,
                face: Face::SerifBold,
                text,
                ..
            } = item
            {
                if text == "成员证书" {
                    continue;
                }
                let right = x + pen.width(Face::SerifBold, *size, 0.0, text);
                assert!(
                    *x >= 20.0 && right <= A4_LONG - 20.0,
                    "{text:?} runs outside the frame"
                );
                name.push_str(text);
                lowest = lowest.max(*y);
            }
        }
        assert_eq!(name, long);
        assert!(
            lowest < A4_SHORT - 60.0,
            "the name ends above the QR code and the issuer"
        );
    }

    #[test]
    fn a_character_no_font_has_is_named_and_nothing_is_laid_out() {
        // U+2B81D is in CJK Extension D, which the bundled faces do not cover, and nor does
        // any font in an empty folder.
        let fonts = Fonts::bundled().unwrap().with_fallback_dirs(Vec::new());
        let err = page(&fonts, &data("测试\u{2B81D}公司")).unwrap_err();
        let r = err.report();
        assert_eq!(r.code, "missing_glyph");
        assert!(r.message.zh.contains("第 3 个字符"), "{}", r.message.zh);
        assert!(r.message.zh.contains("U+2B81D"), "{}", r.message.zh);
    }

    #[test]
    fn latin_and_cyrillic_names_are_set_as_given() {
        let fonts = Fonts::bundled().unwrap();
        let mut d = data("ООО «Росэкспорт Онлайн»");
        d.name_en = "Rosexport Online LLC".into();
        let page = page(fonts, &d).unwrap();
        let all: Vec<_> = page.texts().collect();
        assert!(all.contains(&"ООО «Росэкспорт Онлайн»"));
        assert!(all.contains(&"Rosexport Online LLC"));
    }
}
