// member-mailin.js — the mail-in vote (vote par correspondance) on the
// member's phone (docs/api.md `POST …/mailin/fallback`, `POST
// …/mailin/ballots`; docs/record.md mailin.fallback, mailin.ballot).
//
// While the window the operator opened is open (the meeting's view
// `mailin`), the agenda shows a box « Vote par correspondance »: where
// the statutes provide for it (ANIMT art. V), the member first names the
// fallback holder who will vote for them on the motions added on the day
// (found by name on the roll, as for a proxy: member-proxy.js), then
// votes each published motion; the ballot is built, encrypted and signed
// on this device exactly like a room ballot (member-app.js's vote and
// confirm screens), sent to …/mailin/ballots, and acknowledged with its
// own receipt. After voting, the box and the agenda say « Vous avez voté
// par correspondance ». Every statement is signed here by the member's
// credential; what the member did is read back from the server
// (GET …/voters/{pk} `mailin`), nothing else is kept.
import { api, bytesOf, errorMessage, hexOf, meetingPath, serverNow } from './api.js';
import { $, el, clear, announce } from './dom.js';
import { t } from './i18n.js';
import { holderMatches, holdersRequest } from './member-proxy.js';

/**
 * The box and the fallback screen. ctx: {crypto(), cred(), meeting(),
 * view(), standing(), go(screen), alert(msg), back(), vote(q)}.
 */
export function createMailinPanel(ctx) {
  let holders = null;		// the roll's voters one may name
  let chosen = null;

  const win = () => ctx.view() && ctx.view().mailin;
  const mine = () => (ctx.standing() && ctx.standing().mailin) || { voted: {}, fallback: null };
  /** Whether qid has this member's mail-in ballot. */
  const votedByMail = (qid) => !!mine().voted[qid];

  /** Fills the agenda's box (#mailin-box). */
  function renderBox() {
    const box = $('#mailin-box');
    if (!box) return;
    clear(box);
    const w = win();
    const voted = Object.keys(mine().voted);
    if (!w || (!w.open && !voted.length)) { box.hidden = true; return; }
    box.hidden = false;
    box.append(el('h2', { class: 'sub' }, t('v.mi.title')));
    if (!w.open) {
      box.append(el('p', { class: 'ok', id: 'mailin-done' }, t('v.mi.done')));
      return;
    }
    const closes = new Date(w.closes_at * 1000).toLocaleString(document.documentElement.lang);
    box.append(el('p', {}, t('v.mi.intro', { closes })));
    const fb = mine().fallback;
    if (w.fallback) {
      box.append(el('p', { class: fb ? 'ok' : 'note', id: 'mailin-fallback' },
        fb ? t('v.mi.fallbackIs', { name: fb.name }) : t('v.mi.fallbackNeeded', { article: w.article })));
      box.append(el('button', { type: 'button', class: 'secondary', id: 'mailin-fallback-open', onclick: () => show() },
        fb ? t('v.mi.fallbackChange') : t('v.mi.fallbackName')));
    }
    const ul = el('ul', { class: 'mailin-questions' });
    for (const qid of w.questions) {
      const q = ctx.view().questions.find((x) => x.id === qid);
      if (!q) continue;
      const li = el('li', { 'data-mailin': qid }, el('p', { class: 'mandate-name' }, q.title));
      if (votedByMail(qid)) li.append(el('p', { class: 'ok' }, t('v.mi.voted')));
      else if (w.fallback && !fb) li.append(el('p', { class: 'note' }, t('v.mi.nameFirst')));
      else li.append(el('button', { type: 'button', class: 'primary', onclick: () => ctx.vote(q) }, t('v.mi.vote')));
      ul.append(li);
    }
    box.append(ul);
  }

  /** The fallback screen: search on the roll, confirm. */
  async function show() {
    chosen = null;
    try { holders = (await holdersRequest(ctx)).holders; } catch (e) { ctx.alert(errorMessage(e)); return; }
    $('#mf-search').value = '';
    $('#mf-confirm').hidden = true;
    $('#mf-pick').hidden = false;
    results();
    ctx.go('mailin-fallback');
  }
  function results() {
    holderMatches($('#mf-search'), $('#mf-results'), $('#mf-count'), holders.filter((h) => !h.mine), pick);
  }
  function pick(h) {
    chosen = h;
    $('#mf-pick').hidden = true;
    $('#mf-confirm').hidden = false;
    $('#mf-confirm-text').textContent = t('v.mi.confirmText', { name: h.name });
    $('#mf-name').focus();
  }
  async function name() {
    if (!chosen) return;
    const cr = ctx.cred(); const C = ctx.crypto(); const ts = serverNow(); const h = chosen;
    const btn = $('#mf-name'); btn.disabled = true;
    try {
      await api('POST', meetingPath(ctx.meeting(), '/mailin/fallback'), { pk: hexOf(cr.publicKey), holder: h.pk, ts,
        sig: hexOf(C.signStatement('mailin-fallback', [ctx.meeting(), cr.publicKey, bytesOf(h.pk), C.le64(ts)], cr.secretKey).sig) });
      const s = ctx.standing();
      s.mailin = { ...mine(), fallback: { pk: h.pk, name: h.name } };
      ctx.back();
      announce(t('v.mi.fallbackIs', { name: h.name }));
    } catch (e) { ctx.alert(errorMessage(e, 'mailin')); } finally { btn.disabled = false; }
  }

  $('#mf-search').addEventListener('input', results);
  $('#mf-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const first = $('#mf-results button.holder');
    if (first) first.click();
  });
  $('#mf-name').addEventListener('click', name);
  $('#mf-change').addEventListener('click', () => { chosen = null; $('#mf-confirm').hidden = true; $('#mf-pick').hidden = false; $('#mf-search').focus(); });
  $('#mf-back').addEventListener('click', () => ctx.back());

  return {
    renderBox, votedByMail,
    /** This member's mail-in receipt on qid (hex), or undefined. */
    receipt: (qid) => mine().voted[qid],
    /** The window is open now: the agenda's questions are voted here. */
    open: () => !!(win() && win().open),
    /** A mail-in ballot accepted: kept in the standing. */
    recorded(qid, receipt) { const s = ctx.standing(); s.mailin = { ...mine(), voted: { ...mine().voted, [qid]: receipt } }; },
    rerender: () => { if (holders) results(); },
  };
}
