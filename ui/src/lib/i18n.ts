// The UI's own words (buttons, headings, empty states) in Chinese and English, and t().
// Labels of the registry's values and field names come from the backend's vocabulary instead.
import type { Lang } from './bindings/Lang';
import type { Text } from './bindings/Text';
import { ui } from './lang.svelte';
import * as activities from '../activities/strings';
import * as applications from '../applications/strings';
import * as certificates from '../certificates/strings';
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

  'list.title': '成员',
  'list.search': '搜索名称、代码、编号、联络员、城市…',
  'list.searchLabel': '搜索成员',
  'list.clearSearch': '清除搜索',
  'list.filters': '筛选',
  'list.sort': '排序',
  'list.sort.member_no': '按成员编号',
  'list.sort.joined_desc': '按入盟日期（新→旧）',
  'list.sort.updated_desc': '按最近修改',
  'list.new': '新增成员',
  'list.total': '共 {n} 家单位',
  'list.col.no': '编号',
  'list.col.tier': '类别',
  'list.col.kind': '类型',
  'list.col.place': '地区',
  'list.col.liaison': '联络员',
  'list.founding': '发起人',
  'list.emptyTitle': '还没有成员',
  'list.emptyText': '登记簿是空的。添加第一家成员单位，开始建立名录。',
  'list.emptyAction': '添加第一家成员',
  'list.noResultsTitle': '没有找到符合条件的成员',
  'list.noResultsText': '请换个关键词，或清除搜索和筛选条件。',
  'list.clearAll': '清除搜索和筛选',
  'list.prev': '上一页',
  'list.next': '下一页',
  'list.page': '第 {x} / {y} 页',
  'list.pagination': '分页',
  'list.shortcuts': 'Ctrl+F 搜索 · Ctrl+N 新增',

  'detail.back': '返回成员列表',
  'detail.edit': '编辑',
  'detail.memberNo': '成员编号 {no}',
  'detail.basic': '基本信息',
  'detail.head': '负责人',
  'detail.liaison': '联络员',
  'detail.liaisonSince': '自 {date} 起任联络员',
  'detail.liaisonHistory': '联络员变更记录',
  'detail.noLiaisons': '尚无联络员记录。',
  'detail.intro': '单位简介',
  'detail.notes': '备注',
  'detail.audit': '操作记录',
  'detail.noAudit': '尚无操作记录。',
  'detail.current': '至今',
  'detail.created': '创建于 {at}',
  'detail.updated': '最后修改于 {at}',
  'detail.nothing': '未填写',
  'detail.notFound': '无法加载该成员。',

  'person.name': '姓名',
  'person.title': '职务',
  'person.phone': '电话',
  'person.email': '邮箱',
  'person.since': '起',
  'person.until': '止',

  'audit.time': '时间',
  'audit.actor': '操作人',
  'audit.action': '操作',
  'audit.changes': '变更内容',
  'audit.create': '新建',
  'audit.update': '修改',
  'audit.status_change': '状态变更',
  'audit.admission': '批准入盟',
  'audit.tier_change': '成员类别',
  'audit.certificate_issued': '颁发证书',
  'audit.certificate_revoked': '证书失效',
  'audit.attendance': '出席活动',
  'audit.excused': '请假',
  'audit.chair_term': '轮值主席',
  'audit.rotation': '轮值顺序',
  'audit.restore': '从备份恢复',
  'audit.noChanges': '无字段变化',

  'form.newTitle': '新增成员',
  'form.editTitle': '编辑成员',
  'form.basic': '基本信息',
  'form.membership': '会籍',
  'form.head': '负责人',
  'form.liaison': '联络员',
  'form.intro': '单位简介',
  'form.notes': '备注',
  'form.save': '保存',
  'form.saving': '正在保存…',
  'form.cancel': '取消',
  'form.required': '必填',
  'form.memberNoHint': '留空则由系统自动分配下一个编号。',
  'form.liaisonSinceHint': '更换联络员时填写新联络员的任职日期；留空则为今天。',
  'form.hiddenUscc': '该单位为境外单位，但仍填有统一社会信用代码。',
  'form.hiddenReg': '该单位为境内单位，但仍填有注册号。',
  'form.invalidSummary': '有 {n} 处需要修改，请查看标红的字段。',
  'form.shortcut': 'Ctrl+S 保存',
  'form.loadFailed': '无法加载要编辑的成员。',

  'confirm.leaveTitle': '放弃未保存的修改？',
  'confirm.leaveText': '表单中有尚未保存的修改，离开后这些修改将会丢失。',
  'confirm.leave': '放弃修改',
  'confirm.stay': '继续编辑',
} satisfies Record<string, string>;

// Each area keeps its words beside its screens; they are merged here into one dictionary.
const zh = {
  ...base,
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

  'list.title': 'Members',
  'list.search': 'Search name, code, number, liaison, city…',
  'list.searchLabel': 'Search members',
  'list.clearSearch': 'Clear search',
  'list.filters': 'Filters',
  'list.sort': 'Sort',
  'list.sort.member_no': 'By member number',
  'list.sort.joined_desc': 'By date joined (newest first)',
  'list.sort.updated_desc': 'Recently changed',
  'list.new': 'New member',
  'list.total': '{n} organisations',
  'list.col.no': 'No.',
  'list.col.tier': 'Tier',
  'list.col.kind': 'Kind',
  'list.col.place': 'Location',
  'list.col.liaison': 'Liaison',
  'list.founding': 'Founder',
  'list.emptyTitle': 'No members yet',
  'list.emptyText': 'The registry is empty. Add the first member organisation to start the roll.',
  'list.emptyAction': 'Add the first member',
  'list.noResultsTitle': 'No members match',
  'list.noResultsText': 'Try other words, or clear the search and filters.',
  'list.clearAll': 'Clear search and filters',
  'list.prev': 'Previous',
  'list.next': 'Next',
  'list.page': 'Page {x} of {y}',
  'list.pagination': 'Pages',
  'list.shortcuts': 'Ctrl+F search · Ctrl+N new',

  'detail.back': 'Back to members',
  'detail.edit': 'Edit',
  'detail.memberNo': 'Member no. {no}',
  'detail.basic': 'Basic information',
  'detail.head': 'Responsible person',
  'detail.liaison': 'Liaison',
  'detail.liaisonSince': 'Liaison since {date}',
  'detail.liaisonHistory': 'Liaison history',
  'detail.noLiaisons': 'No liaison recorded yet.',
  'detail.intro': 'Introduction',
  'detail.notes': 'Notes',
  'detail.audit': 'Change log',
  'detail.noAudit': 'No changes recorded yet.',
  'detail.current': 'present',
  'detail.created': 'Created {at}',
  'detail.updated': 'Last changed {at}',
  'detail.nothing': 'Not given',
  'detail.notFound': 'This member could not be loaded.',

  'person.name': 'Name',
  'person.title': 'Title',
  'person.phone': 'Phone',
  'person.email': 'E-mail',
  'person.since': 'From',
  'person.until': 'Until',

  'audit.time': 'Time',
  'audit.actor': 'User',
  'audit.action': 'Action',
  'audit.changes': 'Changes',
  'audit.create': 'Created',
  'audit.update': 'Updated',
  'audit.status_change': 'Status change',
  'audit.admission': 'Admitted',
  'audit.tier_change': 'Tier',
  'audit.certificate_issued': 'Certificate issued',
  'audit.certificate_revoked': 'Certificate revoked',
  'audit.attendance': 'Attendance',
  'audit.excused': 'Excused absence',
  'audit.chair_term': 'Rotating chair',
  'audit.rotation': 'Rotation order',
  'audit.restore': 'Restored from a backup',
  'audit.noChanges': 'No field changed',

  'form.newTitle': 'New member',
  'form.editTitle': 'Edit member',
  'form.basic': 'Basic information',
  'form.membership': 'Membership',
  'form.head': 'Responsible person',
  'form.liaison': 'Liaison',
  'form.intro': 'Introduction',
  'form.notes': 'Notes',
  'form.save': 'Save',
  'form.saving': 'Saving…',
  'form.cancel': 'Cancel',
  'form.required': 'required',
  'form.memberNoHint': 'Leave empty to assign the next number automatically.',
  'form.liaisonSinceHint': "When the liaison changes, the new liaison's start date; empty means today.",
  'form.hiddenUscc': 'This unit is overseas but still has a unified social credit code.',
  'form.hiddenReg': 'This unit is domestic but still has a registration number.',
  'form.invalidSummary': '{n} fields need attention; see the ones marked in red.',
  'form.shortcut': 'Ctrl+S to save',
  'form.loadFailed': 'The member to edit could not be loaded.',

  'confirm.leaveTitle': 'Discard unsaved changes?',
  'confirm.leaveText': 'The form has changes that are not saved yet. They will be lost if you leave.',
  'confirm.leave': 'Discard changes',
  'confirm.stay': 'Keep editing',
};

const en: Record<Key, string> = {
  ...baseEn,
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
