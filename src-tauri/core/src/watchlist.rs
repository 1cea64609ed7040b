//! Deemed withdrawal (视为自动退出, Art. 13(1)): a member that took part in no alliance activity
//! for more than a year without a valid reason. The registry only warns; the secretariat
//! confirms.
//!
//! The clock starts at the later of the member's last attended activity and the start of its
//! current membership, and stops during excused periods (recorded valid reasons). Warnings
//! come at 9 and 11 months; at 12 the member is past the mark.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How close a member is to the one-year mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Level {
    /// 9 months or more without an activity.
    Notice,
    /// 11 months or more.
    Warning,
    /// 12 months or more: the secretariat may confirm a deemed withdrawal.
    Past,
}

/// A closed range of days on which absence is excused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Excused {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The days from `anchor` to `today` that count, i.e. not covered by an excused period.
/// Overlapping periods are counted once.
fn counted_days(anchor: NaiveDate, today: NaiveDate, excused: &[Excused]) -> i64 {
    if today <= anchor {
        return 0;
    }
    let mut ranges: Vec<(NaiveDate, NaiveDate)> = excused
        .iter()
        .map(|e| (e.start.max(anchor), e.end.min(today)))
        .filter(|(s, e)| s <= e)
        .collect();
    ranges.sort();
    let mut skipped = 0;
    let mut covered_to: Option<NaiveDate> = None;
    for (s, e) in ranges {
        let s = match covered_to {
            Some(c) if c >= s => c.succ_opt().unwrap_or(c),
            _ => s,
        };
        if s <= e {
            skipped += (e - s).num_days() + 1;
        }
        covered_to = Some(covered_to.map_or(e, |c| c.max(e)));
    }
    (today - anchor).num_days() - skipped
}

/// Whole months in `days` counted from `anchor`: the calendar months from the anchor to the
/// day that many counted days later.
fn whole_months(anchor: NaiveDate, days: i64) -> u32 {
    let end = anchor + chrono::Duration::days(days);
    let mut months = (end.year() - anchor.year()) * 12 + end.month() as i32 - anchor.month() as i32;
    if end.day() < anchor.day() {
        months -= 1;
    }
    months.max(0) as u32
}

/// Months without an activity, counting from `anchor` (the later of the last attendance and
/// the membership start) and skipping excused days.
pub fn months_inactive(anchor: NaiveDate, today: NaiveDate, excused: &[Excused]) -> u32 {
    whole_months(anchor, counted_days(anchor, today, excused))
}

/// The watch-list level for that many months, if any.
pub fn level(months: u32) -> Option<Level> {
    match months {
        12.. => Some(Level::Past),
        11 => Some(Level::Warning),
        9 | 10 => Some(Level::Notice),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn art13_twelve_months_without_activity_is_past_the_mark() {
        let m = months_inactive(d(2025, 3, 1), d(2026, 3, 1), &[]);
        assert_eq!(m, 12);
        assert_eq!(level(m), Some(Level::Past));
        assert_eq!(
            level(months_inactive(d(2025, 3, 1), d(2026, 2, 28), &[])),
            Some(Level::Warning)
        );
    }

    #[test]
    fn art13_early_warnings_at_nine_and_eleven_months() {
        assert_eq!(level(8), None);
        assert_eq!(level(9), Some(Level::Notice));
        assert_eq!(level(10), Some(Level::Notice));
        assert_eq!(level(11), Some(Level::Warning));
    }

    #[test]
    fn art13_a_member_excused_for_three_months_does_not_appear() {
        // Ten and a half months since joining, three of them excused: 7 counted months.
        let excused = [Excused {
            start: d(2025, 6, 1),
            end: d(2025, 8, 31),
        }];
        let m = months_inactive(d(2025, 1, 1), d(2025, 11, 15), &excused);
        assert_eq!(m, 7);
        assert_eq!(level(m), None);
    }

    #[test]
    fn overlapping_and_out_of_range_excuses_count_once() {
        let excused = [
            Excused {
                start: d(2025, 2, 1),
                end: d(2025, 2, 28),
            },
            Excused {
                start: d(2025, 2, 15),
                end: d(2025, 3, 31),
            },
            Excused {
                start: d(2024, 1, 1),
                end: d(2024, 12, 31),
            },
        ];
        // 2025-02-01..2025-03-31 is 59 days, excused once.
        assert_eq!(
            counted_days(d(2025, 1, 1), d(2025, 5, 1), &excused),
            120 - 59
        );
    }

    #[test]
    fn the_clock_never_runs_backwards() {
        assert_eq!(months_inactive(d(2026, 5, 1), d(2026, 4, 1), &[]), 0);
    }
}
