//! The notice of a decision on an application as a letter (Art. 10(3)): the same text as the
//! e-mail, from the same editable template, on the alliance's letterhead, for the office that
//! also sends it on paper or files it with the application.

use chrono::NaiveDate;

use super::certificate::{check_glyphs, date_zh, ALLIANCE_EN, ALLIANCE_ZH};
use super::{Align, Face, Fonts, Page, Pen, Rgb, A4_LONG, A4_SHORT, MM_PER_PT};
use crate::error::Result;

const LEFT: f32 = 25.0;
const RIGHT: f32 = A4_SHORT - 25.0;
const SIZE: f32 = 11.0;

/// Lays out the letter: `subject`, then `body` paragraph by paragraph (blank lines kept, a
/// rule of dashes becomes a drawn rule), over as many pages as it takes.
pub fn pages(fonts: &Fonts, subject: &str, body: &str, date: NaiveDate) -> Result<Vec<Page>> {
    check_glyphs(
        fonts,
        &[
            ("主题 / subject", subject, Face::SerifBold),
            ("正文 / body", body, Face::Serif),
        ],
    )?;
    let lead = SIZE * MM_PER_PT * 1.6;
    let bottom = A4_LONG - 30.0;
    let mut pages = Vec::new();
    let mut pen = letterhead(fonts);
    let mut y = 62.0;
    for line in pen.wrap(Face::SerifBold, 13.0, subject, RIGHT - LEFT) {
        pen.text(
            A4_SHORT / 2.0,
            y,
            Align::Center,
            Face::SerifBold,
            13.0,
            Rgb::BLACK,
            0.0,
            &line,
        );
        y += 7.0;
    }
    y += 5.0;
    for paragraph in body.split('\n') {
        let rule = !paragraph.is_empty()
            && paragraph
                .chars()
                .all(|c| matches!(c, '-' | '—' | '―' | '─' | '_'));
        let lines = if rule || paragraph.trim().is_empty() {
            vec![String::new()]
        } else {
            pen.wrap(Face::Serif, SIZE, paragraph, RIGHT - LEFT)
        };
        for line in lines {
            if y > bottom {
                pages.push(std::mem::replace(&mut pen, letterhead(fonts)).page);
                y = 50.0;
            }
            if rule {
                pen.line((LEFT, y - 1.5), (RIGHT, y - 1.5), 0.5, Rgb::GOLD);
            } else if !line.is_empty() {
                pen.text(
                    LEFT,
                    y,
                    Align::Left,
                    Face::Serif,
                    SIZE,
                    Rgb::BLACK,
                    0.0,
                    &line,
                );
            }
            y += if line.is_empty() { lead * 0.6 } else { lead };
        }
    }
    if y + 24.0 > bottom {
        pages.push(std::mem::replace(&mut pen, letterhead(fonts)).page);
        y = 50.0;
    }
    // The template signs the letter; the date of the decision goes under it, on the right.
    y += 6.0;
    pen.text(
        RIGHT,
        y,
        Align::Right,
        Face::Serif,
        SIZE,
        Rgb::BLACK,
        0.0,
        &date_zh(date),
    );
    pages.push(pen.page);
    Ok(pages)
}

fn letterhead(fonts: &Fonts) -> Pen<'_> {
    let mut pen = Pen::new(fonts, A4_SHORT, A4_LONG);
    pen.text(
        A4_SHORT / 2.0,
        28.0,
        Align::Center,
        Face::SerifBold,
        18.0,
        Rgb::RED,
        4.0,
        ALLIANCE_ZH,
    );
    pen.text(
        A4_SHORT / 2.0,
        35.0,
        Align::Center,
        Face::Sans,
        8.5,
        Rgb::RED,
        0.6,
        ALLIANCE_EN,
    );
    pen.line((LEFT - 5.0, 40.0), (RIGHT + 5.0, 40.0), 1.6, Rgb::RED);
    pen.line((LEFT - 5.0, 41.6), (RIGHT + 5.0, 41.6), 0.5, Rgb::RED);
    pen
}
