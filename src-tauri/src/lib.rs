//! The CCEAA Registry desktop application: window, plugins, state and the command list.
//! Everything the app does is a function of `cceaa-core`; this crate only wires it to Tauri.

mod commands;
mod state;

use tauri::Manager;

pub use state::AppState;

/// Builds and runs the application. Blocks until the last window closes.
pub fn run() {
    let state = AppState::open_default();
    tauri::Builder::default()
        // Registered first, as the plugin requires: a second launch hands over to the
        // running instance, which comes to the front, and then exits.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::members::list_members,
            commands::members::new_member_input,
            commands::members::member_detail,
            commands::members::check_member,
            commands::members::create_member,
            commands::members::update_member,
            commands::members::regions,
            commands::settings::vocabulary,
            commands::settings::get_language,
            commands::settings::set_language,
            commands::settings::app_info,
        ])
        .run(tauri::generate_context!())
        .expect("the application window could not be started");
}
