// 预售 in Chromium: a shopper at 375 px opens 预售 from the home page, picks the fruit presale,
// reserves one unit from the product page at the presale price (no shop discounts) and pays;
// the order shows the shop's ship promise. The shop (desktop) sees its presale with the unit
// sold, and creates another through its form (a ship day before the sale ends is refused
// beside its field); the operator sees every shop's presales. Then 定金+尾款: the shop creates
// a deposit presale whose deposit window closes within the minute; a shopper pays the deposit
// (the order waits in 待付尾款), and once the balance window opens pays the balance from the
// order page, which then shows the ship promise. Screenshots of every page.
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
  const item = page.locator('[data-test=presale-item]', { hasText: '褚橙' }).first();
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
  const row = shop.page.locator('[data-test=presale-row]', { hasText: '褚橙' }).first();
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
  // the demo's two fruit presales, and the blueberries
  assert.equal(await admin.page.locator('[data-test=presale-row]').count(), 3);
  assert.equal(await admin.page.locator('[data-test=presale-force-end]').count(), 3);
  await admin.page.screenshot({ path: join(shotsDir, 'admin-presales.png'), fullPage: true });
  assert.deepEqual(admin.errors, []);
});

/** `2026-12-04T20:31`: the China time `ms` from now, as a datetime-local input takes it. */
function chinaMinute(ms) {
  return new Date(Date.now() + ms + 8 * 3600_000).toISOString().slice(0, 16);
}

/** `12.30` for 1230 fen. */
const yuan = (f) => (f / 100).toFixed(2);

test('a 定金 presale: deposit now, balance in its window', async () => {
  const shop = await openPage(browser, DESKTOP);
  await signIn(shop.page, server.base, '/merchant/login', 'zhaotong_apple', DEMO_PASSWORD);
  await shop.page.goto(server.base + '/merchant/marketing/presales');
  await shop.page.locator('[data-test=presale-product]').selectOption({ label: '昭通苹果 儿童果 小果' });
  await shop.page.locator('[data-test=presale-pick]').click();
  await shop.page.waitForURL(/\/presales\/new\?product=\d+/);
  await hydrated(shop.page);
  await shop.page.locator('input[name="form[title]"]').fill('<b>小果定金预售</b>');
  // the deposit window closes one to two minutes from now (the input takes whole minutes, so a
  // slower machine still finds the presale on sale); the balance window opens then
  const closes = chinaMinute(120_000);
  await shop.page.locator('input[name="form[ends_at]"]').fill(closes);
  await shop.page.locator('[data-test=presale-ship-days-mode]').check();
  // the first SKU with stock to offer
  const rows = shop.page.locator('[data-test=presale-sku]');
  let i = 0;
  while (Number(await rows.nth(i).locator('td').nth(2).innerText()) < 10) i += 1;
  const sku = rows.nth(i);
  const price = fen(await sku.locator('td').nth(1).innerText());
  await sku.locator('input[name$="[price]"]').fill(yuan(price));
  await sku.locator('input[name$="[quantity]"]').fill('10');
  await shop.page.locator('[data-test=presale-pay-deposit]').check();
  await shop.page.locator('[data-test=presale-balance-starts]').fill(closes);
  await shop.page.locator('[data-test=presale-balance-ends]').fill(chinaMinute(3 * 86_400_000));
  const deposit = Math.floor(price / 10 / 100) * 100 || 1;
  const row = shop.page.locator('[data-test=presale-deposit-row]').nth(i);
  // a deposit above a fifth of the price is refused beside its field
  await row.locator('input[name$="[deposit]"]').fill(yuan(price));
  await shop.page.locator('[data-test=presale-create]').click();
  await shop.page.getByText('的定金须大于 0').first().waitFor();
  await row.locator('input[name$="[deposit]"]').fill(yuan(deposit));
  await row.locator('input[name$="[deposit_value]"]').fill(yuan(deposit * 3));
  await shop.page.screenshot({ path: join(shotsDir, 'merchant-presale-deposit-new.png'), fullPage: true });
  await shop.page.locator('[data-test=presale-create]').click();
  await shop.page.waitForURL(/\/merchant\/marketing\/presales\/\d+$/);
  assert.match(await shop.page.locator('[data-test=presale-deposit-plan]').innerText(), /定金 \+ 尾款/);
  await shop.page.screenshot({ path: join(shotsDir, 'merchant-presale-deposit.png'), fullPage: true });
  assert.deepEqual(shop.errors, []);

  const { page, errors } = await openPage(browser, PHONE);
  await signIn(page, server.base, '/login', '13800000002', DEMO_PASSWORD);
  await page.goto(server.base + '/presale');
  await page.locator('[data-test=presale-item]', { hasText: '小果定金预售' }).locator('a').click();
  await page.locator('[data-test=presale-strip]').waitFor();
  assert.match(await page.locator('[data-test=presale-strip] [data-test=presale-deposit]').first().innerText(), /定金 .* 抵 /);
  await page.screenshot({ path: join(shotsDir, 'h5-product-presale-deposit.png'), fullPage: true });
  await page.locator('[data-test=presale-buy]').first().click();
  await page.locator('[data-test=checkout-deposit]').waitFor();
  assert.match(await page.locator('[data-test=checkout-pay-now]').innerText(), new RegExp(yuan(deposit)));
  await page.screenshot({ path: join(shotsDir, 'h5-checkout-deposit.png'), fullPage: true });
  await hydrated(page);
  await page.locator('[data-test=submit-order]').click();
  await page.waitForURL(/\/pay\//);
  assert.equal(fen(await page.locator('[data-test=pay-amount]').innerText()), deposit);
  await hydrated(page);
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/orders\/\d+$/);
  await page.locator('[data-test=order-balance]').waitFor();
  assert.equal(await page.locator('[data-test=detail-status]').innerText(), '待付尾款');
  const balance = fen(await page.locator('[data-test=balance-amount]').innerText());
  await page.screenshot({ path: join(shotsDir, 'h5-order-awaiting-balance.png'), fullPage: true });
  // the balance window opens within two minutes
  for (let i = 0; i < 80 && (await page.locator('[data-test=pay-balance]').count()) === 0; i++) {
    await new Promise((r) => setTimeout(r, 2_000));
    await page.reload();
    await page.locator('[data-test=order-balance]').waitFor();
  }
  await hydrated(page);
  await page.locator('[data-test=pay-balance]').first().click();
  await page.waitForURL(/\/pay\//);
  assert.equal(fen(await page.locator('[data-test=pay-amount]').innerText()), balance);
  await hydrated(page);
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/orders\/\d+$/);
  await page.locator('[data-test=order-promise]').waitFor();
  assert.equal(await page.locator('[data-test=detail-status]').innerText(), '待发货');
  assert.equal(await page.locator('[data-test=balance-status]').innerText(), '尾款已付');
  await page.screenshot({ path: join(shotsDir, 'h5-order-balance-paid.png'), fullPage: true });
  assert.deepEqual(errors, []);
});
