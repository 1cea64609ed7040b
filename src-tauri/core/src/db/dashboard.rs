//! The first screen's figures: counted in one read, from the same tables the lists read.

use chrono::{Datelike, NaiveDate};
use rusqlite::params;

use super::Registry;
use crate::dashboard::{self, Dashboard, WatchCounts, UPCOMING};
use crate::error::Result;

impl Registry {
    /// What is waiting as of `today` (see [`Dashboard`]).
    pub fn dashboard(&self, today: NaiveDate) -> Result<Dashboard> {
        let c = &self.conn;
        let count = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<u32> {
            Ok(c.query_row(sql, p, |r| r.get(0))?)
        };
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let in_register = "SELECT count(*) FROM member WHERE status = 'active' AND tier = ?1";
        let rotation = self.rotation(today)?;
        // An in-memory registry (tests) has no backups folder: no backup yet.
        let last_backup = self
            .backup_overview()
            .ok()
            .and_then(|o| o.backups.into_iter().next())
            .map(|b| b.taken);
        let backup_day = last_backup
            .as_deref()
            .and_then(|t| t.get(..10)?.parse::<NaiveDate>().ok());
        let chair_ending = rotation
            .current
            .as_ref()
            .is_some_and(|t| dashboard::chair_ending(t.until, today));
        Ok(Dashboard {
            today,
            presidium: count(in_register, &[&"presidium"])?,
            ordinary: count(in_register, &[&"ordinary"])?,
            joined_this_year: count(
                "SELECT count(*) FROM membership WHERE since >= ?1 AND since <= ?2",
                params![year_start, today],
            )?,
            left_this_year: count(
                "SELECT count(*) FROM membership WHERE until >= ?1 AND until <= ?2",
                params![year_start, today],
            )?,
            received: count(
                "SELECT count(*) FROM application WHERE state = 'received'",
                &[],
            )?,
            under_review: count(
                "SELECT count(*) FROM application WHERE state = 'under_review'",
                &[],
            )?,
            notices_unsent: count(
                "SELECT count(*) FROM application
                 WHERE state IN ('approved', 'rejected') AND notice_sent IS NULL",
                &[],
            )?,
            certificates_missing: count(
                "SELECT count(*) FROM member m WHERE m.status = 'active' AND NOT EXISTS
                 (SELECT 1 FROM certificate c WHERE c.member_id = m.id AND c.revoked IS NULL)",
                &[],
            )?,
            watch: WatchCounts::of(&self.watchlist(today)?),
            chair: rotation.current,
            chair_ending,
            upcoming: self.activities_from(today, UPCOMING)?,
            backup_stale: dashboard::backup_stale(backup_day, today),
            last_backup,
        })
    }
}
