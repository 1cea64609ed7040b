//! Files kept with an application or a member: the licence scan and introduction that come with
//! an application (Art. 10(1)), a written withdrawal notice, the secretariat's report behind an
//! expulsion (Art. 13).
//!
//! The bytes are copied into the data folder, so the registry stays whole when the original is
//! moved or deleted. The type is read from the content, not trusted from the name: a file named
//! `.pdf` that is not a PDF is refused, and so is a program.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Problem};
use crate::field::Field;
use crate::labelled::labelled_enum;

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
    /// What kind of document it is ("PDF document"), as the open button says which program
    /// opens it.
    pub kind: crate::lang::Text,
}

/// The kinds of file a secretariat receives, by extension: what each is called, its media
/// type, and how its content is recognised. Anything else is refused, whatever it holds.
struct Kind {
    exts: &'static [&'static str],
    zh: &'static str,
    en: &'static str,
    media_type: &'static str,
    content: Content,
}

/// How a kind's content is recognised.
#[derive(Clone, Copy)]
enum Content {
    Magic(&'static [&'static [u8]]),
    /// A ZIP package holding this part (Office Open XML, OFD).
    Package(&'static str),
    /// A Microsoft compound file (Word 97-2003, Excel 97-2003, WPS), or for WPS's newer
    /// formats a ZIP package.
    Compound {
        or_zip: bool,
    },
    /// Text in UTF-8, UTF-16 or GB18030, with no NUL byte.
    Text,
}

const OLE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

const KINDS: &[Kind] = &[
    Kind {
        exts: &["pdf"],
        zh: "PDF 文档",
        en: "PDF document",
        media_type: "application/pdf",
        content: Content::Magic(&[b"%PDF-"]),
    },
    Kind {
        exts: &["ofd"],
        zh: "OFD 版式文档",
        en: "OFD document",
        media_type: "application/ofd",
        content: Content::Package("OFD.xml"),
    },
    Kind {
        exts: &["jpg", "jpeg"],
        zh: "JPEG 图片",
        en: "JPEG image",
        media_type: "image/jpeg",
        content: Content::Magic(&[b"\xff\xd8\xff"]),
    },
    Kind {
        exts: &["png"],
        zh: "PNG 图片",
        en: "PNG image",
        media_type: "image/png",
        content: Content::Magic(&[b"\x89PNG\r\n\x1a\n"]),
    },
    Kind {
        exts: &["tif", "tiff"],
        zh: "TIFF 图片",
        en: "TIFF image",
        media_type: "image/tiff",
        content: Content::Magic(&[b"II*\0", b"MM\0*"]),
    },
    Kind {
        exts: &["docx"],
        zh: "Word 文档",
        en: "Word document",
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        content: Content::Package("word/document.xml"),
    },
    Kind {
        exts: &["doc"],
        zh: "Word 文档",
        en: "Word document",
        media_type: "application/msword",
        content: Content::Compound { or_zip: false },
    },
    Kind {
        exts: &["xlsx"],
        zh: "Excel 表格",
        en: "Excel workbook",
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        content: Content::Package("xl/workbook.xml"),
    },
    Kind {
        exts: &["xls"],
        zh: "Excel 表格",
        en: "Excel workbook",
        media_type: "application/vnd.ms-excel",
        content: Content::Compound { or_zip: false },
    },
    Kind {
        exts: &["wps"],
        zh: "WPS 文字文档",
        en: "WPS Writer document",
        media_type: "application/vnd.ms-works",
        content: Content::Compound { or_zip: true },
    },
    Kind {
        exts: &["et"],
        zh: "WPS 表格",
        en: "WPS Spreadsheets workbook",
        media_type: "application/vnd.ms-excel",
        content: Content::Compound { or_zip: true },
    },
    Kind {
        exts: &["txt"],
        zh: "纯文本",
        en: "plain text",
        media_type: "text/plain",
        content: Content::Text,
    },
];

/// The allowed types, as a refusal lists them.
const ALLOWED_ZH: &str = "PDF、OFD、JPEG、PNG、TIFF、Word（.doc/.docx）、Excel（.xls/.xlsx）、WPS（.wps/.et）或纯文本（.txt）";
const ALLOWED_EN: &str = "PDF, OFD, JPEG, PNG, TIFF, Word (.doc, .docx), Excel (.xls, .xlsx), WPS (.wps, .et) or plain text (.txt)";

fn kind_of(ext: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.exts.contains(&ext))
}

/// What the file with this name is called (its kind), as the open button says it: "PDF
/// document" and so on; "file" for a name whose type an attachment may no longer have (one
/// kept by an earlier version).
pub fn kind_label(file_name: &str) -> crate::lang::Text {
    kind_of(&extension(file_name)).map_or_else(
        || crate::lang::Text::new("文件", "file"),
        |k| crate::lang::Text::new(k.zh, k.en),
    )
}

/// The extensions the file dialog offers for an attachment: exactly the allowed types.
pub fn allowed_extensions() -> Vec<&'static str> {
    KINDS.iter().flat_map(|k| k.exts.iter().copied()).collect()
}

/// Whether the file `name` with content `bytes` may be handed to the system to open: its
/// type is on the allow-list and its content is that type. An attachment kept by an earlier
/// version, or changed on disk since, is not opened.
pub fn may_open(name: &str, bytes: &[u8]) -> bool {
    !is_executable(bytes) && kind_of(&extension(name)).is_some_and(|k| content_is(k.content, bytes))
}

fn extension(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether `bytes` are a ZIP package holding the part `name` and no macros.
fn package_holds(bytes: &[u8], name: &str) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    let names: Vec<String> = (0..zip.len().min(10_000))
        .filter_map(|i| {
            zip.by_index_raw(i)
                .ok()
                .map(|f| String::from_utf8_lossy(f.name_raw()).into_owned())
        })
        .collect();
    names.iter().any(|n| n == name)
        && !names
            .iter()
            .any(|n| n.to_ascii_lowercase().contains("vbaproject"))
}

fn is_text(bytes: &[u8]) -> bool {
    if bytes.contains(&0) && !(bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff")) {
        return false;
    }
    std::str::from_utf8(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)).is_ok()
        || bytes.starts_with(b"\xff\xfe")
        || bytes.starts_with(b"\xfe\xff")
        || !encoding_rs::GB18030.decode_without_bom_handling(bytes).1
}

fn content_is(content: Content, bytes: &[u8]) -> bool {
    match content {
        Content::Magic(magics) => magics.iter().any(|m| bytes.starts_with(m)),
        Content::Package(part) => package_holds(bytes, part),
        Content::Compound { or_zip } => {
            bytes.starts_with(OLE) || (or_zip && bytes.starts_with(b"PK\x03\x04"))
        }
        Content::Text => is_text(bytes),
    }
}

/// Content that must never be stored, whatever its name: programs and scripts.
fn is_executable(bytes: &[u8]) -> bool {
    bytes.starts_with(b"MZ") || bytes.starts_with(b"\x7fELF") || bytes.starts_with(b"#!")
}

/// The name as kept and shown: without control characters or text-direction overrides, which
/// could make `invoice\u{202E}fdp.exe` read as `invoiceexe.pdf`.
pub fn clean_file_name(file_name: &str) -> String {
    file_name
        .chars()
        .filter(|&c| !c.is_control() && !crate::text::is_format_override(c))
        .collect::<String>()
        .trim()
        .to_string()
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
/// program, of a type the allow-list names, and its content that type. `file_name` is the
/// name as cleaned by [`clean_file_name`].
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
    let ext = extension(file_name);
    let Some(kind) = kind_of(&ext) else {
        return bad(
            "file_type_not_allowed",
            format!("“{file_name}”不是可作为附件保存的文件类型。附件只能是 {ALLOWED_ZH}。"),
            format!("'{file_name}' is not a type that can be kept as an attachment. Attachments are {ALLOWED_EN}."),
        );
    };
    if !content_is(kind.content, bytes) {
        return bad(
            "file_type_mismatch",
            format!("“{file_name}”的内容不是{}（.{ext}），可能已损坏、扩展名有误或含有宏，请重新扫描或导出。", kind.zh),
            format!("The content of '{file_name}' is not a {} (.{ext}); it may be damaged, misnamed or hold macros. Scan or export it again.", kind.en),
        );
    }
    Ok(kind.media_type.to_string())
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

/// No attachment has this id.
pub fn not_found(id: i64) -> Error {
    Error::not_found("附件", "attachment", id)
}

/// The file the clerk chose cannot be read.
pub fn unreadable(name: &str, e: &std::io::Error) -> Error {
    Error::refused(
        ErrorCode::FileUnreadable,
        format!("无法读取所选文件“{name}”：{e}"),
        format!("Could not read the chosen file '{name}': {e}"),
    )
}

/// The attachment's file is gone from the data folder.
pub fn missing(path: &std::path::Path) -> Error {
    Error::refused(
        ErrorCode::AttachmentMissing,
        format!("附件文件 {} 已不在数据文件夹中，可能被移动或删除；请从备份恢复或重新添加。", path.display()),
        format!("The attachment file {} is no longer in the data folder; it may have been moved or deleted. Restore it from a backup or add it again.", path.display()),
    )
}

/// The attachment is not handed to the system's viewer (see [`may_open`]).
pub fn not_opened(path: &std::path::Path) -> Error {
    Error::refused(
        ErrorCode::AttachmentNotOpened,
        format!("为安全起见，不直接打开此附件：它的类型不在附件允许的类型之列，或内容与类型不符。文件位于 {}，如确需查看，请先用杀毒软件检查。", path.display()),
        format!("For safety this attachment is not opened: its type is not one attachments may have, or its content does not match it. The file is at {}; check it with antivirus software before looking at it.", path.display()),
    )
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
        // A ZIP named .docx that is no Word document, or carries macros.
        let zip = |parts: &[&str]| {
            let mut out = std::io::Cursor::new(Vec::new());
            let mut z = zip::ZipWriter::new(&mut out);
            for p in parts {
                z.start_file(*p, zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut z, b"<x/>").unwrap();
            }
            z.finish().unwrap();
            out.into_inner()
        };
        assert!(check_file("简介.docx", &zip(&["word/document.xml"])).is_ok());
        assert!(check_file("发票.ofd", &zip(&["OFD.xml", "Doc_0/Document.xml"])).is_ok());
        for (name, parts) in [
            ("简介.docx", &["xl/workbook.xml"][..]),
            (
                "简介.docx",
                &["word/document.xml", "word/vbaProject.bin"][..],
            ),
            ("发票.ofd", &["word/document.xml"][..]),
        ] {
            assert_eq!(
                check_file(name, &zip(parts)).unwrap_err().code,
                "file_type_mismatch",
                "{name} {parts:?}"
            );
        }
    }

    #[test]
    fn only_the_types_a_secretariat_receives_are_kept() {
        for (name, bytes) in [
            ("page.html", &b"<html><script>alert(1)</script>"[..]),
            ("logo.svg", b"<svg onload=alert(1)>"),
            ("run.lnk", b"L\0\0\0"),
            ("macro.docm", b"PK\x03\x04"),
            ("a.hta", b"<hta:application>"),
            ("archive.zip", b"PK\x03\x04"),
            ("no extension", b"%PDF-1.4"),
        ] {
            let p = check_file(name, bytes).unwrap_err();
            assert_eq!(p.code, "file_type_not_allowed", "{name}");
            assert!(p.message.zh.contains("PDF、OFD"), "{:?}", p.message);
        }
        assert_eq!(
            check_file("表格.et", OLE).unwrap(),
            "application/vnd.ms-excel"
        );
        let gbk = encoding_rs::GB18030.encode("本公司成立于二〇一五年").0;
        assert_eq!(check_file("简介.txt", &gbk).unwrap(), "text/plain");
        assert_eq!(
            check_file("简介.txt", b"\x00\x01binary").unwrap_err().code,
            "file_type_mismatch"
        );
    }

    #[test]
    fn names_lose_direction_overrides_and_control_characters() {
        let name = clean_file_name("invoice\u{202E}fdp.exe");
        assert_eq!(name, "invoicefdp.exe");
        assert_eq!(
            check_file(&name, b"%PDF-1.4").unwrap_err().code,
            "file_type_not_allowed",
            "read as it is, the name ends in .exe"
        );
        assert_eq!(clean_file_name(" 执照\u{0}\u{7}.pdf\n"), "执照.pdf");
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
            check_file("a.pdf", &big).unwrap_err().code,
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
