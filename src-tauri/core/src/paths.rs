//! Where the registry lives on disk.
//!
//! By default in the operating system's application-data folder (on Windows
//! `%APPDATA%\cceaa-registry`), so the desktop app and the CLI of the same user share one
//! registry. `CCEAA_DATA_DIR` (app and CLI) or `--data-dir` (CLI) point elsewhere.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The environment variable that moves the data folder.
pub const DATA_DIR_ENV: &str = "CCEAA_DATA_DIR";

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
    dirs::data_dir()
        .map(|d| d.join("cceaa-registry"))
        .ok_or_else(|| Error::DataDir {
            path: String::new(),
            message: format!("no application-data folder is known; set {DATA_DIR_ENV}"),
        })
}

/// Creates the data folder if needed (first launch) and returns the database path in it.
pub fn database_in(dir: &Path) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(|e| Error::DataDir {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    Ok(dir.join(DATABASE_FILE))
}
