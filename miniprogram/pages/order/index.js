// 订单详情: address or pickup, lines with what each paid, every discount with its source and
// funder, shipping, refunds, after-sales, the timeline, and the buttons the server allows; a
// 拼团 order links to its group and, while it waits for the group (待成团), offers 退出拼团; a
// 预售 order waiting to ship shows the shop's ship promise and, once it is broken, 全额退款 at
// the shopper's word; a 定金 预售 order shows its deposit, balance, balance window and what a
// missed balance does to the deposit (支付尾款 is one of the buttons while the window is open).
const views = require('../../utils/views.js');
const { confirm } = require('../../utils/confirm.js');
const orders = require('../../utils/orders.js');
const actions = require('../../utils/order-actions.js');
const { price, chinaTime } = require('../../utils/format.js');

const { AFTER_SALE_KINDS, AFTER_SALE_STATES } = orders;
const FUNDERS = { platform: '平台承担', shop: '商家承担' };

Component({
  data: { o: null, missing: '', items: [], discounts: [], timeline: [], afterSales: [], buttons: [], groupId: 0, grouping: false, promise: null, balance: null },
  methods: {
    onLoad(options) {
      this.orderId = Number((options || {}).id);
    },
    onShow() {
      return this.load();
    },
    load() {
      return getApp()
        .api.get('/orders/' + this.orderId, { quiet: true })
        .then((d) => {
          const o = d.order;
          const s = o.summary;
          const state = orders.orderState(s);
          this.setData({
            o,
            stateLabel: state.label,
            groupId: d.group_id || 0,
            grouping: s.status === 'grouping',
            // once shipped (or closed), the promise is kept or moot: nothing to say
            promise:
              s.status === 'to_ship' && s.ship_promise
                ? {
                    late: s.ship_promise.late,
                    text: s.ship_promise.late ? '已超过约定发货时间（' + s.ship_promise.text + '）' : '预计 ' + s.ship_promise.text,
                  }
                : null,
            balance: s.balance
              ? {
                  depositText: price(s.balance.deposit),
                  balanceText: price(s.balance.balance),
                  window: s.balance.window,
                  status: s.balance.status_label,
                  policy: s.balance.missed_policy_label,
                }
              : null,
            buttons: state.buttons,
            items: s.items.map(views.orderItem),
            discounts: o.discounts.map((x) =>
              Object.assign({}, x, { amountText: price(x.amount), funderLabel: FUNDERS[x.funder] || '' })
            ),
            timeline: o.timeline.map((e) => Object.assign({}, e, { atText: chinaTime(e.at) })).reverse(),
            afterSales: d.after_sales.map((a) =>
              Object.assign({}, a, { kindLabel: AFTER_SALE_KINDS[a.kind], statusLabel: AFTER_SALE_STATES[a.status] || a.status })
            ),
            goodsText: price(s.goods_amount),
            shippingText: price(s.shipping_fee),
            payText: price(s.pay_amount),
            refundedText: price(s.refunded_amount),
            createdText: chinaTime(s.created_at),
            deadlineText: s.status === 'unpaid' && s.pay_deadline ? chinaTime(s.pay_deadline) : '',
            autoConfirmText: s.status === 'shipped' && o.auto_confirm_at ? chinaTime(o.auto_confirm_at) : '',
          });
        })
        .catch((e) => this.setData({ missing: e.status === 404 ? '订单不存在' : e.message }));
    },
    act(e) {
      const action = e.currentTarget.dataset.action;
      return actions.run(getApp().api, wx, action, this.data.o.summary).then((changed) => (changed ? this.load() : null));
    },
    openGroup() {
      wx.navigateTo({ url: '/pages/group/index?id=' + this.data.groupId });
    },
    leaveGroup() {
      const api = getApp().api;
      return confirm(wx, '退出拼团', '退出后订单全额退款，确定退出吗？', '退出拼团').then((yes) => {
        if (!yes) return null;
        return api
          .post('/orders/' + this.orderId + '/leave-group')
          .then(() => {
            wx.showToast({ title: '已退出，款项原路退回', icon: 'none' });
            return this.load();
          })
          // the request wrapper has shown the server's message; the state may have moved on
          .catch(() => this.load());
      });
    },
    refundLate() {
      const api = getApp().api;
      return confirm(wx, '全额退款', '商家逾期未发货，无需商家同意即可全额退款，款项原路退回。确定退款吗？', '全额退款').then((yes) => {
        if (!yes) return null;
        return api
          .post('/orders/' + this.orderId + '/refund-late')
          .then(() => {
            wx.showToast({ title: '已申请全额退款，款项原路退回', icon: 'none' });
            return this.load();
          })
          // the request wrapper has shown the server's message; the state may have moved on
          .catch(() => this.load());
      });
    },
    openProduct(e) {
      wx.navigateTo({ url: '/pages/product/index?id=' + e.currentTarget.dataset.id });
    },
    openAfterSale(e) {
      wx.navigateTo({ url: '/pages/after-sale/index?id=' + e.currentTarget.dataset.id });
    },
  },
});
