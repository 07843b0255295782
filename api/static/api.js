// The JSON API client: one fetch wrapper, typed errors, a short-lived cache for Back/Forward.

export class ApiError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details || {};
  }

  /** True when retrying may help: the network failed or the server did. */
  get retryable() {
    return this.status === 0 || this.status >= 500;
  }
}

const CACHE_MS = 60_000;
const CACHE_SIZE = 80;
const cache = new Map();

export function isAbort(err) {
  return err && err.name === 'AbortError';
}

/** GET `path` as JSON. Throws ApiError for HTTP errors and network failures, AbortError if aborted. */
export async function getJSON(path, { signal, fresh = false } = {}) {
  const hit = cache.get(path);
  if (!fresh && hit && Date.now() - hit.time < CACHE_MS) return hit.data;
  let response;
  let body = null;
  try {
    response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
    try {
      body = await response.json();
    } catch (err) {
      if (isAbort(err)) throw err;
      body = null;
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'network', 'The explorer could not reach the server.');
  }
  if (!response.ok) {
    const error = body && body.error;
    throw new ApiError(response.status, (error && error.code) || 'http_error',
      (error && error.message) || `The server answered with status ${response.status}.`,
      (error && error.details) || {});
  }
  if (body === null) {
    throw new ApiError(response.status, 'bad_response', 'The server sent an answer the explorer could not read.');
  }
  cache.set(path, { time: Date.now(), data: body });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value);
  return body;
}

/** A query string (without "?") from the non-empty values; spaces become %20, not "+". */
export function query(params) {
  return Object.entries(params)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}
