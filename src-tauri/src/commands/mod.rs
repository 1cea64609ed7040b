//! The commands the window may call. Each takes the state, calls the core, and maps the
//! core's error into the `ErrorReport` the UI shows. No SQL and no rules here.

pub mod activities;
pub mod applications;
pub mod documents;
pub mod exchange;
pub mod members;
pub mod presidium;
pub mod settings;

use cceaa_core::{Error, ErrorReport};

pub type Reply<T> = Result<T, ErrorReport>;

pub fn reply<T>(r: cceaa_core::Result<T>) -> Reply<T> {
    r.map_err(|e| e.report())
}

/// An operating-system failure (a file dialog's file, the mail program) as a message.
pub fn os_error(zh: &str, en: &str, e: impl std::fmt::Display) -> ErrorReport {
    Error::refused("os", format!("{zh}：{e}"), format!("{en}: {e}")).report()
}
