// diskfull.mjs — a full disk says so (docs/server.md "Degraded storage"):
// the data directory lives on a 3 MB tmpfs; a meeting runs, a file then
// takes every free byte, and ballots keep coming until one is refused.
// The refusal is 503 storage_full with its French sentence and the free
// space in "detail" (never the generic "unavailable"); a moderator's write
// is refused the same way; GET /api/v1/status answers 503 "degraded" with
// the reason; the log names « disque plein », not SQLite's "cannot
// rollback". Once the file is deleted the refused ballot is accepted (same
// receipt), the status is "ok" (200) again, and after a restart every
// acknowledged ballot is in box.db, the question counts them all and
// scrutin-verify accepts the record.
// (Mounting needs root: tests/server/tmpfs-lib.mjs.)
import { check, eq, done, startServer, sqlite } from './lib.mjs';
import { mountTmpfs, unmount, fillDisk } from './tmpfs-lib.mjs';
import { api, ceremony, decrypt, secretBallot, attend, setupMeeting, exportAndVerify } from './meeting-lib.mjs';
import fs from 'node:fs';
import path from 'node:path';

const mnt = mountTmpfs('diskfull');
const data = path.join(mnt, 'data');
const filler = path.join(mnt, 'filler');
const MEMBERS = 40;
let srv = null;

try {
  fs.mkdirSync(data, { mode: 0o700 });
  const m = setupMeeting(data, { members: MEMBERS });
  const base = `/api/v1/meetings/${m.id}`;
  const opts = { data, extra: ['--rate', '100000', '--burst', '100000'] };
  srv = await startServer(opts);
  eq((await api(srv, 'GET', '/api/v1/status')).json.state, 'ok', 'status ok at first');
  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'start');
  for (const v of m.voters)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, 'check-in');
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.status, 'open', 'q1 open');
  const q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
  const ballots = m.voters.map((v, i) => { const s = [0, 0, 0]; s[i % 3] = 1; return secretBallot(cer, q1, 'q1', v, s); });
  const acked = new Map(); // receipt -> voter index
  let i = 0;
  for (; i < 5; i++) {
    const r = await api(srv, 'POST', `${base}/ballots`, ballots[i]);
    eq(r.status, 200, `ballot ${i} before the disk is full`);
    acked.set(r.json.receipt, i);
  }

  // The disk fills up: ballots go on until one is refused.
  check(fillDisk(filler) > 0, 'the filler took the free space');
  let refused = null;
  for (; i < MEMBERS; i++) {
    const r = await api(srv, 'POST', `${base}/ballots`, ballots[i]);
    if (r.status === 200) { acked.set(r.json.receipt, i); continue; }
    refused = r;
    break;
  }
  check(refused !== null, `a ballot is refused once the disk is full (${acked.size} acknowledged)`);
  eq(refused.status, 503, 'refused: 503');
  const err = refused.json.error;
  eq(err.code, 'storage_full', `refused: storage_full, not the generic code (${refused.text})`);
  check(/disque plein/.test(err.fr), `the French message says the disk is full: ${err.fr}`);
  check(/disk is full/.test(err.en), `the English message too: ${err.en}`);
  check(/^disque plein : libérez de la place sur le serveur \(\d+ Mo libres\) puis réessayez ; rien n'a été perdu$/.test(err.detail),
    `detail says what to do, with the free space: ${err.detail}`);
  check(/free some space/.test(err.detail_en), `detail_en: ${err.detail_en}`);

  // A moderator's write on roll.db: refused the same way.
  const out = await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[MEMBERS - 1], 'check-out'));
  eq([out.status, out.json && out.json.error.code], [503, 'storage_full'], `a check-out is refused with storage_full too (${out.text})`);

  const st = await api(srv, 'GET', '/api/v1/status');
  eq(st.status, 503, 'status: 503 while degraded (health checks)');
  eq(st.json.state, 'degraded', 'status: degraded');
  eq(st.json.degraded.code, 'storage_full', 'status: the code');
  eq(st.json.degraded.reason, 'full', 'status: the reason');
  check(/disque plein/.test(st.json.degraded.fr) && /disk full/.test(st.json.degraded.en), 'status: the sentences');
  check(st.json.degraded.since > 0 && st.json.degraded.failures >= 1, 'status: since when, how many failures');
  eq(st.json.service, 'scrutin', 'status: the rest of the document is still there');
  eq(st.headers['retry-after'], '30', 'status: Retry-After');
  const log = srv.log();
  console.log(log.split('\n').filter((l) => /stockage|box\.db|roll\.db/.test(l)).slice(0, 8).join('\n'));
  check(/stockage en échec — disque plein/.test(log), 'the log names the real cause in French');
  check(!/cannot rollback - no transaction is active/.test(log), 'the log has no misleading rollback error');

  // Space is freed: the same ballot is accepted, the status is ok again.
  fs.unlinkSync(filler);
  const again = await api(srv, 'POST', `${base}/ballots`, ballots[i]);
  eq(again.status, 200, `the refused ballot is accepted once space is freed (${again.text})`);
  eq(again.json.receipt, ballots[i].receipt, 'with its receipt');
  acked.set(again.json.receipt, i);
  const ok = await api(srv, 'GET', '/api/v1/status');
  eq([ok.status, ok.json.state, ok.json.degraded], [200, 'ok', undefined], 'status ok again');
  check(/stockage rétabli/.test(srv.log()), 'the log says the storage works again');
  for (i++; i < MEMBERS; i++) {
    const r = await api(srv, 'POST', `${base}/ballots`, ballots[i]);
    eq(r.status, 200, `ballot ${i} after space was freed`);
    acked.set(r.json.receipt, i);
  }

  // Restart: nothing acknowledged was lost.
  await srv.stop();
  srv = await startServer(opts);
  const inBox = new Set(sqlite(path.join(data, 'box.db'), "SELECT lower(hex(receipt)) FROM ballots WHERE qid = 'q1'").split('\n'));
  eq([...acked.keys()].filter((r) => !inBox.has(r)), [], `all ${acked.size} acknowledged ballots are in box.db after the restart`);
  eq(acked.size, MEMBERS, 'every voice acknowledged once');
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).json.ballots, MEMBERS, 'close counts them all');
  await decrypt(srv, m, cer, 'q1');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  const want = [0, 1, 2].map((k) => ballots.filter((_, j) => j % 3 === k).length);
  eq(res.counts, want, 'the count is the plain selections');
  const ver = exportAndVerify(data, m.id);
  eq([ver.exported, ver.status], [0, 0], 'the record exports and verifies: ' + ver.out);
} finally {
  if (srv) await srv.stop();
  unmount(mnt);
}
done('diskfull.mjs');
