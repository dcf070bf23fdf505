// i18n.js — French first, English available. Strings live in strings.js.
// Static text: elements with data-i18n="key" (textContent), data-i18n-aria
// (aria-label) and data-i18n-ph (placeholder) are filled by applyI18n().
import { STRINGS } from './strings.js';

let current = 'fr';
const listeners = [];
let persist = true;

/** The string for key, with {name} replaced from vars. A missing key gives
 *  the key itself, or null when vars === null (to test for presence). */
export function t(key, vars) {
  const s = (STRINGS[current] && STRINGS[current][key]) ?? STRINGS.fr[key];
  if (s === undefined) return vars === null ? null : key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
}
export const lang = () => current;

export function applyI18n(root = document) {
  document.documentElement.lang = current;
  for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll('[data-i18n-aria]')) e.setAttribute('aria-label', t(e.dataset.i18nAria));
  for (const e of root.querySelectorAll('[data-i18n-ph]')) e.setAttribute('placeholder', t(e.dataset.i18nPh));
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
}

export function setLang(l) {
  current = l === 'en' ? 'en' : 'fr';
  if (persist) { try { localStorage.setItem('scrutin.lang', current); } catch (e) { /* private mode */ } }
  applyI18n();
  for (const f of listeners) f(current);
}
export function onLangChange(f) { listeners.push(f); }

/** Reads the saved choice and wires the #lang-switch button. opts.persist =
 *  false on the kiosk (nothing may outlive a voter). */
export function initI18n(opts = {}) {
  persist = opts.persist !== false;
  let saved = null;
  if (persist) { try { saved = localStorage.getItem('scrutin.lang'); } catch (e) { /* ignore */ } }
  current = saved === 'en' ? 'en' : 'fr';
  applyI18n();
  const b = document.getElementById('lang-switch');
  if (b) b.addEventListener('click', () => setLang(current === 'fr' ? 'en' : 'fr'));
}
