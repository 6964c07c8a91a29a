// 搜索: words (segmented on the server), sorts 综合/销量/价格/新品, price and origin filters,
// pages of 20 loaded as the shopper scrolls (`GET /products`).
const views = require('../../utils/views.js');

const SORTS = [
  { key: 'default', label: '综合' },
  { key: 'sales', label: '销量' },
  { key: 'price_asc', label: '价格↑' },
  { key: 'price_desc', label: '价格↓' },
  { key: 'newest', label: '新品' },
];

function query(params) {
  return Object.keys(params)
    .filter((k) => params[k] !== '' && params[k] !== undefined && params[k] !== null)
    .map((k) => k + '=' + encodeURIComponent(params[k]))
    .join('&');
}

Component({
  data: {
    sorts: SORTS,
    q: '',
    category: '',
    shop: '',
    sort: 'default',
    minPrice: '',
    maxPrice: '',
    region: '',
    regions: [],
    filtersOpen: false,
    items: [],
    page: 0,
    total: 0,
    hasMore: true,
    loading: false,
    loaded: false,
  },
  methods: {
    onLoad(options) {
      const o = options || {};
      this.setData({ q: o.q ? decodeURIComponent(o.q) : '', category: o.category || '', shop: o.shop || '' });
      return this.reload();
    },
    onReachBottom() {
      if (this.data.hasMore && !this.data.loading) return this.loadPage(this.data.page + 1);
      return Promise.resolve();
    },
    typed(e) {
      this.setData({ q: e.detail.value });
    },
    field(e) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value });
    },
    submit() {
      this.setData({ filtersOpen: false });
      return this.reload();
    },
    setSort(e) {
      this.setData({ sort: e.currentTarget.dataset.key });
      return this.reload();
    },
    setRegion(e) {
      const r = e.currentTarget.dataset.region;
      this.setData({ region: this.data.region === r ? '' : r });
    },
    toggleFilters() {
      this.setData({ filtersOpen: !this.data.filtersOpen });
    },
    resetFilters() {
      this.setData({ minPrice: '', maxPrice: '', region: '' });
    },
    reload() {
      this.setData({ items: [], page: 0, hasMore: true, loaded: false });
      return this.loadPage(1);
    },
    loadPage(page) {
      const d = this.data;
      this.setData({ loading: true });
      const qs = query({
        q: d.q.trim(),
        category: d.category,
        shop: d.shop,
        sort: d.sort,
        min_price: d.minPrice,
        max_price: d.maxPrice,
        region: d.region,
        page,
      });
      return getApp()
        .api.get('/products?' + qs, { auth: false })
        .then((res) => {
          const items = (page === 1 ? [] : this.data.items).concat(res.items.map(views.card));
          this.setData({
            items,
            page,
            total: res.total,
            regions: res.regions || [],
            hasMore: page * res.page_size < res.total,
            loaded: true,
            loading: false,
          });
        })
        .catch(() => this.setData({ loading: false, loaded: true }));
    },
  },
});
