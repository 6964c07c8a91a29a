// Asking for subscription messages: the prompt shows the configured templates, only accepted ones
// are reported, and nothing is asked when the platform configured none.
const subscribe = require('../utils/subscribe.js');

function fakes(answer) {
  const posted = [];
  const prompts = [];
  const api = {
    get: () => Promise.resolve({ pay: ['t-ship', 't-refund'], after_sale: ['t-as'] }),
    post: (path, body) => {
      posted.push([path, body]);
      return Promise.resolve(true);
    },
  };
  const wx = {
    requestSubscribeMessage(o) {
      prompts.push(o.tmplIds);
      setTimeout(() => o.success(answer), 0);
    },
  };
  return { api, wx, posted, prompts };
}

beforeEach(() => subscribe._reset());

test('only the accepted templates are reported', async () => {
  const f = fakes({ 't-ship': 'accept', 't-refund': 'reject', errMsg: 'requestSubscribeMessage:ok' });
  await subscribe.load(f.api);
  expect(await subscribe.ask(f.api, f.wx, 'pay')).toEqual(['t-ship']);
  expect(f.prompts).toEqual([['t-ship', 't-refund']]);
  expect(f.posted).toEqual([['/subscriptions', { accepted: ['t-ship'] }]]);
});

test('a refusal reports nothing; no templates asks nothing', async () => {
  const f = fakes({ 't-as': 'reject' });
  await subscribe.load(f.api);
  expect(await subscribe.ask(f.api, f.wx, 'after_sale')).toEqual([]);
  expect(f.posted).toEqual([]);
  subscribe._reset();
  const g = fakes({});
  g.api.get = () => Promise.resolve({ pay: [], after_sale: [] });
  await subscribe.load(g.api);
  expect(await subscribe.ask(g.api, g.wx, 'pay')).toEqual([]);
  expect(g.prompts).toEqual([]);
});

test('a failed prompt or report never fails the tap it runs in', async () => {
  const f = fakes({});
  f.wx.requestSubscribeMessage = (o) => setTimeout(() => o.fail({ errMsg: 'can only be invoked by user TAP gesture' }), 0);
  await subscribe.load(f.api);
  await expect(subscribe.ask(f.api, f.wx, 'pay')).resolves.toEqual([]);
  const g = fakes({ 't-ship': 'accept' });
  g.api.post = () => Promise.reject(new Error('offline'));
  await subscribe.load(g.api);
  await expect(subscribe.ask(g.api, g.wx, 'pay')).resolves.toEqual([]);
});
