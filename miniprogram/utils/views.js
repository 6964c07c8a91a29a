// What pages show of the API's records: prices as text (WXML cannot call functions) and image
// keys as URLs of the server's media.
const config = require('../config.js');
const { price, priceFrom, imageUrl, chinaTime } = require('./format.js');

const img = (key, edge) => imageUrl(config.apiBase, key, edge);

/** A product card of a list (home, search, shop). */
function card(p) {
  return {
    id: p.id,
    title: p.title,
    image: img(p.image, 750),
    priceText: priceFrom(p.min_price, p.max_price),
    sales: p.sales,
    shopName: p.shop_name,
    origin: p.origin,
  };
}

/** A coupon (claimable or held): its face, rule and validity as text. */
function coupon(c) {
  return Object.assign({}, c, {
    validText: c.validity_text || '',
    issuer: c.shop_name ? c.shop_name + ' 店铺券' : '平台券',
  });
}

/** An order line: image URL and money as text. */
function orderItem(it) {
  return Object.assign({}, it, {
    image: img(it.image, 240),
    unitText: price(it.unit_price),
    payText: price(it.pay_amount),
    refundText: it.refund_qty > 0 ? '已退 ' + it.refund_qty + ' 件 ' + price(it.refund_amount) : '',
  });
}

/** Stars as text: `★★★★☆`. */
function stars(n) {
  const k = Math.max(0, Math.min(5, Number(n) || 0));
  return '★★★★★'.slice(0, k) + '☆☆☆☆☆'.slice(0, 5 - k);
}

/** A mean × 10 or × 100 as a decimal: (48, 1) → `"4.8"`, (482, 2) → `"4.82"`. */
function decimal(value, places) {
  const scale = places === 2 ? 100 : 10;
  const v = Math.trunc(Number(value) || 0);
  return Math.floor(v / scale) + '.' + String(v % scale).padStart(places, '0');
}

/** A review (the API's `ReviewView`): stars, time and pictures ready for WXML. */
function review(r) {
  const pics = (keys) => keys.map((k) => ({ thumb: img(k, 240), big: img(k, 750) }));
  return Object.assign({}, r, {
    starsText: stars(r.goods_stars),
    timeText: chinaTime(r.at),
    pictures: pics(r.images),
    lineImage: img(r.image, 240),
    appendView: r.append
      ? Object.assign({}, r.append, {
          when: r.append.days_after > 0 ? r.append.days_after + ' 天后追评' : '当天追评',
          pictures: pics(r.append.images),
        })
      : null,
    canAppend: (r.actions || []).indexOf('append') >= 0,
  });
}

module.exports = { img, card, coupon, orderItem, stars, decimal, review };
