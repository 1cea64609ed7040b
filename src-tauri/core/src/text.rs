//! Text normalisation shared by validation, storage and search.
//!
//! Clerks paste from Word, WeChat and scanned PDFs, so input arrives with full-width digits
//! (`９１４４…`), ideographic spaces and stray whitespace. Everything that is compared or
//! validated goes through here first, so that "the same" text is stored the same way.

/// Maps full-width ASCII forms (U+FF01..U+FF5E) to their ASCII twins and the ideographic
/// space (U+3000) to a plain space. Other characters, Chinese included, pass unchanged.
pub fn to_half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Trims a free-text field and folds runs of inner whitespace (including line breaks, which
/// creep in when copying from PDFs) into one space. Multi-line fields use [`clean_multiline`].
pub fn clean_line(s: &str) -> String {
    let half = s.replace('\u{3000}', " ");
    half.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trims a multi-line field (introduction, notes): keeps line breaks, normalises CRLF, and
/// drops trailing spaces on each line.
pub fn clean_multiline(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').trim().to_string()
}

/// The form in which text is indexed and searched: half-width, lower case, no whitespace.
/// Dropping whitespace lets "华为 技术" find "华为技术" and a code typed in groups of four.
pub fn fold_for_search(s: &str) -> String {
    to_half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069) and
/// the direction marks: they reorder what is shown without being seen, so that a file named
/// `invoice\u{202E}fdp.exe` reads as `invoiceexe.pdf`.
pub fn is_format_override(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Why a character cannot be kept in a text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadChar {
    /// A control character (a line break or tab is allowed in multi-line text).
    Control,
    /// A private-use character: it shows as a different glyph, or none, on every other PC.
    PrivateUse,
    /// A code point Unicode has not assigned (or a lone surrogate half).
    Unassigned,
    /// A bidirectional override (see [`is_format_override`]).
    Override,
}

impl BadChar {
    /// What it is called, in Chinese and English.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            BadChar::Control => ("控制字符", "a control character"),
            BadChar::PrivateUse => ("私用区字符", "a private-use character"),
            BadChar::Unassigned => ("未分配的字符", "an unassigned character"),
            BadChar::Override => ("文字方向控制符", "a text-direction override"),
        }
    }
}

/// The first character of `s` a text field must not keep, as (its position counted in
/// characters from 1, the character, why). Such characters come from pasting out of other
/// programs or from hostile files; they print as boxes or reorder what the clerk sees.
pub fn forbidden_char(s: &str, multiline: bool) -> Option<(usize, char, BadChar)> {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    s.chars().enumerate().find_map(|(i, c)| {
        let why = if is_format_override(c) {
            BadChar::Override
        } else {
            match get_general_category(c) {
                G::Control if multiline && matches!(c, '\n' | '\r' | '\t') => return None,
                G::Control => BadChar::Control,
                G::PrivateUse => BadChar::PrivateUse,
                G::Unassigned | G::Surrogate => BadChar::Unassigned,
                _ => return None,
            }
        };
        Some((i + 1, c, why))
    })
}

/// The key the duplicate guard compares names by: half-width, lower case, with spaces and
/// punctuation gone, so "华为技术有限公司", "华为技术 有限公司" and "华为技术有限公司。" are one
/// name, and "Acme Co., Ltd." matches "ACME CO LTD".
pub fn name_key(name: &str) -> String {
    to_half_width(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_spaces_punctuation_or_width() {
        assert_eq!(
            name_key("华为技术 有限公司。"),
            name_key("华为技术有限公司")
        );
        assert_eq!(name_key("Acme Co., Ltd."), name_key("ACME CO LTD"));
        assert_eq!(name_key("（深圳）𠮷野家"), "深圳𠮷野家");
        assert_eq!(name_key("ＡＢＣ１２３"), "abc123");
        assert_ne!(name_key("华为"), name_key("华位"));
    }

    #[test]
    fn full_width_digits_and_letters_become_ascii() {
        assert_eq!(to_half_width("９１４４０３ＡＢｃ"), "914403ABc");
        assert_eq!(to_half_width("深圳\u{3000}市"), "深圳 市");
    }

    #[test]
    fn rare_characters_pass_through_unchanged() {
        // 𠮷 is outside the BMP and 㐀 is in CJK Extension A: neither may be mangled.
        assert_eq!(to_half_width("𠮷野家㐀"), "𠮷野家㐀");
        assert_eq!(fold_for_search("𠮷野家 ＡＢ"), "𠮷野家ab");
    }

    #[test]
    fn clean_line_folds_whitespace() {
        assert_eq!(
            clean_line("  华为\n技术\u{3000}有限公司 "),
            "华为 技术 有限公司"
        );
        assert_eq!(clean_line("   "), "");
    }

    #[test]
    fn clean_multiline_keeps_paragraphs() {
        assert_eq!(
            clean_multiline("\r\n第一段  \r\n第二段\n\n"),
            "第一段\n第二段"
        );
    }

    #[test]
    fn search_folding_is_case_insensitive_for_cyrillic_too() {
        assert_eq!(fold_for_search("ООО Ромашка"), "оооромашка");
        assert_eq!(fold_for_search("Global Trade"), "globaltrade");
    }

    #[test]
    fn forbidden_characters_are_named_with_their_position() {
        assert_eq!(forbidden_char("华为𠮷㐀𪚥 ООО Ромашка", false), None);
        assert_eq!(
            forbidden_char("ab\u{7}c", false),
            Some((3, '\u{7}', BadChar::Control))
        );
        assert_eq!(forbidden_char("第一段\n第二段\t", true), None);
        assert_eq!(
            forbidden_char("第一段\n", false),
            Some((4, '\n', BadChar::Control))
        );
        assert_eq!(
            forbidden_char("名\u{E000}", false),
            Some((2, '\u{E000}', BadChar::PrivateUse))
        );
        assert_eq!(
            forbidden_char("x\u{10FFFD}", false),
            Some((2, '\u{10FFFD}', BadChar::PrivateUse))
        );
        assert_eq!(
            forbidden_char("\u{0378}", false),
            Some((1, '\u{0378}', BadChar::Unassigned))
        );
        assert_eq!(
            forbidden_char("invoice\u{202E}fdp.exe", false),
            Some((8, '\u{202E}', BadChar::Override))
        );
        assert_eq!(
            forbidden_char("a\u{2067}b", true),
            Some((2, '\u{2067}', BadChar::Override))
        );
    }
}
