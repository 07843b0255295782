// The search form: the search box and the filters, filled from the server's facets.

import { h, humanize, kindLabel } from './dom.js';
import { DEFAULT_K, FILTERS, hasFilters } from './search-url.js';

const LABELS = { company: 'Company', category: 'Category', pattern: 'Pattern', kind: 'Kind' };
const ANY = { company: 'Any company', category: 'Any category', pattern: 'Any pattern', kind: 'Any kind' };

/** Select `value`, adding it as an option first if the select does not offer it (yet). */
function setSelect(select, value, text) {
  if (value && ![...select.options].some((o) => o.value === value)) {
    select.append(h('option', { value, text: text || value }));
  }
  select.value = value;
}

/** The form's elements, and functions to read, set and fill it; the caller handles its events. */
export function createSearchForm() {
  const input = h('input', {
    id: 'q', type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'e.g. consistent hashing', 'aria-describedby': 'search-hint', 'aria-controls': 'results',
    enterkeyhint: 'search',
  });
  const selects = {};
  for (const f of FILTERS) {
    selects[f] = h('select', { id: `filter-${f}`, name: f }, h('option', { value: '', text: ANY[f] }));
  }
  const clearButton = h('button', { type: 'button', class: 'button button-quiet', hidden: true }, 'Clear filters');
  const facetsNote = h('p', { class: 'muted small', hidden: true });
  const element = h('form', { class: 'search-form', role: 'search', action: '/' },
    h('label', { for: 'q', class: 'search-label', text: 'Search case studies' }),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit', class: 'button' }, 'Search')),
    h('p', { id: 'search-hint', class: 'muted small hint' },
      'Results appear as you type. ', h('kbd', { text: 'Esc' }), ' clears, ', h('kbd', { text: '↓' }),
      ' moves to the results.'),
    h('fieldset', { class: 'filters' },
      h('legend', { class: 'sr-only', text: 'Filters' }),
      FILTERS.map((f) => h('div', { class: 'filter' },
        h('label', { for: `filter-${f}`, text: LABELS[f] }), selects[f])),
      h('div', { class: 'filter filter-actions' }, clearButton)),
    facetsNote);

  const fillSelect = (f, items) => {
    const current = selects[f].value;
    selects[f].replaceChildren(selects[f].options[0], ...items.map(([value, text]) => h('option', { value, text })));
    setSelect(selects[f], current);
  };

  return {
    element, input, selects, clearButton,

    read() {
      const state = { q: input.value, k: DEFAULT_K };
      for (const f of FILTERS) state[f] = selects[f].value;
      return state;
    },

    /** Show `state` (from the URL) in the form, keeping what is typed if only spaces differ. */
    sync(state) {
      if (input.value.trim() !== state.q.trim()) input.value = state.q;
      for (const f of FILTERS) setSelect(selects[f], state[f]);
      clearButton.hidden = !hasFilters(state);
    },

    setFilter(field, value) {
      setSelect(selects[field], value);
    },

    /** Offer the values the server knows, and accept queries as long as it does. */
    fill(facets) {
      input.maxLength = facets.limits.query_chars;
      fillSelect('company', facets.companies.map((c) => [c, c]));
      fillSelect('category', facets.categories.map((c) => [c, humanize(c)]));
      fillSelect('pattern', [...facets.patterns].sort((a, b) => a.name.localeCompare(b.name)).map((p) => [p.id, p.name]));
      fillSelect('kind', facets.kinds.map((k) => [k, kindLabel(k)]));
      facetsNote.hidden = true;
    },

    showFacetsError(err) {
      facetsNote.textContent = `The filters could not be loaded: ${err.message}`;
      facetsNote.hidden = false;
    },
  };
}
