//! Running the `cceaa` binary as office IT's scripts do, for every CLI test file.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// `cceaa --data-dir DIR ARGS...` in Chinese, whatever the machine's locale.
pub fn cceaa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cceaa"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("CCEAA_LANG")
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .expect("cceaa runs")
}

/// Its standard output, the command having succeeded.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = cceaa(dir, args);
    assert!(
        out.status.success(),
        "cceaa {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
