// The concept neighbourhood as an SVG graph: typed, coloured, shaped nodes; keyboard and pointer.

import { h, typeLabel } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

// Each kind gets a colour (CSS variable) and a shape, so the legend works without colour too.
export const NODE_KINDS = ['pattern', 'technology', 'company', 'course', 'study'];
const SHAPES = {
  pattern: 'circle', technology: 'hexagon', company: 'triangle', course: 'diamond', study: 'square',
};
const EDGE_LABELS = {
  applies: 'applies', uses: 'uses', features: 'features', teaches: 'teaches',
  prerequisite: 'builds on', part_of: 'is part of', related_to: 'is related to',
  alternative_to: 'is an alternative to',
};
const CONCEPT_EDGES = new Set(['related_to', 'alternative_to', 'part_of']);
const MAX_LABEL = 26;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) el.append(child);
  }
  return el;
}

/** An SVG path for `shape` centred on (0, 0) with radius about `r`. */
export function shapePath(shape, r) {
  const poly = (points) => `M${points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join('L')}Z`;
  switch (shape) {
    case 'square': {
      const a = r * 0.88;
      return poly([[-a, -a], [a, -a], [a, a], [-a, a]]);
    }
    case 'diamond':
      return poly([[0, -r * 1.2], [r * 1.2, 0], [0, r * 1.2], [-r * 1.2, 0]]);
    case 'triangle':
      return poly([[0, -r * 1.2], [r * 1.1, r * 0.85], [-r * 1.1, r * 0.85]]);
    case 'hexagon':
      return poly([...Array(6).keys()].map((i) => {
        const angle = Math.PI / 3 * i;
        return [r * 1.05 * Math.cos(angle), r * 1.05 * Math.sin(angle)];
      }));
    default:
      return `M${-r},0a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
  }
}

/** A small inline SVG of a kind's shape, for legends and chips. */
export function shapeIcon(kind, size = 14) {
  return s('svg', { class: `kind-icon node-${kind}`, width: size, height: size,
    viewBox: '-10 -10 20 20', 'aria-hidden': 'true', focusable: 'false' },
  s('path', { d: shapePath(SHAPES[kind] || 'circle', 7) }));
}

function truncate(name) {
  return name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL - 1).trimEnd()}…` : name;
}

function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Draw `data` (a /neighbourhood answer) into `container`, redrawing when its width changes.
 * `onOpen(node)` is called when a node is clicked or activated with Enter or Space.
 * Returns a function that stops watching the container's size.
 */
export function drawGraph(container, data, { onOpen, labelledBy } = {}) {
  const centre = data.nodes.find((n) => n.id === data.concept.id && n.kind !== 'study') || data.nodes[0];
  const centreKey = centre ? centre.key : null;
  const wrap = h('div', { class: 'graph-canvas' });
  const legend = renderLegend(data);
  container.replaceChildren(wrap, legend);
  let drawnWidth = 0;

  const draw = () => {
    const width = Math.round(wrap.clientWidth);
    if (!width || Math.abs(width - drawnWidth) < 2) return;
    const focused = document.activeElement && wrap.contains(document.activeElement)
      ? document.activeElement.dataset.key : null;
    drawnWidth = width;
    wrap.replaceChildren(render(data, width, centreKey, { onOpen, labelledBy }));
    if (focused) {
      const again = wrap.querySelector(`[data-key="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  };
  draw();
  let timer = 0;
  const observer = new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(draw, 80);
  });
  observer.observe(wrap);
  return () => {
    observer.disconnect();
    clearTimeout(timer);
  };
}

function renderLegend(data) {
  const present = new Set(data.nodes.map((n) => n.kind));
  const kinds = NODE_KINDS.filter((k) => present.has(k));
  const hasConceptEdges = data.edges.some((e) => CONCEPT_EDGES.has(e.type));
  const hasPrereq = data.edges.some((e) => e.type === 'prerequisite');
  return h('div', { class: 'graph-legend' },
    h('ul', { class: 'legend-kinds', 'aria-label': 'Node types' },
      kinds.map((kind) => h('li', {}, shapeIcon(kind), typeLabel(kind)))),
    h('ul', { class: 'legend-edges', 'aria-label': 'Edge types' },
      h('li', {}, h('span', { class: 'edge-swatch edge-swatch-doc', 'aria-hidden': 'true' }),
        'document uses concept'),
      hasPrereq ? h('li', {}, h('span', { class: 'edge-swatch edge-swatch-prereq', 'aria-hidden': 'true' }),
        'builds on (prerequisite)') : null,
      hasConceptEdges ? h('li', {}, h('span', { class: 'edge-swatch edge-swatch-related', 'aria-hidden': 'true' }),
        'related, alternative or part of') : null));
}

function render(data, width, centreKey, { onOpen, labelledBy }) {
  const narrow = width < 560;
  const height = Math.round(narrow ? Math.min(width * 1.35, 560) : Math.min(Math.max(width * 0.5, 360), 520));
  const marginX = Math.min(80, width * 0.1);
  const marginY = 30;
  const radius = narrow ? 8 : 10;
  // Fit the layout's bounding box to the drawing area, so no band of it is left empty.
  const xs = data.nodes.map((n) => n.x);
  const ys = data.nodes.map((n) => n.y);
  const span = (values) => {
    const lo = Math.min(...values);
    const range = Math.max(...values) - lo;
    return range < 0.2 ? [lo + range / 2 - 0.5, 1] : [lo, range];
  };
  const [x0, xw] = span(xs);
  const [y0, yh] = span(ys);
  const at = new Map();
  for (const node of data.nodes) {
    at.set(node.key, {
      node,
      x: marginX + ((node.x - x0) / xw) * (width - 2 * marginX),
      y: marginY + ((node.y - y0) / yh) * (height - 2 * marginY),
    });
  }
  const neighbours = new Map([...at.keys()].map((k) => [k, new Set()]));
  for (const edge of data.edges) {
    if (!at.has(edge.source) || !at.has(edge.target)) continue;
    neighbours.get(edge.source).add(edge.target);
    neighbours.get(edge.target).add(edge.source);
  }

  const descId = `graph-desc-${Math.random().toString(36).slice(2, 8)}`;
  const svg = s('svg', {
    class: 'graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-labelledby': labelledBy || null, 'aria-describedby': descId,
  });
  const centreName = at.get(centreKey)?.node.name || data.concept.name;
  svg.append(s('desc', { id: descId },
    `${data.nodes.length - 1} concepts and documents connected to ${centreName}. `
    + 'Tab to a node and press Enter to open its page.'));
  svg.append(s('defs', {},
    s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse' }, s('path', { d: 'M0,0L10,5L0,10z', class: 'arrowhead' }))));

  const edgeLayer = s('g', { class: 'edges', 'aria-hidden': 'true' });
  const edgeEls = [];
  for (const edge of data.edges) {
    const a = at.get(edge.source);
    const b = at.get(edge.target);
    if (!a || !b) continue;
    // Stop the line at the target node's edge so an arrowhead stays visible.
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const pad = edge.type === 'prerequisite' ? radius + 3 : 0;
    const line = s('line', {
      class: `edge edge-${edge.type}${CONCEPT_EDGES.has(edge.type) ? ' edge-concept' : ''}`,
      x1: a.x.toFixed(1), y1: a.y.toFixed(1),
      x2: (b.x - (dx / len) * pad).toFixed(1), y2: (b.y - (dy / len) * pad).toFixed(1),
      'marker-end': edge.type === 'prerequisite' ? 'url(#arrow)' : null,
    }, s('title', {}, `${a.node.name} ${EDGE_LABELS[edge.type] || edge.type} ${b.node.name}`));
    line.dataset.source = edge.source;
    line.dataset.target = edge.target;
    edgeLayer.append(line);
    edgeEls.push(line);
  }
  svg.append(edgeLayer);

  const nodeLayer = s('g', { class: 'nodes' });
  const labelLayer = s('g', { class: 'labels', 'aria-hidden': 'true' });
  const nodeEls = new Map();
  const labels = [];
  for (const [key, p] of at) {
    const { node } = p;
    const isCentre = key === centreKey;
    const r = isCentre ? radius * 1.6 : radius;
    const target = node.kind === 'study' ? 'study' : 'concept';
    const g = s('g', {
      class: `node node-${node.kind}${isCentre ? ' node-centre' : ''}`,
      transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`,
    });
    g.dataset.key = key;
    g.append(s('title', {}, `${node.name} (${typeLabel(node.kind).toLowerCase()})`));
    g.append(s('path', { class: 'hit', d: shapePath('circle', r + 8) }));
    g.append(s('path', { class: 'shape', d: shapePath(SHAPES[node.kind] || 'circle', r) }));
    if (isCentre) {
      g.setAttribute('role', 'img');
      g.setAttribute('aria-label', `${node.name}, ${typeLabel(node.kind).toLowerCase()}: this page`);
    } else {
      g.setAttribute('role', 'link');
      g.setAttribute('tabindex', '0');
      g.setAttribute('aria-label', `${node.name}, ${typeLabel(node.kind).toLowerCase()}. Opens its ${target} page.`);
      g.addEventListener('click', () => onOpen && onOpen(node));
      g.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          if (onOpen) onOpen(node);
        }
      });
    }
    const label = s('text', { class: `label${isCentre ? ' label-centre' : ''}`, 'text-anchor': 'middle' },
      truncate(node.name));
    label.dataset.key = key;
    labelLayer.append(label);
    labels.push({ key, label, p, r, isCentre });
    nodeLayer.append(g);
    nodeEls.set(key, g);
  }
  svg.append(nodeLayer, labelLayer);

  const highlight = (key) => {
    svg.classList.toggle('has-active', Boolean(key));
    const near = key ? neighbours.get(key) : new Set();
    for (const [k, g] of nodeEls) g.classList.toggle('near', Boolean(key) && (k === key || near.has(k)));
    for (const line of edgeEls) {
      line.classList.toggle('active', Boolean(key)
        && (line.dataset.source === key || line.dataset.target === key));
    }
    for (const { key: k, label } of labels) {
      label.classList.toggle('near', Boolean(key) && (k === key || near.has(k)));
      label.classList.toggle('current', k === key);
    }
  };
  for (const [key, g] of nodeEls) {
    g.addEventListener('pointerenter', () => highlight(key));
    g.addEventListener('pointerleave', () => highlight(null));
    g.addEventListener('focus', () => highlight(key));
    g.addEventListener('blur', () => highlight(null));
  }

  // Labels are placed after the SVG is in the document, when their widths can be measured.
  queueMicrotask(() => placeLabels(labels, width, height));
  return svg;
}

/** Put each label below, above, right or left of its node, wherever it collides with nothing. */
function placeLabels(labels, width, height) {
  const boxes = labels.map(({ p, r }) => ({ x: p.x - r, y: p.y - r, w: 2 * r, h: 2 * r }));
  const placed = [];
  const order = [...labels].sort((a, b) => Number(b.isCentre) - Number(a.isCentre));
  for (const item of order) {
    const { label, p, r } = item;
    let w = 0;
    try {
      w = label.getComputedTextLength();
    } catch {
      w = label.textContent.length * 6.5;
    }
    if (!w) w = label.textContent.length * 6.5;
    const lh = 14;
    const candidates = [
      { x: p.x, y: p.y + r + lh, anchor: 'middle' },
      { x: p.x, y: p.y - r - 6, anchor: 'middle' },
      { x: p.x + r + 5, y: p.y + 4, anchor: 'start' },
      { x: p.x - r - 5, y: p.y + 4, anchor: 'end' },
    ];
    let chosen = null;
    let fallback = null;
    for (const c of candidates) {
      let left = c.anchor === 'middle' ? c.x - w / 2 : c.anchor === 'start' ? c.x : c.x - w;
      left = Math.max(2, Math.min(width - w - 2, left));
      const box = { x: left, y: c.y - lh + 3, w, h: lh };
      if (box.y < 0 || box.y + box.h > height) continue;
      const hits = [...placed, ...boxes].some((b) => overlaps(box, b));
      const spot = { ...c, left, box };
      if (!fallback) fallback = spot;
      if (!hits) {
        chosen = spot;
        break;
      }
    }
    const spot = chosen || fallback;
    if (!spot) continue;
    label.setAttribute('x', (spot.left + w / 2).toFixed(1));
    label.setAttribute('y', spot.y.toFixed(1));
    label.setAttribute('text-anchor', 'middle');
    if (chosen || item.isCentre) placed.push(spot.box);
    else label.classList.add('crowded');
  }
}
