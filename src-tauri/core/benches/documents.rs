//! How fast documents come out, and how large they are: one certificate warm, a batch of
//! 1,000 certificates as one PDF, and the roster of 10,000 members. Run with
//! `cargo bench -p cceaa-core --bench documents`.
//!
//! `CCEAA_BENCH_ONLY=certificate` runs only the warm certificate, 2,000 times instead of 50,
//! for a profiler (`perf record`) to see nothing else.
//!
//! Targets (issue 4): one certificate <= 5 ms and <= 60 KB; 1,000 certificates <= 5 s; a
//! 10,000-member roster <= 3 s.

use std::time::{Duration, Instant};

use cceaa_core::documents::certificate::{self, CertificateData};
use cceaa_core::documents::{pdf, roster, Fonts};
use cceaa_core::{MemberInput, Registry, Stamp, Tier};
use chrono::NaiveDate;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn data(i: usize) -> CertificateData {
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    CertificateData {
        number: format!("CCEAA-2026-{i:04}"),
        name: format!("杭州𠮷祥跨境电子商务有限公司第{i}分公司"),
        name_en: format!("Hangzhou Jixiang Cross-border E-commerce Co., Ltd. Branch {i}"),
        tier: if i.is_multiple_of(10) {
            Tier::Presidium
        } else {
            Tier::Ordinary
        },
        since: day,
        issued: day,
        code: "ABCD-EFGH-JKMN-PQRS".into(),
        seal: None,
        signature: None,
    }
}

fn main() {
    let t = Instant::now();
    let fonts = Fonts::bundled().expect("the bundled fonts");
    let first = certificate::page(fonts, &data(1)).unwrap();
    let bytes = pdf::write(&[first], fonts, "warm-up").unwrap();
    println!(
        "first certificate (fonts read and parsed): {}",
        ms(t.elapsed())
    );
    println!("  size: {:.1} KB", bytes.len() as f64 / 1024.0);

    let only_certificate = std::env::var("CCEAA_BENCH_ONLY").as_deref() == Ok("certificate");
    let runs = if only_certificate { 2000 } else { 50 };
    let mut times = Vec::new();
    let mut size = 0;
    for i in 0..runs {
        let t = Instant::now();
        let page = certificate::page(fonts, &data(i)).unwrap();
        let b = pdf::write(&[page], fonts, "certificate").unwrap();
        times.push(t.elapsed());
        size = b.len();
    }
    println!(
        "one certificate, warm (median of {runs}): {}   target <= 5 ms; {:.1} KB, target <= 60 KB",
        ms(median(times)),
        size as f64 / 1024.0
    );
    if only_certificate {
        return;
    }

    let t = Instant::now();
    let installed = cceaa_core::documents::fonts::installed_cjk_fonts();
    println!(
        "installed fonts listed for Settings: {} ({} faces that set Chinese)",
        ms(t.elapsed()),
        installed.len()
    );

    let t = Instant::now();
    let pages: Vec<_> = (0..1000)
        .map(|i| certificate::page(fonts, &data(i)).unwrap())
        .collect();
    let laid = t.elapsed();
    let b = pdf::write(&pages, fonts, "batch").unwrap();
    println!(
        "1,000 certificates in one PDF: {:.2} s (layout {}), {:.1} MB   target <= 5 s",
        t.elapsed().as_secs_f64(),
        ms(laid),
        b.len() as f64 / 1_048_576.0
    );

    // The roster: 10,000 members with Chinese and English names, contacts and places.
    let dir = tempfile::tempdir().unwrap();
    let mut r = Registry::open(&dir.path().join("registry.db")).unwrap();
    let stamp = Stamp::now();
    let base = r
        .create_member(
            &MemberInput {
                name: "模板".into(),
                joined: "2020-01-01".into(),
                ..Default::default()
            },
            &stamp,
        )
        .unwrap();
    let cities = [
        "上海",
        "深圳",
        "杭州",
        "广州",
        "哈尔滨",
        "Москва",
        "Jakarta",
    ];
    let members: Vec<_> = (0..10_000)
        .map(|i| {
            let mut m = base.clone();
            m.member_no = format!("{:05}", i + 1);
            m.name = format!("{}跨境电子商务供应链管理有限公司第{i}号", cities[i % 7]);
            m.name_en = format!("Cross-border E-commerce Supply Chain Co., Ltd. No. {i}");
            m.city = cities[i % 7].into();
            m.region = "中国".into();
            m.liaison.name = "王伟".into();
            m.liaison.phone = "138 0013 8000".into();
            m.liaison.email = format!("liaison{i}@example.cn");
            m
        })
        .collect();
    let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    for public in [false, true] {
        let t = Instant::now();
        let table = roster::table(&members, public, today);
        let pages = table.pages(fonts).unwrap();
        let laid = t.elapsed();
        let b = pdf::write(&pages, fonts, &table.title).unwrap();
        println!(
            "roster of 10,000 members ({}): {:.2} s (layout {}), {} pages, {:.1} MB   target <= 3 s",
            if public { "public" } else { "internal" },
            t.elapsed().as_secs_f64(),
            ms(laid),
            pages.len(),
            b.len() as f64 / 1_048_576.0
        );
    }
}
