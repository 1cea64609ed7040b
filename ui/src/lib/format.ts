// Small formatting helpers shared by the views.
import type { Member } from './bindings/Member';
import type { MemberInput } from './bindings/MemberInput';

/** Today by the local clock, as YYYY-MM-DD. */
export function today(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** "Region · city", skipping what is empty. */
export function place(region: string, city: string): string {
  return [region, city].filter((s) => s.trim() !== '').join(' · ');
}

/** The input a form starts from for a new member. */
export function blankInput(): MemberInput {
  return {
    member_no: '',
    name: '',
    name_en: '',
    kind: 'enterprise',
    origin: 'domestic',
    region: '',
    city: '',
    uscc: '',
    registration_no: '',
    address: '',
    website: '',
    head_name: '',
    head_title: '',
    head_phone: '',
    head_email: '',
    liaison_name: '',
    liaison_title: '',
    liaison_phone: '',
    liaison_email: '',
    liaison_since: '',
    intro: '',
    tier: 'ordinary',
    founding: false,
    status: 'active',
    joined: today(),
    notes: '',
  };
}

/** The input a form starts from to edit a stored member. */
export function inputOf(m: Member): MemberInput {
  return {
    member_no: m.member_no,
    name: m.name,
    name_en: m.name_en,
    kind: m.kind,
    origin: m.origin,
    region: m.region,
    city: m.city,
    uscc: m.uscc ?? '',
    registration_no: m.registration_no ?? '',
    address: m.address,
    website: m.website,
    head_name: m.head.name,
    head_title: m.head.title,
    head_phone: m.head.phone,
    head_email: m.head.email,
    liaison_name: m.liaison.name,
    liaison_title: m.liaison.title,
    liaison_phone: m.liaison.phone,
    liaison_email: m.liaison.email,
    liaison_since: m.liaison_since ?? '',
    intro: m.intro,
    tier: m.tier,
    founding: m.founding,
    status: m.status,
    joined: m.joined ?? '',
    notes: m.notes,
  };
}
