// 商品详情: gallery, price of the picked SKU, the shop's coupons to claim and full-reductions
// that cover the product, its 拼团 (发起拼团 per SKU, open groups to join with their time left
// from the server's clock), its 预售 (the ship promise, 立即预订 per SKU), the spec picker, add
// to cart or buy now.
const views = require('../../utils/views.js');
const spec = require('../../utils/spec.js');
const { price, priceFrom, countdown } = require('../../utils/format.js');

const MAX_QTY = 999;

/** `定金 ¥10.00 抵 ¥30.00` for one SKU of a 定金 presale; '' for a presale paid in full. */
function depositOf(plan, skuId) {
  const d = plan && plan.skus.find((x) => x.sku_id === skuId);
  if (!d) return '';
  return d.deposit_value > d.deposit ? '定金 ' + price(d.deposit) + ' 抵 ' + price(d.deposit_value) : '定金 ' + price(d.deposit);
}

Component({
  data: {
    p: null,
    missing: '',
    images: [],
    priceText: '',
    shopLogo: '',
    coupons: [],
    promotions: [],
    group: null,
    groups: [],
    presale: null,
    reviews: [],
    reviewTotal: 0,
    reviewRate: '',
    picked: [],
    dims: [],
    sku: null,
    skuPrice: '',
    originalText: '',
    pickText: '请选择规格',
    missingDims: '',
    qty: 1,
    pickerOpen: false,
    action: 'cart',
  },
  methods: {
    onLoad(options) {
      this.productId = Number((options || {}).id);
      const api = getApp().api;
      // a shared card opens with from=share: the mall counts where its visitors come from
      const from = (options || {}).from === 'share' ? '?from=share' : '';
      return api
        .get('/products/' + this.productId + from, { auth: false, quiet: true })
        .then((p) => {
          this.setData({
            p,
            images: (p.images.length ? p.images : ['']).map((k) => views.img(k, 750)),
            priceText: priceFrom(p.min_price, p.max_price),
            shopLogo: views.img(p.shop.logo, 240),
          });
          wx.setNavigationBarTitle({ title: p.title });
          this.pick(spec.initialPick(p.spec_dims, p.skus));
          return Promise.all([this.loadCoupons(), this.loadPromotions(), this.loadGroupBuy(), this.loadPresale(), this.loadReviews()]);
        })
        .catch((e) => this.setData({ missing: e.status === 404 ? '商品不存在或已下架' : e.message }));
    },
    onHide() {
      this.stopClock();
    },
    onUnload() {
      this.stopClock();
    },
    onShareAppMessage() {
      const p = this.data.p;
      return { title: p ? p.title : '集市', path: '/pages/product/index?id=' + this.productId + '&from=share' };
    },
    loadCoupons() {
      return getApp()
        .api.get('/coupons/claimable?shop_id=' + this.data.p.shop.id, { quiet: true })
        .then((list) => this.setData({ coupons: list.map(views.coupon) }))
        .catch(() => {});
    },
    loadPromotions() {
      const id = this.productId;
      return getApp()
        .api.get('/shops/' + this.data.p.shop.id + '/full-reductions', { auth: false, quiet: true })
        .then((list) =>
          this.setData({ promotions: list.filter((l) => !l.product_ids.length || l.product_ids.indexOf(id) >= 0) })
        )
        .catch(() => {});
    },
    loadGroupBuy() {
      return getApp()
        .api.get('/products/' + this.productId + '/group-buy', { auth: false, quiet: true })
        .then((d) => {
          if (!d) return;
          const a = d.activity;
          const several = a.skus.length > 1;
          // the server's clock minus the phone's: countdowns add it to Date.now()
          this.skew = d.now - Date.now();
          this.openGroups = d.groups.slice(0, 5);
          this.setData({
            group: {
              id: a.id,
              sizeText: a.group_size + '人拼团',
              limitText: '每人限购 ' + a.per_user_limit + ' 件',
              skus: a.skus.map((s) => ({
                sku_id: s.sku_id,
                spec: s.spec_label,
                priceText: price(s.price),
                normalText: price(s.normal_price),
                soldOut: s.sold >= s.quantity,
                label: (several && s.spec_label ? s.spec_label + ' ' : '') + '发起拼团',
              })),
            },
          });
          this.startClock();
        })
        .catch(() => {});
    },
    loadPresale() {
      return getApp()
        .api.get('/products/' + this.productId + '/presale', { auth: false, quiet: true })
        .then((a) => {
          if (!a) return;
          const several = a.skus.length > 1;
          this.setData({
            presale: {
              id: a.id,
              title: a.title,
              shipText: a.ship_text,
              // 定金 + 尾款: when the balance is paid, and what a missed one does to the deposit
              depositText: a.deposit ? '付尾款 ' + a.deposit.balance_window + ' · ' + a.deposit.missed_label : '',
              limitText: '每人限购 ' + a.per_user_limit + ' 件',
              skus: a.skus.map((s) => ({
                sku_id: s.sku_id,
                spec: s.spec_label,
                priceText: price(s.price),
                // a presale may sell at the normal price: nothing to strike through then
                normalText: s.normal_price > s.price ? price(s.normal_price) : '',
                soldOut: s.sold >= s.quantity,
                depositText: depositOf(a.deposit, s.sku_id),
                label: (several && s.spec_label ? s.spec_label + ' ' : '') + (a.deposit ? '付定金' : '立即预订'),
              })),
            },
          });
        })
        .catch(() => {});
    },
    startClock() {
      this.stopClock();
      const tick = () => {
        const now = Date.now() + this.skew;
        this.setData({
          groups: this.openGroups
            .filter((g) => g.expires_at > now)
            .map((g) => {
              const leader = g.members.find((m) => m.leader);
              return {
                id: g.id,
                leader: leader ? leader.name : '',
                text: '还差 ' + Math.max(0, g.size - g.paid) + ' 人 · 剩余 ' + countdown(g.expires_at, now),
              };
            }),
        });
      };
      tick();
      if (this.openGroups.length) this.timer = setInterval(tick, 1000);
    },
    stopClock() {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    },
    openGroupBuy(e) {
      const sku = e.currentTarget.dataset.sku;
      wx.navigateTo({ url: '/pages/checkout/index?lines=' + encodeURIComponent(sku + ':1') + '&group_buy=' + this.data.group.id });
    },
    bookPresale(e) {
      const sku = e.currentTarget.dataset.sku;
      wx.navigateTo({ url: '/pages/checkout/index?lines=' + encodeURIComponent(sku + ':1') + '&presale=' + this.data.presale.id });
    },
    joinGroup(e) {
      wx.navigateTo({ url: '/pages/group/index?id=' + e.currentTarget.dataset.id });
    },
    loadReviews() {
      return getApp()
        .api.get('/products/' + this.productId + '/reviews', { auth: false, quiet: true })
        .then((d) =>
          this.setData({
            reviewTotal: d.summary.total,
            reviewRate: d.summary.total ? '好评率 ' + views.decimal(Math.floor((d.summary.positive_rate_bps + 5) / 10), 1) + '%' : '',
            reviews: d.rows.slice(0, 2).map(views.review),
          })
        )
        .catch(() => {});
    },
    openReviews() {
      wx.navigateTo({ url: '/pages/reviews/index?product=' + this.productId });
    },
    claim(e) {
      const templateId = Number(e.currentTarget.dataset.id);
      return getApp()
        .api.post('/coupons/claim', { template_id: templateId })
        .then(() => {
          wx.showToast({ title: '领取成功', icon: 'success' });
          return this.loadCoupons();
        })
        .catch(() => {});
    },
    pick(picked) {
      const p = this.data.p;
      const sku = spec.skuOf(p.skus, picked);
      const unpicked = p.spec_dims.filter((_, i) => !picked[i]).map((d) => d.name);
      const qty = sku ? Math.max(1, Math.min(this.data.qty, sku.stock || 1)) : this.data.qty;
      this.setData({
        picked,
        dims: spec.options(p.spec_dims, p.skus, picked),
        sku,
        qty,
        skuPrice: sku ? price(sku.price) : '',
        originalText: sku ? price(sku.original_price) : '',
        pickText: sku ? sku.spec_values.join(' / ') + ' × ' + qty : '请选择规格',
        missingDims: unpicked.join('、'),
      });
    },
    pickValue(e) {
      const { d, value } = e.currentTarget.dataset;
      this.pick(spec.toggle(this.data.picked, Number(d), value));
    },
    setQty(n) {
      const cap = this.data.sku ? Math.min(MAX_QTY, this.data.sku.stock) : MAX_QTY;
      const qty = Math.max(1, Math.min(cap, Math.floor(Number(n)) || 1));
      this.setData({ qty });
      this.pick(this.data.picked);
    },
    less() {
      this.setQty(this.data.qty - 1);
    },
    more() {
      this.setQty(this.data.qty + 1);
    },
    typedQty(e) {
      this.setQty(e.detail.value);
    },
    openPicker() {
      this.setData({ pickerOpen: true });
    },
    closePicker() {
      this.setData({ pickerOpen: false });
    },
    askAdd() {
      this.setData({ pickerOpen: true, action: 'cart' });
    },
    askBuy() {
      this.setData({ pickerOpen: true, action: 'buy' });
    },
    confirmPick() {
      const sku = this.data.sku;
      if (!sku) {
        wx.showToast({ title: '请选择' + this.data.missingDims, icon: 'none' });
        return Promise.resolve();
      }
      if (sku.stock <= 0) {
        wx.showToast({ title: '该规格已售罄', icon: 'none' });
        return Promise.resolve();
      }
      this.setData({ pickerOpen: false });
      if (this.data.action === 'buy') {
        wx.navigateTo({ url: '/pages/checkout/index?lines=' + sku.id + ':' + this.data.qty });
        return Promise.resolve();
      }
      return getApp()
        .api.post('/cart/items', { sku_id: sku.id, qty: this.data.qty })
        .then(() => wx.showToast({ title: '已加入购物车', icon: 'success' }))
        .catch(() => {});
    },
    preview(e) {
      wx.previewImage({ current: e.currentTarget.dataset.src, urls: this.data.images });
    },
    openShop() {
      wx.navigateTo({ url: '/pages/shop/index?id=' + this.data.p.shop.id });
    },
    openCart() {
      wx.switchTab({ url: '/pages/cart/index' });
    },
  },
});
