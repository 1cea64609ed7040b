//! Documents: preview, save through a native dialog and open for printing; certificates'
//! reissue and verification. The registry is locked only while a document is laid out, never
//! while a dialog is open or the PDF is written.

use cceaa_core::documents::fonts::InstalledFont;
use cceaa_core::documents::images::DocumentImage;
use cceaa_core::documents::{self, Fonts};
use cceaa_core::{Certificate, DocumentImages, DocumentRequest, Preview, Stamp, Verification};
use tauri::{AppHandle, State, WebviewWindow};

use super::Reply;
use crate::AppState;

/// The fonts documents are set in: the bundled ones with the office's chosen body font.
fn fonts(state: &AppState) -> Reply<Fonts> {
    let bundled = Fonts::bundled_in(state.fonts_dir())?;
    Ok(state.registry()?.document_fonts(bundled)?)
}

/// The document as it will print, page by page, as SVG. Issues nothing.
#[tauri::command]
pub async fn document_preview(
    state: State<'_, AppState>,
    request: DocumentRequest,
) -> Reply<Preview> {
    let fonts = fonts(&state)?;
    let doc = state
        .registry()?
        .document(&request, &fonts, &Stamp::now(), false)?;
    Ok(Preview::of(&doc))
}

/// Asks where to save the document, writes it as PDF and, with `open`, opens it in the
/// system's PDF viewer for printing. Certificates missing for active members are issued.
/// `None` when the dialog is cancelled.
#[tauri::command]
pub async fn save_document(
    app: AppHandle,
    window: WebviewWindow,
    state: State<'_, AppState>,
    request: DocumentRequest,
    open: bool,
) -> Reply<Option<String>> {
    let fonts = fonts(&state)?;
    let title = state.registry()?.document_file_name(&request)?;
    let Some(file) = super::save_dialog(&window, &title, "PDF", &["pdf"]).await else {
        return Ok(None);
    };
    let doc = state
        .registry()?
        .document(&request, &fonts, &Stamp::now(), true)?;
    let pdf = doc.pdf(&fonts)?;
    documents::save(file.path(), &pdf)?;
    if open {
        super::open_saved(&app, file.path())?;
    }
    Ok(Some(file.path().display().to_string()))
}

#[tauri::command]
pub async fn verify_certificate(state: State<'_, AppState>, text: String) -> Reply<Verification> {
    Ok(state.registry()?.verify_certificate(&text)?)
}

#[tauri::command]
pub async fn reissue_certificate(
    state: State<'_, AppState>,
    member_id: i64,
    reason: String,
) -> Reply<Certificate> {
    Ok(state
        .registry()?
        .reissue_certificate(member_id, &reason, &Stamp::now())?)
}

#[tauri::command]
pub async fn document_images(state: State<'_, AppState>) -> Reply<DocumentImages> {
    Ok(state.registry()?.document_images()?)
}

/// Lets the user pick a PNG for the seal or signature; `None` when cancelled.
#[tauri::command]
pub async fn choose_document_image(
    window: WebviewWindow,
    state: State<'_, AppState>,
    kind: DocumentImage,
) -> Reply<Option<DocumentImages>> {
    let Some(file) = super::pick_dialog(&window, "PNG", &["png"]).await else {
        return Ok(None);
    };
    let registry = state.registry()?;
    registry.set_document_image(kind, file.path())?;
    Ok(Some(registry.document_images()?))
}

#[tauri::command]
pub async fn clear_document_image(
    state: State<'_, AppState>,
    kind: DocumentImage,
) -> Reply<DocumentImages> {
    let registry = state.registry()?;
    registry.clear_document_image(kind)?;
    Ok(registry.document_images()?)
}

/// The fonts installed on this PC that can set Chinese, for Settings to offer.
#[tauri::command]
pub async fn installed_fonts() -> Reply<Vec<InstalledFont>> {
    // Reading the system's font folders takes a moment; the registry is not locked meanwhile.
    Ok(cceaa_core::documents::fonts::installed_cjk_fonts())
}

#[tauri::command]
pub async fn document_font(state: State<'_, AppState>) -> Reply<Option<InstalledFont>> {
    Ok(state.registry()?.document_font()?)
}

/// Chooses the body font for documents; `None` returns to the bundled fonts.
#[tauri::command]
pub async fn set_document_font(
    state: State<'_, AppState>,
    font: Option<InstalledFont>,
) -> Reply<Option<InstalledFont>> {
    let mut registry = state.registry()?;
    registry.set_document_font(font.as_ref())?;
    Ok(registry.document_font()?)
}
