// A yes/no question in WeChat's modal, as a promise: resolves `true` only on the confirm button
// (a cancel or a modal that failed to open is a no). The confirm button is promotion red, as
// every destructive or paying step in the client is.
function confirm(wx, title, content, confirmText) {
  return new Promise((resolve) => {
    const opts = { title, content, confirmColor: '#ff4e4e', success: (r) => resolve(!!r.confirm), fail: () => resolve(false) };
    if (confirmText) opts.confirmText = confirmText;
    wx.showModal(opts);
  });
}

module.exports = { confirm };
