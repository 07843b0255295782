// Small DOM helpers. Text from the API always goes in as text nodes, never as markup.

/**
 * Create an element. `attrs` keys: `class`, `text`, `dataset` (object), `on<event>` (function);
 * anything else becomes an attribute (skipped when null, undefined or false).
 * Children may be nodes, strings (become text nodes), arrays, or null (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** `text` with the [start, end) spans wrapped in <mark>. Offsets count Unicode code points. */
export function highlighted(text, spans) {
  const chars = Array.from(text);
  const frag = document.createDocumentFragment();
  const clean = (spans || [])
    .map(([s, e]) => [Math.max(0, s | 0), Math.min(chars.length, e | 0)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0])
    // Join marks separated only by spaces, so "consistent hashing" reads as one highlight.
    .reduce((out, span) => {
      const last = out[out.length - 1];
      if (last && /^\s*$/.test(chars.slice(last[1], span[0]).join(''))) last[1] = Math.max(last[1], span[1]);
      else out.push([...span]);
      return out;
    }, []);
  let at = 0;
  for (const [s, e] of clean) {
    const start = Math.max(s, at);
    if (e <= start) continue;
    if (start > at) frag.append(chars.slice(at, start).join(''));
    frag.append(h('mark', { text: chars.slice(start, e).join('') }));
    at = e;
  }
  if (at < chars.length) frag.append(chars.slice(at).join(''));
  return frag;
}

/** `text` with every case-insensitive occurrence of `word` wrapped in <mark>. */
export function markWord(text, word) {
  if (!word) return document.createTextNode(text);
  const lower = text.toLowerCase();
  const needle = word.toLowerCase();
  const frag = document.createDocumentFragment();
  let at = 0;
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, i + needle.length)) {
    if (i > at) frag.append(text.slice(at, i));
    frag.append(h('mark', { text: text.slice(i, i + needle.length) }));
    at = i + needle.length;
  }
  if (at < text.length) frag.append(text.slice(at));
  return frag;
}

const KIND_LABELS = {
  'real-world': 'Real-world', interview: 'Interview', course: 'Course', article: 'Article',
};

const TYPE_LABELS = {
  pattern: 'Pattern', technology: 'Technology', company: 'Company', course: 'Course', study: 'Study',
};

export function kindLabel(kind) {
  return KIND_LABELS[kind] || kind || '';
}

export function typeLabel(type) {
  return TYPE_LABELS[type] || type || '';
}

export function studyHref(id, sectionId) {
  const base = `/?study=${encodeURIComponent(id)}`;
  return sectionId ? `${base}#${sectionAnchor(sectionId)}` : base;
}

export function conceptHref(id) {
  return `/?concept=${encodeURIComponent(id)}`;
}

/** A section's heading path without its study's title ("Introduction" when nothing is left). */
export function sectionLabel(section, study) {
  const path = [...section.heading_path];
  if (path.length && path[0] === study.title) path.shift();
  return path.length ? path.join(' › ') : 'Introduction';
}

/** The slug of a section id: "study#slug" → "slug". */
export function sectionSlug(sectionId) {
  return String(sectionId).split('#').pop();
}

/** The element id a section gets on the study page: "study#slug" → "sec-slug". */
export function sectionAnchor(sectionId) {
  return `sec-${sectionSlug(sectionId)}`;
}

/** A link to a concept, styled as a chip coloured by the concept's type. */
const ORIGIN_NOTES = { tag: 'from a corpus tag', discovered: 'discovered in the text' };

/** How a concept that is not curated came to be, with its confidence: "discovered in the text, 72% confident". */
export function originNote(concept) {
  const note = ORIGIN_NOTES[concept.origin];
  return note ? `${note}, ${Math.round(concept.confidence * 100)}% confident` : '';
}

/** A badge for a concept that is not curated (tag or discovered); null for the rest. */
export function originBadge(concept) {
  const note = originNote(concept);
  return note ? h('span', { class: `origin-badge origin-${concept.origin}`, title: note, text: concept.origin }) : null;
}

export function conceptChip(concept, extra = {}) {
  const type = concept.type || 'pattern';
  const note = originNote(concept);
  return h('a', {
    class: `chip chip-${type}${note ? ` chip-${concept.origin}` : ''}`, href: conceptHref(concept.id),
    title: `${typeLabel(type)}: ${concept.name}${note ? ` (${note})` : ''}`,
    ...extra,
  }, h('span', { class: 'chip-dot', 'aria-hidden': 'true' }), concept.name,
  h('span', { class: 'sr-only', text: ` (${typeLabel(type).toLowerCase()}${note ? `, ${note}` : ''})` }));
}

export function kindBadge(kind) {
  return h('span', { class: `badge badge-${kind}`, text: kindLabel(kind) });
}

/** "lesson-4-write-amplification" → "Lesson 4 write amplification" */
export function humanize(slug) {
  const words = String(slug || '').replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}
