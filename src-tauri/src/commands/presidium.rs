//! The presidium (Art. 8, 13(2)): votes, the rotation and chair terms.

use cceaa_core::{Field, Motion, MotionInput, PresidiumView, Rotation, Stamp};
use tauri::State;

use super::Reply;
use crate::AppState;

#[tauri::command]
pub async fn presidium_view(state: State<'_, AppState>) -> Reply<PresidiumView> {
    Ok(state.registry()?.presidium_view(Stamp::now().today())?)
}

/// Presidium members in office on `date` (`YYYY-MM-DD`): the voters of a motion.
#[tauri::command]
pub async fn presidium_on(
    state: State<'_, AppState>,
    date: String,
) -> Reply<Vec<cceaa_core::MemberRef>> {
    let day = cceaa_core::member::required_date(Field::Date, &date, Stamp::now().today())?;
    Ok(state.registry()?.presidium_on(day)?)
}

#[tauri::command]
pub async fn record_motion(state: State<'_, AppState>, input: MotionInput) -> Reply<Motion> {
    Ok(state.registry()?.record_motion(&input, &Stamp::now())?)
}

#[tauri::command]
pub async fn set_rotation_order(state: State<'_, AppState>, ids: Vec<i64>) -> Reply<Rotation> {
    Ok(state.registry()?.set_rotation_order(&ids, &Stamp::now())?)
}

#[tauri::command]
pub async fn start_chair_term(
    state: State<'_, AppState>,
    member_id: i64,
    since: String,
) -> Reply<Rotation> {
    Ok(state
        .registry()?
        .start_chair_term(member_id, &since, &Stamp::now())?)
}
