// The only module that talks to the Rust side: one typed function per Tauri command.
// Commands reject with an ErrorReport (see isErrorReport); callers show it to the user.
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo } from './bindings/AppInfo';
import type { ErrorReport } from './bindings/ErrorReport';
import type { Lang } from './bindings/Lang';
import type { Member } from './bindings/Member';
import type { MemberDetail } from './bindings/MemberDetail';
import type { MemberInput } from './bindings/MemberInput';
import type { MemberPage } from './bindings/MemberPage';
import type { MemberQuery } from './bindings/MemberQuery';
import type { Problem } from './bindings/Problem';
import type { Vocabulary } from './bindings/Vocabulary';

export function listMembers(query: MemberQuery): Promise<MemberPage> {
  return invoke<MemberPage>('list_members', { query });
}

export function newMemberInput(): Promise<MemberInput> {
  return invoke<MemberInput>('new_member_input');
}

export function memberDetail(id: number): Promise<MemberDetail> {
  return invoke<MemberDetail>('member_detail', { id });
}

export function checkMember(input: MemberInput, id: number | null): Promise<Problem[]> {
  return invoke<Problem[]>('check_member', { input, id });
}

export function createMember(input: MemberInput): Promise<Member> {
  return invoke<Member>('create_member', { input });
}

export function updateMember(id: number, input: MemberInput): Promise<Member> {
  return invoke<Member>('update_member', { id, input });
}

export function regions(): Promise<string[]> {
  return invoke<string[]>('regions');
}

export function vocabulary(): Promise<Vocabulary> {
  return invoke<Vocabulary>('vocabulary');
}

export function getLanguage(): Promise<Lang> {
  return invoke<Lang>('get_language');
}

export function setLanguage(lang: Lang): Promise<void> {
  return invoke<void>('set_language', { lang });
}

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}

function isText(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Record<string, unknown>).zh === 'string' &&
    typeof (v as Record<string, unknown>).en === 'string'
  );
}

/** Whether a rejected value is the backend's structured error. */
export function isErrorReport(e: unknown): e is ErrorReport {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return typeof r.code === 'string' && isText(r.message) && Array.isArray(r.problems);
}
