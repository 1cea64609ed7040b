// End to end through the real window: the secretariat receives an application recommended by
// a member, approves it, and sees the new member with its member number, its certificate
// number and the prepared notice to the unit's responsible person (charter Art. 9-10).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Driver } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const application = process.env.CCEAA_APP || join(root, "target/debug/cceaa-registry");
const cli = process.env.CCEAA_CLI || join(root, "target/debug/cceaa");
const artifacts = join(root, "tests/e2e/.artifacts");
const dataDir = mkdtempSync(join(tmpdir(), "cceaa-e2e-apps-"));
const driver = new Driver(Number(process.env.TAURI_DRIVER_PORT || 4444));

const APPLICANT = "杭州𠮷祥跨境电子商务有限公司";
const RECOMMENDER = "浙江省跨境电子商务协会";

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  // The recommender is an existing member, recorded the way office IT would script it.
  execFileSync(cli, [
    "--data-dir",
    dataDir,
    "member",
    "add",
    "--name",
    RECOMMENDER,
    "--kind",
    "industry_organisation",
    "--joined",
    "2018-06-01",
  ]);
  await driver.start({ CCEAA_DATA_DIR: dataDir });
});

after(() => driver.stop());

// textContent, not WebKitWebDriver's rendered text, which leaves out text in the badges'
// `overflow: hidden` boxes although they are on screen (the screenshots show them).
const text = async (s, id) => (await s.find(`[data-testid="${id}"]`)).content();

test("receive an application, approve it, see the member, its certificate and the notice", async () => {
  const s = await driver.session(application);
  try {
    await (await s.find('[data-testid="nav-applications"]')).click();
    await (await s.find('[data-testid="app-new"]')).click();
    await s.find('[data-testid="app-form"]');
    await (await s.find('[data-testid="app-field-name"]')).paste(APPLICANT);
    await (await s.find('[data-testid="app-field-uscc"]')).type("91440300708461136T");
    await (await s.find('[data-testid="app-field-head_name"]')).type("李华");
    await (await s.find('[data-testid="app-field-head_email"]')).type("lihua@example.cn");
    await (await s.find('[data-testid="app-recommender-search"]')).type("跨境电子商务协会");
    await (
      await s.find('[data-testid="app-recommender-option"]', {
        accept: async (e) => (await e.content()).includes(RECOMMENDER),
      })
    ).click();
    await s.screenshot(join(artifacts, "application-form.png"));
    await (await s.find('[data-testid="app-save"]')).click();

    await s.find('[data-testid="app-detail"]');
    await s.until("state received", async () => (await text(s, "app-state")).includes("已收件"));

    // The 工作台 counts it as waiting, and so does the navigation; the figure opens the
    // applications received, where it is.
    await (await s.find('[data-testid="nav-dashboard"]')).click();
    await s.find('[data-testid="dash-received"]', { accept: async (e) => (await e.attr("data-count")) === "1" });
    await (await s.find('[data-testid="nav-members"]')).click();
    assert.equal(await (await s.find('[data-testid="nav-count-applications"]')).text(), "1");
    await (await s.find('[data-testid="nav-dashboard"]')).click();
    await (await s.find('[data-testid="dash-received"]')).click();
    // A table row is clicked through a script: WebKitWebDriver finds it "not interactable".
    const row = await s.find('[data-testid="application-row"]', {
      accept: async (e) => (await e.content()).includes(APPLICANT),
    });
    await s.exec("arguments[0].click()", [{ "element-6066-11e4-a52e-4f735466cecf": row.id }]);
    await s.find('[data-testid="app-detail"]');
    assert.match(await text(s, "app-detail"), new RegExp(RECOMMENDER));

    await (await s.find('[data-testid="app-approve"]')).click();
    await (await s.find('[data-testid="app-approve-confirm"]')).click();

    const year = new Date().getFullYear();
    const cert = await s.find('[data-testid="app-certificate-no"]', {
      accept: async (e) => /CCEAA-\d{4}-0001/.test(await e.text()),
    });
    assert.match(await cert.text(), new RegExp(`CCEAA-${year}-0001`));
    assert.match(await text(s, "app-member-no"), /00002/, "the next member number");
    assert.match(await text(s, "app-state"), /已批准/);

    // The notice to the responsible person: both languages, the unit's numbers filled in.
    const body = await s.find('[data-testid="app-notice-body"]', {
      accept: async (e) => (await e.text()).includes("CCEAA-"),
    });
    const notice = await body.text();
    assert.match(notice, /李华：/);
    assert.match(notice, new RegExp(APPLICANT));
    assert.match(notice, new RegExp(`CCEAA-${year}-0001`));
    assert.match(notice, /00002/);
    assert.match(notice, /Dear 李华/);
    assert.match(await text(s, "app-notice"), /lihua@example\.cn/);
    await s.screenshot(join(artifacts, "application-approved.png"));

    // The member is there, with the certificate on its timeline.
    await (
      await s.find(
        '[data-testid="app-member-no"] a, a[data-testid="app-member-no"], [data-testid="app-member-no"] button, button[data-testid="app-member-no"]',
      )
    ).click();
    const heading = await s.find('[data-testid="detail-name"]', {
      accept: async (e) => (await e.text()) === APPLICANT,
    });
    assert.equal(await heading.text(), APPLICANT);
    const timeline = await text(s, "member-timeline");
    assert.match(timeline, new RegExp(`CCEAA-${year}-0001`));
    await s.screenshot(join(artifacts, "member-after-approval.png"));

    // Approved: nothing waits any more, and its notice is not yet sent.
    await (await s.find('[data-testid="nav-dashboard"]')).click();
    await s.find('[data-testid="dash-notices"]', { accept: async (e) => (await e.attr("data-count")) === "1" });
    assert.equal(await (await s.find('[data-testid="dash-received"]')).attr("data-count"), "0");
    // The recommender and the unit just admitted.
    assert.equal(await (await s.find('[data-testid="dash-ordinary"]')).attr("data-count"), "2");
  } catch (e) {
    await s.screenshot(join(artifacts, "applications-failure.png"));
    throw e;
  } finally {
    await s.close();
  }
});
