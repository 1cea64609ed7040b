//! Exchange figures (issue 5): 100,000 members to XLSX (target ≤ 3 s) and to CSV (≤ 0.5 s);
//! an import of 100,000 rows with validation (≤ 10 s). Run with
//! `cargo bench -p cceaa-core --bench exchange`; it prints the figures.

use std::time::{Duration, Instant};

use cceaa_core::exchange::export::ExportRequest;
use cceaa_core::exchange::import::ImportOptions;
use cceaa_core::{MemberInput, Origin, Registry, Stamp, Tier};

const N: usize = 100_000;

fn n() -> usize {
    std::env::var("CCEAA_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(N)
}

fn members(n: usize) -> Vec<MemberInput> {
    let cities = [
        "深圳", "广州", "杭州", "宁波", "义乌", "上海", "北京", "厦门",
    ];
    (0..n)
        .map(|i| {
            let overseas = i % 10 == 0;
            MemberInput {
                member_no: format!("{:06}", i + 1),
                name: format!("{}跨境电子商务{i}号有限公司", cities[i % cities.len()]),
                name_en: format!("Cross-border Trade Co. No. {i}"),
                origin: if overseas {
                    Origin::Overseas
                } else {
                    Origin::Domestic
                },
                region: if overseas {
                    "俄罗斯".into()
                } else {
                    String::new()
                },
                uscc: if overseas {
                    String::new()
                } else {
                    cceaa_core::uscc::complete(&format!("91440300{:08}", i + 1)).unwrap()
                },
                registration_no: if overseas {
                    format!("RU-{i}")
                } else {
                    String::new()
                },
                city: cities[i % cities.len()].into(),
                address: format!("{}市南山区科技园{}号", cities[i % cities.len()], i % 500),
                head_name: "李四".into(),
                liaison_name: "张三".into(),
                liaison_phone: format!("138{:08}", i),
                liaison_email: format!("liaison{i}@example.cn"),
                tier: if i % 25 == 0 {
                    Tier::Presidium
                } else {
                    Tier::Ordinary
                },
                joined: format!("20{:02}-0{}-1{}", 15 + i % 11, 1 + i % 9, i % 10),
                ..MemberInput::default()
            }
        })
        .collect()
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let stamp = Stamp::now();
    std::fs::create_dir_all(dir.path().join("source")).unwrap();
    let mut source = Registry::open(&dir.path().join("source").join("registry.db")).unwrap();
    source.bulk_insert_for_bench(&members(n()), &stamp).unwrap();
    println!("exchange bench: {} members", n());

    let request = ExportRequest::default();
    let xlsx = dir.path().join("roster.xlsx");
    let t = Instant::now();
    let s = source.export_members(&request, &xlsx).unwrap();
    println!(
        "export XLSX: {} ({} members, {} columns, {:.1} MB)   target ≤ 3 s",
        secs(t.elapsed()),
        s.members,
        s.columns,
        s.bytes as f64 / 1e6
    );
    let csv = dir.path().join("roster.csv");
    let t = Instant::now();
    let s = source.export_members(&request, &csv).unwrap();
    println!(
        "export CSV:  {} ({:.1} MB)   target ≤ 0.5 s",
        secs(t.elapsed()),
        s.bytes as f64 / 1e6
    );

    for (what, file) in [("CSV", &csv), ("XLSX", &xlsx)] {
        let target_dir = dir.path().join(format!("import-{what}"));
        std::fs::create_dir_all(&target_dir).unwrap();
        let mut target = Registry::open(&target_dir.join("registry.db")).unwrap();
        let t = Instant::now();
        let report = target
            .import(file, &ImportOptions::default(), &stamp, false)
            .unwrap();
        println!(
            "import {what} into an empty registry: {} ({} new, {} errors)   target ≤ 10 s",
            secs(t.elapsed()),
            report.counts.new,
            report.counts.errors
        );
        assert_eq!(report.counts.new as usize, n());
        let t = Instant::now();
        let again = target
            .import(file, &ImportOptions::default(), &stamp, true)
            .unwrap();
        println!(
            "preview of the same {what} again (all unchanged): {} ({} unchanged)",
            secs(t.elapsed()),
            again.counts.unchanged
        );
    }
}
