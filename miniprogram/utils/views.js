// What pages show of the API's records: prices as text (WXML cannot call functions) and image
// keys as URLs of the server's media.
const config = require('../config.js');
const { price, priceFrom, imageUrl } = require('./format.js');

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

module.exports = { img, card, coupon, orderItem };
