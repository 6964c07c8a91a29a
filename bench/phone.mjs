// The phone benchmark (run by bench/phone.sh): Chromium at 375 px over a throttled network with a
// slowed CPU opens the shopper's pages cold (empty cache) and warm (same browser, again), and
// the consoles on fast 4G. Per page: bytes transferred (all, and before the page was
// interactive), FCP, LCP, CLS and the time until the page is interactive: its islands are
// hydrated (`<html data-hydrated>`, set by the islands loader; at once on a page without
// islands, whose links and forms work as plain HTML). Before islands the mark meant the whole
// page was hydrated. Prints a Markdown report on stdout.
import { startServer, launchBrowser, signIn, addFirstFound, PHONE, DESKTOP, DEMO_PASSWORD } from '../end2end/server.mjs';

// Chromium's throughput is in bytes per second; latency is the round trip in ms
const PROFILES = {
  'slow 4G': { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0, cpu: 4 },
  'fast 4G': { latency: 40, downloadThroughput: (9e6 / 8) | 0, uploadThroughput: (1.5e6 / 8) | 0, cpu: 4 },
};

// Collected in the page from its first byte: paint timings, layout shifts, the hydration mark.
const OBSERVE = () => {
  const m = { lcp: 0, cls: 0, interactive: null };
  window.__phone = m;
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) m.lcp = Math.max(m.lcp, e.startTime);
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) m.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const mark = () => {
    if (m.interactive === null && document.documentElement.dataset.hydrated === 'true') m.interactive = performance.now();
  };
  new MutationObserver(mark).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

/** Opens `path` in `page` under `profile`; what it cost and when it was ready. */
async function measure(page, cdp, base, path, profile) {
  const { cpu, ...net } = PROFILES[profile];
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, ...net });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  const finished = [];
  const onDone = (e) => finished.push({ bytes: e.encodedDataLength, at: Date.now() });
  cdp.on('Network.loadingFinished', onDone);
  const start = Date.now();
  await page.goto(base + path, { waitUntil: 'load', timeout: 120000 });
  await page.waitForFunction(() => window.__phone.interactive !== null, null, { timeout: 120000, polling: 100 });
  // late layout shifts and the last LCP candidate
  await page.waitForTimeout(500);
  const m = await page.evaluate(() => ({
    ...window.__phone,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  }));
  cdp.off('Network.loadingFinished', onDone);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  const readyAt = start + m.interactive;
  return {
    bytes: finished.reduce((s, f) => s + f.bytes, 0),
    bytesBeforeInteractive: finished.filter((f) => f.at <= readyAt).reduce((s, f) => s + f.bytes, 0),
    requests: finished.length,
    fcp: m.fcp,
    lcp: m.lcp,
    cls: m.cls,
    interactive: m.interactive,
  };
}

async function newPage(browser, viewport) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  await context.addInitScript(OBSERVE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp };
}

const server = await startServer();
const browser = await launchBrowser();
const rows = [];
try {
  // a shopper with two shops' products in the cart, for the cart and checkout pages
  const { context: session, page: setup } = await newPage(browser, PHONE);
  await signIn(setup, server.base, '/login', '13800000001', DEMO_PASSWORD);
  await addFirstFound(setup, server.base, '毛尖');
  await addFirstFound(setup, server.base, '辣椒酱');
  await setup.locator('[data-test=to-checkout]').click();
  await setup.locator('[data-test=checkout-total]').waitFor();
  const checkout = new URL(setup.url());
  const cookies = await session.cookies();
  await session.close();

  const h5 = [
    ['首页', '/'],
    ['搜索', `/search?q=${encodeURIComponent('辣椒酱')}`],
    ['商品', '/product/1'],
    ['店铺', '/shop/1'],
    ['购物车', '/cart', true],
    ['结算', checkout.pathname + checkout.search, true],
    // an island (the password toggle): the shop's bundle is fetched
    ['登录', '/login'],
  ];
  for (const [name, path, signedIn] of h5) {
    const { context, page, cdp } = await newPage(browser, PHONE);
    if (signedIn) await context.addCookies(cookies);
    const cold = await measure(page, cdp, server.base, path, 'slow 4G');
    const warm = await measure(page, cdp, server.base, path, 'slow 4G');
    rows.push({ name, path, profile: 'slow 4G', cold, warm });
    await context.close();
  }
  for (const [name, path, login, who] of [
    ['商家 商品', '/merchant/products', '/merchant/login', 'duyun_tea'],
    // the product editor is an island: the consoles' bundle is fetched
    ['商家 编辑商品', '/merchant/products/1', '/merchant/login', 'duyun_tea'],
    ['平台 商户', '/admin/merchants', '/admin/login', 'admin'],
  ]) {
    const { context, page, cdp } = await newPage(browser, DESKTOP);
    await signIn(page, server.base, login, who, DEMO_PASSWORD);
    await page.goto('about:blank');
    const cold = await measure(page, cdp, server.base, path, 'fast 4G');
    const warm = await measure(page, cdp, server.base, path, 'fast 4G');
    rows.push({ name, path, profile: 'fast 4G', cold, warm });
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}

const kb = (b) => (b / 1024).toFixed(0);
const s = (ms) => (ms === null ? '—' : (ms / 1000).toFixed(2));
console.log('| page | profile | cold: KiB (before interactive) | FCP s | LCP s | CLS | interactive s | warm: KiB | warm interactive s |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const c = r.cold;
  console.log(
    `| ${r.name} \`${r.path.split('?')[0]}\` | ${r.profile} | ${kb(c.bytes)} (${kb(c.bytesBeforeInteractive)}) | ${s(c.fcp)} | ${s(c.lcp)} | ${c.cls.toFixed(3)} | ${s(c.interactive)} | ${kb(r.warm.bytes)} | ${s(r.warm.interactive)} |`,
  );
}
