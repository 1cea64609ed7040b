//! Where the registry lives on disk.
//!
//! By default in the operating system's application-data folder (on Windows
//! `%APPDATA%\cceaa-registry`), so the desktop app and the CLI of the same user share one
//! registry. `CCEAA_DATA_DIR` (app and CLI) or `--data-dir` (CLI) point elsewhere.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The environment variable that moves the data folder.
pub const DATA_DIR_ENV: &str = "CCEAA_DATA_DIR";

/// The product name the installers use (Tauri's `productName`): Linux packages keep the app's
/// resources, the bundled fonts among them, in `/usr/lib/<PRODUCT_NAME>/`.
pub const PRODUCT_NAME: &str = "CCEAA Registry";

/// The registry database's file name inside the data folder.
pub const DATABASE_FILE: &str = "registry.db";

/// Chooses the data folder: an explicit path first, then `CCEAA_DATA_DIR`, then the OS default.
pub fn data_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    data_dir_in(dirs::data_dir())
}

/// The registry's folder inside the operating system's application-data folder (on Windows
/// the roaming `%APPDATA%`, which the setup and the uninstaller leave alone).
fn data_dir_in(app_data: Option<PathBuf>) -> Result<PathBuf> {
    app_data
        .map(|d| d.join(DATA_FOLDER))
        .ok_or_else(|| Error::DataDir {
            path: String::new(),
            message: format!("no application-data folder is known; set {DATA_DIR_ENV}"),
        })
}

/// The data folder's own name, the same on every system and in every version: renaming it
/// would lose every office's registry on upgrade.
const DATA_FOLDER: &str = "cceaa-registry";

/// Creates the data folder if needed (first launch) and returns the database path in it.
pub fn database_in(dir: &Path) -> Result<PathBuf> {
    let failed = |e: std::io::Error| Error::DataDir {
        path: dir.display().to_string(),
        message: e.to_string(),
    };
    if !dir.is_dir() {
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(failed)?;
        }
        // A new data folder is its owner's alone on Linux (0700): it holds the certificate key.
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
            Err(e) => return Err(failed(e)),
        }
    }
    Ok(dir.join(DATABASE_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(name: &str) -> serde_json::Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name);
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    #[test]
    fn the_data_folder_is_under_the_users_application_data() {
        let roaming = PathBuf::from(r"C:\Users\张三\AppData\Roaming");
        assert_eq!(
            data_dir_in(Some(roaming.clone())).unwrap(),
            roaming.join("cceaa-registry")
        );
        let e = data_dir_in(None).unwrap_err();
        assert!(e.message().zh.contains(DATA_DIR_ENV), "{}", e.message().zh);
        // Registry::open creates it, Chinese user names and spaces included.
        let dir = tempfile::tempdir().unwrap();
        let home = dir
            .path()
            .join("张三 的电脑")
            .join("AppData")
            .join("Roaming");
        let db = database_in(&data_dir_in(Some(home)).unwrap()).unwrap();
        assert!(db.parent().unwrap().is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(db.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o777,
                0o700,
                "a new data folder is its owner's: {mode:o}"
            );
        }
        assert!(db.ends_with("cceaa-registry/registry.db"));
    }

    #[test]
    fn the_product_name_is_the_installers_own() {
        assert_eq!(
            config("tauri.conf.json")["productName"],
            PRODUCT_NAME,
            "the Linux package puts the fonts under /usr/lib/<productName>/, where the \
             installed CLI looks for them"
        );
    }

    #[test]
    fn one_version_number_for_the_app_the_cli_and_the_packages() {
        let version = env!("CARGO_PKG_VERSION");
        // Tauri takes the packages' version from the app crate, which takes the workspace's.
        assert!(
            config("tauri.conf.json").get("version").is_none(),
            "tauri.conf.json must not carry a version of its own"
        );
        let ui = config("../ui/package.json");
        assert_eq!(ui["version"], version, "ui/package.json's version");
        let changelog = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/CHANGELOG.md"),
        )
        .unwrap();
        assert!(
            changelog.contains(&format!("\n## {version} ")),
            "CHANGELOG.md has no section for {version}"
        );
    }
}
