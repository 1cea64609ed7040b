// Small formatting helpers shared by the views.
import { ui } from './lang.svelte';

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

/** Why a certificate stopped being valid. A reissue writes it as "中文 / English": show the
 *  half in the UI language; other notes (a leaving reason) are shown as written. */
export function certificateNote(note: string): string {
  const parts = /^(.+?) \/ (superseded by .+)$/.exec(note);
  if (!parts) return note;
  if (ui.lang === 'zh') return parts[1];
  // The reason the clerk gave is kept in the Chinese half only: carry it over as written.
  const reason = /（(.+)）$/.exec(parts[1]);
  return reason ? `${parts[2]} (${reason[1]})` : parts[2];
}

/** A file size for people: 812 B, 12.4 KB, 3.1 MB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${kb < 10 ? kb.toFixed(1) : Math.round(kb)} KB`;
  const mb = kb / 1024;
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}
