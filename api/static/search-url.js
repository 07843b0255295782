// The search page's state as it is written in the URL: words, filters and how many results.

import { query } from './api.js';
import { maxResults } from './facets.js';

export const FILTERS = ['company', 'category', 'pattern', 'kind'];
export const DEFAULT_K = 10;

/** The search state in `params`; a `k` the server would refuse falls back to the default. */
export function readSearch(params) {
  const k = Number.parseInt(params.get('k') || '', 10);
  const state = { q: params.get('q') || '', k: k >= 1 && k <= maxResults() ? k : DEFAULT_K };
  for (const f of FILTERS) state[f] = params.get(f) || '';
  return state;
}

export function searchHref(state) {
  const qs = query({
    q: state.q.trim(), company: state.company, category: state.category, pattern: state.pattern,
    kind: state.kind, k: state.k && state.k !== DEFAULT_K ? state.k : '',
  });
  return qs ? `/?${qs}` : '/';
}

export function hasFilters(state) {
  return FILTERS.some((f) => state[f]);
}
