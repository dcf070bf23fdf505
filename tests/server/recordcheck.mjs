// recordcheck.mjs — the public record checked on write (docs/server.md,
// "The record checked on write"), over real HTTPS on loopback.
//
// The sequence a secretary ran: the roll imported with the categories as
// the spreadsheet wrote them (« Fondateur »), the credentials recorded,
// then the roll corrected before the convocation; the record kept
// « Fondateur », the server counted from the corrected roll, and
// scrutin-verify rejected the record at the end of the meeting. Now the
// credentials before the convocation are refused, so the record and the
// roll agree; and should a stored record not verify (here one byte of a
// stored line changed behind the server's back), the server refuses every
// event after it when it is asked (409 record_refused, the verifier's
// words in French and English, nothing written), and accepts again once
// the record verifies.
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
// The credentials recorded before the convocation, with the spreadsheet's
// categories: refused now, saying what to do (credentials come from the
// frozen roll), and nothing is recorded.
let threw = '';
try { enrolMeeting(data, 'ag', N); } catch (e) { threw = String(e.message); }
check(/n'est pas convoquée/.test(threw) && /scrutin meeting convene ag/.test(threw),
  'credentials before the convocation: refused with what to do: ' + threw.split('\n')[0]);
eq(sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE meeting = 'ag' AND kind = 'credential.issued'"), '0',
  'no credential.issued event');
// The categories corrected, then convened: the convocation freezes the
// roll, the credentials come from it.
run(['roll', 'import', roll('fondateur')]);
run(['meeting', 'convene', 'ag']);
const m = enrolMeeting(data, 'ag', N);
eq(sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE meeting = 'ag' AND kind = 'credential.issued' AND line LIKE '%\"fondateur\"%'"), '2',
  'the record\'s credentials carry the corrected categories');

const base = `/api/v1/meetings/ag`;
let srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  for (let i = 0; i < N; i++)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[i], 'check-in', 'present'))).status, 200, `check-in ${i}`);
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status, 200, 'the opening is accepted (its event verifies)');
} finally {
  await srv.stop();
}

// A stored record that does not verify (one byte of a stored line changed
// behind the server's back): the server, restarted, refuses every event
// after it, at the moment it is asked, with the verifier's words.
const db = path.join(data, 'roll.db');
// (An insider with the database: the append-only trigger dropped, a line
// rewritten, the trigger put back.)
const insider = (sql) => spawnSync('sqlite3', [db, `BEGIN; DROP TRIGGER events_no_update; ${sql}; CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, \'events are append-only\'); END; COMMIT;`], { encoding: 'utf8' });
const w = insider("UPDATE events SET line = replace(line, '\"fondateur\"', '\"Fondateur\"') WHERE meeting = 'ag' AND kind = 'credential.issued' AND line LIKE '%\"fondateur\"%'");
eq(w.status, 0, 'a stored line changed: ' + w.stderr);
srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const before = events();
  const r = await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[5], 'check-out'));
  eq(r.status, 409, 'a check-out is refused when the member asks');
  eq(r.json.error.code, 'record_refused', 'record_refused');
  check(/ne serait plus vérifiable/.test(r.json.error.fr) && /rien n'a été modifié/.test(r.json.error.fr),
    'the French message says the record would not verify and nothing changed: ' + r.json.error.fr);
  check(/événement \d+/.test(r.json.error.detail) && /chaîne rompue/.test(r.json.error.detail),
    'the detail is the verifier\'s French words, naming the event: ' + r.json.error.detail);
  check(/seq \d+/.test(r.json.error.detail_en ?? ''), 'and its English words: ' + r.json.error.detail_en);
  eq(events(), before, 'no event written');
  const q = await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken);
  eq([q.status, q.json.error?.code], [409, 'record_refused'], 'the close is refused too, nothing half-done');
  eq((await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1').status, 'open', 'the question is still open');
} finally {
  await srv.stop();
}

// Put back, the record verifies again and the next event is accepted.
eq(insider("UPDATE events SET line = replace(line, '\"Fondateur\"', '\"fondateur\"') WHERE meeting = 'ag' AND kind = 'credential.issued'").status, 0, 'restored');
srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).status, 200, 'the close is accepted once the record verifies');
} finally {
  await srv.stop();
}
const rec = path.join(data, 'ag.jsonl');
const ex = cli(['record', 'export', 'ag', '--data', data]);
eq(ex.status, 0, 'record export: ' + ex.stderr);
fs.writeFileSync(rec, ex.stdout);
const vr = spawnSync(path.resolve(BUILD, 'scrutin-verify'), ['--quiet', '--lang', 'en', rec], { encoding: 'utf8' });
eq(vr.status, 0, 'the exported record verifies: ' + (vr.stdout + vr.stderr).trim());
const fd = spawnSync(path.resolve(BUILD, 'tests/audit/test_feed'), [rec], { encoding: 'utf8' });
eq(fd.status, 0, 'every exported line is accepted one at a time: ' + fd.stdout + fd.stderr);
done('recordcheck');
