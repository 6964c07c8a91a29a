// Subscription messages (订阅消息): the template ids come from the server once (`load`, at
// launch); `ask` shows WeChat's prompt and reports what the shopper accepted, one message each.
// WeChat only shows the prompt from inside a tap, so `ask` calls it before anything else waits.

let templates = null;

/** Fetches the template ids to ask for (quietly: without them nothing is asked). */
function load(api) {
  return api
    .get('/subscriptions/templates', { auth: false, quiet: true })
    .then((t) => {
      templates = t;
      return t;
    })
    .catch(() => null);
}

/**
 * Asks for the templates of `where` (`pay` or `after_sale`) and reports the accepted ones.
 * Resolves when done; never fails the tap it runs in (a refusal or an error only means no
 * message will be sent).
 */
function ask(api, wx, where) {
  const ids = (templates && templates[where]) || [];
  if (!ids.length || !wx.requestSubscribeMessage) return Promise.resolve([]);
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: ids,
      success: (res) => resolve(ids.filter((id) => res[id] === 'accept')),
      fail: () => resolve([]),
    });
  }).then((accepted) => {
    if (!accepted.length) return accepted;
    return api
      .post('/subscriptions', { accepted }, { quiet: true })
      .then(() => accepted)
      .catch(() => []);
  });
}

module.exports = { load, ask, _reset: () => (templates = null) };
