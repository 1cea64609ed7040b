// A minimal W3C WebDriver client for tauri-driver: just what the end-to-end tests use.
// Written over fetch so the tests need no npm packages of their own.

import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Driver {
  constructor(port = 4444) {
    this.base = `http://127.0.0.1:${port}`;
    this.port = port;
  }

  /** Starts tauri-driver with the given environment (which the app inherits). */
  async start(env) {
    this.proc = spawn("tauri-driver", ["--port", String(this.port)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "inherit"],
    });
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.base}/status`);
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error("tauri-driver did not start on port " + this.port);
  }

  stop() {
    this.proc?.kill();
  }

  async call(method, path, body) {
    const r = await fetch(this.base + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json().catch(() => ({}));
    if (!r.ok) {
      const v = json.value || {};
      throw new Error(`${method} ${path}: ${v.error || r.status} ${v.message || ""}`);
    }
    return json.value;
  }

  /** Launches the application and returns a session on its window. */
  async session(application) {
    const value = await this.call("POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": { application } } },
    });
    return new Session(this, value.sessionId);
  }
}

export class Session {
  constructor(driver, id) {
    this.driver = driver;
    this.id = id;
  }

  call(method, path, body) {
    return this.driver.call(method, `/session/${this.id}${path}`, body);
  }

  async close() {
    await this.call("DELETE", "");
  }

  async findAll(css) {
    const els = await this.call("POST", "/elements", { using: "css selector", value: css });
    return els.map((e) => new Element(this, e[ELEMENT]));
  }

  /** Waits until `css` matches an element (and `accept(el)` holds, if given). */
  async find(css, { timeout = 20000, accept } = {}) {
    const until = Date.now() + timeout;
    let last = "";
    while (Date.now() < until) {
      try {
        for (const el of await this.findAll(css)) {
          if (!accept || (await accept(el))) return el;
        }
      } catch (e) {
        last = String(e);
      }
      await sleep(100);
    }
    throw new Error(`no element ${css} within ${timeout} ms ${last}`);
  }

  /** Polls `fn` until it returns a truthy value. */
  async until(what, fn, timeout = 20000) {
    const until = Date.now() + timeout;
    let last;
    while (Date.now() < until) {
      try {
        last = await fn();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what} (last: ${last})`);
  }

  exec(script, args = []) {
    return this.call("POST", "/execute/sync", { script, args });
  }

  async screenshot(file) {
    const { writeFile } = await import("node:fs/promises");
    const png = await this.call("GET", "/screenshot");
    await writeFile(file, Buffer.from(png, "base64"));
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }

  call(method, path, body) {
    return this.session.call(method, `/element/${this.id}${path}`, body);
  }

  click() {
    return this.call("POST", "/click", {});
  }

  clear() {
    return this.call("POST", "/clear", {});
  }

  type(text) {
    return this.call("POST", "/value", { text });
  }

  text() {
    return this.call("GET", "/text");
  }

  /** Puts `text` into an input as a paste would. WebKitWebDriver's typing drops characters
   *  outside the Basic Multilingual Plane (𠮷 and other rare characters), which people enter
   *  with an input method or by pasting. */
  paste(text) {
    return this.session.exec(
      "const [el, t] = arguments; el.focus(); el.value = t;" +
        " el.dispatchEvent(new Event('input', { bubbles: true }));" +
        " el.dispatchEvent(new Event('change', { bubbles: true }));",
      [{ [ELEMENT]: this.id }, text],
    );
  }

  /** The element's whole text content. WebKitWebDriver's rendered text (text()) leaves out
   *  text in an `overflow: hidden` flex child even when it is on screen. */
  content() {
    return this.call("GET", "/property/textContent");
  }

  value() {
    return this.call("GET", "/property/value");
  }

  /** The element's attribute `name` (null when it has none). */
  attr(name) {
    return this.call("GET", `/attribute/${name}`);
  }
}
