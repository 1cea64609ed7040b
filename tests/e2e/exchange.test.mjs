// End to end through the real window: an old roster (a title line, a row in error) is
// previewed and imported with the bad row skipped; the roster is exported to Excel and reads
// back unchanged; a backup is taken in Settings and copied to a second destination (a "USB
// drive"), a file that is not a backup is refused, and a backup made by the CLI is restored.
// Native file dialogs cannot be clicked by WebDriver: CCEAA_E2E_DIALOG names a file holding
// the path each dialog answers with, rewritten between steps.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const application = process.env.CCEAA_APP || join(root, "target/debug/cceaa-registry");
const cli = process.env.CCEAA_CLI || join(root, "target/debug/cceaa");
const artifacts = join(root, "tests/e2e/.artifacts");
const dataDir = mkdtempSync(join(tmpdir(), "cceaa-e2e-exchange-"));
const work = mkdtempSync(join(tmpdir(), "cceaa-e2e-files-"));
const dialog = join(work, "dialog-answer");
const driver = new Driver(Number(process.env.TAURI_DRIVER_PORT || 4444));
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

const legacy = join(work, "老名单.csv");
const exported = join(work, "名录.xlsx");
const usb = join(work, "U盘");
const cliBackup = join(work, "命令行备份.zip");

/** The next native dialog answers with `path`. */
const answer = (path) => writeFileSync(dialog, path);

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  execFileSync(cli, ["--data-dir", dataDir, "member", "add", "--name", "已登记的甲公司", "--joined", "2020-05-01"]);
  writeFileSync(
    legacy,
    [
      "中国跨境电子商务应用联盟成员单位名单",
      "",
      "序号,单位名称（全称）,城市,入会时间,联系人,联系电话",
      "1,𠮷祥跨境供应链（深圳）有限公司,深圳,2019年3月1日,张三,１３８００１３８０００",
      "2,ООО «Ромашка»,Москва,2021.6.1,Иван Петров,+7 495 123-45-67",
      "3,日期有误公司,杭州,去年春天,李四,13900000000",
      "",
    ].join("\r\n"),
  );
  answer("");
  await driver.start({ CCEAA_DATA_DIR: dataDir, CCEAA_E2E_DIALOG: dialog });
});

after(() => driver.stop());

test("import an old roster, export it, back up, and refuse a file that is not a backup", async () => {
  const s = await driver.session(application);
  const press = async (css, accept) => {
    const el = await s.find(css, { accept });
    await s.exec("arguments[0].click()", [{ [ELEMENT]: el.id }]);
  };
  const count = async (action) =>
    Number((await (await s.find(`[data-testid="import-count-${action}"]`)).content()).trim());
  const show = async (css) =>
    s.exec("arguments[0].scrollIntoView({ block: 'start' })", [{ [ELEMENT]: (await s.find(css)).id }]);
  const disabled = async (css) => s.exec("return arguments[0].disabled", [{ [ELEMENT]: (await s.find(css)).id }]);
  try {
    // Import: the preview writes nothing; the row in error blocks until it is skipped.
    await press('[data-testid="nav-members"]');
    await press('[data-testid="import-open"]');
    answer(legacy);
    await press('[data-testid="import-choose"]');
    await s.find('[data-testid="import-preview"]');
    assert.equal(await count("new"), 2);
    assert.equal(await count("error"), 1);
    assert.equal(await disabled('[data-testid="import-confirm"]'), true, "a row in error blocks the import");
    await press('[data-testid="import-tab-error"]');
    const bad = await s.find('[data-testid="import-row"]', {
      accept: async (e) => (await e.content()).includes("日期有误公司"),
    });
    assert.equal(await s.exec("return arguments[0].dataset.row", [{ [ELEMENT]: bad.id }]), "6", "Excel's row number");
    assert.match(await bad.content(), /去年春天/);
    await show('[data-testid="import-preview"]');
    await s.screenshot(join(artifacts, "import-preview.png"));
    const before = JSON.parse(execFileSync(cli, ["--data-dir", dataDir, "members", "--json"]).toString());
    assert.equal(before.length, 1, "nothing is written before the clerk confirms");

    await press('[data-testid="import-errors-skip"]');
    assert.equal(await disabled('[data-testid="import-confirm"]'), false);
    await press('[data-testid="import-confirm"]');
    await s.find('[data-testid="import-result"]');
    await s.screenshot(join(artifacts, "import-result.png"));
    const members = JSON.parse(execFileSync(cli, ["--data-dir", dataDir, "members", "--json"]).toString());
    const names = members.map((m) => m.name);
    assert.ok(names.includes("𠮷祥跨境供应链（深圳）有限公司"), "𠮷 kept exactly");
    assert.ok(names.includes("ООО «Ромашка»"));
    assert.ok(!names.includes("日期有误公司"));
    await press('[data-testid="import-to-list"]');
    await s.find('[data-testid="member-total"]', { accept: async (e) => (await e.content()).includes("3") });

    // Export to Excel; importing the file again changes nothing.
    await press('[data-testid="export-open"]');
    answer(exported);
    await press('[data-testid="export-dialog-ok"]');
    await s.until("the exported file", () => existsSync(exported));
    const again = JSON.parse(
      execFileSync(cli, ["--data-dir", dataDir, "import", exported, "--dry-run", "--json"]).toString(),
    );
    assert.equal(again.counts.unchanged, 3, JSON.stringify(again.counts));

    // The units that joined in 2019 and 2021 and have attended nothing are past the year of
    // Art. 13(1): the 工作台 counts them, and its figure opens the watch-list at that level.
    await press('[data-testid="nav-dashboard"]');
    const past = await s.find('[data-testid="dash-watch-past"]', {
      accept: async (e) => Number(await e.attr("data-count")) >= 2,
    });
    const n = Number(await past.attr("data-count"));
    await press('[data-testid="dash-watch-past"]');
    await s.find('[data-testid="watch-filter-past"][aria-pressed="true"]');
    const levels = await s.until("the watch-list at that level", async () => {
      const l = await s.exec(
        "return [...document.querySelectorAll('[data-testid=\"watch-row\"]')].map((r) => r.dataset.level)",
      );
      return l.length === n ? l : null;
    });
    assert.ok(
      levels.every((l) => l === "past"),
      levels.join(),
    );
    assert.equal(await (await s.find('[data-testid="nav-count-watchlist"]')).text(), String(n));

    // Backups: one taken at start; a second destination is set and Back up now copies there;
    // a CSV offered as a backup is refused.
    await press('[data-testid="nav-settings"]');
    await s.find('[data-testid="settings-backup"]');
    const rows = async () => (await s.findAll('[data-testid="backup-row"]')).length;
    const first = await s.until("the start-up backup", async () => (await rows()) >= 1 && (await rows()));
    mkdirSync(usb);
    answer(usb);
    await press('[data-testid="backup-second-choose"]');
    const folder = await s.find('[data-testid="backup-second-folder"]');
    assert.equal(await folder.content(), usb);
    await s.find('[data-testid="backup-second-problem"]'); // nothing copied there yet
    await press('[data-testid="backup-now"]');
    await s.until("a second backup", async () => (await rows()) > first || (first >= 2 && (await rows()) >= 2));
    await s.until("the copy on the USB drive", () => readdirSync(usb).some((n) => n.endsWith(".zip")));
    await s.find('[data-testid="backup-second-newest"]');
    answer(legacy);
    await press('[data-testid="restore-file"]');
    const refused = await s.find('[data-testid="restore-file-error"]');
    assert.match(await refused.content(), /备份/);
    await show('[data-testid="settings-backup"]');
    await new Promise((r) => setTimeout(r, 600));
    await s.screenshot(join(artifacts, "backups.png"));

    // A backup made by the CLI before a member was added is restored from its file.
    execFileSync(cli, ["--data-dir", dataDir, "backup", cliBackup]);
    execFileSync(cli, ["--data-dir", dataDir, "member", "add", "--name", "恢复后应消失的公司"]);
    answer(cliBackup);
    await press('[data-testid="restore-file"]');
    await s.find('[data-testid="restore-dialog"]');
    await press('[data-testid="restore-dialog-ok"]');
    const done = await s.find('[data-testid="restore-safety"]');
    assert.match(await done.content(), /before-restore-/);
    await new Promise((r) => setTimeout(r, 600));
    await s.screenshot(join(artifacts, "restore-done.png"));
    const list = execFileSync(cli, ["--data-dir", dataDir, "members", "--json"]).toString();
    assert.doesNotMatch(list, /恢复后应消失的公司/);
    const audit = execFileSync(cli, ["--data-dir", dataDir, "audit"]).toString();
    assert.match(audit, /从备份恢复/);
  } catch (e) {
    await s.screenshot(join(artifacts, "exchange-failure.png"));
    throw e;
  } finally {
    await s.close();
  }
});
