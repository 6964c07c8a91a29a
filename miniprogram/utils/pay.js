// Paying a trade: the server says how (`POST /trades/{no}/pay`), the client does it, then the
// pay result page asks the server whether the payment arrived. The client's own callback is
// never taken as proof of payment.
const { price } = require('./format.js');
const { confirm } = require('./confirm.js');
const subscribe = require('./subscribe.js');

const API_PREFIX = /^\/api\/mp\/v1/;

function confirmSheet(wx, amount) {
  return confirm(wx, '确认支付', '支付 ' + price(amount) + '（模拟支付：不产生真实扣款）', '确认支付');
}

function requestPayment(wx, params) {
  return new Promise((resolve) => {
    wx.requestPayment(
      Object.assign({}, params, {
        success: () => resolve(true),
        // cancelled or failed: the result page shows what the server knows
        fail: () => resolve(false),
      })
    );
  });
}

/**
 * Pays `tradeNo` and opens the pay result page for `orderId` (one of the trade's orders). Call
 * it straight from the pay tap: it first asks for 发货通知 and 退款结果, a prompt WeChat shows
 * only from a tap — unless the caller asked already (`asked`, the checkout asks before it
 * submits).
 */
async function payTrade(api, wx, tradeNo, orderId, asked) {
  if (!asked) await subscribe.ask(api, wx, 'pay');
  const action = await api.post('/trades/' + encodeURIComponent(tradeNo) + '/pay');
  // whether the shopper went through with it: only the wording of the result page depends on it
  let tried = false;
  if (action.kind === 'wx_request_payment') {
    const params = Object.assign({}, action);
    delete params.kind;
    tried = await requestPayment(wx, params);
  } else if (action.kind === 'simulated_confirm') {
    if (await confirmSheet(wx, action.amount)) {
      await api.post(action.confirm.replace(API_PREFIX, ''));
      tried = true;
    }
  } else {
    wx.showToast({ title: '请在微信中支付', icon: 'none' });
    return;
  }
  const url = '/pages/pay-result/index?trade=' + tradeNo + '&order=' + orderId;
  wx.redirectTo({ url: tried ? url + '&tried=1' : url });
}

module.exports = { payTrade };
