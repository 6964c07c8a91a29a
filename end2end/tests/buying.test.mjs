// The buying journey in Chromium: a shopper (375 px) puts products of two shops in the cart and
// pays once with the simulated provider; each merchant (desktop) sees only its own order; one
// ships and the shopper confirms receipt; the shopper asks a refund of one unit of the other
// order, the merchant approves, and the refund shows on the order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, hydrated, signIn, addFirstFound, PHONE, DESKTOP, DEMO_PASSWORD, shotsDir,
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

test('buy from two shops in one payment → each merchant ships its own → confirm one, refund from the other', async () => {
  const shopper = await openPage(browser, PHONE);
  const page = shopper.page;
  await signIn(page, server.base, '/login', '13800000001', DEMO_PASSWORD);
  await addFirstFound(page, server.base, '毛尖');
  await addFirstFound(page, server.base, '辣椒酱');
  await page.locator('[data-test=cart-shop]').nth(1).waitFor();
  assert.equal(await page.locator('[data-test=cart-shop]').count(), 2, 'the cart is grouped by shop');
  await page.screenshot({ path: join(shotsDir, 'h5-cart.png'), fullPage: true });

  await page.locator('[data-test=to-checkout]').click();
  await page.locator('[data-test=checkout-shop]').nth(1).waitFor();
  await hydrated(page);
  await page.locator('[data-test=checkout-address]').waitFor();
  const total = await page.locator('[data-test=checkout-total]').innerText();
  await page.screenshot({ path: join(shotsDir, 'h5-checkout.png'), fullPage: true });
  await page.locator('[data-test=submit-order]').click();
  await page.waitForURL(/\/pay\//);
  assert.equal(await page.locator('[data-test=pay-amount]').innerText(), total, 'one payment of the checkout total');
  await hydrated(page);
  await page.screenshot({ path: join(shotsDir, 'h5-pay.png'), fullPage: true });
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/orders\?tab=to_ship/);
  await page.locator('[data-test=order-card]').nth(1).waitFor();
  assert.equal(await page.locator('[data-test=order-card]').count(), 2, 'one order per shop');
  await page.screenshot({ path: join(shotsDir, 'h5-orders.png'), fullPage: true });

  // the tea shop sees only its own order and ships it
  const tea = await openPage(browser, DESKTOP);
  await signIn(tea.page, server.base, '/merchant/login', 'duyun_tea', DEMO_PASSWORD);
  await tea.page.goto(`${server.base}/merchant/orders?tab=to_ship`);
  await tea.page.locator('[data-test=order-row]').first().waitFor();
  assert.equal(await tea.page.locator('[data-test=order-row]').count(), 1);
  await tea.page.locator('[data-test=order-row] a').first().click();
  await tea.page.locator('[data-test=ship-form]').waitFor();
  await hydrated(tea.page);
  await tea.page.fill('input[name=tracking_no]', 'SF1029384756');
  await tea.page.screenshot({ path: join(shotsDir, 'merchant-order.png'), fullPage: true });
  await tea.page.getByRole('button', { name: '发货', exact: true }).click();
  await tea.page.locator('[data-test=console-order-status]', { hasText: '待收货' }).waitFor();
  assert.deepEqual(tea.errors, []);

  // the chili shop sees only its own order
  const chili = await openPage(browser, DESKTOP);
  await signIn(chili.page, server.base, '/merchant/login', 'zunyi_chili', DEMO_PASSWORD);
  await chili.page.goto(`${server.base}/merchant/orders`);
  await chili.page.locator('[data-test=order-row]').first().waitFor();
  assert.equal(await chili.page.locator('[data-test=order-row]').count(), 1);

  // the shopper confirms the shipped order
  await page.goto(`${server.base}/orders?tab=shipped`);
  await hydrated(page);
  await page.locator('[data-test=confirm-receipt]').click();
  await page.locator('[data-test=detail-status]', { hasText: '已完成' }).waitFor();
  await page.goto(`${server.base}/orders?tab=to_review`);
  await page.locator('[data-test=order-card]').waitFor();

  // and asks a refund of one unit of the chili order
  await page.goto(`${server.base}/orders?tab=to_ship`);
  await page.locator('[data-test=order-card] a[href^="/orders/"]').first().click();
  const paid = await page.locator('[data-test=detail-paid]').innerText();
  await page.locator('[data-test=ask-after-sale]').click();
  await page.locator('[data-test=after-sale-item]').first().waitFor();
  await hydrated(page);
  await page.locator('[data-test=after-sale-item] select').first().selectOption('1');
  await page.screenshot({ path: join(shotsDir, 'h5-after-sale.png'), fullPage: true });
  await page.locator('[data-test=submit-after-sale]').click();
  await page.locator('[data-test=after-sale-status]', { hasText: '待商家处理' }).waitFor();
  const refund = await page.locator('[data-test=after-sale-amount]').innerText();

  await chili.page.goto(`${server.base}/merchant/after-sales`);
  await hydrated(chili.page);
  await chili.page.locator('[data-test=approve-after-sale]').click();
  await chili.page.locator('[data-test=after-sale-row]', { hasText: /退款/ }).waitFor();
  assert.deepEqual(chili.errors, []);

  // the simulated provider confirms the refund with a signed notification
  let status = '';
  for (let i = 0; i < 40 && status !== '退款成功'; i++) {
    await page.reload();
    status = await page.locator('[data-test=after-sale-status]').innerText();
    if (status !== '退款成功') await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal(status, '退款成功');
  await page.getByRole('link', { name: '查看订单' }).click();
  assert.equal(await page.locator('[data-test=detail-refunded]').innerText(), refund);
  assert.equal(await page.locator('[data-test=detail-paid]').innerText(), paid);
  await page.screenshot({ path: join(shotsDir, 'h5-order-refunded.png'), fullPage: true });
  assert.deepEqual(shopper.errors, []);
});

test('with JavaScript off a shopper still buys from two shops and pays: links and forms all the way', async () => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await page.fill('input[name=login]', '13800000003');
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('login'));
  for (const word of ['毛尖', '辣椒酱']) {
    await page.goto(`${server.base}/search?q=${encodeURIComponent(word)}`);
    await page.locator('[data-test=product-card]').first().click();
    // the spec picker is links: each pick is a page of its own
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
    await page.locator('[data-test=add-to-cart]').click();
    await page.waitForURL(/\/cart$/);
  }
  await page.locator('[data-test=to-checkout]').click();
  await page.locator('[data-test=checkout-shop]').nth(1).waitFor();
  const total = await page.locator('[data-test=checkout-total]').innerText();
  await page.locator('[data-test=submit-order]').click();
  await page.waitForURL(/\/pay\//);
  assert.equal(await page.locator('[data-test=pay-amount]').innerText(), total, 'one payment of the checkout total');
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/orders\?tab=to_ship/);
  assert.equal(await page.locator('[data-test=order-card]').count(), 2, 'one order per shop, paid');
  await context.close();
});
