//! Applications to join (Art. 9-10): the list, the form, the steps, the notice, and files.

use cceaa_core::{
    Application, ApplicationDetail, ApplicationInput, ApplicationRow, ApplicationState, Approval,
    Attachment, Decision, Flag, MemberInput, Notice, Owner, Problem, Purpose, Stamp,
};
use tauri::{AppHandle, State, WebviewWindow};
use tauri_plugin_opener::OpenerExt;

use super::Reply;
use crate::AppState;

#[tauri::command]
pub async fn new_application_input() -> ApplicationInput {
    ApplicationInput::new_application(Stamp::now().today())
}

#[tauri::command]
pub async fn list_applications(
    state: State<'_, AppState>,
    filter: Option<ApplicationState>,
    search: String,
) -> Reply<Vec<ApplicationRow>> {
    Ok(state.registry()?.list_applications(filter, &search)?)
}

#[tauri::command]
pub async fn application_detail(state: State<'_, AppState>, id: i64) -> Reply<ApplicationDetail> {
    Ok(state
        .registry()?
        .application_detail(id, Stamp::now().today())?)
}

#[tauri::command]
pub async fn check_application(
    state: State<'_, AppState>,
    input: ApplicationInput,
) -> Reply<Vec<Problem>> {
    Ok(state
        .registry()?
        .check_application(&input, Stamp::now().today())?)
}

#[tauri::command]
pub async fn applicant_flags(
    state: State<'_, AppState>,
    applicant: MemberInput,
    id: Option<i64>,
) -> Reply<Vec<Flag>> {
    Ok(state.registry()?.applicant_flags(&applicant, id)?)
}

#[tauri::command]
pub async fn create_application(
    state: State<'_, AppState>,
    input: ApplicationInput,
) -> Reply<Application> {
    Ok(state
        .registry()?
        .create_application(&input, &Stamp::now())?)
}

#[tauri::command]
pub async fn update_application(
    state: State<'_, AppState>,
    id: i64,
    input: ApplicationInput,
) -> Reply<Application> {
    Ok(state
        .registry()?
        .update_application(id, &input, &Stamp::now())?)
}

#[tauri::command]
pub async fn review_application(
    state: State<'_, AppState>,
    id: i64,
    date: String,
) -> Reply<Application> {
    Ok(state
        .registry()?
        .review_application(id, &date, &Stamp::now())?)
}

#[tauri::command]
pub async fn approve_application(
    state: State<'_, AppState>,
    id: i64,
    decision: Decision,
) -> Reply<Approval> {
    Ok(state
        .registry()?
        .approve_application(id, &decision, &Stamp::now())?)
}

#[tauri::command]
pub async fn reject_application(
    state: State<'_, AppState>,
    id: i64,
    decision: Decision,
) -> Reply<Application> {
    Ok(state
        .registry()?
        .reject_application(id, &decision, &Stamp::now())?)
}

#[tauri::command]
pub async fn withdraw_application(
    state: State<'_, AppState>,
    id: i64,
    decision: Decision,
) -> Reply<Application> {
    Ok(state
        .registry()?
        .withdraw_application(id, &decision, &Stamp::now())?)
}

#[tauri::command]
pub async fn application_notice(state: State<'_, AppState>, id: i64) -> Reply<Notice> {
    Ok(state.registry()?.application_notice(id)?)
}

#[tauri::command]
pub async fn record_notice_sent(
    state: State<'_, AppState>,
    id: i64,
    date: String,
) -> Reply<Application> {
    Ok(state
        .registry()?
        .record_notice_sent(id, &date, &Stamp::now())?)
}

/// Opens the notice in the user's mail program (a `mailto:` link).
#[tauri::command]
pub async fn open_notice_in_mail(app: AppHandle, state: State<'_, AppState>, id: i64) -> Reply<()> {
    let notice = state.registry()?.application_notice(id)?;
    app.opener()
        .open_url(&notice.mailto, None::<&str>)
        .map_err(|e| super::os_error("无法打开邮件程序", "Could not open the mail program", e))
}

/// Saves the notice as an `.eml` draft where the user chooses. `None` when cancelled.
#[tauri::command]
pub async fn save_notice_eml(
    window: WebviewWindow,
    state: State<'_, AppState>,
    id: i64,
) -> Reply<Option<String>> {
    let notice = state.registry()?.application_notice(id)?;
    let name = format!("notice-{id}.eml");
    let Some(file) = super::save_dialog(&window, &name, "E-mail (.eml)", &["eml"]).await else {
        return Ok(None);
    };
    let eml = notice.to_eml("", Stamp::now().at);
    std::fs::write(file.path(), eml)
        .map_err(|e| super::os_error("无法保存通知文件", "Could not save the notice", e))?;
    Ok(Some(file.path().display().to_string()))
}

/// Lets the user pick a file and keeps a copy with its owner. `None` when cancelled.
#[tauri::command]
pub async fn add_attachment(
    window: WebviewWindow,
    state: State<'_, AppState>,
    owner: Owner,
    purpose: Purpose,
) -> Reply<Option<Attachment>> {
    let Some(file) = rfd::AsyncFileDialog::new()
        .set_parent(&window)
        .add_filter(
            "PDF, OFD, JPEG, PNG, TIFF, Word, Excel, WPS, TXT",
            &cceaa_core::attachment::allowed_extensions(),
        )
        .add_filter("*", &["*"])
        .pick_file()
        .await
    else {
        return Ok(None);
    };
    Ok(Some(state.registry()?.add_attachment_file(
        owner,
        purpose,
        file.path(),
        &Stamp::now(),
    )?))
}

/// Opens an attachment with the system's viewer for its type (only a type on the allow-list,
/// checked by content again: nothing kept is ever run).
#[tauri::command]
pub async fn open_attachment(app: AppHandle, state: State<'_, AppState>, id: i64) -> Reply<()> {
    let path = state.registry()?.attachment_to_open(id)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| super::os_error("无法打开附件", "Could not open the attachment", e))
}
