// The themes page: communities of patterns applied together, with the studies that apply them.

import { getJSON, isAbort } from './api.js';
import { h, kindBadge, plural, studyHref } from './dom.js';
import { announce, main, setTitle } from './page.js';
import { focusableHeading, loadingBlock, showFailure } from './states.js';
import { chipList } from './widgets.js';

const PATTERNS_SHOWN = 12;

function themeCard(theme, i) {
  const id = `theme-${i}`;
  return h('li', { class: 'theme' }, h('section', { 'aria-labelledby': id },
    h('h2', { id, text: theme.label }),
    h('p', { class: 'muted small', text: `${plural(theme.patterns.length, 'pattern')} · ${plural(theme.studies.length, 'study', 'studies')}` }),
    h('h3', { class: 'h4', text: 'Patterns' }), chipList(theme.patterns, PATTERNS_SHOWN, 'patterns'),
    theme.studies.length ? [h('h3', { class: 'h4', text: 'Studies' }),
      h('ul', { class: 'theme-studies' }, theme.studies.map((s) => h('li', {},
        h('a', { href: studyHref(s.id), text: s.title }), ' ', kindBadge(s.kind))))] : null));
}

export async function showThemes(_route, { signal }) {
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
  main.replaceChildren(h('div', { class: 'themes' },
    h('header', { class: 'page-header' },
      focusableHeading(h('h1', { text: 'Themes' })),
      h('p', { class: 'description', text: 'Communities of patterns that are applied together, each named after its most central patterns, with the studies that apply them.' })),
    data.themes.length ? h('ol', { class: 'theme-grid' }, data.themes.map(themeCard))
      : h('div', { class: 'state state-empty' }, h('p', { text: 'No themes: the graph has too few patterns to group.' }))));
}
