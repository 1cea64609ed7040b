//! The commands the window may call. Each takes the state, calls the core, and maps the
//! core's error into the `ErrorReport` the UI shows. No SQL and no rules here.

pub mod activities;
pub mod applications;
pub mod dashboard;
pub mod documents;
pub mod exchange;
pub mod members;
pub mod presidium;
pub mod settings;

use cceaa_core::{Error, ErrorReport};
use tauri::{AppHandle, WebviewWindow};
use tauri_plugin_opener::OpenerExt;

pub type Reply<T> = Result<T, ErrorReport>;

/// An operating-system failure (a file dialog's file, the mail program) as a message.
pub fn os_error(zh: &str, en: &str, e: impl std::fmt::Display) -> ErrorReport {
    Error::refused(
        cceaa_core::error::ErrorCode::Os,
        format!("{zh}：{e}"),
        format!("{en}: {e}"),
    )
    .report()
}

/// End-to-end tests cannot click in a native file dialog. In a build with the `e2e` feature,
/// when `CCEAA_E2E_DIALOG` names a file, every dialog answers with the path written in that
/// file (the test rewrites it between steps) instead of opening; an empty file is a
/// cancelled dialog. Without the feature (every release) dialogs always open.
#[cfg(not(feature = "e2e"))]
fn scripted_dialog() -> Option<Option<rfd::FileHandle>> {
    None
}

#[cfg(feature = "e2e")]
fn scripted_dialog() -> Option<Option<rfd::FileHandle>> {
    let control = std::env::var_os("CCEAA_E2E_DIALOG")?;
    let answer = std::fs::read_to_string(control).unwrap_or_default();
    let answer = answer.trim();
    Some((!answer.is_empty()).then(|| rfd::FileHandle::from(std::path::PathBuf::from(answer))))
}

/// The native "save as" dialog over the window, proposing `name`, for files of one kind.
/// `None` when the clerk cancels.
pub async fn save_dialog(
    window: &WebviewWindow,
    name: &str,
    kind: &str,
    extensions: &[&str],
) -> Option<rfd::FileHandle> {
    if let Some(answer) = scripted_dialog() {
        return answer;
    }
    rfd::AsyncFileDialog::new()
        .set_parent(window)
        .set_file_name(name)
        .add_filter(kind, extensions)
        .save_file()
        .await
}

/// The native "open" dialog over the window, for files of one kind. `None` when cancelled.
pub async fn pick_dialog(
    window: &WebviewWindow,
    kind: &str,
    extensions: &[&str],
) -> Option<rfd::FileHandle> {
    if let Some(answer) = scripted_dialog() {
        return answer;
    }
    rfd::AsyncFileDialog::new()
        .set_parent(window)
        .add_filter(kind, extensions)
        .pick_file()
        .await
}

/// The native folder dialog over the window. `None` when cancelled.
pub async fn folder_dialog(window: &WebviewWindow) -> Option<rfd::FileHandle> {
    if let Some(answer) = scripted_dialog() {
        return answer;
    }
    rfd::AsyncFileDialog::new()
        .set_parent(window)
        .pick_folder()
        .await
}

/// Opens a file just saved in the system's program for it (a PDF viewer, Excel).
pub fn open_saved(app: &AppHandle, path: &std::path::Path) -> Reply<()> {
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| {
            os_error(
                "文件已保存，但无法打开",
                "Saved, but could not be opened",
                e,
            )
        })
}
