// The one way pages talk to the server (`/api/mp/v1`).
//
// - Signs in with `wx.login` → `POST /auth/wx-login` and sends the bearer token it gets.
// - Unwraps the envelope `{code, msg, data}`: resolves with `data`, rejects with an `ApiError`
//   carrying the HTTP status and the server's Chinese message (shown as a toast unless the
//   caller passes `quiet: true`).
// - Sends this phone's visitor id (`X-Visitor-Id`) so the mall counts its page views.
// - On 401 (token expired or revoked) signs in again once, silently, for all requests that hit
//   it together, and retries each of them exactly once; a second 401 is an error, not a loop.
// - When sign-in itself fails (400: a bad or used code, 429: WeChat's rate limit) nothing is
//   retried by itself: the failure goes to `onSignInFailed`, which shows a retry button.
//
// `wx` and storage are passed in so that tests run this module in Node.

const TOKEN_KEY = 'jishi_token';
const VISITOR_KEY = 'jishi_visitor';

/** This phone's visitor id for the mall's visit counts: random, kept in storage, nothing else. */
function visitorId(wx) {
  let id = wx.getStorageSync(VISITOR_KEY) || '';
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    id = '';
    for (let i = 0; i < 24; i++) id += chars[Math.floor(Math.random() * chars.length)];
    wx.setStorageSync(VISITOR_KEY, id);
  }
  return id;
}

class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

/** A message a shopper understands for a failure without a server answer. */
function networkMessage(errMsg) {
  if (errMsg && errMsg.indexOf('timeout') >= 0) return '网络超时，请稍后重试';
  return '网络不给力，请检查网络后重试';
}

function createClient(wx, options) {
  const base = options.apiBase.replace(/\/$/, '');
  const onSignInFailed = options.onSignInFailed || (() => {});
  let token = wx.getStorageSync(TOKEN_KEY) || '';
  const visitor = visitorId(wx);
  // the sign-in under way, shared by every request that needs it
  let signingIn = null;

  function raw(method, path, data, withToken) {
    return new Promise((resolve, reject) => {
      const header = { 'content-type': 'application/json', 'X-Visitor-Id': visitor };
      if (withToken && token) header.Authorization = 'Bearer ' + token;
      wx.request({
        url: base + path,
        method,
        data,
        header,
        timeout: options.timeout || 15000,
        success: (res) => resolve(res),
        fail: (err) => reject(new ApiError(0, 0, networkMessage(err && err.errMsg))),
      });
    });
  }

  function unwrap(res) {
    const body = res.data || {};
    if (res.statusCode >= 200 && res.statusCode < 300 && body.code === 0) return body.data;
    const message = body.msg || (res.statusCode >= 500 ? '服务器开小差了，请稍后重试' : '请求失败');
    const field = body.data && body.data.field;
    throw new ApiError(res.statusCode, body.code || res.statusCode * 100, message, field);
  }

  function wxCode() {
    return new Promise((resolve, reject) => {
      wx.login({
        success: (r) => (r.code ? resolve(r.code) : reject(new ApiError(0, 0, '微信登录失败，请重试'))),
        fail: () => reject(new ApiError(0, 0, '微信登录失败，请重试')),
      });
    });
  }

  /** Signs in (once, however many callers ask at the same moment). */
  function signIn() {
    if (!signingIn) {
      signingIn = wxCode()
        .then((code) => raw('POST', '/auth/wx-login', { code }, false))
        .then(unwrap)
        .then((data) => {
          token = data.token;
          wx.setStorageSync(TOKEN_KEY, token);
          return data;
        })
        .catch((e) => {
          onSignInFailed(e);
          throw e;
        })
        .finally(() => {
          signingIn = null;
        });
    }
    return signingIn;
  }

  function toast(e) {
    wx.showToast({ title: e.message, icon: 'none', duration: 2500 });
  }

  /**
   * A call to the API: `path` below `/api/mp/v1`. Options: `auth` (default true: sign in
   * first when there is no token), `quiet` (no toast on failure).
   */
  async function request(method, path, data, opts) {
    const o = Object.assign({ auth: true, quiet: false }, opts);
    try {
      if (o.auth && !token) await signIn();
      let res = await raw(method, path, data, o.auth);
      if (res.statusCode === 401 && o.auth) {
        token = '';
        await signIn();
        res = await raw(method, path, data, true);
      }
      return unwrap(res);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 0, '出错了，请稍后重试');
      if (!o.quiet) toast(err);
      throw err;
    }
  }

  function rawUpload(path, filePath) {
    return new Promise((resolve, reject) => {
      wx.uploadFile({
        url: base + path,
        filePath,
        name: 'file',
        header: token ? { Authorization: 'Bearer ' + token } : {},
        timeout: options.uploadTimeout || 120000,
        // the body arrives as text: the envelope is parsed here so `unwrap` sees what `request` sees
        success: (res) => {
          let data = {};
          try {
            data = JSON.parse(res.data);
          } catch (e) {
            data = {};
          }
          resolve({ statusCode: res.statusCode, data });
        },
        fail: (err) => reject(new ApiError(0, 0, networkMessage(err && err.errMsg))),
      });
    });
  }

  /** Uploads a local file (from `wx.chooseMedia`) as `file`; resolves with `data`. */
  async function upload(path, filePath, opts) {
    const o = Object.assign({ quiet: false }, opts);
    try {
      if (!token) await signIn();
      let res = await rawUpload(path, filePath);
      if (res.statusCode === 401) {
        token = '';
        await signIn();
        res = await rawUpload(path, filePath);
      }
      return unwrap(res);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 0, '上传失败，请重试');
      if (!o.quiet) toast(err);
      throw err;
    }
  }

  return {
    request,
    upload,
    get: (path, opts) => request('GET', path, undefined, opts),
    post: (path, data, opts) => request('POST', path, data, opts),
    put: (path, data, opts) => request('PUT', path, data, opts),
    del: (path, opts) => request('DELETE', path, undefined, opts),
    signIn,
    signOut() {
      token = '';
      wx.removeStorageSync(TOKEN_KEY);
    },
    hasToken: () => !!token,
  };
}

module.exports = { createClient, ApiError, TOKEN_KEY };
