// 我的评价: the lines still to review (by order, each opening 发表评价) and the shopper's reviews
// with the shops' replies; 追加评价 opens a text box under a review while its 90 days last.
const views = require('../../utils/views.js');

Component({
  data: { waiting: [], rows: [], page: 0, hasMore: true, loading: false, appending: 0, appendText: '', error: '' },
  methods: {
    onShow() {
      return this.reload();
    },
    reload() {
      const api = getApp().api;
      return Promise.all([api.get('/reviews/waiting', { quiet: true }), this.load(1)])
        .then(([lines]) => {
          const orders = [];
          lines.forEach((l) => {
            const o = orders.find((x) => x.order_id === l.order_id);
            if (o) o.count += 1;
            else orders.push({ order_id: l.order_id, title: l.title, image: views.img(l.image, 240), count: 1 });
          });
          this.setData({ waiting: orders });
        })
        .catch(() => {});
    },
    onReachBottom() {
      if (this.data.hasMore && !this.data.loading) return this.load(this.data.page + 1);
      return Promise.resolve();
    },
    load(page) {
      this.setData({ loading: true });
      return getApp()
        .api.get('/reviews?page=' + page, { quiet: true })
        .then((d) => {
          const rows = (page === 1 ? [] : this.data.rows).concat(d.rows.map(views.review));
          this.setData({ rows, page, hasMore: page * 10 < d.matching });
        })
        .catch(() => {})
        .then(() => this.setData({ loading: false }));
    },
    review(e) {
      wx.navigateTo({ url: '/pages/review/index?order=' + e.currentTarget.dataset.id });
    },
    openAppend(e) {
      this.setData({ appending: Number(e.currentTarget.dataset.id), appendText: '', error: '' });
    },
    typedAppend(e) {
      this.setData({ appendText: e.detail.value });
    },
    sendAppend() {
      const content = this.data.appendText.trim();
      if (!content) {
        this.setData({ error: '请填写追评内容' });
        return Promise.resolve();
      }
      return getApp()
        .api.post('/reviews/' + this.data.appending + '/append', { content, images: [] }, { quiet: true })
        .then(() => {
          wx.showToast({ title: '追评成功', icon: 'success' });
          this.setData({ appending: 0 });
          return this.load(1);
        })
        .catch((e) => this.setData({ error: e.message }));
    },
  },
});
