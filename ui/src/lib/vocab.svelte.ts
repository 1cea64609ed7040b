// The backend's vocabulary (labels of kinds, tiers, statuses, origins and field names),
// loaded once at start and shared by every view.
import type { ActivityKind } from './bindings/ActivityKind';
import type { ApplicationState } from './bindings/ApplicationState';
import type { Field } from './bindings/Field';
import type { LeaveReason } from './bindings/LeaveReason';
import type { MotionKind } from './bindings/MotionKind';
import type { Purpose } from './bindings/Purpose';
import type { VoteChoice } from './bindings/VoteChoice';
import type { Kind } from './bindings/Kind';
import type { Labelled } from './bindings/Labelled';
import type { Origin } from './bindings/Origin';
import type { Status } from './bindings/Status';
import type { Tier } from './bindings/Tier';
import type { Vocabulary } from './bindings/Vocabulary';
import { ui } from './lang.svelte';

const empty: Vocabulary = {
  kinds: [],
  origins: [],
  tiers: [],
  statuses: [],
  fields: [],
  application_states: [],
  activity_kinds: [],
  motion_kinds: [],
  vote_choices: [],
  purposes: [],
  leave_reasons: [],
};

export const vocab = $state<{ v: Vocabulary }>({ v: empty });

export function setVocabulary(v: Vocabulary): void {
  vocab.v = v;
}

function find<T extends string>(list: Labelled<T>[], key: T): string {
  const hit = list.find((l) => l.key === key);
  return hit ? hit.label[ui.lang] : key;
}

export const kindLabel = (k: Kind): string => find(vocab.v.kinds, k);
export const originLabel = (o: Origin): string => find(vocab.v.origins, o);
export const tierLabel = (t: Tier): string => find(vocab.v.tiers, t);
export const statusLabel = (s: Status): string => find(vocab.v.statuses, s);

/** A field's name as a label or heading: English labels are lower case in the vocabulary. */
export function fieldLabel(f: Field): string {
  const s = find(vocab.v.fields, f);
  return ui.lang === 'en' ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** An audit value shown with its label where it is one of the registry's own keys. */
export function auditValue(field: Field, value: string, yes: string, no: string): string {
  switch (field) {
    case 'kind':
      return kindLabel(value as Kind);
    case 'origin':
      return originLabel(value as Origin);
    case 'tier':
      return tierLabel(value as Tier);
    case 'status':
      return statusLabel(value as Status);
    case 'founding':
      return value === 'true' ? yes : value === 'false' ? no : value;
    default:
      return value;
  }
}

export const applicationStateLabel = (s: ApplicationState): string => find(vocab.v.application_states, s);
export const activityKindLabel = (k: ActivityKind): string => find(vocab.v.activity_kinds, k);
export const motionKindLabel = (k: MotionKind): string => find(vocab.v.motion_kinds, k);
export const voteChoiceLabel = (c: VoteChoice): string => find(vocab.v.vote_choices, c);
export const purposeLabel = (p: Purpose): string => find(vocab.v.purposes, p);
export const leaveReasonLabel = (r: LeaveReason): string => find(vocab.v.leave_reasons, r);

/** A bilingual text from the backend (a summary, a timeline entry) in the UI's language. */
export const inLang = (text: { zh: string; en: string }): string => text[ui.lang];
