// Photos a shopper adds to an after-sale or a review: picked with `wx.chooseMedia`, uploaded one
// at a time through `/uploads/image` (the server decodes pictures a few at a time anyway), each
// shown as soon as its key is back.
const views = require('./views.js');

/** Lets the shopper pick up to `room` pictures; resolves their temporary paths ([] if cancelled). */
function choose(wx, room) {
  if (room <= 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    wx.chooseMedia({
      count: room,
      mediaType: ['image'],
      sizeType: ['compressed'],
      success: (r) => resolve(r.tempFiles.map((f) => f.tempFilePath)),
      fail: () => resolve([]),
    });
  });
}

/**
 * Uploads `paths` in turn, calling `added({key, url})` after each; stops at the first refusal
 * (the request wrapper has shown the server's message).
 */
function upload(api, paths, added) {
  return paths
    .reduce(
      (done, path) => done.then(() => api.upload('/uploads/image', path).then((up) => added({ key: up.key, url: views.img(up.key, 240) }))),
      Promise.resolve()
    )
    .catch(() => {});
}

module.exports = { choose, upload };
