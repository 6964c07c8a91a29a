// What an order's buttons do, on the order list and the order page alike.
const { payTrade } = require('./pay.js');
const { confirm: ask } = require('./confirm.js');

/**
 * Runs `action` on `order` (an order summary); resolves `true` when the order changed here
 * and the page should load it again (paying and after-sales open other pages instead).
 */
async function run(api, wx, action, order) {
  try {
    switch (action) {
      case 'pay':
        await payTrade(api, wx, order.trade_no, order.id);
        return false;
      case 'pay_balance': {
        // the balance has a trade of its own, made once and open until its window closes
        const r = await api.post('/orders/' + order.id + '/pay-balance');
        await payTrade(api, wx, r.trade_no, order.id);
        return false;
      }
      case 'cancel':
        if (!(await ask(wx, '取消订单', '同一次支付的其他店铺订单会一起取消，确定取消吗？'))) return false;
        await api.post('/orders/' + order.id + '/cancel');
        wx.showToast({ title: '订单已取消', icon: 'success' });
        return true;
      case 'confirm_receipt':
        if (!(await ask(wx, '确认收货', '确认已收到全部商品吗？确认后货款将结算给商家。'))) return false;
        await api.post('/orders/' + order.id + '/confirm');
        wx.showToast({ title: '已确认收货', icon: 'success' });
        return true;
      case 'request_after_sale':
        wx.navigateTo({ url: '/pages/after-sale/index?order=' + order.id });
        return false;
      case 'review':
        wx.navigateTo({ url: '/pages/review/index?order=' + order.id });
        return false;
      default:
        return false;
    }
  } catch (e) {
    // the request wrapper has shown the server's message
    return true;
  }
}

module.exports = { run };
