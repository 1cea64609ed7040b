// The activities area's own words in Chinese and English; merged into the dictionary by lib/i18n.ts.
export const zh = {
  'nav.activities': '活动与出席',
  'nav.watchlist': '活动观察名单',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'nav.activities': 'Activities',
  'nav.watchlist': 'Watch-list',
};
