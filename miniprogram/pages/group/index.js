// 拼团: a group's share page (`GET /groups/{id}`, as the signed-in shopper): the members who
// paid (the leader marked; virtual members only ever as a count), the seats being paid for and
// the free ones, the time left from the server's clock, 参团 per SKU leading to the checkout of
// that one line in this group (`group_buy_id` and `group_id`), the shopper's own order, and
// sharing the page to a friend.
const views = require('../../utils/views.js');
const { price, countdown } = require('../../utils/format.js');

const ENDED = {
  succeeded: '拼团成功',
  failed: '拼团失败，已付款的订单将全额原路退回',
  pending: '团长付款后开团',
  cancelled: '未开团',
};
const MY_STATUS = { unpaid: '待支付', joined: '已参团' };

/** `n` placeholders for a `wx:for`. */
const seats = (n) => Array.from({ length: Math.max(0, n) }, (_, i) => i);

Component({
  data: { p: null, missing: '', members: [], paying: [], free: [], skus: [], open: false, short: 0, stateText: '', virtualText: '', clock: '', myText: '', productImage: '', priceText: '', normalText: '' },
  methods: {
    onLoad(options) {
      this.groupId = Number((options || {}).id);
    },
    onShow() {
      return this.load();
    },
    onHide() {
      this.stopClock();
    },
    onUnload() {
      this.stopClock();
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh());
    },
    onShareAppMessage() {
      const p = this.data.p;
      const title = p ? '还差 ' + this.data.short + ' 人，' + price(p.activity.from_price) + ' 拼「' + p.activity.product_title + '」' : '一起拼团';
      return { title, path: '/pages/group/index?id=' + this.groupId };
    },
    load() {
      return getApp()
        .api.get('/groups/' + this.groupId, { quiet: true })
        .then((p) => this.show(p))
        .catch((e) => this.setData({ missing: e.status === 404 ? '拼团不存在' : e.message }));
    },
    show(p) {
      const g = p.group;
      const a = p.activity;
      const open = g.status === 'open';
      // the server's clock minus the phone's: the countdown adds it to Date.now()
      this.skew = p.now - Date.now();
      this.until = g.expires_at;
      const several = a.skus.length > 1;
      this.setData({
        p,
        missing: '',
        open,
        short: Math.max(0, g.size - g.paid),
        stateText: open ? '' : ENDED[g.status] || g.status_label,
        // virtual members are a number, never faces
        virtualText: g.status === 'succeeded' && g.virtual_count > 0 ? '另有 ' + g.virtual_count + ' 个名额由系统补位' : '',
        members: g.members.map((m, i) => Object.assign({}, m, { key: i, initial: m.name.slice(0, 1) })),
        paying: seats(open ? g.size - g.paid - g.seats_left : 0),
        free: seats(open ? g.seats_left : 0),
        productImage: views.img(a.image, 240),
        priceText: price(a.from_price),
        normalText: price(a.from_normal_price),
        skus: a.skus.map((s) => ({
          sku_id: s.sku_id,
          label: (several && s.spec_label ? s.spec_label + ' ' : '') + price(s.price) + ' 参团',
          soldOut: s.sold >= s.quantity,
        })),
        myText: p.my_status ? MY_STATUS[p.my_status] || p.my_status : '',
      });
      if (open && g.expires_at > p.now) this.startClock();
      else this.stopClock();
    },
    startClock() {
      this.stopClock();
      const tick = () => {
        const now = Date.now() + this.skew;
        this.setData({ clock: countdown(this.until, now) });
        if (now >= this.until) {
          this.stopClock();
          this.load();
        }
      };
      tick();
      this.timer = setInterval(tick, 1000);
    },
    stopClock() {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    },
    join(e) {
      const p = this.data.p;
      const sku = e.currentTarget.dataset.sku;
      wx.navigateTo({
        url: '/pages/checkout/index?lines=' + encodeURIComponent(sku + ':1') + '&group_buy=' + p.activity.id + '&group=' + p.group.id,
      });
    },
    openProduct() {
      wx.navigateTo({ url: '/pages/product/index?id=' + this.data.p.activity.product_id });
    },
    openOrder() {
      wx.navigateTo({ url: '/pages/order/index?id=' + this.data.p.my_order_id });
    },
  },
});
