// The installed app (not target/), as a clerk meets it after installing the .deb: it opens the
// registry in the default data folder (here one written by 0.1.0, upgraded on first start),
// shows its members on the first screen, and Settings → About names the version, the data
// folder and the fonts among the package's resources. Run by run.sh, which installs the
// package and sets HOME; CCEAA_EXPECT names a member that must be on the first screen.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Driver } from "../webdriver.mjs";

const root = resolve(import.meta.dirname, "../../..");
const application = process.env.CCEAA_APP || "/usr/bin/cceaa-registry";
const phase = process.env.CCEAA_PHASE || "installed";
const artifacts = join(root, "tests/e2e/.artifacts/installed");
const dataDir = join(process.env.HOME, ".local/share/cceaa-registry");
// The schema version of the registry 0.1.0 wrote (SQLite's user_version, bytes 60-63).
const fixtureSchema = readFileSync(join(root, "tests/fixtures/registry-0.1.0/registry.db")).readUInt32BE(60);
const expect = (process.env.CCEAA_EXPECT || "𠮷祥跨境供应链（深圳）有限公司").split("|");
const driver = new Driver(Number(process.env.TAURI_DRIVER_PORT || 4444));
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  assert.equal(process.env.CCEAA_DATA_DIR, undefined, "the default data folder is under test");
  await driver.start({});
});

after(() => driver.stop());

test(`${phase}: the first screen counts the members, the list shows them; About names the install`, async () => {
  const s = await driver.session(application);
  let schema = 0;
  const press = async (css) => {
    const el = await s.find(css);
    await s.exec("arguments[0].click()", [{ [ELEMENT]: el.id }]);
  };
  try {
    // The first screen is the 工作台, counting the registry's members; the list is one click.
    await s.until("the 工作台's figures", async () => {
      const n = await s.exec(
        'const c = (id) => Number(document.querySelector(`[data-testid="${id}"]`)?.dataset.count ?? -1);' +
          " return c('dash-presidium') + c('dash-ordinary')",
      );
      return n >= expect.length ? n : null;
    });
    await press('[data-testid="nav-members"]');
    const rows = await s.until("the member list", async () => {
      const texts = await s.exec(
        "return [...document.querySelectorAll('[data-testid=\"member-row\"]')].map((r) => r.textContent)",
      );
      return expect.every((name) => texts.some((t) => t.includes(name))) ? texts : null;
    });
    assert.ok(rows.length >= expect.length);
    // WebKit paints a moment after the DOM changes; the screenshot shows the painted window.
    await sleep(700);
    await s.screenshot(join(artifacts, `${phase}-first-screen.png`));

    await press('[data-testid="nav-settings"]');
    const version = await s.find('[data-testid="about-version"]');
    assert.equal(await version.content(), process.env.CCEAA_VERSION);
    const fonts = await (await s.find('[data-testid="about-fonts-dir"]')).content();
    assert.equal(fonts, "/usr/lib/CCEAA Registry/fonts", "the fonts come from the package");
    assert.equal(await (await s.find('[data-testid="about-data-dir"]')).content(), dataDir);
    schema = Number(await (await s.find('[data-testid="about-schema"]')).content());
    await s.exec("document.querySelector('[data-testid=\"settings-about\"]').scrollIntoView()");
    await sleep(700);
    await s.screenshot(join(artifacts, `${phase}-about.png`));
  } catch (e) {
    await s.screenshot(join(artifacts, `${phase}-failure.png`));
    throw e;
  } finally {
    await s.close();
  }
  // The registry written by 0.1.0 was copied aside before it was upgraded, if its schema was
  // older than this version's; a registry already at this schema needs no copy.
  assert.ok(schema >= fixtureSchema, `data version ${schema} is at least 0.1.0's ${fixtureSchema}`);
  const backups = join(dataDir, "backups");
  const copies = existsSync(backups) ? readdirSync(backups).filter((n) => n.startsWith("before-upgrade-v")) : [];
  const expected = schema > fixtureSchema ? [`before-upgrade-v${fixtureSchema}-`] : [];
  assert.deepEqual(
    copies.map((n) => n.slice(0, `before-upgrade-v${fixtureSchema}-`.length)),
    expected,
    `copies before an upgrade from data version ${fixtureSchema} to ${schema}: ${copies}`,
  );
});
