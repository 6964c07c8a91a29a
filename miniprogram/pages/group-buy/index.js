// 拼团: the activities selling now (`GET /group-buys`), ending soonest first, each with its
// group size, lowest group price against the normal one and the groups open now; a tap opens
// the product, whose page starts or joins a group.
const views = require('../../utils/views.js');
const { price } = require('../../utils/format.js');

function row(a) {
  return {
    id: a.id,
    product_id: a.product_id,
    title: a.title,
    shop: a.shop_name + ' · ' + a.product_title,
    image: views.img(a.image, 240),
    sizeText: a.group_size + '人团',
    priceText: price(a.from_price),
    normalText: price(a.from_normal_price),
    openText: a.open_groups > 0 ? a.open_groups + ' 个团正在拼' : '',
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
        .api.get('/group-buys', { auth: false, quiet: true })
        .then((list) => this.setData({ rows: list.map(row), loaded: true }))
        .catch(() => this.setData({ loaded: true }));
    },
    open(e) {
      wx.navigateTo({ url: '/pages/product/index?id=' + e.currentTarget.dataset.product });
    },
  },
});
