// Two columns of product cards (from `utils/views.card`); a tap opens the product.
Component({
  properties: { items: { type: Array, value: [] } },
  methods: {
    open(e) {
      wx.navigateTo({ url: '/pages/product/index?id=' + e.currentTarget.dataset.id });
    },
  },
});
