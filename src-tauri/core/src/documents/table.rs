//! Ruled tables that run over as many pages as they need: the header row repeated on every
//! page, long cells wrapped inside their column, and "第 N 页 / 共 M 页" at the foot (known
//! only once every page is laid out, so footers are added last).

use super::certificate::check_glyphs;
use super::{Align, Face, Fonts, Page, Pen, Rgb, MM_PER_PT};
use crate::error::Result;

/// One column: its heading in both languages and its width in millimetres.
pub struct Column {
    pub zh: &'static str,
    pub en: &'static str,
    pub width: f32,
    /// Lines after a cell's first are set in grey (an English name under the Chinese).
    pub secondary: bool,
}

/// A table with a title, printed on pages of `width` × `height` millimetres.
pub struct Table {
    pub title: String,
    pub subtitle: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    pub width: f32,
    pub height: f32,
}

const MARGIN: f32 = 14.0;
const BODY: f32 = 8.5;
const HEAD: f32 = 8.0;
const PAD: f32 = 1.6;
const LINE: Rgb = Rgb(0xbf, 0xc4, 0xcc);
const HEAD_FILL: Rgb = Rgb(0xf3, 0xe8, 0xe9);

impl Table {
    /// Lays the table out. Every cell is checked for characters the font lacks first; a
    /// missing one is named with its row and column and nothing is laid out.
    pub fn pages(&self, fonts: &Fonts) -> Result<Vec<Page>> {
        let labels: Vec<String> = self
            .rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.iter().enumerate().map(move |(c, _)| {
                    format!(
                        "第 {} 行“{}” / row {} {}",
                        r + 1,
                        self.columns[c].zh,
                        r + 1,
                        self.columns[c].en
                    )
                })
            })
            .collect();
        let cells: Vec<(&str, &str, Face)> = self
            .rows
            .iter()
            .flatten()
            .zip(&labels)
            .map(|(cell, label)| (label.as_str(), cell.as_str(), Face::Serif))
            .collect();
        check_glyphs(fonts, &cells)?;
        check_glyphs(fonts, &[("标题 / title", &self.title, Face::SerifBold)])?;

        let lead = BODY * MM_PER_PT * 1.32;
        let bottom = self.height - MARGIN - 8.0;
        let mut pages: Vec<Page> = Vec::new();
        let mut pen = Pen::new(fonts, self.width, self.height);
        let mut y = self.start(&mut pen, true);
        for (i, row) in self.rows.iter().enumerate() {
            let wrapped: Vec<Vec<String>> = row
                .iter()
                .zip(&self.columns)
                .map(|(cell, col)| {
                    cell.split('\n')
                        .flat_map(|part| pen.wrap(Face::Serif, BODY, part, col.width - 2.0 * PAD))
                        .collect()
                })
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = lines as f32 * lead + 2.0 * PAD;
            if y + h > bottom && i > 0 {
                pages.push(
                    std::mem::replace(&mut pen, Pen::new(fonts, self.width, self.height)).page,
                );
                y = self.start(&mut pen, false);
            }
            let mut x = MARGIN;
            for (cell, col) in wrapped.iter().zip(&self.columns) {
                for (k, line) in cell.iter().enumerate() {
                    let base = y + PAD + BODY * MM_PER_PT * 0.95 + k as f32 * lead;
                    // A cell's later parts (an English name under the Chinese) in grey.
                    let color = if k > 0 && col.secondary {
                        Rgb::GREY
                    } else {
                        Rgb::BLACK
                    };
                    pen.text(
                        x + PAD,
                        base,
                        Align::Left,
                        Face::Serif,
                        BODY,
                        color,
                        0.0,
                        line,
                    );
                }
                x += col.width;
            }
            y += h;
            pen.line((MARGIN, y), (MARGIN + self.table_width(), y), 0.4, LINE);
        }
        pages.push(pen.page);
        let total = pages.len();
        for (n, page) in pages.iter_mut().enumerate() {
            let mut pen = Pen {
                fonts,
                page: std::mem::replace(page, Page::new(0.0, 0.0)),
            };
            let foot = self.height - MARGIN + 2.0;
            pen.text(
                self.width / 2.0,
                foot,
                Align::Center,
                Face::Sans,
                8.0,
                Rgb::GREY,
                0.0,
                &format!(
                    "第 {} 页 / 共 {total} 页 · Page {} of {total}",
                    n + 1,
                    n + 1
                ),
            );
            pen.text(
                MARGIN,
                foot,
                Align::Left,
                Face::Sans,
                7.5,
                Rgb::GREY,
                0.0,
                &self.title,
            );
            *page = pen.page;
        }
        Ok(pages)
    }

    fn table_width(&self) -> f32 {
        self.columns.iter().map(|c| c.width).sum()
    }

    /// Draws the title (first page) and the header row; returns where rows begin.
    fn start(&self, pen: &mut Pen, first: bool) -> f32 {
        let mut y = MARGIN;
        if first {
            y += 7.0;
            pen.text(
                self.width / 2.0,
                y,
                Align::Center,
                Face::SerifBold,
                16.0,
                Rgb::BLACK,
                1.0,
                &self.title,
            );
            y += 6.5;
            pen.text(
                self.width / 2.0,
                y,
                Align::Center,
                Face::Sans,
                8.5,
                Rgb::GREY,
                0.0,
                &self.subtitle,
            );
            y += 5.0;
        }
        let tw = self.table_width();
        let h = 2.0 * HEAD * MM_PER_PT * 1.3 + 2.0 * PAD;
        pen.rect(MARGIN, y, tw, h, None, Some(HEAD_FILL));
        let mut x = MARGIN;
        for col in &self.columns {
            pen.text(
                x + PAD,
                y + PAD + HEAD * MM_PER_PT * 1.05,
                Align::Left,
                Face::Sans,
                HEAD,
                Rgb::BLACK,
                0.0,
                col.zh,
            );
            pen.text(
                x + PAD,
                y + PAD + HEAD * MM_PER_PT * 2.3,
                Align::Left,
                Face::Sans,
                6.5,
                Rgb::GREY,
                0.0,
                col.en,
            );
            x += col.width;
        }
        pen.line((MARGIN, y), (MARGIN + tw, y), 0.8, Rgb::RED);
        pen.line((MARGIN, y + h), (MARGIN + tw, y + h), 0.6, Rgb::RED);
        y + h
    }
}
