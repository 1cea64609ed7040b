//! The CCEAA Registry desktop application: window, plugins, state and the command list.
//! Everything the app does is a function of `cceaa-core`; this crate only wires it to Tauri.

mod commands;
mod state;

use tauri::Manager;

pub use state::AppState;

/// Builds and runs the application. Blocks until the last window closes.
pub fn run() {
    match builder().build(tauri::generate_context!()) {
        Ok(app) => app.run(|_, _| {}),
        Err(tauri::Error::PluginInitialization(plugin, why)) if plugin == "single-instance" => {
            start_again_once_the_other_has_gone(&why)
        }
        Err(e) => panic!("the application window could not be started: {e}"),
    }
}

/// A launch that found a running instance as it was closing: the other left the session bus
/// without taking the hand-over, so this one could neither hand over nor start. Once the
/// other has gone, this launch starts afresh, in the same process (so whatever started it,
/// a desktop or a test driver, still holds it); after a few tries it gives up and says why.
fn start_again_once_the_other_has_gone(why: &str) -> ! {
    const TRIES: &str = "CCEAA_START_TRIES";
    let tries: u32 = std::env::var(TRIES)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    #[cfg(unix)]
    if tries < 10 {
        use std::os::unix::process::CommandExt;
        std::thread::sleep(std::time::Duration::from_millis(300));
        if let Ok(exe) = std::env::current_exe() {
            let err = std::process::Command::new(exe)
                .args(std::env::args_os().skip(1))
                .env(TRIES, (tries + 1).to_string())
                .exec();
            eprintln!("could not start again: {err}");
        }
    }
    panic!("the application window could not be started after {tries} tries: {why}");
}

fn builder() -> tauri::Builder<tauri::Wry> {
    // Named only: the registry is opened on first use, after the single-instance plugin
    // (registered first, below) has handed a second launch over to the running one.
    let state = AppState::default_location();
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
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            // An installed app keeps its fonts among its resources; the core looks there
            // when told (a development build finds them in the source tree).
            if std::env::var_os("CCEAA_FONTS_DIR").is_none() {
                if let Ok(dir) = app.path().resource_dir() {
                    let fonts = dir.join("fonts");
                    if fonts
                        .join(cceaa_core::documents::Face::Serif.file_name())
                        .is_file()
                    {
                        std::env::set_var("CCEAA_FONTS_DIR", fonts);
                    }
                }
            }
            // An automatic backup on the first start of each day, checked again every hour
            // while the app runs. The copy uses its own connection, so the clerk's work is
            // not held up.
            let app_handle = app.handle().clone();
            std::thread::spawn(move || {
                let state = app_handle.state::<AppState>();
                loop {
                    state.automatic_backup();
                    std::thread::sleep(std::time::Duration::from_secs(3600));
                }
            });
            Ok(())
        })
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
            commands::applications::new_application_input,
            commands::applications::list_applications,
            commands::applications::application_detail,
            commands::applications::check_application,
            commands::applications::applicant_flags,
            commands::applications::create_application,
            commands::applications::update_application,
            commands::applications::review_application,
            commands::applications::approve_application,
            commands::applications::reject_application,
            commands::applications::withdraw_application,
            commands::applications::application_notice,
            commands::applications::record_notice_sent,
            commands::applications::open_notice_in_mail,
            commands::applications::save_notice_eml,
            commands::applications::add_attachment,
            commands::applications::open_attachment,
            commands::presidium::presidium_view,
            commands::presidium::presidium_on,
            commands::presidium::record_motion,
            commands::presidium::set_rotation_order,
            commands::presidium::start_chair_term,
            commands::activities::list_activities,
            commands::activities::new_activity_input,
            commands::activities::activity_detail,
            commands::activities::create_activity,
            commands::activities::update_activity,
            commands::activities::add_attendance,
            commands::activities::remove_attendance,
            commands::activities::watchlist,
            commands::activities::add_excused,
            commands::activities::withdraw_member,
            commands::activities::confirm_deemed_withdrawal,
            commands::activities::issue_certificate,
            commands::settings::workflow_settings,
            commands::settings::save_workflow_settings,
            commands::settings::default_notice_template,
            commands::documents::document_preview,
            commands::documents::save_document,
            commands::documents::verify_certificate,
            commands::documents::reissue_certificate,
            commands::documents::document_images,
            commands::documents::choose_document_image,
            commands::documents::clear_document_image,
            commands::documents::installed_fonts,
            commands::documents::document_font,
            commands::documents::set_document_font,
            commands::exchange::export_columns,
            commands::exchange::export_members,
            commands::exchange::choose_import_file,
            commands::exchange::import_preview,
            commands::exchange::import_members,
            commands::exchange::backup_overview,
            commands::exchange::backup_failure,
            commands::exchange::choose_second_backup_dir,
            commands::exchange::clear_second_backup_dir,
            commands::exchange::backup_now,
            commands::exchange::backup_to_file,
            commands::exchange::choose_restore_file,
            commands::exchange::restore_backup,
            commands::exchange::export_archive,
        ])
}
