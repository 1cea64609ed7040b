//! Tauri's build step. The app manifest lists our commands (from `src/command_list.rs`) so
//! that each gets an `allow-<command>` permission, and the capability grants exactly those: a
//! command that is not in the list cannot be called from the window at all.

include!("src/command_list.rs");

macro_rules! names {
    ($($module:ident::$name:ident,)+) => {
        &[$(stringify!($name)),+]
    };
}

/// Every command's name, from the one list.
const COMMANDS: &[&str] = each_command!(names);

/// The one capability: the main window may call each command and nothing else (no plugin's
/// permission). Written from [`COMMANDS`] before Tauri's build step reads it, and only when
/// it changed; it stays in the repository, where a change to what the window may do shows
/// in review (and `tests/security.rs` pins its shape).
fn write_capability() {
    let permissions: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("    \"allow-{}\"", c.replace('_', "-")))
        .collect();
    let json = format!(
        r#"{{
  "$schema": "../gen/schemas/desktop-schema.json",
  "identifier": "default",
  "description": "The main window may call the registry's own commands and nothing else: no shell, file-system or HTTP access (files are read and written in Rust, on paths from native dialogs). Written by build.rs from src/command_list.rs.",
  "windows": [
    "main"
  ],
  "permissions": [
{}
  ]
}}
"#,
        permissions.join(",\n")
    );
    let path = std::path::Path::new("capabilities/default.json");
    if std::fs::read_to_string(path).ok().as_deref() != Some(json.as_str()) {
        std::fs::write(path, json).expect("capabilities/default.json could not be written");
    }
    println!("cargo:rerun-if-changed=src/command_list.rs");
}

fn main() {
    write_capability();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
