// The catalog journey in Chromium: a shopper applies to open a shop (375 px), a reviewer
// approves it (desktop), the new owner lists a 2×2-spec product with pictures, and a shopper
// finds it by a Chinese word on the H5 search at 375 px and picks a spec.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  startServer, launchBrowser, openPage, hydrated, signIn as signInAt, submitted, PHONE, DESKTOP, DEMO_PASSWORD, shotsDir,
} from '../server.mjs';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
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

const newPage = (viewport) => openPage(browser, viewport);
const signIn = (page, path, login, password) => signInAt(page, server.base, path, login, password);

test('apply → approve → list a 2×2 product with pictures → find it on H5 search and pick a spec', async () => {
  // 1. a shopper applies at 375 px
  const shopper = await newPage(PHONE);
  await signIn(shopper.page, '/login', '13800000002', DEMO_PASSWORD);
  await shopper.page.goto(`${server.base}/apply`);
  await hydrated(shopper.page);
  const form = shopper.page;
  await form.fill('input[name=shop_name]', '雷山银球茶社');
  await form.fill('input[name=region]', '贵州·雷山');
  await form.fill('input[name=contact_name]', '杨阿妹');
  await form.fill('input[name=contact_phone]', '1391234567');
  await form.fill('input[name=licence_no]', '92522634MA6HX1234Q');
  await form.setInputFiles('[data-test=upload-licence_image]', join(fixtures, 'licence.png'));
  await form.locator('img[src^="/media/"]').first().waitFor();
  await form.getByLabel('茶叶').check();
  await form.fill('input[name=owner_username]', 'leishan_tea');
  await form.fill('input[name=owner_password]', 'Yinqiu2026');
  // a mistyped phone is refused under the phone field, not in the banner at the top
  await form.getByRole('button', { name: '提交申请' }).click();
  const phoneError = form.locator('[data-test=field-error][data-field=contact_phone]');
  await phoneError.getByText('请填写正确的联系人手机号').waitFor();
  assert.equal(await form.getByRole('alert').count(), 1, 'one message, beside its field');
  assert.equal(await form.locator('img[src^="/media/"]').count(), 1, 'the uploaded licence is kept');
  await shopper.page.screenshot({ path: join(shotsDir, 'h5-apply-field-error.png'), fullPage: true });
  await form.fill('input[name=contact_phone]', '13912345678');
  await shopper.page.screenshot({ path: join(shotsDir, 'h5-apply.png'), fullPage: true });
  await form.getByRole('button', { name: '提交申请' }).click();
  await form.locator('[data-test=application-status]').getByText('审核中').waitFor();
  assert.deepEqual(shopper.errors, []);

  // 2. the reviewer approves on the desktop console
  const reviewer = await newPage(DESKTOP);
  await signIn(reviewer.page, '/admin/login', 'reviewer', DEMO_PASSWORD);
  await reviewer.page.goto(`${server.base}/admin/applications`);
  await reviewer.page.getByRole('row', { name: /雷山银球茶社/ }).getByRole('link', { name: '审核' }).click();
  await reviewer.page.locator('[data-test=licence-image]').waitFor();
  await hydrated(reviewer.page);
  assert.ok(await reviewer.page.getByText('13912345678').isVisible(), 'the reviewer sees the full phone');
  await reviewer.page.screenshot({ path: join(shotsDir, 'admin-application.png') });
  await reviewer.page.getByRole('button', { name: '通过' }).click();
  await reviewer.page.locator('[data-test=application-state]', { hasText: '已通过' }).waitFor();
  assert.deepEqual(reviewer.errors, []);

  await shopper.page.reload();
  await shopper.page.locator('[data-test=application-status]').getByText('已通过').waitFor();

  // 3. the new owner lists a 2×2-spec product with pictures
  const owner = await newPage(DESKTOP);
  await signIn(owner.page, '/merchant/login', 'leishan_tea', 'Yinqiu2026');
  await owner.page.goto(`${server.base}/merchant/products/new`);
  await hydrated(owner.page);
  const p = owner.page;
  await p.fill('input[name=title]', '雷公山银球茶 明前高山绿茶');
  await p.fill('input[name=subtitle]', '苗岭云雾 一芽一叶');
  await p.fill('input[name=origin]', '贵州·雷山');
  await p.selectOption('select[name=category_id]', { label: '茶叶 / 绿茶' });
  await p.setInputFiles('[data-test=upload-main_image]', join(fixtures, 'product.png'));
  await p.setInputFiles('[data-test=upload-gallery]', join(fixtures, 'licence.png'));
  await p.locator('img[src^="/media/"]').nth(1).waitFor();
  await p.getByRole('button', { name: '+ 添加规格' }).click();
  await p.getByLabel('规格1名称').fill('规格');
  await p.getByLabel('规格1名称').press('Tab');
  await p.getByLabel('规格1的值').fill('250g 500g');
  await p.getByLabel('规格1的值').press('Tab');
  await p.getByRole('button', { name: '+ 添加规格' }).click();
  await p.getByLabel('规格2名称').fill('包装');
  await p.getByLabel('规格2名称').press('Tab');
  await p.getByLabel('规格2的值').fill('礼盒 简装');
  await p.getByLabel('规格2的值').press('Tab');
  const rows = [
    ['250g / 礼盒', '88', '10'],
    ['250g / 简装', '68', '0'],
    ['500g / 礼盒', '158', '5'],
    ['500g / 简装', '128', '8'],
  ];
  for (const [label, price, stock] of rows) {
    await p.getByLabel(`${label} 售价`).fill(price);
    await p.getByLabel(`${label} 库存`).fill(stock);
  }
  await p.screenshot({ path: join(shotsDir, 'merchant-product-editor.png'), fullPage: true });
  // a new product's first listing goes to 商品审核
  await p.getByRole('button', { name: '保存并提交审核' }).click();
  await p.waitForURL(/\/merchant\/products\/\d+\?saved=1/);
  await p.locator('[data-test=stock-log]').waitFor();
  await p.getByText('商品正在平台审核中').waitFor();
  assert.deepEqual(owner.errors, []);

  // 3b. the reviewer approves it from 商品管理 › 待审核; it is on sale at once
  await reviewer.page.goto(`${server.base}/admin/products?status=pending_review`);
  await hydrated(reviewer.page);
  const row = reviewer.page.locator('tr', { hasText: '雷公山银球茶' });
  await reviewer.page.screenshot({ path: join(shotsDir, 'admin-product-review.png'), fullPage: true });
  await submitted(reviewer.page, '/api/admin/products/review', () => row.locator('[data-test=approve-product]').click());
  assert.equal(await reviewer.page.locator('tr', { hasText: '雷公山银球茶' }).count(), 0, 'no longer waiting');

  // 4. a shopper finds it by a Chinese word of its title at 375 px and picks a spec
  const buyer = await newPage(PHONE);
  await buyer.page.goto(`${server.base}/`);
  await hydrated(buyer.page);
  await buyer.page.getByRole('searchbox', { name: '搜索商品' }).fill('银球茶');
  await buyer.page.getByRole('searchbox', { name: '搜索商品' }).press('Enter');
  await buyer.page.waitForURL(/\/search\?q=/);
  const card = buyer.page.getByRole('link', { name: /雷公山银球茶/ });
  await card.waitFor();
  await buyer.page.screenshot({ path: join(shotsDir, 'h5-search.png') });
  await card.click();
  await buyer.page.waitForURL(/\/product\/\d+/);
  await hydrated(buyer.page);
  const picker = buyer.page.locator('[data-test=spec-picker]');
  assert.equal(await buyer.page.locator('[data-test=price]').innerText(), '¥68.00-158.00');
  await picker.getByRole('link', { name: '250g' }).click();
  // 250g / 简装 has no stock: it is shown but cannot be chosen
  await picker.locator('[aria-disabled=true]', { hasText: '简装' }).waitFor();
  await picker.getByRole('link', { name: '礼盒' }).click();
  await buyer.page.locator('[data-test=chosen-sku]', { hasText: '库存 10 件' }).waitFor();
  assert.equal(await buyer.page.locator('[data-test=price]').innerText(), '¥88.00');
  await buyer.page.screenshot({ path: join(shotsDir, 'h5-product.png'), fullPage: true });
  assert.deepEqual(buyer.errors, []);

  for (const s of [shopper, reviewer, owner, buyer]) await s.context.close();
});

test('search works before the wasm loads: filters, sorts and pages are plain links', async () => {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}/search?q=${encodeURIComponent('辣椒酱')}`);
  const count = await page.locator('[data-test=result-count]').innerText();
  assert.match(count, /共 \d+ 件商品/);
  await page.getByRole('link', { name: '价格' }).click();
  assert.match(page.url(), /sort=price_asc/);
  const prices = await page.locator('[data-test=product-grid] .text-promo').allInnerTexts();
  const fen = prices.map((t) => Math.round(parseFloat(t.replace(/[^\d.]/g, '')) * 100));
  assert.deepEqual([...fen].sort((a, b) => a - b), fen, 'cheapest first');
  await page.locator('[data-test=product-grid] a').first().click();
  await page.locator('[data-test=spec-picker]').waitFor();
  await context.close();
});
