// End to end through the real window: a member's certificate is previewed as it will print,
// and the "Verify certificate" screen tells a genuine certificate from a forged one, using
// the code printed on the PDF that the CLI wrote (as office IT would print a batch).

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
const dataDir = mkdtempSync(join(tmpdir(), "cceaa-e2e-docs-"));
const driver = new Driver(Number(process.env.TAURI_DRIVER_PORT || 4444));
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

const NAME = "𠮷祥跨境供应链（深圳）有限公司";
let number;
let code;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  execFileSync(cli, ["--data-dir", dataDir, "member", "add", "--name", NAME, "--joined", "2023-02-14"]);
  const pdf = join(dataDir, "certificate.pdf");
  const out = execFileSync(cli, ["--data-dir", dataDir, "certificate", "1", "-o", pdf]).toString();
  number = out.trim().split("\t")[1];
  const text = execFileSync("pdftotext", [pdf, "-"]).toString();
  code = text.match(/\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b/)[0];
  await driver.start({ CCEAA_DATA_DIR: dataDir });
});

after(() => driver.stop());

test("preview a member's certificate and verify it, then a forged one", async () => {
  const s = await driver.session(application);
  // Rows and some buttons are clicked through a script: WebKitWebDriver may find them
  // "not interactable" although they are on screen.
  const press = async (css, accept) => {
    const el = await s.find(css, { accept });
    await s.exec("arguments[0].click()", [{ [ELEMENT]: el.id }]);
  };
  try {
    await press('[data-testid="nav-members"]');
    await press('[data-testid="member-row"]');
    // Printing is one click from the member's header.
    await press('[data-testid="member-head-print-certificate"]');
    const page = await s.find('[data-testid="doc-preview-page"]', {
      accept: async (e) => (await e.content()).includes(number),
    });
    const svg = await page.content();
    assert.ok(svg.includes(NAME), "the preview shows the member's name, 𠮷 included");
    assert.ok(svg.includes(code), "and the verification code printed on the PDF");
    await s.screenshot(join(artifacts, "certificate-preview.png"));
    await press('[data-testid="doc-close"]');

    await press('[data-testid="nav-verify"]');
    const box = await s.find('[data-testid="verify-input"]');
    await box.paste(`${number} ${code.toLowerCase()}`);
    await press('[data-testid="verify-check"]');
    const genuine = await s.find('[data-testid="verify-result"]', {
      accept: async (e) => (await s.exec("return arguments[0].dataset.state", [{ [ELEMENT]: e.id }])) === "valid",
    });
    assert.match(await genuine.content(), new RegExp(number));
    assert.ok((await genuine.content()).includes(NAME));
    await s.screenshot(join(artifacts, "verify-genuine.png"));

    await box.paste(`${number} AAAA-BBBB-CCCC-DDDD`);
    await press('[data-testid="verify-check"]');
    await s.find('[data-testid="verify-result"]', {
      accept: async (e) => (await s.exec("return arguments[0].dataset.state", [{ [ELEMENT]: e.id }])) === "forged",
    });
    await s.screenshot(join(artifacts, "verify-forged.png"));
  } catch (e) {
    await s.screenshot(join(artifacts, "documents-failure.png"));
    throw e;
  } finally {
    await s.close();
  }
});
