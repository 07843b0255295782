// What the server declares about itself in GET /facets: the filter values, its limits, and the
// concept and relation types. Fetched once when the explorer starts; the explorer copies none of it.

import { getJSON } from './api.js';

let facets = null;
let pending = null;

/** The facets, fetched on the first call; after a failed fetch the next call tries again. */
export function loadFacets() {
  if (!pending) {
    pending = getJSON('/facets').then((data) => {
      facets = data;
      return data;
    }, (err) => {
      pending = null;
      throw err;
    });
  }
  return pending;
}

/** The most results one search may ask for; unbounded (the server then decides) until known. */
export function maxResults() {
  return facets ? facets.limits.k : Infinity;
}

/** `types` in the order the server lists its concept types; any other type after them. */
export function inConceptTypeOrder(types) {
  const order = facets ? facets.concept_types : [];
  const rank = (type) => (order.includes(type) ? order.indexOf(type) : order.length);
  return [...types].sort((a, b) => rank(a) - rank(b));
}

/** Whether `type` is an edge between two concepts: one of the taxonomy's relation types. */
export function isRelation(type) {
  return facets ? facets.relation_types.includes(type) : false;
}
