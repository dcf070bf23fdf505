// desk.js — the desk's page (accueil, /d/#<meeting>.<token>, made by
// `scrutin meeting desk-link`): enters the paper proxies handed in at the
// entrance (docs/api.md `GET …/desk`, `POST …/proxies/paper`).
// The token came in the fragment and is sent only as a Bearer header; it is
// kept in sessionStorage (this tab) so that a reload keeps the page. The
// desk finds the giver then the holder by name among the roll's voters
// (the server sends their member numbers and names, nothing else), sees the
// statutes' conditions, confirms, and sees the paper proxies entered; a
// refusal shows the server's own words (Espace+ art. 4: digital only).
import { initI18n, t, onLangChange } from './i18n.js';
import { api, errorMessage, meetingPath } from './api.js';
import { $, el, clear, roleSession, announce } from './dom.js';
import { fold, conditionLines } from './member-proxy.js';

initI18n();
const sess = roleSession('scrutin.d');

let view = null;			// GET …/desk
const chosen = { giver: null, holder: null };
const MAX_SHOWN = 8;

function alert(msg, ok) {
  const box = $('#alert');
  box.textContent = msg || ''; box.hidden = !msg;
  box.className = ok ? 'alert alert-ok' : 'alert';
  if (msg) announce(msg);
}
const call = (method, rest, body) => api(method, meetingPath(sess.meeting, rest), body, { token: sess.token });

// A refusal in the server's words (their article included), unless
// strings.js has err.desk.<code> or err.<code>.
const refusal = (e) => errorMessage(e, 'desk');

function renderConditions() {
  const ul = clear($('#d-conditions'));
  const c = view.conditions;
  const art = c.article ? t('v.px.article', { article: c.article }) : '';
  if (c.allowed && !c.paper) ul.append(el('li', { id: 'd-nopaper' }, t('d.noPaper', { art })));
  for (const line of conditionLines(c)) ul.append(el('li', {}, line));
}

function renderList() {
  const ul = clear($('#d-list'));
  $('#d-empty').hidden = view.paper.length > 0;
  for (const p of view.paper) {
    const text = t(p.withdrawn ? 'd.itemWithdrawn' : 'd.item', { giver: p.giver_name, gno: p.giver,
      holder: p.holder_name, hno: p.holder });
    ul.append(el('li', { 'data-giver': p.giver, 'data-holder': p.holder }, text));
  }
}

function renderChoice(role) {
  const c = chosen[role];
  const p = $(`#d-${role}-chosen`);
  p.hidden = !c;
  p.textContent = c ? t(role === 'giver' ? 'd.giverChosen' : 'd.holderChosen', { name: c.name, no: c.no }) : '';
}

function search(role) {
  const q = fold($(`#d-${role}-search`).value).trim();
  const list = clear($(`#d-${role}-results`));
  const count = $(`#d-${role}-count`);
  if (!view) return;
  if (q.replace(/\s+/g, '').length < 2) { count.textContent = q ? t('v.px.typeMore') : ''; return; }
  const words = q.split(/\s+/);
  const found = view.members.filter((m) => { const n = fold(`${m.name} ${m.no}`); return words.every((w) => n.includes(w)); });
  count.textContent = found.length ? t('v.px.found', { n: found.length }) : t('v.px.none');
  for (const m of found.slice(0, MAX_SHOWN)) {
    list.append(el('li', {}, el('button', { type: 'button', class: 'holder', 'data-no': m.no,
      onclick: () => { chosen[role] = m; $(`#d-${role}-search`).value = ''; clear(list); count.textContent = ''; renderChoice(role); } },
    `${m.name} (${m.no})`)));
  }
  if (found.length > MAX_SHOWN) list.append(el('li', { class: 'help' }, t('v.px.more', { n: found.length - MAX_SHOWN })));
}

function render() {
  if (!view) return;
  $('#d-title').textContent = view.title;
  renderConditions();
  renderList();
  renderChoice('giver');
  renderChoice('holder');
}

async function load() {
  view = await call('GET', '/desk');
  render();
}

async function submit(ev) {
  ev.preventDefault();
  if (!chosen.giver || !chosen.holder) { alert(t('d.chooseBoth')); return; }
  const { giver, holder } = chosen;
  try {
    await call('POST', '/proxies/paper', { giver: giver.no, holder: holder.no });
    chosen.giver = null; chosen.holder = null;
    alert(t('d.entered', { giver: giver.name, holder: holder.name }), true);
  } catch (e) {
    alert(refusal(e));
  }
  try { await load(); } catch (e) { alert(refusal(e)); }
}

async function main() {
  if (!sess) { $('#d-nolink').hidden = false; return; }
  $('#desk').hidden = false;
  for (const role of ['giver', 'holder']) $(`#d-${role}-search`).addEventListener('input', () => search(role));
  $('#d-form').addEventListener('submit', submit);
  onLangChange(() => { render(); search('giver'); search('holder'); });
  try { await load(); } catch (e) { alert(refusal(e)); }
}
main();
