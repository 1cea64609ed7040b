//! The documents the secretariat prints and files: membership certificates first.
//!
//! Each document is built in two steps. A builder (`certificate.rs`) takes the registry's
//! data and lays it out as [`Page`]s of positioned text, lines and boxes, measuring text with
//! the real fonts so that long names wrap and shrink to fit. Only then does `pdf.rs`, the one
//! module that names printpdf, walk the pages and write the PDF. Layout can so be tested
//! without a PDF, and the PDF library could be swapped without touching any layout.
//!
//! Coordinates are millimetres from the page's top-left corner, y downwards, as a designer
//! measures a printed sheet; text sizes are points. A text's `y` is its baseline.

pub mod certificate;
pub mod fonts;
pub mod form;
pub mod images;
pub mod letter;
pub mod page;
pub mod pdf;
pub mod roster;
pub mod svg;
pub mod table;
pub mod verify;

pub use fonts::{Face, Fonts};
pub use page::{Align, Item, Page, Rgb, A4_LONG, A4_SHORT, MM_PER_PT};

/// A document laid out and ready to write: its title (the PDF's and a file name's) and pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub pages: Vec<Page>,
}

impl Document {
    pub fn pdf(&self, fonts: &Fonts) -> crate::error::Result<Vec<u8>> {
        pdf::write(&self.pages, fonts, &self.title)
    }

    /// A file name for saving: the title, with characters no file system takes replaced.
    pub fn file_name(&self) -> String {
        let name: String = self
            .title
            .chars()
            .map(|c| {
                if r#"/\:*?"<>|"#.contains(c) || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        format!("{}.pdf", name.trim())
    }

    /// Each page as SVG, for a preview.
    pub fn svg(&self) -> Vec<String> {
        self.pages.iter().map(svg::page).collect()
    }
}

/// `text` as a line draws it: a tab (pasted from Excel, say) as a space, and no other control
/// character, since fonts have no glyph for them and a line must be as wide as it was measured.
fn drawn(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect::<String>()
        .into()
}

/// Lays out text on a page with the registry's fonts.
pub struct Pen<'a> {
    pub fonts: &'a Fonts,
    pub page: Page,
}

impl<'a> Pen<'a> {
    pub fn new(fonts: &'a Fonts, width: f32, height: f32) -> Pen<'a> {
        Pen {
            fonts,
            page: Page::new(width, height),
        }
    }

    /// Width in millimetres of `text` set in `face` at `size` points with `tracking`.
    pub fn width(&self, face: Face, size: f32, tracking: f32, text: &str) -> f32 {
        let text = drawn(text);
        let chars = text.chars().count() as f32;
        self.fonts.advance(face, &text) * size * MM_PER_PT + tracking * chars * MM_PER_PT
    }

    /// Places one line of text anchored at `x` by `align`.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        x: f32,
        y: f32,
        align: Align,
        face: Face,
        size: f32,
        color: Rgb,
        tracking: f32,
        text: &str,
    ) {
        let text = drawn(text);
        if text.is_empty() {
            return;
        }
        // Tracking after the last character is not part of the visible width.
        let w = self.width(face, size, tracking, &text) - tracking * MM_PER_PT;
        let mut left = match align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        // One run per face that draws it: the office's body font where it has the glyphs,
        // the bundled face for the rest.
        let mut runs: Vec<(Face, String)> = Vec::new();
        for c in text.chars() {
            let f = self.fonts.face_for(face, c);
            match runs.last_mut() {
                Some((last, run)) if *last == f => run.push(c),
                _ => runs.push((f, c.to_string())),
            }
        }
        for (f, run) in runs {
            let advance = self.width(f, size, tracking, &run);
            self.page.items.push(Item::Text {
                x: left,
                y,
                size,
                face: f,
                color,
                tracking,
                text: run,
            });
            left += advance;
        }
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, color: Rgb) {
        self.page.items.push(Item::Line {
            from,
            to,
            width,
            color,
        });
    }

    /// Places `png` centred on (`cx`, `cy`), as large as fits `w` × `h` with its proportions.
    pub fn image(&mut self, cx: f32, cy: f32, w: f32, h: f32, png: &images::Png) {
        let scale = (w / png.width as f32).min(h / png.height as f32);
        let (iw, ih) = (png.width as f32 * scale, png.height as f32 * scale);
        self.page.items.push(Item::Image {
            x: cx - iw / 2.0,
            y: cy - ih / 2.0,
            w: iw,
            h: ih,
            png: png.clone(),
        });
    }

    pub fn rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        stroke: Option<(f32, Rgb)>,
        fill: Option<Rgb>,
    ) {
        self.page.items.push(Item::Rect {
            x,
            y,
            w,
            h,
            stroke,
            fill,
        });
    }

    /// Breaks `text` into lines no wider than `max` millimetres: between any two CJK
    /// characters, and at spaces in Latin or Cyrillic text (a word longer than the line is
    /// broken where it must be).
    pub fn wrap(&self, face: Face, size: f32, text: &str, max: f32) -> Vec<String> {
        let fits = |s: &str| self.width(face, size, 0.0, s.trim_end()) <= max;
        let mut lines = Vec::new();
        let mut line = String::new();
        // The line's width so far, so that each token is measured once.
        let mut line_w = 0.0;
        for token in tokens(text) {
            let token_w = self.width(face, size, 0.0, &token);
            let trailing = self.width(face, size, 0.0, &token[token.trim_end().len()..]);
            if line_w + token_w - trailing <= max {
                line.push_str(&token);
                line_w += token_w;
                continue;
            }
            if !line.trim().is_empty() {
                lines.push(line.trim_end().to_string());
            }
            line = token.trim_start().to_string();
            // A single token wider than the line (an e-mail address, a long code) is broken
            // between characters.
            while !fits(&line) && line.chars().count() > 1 {
                let mut head = String::new();
                for c in line.chars() {
                    let next = format!("{head}{c}");
                    if !head.is_empty() && !fits(&next) {
                        break;
                    }
                    head = next;
                }
                line = line[head.len()..].to_string();
                lines.push(head);
            }
            line_w = self.width(face, size, 0.0, &line);
        }
        if !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
        }
        lines
    }

    /// The largest size from `size` down to `min` (in half points) at which `text`, kept in
    /// its paragraphs (`\n`), fits a box `max` millimetres wide and `height` high with lines
    /// `lead` times the size apart; `None` when it does not fit even at `min`.
    #[allow(clippy::too_many_arguments)]
    pub fn fit_box(
        &self,
        face: Face,
        size: f32,
        min: f32,
        text: &str,
        max: f32,
        height: f32,
        lead: f32,
    ) -> Option<(f32, Vec<String>)> {
        let mut s = size;
        loop {
            let lines: Vec<String> = text
                .split('\n')
                .flat_map(|p| {
                    let wrapped = self.wrap(face, s, p, max);
                    if wrapped.is_empty() {
                        vec![String::new()]
                    } else {
                        wrapped
                    }
                })
                .collect();
            if lines.len() as f32 * s * MM_PER_PT * lead <= height {
                return Some((s, lines));
            }
            if s <= min {
                return None;
            }
            s = (s - 0.5).max(min);
        }
    }

    /// The largest size from `size` down to `min` (in half points) at which `text` fits in
    /// `max_lines` lines of `max` millimetres, with those lines; at `min` it takes what lines
    /// it needs.
    pub fn fit(
        &self,
        face: Face,
        size: f32,
        min: f32,
        text: &str,
        max: f32,
        max_lines: usize,
    ) -> (f32, Vec<String>) {
        let mut s = size;
        loop {
            let lines = self.wrap(face, s, text, max);
            if lines.len() <= max_lines || s <= min {
                return (s, lines);
            }
            s = (s - 0.5).max(min);
        }
    }
}

/// Splits text into the pieces a line may break between: each CJK character on its own, each
/// other word with the spaces that follow it.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_wide(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(c.to_string());
        } else if c == ' ' {
            word.push(c);
            out.push(std::mem::take(&mut word));
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// CJK ideographs, kana, Hangul and full-width forms: a line may break around each of them.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F |
        0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Writes a finished document to `path`: to a temporary file beside it first, renamed into
/// place when complete, so an interrupted save never leaves half a PDF under the real name.
pub fn save(path: &std::path::Path, bytes: &[u8]) -> crate::error::Result<()> {
    let failed = |e: std::io::Error| crate::error::Error::write_failed(path, &e);
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = std::path::PathBuf::from(part);
    std::fs::write(&part, bytes).map_err(failed)?;
    std::fs::rename(&part, path).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        failed(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_saves_under_a_long_chinese_path_and_a_failed_save_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // Over Windows' old 260-character limit, in folders named in Chinese.
        let mut folder = dir.path().to_path_buf();
        for i in 0..6 {
            folder.push(format!("中国跨境电子商务应用联盟秘书处文件{i}"));
        }
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join("𠮷祥跨境供应链（深圳）有限公司 成员证书.pdf");
        assert!(path.as_os_str().len() > 260);
        save(&path, b"%PDF-1.7 first").unwrap();
        save(&path, b"%PDF-1.7 second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.7 second");

        let gone = dir.path().join("拔出的U盘").join("名录.pdf");
        let err = save(&gone, b"%PDF").unwrap_err();
        assert!(
            err.message().zh.contains("重新选择保存位置"),
            "{}",
            err.message().zh
        );
        assert!(!gone.exists());
        let left: Vec<_> = std::fs::read_dir(&folder).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "no .part file is left beside the PDF");
    }

    #[test]
    fn a_tab_draws_as_a_space_and_other_control_characters_not_at_all() {
        let fonts = Fonts::bundled().unwrap();
        let mut pen = Pen::new(fonts, A4_LONG, A4_SHORT);
        let clean = pen.width(Face::Serif, 12.0, 0.5, "杭州 Ltd.");
        assert_eq!(pen.width(Face::Serif, 12.0, 0.5, "杭州\tLtd.\r"), clean);
        assert!(clean < pen.width(Face::Serif, 12.0, 0.5, "杭州中Ltd."));
        pen.text(
            100.0,
            50.0,
            Align::Center,
            Face::Serif,
            12.0,
            Rgb(0, 0, 0),
            0.5,
            "杭州\tLtd.\u{7}",
        );
        let drawn: Vec<_> = pen
            .page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { x, text, .. } => Some((*x, text.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(drawn.len(), 1);
        assert_eq!(drawn[0].1, "杭州 Ltd.");
        // Centred on its measured width, less the tracking after the last character.
        let expected = 100.0 - (clean - 0.5 * MM_PER_PT) / 2.0;
        assert!((drawn[0].0 - expected).abs() < 1e-4, "{drawn:?}");
    }

    #[test]
    fn wrapping_keeps_every_character_and_every_line_fits() {
        let fonts = Fonts::bundled().unwrap();
        let pen = Pen::new(fonts, A4_LONG, A4_SHORT);
        for (text, max) in [
            ("wang.xiaoming.secretariat@example-alliance.com.cn", 30.0),
            (
                "中国（上海）自由贸易试验区临港新片区跨境电子商务综合服务有限公司",
                40.0,
            ),
            ("Rosexport Online Limited Liability Company of Moscow", 35.0),
            ("ООО «Росэкспорт Онлайн» 𠮷祥㐀", 25.0),
        ] {
            let lines = pen.wrap(Face::Serif, 9.0, text, max);
            assert!(lines.len() > 1, "{text:?} should wrap at {max} mm");
            for l in &lines {
                assert!(
                    pen.width(Face::Serif, 9.0, 0.0, l) <= max + 0.01,
                    "{l:?} is wider than {max} mm"
                );
            }
            let rejoined: String = lines.concat();
            let spaceless = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
            assert_eq!(spaceless(&rejoined), spaceless(text), "nothing is lost");
        }
        assert_eq!(pen.wrap(Face::Serif, 9.0, "短", 40.0), vec!["短"]);
        assert!(pen.wrap(Face::Serif, 9.0, "", 40.0).is_empty());
    }
}
