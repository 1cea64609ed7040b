//! The app's one piece of state: the open registry, or why it could not be opened.
//!
//! Opening can fail (a data folder that cannot be created, a file from a newer version). The
//! window still opens, and every command answers with the reason, so the clerk sees a message
//! in their language instead of an app that vanishes.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, OnceLock};

use cceaa_core::{paths, Error, ErrorReport, Registry};

pub struct AppState {
    /// Opened on first use, not when the state is made: the single-instance check runs
    /// between the two, so a second launch (or a newer version) hands over to the running
    /// one without ever opening, let alone migrating, the file under it.
    registry: OnceLock<Result<Mutex<Registry>, ErrorReport>>,
    /// Why the data folder could not even be named.
    unnamed: Option<ErrorReport>,
    pub data_dir: PathBuf,
    pub database: PathBuf,
    /// The spreadsheet chosen for import, between preview and confirmation.
    pub pending_import: Mutex<Option<PathBuf>>,
    /// The backup chosen for restore, between the check and the confirmation.
    pub pending_restore: Mutex<Option<PathBuf>>,
    /// Why the last automatic backup failed; cleared by the next that succeeds.
    pub backup_failure: Mutex<Option<ErrorReport>>,
    /// The bundled fonts' folder: the installed app's resource folder, set at start-up
    /// ([`AppState::use_fonts_in`]); else where the core finds them.
    fonts_dir: OnceLock<PathBuf>,
}

impl AppState {
    /// The registry in `CCEAA_DATA_DIR` or the OS application-data folder, to be opened (and
    /// created on first launch) when first used. Nothing on disk is touched here.
    pub fn default_location() -> AppState {
        match paths::data_dir(None) {
            Ok(dir) => AppState::at(dir),
            Err(e) => AppState {
                unnamed: Some(e.report()),
                ..AppState::at(PathBuf::new())
            },
        }
    }

    /// The registry in `data_dir`, to be opened when first used.
    pub fn at(data_dir: PathBuf) -> AppState {
        AppState {
            registry: OnceLock::new(),
            unnamed: None,
            database: data_dir.join(paths::DATABASE_FILE),
            data_dir,
            pending_import: Mutex::new(None),
            pending_restore: Mutex::new(None),
            backup_failure: Mutex::new(None),
            fonts_dir: OnceLock::new(),
        }
    }

    /// Documents are set in the fonts of `dir` from now on (the first call wins).
    pub fn use_fonts_in(&self, dir: PathBuf) {
        let _ = self.fonts_dir.set(dir);
    }

    /// The folder the bundled fonts are loaded from.
    pub fn fonts_dir(&self) -> &std::path::Path {
        self.fonts_dir
            .get_or_init(cceaa_core::documents::fonts::bundled_dir)
    }

    /// Opens the registry in `data_dir` now; a failure is kept, to be reported by every
    /// command.
    pub fn open_in(data_dir: PathBuf) -> AppState {
        let state = AppState::at(data_dir);
        drop(state.registry());
        state
    }

    fn open(&self) -> Result<Mutex<Registry>, ErrorReport> {
        if let Some(e) = &self.unnamed {
            return Err(e.clone());
        }
        Ok(paths::database_in(&self.data_dir)
            .and_then(|db| Registry::open(&db))
            .map(Mutex::new)?)
    }

    /// Takes an automatic backup when one is due (none yet today), copied to the second
    /// destination when one is set; a failure is kept for the backups screen to show.
    pub fn automatic_backup(&self) {
        let due = match self.registry() {
            Ok(r) => r.backups_dir().and_then(|dir| {
                cceaa_core::exchange::backup::due(&dir, cceaa_core::exchange::backup::now())
            }),
            // No registry, nothing to back up; every command already reports why.
            Err(_) => return,
        };
        match due.and_then(|due| {
            due.then(|| cceaa_core::db::automatic_backup(&self.database))
                .transpose()
        }) {
            Ok(Some(done)) => {
                if let Some(problem) = done.second_problem {
                    eprintln!("second backup destination: {}", problem.en);
                }
                if let Ok(mut f) = self.backup_failure.lock() {
                    *f = None;
                }
            }
            Ok(None) => {}
            Err(e) => self.backup_failed(e.report()),
        }
    }

    fn backup_failed(&self, report: ErrorReport) {
        eprintln!("automatic backup failed: {}", report.message.en);
        if let Ok(mut f) = self.backup_failure.lock() {
            *f = Some(report);
        }
    }

    /// The registry, locked for one command (opened by the first). Held only for the length
    /// of a core call.
    pub fn registry(&self) -> Result<MutexGuard<'_, Registry>, ErrorReport> {
        let lock = self
            .registry
            .get_or_init(|| self.open())
            .as_ref()
            .map_err(Clone::clone)?;
        lock.lock().map_err(poisoned)
    }
}

/// What a lock left poisoned by a panic in an earlier command becomes: a message, not a crash.
pub fn poisoned<T>(_: T) -> ErrorReport {
    Error::Storage("an earlier operation failed mid-way; restart the app".into()).report()
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
    fn the_state_touches_nothing_until_the_registry_is_first_used() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("new");
        let state = AppState::at(folder.clone());
        assert!(
            !folder.exists(),
            "made before the single-instance check: nothing on disk"
        );
        assert!(state.registry().is_ok());
        assert!(state.database.exists());
    }

    #[test]
    fn a_fresh_folder_is_created_and_opened() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open_in(dir.path().join("new"));
        assert!(state.registry().is_ok());
        assert!(state.database.exists());
    }
}
