// The page around the views: the element they render into, the document title, the status line.

export const main = document.getElementById('main');
const pageStatus = document.getElementById('page-status');

export function setTitle(text) {
  document.title = text ? `${text} · casegraph` : 'casegraph explorer';
}

/** Tell screen readers what changed, through the page's polite status region. */
export function announce(text) {
  pageStatus.textContent = text;
}
