//! Export, import, backup, restore and archive. Files are chosen in native dialogs here, in
//! Rust, and remembered in the app state between the steps of a flow (choose, preview,
//! confirm): the window never hands a path of its own to the file system.

use std::path::PathBuf;

use cceaa_core::exchange::backup::{ArchiveSummary, BackupDone, BackupFile, BackupOverview};
use cceaa_core::exchange::export::{sheet_name, ExportRequest, ExportSummary};
use cceaa_core::exchange::import::{ImportOptions, ImportReport};
use cceaa_core::exchange::ColumnInfo;
use cceaa_core::{db, Error, ErrorReport, Stamp};
use tauri::{AppHandle, State, WebviewWindow};

use super::Reply;
use crate::state::poisoned;
use crate::AppState;

/// The columns the export dialog offers, in export order.
#[tauri::command]
pub async fn export_columns() -> Vec<ColumnInfo> {
    cceaa_core::exchange::columns()
}

/// Asks where to save, then writes the roster as XLSX or CSV (by the chosen extension) and,
/// with `open`, opens it. `None` when the dialog is cancelled.
#[tauri::command]
pub async fn export_members(
    app: AppHandle,
    window: WebviewWindow,
    state: State<'_, AppState>,
    request: ExportRequest,
    csv: bool,
    open: bool,
) -> Reply<Option<ExportSummary>> {
    // Refuse a wrong column choice before the clerk picks a file.
    request.columns()?;
    let ext = if csv { "csv" } else { "xlsx" };
    let name = format!(
        "{}-{}.{ext}",
        sheet_name(request.public),
        chrono::Local::now().format("%Y%m%d")
    );
    let kind = if csv { "CSV" } else { "Excel" };
    let Some(file) = super::save_dialog(&window, &name, kind, &[ext]).await else {
        return Ok(None);
    };
    let summary = state.registry()?.export_members(&request, file.path())?;
    if open {
        super::open_saved(&app, file.path())?;
    }
    Ok(Some(summary))
}

/// Asks for a spreadsheet to import and remembers it for the preview and the import.
/// Returns its file name, or `None` when cancelled.
#[tauri::command]
pub async fn choose_import_file(
    window: WebviewWindow,
    state: State<'_, AppState>,
) -> Reply<Option<String>> {
    let spreadsheets = ["xlsx", "xlsm", "xls", "ods", "csv", "txt"];
    let Some(file) = super::pick_dialog(&window, "表格 Spreadsheets", &spreadsheets).await else {
        return Ok(None);
    };
    let name = file.file_name();
    *state.pending_import.lock().map_err(poisoned)? = Some(file.path().to_path_buf());
    Ok(Some(name))
}

fn pending_import(state: &AppState) -> Reply<PathBuf> {
    state
        .pending_import
        .lock()
        .map_err(poisoned)?
        .clone()
        .ok_or_else(|| {
            Error::refused(
                cceaa_core::error::ErrorCode::ImportNoFile,
                "请先选择要导入的表格文件。",
                "Choose the spreadsheet to import first.",
            )
            .report()
        })
}

/// What importing the chosen file would do, row by row. Writes nothing.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    options: ImportOptions,
) -> Reply<ImportReport> {
    let path = pending_import(&state)?;
    Ok(state
        .registry()?
        .import(&path, &options, &Stamp::now(), true)?)
}

/// Imports the chosen file: everything or, with rows in error, nothing (unless
/// `options.skip_invalid`).
#[tauri::command]
pub async fn import_members(
    state: State<'_, AppState>,
    options: ImportOptions,
) -> Reply<ImportReport> {
    let path = pending_import(&state)?;
    Ok(state
        .registry()?
        .import(&path, &options, &Stamp::now(), false)?)
}

/// The backups folder, its backups, how many are kept, and any warning about where the
/// data folder is.
#[tauri::command]
pub async fn backup_overview(state: State<'_, AppState>) -> Reply<BackupOverview> {
    Ok(state.registry()?.backup_overview()?)
}

/// Why the last automatic backup failed, if it did.
#[tauri::command]
pub async fn backup_failure(state: State<'_, AppState>) -> Reply<Option<ErrorReport>> {
    Ok(state.backup_failure.lock().map_err(poisoned)?.clone())
}

/// Chooses the second backup destination in the folder dialog. `None` when cancelled.
#[tauri::command]
pub async fn choose_second_backup_dir(
    window: WebviewWindow,
    state: State<'_, AppState>,
) -> Reply<Option<BackupOverview>> {
    let Some(folder) = super::folder_dialog(&window).await else {
        return Ok(None);
    };
    let mut registry = state.registry()?;
    registry.set_second_backup_dir(Some(folder.path()))?;
    Ok(Some(registry.backup_overview()?))
}

/// Stops copying backups to the second destination.
#[tauri::command]
pub async fn clear_second_backup_dir(state: State<'_, AppState>) -> Reply<BackupOverview> {
    let mut registry = state.registry()?;
    registry.set_second_backup_dir(None)?;
    Ok(registry.backup_overview()?)
}

/// An automatic-style backup into the backups folder, now, copied to the second destination
/// when one is set.
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Reply<BackupDone> {
    let done = db::automatic_backup(&state.database)?;
    *state.backup_failure.lock().map_err(poisoned)? = None;
    Ok(done)
}

/// A backup to a file the clerk chooses (a USB stick, a share). `None` when cancelled.
#[tauri::command]
pub async fn backup_to_file(
    window: WebviewWindow,
    state: State<'_, AppState>,
) -> Reply<Option<BackupFile>> {
    let name = format!(
        "联盟登记簿备份-{}.zip",
        chrono::Local::now().format("%Y%m%d-%H%M")
    );
    let Some(file) = super::save_dialog(&window, &name, "备份 Backup", &["zip"]).await else {
        return Ok(None);
    };
    Ok(Some(db::backup_database(&state.database, file.path())?))
}

/// Asks for a backup file to restore and checks it; the restore itself waits for the
/// clerk's confirmation. Returns the file's name, or `None` when cancelled.
#[tauri::command]
pub async fn choose_restore_file(
    window: WebviewWindow,
    state: State<'_, AppState>,
) -> Reply<Option<String>> {
    let Some(file) = super::pick_dialog(&window, "备份 Backup", &["zip", "db"]).await else {
        return Ok(None);
    };
    db::check_backup(file.path())?;
    let name = file.file_name();
    *state.pending_restore.lock().map_err(poisoned)? = Some(file.path().to_path_buf());
    Ok(Some(name))
}

/// Replaces the registry with a backup: `name` from the backups folder, or (without) the
/// file chosen with `choose_restore_file`. A safety copy of the current registry is taken
/// first and returned.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, name: Option<String>) -> Reply<BackupFile> {
    let path = match name {
        Some(name) => {
            let dir = state.registry()?.backups_dir()?;
            // Only a plain file name from the list: never a path out of the folder.
            if name.contains(['/', '\\']) || name.starts_with('.') {
                return Err(Error::refused(
                    cceaa_core::error::ErrorCode::RestoreName,
                    "备份文件名无效。",
                    "Not a backup file name.",
                )
                .report());
            }
            dir.join(name)
        }
        None => pending_restore(&state)?,
    };
    let safety = state.registry()?.restore_from(&path, &Stamp::now())?;
    *state.pending_restore.lock().map_err(poisoned)? = None;
    Ok(safety)
}

fn pending_restore(state: &AppState) -> Reply<PathBuf> {
    state
        .pending_restore
        .lock()
        .map_err(poisoned)?
        .clone()
        .ok_or_else(|| {
            Error::refused(
                cceaa_core::error::ErrorCode::RestoreNoFile,
                "请先选择要恢复的备份文件。",
                "Choose the backup file to restore first.",
            )
            .report()
        })
}

/// The whole registry as one ZIP (database, attachments, every table as JSON). `None` when
/// the dialog is cancelled.
#[tauri::command]
pub async fn export_archive(
    window: WebviewWindow,
    state: State<'_, AppState>,
) -> Reply<Option<ArchiveSummary>> {
    let name = format!(
        "联盟登记簿完整归档-{}.zip",
        chrono::Local::now().format("%Y%m%d")
    );
    let Some(file) = super::save_dialog(&window, &name, "ZIP", &["zip"]).await else {
        return Ok(None);
    };
    Ok(Some(state.registry()?.export_archive(file.path())?))
}
