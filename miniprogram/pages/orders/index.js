// 我的订单: tabs 全部/待付款/待发货/待收货/待评价/售后, pages of 10; each order offers the buttons
// the server lists for it (the state machine lives on the server).
const views = require('../../utils/views.js');
const orders = require('../../utils/orders.js');
const { price, chinaTime } = require('../../utils/format.js');
const actions = require('../../utils/order-actions.js');

function summary(o) {
  const state = orders.orderState(o);
  return Object.assign({}, o, {
    items: o.items.map(views.orderItem),
    qty: o.items.reduce((n, it) => n + it.qty, 0),
    payText: price(o.pay_amount),
    stateLabel: o.after_sale_open ? state.label + ' · 售后中' : state.label,
    buttons: state.buttons,
    deadlineText: o.status === 'unpaid' && o.pay_deadline ? chinaTime(o.pay_deadline) : '',
  });
}

Component({
  data: { tabs: orders.TABS, current: 0, orders: [], page: 1, hasMore: false, loaded: false },
  methods: {
    onLoad(options) {
      this.setData({ current: orders.tabIndex((options || {}).tab) });
    },
    onShow() {
      return this.load(1);
    },
    onPullDownRefresh() {
      return this.load(1).then(() => wx.stopPullDownRefresh());
    },
    onReachBottom() {
      return this.data.hasMore ? this.load(this.data.page + 1) : Promise.resolve();
    },
    setTab(e) {
      this.setData({ current: Number(e.currentTarget.dataset.index), orders: [], loaded: false });
      return this.load(1);
    },
    load(page) {
      const tab = orders.TABS[this.data.current].key;
      return getApp()
        .api.get('/orders?tab=' + tab + '&page=' + page)
        .then((res) => {
          const list = (page === 1 ? [] : this.data.orders).concat(res.orders.map(summary));
          this.setData({ orders: list, page, hasMore: page * res.page_size < res.total, loaded: true });
        })
        .catch(() => this.setData({ loaded: true }));
    },
    open(e) {
      wx.navigateTo({ url: '/pages/order/index?id=' + e.currentTarget.dataset.id });
    },
    act(e) {
      const { action, id } = e.currentTarget.dataset;
      const order = this.data.orders.find((o) => o.id === Number(id));
      return actions.run(getApp().api, wx, action, order).then((changed) => (changed ? this.load(1) : null));
    },
  },
});
