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

#[cfg(test)]
mod tests {
    use super::*;

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
}
