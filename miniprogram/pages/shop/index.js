// 店铺: the shop's decoration, coupons to claim, full-reductions, featured and listed products
// (`GET /shops/{id}` pages of 20 as the shopper scrolls).
const views = require('../../utils/views.js');

const SORTS = [
  { key: 'default', label: '综合' },
  { key: 'sales', label: '销量' },
  { key: 'price_asc', label: '价格↑' },
  { key: 'newest', label: '新品' },
];

Component({
  data: { shop: null, missing: '', logo: '', banners: [], featured: [], items: [], coupons: [], promotions: [], scores: null, sorts: SORTS, sort: 'default', page: 1, hasMore: false },
  methods: {
    onLoad(options) {
      this.shopId = Number((options || {}).id);
      // a shared card opens with from=share (counted once, on the first page)
      this.from = (options || {}).from === 'share' ? '&from=share' : '';
      return this.loadPage(1).then(() => {
        if (!this.data.shop) return null;
        return Promise.all([this.loadCoupons(), this.loadPromotions(), this.loadScores()]);
      });
    },
    loadScores() {
      const vs = (score, category) => {
        if (!category || score === category) return '与同行持平';
        const permille = Math.round((Math.abs(score - category) * 1000) / category);
        if (!permille) return '与同行持平';
        return (score > category ? '高于同行 ' : '低于同行 ') + Math.floor(permille / 10) + '.' + (permille % 10) + '%';
      };
      return getApp()
        .api.get('/shops/' + this.shopId + '/scores', { auth: false, quiet: true })
        .then((s) =>
          this.setData({
            scores: s.reviews
              ? {
                  caption: s.reviews + ' 条评价 · 与「' + s.category + '」类店铺相比',
                  items: [
                    ['宝贝描述', s.goods_x100, s.category_goods_x100],
                    ['卖家服务', s.service_x100, s.category_service_x100],
                    ['物流服务', s.logistics_x100, s.category_logistics_x100],
                  ].map(([label, score, category]) => ({ label, value: views.decimal(score, 2), vs: vs(score, category), up: score > category })),
                }
              : null,
          })
        )
        .catch(() => {});
    },
    onReachBottom() {
      return this.data.hasMore ? this.loadPage(this.data.page + 1) : Promise.resolve();
    },
    onShareAppMessage() {
      return { title: this.data.shop ? this.data.shop.shop.name : '集市', path: '/pages/shop/index?id=' + this.shopId + '&from=share' };
    },
    takeFrom() {
      const from = this.from || '';
      this.from = '';
      return from;
    },
    loadPage(page) {
      return getApp()
        .api.get('/shops/' + this.shopId + '?page=' + page + '&sort=' + this.data.sort + this.takeFrom(), { auth: false, quiet: true })
        .then((s) => {
          const list = s.products;
          this.setData({
            shop: s,
            logo: views.img(s.shop.logo, 240),
            banners: s.banners.map((k) => views.img(k, 750)),
            featured: s.featured.map(views.card),
            items: (page === 1 ? [] : this.data.items).concat(list.items.map(views.card)),
            page,
            hasMore: page * list.page_size < list.total,
          });
          wx.setNavigationBarTitle({ title: s.shop.name });
        })
        .catch((e) => this.setData({ missing: e.status === 404 ? '店铺不存在或已暂停营业' : e.message }));
    },
    setSort(e) {
      this.setData({ sort: e.currentTarget.dataset.key });
      return this.loadPage(1);
    },
    loadCoupons() {
      return getApp()
        .api.get('/coupons/claimable?shop_id=' + this.shopId, { quiet: true })
        .then((list) => this.setData({ coupons: list.map(views.coupon) }))
        .catch(() => {});
    },
    loadPromotions() {
      return getApp()
        .api.get('/shops/' + this.shopId + '/full-reductions', { auth: false, quiet: true })
        .then((promotions) => this.setData({ promotions }))
        .catch(() => {});
    },
    claim(e) {
      return getApp()
        .api.post('/coupons/claim', { template_id: Number(e.currentTarget.dataset.id) })
        .then(() => {
          wx.showToast({ title: '领取成功', icon: 'success' });
          return this.loadCoupons();
        })
        .catch(() => {});
    },
  },
});
