//! The fonts documents are set in, and the check that every character has a glyph.
//!
//! The registry bundles Noto Serif CJK SC (regular and bold) and Noto Sans CJK SC, SIL Open
//! Font License 1.1 (`fonts/OFL.txt`): single-face OpenType files cut from Noto's `.ttc`
//! collections, since a collection would be embedded whole. They cover simplified Chinese
//! with CJK Extension A and the Extension B characters in common use (𠮷), Latin and
//! Cyrillic. A font is read and parsed once per process and shared by every document.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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
    /// A font installed on the PC that draws a rare character none of the faces above has
    /// (𪚥 from 宋体-ExtB, say): the n-th such font this process has found.
    Fallback(u8),
}

impl Face {
    pub const ALL: [Face; 3] = [Face::Serif, Face::SerifBold, Face::Sans];

    /// The bundled file of this face (the installed faces have none of their own).
    pub fn file_name(self) -> &'static str {
        match self {
            Face::Serif | Face::Installed | Face::Fallback(_) => "NotoSerifCJKsc-Regular.otf",
            Face::SerifBold => "NotoSerifCJKsc-Bold.otf",
            Face::Sans => "NotoSansCJKsc-Regular.otf",
        }
    }

    fn index(self) -> usize {
        match self {
            Face::Serif | Face::Installed | Face::Fallback(_) => 0,
            Face::SerifBold => 1,
            Face::Sans => 2,
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
/// A font's character map, parsed only when every subtable it lists lies inside it. A
/// damaged font on the PC can declare a subtable of 4 GB, which ttf-parser answers with an
/// assertion (in debug builds) rather than an error; such a map is treated as no map.
fn parse_cmap(data: &[u8]) -> Option<ttf_parser::cmap::Table<'_>> {
    let u16_at = |at: usize| {
        data.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| {
        data.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let count = usize::from(u16_at(2)?);
    for i in 0..count {
        let offset = usize::try_from(u32_at(4 + 8 * i + 4)?).ok()?;
        let length = match u16_at(offset)? {
            0 | 2 | 4 | 6 => usize::from(u16_at(offset + 2)?),
            14 => usize::try_from(u32_at(offset + 2)?).ok()?,
            8 | 10 | 12 | 13 => usize::try_from(u32_at(offset + 4)?).ok()?,
            _ => continue,
        };
        if offset.checked_add(length)? > data.len() {
            return None;
        }
        // The tables whose entries are counted in 32 bits: the entries must fit in the
        // subtable (ttf-parser asserts, and so panics, when a count runs past 4 GB).
        let entries = |count_at: usize, header: usize, size: usize| -> Option<usize> {
            let n = usize::try_from(u32_at(offset + count_at)?).ok()?;
            n.checked_mul(size)?.checked_add(header)
        };
        let needed = match u16_at(offset)? {
            8 => entries(8 + 8192, 8 + 8192 + 4, 12),
            10 => entries(16, 20, 2),
            12 | 13 => entries(12, 16, 12),
            14 => entries(6, 10, 11),
            _ => Some(0),
        };
        if needed.is_none_or(|n| n > length) {
            return None;
        }
    }
    ttf_parser::cmap::Table::parse(data)
}

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
    parse_cmap(copy)
}

/// The big-endian numbers of a font file's headers, read at `at`; `None` past the end.
fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// One face of a font collection (`.ttc`) as a font file of its own; `None` when `bytes` is
/// not a collection, or its directory points outside the file. A collection would otherwise
/// be embedded whole (Windows' SimSun, `simsun.ttc`, is 18 MB).
///
/// The face's tables are copied in their order behind a new directory, each at a four-byte
/// boundary; a table's checksum is of its own bytes, so the directory's are kept.
pub fn single_face(bytes: &[u8], index: usize) -> Option<Vec<u8>> {
    if !bytes.starts_with(b"ttcf") || index >= be32(bytes, 8)? as usize {
        return None;
    }
    let face = be32(bytes, index.checked_mul(4)?.checked_add(12)?)? as usize;
    let tables = usize::from(be16(bytes, face.checked_add(4)?)?);
    let directory = bytes.get(face..face.checked_add(12 + 16 * tables)?)?;
    let mut out = Vec::with_capacity(directory.len());
    out.extend_from_slice(directory);
    for i in 0..tables {
        let record = 12 + 16 * i;
        let offset = be32(directory, record + 8)? as usize;
        let length = be32(directory, record + 12)? as usize;
        let table = bytes.get(offset..offset.checked_add(length)?)?;
        // A face is a part of the collection: tables that add up to more than the file
        // overlap, which only a forged directory does (and it would cost memory unbounded).
        if out.len() + table.len() > bytes.len() + directory.len() {
            return None;
        }
        let at = u32::try_from(out.len()).ok()?;
        out[record + 8..record + 12].copy_from_slice(&at.to_be_bytes());
        out.extend_from_slice(table);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    Some(out)
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
    /// The PC's fonts that draw rare characters the others lack (see [`Face::Fallback`]);
    /// shared by every copy of these fonts, so each character is looked for once a process.
    fallback: Arc<Fallback>,
    pub dir: PathBuf,
}

/// The installed fonts found to draw characters the bundled faces lack, and where to look.
struct Fallback {
    /// The font folders searched (the system's and the user's, see [`font_dirs`]).
    dirs: Vec<PathBuf>,
    found: Mutex<FallbackFound>,
}

#[derive(Default)]
struct FallbackFound {
    /// Each font found, loaded once and kept for the life of the process.
    fonts: Vec<&'static Font>,
    /// Where each of `fonts` came from: its file and its face in it.
    keys: Vec<(PathBuf, u32)>,
    /// For each character looked for: the font that draws it, or `None` when no font on
    /// this PC does.
    by_char: HashMap<char, Option<u8>>,
}

/// At most this many fallback fonts in one process ([`Face::Fallback`] counts them in a byte).
const MAX_FALLBACKS: usize = 64;

impl Fallback {
    fn new(dirs: Vec<PathBuf>) -> Arc<Fallback> {
        Arc::new(Fallback {
            dirs,
            found: Mutex::new(FallbackFound::default()),
        })
    }

    /// The fallback font that draws `c`, if one was found.
    fn face_of(&self, c: char) -> Option<u8> {
        self.found.lock().ok()?.by_char.get(&c).copied().flatten()
    }

    fn font(&self, n: u8) -> Option<&'static Font> {
        self.found.lock().ok()?.fonts.get(usize::from(n)).copied()
    }

    /// Looks for the characters of `wanted` not looked for before in the installed fonts,
    /// reading each font file's character maps only (as Settings' font list does), and loads
    /// the first font that has each. One pass over the font folders for all of them.
    fn look_for(&self, wanted: &[char]) {
        let Ok(mut found) = self.found.lock() else {
            return;
        };
        let mut todo: Vec<char> = wanted
            .iter()
            .copied()
            .filter(|c| !found.by_char.contains_key(c))
            .collect();
        todo.sort_unstable();
        todo.dedup();
        // A font found before for other characters may have these too.
        let FallbackFound { fonts, by_char, .. } = &mut *found;
        for (n, font) in fonts.iter().enumerate() {
            for c in todo.iter().filter(|&&c| font.has(c)) {
                by_char.entry(*c).or_insert(Some(n as u8));
            }
        }
        todo.retain(|c| !by_char.contains_key(c));
        if todo.is_empty() {
            return;
        }
        // Which faces have which of the characters: a face that has them all ends the search
        // (宋体-ExtB has all of Extension B); otherwise the faces that draw the most are taken
        // first, so that a document embeds as few fonts as it can.
        let mut candidates: Vec<(PathBuf, u32, Vec<char>)> = Vec::new();
        'files: for path in font_files(&self.dirs) {
            let Ok(faces) = read_faces(&path) else {
                continue;
            };
            // Only faces with outlines: a colour emoji font's bitmaps cannot be embedded as
            // text, and a face already in use was offered above.
            for face in faces.into_iter().filter(|f| f.outlines) {
                if found.keys.contains(&(path.clone(), face.index)) {
                    continue;
                }
                let Some(cmap) = parse_cmap(&face.cmap) else {
                    continue;
                };
                let has: Vec<char> = todo
                    .iter()
                    .copied()
                    .filter(|&c| glyph_in(&cmap, c).is_some())
                    .collect();
                if has.len() == todo.len() {
                    candidates = vec![(path, face.index, has)];
                    break 'files;
                }
                if !has.is_empty() {
                    candidates.push((path.clone(), face.index, has));
                }
            }
        }
        while !todo.is_empty() && found.fonts.len() < MAX_FALLBACKS {
            // The first of the faces that draw the most of what is left (files in serif-first order).
            let Some(best) = (0..candidates.len())
                .rev()
                .max_by_key(|&i| candidates[i].2.iter().filter(|c| todo.contains(c)).count())
                .filter(|&i| candidates[i].2.iter().any(|c| todo.contains(c)))
            else {
                break;
            };
            let (path, index, has) = candidates.remove(best);
            let choice = InstalledFont {
                path: path.display().to_string(),
                index,
                name: String::new(),
            };
            // A font that cannot be read whole after all is passed over.
            let Ok(font) = load_installed(&choice) else {
                continue;
            };
            let n = found.fonts.len() as u8;
            found.fonts.push(Box::leak(Box::new(font)));
            found.keys.push((path, index));
            for c in has.iter().filter(|c| todo.contains(c)) {
                found.by_char.insert(*c, Some(n));
            }
            todo.retain(|c| !has.contains(c));
        }
        for c in todo {
            found.by_char.insert(c, None);
        }
    }
}

fn font_error(path: &Path, why: &str) -> Error {
    Error::refused(
        crate::error::ErrorCode::FontUnavailable,
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
            fallback: Fallback::new(font_dirs(|k| std::env::var_os(k), dirs::home_dir())),
            dir: dir.to_path_buf(),
        })
    }

    /// The bundled fonts, loaded on first use and kept for the life of the process. They are
    /// looked for in `CCEAA_FONTS_DIR`, then in `fonts/` beside the program (and in the
    /// installed app's resource folder), then in the source tree (for development and tests).
    pub fn bundled() -> Result<&'static Fonts> {
        Fonts::bundled_in(&bundled_dir())
    }

    /// The bundled fonts from the folder `dir` (the desktop app passes its resource folder),
    /// loaded once a folder and kept for the life of the process.
    pub fn bundled_in(dir: &Path) -> Result<&'static Fonts> {
        static LOADED: Mutex<Vec<(PathBuf, &'static Fonts)>> = Mutex::new(Vec::new());
        let mut loaded = LOADED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, fonts)) = loaded.iter().find(|(d, _)| d == dir) {
            return Ok(fonts);
        }
        let fonts = Fonts::load(dir).map_err(|e| {
            let m = e.report().message;
            Error::refused(crate::error::ErrorCode::FontUnavailable, m.zh, m.en)
        })?;
        let fonts: &'static Fonts = Box::leak(Box::new(fonts));
        loaded.push((dir.to_path_buf(), fonts));
        Ok(fonts)
    }

    pub fn font(&self, face: Face) -> &Font {
        match (face, &self.installed) {
            (Face::Installed, Some(f)) => f,
            (Face::Fallback(n), _) => match self.fallback.font(n) {
                Some(f) => f,
                None => &self.faces[face.index()],
            },
            _ => &self.faces[face.index()],
        }
    }

    /// These fonts, looking for rare characters in the fonts of `dirs` instead of the PC's
    /// font folders (for tests, and for an office that keeps its fonts elsewhere).
    pub fn with_fallback_dirs(&self, dirs: Vec<PathBuf>) -> Fonts {
        Fonts {
            fallback: Fallback::new(dirs),
            ..self.clone()
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
    /// serif text it covers, else the face itself, else a font on the PC found to have it by
    /// [`Fonts::missing`] (which every document runs before it is laid out).
    pub fn face_for(&self, face: Face, c: char) -> Face {
        match (&self.installed, face) {
            (Some(f), Face::Serif) if f.has(c) => Face::Installed,
            _ if self.font(face).has(c) => face,
            _ => self.fallback.face_of(c).map_or(face, Face::Fallback),
        }
    }

    /// The advance of `text` in em units of `face` (multiply by the size for points); each
    /// character measured in the face that draws it.
    pub fn advance(&self, face: Face, text: &str) -> f32 {
        text.chars()
            .map(|c| self.font(self.face_for(face, c)).advance(c))
            .sum()
    }

    /// The characters of `text` that no font can draw in `face`, with their positions
    /// (1-based, counted in characters). Line breaks and tabs are not drawn and not checked.
    /// A character the bundled faces lack is first looked for in the fonts installed on the
    /// PC; only one that none of them has is missing.
    pub fn missing(&self, face: Face, text: &str) -> Vec<(usize, char)> {
        self.look_for_rare([(face, text)]);
        text.chars()
            .enumerate()
            .filter(|&(_, c)| self.lacks(face, c))
            .map(|(i, c)| (i + 1, c))
            .collect()
    }

    /// Looks for every character of `texts` that no face here draws in the fonts installed on
    /// the PC, in one pass over the font folders: a document or a batch calls this with all
    /// its texts before checking them one by one.
    pub fn look_for_rare<'a>(&self, texts: impl IntoIterator<Item = (Face, &'a str)>) {
        let rare: Vec<char> = texts
            .into_iter()
            .flat_map(|(face, text)| {
                text.chars()
                    .filter(move |&c| self.lacks(face, c) && worth_looking_for(c))
            })
            .collect();
        if !rare.is_empty() {
            self.fallback.look_for(&rare);
        }
    }

    /// Whether no font draws `c` in `face` (line breaks and tabs are not drawn).
    fn lacks(&self, face: Face, c: char) -> bool {
        !matches!(c, '\n' | '\r' | '\t') && !self.font(self.face_for(face, c)).has(c)
    }
}

/// Whether a character no bundled face draws may be in a font on the PC: not a control,
/// private-use or unassigned code point (those are typing mistakes, and looking for them would
/// read every font folder for nothing).
fn worth_looking_for(c: char) -> bool {
    let u = u32::from(c);
    !c.is_control()
        && !matches!(u, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFFF0..=0xFFFF)
        && (u & 0xFFFE) != 0xFFFE
}

/// The environment variable that names the bundled fonts' folder (office IT's override).
pub const FONTS_DIR_ENV: &str = "CCEAA_FONTS_DIR";

/// Where the bundled fonts are: see [`Fonts::bundled`].
pub fn bundled_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(FONTS_DIR_ENV) {
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
            // The Linux package: the app and `cceaa` in /usr/bin, the fonts in /usr/lib.
            exe_dir.join(format!("../lib/{}/fonts", crate::paths::PRODUCT_NAME)),
            exe_dir.join("../Resources/fonts"),
        ] {
            if has_fonts(&d) {
                return without_parent_steps(&d);
            }
        }
    }
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts"))
}

/// `/usr/bin/../lib/x` as `/usr/lib/x`, as Settings and `cceaa info` show it to office IT.
/// Lexical: the program's own folder, which the path starts from, has no links in it
/// (`current_exe` resolves them).
fn without_parent_steps(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
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
    let single = single_face(&bytes, choice.index as usize).unwrap_or(bytes);
    let font = Font::from_bytes(single, path)?;
    if let Ok(mut m) = LOADED.lock() {
        m.get_or_insert_with(HashMap::new).insert(key, font.clone());
    }
    Ok(font)
}

/// The environment variable that names the font folders searched instead of the system's.
pub const FONT_DIRS_ENV: &str = "CCEAA_FONT_DIRS";

/// The folders fonts are installed in, from the environment `var` and the user's home:
/// on Windows the system's `%WINDIR%\Fonts` and the per-user
/// `%LOCALAPPDATA%\Microsoft\Windows\Fonts` (where fonts installed without administrator
/// rights go); on Linux the folders fontconfig reads (UOS and Kylin keep theirs there too);
/// on macOS the system's and the user's. `CCEAA_FONT_DIRS` (a list, separated as PATH is)
/// replaces them all, for an office that keeps its fonts elsewhere, and for tests.
pub fn font_dirs(
    var: impl Fn(&str) -> Option<std::ffi::OsString>,
    home: Option<PathBuf>,
) -> Vec<PathBuf> {
    if let Some(list) = var(FONT_DIRS_ENV) {
        return std::env::split_paths(&list)
            .filter(|d| !d.as_os_str().is_empty())
            .collect();
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(w) = var("WINDIR").filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(w).join("Fonts"));
    }
    if let Some(l) = var("LOCALAPPDATA").filter(|v| !v.is_empty()) {
        dirs.push(
            PathBuf::from(l)
                .join("Microsoft")
                .join("Windows")
                .join("Fonts"),
        );
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
    if let Some(d) = var("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(d).join("fonts"));
    }
    if let Some(h) = home {
        dirs.push(h.join(".local/share/fonts"));
        dirs.push(h.join(".fonts"));
        dirs.push(h.join("Library/Fonts"));
    }
    dirs.dedup();
    dirs
}

/// Whether `path` is a font file inside one of this PC's font folders (see [`font_dirs`]):
/// the only files the document font may be read from. A path from elsewhere (a restored
/// backup's setting, a hand-edited one) is never opened as a font.
pub fn is_installed_font_path(path: &Path) -> bool {
    let Ok(file) = path.canonicalize() else {
        return false;
    };
    let font_ext = file.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    });
    font_ext
        && file.is_file()
        && font_dirs(|k| std::env::var_os(k), dirs::home_dir())
            .iter()
            .filter_map(|d| d.canonicalize().ok())
            .any(|d| file.starts_with(d))
}

/// The fonts installed on this PC that can set Chinese text (they have 中 and 的), from the
/// system's and the user's font folders, by name.
pub fn installed_cjk_fonts() -> Vec<InstalledFont> {
    let mut found = Vec::new();
    for d in font_dirs(|k| std::env::var_os(k), dirs::home_dir()) {
        scan(&d, &mut found);
    }
    found.sort_by(|a: &InstalledFont, b| a.name.cmp(&b.name).then(a.path.cmp(&b.path)));
    found.dedup_by(|a, b| a.name == b.name);
    found
}

fn scan(dir: &Path, found: &mut Vec<InstalledFont>) {
    for path in font_files(&[dir.to_path_buf()]) {
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

/// The font files (`.ttf`, `.otf`, `.ttc`, `.otc`) in `dirs` and their subfolders (four deep),
/// in a stable order: serif faces first (宋体, 明朝, Serif, Song, Ming by their file names), as
/// a rare character in a document set in a serif face should look like its neighbours.
fn font_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                if depth < 4 {
                    walk(&path, depth + 1, out);
                }
                continue;
            }
            let ext = path
                .extension()
                .and_then(|x| x.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            if matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for d in dirs {
        let start = files.len();
        walk(d, 0, &mut files);
        files[start..].sort();
    }
    let serif = |p: &PathBuf| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        ["sun", "song", "serif", "ming", "宋", "明"]
            .iter()
            .any(|k| name.contains(k))
    };
    files.sort_by_key(|p| !serif(p));
    files
}

/// The faces of the font file at `path` that can set Chinese (they have 中 and 的), with
/// their names. Only each face's table directory, character map and name table are read: an
/// office PC's font folder holds a gigabyte or more (a CJK collection alone is 20-30 MB), and
/// Settings should list it in moments, not read all of it.
pub fn cjk_faces(path: &Path) -> std::io::Result<Vec<(u32, String)>> {
    let mut faces = Vec::new();
    for face in read_faces(path)? {
        let Some(cmap) = parse_cmap(&face.cmap) else {
            continue;
        };
        if glyph_in(&cmap, '中').is_none() || glyph_in(&cmap, '的').is_none() {
            continue;
        }
        let Some(names) = ttf_parser::name::Table::parse(&face.names) else {
            continue;
        };
        // The full name tells a family's regular and bold faces apart.
        if let Some(name) =
            name(names.names, ttf_parser::name_id::FULL_NAME).or_else(|| family_name(names.names))
        {
            faces.push((face.index, name));
        }
    }
    Ok(faces)
}

/// One face of a font file, as far as listing and the rare-character search read it.
struct FaceTables {
    /// The face within a collection; 0 for a single font.
    index: u32,
    cmap: Vec<u8>,
    names: Vec<u8>,
    /// It has glyph outlines (`glyf`, `CFF ` or `CFF2`), not only bitmaps.
    outlines: bool,
}

/// The character map and name table of each face of the font file at `path`, read through
/// the table directory alone; faces whose tables cannot be read are left out.
fn read_faces(path: &Path) -> std::io::Result<Vec<FaceTables>> {
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
        let Ok(directory) = read_at(start.saturating_add(12), 16 * tables) else {
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
        // Outline tables may be larger than a character map is allowed to be: only present.
        let outlines = directory
            .chunks_exact(16)
            .any(|r| matches!(&r[..4], b"glyf" | b"CFF " | b"CFF2"));
        faces.push(FaceTables {
            index,
            cmap,
            names,
            outlines,
        });
    }
    Ok(faces)
}

/// Only a font in this PC's font folders may be chosen for documents.
pub fn not_installed(path: &str) -> Error {
    Error::refused(
        crate::error::ErrorCode::FontNotInstalled,
        format!("只能选择本机已安装的字体；{path} 不在系统或用户的字体文件夹中。"),
        format!("Only a font installed on this PC can be chosen; {path} is not in the system's or the user's font folders."),
    )
}

/// Whether a font can set the documents' Chinese text (it draws 中 at least).
pub fn sets_chinese(font: &Font) -> bool {
    font.has('中')
}

/// A font without Chinese glyphs cannot set documents.
pub fn not_cjk(name: &str) -> Error {
    Error::refused(
        crate::error::ErrorCode::FontNotCjk,
        format!("字体“{name}”没有中文字形，不能用于文书。"),
        format!("The font '{name}' has no Chinese glyphs and cannot set documents."),
    )
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
    fn one_face_is_cut_from_a_collection_and_draws_as_before() {
        // A collection of two faces, the second the bundled sans, made here as an office's
        // `.ttc` would hold them.
        let serif = bundled_bytes(Face::Serif);
        let sans = bundled_bytes(Face::Sans);
        let mut ttc = b"ttcf\0\x01\0\0\0\0\0\x02".to_vec();
        let first = 20;
        let mut faces = Vec::new();
        for face in [&serif, &sans] {
            let start = first + faces.len();
            let mut copy = face.clone();
            let tables = usize::from(be16(face, 4).unwrap());
            for i in 0..tables {
                let at = 12 + 16 * i + 8;
                let moved = be32(face, at).unwrap() as usize + start;
                copy[at..at + 4].copy_from_slice(&(moved as u32).to_be_bytes());
            }
            ttc.extend_from_slice(&(start as u32).to_be_bytes());
            faces.extend_from_slice(&copy);
        }
        ttc.extend_from_slice(&faces);
        let cut = single_face(&ttc, 1).expect("the second face");
        let original = ttf_parser::Face::parse(&sans, 0).unwrap();
        let face = ttf_parser::Face::parse(&cut, 0).expect("a font of its own");
        assert_eq!(face.number_of_glyphs(), original.number_of_glyphs());
        assert_eq!(face.glyph_index('盟'), original.glyph_index('盟'));
        assert!(
            cut.len() < sans.len() + 64,
            "{} bytes for a {}-byte face",
            cut.len(),
            sans.len()
        );
        assert_eq!(single_face(&ttc, 2), None, "there is no third face");
        assert_eq!(
            single_face(&sans, 0),
            None,
            "a single font is no collection"
        );
        assert_eq!(
            single_face(&ttc[..ttc.len() / 2], 1),
            None,
            "a cut-off collection"
        );
        // A forged directory whose tables each cover the whole file is refused rather than
        // copied once a table (65,535 tables of a 64 KB file would be 4 GB).
        let mut forged = b"ttcf\0\x01\0\0\0\0\0\x01\0\0\0\x10".to_vec();
        forged.extend_from_slice(&[0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0]);
        for tag in [b"cmap", b"glyf"] {
            forged.extend_from_slice(tag);
            forged.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60]);
        }
        assert_eq!(forged.len(), 60);
        assert_eq!(single_face(&forged, 0), None, "overlapping tables");
        forged[59] = 28;
        forged[43] = 28;
        assert!(
            single_face(&forged, 0).is_some(),
            "two halves of the file are a face"
        );
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
        scan(dir.path(), &mut found);
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

    // Paths and the fonts standing in for a PC's are Debian's (the test command installs them).
    #[cfg(unix)]
    #[test]
    fn the_installed_fonts_folder_is_named_without_parent_steps() {
        assert_eq!(
            without_parent_steps(Path::new("/usr/bin/../lib/CCEAA Registry/fonts")),
            Path::new("/usr/lib/CCEAA Registry/fonts")
        );
        assert_eq!(
            without_parent_steps(Path::new("/opt/app/./fonts")),
            Path::new("/opt/app/fonts")
        );
        assert_eq!(
            without_parent_steps(Path::new("../fonts")),
            Path::new("../fonts")
        );
    }

    // Paths and the fonts standing in for a PC's are Debian's (the test command installs them).
    #[cfg(unix)]
    #[test]
    fn windows_font_folders_come_from_its_environment() {
        let env = |k: &str| match k {
            "WINDIR" => Some(r"C:\Windows".into()),
            "LOCALAPPDATA" => Some(r"C:\Users\张三\AppData\Local".into()),
            _ => None,
        };
        let dirs = font_dirs(env, Some(PathBuf::from(r"C:\Users\张三")));
        assert_eq!(dirs[0], PathBuf::from(r"C:\Windows").join("Fonts"));
        assert_eq!(
            dirs[1],
            PathBuf::from(r"C:\Users\张三\AppData\Local")
                .join("Microsoft")
                .join("Windows")
                .join("Fonts"),
            "fonts installed for one user, without administrator rights"
        );
        // An empty variable is not a folder (it would mean the current one).
        let empty = font_dirs(|_| Some("".into()), None);
        assert!(empty.iter().all(|d| d.is_absolute()), "{empty:?}");
        let only = font_dirs(
            |k| (k == FONT_DIRS_ENV).then(|| "/srv/字体:/opt/fonts".into()),
            None,
        );
        assert_eq!(
            only,
            [PathBuf::from("/srv/字体"), PathBuf::from("/opt/fonts")]
        );
        assert!(font_dirs(|k| (k == FONT_DIRS_ENV).then(|| "".into()), None).is_empty());
        let linux = font_dirs(|_| None, Some(PathBuf::from("/home/张三")));
        assert!(linux.contains(&PathBuf::from("/usr/share/fonts")));
        assert!(linux.contains(&PathBuf::from("/home/张三/.local/share/fonts")));
    }

    // Paths and the fonts standing in for a PC's are Debian's (the test command installs them).
    #[cfg(unix)]
    #[test]
    fn a_windows_pcs_fonts_are_found_in_the_system_and_the_per_user_folder() {
        // A Windows PC laid out in a folder: 宋体 as a collection and 黑体 in C:\Windows\Fonts,
        // 仿宋 installed for one user without administrator rights. Debian's Noto CJK stand in
        // for them under their Windows file names; faces are read by content, not by name.
        let noto = Path::new("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc");
        assert!(
            noto.is_file(),
            "install fonts-noto-cjk (bash .ci/setup-debian)"
        );
        let root = tempfile::tempdir().unwrap();
        let windir = root.path().join("Windows");
        let local = root
            .path()
            .join("Users")
            .join("张三")
            .join("AppData")
            .join("Local");
        let env = |k: &str| match k {
            "WINDIR" => Some(windir.clone().into_os_string()),
            "LOCALAPPDATA" => Some(local.clone().into_os_string()),
            _ => None,
        };
        let dirs = font_dirs(env, None);
        let (system, user) = (&dirs[0], &dirs[1]);
        std::fs::create_dir_all(system).unwrap();
        std::fs::create_dir_all(user).unwrap();
        std::fs::copy(noto, system.join("simsun.ttc")).unwrap();
        std::fs::write(system.join("simhei.ttf"), bundled_bytes(Face::Sans)).unwrap();
        std::fs::write(user.join("simfang.ttf"), bundled_bytes(Face::Serif)).unwrap();
        std::fs::write(system.join("desktop.ini"), b"[.ShellClassInfo]").unwrap();

        let mut found = Vec::new();
        for d in &dirs[..2] {
            scan(d, &mut found);
        }
        let from = |file: &str| found.iter().filter(|f| f.path.ends_with(file)).count();
        assert!(
            from("simsun.ttc") >= 2,
            "each face of the collection: {found:?}"
        );
        assert_eq!(from("simhei.ttf"), 1, "{found:?}");
        assert_eq!(from("simfang.ttf"), 1, "the per-user folder too: {found:?}");
        assert!(found.iter().all(|f| !f.path.ends_with("desktop.ini")));

        // A face of the collection is cut out and draws Chinese as the body font.
        let sc = found
            .iter()
            .find(|f| f.path.ends_with("simsun.ttc") && f.name.contains("SC"))
            .unwrap_or_else(|| panic!("the SC face: {found:?}"));
        let font = load_installed(sc).unwrap();
        assert!(font.has('中') && font.has('的'));
        assert!(font.bytes.len() < std::fs::metadata(noto).unwrap().len() as usize);
    }

    #[cfg(unix)]
    /// Debian's HanaMin B, which has CJK Extension B whole (𪚥 U+2A6A5, 𡒄 U+21484): the
    /// bundled faces do not. `bash .ci/setup-debian --test` installs it (fonts-hanazono).
    pub(crate) fn extension_b_font() -> PathBuf {
        let path = PathBuf::from("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf");
        assert!(
            path.is_file(),
            "{} is missing: install fonts-hanazono (bash .ci/setup-debian --test)",
            path.display()
        );
        path
    }

    // Paths and the fonts standing in for a PC's are Debian's (the test command installs them).
    #[cfg(unix)]
    #[test]
    fn a_rare_character_is_drawn_from_a_font_installed_on_the_pc() {
        let bundled = Fonts::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).unwrap();
        for c in ['𪚥', '𡒄'] {
            assert!(
                !bundled.font(Face::Serif).has(c),
                "{c} is not in the bundled fonts"
            );
        }
        // A PC whose font folder holds 宋体-ExtB under its Windows name, as HanaMin B here.
        let dir = tempfile::tempdir().unwrap();
        let windows = dir.path().join("Windows").join("Fonts");
        std::fs::create_dir_all(&windows).unwrap();
        std::fs::copy(extension_b_font(), windows.join("simsunb.ttf")).unwrap();
        let fonts = bundled.with_fallback_dirs(vec![windows.clone()]);

        assert_eq!(fonts.missing(Face::SerifBold, "𪚥龍贸易𡒄有限公司"), []);
        let face = fonts.face_for(Face::SerifBold, '𪚥');
        assert!(matches!(face, Face::Fallback(_)), "{face:?}");
        assert_eq!(
            fonts.face_for(Face::SerifBold, '𡒄'),
            face,
            "one font for both"
        );
        assert_eq!(fonts.face_for(Face::SerifBold, '龍'), Face::SerifBold);
        assert!(fonts.font(face).has('𪚥'));
        assert!(fonts.advance(Face::SerifBold, "𪚥") > 0.5);

        // HanaMin A has 𪚥 too, and comes first by name, but not 𡒄: the font that has both is
        // taken, so that the document embeds one font, not two.
        let both = dir.path().join("both");
        std::fs::create_dir_all(&both).unwrap();
        let hana_a = extension_b_font().with_file_name("HanaMinA.ttf");
        std::fs::copy(&hana_a, both.join("HanaMinA.ttf")).unwrap();
        std::fs::copy(extension_b_font(), both.join("HanaMinB.ttf")).unwrap();
        let fonts = bundled.with_fallback_dirs(vec![both]);
        assert_eq!(fonts.missing(Face::Serif, "𪚥𡒄"), []);
        assert_eq!(
            fonts.face_for(Face::Serif, '𪚥'),
            fonts.face_for(Face::Serif, '𡒄')
        );

        // Asked again, in another document, nothing new is loaded: the font found is reused.
        let loaded = |f: &Fonts| f.fallback.found.lock().unwrap().fonts.len();
        let before = loaded(&fonts);
        assert_eq!(fonts.missing(Face::Sans, "𡒄"), []);
        assert_eq!(loaded(&fonts), before);

        // A face with no outlines (a colour emoji font's bitmaps, say) is never taken: here
        // HanaMin B with its outline table renamed.
        let bitmaps = dir.path().join("bitmaps");
        std::fs::create_dir_all(&bitmaps).unwrap();
        let mut bytes = std::fs::read(extension_b_font()).unwrap();
        let tables = usize::from(u16::from_be_bytes([bytes[4], bytes[5]]));
        let glyf = (0..tables)
            .map(|i| 12 + 16 * i)
            .find(|&r| &bytes[r..r + 4] == b"glyf")
            .unwrap();
        bytes[glyf..glyf + 4].copy_from_slice(b"xxxx");
        std::fs::write(bitmaps.join("colour.ttf"), bytes).unwrap();
        let no_outlines = bundled.with_fallback_dirs(vec![bitmaps]);
        assert_eq!(no_outlines.missing(Face::Serif, "𪚥"), [(1, '𪚥')]);

        // Where no font on the PC has it, the character is named with its place.
        let bare = bundled.with_fallback_dirs(vec![dir.path().join("empty")]);
        assert_eq!(bare.missing(Face::Serif, "龍𪚥"), [(2, '𪚥')]);
        // A private-use character is a typing mistake: it is not looked for at all.
        assert_eq!(fonts.missing(Face::Serif, "\u{E000}"), [(1, '\u{E000}')]);
        assert!(!fonts
            .fallback
            .found
            .lock()
            .unwrap()
            .by_char
            .contains_key(&'\u{E000}'));
    }
}
