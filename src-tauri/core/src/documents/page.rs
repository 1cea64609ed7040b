//! The page model: what a document is once laid out, and before it is drawn. Positioned
//! text, lines, boxes and images on pages sized in millimetres, from the page's top-left
//! corner, y downwards; text sizes in points, a text's `y` its baseline. Layout writes it;
//! `pdf.rs` and `svg.rs` draw it, and neither knows how it was laid out.

use super::fonts::Face;
use super::images;

/// An sRGB colour, 0-255 per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// Where a text run is anchored horizontally on its `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A single line of text whose left edge (already resolved from its alignment) is `x`
    /// and whose baseline is `y`. `tracking` is extra space after each character, in points.
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        color: Rgb,
        tracking: f32,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Rgb,
    },
    /// A PNG image (transparency kept) placed in the box `x`, `y`, `w` × `h`.
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        png: images::Png,
    },
    /// A rectangle, stroked with `stroke` (width in points) and/or filled with `fill`.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        stroke: Option<(f32, Rgb)>,
        fill: Option<Rgb>,
    },
}

/// One page, sized in millimetres.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// A4 in millimetres.
pub const A4_SHORT: f32 = 210.0;

pub const A4_LONG: f32 = 297.0;

/// Millimetres per typographic point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

impl Rgb {
    pub const BLACK: Rgb = Rgb(0x1f, 0x23, 0x28);
    /// The alliance's red, as on the app's own accent.
    pub const RED: Rgb = Rgb(0xa6, 0x1b, 0x29);
    /// A muted gold for the certificate's frame.
    pub const GOLD: Rgb = Rgb(0xb8, 0x93, 0x4a);
    pub const GREY: Rgb = Rgb(0x6b, 0x72, 0x7c);
}

impl Page {
    pub fn new(width: f32, height: f32) -> Page {
        Page {
            width,
            height,
            items: Vec::new(),
        }
    }

    /// Every text on the page, in drawing order: what a reader would copy out.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}
