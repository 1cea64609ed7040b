//! The 工作台: what is waiting today.

use cceaa_core::dashboard::Dashboard;
use cceaa_core::Stamp;
use tauri::State;

use super::Reply;
use crate::AppState;

/// The first screen's figures as of today.
#[tauri::command]
pub async fn dashboard(state: State<'_, AppState>) -> Reply<Dashboard> {
    Ok(state.registry()?.dashboard(Stamp::now().today())?)
}
