// member-proxy.js — giving and withdrawing a proxy (procuration) from the
// member's phone (docs/api.md `POST …/proxies`, `POST …/proxies/holders`;
// docs/record.md §5 S_proxy, S_withdraw).
//
// The agenda shows a box: « Donner procuration », or « Vous avez donné
// procuration à NOM » with « Retirer la procuration ». The « proxy »
// screen lists the statutes' conditions as the server reads them from the
// profile (cap, holder present, article), lets the member find the holder
// by name (a few letters, accents and case ignored) and confirm. Every
// request is signed here by the member's credential: the server cannot
// give a proxy for a member. Refusals show the server's own French (or
// English) text, which names the article. Nothing is kept on the device:
// the server's answer to `proxies/holders` is the state.
//
// Where the statutes reassign an absent holder's proxy by a random draw
// (Espace+ art. 4; the answer's `draw`), the same box lets the member
// volunteer or stop volunteering before the meeting starts (`POST
// …/proxies/volunteer`, signed), and, once the draw gives the member a
// proxy, decline it (`POST …/proxies/decline`): the draw then passes to
// the next volunteer.
import { api, ApiError, bytesOf, errorMessage, hexOf, meetingPath, serverNow } from './api.js';
import { $, el, clear, announce } from './dom.js';
import { t, lang } from './i18n.js';

/** Lower case, accents removed: « Élodie » and « elodie » match. */
export function fold(s) {
  return String(s).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The local time of a Unix time (the deadline's minute): « 17 h 30 »
 *  in French, « 17:30 » in English. */
function clockTime(unix) {
  const d = new Date(unix * 1000);
  const mm = String(d.getMinutes()).padStart(2, '0');
  return lang() === 'en' ? `${d.getHours()}:${mm}` : `${d.getHours()} h ${mm}`;
}

/** Why this member cannot give a proxy now, in words, or null. */
export function cannotGive(c) {
  if (!c) return null;
  const art = c.article ? t('v.px.article', { article: c.article }) : '';
  if (!c.allowed) return t('v.px.notAllowed', { art });
  if (!c.digital) return t('v.px.noDigital', { art });
  if (c.deadline && c.closed) return t('v.px.deadlinePassed', { time: clockTime(c.closes_at), min: c.deadline_minutes, art });
  if (c.deadline && !c.closes_at) return t('v.px.deadline', { art });
  return null;
}

/** The statutes' conditions of a proxy, in words (holders' `conditions`). */
export function conditionLines(c) {
  const art = c.article ? t('v.px.article', { article: c.article }) : '';
  if (!c.allowed) return [t('v.px.notAllowed', { art })];
  const out = [];
  if (c.cap === null || c.cap === undefined) out.push(t('v.px.capNone', { art }));
  else out.push(t(c.cap === 1 ? 'v.px.capOne' : 'v.px.cap', { cap: c.cap, art }));
  if (c.holder_present) out.push(t('v.px.holderPresent', { art }));
  if (!c.digital) out.push(t('v.px.noDigital', { art }));
  if (c.deadline && c.closes_at) {
    const time = clockTime(c.closes_at);
    out.push(t(c.closed ? 'v.px.deadlinePassed' : 'v.px.deadlineAt', { time, min: c.deadline_minutes, art }));
  } else if (c.deadline) out.push(t('v.px.deadline', { art }));
  out.push(t('v.px.counted'));
  return out;
}

/**
 * Asks the server whom this member may name (POST …/proxies/holders,
 * signed by the credential): resolves to its answer. ctx as below.
 */
export function holdersRequest(ctx) {
  const cr = ctx.cred();
  const ts = serverNow();
  const pk = cr.publicKey;
  const sig = hexOf(ctx.crypto().signStatement('proxy-holders', [ctx.meeting(), pk, ctx.crypto().le64(ts)], cr.secretKey).sig);
  return api('POST', meetingPath(ctx.meeting(), '/proxies/holders'), { pk: hexOf(pk), ts, sig });
}

/**
 * The members whose name holds every word typed in `input` (accents and
 * case ignored), as buttons (class holder) in `list`, with a count in
 * `count`; `pick(h)` when one is chosen.
 */
export function holderMatches(input, list, count, holders, pick) {
  const q = fold(input.value).trim();
  clear(list);
  const words = q.split(/\s+/).filter(Boolean);
  if (q.replace(/\s+/g, '').length < 2) { count.textContent = t('v.px.typeMore'); return; }
  const found = holders.filter((h) => { const n = fold(h.name); return words.every((w) => n.includes(w)); });
  count.textContent = found.length ? t('v.px.found', { n: found.length }) : t('v.px.none');
  for (const h of found.slice(0, 12)) {
    list.append(el('li', {}, el('button', { type: 'button', class: 'holder', 'data-pk': h.pk, onclick: () => pick(h) }, h.name)));
  }
  if (found.length > 12) list.append(el('li', { class: 'note' }, t('v.px.more', { n: found.length - 12 })));
}

/**
 * The proxy box and screen. ctx: {crypto() → the crypto module, cred() → {publicKey, secretKey},
 * meeting() → id, status() → the meeting's status, go(screen), alert(msg),
 * back() → renders the agenda and shows it, changed() → reads the
 * member's standing again (the mandates after a decline)}.
 */
export function createProxyPanel(ctx) {
  let info = null;		// the holders answer, or null before it
  let loading = null;
  let chosen = null;		// {name, pk}
  let notice = '';		// « Procuration retirée » after a withdrawal
  let lastTs = 0;		// the time of the last draw statement sent

  const sign = (kind, fields) => hexOf(ctx.crypto().signStatement(kind, fields, ctx.cred().secretKey).sig);

  /** Asks the server whom this member may name and whether a proxy is
   *  given (signed by the credential). Resolves to the answer or null. */
  function refresh() {
    if (!ctx.cred()) return Promise.resolve(null);
    loading = holdersRequest(ctx)
      .then((r) => { info = r; return r; })
      .catch(() => null)
      .finally(() => { loading = null; });
    return loading;
  }

  const mine = () => (info && info.given ? info.holders.find((h) => h.mine) || null : null);
  const open = () => ['convened', 'live'].includes(ctx.status());
  const canGive = () => {
    const c = info && info.conditions;
    return !!c && cannotGive(c) === null;
  };

  /** Fills the agenda's box (#proxy-box). */
  function renderBox() {
    const box = $('#proxy-box');
    if (!box) return;
    clear(box);
    if (!info || !open()) { box.hidden = true; return; }
    box.hidden = false;
    box.append(el('h2', { class: 'sub' }, t('v.px.boxTitle')));
    if (notice) box.append(el('p', { class: 'note', id: 'proxy-note' }, notice));
    const h = mine();
    if (h) {
      box.append(el('p', { class: 'ok', id: 'proxy-given' }, t('v.px.given', { name: h.name })));
      box.append(el('button', { type: 'button', class: 'secondary', id: 'proxy-withdraw', onclick: () => withdraw(h) },
        t('v.px.withdraw')));
    } else if (canGive()) {
      box.append(el('button', { type: 'button', class: 'secondary', id: 'proxy-open', onclick: () => show() }, t('v.px.give')));
    } else {
      box.append(el('p', { class: 'note', id: 'proxy-cannot' }, cannotGive(info.conditions) || conditionLines(info.conditions)[0]));
    }
    if (info.draw) drawBox(box, info.draw);
  }

  /** The random draw's part of the box (Espace+ 4): volunteer before
   *  the meeting starts; decline a proxy the draw gave. */
  function drawBox(box, d) {
    const art = d.article ? t('v.px.article', { article: d.article }) : '';
    const part = el('div', { id: 'draw-box', class: 'draw' }, el('h3', { class: 'sub' }, t('v.dr.title')));
    box.append(part);
    if (!d.closed) {
      part.append(el('p', { class: 'note' }, t('v.dr.help', { art })));
      if (d.volunteered) {
        part.append(el('p', { class: 'ok', id: 'draw-status' }, t('v.dr.volunteered')));
        part.append(el('button', { type: 'button', class: 'secondary', id: 'draw-unvolunteer', onclick: () => volunteer(false) }, t('v.dr.unvolunteer')));
      } else {
        part.append(el('button', { type: 'button', class: 'secondary', id: 'draw-volunteer', onclick: () => volunteer(true) }, t('v.dr.volunteer')));
      }
    } else if (d.declined) {
      part.append(el('p', { class: 'note', id: 'draw-status' }, t('v.dr.declined')));
    } else if (d.drawn) {
      part.append(el('p', { class: 'ok', id: 'draw-status' }, t('v.dr.drawn', { art })));
      part.append(el('button', { type: 'button', class: 'secondary', id: 'draw-decline', onclick: () => decline() }, t('v.dr.decline')));
    } else if (d.volunteered) {
      part.append(el('p', { class: 'note', id: 'draw-status' }, t(d.seeded ? 'v.dr.notDrawn' : 'v.dr.waiting')));
    } else {
      part.remove();
    }
  }

  /** A signed draw request (volunteer, withdraw, decline), then the
   *  state read again; the server's words on a refusal. */
  async function drawRequest(path, body, kind, done) {
    const cr = ctx.cred();
    const send = () => {
      // A later second than this phone's previous statement (the clock's
      // skew is learned again at each answer and may step back a second).
      const ts = lastTs = Math.max(serverNow(), lastTs + 1);
      return api('POST', meetingPath(ctx.meeting(), path), { ...body, pk: hexOf(cr.publicKey), ts,
        sig: sign(kind, [ctx.meeting(), cr.publicKey, ctx.crypto().le64(ts)]) });
    };
    try {
      // Each statement must bear a later second than the member's last
      // one, maybe sent from another device (volunteer_not_later): once
      // more, a second later.
      await send().catch(async (e) => {
        if (!(e instanceof ApiError) || e.code !== 'volunteer_not_later') throw e;
        await new Promise((r) => setTimeout(r, 1100));
        return send();
      });
      await refresh();
      notice = done;
      ctx.back();
      announce(done);
      if (ctx.changed) ctx.changed();
    } catch (e) { ctx.alert(errorMessage(e, 'proxy')); refresh().then(() => renderBox()); }
  }
  const volunteer = (on) => drawRequest('/proxies/volunteer', { action: on ? 'volunteer' : 'withdraw' },
    on ? 'proxy-volunteer' : 'proxy-volunteer-withdraw', t(on ? 'v.dr.volunteerDone' : 'v.dr.unvolunteered'));
  const decline = () => drawRequest('/proxies/decline', {}, 'proxy-decline', t('v.dr.declined'));

  async function withdraw(h) {
    const cr = ctx.cred(); const ts = serverNow();
    try {
      await api('POST', meetingPath(ctx.meeting(), '/proxies'), { action: 'withdraw', giver: hexOf(cr.publicKey), holder: h.pk, ts,
        sig: sign('proxy-withdraw', [ctx.meeting(), cr.publicKey, bytesOf(h.pk), ctx.crypto().le64(ts)]) });
      await refresh();
      notice = t('v.px.withdrawn', { name: h.name });
      ctx.back();
      announce(notice);
    } catch (e) { ctx.alert(errorMessage(e, 'proxy')); refresh().then(() => renderBox()); }
  }

  /** The « proxy » screen: conditions, search, confirmation. */
  async function show() {
    chosen = null;
    if (!info) await (loading || refresh());
    if (!info) { ctx.alert(t('err.network')); return; }
    $('#proxy-search').value = '';
    $('#proxy-confirm').hidden = true;
    $('#proxy-pick').hidden = false;
    renderScreen();
    ctx.go('proxy');
  }
  /** The screen's words (again after a change of language). */
  function renderScreen() {
    const ul = clear($('#proxy-conditions'));
    for (const l of conditionLines(info.conditions)) ul.append(el('li', {}, l));
    results();
    if (chosen) $('#proxy-confirm-text').textContent = t('v.px.confirmText', { name: chosen.name });
  }

  function results() {
    holderMatches($('#proxy-search'), $('#proxy-results'), $('#proxy-count'), info.holders, pick);
  }

  function pick(h) {
    chosen = h;
    $('#proxy-pick').hidden = true;
    $('#proxy-confirm').hidden = false;
    $('#proxy-confirm-text').textContent = t('v.px.confirmText', { name: h.name });
    $('#proxy-give').focus();
  }

  async function give() {
    if (!chosen) return;
    const cr = ctx.cred(); const ts = serverNow(); const h = chosen;
    const btn = $('#proxy-give'); btn.disabled = true;
    try {
      await api('POST', meetingPath(ctx.meeting(), '/proxies'), { action: 'give', giver: hexOf(cr.publicKey), holder: h.pk, ts,
        sig: sign('proxy', [ctx.meeting(), cr.publicKey, bytesOf(h.pk), ctx.crypto().le64(ts)]) });
      await refresh();
      notice = '';
      ctx.back();
      announce(t('v.px.given', { name: h.name }));
    } catch (e) {
      // Refused (e.g. a proxy given meanwhile from another device): the
      // server's words, and its state read again for the agenda.
      ctx.alert(errorMessage(e, 'proxy'));
      refresh();
    } finally { btn.disabled = false; }
  }

  $('#proxy-search').addEventListener('input', results);
  $('#proxy-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const first = $('#proxy-results button.holder');
    if (first) first.click();
  });
  $('#proxy-give').addEventListener('click', give);
  $('#proxy-change').addEventListener('click', () => { chosen = null; $('#proxy-confirm').hidden = true; $('#proxy-pick').hidden = false; $('#proxy-search').focus(); });
  $('#proxy-back').addEventListener('click', () => ctx.back());

  return { refresh, renderBox, show, hasDraw: () => !!(info && info.draw), rerender: () => { if (info) renderScreen(); } };
}
