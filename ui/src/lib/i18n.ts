// The UI's own words (buttons, headings, empty states) in Chinese and English, and t().
// Labels of the registry's values and field names come from the backend's vocabulary instead.
import type { Lang } from './bindings/Lang';
import type { Text } from './bindings/Text';
import { ui } from './lang.svelte';
import * as activities from '../activities/strings';
import * as applications from '../applications/strings';
import * as certificates from '../certificates/strings';
import * as dashboard from '../dashboard/strings';
import * as members from '../members/strings';
import * as presidium from '../presidium/strings';
import * as settings from '../settings/strings';

const base = {
  'app.name': '联盟成员登记簿',
  'app.alliance': '中国跨境电子商务应用联盟',
  'app.loading': '正在加载…',
  'app.version': '版本 {v}',
  'app.dataFolder': '数据文件夹',
  'app.dataFolderTip': '数据文件夹：{dir}\n数据库：{db}\n数据结构版本：{schema}',
  'nav.label': '主导航',
  'nav.members': '成员',
  'lang.switchTo': 'English',
  'lang.switchTip': 'Switch the interface to English',

  'common.all': '全部',
  'common.cancel': '取消',
  'common.close': '关闭',
  'common.dismiss': '关闭提示',
  'common.empty': '（空）',
  'common.none': '—',
  'common.yes': '是',
  'common.no': '否',
  'common.saved': '已保存',
  'common.error': '出错了',
  'common.loading': '正在加载…',
  'common.retry': '重试',

  'person.name': '姓名',
  'person.title': '职务',
  'person.phone': '电话',
  'person.email': '邮箱',
  'person.since': '起',
  'person.until': '止',

  'form.shortcut': 'Ctrl+S 保存',

  'confirm.leaveTitle': '放弃未保存的修改？',
  'confirm.leaveText': '表单中有尚未保存的修改，离开后这些修改将会丢失。',
  'confirm.leave': '放弃修改',
  'confirm.stay': '继续编辑',
} satisfies Record<string, string>;

// Each area keeps its words beside its screens; they are merged here into one dictionary.
const zh = {
  ...base,
  ...dashboard.zh,
  ...applications.zh,
  ...presidium.zh,
  ...activities.zh,
  ...settings.zh,
  ...members.zh,
  ...certificates.zh,
};

/** A key of the UI dictionary. */
export type Key = keyof typeof zh;

/** Every language must have every key, and no others. */
const baseEn: Record<keyof typeof base, string> = {
  'app.name': 'CCEAA Registry',
  'app.alliance': '中国跨境电子商务应用联盟',
  'app.loading': 'Loading…',
  'app.version': 'Version {v}',
  'app.dataFolder': 'Data folder',
  'app.dataFolderTip': 'Data folder: {dir}\nDatabase: {db}\nSchema version: {schema}',
  'nav.label': 'Main navigation',
  'nav.members': 'Members',
  'lang.switchTo': '中文',
  'lang.switchTip': '切换为中文界面',

  'common.all': 'All',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.dismiss': 'Dismiss',
  'common.empty': '(empty)',
  'common.none': '—',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.saved': 'Saved',
  'common.error': 'Something went wrong',
  'common.loading': 'Loading…',
  'common.retry': 'Retry',

  'person.name': 'Name',
  'person.title': 'Title',
  'person.phone': 'Phone',
  'person.email': 'E-mail',
  'person.since': 'From',
  'person.until': 'Until',

  'form.shortcut': 'Ctrl+S to save',

  'confirm.leaveTitle': 'Discard unsaved changes?',
  'confirm.leaveText': 'The form has changes that are not saved yet. They will be lost if you leave.',
  'confirm.leave': 'Discard changes',
  'confirm.stay': 'Keep editing',
};

const en: Record<Key, string> = {
  ...baseEn,
  ...dashboard.en,
  ...applications.en,
  ...presidium.en,
  ...activities.en,
  ...settings.en,
  ...members.en,
  ...certificates.en,
};

export const dictionary: Record<Lang, Record<Key, string>> = { zh, en };

/** The UI string for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: Key, params?: Record<string, string | number>): string {
  let s = dictionary[ui.lang][key];
  if (params) {
    for (const [name, value] of Object.entries(params)) {
      s = s.split(`{${name}}`).join(String(value));
    }
  }
  return s;
}

/** A UI string in both languages, for messages that must follow a later language switch. */
export function both(key: Key): Text {
  return { zh: dictionary.zh[key], en: dictionary.en[key] };
}

/** A UI string in both languages with `{name}` placeholders filled in, for toasts that must
 *  follow a later language switch. */
export function bothWith(key: Key, params: Record<string, string | number>): Text {
  const fill = (s: string) =>
    Object.entries(params).reduce((acc, [name, value]) => acc.split(`{${name}}`).join(String(value)), s);
  const text = both(key);
  return { zh: fill(text.zh), en: fill(text.en) };
}
