// The search page: searches as the person types, keeps the URL in step, and moves focus by keyboard.

import { getJSON, isAbort, query } from './api.js';
import { h } from './dom.js';
import { loadFacets, maxResults } from './facets.js';
import { announce, main, setTitle } from './page.js';
import { navigate, readRoute, setURL } from './router.js';
import { createSearchForm } from './search-form.js';
import { showError, showIntro, showResults } from './search-results.js';
import { DEFAULT_K, FILTERS, hasFilters, searchHref } from './search-url.js';
import { focusableHeading, loadingBlock } from './states.js';

const DEBOUNCE_MS = 250;

const form = createSearchForm();
const { input } = form;
const status = h('p', { id: 'result-status', class: 'result-status', role: 'status', 'aria-live': 'polite' });
const results = h('div', { id: 'results', class: 'results-area' });
const root = h('div', { class: 'search-view' },
  focusableHeading(h('h1', { class: 'sr-only', text: 'Search' })), form.element, status, results);

let timer = 0;
let controller = null; // aborts the search in flight
let renderedKey = null; // the search whose answer is on screen
let facetsFilled = false;

const keyOf = (state) => JSON.stringify([state.q.trim(), state.k, ...FILTERS.map((f) => state[f])]);

async function fillFilters() {
  if (facetsFilled) return;
  facetsFilled = true;
  try {
    form.fill(await loadFacets());
  } catch (err) {
    facetsFilled = false;
    form.showFacetsError(err);
  }
}

function setSearchTitle(state) {
  setTitle(state.q.trim() ? `“${state.q.trim()}”` : 'Search');
}

/** Put the form's state in the URL (a new history entry when `push`) and search for it. */
function commit({ push }) {
  clearTimeout(timer);
  if (!root.isConnected) return Promise.resolve(); // the person has left the search page
  const state = form.read();
  const href = searchHref(state);
  if (href !== location.pathname + location.search) {
    const wasEmpty = !new URLSearchParams(location.search).get('q');
    setURL(href, { replace: !(push || (wasEmpty && state.q.trim())) });
  }
  form.clearButton.hidden = !hasFilters(state);
  setSearchTitle(state);
  return run(state);
}

async function run(state) {
  const key = keyOf(state);
  if (controller) controller.abort();
  controller = null;
  if (!state.q.trim()) {
    renderedKey = key;
    root.classList.remove('is-loading');
    results.removeAttribute('aria-busy');
    status.textContent = '';
    await showIntro(results, state);
    return;
  }
  controller = new AbortController();
  const mine = controller;
  results.setAttribute('aria-busy', 'true');
  root.classList.add('is-loading');
  status.textContent = 'Searching…';
  if (!results.querySelector('.results')) results.replaceChildren(loadingBlock('Searching…'));
  try {
    const data = await getJSON(`/search?${query({
      q: state.q.trim(), k: state.k, company: state.company, category: state.category,
      pattern: state.pattern, kind: state.kind,
    })}`, { signal: mine.signal });
    status.textContent = showResults(results, data, state,
      { onMore: () => showMore(state), onClearFilters: resetFilters });
    renderedKey = key;
  } catch (err) {
    if (isAbort(err)) return;
    status.textContent = showError(results, err, { onFilter: setFilter, onRetry: () => run(form.read()) });
    renderedKey = null;
  } finally {
    if (controller === mine) {
      controller = null;
      results.removeAttribute('aria-busy');
      root.classList.remove('is-loading');
    }
  }
}

function setFilter(field, value) {
  form.setFilter(field, value);
  commit({ push: true });
}

function resetFilters() {
  for (const f of FILTERS) form.setFilter(f, '');
  commit({ push: true });
  input.focus();
}

/** Ask for another page's worth of results, and move focus to the first new one. */
function showMore(state) {
  const next = { ...state, k: Math.min(maxResults(), state.k + DEFAULT_K) };
  setURL(searchHref(next), { replace: true, state: history.state });
  const count = results.querySelectorAll('.result').length;
  run(next).then(() => {
    const links = results.querySelectorAll('.result-link');
    if (links[count]) links[count].focus();
  });
}

// Keyboard: Escape clears, ArrowDown/ArrowUp move between the search box and result titles.
input.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    if (!input.value) return;
    event.preventDefault();
    input.value = '';
    commit({ push: true });
  } else if (event.key === 'ArrowDown') {
    const first = results.querySelector('.result-link');
    if (first) {
      event.preventDefault();
      first.focus();
    }
  }
});
results.addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const links = [...results.querySelectorAll('.result-link')];
  const at = links.indexOf(document.activeElement);
  if (at === -1) return;
  event.preventDefault();
  const next = at + (event.key === 'ArrowDown' ? 1 : -1);
  if (next < 0) input.focus();
  else if (next < links.length) links[next].focus();
});
input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => commit({ push: false }), DEBOUNCE_MS);
});
form.element.addEventListener('submit', (event) => {
  event.preventDefault();
  commit({ push: true });
});
for (const f of FILTERS) form.selects[f].addEventListener('change', () => commit({ push: true }));
form.clearButton.addEventListener('click', resetFilters);

// "/" jumps to the search box from anywhere.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const t = event.target;
  if (t.closest && t.closest('input, textarea, select, [contenteditable="true"]')) return;
  event.preventDefault();
  if (readRoute().name === 'search') input.focus();
  else navigate('/');
});

export async function showSearch(route, { focus }) {
  if (main.firstChild !== root || main.childNodes.length !== 1) main.replaceChildren(root);
  setSearchTitle(route);
  announce('');
  form.sync(route);
  fillFilters();
  if (focus) input.focus({ preventScroll: true });
  if (keyOf(route) !== renderedKey) await run(route);
}
