//! The first screen's figures agree with the lists they open, on the registry 0.1.0 wrote
//! (a realistic office: presidium and ordinary members, applications in every state,
//! activities, certificates) and after a day's work on it.

use cceaa_core::{ApplicationState, MemberInput, MemberQuery, Registry, Status, Tier};
use chrono::NaiveDate;

use crate::common;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn members(r: &Registry, tier: Option<Tier>, status: Option<Status>) -> u32 {
    r.list_members(&MemberQuery {
        tier,
        status,
        ..Default::default()
    })
    .unwrap()
    .total
}

#[test]
fn each_figure_counts_what_its_list_shows() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("0.1.0"), dir.path());
    let r = Registry::open(&dir.path().join("registry.db")).unwrap();
    let today = day("2026-11-29");
    let d = r.dashboard(today).unwrap();
    assert_eq!(d.today, today);
    let active = Some(Status::Active);
    assert_eq!(d.presidium, members(&r, Some(Tier::Presidium), active));
    assert_eq!(d.ordinary, members(&r, Some(Tier::Ordinary), active));
    assert!(d.presidium > 0 && d.ordinary > 0, "{d:?}");
    let waiting = |s| r.list_applications(Some(s), "").unwrap().len() as u32;
    assert_eq!(d.received, waiting(ApplicationState::Received));
    assert_eq!(d.under_review, waiting(ApplicationState::UnderReview));
    let watch = r.watchlist(today).unwrap();
    assert_eq!(d.watch.total() as usize, watch.len());
    let without: u32 = r
        .list_members(&MemberQuery {
            status: active,
            limit: 10_000,
            ..Default::default()
        })
        .unwrap()
        .rows
        .iter()
        .filter(|m| {
            r.certificates(m.id)
                .unwrap()
                .iter()
                .all(|c| c.revoked.is_some())
        })
        .count() as u32;
    assert_eq!(d.certificates_missing, without);
    let joined = r
        .list_members(&MemberQuery {
            joined_from: Some(day("2026-01-01")),
            joined_to: Some(today),
            ..Default::default()
        })
        .unwrap()
        .total;
    assert_eq!(d.joined_this_year, joined, "one membership a member here");
    let upcoming = r.list_activities(None, "").unwrap();
    let later = upcoming.iter().filter(|a| a.date >= today).count().min(5);
    assert_eq!(d.upcoming.len(), later);
    assert!(d.upcoming.windows(2).all(|w| w[0].date <= w[1].date));
}

#[test]
fn a_days_work_moves_the_figures() {
    let mut r = Registry::open_in_memory().unwrap();
    let today = day("2026-11-29");
    let before = r.dashboard(today).unwrap();
    assert_eq!(
        (before.presidium, before.ordinary, before.received),
        (0, 0, 0)
    );
    assert!(before.chair.is_none() && !before.chair_ending);
    assert!(
        before.last_backup.is_none() && before.backup_stale,
        "no backup yet"
    );
    let stamp = cceaa_core::Stamp {
        at: today.and_hms_opt(9, 0, 0).unwrap(),
        actor: "secretariat".into(),
    };
    let input = MemberInput {
        name: "深圳跨境科技有限公司".into(),
        ..MemberInput::new_member(today)
    };
    r.create_member(&input, &stamp).unwrap();
    let after = r.dashboard(today).unwrap();
    assert_eq!(after.ordinary, 1);
    assert_eq!(after.joined_this_year, 1);
    assert_eq!(
        after.certificates_missing, 1,
        "recorded directly: no certificate yet"
    );
}
