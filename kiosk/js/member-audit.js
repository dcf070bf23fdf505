// member-audit.js — cast-or-audit on the phone (docs/protocol.md §5.8,
// docs/api.md POST …/audits), used by member-app.js.
//
// Benaloh's order: the ballot is built and encrypted first and its
// fingerprint shown (H256("ballot-fingerprint", body), 16 hex digits);
// only then does the member pick « Déposer » or « Vérifier ce
// chiffrement ». An audited ballot is opened: its signature forgotten, its
// randomness r_i published (signed by the member's key over
// T("ballot-audit", fp, r_1, …, r_e)), spoiled and never cast; the server
// answers what the ciphertexts encrypt and writes it to the public record.
// The verdict compares the phone's own decoding and the server's with the
// choice shown; the member can download the opened ballot
// ({format "scrutin-audit/1", …}) and check it on another device with
// `scrutin-verify --audit FILE RECORD`. Trusts nothing it receives: the
// server's selection is only compared.
import { api, meetingPath } from './api.js';
import { $, el, clear } from './dom.js';
import { t } from './i18n.js';
import { choiceLabel } from './labels.js';

/** The fingerprint of a ballot body: 64 hex digits. */
export function ballotFingerprint(C, body) {
  return C.toHex(C.H256('ballot-fingerprint', body));
}

/** 16 hex digits in groups of four: what the member compares. */
export function shortFingerprint(fp) {
  return fp.slice(0, 16).replace(/(.{4})(?!$)/g, '$1 ');
}

/** Opens ballot b (spoiled: it can never be cast), publishes the opening
 *  and returns {fp, ok, recovered, published, file}. shown: the n
 *  choices the phone showed; signerSk: the member's key. Throws the
 *  server's refusal (ApiError). */
export async function auditBallot({ C, b, q, shown, signerSk, meeting }) {
  const fpBytes = C.H256('ballot-fingerprint', b.body);
  const fp = C.toHex(fpBytes);
  const body = C.toHex(b.body);
  const a = C.auditBallot(b);
  try {
    const r = a.r.map((x) => C.toHex(x));
    const sig = C.sign(C.transcript('ballot-audit', fpBytes, ...a.r), signerSk);
    const res = await api('POST', meetingPath(meeting, '/audits'), { question: q.id, body, r, sig: C.toHex(sig) });
    const same = (s) => Array.isArray(s) && s.length === shown.length && s.every((x, i) => x === shown[i]);
    const ok = a.selection !== null && a.check(shown) && same(res.selection) && res.fingerprint === fp;
    const file = { format: 'scrutin-audit/1', meeting, qid: q.id, body, r, choice: shown.slice(), fingerprint: fp };
    return { fp, ok, recovered: a.selection, published: res.selection, file,
      data: a.ciphertexts.map((ct, i) => [`C${i + 1} = ${C.toHex(ct)}`, `r${i + 1} = ${r[i]}`]).flat() };
  } finally { a.wipe(); }
}

/** Fills the audit screen with res for question q. kiosk: no download
 *  (a shared device keeps no file). */
export function renderAudit(res, q, { kiosk, y }) {
  $('#audit-verdict').textContent = res.ok ? t('v.auditOk') : t('v.auditBad');
  $('#audit-verdict').className = res.ok ? 'ok big' : 'error big';
  $('#audit-fp').textContent = shortFingerprint(res.fp);
  const list = (sel, ul) => {
    clear(ul);
    (sel || []).forEach((bit, i) => { if (bit) ul.append(el('li', {}, choiceLabel(q, i))); });
  };
  list(res.recovered, $('#audit-recovered'));
  const det = clear($('#audit-data'));
  det.append(el('p', {}, t('v.auditData')));
  for (const line of [...res.data, `Y = ${y}`]) det.append(el('p', { class: 'mono' }, line));
  const dl = $('#audit-download');
  dl.hidden = !!kiosk;
  dl.onclick = () => {
    const blob = new Blob([JSON.stringify(res.file, null, 1) + '\n'], { type: 'application/json' });
    const link = el('a', { href: URL.createObjectURL(blob), download: `bulletin-verifie-${q.id}-${res.fp.slice(0, 8)}.json` });
    document.body.append(link);
    link.click();
    link.remove();
  };
}
