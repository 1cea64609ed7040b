//! Member commands: list, detail, validate, create, update.

use cceaa_core::{
    ErrorReport, Member, MemberDetail, MemberInput, MemberPage, MemberQuery, Problem, Stamp,
};
use tauri::State;

use crate::AppState;

type Reply<T> = Result<T, ErrorReport>;

/// The input a new-member form starts from (the core's defaults, joining today).
#[tauri::command]
pub async fn new_member_input() -> MemberInput {
    MemberInput::new_member(Stamp::now().today())
}

#[tauri::command]
pub async fn list_members(state: State<'_, AppState>, query: MemberQuery) -> Reply<MemberPage> {
    Ok(state.registry()?.list_members(&query)?)
}

#[tauri::command]
pub async fn member_detail(state: State<'_, AppState>, id: i64) -> Reply<MemberDetail> {
    Ok(state.registry()?.member_detail(id, Stamp::now().today())?)
}

#[tauri::command]
pub async fn check_member(
    state: State<'_, AppState>,
    input: MemberInput,
    id: Option<i64>,
) -> Reply<Vec<Problem>> {
    let today = Stamp::now().today();
    Ok(state.registry()?.check_member(&input, id, today)?)
}

#[tauri::command]
pub async fn create_member(state: State<'_, AppState>, input: MemberInput) -> Reply<Member> {
    Ok(state.registry()?.create_member(&input, &Stamp::now())?)
}

#[tauri::command]
pub async fn update_member(
    state: State<'_, AppState>,
    id: i64,
    input: MemberInput,
) -> Reply<Member> {
    Ok(state.registry()?.update_member(id, &input, &Stamp::now())?)
}

#[tauri::command]
pub async fn regions(state: State<'_, AppState>) -> Reply<Vec<String>> {
    Ok(state.registry()?.regions()?)
}
