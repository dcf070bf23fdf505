// recordcheck.mjs — the public record checked on write (docs/server.md,
// "The record checked on write"), over real HTTPS on loopback.
//
// The sequence a secretary ran: the roll imported with the categories as
// the spreadsheet wrote them (« Fondateur »), the credentials recorded,
// then the roll corrected (« fondateur ») before the convocation. The
// record's credential.issued events keep « Fondateur », which the
// statutes do not define, while the server counts from the corrected
// roll: scrutin-verify rejects the record at the first question opened.
// The appliance must refuse that opening when the moderator asks for it
// (409 record_refused, the verifier's words in French and English,
// nothing recorded, the question still pending), never write the event,
// and keep serving: a later operation whose event verifies is accepted,
// and the exported record verifies up to its last event.
//   node tests/server/recordcheck.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli, BUILD } from './lib.mjs';
import { api, attend, ceremony, enrolMeeting, MEETING_DATE } from './meeting-lib.mjs';

const data = tmpDir('recordcheck');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r;
};
const N = 6;
const roll = (cat) => {
  const lines = ['numéro;nom;prénom;catégorie;cotisation'];
  for (let i = 1; i <= N; i++)
    lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};${i <= 2 ? cat : 'adherent'};${new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10)}`);
  const f = path.join(data, `roll-${cat}.csv`);
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
};
const events = () => +sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE meeting = 'ag'");
const kinds = () => sqlite(path.join(data, 'roll.db'), "SELECT kind FROM events WHERE meeting = 'ag' ORDER BY mseq").split('\n');

run(['roll', 'import', roll('Fondateur')]);
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Motion à main levée', kind: 'motion', rule: 'ordinary', secret: false },
] }));
run(['meeting', 'create', '--id', 'ag', '--title', 'AG', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--agenda', agenda,
  '--trustees', '2', '--threshold', '2']);
// The credentials, recorded with the categories of the roll as it is now.
const m = enrolMeeting(data, 'ag', N);
check(sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE meeting = 'ag' AND kind = 'credential.issued' AND line LIKE '%Fondateur%'") === '2',
  'two credential.issued events carry « Fondateur »');
// The roll corrected before the convocation: the convocation now passes.
run(['roll', 'import', roll('fondateur')]);
run(['meeting', 'convene', 'ag']);

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = `/api/v1/meetings/ag`;
try {
  await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  for (let i = 0; i < N; i++)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[i], 'check-in', 'present'))).status, 200, `check-in ${i}`);
  const before = events();
  const r = await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken);
  eq(r.status, 409, 'the opening is refused when the moderator asks for it');
  eq(r.json.error.code, 'record_refused', 'record_refused');
  check(/ne serait plus vérifiable/.test(r.json.error.fr) && /rien n'a été modifié/.test(r.json.error.fr),
    'the French message says the record would not verify and nothing changed: ' + r.json.error.fr);
  check(/ouverture de question à l'événement \d+/.test(r.json.error.detail) && /Fondateur/.test(r.json.error.detail),
    'the detail is the verifier\'s French words, naming the event and the category: ' + r.json.error.detail);
  check(/question opening at seq \d+/.test(r.json.error.detail_en ?? ''), 'and its English words: ' + r.json.error.detail_en);
  eq(events(), before, 'no event written');
  check(!kinds().includes('question.opened'), 'no question.opened in the record');
  const q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
  eq(q1.status, 'pending', 'the question is still pending');

  // The server goes on: an operation whose event verifies is accepted.
  eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[5], 'check-out'))).status, 200, 'a check-out after the refusal');
  eq(kinds().at(-1), 'checkout', 'its event is recorded');
  // The same opening, asked again, is refused again with the same words.
  const again = await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken);
  const noSeq = (t) => t.replace(/événement \d+/, 'événement N');
  eq([again.status, again.json.error.code, noSeq(again.json.error.detail)], [409, 'record_refused', noSeq(r.json.error.detail)],
    'refused again, with the same words (at the next event)');
} finally {
  await srv.stop();
}

// Everything written verifies: the refused opening left no trace, so the
// exported record (ending with its checkpoint) verifies whole.
const rec = path.join(data, 'ag.jsonl');
const ex = cli(['record', 'export', 'ag', '--data', data]);
eq(ex.status, 0, 'record export: ' + ex.stderr);
fs.writeFileSync(rec, ex.stdout);
const vr = spawnSync(path.resolve(BUILD, 'scrutin-verify'), ['--quiet', '--lang', 'en', rec], { encoding: 'utf8' });
eq(vr.status, 0, 'the exported record verifies: ' + (vr.stdout + vr.stderr).trim());
check(/^Record verified/m.test(vr.stdout), 'scrutin-verify says so');
const fd = spawnSync(path.resolve(BUILD, 'tests/audit/test_feed'), [rec], { encoding: 'utf8' });
eq(fd.status, 0, 'every exported line is accepted one at a time: ' + fd.stdout + fd.stderr);
done('recordcheck');
