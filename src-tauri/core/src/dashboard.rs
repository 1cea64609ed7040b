//! The 工作台, the first screen: what is waiting for the secretariat today, in figures, each
//! of which opens the list behind it. The store counts; the rules of what counts as waiting
//! (a chair's term ending soon, a unit on the watch-list) are here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::{Activity, WatchRow};
use crate::presidium::ChairTerm;
use crate::watchlist::Level;

/// A chair's term ending within this many days is shown as ending soon.
pub const CHAIR_ENDING_DAYS: i64 = 30;

/// How many upcoming activities the first screen lists.
pub const UPCOMING: u32 = 5;

/// The figures of the first screen, as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub today: NaiveDate,
    /// Members in the register, by tier.
    pub presidium: u32,
    pub ordinary: u32,
    /// Memberships begun and ended this calendar year.
    pub joined_this_year: u32,
    pub left_this_year: u32,
    /// Applications waiting, by state.
    pub received: u32,
    pub under_review: u32,
    /// Decided applications whose notice to the unit is not recorded as sent (Art. 10(3)).
    pub notices_unsent: u32,
    /// Members in the register without a valid certificate.
    pub certificates_missing: u32,
    /// Units 9, 11 and 12 or more months without activity (Art. 13(1)).
    pub watch: WatchCounts,
    /// The chair in office and when the term ends.
    pub chair: Option<ChairTerm>,
    /// Whether that term ends within [`CHAIR_ENDING_DAYS`] (or has ended with none after it).
    pub chair_ending: bool,
    /// The next activities, from today on, soonest first.
    pub upcoming: Vec<Activity>,
    /// When the newest backup in the data folder was taken (`YYYY-MM-DD HH:MM:SS`).
    #[ts(optional)]
    pub last_backup: Option<String>,
    /// No backup today or yesterday (see [`backup_stale`]).
    pub backup_stale: bool,
}

/// The watch-list's units by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WatchCounts {
    pub notice: u32,
    pub warning: u32,
    pub past: u32,
}

impl WatchCounts {
    /// The units of the watch-list `rows`, by level.
    pub fn of(rows: &[WatchRow]) -> WatchCounts {
        let mut c = WatchCounts::default();
        for r in rows {
            match r.level {
                Level::Notice => c.notice += 1,
                Level::Warning => c.warning += 1,
                Level::Past => c.past += 1,
            }
        }
        c
    }

    pub fn total(self) -> u32 {
        self.notice + self.warning + self.past
    }
}

/// Whether the chair's term `until` ends within [`CHAIR_ENDING_DAYS`] of `today`.
pub fn chair_ending(until: NaiveDate, today: NaiveDate) -> bool {
    (until - today).num_days() <= CHAIR_ENDING_DAYS
}

/// A backup is due when the newest was taken (`newest`, its day) two days or more before
/// `today`, or there is none: the app takes one on each day's first start, so an older one
/// means the app has not run or cannot write its backups.
pub fn backup_stale(newest: Option<NaiveDate>, today: NaiveDate) -> bool {
    newest.is_none_or(|d| (today - d).num_days() >= crate::exchange::backup::SECOND_STALE_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::member::Tier;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_chairs_term_ends_soon_within_thirty_days() {
        let today = day("2026-11-29");
        assert!(chair_ending(day("2026-12-29"), today));
        assert!(!chair_ending(day("2026-12-30"), today));
        assert!(
            chair_ending(day("2026-11-01"), today),
            "ended, none after it"
        );
    }

    #[test]
    fn a_backup_two_days_old_is_stale() {
        let today = day("2026-11-29");
        assert!(!backup_stale(Some(day("2026-11-28")), today));
        assert!(backup_stale(Some(day("2026-11-27")), today));
        assert!(backup_stale(None, today));
    }

    #[test]
    fn art13_the_watch_list_is_counted_by_level() {
        let row = |level| WatchRow {
            id: 1,
            member_no: "00001".into(),
            name: "甲".into(),
            tier: Tier::Ordinary,
            last_activity: None,
            counted_from: day("2025-01-01"),
            months: 9,
            level,
        };
        let c = WatchCounts::of(&[row(Level::Notice), row(Level::Past), row(Level::Past)]);
        assert_eq!(
            c,
            WatchCounts {
                notice: 1,
                warning: 0,
                past: 2
            }
        );
        assert_eq!(c.total(), 3);
    }
}
