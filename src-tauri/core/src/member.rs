//! The member unit (成员单位): what the secretariat records about each organisation, and the
//! rules an entry must satisfy before it is stored (charter Art. 8, 9, 12).
//!
//! A form or the CLI submits a [`MemberInput`] of plain strings; [`MemberInput::validate`]
//! turns it into a [`ValidMember`] or into every problem at once, so that a form can mark all
//! wrong fields in one pass instead of one per save.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::contact;
use crate::error::Problem;
use crate::field::Field;
use crate::labelled::labelled_enum;
use crate::text::{clean_line, clean_multiline};
use crate::uscc;

labelled_enum!(
    /// The kind of organisation. Members are organisations, never persons (Art. 9(3)).
    Kind {
        Enterprise => "enterprise", "企业", "Enterprise";
        IndustryOrganisation => "industry_organisation", "行业组织", "Industry organisation";
        ResearchInstitute => "research_institute", "科研院所", "Research institute";
        IndustrialPark => "industrial_park", "产业基地/园区", "Industrial base/park";
        PublicInstitution => "public_institution", "事业单位", "Public institution";
        Other => "other", "其他经济组织", "Other organisation";
    }
);

labelled_enum!(
    /// Domestic units carry a unified social credit code; overseas units a home registration
    /// number.
    Origin {
        Domestic => "domestic", "境内", "Domestic";
        Overseas => "overseas", "境外", "Overseas";
    }
);

labelled_enum!(
    /// The two tiers of Art. 8.
    Tier {
        Ordinary => "ordinary", "普通成员", "Ordinary member";
        Presidium => "presidium", "主席团成员", "Presidium member";
    }
);

labelled_enum!(
    /// Where a member stands. A member that leaves keeps its record (Art. 13(3)).
    Status {
        Active => "active", "在册", "Active";
        Withdrawn => "withdrawn", "已退出", "Withdrawn";
        Expelled => "expelled", "已除名", "Expelled";
    }
);

/// A member as a form or the CLI submits it: plain strings, as typed. Empty means "not given".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct MemberInput {
    /// Left empty, the registry assigns the next number.
    pub member_no: String,
    pub name: String,
    pub name_en: String,
    pub kind: Kind,
    pub origin: Origin,
    /// Country or region; required for overseas units.
    pub region: String,
    pub city: String,
    pub uscc: String,
    pub registration_no: String,
    pub address: String,
    pub website: String,
    pub head_name: String,
    pub head_title: String,
    pub head_phone: String,
    pub head_email: String,
    pub liaison_name: String,
    pub liaison_title: String,
    pub liaison_phone: String,
    pub liaison_email: String,
    /// When the liaison took office; empty means "today" when the liaison changes.
    pub liaison_since: String,
    pub intro: String,
    pub tier: Tier,
    pub founding: bool,
    pub status: Status,
    /// `YYYY-MM-DD`.
    pub joined: String,
    pub notes: String,
    /// The revision the editor saw (from [`Member::revision`]); a save is refused when the
    /// member has changed since. `None` for new members and for blind updates.
    pub revision: Option<u32>,
}

impl Default for MemberInput {
    fn default() -> Self {
        MemberInput {
            member_no: String::new(),
            name: String::new(),
            name_en: String::new(),
            kind: Kind::Enterprise,
            origin: Origin::Domestic,
            region: String::new(),
            city: String::new(),
            uscc: String::new(),
            registration_no: String::new(),
            address: String::new(),
            website: String::new(),
            head_name: String::new(),
            head_title: String::new(),
            head_phone: String::new(),
            head_email: String::new(),
            liaison_name: String::new(),
            liaison_title: String::new(),
            liaison_phone: String::new(),
            liaison_email: String::new(),
            liaison_since: String::new(),
            intro: String::new(),
            tier: Tier::Ordinary,
            founding: false,
            status: Status::Active,
            joined: String::new(),
            notes: String::new(),
            revision: None,
        }
    }
}

/// A person attached to a member: the responsible person (负责人) or the liaison (联络员).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Person {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
}

impl Person {
    pub fn is_empty(&self) -> bool {
        self.name.is_empty()
            && self.title.is_empty()
            && self.phone.is_empty()
            && self.email.is_empty()
    }
}

/// A member as lists and pickers name it: enough to show and to link, not the whole record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberRef {
    #[ts(type = "number")]
    pub id: i64,
    pub member_no: String,
    pub name: String,
    pub tier: Tier,
    pub status: Status,
}

/// A member as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Member {
    #[ts(type = "number")]
    pub id: i64,
    pub member_no: String,
    pub name: String,
    pub name_en: String,
    pub kind: Kind,
    pub origin: Origin,
    pub region: String,
    pub city: String,
    pub uscc: Option<String>,
    pub registration_no: Option<String>,
    pub address: String,
    pub website: String,
    pub head: Person,
    /// The current liaison; earlier ones are in the liaison history.
    pub liaison: Person,
    pub liaison_since: Option<NaiveDate>,
    pub intro: String,
    pub tier: Tier,
    pub founding: bool,
    pub status: Status,
    pub joined: Option<NaiveDate>,
    pub notes: String,
    pub created_at: String,
    pub updated_at: String,
    /// Raised by every saved change; see [`MemberInput::revision`].
    pub revision: u32,
}

impl Member {
    /// The member as a form would show it, for editing.
    pub fn to_input(&self) -> MemberInput {
        MemberInput {
            member_no: self.member_no.clone(),
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            kind: self.kind,
            origin: self.origin,
            region: self.region.clone(),
            city: self.city.clone(),
            uscc: self.uscc.clone().unwrap_or_default(),
            registration_no: self.registration_no.clone().unwrap_or_default(),
            address: self.address.clone(),
            website: self.website.clone(),
            head_name: self.head.name.clone(),
            head_title: self.head.title.clone(),
            head_phone: self.head.phone.clone(),
            head_email: self.head.email.clone(),
            liaison_name: self.liaison.name.clone(),
            liaison_title: self.liaison.title.clone(),
            liaison_phone: self.liaison.phone.clone(),
            liaison_email: self.liaison.email.clone(),
            liaison_since: self
                .liaison_since
                .map(|d| d.to_string())
                .unwrap_or_default(),
            intro: self.intro.clone(),
            // Founding initiators are presidium members by right (Art. 8): marking one is
            // enough, there is no separate tier to get right.
            tier: if self.founding {
                Tier::Presidium
            } else {
                self.tier
            },
            founding: self.founding,
            status: self.status,
            joined: self.joined.map(|d| d.to_string()).unwrap_or_default(),
            notes: self.notes.clone(),
            revision: Some(self.revision),
        }
    }

    /// Every audited field with its value as text, in form order. The audit log compares two
    /// of these lists to record exactly which fields changed.
    pub fn audit_fields(&self) -> Vec<(Field, String)> {
        let opt = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        vec![
            (Field::MemberNo, self.member_no.clone()),
            (Field::Name, self.name.clone()),
            (Field::NameEn, self.name_en.clone()),
            (Field::Kind, self.kind.key().into()),
            (Field::Origin, self.origin.key().into()),
            (Field::Region, self.region.clone()),
            (Field::City, self.city.clone()),
            (Field::Uscc, self.uscc.clone().unwrap_or_default()),
            (
                Field::RegistrationNo,
                self.registration_no.clone().unwrap_or_default(),
            ),
            (Field::Address, self.address.clone()),
            (Field::Website, self.website.clone()),
            (Field::HeadName, self.head.name.clone()),
            (Field::HeadTitle, self.head.title.clone()),
            (Field::HeadPhone, self.head.phone.clone()),
            (Field::HeadEmail, self.head.email.clone()),
            (Field::LiaisonName, self.liaison.name.clone()),
            (Field::LiaisonTitle, self.liaison.title.clone()),
            (Field::LiaisonPhone, self.liaison.phone.clone()),
            (Field::LiaisonEmail, self.liaison.email.clone()),
            (Field::LiaisonSince, opt(self.liaison_since)),
            (Field::Intro, self.intro.clone()),
            (Field::Tier, self.tier.key().into()),
            (Field::Founding, self.founding.to_string()),
            (Field::Status, self.status.key().into()),
            (Field::Joined, opt(self.joined)),
            (Field::Notes, self.notes.clone()),
        ]
    }
}

/// A member input that passed every rule that needs no database: cleaned and typed.
/// Uniqueness (of the code and the member number) is checked by storage, in the same
/// transaction as the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMember {
    pub member_no: Option<String>,
    pub name: String,
    pub name_en: String,
    pub kind: Kind,
    pub origin: Origin,
    pub region: String,
    pub city: String,
    pub uscc: Option<String>,
    pub registration_no: Option<String>,
    pub address: String,
    pub website: String,
    pub head: Person,
    pub liaison: Person,
    pub liaison_since: Option<NaiveDate>,
    pub intro: String,
    pub tier: Tier,
    pub founding: bool,
    pub status: Status,
    pub joined: Option<NaiveDate>,
    pub notes: String,
    /// The name as the duplicate guard compares it; see [`crate::text::name_key`].
    pub name_key: String,
}

const NAME_MAX: usize = 200;
const LINE_MAX: usize = 500;
const TEXT_MAX: usize = 10_000;

/// Collects problems while fields are cleaned one by one.
struct Checker {
    problems: Vec<Problem>,
}

/// The problem with a character `v` must not keep (see [`crate::text::forbidden_char`]),
/// naming the position and the code point, so the clerk can find it even when it is
/// invisible.
pub fn char_problem(field: Field, v: &str, multiline: bool) -> Option<Problem> {
    let (at, c, why) = crate::text::forbidden_char(v, multiline)?;
    let (zh, en) = why.words();
    let code = format!("U+{:04X}", c as u32);
    Some(Problem::new(
        field,
        "char_forbidden",
        format!("第 {at} 个字符是{zh}（{code}），打印和导出时会出错或显示异常。请删除它后重新输入（从其他程序复制来的文字常带有这类字符）。"),
        format!("character {at} is {en} ({code}), which breaks printing and exports. Delete it and type the text again (text copied from other programs often carries such characters)."),
    ))
}

impl Checker {
    fn line(&mut self, field: Field, raw: &str, max: usize) -> String {
        let v = clean_line(raw);
        self.length(field, &v, max);
        self.chars(field, &v, false);
        v
    }

    fn text(&mut self, field: Field, raw: &str) -> String {
        let v = clean_multiline(raw);
        self.length(field, &v, TEXT_MAX);
        self.chars(field, &v, true);
        v
    }

    fn chars(&mut self, field: Field, v: &str, multiline: bool) {
        if let Some(p) = char_problem(field, v, multiline) {
            self.problems.push(p);
        }
    }

    fn length(&mut self, field: Field, v: &str, max: usize) {
        let n = v.chars().count();
        if n > max {
            self.problems.push(Problem::new(
                field,
                "too_long",
                format!("最多 {max} 个字，当前 {n} 个，请删减。"),
                format!("at most {max} characters; this has {n}. Shorten it."),
            ));
        }
    }

    fn check<T: Default>(&mut self, r: Result<T, Problem>) -> T {
        r.unwrap_or_else(|p| {
            self.problems.push(p);
            T::default()
        })
    }

    fn date(&mut self, field: Field, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
        let s = crate::text::to_half_width(raw.trim());
        if s.is_empty() {
            return None;
        }
        match NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
            Ok(d) if d > today => {
                self.problems.push(Problem::new(
                    field,
                    "date_in_future",
                    format!("日期 {d} 晚于今天，请检查。"),
                    format!("{d} is after today; check the date."),
                ));
                None
            }
            Ok(d)
                if d < NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or(d)
                    && field == Field::Joined =>
            {
                self.problems.push(Problem::new(
                    field,
                    "date_before_charter",
                    format!("联盟章程自 2015-01-01 起生效，入盟日期 {d} 早于此日，请检查。"),
                    format!(
                        "The charter took effect on 2015-01-01; {d} is earlier. Check the date."
                    ),
                ));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                self.problems.push(Problem::new(
                    field,
                    "date_invalid",
                    format!("“{s}”不是有效日期，请按 年-月-日 填写，例如 2024-03-01。"),
                    format!("'{s}' is not a valid date; write it as YYYY-MM-DD, e.g. 2024-03-01."),
                ));
                None
            }
        }
    }

    fn person(&mut self, fields: [Field; 4], raw: [&str; 4]) -> Person {
        let [fname, ftitle, fphone, femail] = fields;
        let name = self.line(fname, raw[0], NAME_MAX);
        let title = self.line(ftitle, raw[1], LINE_MAX);
        let phone = if raw[2].trim().is_empty() {
            String::new()
        } else {
            self.check(contact::phone(fphone, raw[2]))
        };
        let email = if raw[3].trim().is_empty() {
            String::new()
        } else {
            self.check(contact::email(femail, raw[3]))
        };
        Person {
            name,
            title,
            phone,
            email,
        }
    }
}

/// Reads a `YYYY-MM-DD` date typed into `field` (full-width digits allowed), no later than
/// `today`; a problem saying what to fix is pushed otherwise. Empty gives `None` silently.
pub fn parse_date(
    field: Field,
    raw: &str,
    today: NaiveDate,
    problems: &mut Vec<Problem>,
) -> Option<NaiveDate> {
    let mut c = Checker {
        problems: Vec::new(),
    };
    let d = c.date(field, raw, today);
    problems.append(&mut c.problems);
    d
}

/// A date the caller cannot leave out (the day a list is asked for): `YYYY-MM-DD`, no later
/// than `today`. A missing or unreadable date is refused, never read as another day.
pub fn required_date(field: Field, raw: &str, today: NaiveDate) -> crate::Result<NaiveDate> {
    let mut problems = Vec::new();
    match parse_date(field, raw, today, &mut problems) {
        Some(d) if problems.is_empty() => Ok(d),
        _ => {
            if problems.is_empty() {
                problems.push(Problem::new(
                    field,
                    "required",
                    "请填写日期（年-月-日）。",
                    "Enter the date (year-month-day).",
                ));
            }
            Err(crate::Error::Invalid(problems))
        }
    }
}

impl MemberInput {
    /// What the form for a new member starts from: joining today.
    pub fn new_member(today: NaiveDate) -> MemberInput {
        MemberInput {
            joined: today.to_string(),
            ..Default::default()
        }
    }

    /// Applies every rule that needs no database. `today` bounds the dates.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidMember, Vec<Problem>> {
        let mut c = Checker {
            problems: Vec::new(),
        };
        let member_no = c.line(Field::MemberNo, &self.member_no, 40);
        if member_no.len() > 9 && member_no.bytes().all(|b| b.is_ascii_digit()) {
            c.problems.push(Problem::new(
                Field::MemberNo,
                "member_no_too_long",
                "纯数字的成员编号最多 9 位，请检查是否多输入了数字。",
                "A member number of digits only has at most 9 digits; check for extra digits.",
            ));
        }
        let name = c.line(Field::Name, &self.name, NAME_MAX);
        if name.is_empty() {
            c.problems.push(Problem::new(
                Field::Name,
                "required",
                "请填写单位全称（与营业执照或注册证书一致）。",
                "Enter the unit's full name, as on its licence or registration certificate.",
            ));
        }
        let name_en = c.line(Field::NameEn, &self.name_en, NAME_MAX);
        let region = c.line(Field::Region, &self.region, 100);
        let city = c.line(Field::City, &self.city, 100);
        let uscc_raw = self.uscc.trim();
        let registration_no = c.line(Field::RegistrationNo, &self.registration_no, 60);
        let mut uscc = None;
        match self.origin {
            Origin::Domestic => {
                if !uscc_raw.is_empty() {
                    uscc = Some(c.check(uscc::parse(uscc_raw)));
                }
                if !registration_no.is_empty() {
                    c.problems.push(Problem::new(
                        Field::RegistrationNo,
                        "registration_no_domestic",
                        "境内单位请填写统一社会信用代码，注册号仅用于境外单位。",
                        "Domestic units use the unified social credit code; the registration \
                         number is for overseas units.",
                    ));
                }
            }
            Origin::Overseas => {
                if !uscc_raw.is_empty() {
                    c.problems.push(Problem::new(
                        Field::Uscc,
                        "uscc_overseas",
                        "境外单位没有统一社会信用代码，请把其本国注册号填入“注册号”。",
                        "Overseas units have no unified social credit code; enter the home \
                         registration number instead.",
                    ));
                }
                if region.is_empty() {
                    c.problems.push(Problem::new(
                        Field::Region,
                        "required",
                        "境外单位请填写所在国家或地区。",
                        "Enter the country or region of an overseas unit.",
                    ));
                }
            }
        }
        let address = c.line(Field::Address, &self.address, LINE_MAX);
        let website = if self.website.trim().is_empty() {
            String::new()
        } else {
            c.check(contact::website(&self.website))
        };
        let head = c.person(
            [
                Field::HeadName,
                Field::HeadTitle,
                Field::HeadPhone,
                Field::HeadEmail,
            ],
            [
                &self.head_name,
                &self.head_title,
                &self.head_phone,
                &self.head_email,
            ],
        );
        let liaison = c.person(
            [
                Field::LiaisonName,
                Field::LiaisonTitle,
                Field::LiaisonPhone,
                Field::LiaisonEmail,
            ],
            [
                &self.liaison_name,
                &self.liaison_title,
                &self.liaison_phone,
                &self.liaison_email,
            ],
        );
        let liaison_details_given = [
            &self.liaison_title,
            &self.liaison_phone,
            &self.liaison_email,
        ]
        .iter()
        .any(|s| !s.trim().is_empty());
        if liaison.name.is_empty() && liaison_details_given {
            c.problems.push(Problem::new(
                Field::LiaisonName,
                "required",
                "已填写联络员的联系方式，请同时填写联络员姓名。",
                "Contact details were given for the liaison; enter the liaison's name too.",
            ));
        }
        let liaison_since = c.date(Field::LiaisonSince, &self.liaison_since, today);
        let intro = c.text(Field::Intro, &self.intro);
        let notes = c.text(Field::Notes, &self.notes);
        let joined = c.date(Field::Joined, &self.joined, today);
        if !c.problems.is_empty() {
            return Err(c.problems);
        }
        let name_key = crate::text::name_key(&name);
        Ok(ValidMember {
            member_no: (!member_no.is_empty()).then_some(member_no),
            name,
            name_en,
            kind: self.kind,
            origin: self.origin,
            region,
            city,
            uscc,
            registration_no: (!registration_no.is_empty()).then_some(registration_no),
            address,
            website,
            head,
            liaison,
            liaison_since,
            intro,
            // Founding initiators are presidium members by right (Art. 8): marking one is
            // enough, there is no separate tier to get right.
            tier: if self.founding {
                Tier::Presidium
            } else {
                self.tier
            },
            founding: self.founding,
            status: self.status,
            joined,
            notes,
            name_key,
        })
    }
}

/// An edit may correct details, but becoming presidium (a vote, Art. 8) and leaving
/// (Art. 13) are workflows with their own records; an edit that tries either is refused,
/// except marking a founding initiator, who is presidium by right.
pub fn check_edit(before: &Member, v: &ValidMember) -> Vec<Problem> {
    let mut problems = Vec::new();
    if v.status != before.status {
        problems.push(Problem::new(
            Field::Status,
            "status_by_workflow",
            "成员状态不能在此直接修改：退出请用“办理退出”（书面通知或视为退出），除名须经主席团表决，重新入盟须提交入盟申请。",
            "The status is not edited here: record a withdrawal with 'Leave' (written notice or deemed withdrawal), an expulsion with a presidium vote, and a return with a new application.",
        ));
    }
    let founding_now = v.founding && !before.founding;
    if founding_now && before.status != Status::Active {
        problems.push(Problem::new(
            Field::Founding,
            "founding_not_active",
            "已不在册的成员不能标记为主发起人：主发起人是在册的主席团成员（第八条）。如该单位重新入盟，请先办理入盟申请。",
            "A unit that is no longer a member cannot be marked as founding initiator: founding initiators are presidium members in office (Art. 8). If the unit returns, record its application first.",
        ));
    }
    if v.tier != before.tier && !(founding_now && v.tier == Tier::Presidium) {
        problems.push(Problem::new(
            Field::Tier,
            "tier_by_vote",
            "成为主席团成员须经主席团成员提名并表决通过（第八条），请在“主席团”中记录表决；主发起人可直接勾选“主发起人”。",
            "Joining the presidium takes a nomination and a presidium vote (Art. 8): record the vote under Presidium. Founding initiators may be marked as such directly.",
        ));
    }
    problems
}

/// A date typed by the clerk for a workflow step: required, valid, and not after today.
pub fn step_date(raw: &str, field: Field, today: NaiveDate) -> crate::error::Result<NaiveDate> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    let mut problems = Vec::new();
    match parse_date(field, raw, today, &mut problems) {
        Some(d) => Ok(d),
        None => Err(crate::error::Error::Invalid(problems)),
    }
}

/// A unified social credit code registers one active member.
pub fn uscc_taken(name: &str, member_no: &str) -> Problem {
    Problem::new(
        Field::Uscc,
        "uscc_duplicate",
        format!("该代码已登记为在册成员“{name}”（编号 {member_no}），同一单位不能重复登记。"),
        format!("This code is already registered to the active member '{name}' (no. {member_no}); a unit is registered once."),
    )
}

/// A member number belongs to one member.
pub fn member_no_taken(member_no: &str, name: &str) -> Problem {
    Problem::new(
        Field::MemberNo,
        "member_no_duplicate",
        format!("成员编号 {member_no} 已属于“{name}”，请换一个编号或留空由系统分配。"),
        format!("Member number {member_no} already belongs to '{name}'; choose another or leave it empty to have one assigned."),
    )
}

/// A new liaison starts after the one before began (`old_since`).
pub fn new_liaison_since(old_since: NaiveDate) -> Problem {
    Problem::new(
        Field::LiaisonSince,
        "liaison_since_not_after_previous",
        format!("联络员已更换，请填写新联络员的任职日期（应晚于上一任的起始日期 {old_since}）。"),
        format!("The liaison has changed: enter the new liaison's start date (after the previous liaison's, {old_since})."),
    )
}

/// A liaison's corrected start date stays after the previous liaison's.
pub fn liaison_since_not_after(previous: NaiveDate) -> Problem {
    Problem::new(
        Field::LiaisonSince,
        "liaison_since_not_after_previous",
        format!("任职日期应晚于上一任联络员的起始日期 {previous}。"),
        format!("The start date must be after the previous liaison's ({previous})."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_date_defaults_to_today_and_may_not_be_later() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(step_date("", Field::Date, today).unwrap(), today);
        assert_eq!(
            step_date("２０２６-１１-０１", Field::Date, today).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
        assert!(step_date("2026-12-01", Field::Date, today).is_err());
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
    }

    fn input() -> MemberInput {
        MemberInput {
            name: "华为技术有限公司".into(),
            ..Default::default()
        }
    }

    fn codes(i: &MemberInput) -> Vec<(Field, String)> {
        i.validate(today())
            .unwrap_err()
            .into_iter()
            .map(|p| (p.field, p.code))
            .collect()
    }

    #[test]
    fn invisible_and_private_characters_are_refused_with_their_position() {
        for (field, value, at) in [
            (Field::Name, "华为\u{202E}技术有限公司", 3),
            (Field::Name, "华为\u{E000}技术", 3),
            (Field::Address, "深圳\u{7}南山", 3),
            (Field::Notes, "第一段\n\u{0}", 5),
            (Field::HeadName, "张\u{0378}三", 2),
        ] {
            let mut i = input();
            match field {
                Field::Name => i.name = value.into(),
                Field::Address => i.address = value.into(),
                Field::Notes => i.notes = value.into(),
                _ => i.head_name = value.into(),
            }
            let problems = i.validate(today()).unwrap_err();
            let p = problems
                .iter()
                .find(|p| p.code == "char_forbidden")
                .unwrap_or_else(|| panic!("{value:?}: {problems:?}"));
            assert_eq!(p.field, field);
            assert!(
                p.message.zh.contains(&format!("第 {at} 个字符")),
                "{:?}",
                p.message
            );
            assert!(p.message.zh.contains("U+"), "{:?}", p.message);
        }
        // Rare characters, Cyrillic and line breaks in the notes are fine.
        let i = MemberInput {
            name: "𠮷祥㐀𪚥 ООО «Ромашка»".into(),
            notes: "第一段\n第二段".into(),
            ..Default::default()
        };
        i.validate(today()).unwrap();
    }

    #[test]
    fn a_name_alone_is_enough() {
        let v = input().validate(today()).unwrap();
        assert_eq!(v.name, "华为技术有限公司");
        assert_eq!(v.member_no, None);
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let i = MemberInput {
            name: " ".into(),
            uscc: "91440300708461136X".into(),
            head_email: "li@".into(),
            liaison_phone: "abc".into(),
            joined: "2019/3/1".into(),
            ..Default::default()
        };
        let got = codes(&i);
        assert_eq!(
            got,
            vec![
                (Field::Name, "required".into()),
                (Field::Uscc, "uscc_check".into()),
                (Field::HeadEmail, "email_invalid".into()),
                (Field::LiaisonPhone, "phone_invalid".into()),
                (Field::LiaisonName, "required".into()),
                (Field::Joined, "date_invalid".into()),
            ]
        );
    }

    #[test]
    fn uscc_is_normalised_before_it_is_stored() {
        let i = MemberInput {
            uscc: "９１４４０３００７０８４６１１３６ｔ".into(),
            ..input()
        };
        assert_eq!(
            i.validate(today()).unwrap().uscc.as_deref(),
            Some("91440300708461136T")
        );
    }

    #[test]
    fn a_required_date_is_refused_rather_than_read_as_today() {
        for raw in ["", "2026-13-01", "明天"] {
            assert!(
                matches!(
                    required_date(Field::Date, raw, today()),
                    Err(crate::Error::Invalid(_))
                ),
                "{raw:?} must be refused"
            );
        }
        assert_eq!(
            required_date(Field::Date, "２０２５-０３-０１", today())
                .unwrap()
                .to_string(),
            "2025-03-01"
        );
    }

    #[test]
    fn founding_initiators_are_presidium_members_by_right() {
        let i = MemberInput {
            founding: true,
            tier: Tier::Ordinary,
            ..input()
        };
        assert_eq!(
            i.validate(today()).unwrap().tier,
            Tier::Presidium,
            "marking a founding initiator makes it a presidium member, whatever tier was chosen"
        );
        let i = MemberInput {
            founding: false,
            tier: Tier::Ordinary,
            ..input()
        };
        assert_eq!(i.validate(today()).unwrap().tier, Tier::Ordinary);
    }

    #[test]
    fn overseas_units_need_a_country_and_no_uscc() {
        let i = MemberInput {
            origin: Origin::Overseas,
            name: "ООО «Ромашка»".into(),
            uscc: "914403001922038216".into(),
            ..Default::default()
        };
        assert_eq!(
            codes(&i),
            vec![
                (Field::Uscc, "uscc_overseas".into()),
                (Field::Region, "required".into())
            ]
        );
    }

    #[test]
    fn dates_must_be_real_not_future_and_not_before_the_charter() {
        assert_eq!(
            codes(&MemberInput {
                joined: "2026-02-30".into(),
                ..input()
            })[0]
                .1,
            "date_invalid"
        );
        assert_eq!(
            codes(&MemberInput {
                joined: "2026-11-26".into(),
                ..input()
            })[0]
                .1,
            "date_in_future"
        );
        assert_eq!(
            codes(&MemberInput {
                joined: "2014-12-31".into(),
                ..input()
            })[0]
                .1,
            "date_before_charter"
        );
        let ok = MemberInput {
            joined: "２０２４－０３－０１".into(),
            ..input()
        };
        assert_eq!(
            ok.validate(today()).unwrap().joined,
            NaiveDate::from_ymd_opt(2024, 3, 1)
        );
    }

    #[test]
    fn long_names_are_refused_with_the_count() {
        let i = MemberInput {
            name: "长".repeat(201),
            ..input()
        };
        let p = i.validate(today()).unwrap_err();
        assert!(p[0].message.zh.contains("201"), "{:?}", p[0]);
    }

    #[test]
    fn enums_parse_keys_and_labels() {
        assert_eq!(Kind::parse("企业"), Some(Kind::Enterprise));
        assert_eq!(
            Kind::parse("research_institute"),
            Some(Kind::ResearchInstitute)
        );
        assert_eq!(Tier::parse("Presidium member"), Some(Tier::Presidium));
        assert_eq!(Status::parse("nonsense"), None);
    }
}
