// The study page: the study's sections, its concepts by type, what to read next, its sources.

import { getJSON } from './api.js';
import { h, humanize, kindBadge, sectionAnchor, studyHref, typeLabel } from './dom.js';
import { inConceptTypeOrder } from './facets.js';
import { announce, main, setTitle } from './page.js';
import { asyncPanel, focusableHeading, loadRecord } from './states.js';
import { chipList, metaLine } from './widgets.js';

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

/** "Patterns", "Technologies": a concept type as a group title. */
function typePlural(type) {
  return { technology: 'Technologies', company: 'Companies' }[type] || `${typeLabel(type)}s`;
}

/** The study's concepts grouped by type, heaviest first, the types in the server's order. */
function conceptGroups(concepts) {
  const byType = new Map();
  for (const c of [...concepts].sort((a, b) => b.weight - a.weight || b.mentions - a.mentions)) {
    if (!byType.has(c.type)) byType.set(c.type, []);
    byType.get(c.type).push(c);
  }
  return inConceptTypeOrder(byType.keys()).map((type) => h('div', { class: 'chip-group' },
    h('h3', { class: 'chip-group-title', text: typePlural(type) }),
    chipList(byType.get(type), 10, typePlural(type).toLowerCase())));
}

function readNext(study, signal) {
  return asyncPanel({
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
}

export async function showStudy({ id }, { signal }) {
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
  const groups = conceptGroups(study.concepts);
  const facts = [
    study.level ? ['Level', humanize(study.level)] : null,
    study.minutes ? ['Reading time', `${study.minutes} min`] : null,
    study.category ? ['Category', humanize(study.category)] : null,
  ].filter(Boolean);

  main.replaceChildren(h('article', { class: 'study' },
    h('header', { class: 'page-header' },
      h('p', { class: 'eyebrow' }, metaLine(study.company, kindBadge(study.kind))),
      focusableHeading(h('h1', { text: study.title })),
      study.also_titles.length ? h('p', { class: 'aka muted', text: `Also known as ${study.also_titles.join(' · ')}` }) : null,
      study.headline ? h('p', { class: 'headline', text: study.headline }) : null,
      facts.length ? h('dl', { class: 'facts' }, facts.map(([k, v]) => h('div', {}, h('dt', { text: k }), h('dd', { text: v })))) : null),
    h('div', { class: 'study-layout' },
      h('div', { class: 'study-body' },
        study.summary ? h('section', { class: 'summary', 'aria-labelledby': 'summary-h' },
          h('h2', { id: 'summary-h', class: 'summary-title', text: 'Summary' }), h('p', { text: study.summary })) : null,
        toc, sections),
      h('aside', { class: 'study-aside', 'aria-label': 'About this study' },
        groups.length ? h('section', { class: 'panel concepts', 'aria-labelledby': 'concepts-h' },
          h('h2', { id: 'concepts-h', text: 'Concepts' }), groups) : null,
        readNext(study, signal),
        study.sources.length ? h('section', { class: 'panel sources', 'aria-labelledby': 'sources-h' },
          h('h2', { id: 'sources-h', text: 'Sources' }),
          h('ul', { class: 'source-list' }, study.sources.map((s) => h('li', { text: s })))) : null))));
}
