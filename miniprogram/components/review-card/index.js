// One review (from `utils/views.review`): who, stars, text, photos, the shop's reply, the
// append and its reply. A tap on a photo opens it full size.
Component({
  properties: { r: { type: Object, value: {} } },
  methods: {
    preview(e) {
      const { src, group } = e.currentTarget.dataset;
      const list = group === 'append' ? this.data.r.appendView.pictures : this.data.r.pictures;
      wx.previewImage({ current: src, urls: list.map((p) => p.big) });
    },
  },
});
