const spec = require('../utils/spec.js');

const dims = [
  { name: '规格', values: ['250g', '500g'] },
  { name: '等级', values: ['特级', '一级'] },
];
const skus = [
  { id: 1, spec_values: ['250g', '特级'], stock: 0, price: 5000 },
  { id: 2, spec_values: ['250g', '一级'], stock: 3, price: 3000 },
  { id: 3, spec_values: ['500g', '特级'], stock: 8, price: 9000 },
];

test('a complete pick finds its SKU; an incomplete one none', () => {
  expect(spec.skuOf(skus, ['500g', '特级']).id).toBe(3);
  expect(spec.skuOf(skus, ['500g', ''])).toBeNull();
  expect(spec.skuOf(skus, ['500g', '一级'])).toBeNull();
});

test('values that no SKU in stock has with the other picks are off', () => {
  const opts = spec.options(dims, skus, ['250g', '']);
  expect(opts[1].values).toEqual([
    { value: '特级', on: false, off: true },
    { value: '一级', on: false, off: false },
  ]);
  // 500g has no 一级 at all
  const other = spec.options(dims, skus, ['500g', '']);
  expect(other[1].values.map((v) => v.off)).toEqual([false, true]);
  // with nothing picked, every value some SKU in stock has is on offer
  expect(spec.options(dims, skus, ['', '']).map((d) => d.values.map((v) => v.off))).toEqual([
    [false, false],
    [false, false],
  ]);
});

test('the first pick is the first SKU in stock; tapping a picked value unpicks it', () => {
  expect(spec.initialPick(dims, skus)).toEqual(['250g', '一级']);
  expect(spec.initialPick(dims, skus.map((s) => Object.assign({}, s, { stock: 0 })))).toEqual(['', '']);
  expect(spec.toggle(['250g', '一级'], 1, '一级')).toEqual(['250g', '']);
  expect(spec.toggle(['250g', ''], 0, '500g')).toEqual(['500g', '']);
});
