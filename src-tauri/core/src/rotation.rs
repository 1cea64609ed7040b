//! The rotating chair (轮值主席, Art. 8): presidium members take the chair in turn, on an
//! equal footing. The registry keeps the order and the terms, and refuses a member who would
//! chair a second time before every member in the rotation has chaired once.

use chrono::{Months, NaiveDate};

use crate::error::{Error, ErrorCode, Problem};
use crate::field::Field;
use crate::lang::Text;

/// One term in the chair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub member_id: i64,
    pub start: NaiveDate,
}

/// The members who have chaired in the current round: the terms since every member then in
/// the rotation had last chaired. A member who left the rotation no longer holds up a round.
pub fn chaired_this_round(order: &[i64], terms: &[Term]) -> Vec<i64> {
    let mut round: Vec<i64> = Vec::new();
    for t in terms {
        if !order.contains(&t.member_id) {
            continue;
        }
        if round.contains(&t.member_id) {
            // A repeat can only have happened after a full round (or before the rule was
            // kept): either way a new round begins with this term.
            round.clear();
        }
        round.push(t.member_id);
        if order.iter().all(|m| round.contains(m)) {
            round.clear();
        }
    }
    round
}

/// Who chairs next: the first member after the current chair, in rotation order, who has not
/// chaired this round. `None` when the rotation is empty.
pub fn next_chair(order: &[i64], terms: &[Term]) -> Option<i64> {
    if order.is_empty() {
        return None;
    }
    let round = chaired_this_round(order, terms);
    let current = terms.last().map(|t| t.member_id);
    let start = current
        .and_then(|c| order.iter().position(|m| *m == c))
        .map_or(0, |i| i + 1);
    (0..order.len())
        .map(|k| order[(start + k) % order.len()])
        .find(|m| !round.contains(m) && Some(*m) != current.filter(|_| order.len() > 1))
        .or(Some(order[start % order.len()]))
}

/// Whether `member_id` may take the chair now: it is in the rotation and has not chaired in
/// the current round.
pub fn may_chair(order: &[i64], terms: &[Term], member_id: i64) -> bool {
    order.contains(&member_id) && !chaired_this_round(order, terms).contains(&member_id)
}

/// When a term that starts on `start` ends, for a term length in months (default 12).
pub fn term_end(start: NaiveDate, months: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(months))
        .unwrap_or(start)
}

/// The chair's term is 1 to 60 months.
pub fn check_term_months(months: u32) -> Result<(), Problem> {
    if (1..=60).contains(&months) {
        return Ok(());
    }
    Err(Problem::new(
        Field::Until,
        "term_length",
        "轮值主席任期须在 1 到 60 个月之间。",
        "The chair's term must be between 1 and 60 months.",
    ))
}

/// A new order lists the rotation's members, each once.
pub fn order_incomplete() -> Problem {
    Problem::new(
        Field::Votes,
        "rotation_members",
        "轮值顺序须恰好包含当前轮值的全部主席团成员，每家一次。",
        "The order must list every presidium member now in the rotation, each once.",
    )
}

/// What the audit log says of a new order.
pub fn order_changed() -> Text {
    Text::new("第八条：调整轮值主席顺序", "Art. 8: rotation order changed")
}

/// Only presidium members in office take the chair.
pub fn not_in_rotation(name: &str) -> Error {
    Error::refused(
        ErrorCode::NotInRotation,
        format!("“{name}”不在轮值顺序中（只有在任的主席团成员参加轮值）。"),
        format!(
            "'{name}' is not in the rotation (only presidium members in office take the chair)."
        ),
    )
}

/// Art. 8's equal rotation: `name` chaired this round, and `waiting` have not yet.
pub fn chaired_already(name: &str, waiting: &[String]) -> Error {
    Error::refused(
        ErrorCode::ChairedThisRound,
        format!("“{name}”本轮已担任过轮值主席；须待本轮其他成员（{}）都担任过后才能再次担任（第八条，平等轮流）。", waiting.join("、")),
        format!("'{name}' has chaired in this round; every other member in the rotation ({}) chairs first (Art. 8, equal rotation).", waiting.join(", ")),
    )
}

/// A term starts after the previous one began.
pub fn check_term_start(since: NaiveDate, last: NaiveDate) -> Result<(), Problem> {
    if since > last {
        return Ok(());
    }
    Err(Problem::new(
        Field::Since,
        "term_before_previous",
        format!("新任期的开始日期须晚于上一任期的开始日期 {last}。"),
        format!("The new term must start after the previous one began ({last})."),
    ))
}

/// What the audit log says of a chair's term.
pub fn chair_term_summary(since: NaiveDate, until: NaiveDate) -> Text {
    Text::new(
        format!("第八条：担任轮值主席，{since} 至 {until}"),
        format!("Art. 8: rotating chair from {since} to {until}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    fn terms(ids: &[i64]) -> Vec<Term> {
        ids.iter()
            .enumerate()
            .map(|(i, &m)| Term {
                member_id: m,
                start: d(2016 + i as i32, 1),
            })
            .collect()
    }

    #[test]
    fn art8_the_chair_passes_in_rotation_order() {
        let order = [10, 20, 30];
        assert_eq!(next_chair(&order, &[]), Some(10));
        assert_eq!(next_chair(&order, &terms(&[10])), Some(20));
        assert_eq!(next_chair(&order, &terms(&[10, 20])), Some(30));
        assert_eq!(
            next_chair(&order, &terms(&[10, 20, 30])),
            Some(10),
            "a new round"
        );
    }

    #[test]
    fn art8_no_member_chairs_twice_before_all_have_chaired() {
        let order = [10, 20, 30];
        let t = terms(&[10, 20]);
        assert!(
            !may_chair(&order, &t, 10),
            "10 chaired this round; 30 has not"
        );
        assert!(!may_chair(&order, &t, 20));
        assert!(may_chair(&order, &t, 30));
        let full = terms(&[10, 20, 30]);
        assert!(
            may_chair(&order, &full, 10),
            "everyone has chaired: a new round begins"
        );
    }

    #[test]
    fn art8_a_member_leaving_the_presidium_leaves_the_rotation() {
        // 30 left before chairing: the round 10, 20 is complete without it.
        let order = [10, 20];
        let t = terms(&[10, 20]);
        assert!(may_chair(&order, &t, 10));
        assert!(!may_chair(&order, &t, 30), "not in the rotation any more");
        assert_eq!(next_chair(&order, &t), Some(10));
    }

    #[test]
    fn art8_a_member_joining_mid_round_waits_its_turn_in_order() {
        let order = [10, 40, 20, 30];
        let t = terms(&[10, 20]);
        assert_eq!(next_chair(&order, &t), Some(30));
        assert!(may_chair(&order, &t, 40));
    }

    #[test]
    fn terms_last_a_year_by_default() {
        assert_eq!(term_end(d(2024, 3), 12), d(2025, 3));
        assert_eq!(
            term_end(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap(), 12),
            NaiveDate::from_ymd_opt(2025, 2, 28).unwrap()
        );
    }
}
