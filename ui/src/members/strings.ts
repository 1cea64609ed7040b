// Words of the member screens added with the charter's workflows (timeline, certificates,
// leaving); merged into the dictionary by lib/i18n.ts.
export const zh = {
  'detail.timeline': '成员时间线',
} satisfies Record<string, string>;

export const en: Record<keyof typeof zh, string> = {
  'detail.timeline': 'Timeline',
};
