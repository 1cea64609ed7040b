//! The CCEAA Registry desktop application: window, plugins, state and the command list.
//! Everything the app does is a function of `cceaa-core`; this crate only wires it to Tauri.

mod commands;
mod state;

include!("command_list.rs");

/// The handler of every command in [`each_command!`].
macro_rules! handlers {
    ($($module:ident::$name:ident,)+) => {
        tauri::generate_handler![$(commands::$module::$name),+]
    };
}

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
            // An installed app keeps its fonts among its resources (a development build
            // finds them in the source tree); `CCEAA_FONTS_DIR`, set by office IT, wins.
            if std::env::var_os(cceaa_core::documents::fonts::FONTS_DIR_ENV).is_none() {
                if let Ok(dir) = app.path().resource_dir() {
                    let fonts = dir.join("fonts");
                    if fonts
                        .join(cceaa_core::documents::Face::Serif.file_name())
                        .is_file()
                    {
                        app.state::<AppState>().use_fonts_in(fonts);
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
        .invoke_handler(each_command!(handlers))
}
