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
        match paths::data_dir(None) {
            Ok(dir) => AppState::open_in(dir),
            Err(e) => AppState {
                registry: Err(e.report()),
                data_dir: PathBuf::new(),
                database: PathBuf::new(),
            },
        }
    }

    /// Opens the registry in `data_dir`; a failure is kept, to be reported by every command.
    pub fn open_in(data_dir: PathBuf) -> AppState {
        let database = data_dir.join(paths::DATABASE_FILE);
        let registry = paths::database_in(&data_dir)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_folder_that_cannot_be_created_becomes_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("not-a-folder");
        std::fs::write(&blocker, b"a file where the data folder should be").unwrap();
        let state = AppState::open_in(blocker.join("registry"));
        let report = state.registry().err().expect("opening must fail");
        assert_eq!(report.code, "data_dir");
        assert!(
            report.message.zh.contains("数据文件夹"),
            "{:?}",
            report.message
        );
    }

    #[test]
    fn a_fresh_folder_is_created_and_opened() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open_in(dir.path().join("new"));
        assert!(state.registry().is_ok());
        assert!(state.database.exists());
    }
}
