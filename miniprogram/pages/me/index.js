// 我的: who is signed in (`GET /me`), order shortcuts by tab, coupons and the address book.
const orders = require('../../utils/orders.js');

const ICONS = { unpaid: '💳', to_ship: '📦', shipped: '🚚', to_review: '💬', after_sale: '🔁' };

Component({
  data: {
    user: null,
    initial: '集',
    shortcuts: orders.TABS.filter((t) => t.key !== 'all').map((t) => Object.assign({ icon: ICONS[t.key] }, t)),
  },
  methods: {
    onShow() {
      return getApp()
        .api.get('/me', { quiet: true })
        .then((user) => this.setData({ user, initial: (user.nickname || '集')[0] }))
        .catch(() => this.setData({ user: null, initial: '集' }));
    },
    signIn() {
      return getApp()
        .api.signIn()
        .then(() => this.onShow())
        .catch(() => {});
    },
    signOut() {
      const api = getApp().api;
      return api
        .post('/auth/logout', {}, { quiet: true })
        .catch(() => {})
        .then(() => {
          api.signOut();
          this.setData({ user: null, initial: '集' });
        });
    },
    openOrders(e) {
      wx.navigateTo({ url: '/pages/orders/index?tab=' + e.currentTarget.dataset.tab });
    },
    openCoupons(e) {
      wx.navigateTo({ url: '/pages/coupons/index?tab=' + e.currentTarget.dataset.tab });
    },
    openReviews() {
      wx.navigateTo({ url: '/pages/my-reviews/index' });
    },
    openAddresses() {
      wx.navigateTo({ url: '/pages/addresses/index' });
    },
  },
});
