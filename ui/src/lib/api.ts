// The only module that talks to the Rust side: one typed function per Tauri command.
// Commands reject with an ErrorReport (see isErrorReport); callers show it to the user.
import { invoke } from '@tauri-apps/api/core';
import type { AppInfo } from './bindings/AppInfo';
import type { DocumentImage } from './bindings/DocumentImage';
import type { DocumentImages } from './bindings/DocumentImages';
import type { InstalledFont } from './bindings/InstalledFont';
import type { DocumentRequest } from './bindings/DocumentRequest';
import type { Preview } from './bindings/Preview';
import type { Verification } from './bindings/Verification';
import type { Activity } from './bindings/Activity';
import type { ActivityDetail } from './bindings/ActivityDetail';
import type { ActivityInput } from './bindings/ActivityInput';
import type { Application } from './bindings/Application';
import type { ApplicationDetail } from './bindings/ApplicationDetail';
import type { ApplicationInput } from './bindings/ApplicationInput';
import type { ApplicationRow } from './bindings/ApplicationRow';
import type { ApplicationState } from './bindings/ApplicationState';
import type { Approval } from './bindings/Approval';
import type { Attachment } from './bindings/Attachment';
import type { Certificate } from './bindings/Certificate';
import type { Dashboard } from './bindings/Dashboard';
import type { Decision } from './bindings/Decision';
import type { ExcusedPeriod } from './bindings/ExcusedPeriod';
import type { Flag } from './bindings/Flag';
import type { LeaveInput } from './bindings/LeaveInput';
import type { MemberRef } from './bindings/MemberRef';
import type { Motion } from './bindings/Motion';
import type { MotionInput } from './bindings/MotionInput';
import type { Notice } from './bindings/Notice';
import type { NoticeKind } from './bindings/NoticeKind';
import type { Owner } from './bindings/Owner';
import type { PresidiumView } from './bindings/PresidiumView';
import type { Purpose } from './bindings/Purpose';
import type { Rotation } from './bindings/Rotation';
import type { Template } from './bindings/Template';
import type { WatchRow } from './bindings/WatchRow';
import type { WorkflowSettings } from './bindings/WorkflowSettings';
import type { ErrorReport } from './bindings/ErrorReport';
import type { Lang } from './bindings/Lang';
import type { Member } from './bindings/Member';
import type { MemberDetail } from './bindings/MemberDetail';
import type { MemberInput } from './bindings/MemberInput';
import type { MemberPage } from './bindings/MemberPage';
import type { MemberQuery } from './bindings/MemberQuery';
import type { Problem } from './bindings/Problem';
import type { Vocabulary } from './bindings/Vocabulary';
import type { ArchiveSummary } from './bindings/ArchiveSummary';
import type { BackupDone } from './bindings/BackupDone';
import type { BackupFile } from './bindings/BackupFile';
import type { BackupOverview } from './bindings/BackupOverview';
import type { ColumnInfo } from './bindings/ColumnInfo';
import type { ExportRequest } from './bindings/ExportRequest';
import type { ExportSummary } from './bindings/ExportSummary';
import type { ImportOptions } from './bindings/ImportOptions';
import type { ImportReport } from './bindings/ImportReport';

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

// Applications to join (charter Art. 9-10).

export function newApplicationInput(): Promise<ApplicationInput> {
  return invoke<ApplicationInput>('new_application_input');
}

export function listApplications(filter: ApplicationState | null, search: string): Promise<ApplicationRow[]> {
  return invoke<ApplicationRow[]>('list_applications', { filter, search });
}

export function applicationDetail(id: number): Promise<ApplicationDetail> {
  return invoke<ApplicationDetail>('application_detail', { id });
}

export function checkApplication(input: ApplicationInput): Promise<Problem[]> {
  return invoke<Problem[]>('check_application', { input });
}

/** The duplicate guard's findings for an applicant as typed (id: the application being edited). */
export function applicantFlags(applicant: MemberInput, id: number | null): Promise<Flag[]> {
  return invoke<Flag[]>('applicant_flags', { applicant, id });
}

export function createApplication(input: ApplicationInput): Promise<Application> {
  return invoke<Application>('create_application', { input });
}

export function updateApplication(id: number, input: ApplicationInput): Promise<Application> {
  return invoke<Application>('update_application', { id, input });
}

/** Starts the review; date 'YYYY-MM-DD' or '' for today. */
export function reviewApplication(id: number, date: string): Promise<Application> {
  return invoke<Application>('review_application', { id, date });
}

export function approveApplication(id: number, decision: Decision): Promise<Approval> {
  return invoke<Approval>('approve_application', { id, decision });
}

export function rejectApplication(id: number, decision: Decision): Promise<Application> {
  return invoke<Application>('reject_application', { id, decision });
}

export function withdrawApplication(id: number, decision: Decision): Promise<Application> {
  return invoke<Application>('withdraw_application', { id, decision });
}

export function applicationNotice(id: number): Promise<Notice> {
  return invoke<Notice>('application_notice', { id });
}

export function recordNoticeSent(id: number, date: string): Promise<Application> {
  return invoke<Application>('record_notice_sent', { id, date });
}

/** Opens the notice in the user's mail program (mailto:). */
export function openNoticeInMail(id: number): Promise<void> {
  return invoke<void>('open_notice_in_mail', { id });
}

/** Asks where to save the notice as .eml; resolves to the path, or null when cancelled. */
export function saveNoticeEml(id: number): Promise<string | null> {
  return invoke<string | null>('save_notice_eml', { id });
}

/** Opens a file dialog and keeps the chosen file with its owner; null when cancelled. */
export function addAttachment(owner: Owner, purpose: Purpose): Promise<Attachment | null> {
  return invoke<Attachment | null>('add_attachment', { owner, purpose });
}

/** Opens a kept file with the system's viewer. */
export function openAttachment(id: number): Promise<void> {
  return invoke<void>('open_attachment', { id });
}

// The presidium (Art. 8, 13(2)).

export function presidiumView(): Promise<PresidiumView> {
  return invoke<PresidiumView>('presidium_view');
}

/** Presidium members in office on `date` ('YYYY-MM-DD'): the voters of a motion. */
export function presidiumOn(date: string): Promise<MemberRef[]> {
  return invoke<MemberRef[]>('presidium_on', { date });
}

export function recordMotion(input: MotionInput): Promise<Motion> {
  return invoke<Motion>('record_motion', { input });
}

export function setRotationOrder(ids: number[]): Promise<Rotation> {
  return invoke<Rotation>('set_rotation_order', { ids });
}

export function startChairTerm(memberId: number, since: string): Promise<Rotation> {
  return invoke<Rotation>('start_chair_term', { memberId, since });
}

// Activities, attendance, the watch-list and leaving (Art. 11-13).

export function listActivities(year: number | null, search: string): Promise<Activity[]> {
  return invoke<Activity[]>('list_activities', { year, search });
}

export function newActivityInput(): Promise<ActivityInput> {
  return invoke<ActivityInput>('new_activity_input');
}

export function activityDetail(id: number): Promise<ActivityDetail> {
  return invoke<ActivityDetail>('activity_detail', { id });
}

export function createActivity(input: ActivityInput): Promise<Activity> {
  return invoke<Activity>('create_activity', { input });
}

export function updateActivity(id: number, input: ActivityInput): Promise<Activity> {
  return invoke<Activity>('update_activity', { id, input });
}

export function addAttendance(activityId: number, memberId: number, person: string): Promise<ActivityDetail> {
  return invoke<ActivityDetail>('add_attendance', { activityId, memberId, person });
}

export function removeAttendance(activityId: number, memberId: number): Promise<ActivityDetail> {
  return invoke<ActivityDetail>('remove_attendance', { activityId, memberId });
}

/** The 工作台's figures as of today. */
export function dashboard(): Promise<Dashboard> {
  return invoke<Dashboard>('dashboard');
}

export function watchlist(): Promise<WatchRow[]> {
  return invoke<WatchRow[]>('watchlist');
}

export function addExcused(memberId: number, since: string, until: string, reason: string): Promise<ExcusedPeriod> {
  return invoke<ExcusedPeriod>('add_excused', { memberId, since, until, reason });
}

/** Art. 13(1): withdrawal by written notice. */
export function withdrawMember(id: number, input: LeaveInput): Promise<Member> {
  return invoke<Member>('withdraw_member', { id, input });
}

/** Art. 13(1): the secretariat confirms a deemed withdrawal (only past 12 months). */
export function confirmDeemedWithdrawal(id: number, input: LeaveInput): Promise<Member> {
  return invoke<Member>('confirm_deemed_withdrawal', { id, input });
}

export function issueCertificate(memberId: number, date: string): Promise<Certificate> {
  return invoke<Certificate>('issue_certificate', { memberId, date });
}

// Settings of the workflows.

export function workflowSettings(): Promise<WorkflowSettings> {
  return invoke<WorkflowSettings>('workflow_settings');
}

export function saveWorkflowSettings(settings: WorkflowSettings): Promise<WorkflowSettings> {
  return invoke<WorkflowSettings>('save_workflow_settings', { settings });
}

export function defaultNoticeTemplate(kind: NoticeKind): Promise<Template> {
  return invoke<Template>('default_notice_template', { kind });
}

// Documents (certificates, the roster, the application form, decision letters).

/** The document as it will print, each page as SVG; issues nothing. */
export function documentPreview(request: DocumentRequest): Promise<Preview> {
  return invoke<Preview>('document_preview', { request });
}

/** Asks where to save the PDF and writes it (issuing missing certificates); with `open`, opens
 *  it in the system's PDF viewer for printing. Resolves to the path, or null when cancelled. */
export function saveDocument(request: DocumentRequest, open: boolean): Promise<string | null> {
  return invoke<string | null>('save_document', { request, open });
}

/** Checks a certificate from its QR code's text, or its number and code as typed. */
export function verifyCertificate(text: string): Promise<Verification> {
  return invoke<Verification>('verify_certificate', { text });
}

/** 补发: a new certificate with the next number; the old one is marked superseded. */
export function reissueCertificate(memberId: number, reason: string): Promise<Certificate> {
  return invoke<Certificate>('reissue_certificate', { memberId, reason });
}

/** The office's seal and signature images for certificates, as data: URLs (null: not set). */
export function documentImages(): Promise<DocumentImages> {
  return invoke<DocumentImages>('document_images');
}

/** Asks for a PNG and keeps it as the seal or signature; null when cancelled. */
export function chooseDocumentImage(kind: DocumentImage): Promise<DocumentImages | null> {
  return invoke<DocumentImages | null>('choose_document_image', { kind });
}

export function clearDocumentImage(kind: DocumentImage): Promise<DocumentImages> {
  return invoke<DocumentImages>('clear_document_image', { kind });
}

/** Chinese fonts installed on this PC, for documents' body text. */
export function installedFonts(): Promise<InstalledFont[]> {
  return invoke<InstalledFont[]>('installed_fonts');
}

/** The chosen body font, or null for the bundled fonts. */
export function documentFont(): Promise<InstalledFont | null> {
  return invoke<InstalledFont | null>('document_font');
}

export function setDocumentFont(font: InstalledFont | null): Promise<InstalledFont | null> {
  return invoke<InstalledFont | null>('set_document_font', { font });
}

// Exchange: rosters out as Excel/CSV, old spreadsheets in, backups, restore and the archive.
// Files are chosen in native dialogs on the Rust side and remembered there between steps.

/** The member columns an export offers and an import maps to, in export order. */
export function exportColumns(): Promise<ColumnInfo[]> {
  return invoke<ColumnInfo[]>('export_columns');
}

/** Asks where to save, then writes the roster as .xlsx (or .csv with `csv`); with `open`,
 *  opens it. Resolves to what was written, or null when the save dialog was cancelled. */
export function exportMembers(request: ExportRequest, csv: boolean, open: boolean): Promise<ExportSummary | null> {
  return invoke<ExportSummary | null>('export_members', { request, csv, open });
}

/** Asks for a spreadsheet to import; resolves to its file name, or null when cancelled. */
export function chooseImportFile(): Promise<string | null> {
  return invoke<string | null>('choose_import_file');
}

/** What importing the chosen file would do, row by row (a dry run: writes nothing). */
export function importPreview(options: ImportOptions): Promise<ImportReport> {
  return invoke<ImportReport>('import_preview', { options });
}

/** Imports the chosen file. With rows in error and `skip_invalid` false, nothing is written
 *  and the report's `refused` says why. */
export function importMembers(options: ImportOptions): Promise<ImportReport> {
  return invoke<ImportReport>('import_members', { options });
}

export function backupOverview(): Promise<BackupOverview> {
  return invoke<BackupOverview>('backup_overview');
}

/** Why the last automatic backup failed, or null. */
export function backupFailure(): Promise<ErrorReport | null> {
  return invoke<ErrorReport | null>('backup_failure');
}

export function chooseSecondBackupDir(): Promise<BackupOverview | null> {
  return invoke<BackupOverview | null>('choose_second_backup_dir');
}

export function clearSecondBackupDir(): Promise<BackupOverview> {
  return invoke<BackupOverview>('clear_second_backup_dir');
}

/** A backup into the backups folder, now. */
export function backupNow(): Promise<BackupDone> {
  return invoke<BackupDone>('backup_now');
}

/** A backup to a file chosen in a save dialog; null when cancelled. */
export function backupToFile(): Promise<BackupFile | null> {
  return invoke<BackupFile | null>('backup_to_file');
}

/** Asks for a backup file to restore and checks it; its name, or null when cancelled. */
export function chooseRestoreFile(): Promise<string | null> {
  return invoke<string | null>('choose_restore_file');
}

/** Replaces the registry with a backup: `name` from the backups list, or null for the file
 *  chosen with chooseRestoreFile. Resolves to the safety copy taken first. */
export function restoreBackup(name: string | null): Promise<BackupFile> {
  return invoke<BackupFile>('restore_backup', { name });
}

/** The whole registry as one ZIP (database, attachments, every table as JSON); null when
 *  the save dialog was cancelled. */
export function exportArchive(): Promise<ArchiveSummary | null> {
  return invoke<ArchiveSummary | null>('export_archive');
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
