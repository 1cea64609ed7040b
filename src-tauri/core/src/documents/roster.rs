//! The member roster (成员名录) as a PDF: landscape, one ruled table over as many pages as it
//! takes. The public version, for partners and meetings, leaves out every personal contact;
//! the internal version adds the liaison and how to reach them.

use chrono::NaiveDate;

use super::certificate::date_zh;
use super::table::{Column, Table};
use super::{A4_LONG, A4_SHORT};
use crate::member::Member;

const fn col(zh: &'static str, en: &'static str, width: f32) -> Column {
    Column {
        zh,
        en,
        width,
        secondary: false,
    }
}

/// The roster's title, which says which version it is.
pub fn title(public: bool) -> String {
    let version = if public {
        "（公开版）"
    } else {
        "（内部版 · 含联系方式，请勿外传）"
    };
    format!("中国跨境电子商务应用联盟成员名录{version}")
}

/// The roster of `members`, in the order given.
pub fn table(members: &[Member], public: bool, today: NaiveDate) -> Table {
    let name = Column {
        secondary: true,
        ..col("单位名称", "Member unit", if public { 118.0 } else { 72.0 })
    };
    let mut columns = vec![
        col("序号", "No.", 10.0),
        col("成员编号", "Member no.", 17.0),
        name,
    ];
    if public {
        columns.extend([
            col("单位类型", "Kind", 30.0),
            col("成员类别", "Tier", 27.0),
            col("所在地", "Location", 42.0),
            col("入盟日期", "Joined", 25.0),
        ]);
    } else {
        columns.extend([
            col("成员类别", "Tier", 24.0),
            col("所在地", "Location", 30.0),
            col("入盟日期", "Joined", 22.0),
            col("联络员", "Liaison", 22.0),
            col("联系电话", "Phone", 28.0),
            col("电子邮箱", "E-mail", 42.0),
        ]);
    }
    let rows = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut name = m.name.clone();
            if !m.name_en.is_empty() {
                name.push('\n');
                name.push_str(&m.name_en);
            }
            let tier = if m.founding {
                format!("{}\n（主发起人）", m.tier.label().zh)
            } else {
                m.tier.label().zh
            };
            let place = [m.region.as_str(), m.city.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            let joined = m.joined.map(|d| d.to_string()).unwrap_or_default();
            let mut row = vec![(i + 1).to_string(), m.member_no.clone(), name];
            if public {
                row.extend([m.kind.label().zh, tier, place, joined]);
            } else {
                row.extend([
                    tier,
                    place,
                    joined,
                    m.liaison.name.clone(),
                    m.liaison.phone.clone(),
                    m.liaison.email.clone(),
                ]);
            }
            row
        })
        .collect();
    Table {
        title: title(public),
        subtitle: format!(
            "截至 {} · 共 {} 家成员单位    CCEAA member roster, as of {} · {} members",
            date_zh(today),
            members.len(),
            today,
            members.len()
        ),
        columns,
        rows,
        width: A4_LONG,
        height: A4_SHORT,
    }
}
