//! Every input the fuzzers start from (`fuzz/seeds/`) and every one that once crashed a
//! target (`fuzz/regressions/`, kept as found), run through the same functions the fuzzers
//! run: a crash fixed stays fixed, and this runs with `cargo test`, without cargo-fuzz.

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("spreadsheet", cceaa_core::fuzzing::spreadsheet),
    ("import", cceaa_core::fuzzing::import),
    ("values", cceaa_core::fuzzing::values),
    ("verify_text", cceaa_core::fuzzing::verify_text),
    ("font", cceaa_core::fuzzing::font),
    ("restore", cceaa_core::fuzzing::restore),
];

#[test]
fn every_kept_input_runs_through_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut ran = 0;
    for (name, target) in TARGETS {
        for kind in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(kind).join(name)) else {
                continue;
            };
            for e in entries.flatten() {
                let data = std::fs::read(e.path()).unwrap();
                target(&data);
                ran += 1;
            }
        }
        // The empty input and a single byte of each value, which every target must take.
        target(&[]);
        for b in 0..=255u8 {
            target(&[b]);
        }
    }
    assert!(ran >= 20, "only {ran} kept inputs: are the seeds there?");
}
