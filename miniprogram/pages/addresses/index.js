// 收货地址: the address book (default first); with `?pick=1` (from checkout) a tap hands the
// address back. 导入微信地址 saves the address WeChat keeps (`wx.chooseAddress`), checked by the
// server like any other.
Component({
  data: { list: [], loaded: false, picking: false },
  methods: {
    onLoad(options) {
      this.setData({ picking: (options || {}).pick === '1' });
    },
    onShow() {
      return this.load();
    },
    load() {
      return getApp()
        .api.get('/addresses')
        .then((list) =>
          this.setData({
            loaded: true,
            list: list.map((a) => Object.assign({}, a, { text: [a.province, a.city, a.district, a.detail].join(' ') })),
          })
        )
        .catch(() => this.setData({ loaded: true }));
    },
    pick(e) {
      if (!this.data.picking) return this.edit(e);
      getApp().pickedAddressId = Number(e.currentTarget.dataset.id);
      wx.navigateBack();
      return undefined;
    },
    edit(e) {
      wx.navigateTo({ url: '/pages/address-edit/index?id=' + e.currentTarget.dataset.id });
    },
    add() {
      wx.navigateTo({ url: '/pages/address-edit/index' });
    },
    importWechat() {
      return new Promise((resolve) => {
        wx.chooseAddress({ success: resolve, fail: () => resolve(null) });
      }).then((w) => {
        if (!w) return null;
        const input = {
          receiver: w.userName,
          phone: w.telNumber,
          province: w.provinceName,
          city: w.cityName,
          district: w.countyName,
          detail: w.detailInfo || w.detailInfoNew || '',
          is_default: this.data.list.length === 0,
        };
        return getApp()
          .api.post('/addresses', input)
          .then(() => {
            wx.showToast({ title: '已导入', icon: 'success' });
            return this.load();
          })
          .catch(() => {});
      });
    },
  },
});
