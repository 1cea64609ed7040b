// Small helpers of the applications area: state tones, flag texts, file sizes, list state.
import type { ApplicationState } from '../lib/bindings/ApplicationState';
import type { Flag } from '../lib/bindings/Flag';
import { t } from '../lib/i18n';

export type Tone = 'neutral' | 'presidium' | 'founding' | 'active' | 'withdrawn' | 'expelled';

/** The badge colour of an application state (the label itself comes from the vocabulary). */
export function stateTone(s: ApplicationState): Tone {
  switch (s) {
    case 'received':
      return 'neutral';
    case 'under_review':
      return 'founding';
    case 'approved':
      return 'active';
    case 'rejected':
      return 'expelled';
    case 'withdrawn':
      return 'withdrawn';
  }
}

/** What a duplicate-guard flag means, in the UI language. */
export function flagText(f: Flag): string {
  switch (f.kind) {
    case 'open_application':
      return t('apps.flag.open_application', { id: f.id, name: f.name });
    default:
      return t(`apps.flag.${f.kind}`, { name: f.member.name, no: f.member.member_no });
  }
}

/** How loud a flag is: an expelled or active unit blocks, the others ask for a second look. */
export function flagSeverity(f: Flag): 'danger' | 'warning' | 'info' {
  if (f.kind === 'expelled' || f.kind === 'active_member') return 'danger';
  if (f.kind === 'open_application') return 'warning';
  return 'info';
}

/** A file size for people; shared with the other areas from lib/format. */
export { fileSize } from '../lib/format';

/** A recommender chosen in the form: enough to show it as a chip. */
export type Chosen = { id: number; member_no: string; name: string };

/** Toast texts with parameters; shared with the other areas from lib/i18n. */
export { bothWith } from '../lib/i18n';
