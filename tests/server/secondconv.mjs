// secondconv.mjs — second-convocation meetings (A-IMI art. 9,
// APROGEMERE II: « Si ce quorum n'est pas atteint, une nouvelle
// Assemblée Générale est convoquée … et elle peut alors délibérer quel
// que soit le nombre des membres actifs présents ou représentés »), on
// the real server (HTTPS on loopback):
//  - `scrutin meeting create --second-convocation --first-meeting-date`
//    is refused, with nothing created, where the body's statutes have no
//    second convocation (ANIMT's AG, art. XI), without the first
//    meeting's date, with a first meeting not before this one, and
//    --first-meeting-date alone;
//  - A-IMI: with 2 members present out of 20 the live quorum says
//    « Seconde convocation : … quel que soit le nombre … (art. 9) » with
//    no threshold, a motion is adopted; the same attendance at a first
//    convocation says the quorum is not reached (the control);
//  - APROGEMERE: the same, art. II;
//  - the record's meeting event carries second_convocation, the record
//    verifies, the minutes say it in their opening paragraph;
//  - the server as an insider (re-chained, checkpoints re-signed): a
//    second_convocation on a body that has none (the A-IMI CA), or with
//    a first meeting after this one, fails, named.
//   node tests/server/secondconv.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { api, attend, ceremony, enrolMeeting, openBallot, MEETING_DATE, exportAndVerify, rewriteRecord } from './meeting-lib.mjs';

const N = 20;
const first = new Date(Date.parse(MEETING_DATE) - 60 * 86400e3).toISOString().slice(0, 10);
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);

// One association: its roll, its meetings (each [id, createArgs]).
async function association({ tag, profile, category, rule, article, meetings }) {
  const data = tmpDir(`secondconv-${tag}`);
  const run = (args) => {
    const r = cli([...args, '--data', data]);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const lines = ['numéro;nom;prénom;catégorie;cotisation;date d\'adhésion'];
  for (let i = 1; i <= N; i++) lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};${category};${paid};2020-01-01`);
  fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
  run(['roll', 'import', path.join(data, 'roll.csv')]);
  const agenda = path.join(data, 'agenda.json');
  fs.writeFileSync(agenda, JSON.stringify({ questions: [
    { id: 'q1', title: 'Approbation des comptes', kind: 'motion', rule, secret: false }] }));
  const ms = {};
  for (const [id, more] of meetings) {
    run(['meeting', 'create', '--id', id, '--title', `AG ${tag}`, '--date', MEETING_DATE, '--profile', profile,
      '--body', 'ag', '--agenda', agenda, '--trustees', '2', '--threshold', '2', ...more]);
    run(['meeting', 'convene', id]);
    ms[id] = enrolMeeting(data, id, N, 2);
  }
  const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  const out = {};
  try {
    for (const [id] of meetings) {
      const m = ms[id], V = m.voters, base = `/api/v1/meetings/${id}`;
      await ceremony(srv, m);
      eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, `${id}: started`);
      for (const v of [V[0], V[1]])
        eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${id}: ${v.no} present`);
      const qu = (await api(srv, 'GET', base)).json.attendance?.quorum ?? {};
      out[id] = { qu, data, m };
      eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status, 200, `${id}: q1 opened`);
      const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1');
      for (const v of [V[0], V[1]])
        eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, 'q1', v, [1, 0, 0]))).status, 200, `${id}: ${v.no} votes pour`);
      eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).json.status, 'closed', `${id}: q1 closed`);
      out[id].res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
      eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status, 200, `${id}: ended`);
    }
  } catch (e) {
    console.error(srv.log().split('\n').slice(-15).join('\n'));
    throw e;
  } finally {
    await srv.stop();
  }
  void article;
  return out;
}

// Refusals: nothing created.
{
  const data = tmpDir('secondconv-refused');
  const meetings = () => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM meetings');
  const create = (id, profile, more, body = 'ag') => cli(['meeting', 'create', '--id', id, '--title', 'AG', '--date', MEETING_DATE,
    '--profile', profile, '--body', body, '--data', data, ...more]);
  let r = create('aprog-ca-2', 'ballot-formats/profiles/aprogemere.yaml', ['--second-convocation', '--first-meeting-date', first], 'ca');
  check(r.status !== 0 && /seconde convocation refusée : les statuts ne prévoient pas de seconde convocation sans quorum pour l'instance ca \(art\. II-1\)/.test(r.stderr),
    `APROGEMERE's CA (no second convocation) refused with the article: ${r.stderr.trim()}`);
  r = create('animt-2', 'ballot-formats/profiles/animt.yaml', ['--quorum', JSON.stringify({ counts: ['present', 'represented'],
    fraction: '1/4', compare: 'at_least', rounding: 'none', second_convocation: 'none' }), '--second-convocation', '--first-meeting-date', first]);
  check(r.status !== 0 && /seconde convocation refusée : .* pour l'instance ag \(art\. /.test(r.stderr),
    `ANIMT, its own quorum without a second convocation, refused: ${r.stderr.trim()}`);
  r = create('aimi-nodate', 'ballot-formats/profiles/a-imi.yaml', ['--second-convocation']);
  check(r.status !== 0 && /--first-meeting-date AAAA-MM-JJ requis/.test(r.stderr), `without the first meeting's date: ${r.stderr.trim()}`);
  r = create('aimi-after', 'ballot-formats/profiles/a-imi.yaml', ['--second-convocation', '--first-meeting-date', MEETING_DATE]);
  check(r.status !== 0 && /doit précéder celle-ci/.test(r.stderr), `a first meeting not before this one: ${r.stderr.trim()}`);
  r = create('aimi-alone', 'ballot-formats/profiles/a-imi.yaml', ['--first-meeting-date', first]);
  check(r.status !== 0 && /va avec --second-convocation/.test(r.stderr), `--first-meeting-date alone: ${r.stderr.trim()}`);
  eq(meetings(), 0, 'refusals: no meeting created');
}

const aimi = await association({ tag: 'aimi', profile: 'ballot-formats/profiles/a-imi.yaml', category: 'adherent',
  rule: 'ordinary', meetings: [['aimi-2', ['--second-convocation', '--first-meeting-date', first]], ['aimi-1', []]] });
const aprog = await association({ tag: 'aprog', profile: 'ballot-formats/profiles/aprogemere.yaml', category: 'actif',
  rule: 'resolution', meetings: [['aprog-2', ['--second-convocation', '--first-meeting-date', first]]] });

for (const [id, o, art] of [['aimi-2', aimi['aimi-2'], '9'], ['aprog-2', aprog['aprog-2'], 'II']]) {
  const { qu, res, data } = o;
  eq([qu.status, qu.second_convocation], ['none', true], `${id}: the live quorum is a second convocation's`);
  check(qu.sentence?.fr?.startsWith('Seconde convocation : ') &&
    qu.sentence.fr.includes('délibère quel que soit le nombre de membres présents ou représentés') &&
    qu.sentence.fr.endsWith(`(art. ${art}).`), `${id}: the engine's sentence (${qu.sentence?.fr})`);
  check(qu.sentence?.en?.startsWith('Second convocation: '), `${id}: in English too (${qu.sentence?.en})`);
  eq(res.outcome, 'adopted', `${id}: 2 present out of 20, the motion is adopted (${res.sentence?.fr ?? res.sentence})`);
  const ver = exportAndVerify(data, id);
  eq([ver.exported, ver.status], [0, 0], `${id}: the record verifies (${ver.out.trim().split('\n').pop()})`);
  const recFile = path.join(data, 'record.jsonl');
  const lines = fs.readFileSync(recFile, 'utf8').split('\n').filter(Boolean);
  eq(JSON.parse(lines[0]).payload.second_convocation, { first_meeting_date: first }, `${id}: the meeting event carries it`);
  const pv = spawnSync('build/scrutin-minutes', [recFile], { encoding: 'utf8' });
  eq(pv.status, 0, `${id}: scrutin-minutes writes the minutes ${pv.stderr}`);
  const opening = (pv.stdout.match(/<p class="opening">(.*?)<\/p>/s) || [])[1] || '';
  check(/Seconde convocation : la réunion du \S+ \d+ \S+ \d{4} n'ayant pas atteint le quorum, l'assemblée délibère quel que soit le nombre des membres présents ou représentés \(art\. /.test(opening) &&
    opening.includes(`(art. ${art}).`), `${id}: the minutes' opening says it (${opening.replace(/<[^>]+>/g, '').slice(0, 300)})`);
  if (id === 'aimi-2') {
    // The server as an insider.
    const rw = { data, meeting: id, lines, file: recFile };
    let t = rewriteRecord(rw, 'ca', (evs) => {
      evs[0].payload.body = 'ca';
    });
    check(t.status === 1 && /second convocation the statutes do not provide for body ca \(art\. /.test(t.stdout + t.stderr),
      `a second convocation on a body without one fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
    t = rewriteRecord(rw, 'after', (evs) => { evs[0].payload.second_convocation.first_meeting_date = MEETING_DATE; });
    check(t.status === 1 && /invalid field second_convocation/.test(t.stdout + t.stderr),
      `a first meeting not before this one fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
    t = rewriteRecord(rw, 'extra', (evs) => { evs[0].payload.second_convocation.why = 'x'; });
    check(t.status === 1 && /field why missing or unknown/.test(t.stdout + t.stderr),
      `an unknown key fails (${(t.stdout + t.stderr).trim().split('\n')[0]})`);
  }
}
// The control: the same attendance at a first convocation.
const c = aimi['aimi-1'];
eq([c.qu.status, c.qu.second_convocation, c.qu.required], ['not_met', false, 5], `aimi-1: a first convocation's quorum is not reached (${c.qu.sentence?.fr})`);
eq(c.res.outcome, 'cannot_deliberate', 'aimi-1: the motion cannot be decided');
check(!('second_convocation' in JSON.parse(cli(['record', 'export', 'aimi-1', '--data', c.data]).stdout.split('\n')[0]).payload),
  'aimi-1: no second_convocation in its meeting event');
done('secondconv');
