#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cceaa_core::fuzzing::verify_text(data));
