//! The fonts documents are set in, and the check that every character has a glyph.
//!
//! The registry bundles Noto Serif CJK SC (regular and bold) and Noto Sans CJK SC, SIL Open
//! Font License 1.1 (`fonts/OFL.txt`): single-face OpenType files cut from Noto's `.ttc`
//! collections, since a collection would be embedded whole. They cover simplified Chinese
//! with CJK Extension A and the Extension B characters in common use (𠮷), Latin and
//! Cyrillic. A font is read and parsed once per process and shared by every document.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// The faces a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Body text: 宋体-like, as official documents are set.
    Serif,
    /// Titles and the member's name.
    SerifBold,
    /// Labels and small print: 黑体-like.
    Sans,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Serif, Face::SerifBold, Face::Sans];

    /// The bundled file of this face.
    pub fn file_name(self) -> &'static str {
        match self {
            Face::Serif => "NotoSerifCJKsc-Regular.otf",
            Face::SerifBold => "NotoSerifCJKsc-Bold.otf",
            Face::Sans => "NotoSansCJKsc-Regular.otf",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One font file, with what measuring needs.
pub struct Font {
    /// The file's bytes. A font is loaded once and kept for the life of the process, so they
    /// are leaked on purpose: the parsed face can then borrow them for good.
    pub bytes: &'static [u8],
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Font {
    fn parse(path: &Path) -> Result<Font> {
        let bytes = std::fs::read(path).map_err(|e| font_error(path, &e.to_string()))?;
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let face = ttf_parser::Face::parse(bytes, 0)
            .map_err(|e| font_error(path, &format!("not a font file ({e})")))?;
        let units_per_em = face.units_per_em() as f32;
        Ok(Font {
            bytes,
            face,
            units_per_em,
        })
    }

    fn face(&self) -> &ttf_parser::Face<'static> {
        &self.face
    }
}

/// The set of faces documents are set in, loaded once.
pub struct Fonts {
    faces: [Font; 3],
    pub dir: PathBuf,
    /// The PDF writer's own parse of each face, made on first use and kept (parsing a CJK
    /// font costs far more than laying out a page).
    pub(super) pdf: OnceLock<super::pdf::PdfFaces>,
}

fn font_error(path: &Path, why: &str) -> Error {
    Error::refused(
        "font_unavailable",
        format!(
            "无法读取字体文件 {}：{why}。请重新安装本程序。",
            path.display()
        ),
        format!(
            "The font file {} could not be read: {why}. Reinstall the program.",
            path.display()
        ),
    )
}

impl Fonts {
    /// Loads the three faces from `dir`.
    pub fn load(dir: &Path) -> Result<Fonts> {
        let [a, b, c] = Face::ALL.map(|f| Font::parse(&dir.join(f.file_name())));
        Ok(Fonts {
            faces: [a?, b?, c?],
            dir: dir.to_path_buf(),
            pdf: OnceLock::new(),
        })
    }

    /// The bundled fonts, loaded on first use and kept for the life of the process. They are
    /// looked for in `CCEAA_FONTS_DIR`, then in `fonts/` beside the program (and in the
    /// installed app's resource folder), then in the source tree (for development and tests).
    pub fn bundled() -> Result<&'static Fonts> {
        static BUNDLED: OnceLock<std::result::Result<Fonts, crate::error::Text>> = OnceLock::new();
        BUNDLED
            .get_or_init(|| Fonts::load(&bundled_dir()).map_err(|e| e.report().message))
            .as_ref()
            .map_err(|m| Error::refused("font_unavailable", m.zh.clone(), m.en.clone()))
    }

    pub fn font(&self, face: Face) -> &Font {
        &self.faces[face.index()]
    }

    /// The advance of `text` in em units of `face` (multiply by the size for points).
    pub fn advance(&self, face: Face, text: &str) -> f32 {
        let font = self.font(face);
        let f = font.face();
        let units: f32 = text
            .chars()
            .map(|c| {
                f.glyph_index(c)
                    .and_then(|g| f.glyph_hor_advance(g))
                    .map(f32::from)
                    // A missing glyph is refused before layout; measure it as one em.
                    .unwrap_or(font.units_per_em)
            })
            .sum();
        units / font.units_per_em
    }

    /// The characters of `text` that `face` cannot draw, with their positions (1-based,
    /// counted in characters). Line breaks and tabs are not drawn and not checked.
    pub fn missing(&self, face: Face, text: &str) -> Vec<(usize, char)> {
        let f = self.font(face).face();
        text.chars()
            .enumerate()
            .filter(|(_, c)| !matches!(c, '\n' | '\r' | '\t'))
            .filter(|(_, c)| f.glyph_index(*c).is_none())
            .map(|(i, c)| (i + 1, c))
            .collect()
    }
}

/// Where the bundled fonts are: see [`Fonts::bundled`].
pub fn bundled_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CCEAA_FONTS_DIR") {
        return PathBuf::from(dir);
    }
    let has_fonts = |d: &Path| d.join(Face::Serif.file_name()).is_file();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        for d in [
            exe_dir.join("fonts"),
            // Tauri's resource folder on Windows and macOS, and on Linux packages.
            exe_dir.join("resources").join("fonts"),
            exe_dir.join("../lib/cceaa-registry/fonts"),
            exe_dir.join("../Resources/fonts"),
        ] {
            if has_fonts(&d) {
                return d;
            }
        }
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts"))
}
