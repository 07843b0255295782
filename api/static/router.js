// The URL is the state: which view a URL shows, moving between URLs without reloading the page,
// and putting back the scroll position or focus when a view is rendered.

import { isAbort } from './api.js';
import { main } from './page.js';
import { readSearch } from './search-url.js';

let views = {}; // route name → async function (route, { signal, focus }) that renders it
let pageController = null; // aborts the requests of the page being left
let cleanups = []; // undoes what the page being left set up (graph resize observers)
let renderedSearch = null; // the query string of the page on screen

export function readRoute() {
  const params = new URLSearchParams(location.search);
  if (params.get('study')) return { name: 'study', id: params.get('study') };
  if (params.get('concept')) return { name: 'concept', id: params.get('concept') };
  if (params.get('view') === 'themes') return { name: 'themes' };
  return { name: 'search', ...readSearch(params) };
}

/** Run `undo` when the page on screen is left. */
export function onLeave(undo) {
  cleanups.push(undo);
}

function saveScroll() {
  history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
}

/** Change the URL without rendering; the popstate handler then knows which page is on screen. */
export function setURL(href, { replace = false, state = {} } = {}) {
  if (replace) history.replaceState(state, '', href);
  else history.pushState(state, '', href);
  renderedSearch = location.search;
}

export function navigate(href, { replace = false } = {}) {
  saveScroll();
  const url = new URL(href, location.href);
  setURL(url, { replace: replace || url.href === location.href });
  render({ focus: true });
}

/** Render the current URL again, as a Retry button does. */
export function reload() {
  return render({ focus: true });
}

function setNav(name) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function render({ focus = false, scrollY = null } = {}) {
  if (pageController) pageController.abort();
  pageController = new AbortController();
  const { signal } = pageController;
  for (const undo of cleanups) undo();
  cleanups = [];
  const route = readRoute();
  renderedSearch = location.search;
  setNav(route.name);
  try {
    await views[route.name](route, { signal, focus });
  } catch (err) {
    if (isAbort(err)) return;
    throw err;
  }
  if (signal.aborted) return;
  const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.scrollIntoView();
    target.focus({ preventScroll: true });
  } else if (scrollY !== null && scrollY !== undefined) {
    window.scrollTo(0, scrollY);
  } else if (focus) {
    window.scrollTo(0, 0);
    if (route.name !== 'search') {
      const heading = main.querySelector('h1');
      if (heading) heading.focus({ preventScroll: true });
    }
  }
}

// Same-page links (/?…) are handled here, so the page is not reloaded.
function followLink(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
      || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname !== '/') return;
  if (url.search === location.search && url.hash) return; // an anchor on this page
  event.preventDefault();
  navigate(url.href);
}

function followHistory(event) {
  // Following an anchor on the page changes only the hash: let the browser scroll, don't re-render.
  if (location.search === renderedSearch) return;
  render({ scrollY: event.state && typeof event.state.scrollY === 'number' ? event.state.scrollY : 0 });
}

/** Handle links and Back/Forward with `routes` (route name → view) and render the current URL. */
export function startRouter(routes) {
  views = routes;
  document.addEventListener('click', followLink);
  window.addEventListener('popstate', followHistory);
  history.scrollRestoration = 'manual';
  const saved = history.state && typeof history.state.scrollY === 'number' ? history.state.scrollY : null;
  render({ focus: saved === null && readRoute().name === 'search', scrollY: saved });
}
