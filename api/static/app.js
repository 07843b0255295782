// The casegraph explorer: search, study, concept and themes pages over the JSON API.
// No framework and no build step; the URL is the state, so every page can be shared and reloaded.

import { showConcept } from './concept.js';
import { loadFacets } from './facets.js';
import { startRouter } from './router.js';
import { showSearch } from './search.js';
import { showStudy } from './study.js';
import { showThemes } from './themes.js';

// The server's limits and types come first; without them the pages still work, and the search
// page says its filters could not be loaded and asks again when it is next shown.
loadFacets().catch(() => {}).then(() => {
  startRouter({ search: showSearch, study: showStudy, concept: showConcept, themes: showThemes });
});
