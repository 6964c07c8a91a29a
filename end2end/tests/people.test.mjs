// 会员管理 in Chromium at 1280 px: the operator finds a shopper by the last digits of their
// phone, reveals the whole number with a reason, disables the account, and the shopper's open
// H5 session (375 px) is signed out on its next page; the super admin's 管理员 page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, signIn, hydrated, DESKTOP, PHONE, DEMO_PASSWORD, shotsDir } from '../server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({}, ['--orders', '--history-days', '30']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the operator reveals a phone with a reason and disables a shopper, whose session ends', async () => {
  const shopper = await openPage(browser, PHONE);
  await signIn(shopper.page, server.base, '/login', '13800000002', DEMO_PASSWORD);
  await shopper.page.goto(`${server.base}/me`);
  await shopper.page.getByText('138****0002').waitFor();

  const { page, context, errors } = await openPage(browser, DESKTOP);
  await signIn(page, server.base, '/admin/login', 'operator', DEMO_PASSWORD);
  await page.goto(`${server.base}/admin/shoppers`);
  const rows = page.locator('[data-test=shopper-table] tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.count()) >= 10, 'the history brought shoppers');
  // the demo history has one disabled account, with its reason
  await page.goto(`${server.base}/admin/shoppers?status=disabled`);
  await page.getByText('批量注册小号领券').waitFor();

  await page.goto(`${server.base}/admin/shoppers`);
  await page.fill('[data-test=shopper-search] input[name=q]', '0002');
  await page.locator('[data-test=shopper-search] button[type=submit]').click();
  await page.waitForURL(/q=0002/);
  await hydrated(page);
  await page.locator('[data-test=shopper-table] tbody tr').filter({ hasText: '138****0002' }).waitFor();
  // found by nickname from here on: the phone cell changes when revealed
  const row = page.locator('[data-test=shopper-table] tbody tr').filter({ hasText: '吃辣达人' });
  for (const phone of await page.locator('[data-test=shopper-table] [data-test=phone]').allInnerTexts()) {
    assert.match(phone, /0002$/, 'only numbers ending in 0002');
  }
  await row.getByText('查看完整号码').click();
  await row.getByPlaceholder('查看原因').fill('售后回访');
  await row.locator('[data-test=reveal]').click();
  await row.locator('[data-test=phone]').getByText('13800000002').waitFor();

  await row.getByText('停用', { exact: true }).click();
  await row.getByPlaceholder('停用原因').fill('异常下单');
  await row.locator('[data-test=disable]').click();
  await row.locator('[data-test=account-status]').getByText('已停用').waitFor();
  await row.getByText('异常下单').waitFor();
  await page.screenshot({ path: join(shotsDir, 'admin-shoppers.png'), fullPage: true });

  // the shopper's next page shows them signed out
  await shopper.page.goto(`${server.base}/me`);
  await shopper.page.getByText('登录后查看订单、收货地址和售后').waitFor();

  // both actions are in the audit log
  await page.goto(`${server.base}/admin/audit?action=shopper_phone_reveal`);
  await page.locator('[data-test=audit-log]').getByText('售后回访').waitFor();
  assert.deepEqual(errors, []);
  assert.deepEqual(shopper.errors, []);
  await shopper.context.close();
  await context.close();
});

test('the super admin sees admins and roles; the operator does not', async () => {
  const { page, context, errors } = await openPage(browser, DESKTOP);
  await signIn(page, server.base, '/admin/login', 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/admin/admins`);
  const table = page.locator('[data-test=admin-table] tbody tr');
  await table.first().waitFor();
  assert.ok((await table.count()) >= 4);
  await page.getByText('（当前账号）').waitFor();
  await page.screenshot({ path: join(shotsDir, 'admin-admins.png'), fullPage: true });
  await context.close();
  assert.deepEqual(errors, []);

  const op = await openPage(browser, DESKTOP);
  await signIn(op.page, server.base, '/admin/login', 'operator', DEMO_PASSWORD);
  await op.page.goto(`${server.base}/admin/admins`);
  await op.page.getByText('仅超级管理员可以管理平台管理员').waitFor();
  await op.context.close();
});
