// 秒杀 in Chromium: a shopper (375 px) opens 限时秒杀 from the home page, sees the running slot's
// items with a countdown that is there before the wasm and ticks after it, buys one at the
// flash-sale price (the checkout charges it, no shop discounts) and pays; the product page shows
// the strip. The platform (desktop) creates an event; a shop applies a SKU; the platform approves
// it. Screenshots of every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, hydrated, signIn, submitted, fen, PHONE, DESKTOP, DEMO_PASSWORD, shotsDir,
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

/** `01:02:03` → seconds. */
const seconds = (t) => t.split(':').reduce((s, n) => s * 60 + Number(n), 0);

test('限时秒杀 → 马上抢 at the flash-sale price → pay; the product page shows the strip', async () => {
  const { page, errors } = await openPage(browser, PHONE);
  await signIn(page, server.base, '/login', '13800000001', DEMO_PASSWORD);
  await page.goto(server.base + '/');
  await page.locator('[data-test=home-flash-sale]').click();
  await page.waitForURL(/\/flash-sale$/);
  // the countdown is in the server's HTML, then ticks
  const before = seconds(await page.locator('[data-test=countdown]').innerText());
  assert.ok(before > 0 && before <= 3 * 3600, `a running slot's time left: ${before}`);
  await hydrated(page);
  await page.waitForFunction(
    (b) => {
      const t = document.querySelector('[data-test=countdown]').textContent.split(':');
      return t.reduce((s, n) => s * 60 + Number(n), 0) < b;
    },
    before,
    { timeout: 5000 }
  );
  const item = page.locator('[data-test=flash-item]').first();
  const price = fen(await item.locator('[data-test=flash-price]').innerText());
  await page.screenshot({ path: join(shotsDir, 'h5-flash-sale.png'), fullPage: true });

  await item.locator('[data-test=flash-buy]').click();
  await page.waitForURL(/\/checkout\?items=f/);
  await page.locator('[data-test=checkout-shop]').waitFor();
  const goods = fen(await page.locator('[data-test=checkout-goods]').innerText());
  assert.equal(goods, price, 'one unit at the flash-sale price');
  assert.equal(await page.locator('[data-test=checkout-discount]').count(), 0, 'no shop discounts on a flash-sale line');
  await hydrated(page);
  await page.screenshot({ path: join(shotsDir, 'h5-flash-checkout.png'), fullPage: true });
  await page.locator('[data-test=submit-order]').click();
  await page.waitForURL(/\/pay\//);
  await hydrated(page);
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/orders\?tab=to_ship/);
  await page.locator('[data-test=order-card]').first().waitFor();

  // the product's page shows its flash sale
  await page.goto(server.base + '/flash-sale');
  await page.locator('[data-test=flash-item] a').first().click();
  await page.locator('[data-test=flash-strip]').waitFor();
  await page.screenshot({ path: join(shotsDir, 'h5-product-flash.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('the platform creates an event, a shop applies a SKU, the platform approves it', async () => {
  const admin = await openPage(browser, DESKTOP);
  await signIn(admin.page, server.base, '/admin/login', 'operator', DEMO_PASSWORD);
  await admin.page.goto(server.base + '/admin/flash-sales');
  await admin.page.locator('[data-test=flash-sale-row]').first().waitFor();
  await admin.page.screenshot({ path: join(shotsDir, 'admin-flash-sales.png'), fullPage: true });
  await admin.page.locator('[data-test=new-flash-sale]').click();
  await hydrated(admin.page);
  const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);
  await admin.page.fill('input[name="form[title]"]', '<b>年货节秒杀</b>');
  await admin.page.fill('input[name="form[first_day]"]', day(2));
  await admin.page.fill('input[name="form[last_day]"]', day(3));
  await admin.page.fill('input[name="form[apply_until]"]', `${day(1)}T18:00`);
  await admin.page.locator('[data-test=create-flash-sale]').click();
  await admin.page.waitForURL(/\/admin\/flash-sales\/\d+$/);
  const eventUrl = admin.page.url();
  assert.ok((await admin.page.locator('h1').innerText()).includes('<b>年货节秒杀</b>'), 'the title is shown as text');

  const shop = await openPage(browser, DESKTOP);
  await signIn(shop.page, server.base, '/merchant/login', 'duyun_tea', DEMO_PASSWORD);
  await shop.page.goto(server.base + '/merchant/marketing');
  await shop.page.locator('[data-test=flash-sales-link]').click();
  await shop.page.locator('[data-test=flash-sale-row]', { hasText: '年货节秒杀' }).locator('[data-test=flash-sale-open]').click();
  await shop.page.locator('[data-test=apply-flash-sale]').waitFor();
  await hydrated(shop.page);
  // a price not below the normal one is refused under its field
  await shop.page.fill('input[name="form[price]"]', '99999');
  await shop.page.fill('input[name="form[quantity]"]', '10');
  await shop.page.locator('[data-test=apply-flash-sale]').click();
  await shop.page.getByText('秒杀价须低于原价').waitFor();
  await shop.page.fill('input[name="form[price]"]', '1');
  await submitted(shop.page, '/api/merchant/flash-sales/apply', () => shop.page.locator('[data-test=apply-flash-sale]').click());
  await shop.page.locator('[data-test=flash-item-row]').first().waitFor();
  assert.match(await shop.page.locator('[data-test=flash-item-row]').first().innerText(), /待审核/);
  await shop.page.screenshot({ path: join(shotsDir, 'merchant-flash-sale.png'), fullPage: true });

  await admin.page.goto(eventUrl);
  await hydrated(admin.page);
  await submitted(admin.page, '/api/admin/flash-sales/review', () => admin.page.locator('[data-test=flash-item-approve]').first().click());
  await admin.page.locator('[data-test=flash-item-row]', { hasText: '已通过' }).waitFor();
  await admin.page.screenshot({ path: join(shotsDir, 'admin-flash-sale.png'), fullPage: true });
  assert.deepEqual(admin.errors, []);
  assert.deepEqual(shop.errors, []);
});
