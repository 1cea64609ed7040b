// Small formatting helpers shared by the views.

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
