//! What several test files need: the fixtures' folder and copies of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A registry folder as a released version wrote it (`tests/fixtures/registry-<version>`).
pub fn fixture(version: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(format!("registry-{version}"))
}

/// Copies the folder `from` into `to`, sub-folders included.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
