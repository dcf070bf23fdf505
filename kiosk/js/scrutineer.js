// scrutineer.js — a scrutineer's device (/s/#<meeting>.<j>.<enrolment token>,
// later /s/#<meeting>.<j>): the key ceremony of docs/protocol.md §6, run in
// this browser, and the decryption shares of §7 at each close.
//
// Secrets (Ed25519 identity seed, X25519 box key, polynomial coefficients,
// key share x_j) never leave the device in clear: they are kept in a "vault",
// encrypted with crypto_secretbox under a key derived from a passphrase by
// Argon2id (crypto_pwhash, INTERACTIVE limits, random salt), stored in
// localStorage and offered as a downloadable backup file (JSON). The vault is
// written before any ceremony message that depends on a new secret is sent,
// so a reload can always resume. Where the statutes provide a draw, the
// page also commits to a contribution to its seed before the start and
// reveals it after (the value kept in the vault first).
import { loadScrutinCrypto } from './crypto-loader.js';
import sodium from '/vendor/libsodium-wrappers.mjs';
import { initI18n, t, onLangChange } from './i18n.js';
import { api, apiRetry, apiErrorOf, errorMessage, hexOf, bytesOf, meetingPath, MEETING_RE, ApiError } from './api.js';
import { watchHealth, checkHealth } from './health.js';
import { connectLive } from './live.js';
import { $, el, clear, showScreen, takeFragment, announce } from './dom.js';
import { resultBlock } from './results.js';

initI18n();
const SKEY = 'scrutin.s';
let sess = null;
{
  const f = takeFragment();
  const m = /^([a-z0-9][a-z0-9._-]{0,63})\.([1-9][0-9]?)(?:\.([A-Za-z0-9_-]{43}))?$/.exec(f);
  if (m) { sess = { meeting: m[1], j: Number(m[2]), token: m[3] || null }; sessionStorage.setItem(SKEY, JSON.stringify(sess)); }
  else { try { sess = JSON.parse(sessionStorage.getItem(SKEY) || 'null'); } catch (e) { sess = null; } }
}
const vaultKey = () => `scrutin.s.${sess.meeting}.${sess.j}`;
let C = null; let secrets = null; let vaultPass = null; let view = null; let cer = null; let busy = false;
const status = {}; // per question: verification text

const alertBox = $('#alert');
function alert(msg, ok) {
  alertBox.textContent = msg || ''; alertBox.hidden = !msg; alertBox.className = ok ? 'alert alert-ok' : 'alert';
  if (msg) announce(msg);
}
const base = (rest) => meetingPath(sess.meeting, rest);
// A refusal in the server's words; a storage failure (a full disk…) also
// brings up the banner at once.
function refusal(e) {
  if (e instanceof ApiError && /^storage_/.test(e.code)) checkHealth();
  return errorMessage(e, 'trustee');
}

// --- the vault -------------------------------------------------------------
const OPS = () => sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE;
const MEM = () => sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE;
function seal(obj, pass) {
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const key = sodium.crypto_pwhash(32, sodium.from_string(pass), salt, OPS(), MEM(), sodium.crypto_pwhash_ALG_ARGON2ID13);
  const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
  const plain = sodium.from_string(JSON.stringify(obj));
  const box = sodium.crypto_secretbox_easy(plain, nonce, key);
  C.wipe(key, plain);
  return { format: 'scrutin-scrutineer-vault/1', meeting: sess.meeting, index: sess.j,
    kdf: { alg: 'argon2id13', opslimit: OPS(), memlimit: MEM(), salt: hexOf(salt) }, nonce: hexOf(nonce), box: hexOf(box) };
}
function unseal(v, pass) {
  if (!v || v.format !== 'scrutin-scrutineer-vault/1' || v.kdf.alg !== 'argon2id13') throw new Error('format');
  const key = sodium.crypto_pwhash(32, sodium.from_string(pass), bytesOf(v.kdf.salt), v.kdf.opslimit, v.kdf.memlimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13);
  let plain;
  try { plain = sodium.crypto_secretbox_open_easy(bytesOf(v.box), bytesOf(v.nonce), key); } finally { C.wipe(key); }
  const obj = JSON.parse(sodium.to_string(plain));
  C.wipe(plain);
  return obj;
}
function storeVault() {
  const v = seal(secrets, vaultPass);
  localStorage.setItem(vaultKey(), JSON.stringify(v));
  return v;
}
function loadVault() { try { return JSON.parse(localStorage.getItem(vaultKey()) || 'null'); } catch (e) { return null; } }

function downloadBackup() {
  const v = localStorage.getItem(vaultKey());
  if (!v) return;
  const a = el('a', { href: URL.createObjectURL(new Blob([v], { type: 'application/json' })),
    download: `scrutin-scrutateur-${sess.meeting}-${sess.j}.json` });
  document.body.append(a); a.click(); a.remove();
  secrets.backedUp = true; storeVault(); render();
}

const idKeys = () => C.keypairFromSeed(bytesOf(secrets.idSeed));
function signed(kind, fields) { const k = idKeys(); const s = C.signStatement(kind, fields, k.secretKey).sig; C.wipe(k.secretKey); return hexOf(s); }

// --- screens ---------------------------------------------------------------
$('#create-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const p1 = $('#pass1').value; const p2 = $('#pass2').value;
  if (p1.length < 10) { alert(t('s.passShort')); $('#pass1').focus(); return; }
  if (p1 !== p2) { alert(t('s.passDiffer')); $('#pass2').focus(); return; }
  showScreen('working'); $('#working-text').textContent = t('s.creating');
  await new Promise((r) => setTimeout(r, 30));
  const idSeed = sodium.randombytes_buf(32);
  const bx = sodium.crypto_box_keypair();
  secrets = { meeting: sess.meeting, j: sess.j, idSeed: hexOf(idSeed), bxSk: hexOf(bx.privateKey), bxPk: hexOf(bx.publicKey) };
  C.wipe(idSeed, bx.privateKey);
  vaultPass = p1; $('#pass1').value = ''; $('#pass2').value = '';
  storeVault();
  await enrol();
});

$('#unlock-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  showScreen('working'); $('#working-text').textContent = t('s.unlocking');
  await new Promise((r) => setTimeout(r, 30));
  try { secrets = unseal(loadVault(), $('#pass').value); vaultPass = $('#pass').value; $('#pass').value = ''; } catch (e) {
    showScreen('unlock'); alert(t('s.badPass')); $('#pass').focus(); return;
  }
  start();
});

$('#restore').addEventListener('change', async (ev) => {
  const f = ev.target.files[0]; if (!f) return;
  try {
    const v = JSON.parse(await f.text());
    if (v.format !== 'scrutin-scrutineer-vault/1' || v.meeting !== sess.meeting || v.index !== sess.j) throw new Error('x');
    localStorage.setItem(vaultKey(), JSON.stringify(v));
    alert(t('s.restored'), true); showScreen('unlock');
  } catch (e) { alert(t('s.badBackup')); }
});

async function enrol() {
  const id = idKeys();
  const body = { index: sess.j, id_pk: hexOf(id.publicKey), box_pk: secrets.bxPk,
    sig: signed('trustee-enrol', [sess.meeting, C.le64(sess.j), id.publicKey, bytesOf(secrets.bxPk)]) };
  C.wipe(id.secretKey);
  try {
    await apiRetry('POST', base('/trustees/enrol'), body, { token: sess.token });
    secrets.enrolled = true; storeVault();
    sess.token = null; sessionStorage.setItem(SKEY, JSON.stringify(sess));
    alert(t('s.enrolled'), true);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'already_done')) { alert(refusal(e)); }
  }
  start();
}

// --- the ceremony, step by step (each step only in its phase, once) --------
function mine() { return cer && cer.trustees.find((x) => x.index === sess.j); }
async function step() {
  if (busy || !secrets || !cer) return;
  busy = true;
  try {
    const me = mine();
    const id = idKeys(); const idPkHex = hexOf(id.publicKey); C.wipe(id.secretKey);
    if (!me || me.id_pk !== idPkHex) { if (cer.status !== 'enrolment') throw new Error(t('s.notMe')); return; }
    if (cer.status === 'enrolment') return;
    const trustees = cer.trustees.map((x) => ({ idPk: bytesOf(x.id_pk), boxPk: bytesOf(x.box_pk) }));
    const cid = C.ceremonyId(sess.meeting, cer.t, trustees);
    if (hexOf(cid) !== cer.ceremony_id) throw new Error(t('s.badCeremony'));
    if (cer.status === 'commit' && !me.commit) {
      if (!secrets.deal || secrets.deal.cid !== cer.ceremony_id) {
        const d = C.dkgDeal(cid, sess.j, cer.t);
        secrets.deal = { cid: cer.ceremony_id, coefficients: d.coefficients.map(hexOf), commitments: d.commitments.map(hexOf),
          pok: hexOf(d.pok), hash: hexOf(d.hash) };
        C.wipe(...d.coefficients);
        storeVault(); // before anything is published
      }
      await apiRetry('POST', base('/ceremony/commit'), { index: sess.j, h: secrets.deal.hash,
        sig: signed('trustee-commit', [cid, C.le64(sess.j), bytesOf(secrets.deal.hash)]) });
    } else if (cer.status === 'reveal' && !me.reveal) {
      const Cs = secrets.deal.commitments.map(bytesOf);
      await apiRetry('POST', base('/ceremony/reveal'), { index: sess.j, commitments: secrets.deal.commitments, pok: secrets.deal.pok,
        sig: signed('trustee-reveal', [cid, C.le64(sess.j), C.concat(...Cs), bytesOf(secrets.deal.pok)]) });
    } else if (cer.status === 'shares' && !me.boxes) {
      for (const x of cer.trustees) {
        if (!C.dkgCheckReveal(cid, x.index, cer.t, x.reveal.commitments.map(bytesOf), bytesOf(x.reveal.pok), bytesOf(x.commit)))
          throw new Error(t('s.badReveal', { i: x.index }));
      }
      const coeffs = secrets.deal.coefficients.map(bytesOf);
      const bxSk = bytesOf(secrets.bxSk);
      const boxes = cer.trustees.map((x) => {
        const s = C.polyEval(coeffs, x.index);
        const b = C.dkgBoxShare(cid, sess.j, x.index, s, bxSk, bytesOf(x.box_pk));
        C.wipe(s); return b;
      });
      C.wipe(bxSk, ...coeffs);
      await apiRetry('POST', base('/ceremony/shares'), { index: sess.j, boxes: boxes.map(hexOf),
        sig: signed('trustee-shares', [cid, C.le64(sess.j), C.concat(...boxes)]) });
    } else if (cer.status === 'keys' && !me.key) {
      if (!secrets.x || secrets.xCid !== cer.ceremony_id) {
        const bxSk = bytesOf(secrets.bxSk); const shares = [];
        for (const x of cer.trustees) {
          try {
            shares.push(C.dkgOpenShare(cid, x.index, sess.j, bytesOf(x.boxes[sess.j - 1]), bytesOf(x.box_pk), bxSk,
              x.reveal.commitments.map(bytesOf)));
          } catch (e) {
            C.wipe(bxSk, ...shares);
            await api('POST', base('/ceremony/complaint'), { index: sess.j, dealer: x.index,
              sig: signed('trustee-complaint', [cid, C.le64(sess.j), C.le64(x.index)]) }).catch(() => {});
            throw new Error(t('s.complaint', { i: x.index }));
          }
        }
        C.wipe(bxSk);
        const ks = C.dkgKeyShare(cid, sess.j, shares);
        C.wipe(...shares);
        const all = cer.trustees.map((x) => x.reveal.commitments.map(bytesOf));
        if (!C.bytesEqual(ks.y, C.verificationKey(all, sess.j))) throw new Error(t('s.badKey'));
        secrets.x = hexOf(ks.x); secrets.y = hexOf(ks.y); secrets.keyPok = hexOf(ks.pok); secrets.xCid = cer.ceremony_id;
        delete secrets.deal.coefficients; // no longer needed once x_j is known
        C.wipe(ks.x);
        storeVault();
      }
      await apiRetry('POST', base('/ceremony/key'), { index: sess.j, y: secrets.y, pok: secrets.keyPok,
        sig: signed('trustee-key-share', [cid, C.le64(sess.j), bytesOf(secrets.y), bytesOf(secrets.keyPok)]) });
    } else if (cer.status === 'done' && cer.y) {
      const all = cer.trustees.map((x) => x.reveal.commitments.map(bytesOf));
      const Y = C.electionKey(all);
      secrets.checkedY = hexOf(Y) === cer.y && hexOf(C.electionId(sess.meeting, cid, Y)) === cer.eid;
    }
  } catch (e) {
    alert(e instanceof ApiError ? refusal(e) : e.message);
  } finally { busy = false; }
  await refreshCeremony(true);
}

let ceremonyTimer = null;
async function refreshCeremony(noStep) {
  try { cer = await api('GET', base('/ceremony')); } catch (e) { return; }
  render();
  if (!noStep && cer.status !== 'done' && cer.status !== 'failed') step();
  else if (!noStep && cer.status === 'done' && secrets.checkedY === undefined) step();
}

// --- decryption shares and verification ------------------------------------
// What a scrutineer decrypts must be the totals of the record, never
// whatever the network process serves (a page that decrypted any
// ciphertexts it is given would be a decryption oracle: an empty box
// with a target ballot's ciphertexts as "totals", or the real box minus
// one ballot). So the box must come with the exact line of the question's
// `question.closed` event and of the checkpoint right after it; the
// checkpoint's signature, by the appliance's key that only the privileged
// process holds (docs/record.md §3), covers that line's hash; the line's
// totals must be the sum of the ballots verified here, its `counted`
// their number, and that number at least one. The appliance's key is
// pinned in the vault the first time it is seen: a different key later is
// refused. What was released for a question is remembered (a digest of
// the totals): a different set is never released for it.
const RELEASE_WARN_BELOW = 3; // fewer counted ballots: the few voters' choices show
function boundTotals(q, box, count, sums, e) {
  const c = box.closed; const unbound = () => new Error(t('s.unbound'));
  if (!c || typeof c.line !== 'string' || typeof c.checkpoint !== 'string') throw unbound();
  let ev; let cp;
  try { ev = JSON.parse(c.line); cp = JSON.parse(c.checkpoint); } catch (err) { throw unbound(); }
  const p = (ev && ev.payload) || {}; const k = (cp && cp.payload) || {};
  if (ev.kind !== 'question.closed' || p.qid !== q.id || cp.kind !== 'checkpoint' || !Number.isInteger(ev.seq) ||
    k.seq !== ev.seq || cp.seq !== ev.seq + 1 || !Array.isArray(p.totals) || typeof k.sig !== 'string') throw unbound();
  const head = C.H256('event', C.utf8(c.line));
  if (k.head !== hexOf(head) || cp.parent !== hexOf(head)) throw unbound();
  if (!/^[0-9a-f]{64}$/.test(view.server_key || '')) throw unbound();
  secrets.serverKey = secrets.serverKey || view.server_key;
  if (secrets.serverKey !== view.server_key) throw new Error(t('s.serverKeyChanged'));
  if (!C.verifyStatement('checkpoint', [sess.meeting, C.le64(ev.seq), head], bytesOf(k.sig), bytesOf(secrets.serverKey))) throw unbound();
  if (p.counted !== count || p.totals.length !== e || count === 0 ||
    p.totals.some((tt, i) => tt !== hexOf(sums[i]))) throw new Error(t('s.badTotals'));
  return { totals: p.totals.map(bytesOf), head: hexOf(head) };
}

async function verifyQuestion(q) {
  const box = await api('GET', base(`/questions/${q.id}/ballots`));
  const e = view.election; const eid = bytesOf(e.eid); const y = bytesOf(e.y);
  const shape = C.questionShape(q.n, q.min, q.max);
  // scrutin/2 (the view then gives qdigest): the ballots commit to the
  // question's recorded content, whose digest this page computes itself.
  const qdigest = q.qdigest ? C.questionDigest(q.opened) : undefined;
  let sums = null; let ok = 0;
  for (const b of box.ballots) {
    const v = C.verifyBallot({ body: bytesOf(b.body), sig: bytesOf(b.sig), eid, qid: q.id, n: q.n, min: q.min, max: q.max, y,
      voicePk: bytesOf(b.voice), signerPk: bytesOf(b.signer), qdigest });
    if (!v.ok) throw new Error(t('s.badBallot', { pos: b.position }));
    if (v.receipt && hexOf(v.receipt) !== b.receipt) throw new Error(t('s.badBallot', { pos: b.position }));
    const cts = v.parts.ciphertexts;
    sums = sums ? sums.map((s, i) => C.ciphertextAdd(s, cts[i])) : cts.map((c) => Uint8Array.from(c));
    ok++;
  }
  if (box.totals === undefined && !box.closed && q.status !== 'closed' && q.status !== 'counted') return { count: ok };
  if (ok === 0) throw new Error(t('s.emptyBox'));
  const bound = boundTotals(q, box, ok, sums, shape.e);
  return { count: ok, ...bound };
}

async function release(q) {
  const x = bytesOf(secrets.x);
  try {
    const { count, totals, head } = await verifyQuestion(q);
    if (!totals) throw new Error(t('s.unbound'));
    const digest = hexOf(C.H256('released', C.utf8(q.id), ...totals));
    const before = secrets.releasedSet && secrets.releasedSet[q.id];
    if (before && before !== digest) throw new Error(t('s.releasedOther'));
    status[q.id] = t('s.verifiedHead', { n: count, head: head.slice(0, 16) });
    if (count < RELEASE_WARN_BELOW && !window.confirm(t('s.fewBallots', { n: count }))) { render(); return; }
    const eid = bytesOf(view.election.eid);
    const shares = totals.map((T, i) => C.decryptionShare(eid, q.id, i + 1, sess.j, x, T));
    const blob = C.concat(...shares.map((s) => C.concat(s.d, s.proof)));
    // Remembered before the shares leave: whatever becomes of the request,
    // no other totals will be released for this question.
    secrets.releasedSet = { ...(secrets.releasedSet || {}), [q.id]: digest }; storeVault();
    const r = await apiRetry('POST', base(`/questions/${q.id}/shares`), {
      index: sess.j, shares: shares.map((s) => ({ d: hexOf(s.d), proof: hexOf(s.proof) })),
      sig: signed('trustee-decryption', [eid, C.utf8(q.id), C.le64(sess.j), blob]) });
    secrets.released = { ...(secrets.released || {}), [q.id]: true }; storeVault();
    alert(r.missing > 0 ? t('s.releasedWait', { n: r.missing }) : t('s.releasedDone'), true);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'already_done') { secrets.released = { ...(secrets.released || {}), [q.id]: true }; storeVault(); }
    alert(e instanceof ApiError ? refusal(e) : e.message);
  } finally { C.wipe(x); render(); }
}

function checkResult(q) {
  const r = q.result;
  const counts = C.concat(...r.counts.map((c) => C.le64(c)));
  const elected = C.concat(...(r.elected || []).map((c) => C.le64(c)));
  return C.verifyStatement('result', [sess.meeting, q.id, C.le64(r.ballots), counts, r.outcome, elected],
    bytesOf(r.server_sig || '00'.repeat(64)), bytesOf(view.server_key));
}

async function verifyAll() {
  for (const q of view.questions.filter((x) => x.secret && x.status !== 'pending')) {
    try {
      const { count, head } = await verifyQuestion(q);
      status[q.id] = head ? t('s.verifiedHead', { n: count, head: head.slice(0, 16) }) : t('s.verified', { n: count });
      if (q.status === 'counted' && q.result) status[q.id] += ` ${checkResult(q) ? t('s.resultSigned') : t('s.resultUnsigned')}`;
    } catch (e) { status[q.id] = e.message; }
  }
  render();
}

// --- the minutes (procès-verbal, docs/record.md §8) -------------------------
// The server renders them from the record once every question opened is
// counted; they are read in a new tab (their own sandboxed policy, never
// in this page). Signing fetches the exact bytes, hashes them here and
// signs T("minutes", head, SHA-256(bytes)) with the identity key: the line
// `scrutin-minutes-sig/1 PK SIG` that `scrutin-verify --signatures` checks.
// The signature is offered only once the meeting is ended (the minutes
// then have their closing time) and every question opened is counted.
const minutesReady = () => !!view && view.status === 'closed' && view.questions.some((q) => q.status === 'counted') &&
  !view.questions.some((q) => q.status === 'open' || q.status === 'closed');
async function signMinutes() {
  const btn = $('#s-pv-sign'); btn.disabled = true;
  try {
    let resp;
    try { resp = await fetch(base('/minutes'), { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' }); } catch (e) {
      throw new ApiError(0, 'network', null, null);
    }
    if (!resp.ok) throw apiErrorOf(resp.status, await resp.json().catch(() => null));
    const head = resp.headers.get('X-Scrutin-Head') || '';
    const bytes = new Uint8Array(await resp.arrayBuffer());
    if (!/^[0-9a-f]{64}$/.test(head) || !new TextDecoder().decode(bytes).includes(head)) throw new Error(t('s.pvNoHead'));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    const r = await apiRetry('POST', base('/minutes/signatures'), { index: sess.j, head, sig: signed('minutes', [bytesOf(head), digest]) });
    secrets.minutesSigned = head; storeVault();
    alert(t('s.pvSigned', { n: r.signed }), true);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'already_done') { alert(t('s.pvSignedShort'), true); } else {
      alert(e instanceof ApiError ? refusal(e) : e.message);
    }
  } finally { btn.disabled = false; render(); }
}

// --- the draw's seed (docs/record.md §4 draw.commit … draw.seed) -----------
// Where the statutes provide a draw, the view carries its state. Before
// the start this page picks 32 random bytes, keeps them in the vault
// (written before the commitment leaves, as scrutin-trustee draw does),
// and sends H256("draw-contribution", meeting_id, LE64 j, value) signed
// with the identity key; after the start it reveals the value kept. The
// value never leaves the vault before the draw closes.
const drawMine = (key) => !!view && !!view.draw && (view.draw[key] || []).includes(sess.j);
const drawNames = (list) => list.map((j) => t('s.drawWho', { j })).join(', ');
async function drawCommit() {
  const btn = $('#s-draw-commit'); btn.disabled = true;
  try {
    if (!secrets.drawValue) {
      const v = sodium.randombytes_buf(32);
      secrets.drawValue = hexOf(v); C.wipe(v);
      storeVault(); // kept before the commitment leaves
    }
    const value = bytesOf(secrets.drawValue);
    const h = C.H256('draw-contribution', C.utf8(sess.meeting), C.le64(sess.j), value);
    C.wipe(value);
    await apiRetry('POST', base('/draw/commit'), { index: sess.j, hash: hexOf(h),
      sig: signed('draw-commit', [sess.meeting, C.le64(sess.j), h]) });
    alert(t('s.drawCommitDone'), true);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'already_done') alert(t('s.drawCommitDone'), true);
    else alert(e instanceof ApiError ? refusal(e) : e.message);
  } finally { btn.disabled = false; render(); }
}
async function drawReveal() {
  const btn = $('#s-draw-reveal'); btn.disabled = true;
  try {
    if (!secrets.drawValue) throw new Error(t('s.drawLost'));
    const value = bytesOf(secrets.drawValue);
    const r = await apiRetry('POST', base('/draw/reveal'), { index: sess.j, value: secrets.drawValue,
      sig: signed('draw-reveal', [sess.meeting, C.le64(sess.j), value]) });
    C.wipe(value);
    alert(r.seeded ? t('s.drawRevealSeeded') : t('s.drawRevealDone'), true);
  } catch (e) {
    alert(e instanceof ApiError ? refusal(e) : e.message);
  } finally { btn.disabled = false; render(); }
}
function renderDraw() {
  const d = view && view.draw;
  $('#s-draw').hidden = !d;
  if (!d) return;
  const commits = d.commits || []; const reveals = d.reveals || [];
  const waiting = commits.filter((j) => !reveals.includes(j));
  let state;
  if (!d.closed) state = t('s.drawOpen');
  else if (!d.seeded) state = t('s.drawWaiting', { names: drawNames(waiting) });
  else if (!commits.length) state = t('s.drawClosedNone');
  else state = waiting.length ? t('s.drawSeededMissing', { names: drawNames(waiting) }) : t('s.drawSeeded');
  $('#s-draw-state').textContent = state;
  $('#s-draw-state').dataset.state = !d.closed ? 'open' : d.seeded ? 'seeded' : 'waiting';
  const who = clear($('#s-draw-who'));
  for (const j of commits) {
    who.append(el('li', { 'data-j': String(j) }, `${t(j === sess.j ? 's.drawMe' : 's.drawWho', { j })} : ${
      t(reveals.includes(j) ? 's.drawRevealed' : d.closed ? 's.drawNotRevealed' : 's.drawCommitted')}`));
  }
  $('#s-draw-commit').hidden = !(!d.closed && !drawMine('commits') && cer && cer.status === 'done');
  $('#s-draw-reveal').hidden = !(d.closed && !d.seeded && drawMine('commits') && !drawMine('reveals'));
  if (d.closed && !d.seeded && drawMine('commits') && !drawMine('reveals') && !secrets.drawValue) {
    $('#s-draw-state').textContent = `${state} ${t('s.drawLost')}`;
  } else if (d.closed && !drawMine('commits') && commits.length) {
    $('#s-draw-state').textContent = `${state} ${t('s.drawTooLate')}`;
  }
}

// --- rendering -------------------------------------------------------------
function render() {
  if (!secrets) return;
  $('#s-who').textContent = t('s.who', { j: sess.j, meeting: sess.meeting });
  $('#s-backup-note').textContent = secrets.backedUp ? t('s.backedUp') : t('s.backupNow');
  $('#s-backup-note').className = secrets.backedUp ? 'ok' : 'warn';
  const steps = clear($('#s-steps'));
  if (cer) {
    const me = mine() || {};
    const phase = ['enrolment', 'commit', 'reveal', 'shares', 'keys', 'done'];
    const at = phase.indexOf(cer.status);
    const mark = (k, doneMine) => (at > k || doneMine ? '✓' : at === k ? '…' : '·');
    steps.append(
      el('li', {}, `${mark(0, !!me.id_pk)} ${t('s.stEnrol')}`),
      el('li', {}, `${mark(1, !!me.commit)} ${t('s.stCommit')}`),
      el('li', {}, `${mark(2, !!me.reveal)} ${t('s.stReveal')}`),
      el('li', {}, `${mark(3, !!me.boxes)} ${t('s.stShares')}`),
      el('li', {}, `${mark(4, !!me.key)} ${t('s.stKey')}`));
    $('#s-phase').textContent = t(`key.${cer.status}`, null) || cer.status;
    $('#s-y').textContent = cer.y ? `${t('s.fingerprint')} ${cer.y.slice(0, 16)}${secrets.checkedY ? ` — ${t('s.yChecked')}` : ''}` : '';
  }
  const list = clear($('#s-questions'));
  if (view) {
    for (const q of view.questions.filter((x) => x.secret)) {
      const li = el('li', { class: `q q-${q.status}`, 'data-qid': q.id }, el('h3', {}, q.title),
        el('p', { class: 'q-meta' }, el('span', { class: `badge badge-${q.status}` }, t(`qstatus.${q.status}`)), ` ${t('p.ballots', { n: q.ballots ?? 0 })}`));
      if (status[q.id]) li.append(el('p', { class: 'verif' }, status[q.id]));
      // The totals this scrutineer helped decrypt, before they sign the minutes.
      if (q.status === 'counted' && q.result) li.append(resultBlock(q));
      if (q.status === 'closed' && secrets.x && !(secrets.released && secrets.released[q.id])) {
        li.append(el('button', { type: 'button', class: 'primary', 'data-act': 'release', onclick: () => release(q) }, t('s.release')));
      } else if (secrets.released && secrets.released[q.id]) li.append(el('p', { class: 'ok' }, t('s.released')));
      list.append(li);
    }
  }
  // The public record (GET …/record), from the convocation on: the file
  // the download saves, and how to check it.
  $('#s-record').hidden = !view || view.status === 'draft';
  $('#s-record-dl').href = base('/record');
  $('#s-record-how').textContent = t('s.recordIntro', { file: `${sess.meeting}-registre.jsonl` });
  const ready = minutesReady();
  $('#s-pv-wait').hidden = ready; $('#s-pv-ready').hidden = !ready;
  $('#s-pv-open').href = base('/minutes');
  $('#s-pv-status').textContent = secrets.minutesSigned ? t('s.pvSignedShort') : '';
  renderDraw();
}

async function start() {
  alert('');
  showScreen('main');
  render();
  connectLive(sess.meeting, {
    onView: (v, name) => {
      view = v; render();
      if (name === 'election' || name === 'snapshot') refreshCeremony();
    },
    onStatus: (s) => { $('#conn').textContent = t(`conn.${s}`); $('#conn').className = `conn conn-${s}`; },
  });
  await refreshCeremony();
  clearInterval(ceremonyTimer);
  ceremonyTimer = setInterval(() => { if (!cer || (cer.status !== 'done' && cer.status !== 'failed')) refreshCeremony(); }, 3000);
}

$('#s-backup').addEventListener('click', downloadBackup);
$('#s-verify').addEventListener('click', () => verifyAll());
$('#s-pv-sign').addEventListener('click', () => signMinutes());
$('#s-draw-commit').addEventListener('click', () => drawCommit());
$('#s-draw-reveal').addEventListener('click', () => drawReveal());
$('#s-lock').addEventListener('click', () => { secrets = null; vaultPass = null; location.reload(); });
onLangChange(render);

async function main() {
  watchHealth($('#health'));
  if (!sess || !MEETING_RE.test(sess.meeting)) { showScreen('nolink'); return; }
  C = await loadScrutinCrypto();
  await sodium.ready;
  if (loadVault()) { showScreen('unlock'); $('#pass').focus(); return; }
  if (!sess.token) { showScreen('nolink'); $('#nolink-text').textContent = t('s.noVault'); return; }
  showScreen('create');
}
main();
