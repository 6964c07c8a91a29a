// Loads the page's islands bundle, only if the page has an island (most shop pages have none:
// they work as plain HTML). Leptos' own loader (HydrationScripts) fetches the bundle on every
// page. Islands are not nested here, so each is hydrated once, in document order.
((js, wasm) => {
  const done = () => document.documentElement.setAttribute('data-hydrated', 'true');
  const islands = document.querySelectorAll('leptos-island');
  if (islands.length === 0) return done();
  import(js).then(async (mod) => {
    await mod.default({ module_or_path: wasm });
    mod.hydrate();
    for (const el of islands) {
      const hydrate = mod[el.dataset.component];
      if (hydrate) hydrate(el);
      else console.warn(`no island ${el.dataset.component} in ${js}`);
    }
    done();
  });
})
