// 领券中心 and 我的优惠券 (可用 / 已使用 / 已过期): claim platform and shop coupons; a held
// coupon leads to where it can be used (its shop, or the home page for a platform coupon).
const views = require('../../utils/views.js');
const { chinaTime } = require('../../utils/format.js');

const TABS = [
  { key: 'claim', label: '领券中心' },
  { key: 'available', label: '可使用' },
  { key: 'used', label: '已使用' },
  { key: 'expired', label: '已过期' },
];
const STATES = { used: '已使用', expired: '已过期', voided: '已作废', locked: '使用中' };

Component({
  data: { tabs: TABS, tab: 'claim', list: [], loaded: false },
  methods: {
    onLoad(options) {
      const tab = (options || {}).tab;
      if (TABS.some((t) => t.key === tab)) this.setData({ tab });
    },
    onShow() {
      return this.load();
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },
    setTab(e) {
      this.setData({ tab: e.currentTarget.dataset.key, list: [], loaded: false });
      return this.load();
    },
    load() {
      const tab = this.data.tab;
      const api = getApp().api;
      const call =
        tab === 'claim'
          ? api.get('/coupons/claimable').then((list) =>
              list.map((c) =>
                Object.assign(views.coupon(c), { key: 't' + c.template_id, canClaim: c.mine < c.per_user_limit, progress: c.claimed_percent })
              )
            )
          : api.get('/coupons?tab=' + tab).then((list) =>
              list.map((c) =>
                Object.assign(views.coupon(c), {
                  key: 'c' + c.id,
                  validText: chinaTime(c.valid_from) + ' 至 ' + chinaTime(c.valid_until),
                  stateText: STATES[c.status] || '',
                  dim: tab !== 'available',
                })
              )
            );
      return call.then((list) => this.setData({ list, loaded: true })).catch(() => this.setData({ loaded: true }));
    },
    claim(e) {
      return getApp()
        .api.post('/coupons/claim', { template_id: Number(e.currentTarget.dataset.id) })
        .then(() => {
          wx.showToast({ title: '领取成功', icon: 'success' });
          return this.load();
        })
        .catch(() => {});
    },
    use(e) {
      const mid = e.currentTarget.dataset.mid;
      if (mid) wx.navigateTo({ url: '/pages/shop/index?id=' + mid });
      else wx.switchTab({ url: '/pages/home/index' });
    },
  },
});
