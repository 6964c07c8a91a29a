// 购物车: lines grouped by shop with the shops' 「再买 ¥x 减 ¥y」 hints, lines that can no longer
// be bought set apart; selection and quantities are kept on the server (`/cart`), so the H5
// cart of the same shopper shows the same.
const views = require('../../utils/views.js');
const { price } = require('../../utils/format.js');
const { confirm } = require('../../utils/confirm.js');

function line(l) {
  return Object.assign({}, l, { imageUrl: views.img(l.image, 240), priceText: price(l.price) });
}

Component({
  data: { shops: [], invalid: [], allIds: [], allSelected: false, totalText: '¥0.00', selectedQty: 0, editing: false, loaded: false },
  methods: {
    onShow() {
      return this.load();
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },
    load() {
      return getApp()
        .api.get('/cart')
        .then((cart) => this.show(cart))
        .catch(() => this.setData({ loaded: true }));
    },
    show(cart) {
      const shops = cart.shops.map((s) => {
        const lines = s.lines.map(line);
        return Object.assign({}, s, {
          lines,
          ids: lines.map((l) => l.id),
          allSelected: lines.length > 0 && lines.every((l) => l.selected),
        });
      });
      const all = shops.reduce((acc, s) => acc.concat(s.lines), []);
      this.setData({
        shops,
        invalid: cart.invalid.map(line),
        allIds: all.map((l) => l.id),
        allSelected: all.length > 0 && all.every((l) => l.selected),
        totalText: price(cart.selected_goods),
        selectedQty: cart.selected_qty,
        loaded: true,
      });
    },
    select(e) {
      const { ids, on } = e.currentTarget.dataset;
      if (!ids || !ids.length) return Promise.resolve();
      return getApp()
        .api.post('/cart/select', { ids, selected: on === true || on === 'true' })
        .then(() => this.load())
        .catch(() => {});
    },
    setQty(e) {
      const id = Number(e.currentTarget.dataset.id);
      const qty = Number(e.currentTarget.dataset.qty);
      if (qty < 1) return this.remove([id]);
      return getApp()
        .api.put('/cart/items/' + id, { qty })
        .then(() => this.load())
        .catch(() => this.load());
    },
    typedQty(e) {
      const qty = Math.floor(Number(e.detail.value));
      e.currentTarget.dataset.qty = qty >= 1 ? qty : 1;
      return this.setQty(e);
    },
    remove(ids) {
      const what = ids.length > 1 ? '这 ' + ids.length + ' 件商品' : '这件商品';
      return confirm(wx, '删除商品', '确定从购物车删除' + what + '吗？').then((yes) => (yes ? getApp().api.post('/cart/remove', { ids }).then(() => this.load()).catch(() => {}) : null));
    },
    removeSelected() {
      const ids = this.data.shops.reduce((acc, s) => acc.concat(s.lines.filter((l) => l.selected).map((l) => l.id)), []);
      if (!ids.length) {
        wx.showToast({ title: '请选择要删除的商品', icon: 'none' });
        return Promise.resolve();
      }
      return this.remove(ids);
    },
    clearInvalid() {
      return this.remove(this.data.invalid.map((l) => l.id));
    },
    toggleEdit() {
      this.setData({ editing: !this.data.editing });
    },
    checkout() {
      const lines = this.data.shops.reduce((acc, s) => acc.concat(s.lines.filter((l) => l.selected)), []);
      if (!lines.length) {
        wx.showToast({ title: '请选择要结算的商品', icon: 'none' });
        return;
      }
      const spec = lines.map((l) => l.sku_id + ':' + l.qty).join(',');
      wx.navigateTo({ url: '/pages/checkout/index?from=cart&lines=' + spec });
    },
    openProduct(e) {
      wx.navigateTo({ url: '/pages/product/index?id=' + e.currentTarget.dataset.id });
    },
    goHome() {
      wx.switchTab({ url: '/pages/home/index' });
    },
  },
});
