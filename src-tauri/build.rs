//! Tauri's build step. The app manifest lists our commands so that each gets an
//! `allow-<command>` permission, and the capability grants exactly those: a command that is
//! not listed here cannot be called from the window at all.

const COMMANDS: &[&str] = &[
    "list_members",
    "new_member_input",
    "member_detail",
    "check_member",
    "create_member",
    "update_member",
    "regions",
    "vocabulary",
    "get_language",
    "set_language",
    "app_info",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
