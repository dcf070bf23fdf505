// draw.mjs — `scrutin-trustee draw`, the scrutineer's contribution to the
// seed of the random draw of an absent holder's proxies (Espace+ art. 4,
// docs/record.md §4 draw.commit … draw.seed), against the real server:
// the two scrutineers enrol and run the key ceremony with the tool; `draw`
// before the start commits (the value kept in the vault), run again says
// it is already committed; after the start `draw` reveals, and the seed
// follows the second reveal; the exported record verifies and its seed is
// the one derived from the head at the deadline and the values revealed.
import crypto from 'node:crypto';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { check, eq, done, tmpDir, startServer, cli, sqlite } from '../server/lib.mjs';
import { C, api, enrolMeeting, makeRoll, hex, exportAndVerify } from '../server/meeting-lib.mjs';

const TOOL = path.resolve(process.env.BUILD || 'build', 'scrutin-trustee');
const PASS = 'phrase de passe du tirage';
const data = tmpDir('trustee-draw');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const pad = (n) => String(n).padStart(2, '0');
const start = new Date(Date.now() + 3 * 3600e3);
const id = 'ag-tirage';
run(['roll', 'import', makeRoll(data, 6, 'individuel')]);
run(['meeting', 'create', '--id', id, '--title', 'AG Espace+', '--profile', 'ballot-formats/profiles/espace-plus.yaml',
  '--body', 'ag', '--trustees', '2', '--threshold', '2', '--quorum', JSON.stringify({ counts: ['present', 'represented'],
    fraction: '1/4', compare: 'at_least', rounding: 'floor', second_convocation: 'none' }),
  '--date', `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`,
  '--time', `${pad(start.getHours())}:${pad(start.getMinutes())}`]);
run(['meeting', 'convene', id]);
const m = enrolMeeting(data, id, 6, 2);
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = `/api/v1/meetings/${id}`;
const pin = new crypto.X509Certificate(srv.ca).fingerprint256;
const vault = path.join(data, 'vault.json'), vault2 = path.join(data, 'vault2.json');
const tool = (args) => {
  const r = spawnSync(TOOL, [...args, '--passphrase-fd', '0'], { input: `${PASS}\n`, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, out: r.stdout + r.stderr };
};
// Without blocking this process (the ceremony: each waits for the other).
const toolAsync = (args) => new Promise((resolve) => {
  const c = spawn(TOOL, [...args, '--passphrase-fd', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  c.stdout.on('data', (d) => { out += d; });
  c.stderr.on('data', (d) => { out += d; });
  c.on('close', (status) => resolve({ status, out }));
  c.stdin.end(`${PASS}\n`);
});
const count = (kind) => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM events WHERE meeting = '${id}' AND kind = '${kind}'`);
try {
  let r = tool(['init', '--meeting-url', `https://localhost:${srv.port}${base}`, '--index', '1', '--enrol', m.enrol[0],
    '--vault', vault, '--pin', pin]);
  eq(r.status, 0, `the scrutineer enrols: ${r.out}`);
  r = tool(['init', '--meeting-url', `https://localhost:${srv.port}${base}`, '--index', '2', '--enrol', m.enrol[1],
    '--vault', vault2, '--pin', pin]);
  eq(r.status, 0, `the second scrutineer enrols: ${r.out}`);
  const [c1, c2] = await Promise.all([toolAsync(['ceremony', '--vault', vault]), toolAsync(['ceremony', '--vault', vault2])]);
  eq([c1.status, c2.status], [0, 0], `the key ceremony: ${c1.out.trim().split('\n').pop()}`);
  r = tool(['draw', '--vault', vault]);
  eq(r.status, 0, `draw before the start commits: ${r.out}`);
  check(/Engagement enregistré/.test(r.out), 'the tool says it committed and to run again after the start');
  eq(count('draw.commit'), 1, 'one draw.commit in the record');
  r = tool(['draw', '--vault', vault]);
  eq([r.status, /déjà enregistré/.test(r.out), count('draw.commit')], [0, true, 1], `run again: already committed, nothing sent (${r.out.trim()})`);
  r = tool(['draw', '--vault', vault2]);
  eq([r.status, count('draw.commit')], [0, 2], `the second scrutineer commits: ${r.out.trim()}`);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'the AG starts');
  eq(count('draw.seed'), 0, 'no seed before the reveal');
  r = tool(['draw', '--vault', vault]);
  eq([r.status, /Contribution révélée/.test(r.out)], [0, true], `draw after the start reveals: ${r.out.trim()}`);
  eq(count('draw.seed'), 0, 'no seed before the second reveal');
  r = tool(['draw', '--vault', vault2]);
  eq([r.status, /Contribution révélée/.test(r.out)], [0, true], `the second reveals: ${r.out.trim()}`);
  eq((await api(srv, 'GET', base)).json.draw, { closed: true, seeded: true, commits: [1, 2], reveals: [1, 2] }, 'the seed is written');
  r = tool(['draw', '--vault', vault]);
  eq(r.status, 0, `run again: nothing to do (${r.out.trim()})`);
  const ver = exportAndVerify(data, id);
  eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
  const rec = cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const rv = rec.filter((e) => e.kind === 'draw.reveal').sort((a, b) => a.payload.trustee - b.payload.trustee);
  const cl = rec.find((e) => e.kind === 'draw.closed'), sd = rec.find((e) => e.kind === 'draw.seed');
  eq(sd.payload.seed, hex(C.H256('draw-seed', new TextEncoder().encode(id), Buffer.from(cl.parent, 'hex'), C.le64(2),
    ...rv.flatMap((e) => [C.le64(e.payload.trustee), Buffer.from(e.payload.value, 'hex')]))).slice(0, 16),
  'the seed hashes the head at the deadline and the values revealed, in trustee order');
  done('trustee-draw');
} finally {
  await srv.stop();
}
