// SVG building blocks for the graph: elements, and a shape per node kind so the drawing and its
// legend work without colour too.

const SVG = 'http://www.w3.org/2000/svg';

const SHAPES = {
  pattern: 'circle', technology: 'hexagon', company: 'triangle', course: 'diamond', study: 'square',
};

/** Create an SVG element; attributes that are null or undefined are skipped, as are such children. */
export function svgElement(tag, attrs = {}, ...children) {
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

/** The path of a node of `kind`: its kind's shape, a circle for a kind without one. */
export function kindPath(kind, r) {
  return shapePath(SHAPES[kind] || 'circle', r);
}

/** A small inline SVG of a kind's shape, for the legend. */
export function shapeIcon(kind, size = 14) {
  return svgElement('svg', { class: `kind-icon node-${kind}`, width: size, height: size,
    viewBox: '-10 -10 20 20', 'aria-hidden': 'true', focusable: 'false' },
  svgElement('path', { d: kindPath(kind, 7) }));
}
