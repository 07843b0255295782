// The concept page: its neighbourhood graph, the studies that apply it with evidence sentences,
// related concepts and a learning path.

import { getJSON } from './api.js';
import {
  conceptChip, conceptHref, h, humanize, kindBadge, markWord, originBadge, originNote, plural, sectionSlug,
  studyHref, typeLabel,
} from './dom.js';
import { drawGraph } from './graph.js';
import { announce, main, setTitle } from './page.js';
import { navigate, onLeave, setURL } from './router.js';
import { asyncPanel, focusableHeading, loadRecord } from './states.js';
import { metaLine } from './widgets.js';

/** Up to two distinct sentences of `study` that mention the concept, the mention marked. */
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

function neighbourhoodPanel(concept, signal) {
  return asyncPanel({
    title: 'Neighbourhood', id: 'graph-h', className: 'graph-panel', signal,
    load: async (sig) => {
      const data = await getJSON(`/concepts/${encodeURIComponent(concept.id)}/neighbourhood?limit=24`, { signal: sig });
      if (data.nodes.length < 2) return h('p', { class: 'muted', text: `Nothing is connected to ${concept.name} yet.` });
      const box = h('div', { class: 'graph-box' });
      onLeave(drawGraph(box, data, {
        labelledBy: 'graph-h',
        onOpen: (node) => navigate(node.kind === 'study' ? studyHref(node.id) : conceptHref(node.id)),
      }));
      return [h('p', { class: 'muted small hint', text: 'Hover or focus a node to see its links; click it or press Enter to open it.' }), box];
    },
  });
}

function studiesPanel(concept) {
  return h('section', { class: 'panel studies', 'aria-labelledby': 'studies-h' },
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
}

function relatedPanel(concept, signal) {
  return asyncPanel({
    title: 'Related concepts', id: 'related-h', className: 'related', signal,
    load: async (sig) => {
      const data = await getJSON(`/concepts/${encodeURIComponent(concept.id)}/related?k=10`, { signal: sig });
      if (!data.related.length) return h('p', { class: 'muted', text: 'No related concepts found.' });
      return h('ol', { class: 'related-list' }, data.related.map((item) => h('li', { class: 'related-item' },
        conceptChip(item.concept),
        item.why && item.why.summary ? h('p', { class: 'why small', text: item.why.summary }) : null,
        item.breakdown ? h('p', { class: 'breakdown muted small' },
          Object.entries(item.breakdown).map(([k, v], i) => `${i ? ' · ' : ''}${humanize(k).toLowerCase()} ${Number(v).toFixed(2)}`))
          : null)));
    },
  });
}

function learningPathPanel(concept, signal) {
  return asyncPanel({
    title: 'Learning path', id: 'path-h', className: 'learning-path', signal,
    load: async (sig) => {
      const data = await getJSON(`/concepts/${encodeURIComponent(concept.id)}/learning-path`, { signal: sig });
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
              ? `${step.lesson.title} — ${humanize(sectionSlug(step.lesson.section))}` : step.lesson.title })) : null))),
      ];
    },
  });
}

export async function showConcept({ id }, { signal }) {
  const concept = await loadRecord('concept', `/concepts/${encodeURIComponent(id)}`, id, signal);
  if (!concept) return;
  if (concept.id !== id) setURL(conceptHref(concept.id) + location.hash, { replace: true, state: history.state });
  setTitle(concept.name);
  announce('');
  const graph = neighbourhoodPanel(concept, signal);
  const studies = studiesPanel(concept);
  const related = relatedPanel(concept, signal);
  const path = learningPathPanel(concept, signal);

  main.replaceChildren(h('article', { class: 'concept' },
    h('header', { class: 'page-header' },
      h('p', { class: 'eyebrow' }, metaLine(h('span', { class: `type-badge type-${concept.type}`, text: typeLabel(concept.type) }),
        originBadge(concept), concept.category ? humanize(concept.category) : null)),
      focusableHeading(h('h1', { text: concept.name })),
      originNote(concept) ? h('p', { class: 'origin-note muted small', text: `Not in the taxonomy: ${originNote(concept)}. The sentences below are its evidence.` }) : null,
      concept.aliases.length ? h('p', { class: 'aka muted', text: `Also called ${concept.aliases.join(', ')}` }) : null,
      concept.description ? h('p', { class: 'description', text: concept.description }) : null,
      concept.type === 'course' ? h('p', {}, h('a', { class: 'button', href: studyHref(concept.id) }, 'Open the course')) : null),
    graph,
    h('div', { class: 'concept-layout' }, studies, h('div', { class: 'concept-side' }, related, path))));
}
