// The concept neighbourhood as an SVG graph: typed, coloured, shaped nodes; keyboard and pointer.

import { h, typeLabel } from './dom.js';
import { inConceptTypeOrder, isRelation } from './facets.js';
import { kindPath, shapeIcon, shapePath, svgElement } from './graph-shapes.js';

const EDGE_LABELS = {
  applies: 'applies', uses: 'uses', features: 'features', teaches: 'teaches',
  prerequisite: 'builds on', part_of: 'is part of', related_to: 'is related to',
  alternative_to: 'is an alternative to',
};
const MAX_LABEL = 26;

/** A taxonomy relation other than a prerequisite, which is drawn apart, as an arrow. */
function isConceptEdge(type) {
  return type !== 'prerequisite' && isRelation(type);
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
  const kinds = inConceptTypeOrder(new Set(data.nodes.map((n) => n.kind))); // studies come last
  const hasConceptEdges = data.edges.some((e) => isConceptEdge(e.type));
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
  const svg = svgElement('svg', {
    class: 'graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-labelledby': labelledBy || null, 'aria-describedby': descId,
  });
  const centreName = at.get(centreKey)?.node.name || data.concept.name;
  svg.append(svgElement('desc', { id: descId },
    `${data.nodes.length - 1} concepts and documents connected to ${centreName}. `
    + 'Tab to a node and press Enter to open its page.'));
  svg.append(svgElement('defs', {},
    svgElement('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse' }, svgElement('path', { d: 'M0,0L10,5L0,10z', class: 'arrowhead' }))));

  const edgeLayer = svgElement('g', { class: 'edges', 'aria-hidden': 'true' });
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
    const line = svgElement('line', {
      class: `edge edge-${edge.type}${isConceptEdge(edge.type) ? ' edge-concept' : ''}`,
      x1: a.x.toFixed(1), y1: a.y.toFixed(1),
      x2: (b.x - (dx / len) * pad).toFixed(1), y2: (b.y - (dy / len) * pad).toFixed(1),
      'marker-end': edge.type === 'prerequisite' ? 'url(#arrow)' : null,
    }, svgElement('title', {}, `${a.node.name} ${EDGE_LABELS[edge.type] || edge.type} ${b.node.name}`));
    line.dataset.source = edge.source;
    line.dataset.target = edge.target;
    edgeLayer.append(line);
    edgeEls.push(line);
  }
  svg.append(edgeLayer);

  const nodeLayer = svgElement('g', { class: 'nodes' });
  const labelLayer = svgElement('g', { class: 'labels', 'aria-hidden': 'true' });
  const nodeEls = new Map();
  const labels = [];
  for (const [key, p] of at) {
    const { node } = p;
    const isCentre = key === centreKey;
    const r = isCentre ? radius * 1.6 : radius;
    const target = node.kind === 'study' ? 'study' : 'concept';
    const g = svgElement('g', {
      class: `node node-${node.kind}${isCentre ? ' node-centre' : ''}`,
      transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`,
    });
    g.dataset.key = key;
    g.append(svgElement('title', {}, `${node.name} (${typeLabel(node.kind).toLowerCase()})`));
    g.append(svgElement('path', { class: 'hit', d: shapePath('circle', r + 8) }));
    g.append(svgElement('path', { class: 'shape', d: kindPath(node.kind, r) }));
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
    const label = svgElement('text', { class: `label${isCentre ? ' label-centre' : ''}`, 'text-anchor': 'middle' },
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
