// Loading, failure and not-found states, for a whole page or for one panel of it.

import { getJSON, isAbort } from './api.js';
import { conceptHref, h, studyHref } from './dom.js';
import { announce, main, setTitle } from './page.js';
import { reload } from './router.js';

export function loadingBlock(text) {
  return h('div', { class: 'state state-loading', 'aria-busy': 'true' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('p', { text }));
}

/** `el` made focusable from script, so the router can move focus to a new page's heading. */
export function focusableHeading(el) {
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
export function asyncPanel({ title, id, className = '', signal, load }) {
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
export function showFailure(err, { what, id }) {
  const suggestions = Array.isArray(err.details.suggestions) ? err.details.suggestions : [];
  const href = what === 'study' ? studyHref : conceptHref;
  let block;
  if (err.status === 404) {
    setTitle(`${what === 'study' ? 'Study' : 'Concept'} not found`);
    block = h('div', { class: 'state state-notfound' },
      focusableHeading(h('h1', { text: `No ${what} called “${id}”` })),
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
      focusableHeading(h('h1', { text: err.retryable ? 'The server could not answer' : 'That request did not work' })),
      h('p', { text: err.message }),
      err.code ? h('p', { class: 'muted small' }, 'Error code: ', h('code', { text: err.code })) : null,
      h('p', {}, h('button', { type: 'button', class: 'button', onclick: reload }, 'Retry'),
        ' ', h('a', { href: '/' }, 'Back to search')));
  }
  main.replaceChildren(block);
  announce(err.status === 404 ? `${what} not found` : 'Error');
}

/** Show the loading state, fetch one page's record, and on failure show why; null then. */
export async function loadRecord(what, url, id, signal) {
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
