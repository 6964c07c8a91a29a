// 售后: with `?order=` the request form (lines and quantities, 仅退款 or 退货退款, reason,
// up to 6 photos uploaded through `wx.chooseMedia` + `/uploads/image`); with `?id=` the
// after-sale's state, amount (and whether a coupon came back), and what the shopper may do next.
const views = require('../../utils/views.js');
const { price } = require('../../utils/format.js');
const subscribe = require('../../utils/subscribe.js');
const photoUpload = require('../../utils/photos.js');
const { AFTER_SALE_KINDS, AFTER_SALE_STATES } = require('../../utils/orders.js');

// the shopper's moves the server lists (`actions`) → the API's action names and labels
const MOVES = [
  { action: 'send_back', api: 'return', label: '提交退货物流', primary: true },
  { action: 'appeal', api: 'appeal', label: '申请平台介入', primary: true },
  { action: 'withdraw', api: 'withdraw', label: '撤销申请' },
];

/** Units left to refund on an order line, and the paid share of `qty` of them (fen, an
 * estimate: the server computes the exact refund, the last unit taking the remainder). */
function estimate(line, qty) {
  if (qty <= 0) return 0;
  if (qty >= line.qty - line.refund_qty) return line.pay_amount - line.refund_amount;
  return Math.floor((line.pay_amount * qty) / line.qty);
}

Component({
  data: {
    mode: '',
    missing: '',
    order: null,
    lines: [],
    kind: 'refund_only',
    reason: '',
    photos: [],
    uploading: false,
    submitting: false,
    error: '',
    estimateText: '¥0.00',
    a: null,
    buttons: [],
    carrier: '',
    trackingNo: '',
  },
  methods: {
    onLoad(options) {
      const o = options || {};
      if (o.id) {
        this.afterSaleId = Number(o.id);
        this.setData({ mode: 'view' });
        return this.loadView();
      }
      this.orderId = Number(o.order);
      this.setData({ mode: 'apply' });
      return this.loadOrder();
    },
    loadOrder() {
      return getApp()
        .api.get('/orders/' + this.orderId, { quiet: true })
        .then((d) => {
          const s = d.order.summary;
          const lines = s.items.map((it) => {
            const left = it.qty - it.refund_qty;
            return Object.assign(views.orderItem(it), { left, chosen: false, qty: left, raw: it });
          });
          if (lines.filter((l) => l.left > 0).length === 1) lines.find((l) => l.left > 0).chosen = true;
          this.setData({ order: s, lines, kind: s.status === 'to_ship' ? 'refund_only' : this.data.kind });
          this.updateEstimate();
        })
        .catch((e) => this.setData({ missing: e.status === 404 ? '订单不存在' : e.message }));
    },
    updateEstimate() {
      const fen = this.data.lines.filter((l) => l.chosen).reduce((n, l) => n + estimate(l.raw, l.qty), 0);
      this.setData({ estimateText: price(fen) });
    },
    toggleLine(e) {
      const i = Number(e.currentTarget.dataset.index);
      const l = this.data.lines[i];
      if (!l.left) return;
      this.setData({ ['lines[' + i + '].chosen']: !l.chosen });
      this.updateEstimate();
    },
    stepQty(e) {
      const i = Number(e.currentTarget.dataset.index);
      const l = this.data.lines[i];
      const qty = Math.max(1, Math.min(l.left, l.qty + Number(e.currentTarget.dataset.step)));
      this.setData({ ['lines[' + i + '].qty']: qty });
      this.updateEstimate();
    },
    setKind(e) {
      this.setData({ kind: e.currentTarget.dataset.kind });
    },
    typedReason(e) {
      this.setData({ reason: e.detail.value });
    },
    addPhotos() {
      if (this.data.uploading) return Promise.resolve();
      return photoUpload.choose(wx, 6 - this.data.photos.length).then((paths) => {
        if (!paths.length) return null;
        this.setData({ uploading: true });
        return photoUpload
          .upload(getApp().api, paths, (p) => this.setData({ photos: this.data.photos.concat([p]) }))
          .then(() => this.setData({ uploading: false }));
      });
    },
    removePhoto(e) {
      const photos = this.data.photos.slice();
      photos.splice(Number(e.currentTarget.dataset.index), 1);
      this.setData({ photos });
    },
    submit() {
      const chosen = this.data.lines.filter((l) => l.chosen);
      const reason = this.data.reason.trim();
      let error = '';
      if (!chosen.length) error = '请选择要售后的商品';
      else if (reason.length < 2) error = '请填写申请原因（至少 2 个字）';
      this.setData({ error });
      if (error || this.data.submitting) return Promise.resolve();
      this.setData({ submitting: true });
      const api = getApp().api;
      const body = {
        order_id: this.orderId,
        kind: this.data.kind,
        reason,
        lines: chosen.map((l) => ({ order_item_id: l.id, qty: l.qty })),
        photos: this.data.photos.map((p) => p.key),
      };
      // 售后结果 is asked for on this tap, before the request is sent
      return subscribe
        .ask(api, wx, 'after_sale')
        .then(() => api.post('/after-sales', body, { quiet: true }))
        .then((id) => wx.redirectTo({ url: '/pages/after-sale/index?id=' + id }))
        .catch((e) => this.setData({ error: e.message }))
        .then(() => this.setData({ submitting: false }));
    },
    loadView() {
      return getApp()
        .api.get('/after-sales/' + this.afterSaleId, { quiet: true })
        .then((a) => {
          this.setData({
            a: Object.assign({}, a, {
              items: a.items.map((it) => Object.assign({}, it, { imageUrl: views.img(it.image, 240), amountText: price(it.amount) })),
            }),
            statusLabel: AFTER_SALE_STATES[a.status] || a.status,
            kindLabel: AFTER_SALE_KINDS[a.kind],
            amountText: price(a.amount),
            shippingText: price(a.shipping_amount),
            photoUrls: a.photos.map((k) => views.img(k, 750)),
            buttons: MOVES.filter((m) => a.actions.indexOf(m.action) >= 0),
            canSendBack: a.actions.indexOf('send_back') >= 0,
          });
        })
        .catch((e) => this.setData({ missing: e.status === 404 ? '售后单不存在' : e.message }));
    },
    typed(e) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value });
    },
    act(e) {
      const move = MOVES.find((m) => m.action === e.currentTarget.dataset.action);
      const body = { action: move.api };
      if (move.api === 'return') {
        body.carrier = this.data.carrier.trim();
        body.tracking_no = this.data.trackingNo.trim();
      }
      return getApp()
        .api.post('/after-sales/' + this.afterSaleId + '/actions', body)
        .then(() => {
          wx.showToast({ title: '已提交', icon: 'success' });
          return this.loadView();
        })
        .catch(() => {});
    },
    previewPhoto(e) {
      wx.previewImage({ current: e.currentTarget.dataset.src, urls: this.data.photoUrls });
    },
  },
});
