// Ad-hoc screenshots for looking at pages by eye: node end2end/shoot.mjs <out dir>
import { startServer, launchBrowser, PHONE, DESKTOP, DEMO_PASSWORD } from './server.mjs';
import { join } from 'node:path';
const out = process.argv[2] || '/tmp';
const server = await startServer();
const browser = await launchBrowser();
async function shot(viewport, path, name, login) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.log('pageerror', path, e.message));
  if (login) {
    await page.goto(server.base + login[0]);
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
    await page.fill('input[name=login]', login[1]);
    await page.fill('input[name=password]', DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('login'));
  }
  const r = await page.goto(server.base + path);
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true').catch(() => {});
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, name + '.png'), fullPage: viewport === PHONE });
  console.log(name, r.status());
  await ctx.close();
}
const shopper = ['/login', '13800000001'];
const merchant = ['/merchant/login', 'duyun_tea'];
const admin = ['/admin/login', 'admin'];
for (const [vp, path, name, login] of [
  [PHONE, '/', 'home'],
  [PHONE, '/search?q=%E8%BE%A3%E6%A4%92%E9%85%B1', 'search'],
  [PHONE, '/product/1?s0=100g', 'product'],
  [PHONE, '/shop/1', 'shop'],
  [PHONE, '/apply', 'apply', shopper],
  [DESKTOP, '/merchant/products', 'm-products', merchant],
  [DESKTOP, '/merchant/products/1', 'm-editor', merchant],
  [DESKTOP, '/merchant/shop', 'm-shop', merchant],
  [DESKTOP, '/merchant/staff', 'm-staff', merchant],
  [DESKTOP, '/admin/merchants', 'a-merchants', admin],
  [DESKTOP, '/admin/products', 'a-products', admin],
  [DESKTOP, '/admin/applications?status=all', 'a-apps', admin],
  [PHONE, '/cart', 'cart', shopper],
  [PHONE, '/orders', 'orders', shopper],
  [PHONE, '/addresses', 'addresses', shopper],
  [PHONE, '/product/999999', 'product-missing'],
  [DESKTOP, '/merchant', 'm-home', merchant],
  [DESKTOP, '/merchant/orders', 'm-orders', merchant],
  [DESKTOP, '/merchant/finance/bills', 'm-bills', merchant],
  [DESKTOP, '/admin', 'a-home', admin],
  [DESKTOP, '/admin/orders', 'a-orders', admin],
  [DESKTOP, '/admin/finance', 'a-finance', admin],
  [DESKTOP, '/admin/categories', 'a-categories', admin],
  [DESKTOP, '/merchant/finance', 'm-finance', merchant],
  [DESKTOP, '/merchant/finance/ledger', 'm-ledger', merchant],
  [DESKTOP, '/merchant/after-sales', 'm-after-sales', merchant],
  [DESKTOP, '/merchant/shipping', 'm-shipping', merchant],
  [DESKTOP, '/admin/finance/withdrawals', 'a-withdrawals', admin],
  [DESKTOP, '/admin/finance/ledger', 'a-ledger', admin],
  [DESKTOP, '/admin/finance/report', 'a-report', admin],
  [PHONE, '/coupons', 'coupons', shopper],
  [PHONE, '/me/coupons', 'my-coupons', shopper],
  [DESKTOP, '/merchant/marketing', 'm-marketing', merchant],
  [DESKTOP, '/merchant/marketing/coupons/new', 'm-coupon-new', merchant],
  [DESKTOP, '/merchant/marketing/full-reductions/new', 'm-full-reduction-new', merchant],
  [DESKTOP, '/admin/coupons', 'a-coupons', admin],
  [DESKTOP, '/admin/coupons/new', 'a-coupon-new', admin],
  [DESKTOP, '/admin/coupons?push=4', 'a-coupon-push', admin],
]) await shot(vp, path, name, login);
await browser.close();
await server.stop();
