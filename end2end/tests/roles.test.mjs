// Each role signs in through the real pages in Chromium; pages hydrate; guards hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, PHONE, DESKTOP, DEMO_PASSWORD, shotsDir } from '../server.mjs';

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

async function newPage(viewport, options = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, errors };
}

/** Resolves once the wasm has hydrated the page (interactive elements respond). */
async function waitForHydration(page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true', null, { timeout: 15000 });
}

test('the H5 shop hydrates: a toggle changes state without a page load', async () => {
  const { page, context, errors } = await newPage(PHONE);
  await page.goto(`${server.base}/login`);
  await waitForHydration(page);
  // mark this document: a full page load would lose the mark
  await page.evaluate(() => (window.__sameDocument = true));
  const password = page.locator('input[name=password]');
  assert.equal(await password.getAttribute('type'), 'password');
  await page.click('[data-test=toggle-password]');
  await page.waitForFunction(() => document.querySelector('input[name=password]').type === 'text');
  assert.equal(await page.evaluate(() => window.__sameDocument), true);

  // the category tabs are links (the page needs no script): one opens its category's page
  await page.goto(`${server.base}/category`);
  await waitForHydration(page);
  await page.getByRole('tab', { name: '调味品' }).click();
  await page.waitForURL(/\/category\?c=\d+$/);
  await page.getByRole('heading', { name: '调味品' }).waitFor();
  assert.equal(await page.getByRole('tab', { name: '调味品' }).getAttribute('aria-selected'), 'true');
  await page.screenshot({ path: join(shotsDir, 'h5-category.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a shopper registers, signs out, fails with a wrong password, and signs in (375 px)', async () => {
  const { page, context, errors } = await newPage(PHONE);
  await page.goto(`${server.base}/`);
  for (const tab of ['首页', '分类', '购物车', '我的']) {
    await page.getByRole('navigation', { name: '主导航' }).getByText(tab, { exact: true }).waitFor();
  }
  await page.screenshot({ path: join(shotsDir, 'h5-home.png') });

  await page.goto(`${server.base}/register`);
  await waitForHydration(page);
  const phone = `137${String(Date.now()).slice(-8)}`;
  await page.fill('input[name=phone]', phone);
  await page.fill('input[name=nickname]', '山里来的客人');
  await page.fill('input[name=password]', 'mountain2026');
  await page.click('button[type=submit]');
  await page.waitForURL('**/me');
  await page.getByText('山里来的客人').waitFor();
  await page.screenshot({ path: join(shotsDir, 'h5-me.png') });

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.waitForURL('**/login');

  await waitForHydration(page);
  await page.fill('input[name=login]', phone);
  await page.fill('input[name=password]', 'wrong-pass1');
  await page.click('button[type=submit]');
  await page.getByRole('alert').getByText('账号或密码错误').waitFor();
  assert.match(page.url(), /\/login/);
  await page.screenshot({ path: join(shotsDir, 'h5-login-error.png') });

  await page.fill('input[name=password]', 'mountain2026');
  await page.click('button[type=submit]');
  await page.waitForURL('**/me');
  await page.getByText('山里来的客人').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('sign-in works before any script runs (plain form post)', async () => {
  const { page, context } = await newPage(PHONE, { javaScriptEnabled: false });
  await page.goto(`${server.base}/login`);
  await page.fill('input[name=login]', '13800000001');
  await page.fill('input[name=password]', 'not-the-password1');
  await page.click('button[type=submit]');
  await page.getByText('账号或密码错误').waitFor();
  await page.fill('input[name=login]', '13800000001');
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL('**/me');
  await page.getByText('茶友小王').waitFor();
  await context.close();
});

test('merchant staff sign in to the merchant console and are refused the admin console', async () => {
  const { page, context, errors } = await newPage(DESKTOP);
  await page.goto(`${server.base}/merchant`);
  await page.waitForURL('**/merchant/login');
  await waitForHydration(page);
  await page.fill('input[name=login]', 'zunyi_chili');
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/merchant$/);
  await page.locator('[data-test=shop-name]').getByText('遵义辣椒酱坊').waitFor();
  await page.screenshot({ path: join(shotsDir, 'merchant-home.png') });

  const res = await page.goto(`${server.base}/admin`);
  assert.equal(res.status(), 403);
  await page.getByText('当前账号无权访问此页面').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a platform admin signs in to the admin console and sees the marketplace', async () => {
  const { page, context, errors } = await newPage(DESKTOP);
  await page.goto(`${server.base}/admin/login`);
  await waitForHydration(page);
  await page.fill('input[name=login]', 'admin');
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/admin$/);
  await page.getByRole('heading', { name: '市场概览' }).waitFor();
  await page.locator('[data-test=todos]').getByText('入驻申请待审核').waitFor();
  await page.screenshot({ path: join(shotsDir, 'admin-home.png') });

  const res = await page.goto(`${server.base}/merchant`);
  assert.equal(res.status(), 403);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an operator adds a category with its commission rate through the admin form', async () => {
  const { page, context, errors } = await newPage(DESKTOP);
  await page.goto(`${server.base}/admin/login`);
  await waitForHydration(page);
  await page.fill('input[name=login]', 'operator');
  await page.fill('input[name=password]', DEMO_PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/admin$/);
  await page.getByRole('link', { name: '分类管理' }).click();
  await page.waitForURL(/\/admin\/categories/);
  await page.locator('[data-test=category-table]').getByText('辣椒酱').waitFor();

  // add a child under 调味品 with a bad rate first: the error is shown and nothing is added
  const row = page.locator('tr', { hasText: '调味品' }).first();
  await row.getByRole('link', { name: '添加下级' }).click();
  await page.getByText('在「调味品」下新增分类').waitFor();
  await waitForHydration(page);
  await page.fill('input[name=name]', '豆瓣酱');
  await page.fill('input[name=commission_percent]', '3.333');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('alert').getByText('最多两位小数').waitFor();
  await page.fill('input[name=commission_percent]', '3.5');
  await page.getByRole('button', { name: '保存' }).click();
  const added = page.locator('[data-test=category-table] tr', { hasText: '豆瓣酱' });
  await added.waitFor();
  assert.match(await added.innerText(), /3\.50%/);
  // the form is fresh again for the next category
  await page.getByText('新增一级分类').waitFor();
  assert.equal(await page.inputValue('input[name=name]'), '');
  await page.screenshot({ path: join(shotsDir, 'admin-categories.png') });
  assert.deepEqual(errors, []);
  await context.close();
});
