// The mini-program: one API client for every page (`getApp().api`).
const config = require('./config.js');
const { createClient } = require('./utils/request.js');
const subscribe = require('./utils/subscribe.js');

App({
  onLaunch() {
    this.api = createClient(wx, {
      apiBase: config.apiBase,
      onSignInFailed: () => {
        wx.showModal({
          title: '登录失败',
          content: '微信登录没有成功，请稍后重试',
          confirmText: '重试',
          success: (r) => {
            if (r.confirm) this.api.signIn().catch(() => {});
          },
        });
      },
    });
    // the subscription prompt must open straight from a tap: know its templates beforehand
    subscribe.load(this.api);
  },
});
