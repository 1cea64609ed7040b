//! Activities and attendance (Art. 11-12), the watch-list and leaving (Art. 13).

use cceaa_core::{
    Activity, ActivityDetail, ActivityInput, Certificate, ExcusedPeriod, LeaveInput, Member, Stamp,
    WatchRow,
};
use tauri::State;

use super::Reply;
use crate::AppState;

#[tauri::command]
pub async fn list_activities(
    state: State<'_, AppState>,
    year: Option<i32>,
    search: String,
) -> Reply<Vec<Activity>> {
    Ok(state.registry()?.list_activities(year, &search)?)
}

#[tauri::command]
pub async fn new_activity_input() -> ActivityInput {
    ActivityInput {
        date: Stamp::now().today().to_string(),
        ..ActivityInput::default()
    }
}

#[tauri::command]
pub async fn activity_detail(state: State<'_, AppState>, id: i64) -> Reply<ActivityDetail> {
    Ok(state.registry()?.activity_detail(id)?)
}

#[tauri::command]
pub async fn create_activity(state: State<'_, AppState>, input: ActivityInput) -> Reply<Activity> {
    Ok(state.registry()?.create_activity(&input, &Stamp::now())?)
}

#[tauri::command]
pub async fn update_activity(
    state: State<'_, AppState>,
    id: i64,
    input: ActivityInput,
) -> Reply<Activity> {
    Ok(state
        .registry()?
        .update_activity(id, &input, &Stamp::now())?)
}

#[tauri::command]
pub async fn add_attendance(
    state: State<'_, AppState>,
    activity_id: i64,
    member_id: i64,
    person: String,
) -> Reply<ActivityDetail> {
    Ok(state
        .registry()?
        .add_attendance(activity_id, member_id, &person, &Stamp::now())?)
}

#[tauri::command]
pub async fn remove_attendance(
    state: State<'_, AppState>,
    activity_id: i64,
    member_id: i64,
) -> Reply<ActivityDetail> {
    Ok(state
        .registry()?
        .remove_attendance(activity_id, member_id, &Stamp::now())?)
}

#[tauri::command]
pub async fn watchlist(state: State<'_, AppState>) -> Reply<Vec<WatchRow>> {
    Ok(state.registry()?.watchlist(Stamp::now().today())?)
}

#[tauri::command]
pub async fn add_excused(
    state: State<'_, AppState>,
    member_id: i64,
    since: String,
    until: String,
    reason: String,
) -> Reply<ExcusedPeriod> {
    Ok(state
        .registry()?
        .add_excused(member_id, &since, &until, &reason, &Stamp::now())?)
}

#[tauri::command]
pub async fn withdraw_member(
    state: State<'_, AppState>,
    id: i64,
    input: LeaveInput,
) -> Reply<Member> {
    Ok(state
        .registry()?
        .withdraw_member(id, &input, &Stamp::now())?)
}

#[tauri::command]
pub async fn confirm_deemed_withdrawal(
    state: State<'_, AppState>,
    id: i64,
    input: LeaveInput,
) -> Reply<Member> {
    Ok(state
        .registry()?
        .confirm_deemed_withdrawal(id, &input, &Stamp::now())?)
}

#[tauri::command]
pub async fn issue_certificate(
    state: State<'_, AppState>,
    member_id: i64,
    date: String,
) -> Reply<Certificate> {
    Ok(state
        .registry()?
        .issue_certificate(member_id, &date, &Stamp::now())?)
}
