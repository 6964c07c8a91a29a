// 确认订单: the server prices everything (`POST /checkout/preview`), preselecting the coupons
// that take off most; the shopper may change the address, delivery, remarks and coupons, and
// each change is priced again. 提交订单 sends the same choices with the preview's `submit_key`
// (one trade however often it is sent), then pays the one payment of every shop's order.
const views = require('../../utils/views.js');
const { price } = require('../../utils/format.js');
const { payTrade } = require('../../utils/pay.js');
const subscribe = require('../../utils/subscribe.js');

/** `"12:2,15:1"` (sku:qty) → lines. */
function parseLines(text) {
  return String(text || '')
    .split(',')
    .map((pair) => pair.split(':').map(Number))
    .filter(([sku, qty]) => sku > 0 && qty > 0)
    .map(([sku_id, qty]) => ({ sku_id, qty }));
}

function couponChoice(c) {
  return {
    id: c.coupon.id,
    name: c.coupon.name,
    face: c.coupon.face,
    reason: c.reason || '',
    discountText: price(c.discount),
    chosen: c.chosen,
  };
}

function chosenText(choices, id) {
  const c = choices.find((x) => x.coupon.id === id);
  return c ? '-' + price(c.discount) : '不使用';
}

Component({
  data: { pv: null, shops: [], addressText: '', sheet: null, submitting: false, error: '' },
  methods: {
    onLoad(options) {
      const o = options || {};
      this.lines = parseLines(decodeURIComponent(o.lines || ''));
      this.fromCart = o.from === 'cart';
      // 马上抢 on the 秒杀 page: the one line is bought as this flash-sale item
      this.flashSaleItemId = Number(o.flash) || undefined;
      // 发起拼团 / 参团: the one line is bought in this group-buy activity, opening a group or
      // joining `group`
      this.groupBuyId = Number(o.group_buy) || undefined;
      this.groupId = (this.groupBuyId && Number(o.group)) || undefined;
      // 立即预订: the one line is bought in this presale at its presale price
      this.presaleId = Number(o.presale) || undefined;
      this.choices = {}; // merchant id → { delivery, remark, coupon_id }
      this.platformCouponId = undefined;
      this.addressId = undefined;
      return this.price();
    },
    onShow() {
      // the address book hands back the address picked there
      const app = getApp();
      if (app.pickedAddressId && app.pickedAddressId !== this.addressId) {
        this.addressId = app.pickedAddressId;
        app.pickedAddressId = null;
        return this.price();
      }
      return Promise.resolve();
    },
    request() {
      const shops = Object.keys(this.choices).map((mid) =>
        Object.assign({ merchant_id: Number(mid) }, this.choices[mid])
      );
      const body = { lines: this.lines, shops, from_cart: this.fromCart };
      if (this.addressId) body.address_id = this.addressId;
      if (this.platformCouponId !== undefined) body.platform_coupon_id = this.platformCouponId;
      if (this.flashSaleItemId) body.flash_sale_item_id = this.flashSaleItemId;
      if (this.groupBuyId) body.group_buy_id = this.groupBuyId;
      if (this.groupId) body.group_id = this.groupId;
      if (this.presaleId) body.presale_id = this.presaleId;
      return body;
    },
    price() {
      if (!this.lines.length) {
        wx.showToast({ title: '没有要结算的商品', icon: 'none' });
        return Promise.resolve();
      }
      return getApp()
        .api.post('/checkout/preview', this.request(), { quiet: true })
        .then((pv) => this.show(pv))
        // no address yet, sold out, a shop that does not deliver there: said on the page
        .catch((e) => this.setData({ error: e.message }));
    },
    show(pv) {
      // keep what the server chose, so that the submit asks for exactly what was shown
      this.preview = pv;
      pv.shops.forEach((s) => {
        this.choices[s.merchant_id] = { delivery: s.delivery, remark: s.remark, coupon_id: s.coupon_id || 0 };
      });
      this.platformCouponId = pv.platform_coupon_id || 0;
      if (pv.address) this.addressId = pv.address.id;
      const a = pv.address;
      this.setData({
        pv,
        error: '',
        addressText: a ? [a.province, a.city, a.district, a.detail].join(' ') : '',
        shops: pv.shops.map((s) =>
          Object.assign({}, s, {
            lines: s.lines.map((l) =>
              Object.assign({}, l, {
                imageUrl: views.img(l.image, 240),
                unitText: price(l.unit_price),
                discountText: price(l.discount),
                payText: price(l.pay_amount),
              })
            ),
            discounts: s.discounts.map((d) => Object.assign({}, d, { amountText: price(d.amount) })),
            shippingText: price(s.amounts.shipping),
            payableText: price(s.amounts.payable),
            couponText: chosenText(s.coupons, s.coupon_id),
          })
        ),
        platformCouponText: chosenText(pv.platform_coupons, pv.platform_coupon_id),
        goodsText: price(pv.goods),
        shippingText: price(pv.shipping),
        discountText: price(pv.discount),
        totalText: price(pv.total),
        // 定金 预售: the trade takes the deposit now, the balance later
        deposit: pv.deposit
          ? {
              depositText: price(pv.deposit.deposit),
              balanceText: price(pv.deposit.balance),
              window: pv.deposit.balance_window,
              policy: pv.deposit.missed_label,
            }
          : null,
      });
    },
    chooseAddress() {
      wx.navigateTo({ url: '/pages/addresses/index?pick=1' });
    },
    setDelivery(e) {
      const { mid, delivery } = e.currentTarget.dataset;
      this.choices[mid].delivery = delivery;
      return this.price();
    },
    setRemark(e) {
      const mid = e.currentTarget.dataset.mid;
      this.choices[mid].remark = e.detail.value;
    },
    openCoupons(e) {
      const mid = e.currentTarget.dataset.mid;
      const pv = this.preview;
      const list = mid === 'platform' ? pv.platform_coupons : pv.shops.find((s) => s.merchant_id === Number(mid)).coupons;
      this.setData({
        sheet: { mid, title: mid === 'platform' ? '平台优惠券' : '店铺优惠券', list: list.map(couponChoice) },
      });
    },
    closeCoupons() {
      this.setData({ sheet: null });
    },
    pickCoupon(e) {
      const { id, reason } = e.currentTarget.dataset;
      if (reason) {
        wx.showToast({ title: reason, icon: 'none' });
        return Promise.resolve();
      }
      const mid = this.data.sheet.mid;
      if (mid === 'platform') this.platformCouponId = Number(id);
      else this.choices[mid].coupon_id = Number(id);
      this.setData({ sheet: null });
      return this.price();
    },
    submit() {
      const pv = this.preview;
      if (!pv || this.data.submitting) return Promise.resolve();
      if (!pv.address && pv.shops.some((s) => s.delivery === 'express')) {
        wx.showToast({ title: '请先添加收货地址', icon: 'none' });
        return Promise.resolve();
      }
      this.setData({ submitting: true });
      const api = getApp().api;
      const body = Object.assign(this.request(), { idempotency_key: pv.submit_key });
      // asked on this tap (WeChat shows the prompt only from one), before the submit waits
      const asked = subscribe.ask(api, wx, 'pay');
      return asked.then(() => api.post('/checkout/submit', body)).then(
        // the trade exists now: if paying fails, it waits under 待付款
        (trade) =>
          payTrade(api, wx, trade.trade_no, trade.order_ids[0], true).catch(() =>
            wx.redirectTo({ url: '/pages/orders/index?tab=unpaid' })
          ),
        // refused (sold out, an address the shop does not deliver to…): price again
        () => this.price().then(() => this.setData({ submitting: false }))
      );
    },
  },
});
