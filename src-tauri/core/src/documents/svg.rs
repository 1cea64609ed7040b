//! The same pages as SVG, for the app's preview: drawn from the page model the PDF is written
//! from, so the preview shows the real layout. The webview sets the text in the fonts it has
//! (the bundled Noto faces where installed, else the system's 宋体/黑体), so the preview is
//! faithful in layout and close in type; the PDF is the document of record.

use std::fmt::Write;

use super::fonts::Face;
use super::page::{Item, Page, Rgb, MM_PER_PT};

fn color(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn family(face: Face) -> &'static str {
    match face {
        Face::Serif | Face::SerifBold | Face::Installed => {
            "'Noto Serif CJK SC','Source Han Serif SC','Songti SC','SimSun',serif"
        }
        Face::Sans => {
            "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','SimHei',sans-serif"
        }
        // A rare character drawn from a font on the PC: the preview asks the system for the
        // fonts that have such characters (宋体-ExtB, -ExtG on Windows; HanaMin on Linux).
        Face::Fallback(_) => {
            "'SimSun-ExtB','SimSun-ExtG','Noto Serif CJK SC','HanaMinB','BabelStone Han',serif"
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One page as a standalone SVG element, sized in millimetres, its images inside it.
pub fn page(p: &Page) -> String {
    page_with(p, None)
}

/// The images of a preview's pages, each kept once, at screen resolution, as symbols in one
/// hidden SVG that the pages draw with `<use>`: twenty certificates with a seal carry the
/// seal once, not twenty times at print resolution.
#[derive(Default)]
pub struct SharedImages {
    /// (the image's bytes, its drawn size in hundredths of a millimetre) → its symbol's id.
    seen: Vec<((usize, i64, i64), String)>,
    defs: String,
}

impl SharedImages {
    fn id_for(&mut self, png: &super::images::Png, w: f32, h: f32) -> String {
        let key = (
            std::sync::Arc::as_ptr(&png.bytes) as usize,
            (w * 100.0).round() as i64,
            (h * 100.0).round() as i64,
        );
        if let Some((_, id)) = self.seen.iter().find(|(k, _)| *k == key) {
            return id.clone();
        }
        use base64::Engine;
        use sha2::Digest;
        let bytes = super::images::for_screen(png, w, h);
        // Named by content, so two previews on one screen never draw each other's images.
        let digest = sha2::Sha256::digest(bytes.as_slice());
        let id: String = std::iter::once("cceaa-image-".to_string())
            .chain(digest[..8].iter().map(|b| format!("{b:02x}")))
            .collect();
        let data = base64::engine::general_purpose::STANDARD.encode(bytes.as_slice());
        let _ = write!(
            self.defs,
            r#"<symbol id="{id}" viewBox="0 0 1 1" preserveAspectRatio="none"><image width="1" height="1" preserveAspectRatio="none" href="data:image/png;base64,{data}"/></symbol>"#
        );
        self.seen.push((key, id.clone()));
        id
    }

    /// The SVG that holds the images, to be placed once beside the pages.
    pub fn finish(self) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" style="position:absolute" aria-hidden="true"><defs>{}</defs></svg>"#,
            self.defs
        )
    }
}

/// Pages for a preview: each as SVG, the images drawn from `images`.
pub fn preview_page(p: &Page, images: &mut SharedImages) -> String {
    page_with(p, Some(images))
}

fn page_with(p: &Page, mut shared: Option<&mut SharedImages>) -> String {
    let mut out = String::with_capacity(p.items.len() * 120);
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}mm" height="{h}mm" role="img"><rect width="{w}" height="{h}" fill="#fff"/>"##,
        w = p.width,
        h = p.height
    );
    for item in &p.items {
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
                let _ = write!(
                    out,
                    r#"<text x="{x:.2}" y="{y:.2}" font-size="{s:.3}" font-family="{f}" font-weight="{wt}" letter-spacing="{t:.3}" fill="{c}" xml:space="preserve">{text}</text>"#,
                    s = size * MM_PER_PT,
                    f = family(*face),
                    wt = if *face == Face::SerifBold { 700 } else { 400 },
                    t = tracking * MM_PER_PT,
                    c = color(*c),
                    text = escape(text)
                );
            }
            Item::Line {
                from,
                to,
                width,
                color: c,
            } => {
                let _ = write!(
                    out,
                    r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="{}" stroke-width="{:.3}"/>"#,
                    from.0,
                    from.1,
                    to.0,
                    to.1,
                    color(*c),
                    width * MM_PER_PT
                );
            }
            Item::Image { x, y, w, h, png } => match shared.as_deref_mut() {
                Some(images) => {
                    let id = images.id_for(png, *w, *h);
                    let _ = write!(
                        out,
                        r##"<use href="#{id}" x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}"/>"##
                    );
                }
                None => {
                    use base64::Engine;
                    let data =
                        base64::engine::general_purpose::STANDARD.encode(png.bytes.as_slice());
                    let _ = write!(
                        out,
                        r#"<image x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" href="data:image/png;base64,{data}"/>"#
                    );
                }
            },
            Item::Rect {
                x,
                y,
                w,
                h,
                stroke,
                fill,
            } => {
                let fill = fill.map_or("none".to_string(), color);
                let stroke = stroke.map_or(String::new(), |(sw, c)| {
                    format!(
                        r#" stroke="{}" stroke-width="{:.3}""#,
                        color(c),
                        sw * MM_PER_PT
                    )
                });
                let _ = write!(
                    out,
                    r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" fill="{fill}"{stroke}/>"#
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_every_item_drawn() {
        let mut p = Page::new(210.0, 297.0);
        p.items.push(Item::Text {
            x: 10.0,
            y: 20.0,
            size: 12.0,
            face: Face::Serif,
            color: Rgb::BLACK,
            tracking: 0.0,
            text: "A&B <公司> \"𠮷\"".into(),
        });
        p.items.push(Item::Rect {
            x: 1.0,
            y: 1.0,
            w: 5.0,
            h: 5.0,
            stroke: Some((1.0, Rgb::RED)),
            fill: None,
        });
        let svg = page(&p);
        assert!(svg.contains("A&amp;B &lt;公司&gt; &quot;𠮷&quot;"), "{svg}");
        assert!(!svg.contains("<公司>"));
        assert_eq!(svg.matches("<text").count(), 1);
        assert_eq!(svg.matches("<rect").count(), 2, "the page and the box");
    }
}
