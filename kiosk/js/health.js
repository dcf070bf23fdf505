// health.js — the storage banner of the consoles (moderator /m/,
// scrutineers /s/): reads GET /api/v1/status (docs/api.md), which answers
// 503 with "state": "degraded" and the reason (a full disk, an I/O
// error…) while the server cannot write, and shows the server's own
// sentence — what happened and what to do — until the status is "ok"
// again. A refusal storage_full / storage_error asks for a fresh look at
// once (checkHealth).
import { t, lang, onLangChange } from './i18n.js';

let box = null;
let degraded = null; // the status's "degraded" member, or null

function show() {
  if (!box) return;
  if (!degraded) { box.hidden = true; box.textContent = ''; return; }
  const said = lang() === 'en' ? (degraded.en || degraded.fr) : (degraded.fr || degraded.en);
  const since = degraded.since ? new Date(degraded.since * 1000).toLocaleTimeString(lang() === 'en' ? 'en-GB' : 'fr-FR') : '';
  box.textContent = `${t('health.degraded')} ${said}${since ? ` (${t('health.since', { time: since })})` : ''}`;
  box.hidden = false;
}

/** Reads the status now. A server out of reach leaves the banner as it is
 *  (the connection indicator says so). */
export async function checkHealth() {
  let doc = null;
  try {
    const resp = await fetch('/api/v1/status', {
      headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'omit',
      redirect: 'error', referrerPolicy: 'no-referrer',
    });
    doc = await resp.json();
  } catch (e) { return; }
  if (!doc || typeof doc.state !== 'string') return;
  degraded = doc.state === 'degraded' && doc.degraded && typeof doc.degraded === 'object' ? doc.degraded : null;
  show();
}

/** After a write the server accepted: while the banner is up, looks again
 *  (the state clears with the first write that succeeds). */
export function recheckHealth() { if (degraded) checkHealth(); }

/** Watches the status every `every` ms into the element `el` (a role="alert"
 *  box, hidden while all is well). */
export function watchHealth(el, every = 15000) {
  box = el;
  onLangChange(show);
  checkHealth();
  setInterval(checkHealth, every);
}
