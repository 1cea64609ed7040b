//! Settings and app-wide information: the UI language, the vocabulary, where data lives.

use cceaa_core::{AppInfo, ErrorReport, Lang, Vocabulary};
use tauri::State;

use crate::AppState;

/// The setting key under which the UI language is remembered.
const LANGUAGE: &str = "ui.language";

#[tauri::command]
pub async fn vocabulary() -> Vocabulary {
    Vocabulary::get()
}

#[tauri::command]
pub async fn get_language(state: State<'_, AppState>) -> Result<Lang, ErrorReport> {
    let stored = state
        .registry()?
        .setting(LANGUAGE)
        .map_err(|e| e.report())?;
    Ok(stored
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or_default())
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<(), ErrorReport> {
    state
        .registry()?
        .set_setting(LANGUAGE, lang.as_str())
        .map_err(|e| e.report())
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, ErrorReport> {
    let schema_version = state.registry()?.schema_version().map_err(|e| e.report())?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.data_dir.display().to_string(),
        database: state.database.display().to_string(),
        schema_version,
    })
}
