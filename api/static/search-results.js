// What the search page shows under the form: the introduction, the results, or why there are none.

import { getJSON } from './api.js';
import { conceptChip, h, highlighted, humanize, kindBadge, plural, sectionLabel, studyHref } from './dom.js';
import { maxResults } from './facets.js';
import { goDeeper } from './go-deeper.js';
import { DEFAULT_K, FILTERS, hasFilters, searchHref } from './search-url.js';
import { metaLine } from './widgets.js';

const EXAMPLES = ['consistent hashing', 'garbage collector pauses', 'zero-downtime migration', 'hot partition'];

let health = null;

async function loadHealth() {
  if (health) return health;
  try {
    health = await getJSON('/healthz');
  } catch {
    health = null;
  }
  return health;
}

/** Show the page before any words are typed; it names the corpus's size once /healthz answers. */
export async function showIntro(container, state) {
  const examples = h('ul', { class: 'examples' },
    EXAMPLES.map((q) => h('li', {}, h('a', { href: searchHref({ ...state, q, k: DEFAULT_K }), text: q }))));
  const counts = h('span', { text: 'engineering case studies and courses' });
  container.replaceChildren(h('div', { class: 'intro' },
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

function resultItem(result, i) {
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

/** Show a /search answer for `state`; returns the status line. */
export function showResults(container, data, state, { onMore, onClearFilters }) {
  const q = state.q.trim();
  if (!data.results.length) {
    container.replaceChildren(h('div', { class: 'state state-empty' },
      h('h2', { text: `Nothing matches “${q}”` }),
      h('p', { text: hasFilters(state)
        ? 'No study matches these words with the filters you chose. Try fewer words, or clear the filters.'
        : 'Try fewer or different words — a technology, a company or an idea such as “caching”.' }),
      hasFilters(state) ? h('p', {}, h('button', { type: 'button', class: 'button', onclick: onClearFilters },
        'Clear filters')) : null));
    return `No results for “${q}”.`;
  }
  const named = data.query_concepts && data.query_concepts.length
    ? h('p', { class: 'query-concepts' }, h('span', { class: 'muted', text: 'Concepts in your search: ' }),
      data.query_concepts.map((c) => conceptChip(c)))
    : null;
  const weak = data.weak_match
    ? h('p', { class: 'weak-match', role: 'note' },
      `No study is close to “${q}”; these are the nearest there are. Try a technology, a company or an idea.`)
    : null;
  const seeking = data.course_seeking
    ? h('p', { class: 'course-seeking muted small', text: 'You asked for a course: the best one comes first.' })
    : null;
  const list = h('ol', { class: 'results' }, data.results.map(resultItem));
  const more = data.total > data.results.length && state.k < maxResults()
    ? h('p', { class: 'more' }, h('button', { type: 'button', class: 'button button-quiet', onclick: onMore },
      'Show more results'))
    : null;
  const deeper = goDeeper(data.courses);
  const column = h('div', { class: 'results-main' }, ...[list, more].filter(Boolean));
  container.replaceChildren(...[weak, named, seeking].filter(Boolean),
    deeper ? h('div', { class: 'results-layout' }, column, deeper) : column);
  const shown = data.total > data.results.length
    ? `${data.results.length} of ${plural(data.total, 'result')}` : plural(data.results.length, 'result');
  return `${shown} for “${q}”${hasFilters(state) ? ' (filtered)' : ''}.`;
}

/** Show why a search failed: a filter the server does not know, or an error; returns the status line. */
export function showError(container, err, { onFilter, onRetry }) {
  const field = err.details && err.details.field;
  if (err.status === 422 && FILTERS.includes(field)) {
    const options = err.details.suggestions || [];
    container.replaceChildren(h('div', { class: 'state state-error', role: 'alert' },
      h('p', {}, h('strong', { text: `The ${field} filter does not match: ` }), err.message, '.'),
      options.length ? h('p', {}, 'Did you mean ', options.map((value, i) => [i ? ', ' : '',
        h('button', { type: 'button', class: 'link-button', onclick: () => onFilter(field, value) }, value)]), '?') : null,
      h('p', {}, h('button', { type: 'button', class: 'button', onclick: () => onFilter(field, '') },
        `Clear the ${field} filter`))));
    return 'A filter is not valid.';
  }
  container.replaceChildren(h('div', { class: 'state state-error', role: 'alert' },
    h('h2', { text: err.retryable ? 'The search failed' : 'The search was not accepted' }),
    h('p', { text: err.message }),
    err.retryable ? h('p', {}, h('button', { type: 'button', class: 'button retry', onclick: onRetry },
      'Retry')) : null));
  return 'The search failed.';
}
