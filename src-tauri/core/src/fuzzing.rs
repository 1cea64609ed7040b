//! What the fuzzers run (`fuzz/`, with cargo-fuzz): each takes arbitrary bytes, as a file
//! from elsewhere would arrive, and must end with a value or an error, never a panic, an
//! abort or an unbounded allocation. The same functions run over the kept inputs in
//! `tests/fuzzing.rs`, so a crash once found stays fixed without cargo-fuzz.

use std::path::PathBuf;

use crate::exchange::import::{layout, ImportOptions};
use crate::exchange::read::{read, Limits};
use crate::Registry;

/// A file of this process's own in the temporary folder, holding `data`, named with `ext`.
fn file_with(data: &[u8], ext: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cceaa-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("input.{ext}"));
    std::fs::write(&path, data).expect("the temporary folder is writable");
    path
}

/// The first byte chooses among `choices`; the rest is the content.
fn split<'a, T: Copy>(data: &'a [u8], choices: &[T]) -> Option<(T, &'a [u8])> {
    let (first, rest) = data.split_first()?;
    Some((choices[*first as usize % choices.len()], rest))
}

/// A spreadsheet of any supported kind, read and laid out as an import would.
pub fn spreadsheet(data: &[u8]) {
    let Some((ext, content)) = split(data, &["csv", "xlsx", "xls", "ods", "xlsb"]) else {
        return;
    };
    let path = file_with(content, ext);
    if let Ok(sheet) = read(&path, "", Limits::default()) {
        let _ = layout(&sheet, &ImportOptions::default());
    }
}

/// A CSV imported (as a preview) into a registry that has a member already.
pub fn import(data: &[u8]) {
    thread_local! {
        static REGISTRY: std::cell::RefCell<Registry> = std::cell::RefCell::new({
            let mut r = Registry::open_in_memory().expect("a registry in memory");
            let stamp = crate::Stamp::now();
            let input = crate::MemberInput {
                name: "华为技术有限公司".into(),
                uscc: "914403001922038216".into(),
                ..Default::default()
            };
            r.create_member(&input, &stamp).expect("a member");
            r
        });
    }
    let path = file_with(data, "csv");
    REGISTRY.with(|r| {
        let _ = r
            .borrow_mut()
            .import(&path, &ImportOptions::default(), &crate::Stamp::now(), true);
    });
}

/// The normalisers of typed and imported values: codes, phones, e-mail, websites, dates,
/// the characters a field may hold, and every field's cell reading.
pub fn values(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::uscc::parse(&text);
    let _ = crate::uscc::normalize(&text);
    let _ = crate::contact::phone(crate::Field::HeadPhone, &text);
    let _ = crate::contact::email(crate::Field::HeadEmail, &text);
    let _ = crate::contact::website(&text);
    let _ = crate::text::forbidden_char(&text, true);
    let _ = crate::text::fold_for_search(&text);
    let cell = crate::exchange::sheet::Cell::Text(text.to_string());
    let number = data
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .map(f64::from_le_bytes)
        .map(crate::exchange::sheet::Cell::Number);
    for field in crate::exchange::MEMBER_FIELDS {
        let mut input = crate::MemberInput::default();
        let _ = crate::exchange::values::set_field(&mut input, *field, &cell);
        if let Some(n) = &number {
            let _ = crate::exchange::values::set_field(&mut input, *field, n);
        }
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("a date");
    let input = crate::MemberInput {
        name: text.to_string(),
        joined: text.to_string(),
        notes: text.to_string(),
        ..Default::default()
    };
    let _ = input.validate(today);
}

/// What a clerk scans or types to verify a certificate.
pub fn verify_text(data: &[u8]) {
    thread_local! {
        static REGISTRY: Registry = Registry::open_in_memory().expect("a registry in memory");
    }
    let text = String::from_utf8_lossy(data);
    let _ = crate::documents::verify::parse(&text);
    let _ = crate::documents::verify::normalise_code(&text);
    REGISTRY.with(|r| {
        let _ = r.verify_certificate(&text);
    });
}

/// A font file as found in a PC's fonts folder: listed, and cut to one face.
pub fn font(data: &[u8]) {
    let path = file_with(data, "ttc");
    let _ = crate::documents::fonts::cjk_faces(&path);
    for index in 0..2 {
        let _ = crate::documents::fonts::single_face(data, index);
    }
}

/// A file offered as a backup to restore, checked as a restore checks it (a complete backup
/// or a database alone, told apart by content).
pub fn restore(data: &[u8]) {
    let path = file_with(data, "zip");
    let _ = crate::db::check_backup(&path);
}
