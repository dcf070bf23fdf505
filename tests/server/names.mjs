// names.mjs — a member is named « Prénom Nom » (first name, then last
// name) wherever the appliance names one (server/member_name.c): the
// ballot's candidates, the result's sentence, the record's candidate
// labels, the procès-verbal served by the server (server/minutes.c) and
// the one scrutin-minutes writes from the record alone (audit/pv.c).
// The roll has last name « Nom2 », first name « Prénom2 »: the reversed
// « Nom2 Prénom2 » must appear nowhere.
//   node tests/server/names.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, cli, request } from './lib.mjs';
import { api, attend, ceremony, decrypt, secretBallot, setupMeeting } from './meeting-lib.mjs';

const data = tmpDir('names');
const m = setupMeeting(data, { members: 6, id: 'ag-names', agenda: { questions: [
  { id: 'e1', title: 'Conseil', kind: 'election', rule: 'ca', secret: true, seats: 1,
    candidates: [{ member: 'M0002', name: 'Prénom2 Nom2' }, { member: 'M0003', name: 'Prénom3 Nom3' }] },
] } });
const base = `/api/v1/meetings/${m.id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const reversed = /Nom[23] Prénom[23]/;
try {
  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'meeting started');
  for (const v of m.voters)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  eq((await api(srv, 'POST', `${base}/questions/e1/open`, {}, m.modToken)).status, 200, 'e1 opened');
  const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'e1');
  eq(q.choices, ['Prénom2 Nom2', 'Prénom3 Nom3', 'blanc'], 'the ballot names the candidates « Prénom Nom »');
  for (const [k, c] of [0, 0, 0, 1, 1, 2].entries()) {
    const sel = [0, 0, 0]; sel[c] = 1;
    eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, 'e1', m.voters[k], sel))).status, 200, `ballot ${k}`);
  }
  eq((await api(srv, 'POST', `${base}/questions/e1/close`, {}, m.modToken)).status, 200, 'e1 closed');
  await decrypt(srv, m, cer, 'e1');
  const r = await api(srv, 'GET', `${base}/questions/e1/result`);
  check(r.status === 200 && r.json.sentence.includes('Prénom2 Nom2 (3 voix)') && !reversed.test(r.text),
    `the result JSON names the elected « Prénom Nom » (${r.json.sentence})`);
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status, 200, 'meeting ended');

  const pv = await request(srv, 'GET', `${base}/minutes`);
  eq(pv.status, 200, 'minutes served');
  check(pv.text.includes('Prénom2 Nom2 (3 voix)') && pv.text.includes('<td>Prénom1 Nom1</td>') && !reversed.test(pv.text),
    'the minutes name the elected and the attendance list « Prénom Nom »');

  const rec = cli(['record', 'export', m.id, '--data', data]);
  eq(rec.status, 0, 'record export');
  const opened = rec.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .find((e) => e.kind === 'question.opened');
  eq(opened.payload.choices.slice(0, 2).map((c) => c.label), ['Prénom2 Nom2', 'Prénom3 Nom3'],
    "the record's candidate labels are « Prénom Nom »");
  const recFile = path.join(data, 'record.jsonl');
  fs.writeFileSync(recFile, rec.stdout);
  const cliPv = spawnSync('build/scrutin-minutes', [recFile]);
  const cliText = cliPv.stdout.toString('utf8');
  check(cliPv.status === 0 && cliText.includes('Prénom2 Nom2 (3 voix)') && !reversed.test(cliText),
    'scrutin-minutes (audit/pv.c) names the elected « Prénom Nom » from the record');
} finally {
  await srv.stop();
}
done('names');
