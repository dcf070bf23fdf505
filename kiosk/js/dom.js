// dom.js — small DOM helpers. Text goes through textContent only: no
// innerHTML anywhere, so nothing the server sends can become markup.
export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

/** el('button', {class: 'x', type: 'button', onclick: fn}, 'text', child…) */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
export function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

/** Shows one <section data-screen> and hides the others; moves the focus to
 *  its heading so screen readers announce the change. */
export function showScreen(name, root = document) {
  let target = null;
  for (const s of $$('[data-screen]', root)) {
    const on = s.dataset.screen === name;
    s.hidden = !on;
    if (on) target = s;
  }
  if (target) {
    const h = target.querySelector('h1, h2');
    if (h) { h.setAttribute('tabindex', '-1'); h.focus({ preventScroll: false }); }
  }
  document.body.dataset.current = name;
  return target;
}

/** Polite announcement for screen readers (an aria-live region). */
export function announce(msg) {
  let r = document.getElementById('sr-live');
  if (!r) {
    r = el('div', { id: 'sr-live', class: 'sr-only', 'aria-live': 'polite', role: 'status' });
    document.body.append(r);
  }
  r.textContent = '';
  setTimeout(() => { r.textContent = msg; }, 50);
}

/** Splits a hex string into groups of 4 for reading aloud or copying. */
export function groupHex(hex, n = 4) { return hex.match(new RegExp(`.{1,${n}}`, 'g')).join(' '); }

/** Reads and removes the URL fragment (so it leaves the address bar and is
 *  not kept on screen), returns it without '#'. */
export function takeFragment() {
  const f = location.hash.replace(/^#/, '');
  if (f) history.replaceState(null, '', location.pathname);
  return f;
}

/** A role's link (`#<meeting>.<token>`, the moderator's or the desk's):
 *  taken from the fragment and kept in the tab's sessionStorage under key,
 *  so that a reload keeps the page; {meeting, token}, or null. */
export function roleSession(key) {
  const m = /^([a-z0-9][a-z0-9._-]{0,63})\.([A-Za-z0-9_-]{43})$/.exec(takeFragment());
  if (m) {
    const sess = { meeting: m[1], token: m[2] };
    sessionStorage.setItem(key, JSON.stringify(sess));
    return sess;
  }
  try { return JSON.parse(sessionStorage.getItem(key) || 'null'); } catch (e) { return null; }
}
