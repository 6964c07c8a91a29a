// Where the mini-program finds its Jishi server. Set `apiBase` to your server's HTTPS domain
// (it must also be a 合法域名 under request in the WeChat admin: 开发管理 → 开发设置 →
// 服务器域名). Tests and local DevTools runs may point it at http://127.0.0.1:3000 with
// 「不校验合法域名」 ticked.
module.exports = {
  apiBase: 'http://127.0.0.1:3000/api/mp/v1',
  // how often (ms) and how many times the pay result page asks the server whether the
  // payment has arrived: the client's own payment callback is never trusted
  payPollEveryMs: 1500,
  payPollTimes: 20,
};
