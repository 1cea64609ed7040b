//! Writes pages as PDF: the only module that names printpdf. It draws what the layout
//! decided and decides nothing itself. Fonts are embedded as subsets of the glyphs used
//! (printpdf's `text_layout` feature), so a certificate weighs kilobytes, not the 16 MB of
//! the font.

use std::collections::BTreeMap;
use std::sync::Mutex;

use printpdf::{
    Codepoint, Color, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, RawImage, TextItem, WindingOrder,
    XObjectTransform,
};

use super::fonts::Fonts;
use super::page::{Item, Page, Rgb};
use crate::error::{Error, Result};

/// printpdf's parse of a font, made once per process and kept (parsing a CJK font costs far
/// more than laying out a page), keyed by the font's bytes, which live as long.
fn parsed(font: &super::fonts::Font, name: &str) -> Result<&'static ParsedFont> {
    static PARSED: Mutex<BTreeMap<usize, &'static ParsedFont>> = Mutex::new(BTreeMap::new());
    let key = font.bytes.as_ptr() as usize;
    if let Some(p) = PARSED.lock().ok().and_then(|m| m.get(&key).copied()) {
        return Ok(p);
    }
    let mut warnings = Vec::new();
    let p = ParsedFont::from_bytes(font.bytes, 0, &mut warnings).ok_or_else(|| {
        Error::refused(
            crate::error::ErrorCode::FontUnavailable,
            format!("字体 {name} 无法用于生成 PDF。请在设置中改用其他字体，或重新安装本程序。"),
            format!("The font {name} cannot be used for PDF. Choose another font in Settings, or reinstall the program."),
        )
    })?;
    let p: &'static ParsedFont = Box::leak(Box::new(p));
    if let Ok(mut m) = PARSED.lock() {
        m.insert(key, p);
    }
    Ok(p)
}

/// Whether printpdf can decode `png`: checked when an office sets its seal or signature, so
/// that a damaged file is refused then rather than failing every certificate later.
pub fn check_image(png: &[u8]) -> std::result::Result<(), String> {
    RawImage::decode_from_bytes(png, &mut Vec::new()).map(|_| ())
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: f32::from(c.0) / 255.0,
        g: f32::from(c.1) / 255.0,
        b: f32::from(c.2) / 255.0,
        icc_profile: None,
    })
}

/// `text` as the font's glyph ids, each carrying its character for copying text out of the
/// PDF. The fonts given to printpdf have no character map of their own (see
/// `fonts::strip_cmap`); layout has refused any character the font cannot draw.
fn glyphs(font: &super::fonts::Font, text: &str) -> TextItem {
    TextItem::GlyphIds(
        text.chars()
            .filter_map(|c| {
                Some(Codepoint {
                    gid: font.glyph(c)?,
                    offset: 0.0,
                    cid: Some(c.to_string()),
                })
            })
            .collect(),
    )
}

fn point(page: &Page, x: f32, y: f32) -> Point {
    Point {
        x: Mm(x).into(),
        y: Mm(page.height - y).into(),
    }
}

/// The PDF of `pages`, with `title` in its document information.
pub fn write(pages: &[Page], fonts: &Fonts, title: &str) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(title);
    let mut ids = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Text { face, .. } = item {
                if !ids.contains_key(face) {
                    let font = fonts.font(*face);
                    ids.insert(*face, doc.add_font(parsed(font, &font.family)?));
                }
            }
        }
    }
    // Each distinct image is decoded and embedded once, however many pages show it.
    let mut images = BTreeMap::new();
    for page in pages {
        for item in &page.items {
            if let Item::Image { png, .. } = item {
                let key = std::sync::Arc::as_ptr(&png.bytes) as usize;
                if let std::collections::btree_map::Entry::Vacant(e) = images.entry(key) {
                    let mut warnings = Vec::new();
                    let raw = RawImage::decode_from_bytes(&png.bytes, &mut warnings).map_err(|why| {
                        Error::refused(
                            crate::error::ErrorCode::ImageUnreadable,
                            format!("印章或签字图片无法读取（{why}），请在设置中重新选择。"),
                            format!("The seal or signature image cannot be read ({why}); choose it again in Settings."),
                        )
                    })?;
                    e.insert(doc.add_image(&raw));
                }
            }
        }
    }
    let mut out = Vec::with_capacity(pages.len());
    for page in pages {
        let mut ops = Vec::with_capacity(page.items.len() * 6);
        for item in &page.items {
            match item {
                Item::Text {
                    x,
                    y,
                    size,
                    face,
                    color: c,
                    tracking,
                    text,
                } => {
                    ops.extend([
                        Op::StartTextSection,
                        Op::SetFont {
                            font: PdfFontHandle::External(ids[face].clone()),
                            size: Pt(*size),
                        },
                        Op::SetFillColor { col: color(*c) },
                        Op::SetCharacterSpacing {
                            multiplier: *tracking,
                        },
                        Op::SetTextCursor {
                            pos: point(page, *x, *y),
                        },
                        Op::ShowText {
                            items: vec![glyphs(fonts.font(*face), text)],
                        },
                        Op::EndTextSection,
                    ]);
                }
                Item::Line {
                    from,
                    to,
                    width,
                    color: c,
                } => {
                    ops.extend([
                        Op::SetOutlineColor { col: color(*c) },
                        Op::SetOutlineThickness { pt: Pt(*width) },
                        Op::DrawLine {
                            line: Line {
                                points: vec![
                                    LinePoint {
                                        p: point(page, from.0, from.1),
                                        bezier: false,
                                    },
                                    LinePoint {
                                        p: point(page, to.0, to.1),
                                        bezier: false,
                                    },
                                ],
                                is_closed: false,
                            },
                        },
                    ]);
                }
                Item::Image { x, y, w, h, png } => {
                    let id = images[&(std::sync::Arc::as_ptr(&png.bytes) as usize)].clone();
                    // At 72 dpi one pixel is one point; scale from there to the box.
                    let (w_pt, h_pt) = (Pt::from(Mm(*w)).0, Pt::from(Mm(*h)).0);
                    ops.push(Op::UseXobject {
                        id,
                        transform: XObjectTransform {
                            translate_x: Some(Mm(*x).into()),
                            translate_y: Some(Mm(page.height - *y - *h).into()),
                            scale_x: Some(w_pt / png.width as f32),
                            scale_y: Some(h_pt / png.height as f32),
                            dpi: Some(72.0),
                            ..Default::default()
                        },
                    });
                }
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    stroke,
                    fill,
                } => {
                    let mode = match (stroke, fill) {
                        (Some(_), Some(_)) => PaintMode::FillStroke,
                        (Some(_), None) => PaintMode::Stroke,
                        (None, Some(_)) => PaintMode::Fill,
                        (None, None) => continue,
                    };
                    if let Some((width, c)) = stroke {
                        ops.push(Op::SetOutlineColor { col: color(*c) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    }
                    if let Some(c) = fill {
                        ops.push(Op::SetFillColor { col: color(*c) });
                    }
                    let corners = [(*x, *y), (*x + *w, *y), (*x + *w, *y + *h), (*x, *y + *h)];
                    ops.push(Op::DrawPolygon {
                        polygon: Polygon {
                            rings: vec![PolygonRing {
                                points: corners
                                    .iter()
                                    .map(|&(cx, cy)| LinePoint {
                                        p: point(page, cx, cy),
                                        bezier: false,
                                    })
                                    .collect(),
                            }],
                            mode,
                            winding_order: WindingOrder::NonZero,
                        },
                    });
                }
            }
        }
        out.push(PdfPage::new(Mm(page.width), Mm(page.height), ops));
    }
    // printpdf's own `save` compresses every stream at zlib's best level, which cost a
    // quarter of a certificate's time for a file about 2% smaller than the default level
    // gives; so the document is built with printpdf and compressed and written here.
    let options = PdfSaveOptions {
        subset_fonts: true,
        optimize: false,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut pdf = doc
        .with_pages(out)
        .to_lopdf_document(&options, &mut warnings);
    for object in pdf.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            compress(stream);
        }
    }
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).map_err(|e| {
        Error::refused(
            crate::error::ErrorCode::PdfFailed,
            format!("PDF 生成失败：{e}"),
            format!("The PDF could not be written: {e}"),
        )
    })?;
    Ok(bytes)
}

/// Deflates a stream that has no filter yet, at zlib's default level, keeping it as it was
/// when that would not make it smaller (as lopdf's own `compress` does).
fn compress(stream: &mut lopdf::Stream) {
    use std::io::Write;
    if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
        return;
    }
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(stream.content.len() / 2),
        flate2::Compression::default(),
    );
    if encoder.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(deflated) = encoder.finish() {
        if deflated.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(deflated);
        }
    }
}
