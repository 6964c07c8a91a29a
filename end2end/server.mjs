// Starts the release server on a free loopback port with a fresh SQLite data directory and the
// demo marketplace, for the browser tests. Build first with scripts/build.sh.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
// JISHI_BINARY: another build of the server (say, a debug one while working on a test)
const binary = process.env.JISHI_BINARY || join(root, 'target/release/jishi');

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

/// Seeds the demo marketplace into a fresh data directory and serves it; `extraEnv` adds
/// configuration (e.g. `JISHI_ORDERS__AFTER_SALE_DAYS`), `seedArgs` to `seed-demo` (`--orders`:
/// the demo shoppers' first orders and reviews).
export async function startServer(extraEnv = {}, seedArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'jishi-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    JISHI_DATA_DIR: dataDir,
    JISHI_DATABASE_URL: `sqlite://${dataDir}/jishi.db`,
    JISHI_LISTEN: `127.0.0.1:${port}`,
    // JISHI_SITE_ROOT: another build's site (the phone benchmark compares two builds)
    JISHI_SITE_ROOT: process.env.JISHI_SITE_ROOT || join(root, 'target/site'),
    JISHI_LOG: 'warn',
    ...extraEnv,
  };
  execFileSync(binary, ['seed-demo', ...seedArgs], { env, stdio: 'ignore' });
  const proc = spawn(binary, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };
export const DEMO_PASSWORD = 'jishi2026';
export const shotsDir = join(import.meta.dirname, 'screenshots');

/// A page in a fresh context (own cookies) collecting uncaught page errors.
export async function openPage(browser, viewport) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, errors };
}

/// Waits until the wasm has hydrated the page.
export async function hydrated(page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', null, { timeout: 15000 });
}

/// Submits a form that goes through the page's form script (`forms.js`): waits for the server
/// function at `apiPath` to answer 200 and for the page reload that follows, so the test's next
/// navigation cannot race that reload (which aborts it).
export async function submitted(page, apiPath, click) {
  const reloaded = page.waitForEvent('load');
  await Promise.all([page.waitForResponse((r) => r.url().includes(apiPath) && r.status() === 200), click()]);
  await reloaded;
}

/// Signs in on a sign-in page (`/login`, `/merchant/login`, `/admin/login`).
export async function signIn(page, base, path, login, password) {
  await page.goto(`${base}${path}`);
  await hydrated(page);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('login'));
}

/** Opens the first product a search finds, picks the first open value of every spec, adds it. */
export async function addFirstFound(page, base, word) {
  await page.goto(`${base}/search?q=${encodeURIComponent(word)}`);
  await page.locator('[data-test=product-card]').first().click();
  await page.locator('[data-test=spec-picker]').waitFor();
  for (let i = 0; i < 3 && !(await page.locator('[data-test=add-to-cart]').isVisible()); i++) {
    const dims = page.locator('[data-test=spec-picker] > div');
    for (let d = 0; d < (await dims.count()); d++) {
      const dim = dims.nth(d);
      if ((await dim.locator('a[aria-pressed=true]').count()) === 0) {
        await dim.locator('a[aria-pressed=false]').first().click();
        await page.waitForLoadState();
        break;
      }
    }
  }
  await hydrated(page);
  await page.locator('[data-test=add-to-cart]').click();
  await page.waitForURL(/\/cart$/);
}

/** `¥1,234.56` or `-¥1.05` as shown → fen. */
export function fen(text) {
  const m = text.replace(/[,\s]/g, '').match(/(-?)¥?(\d+)(?:\.(\d{1,2}))?/);
  if (!m) throw new Error(`no amount in ${text}`);
  const value = Number(m[2]) * 100 + Number((m[3] || '0').padEnd(2, '0'));
  return m[1] ? -value : value;
}

