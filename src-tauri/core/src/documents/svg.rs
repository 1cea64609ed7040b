//! The same pages as SVG, for the app's preview: drawn from the page model the PDF is written
//! from, so the preview shows the real layout. The webview sets the text in the fonts it has
//! (the bundled Noto faces where installed, else the system's 宋体/黑体), so the preview is
//! faithful in layout and close in type; the PDF is the document of record.

use std::fmt::Write;

use super::{Face, Item, Page, Rgb, MM_PER_PT};

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

/// One page as a standalone SVG element, sized in millimetres.
pub fn page(p: &Page) -> String {
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
            Item::Image { x, y, w, h, png } => {
                use base64::Engine;
                let data = base64::engine::general_purpose::STANDARD.encode(png.bytes.as_slice());
                let _ = write!(
                    out,
                    r#"<image x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" href="data:image/png;base64,{data}"/>"#
                );
            }
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
