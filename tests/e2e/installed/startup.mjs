// Cold start of the installed app to a usable member list, over a registry of 10,000 members:
// from the moment the kernel started the process to the moment the first page of members is
// on screen (the UI marks it). Run after installing the .deb, under Xvfb:
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- node tests/e2e/installed/startup.mjs [RUNS]
// Before each run the page cache is dropped when this runs as root (a true cold start: the
// program, WebKit and the registry read from disk); otherwise the figures are warm starts
// and say so. Prints one line per run and the median, and the resident memory of the app and
// of WebKit's web process once the list is shown.

import { execFileSync } from "node:child_process";
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
const newest = (name) => Number(execFileSync("pgrep", ["-n", "-x", name]).toString().trim());

function dropCaches() {
  try {
    execFileSync("sync");
    writeFileSync("/proc/sys/vm/drop_caches", "3");
    return true;
  } catch {
    return false;
  }
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
      const ready = await s.until("the first page of members", () =>
        s.exec(
          "const m = performance.getEntriesByName('cceaa:first-member-page')[0];" +
            " const rows = document.querySelectorAll('[data-testid=\"member-row\"]').length;" +
            " return m && rows > 0 ? performance.timeOrigin + m.startTime : null",
        ),
      );
      const pid = newest("cceaa-registry");
      const ms = ready - startedAt(pid);
      const web = newest("WebKitWebProcess");
      const memory = { app: rssKiB(pid), web: rssKiB(web) };
      // The first run warms the driver and WebKit's own files: not counted.
      if (run > 0) results.push({ ms, memory });
      console.log(`run ${run}${run === 0 ? " (not counted)" : ""}: ${ms.toFixed(0)} ms to the member list; RSS app ${(memory.app / 1024).toFixed(0)} MiB, web process ${(memory.web / 1024).toFixed(0)} MiB`);
    } finally {
      await s.close();
    }
  }
} finally {
  driver.stop();
}
const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(
  `${cold ? "cold" : "warm (page cache not dropped: not root)"} start, ${results.length} runs: ` +
    `median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms`,
);
