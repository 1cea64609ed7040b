// Small helpers of the member screens.
import * as api from '../lib/api';
import type { Problem } from '../lib/bindings/Problem';

/** Messages of an ErrorReport's problems, or null when it is another kind of error. */
export function problemsOf(e: unknown): Problem[] | null {
  return api.isErrorReport(e) && e.code === 'invalid' && e.problems.length > 0 ? e.problems : null;
}

/** A file size for people: bytes, KB or MB. */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / (1024 * 102.4)) / 10} MB`;
}
