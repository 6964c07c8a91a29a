// The consoles' 概览 over the demo's 90 days of history, in Chromium at 1280 px: the platform's
// figures, charts drawn in the server's HTML (before any wasm), a period picked by preset and by
// dates, a table downloaded as CSV; a shop's own dashboard; and neither reads the other's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, signIn, DESKTOP, DEMO_PASSWORD, shotsDir } from '../server.mjs';

let server;
let browser;

/// `YYYY-MM-DD` of `n` days before today, China time.
const daysAgo = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);

before(async () => {
  server = await startServer({}, ['--orders', '--history-days', '90']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the platform dashboard shows the market over 7, 30 days and picked dates, with CSV', async () => {
  const { page, context, errors } = await openPage(browser, DESKTOP);
  await signIn(page, server.base, '/admin/login', 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/admin`);
  const gmv = page.locator('[data-test=kpis-period] [data-kpi=gmv] [data-test=kpi-value]');
  await gmv.waitFor();
  assert.match(await gmv.innerText(), /^¥[\d,]+\.\d\d$/);
  assert.notEqual(await gmv.innerText(), '¥0.00', 'the history has sales in the last 7 days');
  // the charts are in the HTML as the server sent it
  const html = await (await page.request.get(`${server.base}/admin`)).text();
  assert.match(html, /data-test="trend-money"[\s\S]*<svg[\s\S]*<path d="M/);
  const shops = page.locator('[data-test=top-shops] svg rect');
  assert.ok((await shops.count()) >= 3, 'several shops sold');
  assert.ok((await page.locator('[data-test=category-share] svg rect').count()) >= 2);
  assert.ok((await page.locator('[data-test=top-products] tbody tr').count()) >= 3);
  await page.locator('[data-test=freshness]').getByText('中国时间').waitFor();
  await page.screenshot({ path: join(shotsDir, 'admin-dashboard.png'), fullPage: true });

  await page.getByRole('link', { name: '近 30 天' }).click();
  await page.waitForURL(/days=30/);
  await page.locator('[data-test=trend-money] tbody tr').nth(29).waitFor({ state: 'attached' });
  assert.equal(await page.locator('[data-test=trend-money] tbody tr').count(), 30);

  const [from, to] = [daysAgo(12), daysAgo(10)];
  await page.fill('[data-test=range] input[name=from]', from);
  await page.fill('[data-test=range] input[name=to]', to);
  await page.locator('[data-test=range] button[type=submit]').click();
  await page.waitForURL(new RegExp(`from=${from}`));
  await page.getByText(`${from} 至 ${to}（3 天）`).waitFor();

  const csv = await page.request.get(`${server.base}/admin/overview/trend.csv?days=30`);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /text\/csv/);
  const lines = (await csv.text()).trim().split(/\r\n/);
  assert.equal(lines.length, 31, 'a header and 30 days');
  assert.match(lines[0], /日期,成交额（元）/);
  assert.equal((await page.request.get(`${server.base}/admin/overview/nope.csv`)).status(), 404);
  assert.equal((await page.request.get(`${server.base}/merchant/overview/trend.csv`)).status(), 403);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a shop sees its own dashboard: buyers, best sellers and to-dos', async () => {
  const { page, context, errors } = await openPage(browser, DESKTOP);
  await signIn(page, server.base, '/merchant/login', 'duyun_tea', DEMO_PASSWORD);
  await page.goto(`${server.base}/merchant?days=30`);
  await page.locator('[data-test=shop-name]').getByText('都匀毛尖茶庄').waitFor();
  await page.locator('[data-test=buyers]').waitFor();
  const returning = Number(await page.locator('[data-test=returning-buyers]').innerText());
  assert.ok(returning > 0, 'some buyers had bought here before the last 30 days');
  assert.ok((await page.locator('[data-test=top-products] tbody tr').count()) >= 1);
  await page.locator('[data-test=todos]').getByText('待回复评价').waitFor();
  assert.equal(await page.locator('[data-test=top-shops]').count(), 0, 'no other shops here');
  await page.screenshot({ path: join(shotsDir, 'merchant-dashboard.png'), fullPage: true });
  const csv = await page.request.get(`${server.base}/merchant/overview/products.csv?days=30`);
  assert.equal(csv.status(), 200);
  assert.equal((await page.request.get(`${server.base}/admin/overview/trend.csv`)).status(), 403);
  assert.deepEqual(errors, []);
  await context.close();
});
