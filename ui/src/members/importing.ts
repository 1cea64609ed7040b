// Helpers of the import view: the rows by what happens to them, and how columns are named.
import type { ColumnInfo } from '../lib/bindings/ColumnInfo';
import type { Field } from '../lib/bindings/Field';
import type { ImportAction } from '../lib/bindings/ImportAction';
import type { ImportCounts } from '../lib/bindings/ImportCounts';
import type { Key } from '../lib/i18n';
import { pick } from '../lib/lang.svelte';
import { fieldLabel } from '../lib/vocab.svelte';

/** The rows by what happens to them, one tab each. */
export const tabs: { action: ImportAction; label: Key }[] = [
  { action: 'new', label: 'import.tab.new' },
  { action: 'update', label: 'import.tab.update' },
  { action: 'unchanged', label: 'import.tab.unchanged' },
  { action: 'duplicate', label: 'import.tab.duplicate' },
  { action: 'error', label: 'import.tab.error' },
];

export function countOf(c: ImportCounts, a: ImportAction): number {
  switch (a) {
    case 'new':
      return c.new;
    case 'update':
      return c.updated;
    case 'unchanged':
      return c.unchanged;
    case 'duplicate':
      return c.duplicates;
    case 'error':
      return c.errors;
  }
}

/** Errors first when there are any; else the first kind that has rows. */
export function firstTab(c: ImportCounts): ImportAction {
  if (c.errors > 0) return 'error';
  return tabs.find((x) => countOf(c, x.action) > 0)?.action ?? 'new';
}

/** A field's name as the export and import columns call it. */
export function columnLabel(columns: ColumnInfo[], f: Field): string {
  const c = columns.find((x) => x.field === f);
  return c ? pick(c.label) : fieldLabel(f);
}

/** A column's letter as the spreadsheet shows it: A … Z, AA … */
export function letter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
