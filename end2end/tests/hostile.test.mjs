// Hostile text in Chromium: a search link that breaks out of <title>, and a shop intro that
// breaks out of <textarea>, must run nothing for whoever opens them, while the pages still
// hydrate under the Content-Security-Policy (no violation reported).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openPage, hydrated, signIn as signInAt, PHONE, DESKTOP, DEMO_PASSWORD,
} from '../server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page that records dialogs (an injected alert) and CSP violations. */
async function watched(viewport) {
  const p = await openPage(browser, viewport);
  p.dialogs = [];
  p.violations = [];
  p.page.on('dialog', async (d) => {
    p.dialogs.push(d.message());
    await d.dismiss();
  });
  p.page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) p.violations.push(m.text());
  });
  return p;
}

test('a search link that breaks out of the title runs nothing and the page still hydrates', async () => {
  const shopper = await watched(PHONE);
  const q = '</title><img src=x onerror=alert(1)>';
  await shopper.page.goto(`${server.base}/search?q=${encodeURIComponent(q)}`);
  await hydrated(shopper.page);
  assert.equal(await shopper.page.title(), `搜索“${q}” - 集市`);
  assert.equal(await shopper.page.locator('input[type=search]').inputValue(), q);
  assert.equal(await shopper.page.locator('img[src=x]').count(), 0);
  assert.deepEqual(shopper.dialogs, []);
  assert.deepEqual(shopper.violations, []);
  assert.deepEqual(shopper.errors, []);
});

test('a shop intro that breaks out of the textarea is kept as text', async () => {
  const owner = await watched(DESKTOP);
  await signInAt(owner.page, server.base, '/merchant/login', 'duyun_tea', DEMO_PASSWORD);
  await owner.page.goto(`${server.base}/merchant/shop`);
  await hydrated(owner.page);
  const intro = '</textarea><svg onload=alert(2)>好茶"\'&';
  await owner.page.fill('textarea[name=intro]', intro);
  await owner.page.getByRole('button', { name: '保存', exact: true }).click();
  await owner.page.getByRole('status').getByText('已保存').waitFor();
  await owner.page.reload();
  await hydrated(owner.page);
  assert.equal(await owner.page.locator('textarea[name=intro]').inputValue(), intro);
  assert.equal(await owner.page.locator('svg[onload]').count(), 0);
  // the shop front shows it as text too
  const visitor = await watched(PHONE);
  const shopId = await owner.page.locator('a[href^="/shop/"]').first().getAttribute('href');
  await visitor.page.goto(`${server.base}${shopId}`);
  await hydrated(visitor.page);
  for (const p of [owner, visitor]) {
    assert.deepEqual(p.dialogs, []);
    assert.deepEqual(p.violations, []);
    assert.deepEqual(p.errors, []);
  }
});
