//! The verification code printed on a certificate and carried by its QR code.
//!
//! The code is an HMAC-SHA256 over the certificate's number, its holder's record and its date
//! of issue, keyed with a secret that the registry creates in its data folder
//! (`certificate.key`) and never prints. Anyone with the registry can check a certificate
//! offline: a forged number or code does not verify, and a genuine one shows the holder as the
//! registry knows it, so a name changed on paper is seen at once. The holder's record, not its
//! name, goes into the code, so a member that renames keeps a certificate that verifies. Ten bytes of the MAC are shown, in
//! Crockford's base 32 (no I, L, O, U to misread), as four groups of four.

use std::path::Path;

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::{Error, Result};

/// What a QR code on a certificate starts with.
pub const PAYLOAD_PREFIX: &str = "CCEAA-CERT";

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The registry's secret for certificate codes.
pub struct Key([u8; 32]);

impl Key {
    pub const FILE: &'static str = "certificate.key";

    /// Reads the key from `dir`, creating it (from the operating system's randomness) the
    /// first time. The file is written whole and flushed to disk under a temporary name, then
    /// linked into place, so a crash never leaves half a key; on a drive without hard links
    /// (FAT and exFAT USB drives) it is created in place, only if no key exists. On Linux the
    /// key is readable by its owner only (0600).
    pub fn load_or_create(dir: &Path) -> Result<Key> {
        Key::load_or_create_with(dir, |from, to| std::fs::hard_link(from, to))
    }

    fn load_or_create_with(
        dir: &Path,
        link: impl Fn(&Path, &Path) -> std::io::Result<()> + Copy,
    ) -> Result<Key> {
        let path = dir.join(Self::FILE);
        let failed = |e: String| {
            Error::refused(
                crate::error::ErrorCode::CertificateKey,
                format!("无法读取或创建证书密钥 {}：{e}。请检查数据文件夹的权限；如密钥已损坏，请从备份恢复，切勿删除。", path.display()),
                format!("The certificate key {} could not be read or created: {e}. Check the data folder's permissions; if the key is damaged, restore it from a backup rather than deleting it.", path.display()),
            )
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                return Key::from_hex(text.trim())
                    .ok_or_else(|| failed("内容无效 / not a key".into()));
            }
            // Only a key that does not exist is made: any other failure must never replace the
            // key that every printed certificate depends on.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(failed(e.to_string())),
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| failed(e.to_string()))?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        // Written whole beside it and linked into place only if no key appeared meanwhile (the
        // app and the CLI may both print a first certificate): the first key made wins.
        let part = dir.join(format!("{}.{}.part", Self::FILE, std::process::id()));
        let _ = std::fs::remove_file(&part);
        let written = write_new_synced(&part, hex.as_bytes());
        let linked = written.and_then(|()| link(&part, &path));
        let _ = std::fs::remove_file(&part);
        match linked {
            Ok(()) => {
                sync_folder(dir);
                Ok(Key(bytes))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Key::load_or_create(dir),
            // No hard links on this drive: created in place, still only if there is none.
            Err(_) => match write_new_synced(&path, hex.as_bytes()) {
                Ok(()) => {
                    sync_folder(dir);
                    Ok(Key(bytes))
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Key::load_or_create(dir),
                Err(e) => {
                    // A key half written here would be read as damaged: none is better.
                    let _ = std::fs::remove_file(&path);
                    Err(failed(e.to_string()))
                }
            },
        }
    }

    /// Whether `bytes` are a key file's content (as a restore checks one from a backup).
    pub fn is_key_text(bytes: &[u8]) -> bool {
        std::str::from_utf8(bytes)
            .ok()
            .and_then(|t| Key::from_hex(t.trim()))
            .is_some()
    }

    fn from_hex(s: &str) -> Option<Key> {
        if s.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
        }
        Some(Key(out))
    }

    #[cfg(test)]
    pub fn fixed(byte: u8) -> Key {
        Key([byte; 32])
    }

    /// The code for a certificate: `XXXX-XXXX-XXXX-XXXX`.
    pub fn code(&self, number: &str, holder: i64, issued: NaiveDate) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        // Unit separators keep "A" + "BC" apart from "AB" + "C".
        mac.update(format!("{number}\u{1f}{holder}\u{1f}{issued}").as_bytes());
        let tag = mac.finalize().into_bytes();
        let mut bits: u128 = 0;
        for b in &tag[..10] {
            bits = (bits << 8) | u128::from(*b);
        }
        let mut chars = Vec::with_capacity(19);
        for i in 0..16u32 {
            if i > 0 && i.is_multiple_of(4) {
                chars.push(b'-');
            }
            let shift = 75 - 5 * i;
            chars.push(ALPHABET[((bits >> shift) & 31) as usize]);
        }
        String::from_utf8(chars).expect("ASCII")
    }
}

/// Creates the file `path`, which must not exist, with `bytes`, flushed to the disk before
/// it returns; readable by its owner only on Linux.
fn write_new_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Flushes a folder's entries (the new key's name) to the disk, where the system allows it.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// What the QR code carries: the prefix, the certificate number and its code.
pub fn payload(number: &str, code: &str) -> String {
    format!("{PAYLOAD_PREFIX}:{number}:{code}")
}

/// Reads what a clerk scanned or typed: a whole QR payload, or the number followed by the
/// code however it was typed (in groups, with spaces or dashes, in small letters, with a
/// Chinese input method's full-width colon or space). Codes are compared with O read as 0 and
/// I or L as 1; the number is looked up without regard to case.
pub fn parse(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let t = match t.get(..PAYLOAD_PREFIX.len()) {
        Some(p) if p.eq_ignore_ascii_case(PAYLOAD_PREFIX) => &t[PAYLOAD_PREFIX.len()..],
        _ => t,
    };
    // The code is the last 16 letters and digits; the number is what comes before, without
    // the separators between them. A number may itself hold spaces or colons (a scheme like
    // "跨境联盟证字第{seq}号"), so the text is read from the end.
    let mut seen = 0;
    let mut start = t.len();
    for (i, c) in t.char_indices().rev() {
        if seen == 16 {
            break;
        }
        if c.is_ascii_alphanumeric() {
            seen += 1;
            start = i;
        } else if !matches!(c, '-' | ' ' | '\u{3000}' | '\t') {
            return None;
        }
    }
    // The code must start after a separator (or a payload's colon), never inside the number.
    let before = t[..start].chars().next_back();
    if seen < 16 || !matches!(before, Some(' ' | '\u{3000}' | '\t' | ':' | '：' | '-')) {
        return None;
    }
    let code = normalise_code(&t[start..]);
    let separators = [' ', '\u{3000}', '\t', ':', '：', '-'];
    let number = t[..start]
        .trim_end_matches(separators)
        .trim_start_matches(separators)
        .trim();
    (!number.is_empty()).then(|| (number.to_string(), code))
}

/// A code as printed (`XXXX-XXXX-XXXX-XXXX`) from what was typed.
pub fn normalise_code(code: &str) -> String {
    let raw: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    raw.chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// What was typed or scanned holds no certificate number and code.
pub fn unreadable_input() -> Error {
    Error::refused(
    crate::error::ErrorCode::VerificationUnreadable,
    "请扫描证书上的二维码，或输入证书编号和 16 位验证码（例如 CCEAA-2026-0001 ABCD-EFGH-JKMN-PQRS）。",
    "Scan the certificate's QR code, or type its number and 16-character code (for example CCEAA-2026-0001 ABCD-EFGH-JKMN-PQRS).",
)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn the_code_depends_on_every_part_and_on_the_key() {
        let k = Key::fixed(7);
        let c = k.code("CCEAA-2026-0001", 12, day());
        assert_eq!(c.len(), 19);
        assert!(c
            .chars()
            .all(|ch| ch == '-' || ALPHABET.contains(&(ch as u8))));
        assert_eq!(c, k.code("CCEAA-2026-0001", 12, day()));
        assert_ne!(c, k.code("CCEAA-2026-0002", 12, day()));
        assert_ne!(c, k.code("CCEAA-2026-0001", 13, day()));
        assert_ne!(c, k.code("CCEAA-2026-0001", 12, day().succ_opt().unwrap()));
        assert_ne!(c, Key::fixed(8).code("CCEAA-2026-0001", 12, day()));
    }

    #[test]
    fn a_scanned_or_typed_code_is_read_back() {
        let k = Key::fixed(1);
        let code = k.code("CCEAA-2026-0001", 1, day());
        let want = Some(("CCEAA-2026-0001".to_string(), code.clone()));
        assert_eq!(parse(&payload("CCEAA-2026-0001", &code)), want);
        let grouped = code.to_lowercase().replace('-', " ");
        for typed in [
            format!("CCEAA-2026-0001 {}", code.to_lowercase().replace('-', "")),
            format!("CCEAA-2026-0001 {grouped}"),
            format!("CCEAA-2026-0001：{code}"),
            format!("CCEAA-2026-0001\u{3000}{code}"),
            format!("  cceaa-cert:CCEAA-2026-0001:{code} "),
        ] {
            assert_eq!(parse(&typed), want, "{typed:?}");
        }
        assert_eq!(
            parse(&format!("cceaa-2026-0001 {code}")),
            Some(("cceaa-2026-0001".to_string(), code.clone())),
            "the number as typed; the lookup ignores case"
        );
        assert_eq!(parse("CCEAA-2026-0001"), None);
        assert_eq!(parse("CCEAA-2026-0001 ABCD"), None);
        // A scheme's own spaces and colons stay in the number.
        assert_eq!(
            parse(&format!("跨境联盟证字 第31号：{code}")),
            Some(("跨境联盟证字 第31号".to_string(), code.clone()))
        );
        assert_eq!(
            parse(&payload("NO: 7", &code)),
            Some(("NO: 7".to_string(), code.clone()))
        );
        assert_eq!(normalise_code("abcd efgh-ijkl-mnop"), "ABCD-EFGH-1JK1-MN0P");
    }

    #[test]
    fn the_key_is_created_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = Key::load_or_create(dir.path()).unwrap();
        let b = Key::load_or_create(dir.path()).unwrap();
        assert_eq!(a.code("N", 1, day()), b.code("N", 1, day()));
        // A key that cannot be read is never replaced: printed codes depend on it.
        let other = tempfile::tempdir().unwrap();
        std::fs::create_dir(other.path().join(Key::FILE)).unwrap();
        assert!(Key::load_or_create(other.path()).is_err());
        assert!(other.path().join(Key::FILE).is_dir(), "left as it was");
        std::fs::write(dir.path().join(Key::FILE), "nonsense").unwrap();
        assert!(
            Key::load_or_create(dir.path()).is_err(),
            "a damaged key is refused, not replaced"
        );
    }

    #[test]
    fn on_a_drive_without_hard_links_the_key_is_created_in_place_once() {
        // A FAT or exFAT USB drive refuses hard links.
        let no_links =
            |_: &Path, _: &Path| Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
        let dir = tempfile::tempdir().unwrap();
        let a = Key::load_or_create_with(dir.path(), no_links).unwrap();
        let b = Key::load_or_create_with(dir.path(), no_links).unwrap();
        assert_eq!(
            a.code("N", 1, day()),
            b.code("N", 1, day()),
            "created once, then read"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "no .part file is left beside the key");
        assert_eq!(std::fs::read(dir.path().join(Key::FILE)).unwrap().len(), 64);
    }

    #[cfg(unix)]
    #[test]
    fn the_key_is_readable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        Key::load_or_create(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(Key::FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
}
