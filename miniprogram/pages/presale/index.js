// 预售: the presales selling now (`GET /presales`), ending soonest first, each with the shop's
// ship promise, the lowest presale price against the normal one and the per-shopper limit; a
// tap opens the product, whose page books it (立即预订).
const views = require('../../utils/views.js');
const { price } = require('../../utils/format.js');

function row(a) {
  return {
    id: a.id,
    product_id: a.product_id,
    title: a.title,
    shop: a.shop_name + ' · ' + a.product_title,
    image: views.img(a.image, 240),
    shipText: a.ship_text,
    priceText: price(a.from_price),
    // a presale may sell at the normal price: nothing to strike through then
    normalText: a.from_normal_price > a.from_price ? price(a.from_normal_price) : '',
    limitText: '每人限购 ' + a.per_user_limit + ' 件',
  };
}

Component({
  data: { rows: [], loaded: false },
  methods: {
    onShow() {
      return this.load();
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },
    load() {
      return getApp()
        .api.get('/presales', { auth: false, quiet: true })
        .then((list) => this.setData({ rows: list.map(row), loaded: true }))
        .catch(() => this.setData({ loaded: true }));
    },
    open(e) {
      wx.navigateTo({ url: '/pages/product/index?id=' + e.currentTarget.dataset.product });
    },
  },
});
