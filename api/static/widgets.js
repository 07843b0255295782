// Small pieces shared by the views: concept chip lists and metadata lines.

import { conceptChip, h } from './dom.js';

/** Concept chips, the first `limit` shown and a button that reveals the rest. */
export function chipList(concepts, limit, noun = 'concepts') {
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
export function metaLine(...parts) {
  // Text items are separated by "·" (badges need none); each separator travels with the item
  // after it, so a wrapped line never starts with one.
  const items = parts.filter(Boolean);
  return items.map((item, i) => h('span', { class: 'meta-item' },
    i && typeof item === 'string' && typeof items[i - 1] === 'string'
      ? h('span', { class: 'sep', 'aria-hidden': 'true', text: '· ' }) : null,
    item));
}
