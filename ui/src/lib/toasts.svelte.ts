// Messages for the user: errors stay until dismissed, confirmations fade after a moment.
// Messages keep both languages so a language switch also changes the visible ones.
import type { Text } from './bindings/Text';
import { isErrorReport } from './api';

export type Toast = { id: number; kind: 'error' | 'success'; text: Text; detail: string };

export const toasts = $state<{ list: Toast[] }>({ list: [] });

let nextId = 1;

function push(kind: Toast['kind'], text: Text, detail = ''): void {
  const same = toasts.list.find(
    (t) => t.kind === kind && t.text.zh === text.zh && t.text.en === text.en && t.detail === detail,
  );
  if (same) return;
  const id = nextId++;
  toasts.list.push({ id, kind, text, detail });
  if (kind === 'success') setTimeout(() => dismiss(id), 2500);
}

export function dismiss(id: number): void {
  toasts.list = toasts.list.filter((t) => t.id !== id);
}

/** Shows anything a command rejected with: an ErrorReport, an Error, a string, or else. */
export function notifyError(e: unknown): void {
  console.error(e);
  if (isErrorReport(e)) {
    push('error', e.message, e.code);
    return;
  }
  let s: string;
  if (e instanceof Error) s = e.message || String(e);
  else if (typeof e === 'string') s = e;
  else {
    try {
      s = JSON.stringify(e) ?? String(e);
    } catch {
      s = String(e);
    }
  }
  push('error', { zh: s, en: s });
}

export function notifySuccess(text: Text): void {
  push('success', text);
}
