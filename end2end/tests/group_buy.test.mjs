// 拼团 in Chromium at 375 px: one shopper opens 拼团 from the home page, picks the two-person
// group buy, opens a group from the product page at the group price and pays; the group's page
// shows them as leader with one seat left and the link to share. A second shopper opens that
// link, joins and pays: the group succeeds and both orders go to 待发货. The shop (desktop) sees
// the group with both members. Screenshots of every page.
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

/** Submits the checkout on the page and pays on the simulated pay page. */
async function checkoutAndPay(page) {
  await page.locator('[data-test=checkout-shop]').waitFor();
  await hydrated(page);
  await page.locator('[data-test=submit-order]').click();
  await page.waitForURL(/\/pay\//);
  await hydrated(page);
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/group\/\d+/);
}

test('open a group as one shopper, complete it as another', async () => {
  const leader = await openPage(browser, PHONE);
  await signIn(leader.page, server.base, '/login', '13800000001', DEMO_PASSWORD);
  await leader.page.goto(server.base + '/');
  await leader.page.locator('[data-test=home-group-buy]').click();
  await leader.page.waitForURL(/\/group-buy$/);
  await leader.page.screenshot({ path: join(shotsDir, 'h5-group-buys.png'), fullPage: true });
  await leader.page.locator('[data-test=group-buy-item]', { hasText: '两人团' }).locator('a').first().click();
  await leader.page.locator('[data-test=group-strip]').waitFor();
  await leader.page.screenshot({ path: join(shotsDir, 'h5-product-group.png'), fullPage: true });
  const open = leader.page.locator('[data-test=group-open]').first();
  await open.click();
  await leader.page.waitForURL(/\/checkout\?items=g/);
  await leader.page.locator('[data-test=checkout-shop]').waitFor();
  assert.equal(await leader.page.locator('[data-test=checkout-discount]').count(), 0, 'no shop discounts on a group line');
  await checkoutAndPay(leader.page);
  const groupUrl = leader.page.url();
  // the payment's notification is handled a moment later: the page shows the open group then
  for (let i = 0; i < 20 && (await leader.page.locator('[data-test=group-share]').count()) === 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    await leader.page.reload();
  }
  await leader.page.locator('[data-test=group-share]').waitFor();
  assert.equal(await leader.page.locator('[data-test=group-member]').count(), 1);
  assert.ok(await leader.page.locator('[data-test=group-leader]').count() >= 1, 'the leader is marked');
  assert.match(await leader.page.locator('[data-test=group-state]').innerText(), /还差\s*1\s*人/);
  await leader.page.screenshot({ path: join(shotsDir, 'h5-group-open.png'), fullPage: true });

  const joiner = await openPage(browser, PHONE);
  await signIn(joiner.page, server.base, '/login', '13800000002', DEMO_PASSWORD);
  await joiner.page.goto(groupUrl);
  const joinButton = joiner.page.locator('[data-test=group-join]').first();
  const price = fen(await joinButton.innerText());
  await joinButton.click();
  await joiner.page.waitForURL(/\/checkout\?items=g\d+\.\d+/);
  await joiner.page.locator('[data-test=checkout-shop]').waitFor();
  assert.equal(fen(await joiner.page.locator('[data-test=checkout-goods]').innerText()), price, 'the group price');
  await checkoutAndPay(joiner.page);
  for (let i = 0; i < 20 && (await joiner.page.locator('[data-test=group-succeeded]').count()) === 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    await joiner.page.reload();
  }
  await joiner.page.locator('[data-test=group-succeeded]').waitFor();
  assert.equal(await joiner.page.locator('[data-test=group-member]').count(), 2);
  await joiner.page.screenshot({ path: join(shotsDir, 'h5-group-succeeded.png'), fullPage: true });
  // both orders wait for shipping now
  await leader.page.goto(server.base + '/orders?tab=to_ship');
  await leader.page.locator('[data-test=order-card]', { hasText: '待发货' }).first().waitFor();
  assert.deepEqual(leader.errors, []);
  assert.deepEqual(joiner.errors, []);

  const shop = await openPage(browser, DESKTOP);
  await signIn(shop.page, server.base, '/merchant/login', 'dafang_tianma', DEMO_PASSWORD);
  await shop.page.goto(server.base + '/merchant/marketing/group-buys');
  await shop.page.locator('a[href^="/merchant/marketing/group-buys/"]').first().click();
  await shop.page.waitForURL(/\/merchant\/marketing\/group-buys\/\d+$/);
  await shop.page.getByText('拼团成功').first().waitFor();
  await shop.page.screenshot({ path: join(shotsDir, 'merchant-group-buy.png'), fullPage: true });
  assert.deepEqual(shop.errors, []);
});
