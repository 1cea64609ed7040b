//! The office's seal and an authorised signature, as images the certificate carries when the
//! office has set them: PNG files with transparency, kept in the data folder. Without a seal
//! image the certificate leaves the space blank for a hand stamp; the registry never draws a
//! seal of its own.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Problem, Result};
use crate::field::Field;

/// Which image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DocumentImage {
    /// The office's seal (公章), printed over the issuer's name and date.
    Seal,
    /// An authorised signature (the rotating chair's or the secretary-general's).
    Signature,
}

impl DocumentImage {
    pub fn file_name(self) -> &'static str {
        match self {
            DocumentImage::Seal => "seal.png",
            DocumentImage::Signature => "signature.png",
        }
    }

    pub fn path_in(self, data_dir: &Path) -> PathBuf {
        data_dir.join(self.file_name())
    }
}

/// Pixels per millimetre a preview needs: an A4 page shown 1,000 pixels wide on a screen of
/// twice the usual density.
pub const SCREEN_PX_PER_MM: f32 = 10.0;

/// The image as a preview shows it at `w` × `h` millimetres: scaled down to
/// [`SCREEN_PX_PER_MM`] when it has more pixels than that (a seal scanned at 600 dpi is
/// ten times larger than the screen can show), otherwise as it is.
pub fn for_screen(png: &Png, w: f32, h: f32) -> Arc<Vec<u8>> {
    let (tw, th) = (
        (w * SCREEN_PX_PER_MM).ceil().max(1.0) as u32,
        (h * SCREEN_PX_PER_MM).ceil().max(1.0) as u32,
    );
    if png.width <= tw && png.height <= th {
        return png.bytes.clone();
    }
    let scaled = image::load_from_memory_with_format(&png.bytes, image::ImageFormat::Png)
        .ok()
        .and_then(|img| {
            let small = img.resize(tw, th, image::imageops::FilterType::Triangle);
            let mut out = std::io::Cursor::new(Vec::new());
            small.write_to(&mut out, image::ImageFormat::Png).ok()?;
            Some(out.into_inner())
        });
    scaled.map_or_else(|| png.bytes.clone(), Arc::new)
}

/// The largest image kept: a scan at print resolution is far smaller.
pub const MAX_IMAGE: usize = 5 * 1024 * 1024;

/// A checked PNG: its bytes (shared, so many pages can carry one image) and pixel size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Png {
    pub bytes: Arc<Vec<u8>>,
    pub width: u32,
    pub height: u32,
}

impl Png {
    /// Checks that `bytes` are a PNG of a sensible size and reads its dimensions from the
    /// header; the problem says what to fix.
    pub fn check(bytes: Vec<u8>) -> std::result::Result<Png, Problem> {
        let bad = |code: &str, zh: &str, en: &str| Err(Problem::new(Field::File, code, zh, en));
        if bytes.len() > MAX_IMAGE {
            return bad(
                "image_too_large",
                "图片超过 5 MB，请缩小后再选择（印章图片 1000 像素见方即可）。",
                "The image is over 5 MB; choose a smaller one (1000 pixels square is plenty for a seal).",
            );
        }
        const MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
        if bytes.len() < 24 || &bytes[..8] != MAGIC || &bytes[12..16] != b"IHDR" {
            return bad(
                "image_not_png",
                "请选择 PNG 图片（印章需透明背景，可用扫描件去底后另存为 PNG）。",
                "Choose a PNG image (a seal needs a transparent background: remove the paper from the scan and save as PNG).",
            );
        }
        let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
        if width < 50 || height < 50 || width > 6000 || height > 6000 {
            return bad(
                "image_size",
                "图片尺寸应在 50 至 6000 像素之间。",
                "The image should be between 50 and 6000 pixels on each side.",
            );
        }
        Ok(Png {
            bytes: Arc::new(bytes),
            width,
            height,
        })
    }
}

/// Reads the image of `kind` from the data folder, if the office has set one.
pub fn load(data_dir: &Path, kind: DocumentImage) -> Result<Option<Png>> {
    let path = kind.path_in(data_dir);
    match std::fs::read(&path) {
        Ok(bytes) => Png::check(bytes).map(Some).map_err(Error::invalid),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::refused(
            crate::error::ErrorCode::ImageUnreadable,
            format!("无法读取 {}：{e}", path.display()),
            format!("Could not read {}: {e}", path.display()),
        )),
    }
}

/// The image the clerk chose cannot be read.
pub fn unreadable(e: &std::io::Error) -> Error {
    Error::refused(
        crate::error::ErrorCode::ImageUnreadable,
        format!("无法读取所选图片：{e}"),
        format!("Could not read the chosen image: {e}"),
    )
}

/// The PDF writer cannot decode the image (`why`).
pub fn damaged(why: &str) -> Problem {
    Problem::new(
        Field::File,
        "image_damaged",
        format!("图片文件已损坏或无法读取（{why}），请重新导出为 PNG 后再选择。"),
        format!(
            "The image is damaged or cannot be read ({why}); export it as PNG again and choose it."
        ),
    )
}

/// The kept image at `path` cannot be removed.
pub fn not_removed(path: &Path, e: &std::io::Error) -> Error {
    Error::refused(
        crate::error::ErrorCode::ImageUnreadable,
        format!("无法删除 {}：{e}", path.display()),
        format!("Could not remove {}: {e}", path.display()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG header with the given size (the checks read no further).
    pub fn header(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 6, 0, 0, 0]);
        b
    }

    #[test]
    fn only_pngs_of_a_sensible_size_are_kept() {
        assert_eq!(Png::check(header(800, 800)).unwrap().width, 800);
        assert_eq!(
            Png::check(b"GIF89a....".to_vec()).unwrap_err().code,
            "image_not_png"
        );
        assert_eq!(Png::check(header(10, 800)).unwrap_err().code, "image_size");
        assert_eq!(
            Png::check(vec![0; MAX_IMAGE + 1]).unwrap_err().code,
            "image_too_large"
        );
    }
}
