//! The commands the window may call. Each takes the state, calls the core, and maps the
//! core's error into the `ErrorReport` the UI shows. No SQL and no rules here.

pub mod members;
pub mod settings;
