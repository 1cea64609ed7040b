//! The window's boundaries, pinned: the content security policy and the one capability file.
//! Loosening either (a remote script, `unsafe-eval`, a plugin's file-system or shell
//! permission, a command not in the app's own list) fails here, so it is a visible change
//! that a reviewer must accept by editing this test.

use std::path::Path;

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

fn json(name: &str) -> serde_json::Value {
    serde_json::from_str(&read(name)).unwrap()
}

/// The policy, directive by directive. `connect-src` allows only Tauri's IPC; nothing is
/// loaded from the network; inline styles are Svelte's, inline scripts none.
const CSP: &[&str] = &[
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src ipc: http://ipc.localhost",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
];

#[test]
fn the_content_security_policy_is_as_pinned() {
    let conf = json("tauri.conf.json");
    let security = &conf["app"]["security"];
    let csp: Vec<&str> = security["csp"]
        .as_str()
        .expect("a CSP is set")
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    assert_eq!(csp, CSP);
    // Nothing else in `security` (no devCsp, no dangerous switches, no asset protocol).
    let keys: Vec<&String> = security.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["csp"], "app.security gained a setting");
    // The platform and release configurations never override it.
    for name in [
        "tauri.windows.conf.json",
        "tauri.offline.conf.json",
        "tauri.release.conf.json",
    ] {
        assert!(
            json(name).get("app").is_none(),
            "{name} overrides the app's window or security settings"
        );
    }
    // The window loads the bundled UI, never a URL.
    for w in conf["app"]["windows"].as_array().unwrap() {
        assert!(w
            .get("url")
            .is_none_or(|u| !u.as_str().unwrap_or("").contains("://")));
    }
}

/// The commands `src/command_list.rs` declares, each the app's own: "members::list_members,"
/// gives "list_members".
fn commands() -> Vec<String> {
    let list = read("src/command_list.rs");
    let start = list.find("$then! {").unwrap();
    list[start..]
        .lines()
        .skip(1)
        .map(str::trim)
        .take_while(|l| *l != "}")
        .map(|l| {
            let name = l.strip_suffix(',').expect("one `module::function,` a line");
            name.rsplit("::").next().unwrap().to_string()
        })
        .collect()
}

#[test]
fn the_window_may_call_the_registrys_own_commands_and_nothing_else() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["default.json"], "one capability file");
    let cap = json("capabilities/default.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert!(
        cap.get("remote").is_none(),
        "no remote URL may call commands"
    );
    assert!(cap.get("platforms").is_none());
    let mut granted: Vec<String> = cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("plain permission names").to_string())
        .collect();
    let mut expected: Vec<String> = commands()
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert!(expected.len() > 50, "{expected:?}");
    granted.sort();
    expected.sort();
    assert_eq!(
        granted, expected,
        "the capability grants exactly the commands src/command_list.rs declares: no plugin \
         (fs, shell, http, opener) permission, nothing missing"
    );
}

/// The commands the UI calls: each `invoke('name'` or `invoke<Type>('name'` in `api.ts`.
fn invoked(api: &str) -> Vec<String> {
    let mut names: Vec<String> = api
        .split("invoke")
        .skip(1)
        .filter_map(|rest| {
            let call = &rest[rest.find("('")? + 2..];
            // The type between invoke and its parenthesis is on the same line.
            if rest[..rest.find("('")?].contains(['\n', ';']) {
                return None;
            }
            Some(call[..call.find('\'')?].to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn every_list_of_commands_names_the_same_commands() {
    let mut declared = commands();
    declared.sort();
    assert!(declared.len() > 50, "{declared:?}");
    let mut unique = declared.clone();
    unique.dedup();
    assert_eq!(unique, declared, "a command is declared twice");
    // The permissions Tauri's build step made from build.rs's manifest (not kept in git).
    let mut permissions: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("permissions/autogenerated"))
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                name.strip_suffix(".toml").map(str::to_string)
            })
            .collect();
    permissions.sort();
    assert_eq!(
        permissions, declared,
        "permissions/autogenerated and src/command_list.rs"
    );
    let api = read("../ui/src/lib/api.ts");
    assert_eq!(
        invoked(&api),
        declared,
        "ui/src/lib/api.ts and src/command_list.rs"
    );
}
