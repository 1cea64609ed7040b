// The settings area's own words in Chinese and English; merged into the dictionary by lib/i18n.ts.
export const zh = {
  'nav.settings': '设置',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'nav.settings': 'Settings',
};
