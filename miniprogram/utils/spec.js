// The spec picker's rule: a SKU is one value per spec dimension (`spec_values` in the order of
// `spec_dims`). A value can be picked when some SKU in stock has it together with the values
// already picked in the other dimensions.

/** The SKU of a complete pick, or `null` while a dimension has no value. */
function skuOf(skus, picked) {
  if (picked.some((v) => !v)) return null;
  return skus.find((s) => s.spec_values.every((v, i) => v === picked[i])) || null;
}

/** For each dimension, each value with `on` (picked) and `off` (no SKU in stock with it). */
function options(dims, skus, picked) {
  return dims.map((dim, d) => ({
    name: dim.name,
    values: dim.values.map((value) => {
      const possible = skus.some(
        (s) => s.stock > 0 && s.spec_values[d] === value && s.spec_values.every((v, i) => i === d || !picked[i] || v === picked[i])
      );
      return { value, on: picked[d] === value, off: !possible };
    }),
  }));
}

/** The first pick to show: the only SKU, or the first one in stock, or nothing. */
function initialPick(dims, skus) {
  const first = skus.length === 1 ? skus[0] : skus.find((s) => s.stock > 0);
  return first ? first.spec_values.slice() : dims.map(() => '');
}

/** Picks `value` in dimension `d` (tapping a picked value unpicks it). */
function toggle(picked, d, value) {
  const next = picked.slice();
  next[d] = next[d] === value ? '' : value;
  return next;
}

module.exports = { skuOf, options, initialPick, toggle };
