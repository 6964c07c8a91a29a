// 首页: banners of shops, category shortcuts, recommended products (`GET /home`).
const views = require('../../utils/views.js');

Component({
  data: { banners: [], categories: [], recommended: [], failed: false },
  methods: {
    onLoad() {
      return this.load();
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },
    load() {
      return getApp()
        .api.get('/home', { auth: false })
        .then((feed) => {
          this.setData({
            failed: false,
            banners: feed.banners.map((b) => Object.assign({}, b, { image: views.img(b.image, 750) })),
            categories: feed.categories,
            recommended: feed.recommended.map(views.card),
          });
        })
        .catch(() => this.setData({ failed: true }));
    },
    openSearch() {
      wx.navigateTo({ url: '/pages/search/index' });
    },
    openShop(e) {
      wx.navigateTo({ url: '/pages/shop/index?id=' + e.currentTarget.dataset.id });
    },
    openCategory(e) {
      wx.navigateTo({ url: '/pages/search/index?category=' + e.currentTarget.dataset.id });
    },
    openCoupons() {
      wx.navigateTo({ url: '/pages/coupons/index' });
    },
    openFlashSale() {
      wx.navigateTo({ url: '/pages/flash-sale/index' });
    },
    openGroupBuy() {
      wx.navigateTo({ url: '/pages/group-buy/index' });
    },
    openPresale() {
      wx.navigateTo({ url: '/pages/presale/index' });
    },
  },
});
