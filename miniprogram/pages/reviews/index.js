// 商品评价: a product's figures (rating, 好评率), filters with their counts (全部/有图/好评/中评/
// 差评/追评) and its reviews, ten at a time as the shopper scrolls.
const views = require('../../utils/views.js');

const FILTERS = [
  { key: 'all', label: '全部', count: (s) => s.total - s.automatic },
  { key: 'photos', label: '有图', count: (s) => s.with_photos },
  { key: 'positive', label: '好评', count: (s) => s.positive - s.automatic },
  { key: 'neutral', label: '中评', count: (s) => s.neutral },
  { key: 'negative', label: '差评', count: (s) => s.negative },
  { key: 'appended', label: '追评', count: (s) => s.with_append },
];

Component({
  data: { summary: null, ratingText: '', rateText: '', filters: [], current: 'all', rows: [], page: 0, hasMore: true, loading: false, missing: '' },
  methods: {
    onLoad(options) {
      this.productId = Number((options || {}).product);
      return this.load(1);
    },
    onReachBottom() {
      if (this.data.hasMore && !this.data.loading) return this.load(this.data.page + 1);
      return Promise.resolve();
    },
    setFilter(e) {
      this.setData({ current: e.currentTarget.dataset.key, rows: [] });
      return this.load(1);
    },
    load(page) {
      this.setData({ loading: true });
      const q = '?filter=' + this.data.current + '&page=' + page;
      return getApp()
        .api.get('/products/' + this.productId + '/reviews' + q, { auth: false, quiet: true })
        .then((d) => {
          const s = d.summary;
          const rows = (page === 1 ? [] : this.data.rows).concat(d.rows.map(views.review));
          this.setData({
            summary: s,
            ratingText: s.total ? views.decimal(s.rating_x10, 1) : '—',
            rateText: views.decimal(Math.floor((s.positive_rate_bps + 5) / 10), 1) + '%',
            filters: FILTERS.map((f) => ({ key: f.key, label: f.label + ' ' + f.count(s) })),
            rows,
            page,
            hasMore: page * 10 < d.matching,
          });
        })
        .catch((e) => this.setData({ missing: e.status === 404 ? '商品不存在或已下架' : e.message }))
        .then(() => this.setData({ loading: false }));
    },
  },
});
