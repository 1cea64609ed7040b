// Regenerates the README's pictures of the real screens: fills a registry with the demo data,
// opens the app under the current display (run it inside xvfb-run) and captures each area.
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- node tests/e2e/screenshots.mjs
// Captures go to docs/screenshots/; the whole screen is taken with ImageMagick's `import`,
// which shows what a person sees (WebDriver's own screenshot can lag behind the last render).

import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Driver } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const application = process.env.CCEAA_APP || join(root, "target/debug/cceaa-registry");
const cli = process.env.CCEAA_CLI || join(root, "target/debug/cceaa");
const out = join(root, "docs/screenshots");
const dataDir = mkdtempSync(join(tmpdir(), "cceaa-shots-"));
execFileSync("bash", [join(root, "tests/e2e/demo-data.sh"), dataDir, cli]);

const driver = new Driver(Number(process.env.TAURI_DRIVER_PORT || 4444));
await driver.start({ CCEAA_DATA_DIR: dataDir });
const s = await driver.session(application);

async function shot(name) {
  await sleep(700);
  execFileSync("import", ["-window", "root", join(out, `${name}.png`)]);
  console.log(`docs/screenshots/${name}.png`);
}
// Rows are clicked through a script: WebKitWebDriver finds a table row "not interactable".
const click = async (css, accept) => {
  const el = await s.find(css, { accept });
  await s.exec("arguments[0].click()", [{ "element-6066-11e4-a52e-4f735466cecf": el.id }]);
};
const named = (text) => async (e) => (await e.content()).includes(text);

try {
  await s.find('[data-testid="dashboard"] [data-count]');
  await shot("dashboard");
  await click('[data-testid="nav-members"]');
  await s.find('[data-testid="member-row"]');
  await shot("member-list");
  await click('[data-testid="member-row"]', named("华为技术有限公司"));
  await s.find('[data-testid="member-timeline"]');
  await shot("member-detail");
  await click('[data-testid="nav-applications"]');
  await s.find('[data-testid="application-row"], [data-testid="app-new"]');
  await shot("application-list");
  await click('[data-testid="application-row"]', named("Mercado Digital Brasil"));
  await s.find('[data-testid="app-detail"]');
  await shot("application-detail");
  await click('[data-testid="nav-presidium"]');
  await s.find('[data-testid="presidium"]');
  await shot("presidium");
  await click('[data-testid="nav-activities"]');
  await click('[data-testid="act-row"]', named("2026年度工作会议"));
  await s.find('[data-testid="act-attendance"]');
  await shot("activity-detail");
  await click('[data-testid="nav-watchlist"]');
  await s.find('[data-testid="watch-row"]');
  await shot("watchlist");
  await click('[data-testid="nav-settings"]');
  await s.find('[data-testid="settings-scheme"]');
  await shot("settings");
  // Members shows again the detail last open there: Huawei's, which holds a certificate.
  await click('[data-testid="nav-members"]');
  await click('[data-testid="member-print-certificate"]');
  await s.find('[data-testid="doc-preview-page"]');
  await shot("certificate-preview");
  await click('[data-testid="doc-close"]');
  await click('[data-testid="nav-verify"]');
  await s.find('[data-testid="verify-input"]');
  await shot("verify");
} finally {
  await s.close();
  driver.stop();
}
