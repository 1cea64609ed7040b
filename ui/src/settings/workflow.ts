// The workflow settings as the settings screen edits them, and the two notice templates.
import type { Key } from '../lib/i18n';
import type { NoticeKind } from '../lib/bindings/NoticeKind';
import type { Template } from '../lib/bindings/Template';
import type { WorkflowSettings } from '../lib/bindings/WorkflowSettings';

/** What the screen edits: the settings as typed (the term stays text until it is saved). */
export type Draft = { scheme: string; term: string; importMb: string; approval: Template; rejection: Template };

export function toDraft(s: WorkflowSettings): Draft {
  return {
    scheme: s.certificate_scheme,
    term: String(s.chair_term_months),
    importMb: String(s.import_max_mb),
    approval: s.approval,
    rejection: s.rejection,
  };
}

/** The settings as the backend takes them. A term that is not a whole number goes as 0,
 *  which the backend refuses with its own message about the allowed length. */
export function toSettings(d: Draft): WorkflowSettings {
  const term = d.term.trim();
  const mb = d.importMb.trim();
  return {
    certificate_scheme: d.scheme,
    chair_term_months: /^\d{1,9}$/.test(term) ? Number(term) : 0,
    import_max_mb: /^\d{1,9}$/.test(mb) ? Number(mb) : 0,
    approval: d.approval,
    rejection: d.rejection,
  };
}

/** The notice templates, each with its heading. */
export const templates: { kind: NoticeKind; label: Key }[] = [
  { kind: 'approval', label: 'settings.tpl.approval' },
  { kind: 'rejection', label: 'settings.tpl.rejection' },
];
