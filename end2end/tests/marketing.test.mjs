// 营销 in Chromium: an operator creates a platform 折扣券 limited to a category in 平台优惠券
// (the form shows only the chosen kind's fields) and pushes the demo's 老客回馈券 to a shopper by
// phone, a tea merchant ends the demo's full-reduction
// and creates a two-tier one with free shipping in 营销中心, and a shopper at 375 px finds both:
// the coupon in 领券中心, the new tiers on the shop's product page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, hydrated, signIn, PHONE, DESKTOP, DEMO_PASSWORD, shotsDir,
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

test('an operator and a merchant create promotions in their consoles; a shopper sees them', async () => {
  // 平台优惠券: a 折扣 coupon for tea
  const operator = await openPage(browser, DESKTOP);
  const op = operator.page;
  await signIn(op, server.base, '/admin/login', 'operator', DEMO_PASSWORD);
  await op.goto(`${server.base}/admin/coupons`);
  await op.locator('[data-test=coupon-row]').first().waitFor();
  await op.screenshot({ path: join(shotsDir, 'admin-coupons.png'), fullPage: true });
  await op.locator('[data-test=new-coupon]').click();
  await op.locator('input[name="form[name]"]').waitFor();
  await hydrated(op);
  assert.equal(await op.locator('input[name="form[zhe]"]').isVisible(), false, 'a 满减 form hides the 折扣 fields');
  await op.getByLabel('折扣券').check();
  assert.equal(await op.locator('input[name="form[zhe]"]').isVisible(), true, 'choosing 折扣券 shows them');
  assert.equal(await op.locator('input[name="form[amount_off]"]').isVisible(), false);
  await op.fill('input[name="form[name]"]', '冬日茶饮9折券');
  await op.fill('input[name="form[zhe]"]', '9');
  await op.fill('input[name="form[cap]"]', '15');
  await op.locator('[data-test=scope-categories]').getByLabel('茶叶', { exact: true }).check();
  await op.screenshot({ path: join(shotsDir, 'admin-coupon-new.png'), fullPage: true });
  await op.getByRole('button', { name: '创建' }).click();
  const row = op.locator('[data-test=coupon-row]', { hasText: '冬日茶饮9折券' });
  await row.waitFor();
  assert.match(await row.innerText(), /9折 最高减¥15\.00/);
  assert.match(await row.innerText(), /限指定品类/);

  // 定向发放: the demo's push coupon to one shopper by phone
  await op.locator('[data-test=coupon-row]', { hasText: '老客回馈券' }).locator('[data-test=push-link]').click();
  await op.locator('[data-test=push-panel] textarea').waitFor();
  await hydrated(op);
  await op.fill('[data-test=push-panel] textarea', '13800000003\n13911112222');
  await op.locator('[data-test=push-panel]').getByRole('button', { name: '发放' }).click();
  const report = await op.locator('[data-test=push-report]').innerText();
  assert.match(report, /已发放 1 张/);
  assert.match(report, /139\*\*\*\*2222/, 'the unknown number, masked');
  await op.screenshot({ path: join(shotsDir, 'admin-coupon-push.png'), fullPage: true });

  // 营销中心: end the demo's full-reduction, then two tiers of our own, the second with free shipping
  const merchant = await openPage(browser, DESKTOP);
  const m = merchant.page;
  await signIn(m, server.base, '/merchant/login', 'duyun_tea', DEMO_PASSWORD);
  await m.goto(`${server.base}/merchant/marketing`);
  await hydrated(m);
  const running = m.locator('[data-test=full-reduction-row]', { hasText: '茶季满减' });
  await running.locator('[data-test=promotion-end]').click();
  await running.getByText('已结束').waitFor();
  await m.screenshot({ path: join(shotsDir, 'merchant-marketing.png'), fullPage: true });
  await m.locator('[data-test=new-full-reduction]').click();
  await m.locator('input[name="form[title]"]').waitFor();
  await hydrated(m);
  await m.fill('input[name="form[title]"]', '冬茶满减');
  await m.getByLabel('第 1 档门槛').fill('150');
  await m.getByLabel('第 1 档优惠').fill('15');
  await m.getByLabel('第 2 档门槛').fill('300');
  await m.getByLabel('第 2 档优惠').fill('40');
  await m.getByLabel('第 2 档包邮').check();
  await m.screenshot({ path: join(shotsDir, 'merchant-full-reduction-new.png'), fullPage: true });
  await m.getByRole('button', { name: '创建' }).click();
  const created = m.locator('[data-test=full-reduction-row]', { hasText: '冬茶满减' });
  await created.waitFor();
  assert.match(await created.innerText(), /满¥150\.00减¥15\.00，满¥300\.00减¥40\.00包邮/);

  // a refused form says why beside the tiers and keeps what was typed
  await m.goto(`${server.base}/merchant/marketing/full-reductions/new`);
  await hydrated(m);
  await m.fill('input[name="form[title]"]', '倒挂满减');
  await m.getByLabel('第 1 档门槛').fill('300');
  await m.getByLabel('第 1 档优惠').fill('30');
  await m.getByLabel('第 2 档门槛').fill('100');
  await m.getByLabel('第 2 档优惠').fill('10');
  await m.getByRole('button', { name: '创建' }).click();
  await m.locator('[data-test=field-error][data-field=tiers]').waitFor();
  assert.equal(await m.inputValue('input[name="form[title]"]'), '倒挂满减');

  // the shopper
  const shopper = await openPage(browser, PHONE);
  const page = shopper.page;
  await page.goto(`${server.base}/coupons`);
  await page.locator('[data-test=claimable-coupon]', { hasText: '冬日茶饮9折券' }).waitFor();
  await page.goto(`${server.base}/search?q=${encodeURIComponent('毛尖')}`);
  await page.locator('[data-test=product-card]').first().click();
  await page.locator('[data-test=shop-offers]').waitFor();
  const labels = await page.locator('[data-test=full-reduction-label]').allInnerTexts();
  assert.ok(labels.some((l) => l.includes('满¥150.00减¥15.00')), labels.join(' | '));
  assert.ok(!labels.some((l) => l.includes('满¥300.00减¥30.00')), 'the ended promotion is gone');
  await page.screenshot({ path: join(shotsDir, 'h5-product-new-full-reduction.png'), fullPage: true });

  assert.deepEqual([...operator.errors, ...merchant.errors, ...shopper.errors], [], 'no page errors');
  await operator.context.close();
  await merchant.context.close();
  await shopper.context.close();
});
