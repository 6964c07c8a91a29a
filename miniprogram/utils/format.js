// Display helpers shared by pages. Money arrives as integer fen and is formatted with integer
// arithmetic only (never fen / 100 in floating point, which prints 0.1 + 0.2 style errors).

/** `1230` → `"12.30"`; `-5` → `"-0.05"`. */
function yuan(fen) {
  const n = Math.trunc(Number(fen) || 0);
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const cents = String(abs % 100).padStart(2, '0');
  return sign + String(Math.floor(abs / 100)) + '.' + cents;
}

/** `1230` → `"¥12.30"`. */
function price(fen) {
  const y = yuan(fen);
  return y.startsWith('-') ? '-¥' + y.slice(1) : '¥' + y;
}

/** A price range of a product's SKUs: `"¥9.90"` or `"¥9.90 起"`. */
function priceFrom(min, max) {
  return max > min ? price(min) + ' 起' : price(min);
}

/** Epoch ms → China time `"2026-12-02 18:05"` whatever the phone's time zone. */
function chinaTime(ms) {
  const d = new Date(Number(ms) + 8 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return (
    d.getUTCFullYear() + '-' + p(d.getUTCMonth() + 1) + '-' + p(d.getUTCDate()) + ' ' +
    p(d.getUTCHours()) + ':' + p(d.getUTCMinutes())
  );
}

/** Seconds left until `deadlineMs` as `"14:59"` (or `"1:02:03"`); `"0:00"` when past. */
function countdown(deadlineMs, nowMs) {
  const s = Math.max(0, Math.floor((deadlineMs - nowMs) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? h + ':' + String(m).padStart(2, '0') + ':' + sec : m + ':' + sec;
}

/**
 * The URL of one stored size of an image key (`edge` 240, 750 or 1500), on the server that
 * `apiBase` names; an empty key is the server's placeholder (as `image_url` on the server).
 */
function imageUrl(apiBase, key, edge) {
  const origin = String(apiBase).replace(/^(https?:\/\/[^/]+).*$/, '$1');
  if (!key) return origin + '/placeholder.svg';
  return origin + '/media/' + key + '_' + (edge || 240) + '.jpg';
}

module.exports = { yuan, price, priceFrom, chinaTime, countdown, imageUrl };
