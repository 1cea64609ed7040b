//! The app's one piece of state: the open registry, or why it could not be opened.
//!
//! Opening can fail (a data folder that cannot be created, a file from a newer version). The
//! window still opens, and every command answers with the reason, so the clerk sees a message
//! in their language instead of an app that vanishes.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use cceaa_core::{paths, Error, ErrorReport, Registry};

pub struct AppState {
    registry: Result<Mutex<Registry>, ErrorReport>,
    pub data_dir: PathBuf,
    pub database: PathBuf,
}

impl AppState {
    /// Opens the registry in `CCEAA_DATA_DIR` or the OS application-data folder, creating it
    /// on first launch.
    pub fn open_default() -> AppState {
        let data_dir = paths::data_dir(None).unwrap_or_else(|_| PathBuf::from("."));
        let database = data_dir.join(paths::DATABASE_FILE);
        let registry = paths::data_dir(None)
            .and_then(|dir| paths::database_in(&dir))
            .and_then(|db| Registry::open(&db))
            .map(Mutex::new)
            .map_err(|e| e.report());
        AppState {
            registry,
            data_dir,
            database,
        }
    }

    /// The registry, locked for one command. Held only for the length of a core call.
    pub fn registry(&self) -> Result<MutexGuard<'_, Registry>, ErrorReport> {
        let lock = self.registry.as_ref().map_err(Clone::clone)?;
        lock.lock().map_err(|_| {
            Error::Storage("an earlier operation failed mid-way; restart the app".into()).report()
        })
    }
}
