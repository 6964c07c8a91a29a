// 支付结果: asks the server whether the payment arrived (its notification moves the orders out of
// 待付款), a few times a second for up to `payPollTimes` tries; the client's own payment
// callback never counts.
const config = require('../../config.js');
const { payTrade } = require('../../utils/pay.js');

const STATES = {
  waiting: ['正在确认支付结果', '请稍候，支付结果以商户收到的通知为准'],
  paid: ['支付成功', '商家会尽快为你发货'],
  // a 拼团 order: paid, waiting for its group to fill (待成团)
  grouping: ['支付成功，拼团中', '邀请好友参团，成团后商家发货；未成团将全额退款'],
  // a 定金 预售 order: the deposit is paid, the balance is due in its window (待付尾款)
  deposit: ['定金支付成功', '请在尾款支付时间内支付尾款，可在订单详情查看'],
  unpaid: ['尚未支付', '订单保留到支付截止时间，可重新支付'],
  // the shopper paid as far as the phone knows, but the notification has not arrived yet
  confirming: ['支付结果确认中', '如已付款，订单会在收到支付通知后自动更新，请勿重复付款'],
  closed: ['订单已关闭', '支付超时或已取消，如已扣款将原路退回'],
};

Component({
  data: { state: 'waiting', title: STATES.waiting[0], note: STATES.waiting[1], groupId: 0 },
  methods: {
    onLoad(options) {
      const o = options || {};
      this.trade = o.trade;
      this.tried = o.tried === '1';
      this.orderId = Number(o.order);
      this.tries = 0;
      return this.poll();
    },
    onUnload() {
      clearTimeout(this.timer);
      this.stopped = true;
    },
    set(state) {
      this.setData({ state, title: STATES[state][0], note: STATES[state][1] });
    },
    poll() {
      this.tries += 1;
      return getApp()
        .api.get('/orders/' + this.orderId, { quiet: true })
        .then((d) => {
          const s = d.order.summary;
          const status = s.status;
          // paying a balance: its trade is not the order's own, and the order waits in 待付尾款
          const waitingIn = s.balance && s.trade_no !== this.trade ? 'awaiting_balance' : 'unpaid';
          if (status === waitingIn) {
            if (this.tries < config.payPollTimes && !this.stopped) {
              return new Promise((resolve) => {
                this.timer = setTimeout(() => resolve(this.poll()), config.payPollEveryMs);
              });
            }
            return this.set(this.tried ? 'confirming' : 'unpaid');
          }
          if (d.group_id) this.setData({ groupId: d.group_id });
          if (status === 'grouping') return this.set('grouping');
          if (status === 'awaiting_balance') return this.set('deposit');
          return this.set(status === 'cancelled' ? 'closed' : 'paid');
        })
        .catch(() => this.set(this.tried ? 'confirming' : 'unpaid'));
    },
    refresh() {
      this.tries = 0;
      this.set('waiting');
      return this.poll();
    },
    pay() {
      return payTrade(getApp().api, wx, this.trade, this.orderId).catch(() => {});
    },
    openGroup() {
      wx.redirectTo({ url: '/pages/group/index?id=' + this.data.groupId });
    },
    openOrders() {
      wx.redirectTo({ url: '/pages/orders/index' });
    },
    goHome() {
      wx.switchTab({ url: '/pages/home/index' });
    },
  },
});
