// api.js — the web apps' only way to talk to the server (docs/api.md).
// JSON in, JSON out; every refusal becomes an ApiError carrying the server's
// code and its French and English messages. Also keeps the offset between the
// device clock and the server's (signed statements must be within 600 s).
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, fr, en, field, detail, detailEn) {
    super(`${status} ${code}`);
    this.status = status; this.code = code; this.fr = fr; this.en = en; this.field = field;
    // The server's details, French (detail) and English (detailEn): the
    // statutes engine's own message, or a cause and what to do (a full
    // disk, the record's check on write).
    this.detail = detail || null; this.detailEn = detailEn || null;
  }
}

/** The ApiError of an error answer: status and its parsed JSON (or null). */
export function apiErrorOf(status, json) {
  const err = json && json.error ? json.error : {};
  const str = (v) => (typeof v === 'string' ? v : null);
  return new ApiError(status, err.code || `http_${status}`, err.fr || null, err.en || null, err.field,
    str(err.detail), str(err.detail_en));
}

let skew = 0; // server clock − device clock, seconds
/** Unix seconds on the server's clock (as far as we know it). */
export function serverNow() { return Math.floor(Date.now() / 1000) + skew; }

function learnClock(resp) {
  const d = Date.parse(resp.headers.get('Date') || '');
  if (!Number.isNaN(d)) skew = Math.round((d - Date.now()) / 1000);
}

/** One request. opts: {token}. Throws ApiError (status 0, code 'network' when
 *  the server could not be reached). */
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let resp;
  try {
    resp = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw new ApiError(0, 'network', null, null);
  }
  learnClock(resp);
  let json = null;
  try { json = await resp.json(); } catch (e) { /* not JSON */ }
  if (!resp.ok) throw apiErrorOf(resp.status, json);
  if (json === null) throw new ApiError(resp.status, 'bad_response', null, null);
  return json;
}

/** A retrying request for idempotent acts (a ballot resent gets the same
 *  receipt): retries network errors, 429 and 503 with backoff. */
export async function apiRetry(method, path, body, opts = {}) {
  const tries = opts.tries || 6;
  let delay = 500;
  for (let k = 1; ; k++) {
    try {
      return await api(method, path, body, opts);
    } catch (e) {
      const transient = e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status === 503);
      if (!transient || k >= tries) throw e;
      if (opts.onRetry) opts.onRetry(e, k);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8000);
    }
  }
}

/** The message to show for an error: our own wording for the refusals a
 *  member meets (closed, already voted, revoked, not eligible…), else the
 *  server's French (or English) text and its detail (a full disk says how
 *  much space is left and what to do), else a generic one. */
export function errorMessage(e, context) {
  if (e instanceof ApiError) {
    const key = `err.${context ? `${context}.` : ''}${e.code}`;
    const mine = t(key, null) || t(`err.${e.code}`, null);
    if (mine) return mine;
    const lang = document.documentElement.lang === 'en' ? 'en' : 'fr';
    const theirs = lang === 'en' ? (e.en || e.fr) : (e.fr || e.en);
    const detail = lang === 'en' ? (e.detailEn || e.detail) : (e.detail || e.detailEn);
    if (theirs) return `${t('err.server')} ${theirs}${detail ? ` — ${detail}` : ''}`;
    return `${t('err.server')} ${e.status} ${e.code}`;
  }
  return t('err.unexpected');
}

export const hexOf = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
export function bytesOf(hex) {
  if (typeof hex !== 'string' || hex.length % 2 || !/^[0-9a-f]*$/.test(hex)) throw new Error('bad hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
export const meetingPath = (m, rest = '') => `/api/v1/meetings/${encodeURIComponent(m)}${rest}`;
/** Meeting identifiers as docs/api.md allows them. */
export const MEETING_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
