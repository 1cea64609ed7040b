//! The registry's one error type, and the bilingual report that reaches the user.
//!
//! Every message is written here once, in Chinese and English, so that the desktop UI and the
//! CLI say the same thing. The UI chooses a language by the report's `code`, never by matching
//! message text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::field::Field;
use crate::lang::Text;

/// One thing wrong with one field, with a message that says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Problem {
    pub field: Field,
    /// A stable identifier for the kind of problem (`uscc_check`, `email_invalid`, ...).
    pub code: String,
    pub message: Text,
}

impl Problem {
    pub fn new(field: Field, code: &str, zh: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem {
            field,
            code: code.to_string(),
            message: Text::new(zh, en),
        }
    }
}

macro_rules! error_codes {
    ($($variant:ident => $key:literal,)+) => {
        /// What kind of error a report is: the UI and scripts act on this, never on a
        /// message's text. Generated into TypeScript, so a code the UI tests for must exist.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export)]
        pub enum ErrorCode {
            $($variant,)+
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The stable key, as JSON and the UI spell it.
            pub fn key(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $key,)+
                }
            }
        }
    };
}

error_codes! {
    AlreadyAMember => "already_a_member",
    ApplicationClosed => "application_closed",
    ApplicationState => "application_state",
    AttachmentMissing => "attachment_missing",
    AttachmentNotOpened => "attachment_not_opened",
    Busy => "busy",
    CertificateExists => "certificate_exists",
    CertificateKey => "certificate_key",
    CertificateNotGenuine => "certificate_not_genuine",
    CertificateRevoked => "certificate_revoked",
    ChairedThisRound => "chaired_this_round",
    DataDir => "data_dir",
    DiskFull => "disk_full",
    ExportColumnUnknown => "export_column_unknown",
    ExportEncoding => "export_encoding",
    ExportPublicPersonal => "export_public_personal",
    File => "file",
    FileInUse => "file_in_use",
    FileUnreadable => "file_unreadable",
    FontNotCjk => "font_not_cjk",
    FontNotInstalled => "font_not_installed",
    FontUnavailable => "font_unavailable",
    FormTextTooLong => "form_text_too_long",
    FormTooManyRecommenders => "form_too_many_recommenders",
    ImageUnreadable => "image_unreadable",
    ImportHeaderRow => "import_header_row",
    ImportMapping => "import_mapping",
    ImportNoFile => "import_no_file",
    ImportNoHeader => "import_no_header",
    ImportNoNameColumn => "import_no_name_column",
    ImportRowsInError => "import_rows_in_error",
    Invalid => "invalid",
    MemberNotActive => "member_not_active",
    MemberNotFound => "member_not_found",
    MissingGlyph => "missing_glyph",
    NewerSchema => "newer_schema",
    NoCertificate => "no_certificate",
    NoDecision => "no_decision",
    NoPresidium => "no_presidium",
    NotAMember => "not_a_member",
    NotARegistry => "not_a_registry",
    NotFound => "not_found",
    NotInRotation => "not_in_rotation",
    NotPastTheMark => "not_past_the_mark",
    NothingSelected => "nothing_selected",
    Os => "os",
    PdfFailed => "pdf_failed",
    PurposeUnknown => "purpose_unknown",
    Qr => "qr",
    ReadOnly => "read_only",
    RestoreName => "restore_name",
    RestoreNoFile => "restore_no_file",
    RestoreUnconfirmed => "restore_unconfirmed",
    SaveFailed => "save_failed",
    SecondDirInside => "second_dir_inside",
    SecondDirMissing => "second_dir_missing",
    Stale => "stale",
    Storage => "storage",
    UpgradeFailed => "upgrade_failed",
    VerificationUnreadable => "verification_unreadable",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// A code compared with its key, as tests and scripts read it: `e.code() == "file"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.key() == *other
    }
}

/// What went wrong, in cases the caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input breaks one or more rules; each problem names its field.
    #[error("invalid input: {}", .0.iter().map(|p| p.message.en.as_str()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    #[error("member {0} not found")]
    MemberNotFound(i64),
    /// A record other than a member (an application, activity, motion, attachment) is gone.
    #[error("{} not found", .what.en)]
    NotFound { what: Text, id: i64 },
    /// A charter rule or a workflow's order forbids the step; `message` says which and why.
    #[error("{}", .message.en)]
    Refused { code: ErrorCode, message: Text },
    /// Someone else saved the record after it was opened for editing.
    #[error("{name} was changed by someone else")]
    Stale { name: String },
    /// Another program holds the write lock for longer than the busy timeout.
    #[error("the registry is busy")]
    Busy,
    /// The database was written by a newer version of the registry.
    #[error("database schema version {found} is newer than this program knows ({known})")]
    NewerSchema { found: i64, known: i64 },
    /// Bringing an older registry up to this version's schema failed; the file was left at
    /// its old version.
    #[error("upgrading the registry from schema {from} to {to} failed: {detail}")]
    UpgradeFailed { from: i64, to: i64, detail: String },
    /// The file is not a registry database, or is damaged.
    #[error("not a registry database: {0}")]
    NotARegistry(String),
    #[error("data folder {path}: {message}")]
    DataDir { path: String, message: String },
    #[error("storage error: {0}")]
    Storage(String),
    /// A file the user named cannot be read or written, or is not what it should be.
    #[error("{path}: {}", .message.en)]
    File { path: String, message: Text },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The shape in which an error crosses to the UI (and to `--json` CLI output). Pinned by a test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorReport {
    pub code: ErrorCode,
    pub message: Text,
    /// Per-field problems, for forms; empty for errors that are not about input.
    pub problems: Vec<Problem>,
}

/// Commands answer with a report, so that `?` turns the core's error into what the UI shows.
impl From<Error> for ErrorReport {
    fn from(e: Error) -> ErrorReport {
        e.report()
    }
}

impl Error {
    pub fn invalid(problem: Problem) -> Error {
        Error::Invalid(vec![problem])
    }

    pub fn refused(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::Refused {
            code,
            message: Text::new(zh, en),
        }
    }

    /// A file problem; `zh` and `en` say what is wrong and what to do.
    pub fn file(path: &std::path::Path, zh: impl Into<String>, en: impl Into<String>) -> Error {
        Error::File {
            path: path.display().to_string(),
            message: Text::new(zh, en),
        }
    }

    /// A file the operating system could not read or write.
    pub fn io(path: &std::path::Path, e: std::io::Error) -> Error {
        Error::file(
            path,
            format!("无法读写（{e}）。请检查文件是否存在、是否被其他程序占用，以及是否有权限。"),
            format!("cannot be read or written ({e}). Check that it exists, is not open in another program, and that you have permission."),
        )
    }

    /// Writing the file `path` that the clerk chose failed: says why in words they can act
    /// on. The commonest case on Windows is a PDF saved over one still open in a PDF viewer.
    pub fn write_failed(path: &std::path::Path, e: &std::io::Error) -> Error {
        Error::write_failed_on(path, e, cfg!(windows))
    }

    /// [`Error::write_failed`] with the operating system named, so that Windows' error codes
    /// are tested on any machine (the same number means another error elsewhere: 32 is
    /// ERROR_SHARING_VIOLATION on Windows and EPIPE on Linux).
    pub fn write_failed_on(path: &std::path::Path, e: &std::io::Error, windows: bool) -> Error {
        use std::io::ErrorKind as K;
        let p = path.display();
        let (code, zh, en) = match (windows, e.raw_os_error(), e.kind()) {
            // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION, ERROR_USER_MAPPED_FILE; ETXTBSY.
            (true, Some(32 | 33 | 1224), _) | (false, Some(26), _) => (
                ErrorCode::FileInUse,
                format!("文件 {p} 正被其他程序（例如 PDF 阅读器或 WPS）打开，无法覆盖。请先关闭该文件再保存，或换一个文件名。"),
                format!("{p} is open in another program (a PDF viewer or WPS, say) and cannot be replaced. Close it and save again, or choose another name."),
            ),
            // ERROR_ACCESS_DENIED: a read-only file, a protected folder, or a file held open.
            (true, Some(5), _) => (
                ErrorCode::FileInUse,
                format!("无法写入 {p}：文件可能正被其他程序（例如 PDF 阅读器）打开，或是只读文件，或该文件夹不允许写入。请关闭该文件后重试，或换一个文件夹。"),
                format!("Cannot write {p}: it may be open in another program (a PDF viewer, say), read-only, or in a folder you cannot write to. Close it and try again, or choose another folder."),
            ),
            // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL; ENOSPC.
            (true, Some(39 | 112), _) | (false, Some(28), _) | (_, _, K::StorageFull) => (
                ErrorCode::DiskFull,
                format!("磁盘空间不足，{p} 未保存。请清理磁盘或换一个磁盘后重试。"),
                format!("The disk is full and {p} was not saved. Free some space or choose another drive."),
            ),
            // EROFS.
            (false, Some(30), _) | (_, _, K::ReadOnlyFilesystem) => (
                ErrorCode::SaveFailed,
                format!("{p} 所在的磁盘是只读的（例如写保护的U盘）。请换一个文件夹保存。"),
                format!("The drive of {p} is read-only (a write-protected USB drive, say). Choose another folder."),
            ),
            // ERROR_FILENAME_EXCED_RANGE, ERROR_INVALID_NAME; ENAMETOOLONG.
            (true, Some(206 | 123), _) | (false, Some(36), _) | (_, _, K::InvalidFilename) => (
                ErrorCode::SaveFailed,
                format!("文件名或路径过长或含有不允许的字符：{p}。请用较短的文件名，或保存到较浅的文件夹。"),
                format!("The file name or path is too long or has characters that are not allowed: {p}. Use a shorter name or a folder nearer the top."),
            ),
            // EACCES, EPERM.
            (false, Some(13 | 1), _) | (_, _, K::PermissionDenied) => (
                ErrorCode::SaveFailed,
                format!("没有写入 {p} 的权限。请换一个文件夹（例如“文档”或桌面）保存。"),
                format!("You have no permission to write {p}. Choose another folder (Documents or the desktop, say)."),
            ),
            (_, _, K::NotFound) => (
                ErrorCode::SaveFailed,
                format!("找不到要保存到的文件夹：{p}。文件夹可能已被移动，或U盘已拔出。请重新选择保存位置。"),
                format!("The folder to save in is gone: {p}. It may have been moved, or the USB drive removed. Choose where to save again."),
            ),
            _ => (
                ErrorCode::SaveFailed,
                format!("无法保存到 {p}：{e}。请换一个文件夹或文件名。"),
                format!("Could not save to {p}: {e}. Choose another folder or name."),
            ),
        };
        Error::refused(code, zh, en)
    }

    /// The registry's disk filled up during a change, which was undone.
    pub fn registry_disk_full() -> Error {
        Error::refused(
            ErrorCode::DiskFull,
            "磁盘空间不足，这次更改没有写入登记簿（已全部撤销，数据保持原样）。请清理磁盘后重试。",
            "The disk is full, so this change was not written to the registry (all of it was undone; the data is as it was). Free some space and try again.",
        )
    }

    /// The registry's folder or drive became read-only; the change was not written.
    pub fn registry_read_only() -> Error {
        Error::refused(
            ErrorCode::ReadOnly,
            "登记簿所在的文件夹或磁盘变成了只读，这次更改没有写入（数据保持原样）。请检查磁盘或文件夹权限后重启程序。",
            "The registry's folder or drive has become read-only, so this change was not written (the data is as it was). Check the drive or the folder's permissions and restart the app.",
        )
    }

    pub fn not_found(zh: &str, en: &str, id: i64) -> Error {
        Error::NotFound {
            what: Text::new(zh, en),
            id,
        }
    }

    /// A stable, machine-readable name for the case.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::MemberNotFound(_) => ErrorCode::MemberNotFound,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Refused { code, .. } => *code,
            Error::Stale { .. } => ErrorCode::Stale,
            Error::Busy => ErrorCode::Busy,
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::UpgradeFailed { .. } => ErrorCode::UpgradeFailed,
            Error::NotARegistry(_) => ErrorCode::NotARegistry,
            Error::DataDir { .. } => ErrorCode::DataDir,
            Error::Storage(_) => ErrorCode::Storage,
            Error::File { .. } => ErrorCode::File,
        }
    }

    pub fn message(&self) -> Text {
        match self {
            Error::Invalid(problems) => {
                let zh: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}：{}", p.field.label().zh, p.message.zh))
                    .collect();
                let en: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field.label().en, p.message.en))
                    .collect();
                Text::new(zh.join("；"), en.join("; "))
            }
            Error::MemberNotFound(id) => Text::new(
                format!("找不到编号为 {id} 的成员记录，请检查后重试。"),
                format!("No member record with id {id}. Check the id and try again."),
            ),
            Error::NotFound { what, id } => Text::new(
                format!("找不到编号为 {id} 的{}，可能已被他人处理，请刷新后重试。", what.zh),
                format!("No {} with id {id}. Someone may have handled it already: refresh and try again.", what.en),
            ),
            Error::Refused { message, .. } => message.clone(),
            Error::Stale { name } => Text::new(
                format!("“{name}”在您编辑期间已被他人修改。为免覆盖对方的修改，本次未保存：请重新打开该成员，再做修改。"),
                format!(
                    "'{name}' was changed by someone else while you were editing. Nothing was \
                     saved, so their change is not lost: open the member again and redo your edit."
                ),
            ),
            Error::Busy => Text::new(
                "登记簿正被另一个程序写入，请稍候几秒再试。",
                "Another program is writing to the registry. Wait a few seconds and try again.",
            ),
            Error::NewerSchema { found, known } => Text::new(
                format!(
                    "此登记簿由更新版本的程序写入（数据版本 {found}，本程序只支持到 {known}）。本程序没有改动它：请安装新版本后再打开。"
                ),
                format!(
                    "This registry was written by a newer version (data version {found}; this \
                     program knows up to {known}). It has not been changed: install the newer \
                     version to open it."
                ),
            ),
            Error::UpgradeFailed { from, to, detail } => Text::new(
                format!(
                    "登记簿升级到新版本（数据版本 {from} → {to}）时出错，原文件保持原样，未做任何更改：{detail}。升级前的备份在数据文件夹的 backups 文件夹中（before-upgrade-v{from}-…）。请联系技术支持，或暂时继续使用旧版本程序。"
                ),
                format!(
                    "Upgrading the registry (data version {from} to {to}) failed and the file \
                     was left as it was: {detail}. A copy from before the upgrade is in the data \
                     folder's backups folder (before-upgrade-v{from}-…). Contact support, or keep \
                     using the previous version for now."
                ),
            ),
            Error::NotARegistry(detail) => Text::new(
                format!("该文件不是联盟登记簿数据库，或已损坏：{detail}"),
                format!("This file is not a registry database, or it is damaged: {detail}"),
            ),
            Error::DataDir { path, message } => Text::new(
                format!("无法使用数据文件夹 {path}：{message}。请检查该文件夹是否存在且可写。"),
                format!(
                    "Cannot use the data folder {path}: {message}. Check that it exists and is \
                     writable."
                ),
            ),
            Error::Storage(detail) => Text::new(
                format!("保存数据时出错，未做任何更改：{detail}"),
                format!("Storing the data failed and nothing was changed: {detail}"),
            ),
            Error::File { path, message } => Text::new(
                format!("文件 {path}：{}", message.zh),
                format!("File {path}: {}", message.en),
            ),
        }
    }

    pub fn report(&self) -> ErrorReport {
        ErrorReport {
            code: self.code(),
            message: self.message(),
            problems: match self {
                Error::Invalid(p) => p.clone(),
                _ => Vec::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_pdf_open_in_a_viewer_on_windows_is_named_as_such() {
        let path = std::path::Path::new(r"C:\Users\张三\Documents\成员证书.pdf");
        for code in [32, 33, 5] {
            let e = Error::write_failed_on(path, &std::io::Error::from_raw_os_error(code), true);
            assert_eq!(e.code(), "file_in_use", "Windows error {code}");
            let m = e.message();
            assert!(m.zh.contains("PDF 阅读器"), "{}", m.zh);
            assert!(m.zh.contains(r"张三\Documents\成员证书.pdf"), "{}", m.zh);
            assert!(m.en.contains("Close it"), "{}", m.en);
        }
        // The same numbers mean other errors on Linux (32 is a broken pipe).
        let linux = Error::write_failed_on(path, &std::io::Error::from_raw_os_error(32), false);
        assert_eq!(linux.code(), "save_failed");
        let full = Error::write_failed_on(path, &std::io::Error::from_raw_os_error(112), true);
        assert_eq!(full.code(), "disk_full");
        let long = Error::write_failed_on(path, &std::io::Error::from_raw_os_error(206), true);
        assert!(long.message().zh.contains("过长"), "{}", long.message().zh);
    }

    #[test]
    fn saving_says_what_to_do_on_linux_too() {
        use std::io::{Error as Io, ErrorKind};
        let path = std::path::Path::new("/media/张三/U盘/名录.pdf");
        let of = |e: Io| Error::write_failed_on(path, &e, false);
        assert_eq!(of(Io::from_raw_os_error(28)).code(), "disk_full");
        assert!(of(Io::from_raw_os_error(30)).message().zh.contains("只读"));
        assert!(of(Io::from_raw_os_error(36)).message().zh.contains("过长"));
        assert!(of(Io::from_raw_os_error(13)).message().zh.contains("权限"));
        assert!(of(Io::from(ErrorKind::NotFound))
            .message()
            .zh
            .contains("U盘已拔出"));
    }

    use super::*;

    #[test]
    fn error_report_shape_is_pinned() {
        // The UI and scripts parse this shape; changing it is a breaking change.
        let err = Error::invalid(Problem::new(Field::HeadEmail, "email_invalid", "甲", "a"));
        let json = serde_json::to_value(err.report()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "invalid",
                "message": { "zh": "负责人邮箱：甲", "en": "responsible person's e-mail: a" },
                "problems": [{
                    "field": "head_email",
                    "code": "email_invalid",
                    "message": { "zh": "甲", "en": "a" }
                }]
            })
        );
    }
}
