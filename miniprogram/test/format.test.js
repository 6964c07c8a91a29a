const { yuan, price, priceFrom, chinaTime, countdown } = require('../utils/format.js');
const { TABS, tabIndex, orderState } = require('../utils/orders.js');

test('money is formatted from integer fen without floating point', () => {
  expect(yuan(0)).toBe('0.00');
  expect(yuan(1)).toBe('0.01');
  expect(yuan(1230)).toBe('12.30');
  expect(yuan(-5)).toBe('-0.05');
  expect(yuan(123456789012)).toBe('1234567890.12');
  expect(price(2990)).toBe('¥29.90');
  expect(price(-200)).toBe('-¥2.00');
  expect(priceFrom(990, 990)).toBe('¥9.90');
  expect(priceFrom(990, 1990)).toBe('¥9.90 起');
});

test('times are China time whatever the phone says', () => {
  // 2026-12-02 10:05 UTC is 18:05 in China
  expect(chinaTime(Date.UTC(2026, 11, 2, 10, 5))).toBe('2026-12-02 18:05');
  expect(chinaTime(Date.UTC(2026, 11, 31, 16, 0))).toBe('2027-01-01 00:00');
  expect(countdown(15 * 60 * 1000, 1000)).toBe('14:59');
  expect(countdown(3723 * 1000, 0)).toBe('1:02:03');
  expect(countdown(0, 5000)).toBe('0:00');
});

test('order tabs map to the API and buttons follow the server-listed actions', () => {
  expect(TABS.map((t) => t.label)).toEqual(['全部', '待付款', '待发货', '待收货', '待评价', '售后']);
  expect(tabIndex('shipped')).toBe(3);
  expect(tabIndex('nonsense')).toBe(0);
  const unpaid = orderState({ status: 'unpaid', actions: ['pay', 'cancel'] });
  expect(unpaid.label).toBe('待付款');
  expect(unpaid.buttons.map((b) => b.label)).toEqual(['去付款', '取消订单']);
  const shipped = orderState({ status: 'shipped', actions: ['confirm_receipt', 'request_after_sale'], after_sale_open: true });
  expect(shipped.buttons.map((b) => b.label)).toEqual(['确认收货']);
  expect(orderState({ status: 'cancelled', actions: [] }).buttons).toEqual([]);
});
