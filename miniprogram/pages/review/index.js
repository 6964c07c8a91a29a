// 发表评价 of an order (`?order=`): each line waiting for its review gets goods stars, text (up
// to 500 characters) and up to 9 photos; the order gets service and logistics stars and the
// anonymous switch. The server checks everything again (stars 1–5, photos uploaded, the line
// the shopper's and not refunded in full) and masks sensitive words.
const views = require('../../utils/views.js');
const photoUpload = require('../../utils/photos.js');

const MAX_PHOTOS = 9;
const STAR_WORDS = ['', '非常差', '差', '一般', '好', '非常好'];

Component({
  data: { lines: [], service: 5, logistics: 5, anonymous: false, uploading: false, submitting: false, error: '', missing: '', words: STAR_WORDS, fives: [1, 2, 3, 4, 5] },
  methods: {
    onLoad(options) {
      this.orderId = Number((options || {}).order);
      return getApp()
        .api.get('/reviews/waiting?order_id=' + this.orderId, { quiet: true })
        .then((list) =>
          this.setData({
            lines: list.map((l) => ({ id: l.order_item_id, title: l.title, spec: l.spec_label, image: views.img(l.image, 240), stars: 5, content: '', photos: [] })),
          })
        )
        .catch((e) => this.setData({ missing: e.status === 404 ? '这个订单没有待评价的商品' : e.message }));
    },
    star(e) {
      const { field, index, n } = e.currentTarget.dataset;
      if (field === 'goods') this.setData({ ['lines[' + index + '].stars']: Number(n) });
      else this.setData({ [field]: Number(n) });
    },
    typed(e) {
      this.setData({ ['lines[' + e.currentTarget.dataset.index + '].content']: e.detail.value });
    },
    toggleAnonymous() {
      this.setData({ anonymous: !this.data.anonymous });
    },
    addPhotos(e) {
      const i = Number(e.currentTarget.dataset.index);
      if (this.data.uploading) return Promise.resolve();
      return photoUpload.choose(wx, MAX_PHOTOS - this.data.lines[i].photos.length).then((paths) => {
        if (!paths.length) return null;
        this.setData({ uploading: true });
        const key = 'lines[' + i + '].photos';
        return photoUpload
          .upload(getApp().api, paths, (p) => this.setData({ [key]: this.data.lines[i].photos.concat([p]) }))
          .then(() => this.setData({ uploading: false }));
      });
    },
    removePhoto(e) {
      const { index, photo } = e.currentTarget.dataset;
      const list = this.data.lines[index].photos.slice();
      list.splice(Number(photo), 1);
      this.setData({ ['lines[' + index + '].photos']: list });
    },
    submit() {
      if (this.data.submitting || this.data.uploading) return Promise.resolve();
      const tooLong = this.data.lines.find((l) => l.content.trim().length > 500);
      if (tooLong) {
        this.setData({ error: '「' + tooLong.title + '」的评价最多 500 个字' });
        return Promise.resolve();
      }
      this.setData({ submitting: true, error: '' });
      const body = {
        lines: this.data.lines.map((l) => ({
          order_item_id: l.id,
          goods_stars: l.stars,
          service_stars: this.data.service,
          logistics_stars: this.data.logistics,
          content: l.content.trim(),
          images: l.photos.map((p) => p.key),
          anonymous: this.data.anonymous,
        })),
      };
      return getApp()
        .api.post('/orders/' + this.orderId + '/reviews', body, { quiet: true })
        .then(() => {
          wx.showToast({ title: '评价成功', icon: 'success' });
          wx.redirectTo({ url: '/pages/my-reviews/index' });
        })
        .catch((e) => this.setData({ error: e.message }))
        .then(() => this.setData({ submitting: false }));
    },
  },
});
