// member-redist.js — the president's redistribution of the proxies he
// holds over his own cap, from his phone (APROGEMERE II: the president
// may receive any number of proxies but keeps five and gives the others,
// each to a member present, within that member's cap; docs/api.md `POST
// …/proxies/redistribute`, docs/record.md §5 S_redistribute).
//
// The list comes from the president's own standing (GET …/voters/{pk},
// `redistribute`: the mandates in excess, those already redistributed,
// the members present who may still take one with how many): the agenda
// shows each mandate in excess with a choice of those members (each with
// the number he may still take) and « Réattribuer ». The statement is
// signed here by the president's credential: the server cannot reassign
// a proxy for him. A refusal shows the server's own words (the cap and
// its article); after each change the standing is read again, so the
// list and the caps shown are the engine's.
import { api, errorMessage, hexOf, bytesOf, meetingPath, serverNow } from './api.js';
import { $, el, clear, announce } from './dom.js';
import { t } from './i18n.js';

/**
 * ctx: {crypto() → the crypto module, cred() → {publicKey, secretKey},
 * meeting() → id, standing() → GET voters' answer, alert(msg),
 * changed() → reads the standing again and renders the agenda}.
 */
export function createRedistPanel(ctx) {
  /** Fills #redist-box from the standing's `redistribute`, or hides it. */
  function render() {
    const box = $('#redist-box');
    if (!box) return;
    clear(box);
    const s = ctx.standing();
    const rd = s && s.redistribute;
    if (!rd || (!rd.excess.length && !rd.redistributed.length)) { box.hidden = true; return; }
    box.hidden = false;
    const art = rd.article ? t('v.px.article', { article: rd.article }) : '';
    box.append(el('h2', { class: 'sub' }, t('v.rd.title')));
    if (rd.excess.length) {
      box.append(el('p', { class: 'note', id: 'redist-help' }, t('v.rd.help', { cap: rd.cap, art })));
      if (!rd.takers.length) box.append(el('p', { class: 'note', id: 'redist-none' }, t('v.rd.noTakers')));
    }
    const ul = el('ul', { class: 'mandates', id: 'redist-list' });
    box.append(ul);
    rd.excess.forEach((x, i) => {
      const id = `redist-to-${i}`;
      const sel = el('select', { id, 'data-giver': x.giver }, el('option', { value: '' }, t('v.rd.choose')),
        ...rd.takers.map((k) => el('option', { value: k.pk }, t('v.rd.taker', { name: k.name, left: k.left }))));
      sel.disabled = !rd.takers.length;
      const btn = el('button', { type: 'button', class: 'primary', onclick: () => reassign(x, sel, btn, rd.takers) }, t('v.rd.go'));
      btn.disabled = !rd.takers.length;
      ul.append(el('li', { class: 'mandate', 'data-giver': x.giver },
        el('p', { class: 'mandate-name' }, t('v.rd.of', { name: x.name })),
        el('div', { class: 'field' }, el('label', { for: id }, t('v.rd.to')), sel), btn));
    });
    if (rd.redistributed.length) {
      box.append(el('h3', { class: 'sub' }, t('v.rd.redone')));
      box.append(el('ul', { class: 'plain', id: 'redist-done' },
        ...rd.redistributed.map((x) => el('li', {}, t('v.rd.item', { giver: x.name, holder: x.holder_name })))));
    }
  }

  async function reassign(x, sel, btn, takers) {
    const holder = sel.value;
    if (!holder) { ctx.alert(t('v.rd.pickFirst')); sel.focus(); return; }
    const cr = ctx.cred(); const ts = serverNow(); const C = ctx.crypto();
    const sig = hexOf(C.signStatement('proxy-redistribute', [ctx.meeting(), bytesOf(x.giver), bytesOf(holder), C.le64(ts)], cr.secretKey).sig);
    btn.disabled = true;
    try {
      await api('POST', meetingPath(ctx.meeting(), '/proxies/redistribute'), { president: hexOf(cr.publicKey), giver: x.giver, holder, ts, sig });
      const name = (takers.find((k) => k.pk === holder) || {}).name || '';
      announce(t('v.rd.done', { giver: x.name, holder: name }));
    } catch (e) {
      ctx.alert(errorMessage(e, 'proxy'));
    } finally {
      btn.disabled = false;
      ctx.changed();
    }
  }

  return { render };
}
