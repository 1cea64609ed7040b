//! The registry at the size of a large alliance: 100,000 synthetic members in a file-backed
//! database, then the figures the issue sets targets for. Run with
//! `cargo bench -p cceaa-core --bench registry` (optionally `-- 20000` for another size).
//!
//! Targets: search median <= 20 ms, first list page <= 10 ms, open <= 200 ms.

use std::time::{Duration, Instant};

use cceaa_core::{
    ActivityInput, ActivityKind, ApplicationInput, Decision, MemberInput, MemberQuery, Origin,
    Registry, Stamp, Tier,
};
use chrono::NaiveDate;

const CITIES: &[&str] = &[
    "上海",
    "深圳",
    "杭州",
    "广州",
    "北京",
    "厦门",
    "哈尔滨",
    "南宁",
    "郑州",
    "成都",
];
const WORDS: &[&str] = &[
    "华",
    "通",
    "达",
    "跨境",
    "电商",
    "科技",
    "贸易",
    "供应链",
    "物流",
    "数字",
    "云",
    "海",
    "丝路",
    "国际",
    "网络",
    "信息",
    "智慧",
    "商务",
    "创新",
    "联合",
    "星",
    "宏",
    "远",
    "泰",
    "瑞",
];
const SUFFIXES: &[&str] = &[
    "有限公司",
    "股份有限公司",
    "集团有限公司",
    "研究院",
    "产业园",
    "协会",
];
const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟",
];

/// A small deterministic generator, so every run builds the same registry.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

fn synthetic(n: usize) -> Vec<MemberInput> {
    let mut g = Lcg(42);
    (0..n)
        .map(|i| {
            let city = g.pick(CITIES);
            let overseas = i % 10 == 0;
            MemberInput {
                member_no: format!("{:05}", i + 1),
                name: format!(
                    "{city}{}{}{}{}",
                    g.pick(WORDS),
                    g.pick(WORDS),
                    i,
                    g.pick(SUFFIXES)
                ),
                name_en: format!("Synthetic Trade Co. {i}"),
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
                city: city.into(),
                tier: if i % 25 == 0 {
                    Tier::Presidium
                } else {
                    Tier::Ordinary
                },
                liaison_name: format!("{}{}{}", g.pick(SURNAMES), g.pick(GIVEN), g.pick(GIVEN)),
                joined: format!("20{:02}-0{}-1{}", 15 + i % 11, 1 + i % 9, i % 10),
                ..Default::default()
            }
        })
        .collect()
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("registry.db");
    let stamp = Stamp {
        at: NaiveDate::from_ymd_opt(2026, 11, 25)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
        actor: "bench".into(),
    };

    let t = Instant::now();
    {
        let mut r = Registry::open(&path).expect("open");
        for chunk in synthetic(n).chunks(10_000) {
            r.bulk_insert_for_bench(chunk, &stamp).expect("fill");
        }
    }
    println!("members:            {n}");
    println!("fill:               {:.1} s", t.elapsed().as_secs_f64());

    let opens: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            let r = Registry::open(&path).expect("open");
            let d = t.elapsed();
            drop(r);
            d
        })
        .collect();
    println!(
        "open (median):      {}   target <= 200 ms",
        ms(median(opens))
    );

    let r = Registry::open(&path).expect("open");
    let run = |q: &MemberQuery, times: usize| -> (Duration, u32) {
        let mut total = 0;
        let ds = (0..times)
            .map(|_| {
                let t = Instant::now();
                total = r.list_members(q).expect("list").total;
                t.elapsed()
            })
            .collect();
        (median(ds), total)
    };

    let (first_page, total) = run(&MemberQuery::default(), 51);
    println!(
        "first page (median): {}   target <= 10 ms   ({total} members)",
        ms(first_page)
    );

    let searches = [
        "华",
        "跨境",
        "杭州",
        "王伟",
        "供应链有限",
        "Trade Co. 4711",
        "04711",
        "不存在的单位",
    ];
    let mut all = Vec::new();
    for s in searches {
        let q = MemberQuery {
            search: s.into(),
            ..Default::default()
        };
        let (d, hits) = run(&q, 21);
        println!("  search {s:<16} {:>10}  {hits} hits", ms(d));
        all.push(d);
    }
    println!(
        "search (median of the queries' medians): {}   target <= 20 ms",
        ms(median(all))
    );

    let filtered = MemberQuery {
        tier: Some(Tier::Presidium),
        search: "科技".into(),
        ..Default::default()
    };
    let (d, hits) = run(&filtered, 21);
    println!("search + tier filter: {}  ({hits} hits)", ms(d));

    drop(r);
    workflows(&path, &stamp, n);

    let size: u64 = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "database size:      {:.1} MiB (with WAL)",
        size as f64 / 1024.0 / 1024.0
    );
}

/// The charter workflows at this size: 100 activities with 300 attending units each, then the
/// watch-list over every member, a member's whole detail (timeline included), and an approval
/// (member, number and certificate in one transaction).
fn workflows(path: &std::path::Path, stamp: &Stamp, n: usize) {
    let mut r = Registry::open(path).expect("open");
    let t = Instant::now();
    let mut g = Lcg(7);
    for a in 0..100 {
        let input = ActivityInput {
            kind: ActivityKind::Exchange,
            title: format!("跨境电商交流会 第 {a} 期"),
            date: format!("2026-{:02}-{:02}", 1 + a % 10, 1 + a % 28),
            ..Default::default()
        };
        let id = r.create_activity(&input, stamp).expect("activity").id;
        for _ in 0..300 {
            let member = 1 + (g.next() % n) as i64;
            // A member that joined after the activity is refused; that is part of the load.
            let _ = r.add_attendance(id, member, "代表", stamp);
        }
    }
    println!("30,000 attendances:  {:.1} s", t.elapsed().as_secs_f64());

    let today = stamp.today();
    let mut listed = 0;
    let ds: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            listed = r.watchlist(today).expect("watchlist").len();
            t.elapsed()
        })
        .collect();
    println!(
        "watch-list (median): {}   ({listed} members at 9+ months)",
        ms(median(ds))
    );

    // The first screen: every figure, the watch-list among them. Its baseline in the same run
    // is the watch-list alone, above.
    let ds: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            r.dashboard(today).expect("dashboard");
            t.elapsed()
        })
        .collect();
    println!("工作台 figures (median): {}", ms(median(ds)));

    let ds: Vec<Duration> = (1..=21)
        .map(|i| {
            let t = Instant::now();
            r.member_detail(i * 97, today).expect("detail");
            t.elapsed()
        })
        .collect();
    println!("member detail with timeline (median): {}", ms(median(ds)));

    let ds: Vec<Duration> = (0..21)
        .map(|i| {
            let input = ApplicationInput {
                applicant: MemberInput {
                    name: format!("新申请单位 {i}"),
                    ..Default::default()
                },
                recommenders: vec![1],
                received: "2026-11-01".into(),
                ..Default::default()
            };
            let app = r.create_application(&input, stamp).expect("application");
            let t = Instant::now();
            r.approve_application(app.id, &Decision::default(), stamp)
                .expect("approve");
            t.elapsed()
        })
        .collect();
    println!("approve an application (median): {}", ms(median(ds)));
}
