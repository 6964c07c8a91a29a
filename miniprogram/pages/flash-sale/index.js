// 限时秒杀: slots from now to the end of tomorrow (`GET /flash-sales`), running first; each item
// with its price against the normal one and the sold share. 马上抢 opens the checkout of that one
// item (`flash_sale_item_id`). The countdown runs from the server's time, not the phone's clock.
const config = require('../../config.js');
const { price, imageUrl, countdown } = require('../../utils/format.js');

/** `12-05 10:00` of an epoch ms, China time. */
function slotLabel(ms) {
  const d = new Date(Number(ms) + 8 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()) + ' ' + p(d.getUTCHours()) + ':' + p(d.getUTCMinutes());
}

function item(i, running) {
  return {
    id: i.id,
    sku_id: i.sku_id,
    product_id: i.product_id,
    title: i.title,
    spec: i.spec_label,
    image: imageUrl(config.apiBase, i.image, 240),
    priceText: price(i.price),
    normalText: price(i.normal_price),
    percent: i.sold_percent,
    limitText: '每人限购 ' + i.per_user_limit + ' 件',
    soldOut: i.sold >= i.quantity,
    running,
  };
}

Component({
  data: { slots: [], chosen: 0, items: [], running: false, clock: '', loaded: false },
  methods: {
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
    load() {
      return getApp()
        .api.get('/flash-sales')
        .then((b) => {
          // the server's clock minus the phone's: countdowns add it to Date.now()
          this.skew = b.now - Date.now();
          this.board = b.slots;
          this.setData({
            slots: b.slots.map((s) => ({ label: slotLabel(s.slot.starts_at), phase: s.phase === 'running' ? '抢购中' : '即将开始' })),
            loaded: true,
          });
          this.pick(Math.min(this.data.chosen, Math.max(0, b.slots.length - 1)));
        })
        .catch(() => this.setData({ loaded: true }));
    },
    choose(e) {
      this.pick(Number(e.currentTarget.dataset.index));
    },
    pick(index) {
      const s = (this.board || [])[index];
      if (!s) {
        this.setData({ chosen: 0, items: [] });
        return;
      }
      const running = s.phase === 'running';
      this.until = running ? s.slot.ends_at : s.slot.starts_at;
      this.setData({ chosen: index, running, items: s.items.map((i) => item(i, running)) });
      this.startClock();
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
    open(e) {
      wx.navigateTo({ url: '/pages/product/index?id=' + e.currentTarget.dataset.product });
    },
    buy(e) {
      const { id, sku } = e.currentTarget.dataset;
      wx.navigateTo({ url: '/pages/checkout/index?lines=' + encodeURIComponent(sku + ':1') + '&flash=' + id });
    },
  },
});
