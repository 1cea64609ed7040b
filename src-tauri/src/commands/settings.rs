//! Settings and app-wide information: the UI language, the vocabulary, where data lives.

use cceaa_core::{AppInfo, ErrorReport, Lang, Template, Vocabulary, WorkflowSettings};
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
    let stored = state.registry()?.setting(LANGUAGE)?;
    Ok(stored
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or_default())
}

#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: Lang) -> Result<(), ErrorReport> {
    Ok(state.registry()?.set_setting(LANGUAGE, lang.as_str())?)
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, ErrorReport> {
    Ok(state.registry()?.app_info(state.fonts_dir())?)
}

#[tauri::command]
pub async fn workflow_settings(
    state: State<'_, AppState>,
) -> Result<WorkflowSettings, ErrorReport> {
    Ok(state.registry()?.workflow_settings()?)
}

/// Saves the workflow settings; each is checked, and nothing is saved if one is wrong.
#[tauri::command]
pub async fn save_workflow_settings(
    state: State<'_, AppState>,
    settings: WorkflowSettings,
) -> Result<WorkflowSettings, ErrorReport> {
    let mut r = state.registry()?;
    r.save_workflow_settings(&settings)?;
    Ok(r.workflow_settings()?)
}

#[tauri::command]
pub async fn default_notice_template(kind: cceaa_core::NoticeKind) -> Template {
    Template::default_for(kind)
}
