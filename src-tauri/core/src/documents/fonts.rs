//! The fonts documents are set in, and the check that every character has a glyph.
//!
//! The registry bundles Noto Serif CJK SC (regular and bold) and Noto Sans CJK SC, SIL Open
//! Font License 1.1 (`fonts/OFL.txt`): single-face OpenType files cut from Noto's `.ttc`
//! collections, since a collection would be embedded whole. They cover simplified Chinese
//! with CJK Extension A and the Extension B characters in common use (𠮷), Latin and
//! Cyrillic. A font is read and parsed once per process and shared by every document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

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
    /// The office's own body font, chosen in Settings from the fonts installed on the PC
    /// (宋体, 仿宋, 楷体 ...). Text set in `Serif` uses it for every character it has; the
    /// bundled serif face draws the rest.
    Installed,
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Serif, Face::SerifBold, Face::Sans];

    /// The bundled file of this face (the installed face has none of its own).
    pub fn file_name(self) -> &'static str {
        match self {
            Face::Serif | Face::Installed => "NotoSerifCJKsc-Regular.otf",
            Face::SerifBold => "NotoSerifCJKsc-Bold.otf",
            Face::Sans => "NotoSansCJKsc-Regular.otf",
        }
    }

    fn index(self) -> usize {
        match self {
            Face::Installed => Face::Serif as usize,
            _ => self as usize,
        }
    }
}

/// One font face, with what measuring needs.
#[derive(Clone)]
pub struct Font {
    /// The font as the PDF writer sees it: the file's bytes with the character map cut to
    /// nothing (see [`strip_cmap`]). A font is loaded once and kept for the life of the
    /// process, so they are leaked on purpose: the parsed face can then borrow them for good.
    pub bytes: &'static [u8],
    /// The character map, copied out before it was cut from `bytes`.
    cmap: Option<ttf_parser::cmap::Table<'static>>,
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// The family name, for the preview's CSS.
    pub family: String,
}

impl Font {
    fn parse(path: &Path) -> Result<Font> {
        let bytes = std::fs::read(path).map_err(|e| font_error(path, &e.to_string()))?;
        Font::from_bytes(bytes, path)
    }

    /// A font from the bytes of a single face, kept for the rest of the process.
    fn from_bytes(mut bytes: Vec<u8>, path: &Path) -> Result<Font> {
        let face = ttf_parser::Face::parse(&bytes, 0)
            .map_err(|e| font_error(path, &format!("not a font file ({e})")))?;
        let cmap = character_map(&face);
        let family = family_name(face.names()).unwrap_or_default();
        strip_cmap(&mut bytes);
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let face = ttf_parser::Face::parse(bytes, 0)
            .map_err(|e| font_error(path, &format!("not a font file ({e})")))?;
        let units_per_em = face.units_per_em() as f32;
        Ok(Font {
            bytes,
            cmap,
            face,
            units_per_em,
            family,
        })
    }

    pub fn has(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// The glyph that draws `c`, if the font has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        glyph_in(&self.cmap?, c)
    }

    /// The advance of `c` in em units of this font; a missing glyph (refused before layout)
    /// measures one em.
    fn advance(&self, c: char) -> f32 {
        self.glyph(c)
            .and_then(|g| self.face.glyph_hor_advance(ttf_parser::GlyphId(g)))
            .map_or(self.units_per_em, f32::from)
            / self.units_per_em
    }
}

/// The glyph of `c` in a character map: from the first Unicode subtable that maps it, as
/// `ttf_parser::Face::glyph_index` looks it up.
fn glyph_in(cmap: &ttf_parser::cmap::Table, c: char) -> Option<u16> {
    cmap.subtables
        .into_iter()
        .filter(|t| t.is_unicode())
        .find_map(|t| t.glyph_index(u32::from(c)).filter(|g| g.0 != 0))
        .map(|g| g.0)
}

/// A copy of the font's character map, kept for the life of the process (a few hundred KB for
/// a CJK face), so that it can be cut from the bytes printpdf sees.
fn character_map(face: &ttf_parser::Face) -> Option<ttf_parser::cmap::Table<'static>> {
    let raw = face
        .raw_face()
        .table(ttf_parser::Tag::from_bytes(b"cmap"))?;
    let copy: &'static [u8] = Box::leak(raw.to_vec().into_boxed_slice());
    ttf_parser::cmap::Table::parse(copy)
}

/// The big-endian numbers of a font file's headers, read at `at`; `None` past the end.
fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Replaces the font's character map with one that maps nothing, in place.
///
/// A PDF addresses a CJK font's glyphs by id and carries its own map back to characters
/// (ToUnicode), so the font program inside it needs no character map. printpdf's subsetter
/// walks the whole map for every document, testing each of a CJK font's ~45,000 mappings
/// against the glyphs used: about 0.8 ms of a 5 ms certificate. Measuring and the
/// missing-glyph check use a copy of the map taken before the cut ([`character_map`]).
///
/// The cut map (one format 4 table whose only segment is the required end marker) is
/// written over the start of the old one and the table's directory entry shortened; a font
/// whose map is too small, or whose directory cannot be read, is left as it was.
pub(crate) fn strip_cmap(bytes: &mut [u8]) {
    #[rustfmt::skip]
    const EMPTY: [u8; 36] = [
        0, 0, 0, 1, // version 0, one encoding record
        0, 3, 0, 1, 0, 0, 0, 12, // Windows, Unicode BMP, at offset 12
        0, 4, 0, 24, 0, 0, // format 4, length 24, language 0
        0, 2, 0, 2, 0, 0, 0, 0, // one segment: searchRange 2, entrySelector 0, rangeShift 0
        0xFF, 0xFF, 0, 0, 0xFF, 0xFF, // endCode 0xFFFF, pad, startCode 0xFFFF
        0, 1, 0, 0, // idDelta 1 (glyph 0), idRangeOffset 0
    ];
    if bytes.starts_with(b"ttcf") {
        return;
    }
    let Some(tables) = be16(bytes, 4) else {
        return;
    };
    for i in 0..usize::from(tables) {
        let record = 12 + 16 * i;
        if bytes.get(record..record + 4) != Some(b"cmap") {
            continue;
        }
        let (Some(offset), Some(length)) = (be32(bytes, record + 8), be32(bytes, record + 12))
        else {
            return;
        };
        let (offset, length) = (offset as usize, length as usize);
        if length < EMPTY.len() || offset.saturating_add(length) > bytes.len() {
            return;
        }
        bytes[offset..offset + EMPTY.len()].copy_from_slice(&EMPTY);
        let sum = EMPTY
            .chunks(4)
            .map(|w| u32::from_be_bytes(w.try_into().unwrap_or_default()))
            .fold(0u32, u32::wrapping_add);
        bytes[record + 4..record + 8].copy_from_slice(&sum.to_be_bytes());
        bytes[record + 12..record + 16].copy_from_slice(&(EMPTY.len() as u32).to_be_bytes());
        return;
    }
}

/// The set of faces documents are set in, loaded once.
#[derive(Clone)]
pub struct Fonts {
    faces: [Font; 3],
    /// The office's chosen body font, if any (see [`Face::Installed`]).
    installed: Option<Font>,
    pub dir: PathBuf,
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
            installed: None,
            dir: dir.to_path_buf(),
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
        match (face, &self.installed) {
            (Face::Installed, Some(f)) => f,
            (Face::Installed, None) => &self.faces[Face::Serif.index()],
            _ => &self.faces[face.index()],
        }
    }

    /// These fonts with `font` as the body font, for the office that chose one.
    pub fn with_installed(&self, font: Font) -> Fonts {
        Fonts {
            installed: Some(font),
            ..self.clone()
        }
    }

    /// The face that draws `c` when text is set in `face`: the installed body font for the
    /// serif text it covers, else the face itself.
    pub fn face_for(&self, face: Face, c: char) -> Face {
        match (&self.installed, face) {
            (Some(f), Face::Serif) if f.has(c) => Face::Installed,
            _ => face,
        }
    }

    /// The advance of `text` in em units of `face` (multiply by the size for points); each
    /// character measured in the face that draws it.
    pub fn advance(&self, face: Face, text: &str) -> f32 {
        text.chars()
            .map(|c| self.font(self.face_for(face, c)).advance(c))
            .sum()
    }

    /// The characters of `text` that `face` cannot draw, with their positions (1-based,
    /// counted in characters). Line breaks and tabs are not drawn and not checked.
    pub fn missing(&self, face: Face, text: &str) -> Vec<(usize, char)> {
        text.chars()
            .enumerate()
            .filter(|(_, c)| !matches!(c, '\n' | '\r' | '\t'))
            .filter(|(_, c)| !self.font(self.face_for(face, *c)).has(*c))
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

/// A family name to show: the Chinese one when the font has it (宋体 rather than SimSun).
fn family_name(names: ttf_parser::name::Names) -> Option<String> {
    name(names, ttf_parser::name_id::FAMILY)
}

/// The name of `id` (family, full name ...), in Chinese when the font has it.
fn name(names: ttf_parser::name::Names, id: u16) -> Option<String> {
    let names: Vec<(u16, String)> = names
        .into_iter()
        .filter(|n| n.name_id == id)
        .filter_map(|n| Some((n.language_id, n.to_string()?)))
        .collect();
    // Windows language ids for Chinese: 0x0804 (PRC), 0x0404, 0x0C04, 0x1004.
    names
        .iter()
        .find(|(l, _)| matches!(l, 0x0804 | 0x0404 | 0x0C04 | 0x1004))
        .or_else(|| names.first())
        .map(|(_, n)| n.clone())
}

/// A body font installed on this PC, as Settings offers it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct InstalledFont {
    pub path: String,
    /// The face within a collection (`.ttc`); 0 for a single font file.
    pub index: u32,
    pub name: String,
}

/// Reads an installed font once per process (a collection's face is cut out as a font of its
/// own, since a PDF would otherwise embed the whole collection).
pub fn load_installed(choice: &InstalledFont) -> Result<Font> {
    static LOADED: Mutex<Option<HashMap<(String, u32), Font>>> = Mutex::new(None);
    let key = (choice.path.clone(), choice.index);
    if let Some(f) = LOADED
        .lock()
        .ok()
        .and_then(|m| m.as_ref()?.get(&key).cloned())
    {
        return Ok(f);
    }
    let path = Path::new(&choice.path);
    let bytes = std::fs::read(path).map_err(|e| font_error(path, &e.to_string()))?;
    let single = super::pdf::single_face(&bytes, choice.index as usize).unwrap_or(bytes);
    let font = Font::from_bytes(single, path)?;
    if let Ok(mut m) = LOADED.lock() {
        m.get_or_insert_with(HashMap::new).insert(key, font.clone());
    }
    Ok(font)
}

/// The fonts installed on this PC that can set Chinese text (they have 中 and 的), from the
/// system's and the user's font folders, by name.
pub fn installed_cjk_fonts() -> Vec<InstalledFont> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(w) = std::env::var_os("WINDIR") {
        dirs.push(PathBuf::from(w).join("Fonts"));
    }
    if let Some(l) = std::env::var_os("LOCALAPPDATA") {
        dirs.push(PathBuf::from(l).join("Microsoft/Windows/Fonts"));
    }
    dirs.extend(
        [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            "/Library/Fonts",
            "/System/Library/Fonts",
        ]
        .map(PathBuf::from),
    );
    if let Some(h) = dirs::home_dir() {
        dirs.push(h.join(".local/share/fonts"));
        dirs.push(h.join("Library/Fonts"));
    }
    let mut found = Vec::new();
    for d in dirs {
        scan(&d, 0, &mut found);
    }
    found.sort_by(|a: &InstalledFont, b| a.name.cmp(&b.name).then(a.path.cmp(&b.path)));
    found.dedup_by(|a, b| a.name == b.name);
    found
}

fn scan(dir: &Path, depth: u32, found: &mut Vec<InstalledFont>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            if depth < 4 {
                scan(&path, depth + 1, found);
            }
            continue;
        }
        let ext = path
            .extension()
            .and_then(|x| x.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if !matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
            continue;
        }
        let Ok(faces) = cjk_faces(&path) else {
            continue;
        };
        for (index, name) in faces {
            found.push(InstalledFont {
                path: path.display().to_string(),
                index,
                name,
            });
        }
    }
}

/// The faces of the font file at `path` that can set Chinese (they have 中 and 的), with
/// their names. Only each face's table directory, character map and name table are read: an
/// office PC's font folder holds a gigabyte or more (a CJK collection alone is 20-30 MB), and
/// Settings should list it in moments, not read all of it.
fn cjk_faces(path: &Path) -> std::io::Result<Vec<(u32, String)>> {
    use std::io::{Read, Seek, SeekFrom};

    /// A table larger than this is not a font's character map or names.
    const LARGEST_TABLE: u32 = 16 << 20;
    let mut file = std::fs::File::open(path)?;
    let mut read_at = |offset: u32, length: u32| -> std::io::Result<Vec<u8>> {
        let mut buf = vec![0; length as usize];
        file.seek(SeekFrom::Start(u64::from(offset)))?;
        file.read_exact(&mut buf)?;
        Ok(buf)
    };
    let head = read_at(0, 12)?;
    let starts: Vec<u32> = if head.starts_with(b"ttcf") {
        let count = be32(&head, 8).unwrap_or(0).min(256);
        let offsets = read_at(12, 4 * count)?;
        (0..count as usize)
            .filter_map(|i| be32(&offsets, 4 * i))
            .collect()
    } else {
        vec![0]
    };
    let mut faces = Vec::new();
    for (index, start) in (0u32..).zip(starts) {
        let Ok(header) = read_at(start, 12) else {
            continue;
        };
        let tables = u32::from(be16(&header, 4).unwrap_or(0));
        let Ok(directory) = read_at(start + 12, 16 * tables) else {
            continue;
        };
        let table = |tag: &[u8; 4]| {
            directory
                .chunks_exact(16)
                .find(|r| &r[..4] == tag)
                .and_then(|r| Some((be32(r, 8)?, be32(r, 12)?)))
                .filter(|&(_, length)| length <= LARGEST_TABLE)
        };
        let (Some(cmap), Some(names)) = (table(b"cmap"), table(b"name")) else {
            continue;
        };
        let (Ok(cmap), Ok(names)) = (read_at(cmap.0, cmap.1), read_at(names.0, names.1)) else {
            continue;
        };
        let Some(cmap) = ttf_parser::cmap::Table::parse(&cmap) else {
            continue;
        };
        if glyph_in(&cmap, '中').is_none() || glyph_in(&cmap, '的').is_none() {
            continue;
        }
        let Some(names) = ttf_parser::name::Table::parse(&names) else {
            continue;
        };
        // The full name tells a family's regular and bold faces apart.
        if let Some(name) =
            name(names.names, ttf_parser::name_id::FULL_NAME).or_else(|| family_name(names.names))
        {
            faces.push((index, name));
        }
    }
    Ok(faces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled_bytes(face: Face) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fonts")
            .join(face.file_name());
        std::fs::read(path).unwrap()
    }

    #[test]
    fn the_cut_font_maps_no_character_but_the_font_still_finds_every_glyph() {
        let original = bundled_bytes(Face::Serif);
        let before = ttf_parser::Face::parse(&original, 0).unwrap();
        let font = Font::from_bytes(original.clone(), Path::new("serif")).unwrap();

        // What printpdf is given maps nothing, and is otherwise the same font.
        let cut = ttf_parser::Face::parse(font.bytes, 0).unwrap();
        assert_eq!(cut.glyph_index('中'), None);
        assert_eq!(cut.number_of_glyphs(), before.number_of_glyphs());
        assert_eq!(font.bytes.len(), original.len());

        // Layout still finds each character's glyph, the same one as before the cut.
        for c in ['中', '𠮷', '㐀', 'A', 'Ж', '，', ' '] {
            let g = before.glyph_index(c).map(|g| g.0);
            assert!(g.is_some(), "{c} is in the bundled font");
            assert_eq!(font.glyph(c), g, "{c}");
            assert!(font.has(c));
        }
        assert!(!font.has('\u{E000}'), "a private-use character is not");
        assert!(!font.has('\u{1}'));
    }

    #[test]
    fn a_font_files_faces_are_read_from_their_tables_alone() {
        let dir = tempfile::tempdir().unwrap();
        let sans = dir.path().join("sans.otf");
        std::fs::write(&sans, bundled_bytes(Face::Sans)).unwrap();
        assert_eq!(
            cjk_faces(&sans).unwrap(),
            [(0, "Noto Sans CJK SC".to_string())]
        );

        // Damaged files are passed over without a panic: cut short, inside the directory or
        // the character map, or not a font at all.
        let bytes = bundled_bytes(Face::Sans);
        for cut in [0, 5, 40, 400, 4000] {
            let path = dir.path().join(format!("cut{cut}.otf"));
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(cjk_faces(&path).map(|f| f.is_empty()).unwrap_or(true));
        }
        let mut lying = bytes[..64].to_vec();
        lying[4..6].copy_from_slice(&u16::MAX.to_be_bytes());
        let path = dir.path().join("lying.otf");
        std::fs::write(&path, &lying).unwrap();
        assert!(cjk_faces(&path).map(|f| f.is_empty()).unwrap_or(true));
        let collection = dir.path().join("junk.ttc");
        std::fs::write(&collection, b"ttcf\0\x01\0\0\xff\xff\xff\xffjunk").unwrap();
        assert!(cjk_faces(&collection).map(|f| f.is_empty()).unwrap_or(true));

        // scan lists the CJK face and leaves the rest out.
        let mut found = Vec::new();
        scan(dir.path(), 0, &mut found);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, sans.display().to_string());
    }

    #[test]
    fn a_map_too_small_to_hold_the_empty_one_is_left_alone() {
        let mut bytes = bundled_bytes(Face::Sans);
        let directory = ttf_parser::RawFace::parse(&bytes, 0).unwrap();
        let record = (0..usize::from(u16::from_be_bytes([bytes[4], bytes[5]])))
            .map(|i| 12 + 16 * i)
            .find(|&r| &bytes[r..r + 4] == b"cmap")
            .unwrap();
        assert!(directory
            .table(ttf_parser::Tag::from_bytes(b"cmap"))
            .is_some());
        bytes[record + 12..record + 16].copy_from_slice(&20u32.to_be_bytes());
        let before = bytes.clone();
        strip_cmap(&mut bytes);
        assert_eq!(bytes, before);
    }
}
