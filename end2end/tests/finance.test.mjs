// Settlement in Chromium: a shopper (375 px) buys from the tea shop with the simulated provider;
// the shop ships and the shopper confirms receipt; with the after-sale window at 0 days finance
// cuts the bills at once; the shop sees its bill with the right net to the fen (what was paid
// less the commission on its order page), confirms it and withdraws everything; finance pays
// the withdrawal out, and the shop's balances follow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, hydrated, signIn, addFirstFound, fen, PHONE, DESKTOP,
  DEMO_PASSWORD, shotsDir,
} from '../server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ JISHI_ORDERS__AFTER_SALE_DAYS: '0' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('buy → complete → bill with the right net → confirm → withdraw → finance pays out', async () => {
  const shopper = await openPage(browser, PHONE);
  const page = shopper.page;
  await signIn(page, server.base, '/login', '13800000002', DEMO_PASSWORD);
  await addFirstFound(page, server.base, '毛尖');
  await page.locator('[data-test=to-checkout]').click();
  await page.locator('[data-test=checkout-shop]').first().waitFor();
  await hydrated(page);
  await page.locator('[data-test=checkout-address]').waitFor();
  await page.locator('[data-test=submit-order]').click();
  await page.waitForURL(/\/pay\//);
  await hydrated(page);
  await page.locator('[data-test=pay-confirm]').click();
  await page.waitForURL(/\/orders\?tab=to_ship/);

  // the tea shop reads its order (paid per item, commission, shipping) and ships it
  const tea = await openPage(browser, DESKTOP);
  await signIn(tea.page, server.base, '/merchant/login', 'duyun_tea', DEMO_PASSWORD);
  await tea.page.goto(`${server.base}/merchant/orders?tab=to_ship`);
  await tea.page.locator('[data-test=order-row] a').first().click();
  await tea.page.locator('[data-test=ship-form]').waitFor();
  const paid = (await tea.page.locator('[data-test=item-paid]').allInnerTexts()).map(fen);
  const commission = (await tea.page.locator('[data-test=commission-amount]').allInnerTexts()).map(fen);
  const shipping = fen(await tea.page.locator('[data-test=order-shipping]').innerText());
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  // a platform-funded discount (the shopper's 新人券) is the platform's cost, not the shop's:
  // the shop is owed what was paid plus it
  const subsidy = sum((await tea.page.locator('[data-test=order-discount]', { hasText: '平台承担' }).allInnerTexts())
    .map((t) => -fen(t.slice(t.lastIndexOf('-¥')))));
  const expectedNet = sum(paid) + shipping - sum(commission) + subsidy;
  assert.ok(sum(commission) > 0, 'the order carries a commission');
  await hydrated(tea.page);
  await tea.page.fill('input[name=tracking_no]', 'SF2026112400001');
  await tea.page.getByRole('button', { name: '发货', exact: true }).click();
  await tea.page.locator('[data-test=console-order-status]', { hasText: '待收货' }).waitFor();

  await page.goto(`${server.base}/orders?tab=shipped`);
  await hydrated(page);
  await page.locator('[data-test=confirm-receipt]').click();
  await page.locator('[data-test=detail-status]', { hasText: '已完成' }).waitFor();
  assert.deepEqual(shopper.errors, []);

  // finance cuts the bills now (the window is 0 days)
  const finance = await openPage(browser, DESKTOP);
  await signIn(finance.page, server.base, '/admin/login', 'finance', DEMO_PASSWORD);
  await finance.page.goto(`${server.base}/admin/finance`);
  await hydrated(finance.page);
  await finance.page.locator('[data-test=settle-now] button').click();
  await finance.page.locator('[data-test=settled-count]').waitFor();
  await finance.page.locator('[data-test=bill-row]').first().waitFor();
  await finance.page.screenshot({ path: join(shotsDir, 'admin-finance-bills.png'), fullPage: true });

  // the shop sees the bill with the right net, to the fen, and confirms it
  await tea.page.goto(`${server.base}/merchant/finance`);
  await tea.page.locator('[data-test=bill-row]').first().waitFor();
  assert.equal(await tea.page.locator('[data-test=bill-row]').count(), 1);
  assert.equal(fen(await tea.page.locator('[data-test=bill-net]').innerText()), expectedNet);
  assert.equal(fen(await tea.page.locator('[data-test=balance-pending]').innerText()), expectedNet);
  await tea.page.locator('[data-test=bill-row] a').first().click();
  await tea.page.locator('[data-test=bill-order-row]').first().waitFor();
  await hydrated(tea.page);
  await tea.page.screenshot({ path: join(shotsDir, 'merchant-bill.png'), fullPage: true });
  await tea.page.locator('[data-test=confirm-bill]').click();
  await tea.page.locator('[data-test=bill-status]', { hasText: '已确认' }).waitFor();

  // and withdraws all of it
  await tea.page.goto(`${server.base}/merchant/finance`);
  await hydrated(tea.page);
  assert.equal(fen(await tea.page.locator('[data-test=balance-available]').innerText()), expectedNet);
  const form = tea.page.locator('[data-test=withdraw-form]');
  await form.locator('input[name=amount]').fill((expectedNet / 100).toFixed(2));
  await form.locator('input[name=account_name]').fill('都匀毛尖茶庄');
  await form.locator('input[name=bank_name]').fill('中国农业银行都匀分行');
  await form.locator('input[name=account_no]').fill('6228480012345678');
  await form.getByRole('button', { name: '提交申请' }).click();
  await tea.page.locator('[data-test=withdrawal-row]').first().waitFor();
  await tea.page.locator('[data-test=balance-withdrawing]', { hasText: (expectedNet / 100).toFixed(2) }).waitFor();
  assert.equal(fen(await tea.page.locator('[data-test=balance-available]').innerText()), 0);
  await tea.page.screenshot({ path: join(shotsDir, 'merchant-finance.png'), fullPage: true });
  assert.deepEqual(tea.errors, []);

  // finance pays it out
  await finance.page.goto(`${server.base}/admin/finance/withdrawals`);
  await finance.page.locator('[data-test=approve-withdrawal]').first().waitFor();
  await hydrated(finance.page);
  await finance.page.screenshot({ path: join(shotsDir, 'admin-withdrawals.png'), fullPage: true });
  await finance.page.locator('[data-test=approve-withdrawal] input[name=transfer_ref]').first().fill('ABC2026112400001');
  await finance.page.locator('[data-test=approve-withdrawal] button').first().click();
  await finance.page.locator('[data-test=approve-withdrawal]').waitFor({ state: 'detached' });
  await finance.page.goto(`${server.base}/admin/finance/reconcile`);
  await finance.page.locator('[data-test=reconcile-ok]').waitFor();
  await finance.page.screenshot({ path: join(shotsDir, 'admin-reconcile.png'), fullPage: true });
  await finance.page.goto(`${server.base}/admin/finance/report`);
  await finance.page.locator('[data-test=report-total]').waitFor();
  await finance.page.screenshot({ path: join(shotsDir, 'admin-report.png'), fullPage: true });
  assert.deepEqual(finance.errors, []);

  await tea.page.goto(`${server.base}/merchant/finance`);
  assert.equal(fen(await tea.page.locator('[data-test=balance-withdrawn]').innerText()), expectedNet);
  assert.equal(fen(await tea.page.locator('[data-test=balance-withdrawing]').innerText()), 0);
  await tea.page.locator('[data-test=withdrawal-status]', { hasText: '已打款' }).waitFor();
});
