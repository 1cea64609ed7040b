// Cold start of the installed app to its first screen, the 工作台, over a registry of 10,000
// members: from the moment the kernel started the process to the moment the figures are on
// screen (the UI marks it). Run after installing the .deb, under Xvfb:
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- node tests/e2e/installed/startup.mjs [RUNS]
// Before each run the page cache is dropped when this runs as root (a true cold start: the
// program, WebKit and the registry read from disk); otherwise the figures are warm starts
// and say so (CCEAA_WARM=1 asks for warm starts). Prints one line per run and the median, and the resident memory of the app and
// of WebKit's web process once the figures are shown.
//
// In the same runs, turn about, WebKitGTK's own MiniBrowser opens a local page of fifty rows of
// Chinese text: the floor under any app built on this webview on this machine, so the figure
// that is the app's own is the difference.

import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Driver } from "../webdriver.mjs";

const runs = Number(process.argv[2] || 7);
const app = process.env.CCEAA_APP || "/usr/bin/cceaa-registry";
const cli = process.env.CCEAA_CLI || "/usr/bin/cceaa";
const MEMBERS = 10_000;

// A registry of 10,000 members, imported the way an office brings its old roster in.
const dataDir = mkdtempSync(join(tmpdir(), "cceaa-startup-"));
const csv = join(dataDir, "roster.csv");
const cities = ["北京", "上海", "深圳", "杭州", "广州", "南宁", "厦门", "成都", "郑州", "哈尔滨"];
const kinds = ["企业", "行业组织", "科研院所", "产业基地/园区"];
let rows = "单位名称,英文名称,单位类型,城市,联络员,联络员电话,入盟日期\n";
for (let i = 1; i <= MEMBERS; i++) {
  const city = cities[i % cities.length];
  rows += `${city}跨境电商第${i}号供应链有限公司,Cross-border Trade Co. ${i},${kinds[i % kinds.length]},${city},联络员${i},1380013${String(i % 10000).padStart(4, "0")},2019-03-01\n`;
}
writeFileSync(csv, "\ufeff" + rows);
execFileSync(cli, ["--data-dir", dataDir, "import", csv], { stdio: "ignore" });
const total = JSON.parse(execFileSync(cli, ["--data-dir", dataDir, "info", "--json"]).toString());
console.log(`registry: ${MEMBERS} members, ${total.database}`);

const ticks = Number(execFileSync("getconf", ["CLK_TCK"]).toString());
const bootTime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))[1]);
/** When the kernel started process `pid`, in milliseconds since the epoch (to 1/CLK_TCK s). */
function startedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (bootTime + Number(fields[19]) / ticks) * 1000;
}
const rssKiB = (pid) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
// The kernel keeps 15 characters of a process's name: "WebKitWebProces".
const newest = (name) =>
  Number(
    execFileSync("pgrep", ["-n", "-x", name.slice(0, 15)])
      .toString()
      .trim(),
  );

function dropCaches() {
  if (process.env.CCEAA_WARM) return false;
  try {
    execFileSync("sync");
    writeFileSync("/proc/sys/vm/drop_caches", "3");
    return true;
  } catch {
    return false;
  }
}

// The baseline page reports when it has loaded to a server on the loopback address.
const minibrowser = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
let loaded = null;
const server = createServer((req, res) => {
  const t = Number(new URL(req.url, "http://x").searchParams.get("t"));
  if (t) loaded?.(t);
  res.end();
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const page = join(dataDir, "baseline.html");
writeFileSync(
  page,
  `<!doctype html><meta charset="utf-8"><title>baseline</title><table>${Array.from(
    { length: 50 },
    (_, i) =>
      `<tr><td>${String(i + 1).padStart(5, "0")}</td><td>${cities[i % 10]}跨境电商第${i + 1}号供应链有限公司</td><td>企业</td><td>在册</td></tr>`,
  ).join(
    "",
  )}</table><script>requestAnimationFrame(() => requestAnimationFrame(() => { new Image().src = "http://127.0.0.1:${server.address().port}/?t=" + (performance.timeOrigin + performance.now()); }));</script>`,
);
/** MiniBrowser from process start to the page painted, in ms. */
async function baseline() {
  const done = new Promise((ok) => (loaded = ok));
  const child = spawn(minibrowser, [`file://${page}`], { stdio: "ignore" });
  const at = await Promise.race([
    done,
    new Promise((_, no) => setTimeout(() => no(new Error("MiniBrowser did not load the page")), 30000)),
  ]);
  const ms = at - startedAt(child.pid);
  child.kill();
  await new Promise((ok) => child.once("exit", ok));
  return ms;
}

const driver = new Driver(Number(process.env.TAURI_DRIVER_PORT || 4444));
await driver.start({ CCEAA_DATA_DIR: dataDir });
const results = [];
let cold = true;
try {
  for (let run = 0; run <= runs; run++) {
    cold = dropCaches() && cold;
    const s = await driver.session(app);
    try {
      // When the page began to load (the window and WebKit are up), when the UI's script had
      // run, when the language and vocabulary had come, and when the 工作台's figures (counted
      // over the whole registry: members, applications, the watch-list) were on screen, in ms
      // since the epoch.
      const t = await s.until("the first screen's figures", () =>
        s.exec(
          "const at = (n) => performance.timeOrigin + performance.getEntriesByName(n)[0]?.startTime;" +
            " const rows = document.querySelectorAll('[data-testid=\"dashboard\"] [data-count]').length;" +
            " const t = { page: performance.timeOrigin, script: at('cceaa:script')," +
            " shell: at('cceaa:ready'), ready: at('cceaa:dashboard') };" +
            " return rows > 0 && t.ready ? t : null",
        ),
      );
      const pid = newest("cceaa-registry");
      const start = startedAt(pid);
      const ms = t.ready - start;
      const phases = `window ${(t.page - start).toFixed(0)}, script ${(t.script - t.page).toFixed(0)}, language and words ${(t.shell - t.script).toFixed(0)}, list ${(t.ready - t.shell).toFixed(0)} ms`;
      const web = newest("WebKitWebProcess");
      const memory = { app: rssKiB(pid), web: rssKiB(web) };
      console.log(
        `run ${run}${run === 0 ? " (not counted)" : ""}: ${ms.toFixed(0)} ms to the member list (${phases}); RSS app ${(memory.app / 1024).toFixed(0)} MiB, web process ${(memory.web / 1024).toFixed(0)} MiB`,
      );
      // The first run warms the driver and WebKit's own files: not counted.
      if (run > 0) results.push({ ms, memory });
    } finally {
      await s.close();
    }
    cold = dropCaches() && cold;
    const floor = await baseline();
    console.log(`        MiniBrowser: ${floor.toFixed(0)} ms to a page of fifty rows`);
    if (run > 0) results.at(-1).floor = floor;
  }
} finally {
  driver.stop();
  server.close();
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, min ${s[0].toFixed(0)} ms, max ${s.at(-1).toFixed(0)} ms`;
};
const kind = cold ? "cold" : "warm (page cache not dropped: CCEAA_WARM set, or not root)";
console.log(`${kind} start, ${results.length} runs: the app ${stats(results.map((r) => r.ms))}`);
console.log(`${kind} start, ${results.length} runs: MiniBrowser ${stats(results.map((r) => r.floor))}`);
console.log(`the app's own share (app - MiniBrowser, run by run): ${stats(results.map((r) => r.ms - r.floor))}`);
