// live.js — the live meeting view kept up to date from the server's
// Server-Sent Events (GET /api/v1/meetings/{m}/events, docs/api.md).
// EventSource reconnects by itself and sends Last-Event-ID; when it gives up
// (state CLOSED, e.g. after a 503) we open a new one with backoff. Every
// reconnection is followed by a full re-fetch of the meeting view, so a phone
// that slept or lost the network always ends up with the current state.
import { api, meetingPath } from './api.js';

/** Applies one event to the meeting view (returns the view). */
export function applyEvent(view, name, data) {
  if (name === 'snapshot') return data;
  if (!view) return view;
  const qs = view.questions || (view.questions = []);
  const find = (id) => qs.find((q) => q.id === id);
  switch (name) {
    case 'meeting': Object.assign(view, data); break;
    case 'attendance': view.attendance = data; break;
    case 'election': view.election = data; break;
    case 'draw': view.draw = data; break;
    case 'draws': view.draws = data; break;
    case 'question_open': case 'question_add': {
      // The whole question object (docs/api.md): a key it no longer has
      // (e.g. "recused" cleared) goes; the participation and the result
      // other events brought stay.
      const q = find(data.id);
      if (q) {
        for (const k of Object.keys(q)) if (!(k in data) && k !== 'ballots' && k !== 'result') delete q[k];
        Object.assign(q, data);
      } else qs.push(data);
      break;
    }
    case 'question_close': { const q = find(data.id); if (q) { q.status = 'closed'; q.ballots = data.ballots; } break; }
    case 'participation': { const q = find(data.id); if (q) q.ballots = data.ballots; break; }
    case 'result': { const q = find(data.id); if (q) { q.status = 'counted'; q.result = data.result; } break; }
    case 'alternatives_result': {
      const gs = view.alternatives || (view.alternatives = []);
      if (!gs.some((g) => g.group === data.group)) gs.push(data);
      break;
    }
    default: break;
  }
  return view;
}

const EVENTS = ['snapshot', 'meeting', 'attendance', 'election', 'question_open', 'question_add',
  'question_close', 'participation', 'result', 'alternatives_result', 'draw', 'draws'];

/** Connects. handlers: onView(view, eventName, data), onStatus('live' |
 *  'reconnecting' | 'offline'); counts: false for a page that shows no
 *  participation nor attendance (a member's phone: the server then skips
 *  those events). Returns {close(), refresh(), view()}. */
export function connectLive(meeting, { onView, onStatus, counts = true }) {
  let es = null; let view = null; let closed = false; let delay = 1000; let timer = null;
  let lastSeq = -1;
  // While the device says it is offline, that is what the page says.
  const status = (s) => { if (onStatus) onStatus(s !== 'live' && navigator.onLine === false ? 'offline' : s); };
  async function refresh() {
    try {
      const v = await api('GET', meetingPath(meeting));
      if (v.seq >= lastSeq || lastSeq < 0) { view = v; lastSeq = v.seq; onView(view, 'snapshot', v); }
    } catch (e) { /* the stream will tell */ }
  }
  function open() {
    if (closed) return;
    // Offline: no request that can only fail; 'online' reopens at once.
    if (navigator.onLine === false) { timer = setTimeout(open, delay); return; }
    es = new EventSource(meetingPath(meeting, counts ? '/events' : '/events?counts=0'));
    let reopened = false;
    es.onopen = () => {
      delay = 1000; status('live');
      if (reopened) refresh();
      reopened = true;
    };
    es.onerror = () => {
      if (closed) return;
      if (es.readyState === EventSource.CLOSED) {
        status('offline');
        es.close();
        timer = setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      } else {
        status('reconnecting');
      }
    };
    for (const name of EVENTS) {
      es.addEventListener(name, (ev) => {
        let data;
        try { data = JSON.parse(ev.data); } catch (e) { return; }
        const seq = Number(ev.lastEventId);
        if (Number.isFinite(seq)) lastSeq = Math.max(lastSeq, seq);
        view = applyEvent(view, name, data);
        if (view) onView(view, name, data);
      });
    }
  }
  // The network gone (the device says so): say it at once and drop the
  // stream (it may hang rather than fail); back online: a new stream now
  // (not after the backoff) and a full re-fetch.
  const lost = () => {
    if (closed) return;
    status('offline');
    if (es) es.close();
    clearTimeout(timer);
    timer = setTimeout(open, delay);
  };
  const back = () => {
    if (closed) return;
    if (!es || es.readyState === EventSource.CLOSED) { clearTimeout(timer); delay = 1000; open(); }
    refresh();
  };
  // Back from sleep (hidden, frozen, from the back-forward cache): a stream
  // left dead by the sleep is replaced, and the view re-fetched.
  const wake = () => {
    if (document.visibilityState !== 'visible') return;
    if (es && es.readyState === EventSource.CLOSED) back(); else refresh();
  };
  document.addEventListener('visibilitychange', wake);
  document.addEventListener('resume', wake);
  window.addEventListener('pageshow', wake);
  window.addEventListener('offline', lost);
  window.addEventListener('online', back);
  open();
  return {
    close() {
      closed = true; if (es) es.close(); clearTimeout(timer);
      document.removeEventListener('visibilitychange', wake);
      document.removeEventListener('resume', wake);
      window.removeEventListener('pageshow', wake);
      window.removeEventListener('offline', lost);
      window.removeEventListener('online', back);
    },
    refresh,
    view: () => view,
  };
}
