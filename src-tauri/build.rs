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
    "new_application_input",
    "list_applications",
    "application_detail",
    "check_application",
    "applicant_flags",
    "create_application",
    "update_application",
    "review_application",
    "approve_application",
    "reject_application",
    "withdraw_application",
    "application_notice",
    "record_notice_sent",
    "open_notice_in_mail",
    "save_notice_eml",
    "add_attachment",
    "open_attachment",
    "presidium_view",
    "presidium_on",
    "record_motion",
    "set_rotation_order",
    "start_chair_term",
    "list_activities",
    "new_activity_input",
    "activity_detail",
    "create_activity",
    "update_activity",
    "add_attendance",
    "remove_attendance",
    "watchlist",
    "add_excused",
    "withdraw_member",
    "confirm_deemed_withdrawal",
    "issue_certificate",
    "workflow_settings",
    "save_workflow_settings",
    "default_notice_template",
    "document_preview",
    "save_document",
    "verify_certificate",
    "reissue_certificate",
    "document_images",
    "choose_document_image",
    "clear_document_image",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
