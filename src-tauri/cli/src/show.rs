//! `members`, `member show` and `audit`: reading the registry, as text for people or JSON for
//! scripts.

use cceaa_core::{
    AuditAction, Error, Field, Kind, Lang, MemberQuery, Origin, Registry, Status, Text, Tier,
};
use clap::Args;

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub filters: Filters,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    json: bool,
}

/// Which members a listing or a roster takes.
#[derive(Args, Debug)]
pub struct Filters {
    /// Any part of a name, code, member number, liaison or city.
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    tier: Option<String>,
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    origin: Option<String>,
    #[arg(long)]
    region: Option<String>,
    /// Joined on or after this day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    joined_from: Option<String>,
    /// Joined on or before this day, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    joined_to: Option<String>,
}

impl Filters {
    pub fn query(&self) -> Result<MemberQuery, Error> {
        Ok(MemberQuery {
            search: self.search.clone().unwrap_or_default(),
            tier: filter(&self.tier, |r| Tier::parse_for(Field::Tier, r))?,
            status: filter(&self.status, |r| Status::parse_for(Field::Status, r))?,
            kind: filter(&self.kind, |r| Kind::parse_for(Field::Kind, r))?,
            origin: filter(&self.origin, |r| Origin::parse_for(Field::Origin, r))?,
            region: self.region.clone().unwrap_or_default(),
            joined_from: day(&self.joined_from)?,
            joined_to: day(&self.joined_to)?,
            limit: 1000,
            ..Default::default()
        })
    }
}

/// A date flag, checked as the registry checks dates.
fn day(raw: &Option<String>) -> Result<Option<chrono::NaiveDate>, Error> {
    raw.as_deref()
        .map(|r| {
            let today = cceaa_core::Stamp::now().today();
            cceaa_core::member::required_date(Field::Joined, r, today)
        })
        .transpose()
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Only this member's entries.
    id: Option<i64>,
    #[arg(long, default_value_t = 100)]
    limit: u32,
    #[arg(long)]
    json: bool,
}

pub fn json_out<T: serde::Serialize>(value: &T) -> Result<(), Error> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::Storage(e.to_string()))?;
    println!("{s}");
    Ok(())
}

/// A filter flag's value, if given.
fn filter<T>(
    raw: &Option<String>,
    parse: impl Fn(&str) -> Result<T, cceaa_core::Problem>,
) -> Result<Option<T>, Error> {
    raw.as_deref()
        .map(parse)
        .transpose()
        .map_err(Error::invalid)
}

pub fn members(registry: &Registry, args: &ListArgs, lang: Lang) -> Result<(), Error> {
    let mut query = args.filters.query()?;
    let mut rows = Vec::new();
    loop {
        let page = registry.list_members(&query)?;
        let n = page.rows.len() as u32;
        rows.extend(page.rows);
        if n == 0 || rows.len() as u32 >= page.total {
            break;
        }
        query.offset += n;
    }
    if args.json {
        return json_out(&rows);
    }
    let head = Text::new(
        "编号\t单位名称\t英文名称\t统一社会信用代码\t类别\t状态\t入盟日期",
        "No.\tName\tEnglish name\tUSCC\tTier\tStatus\tJoined",
    );
    println!("{}", head.get(lang));
    for m in &rows {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            m.member_no,
            m.name,
            m.name_en,
            m.uscc
                .as_deref()
                .or(m.registration_no.as_deref())
                .unwrap_or(""),
            m.tier.label().get(lang),
            m.status.label().get(lang),
            m.joined.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    Ok(())
}

pub fn member(registry: &Registry, id: i64, json: bool, lang: Lang) -> Result<(), Error> {
    let detail = registry.member_detail(id, cceaa_core::Stamp::now().today())?;
    if json {
        return json_out(&detail.member);
    }
    let m = &detail.member;
    let line = |f: Field, v: &str| {
        if !v.is_empty() {
            println!("{}: {}", f.label().get(lang), v);
        }
    };
    line(Field::MemberNo, &m.member_no);
    line(Field::Name, &m.name);
    line(Field::NameEn, &m.name_en);
    line(Field::Kind, m.kind.label().get(lang));
    line(Field::Origin, m.origin.label().get(lang));
    line(Field::Region, &m.region);
    line(Field::City, &m.city);
    line(Field::Uscc, m.uscc.as_deref().unwrap_or(""));
    line(
        Field::RegistrationNo,
        m.registration_no.as_deref().unwrap_or(""),
    );
    line(Field::Address, &m.address);
    line(Field::Website, &m.website);
    line(Field::HeadName, &m.head.name);
    line(Field::HeadTitle, &m.head.title);
    line(Field::HeadPhone, &m.head.phone);
    line(Field::HeadEmail, &m.head.email);
    line(Field::LiaisonName, &m.liaison.name);
    line(Field::LiaisonTitle, &m.liaison.title);
    line(Field::LiaisonPhone, &m.liaison.phone);
    line(Field::LiaisonEmail, &m.liaison.email);
    line(Field::Tier, m.tier.label().get(lang));
    let yes = Text::new("是", "yes");
    line(Field::Founding, if m.founding { yes.get(lang) } else { "" });
    line(Field::Status, m.status.label().get(lang));
    line(
        Field::Joined,
        &m.joined.map(|d| d.to_string()).unwrap_or_default(),
    );
    line(Field::Intro, &m.intro);
    line(Field::Notes, &m.notes);
    if detail.liaisons.len() > 1 {
        println!(
            "{}:",
            Text::new("联络员变更记录", "Liaison history").get(lang)
        );
        for p in &detail.liaisons {
            let until = p
                .until
                .map(|d| d.to_string())
                .unwrap_or_else(|| Text::new("至今", "now").get(lang).to_string());
            println!(
                "  {} – {}  {} {} {}",
                p.since, until, p.person.name, p.person.phone, p.person.email
            );
        }
    }
    Ok(())
}

fn action_label(a: AuditAction) -> Text {
    match a {
        AuditAction::Create => Text::new("新建", "created"),
        AuditAction::Update => Text::new("修改", "updated"),
        AuditAction::StatusChange => Text::new("状态变更", "status changed"),
        AuditAction::Admission => Text::new("批准入盟", "admitted"),
        AuditAction::TierChange => Text::new("成员类别", "tier"),
        AuditAction::CertificateIssued => Text::new("颁发证书", "certificate issued"),
        AuditAction::CertificateRevoked => Text::new("证书失效", "certificate revoked"),
        AuditAction::Attendance => Text::new("出席活动", "attendance"),
        AuditAction::Excused => Text::new("请假", "excused"),
        AuditAction::ChairTerm => Text::new("轮值主席", "rotating chair"),
        AuditAction::Rotation => Text::new("轮值顺序", "rotation order"),
        AuditAction::Restore => Text::new("从备份恢复", "restored from a backup"),
    }
}

pub fn audit(registry: &Registry, args: &AuditArgs, lang: Lang) -> Result<(), Error> {
    if let Some(id) = args.id {
        registry.member(id)?;
    }
    let entries = registry.audit(args.id, args.limit)?;
    if args.json {
        return json_out(&entries);
    }
    for e in &entries {
        println!(
            "{}  {}  {}  {}",
            e.at,
            e.actor,
            action_label(e.action).get(lang),
            e.member_name
        );
        let summary = e.summary.get(lang);
        if !summary.is_empty() {
            println!("    {summary}");
        }
        if !matches!(e.action, AuditAction::Create | AuditAction::Admission) {
            for c in &e.changes {
                println!(
                    "    {}: {} → {}",
                    c.field.label().get(lang),
                    c.before,
                    c.after
                );
            }
        }
    }
    Ok(())
}

/// `cceaa info`: what office IT asks first on a support call.
pub fn info(registry: &Registry, json: bool, lang: Lang) -> Result<(), Error> {
    let info = registry.app_info(&cceaa_core::documents::fonts::bundled_dir())?;
    if json {
        return json_out(&info);
    }
    let rows = [
        (Text::new("版本", "Version"), info.version),
        (Text::new("数据文件夹", "Data folder"), info.data_dir),
        (Text::new("数据库", "Database"), info.database),
        (
            Text::new("数据版本", "Data version"),
            info.schema_version.to_string(),
        ),
        (Text::new("字体文件夹", "Fonts folder"), info.fonts_dir),
    ];
    for (label, value) in rows {
        println!("{}\t{value}", label.get(lang));
    }
    Ok(())
}
