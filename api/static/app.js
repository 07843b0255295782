// The casegraph explorer: search, study, concept and themes pages over the JSON API.
// No framework and no build step; the URL is the state, so every page can be shared and reloaded.

import { getJSON, isAbort, query } from './api.js';
import {
  conceptChip, conceptHref, h, highlighted, kindBadge, kindLabel, markWord, plural, sectionAnchor,
  slugTitle, studyHref, typeLabel,
} from './dom.js';
import { drawGraph } from './graph.js';

const main = document.getElementById('main');
const pageStatus = document.getElementById('page-status');
const FILTERS = ['company', 'category', 'pattern', 'kind'];
const DEFAULT_K = 10;
const DEBOUNCE_MS = 250;
const EXAMPLES = ['consistent hashing', 'garbage collector pauses', 'zero-downtime migration', 'hot partition'];

let pageController = null; // aborts the requests of the page being left
let cleanups = []; // undoes what the page being left set up (graph resize observers)
let renderedSearch = null; // the query string of the page on screen

// ---- routing ------------------------------------------------------------------------------------

function readRoute() {
  const params = new URLSearchParams(location.search);
  if (params.get('study')) return { name: 'study', id: params.get('study') };
  if (params.get('concept')) return { name: 'concept', id: params.get('concept') };
  if (params.get('view') === 'themes') return { name: 'themes' };
  const k = Number.parseInt(params.get('k') || '', 10);
  const route = { name: 'search', q: params.get('q') || '', k: k >= 1 && k <= 100 ? k : DEFAULT_K };
  for (const f of FILTERS) route[f] = params.get(f) || '';
  return route;
}

function searchHref(state) {
  const qs = query({
    q: state.q.trim(), company: state.company, category: state.category, pattern: state.pattern,
    kind: state.kind, k: state.k && state.k !== DEFAULT_K ? state.k : '',
  });
  return qs ? `/?${qs}` : '/';
}

function saveScroll() {
  history.replaceState({ ...(history.state || {}), scrollY: window.scrollY }, '');
}

/** Change the URL without rendering; the popstate handler then knows which page is on screen. */
function setURL(href, { replace = false, state = {} } = {}) {
  if (replace) history.replaceState(state, '', href);
  else history.pushState(state, '', href);
  renderedSearch = location.search;
}

function navigate(href, { replace = false } = {}) {
  saveScroll();
  const url = new URL(href, location.href);
  setURL(url, { replace: replace || url.href === location.href });
  render({ focus: true });
}

function setTitle(text) {
  document.title = text ? `${text} · casegraph` : 'casegraph explorer';
}

function announce(text) {
  pageStatus.textContent = text;
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
    if (route.name === 'study') await showStudy(route.id, signal);
    else if (route.name === 'concept') await showConcept(route.id, signal);
    else if (route.name === 'themes') await showThemes(signal);
    else await searchView.show(route, { focus });
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
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
      || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || url.pathname !== '/') return;
  if (url.search === location.search && url.hash) return; // an anchor on this page
  event.preventDefault();
  navigate(url.href);
});

window.addEventListener('popstate', (event) => {
  // Following an anchor on the page changes only the hash: let the browser scroll, don't re-render.
  if (location.search === renderedSearch) return;
  render({ scrollY: event.state && typeof event.state.scrollY === 'number' ? event.state.scrollY : 0 });
});

// "/" jumps to the search box from anywhere.
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
  const t = event.target;
  if (t.closest && t.closest('input, textarea, select, [contenteditable="true"]')) return;
  event.preventDefault();
  if (readRoute().name === 'search') searchView.focus();
  else navigate('/');
});

// ---- shared pieces ------------------------------------------------------------------------------

function loadingBlock(text) {
  return h('div', { class: 'state state-loading', 'aria-busy': 'true' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('p', { text }));
}

function headingFor(el) {
  el.setAttribute('tabindex', '-1');
  return el;
}

/** The message of a failed request as a small block, with a Retry button when retrying may help. */
function inlineError(err, retry) {
  return h('div', { class: 'state state-error', role: 'alert' },
    h('p', {}, h('strong', { text: err.retryable ? 'Could not load this. ' : 'This did not work. ' }),
      err.message),
    err.retryable && retry ? h('button', { type: 'button', class: 'button', onclick: retry }, 'Retry') : null);
}

/** A titled section whose body loads on its own, with its own loading and error states. */
function asyncPanel({ title, id, className = '', signal, load }) {
  const body = h('div', { class: 'panel-body' });
  const section = h('section', { class: `panel ${className}`, 'aria-labelledby': id },
    h('h2', { id, text: title }), body);
  const run = async () => {
    body.replaceChildren(h('p', { class: 'muted loading-text' }, h('span', { class: 'spinner small', 'aria-hidden': 'true' }),
      'Loading…'));
    section.setAttribute('aria-busy', 'true');
    try {
      const content = await load(signal);
      if (signal.aborted) return;
      body.replaceChildren(...[content].flat().filter(Boolean));
    } catch (err) {
      if (isAbort(err)) return;
      body.replaceChildren(inlineError(err, run));
    } finally {
      section.removeAttribute('aria-busy');
    }
  };
  run();
  return section;
}

/** The whole-page state for a failed page load: not found with suggestions, or an error with Retry. */
function showFailure(err, { what, id }) {
  const suggestions = Array.isArray(err.details.suggestions) ? err.details.suggestions : [];
  const href = what === 'study' ? studyHref : conceptHref;
  let block;
  if (err.status === 404) {
    setTitle(`${what === 'study' ? 'Study' : 'Concept'} not found`);
    block = h('div', { class: 'state state-notfound' },
      headingFor(h('h1', { text: `No ${what} called “${id}”` })),
      h('p', { class: 'muted', text: `The server says: ${err.message}.` }),
      suggestions.length
        ? [h('h2', { class: 'h3', text: 'Did you mean' }),
          h('ul', { class: 'suggestions' }, suggestions.map((s) => h('li', {}, h('a', { href: href(s), text: s }))))]
        : h('p', { text: 'No close match was found.' }),
      h('p', {}, 'Or ', h('a', { href: `/?q=${encodeURIComponent(id.replace(/[-_]+/g, ' '))}` },
        `search for “${id.replace(/[-_]+/g, ' ')}”`), '.'));
  } else {
    setTitle('Error');
    block = h('div', { class: 'state state-error', role: 'alert' },
      headingFor(h('h1', { text: err.retryable ? 'The server could not answer' : 'That request did not work' })),
      h('p', { text: err.message }),
      err.code ? h('p', { class: 'muted small' }, 'Error code: ', h('code', { text: err.code })) : null,
      h('p', {}, h('button', { type: 'button', class: 'button', onclick: () => render({ focus: true }) }, 'Retry'),
        ' ', h('a', { href: '/' }, 'Back to search')));
  }
  main.replaceChildren(block);
  announce(err.status === 404 ? `${what} not found` : 'Error');
}

/** Concept chips, the first `limit` shown and a button that reveals the rest. */
function chipList(concepts, limit, noun = 'concepts') {
  const chips = concepts.map((c) => h('li', {}, conceptChip(c)));
  const list = h('ul', { class: 'chips' }, chips.slice(0, limit));
  const rest = chips.slice(limit);
  if (!rest.length) return list;
  const more = h('button', {
    type: 'button', class: 'link-button small show-more',
    onclick: () => {
      list.append(...rest);
      more.remove();
      rest[0].querySelector('a').focus();
    },
  }, `Show ${rest.length} more ${noun}`);
  return [list, more];
}

/** Metadata as "A · B · C". */
function metaLine(...parts) {
  // Text items are separated by "·" (badges need none); each separator travels with the item
  // after it, so a wrapped line never starts with one.
  const items = parts.filter(Boolean);
  return items.map((item, i) => h('span', { class: 'meta-item' },
    i && typeof item === 'string' && typeof items[i - 1] === 'string'
      ? h('span', { class: 'sep', 'aria-hidden': 'true', text: '· ' }) : null,
    item));
}

function typePlural(type) {
  return { technology: 'Technologies', company: 'Companies' }[type] || `${typeLabel(type)}s`;
}

function humanize(slug) {
  const text = String(slug || '').replace(/[-_]+/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- search -------------------------------------------------------------------------------------

const searchView = createSearchView();

function createSearchView() {
  const input = h('input', {
    id: 'q', type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false', maxlength: '500',
    placeholder: 'e.g. consistent hashing', 'aria-describedby': 'search-hint', 'aria-controls': 'results',
    enterkeyhint: 'search',
  });
  const selects = {};
  const labels = { company: 'Company', category: 'Category', pattern: 'Pattern', kind: 'Kind' };
  const anyText = { company: 'Any company', category: 'Any category', pattern: 'Any pattern', kind: 'Any kind' };
  for (const f of FILTERS) {
    selects[f] = h('select', { id: `filter-${f}`, name: f }, h('option', { value: '', text: anyText[f] }));
  }
  const clearFilters = h('button', { type: 'button', class: 'button button-quiet', hidden: true }, 'Clear filters');
  const filtersNote = h('p', { class: 'muted small', hidden: true });
  const status = h('p', { id: 'result-status', class: 'result-status', role: 'status', 'aria-live': 'polite' });
  const results = h('div', { id: 'results', class: 'results-area' });
  const form = h('form', { class: 'search-form', role: 'search', action: '/' },
    h('label', { for: 'q', class: 'search-label', text: 'Search case studies' }),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit', class: 'button' }, 'Search')),
    h('p', { id: 'search-hint', class: 'muted small hint' },
      'Results appear as you type. ', h('kbd', { text: 'Esc' }), ' clears, ', h('kbd', { text: '↓' }),
      ' moves to the results.'),
    h('fieldset', { class: 'filters' },
      h('legend', { class: 'sr-only', text: 'Filters' }),
      FILTERS.map((f) => h('div', { class: 'filter' },
        h('label', { for: `filter-${f}`, text: labels[f] }), selects[f])),
      h('div', { class: 'filter filter-actions' }, clearFilters)),
    filtersNote);
  const heading = headingFor(h('h1', { class: 'sr-only', text: 'Search' }));
  const root = h('div', { class: 'search-view' }, heading, form, status, results);

  let timer = 0;
  let controller = null;
  let renderedKey = null;
  let facetsLoaded = false;
  let health = null;

  const readForm = () => {
    const state = { q: input.value, k: DEFAULT_K };
    for (const f of FILTERS) state[f] = selects[f].value;
    return state;
  };
  const keyOf = (state) => JSON.stringify([state.q.trim(), state.k, ...FILTERS.map((f) => state[f])]);
  const hasFilters = (state) => FILTERS.some((f) => state[f]);

  function setSelect(select, value, text) {
    if (value && ![...select.options].some((o) => o.value === value)) {
      select.append(h('option', { value, text: text || value }));
    }
    select.value = value;
  }

  function syncForm(route) {
    if (input.value.trim() !== route.q.trim()) input.value = route.q;
    for (const f of FILTERS) setSelect(selects[f], route[f]);
    clearFilters.hidden = !hasFilters(route);
  }

  async function loadFacets() {
    if (facetsLoaded) return;
    facetsLoaded = true;
    try {
      const facets = await getJSON('/facets');
      const fill = (f, items) => {
        const current = selects[f].value;
        selects[f].replaceChildren(selects[f].options[0],
          ...items.map(([value, text]) => h('option', { value, text })));
        setSelect(selects[f], current);
      };
      fill('company', facets.companies.map((c) => [c, c]));
      fill('category', facets.categories.map((c) => [c, humanize(c)]));
      fill('pattern', [...facets.patterns].sort((a, b) => a.name.localeCompare(b.name)).map((p) => [p.id, p.name]));
      fill('kind', facets.kinds.map((k) => [k, kindLabel(k)]));
      filtersNote.hidden = true;
    } catch (err) {
      facetsLoaded = false;
      filtersNote.textContent = `The filters could not be loaded: ${err.message}`;
      filtersNote.hidden = false;
    }
  }

  async function loadHealth() {
    if (health) return health;
    try {
      health = await getJSON('/healthz');
    } catch {
      health = null;
    }
    return health;
  }

  function commit({ push }) {
    clearTimeout(timer);
    if (!root.isConnected) return Promise.resolve(); // the person has left the search page
    const state = readForm();
    const href = searchHref(state);
    if (href !== location.pathname + location.search) {
      const wasEmpty = !new URLSearchParams(location.search).get('q');
      setURL(href, { replace: !(push || (wasEmpty && state.q.trim())) });
    }
    clearFilters.hidden = !hasFilters(state);
    setTitle(state.q.trim() ? `“${state.q.trim()}”` : 'Search');
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
      await renderIntro(state);
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
      renderResults(data, state);
      renderedKey = key;
    } catch (err) {
      if (isAbort(err)) return;
      renderError(err, state);
      renderedKey = null;
    } finally {
      if (controller === mine) {
        controller = null;
        results.removeAttribute('aria-busy');
        root.classList.remove('is-loading');
      }
    }
  }

  async function renderIntro(state) {
    const examples = h('ul', { class: 'examples' },
      EXAMPLES.map((q) => h('li', {}, h('a', { href: searchHref({ ...state, q, k: DEFAULT_K }), text: q }))));
    const counts = h('span', { text: 'engineering case studies and courses' });
    results.replaceChildren(h('div', { class: 'intro' },
      h('p', { class: 'lead' }, 'Search ', counts, ' by idea, technology or company — ',
        'results show the best-matching sections and the concepts each study applies.'),
      hasFilters(state) ? h('p', { class: 'muted', text: 'Filters are set; type some words to search within them.' }) : null,
      h('p', { class: 'muted', text: 'Try:' }), examples,
      h('p', {}, 'Or browse the ', h('a', { href: '/?view=themes', text: 'themes' }), ' of patterns that go together.')));
    const info = await loadHealth();
    if (info && info.snapshot) {
      const snap = info.snapshot;
      counts.textContent = `${plural(snap.studies, 'case study', 'case studies')}, ${plural(snap.courses, 'course')} and ${plural(snap.concepts, 'concept')}`;
    }
  }

  function sectionLabel(section, study) {
    const path = [...section.heading_path];
    if (path.length && path[0] === study.title) path.shift();
    return path.length ? path.join(' › ') : 'Introduction';
  }

  function renderResults(data, state) {
    const q = state.q.trim();
    if (!data.results.length) {
      status.textContent = `No results for “${q}”.`;
      results.replaceChildren(h('div', { class: 'state state-empty' },
        h('h2', { text: `Nothing matches “${q}”` }),
        h('p', { text: hasFilters(state)
          ? 'No study matches these words with the filters you chose. Try fewer words, or clear the filters.'
          : 'Try fewer or different words — a technology, a company or an idea such as “caching”.' }),
        hasFilters(state) ? h('p', {}, h('button', { type: 'button', class: 'button', onclick: () => resetFilters() },
          'Clear filters')) : null));
      return;
    }
    const filterText = hasFilters(state) ? ' (filtered)' : '';
    const shown = data.total > data.results.length
      ? `${data.results.length} of ${plural(data.total, 'result')}` : plural(data.results.length, 'result');
    status.textContent = `${shown} for “${q}”${filterText}.`;
    const named = data.query_concepts && data.query_concepts.length
      ? h('p', { class: 'query-concepts' }, h('span', { class: 'muted', text: 'Concepts in your search: ' }),
        data.query_concepts.map((c) => conceptChip(c)))
      : null;
    const weak = data.weak_match
      ? h('p', { class: 'weak-match', role: 'note' },
        `No study is close to “${q}”; these are the nearest there are. Try a technology, a company or an idea.`)
      : null;
    const list = h('ol', { class: 'results' }, data.results.map((result, i) => renderResult(result, i)));
    const more = data.total > data.results.length && state.k < 100
      ? h('p', { class: 'more' }, h('button', { type: 'button', class: 'button button-quiet', onclick: () => showMore(state) },
        'Show more results'))
      : null;
    results.replaceChildren(...[weak, named, list, more].filter(Boolean));
  }

  function renderResult(result, i) {
    const { study } = result;
    const titleId = `result-${i}`;
    return h('li', { class: 'result' },
      h('article', { 'aria-labelledby': titleId },
        h('h2', { class: 'result-title', id: titleId },
          h('a', { class: 'result-link', href: studyHref(study.id), text: study.title })),
        h('p', { class: 'meta' }, metaLine(study.company, kindBadge(study.kind), humanize(study.category))),
        study.also_titles.length ? h('p', { class: 'aka muted small', text: `Also: ${study.also_titles.join(' · ')}` }) : null,
        result.sections.length ? h('ul', { class: 'hits' }, result.sections.map((section) => h('li', { class: 'hit' },
          h('a', { class: 'hit-heading', href: studyHref(study.id, section.id), text: sectionLabel(section, study) }),
          h('p', { class: 'snippet' }, highlighted(section.snippet, section.highlights))))) : null,
        result.concepts.length ? h('ul', { class: 'chips', 'aria-label': `Concepts in ${study.title}` },
          result.concepts.map((c) => h('li', {}, conceptChip(c)))) : null));
  }

  function renderError(err, state) {
    const field = err.details && err.details.field;
    if (err.status === 422 && FILTERS.includes(field)) {
      const options = err.details.suggestions || [];
      status.textContent = 'A filter is not valid.';
      results.replaceChildren(h('div', { class: 'state state-error', role: 'alert' },
        h('p', {}, h('strong', { text: `The ${field} filter does not match: ` }), err.message, '.'),
        options.length ? h('p', {}, 'Did you mean ', options.map((value, i) => [i ? ', ' : '',
          h('button', { type: 'button', class: 'link-button', onclick: () => setFilter(field, value) }, value)]), '?') : null,
        h('p', {}, h('button', { type: 'button', class: 'button', onclick: () => setFilter(field, '') },
          `Clear the ${field} filter`))));
      return;
    }
    status.textContent = 'The search failed.';
    results.replaceChildren(h('div', { class: 'state state-error', role: 'alert' },
      h('h2', { text: err.retryable ? 'The search failed' : 'The search was not accepted' }),
      h('p', { text: err.message }),
      err.retryable ? h('p', {}, h('button', { type: 'button', class: 'button retry', onclick: () => run(readForm()) },
        'Retry')) : null));
  }

  function setFilter(field, value) {
    setSelect(selects[field], value);
    commit({ push: true });
  }

  function resetFilters() {
    for (const f of FILTERS) selects[f].value = '';
    commit({ push: true });
    input.focus();
  }

  function showMore(state) {
    const next = { ...state, k: Math.min(100, state.k + DEFAULT_K) };
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
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commit({ push: true });
  });
  for (const f of FILTERS) selects[f].addEventListener('change', () => commit({ push: true }));
  clearFilters.addEventListener('click', resetFilters);

  return {
    focus: () => input.focus(),
    async show(route, { focus }) {
      if (main.firstChild !== root || main.childNodes.length !== 1) main.replaceChildren(root);
      setTitle(route.q.trim() ? `“${route.q.trim()}”` : 'Search');
      announce('');
      syncForm(route);
      loadFacets();
      if (focus) input.focus({ preventScroll: true });
      if (keyOf(route) !== renderedKey) await run(route);
    },
  };
}

// ---- study --------------------------------------------------------------------------------------

/** The server's rendered markdown (already escaped), with code blocks and tables made readable. */
function prose(html) {
  const div = h('div', { class: 'prose' });
  div.innerHTML = html; // safe: the API renders markdown with raw HTML escaped
  for (const code of div.querySelectorAll('pre > code')) {
    const pre = code.parentElement;
    const lang = ([...code.classList].find((c) => c.startsWith('language-')) || '').slice('language-'.length);
    const mermaid = lang === 'mermaid';
    const caption = mermaid ? 'diagram (mermaid source)' : lang ? `code (${lang})` : 'code';
    const figure = h('figure', { class: `code-block${mermaid ? ' diagram' : ''}` });
    pre.replaceWith(figure);
    pre.setAttribute('tabindex', '0');
    pre.setAttribute('aria-label', caption);
    figure.append(h('figcaption', { text: caption }), pre);
  }
  for (const table of div.querySelectorAll('table')) {
    const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'table' });
    table.replaceWith(wrap);
    wrap.append(table);
  }
  for (const link of div.querySelectorAll('a[href]')) {
    let url;
    try {
      url = new URL(link.getAttribute('href'), location.href);
    } catch {
      continue;
    }
    if (url.origin !== location.origin) {
      link.setAttribute('target', '_blank');
      link.setAttribute('rel', 'noopener noreferrer');
    }
  }
  return div;
}

/** Show the loading state, fetch one study or concept, and on failure show why; null then. */
async function loadRecord(what, url, id, signal) {
  setTitle('Loading…');
  main.replaceChildren(loadingBlock(`Loading the ${what}…`));
  announce(`Loading the ${what}…`);
  try {
    return await getJSON(url, { signal });
  } catch (err) {
    if (isAbort(err)) throw err;
    showFailure(err, { what, id });
    return null;
  }
}

async function showStudy(id, signal) {
  const study = await loadRecord('study', `/studies/${encodeURIComponent(id)}`, id, signal);
  if (!study) return;
  setTitle(study.title);
  announce('');

  const sections = study.sections.map((section, i) => {
    const intro = i === 0 && section.heading_path.length <= 1 && section.heading === study.title;
    const path = section.heading_path[0] === study.title ? section.heading_path.slice(1) : section.heading_path;
    const level = Math.min(6, 1 + Math.max(1, path.length));
    const anchor = sectionAnchor(section.id);
    return h('section', { class: 'study-section', id: anchor, 'aria-labelledby': intro ? null : `${anchor}-h` },
      intro ? null : h(`h${level}`, { id: `${anchor}-h`, text: section.heading }),
      prose(section.html));
  });
  const tocItems = study.sections.filter((s, i) => !(i === 0 && s.heading === study.title));
  const toc = tocItems.length >= 3 ? h('nav', { class: 'toc', 'aria-label': 'Contents' },
    h('h2', { class: 'h3', text: 'Contents' }),
    h('ol', {}, tocItems.map((s) => h('li', {}, h('a', { href: `#${sectionAnchor(s.id)}`, text: s.heading }))))) : null;

  const byType = new Map();
  for (const c of [...study.concepts].sort((a, b) => b.weight - a.weight || b.mentions - a.mentions)) {
    if (!byType.has(c.type)) byType.set(c.type, []);
    byType.get(c.type).push(c);
  }
  const typeOrder = ['pattern', 'technology', 'company', 'course'];
  const conceptGroups = [...byType.keys()].sort((a, b) => typeOrder.indexOf(a) - typeOrder.indexOf(b))
    .map((type) => h('div', { class: 'chip-group' },
      h('h3', { class: 'chip-group-title', text: typePlural(type) }),
      chipList(byType.get(type), 10, typePlural(type).toLowerCase())));

  const recommendations = asyncPanel({
    title: 'Read next', id: 'read-next', className: 'recommendations', signal,
    load: async (sig) => {
      const data = await getJSON(`/studies/${encodeURIComponent(study.id)}/recommendations?k=5`, { signal: sig });
      if (!data.recommendations.length) return h('p', { class: 'muted', text: 'Nothing close enough to recommend yet.' });
      return h('ol', { class: 'rec-list' }, data.recommendations.map((rec) => h('li', { class: 'rec' },
        h('a', { class: 'rec-title', href: studyHref(rec.study.id), text: rec.study.title }),
        h('p', { class: 'meta small' }, metaLine(rec.study.company, kindBadge(rec.study.kind))),
        rec.why && rec.why.summary ? h('p', { class: 'why small' }, h('span', { class: 'why-label', text: 'Why: ' }),
          rec.why.summary) : null)));
    },
  });

  const facts = [
    study.level ? ['Level', humanize(study.level)] : null,
    study.minutes ? ['Reading time', `${study.minutes} min`] : null,
    study.category ? ['Category', humanize(study.category)] : null,
  ].filter(Boolean);

  main.replaceChildren(h('article', { class: 'study' },
    h('header', { class: 'page-header' },
      h('p', { class: 'eyebrow' }, metaLine(study.company, kindBadge(study.kind))),
      headingFor(h('h1', { text: study.title })),
      study.also_titles.length ? h('p', { class: 'aka muted', text: `Also known as ${study.also_titles.join(' · ')}` }) : null,
      study.headline ? h('p', { class: 'headline', text: study.headline }) : null,
      facts.length ? h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', { text: k }), h('dd', { text: v })))) : null),
    h('div', { class: 'study-layout' },
      h('div', { class: 'study-body' },
        study.summary ? h('section', { class: 'summary', 'aria-labelledby': 'summary-h' },
          h('h2', { id: 'summary-h', class: 'summary-title', text: 'Summary' }), h('p', { text: study.summary })) : null,
        toc, sections),
      h('aside', { class: 'study-aside', 'aria-label': 'About this study' },
        conceptGroups.length ? h('section', { class: 'panel concepts', 'aria-labelledby': 'concepts-h' },
          h('h2', { id: 'concepts-h', text: 'Concepts' }), conceptGroups) : null,
        recommendations,
        study.sources.length ? h('section', { class: 'panel sources', 'aria-labelledby': 'sources-h' },
          h('h2', { id: 'sources-h', text: 'Sources' }),
          h('ul', { class: 'source-list' }, study.sources.map((s) => h('li', { text: s })))) : null))));
}

// ---- concept ------------------------------------------------------------------------------------

function evidenceList(study, surfaceFallback) {
  const seen = new Set();
  const items = [];
  for (const ev of study.evidence || []) {
    const text = (ev.context || '').trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    items.push(h('li', {}, h('q', {}, markWord(text, ev.surface || surfaceFallback))));
    if (items.length === 2) break;
  }
  return items.length ? h('ul', { class: 'evidence' }, items) : null;
}

async function showConcept(id, signal) {
  const concept = await loadRecord('concept', `/concepts/${encodeURIComponent(id)}`, id, signal);
  if (!concept) return;
  if (concept.id !== id) setURL(conceptHref(concept.id) + location.hash, { replace: true, state: history.state });
  setTitle(concept.name);
  announce('');
  const cid = encodeURIComponent(concept.id);

  const graph = asyncPanel({
    title: 'Neighbourhood', id: 'graph-h', className: 'graph-panel', signal,
    load: async (sig) => {
      const data = await getJSON(`/concepts/${cid}/neighbourhood?limit=24`, { signal: sig });
      if (data.nodes.length < 2) return h('p', { class: 'muted', text: `Nothing is connected to ${concept.name} yet.` });
      const box = h('div', { class: 'graph-box' });
      cleanups.push(drawGraph(box, data, {
        labelledBy: 'graph-h',
        onOpen: (node) => navigate(node.kind === 'study' ? studyHref(node.id) : conceptHref(node.id)),
      }));
      return [h('p', { class: 'muted small hint', text: 'Hover or focus a node to see its links; click it or press Enter to open it.' }), box];
    },
  });

  const studiesBlock = h('section', { class: 'panel studies', 'aria-labelledby': 'studies-h' },
    h('h2', { id: 'studies-h', text: concept.studies.length ? `Applied in ${plural(concept.studies.length, 'study', 'studies')}` : 'Studies' }),
    concept.studies.length
      ? h('ol', { class: 'study-list' }, concept.studies.map((s) => h('li', { class: 'study-item' },
        h('a', { class: 'study-item-title', href: studyHref(s.id), text: s.title }),
        h('p', { class: 'meta small' }, metaLine(s.company, kindBadge(s.kind),
          s.mentions ? `${plural(s.mentions, 'mention')}` : null)),
        evidenceList(s, concept.name))))
      : h('p', { class: 'muted', text: concept.type === 'course'
        ? 'This is a course; open it to read its lessons.'
        : 'No study applies this concept yet.' }));

  const related = asyncPanel({
    title: 'Related concepts', id: 'related-h', className: 'related', signal,
    load: async (sig) => {
      const data = await getJSON(`/concepts/${cid}/related?k=10`, { signal: sig });
      if (!data.related.length) return h('p', { class: 'muted', text: 'No related concepts found.' });
      return h('ol', { class: 'related-list' }, data.related.map((item) => h('li', { class: 'related-item' },
        conceptChip(item.concept),
        item.why && item.why.summary ? h('p', { class: 'why small', text: item.why.summary }) : null,
        item.breakdown ? h('p', { class: 'breakdown muted small' },
          Object.entries(item.breakdown).map(([k, v], i) => `${i ? ' · ' : ''}${humanize(k).toLowerCase()} ${Number(v).toFixed(2)}`))
          : null)));
    },
  });

  const path = asyncPanel({
    title: 'Learning path', id: 'path-h', className: 'learning-path', signal,
    load: async (sig) => {
      const data = await getJSON(`/concepts/${cid}/learning-path`, { signal: sig });
      if (!data.steps.length) return h('p', { class: 'muted', text: 'No learning path found.' });
      return [
        data.steps.length === 1 ? h('p', { class: 'muted small', text: 'No prerequisites: you can start right here.' })
          : h('p', { class: 'muted small', text: 'Learn these in order; each step names a study to read and a lesson.' }),
        h('ol', { class: 'steps' }, data.steps.map((step) => h('li', { class: 'step' },
          h('div', { class: 'step-head' }, conceptChip(step.concept), h('span', { class: 'why small', text: step.why })),
          step.study ? h('p', { class: 'small' }, h('span', { class: 'muted', text: 'Read: ' }),
            h('a', { href: studyHref(step.study.id), text: step.study.title })) : null,
          step.lesson ? h('p', { class: 'small' }, h('span', { class: 'muted', text: 'Lesson: ' }),
            h('a', { href: studyHref(step.lesson.course, step.lesson.section), text: step.lesson.section
              ? `${step.lesson.title} — ${slugTitle(step.lesson.section)}` : step.lesson.title })) : null))),
      ];
    },
  });

  main.replaceChildren(h('article', { class: 'concept' },
    h('header', { class: 'page-header' },
      h('p', { class: 'eyebrow' }, metaLine(h('span', { class: `type-badge type-${concept.type}`, text: typeLabel(concept.type) }),
        concept.category ? humanize(concept.category) : null)),
      headingFor(h('h1', { text: concept.name })),
      concept.aliases.length ? h('p', { class: 'aka muted', text: `Also called ${concept.aliases.join(', ')}` }) : null,
      concept.description ? h('p', { class: 'description', text: concept.description }) : null,
      concept.type === 'course' ? h('p', {}, h('a', { class: 'button', href: studyHref(concept.id) }, 'Open the course')) : null),
    graph,
    h('div', { class: 'concept-layout' }, studiesBlock, h('div', { class: 'concept-side' }, related, path))));
}

// ---- themes -------------------------------------------------------------------------------------

async function showThemes(signal) {
  setTitle('Themes');
  main.replaceChildren(loadingBlock('Loading the themes…'));
  announce('Loading the themes…');
  let data;
  try {
    data = await getJSON('/themes', { signal });
  } catch (err) {
    if (isAbort(err)) throw err;
    showFailure(err, { what: 'themes', id: 'themes' });
    return;
  }
  announce('');
  const SHOWN = 12;
  const cards = data.themes.map((theme, i) => {
    const id = `theme-${i}`;
    return h('li', { class: 'theme' }, h('section', { 'aria-labelledby': id },
      h('h2', { id, text: theme.label }),
      h('p', { class: 'muted small', text: `${plural(theme.patterns.length, 'pattern')} · ${plural(theme.studies.length, 'study', 'studies')}` }),
      h('h3', { class: 'h4', text: 'Patterns' }), chipList(theme.patterns, SHOWN, 'patterns'),
      theme.studies.length ? [h('h3', { class: 'h4', text: 'Studies' }),
        h('ul', { class: 'theme-studies' }, theme.studies.map((s) => h('li', {},
          h('a', { href: studyHref(s.id), text: s.title }), ' ', kindBadge(s.kind))))] : null));
  });
  main.replaceChildren(h('div', { class: 'themes' },
    h('header', { class: 'page-header' },
      headingFor(h('h1', { text: 'Themes' })),
      h('p', { class: 'description', text: 'Communities of patterns that are applied together, each named after its most central patterns, with the studies that apply them.' })),
    data.themes.length ? h('ol', { class: 'theme-grid' }, cards)
      : h('div', { class: 'state state-empty' }, h('p', { text: 'No themes: the graph has too few patterns to group.' }))));
}

// ---- start --------------------------------------------------------------------------------------

history.scrollRestoration = 'manual';
const saved = history.state && typeof history.state.scrollY === 'number' ? history.state.scrollY : null;
render({ focus: saved === null && readRoute().name === 'search', scrollY: saved });
