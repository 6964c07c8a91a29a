// 编辑地址: receiver, phone, region (the system region picker) and street; the server checks
// every field and a refusal is shown under the field it names.
const { confirm } = require('../../utils/confirm.js');

const EMPTY = { receiver: '', phone: '', province: '', city: '', district: '', detail: '', is_default: false };

Component({
  data: { id: 0, f: Object.assign({}, EMPTY), region: ['', '', ''], errors: {}, error: '' },
  methods: {
    onLoad(options) {
      const id = Number((options || {}).id) || 0;
      this.setData({ id });
      wx.setNavigationBarTitle({ title: id ? '编辑地址' : '新增地址' });
      if (!id) return Promise.resolve();
      return getApp()
        .api.get('/addresses')
        .then((list) => {
          const a = list.find((x) => x.id === id);
          if (!a) return;
          const f = { receiver: a.receiver, phone: a.phone, province: a.province, city: a.city, district: a.district, detail: a.detail, is_default: a.is_default };
          this.setData({ f, region: [a.province, a.city, a.district] });
        })
        .catch(() => {});
    },
    typed(e) {
      this.setData({ ['f.' + e.currentTarget.dataset.field]: e.detail.value });
    },
    pickRegion(e) {
      const [province, city, district] = e.detail.value;
      this.setData({ region: e.detail.value, 'f.province': province, 'f.city': city, 'f.district': district });
    },
    toggleDefault(e) {
      this.setData({ 'f.is_default': !!e.detail.value });
    },
    save() {
      const api = getApp().api;
      const id = this.data.id;
      const call = id ? api.put('/addresses/' + id, this.data.f, { quiet: true }) : api.post('/addresses', this.data.f, { quiet: true });
      return call
        .then(() => {
          wx.showToast({ title: '已保存', icon: 'success' });
          wx.navigateBack();
        })
        .catch((e) => {
          const errors = {};
          if (e.field) errors[e.field] = e.message;
          this.setData({ errors, error: e.field ? '' : e.message });
        });
    },
    remove() {
      return confirm(wx, '删除地址', '确定删除这个地址吗？').then((yes) =>
        yes
          ? getApp()
              .api.del('/addresses/' + this.data.id)
              .then(() => wx.navigateBack())
              .catch(() => {})
          : null
      );
    },
  },
});
