//! `member add` and `member edit`: flags onto a `MemberInput`, then the core does the rest.

use cceaa_core::{Error, Field, Kind, MemberInput, Origin, Problem, Registry, Stamp, Status, Tier};
use clap::Args;

/// The member's fields as flags. On `add`, a flag left out means "empty"; on `edit`, it means
/// "unchanged".
#[derive(Args, Debug, Default)]
pub struct MemberArgs {
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub name_en: Option<String>,
    /// Assigned automatically when left out.
    #[arg(long)]
    pub member_no: Option<String>,
    /// enterprise, industry_organisation, research_institute, industrial_park,
    /// public_institution, other (or the Chinese label).
    #[arg(long)]
    pub kind: Option<String>,
    /// domestic or overseas.
    #[arg(long)]
    pub origin: Option<String>,
    /// Country or region.
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    /// Unified social credit code (domestic units).
    #[arg(long)]
    pub uscc: Option<String>,
    /// Home registration number (overseas units).
    #[arg(long)]
    pub registration_no: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub website: Option<String>,
    #[arg(long)]
    pub head_name: Option<String>,
    #[arg(long)]
    pub head_title: Option<String>,
    #[arg(long)]
    pub head_phone: Option<String>,
    #[arg(long)]
    pub head_email: Option<String>,
    /// The liaison person's name.
    #[arg(long)]
    pub liaison: Option<String>,
    #[arg(long)]
    pub liaison_title: Option<String>,
    #[arg(long)]
    pub liaison_phone: Option<String>,
    #[arg(long)]
    pub liaison_email: Option<String>,
    /// YYYY-MM-DD: when the liaison took office.
    #[arg(long)]
    pub liaison_since: Option<String>,
    #[arg(long)]
    pub intro: Option<String>,
    /// ordinary or presidium.
    #[arg(long)]
    pub tier: Option<String>,
    /// Founding initiator (a presidium member by right); `--founding=false` clears it.
    #[arg(long, num_args = 0..=1, default_missing_value = "true", value_name = "true|false")]
    pub founding: Option<bool>,
    /// active, withdrawn or expelled.
    #[arg(long)]
    pub status: Option<String>,
    /// YYYY-MM-DD; `member add` uses today when left out.
    #[arg(long)]
    pub joined: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

/// Sets `target` from a choice flag, or collects the problem with it.
fn pick<T>(
    raw: &Option<String>,
    parse: impl Fn(&str) -> Result<T, Problem>,
    target: &mut T,
    problems: &mut Vec<Problem>,
) {
    if let Some(raw) = raw {
        match parse(raw) {
            Ok(v) => *target = v,
            Err(p) => problems.push(p),
        }
    }
}

impl MemberArgs {
    /// Lays the given flags over `input`.
    fn apply(&self, input: &mut MemberInput) -> Result<(), Error> {
        let set = |target: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *target = v.clone();
            }
        };
        set(&mut input.name, &self.name);
        set(&mut input.name_en, &self.name_en);
        set(&mut input.member_no, &self.member_no);
        set(&mut input.region, &self.region);
        set(&mut input.city, &self.city);
        set(&mut input.uscc, &self.uscc);
        set(&mut input.registration_no, &self.registration_no);
        set(&mut input.address, &self.address);
        set(&mut input.website, &self.website);
        set(&mut input.head_name, &self.head_name);
        set(&mut input.head_title, &self.head_title);
        set(&mut input.head_phone, &self.head_phone);
        set(&mut input.head_email, &self.head_email);
        set(&mut input.liaison_name, &self.liaison);
        set(&mut input.liaison_title, &self.liaison_title);
        set(&mut input.liaison_phone, &self.liaison_phone);
        set(&mut input.liaison_email, &self.liaison_email);
        set(&mut input.liaison_since, &self.liaison_since);
        set(&mut input.intro, &self.intro);
        set(&mut input.joined, &self.joined);
        set(&mut input.notes, &self.notes);
        let mut problems = Vec::new();
        pick(
            &self.kind,
            |r| Kind::parse_for(Field::Kind, r),
            &mut input.kind,
            &mut problems,
        );
        pick(
            &self.origin,
            |r| Origin::parse_for(Field::Origin, r),
            &mut input.origin,
            &mut problems,
        );
        pick(
            &self.tier,
            |r| Tier::parse_for(Field::Tier, r),
            &mut input.tier,
            &mut problems,
        );
        pick(
            &self.status,
            |r| Status::parse_for(Field::Status, r),
            &mut input.status,
            &mut problems,
        );
        if let Some(f) = self.founding {
            input.founding = f;
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(problems))
        }
    }
}

pub fn add(registry: &mut Registry, args: &MemberArgs) -> Result<(), Error> {
    let stamp = Stamp::now();
    let mut input = MemberInput {
        joined: stamp.today().to_string(),
        ..Default::default()
    };
    args.apply(&mut input)?;
    let member = registry.create_member(&input, &stamp)?;
    println!("{}", member.id);
    Ok(())
}

pub fn edit(registry: &mut Registry, id: i64, args: &MemberArgs) -> Result<(), Error> {
    let mut input = registry.member(id)?.to_input();
    // A script that names a new liaison without --liaison-since means "from today".
    let liaison_flags = [
        &args.liaison,
        &args.liaison_title,
        &args.liaison_phone,
        &args.liaison_email,
    ];
    if liaison_flags.iter().any(|f| f.is_some()) && args.liaison_since.is_none() {
        input.liaison_since.clear();
    }
    args.apply(&mut input)?;
    let member = registry.update_member(id, &input, &Stamp::now())?;
    println!("{}", member.id);
    Ok(())
}
