// One check of a certificate, as the verify screen shows it and keeps it in its history.
import type { Verification } from '../lib/bindings/Verification';
import { t } from '../lib/i18n';

/** valid: genuine and not revoked; revoked: genuine but no longer valid; forged: no such
 *  certificate, or the code does not match it. */
export type Outcome = 'valid' | 'revoked' | 'forged';
export type Check = { id: number; at: string; v: Verification; outcome: Outcome };

export function outcomeOf(v: Verification): Outcome {
  if (!v.genuine || !v.certificate) return 'forged';
  return v.certificate.revoked === null ? 'valid' : 'revoked';
}

export function outcomeTitle(o: Outcome): string {
  return t(o === 'valid' ? 'verify.valid' : o === 'revoked' ? 'verify.revoked' : 'verify.forged');
}

export function outcomeLabel(o: Outcome): string {
  return t(`verify.state.${o}`);
}

export function outcomeTone(o: Outcome): 'active' | 'founding' | 'expelled' {
  return o === 'valid' ? 'active' : o === 'revoked' ? 'founding' : 'expelled';
}
