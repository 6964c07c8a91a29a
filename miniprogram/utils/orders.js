// Order list tabs and states as the shopper sees them, mapped to the API's names
// (`GET /orders?tab=`; an order's `status`).

/** The tabs of 我的订单, in order: label and the API's tab name. */
const TABS = [
  { key: 'all', label: '全部' },
  { key: 'unpaid', label: '待付款' },
  { key: 'to_ship', label: '待发货' },
  { key: 'shipped', label: '待收货' },
  { key: 'to_review', label: '待评价' },
  { key: 'after_sale', label: '售后' },
];

/** The tab a 我的 shortcut or a deep link names; unknown names show 全部. */
function tabIndex(key) {
  const i = TABS.findIndex((t) => t.key === key);
  return i < 0 ? 0 : i;
}

const STATUS_LABELS = {
  unpaid: '待付款',
  grouping: '待成团',
  awaiting_balance: '待付尾款',
  to_ship: '待发货',
  shipped: '待收货',
  completed: '已完成',
  cancelled: '已取消',
};

/** Buttons an order offers, from the `actions` the server lists for the reader (the order
 * state machine lives on the server; the client never decides what is allowed). */
const BUTTONS = [
  { action: 'pay', label: '去付款', primary: true },
  { action: 'pay_balance', label: '支付尾款', primary: true },
  { action: 'cancel', label: '取消订单' },
  { action: 'confirm_receipt', label: '确认收货', primary: true },
  { action: 'request_after_sale', label: '申请售后' },
];

/** 评价: offered while a line of the completed order waits for its review (`to_review`). */
const REVIEW_BUTTON = { action: 'review', label: '评价', primary: true };

/** What an order summary shows: its state's label and its buttons. */
function orderState(summary) {
  const actions = summary.actions || [];
  // 支付尾款 only while the balance window is open (`balance.payable_now`)
  const payableNow = !!(summary.balance && summary.balance.payable_now);
  const buttons = BUTTONS.filter(
    (b) =>
      actions.indexOf(b.action) >= 0 &&
      !(b.action === 'request_after_sale' && summary.after_sale_open) &&
      !(b.action === 'pay_balance' && !payableNow)
  );
  if (summary.to_review) buttons.push(REVIEW_BUTTON);
  return {
    label: STATUS_LABELS[summary.status] || summary.status,
    buttons,
  };
}

/** An after-sale's kinds and states as the shopper reads them (the server's names). */
const AFTER_SALE_KINDS = { refund_only: '仅退款', return_refund: '退货退款' };
const AFTER_SALE_STATES = {
  pending: '待商家处理',
  rejected: '商家已拒绝',
  arbitrating: '平台介入中',
  awaiting_return: '待买家退货',
  returned: '待商家收货',
  refunding: '退款中',
  refunded: '退款成功',
  closed: '已关闭',
};

module.exports = { TABS, tabIndex, orderState, STATUS_LABELS, AFTER_SALE_KINDS, AFTER_SALE_STATES };
