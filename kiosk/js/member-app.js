// member-app.js — the member's voting flow (docs/protocol.md §5, §9, §10;
// docs/api.md), shared by the phone page (/v/, member-page.js) and the in-room
// kiosk (/k/, kiosk.js).
//
// Link → code → credential (Argon2id → Ed25519, on the device) → standing →
// activation → check-in → agenda (live) → vote → confirm → ballot encrypted
// and proven here → receipt (signed by the server) → lookup in the public box.
// Cast-or-audit (member-audit.js, Benaloh's order): on a secret question
// the confirm screen builds and encrypts the ballot first and shows its
// fingerprint; « Déposer » sends that very ballot, « Vérifier ce
// chiffrement » (optional, secondary) opens it instead — spoiled,
// published, never cast — and back on the confirm screen a fresh ballot
// (new randomness, new fingerprint) is built.
//
// Proxies (docs/api.md "Voices and mandates"): a member gives or withdraws
// one from the agenda (member-proxy.js). A holder sees, on each open
// question, « Ma voix » and one « Procuration de NOM » ballot per mandate,
// each cast, audited and receipted on its own (K_voice = the giver's key,
// signed by the holder); a mandate the statutes engine refused when the
// question opened shows why, with the article, and no button. The
// mandates' standing is read again from the server when a question opens.
//
// Mail-in votes (member-mailin.js): during the window, the agenda's box
// names the fallback holder and sends each published motion's ballot,
// built on these same screens, to …/mailin/ballots; a fallback holder
// sees « Procuration de repli de NOM » on the motions added on the day.
//
// What is kept between reloads (phone only; the kiosk keeps everything in
// memory and wipes it): sessionStorage, which lives as long as the tab and is
// never sent anywhere, holds the meeting id, the 32-byte credential seed, the
// receipts, and a ballot being sent (so that a ballot whose answer was lost is
// sent again — the server answers the same receipt — instead of being built
// anew). A reload therefore never loses the ability to vote, and closing the
// tab (or "Effacer") forgets the seed. The link secret itself leaves the
// address bar as soon as the page has read it.
import { loadScrutinCrypto } from './crypto-loader.js';
import { api, apiRetry, ApiError, errorMessage, hexOf, bytesOf, meetingPath, serverNow, MEETING_RE } from './api.js';
import { connectLive } from './live.js';
import { $, el, clear, showScreen, announce, groupHex } from './dom.js';
import { t, onLangChange } from './i18n.js';
import { choiceLabel, heldUnder, reasonLabel, statusLabel } from './labels.js';
import { createProxyPanel } from './member-proxy.js';
import { createRedistPanel } from './member-redist.js';
import { createMailinPanel } from './member-mailin.js';
import { auditBallot, renderAudit, shortFingerprint } from './member-audit.js';

const KEY = 'scrutin.v';

function makeStore(kiosk) {
  let mem = {};
  return {
    load() {
      if (kiosk) return mem;
      try { return JSON.parse(sessionStorage.getItem(KEY) || '{}') || {}; } catch (e) { return {}; }
    },
    save(obj) {
      if (kiosk) { mem = obj; return; }
      try { sessionStorage.setItem(KEY, JSON.stringify(obj)); } catch (e) { /* full or private */ }
    },
    wipe() { mem = {}; try { sessionStorage.removeItem(KEY); } catch (e) { /* ignore */ } },
  };
}

/** Starts the flow in the page's DOM. opts: {kiosk, fragment, onFinished}. */
export async function createMemberApp(opts = {}) {
  const kiosk = !!opts.kiosk;
  const store = makeStore(kiosk);
  let st = store.load();
  const save = () => store.save(st);
  let C = null; let cred = null; let view = null; let live = null; let standing = null;
  let current = null; // {q, selection, voice: {pk (hex), name (null: one's own)}}
  const alertBox = $('#alert');

  function alert(msg) {
    alertBox.textContent = msg || '';
    alertBox.hidden = !msg;
    if (msg) announce(msg);
  }
  function go(screen) { alert(''); showScreen(screen); if (opts.onScreen) opts.onScreen(screen); }

  function showCodeForm() {
    go('code');
    $('#code-input').value = '';
    $('#code-input').focus();
  }

  $('#code-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const codeEl = $('#code-input');
    let code;
    try { code = C.normaliseCode(codeEl.value); } catch (e) {
      codeEl.setAttribute('aria-invalid', 'true'); alert(t('v.codeFormat')); codeEl.focus(); return;
    }
    codeEl.removeAttribute('aria-invalid');
    if (!st.meeting || !st.link) { linkError(t('v.badLink')); return; }
    go('deriving');
    await new Promise((r) => setTimeout(r, 30)); // let the screen paint
    let ls = null; let d = null;
    try {
      ls = C.parseFragment(st.link);
      d = C.deriveCredential(ls, code, st.meeting);
    } catch (e) {
      showCodeForm(); alert(t('v.codeFormat')); return;
    } finally { if (ls) C.wipe(ls); }
    cred = { publicKey: d.publicKey, secretKey: d.secretKey };
    const seedHex = hexOf(d.seed); C.wipe(d.seed);
    // Is this credential known? A wrong code gives an unknown key.
    try {
      standing = await apiRetry('GET', meetingPath(st.meeting, `/voters/${hexOf(cred.publicKey)}`));
    } catch (e) {
      C.wipe(cred.secretKey); cred = null;
      // The meeting comes from the link: an unknown one means a bad link.
      if (e instanceof ApiError && e.code === 'meeting_unknown') { linkError(t('err.meeting_unknown')); return; }
      if (e instanceof ApiError && e.code === 'credential_unknown') { showCodeForm(); alert(t('v.wrongCode')); return; }
      showCodeForm(); alert(errorMessage(e)); return;
    }
    st.seed = seedHex; delete st.link; st.receipts = st.receipts || {}; save();
    afterCredential(false);
  });

  // --- after the credential -------------------------------------------------
  async function afterCredential(resumed) {
    go('loading');
    const pkHex = hexOf(cred.publicKey);
    try {
      if (!standing) standing = await apiRetry('GET', meetingPath(st.meeting, `/voters/${pkHex}`));
      view = await apiRetry('GET', meetingPath(st.meeting));
    } catch (e) {
      go('link-error');
      $('#link-error-text').textContent = e instanceof ApiError && e.code === 'credential_unknown' ? t('v.wrongCode') : errorMessage(e);
      return;
    }
    if (standing.status === 'revoked') { refusal(t('err.credential_revoked')); return; }
    if (!resumed) activate().catch(() => { /* informative only; the server said it changes nothing */ });
    adoptReceipts();
    live = connectLive(st.meeting, { onView: onLive, onStatus: (s) => setConn(s), counts: false });
    if (!kiosk) proxy.refresh().then(() => { if (document.body.dataset.current === 'agenda') renderAgenda(); });
    await resendPending();
    if (kiosk && view.status === 'live' && standing.attendance === 'absent') await checkIn('present', true);
    if (!kiosk && view.status === 'live' && standing.attendance === 'absent') { renderCheckin(); go('checkin'); } else { renderAgenda(); go('agenda'); }
  }

  async function activate() {
    const ts = serverNow();
    const { sig } = C.signStatement('credential-activate', [st.meeting, cred.publicKey, C.le64(ts)], cred.secretKey);
    return api('POST', '/api/v1/credential/activate', { meeting: st.meeting, pk: hexOf(cred.publicKey), ts, sig: hexOf(sig) });
  }

  function setConn(s) {
    const b = $('#conn');
    if (!b) return;
    b.textContent = t(`conn.${s}`);
    b.className = `conn conn-${s}`;
  }

  function linkError(msg) {
    go('link-error');
    $('#link-error-text').textContent = msg;
  }

  function refusal(msg) {
    go('refusal');
    $('#refusal-text').textContent = msg;
  }

  // --- proxies ------------------------------------------------------------
  const proxy = createProxyPanel({
    crypto: () => C, cred: () => cred, meeting: () => st.meeting, status: () => (view ? view.status : ''),
    go, alert, back: () => { renderAgenda(); go('agenda'); }, changed: () => refreshStanding(),
  });
  // The president's redistribution (APROGEMERE II), from his standing.
  const redist = createRedistPanel({
    crypto: () => C, cred: () => cred, meeting: () => st.meeting, standing: () => standing, alert,
    changed: () => refreshStanding(),
  });
  const mailin = createMailinPanel({
    crypto: () => C, cred: () => cred, meeting: () => st.meeting, view: () => view, standing: () => standing,
    go, alert, back: () => { renderAgenda(); go('agenda'); }, vote: (q) => startVote(q, null, true),
  });
  /** The receipts' key: the question for one's own voice (as before
   *  proxies), the question and the giver's key for a mandate. */
  const myHex = () => hexOf(cred.publicKey);
  const rkey = (qid, voice) => (!voice || voice === myHex() ? qid : `${qid}/${voice}`);
  /** The ballots this member casts on q: own voice, then each mandate
   *  with the engine's standing at the opening ({ok, why}). */
  function ballotsFor(q) {
    const out = [{ pk: myHex(), name: null, ok: true }];
    for (const m of (standing && standing.mandates) || []) {
      if (m.kind !== 'proxy' && m.kind !== 'fallback') continue;
      const s = m.questions && m.questions[q.id];
      // A mail-in voter's fallback mandate: only where the engine gave it
      // at the opening (a motion added on the day).
      if (m.kind === 'fallback' && !s) continue;
      out.push({ pk: m.voice, name: m.name, label: t(m.kind === 'fallback' ? 'v.mi.of' : m.drawn ? 'v.dr.of' : 'v.px.of', { name: m.name }),
        ok: !!(s && s.accepted), why: s && s.accepted ? null : (s || { reason: 'not_in_force' }) });
    }
    return out;
  }
  /** Why a mandate does not count on this question, in words. */
  function mandateRefusal(why) {
    const reason = t(`pxr.${why.reason}`, null) || t('pxr.other');
    return why.article ? t('v.px.refusedArt', { reason, article: why.article }) : t('v.px.refused', { reason });
  }
  /** The receipts the server holds for this voice and for each mandate
   *  (cast from another phone, or before this one was reset), kept like
   *  the phone's own so that a voted mandate shows as voted. */
  function adoptReceipts() {
    const voices = [[null, standing.voted], ...((standing.mandates || []).filter((x) => x.kind === 'proxy').map((x) => [x.voice, x.voted]))];
    for (const [voice, voted] of voices)
      for (const [qid, r] of Object.entries(voted || {})) {
        const k = rkey(qid, voice);
        if (!st.receipts[k]) st.receipts[k] = { receipt: r };
      }
    save();
  }

  let refreshing = null;
  /** The standing again (the mandates' standing changes when a question
   *  opens), then the agenda if it is shown. */
  function refreshStanding() {
    if (refreshing || !cred) return;
    // The draw's word for this member changes with the attendance (read
    // again only where the statutes have a draw: a signed request).
    refreshing = Promise.all([apiRetry('GET', meetingPath(st.meeting, `/voters/${myHex()}`)), !kiosk && proxy.hasDraw() ? proxy.refresh() : null])
      .then(([s]) => { standing = s; adoptReceipts(); if (document.body.dataset.current === 'agenda') renderAgenda(); })
      .catch(() => { /* the next event tries again */ })
      .finally(() => { refreshing = null; });
  }

  // --- check-in -----------------------------------------------------------
  function renderCheckin() {
    $('#checkin-title').textContent = view.title;
    // Remote attendance only where the statutes provide for it (the
    // server refuses it otherwise: remote_not_allowed).
    $('#checkin-remote').hidden = view.remote_attendance !== true;
  }
  async function checkIn(mode, quiet) {
    const ts = serverNow();
    const { sig } = C.signStatement('checkin', [st.meeting, cred.publicKey, mode, C.le64(ts)], cred.secretKey);
    try {
      const r = await apiRetry('POST', meetingPath(st.meeting, '/attendance'),
        { pk: hexOf(cred.publicKey), action: 'check-in', mode, ts, sig: hexOf(sig) });
      standing.attendance = r.attendance;
      if (view.server_key && !C.verifyStatement('attendance-recorded', [st.meeting, cred.publicKey, 'check-in', C.le64(r.at)],
        bytesOf(r.server_sig), bytesOf(view.server_key))) throw new Error('server signature');
      if (!quiet) announce(t('v.checkedIn'));
      // What depends on the attendance (the president's mandates to
      // redistribute, the draw's word) is read again.
      refreshStanding();
      return true;
    } catch (e) {
      if (!quiet) alert(errorMessage(e, 'attendance'));
      return false;
    }
  }
  $('#checkin-present').addEventListener('click', async () => { if (await checkIn('present')) { renderAgenda(); go('agenda'); } });
  $('#checkin-remote').addEventListener('click', async () => { if (await checkIn('remote')) { renderAgenda(); go('agenda'); } });
  $('#checkin-skip').addEventListener('click', () => { renderAgenda(); go('agenda'); });

  // --- live updates -------------------------------------------------------
  function onLive(v, name, data) {
    view = v;
    const screen = document.body.dataset.current;
    if (name === 'question_open' || name === 'question_add') {
      if (data.status === 'open') {
        announce(t('v.nowOpen', { title: data.title }));
        refreshStanding();
      }
    }
    if (current && (name === 'question_close' || name === 'snapshot')) {
      const q = view.questions.find((x) => x.id === current.q.id);
      if (q && q.status !== 'open' && ['vote', 'confirm', 'audit'].includes(screen)) {
        alert(t('err.closed'));
      }
    }
    if (screen === 'agenda') renderAgenda();
    if (screen === 'checkin' && view.status !== 'live') { renderAgenda(); go('agenda'); }
  }

  // --- agenda -------------------------------------------------------------
  function renderAgenda() {
    if (!view) return;
    $('#agenda-title').textContent = view.title;
    $('#agenda-date').textContent = view.date || '';
    const att = standing ? standing.attendance : 'absent';
    $('#agenda-presence').textContent = t(`v.presence.${att}`);
    $('#agenda-checkin').hidden = !(view.status === 'live' && att === 'absent' && !kiosk);
    $('#meeting-status').textContent = t(`mstatus.${view.status}`);
    const list = clear($('#agenda-list'));
    const banner = clear($('#open-banner'));
    let firstOpen = null; let firstVoice = null;
    for (const q of view.questions) {
      const li = el('li', { class: `q q-${q.status}`, 'data-qid': q.id });
      li.append(el('h3', {}, q.title));
      li.append(el('p', { class: 'q-meta' },
        el('span', { class: `badge badge-${q.status}` }, statusLabel(q)), ' ',
        `${heldUnder(q)} · ${q.secret ? t('v.secret') : t('v.open')}`));
      const ballots = ballotsFor(q);
      // A holder: one row per ballot (own voice, then each mandate).
      const rows = ballots.length > 1 ? el('ul', { class: 'mandates' }) : null;
      if (rows) li.append(rows);
      for (const b of ballots) {
        const voted = st.receipts && st.receipts[rkey(q.id, b.pk)];
        const box = rows ? el('li', { 'data-voice': b.pk, class: b.name ? 'mandate' : 'own' }) : li;
        if (rows) {
          rows.append(box);
          box.append(el('p', { class: 'mandate-name' }, b.name ? b.label : t('v.px.mine')));
        }
        // Voted by mail: that ballot counts unless the member is there
        // at the opening (then they vote in the room, profile on_arrival).
        const byMail = !b.name && mailin.votedByMail(q.id);
        if (byMail) {
          box.append(el('p', { class: 'ok mailin-voted' }, t('v.mi.voted')));
          box.append(el('button', { type: 'button', class: 'secondary mailin-lookup', onclick: () => lookup(mailin.receipt(q.id)) }, t('v.mi.check')));
        }
        if (q.status === 'open' && !voted && !(byMail && att === 'absent')) {
          if (!b.name && standing && standing.voter === false) {
            // Why the statutes give this member no vote, in words.
            box.append(el('p', { class: 'note' },
              standing.reason ? t('v.noVote', { reason: reasonLabel(standing.reason) }) : t('err.not_eligible')));
          } else if (!b.ok) {
            box.append(el('p', { class: 'note refused' }, mandateRefusal(b.why)));
          } else {
            if (!firstOpen) { firstOpen = q; firstVoice = b; }
            box.append(el('button', { type: 'button', class: 'primary', onclick: () => startVote(q, b) },
              b.name ? t('v.px.voteFor', { name: b.name }) : t('v.voteBtn', { title: '' }).trim()));
          }
        }
        if (voted) {
          box.append(el('p', { class: 'ok' }, b.name ? t('v.px.voted', { name: b.name }) : t('v.voted')));
          box.append(el('button', { type: 'button', class: 'secondary', onclick: () => lookup(voted.receipt) }, t('v.checkBox')));
        }
      }
      if (q.status === 'counted' && q.result && q.result.sentence) li.append(el('p', { class: 'result-sentence' }, q.result.sentence));
      if (q.status === 'closed') li.append(el('p', { class: 'note' }, t('v.closedWait')));
      list.append(li);
    }
    if (firstOpen) {
      const [fq, fv] = [firstOpen, firstVoice];
      banner.append(el('p', {}, t('v.openNow')), el('strong', {}, fq.title), ' ',
        fv.name ? el('p', {}, t('v.px.of', { name: fv.name })) : '',
        el('button', { type: 'button', class: 'primary', onclick: () => startVote(fq, fv) }, t('v.voteBtn', { title: '' }).trim()));
      banner.hidden = false;
    } else banner.hidden = true;
    proxy.renderBox();
    redist.render();
    mailin.renderBox();
    if (!view.questions.length) list.append(el('li', {}, t('v.noQuestion')));
  }
  $('#agenda-checkin').addEventListener('click', () => { renderCheckin(); go('checkin'); });

  // --- vote ---------------------------------------------------------------
  /** The question as the public record carries it (q.opened: its
   *  question.opened, or what the mail-in window published) with its
   *  question digest (protocol.md §5.7): the phone shows these choices, in
   *  this order, and its ballot commits to exactly them; null when the
   *  view has no recorded content (the phone then cannot vote). */
  function recorded(q) {
    const o = q.opened;
    if (!o || !Array.isArray(o.choices)) return null;
    let d;
    try { d = C.questionDigest(o); } catch (e) { return null; }
    return { ...q, title: o.label, kind: o.kind, secret: o.secret, min: o.min, max: o.max, n: o.choices.length,
      choices: o.choices.map((c) => (o.kind === 'motion' || c.blank ? c.id : c.label)), qdigest: d };
  }
  function startVote(q0, voice, mail) {
    const q = recorded(q0);
    if (!q) { alert(t('v.noContent')); return; }
    current = { q, selection: new Array(q.n).fill(0), mail: !!mail,
      voice: voice && voice.name ? { pk: voice.pk, name: voice.name, label: voice.label } : null };
    renderVote();
    go('vote');
  }
  /** « Procuration de NOM » on the vote, confirm and receipt screens. */
  function showFor(sel, voice, mail) {
    const p = $(sel);
    p.hidden = !voice && !mail;
    p.textContent = voice ? voice.label || t('v.px.of', { name: voice.name }) : mail ? t('v.mi.title') : '';
  }
  function renderVote() {
    const { q } = current;
    $('#vote-title').textContent = q.title;
    $('#vote-digest').textContent = t('v.qdigest', { d: C.shortDigest(q.qdigest) });
    showFor('#vote-for', current.voice, current.mail);
    const fs = clear($('#vote-choices'));
    const multi = q.max > 1;
    const legend = el('legend', {}, multi ? t('v.chooseUpTo', { max: q.max }) : t('v.chooseOne'));
    fs.append(legend);
    const blankIdx = q.kind === 'election' ? q.n - 1 : -1;
    const inputs = [];
    q.choices.forEach((c, i) => {
      const id = `choice-${i}`;
      const inp = el('input', { type: multi ? 'checkbox' : 'radio', name: 'choice', id, value: String(i) });
      inp.checked = current.selection[i] === 1;
      inputs.push(inp);
      const lab = el('label', { for: id, class: `choice${i === blankIdx ? ' blank' : ''}` }, inp, el('span', {}, choiceLabel(q, i)));
      fs.append(lab);
    });
    const hint = $('#vote-hint');
    const update = () => {
      inputs.forEach((inp, i) => { current.selection[i] = inp.checked ? 1 : 0; });
      if (multi) {
        const named = current.selection.slice(0, blankIdx >= 0 ? blankIdx : q.n).reduce((a, b) => a + b, 0);
        inputs.forEach((inp, i) => {
          if (i !== blankIdx) inp.disabled = !inp.checked && named >= q.max;
        });
        hint.textContent = t('v.countHint', { k: named, max: q.max });
      } else hint.textContent = '';
    };
    inputs.forEach((inp, i) => inp.addEventListener('change', () => {
      if (multi && blankIdx >= 0) {
        // Blank is never combined with names on this page.
        if (i === blankIdx && inp.checked) inputs.forEach((o, k) => { if (k !== blankIdx) o.checked = false; });
        if (i !== blankIdx && inp.checked) inputs[blankIdx].checked = false;
      }
      update();
    }));
    update();
  }
  $('#vote-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const { q, selection } = current;
    const k = selection.reduce((a, b) => a + b, 0);
    if (k < Math.max(q.min, 1) || k > q.max) { alert(q.max > 1 ? t('v.pickRange', { max: q.max }) : t('v.pickOne')); return; }
    renderConfirm();
    go('confirm');
  });
  $('#vote-back').addEventListener('click', () => { current = null; renderAgenda(); go('agenda'); });

  function selectedLabels() {
    const { q, selection } = current;
    return selection.map((b, i) => (b ? choiceLabel(q, i) : null)).filter((x) => x !== null);
  }
  function renderConfirm() {
    const { q } = current;
    $('#confirm-title').textContent = q.title;
    $('#confirm-digest').textContent = t('v.qdigest', { d: C.shortDigest(q.qdigest) });
    showFor('#confirm-for', current.voice, current.mail);
    const ul = clear($('#confirm-list'));
    for (const l of selectedLabels()) ul.append(el('li', {}, l));
    $('#confirm-secret').textContent = q.secret ? t('v.confirmSecret') : t('v.confirmOpen');
    // A mail-in ballot is cast before the meeting: no question is open
    // to publish an audit on.
    $('#confirm-audit').hidden = !q.secret || current.mail;
    $('#confirm-audit-help').hidden = !q.secret || current.mail;
    $('#confirm-fp-box').hidden = !q.secret;
    $('#confirm-cast').textContent = q.secret ? t('v.castSecret') : t('v.cast');
    if (q.secret) prepareBallot();
  }
  /** Benaloh's order: the ballot exists, encrypted, before the member
   *  chooses to cast or audit it; its fingerprint is on the screen. */
  function prepareBallot() {
    const cur = current;
    const fpEl = $('#confirm-fp');
    const key = cur.selection.join('');
    // A ballot of another selection (the member went back and changed
    // it) is never shown nor cast: forgotten, built anew.
    if (cur.ballot && cur.ballotKey !== key) { C.forgetBallot(cur.ballot); cur.ballot = null; }
    if (cur.ballot) { fpEl.textContent = shortFingerprint(cur.fp); return; }
    fpEl.textContent = t('v.encrypting');
    if (cur.building) { cur.building.then(() => { if (current === cur) prepareBallot(); }); return; }
    let params;
    try { params = ballotParams(cur.q); } catch (e) { cur.buildError = e; return; }
    cur.building = (async () => {
      await new Promise((r) => setTimeout(r, 30));
      try {
        const t0 = performance.now();
        const b = C.buildBallot(params);
        // Read by tests/kiosk/bench-browser.mjs and e2e.mjs (page.evaluate).
        window.__lastBallotMs = performance.now() - t0;
        cur.ballot = b; cur.ballotKey = params.selection.join('');
        cur.fp = C.toHex(C.H256('ballot-fingerprint', b.body));
        if (current === cur && cur.ballotKey === cur.selection.join('')) fpEl.textContent = shortFingerprint(cur.fp);
      } catch (e) { cur.buildError = e; }
      cur.building = null;
    })();
  }
  /** The prepared ballot of the selection shown, once built (taken: it is
   *  cast or audited once, never both). */
  async function takeBallot() {
    const cur = current;
    while (cur.building) await cur.building;
    if (cur.buildError) { const e = cur.buildError; cur.buildError = null; throw e; }
    let b = cur.ballot;
    if (b && cur.ballotKey !== cur.selection.join('')) { C.forgetBallot(b); b = null; }
    if (!b) b = C.buildBallot(ballotParams(cur.q));
    cur.ballot = null; cur.fp = null;
    return b;
  }
  function dropBallot() {
    if (current && current.ballot) { C.forgetBallot(current.ballot); current.ballot = null; current.fp = null; }
  }
  $('#confirm-back').addEventListener('click', () => { dropBallot(); renderVote(); go('vote'); });

  function ballotParams(q) {
    const e = view.election || {};
    if (!e.eid || !e.y) throw new ApiError(409, 'no_key', null, null);
    return { eid: bytesOf(e.eid), qid: q.id, n: q.n, min: q.min, max: q.max, y: bytesOf(e.y),
      voicePk: current.voice ? bytesOf(current.voice.pk) : cred.publicKey, signerSk: cred.secretKey, signerPk: cred.publicKey,
      selection: current.selection.slice(), qdigest: q.qdigest };
  }

  // « Vérifier ce chiffrement »: the ballot on the screen is opened,
  // published spoiled and checked; a fresh one is built afterwards.
  $('#confirm-audit').addEventListener('click', async () => {
    const { q } = current;
    go('sending'); $('#sending-text').textContent = t('v.auditing');
    try {
      const b = await takeBallot();
      const res = await auditBallot({ C, b, q, shown: current.selection.slice(), signerSk: cred.secretKey, meeting: st.meeting });
      renderAudit(res, q, { kiosk, y: view.election.y });
      go('audit');
    } catch (e) { renderConfirm(); go('confirm'); alert(errorMessage(e, 'ballot')); }
  });
  $('#audit-back').addEventListener('click', () => { renderConfirm(); go('confirm'); });

  $('#confirm-cast').addEventListener('click', async () => {
    const { q, voice, mail } = current;
    const key = mail ? `mail:${q.id}` : rkey(q.id, voice && voice.pk);
    go('sending'); $('#sending-text').textContent = q.secret ? t('v.encrypting') : t('v.signing');
    await new Promise((r) => setTimeout(r, 30));
    let pending;
    try {
      if (q.secret) {
        const b = await takeBallot();
        // hints (protocol.md §5.6): the provers' commitments, sent next to the
        // body so that the server can verify ballots in batches; not signed.
        pending = { qid: q.id, key, voice, body: { question: q.id, body: C.toHex(b.body), sig: C.toHex(b.sig), hints: C.toHex(b.hints) },
          receipt: C.toHex(b.receipt) };
        C.forgetBallot(b);
      } else {
        const S = new Uint8Array(current.selection);
        const voicePk = voice ? bytesOf(voice.pk) : cred.publicKey;
        // S_open (record.md §5) ends with the question digest (scrutin/2).
        const stmt = C.transcript('open-ballot', st.meeting, q.id, voicePk, cred.publicKey, C.le64(q.n), S, q.qdigest);
        const sig = C.sign(stmt, cred.secretKey);
        pending = { qid: q.id, key, voice, body: { question: q.id, selection: current.selection.slice(), voice: hexOf(voicePk),
          signer: hexOf(cred.publicKey), sig: hexOf(sig) }, receipt: C.toHex(C.H256('receipt', stmt, sig)) };
      }
    } catch (e) { go('confirm'); alert(errorMessage(e, 'ballot')); return; }
    pending.mail = mail;
    st.pending = pending; save();
    $('#sending-text').textContent = t('v.sending');
    await send(pending);
  });

  async function send(pending) {
    try {
      const r = await apiRetry('POST', meetingPath(st.meeting, pending.mail ? '/mailin/ballots' : '/ballots'), pending.body, {
        tries: 8, onRetry: () => { $('#sending-text').textContent = t('v.retrying'); },
      });
      const okSig = view.server_key && r.receipt === pending.receipt &&
        C.verifyStatement('ballot-received', [st.meeting, pending.qid, bytesOf(r.receipt), C.le64(r.at)],
          bytesOf(r.server_sig), bytesOf(view.server_key));
      const key = pending.key || pending.qid;
      st.receipts[key] = { receipt: r.receipt, at: r.at, signed: !!okSig, qid: pending.qid, voice: pending.voice || null,
        mail: !!pending.mail };
      if (pending.mail) mailin.recorded(pending.qid, r.receipt);
      delete st.pending; save();
      showReceipt(key);
    } catch (e) {
      const transient = e instanceof ApiError && (e.status === 0 || e.status === 503 || e.status === 429);
      if (!transient) { delete st.pending; save(); }
      if (current) { renderConfirm(); go('confirm'); } else { renderAgenda(); go('agenda'); }
      alert(transient ? t('v.sendLater') : errorMessage(e, 'ballot'));
    }
  }
  async function resendPending() {
    if (!st.pending) return;
    const q = view.questions.find((x) => x.id === st.pending.qid);
    if (!q || (st.pending.mail ? !mailin.open() : q.status !== 'open')) { delete st.pending; save(); return; }
    go('sending'); $('#sending-text').textContent = t('v.resending');
    await send(st.pending);
  }

  function showReceipt(key) {
    const r = st.receipts[key];
    const qid = r.qid || key;
    const q = view.questions.find((x) => x.id === qid);
    $('#receipt-question').textContent = q ? q.title : qid;
    showFor('#receipt-for', r.voice, r.mail);
    $('#receipt-hex').textContent = groupHex(r.receipt);
    $('#receipt-sig').textContent = r.signed ? t('v.receiptSigned') : t('v.receiptUnsigned');
    $('#receipt-sig').className = r.signed ? 'ok' : 'error';
    $('#receipt-time').textContent = r.at ? new Date(r.at * 1000).toLocaleTimeString(document.documentElement.lang) : '';
    $('#receipt-lookup').onclick = () => lookup(r.receipt);
    // A mail-in ballot is in the public record, not in a question's box.
    $('#receipt-lookup').dataset.i18n = r.mail ? 'v.mi.check' : 'v.checkBox';
    $('#receipt-lookup').textContent = t($('#receipt-lookup').dataset.i18n);
    $('#receipt-print').hidden = !kiosk;
    $('#receipt-done').textContent = kiosk ? t('k.finish') : t('v.backAgenda');
    current = null;
    go('receipt');
    announce(t('v.castOk'));
  }
  $('#receipt-print').addEventListener('click', () => window.print());
  $('#receipt-done').addEventListener('click', () => {
    if (kiosk && opts.onFinished) { opts.onFinished(); return; }
    renderAgenda(); go('agenda');
  });

  // --- receipt lookup in the public ballot box ------------------------------
  async function lookup(receipt) {
    go('lookup');
    $('#lookup-input').value = receipt || '';
    if (receipt) await doLookup(receipt);
  }
  async function doLookup(receipt) {
    const out = $('#lookup-result');
    out.textContent = t('v.lookingUp');
    try {
      const r = await api('GET', meetingPath(st.meeting, `/receipts/${receipt}`));
      const q = view.questions.find((x) => x.id === r.question);
      const title = q ? q.title : r.question;
      // A mail-in ballot is in the public record, not in a question's
      // box: when it came, and whether it counts (null: not opened yet).
      out.textContent = !r.mail_in ? t('v.found', { pos: r.position, title }) : [
        t('v.foundMail', { title, at: new Date(r.at * 1000).toLocaleString(document.documentElement.lang) }),
        r.accepted === null ? t('v.mailPending') : r.accepted ? t('v.mailCounted')
          : r.reason === 'giver_present' ? t('v.mailPresent')
            : t('v.mailSetAside', { why: t(`reason.${r.reason}`, null) ?? t('reason.other') })].join(' ');
      out.className = !r.mail_in || r.accepted !== false ? 'ok' : 'error';
    } catch (e) { out.textContent = errorMessage(e); out.className = 'error'; }
  }
  $('#lookup-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = $('#lookup-input').value.replace(/\s+/g, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(v)) { alert(t('v.receiptFormat')); return; }
    doLookup(v);
  });
  $('#lookup-back').addEventListener('click', () => { renderAgenda(); go('agenda'); });
  $('#refusal-back').addEventListener('click', () => {
    wipe();
    if (kiosk && opts.onFinished) opts.onFinished(); else location.replace(location.pathname);
  });

  onLangChange(() => {
    const s = document.body.dataset.current;
    if (s === 'agenda') renderAgenda();
    if (s === 'vote') renderVote();
    if (s === 'confirm') renderConfirm();
    if (s === 'proxy') proxy.rerender();
    if (s === 'mailin-fallback') mailin.rerender();
  });

  function wipe() {
    if (live) live.close();
    if (cred) C.wipe(cred.secretKey);
    cred = null; st = {}; store.wipe();
  }
  const wipeBtn = $('#wipe');
  if (wipeBtn) wipeBtn.addEventListener('click', () => { wipe(); location.replace(location.pathname); });

  // --- the link (last: every listener above is in place) ---------------
  async function boot() {
    const frag = opts.fragment || '';
    if (frag) {
      // "#<meeting>.<link secret>" (scrutin cred issue, docs/protocol.md
      // §9): the link secret is base64url (no '.'), so split at the last
      // '.'. Anything else is a damaged link: never ask for the meeting.
      const dot = frag.lastIndexOf('.');
      const ls = frag.slice(dot + 1);
      const m = frag.slice(0, Math.max(dot, 0));
      try { C.wipe(C.parseFragment(ls)); } catch (e) { linkError(t('v.badLink')); return handle; }
      if (dot < 0 || !MEETING_RE.test(m)) { linkError(t('v.badLink')); return handle; }
      st = { link: ls, meeting: m };
      save();
    }

    if (st.seed && st.meeting) {
      cred = C.keypairFromSeed(bytesOf(st.seed));
      afterCredential(true); return handle;
    }
    if (!st.link) { go('link-error'); $('#link-error-text').textContent = t('v.noLink'); return handle; }
    showCodeForm();
    return handle;
  }

  const handle = { wipe, alert, go };
  go('loading');
  try { C = await loadScrutinCrypto(); } catch (e) {
    go('link-error'); $('#link-error-text').textContent = t('v.cryptoFail'); return handle;
  }
  return boot();
}
