// Reviews in Chromium: a demo shopper (375 px) finds an order 待评价, reviews it with four stars,
// words and a photo, and sees it in 我的评价 and on the product page; the shop replies in its
// console; a platform operator hides it with a reason and the product page no longer lists it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, hydrated, signIn, submitted, PHONE, DESKTOP, DEMO_PASSWORD, shotsDir } from '../server.mjs';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
let server;
let browser;

before(async () => {
  server = await startServer({}, ['--orders']);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('待评价 → review with stars and a photo → product page → shop replies → platform hides it', async () => {
  const shopper = await openPage(browser, PHONE);
  const page = shopper.page;
  await signIn(page, server.base, '/login', '13800000001', DEMO_PASSWORD);

  // the demo left one order of this shopper waiting for its review
  await page.goto(`${server.base}/me/reviews`);
  const waiting = page.locator('[data-test=waiting-reviews] a').first();
  await waiting.waitFor();
  await waiting.click();
  await page.waitForURL(/\/orders\/\d+\/review$/);
  await hydrated(page);
  const line = page.locator('[data-test=review-line]').first();
  await line.locator('label[title="4 星"]').click();
  const words = `回购第三次了，${Date.now() % 1000} 号批次也很新鲜`;
  await line.locator('textarea').fill(words);
  await page.setInputFiles('[data-test="upload-lines[0][images]"]', join(fixtures, 'product.png'));
  // the photo's thumbnail in the upload field (the line's own picture is above it)
  await line.locator('div.field img[src^="/media/"]').first().waitFor();
  await page.screenshot({ path: join(shotsDir, 'h5-review-form.png'), fullPage: true });
  await page.locator('[data-test=submit-review]').click();
  await page.waitForURL(/\/me\/reviews$/);
  const mine = page.locator('[data-test=review]', { hasText: words });
  await mine.waitFor();
  assert.match(await mine.innerText(), /★★★★☆/);
  assert.equal(await mine.locator('img').count(), 1, 'the photo is on the review');
  await page.screenshot({ path: join(shotsDir, 'h5-my-reviews.png'), fullPage: true });

  // everyone sees it on the product's review list, under 有图 too
  const productPath = await mine.locator('xpath=preceding-sibling::a[1]').getAttribute('href');
  await page.goto(`${server.base}${productPath}/reviews?filter=photos`);
  await page.locator('[data-test=review]', { hasText: words }).waitFor();
  await page.goto(`${server.base}${productPath}`);
  await page.locator('[data-test=review-strip]').waitFor();
  await page.locator('[data-test=review-strip]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shotsDir, 'h5-product-reviews.png'), fullPage: true });
  await page.goto(`${server.base}${productPath}/reviews`);
  const summary = await page.locator('[data-test=review-summary]').innerText();
  assert.match(summary, /好评率/);

  // the shop replies from 评价管理
  const shopName = await reviewShop(page, words);
  const owner = await openPage(browser, DESKTOP);
  await signIn(owner.page, server.base, '/merchant/login', shopLogin(shopName), DEMO_PASSWORD);
  await owner.page.goto(`${server.base}/merchant/reviews?filter=unreplied`);
  await hydrated(owner.page);
  const item = owner.page.locator('[data-test=console-review]', { hasText: words });
  await item.locator('textarea').first().fill('谢谢您的回购，新茶上市再通知您！');
  await submitted(owner.page, '/api/merchant/reviews/reply', () => item.locator('[data-test=reply-review]').first().click());
  await owner.page.goto(`${server.base}/merchant/reviews`);
  await owner.page.locator('[data-test=console-review]', { hasText: '谢谢您的回购' }).waitFor();
  await owner.page.screenshot({ path: join(shotsDir, 'console-reviews.png'), fullPage: true });

  // a platform operator hides it with a reason: gone from the product page, the reason shown to its author
  const admin = await openPage(browser, DESKTOP);
  await signIn(admin.page, server.base, '/admin/login', 'operator', DEMO_PASSWORD);
  await admin.page.goto(`${server.base}/admin/reviews`);
  await hydrated(admin.page);
  const target = admin.page.locator('[data-test=console-review]', { hasText: words });
  await target.locator('input[name=reason]').fill('测试隐藏：含有广告');
  await submitted(admin.page, '/api/admin/reviews/moderate', () => target.locator('[data-test=hide-review]').click());
  await admin.page.goto(`${server.base}/admin/reviews?filter=hidden`);
  await admin.page.locator('[data-test=console-review]', { hasText: words }).locator('[data-test=review-hidden]').waitFor();
  await page.goto(`${server.base}${productPath}/reviews`);
  assert.equal(await page.locator('[data-test=review]', { hasText: words }).count(), 0);
  await page.goto(`${server.base}/me/reviews`);
  await page.locator('[data-test=review]', { hasText: words }).locator('[data-test=review-hidden]').waitFor();
});

/** The shop of the review showing `words` on the shopper's 我的评价 (via the product page). */
async function reviewShop(page, words) {
  await page.goto(`${server.base}/me/reviews`);
  const card = page.locator('[data-test=review]', { hasText: words });
  const link = card.locator('xpath=preceding-sibling::a[1]');
  await page.goto(`${server.base}${await link.getAttribute('href')}`);
  return (await page.locator('[data-test=shop-card] p').first().innerText()).trim();
}

/** The demo login of a demo shop. */
function shopLogin(name) {
  const logins = {
    都匀毛尖茶庄: 'duyun_tea',
    遵义辣椒酱坊: 'zunyi_chili',
    丹寨苗族蜡染: 'miao_batik',
    昭通高原苹果园: 'zhaotong_apple',
    大方天麻合作社: 'dafang_tianma',
    普洱古树茶行: 'puer_tea',
  };
  assert.ok(logins[name], `a demo shop: ${name}`);
  return logins[name];
}
