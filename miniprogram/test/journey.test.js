/**
 * @jest-environment jsdom
 *
 * A shopper's whole journey in the mini-program's pages against a real Jishi server (the demo
 * marketplace, WeChat sign-in answered by a local stand-in): coupons, two shops in one cart, the
 * address imported from WeChat, one payment, the pay result from the server, an after-sale with
 * a photo, cancelling an unpaid order, and a silent sign-in again when the token is revoked.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const h = require('./harness.js');
const { price } = require('../utils/format.js');

jest.setTimeout(120000);

let server;
// every answer of every journey, checked against the OpenAPI document at the end
const answers = [];
beforeAll(async () => {
  server = await h.startServer();
});
afterAll(async () => {
  if (server) await server.stop();
});

afterEach(() => {
  if (global.wx && global.wx.answers) answers.push(...global.wx.answers);
});

// a valid 1×1 PNG, as a phone's camera roll would hand over (the server re-encodes it)
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64'
);

/** The subscription message of `template` the server sent, waiting for the notice job. */
async function message(template) {
  for (let i = 0; i < 100; i++) {
    const m = server.sentMessages.find((x) => x.template_id === template);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no message of ' + template + ' was sent');
}

/** Follows the last navigation: asserts its page and opens it. */
async function follow(w, expected) {
  const nav = h.parseNav(w.nav[w.nav.length - 1]);
  expect(nav.page).toBe(expected);
  return h.openPage(nav.page, nav.query);
}

/** Opens a product and puts its first SKU in stock into the cart through the spec picker. */
async function addToCart(w, productId) {
  const product = await h.openPage('product', { id: String(productId) });
  expect(product.instance.data.p.id).toBe(productId);
  await h.tap(w, product, 'add-to-cart');
  expect(h.all(product, 'spec-picker')).toHaveLength(1);
  await h.tap(w, product, 'spec-confirm');
  expect(w.toasts.pop()).toBe('已加入购物车');
  return product.instance.data.p;
}

test('a shopper claims a coupon, buys from two shops with one payment and asks for a refund with a photo', async () => {
  const w = h.fakeWx();
  w.user = 'journey-1';
  const app = await h.install(w, server.apiBase);

  // 首页: recommended products with prices
  const home = await h.openPage('home');
  const cards = h.all(home, 'product-card');
  expect(cards.length).toBeGreaterThan(1);
  expect(cards[0].textContent).toMatch(/¥\d+\.\d\d/);

  // 领券中心: claim the first coupon open to claiming
  const held = (await app.api.get('/coupons?tab=available')).length;
  const coupons = await h.openPage('coupons', { tab: 'claim' });
  expect(h.all(coupons, 'coupon').length).toBeGreaterThan(0);
  await h.tap(w, coupons, 'claim');
  expect(w.toasts).toContain('领取成功');
  const mine = await app.api.get('/coupons?tab=available');
  expect(mine.length).toBe(held + 1);

  // a product of the tea shop and one of the chili shop, found through the search page
  const search = await h.openPage('search', {});
  const found = async (words, shop) => {
    search.instance.typed({ detail: { value: words } });
    await search.instance.submit();
    const items = search.instance.data.items;
    const item = items.find((p) => p.shopName === shop);
    expect(item).toBeTruthy();
    await h.tap(w, search, 'product-card', items.indexOf(item));
    expect(h.parseNav(w.nav.pop())).toEqual({ page: 'product', query: { id: String(item.id) } });
    return item;
  };
  const tea = await found('毛尖', '都匀毛尖茶庄');
  await addToCart(w, tea.id);
  const chili = await found('辣椒酱', '遵义辣椒酱坊');
  await addToCart(w, chili.id);

  // 购物车: two shops, everything selected; 结算
  const cart = await h.openPage('cart');
  expect(cart.instance.data.shops).toHaveLength(2);
  expect(h.all(cart, 'cart-line')).toHaveLength(2);
  const cartTotal = cart.instance.data.totalText;
  await h.tap(w, cart, 'cart-checkout');
  const checkout = await follow(w, 'checkout');
  // no address yet: the page says so where the address goes
  expect(h.all(checkout, 'checkout-error')[0].textContent).toBe('请先添加收货地址');
  expect(h.all(checkout, 'checkout-address')[0].textContent).toContain('添加收货地址');

  // no address yet: import the one WeChat keeps and pick it
  await h.tap(w, checkout, 'checkout-address');
  const book = await follow(w, 'addresses');
  w.wechatAddress = {
    userName: '张三',
    telNumber: '13912345678',
    provinceName: '贵州省',
    cityName: '贵阳市',
    countyName: '观山湖区',
    detailInfo: '林城西路 9 号',
  };
  await h.tap(w, book, 'address-import');
  expect(w.toasts.pop()).toBe('已导入');
  expect(h.all(book, 'address')).toHaveLength(1);
  await h.tap(w, book, 'address');
  expect(w.nav.pop()).toBe('back');
  await checkout.instance.onShow();
  const pv = checkout.instance.data.pv;
  expect(pv.address.receiver).toBe('张三');
  expect(h.all(checkout, 'checkout-error')).toHaveLength(0);
  expect(checkout.instance.data.goodsText).toBe(cartTotal);
  // what the page shows is what the server priced, and the shops' orders add up to it
  expect(h.all(checkout, 'checkout-shop')).toHaveLength(2);
  expect(pv.shops.reduce((n, s) => n + s.amounts.payable, 0)).toBe(pv.total);
  expect(h.text(checkout, '.price-big')).toBe(price(pv.total));
  expect(pv.goods - pv.discount + pv.shipping).toBe(pv.total);

  // 提交订单 → the simulated provider's in-app confirmation → the pay result, from the server
  w.modalAnswers.push(true);
  await h.tap(w, checkout, 'submit-order');
  expect(w.modals.pop()).toContain(price(pv.total));
  const result = await follow(w, 'pay-result');
  expect(h.all(result, 'pay-state')[0].textContent).toBe('支付成功');

  // both orders wait for shipping, and say what they paid
  const orders = await h.openPage('orders', { tab: 'to_ship' });
  expect(h.all(orders, 'order-card')).toHaveLength(2);
  const paid = orders.instance.data.orders.reduce((n, o) => n + o.pay_amount, 0);
  expect(paid).toBe(pv.total);

  // the tea shop ships its order; the shopper confirms receipt on the order page
  const teaOrder = orders.instance.data.orders.find((o) => o.shop_name === '都匀毛尖茶庄');
  const chiliOrder = orders.instance.data.orders.find((o) => o.shop_name === '遵义辣椒酱坊');
  const ship = { order_id: teaOrder.id, carrier: '顺丰速运', tracking_no: 'SF1234567890' };
  expect(await h.merchantCall(server.base, 'duyun_tea', 'merchant/orders/ship', ship)).toBe(200);
  // the shopper accepted 发货通知 and 退款结果 on the pay tap: the shipment is told through WeChat
  expect(w.subscribePrompts[0]).toEqual([h.TEMPLATES.shipped, h.TEMPLATES.refunded]);
  const shippedMsg = await message(h.TEMPLATES.shipped);
  expect(shippedMsg.touser).toBe('o-journey-1');
  expect(shippedMsg.page).toBe('pages/order/index?id=' + teaOrder.id);
  expect(shippedMsg.data.character_string1.value).toBe(teaOrder.order_no);
  expect(shippedMsg.data.character_string4.value).toBe('SF1234567890');
  const shipped = await h.openPage('order', { id: String(teaOrder.id) });
  expect(h.all(shipped, 'order-status')[0].textContent).toBe('待收货');
  w.modalAnswers.push(true);
  await h.tap(w, shipped, 'order-confirm_receipt');
  expect(w.toasts).toContain('已确认收货');
  expect(h.all(shipped, 'order-status')[0].textContent).toBe('已完成');

  // 评价 the received order: stars, words (one masked), a photo; then 追评 from 我的评价
  await h.tap(w, shipped, 'order-review');
  const reviewForm = await follow(w, 'review');
  expect(h.all(reviewForm, 'review-line')).toHaveLength(1);
  reviewForm.instance.star({ currentTarget: { dataset: { field: 'goods', index: 0, n: 4 } } });
  reviewForm.instance.typed({ currentTarget: { dataset: { index: 0 } }, detail: { value: '茶香清雅，就是卖家有点去死的慢' } });
  const reviewPhoto = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-review-')), 'tmp_review.png');
  fs.writeFileSync(reviewPhoto, PNG);
  w.mediaToPick = [reviewPhoto];
  await reviewForm.instance.addPhotos({ currentTarget: { dataset: { index: 0 } } });
  await w.idle();
  expect(reviewForm.instance.data.lines[0].photos).toHaveLength(1);
  await h.tap(w, reviewForm, 'review-submit');
  expect(w.toasts).toContain('评价成功');
  const myReviews = await follow(w, 'my-reviews');
  const written = myReviews.instance.data.rows[0];
  expect(written.goods_stars).toBe(4);
  expect(written.content).toBe('茶香清雅，就是卖家有点**的慢');
  expect(written.pictures).toHaveLength(1);
  expect(h.all(myReviews, 'waiting-reviews')).toHaveLength(0);
  await h.tap(w, myReviews, 'open-append');
  myReviews.instance.typedAppend({ detail: { value: '喝了两周，回甘很好' } });
  await h.tap(w, myReviews, 'send-append');
  expect(w.toasts).toContain('追评成功');
  expect(myReviews.instance.data.rows[0].appendView.content).toBe('喝了两周，回甘很好');
  expect(h.all(myReviews, 'open-append')).toHaveLength(0);
  // the product page and its review list show it to everyone
  const reviewed = await h.openPage('product', { id: String(tea.id) });
  expect(reviewed.instance.data.reviewTotal).toBeGreaterThan(0);
  expect(h.all(reviewed, 'review').length).toBeGreaterThan(0);
  const list = await h.openPage('reviews', { product: String(tea.id) });
  expect(list.instance.data.rows.some((r) => r.id === written.id)).toBe(true);
  await h.tap(w, list, 'review-filter', 1);
  expect(list.instance.data.current).toBe('photos');
  expect(list.instance.data.rows.every((r) => r.pictures.length > 0)).toBe(true);

  // 申请售后 on the other order, from its page, with a photo
  const detail = await h.openPage('order', { id: String(chiliOrder.id) });
  expect(h.all(detail, 'order-status')[0].textContent).toBe('待发货');
  await h.tap(w, detail, 'order-request_after_sale');
  const form = await follow(w, 'after-sale');
  const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mp-photo-')), 'tmp_photo.png');
  fs.writeFileSync(photo, PNG);
  w.mediaToPick = [photo];
  await h.tap(w, form, 'add-photo');
  expect(form.instance.data.photos).toHaveLength(1);
  // nothing chosen and no reason: refused on the page, nothing sent
  form.instance.setData({ lines: form.instance.data.lines.map((l) => Object.assign({}, l, { chosen: false })) });
  await h.tap(w, form, 'after-sale-submit');
  expect(form.instance.data.error).toBe('请选择要售后的商品');
  form.instance.setData({ lines: form.instance.data.lines.map((l, i) => Object.assign({}, l, { chosen: i === 0 })) });
  form.instance.typedReason({ detail: { value: '包装破损，不想要了' } });
  await h.tap(w, form, 'after-sale-submit');
  const view = await follow(w, 'after-sale');
  expect(h.all(view, 'after-sale-status')[0].textContent).toBe('待商家处理');
  expect(view.instance.data.a.photos).toEqual([form.instance.data.photos[0].key]);
  expect(view.instance.data.buttons.map((b) => b.action)).toContain('withdraw');
  expect(w.subscribePrompts[1]).toEqual([h.TEMPLATES.after_sale_decided]);

  // the chili shop agrees: the decision and then the refund are told, and the page shows it
  const afterSaleId = view.instance.data.a.id;
  expect(await h.merchantCall(server.base, 'zunyi_chili', 'merchant/after-sales/act', { id: afterSaleId, action: 'approve' })).toBe(200);
  const decided = await message(h.TEMPLATES.after_sale_decided);
  expect(decided.data.phrase2.value).toBe('同意退款');
  expect(decided.data.character_string1.value).toBe(view.instance.data.a.after_sale_no);
  const refunded = await message(h.TEMPLATES.refunded);
  expect(refunded.data.amount2.value).toBe(view.instance.data.amountText.slice(1) + '元');
  await view.instance.loadView();
  expect(h.all(view, 'after-sale-status')[0].textContent).toBe('退款成功');
  // one message per acceptance: nothing else went out
  expect(server.sentMessages).toHaveLength(3);
});

test('a token revoked mid-checkout signs in again silently; an unpaid order is cancelled from the list', async () => {
  const config = require('../config.js');
  config.payPollEveryMs = 20;
  config.payPollTimes = 3;
  const w = h.fakeWx();
  w.user = 'journey-2';
  const app = await h.install(w, server.apiBase);
  // a product in stock, from the search
  const search = await h.openPage('search', {});
  search.instance.typed({ detail: { value: '辣椒酱' } });
  await search.instance.submit();
  await addToCart(w, search.instance.data.items[0].id);
  await app.api.post('/addresses', {
    receiver: '李四', phone: '13800138000', province: '贵州省', city: '遵义市', district: '红花岗区', detail: '中华路 1 号', is_default: true,
  });
  const cart = await h.openPage('cart');
  await h.tap(w, cart, 'cart-checkout');
  const checkout = await follow(w, 'checkout');
  // the token is revoked while the shopper looks at the checkout (signed out elsewhere): the
  // submit signs in again silently and goes through, once
  await app.api.post('/auth/logout', {});
  // leave the payment for later
  w.modalAnswers.push(false);
  await h.tap(w, checkout, 'submit-order');
  const result = await follow(w, 'pay-result');
  expect(h.all(result, 'pay-state')[0].textContent).toBe('尚未支付');

  const orders = await h.openPage('orders', { tab: 'unpaid' });
  expect(h.all(orders, 'order-card')).toHaveLength(1);
  expect(h.all(orders, 'order-pay')).toHaveLength(1);
  w.modalAnswers.push(true);
  await h.tap(w, orders, 'order-cancel');
  expect(w.toasts).toContain('订单已取消');
  expect(h.all(orders, 'order-card')).toHaveLength(0);

  const me = await h.openPage('me');
  expect(h.all(me, 'nickname')[0].textContent).toMatch(/^微信用户/);
});

test('every answer the client read matches the OpenAPI document', async () => {
  const { problems, checked } = await h.checkAgainstOpenApi(server.apiBase, answers);
  expect(problems).toEqual([]);
  // the journeys read most of the API: a check of nothing would pass as well
  for (const op of ['get /products/{id}', 'post /checkout/preview', 'post /checkout/submit', 'get /orders/{id}', 'post /uploads/image', 'get /after-sales/{id}', 'get /subscriptions/templates', 'post /orders/{id}/reviews', 'get /products/{id}/reviews', 'get /reviews', 'post /reviews/{id}/append']) {
    expect(checked).toContain(op);
  }
});
