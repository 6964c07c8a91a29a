// Every form outside an island is a plain HTML post to its server function, so it works before
// (and without) any script. This script, inlined in every page, sends such a form with fetch
// instead: a refused form keeps what was typed and uploaded and shows the refusal beside the
// field it names (slots rendered by ui::kit::form), and a form that went through reloads the
// page (or goes where its server function sends it) and, if the form asks, says so there. It is hand-written rather than a Rust island because an island would
// make every page with a form (most shop pages) download the wasm bundle for this alone.
(() => {
  const KEY = 'jishi-form-done';
  const here = () => location.pathname + location.search;

  const alertOf = (tag, cls, text) => {
    const el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;
    el.dataset.formAlert = '';
    return el;
  };

  // the message in the field's slot, else in the form's banner slot, else atop the form
  const show = (form, field, text, role = 'alert') => {
    const slot = field && form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (slot && role === 'alert') {
      const el = alertOf('span', 'field-alert', text);
      el.setAttribute('role', 'alert');
      el.dataset.test = 'field-error';
      el.dataset.field = field;
      slot.replaceChildren(el);
      form.elements.namedItem(field)?.setAttribute?.('aria-invalid', 'true');
      return el;
    }
    const el = alertOf('p', role === 'alert' ? 'form-alert' : 'form-done', text);
    el.setAttribute('role', role);
    const banner = form.querySelector('[data-form-banner]');
    if (banner) banner.replaceChildren(el);
    else form.prepend(el);
    return el;
  };

  const clear = (form) => {
    form.querySelectorAll('[data-form-alert]').forEach((el) => el.remove());
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  };

  // what the server answered with a refusal: the API's envelope {code, msg, data: {field}}
  const refusal = async (res) => {
    try {
      const body = await res.json();
      if (body && typeof body.msg === 'string') return [body.data?.field ?? null, body.msg];
    } catch {}
    return [null, res.status === 413 ? '提交的内容太大了' : '服务器开小差了，请稍后再试'];
  };

  document.addEventListener('submit', async (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || ev.defaultPrevented) return;
    // attributes, not properties: an input named `action` (a row's 审核/作废) hides form.action
    const attr = (name) => (form.getAttribute(name) || '').toLowerCase();
    if (attr('method') !== 'post' || form.closest('leptos-island')) return;
    const action = new URL(form.getAttribute('action') || '', location.href);
    if (action.origin !== location.origin || !action.pathname.startsWith('/api/')) return;
    ev.preventDefault();
    if (form.dataset.sending) return;
    form.dataset.sending = '';
    const buttons = [...form.querySelectorAll('button')].filter((b) => !b.disabled);
    buttons.forEach((b) => (b.disabled = true));
    const data = new FormData(form, ev.submitter);
    const multipart = attr('enctype') === 'multipart/form-data';
    let res;
    try {
      res = await fetch(action, {
        method: 'POST',
        body: multipart ? data : new URLSearchParams(data),
        headers: { Accept: 'application/json' },
      });
    } catch {
      res = null;
    }
    if (res?.ok) {
      // a server function that moves on (signed in, order placed) names where
      const to = res.headers.has('serverfnredirect') && res.headers.get('location');
      if (to) return location.assign(to);
      // said on the reloaded page: a text the server function answers, else the form's own
      // `data-done` (a form whose result the page shows anyway says nothing)
      let notice = form.dataset.done || '';
      try {
        const answer = JSON.parse(await res.text());
        if (typeof answer === 'string' && answer) notice = answer;
      } catch {}
      const url = new URL(location.href);
      url.searchParams.delete('error');
      url.searchParams.delete('field');
      const page = url.pathname + url.search;
      if (notice) sessionStorage.setItem(KEY, JSON.stringify({ page, action: form.getAttribute('action'), notice }));
      return location.replace(url);
    }
    delete form.dataset.sending;
    buttons.forEach((b) => (b.disabled = false));
    clear(form);
    const [field, text] = res ? await refusal(res) : [null, '网络异常，请稍后再试'];
    show(form, field, text).scrollIntoView({ block: 'nearest' });
  });

  // the notice of the form that went through, on the page it reloaded
  const done = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  if (done) {
    sessionStorage.removeItem(KEY);
    const form = done.page === here() && document.querySelector(`form[action="${CSS.escape(done.action)}"]`);
    if (form) show(form, null, done.notice, 'status');
  }
})();
