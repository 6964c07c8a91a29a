// Delivery areas in Chromium: a merchant (desktop) makes a template that delivers only to chosen
// provinces, edits and saves it again without it turning into "everywhere"; a shopper (375 px)
// whose address is outside sees at checkout which shop does not deliver there, with a link to
// another address and, where the shop has one, to its pickup, and cannot submit until then.
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

const template = (page, name) => page.locator('[data-test=shipping-template]', { hasText: name });

test('a template for chosen provinces only survives editing, and checkout says which shop does not deliver', async () => {
  const chili = await openPage(browser, DESKTOP);
  const page = chili.page;
  await signIn(page, server.base, '/merchant/login', 'zunyi_chili', DEMO_PASSWORD);
  await page.goto(`${server.base}/merchant/shipping`);
  await page.locator('[data-test=template-form]').waitFor();
  await hydrated(page);
  const form = page.locator('[data-test=template-form]');
  await form.locator('input[name=name]').fill('仅发西藏');
  await page.locator('[data-test=add-region-rule]').click();
  const rule = form.locator('[data-test=region-rule]');
  await rule.getByLabel('西藏自治区').check();
  await rule.locator('input[name=first_fee]').fill('20');
  await form.getByLabel('不配送（仅配送上面的指定地区）').check();
  await form.getByLabel('设为默认模板').check();
  await page.screenshot({ path: join(shotsDir, 'merchant-shipping-form.png'), fullPage: true });
  await page.locator('[data-test=save-template]').click();
  await template(page, '仅发西藏').waitFor();
  const saved = await template(page, '仅发西藏').innerText();
  assert.match(saved, /西藏自治区：首1件 ¥20\.00/);
  assert.match(saved, /其他地区：不配送/);
  assert.match(saved, /默认/);

  // edit and save again: still only Tibet
  await template(page, '仅发西藏').getByRole('link', { name: '编辑' }).click();
  await page.locator('[data-test=template-form]', { hasText: '编辑运费模板' }).waitFor();
  await hydrated(page);
  assert.equal(await form.getByLabel('不配送（仅配送上面的指定地区）').isChecked(), true);
  assert.equal(await form.locator('[data-test=region-rule]').count(), 1);
  await page.locator('[data-test=save-template]').click();
  await page.waitForLoadState('networkidle');
  await template(page, '仅发西藏').waitFor();
  assert.match(await template(page, '仅发西藏').innerText(), /其他地区：不配送/);
  assert.equal(await page.locator('[data-test=shipping-template]', { hasText: '仅发西藏' }).count(), 1);
  await page.screenshot({ path: join(shotsDir, 'merchant-shipping.png'), fullPage: true });
  assert.deepEqual(chili.errors, []);

  // a shopper in Guizhou: the chili shop does not deliver there, but offers pickup
  const shopper = await openPage(browser, PHONE);
  const h5 = shopper.page;
  await signIn(h5, server.base, '/login', '13800000001', DEMO_PASSWORD);
  await addFirstFound(h5, server.base, '辣椒酱');
  await h5.locator('[data-test=to-checkout]').click();
  const notDelivered = h5.locator('[data-test=not-delivered]');
  await notDelivered.waitFor();
  await hydrated(h5);
  assert.match(await notDelivered.innerText(), /「遵义辣椒酱坊」不配送到贵州省/);
  assert.equal(await h5.locator('[data-test=submit-order]').isDisabled(), true, 'no submit while a shop cannot deliver');
  assert.equal(await notDelivered.getByRole('link', { name: '更换收货地址' }).count(), 1);
  await h5.screenshot({ path: join(shotsDir, 'h5-checkout-not-delivered.png'), fullPage: true });
  await notDelivered.getByRole('link', { name: '改为到店自提' }).click();
  await h5.locator('[data-test=checkout-shop]', { hasText: '自提地址' }).waitFor();
  assert.equal(await notDelivered.count(), 0);
  await hydrated(h5);
  assert.equal(await h5.locator('[data-test=submit-order]').isDisabled(), false);
  await h5.locator('[data-test=submit-order]').click();
  await h5.waitForURL(/\/pay\//);
  assert.deepEqual(shopper.errors, []);

  // the demo's orchard delivers fresh fruit to the south-west only: a Beijing shopper sees it
  const beijing = await openPage(browser, PHONE);
  await signIn(beijing.page, server.base, '/login', '13800000003', DEMO_PASSWORD);
  await addFirstFound(beijing.page, server.base, '苹果');
  await beijing.page.locator('[data-test=to-checkout]').click();
  const orchard = beijing.page.locator('[data-test=not-delivered]');
  await orchard.waitFor();
  assert.match(await orchard.innerText(), /「昭通高原苹果园」不配送到北京市/);
  assert.equal(await orchard.getByRole('link', { name: '改为到店自提' }).count(), 0, 'pickup only where offered');
});
