// 分类: the live category tree (`GET /categories`); a category opens the search filtered by it
// (sub-categories included).
Component({
  data: { tree: [], current: 0, failed: false },
  methods: {
    onLoad() {
      return getApp()
        .api.get('/categories', { auth: false })
        .then((tree) => this.setData({ tree, failed: false }))
        .catch(() => this.setData({ failed: true }));
    },
    pick(e) {
      this.setData({ current: Number(e.currentTarget.dataset.index) });
    },
    open(e) {
      wx.navigateTo({ url: '/pages/search/index?category=' + e.currentTarget.dataset.id });
    },
  },
});
