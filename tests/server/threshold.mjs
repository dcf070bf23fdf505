// threshold.mjs — a key one scrutineer can use alone is refused outside
// the demo (SECURITY.md): `meeting create` with one scrutineer or a
// threshold of 1 says in French what to do; a meeting made before the
// rule (its row set to 1 here) has its ceremony refused at the first
// enrolment, 409 threshold_too_low with the same sentence; the demo's
// meeting id is exempt; scrutin-verify prints the threshold of a record.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, tmpDir, startServer, cli, sqlite } from './lib.mjs';
import { setupMeeting, api, ceremony, MEETING_DATE } from './meeting-lib.mjs';

const data = tmpDir('threshold');
const m = setupMeeting(data, { members: 4 });
const create = (id, n, t) => cli(['meeting', 'create', '--data', data, '--id', id, '--title', 'AG', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--trustees', String(n), '--threshold', String(t)]);
const SENTENCE = 'Il faut au moins deux scrutateurs, dont deux nécessaires pour déchiffrer';

for (const [n, t] of [[1, 1], [2, 1], [3, 1]]) {
  const r = create(`ag-${n}-${t}`, n, t);
  eq(r.status, 1, `--trustees ${n} --threshold ${t} refused`);
  check(r.stderr.includes(SENTENCE) && r.stderr.includes('--trustees 2 --threshold 2'), `said in French, with what to do: ${r.stderr}`);
}
eq(sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM meetings WHERE id LIKE 'ag-%-%'"), '0', 'nothing created');
eq(create('ag-2-2', 2, 2).status, 0, '2 of 2 accepted');
eq(create('ag-3-2', 3, 2).status, 0, '2 of 3 accepted');
eq(create('ag-demo', 1, 1).status, 0, "the demo's meeting is exempt");

// A meeting made before the rule: its ceremony refused at once.
const w = spawnSync('sqlite3', [path.join(data, 'roll.db'), `UPDATE meetings SET trustees_t = 1 WHERE id = '${m.id}'`]);
eq(w.status, 0, 'threshold set to 1 behind the rule');
const srv = await startServer({ data });
try {
  const base = `/api/v1/meetings/${m.id}`;
  const r = await api(srv, 'POST', `${base}/trustees/enrol`, { index: 1, id_pk: '00'.repeat(32), box_pk: '00'.repeat(32), sig: '00'.repeat(64) }, m.enrol[0]);
  eq(r.status, 409, 'enrolment refused');
  eq(r.json.error.code, 'threshold_too_low', 'threshold_too_low');
  check(r.json.error.detail.startsWith(SENTENCE), `the detail says what to do: ${JSON.stringify(r.json)}`);
  eq(sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM trustees WHERE meeting = '${m.id}' AND id_pk IS NOT NULL`), '0', 'nobody enrolled');

  // Back to 2: the ceremony runs, and the record says the threshold.
  spawnSync('sqlite3', [path.join(data, 'roll.db'), `UPDATE meetings SET trustees_t = 2 WHERE id = '${m.id}'`]);
  await ceremony(srv, m);
  const rec = cli(['record', 'export', m.id, '--data', data]);
  const f = path.join(data, 'record.jsonl');
  fs.writeFileSync(f, rec.stdout);
  const v = spawnSync('build/scrutin-verify', ['--quiet', f], { encoding: 'utf8' });
  eq(v.status, 0, `the record verifies: ${v.stdout}${v.stderr}`);
  check(v.stdout.includes('Clé partagée entre 2 scrutateurs, 2 nécessaires pour déchiffrer'), `scrutin-verify prints the threshold: ${v.stdout}`);
} finally {
  await srv.stop();
}
done('threshold');
