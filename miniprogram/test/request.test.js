// The request wrapper against a scripted `wx`: envelopes, toasts, one shared re-login on 401
// and exactly one retry, no loop when sign-in itself fails.
const { createClient, TOKEN_KEY } = require('../utils/request.js');

/** A fake `wx` whose `request` answers from `server(method, path, body, headers)`. */
function fakeWx(server, { codes } = {}) {
  const storage = {};
  const calls = [];
  const toasts = [];
  let logins = 0;
  const wx = {
    calls,
    toasts,
    get logins() {
      return logins;
    },
    storage,
    getStorageSync: (k) => storage[k] || '',
    setStorageSync: (k, v) => {
      storage[k] = v;
    },
    removeStorageSync: (k) => delete storage[k],
    showToast: (t) => toasts.push(t.title),
    login: ({ success }) => {
      logins += 1;
      setTimeout(() => success({ code: codes ? codes.shift() : 'code-' + logins }), 1);
    },
    request: ({ url, method, data, header, success }) => {
      const path = url.replace('https://mall.example/api/mp/v1', '');
      calls.push({ method, path, auth: header.Authorization || '', visitor: header['X-Visitor-Id'] });
      const [statusCode, body] = server(method, path, data, header);
      setTimeout(() => success({ statusCode, data: body }), 1);
    },
  };
  return wx;
}

const okLogin = (token) => [200, { code: 0, msg: 'ok', data: { token, expires_at: 0, is_new_user: false, user: { id: 1, nickname: 'x' } } }];

test('signs in first, sends the bearer token and unwraps the envelope', async () => {
  const wx = fakeWx((m, p, d, h) => {
    if (p === '/auth/wx-login') return okLogin('t1');
    return h.Authorization === 'Bearer t1' ? [200, { code: 0, msg: 'ok', data: { n: 3 } }] : [401, { code: 40100, msg: '请先登录', data: null }];
  });
  const api = createClient(wx, { apiBase: 'https://mall.example/api/mp/v1' });
  await expect(api.get('/cart')).resolves.toEqual({ n: 3 });
  expect(wx.storage[TOKEN_KEY]).toBe('t1');
  expect(wx.calls.map((c) => c.path)).toEqual(['/auth/wx-login', '/cart']);
});

test('a 401 signs in again once for all waiting requests, each retried exactly once', async () => {
  let valid = 'new';
  const wx = fakeWx((m, p, d, h) => {
    if (p === '/auth/wx-login') return okLogin(valid);
    return h.Authorization === 'Bearer ' + valid ? [200, { code: 0, msg: 'ok', data: p }] : [401, { code: 40100, msg: '请先登录', data: null }];
  });
  wx.storage[TOKEN_KEY] = 'expired';
  const api = createClient(wx, { apiBase: 'https://mall.example/api/mp/v1' });
  const answers = await Promise.all([api.get('/cart'), api.get('/orders'), api.get('/coupons')]);
  expect(answers).toEqual(['/cart', '/orders', '/coupons']);
  expect(wx.logins).toBe(1);
  expect(wx.calls.filter((c) => c.path === '/auth/wx-login')).toHaveLength(1);
  for (const p of ['/cart', '/orders', '/coupons']) {
    expect(wx.calls.filter((c) => c.path === p)).toHaveLength(2);
  }
});

test('a token refused again after re-login is an error, not a loop', async () => {
  const wx = fakeWx((m, p) => (p === '/auth/wx-login' ? okLogin('t') : [401, { code: 40100, msg: '请先登录', data: null }]));
  const api = createClient(wx, { apiBase: 'https://mall.example/api/mp/v1' });
  await expect(api.get('/me')).rejects.toMatchObject({ status: 401, message: '请先登录' });
  expect(wx.calls.filter((c) => c.path === '/me')).toHaveLength(2);
  expect(wx.toasts).toEqual(['请先登录']);
});

test('a refused sign-in (429) goes to the retry prompt and is not retried by itself', async () => {
  const failed = [];
  const wx = fakeWx((m, p) =>
    p === '/auth/wx-login' ? [429, { code: 42900, msg: '登录太频繁，请稍后再试', data: null }] : [200, { code: 0, msg: 'ok', data: 1 }],
  );
  const api = createClient(wx, { apiBase: 'https://mall.example/api/mp/v1', onSignInFailed: (e) => failed.push(e.status) });
  await expect(api.get('/cart')).rejects.toMatchObject({ status: 429 });
  expect(failed).toEqual([429]);
  expect(wx.calls.map((c) => c.path)).toEqual(['/auth/wx-login']);
});

test("the server's message is shown for a refusal, and the invalid field is kept", async () => {
  const wx = fakeWx((m, p) =>
    p === '/auth/wx-login'
      ? okLogin('t')
      : [422, { code: 42201, msg: '请填写收货人', data: { field: 'receiver' } }],
  );
  const api = createClient(wx, { apiBase: 'https://mall.example/api/mp/v1' });
  await expect(api.post('/addresses', {})).rejects.toMatchObject({ status: 422, field: 'receiver', message: '请填写收货人' });
  expect(wx.toasts).toEqual(['请填写收货人']);
  await expect(api.post('/addresses', {}, { quiet: true })).rejects.toMatchObject({ status: 422 });
  expect(wx.toasts).toHaveLength(1);
});

test('a network failure becomes a plain Chinese message', async () => {
  const wx = fakeWx(() => okLogin('t'));
  wx.request = ({ fail }) => setTimeout(() => fail({ errMsg: 'request:fail timeout' }), 1);
  wx.storage[TOKEN_KEY] = 't';
  const api = createClient(wx, { apiBase: 'https://mall.example/api/mp/v1' });
  await expect(api.get('/cart')).rejects.toMatchObject({ status: 0, message: '网络超时，请稍后重试' });
});

test('every request carries the same stored visitor id, made once per phone', async () => {
  const wx = fakeWx((m, p) => (p === '/auth/wx-login' ? okLogin('t') : [200, { code: 0, msg: 'ok', data: null }]));
  const api = createClient(wx, { apiBase: 'https://mall.example/api/mp/v1' });
  await api.get('/home', { auth: false });
  await api.get('/cart');
  const ids = new Set(wx.calls.map((c) => c.visitor));
  expect(ids.size).toBe(1);
  const [id] = ids;
  expect(id).toMatch(/^[A-Za-z0-9]{24}$/);
  expect(wx.storage.jishi_visitor).toBe(id);
  // the next start of the mini-program keeps it
  const again = createClient(wx, { apiBase: 'https://mall.example/api/mp/v1' });
  await again.get('/home', { auth: false });
  expect(wx.calls[wx.calls.length - 1].visitor).toBe(id);
});
