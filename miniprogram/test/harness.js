// What the page tests run the mini-program in: miniprogram-simulate renders a page (each page is
// a `Component()`), and a fake `wx` records navigation and toasts and answers prompts, while
// `wx.request` and `wx.uploadFile` really go over HTTP (to a Jishi server for the journeys).
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const simulate = require('miniprogram-simulate');
// the event system j-component renders with (a dependency of miniprogram-simulate)
const exparser = require('miniprogram-exparser');

const ROOT = path.join(__dirname, '..');

// miniprogram-simulate runs a component's JS with `require`, which under jest returns the
// module from its registry after the first time: a component used by two pages (the product
// grid) would call `Component()` only once, and the second page would render without it. Run
// the component files afresh each time instead, their own `require`s still going through jest
// (so pages share `config.js` and the subscription templates with `app.js`, as in WeChat).
require('miniprogram-simulate/src/utils').runJs = (filePath) => {
  const file = require.resolve(filePath);
  const dir = path.dirname(file);
  const localRequire = (p) => require(p.startsWith('.') ? path.resolve(dir, p) : p);
  const module = { exports: {} };
  // eslint-disable-next-line no-new-func
  new Function('require', 'module', 'exports', '__filename', '__dirname', fs.readFileSync(file, 'utf8'))(
    localRequire,
    module,
    module.exports,
    file,
    dir
  );
};

/** A request with node's http: status, headers and the body as text. */
function httpCall(method, url, body, headers) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request(
      { method, hostname: u.hostname, port: u.port, path: u.pathname + u.search, headers: headers || {} },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ statusCode: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      }
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** A `wx` whose network calls are real and whose UI calls are recorded. */
function fakeWx() {
  const storage = new Map();
  let codes = 0;
  let inflight = 0;
  const track = (done) => {
    inflight += 1;
    return (...args) => {
      inflight -= 1;
      done(...args);
    };
  };
  const w = {
    /** Resolves once no request, upload or prompt has been pending for a few ticks. */
    async idle() {
      let quiet = 0;
      for (let i = 0; i < 1000 && quiet < 3; i++) {
        await new Promise((r) => setTimeout(r, 10));
        quiet = inflight === 0 ? quiet + 1 : 0;
      }
    },
    nav: [],
    toasts: [],
    // every answer the client got: method, URL, status and body
    answers: [],
    modals: [],
    // answers for the next showModal calls (default: confirm)
    modalAnswers: [],
    // files `chooseMedia` picks, and the address `chooseAddress` gives
    mediaToPick: [],
    wechatAddress: null,
    // the openid the fake WeChat server gives this phone's codes
    user: 'shopper-a',
    request(o) {
      const headers = Object.assign({}, o.header);
      let body = null;
      if (o.data !== undefined && o.method !== 'GET') body = JSON.stringify(o.data);
      const settle = track((f) => f());
      httpCall(o.method || 'GET', o.url, body, headers).then(
        (r) => settle(() => {
          let data = r.text;
          try {
            data = JSON.parse(r.text);
          } catch (e) {
            /* not JSON */
          }
          w.answers.push({ method: o.method || 'GET', url: o.url, status: r.statusCode, body: data });
          o.success && o.success({ statusCode: r.statusCode, data, header: {} });
        }),
        (e) => settle(() => o.fail && o.fail({ errMsg: 'request:fail ' + e.message }))
      );
    },
    uploadFile(o) {
      const boundary = 'wxupload' + Date.now();
      const file = fs.readFileSync(o.filePath);
      const head = Buffer.from(
        '--' + boundary + '\r\nContent-Disposition: form-data; name="' + o.name + '"; filename="' + path.basename(o.filePath) +
          '"\r\nContent-Type: application/octet-stream\r\n\r\n'
      );
      const body = Buffer.concat([head, file, Buffer.from('\r\n--' + boundary + '--\r\n')]);
      const headers = Object.assign({ 'content-type': 'multipart/form-data; boundary=' + boundary }, o.header);
      const settle = track((f) => f());
      httpCall('POST', o.url, body, headers).then(
        (r) =>
          settle(() => {
            let data = null;
            try {
              data = JSON.parse(r.text);
            } catch (e) {
              /* not JSON */
            }
            w.answers.push({ method: 'POST', url: o.url, status: r.statusCode, body: data });
            o.success && o.success({ statusCode: r.statusCode, data: r.text });
          }),
        (e) => settle(() => o.fail && o.fail({ errMsg: 'uploadFile:fail ' + e.message }))
      );
    },
    login(o) {
      codes += 1;
      o.success({ code: w.user + '-' + codes });
    },
    getStorageSync: (k) => storage.get(k) || '',
    setStorageSync: (k, v) => storage.set(k, v),
    removeStorageSync: (k) => storage.delete(k),
    showToast(o) {
      w.toasts.push(o.title);
    },
    showModal(o) {
      w.modals.push(o.content);
      const confirm = w.modalAnswers.length ? w.modalAnswers.shift() : true;
      setTimeout(() => o.success && o.success({ confirm, cancel: !confirm }), 0);
    },
    navigateTo(o) {
      w.nav.push(o.url);
    },
    redirectTo(o) {
      w.nav.push(o.url);
    },
    switchTab(o) {
      w.nav.push(o.url);
    },
    navigateBack() {
      w.nav.push('back');
    },
    chooseMedia(o) {
      setTimeout(() => o.success({ tempFiles: w.mediaToPick.map((p) => ({ tempFilePath: p })) }), 0);
    },
    chooseAddress(o) {
      setTimeout(() => (w.wechatAddress ? o.success(w.wechatAddress) : o.fail({ errMsg: 'cancel' })), 0);
    },
    // what the shopper answers WeChat's subscription prompt, and the prompts shown
    subscribeAnswer: 'accept',
    subscribePrompts: [],
    requestSubscribeMessage(o) {
      w.subscribePrompts.push(o.tmplIds);
      const res = {};
      o.tmplIds.forEach((id) => (res[id] = w.subscribeAnswer));
      setTimeout(() => o.success(res), 0);
    },
    requestPayment(o) {
      setTimeout(() => o.fail({ errMsg: 'requestPayment:fail not in WeChat' }), 0);
    },
    setNavigationBarTitle() {},
    stopPullDownRefresh() {},
    previewImage() {},
  };
  return w;
}

let appDefinition = null;

/**
 * Installs `w` as the global `wx` and launches `app.js` against `apiBase` (a fresh app each
 * time: its own client, its own sign-in).
 */
async function install(w, apiBase) {
  Object.assign(global.wx, w);
  const config = require('../config.js');
  config.apiBase = apiBase;
  if (!appDefinition) {
    global.App = (definition) => (appDefinition = definition);
    require('../app.js');
  }
  const app = Object.create(appDefinition);
  global.getApp = () => app;
  require('../utils/subscribe.js')._reset();
  app.onLaunch();
  await w.idle();
  return app;
}

/**
 * Renders `pages/<name>/index` and runs its `onLoad(query)` and `onShow()` as WeChat would,
 * waiting for what they load.
 */
async function openPage(name, query) {
  const page = simulate.render(simulate.load(path.join(ROOT, 'pages', name, 'index'), { rootPath: ROOT }));
  page.attach(document.createElement('parent-wrapper'));
  const m = page.instance;
  if (m.onLoad) await m.onLoad(query || {});
  if (m.onShow) await m.onShow();
  return page;
}

/** `"/pages/product/index?id=3&x=1"` → `{ page: 'product', query: { id: '3', x: '1' } }`. */
function parseNav(url) {
  const [p, qs] = url.split('?');
  const query = {};
  (qs || '').split('&').filter(Boolean).forEach((kv) => {
    const [k, v] = kv.split('=');
    query[k] = v;
  });
  return { page: p.replace(/^\/pages\//, '').replace(/\/index$/, ''), query };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = require('net').createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * A stand-in for WeChat's server API: `jscode2session` (the openid is the code without its
 * counter), the stable access token, and subscribe-send, whose messages it keeps in `sent`.
 */
function fakeWechat() {
  const sent = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    res.setHeader('content-type', 'application/json');
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (u.pathname === '/sns/jscode2session') {
        const code = u.searchParams.get('js_code') || '';
        res.end(JSON.stringify({ openid: 'o-' + code.replace(/-\d+$/, ''), session_key: 'sk' }));
      } else if (u.pathname === '/cgi-bin/stable_token') {
        res.end(JSON.stringify({ access_token: 'fake-token', expires_in: 7200 }));
      } else if (u.pathname === '/cgi-bin/message/subscribe/send') {
        const ok = u.searchParams.get('access_token') === 'fake-token';
        if (ok) sent.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.end(JSON.stringify(ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 40001, errmsg: 'invalid credential' }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  server.sent = sent;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The subscription templates the journeys' server has (`wechat.subscribe.*`). */
const TEMPLATES = { shipped: 'tmpl-shipped', refunded: 'tmpl-refunded', after_sale_decided: 'tmpl-after-sale' };

/**
 * Seeds the demo marketplace into a fresh data directory and serves it with `JISHI_BINARY`
 * (default: the debug build `cargo test` makes), WeChat sign-in answered by `fakeWechat`.
 */
async function startServer() {
  const binary = process.env.JISHI_BINARY || path.join(ROOT, '..', 'target', 'debug', 'jishi');
  if (!fs.existsSync(binary)) throw new Error('no server binary at ' + binary + ': build it (cargo build -p server) or set JISHI_BINARY');
  const wechat = await fakeWechat();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jishi-mp-'));
  const port = await freePort();
  const env = Object.assign({}, process.env, {
    JISHI_DATA_DIR: dataDir,
    JISHI_DATABASE_URL: 'sqlite://' + dataDir + '/jishi.db',
    JISHI_LISTEN: '127.0.0.1:' + port,
    JISHI_SITE_ROOT: path.join(ROOT, '..', 'target', 'site'),
    JISHI_LOG: 'warn',
    JISHI_WECHAT__APPID: 'wx-test-app',
    JISHI_WECHAT__SECRET: 'test-secret',
    JISHI_WECHAT__API_BASE: 'http://127.0.0.1:' + wechat.address().port,
    JISHI_WECHAT__SUBSCRIBE__SHIPPED__TEMPLATE_ID: TEMPLATES.shipped,
    JISHI_WECHAT__SUBSCRIBE__REFUNDED__TEMPLATE_ID: TEMPLATES.refunded,
    JISHI_WECHAT__SUBSCRIBE__AFTER_SALE_DECIDED__TEMPLATE_ID: TEMPLATES.after_sale_decided,
    // the notice job and the timers run every second
    JISHI_ORDERS__SWEEP_SECS: '1',
  });
  execFileSync(binary, ['seed-demo'], { env, stdio: 'ignore' });
  const proc = spawn(binary, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = 'http://127.0.0.1:' + port;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await httpCall('GET', base + '/healthz')).statusCode === 200) break;
    } catch (e) {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    apiBase: base + '/api/mp/v1',
    // subscription messages the server sent through the fake WeChat
    sentMessages: wechat.sent,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      wechat.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A merchant acts in the console (its server functions, as the console's forms post them):
 * signs in with the demo password, then posts `form` to `/api/<endpoint>`; the answer's status.
 */
async function merchantCall(base, login, endpoint, fields) {
  const form = (o) => Object.keys(o).map((k) => k + '=' + encodeURIComponent(o[k])).join('&');
  const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: base, accept: 'application/json' };
  const signIn = await httpCall('POST', base + '/api/auth/sign-in', form({ realm: 'merchant', login, password: 'jishi2026' }), headers);
  if (signIn.statusCode >= 400) throw new Error('merchant sign-in: ' + signIn.statusCode + ' ' + signIn.text);
  const cookie = (signIn.headers['set-cookie'] || []).map((c) => c.split(';')[0]).join('; ');
  const done = await httpCall('POST', base + '/api/' + endpoint, form(fields), Object.assign({ cookie }, headers));
  return done.statusCode;
}

/**
 * Checks every answer the client got against the server's OpenAPI document: each path and
 * method the client called is documented, and each body matches the documented schema of its
 * status (so a field the client reads cannot silently leave the API or change its type).
 * Returns the problems found.
 */
async function checkAgainstOpenApi(apiBase, answers) {
  const Ajv2020 = require('ajv/dist/2020');
  const doc = JSON.parse((await httpCall('GET', apiBase + '/openapi.json')).text);
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(doc, 'openapi.json');
  const templates = Object.keys(doc.paths).map((t) => ({
    t,
    re: new RegExp('^' + t.replace(/\{[^}]+\}/g, '[^/]+') + '$'),
  }));
  const pointer = (parts) => parts.map((p) => encodeURIComponent(String(p).replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
  const problems = [];
  const checked = new Set();
  for (const a of answers) {
    const path = a.url.slice(apiBase.length).split('?')[0];
    const method = a.method.toLowerCase();
    const found = templates.find((x) => x.re.test(path) && doc.paths[x.t][method]);
    if (!found) {
      problems.push(method + ' ' + path + ': not in the OpenAPI document');
      continue;
    }
    const responses = doc.paths[found.t][method].responses || {};
    const documented = responses[String(a.status)];
    if (!documented) {
      problems.push(method + ' ' + found.t + ': status ' + a.status + ' not documented');
      continue;
    }
    const content = documented.content && documented.content['application/json'];
    if (!content || !content.schema) continue;
    const ref = 'openapi.json#/' + pointer(['paths', found.t, method, 'responses', String(a.status), 'content', 'application/json', 'schema']);
    const validate = ajv.getSchema(ref);
    if (!validate(a.body)) {
      problems.push(method + ' ' + found.t + ' ' + a.status + ': ' + ajv.errorsText(validate.errors));
    }
    checked.add(method + ' ' + found.t);
  }
  return { problems, checked: Array.from(checked).sort() };
}

/** The elements a shopper sees marked `data-test="<test>"`. */
function all(page, test) {
  return Array.from(page.dom.querySelectorAll('[data-test="' + test + '"]'));
}

/**
 * Taps the `index`th element marked `data-test="<test>"` as WeChat delivers a tap (through the
 * page's event system, bubbling to the handler bound on it or an ancestor), then waits until the
 * requests it started have answered.
 */
async function tap(w, page, test, index) {
  const el = all(page, test)[index || 0];
  if (!el) throw new Error('nothing to tap: ' + test + '[' + (index || 0) + ']');
  exparser.Event.dispatchEvent(
    el.__wxElement,
    exparser.Event.create('tap', {}, { bubbles: true, composed: true, extraFields: { touches: {}, changedTouches: {} } })
  );
  await w.idle();
}

/** The text of the first element matching `selector` in a rendered page, trimmed. */
function text(page, selector) {
  const el = page.querySelector(selector);
  return el ? el.dom.textContent.trim() : null;
}

module.exports = { fakeWx, install, openPage, parseNav, startServer, httpCall, text, all, tap, merchantCall, checkAgainstOpenApi, TEMPLATES, simulate, ROOT };
