// 预售 in Chromium: a shopper at 375 px opens 预售 from the home page, picks the fruit presale,
// reserves one unit from the product page at the presale price (no shop discounts) and pays;
// the order shows the shop's ship promise. The shop (desktop) sees its presale with the unit
// sold, and creates another through its form (a ship day before the sale ends is refused
// beside its field); the operator sees every shop's presales. Screenshots of every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, hydrated, signIn, fen, PHONE, DESKTOP, DEMO_PASSWORD, shotsDir,
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

test('reserve in a presale, pay, and see the ship promise', async () => {
  const { page, errors } = await openPage(browser, PHONE);
  await signIn(page, server.base, '/login', '13800000001', DEMO_PASSWORD);
  await page.goto(server.base + '/');
  await page.locator('[data-test=home-presale]').click();
  await page.waitForURL(/\/presale$/);
  const item = page.locator('[data-test=presale-item]').first();
  const promise = await item.locator('[data-test=presale-ship]').innerText();
  assert.match(promise, /前发货/);
  await page.screenshot({ path: join(shotsDir, 'h5-presales.png'), fullPage: true });
  await item.locator('a').click();
  await page.locator('[data-test=presale-strip]').waitFor();
  await page.screenshot({ path: join(shotsDir, 'h5-product-presale.png'), fullPage: true });
  const buy = page.locator('[data-test=presale-buy]').first();
  await buy.click();
  await page.waitForURL(/\/checkout\?items=p/);
  await page.locator('[data-test=checkout-shop]').waitFor();
  assert.equal(await page.locator('[data-test=checkout-discount]').count(), 0, 'no shop discounts on a presale line');
  const goods = fen(await page.locator('[data-test=checkout-goods]').innerText());
  assert.ok(goods > 0);
  await hydrated(page);
  await page.locator('[data-test=submit-order]').click();
  await page.waitForURL(/\/pay\//);
  await hydrated(page);
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/orders\?tab=to_ship/);
  const card = page.locator('[data-test=order-card]', { has: page.locator('[data-test=card-promise]') }).first();
  await card.waitFor();
  await card.locator('a[href^="/orders/"]').first().click();
  await page.locator('[data-test=order-promise]').waitFor();
  assert.match(await page.locator('[data-test=promise-text]').innerText(), /预计 .*前发货/);
  assert.equal(await page.locator('[data-test=refund-late]').count(), 0, 'no refund at a word before the day');
  await page.screenshot({ path: join(shotsDir, 'h5-order-presale.png'), fullPage: true });
  assert.deepEqual(errors, []);

  const shop = await openPage(browser, DESKTOP);
  await signIn(shop.page, server.base, '/merchant/login', 'zhaotong_apple', DEMO_PASSWORD);
  await shop.page.goto(server.base + '/merchant/marketing/presales');
  const row = shop.page.locator('[data-test=presale-row]').first();
  await row.waitFor();
  assert.match(await row.innerText(), /1 \/ \d+/, 'the unit sold shows');
  await shop.page.screenshot({ path: join(shotsDir, 'merchant-presales.png'), fullPage: true });

  // a new presale of the blueberries, through the form
  await shop.page.locator('[data-test=presale-product]').selectOption({ label: '高原蓝莓 鲜果 4盒' });
  await shop.page.locator('[data-test=presale-pick]').click();
  await shop.page.waitForURL(/\/presales\/new\?product=\d+/);
  await hydrated(shop.page);
  await shop.page.locator('input[name="form[title]"]').fill('<b>蓝莓预售</b>');
  await shop.page.locator('[data-test=presale-ship-date]').fill('2020-01-01');
  const sku = shop.page.locator('[data-test=presale-sku]').first();
  await sku.locator('input[name$="[price]"]').fill('59.9');
  await sku.locator('input[name$="[quantity]"]').fill('20');
  await shop.page.locator('[data-test=presale-create]').click();
  await shop.page.getByText('发货日期须在预售结束当天').first().waitFor();
  await shop.page.screenshot({ path: join(shotsDir, 'merchant-presale-new.png'), fullPage: true });
  await shop.page.locator('[data-test=presale-ship-days-mode]').check();
  await shop.page.locator('[data-test=presale-create]').click();
  await shop.page.waitForURL(/\/merchant\/marketing\/presales\/\d+$/);
  assert.match(await shop.page.locator('[data-test=presale-rules]').innerText(), /付款后 7 天内发货/);
  assert.equal(await shop.page.locator('h1', { hasText: '<b>蓝莓预售</b>' }).count(), 1, 'the title shows as typed');
  await shop.page.screenshot({ path: join(shotsDir, 'merchant-presale.png'), fullPage: true });
  assert.deepEqual(shop.errors, []);

  const admin = await openPage(browser, DESKTOP);
  await signIn(admin.page, server.base, '/admin/login', 'operator', DEMO_PASSWORD);
  await admin.page.goto(server.base + '/admin/presales');
  assert.equal(await admin.page.locator('[data-test=presale-row]').count(), 2);
  assert.equal(await admin.page.locator('[data-test=presale-force-end]').count(), 2);
  await admin.page.screenshot({ path: join(shotsDir, 'admin-presales.png'), fullPage: true });
  assert.deepEqual(admin.errors, []);
});
