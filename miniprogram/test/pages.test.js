/**
 * @jest-environment jsdom
 *
 * Pages rendered with answers written here (no server): what a shopper sees of hostile text,
 * sold-out specs, the cart's full-reduction hints and the buttons an order offers.
 */
const h = require('./harness.js');

/** A `wx` whose requests are answered from `routes` (`"GET /path"` → data or a function). */
async function cannedWx(routes) {
  const w = h.fakeWx();
  w.sent = [];
  w.request = (o) => {
    const status = (routes.status || {})[(o.method || 'GET') + ' ' + o.url.replace(/^https?:\/\/[^/]+\/api\/mp\/v1/, '').split('?')[0]];
    const path = o.url.replace(/^https?:\/\/[^/]+\/api\/mp\/v1/, '').split('?')[0];
    const key = (o.method || 'GET') + ' ' + path;
    w.sent.push({ key, url: o.url, data: o.data });
    const answer = key === 'POST /auth/wx-login' ? { token: 't', expires_at: 0, is_new_user: false, user: { id: 1, nickname: 'x' } } : routes[key];
    setTimeout(() => {
      if (status) o.success({ statusCode: status[0], data: { code: status[0] * 100, msg: status[1], data: null } });
      else if (answer === undefined) o.success({ statusCode: 404, data: { code: 40400, msg: '不存在', data: null } });
      else o.success({ statusCode: 200, data: { code: 0, msg: 'ok', data: typeof answer === 'function' ? answer(o) : answer } });
    }, 0);
  };
  await h.install(w, 'http://127.0.0.1:9/api/mp/v1');
  return w;
}

const HOSTILE = '<img src=x onerror=alert(1)>";--';

const product = {
  id: 7,
  title: HOSTILE,
  subtitle: '',
  brand: '',
  origin: '贵州·遵义',
  category_id: 1,
  category_name: '辣椒',
  description: '<script>alert(1)</script>',
  images: ['k1'],
  spec_dims: [{ name: '辣度', values: ['微辣', '特辣'] }],
  skus: [
    { id: 70, spec_values: ['微辣'], price: 1990, original_price: 2590, stock: 0 },
    { id: 71, spec_values: ['特辣'], price: 2190, original_price: 2190, stock: 5 },
  ],
  min_price: 1990,
  max_price: 2190,
  sales: 12,
  created_at: 0,
  shop: { id: 3, name: '遵义辣椒', logo: '', region: '贵州', product_count: 4 },
};

test('a product page shows hostile text as text and offers only specs in stock', async () => {
  const w = await cannedWx({
    'GET /products/7': product,
    'GET /coupons/claimable': [],
    'GET /shops/3/full-reductions': [{ id: 1, title: '满减', label: '满¥50.00减¥5.00', product_ids: [], ends_at: 0 }],
    'GET /products/7/reviews': {
      summary: { total: 3, rating_x10: 47, positive_rate_bps: 6667, positive: 2, neutral: 1, negative: 0, with_photos: 0, with_append: 0, automatic: 1 },
      rows: [{ id: 9, product_id: 7, order_id: 1, title: HOSTILE, spec_label: '特辣', image: '', reviewer: HOSTILE, goods_stars: 4, service_stars: 5,
        logistics_stars: 5, content: 'review ' + HOSTILE, images: [], automatic: false, at: 0, reply: { content: 'reply ' + HOSTILE, at: 0 },
        append: null, hidden_reason: null, actions: [] }],
      page: 1,
      matching: 2,
    },
  });
  const page = await h.openPage('product', { id: '7' });
  expect(page.dom.querySelector('img')).toBeNull();
  expect(page.dom.querySelector('script')).toBeNull();
  expect(page.dom.textContent).toContain(HOSTILE);
  expect(page.dom.textContent).toContain('满¥50.00减¥5.00');
  // the review strip: figures, the review and the shop's reply as text
  expect(page.instance.data.reviewRate).toBe('好评率 66.7%');
  expect(page.dom.textContent).toContain('商品评价（3）');
  expect(page.dom.textContent).toContain('review ' + HOSTILE);
  expect(page.dom.textContent).toContain('reply ' + HOSTILE);
  expect(page.dom.textContent).toContain('★★★★☆');
  // the sold-out 微辣 is not picked first; 特辣 is, at its price
  expect(h.text(page, '.price-big')).toBe('¥21.90');
  await h.tap(w, page, 'buy-now');
  const values = h.all(page, 'spec-value');
  expect(values.map((v) => v.className.includes('off'))).toEqual([true, false]);
  // picking the sold-out value leaves no SKU: buying is refused on the page
  await h.tap(w, page, 'spec-value', 1); // unpick 特辣
  await h.tap(w, page, 'spec-confirm');
  expect(w.toasts.pop()).toBe('请选择辣度');
  await h.tap(w, page, 'spec-value', 1);
  await h.tap(w, page, 'spec-confirm');
  expect(w.nav.pop()).toBe('/pages/checkout/index?lines=71:1');
});

test('the cart shows each shop’s full-reduction hint and sets unbuyable lines apart', async () => {
  const line = (id, sel) => ({ id, sku_id: id * 10, product_id: id, title: '商品' + id, spec_label: '', image: '', price: 1000, qty: 2, stock: 9, selected: sel, invalid: null });
  await cannedWx({
    'GET /cart': {
      shops: [{ merchant_id: 1, shop_name: '都匀茶', lines: [line(1, true), line(2, false)], promotion_hints: ['再买 ¥30.00 减 ¥10.00'] }],
      invalid: [Object.assign(line(3, false), { invalid: '已下架' })],
      selected_qty: 2,
      selected_goods: 2000,
    },
  });
  const page = await h.openPage('cart');
  expect(h.all(page, 'promotion-hint')[0].textContent).toContain('再买 ¥30.00 减 ¥10.00');
  expect(h.all(page, 'cart-line')).toHaveLength(2);
  expect(page.dom.textContent).toContain('已下架');
  expect(h.all(page, 'cart-checkout')[0].textContent).toBe('结算(2)');
  expect(h.text(page, '.price-big')).toBe('¥20.00');
});

test('an order offers the buttons the server lists, and none it does not', async () => {
  const summary = (id, status, actions, open) => ({
    id, order_no: 'O' + id, trade_no: 'T' + id, status, shop_id: 1, shop_name: '都匀茶', items: [], goods_amount: 100,
    discount: 0, shipping_fee: 0, pay_amount: 100, refunded_amount: 0, delivery: 'express', created_at: 0,
    pay_deadline: null, after_sale_open: !!open, actions,
  });
  await cannedWx({
    'GET /orders': { orders: [summary(1, 'unpaid', ['pay', 'cancel']), summary(2, 'shipped', ['confirm_receipt', 'request_after_sale'], true)], total: 2, page: 1, page_size: 10 },
  });
  const page = await h.openPage('orders', { tab: 'all' });
  expect(h.all(page, 'order-pay')).toHaveLength(1);
  expect(h.all(page, 'order-cancel')).toHaveLength(1);
  expect(h.all(page, 'order-confirm_receipt')).toHaveLength(1);
  // an after-sale already open on the shipped order: no second request button
  expect(h.all(page, 'order-request_after_sale')).toHaveLength(0);
  expect(page.dom.textContent).toContain('待收货 · 售后中');
});

const previewOf = (total) => ({
  address: { id: 5, receiver: '张三', phone: '13912345678', phone_masked: '139****5678', province: '贵州省', city: '贵阳市', district: '云岩区', detail: '中华北路 1 号', is_default: true },
  shops: [{
    merchant_id: 1, shop_name: '都匀毛尖茶庄', delivery: 'express', delivers: true, pickup_address: '', remark: '',
    lines: [{ sku_id: 10, product_id: 1, title: '毛尖', spec_label: '250g', image: '', unit_price: total, qty: 1, discount: 0, pay_amount: total }],
    amounts: { goods: total, merchant_discount: 0, platform_discount: 0, shipping: 0, payable: total },
    coupons: [], coupon_id: null, discounts: [], free_shipping: false,
  }],
  goods: total, shipping: 0, discount: 0, total, platform_coupons: [], platform_coupon_id: null, submit_key: 'key-0001',
});

test('a SKU sold out at submit: the server’s message is shown, the page priced again, nothing paid', async () => {
  const w = await cannedWx({
    'POST /checkout/preview': previewOf(3000),
    status: { 'POST /checkout/submit': [409, '「毛尖 250g」库存不足，仅剩 0 件'] },
  });
  const page = await h.openPage('checkout', { lines: '10:1' });
  expect(h.text(page, '.price-big')).toBe('¥30.00');
  await h.tap(w, page, 'submit-order');
  expect(w.toasts).toContain('「毛尖 250g」库存不足，仅剩 0 件');
  expect(w.sent.filter((r) => r.key === 'POST /checkout/preview')).toHaveLength(2);
  expect(w.sent.filter((r) => r.key.startsWith('POST /trades/'))).toHaveLength(0);
  expect(w.nav).toEqual([]);
  // the submit asked for what the preview showed, with its key
  const submit = w.sent.find((r) => r.key === 'POST /checkout/submit').data;
  expect(submit).toMatchObject({ idempotency_key: 'key-0001', address_id: 5, platform_coupon_id: 0, shops: [{ merchant_id: 1, coupon_id: 0 }] });
});

test('paid on the phone but the notification is late: the result says so and offers no second payment', async () => {
  const config = require('../config.js');
  config.payPollEveryMs = 5;
  config.payPollTimes = 3;
  const w = await cannedWx({ 'GET /orders/8': { order: { summary: { status: 'unpaid' } }, after_sales: [] } });
  const page = await h.openPage('pay-result', { trade: 'T8', order: '8', tried: '1' });
  expect(h.all(page, 'pay-state')[0].textContent).toBe('支付结果确认中');
  expect(h.all(page, 'pay-again')).toHaveLength(0);
  expect(h.all(page, 'pay-refresh')).toHaveLength(1);
  expect(w.sent.filter((r) => r.key === 'GET /orders/8')).toHaveLength(3);
  // cancelled in the payment sheet: unpaid, pay again
  const cancelled = await h.openPage('pay-result', { trade: 'T8', order: '8' });
  expect(h.all(cancelled, 'pay-state')[0].textContent).toBe('尚未支付');
  expect(h.all(cancelled, 'pay-again')).toHaveLength(1);
});

test('an empty cart says so and offers the way back to shopping', async () => {
  const w = await cannedWx({ 'GET /cart': { shops: [], invalid: [], selected_qty: 0, selected_goods: 0 } });
  const page = await h.openPage('cart');
  expect(page.dom.textContent).toContain('购物车还是空的');
  await h.tap(w, page, 'cart-checkout');
  expect(w.toasts.pop()).toBe('请选择要结算的商品');
  expect(w.nav).toEqual([]);
});

test('home cards show a price range as 「起」 and a tap opens the product', async () => {
  const card = (id, min, max) => ({ id, title: '商品' + id, subtitle: '', image: '', min_price: min, max_price: max, sales: 3, origin: '贵州', shop_id: 1, shop_name: '都匀毛尖茶庄', skus: [] });
  const w = await cannedWx({
    'GET /home': { banners: [], categories: [{ id: 2, name: '茶叶', icon: '🍵' }], recommended: [card(5, 1290, 1590), card(6, 990, 990)] },
  });
  const page = await h.openPage('home');
  const cards = h.all(page, 'product-card').map((c) => c.textContent);
  expect(cards[0]).toContain('¥12.90 起');
  expect(cards[1]).toContain('¥9.90');
  expect(cards[1]).not.toContain('起');
  await h.tap(w, page, 'product-card', 1);
  expect(w.nav.pop()).toBe('/pages/product/index?id=6');
});

test('the 秒杀 page counts down from the server’s clock and buys one item through the checkout', async () => {
  const now = Date.now() - 3600 * 1000; // the phone's clock is an hour ahead of the server's
  const itemOf = (id, sold, quantity) => ({
    id, event_id: 1, merchant_id: 2, shop_name: '都匀毛尖茶庄', product_id: 5, sku_id: 50 + id,
    title: '高山毛尖', spec_label: '250g', image: '', slot: { starts_at: now - 60000, ends_at: now + 3600 * 1000 },
    phase: 'running', price: 990, normal_price: 2590, quantity, sold, sold_percent: Math.floor((sold * 100) / quantity),
    per_user_limit: 2, per_order_limit: 1, status: 'approved', status_label: '已通过', reason: '',
  });
  const w = await cannedWx({
    'GET /flash-sales': {
      now,
      slots: [
        { slot: { starts_at: now - 60000, ends_at: now + 3600 * 1000 }, phase: 'running', label: '12-05 10:00', items: [itemOf(1, 12, 30), itemOf(2, 30, 30)] },
        { slot: { starts_at: now + 3 * 3600 * 1000, ends_at: now + 6 * 3600 * 1000 }, phase: 'upcoming', label: '12-05 13:00', items: [] },
      ],
    },
  });
  const page = await h.openPage('flash-sale');
  const items = h.all(page, 'flash-item').map((i) => i.textContent);
  expect(items[0]).toContain('¥9.90');
  expect(items[0]).toContain('已抢 40%');
  expect(items[1]).toContain('已抢光');
  // an hour left by the server's clock, whatever the phone says
  expect(h.all(page, 'countdown')[0].textContent).toMatch(/^(1:00:00|59:5\d)$/);
  expect(h.all(page, 'flash-buy')).toHaveLength(1);
  await h.tap(w, page, 'flash-buy');
  const url = w.nav.pop();
  expect(url).toBe('/pages/checkout/index?lines=' + encodeURIComponent('51:1') + '&flash=1');
  page.instance.stopClock();
});

const activityOf = (now, skus) => ({
  id: 3, merchant_id: 2, shop_name: '昭通果园', product_id: 9, product_title: '昭通苹果', image: '', title: '昭通苹果两人团',
  starts_at: now - 3600 * 1000, ends_at: now + 7 * 86400 * 1000, window: '12-01 10:00 ~ 12-08 22:00', group_size: 3,
  lifetime_hours: 24, per_order_limit: 1, per_user_limit: 2, virtual_fill: true, virtual_max: 1, status: 'active',
  phase_label: '进行中', selling: true, from_price: 3990, from_normal_price: 5000, skus, open_groups: 1, succeeded_groups: 0,
});
const skuOf = (sku_id, spec_label, price, sold, quantity) => ({ sku_id, spec_label, price, normal_price: price + 1010, quantity, sold });
const face = (name, leader) => ({ name, avatar: '', leader, joined_at: 0 });

test('a group’s share page draws paid members and free seats, counts down from the server’s clock and joins through the checkout', async () => {
  const now = Date.now() - 3600 * 1000; // the phone's clock is an hour ahead of the server's
  const w = await cannedWx({
    'GET /groups/45': {
      group: { id: 45, activity_id: 3, size: 3, paid: 1, seats_left: 1, virtual_count: 0, status: 'open', status_label: '拼团中',
        expires_at: now + 3600 * 1000, members: [face(HOSTILE, true)] },
      activity: activityOf(now, [skuOf(31, '5斤', 3990, 4, 20), skuOf(32, '10斤', 6990, 10, 10)]),
      now, my_status: null, my_order_id: null, cannot_join: '',
    },
  });
  const page = await h.openPage('group', { id: '45' });
  expect(page.dom.querySelector('img')).toBeNull();
  // one paid member (the leader), one seat held by an order being paid, one free seat
  const members = h.all(page, 'group-member');
  expect(members).toHaveLength(1);
  expect(members[0].textContent).toContain(HOSTILE);
  expect(h.all(page, 'group-leader')).toHaveLength(1);
  expect(h.all(page, 'group-seat')).toHaveLength(2);
  expect(h.all(page, 'group-short')[0].textContent).toBe('2');
  expect(h.all(page, 'countdown')[0].textContent).toMatch(/^(1:00:00|59:5\d)$/);
  // the sold-out 10斤 offers nothing to buy
  const joins = h.all(page, 'group-join');
  expect(joins.map((j) => j.textContent)).toEqual(['5斤 ¥39.90 参团']);
  await h.tap(w, page, 'group-join');
  expect(w.nav.pop()).toBe('/pages/checkout/index?lines=' + encodeURIComponent('31:1') + '&group_buy=3&group=45');
  expect(page.instance.onShareAppMessage().path).toBe('/pages/group/index?id=45');
  // a visitor has no order and no share button
  expect(h.all(page, 'group-my-order')).toHaveLength(0);
  expect(h.all(page, 'group-share')).toHaveLength(0);
  page.instance.stopClock();
});

test('a group filled by the system shows its members only, the rest as a number, and the member’s own order', async () => {
  const now = Date.now();
  await cannedWx({
    'GET /groups/46': {
      group: { id: 46, activity_id: 3, size: 3, paid: 2, seats_left: 0, virtual_count: 1, status: 'succeeded', status_label: '拼团成功',
        expires_at: now - 1000, members: [face('张**', true), face('李**', false)] },
      activity: activityOf(now, [skuOf(31, '', 3990, 4, 20)]),
      now, my_status: 'joined', my_order_id: 88, cannot_join: '您已在这个团中',
    },
  });
  const page = await h.openPage('group', { id: '46' });
  expect(h.all(page, 'group-member')).toHaveLength(2);
  expect(h.all(page, 'group-seat')).toHaveLength(0);
  expect(h.all(page, 'group-ended')[0].textContent).toBe('拼团成功');
  expect(h.all(page, 'group-virtual')[0].textContent).toBe('另有 1 个名额由系统补位');
  expect(h.all(page, 'group-join')).toHaveLength(0);
  expect(h.all(page, 'group-cannot-join')[0].textContent).toBe('您已在这个团中');
  expect(h.all(page, 'group-my-order')).toHaveLength(1);
  // nothing left to invite anyone to
  expect(h.all(page, 'group-share')).toHaveLength(0);
  expect(page.instance.timer).toBeNull();
});

test('the 拼团 list shows each activity’s group price against the normal one and opens the product', async () => {
  const now = Date.now();
  const w = await cannedWx({ 'GET /group-buys': [activityOf(now, [skuOf(31, '5斤', 3990, 4, 20)])] });
  const page = await h.openPage('group-buy');
  const items = h.all(page, 'group-buy-item').map((i) => i.textContent);
  expect(items).toHaveLength(1);
  expect(items[0]).toContain('3人团');
  expect(items[0]).toContain('¥39.90');
  expect(items[0]).toContain('¥50.00');
  expect(items[0]).toContain('1 个团正在拼');
  await h.tap(w, page, 'group-buy-item');
  expect(w.nav.pop()).toBe('/pages/product/index?id=9');
  // none selling: said so
  await cannedWx({ 'GET /group-buys': [] });
  const empty = await h.openPage('group-buy');
  expect(h.all(empty, 'no-group-buy')).toHaveLength(1);
});

test('a product in a 拼团 opens a group per SKU and lists the open groups to join', async () => {
  const now = Date.now() - 3600 * 1000;
  const w = await cannedWx({
    'GET /products/7': product,
    'GET /products/7/group-buy': {
      activity: activityOf(now, [skuOf(70, '微辣', 1590, 0, 10), skuOf(71, '特辣', 1790, 10, 10)]),
      groups: [{ id: 45, activity_id: 3, size: 3, paid: 1, seats_left: 2, virtual_count: 0, status: 'open', status_label: '拼团中',
        expires_at: now + 3600 * 1000, members: [face('王**', true)] }],
      now,
    },
  });
  const page = await h.openPage('product', { id: '7' });
  expect(h.all(page, 'group-strip')).toHaveLength(1);
  expect(h.all(page, 'group-open').map((b) => b.textContent)).toEqual(['微辣 发起拼团']);
  const rows = h.all(page, 'group-open-row').map((r) => r.textContent);
  expect(rows[0]).toContain('王**');
  expect(rows[0]).toMatch(/还差 2 人 · 剩余 (1:00:00|59:5\d)/);
  await h.tap(w, page, 'group-open');
  expect(w.nav.pop()).toBe('/pages/checkout/index?lines=' + encodeURIComponent('70:1') + '&group_buy=3');
  await h.tap(w, page, 'group-join');
  expect(w.nav.pop()).toBe('/pages/group/index?id=45');
  page.instance.stopClock();
});

test('a 拼团 checkout asks for the group price of the one line, opening a group or joining one', async () => {
  const w = await cannedWx({ 'POST /checkout/preview': previewOf(3990) });
  await h.openPage('checkout', { lines: encodeURIComponent('31:1'), group_buy: '3', group: '45' });
  expect(w.sent.find((r) => r.key === 'POST /checkout/preview').data).toMatchObject({ lines: [{ sku_id: 31, qty: 1 }], group_buy_id: 3, group_id: 45 });
  const w2 = await cannedWx({ 'POST /checkout/preview': previewOf(3990) });
  await h.openPage('checkout', { lines: encodeURIComponent('31:1'), group_buy: '3' });
  const body = w2.sent.find((r) => r.key === 'POST /checkout/preview').data;
  expect(body.group_buy_id).toBe(3);
  expect(body.group_id).toBeUndefined();
});

test('a 拼团 order waiting for its group links to it and leaves it after a confirmation', async () => {
  const summary = { id: 88, order_no: 'O88', trade_no: 'T88', status: 'grouping', shop_id: 1, shop_name: '昭通果园', items: [], goods_amount: 3990,
    discount: 0, shipping_fee: 0, pay_amount: 3990, refunded_amount: 0, delivery: 'express', created_at: 0, pay_deadline: null,
    after_sale_open: false, actions: [] };
  const order = { summary, discounts: [], timeline: [], receiver: '张三', phone: '139****5678', address: '贵阳', pickup_address: '',
    carrier: '', tracking_no: '', remark: '', cancel_reason: '', auto_confirm_at: null };
  const w = await cannedWx({ 'GET /orders/88': { order, after_sales: [], group_id: 45 }, 'POST /orders/88/leave-group': true });
  const page = await h.openPage('order', { id: '88' });
  expect(h.all(page, 'order-status')[0].textContent).toBe('待成团');
  await h.tap(w, page, 'view-group');
  expect(w.nav.pop()).toBe('/pages/group/index?id=45');
  await h.tap(w, page, 'leave-group');
  await w.idle();
  expect(w.modals.length).toBeGreaterThan(0);
  expect(w.sent.filter((r) => r.key === 'POST /orders/88/leave-group')).toHaveLength(1);
});

const presaleOf = (skus, over) => Object.assign({
  id: 5, merchant_id: 4, shop_name: '昭通苹果园', product_id: 7, product_title: '云南褚橙', image: '', title: '褚橙冬季预售',
  starts_at: 0, ends_at: 0, window: '12-01 10:00 ~ 12-08 22:00', ship: { mode: 'days', days: 10 }, ship_text: '付款后 10 天内发货',
  per_order_limit: 2, per_user_limit: 4, status: 'active', phase_label: '进行中', selling: true,
  from_price: Math.min(...skus.map((s) => s.price)), from_normal_price: Math.min(...skus.map((s) => s.normal_price)), skus,
}, over || {});
const presaleSku = (sku_id, spec_label, price, normal_price, sold, quantity) => ({ sku_id, spec_label, price, normal_price, quantity, sold });

test('the 预售 list shows each presale’s ship promise and presale price as text and opens the product', async () => {
  const w = await cannedWx({
    'GET /presales': [
      presaleOf([presaleSku(70, '5斤', 5990, 6800, 3, 30)], { title: HOSTILE }),
      presaleOf([presaleSku(80, '', 4500, 4500, 0, 10)], { id: 6, product_id: 8, ship: { mode: 'date', before: 0 }, ship_text: '2026-12-20 前发货' }),
    ],
  });
  const page = await h.openPage('presale');
  expect(page.dom.querySelector('img')).toBeNull();
  const items = h.all(page, 'presale-item').map((i) => i.textContent);
  expect(items).toHaveLength(2);
  expect(items[0]).toContain(HOSTILE);
  expect(items[0]).toContain('¥68.00');
  expect(items[0]).toContain('每人限购 4 件');
  expect(items[0]).toContain('去预订');
  expect(h.all(page, 'presale-ship').map((s) => s.textContent)).toEqual(['付款后 10 天内发货', '2026-12-20 前发货']);
  expect(h.all(page, 'presale-price').map((s) => s.textContent)).toEqual(['¥59.90', '¥45.00']);
  // sold at the normal price: nothing struck through
  expect(items[1].split('¥45.00')).toHaveLength(2);
  await h.tap(w, page, 'presale-item', 1);
  expect(w.nav.pop()).toBe('/pages/product/index?id=8');
  // none selling: said so
  await cannedWx({ 'GET /presales': [] });
  const empty = await h.openPage('presale');
  expect(h.all(empty, 'no-presale')).toHaveLength(1);
});

test('a product in a 预售 shows its ship promise and books one unit of a SKU through the checkout', async () => {
  const w = await cannedWx({
    'GET /products/7': product,
    'GET /products/7/presale': presaleOf([presaleSku(70, '微辣', 1590, 1990, 10, 10), presaleSku(71, '特辣', 1790, 2190, 2, 10)], { title: HOSTILE }),
  });
  const page = await h.openPage('product', { id: '7' });
  expect(page.dom.querySelector('img')).toBeNull();
  expect(h.all(page, 'presale-strip')).toHaveLength(1);
  expect(h.all(page, 'presale-strip')[0].textContent).toContain(HOSTILE);
  expect(h.all(page, 'presale-ship')[0].textContent).toContain('付款后 10 天内发货');
  // the sold-out 微辣 offers nothing to book
  expect(h.all(page, 'presale-book').map((b) => b.textContent)).toEqual(['特辣 立即预订']);
  await h.tap(w, page, 'presale-book');
  expect(w.nav.pop()).toBe('/pages/checkout/index?lines=' + encodeURIComponent('71:1') + '&presale=5');
  // not in a presale: no strip
  await cannedWx({ 'GET /products/7': product, 'GET /products/7/presale': null });
  const plain = await h.openPage('product', { id: '7' });
  expect(h.all(plain, 'presale-strip')).toHaveLength(0);
});

test('a 预售 checkout asks for the presale price of the one line', async () => {
  const w = await cannedWx({ 'POST /checkout/preview': previewOf(1790) });
  await h.openPage('checkout', { lines: encodeURIComponent('71:1'), presale: '5' });
  const body = w.sent.find((r) => r.key === 'POST /checkout/preview').data;
  expect(body).toMatchObject({ lines: [{ sku_id: 71, qty: 1 }], presale_id: 5 });
  expect(body.group_buy_id).toBeUndefined();
  expect(body.flash_sale_item_id).toBeUndefined();
});

test('a 预售 order shows its ship promise, and once the shop breaks it refunds in full after a confirmation', async () => {
  const summaryOf = (late) => ({ id: 89, order_no: 'O89', trade_no: 'T89', status: 'to_ship', shop_id: 4, shop_name: '昭通苹果园', items: [],
    goods_amount: 1790, discount: 0, shipping_fee: 0, pay_amount: 1790, refunded_amount: 0, delivery: 'express', created_at: 0, pay_deadline: null,
    ship_promise: { ship_by: 0, text: '2026-12-20 前发货', late }, after_sale_open: false, actions: ['request_after_sale'] });
  const orderOf = (late) => ({ summary: summaryOf(late), discounts: [], timeline: [], receiver: '张三', phone: '139****5678', address: '昆明',
    pickup_address: '', carrier: '', tracking_no: '', remark: '', cancel_reason: '', auto_confirm_at: null });
  // not due yet: the promise only
  await cannedWx({ 'GET /orders/89': { order: orderOf(false), after_sales: [], group_id: null } });
  const waiting = await h.openPage('order', { id: '89' });
  expect(h.all(waiting, 'promise-text')[0].textContent).toBe('预计 2026-12-20 前发货');
  expect(h.all(waiting, 'refund-late')).toHaveLength(0);
  // past it: 全额退款 at the shopper's word
  const w = await cannedWx({ 'GET /orders/89': { order: orderOf(true), after_sales: [], group_id: null }, 'POST /orders/89/refund-late': 12 });
  const page = await h.openPage('order', { id: '89' });
  expect(h.all(page, 'promise-text')[0].textContent).toBe('已超过约定发货时间（2026-12-20 前发货）');
  await h.tap(w, page, 'refund-late');
  await w.idle();
  expect(w.modals.length).toBeGreaterThan(0);
  expect(w.sent.filter((r) => r.key === 'POST /orders/89/refund-late')).toHaveLength(1);
  // a declined confirmation sends nothing
  const w2 = await cannedWx({ 'GET /orders/89': { order: orderOf(true), after_sales: [], group_id: null } });
  w2.modalAnswers.push(false);
  const again = await h.openPage('order', { id: '89' });
  await h.tap(w2, again, 'refund-late');
  await w2.idle();
  expect(w2.sent.filter((r) => r.key === 'POST /orders/89/refund-late')).toHaveLength(0);
});

test('a 定金 presale shows each SKU’s deposit, the balance window and the policy, and books with 付定金', async () => {
  const deposit = {
    balance_starts_at: 0, balance_ends_at: 0, balance_window: '12-09 00:00 ~ 12-12 00:00', missed: 'keep', missed_label: '逾期未付尾款，定金不退',
    skus: [{ sku_id: 71, deposit: 300, deposit_value: 900 }],
  };
  await cannedWx({
    'GET /products/7': product,
    'GET /products/7/presale': presaleOf([presaleSku(71, '特辣', 1790, 2190, 2, 10)], { deposit }),
  });
  const page = await h.openPage('product', { id: '7' });
  expect(h.all(page, 'presale-deposit').map((d) => d.textContent)).toEqual(['定金 ¥3.00 抵 ¥9.00']);
  expect(h.all(page, 'presale-balance')[0].textContent).toBe('付尾款 12-09 00:00 ~ 12-12 00:00 · 逾期未付尾款，定金不退');
  expect(h.all(page, 'presale-book').map((b) => b.textContent)).toEqual(['付定金']);
});

test('a 定金 checkout says what is paid now and what later', async () => {
  const pv = Object.assign(previewOf(1190), {
    deposit: { deposit: 300, inflation: 600, balance: 890, balance_starts_at: 0, balance_ends_at: 0, balance_window: '12-09 00:00 ~ 12-12 00:00', missed_label: '逾期未付尾款，定金原路退回' },
  });
  await cannedWx({ 'POST /checkout/preview': pv });
  const page = await h.openPage('checkout', { lines: encodeURIComponent('71:1'), presale: '5' });
  expect(h.all(page, 'checkout-pay-now')[0].textContent).toContain('今付定金 ¥3.00');
  expect(h.all(page, 'checkout-balance')[0].textContent).toBe('¥8.90');
  expect(h.all(page, 'checkout-deposit')[0].textContent).toContain('12-09 00:00 ~ 12-12 00:00');
});

test('a 待付尾款 order offers 支付尾款 only in its window, and pays the balance’s own trade', async () => {
  const summaryOf = (payable) => ({ id: 90, order_no: 'O90', trade_no: 'T90', status: 'awaiting_balance', shop_id: 4, shop_name: '昭通苹果园', items: [],
    goods_amount: 1790, discount: 600, shipping_fee: 0, pay_amount: 1190, refunded_amount: 0, delivery: 'express', created_at: 0, pay_deadline: null,
    ship_promise: null, after_sale_open: false, actions: ['pay_balance'],
    balance: { deposit: 300, inflation: 600, balance: 890, starts_at: 0, ends_at: 0, window: '12-09 00:00 ~ 12-12 00:00', status: 'due', status_label: '待付尾款',
      missed_policy: 'refund', missed_policy_label: '逾期未付尾款，定金原路退回', payable_now: payable } });
  const orderOf = (payable) => ({ summary: summaryOf(payable), discounts: [], timeline: [], receiver: '张三', phone: '139****5678', address: '昆明',
    pickup_address: '', carrier: '', tracking_no: '', remark: '', cancel_reason: '', auto_confirm_at: null });
  await cannedWx({ 'GET /orders/90': { order: orderOf(false), after_sales: [], group_id: null } });
  const before = await h.openPage('order', { id: '90' });
  expect(h.all(before, 'order-status')[0].textContent).toBe('待付尾款');
  expect(h.all(before, 'balance-amount')[0].textContent).toBe('¥8.90');
  expect(h.all(before, 'order-pay_balance')).toHaveLength(0);
  const w = await cannedWx({
    'GET /orders/90': { order: orderOf(true), after_sales: [], group_id: null },
    'POST /orders/90/pay-balance': { trade_no: 'TB90' },
    'POST /trades/TB90/pay': { kind: 'simulated_confirm', amount: 890, confirm: '/api/mp/v1/trades/TB90/simulated-pay' },
    'POST /trades/TB90/simulated-pay': true,
  });
  const page = await h.openPage('order', { id: '90' });
  await h.tap(w, page, 'order-pay_balance');
  await w.idle();
  expect(w.sent.filter((r) => r.key === 'POST /orders/90/pay-balance')).toHaveLength(1);
  expect(w.sent.filter((r) => r.key === 'POST /trades/TB90/simulated-pay')).toHaveLength(1);
  expect(w.nav.pop()).toContain('/pages/pay-result/index?trade=TB90&order=90');
});

test('paying a balance waits on the result page until the order leaves 待付尾款', async () => {
  const config = require('../config.js');
  config.payPollEveryMs = 5;
  config.payPollTimes = 3;
  const w = await cannedWx({ 'GET /orders/90': { order: { summary: { status: 'awaiting_balance', trade_no: 'T90', balance: { status: 'due' } } }, after_sales: [] } });
  const page = await h.openPage('pay-result', { trade: 'TB90', order: '90', tried: '1' });
  expect(h.all(page, 'pay-state')[0].textContent).toBe('支付结果确认中');
  expect(w.sent.filter((r) => r.key === 'GET /orders/90')).toHaveLength(3);
  // the deposit's own trade: paid, the balance is next
  await cannedWx({ 'GET /orders/90': { order: { summary: { status: 'awaiting_balance', trade_no: 'T90', balance: { status: 'due' } } }, after_sales: [] } });
  const deposit = await h.openPage('pay-result', { trade: 'T90', order: '90' });
  expect(h.all(deposit, 'pay-state')[0].textContent).toBe('定金支付成功');
});
