// crash.mjs — "nothing lost" (SQLite's crash loops are the model): ballots
// stream in from several concurrent clients while the privileged or the
// network process (or both) is killed with SIGKILL at a random moment;
// after each restart every ballot whose acknowledgement was received is in
// the box (public receipts and box.db), both databases pass
// PRAGMA integrity_check, and the record's hash chain is intact. A network
// process killed alone is restarted by its supervisor (supervise.c): the
// privileged process stays and ballots are acknowledged again on the new
// one without anyone starting the server. At the
// end the question is closed and counted and `scrutin-verify` accepts the
// exported record. 5 rounds.
import { check, eq, done, startServer, tmpDir, cli, sqlite, sleep, waitNetRestart } from './lib.mjs';
import { C, api, ceremony, decrypt, secretBallot, attend, setupMeeting, unhex } from './meeting-lib.mjs';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROUNDS = 5, MEMBERS = 150, CLIENTS = 6;
const data = tmpDir('crash');
const m = setupMeeting(data, { members: MEMBERS });
const base = `/api/v1/meetings/${m.id}`;
const opts = { data, extra: ['--rate', '100000', '--burst', '100000'] };
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const rollDb = path.join(data, 'roll.db'), boxDb = path.join(data, 'box.db');

// Every event's parent is the hash of the one before (docs/record.md §2).
function chainOk() {
  const lines = sqlite(rollDb, `SELECT line FROM events WHERE meeting = '${m.id}' ORDER BY mseq`).split('\n');
  let prev = new Uint8Array(32);
  for (const [i, l] of lines.entries()) {
    const e = JSON.parse(l);
    if (e.seq !== i || e.parent !== Buffer.from(prev).toString('hex')) return false;
    prev = C.H256('event', new TextEncoder().encode(l));
  }
  return lines.length > 0;
}

let srv = await startServer(opts);
const cer = await ceremony(srv, m);
await api(srv, 'POST', `${base}/start`, {}, m.modToken);
for (const v of m.voters) {
  const r = await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'));
  if (r.status !== 200) throw new Error(r.text);
}
eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.status, 'open', 'q1 open');
const q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
// Ballots are made ahead (they depend only on eid, qid and the question).
const ballots = m.voters.map((v, i) => { const s = [0, 0, 0]; s[i % 3] = 1; return secretBallot(cer, q1, 'q1', v, s); });
const acked = new Map();          // receipt -> voter index
let next = 0;
const pending = [];               // sent but not acknowledged: sent again later

async function stream(s, stopAt) {
  const agent = new https.Agent({ ca: s.ca, keepAlive: true, maxSockets: 1 });
  for (;;) {
    if (Date.now() > stopAt) return;
    const i = pending.length ? pending.shift() : next < ballots.length ? next++ : -1;
    if (i < 0) return;
    try {
      const r = await api(s, 'POST', `${base}/ballots`, ballots[i], undefined, agent);
      if (r.status === 200) {
        check(r.json.receipt === ballots[i].receipt, 'acknowledged receipt');
        acked.set(r.json.receipt, i);
      } else pending.push(i);
    } catch { pending.push(i); await sleep(20); }
  }
}

try {
  for (let round = 1; round <= ROUNDS; round++) {
    const killAt = 150 + Math.floor(Math.random() * 500);
    const what = ['priv', 'net', 'both'][round % 3];
    const workers = Array.from({ length: CLIENTS }, () => stream(srv, Date.now() + killAt + 300));
    await sleep(killAt);
    if (what !== 'net') process.kill(srv.privPid, 'SIGKILL');
    if (what !== 'priv') process.kill(srv.netPid, 'SIGKILL');
    await Promise.all(workers);
    if (what === 'net') {
      const old = srv.netPid;
      check(await waitNetRestart(srv, old) > 0, `round ${round}: a new network process after SIGKILL of ${old}`);
      check(!alive(old) && alive(srv.privPid), `round ${round}: the privileged process stayed`);
      eq(sqlite(boxDb, 'PRAGMA integrity_check'), 'ok', `round ${round}: box.db integrity`);
      eq(sqlite(rollDb, 'PRAGMA integrity_check'), 'ok', `round ${round}: roll.db integrity`);
    } else {
      for (let t = 0; t < 100 && (alive(srv.privPid) || alive(srv.netPid)); t++) await sleep(50);
      check(!alive(srv.privPid) && !alive(srv.netPid), `round ${round}: both processes gone after SIGKILL of ${what}`);
      eq(sqlite(boxDb, 'PRAGMA integrity_check'), 'ok', `round ${round}: box.db integrity`);
      eq(sqlite(rollDb, 'PRAGMA integrity_check'), 'ok', `round ${round}: roll.db integrity`);
      srv = await startServer(opts);
    }
    const inBox = new Set(sqlite(boxDb, "SELECT lower(hex(receipt)) FROM ballots WHERE qid = 'q1'").split('\n'));
    const lost = [...acked.keys()].filter((r) => !inBox.has(r));
    eq(lost, [], `round ${round} (${what} killed after ${killAt} ms): all ${acked.size} acknowledged ballots in the box`);
    const sample = [...acked.keys()].slice(-5);
    for (const rc of sample)
      eq((await api(srv, 'GET', `${base}/receipts/${rc}`)).json.question, 'q1', `round ${round}: public receipt`);
    check(chainOk(), `round ${round}: the record's hash chain is intact`);
  }
  // The rest, then the count.
  await Promise.all(Array.from({ length: CLIENTS }, () => stream(srv, Date.now() + 60000)));
  eq(acked.size, MEMBERS, 'every ballot acknowledged in the end (resent ones keep their receipt)');
  eq(+sqlite(boxDb, "SELECT count(*) FROM ballots WHERE qid = 'q1'"), MEMBERS, 'one ballot per voice');
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).json.ballots, MEMBERS, 'close');
  await decrypt(srv, m, cer, 'q1');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq(res.counts, [50, 50, 50], 'count = plain selections');
  const rec = cli(['record', 'export', m.id, '--data', data]);
  eq(rec.status, 0, 'export');
  const f = path.join(data, 'record.jsonl');
  fs.writeFileSync(f, rec.stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', f], { encoding: 'utf8' });
  eq(ver.status, 0, 'the record after 5 crashes verifies: ' + ver.stdout + ver.stderr);
  void unhex;
} finally {
  await srv.stop();
}
done('crash.mjs');
