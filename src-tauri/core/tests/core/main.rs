//! The core's integration tests, one binary (each file of `tests/` would otherwise be a binary
//! of its own, each linking the whole core again). A module a file, named after what it tests.

mod architecture;
mod backup;
mod common;
mod dashboard;
mod documents;
mod exchange;
mod fuzzing;
mod storage;
mod upgrade;
mod workflows;
