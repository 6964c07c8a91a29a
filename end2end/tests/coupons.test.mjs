// The coupon journey in Chromium: a shopper (375 px) claims a platform coupon in 领券中心 and the
// tea shop's coupon on a product page, buys from two shops; the checkout preselects a platform and
// a shop coupon, shows every discount, and charges its total; the order pages of the shopper, the
// merchant and the admin show each discount with its source; a refund of one unit keeps the
// coupons spent and says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, hydrated, signIn, addFirstFound, fen, PHONE, DESKTOP, DEMO_PASSWORD, shotsDir,
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

test('claim coupons → checkout preselects them → pay the total → every page shows the discounts → refund keeps them spent', async () => {
  const shopper = await openPage(browser, PHONE);
  const page = shopper.page;
  await signIn(page, server.base, '/login', '13800000002', DEMO_PASSWORD);

  // 领券中心: the platform's 满减 coupon
  await page.goto(`${server.base}/coupons`);
  await hydrated(page);
  const card = page.locator('[data-test=claimable-coupon]', { hasText: '集市通用券' });
  await card.locator('[data-test=claim]').click();
  await card.getByText('已领取').waitFor();
  await page.screenshot({ path: join(shotsDir, 'h5-coupon-center.png'), fullPage: true });

  // the tea shop's coupon, claimed on a product page, which also shows the shop's 满减
  await addFirstFound(page, server.base, '毛尖');
  await page.goBack();
  await page.locator('[data-test=shop-offers]').waitFor();
  await hydrated(page);
  assert.match(await page.locator('[data-test=full-reduction-label]').first().innerText(), /满/);
  const teaCoupon = page.locator('[data-test=claimable-coupon]', { hasText: '茶庄满200减20' });
  await teaCoupon.locator('[data-test=claim]').click();
  await teaCoupon.getByText('已领取').waitFor();
  await page.screenshot({ path: join(shotsDir, 'h5-product-offers.png'), fullPage: true });

  await page.goto(`${server.base}/me/coupons`);
  await page.locator('[data-test=my-coupon]').nth(2).waitFor();
  const held = await page.locator('[data-test=my-coupon]').allInnerTexts();
  for (const name of ['集市通用券', '茶庄满200减20', '新人专享券']) {
    assert.ok(held.some((t) => t.includes(name)), `${name} is in 我的优惠券`);
  }
  await page.screenshot({ path: join(shotsDir, 'h5-my-coupons.png'), fullPage: true });

  // six of each: the tea reaches its coupon's ¥200
  await addFirstFound(page, server.base, '辣椒酱');
  await page.locator('[data-test=to-checkout]').click();
  await page.locator('[data-test=checkout-shop]').nth(1).waitFor();
  const url = new URL(page.url());
  url.searchParams.set('items', url.searchParams.get('items').replace(/x\d+/g, 'x6'));
  await page.goto(url.toString());
  await page.locator('[data-test=checkout-shop]').nth(1).waitFor();
  await hydrated(page);
  assert.match(await page.locator('[data-test=platform-coupons] summary').innerText(), /集市通用券/,
    'the platform coupon that takes off most is preselected');
  assert.match(await page.locator('[data-test=shop-coupons] summary').first().innerText(), /茶庄满200减20/);
  const lines = await page.locator('[data-test=discount-line]').allInnerTexts();
  assert.ok(lines.some((l) => l.includes('店铺优惠券')), lines.join(' | '));
  assert.ok(lines.some((l) => l.includes('平台优惠券')), lines.join(' | '));
  const goods = fen(await page.locator('[data-test=checkout-goods]').innerText());
  const shipping = fen(await page.locator('[data-test=checkout-shipping]').innerText());
  const discount = fen(await page.locator('[data-test=checkout-discount]').innerText());
  const total = await page.locator('[data-test=checkout-total]').innerText();
  assert.equal(fen(total), goods + shipping + discount, 'total = goods + shipping − discounts');
  assert.ok(discount < -1000, 'both coupons took something off');
  await page.screenshot({ path: join(shotsDir, 'h5-checkout-coupons.png'), fullPage: true });

  await page.locator('[data-test=submit-order]').click();
  await page.waitForURL(/\/pay\//);
  assert.equal(await page.locator('[data-test=pay-amount]').innerText(), total, 'the payment is the checkout total');
  await hydrated(page);
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/orders\?tab=to_ship/);
  await page.locator('[data-test=order-card]').nth(1).waitFor();

  // the shopper's order page shows the tea order's discounts by source
  const teaCard = page.locator('[data-test=order-card]', { hasText: '都匀毛尖茶庄' });
  await teaCard.locator('a[href^="/orders/"]').first().click();
  await page.locator('[data-test=order-discount]').first().waitFor();
  const shown = await page.locator('[data-test=order-discount]').allInnerTexts();
  assert.ok(shown.some((l) => l.includes('茶庄满200减20')), shown.join(' | '));
  const teaOrder = page.url().match(/\/orders\/(\d+)/)[1];
  await page.screenshot({ path: join(shotsDir, 'h5-order-discounts.png'), fullPage: true });

  // the merchant and the admin see the same discounts, with who funds them
  const tea = await openPage(browser, DESKTOP);
  await signIn(tea.page, server.base, '/merchant/login', 'duyun_tea', DEMO_PASSWORD);
  await tea.page.goto(`${server.base}/merchant/orders/${teaOrder}`);
  await tea.page.locator('[data-test=order-discount]').first().waitFor();
  const merchantSees = await tea.page.locator('[data-test=order-discount]').allInnerTexts();
  assert.ok(merchantSees.some((l) => l.includes('商家承担')), merchantSees.join(' | '));
  assert.ok(merchantSees.some((l) => l.includes('平台承担')), merchantSees.join(' | '));
  await tea.page.screenshot({ path: join(shotsDir, 'merchant-order-discounts.png'), fullPage: true });
  const admin = await openPage(browser, DESKTOP);
  await signIn(admin.page, server.base, '/admin/login', 'admin', DEMO_PASSWORD);
  await admin.page.goto(`${server.base}/admin/orders/${teaOrder}`);
  await admin.page.locator('[data-test=order-discount]').first().waitFor();
  assert.deepEqual(await admin.page.locator('[data-test=order-discount]').allInnerTexts(), merchantSees);

  // one unit refunded: a partial refund gives no coupon back, and the after-sale says so
  await page.goto(`${server.base}/orders/${teaOrder}`);
  await page.locator('[data-test=ask-after-sale]').click();
  await page.locator('[data-test=after-sale-item]').first().waitFor();
  await hydrated(page);
  await page.locator('[data-test=after-sale-item] select').first().selectOption('1');
  await page.locator('[data-test=submit-after-sale]').click();
  await page.locator('[data-test=after-sale-status]', { hasText: '待商家处理' }).waitFor();
  const afterSale = page.url();
  await tea.page.goto(`${server.base}/merchant/after-sales`);
  await hydrated(tea.page);
  await tea.page.locator('[data-test=approve-after-sale]').first().click();
  await tea.page.locator('[data-test=after-sale-row]', { hasText: /退款/ }).first().waitFor();
  let note = '';
  for (let i = 0; i < 40 && !note; i++) {
    await page.goto(afterSale);
    note = (await page.locator('[data-test=coupon-note]').count()) ? await page.locator('[data-test=coupon-note]').innerText() : '';
    if (!note) await new Promise((r) => setTimeout(r, 250));
  }
  assert.match(note, /部分退款，优惠券不退回/);
  assert.deepEqual(shopper.errors, []);
  assert.deepEqual(tea.errors, []);
  assert.deepEqual(admin.errors, []);
});
