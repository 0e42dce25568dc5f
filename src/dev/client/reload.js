// Gazette dev server: live reload and error overlay. Served by `gazette dev` only; `build`
// output never contains it. A file of its own because the pages' CSP forbids inline script.
(() => {
  const here = () => decodeURIComponent(location.pathname).replace(/index\.html$/, '');
  const source = new EventSource(`/__gazette/events?page=${encodeURIComponent(location.pathname)}`);
  let buildId;

  source.addEventListener('hello', (event) => {
    const hello = JSON.parse(event.data);
    // A different build id after a reconnect: the server restarted, the page may be old.
    if (buildId !== undefined && hello.buildId !== buildId) {
      location.reload();
      return;
    }
    buildId = hello.buildId;
    showErrors(hello.errors);
  });

  source.addEventListener('reload', (event) => {
    const { paths, basePath } = JSON.parse(event.data);
    const pathname = decodeURIComponent(location.pathname);
    if (basePath && pathname.startsWith(basePath.from)) {
      const rest = pathname.slice(basePath.from.length);
      location.replace(`${encodeURI(`${basePath.to}${rest}`)}${location.search}`);
      return;
    }
    const current = here();
    if (!paths || paths.some((href) => decodeURIComponent(href) === current)) location.reload();
  });

  source.addEventListener('css', (event) => {
    const { paths } = JSON.parse(event.data);
    const wanted = new Set(paths.map((href) => decodeURIComponent(href)));
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      if (url.origin !== location.origin || !wanted.has(decodeURIComponent(url.pathname))) continue;
      // The new sheet is swapped in once loaded, so the page never shows unstyled.
      url.searchParams.set('gazette-dev', String(Date.now()));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener('load', () => link.remove(), { once: true });
      fresh.addEventListener('error', () => fresh.remove(), { once: true });
      link.after(fresh);
    }
  });

  source.addEventListener('errors', (event) => showErrors(JSON.parse(event.data).errors));

  let overlay;
  // Problems the reader chose to hide stay hidden, across reloads, until they change: an
  // archive of scraped files may carry errors the build recovered from and no one can fix.
  const DISMISSED = 'gazette-dev-hidden-problems';
  const hiddenProblems = () => {
    try {
      return sessionStorage.getItem(DISMISSED);
    } catch {
      return null;
    }
  };
  const hideOverlay = () => {
    overlay?.remove();
    overlay = undefined;
  };
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') overlay?.querySelector('.gazette-dev-overlay__hide')?.click();
  });

  function showErrors(errors) {
    const signature = JSON.stringify(errors ?? []);
    if (!errors || errors.length === 0 || hiddenProblems() === signature) {
      hideOverlay();
      return;
    }
    if (!document.querySelector('link[data-gazette-dev]')) {
      const sheet = document.createElement('link');
      sheet.rel = 'stylesheet';
      sheet.href = '/__gazette/overlay.css';
      sheet.dataset.gazetteDev = '';
      document.head.append(sheet);
    }
    overlay?.remove();
    overlay = document.createElement('div');
    overlay.className = 'gazette-dev-overlay';
    overlay.setAttribute('role', 'alert');
    const box = document.createElement('div');
    box.className = 'gazette-dev-overlay__box';
    const title = document.createElement('h2');
    title.textContent =
      errors.length === 1 ? 'Gazette: 1 problem' : `Gazette: ${errors.length} problems`;
    const hide = document.createElement('button');
    hide.type = 'button';
    hide.className = 'gazette-dev-overlay__hide';
    hide.textContent = 'Hide';
    hide.title = 'Hide these problems until they change (Esc)';
    hide.addEventListener('click', () => {
      try {
        sessionStorage.setItem(DISMISSED, signature);
      } catch {
        // Without storage the overlay is hidden for this page only.
      }
      hideOverlay();
    });
    box.append(hide, title);
    const list = document.createElement('ul');
    for (const error of errors.slice(0, 50)) {
      const item = document.createElement('li');
      const file = document.createElement('code');
      file.className = 'gazette-dev-overlay__file';
      file.textContent = error.line ? `${error.file}:${error.line}` : error.file;
      const message = document.createElement('pre');
      message.textContent = error.message;
      item.append(file, message);
      list.append(item);
    }
    box.append(list);
    const hint = document.createElement('p');
    hint.textContent = 'The page updates on the next good save.';
    box.append(hint);
    overlay.append(box);
    document.body.append(overlay);
  }
})();
