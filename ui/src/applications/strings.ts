// The applications area's own words in Chinese and English; merged into the dictionary by lib/i18n.ts.
export const zh = {
  'nav.applications': '入盟申请',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'nav.applications': '入盟申请',
};
