// End to end through the real application window (tauri-driver + WebKitWebDriver under
// Xvfb): a clerk adds a member through the form, is told about a mistyped code as they type,
// finds the member with a two-character search, restarts the app and finds it again, and the
// language they chose is remembered.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const application = process.env.CCEAA_APP || join(root, "target/debug/cceaa-registry");
const artifacts = join(root, "tests/e2e/.artifacts");
const dataDir = mkdtempSync(join(tmpdir(), "cceaa-e2e-"));
const driver = new Driver(Number(process.env.TAURI_DRIVER_PORT || 4444));

const NAME = "上海跨境云仓供应链管理有限公司";

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  await driver.start({ CCEAA_DATA_DIR: dataDir });
});

after(() => driver.stop());

async function search(s, text) {
  const box = await s.find('[data-testid="member-search"]');
  await box.clear();
  await box.type(text);
  try {
    return await s.until(`rows for "${text}"`, async () => {
      const texts = await s.exec(
        "return [...document.querySelectorAll('[data-testid=\"member-row\"]')].map((r) => r.textContent)",
      );
      return texts.length > 0 && texts.every((t) => t.includes(NAME)) ? texts : null;
    });
  } catch (e) {
    await s.screenshot(join(artifacts, "search-failure.png"));
    throw e;
  }
}

test("add a member, find it by two characters, restart, find it again", async () => {
  let s = await driver.session(application);
  try {
    // A fresh data folder: the 工作台 comes first and counts no member; the list is empty and
    // says so.
    const none = await s.find('[data-testid="dash-ordinary"]');
    assert.equal(await none.attr("data-count"), "0");
    await (await s.find('[data-testid="nav-members"]')).click();
    const total = await s.find('[data-testid="member-total"]');
    assert.match(await total.text(), /(^|\D)0(\D|$)/, "an empty registry counts 0");

    await (await s.find('[data-testid="member-new"]')).click();
    await (await s.find('[data-testid="field-name"]')).type(NAME);
    await (await s.find('[data-testid="field-city"]')).type("上海");
    await (await s.find('[data-testid="field-liaison_name"]')).type("陈静");

    // A mistyped last character is caught while typing, with the position named.
    const uscc = await s.find('[data-testid="field-uscc"]');
    await uscc.type("91440300708461136X");
    const err = await s.find('[data-testid="error-uscc"]', {
      accept: async (e) => (await e.text()).includes("18"),
    });
    assert.match(await err.text(), /第 18 位/);
    await uscc.clear();
    await uscc.type("9144 0300 7084 6113 6t");
    await s.screenshot(join(artifacts, "form.png"));

    await (await s.find('[data-testid="member-save"]')).click();
    const heading = await s.find('[data-testid="detail-name"]', {
      accept: async (e) => (await e.text()) === NAME,
    });
    assert.equal(await heading.text(), NAME);
    const detail = await (await s.find('[data-testid="member-detail"]')).text();
    assert.match(detail, /91440300708461136T/, "the code is stored normalised");
    await s.screenshot(join(artifacts, "detail.png"));

    await (await s.find('[data-testid="back-to-list"]')).click();
    const rows = await search(s, "云仓");
    assert.equal(rows.length, 1);
    await s.screenshot(join(artifacts, "list.png"));

    // The 工作台 now counts it, and its figure opens the list of ordinary members in the
    // register, which shows it.
    await (await s.find('[data-testid="nav-dashboard"]')).click();
    const one = await s.find('[data-testid="dash-ordinary"]', {
      accept: async (e) => (await e.attr("data-count")) === "1",
    });
    await one.click();
    await s.until("the list the figure opens", async () => {
      const texts = await s.exec(
        "return [...document.querySelectorAll('[data-testid=\"member-row\"]')].map((r) => r.textContent)",
      );
      return texts.length === 1 && texts[0].includes(NAME) ? texts : null;
    });

    // Switch to English; it must survive the restart.
    await (await s.find('[data-testid="lang-toggle"]')).click();
    await s.until("English UI", async () => (await s.exec("return document.documentElement.lang")) === "en");
  } finally {
    await s.close();
  }

  s = await driver.session(application);
  try {
    await s.until("English remembered", async () => (await s.exec("return document.documentElement.lang")) === "en");
    await (await s.find('[data-testid="nav-members"]')).click();
    const rows = await search(s, "云仓");
    assert.equal(rows.length, 1, "the member survived the restart");
    await (await s.find('[data-testid="lang-toggle"]')).click();
    await s.until("Chinese UI", async () => (await s.exec("return document.documentElement.lang")) === "zh-CN");
  } finally {
    await s.close();
  }
});
