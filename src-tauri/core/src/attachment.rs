//! Files kept with an application or a member: the licence scan and introduction that come with
//! an application (Art. 10(1)), a written withdrawal notice, the secretariat's report behind an
//! expulsion (Art. 13).
//!
//! The bytes are copied into the data folder, so the registry stays whole when the original is
//! moved or deleted. The type is read from the content, not trusted from the name: a file named
//! `.pdf` that is not a PDF is refused, and so is a program.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Field, Problem};
use crate::member::labelled_enum;

/// The largest file kept: a multi-page colour scan fits, a video does not.
pub const MAX_SIZE: u64 = 25 * 1024 * 1024;

labelled_enum!(
    /// What a file is for.
    Purpose {
        Licence => "licence", "单位证照", "Business licence";
        Introduction => "introduction", "单位简介", "Introduction";
        WithdrawalNotice => "withdrawal_notice", "书面退出通知", "Written withdrawal notice";
        ExpulsionReport => "expulsion_report", "除名核实报告", "Report on the expulsion";
        Other => "other", "其他材料", "Other";
    }
);

/// A kept file, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Attachment {
    #[ts(type = "number")]
    pub id: i64,
    pub purpose: Purpose,
    pub file_name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size: u64,
    pub added_at: String,
}

/// The media type the content shows, from its first bytes.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    Some(if starts(b"%PDF-") {
        "application/pdf"
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if starts(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "image/gif"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "image/tiff"
    } else if bytes.len() > 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if starts(b"PK\x03\x04") {
        "application/zip"
    } else if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        "application/x-ole-storage"
    } else {
        return None;
    })
}

/// Content that must never be stored: programs and scripts.
fn is_executable(bytes: &[u8]) -> bool {
    bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7fELF") || bytes.starts_with(b"#!")
}

/// The media type a name's extension claims, for the extensions whose content can be checked.
fn claimed(ext: &str) -> Option<&'static [&'static str]> {
    Some(match ext {
        "pdf" => &["application/pdf"],
        "png" => &["image/png"],
        "jpg" | "jpeg" => &["image/jpeg"],
        "gif" => &["image/gif"],
        "tif" | "tiff" => &["image/tiff"],
        "webp" => &["image/webp"],
        // Office Open XML and OFD are zip packages.
        "docx" | "xlsx" | "pptx" | "ofd" | "zip" => &["application/zip"],
        "doc" | "xls" | "ppt" => &["application/x-ole-storage"],
        _ => return None,
    })
}

fn media_type_of(ext: &str, sniffed: Option<&'static str>) -> String {
    let office = match ext {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "doc" => "application/msword",
        "xls" => "application/vnd.ms-excel",
        "ofd" => "application/ofd",
        "txt" => "text/plain",
        _ => "",
    };
    if !office.is_empty() {
        office.to_string()
    } else {
        sniffed.unwrap_or("application/octet-stream").to_string()
    }
}

/// Refuses a file over [`MAX_SIZE`]; called with the size on disk before a chosen file is
/// read, so a 4 GB video picked by mistake is never loaded into memory.
pub fn check_size(file_name: &str, size: u64) -> Result<(), Problem> {
    if size > MAX_SIZE {
        let mb = size as f64 / 1_048_576.0;
        return Err(Problem::new(
            Field::File,
            "file_too_large",
            format!("“{file_name}”有 {mb:.1} MB，超过 25 MB 上限；请降低扫描分辨率或拆分后再添加。"),
            format!("'{file_name}' is {mb:.1} MB, over the 25 MB limit; scan at a lower resolution or split it."),
        ));
    }
    Ok(())
}

/// Checks a file before it is kept and gives its media type: not empty, not too large, not a
/// program, and its content what its name says.
pub fn check_file(file_name: &str, bytes: &[u8]) -> Result<String, Problem> {
    let bad = |code: &str, zh: String, en: String| Err(Problem::new(Field::File, code, zh, en));
    if file_name.trim().is_empty() {
        return bad(
            "file_name_missing",
            "文件没有名称。".into(),
            "The file has no name.".into(),
        );
    }
    if bytes.is_empty() {
        return bad(
            "file_empty",
            format!("“{file_name}”是空文件，请选择扫描件或文档本身。"),
            format!("'{file_name}' is empty; choose the scan or document itself."),
        );
    }
    check_size(file_name, bytes.len() as u64)?;
    if is_executable(bytes) {
        return bad(
            "file_program",
            format!("“{file_name}”是程序或脚本，不能作为附件保存。"),
            format!("'{file_name}' is a program or script and cannot be kept as an attachment."),
        );
    }
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let sniffed = sniff(bytes);
    if let Some(allowed) = claimed(&ext) {
        if !sniffed.is_some_and(|t| allowed.contains(&t)) {
            return bad(
                "file_type_mismatch",
                format!("“{file_name}”的内容不是 .{ext} 文件，可能已损坏或扩展名有误，请重新扫描或导出。"),
                format!("The content of '{file_name}' is not a .{ext} file; it may be damaged or misnamed. Scan or export it again."),
            );
        }
    }
    Ok(media_type_of(&ext, sniffed))
}

/// The name a file is stored under: the attachment id and a cleaned copy of the original name,
/// so the folder stays readable for office IT and no name can climb out of it.
pub fn stored_name(id: i64, file_name: &str) -> String {
    let clean: String = file_name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_start_matches('.');
    let clean: String = clean
        .chars()
        .rev()
        .take(80)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{id:06}-{clean}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn art10_a_licence_scan_is_kept_with_its_type() {
        assert_eq!(
            check_file("营业执照.pdf", b"%PDF-1.7 ...").unwrap(),
            "application/pdf"
        );
        assert_eq!(
            check_file("执照.JPG", b"\xff\xd8\xff\xe0JFIF").unwrap(),
            "image/jpeg"
        );
        assert_eq!(
            check_file("简介.txt", "本公司成立于".as_bytes()).unwrap(),
            "text/plain"
        );
    }

    #[test]
    fn a_file_whose_content_is_not_its_name_is_refused() {
        let p = check_file("执照.pdf", b"\x89PNG\r\n\x1a\n....").unwrap_err();
        assert_eq!(p.code, "file_type_mismatch");
        assert_eq!(
            check_file("a.docx", b"plain").unwrap_err().code,
            "file_type_mismatch"
        );
    }

    #[test]
    fn programs_and_empty_or_huge_files_are_refused() {
        assert_eq!(
            check_file("setup.pdf.exe", b"MZ\x90\0").unwrap_err().code,
            "file_program"
        );
        assert_eq!(
            check_file("a.sh", b"#!/bin/sh").unwrap_err().code,
            "file_program"
        );
        assert_eq!(check_file("a.pdf", b"").unwrap_err().code, "file_empty");
        let big = vec![b'%'; MAX_SIZE as usize + 1];
        assert_eq!(
            check_file("a.bin", &big).unwrap_err().code,
            "file_too_large"
        );
    }

    #[test]
    fn stored_names_stay_inside_the_folder() {
        assert_eq!(stored_name(7, "../../etc/passwd"), "000007-_.._etc_passwd");
        assert_eq!(stored_name(12, "营业执照 𠮷.pdf"), "000012-营业执照 𠮷.pdf");
        assert!(!stored_name(1, "..\\x").contains('\\'));
    }
}
