// bureau.mjs — A-IMI's CA elects its Bureau post by post, the president
// first (art. 12), over real HTTPS on loopback with the real profile
// (ballot-formats/profiles/a-imi.yaml, election `bureau`, sequence
// president_first):
//  - election questions take a "post" and, for the president's post,
//    "president_post": true (agenda import, CLI, POST …/questions); a
//    malformed post, president_post on a motion, on an election whose rule
//    has no sequence (A-IMI's AG), or a second president's post are
//    refused and nothing is stored;
//  - opening: a member present without a birth date (the eldest cannot be
//    found) and a post opened before the president is counted are refused
//    with the engine's message (409 bureau_sequence, "detail" in French,
//    "detail_en" in English), nothing changed;
//  - the president's post, by secret ballot, is presided by the eldest
//    present (the sentence names him), then the treasurer's post by the
//    newly elected president; the secretary's by show of hands, the
//    unanimous waiver refused while an administrator is away and
//    recorded once all are present;
//  - the record carries post, president_post and presided_by; it passes
//    scrutin-verify, and fails when president_post is flipped or removed,
//    or when presided_by or the post is changed.
//   node tests/server/bureau.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { api, attend, ceremony, decrypt, secretBallot, openBallot, enrolMeeting, rewriteRecord, MEETING_DATE } from './meeting-lib.mjs';

const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const runner = (data) => (args, ok = true) => {
  const r = cli([...args, '--data', data]);
  if (ok && r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return ok ? r.stdout : r;
};
// M0003 is the eldest; M0006 has no birth date.
const BIRTH = ['1970-01-01', '1965-02-02', '1950-05-05', '1980-03-03', '1975-04-04', ''];
function roll(data, category) {
  const lines = ['numéro;nom;prénom;catégorie;cotisation;naissance'];
  BIRTH.forEach((b, k) => lines.push(`M000${k + 1};Nom${k + 1};Prénom${k + 1};${category};${paid};${b}`));
  const f = path.join(data, 'roll.csv');
  fs.writeFileSync(f, lines.join('\n') + '\n');
  runner(data)(['roll', 'import', f]);
}
const file = (data, name, doc) => { const f = path.join(data, name); fs.writeFileSync(f, JSON.stringify(doc)); return f; };
const cands = (a, b) => [{ member: a, name: a === 'M0001' ? 'Prénom1 Nom1' : `Prénom${a.slice(-1)} Nom${a.slice(-1)}` },
  { member: b, name: `Prénom${b.slice(-1)} Nom${b.slice(-1)}` }];
const post = (id, p, extra = {}, c = cands('M0001', 'M0002')) =>
  ({ id, title: `Bureau : ${p}`, kind: 'election', rule: 'bureau', secret: true, seats: 1, candidates: c, post: p, ...extra });
const count = (data, where) => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM questions WHERE ${where}`);

// --- A-IMI's AG: its CA election has no Bureau sequence -------------------
{
  const data = tmpDir('bureau-ag');
  const run = runner(data);
  roll(data, 'adherent');
  run(['meeting', 'create', '--id', 'ag', '--title', 'AG A-IMI', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--trustees', '2', '--threshold', '2']);
  const el = { id: 'e1', title: 'CA', kind: 'election', rule: 'ca', secret: true, seats: 1, candidates: cands('M0001', 'M0002') };
  let c = run(['question', 'add', 'ag', file(data, 'a.json', { ...el, president_post: true })], false);
  check(c.status !== 0 && /président en premier.*president_post/.test(c.stderr), `president_post where the rule has no sequence refused (${c.stderr.trim()})`);
  c = run(['question', 'add', 'ag', file(data, 'b.json', { id: 'm1', title: 'M', kind: 'motion', rule: 'ordinary', secret: true, post: 'X' })], false);
  check(c.status !== 0 && /seule une élection a un poste \(post\)/.test(c.stderr), `a post on a motion refused (${c.stderr.trim()})`);
  eq(count(data, '1'), 0, 'nothing stored');
  // A post alone is a label: allowed on any election.
  run(['question', 'add', 'ag', file(data, 'c.json', { ...el, post: 'Administrateur' })]);
  eq(JSON.parse(sqlite(path.join(data, 'roll.db'), "SELECT spec FROM questions WHERE qid = 'e1'")).post, 'Administrateur', 'a post stored');
}

// --- A-IMI's CA: the Bureau, president first ------------------------------
{
  const data = tmpDir('bureau-ca');
  const run = runner(data);
  roll(data, 'administrateur');
  run(['meeting', 'create', '--id', 'ca', '--title', 'CA A-IMI', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ca', '--quorum', 'none', '--trustees', '2', '--threshold', '2',
    '--agenda', file(data, 'ag.json', { questions: [post('pres', 'Président', { president_post: true }),
      post('tres', 'Trésorier', {}, cands('M0004', 'M0005'))] })]);
  eq(JSON.parse(sqlite(path.join(data, 'roll.db'), "SELECT spec FROM questions WHERE qid = 'pres'")).president_post, true,
    'agenda: the president\'s post stored');
  for (const [what, extra, re] of [
    ['an empty post', { post: '' }, /poste invalide.*\(post\)/],
    ['a post of 101 bytes', { post: 'x'.repeat(101) }, /poste invalide.*\(post\)/],
    ['a post with a control character', { post: 'Pr\u0001' }, /poste invalide.*\(post\)/],
    ['a post as a number', { post: 3 }, /poste invalide.*\(post\)/],
    ['president_post false', { president_post: false }, /president_post : true attendu/],
    ['president_post "yes"', { president_post: 'yes' }, /president_post : true attendu/],
    ['a second president\'s post', { president_post: true }, /poste de président de l'élection bureau existe déjà \(pres\)/],
  ]) {
    const c = run(['question', 'add', 'ca', file(data, 'x.json', post('x1', 'Vice-président', extra))], false);
    check(c.status !== 0 && re.test(c.stderr), `CLI: ${what} refused (${c.stderr.trim()})`);
  }
  // One bad entry in an agenda: nothing of it is stored.
  let c = run(['question', 'add', 'ca', file(data, 'y.json', { questions: [post('x2', 'Secrétaire'), post('x3', 'Bis', { president_post: true })] })], false);
  check(c.status !== 0, 'an agenda with a second president\'s post refused');
  eq(count(data, "qid LIKE 'x%'"), 0, 'nothing stored');
  run(['meeting', 'convene', 'ca']);
  const m = enrolMeeting(data, 'ca', BIRTH.length, 2);
  const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  const base = `/api/v1/meetings/ca`;
  try {
    let r = await api(srv, 'GET', `${base}/rules`, undefined, m.modToken);
    const br = r.json.elections?.find((e) => e.id === 'bureau');
    eq([br?.sequence, br?.article], ['president_first', '12'], `rules: the Bureau's sequence (${JSON.stringify(br)})`);
    const view = async () => (await api(srv, 'GET', base)).json.questions;
    const qv = async (id) => (await view()).find((q) => q.id === id);
    const add = (body) => api(srv, 'POST', `${base}/questions`, body, m.modToken);
    for (const [what, extra, status, code, field] of [
      ['an empty post', { post: '' }, 400, 'invalid_field', 'post'],
      ['a post of 101 bytes', { post: 'é'.repeat(51) }, 400, 'invalid_field', 'post'],
      ['a post as an object', { post: {} }, 400, 'invalid_field', 'post'],
      ['president_post 1', { president_post: 1 }, 400, 'invalid_field', 'president_post'],
      ['a second president\'s post', { president_post: true }, 409, 'president_post_exists', 'president_post'],
    ]) {
      const before = JSON.stringify(await view());
      r = await add(post('x4', 'Vice-président', extra));
      eq([r.status, r.json.error?.code, r.json.error?.field], [status, code, field], `API: ${what} refused`);
      eq(JSON.stringify(await view()), before, `API: ${what}: nothing stored`);
    }
    check(/existe déjà/.test((await add(post('x4', 'P', { president_post: true }))).json.error.fr), 'president_post_exists in French');
    r = await add(post('sec', 'Secrétaire', {}, cands('M0002', 'M0005')));
    eq([r.status, r.json.post], [200, 'Secrétaire'], `API: the secretary's post created (${r.text})`);

    const cer = await ceremony(srv, m);
    eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'CA started');
    for (const v of m.voters)
      eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
    const refusedOpen = async (q, re, reFr, what) => {
      const before = JSON.stringify(await view());
      const rr = await api(srv, 'POST', `${base}/questions/${q}/open`, {}, m.modToken);
      eq([rr.status, rr.json.error?.code], [409, 'bureau_sequence'], what);
      check(reFr.test(rr.json.error?.detail ?? ''), `${what}: the engine's message in French (${rr.json.error?.detail})`);
      check(re.test(rr.json.error?.detail_en ?? ''), `${what}: the engine's message in English (${rr.json.error?.detail_en})`);
      check(/président en premier/.test(rr.json.error?.fr) && /president first/.test(rr.json.error?.en), `${what}: French and English`);
      eq(JSON.stringify(await view()), before, `${what}: nothing changed`);
    };
    // M0006, present, has no birth date: the eldest cannot be found.
    await refusedOpen('pres', /member 'M0006': birth date is needed to find the eldest.*art\. 12/,
      /membre « M0006 » : la date de naissance doit être indiquée pour trouver le doyen d'âge.*art\. 12/,
      'the president\'s post with a birth date missing');
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[5], 'check-out'))).status, 200, 'M0006 leaves');
    await refusedOpen('tres', /the president must be elected first, under the eldest \(art\. 12\)/,
      /le président doit être élu en premier, sous la présidence du doyen d'âge \(art\. 12\)/, 'the treasurer before the president');

    // The president's post, secret, presided by the eldest (M0003).
    eq((await api(srv, 'POST', `${base}/questions/pres/open`, {}, m.modToken)).status, 200, 'pres opened');
    await refusedOpen('tres', /the president must be elected first/, /le président doit être élu en premier/,
      'the treasurer while the president\'s post is open');
    let q = await qv('pres');
    for (const [k, s] of [[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0]].entries())
      eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, 'pres', m.voters[k], s))).status, 200, `pres ballot ${k + 1}`);
    eq((await api(srv, 'POST', `${base}/questions/pres/close`, {}, m.modToken)).status, 200, 'pres closed');
    await refusedOpen('tres', /the president must be elected first/, /le président doit être élu en premier/,
      'the treasurer before the president\'s count');
    await decrypt(srv, m, cer, 'pres');
    r = await api(srv, 'GET', `${base}/questions/pres/result`);
    eq([r.status, r.json.outcome, r.json.elected], [200, 'elected', [0]], `pres counted (${r.json.sentence})`);
    check(r.json.sentence.includes("Scrutin présidé par le doyen d'âge : Prénom3 Nom3. Élu(e) (Président) : Prénom1 Nom1 (3 voix)"),
      'the sentence names the eldest and the post');
    r = await add(post('x5', 'Président', { president_post: true }));
    eq([r.status, r.json.error?.code], [409, 'president_post_exists'], 'a president elected: another president\'s post refused');

    // The treasurer's post, presided by the newly elected president.
    eq((await api(srv, 'POST', `${base}/questions/tres/open`, {}, m.modToken)).status, 200, 'tres opened');
    q = await qv('tres');
    for (const [k, s] of [[1, 0, 0], [0, 1, 0], [1, 0, 0]].entries())
      eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, 'tres', m.voters[k], s))).status, 200, `tres ballot ${k + 1}`);
    eq((await api(srv, 'POST', `${base}/questions/tres/close`, {}, m.modToken)).status, 200, 'tres closed');
    await decrypt(srv, m, cer, 'tres');
    r = await api(srv, 'GET', `${base}/questions/tres/result`);
    eq([r.status, r.json.outcome], [200, 'elected'], `tres counted (${r.json.sentence})`);
    check(r.json.sentence.includes('Scrutin présidé par le président élu : Prénom1 Nom1. Élu(e) (Trésorier) : Prénom4 Nom4 (2 voix)'),
      'the sentence names the newly elected president');

    // The secretary's post, by show of hands with the unanimous waiver:
    // « tous les administrateurs » — refused while M0006 is away.
    r = await api(srv, 'POST', `${base}/questions/sec/triggers`, { unanimous_show_of_hands: true }, m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.article], [400, 'no_unanimity', '12'], `M0006 away: no unanimity (${r.text})`);
    eq((await qv('sec')).secret, true, 'sec still secret');
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[5], 'check-in', 'present'))).status, 200, 'M0006 back');
    r = await api(srv, 'POST', `${base}/questions/sec/triggers`, { unanimous_show_of_hands: true }, m.modToken);
    eq([r.status, r.json.secret], [200, false], 'the waiver, all present: sec by show of hands');
    eq((await api(srv, 'POST', `${base}/questions/sec/open`, {}, m.modToken)).status, 200, 'sec opened');
    q = await qv('sec');
    for (const [k, s] of [[0, 1, 0], [0, 1, 0], [1, 0, 0]].entries())
      eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, 'sec', m.voters[k], s))).status, 200, `sec show of hands ${k + 1}`);
    eq((await api(srv, 'POST', `${base}/questions/sec/close`, {}, m.modToken)).status, 200, 'sec closed');
    r = await api(srv, 'GET', `${base}/questions/sec/result`);
    eq([r.status, r.json.outcome], [200, 'elected'], `sec counted (${r.json.sentence})`);
    check(r.json.sentence.includes('Scrutin présidé par le président élu : Prénom1 Nom1. Élu(e) (Secrétaire) : Prénom5 Nom5 (2 voix)'),
      'show of hands: presided by the president');

    // The record: verified, and every change to the sequence fails.
    const rec = cli(['record', 'export', 'ca', '--data', data]);
    eq(rec.status, 0, 'record export');
    const f = path.join(data, 'record.jsonl');
    fs.writeFileSync(f, rec.stdout);
    const ver = spawnSync('build/scrutin-verify', ['--quiet', f], { encoding: 'utf8' });
    eq(ver.status, 0, 'scrutin-verify accepts the record: ' + ver.stdout + ver.stderr);
    const lines = rec.stdout.split('\n').filter(Boolean);
    const evs = lines.map((l) => JSON.parse(l));
    const opened = (e, id) => e.find((x) => x.kind === 'question.opened' && x.payload.qid === id).payload;
    const result = (e, id) => e.find((x) => x.kind === 'result' && x.payload.qid === id).payload;
    eq([opened(evs, 'pres').post, opened(evs, 'pres').president_post, opened(evs, 'tres').post, 'president_post' in opened(evs, 'tres')],
      ['Président', true, 'Trésorier', false], 'question.opened carries post and president_post');
    eq([result(evs, 'pres').presided_by?.as, result(evs, 'pres').presided_by?.label, result(evs, 'tres').presided_by?.as,
      result(evs, 'tres').presided_by?.label], ['eldest', 'Prénom3 Nom3', 'elected_president', 'Prénom1 Nom1'], 'result carries presided_by');
    const rw = (what, fn) => rewriteRecord({ data, meeting: 'ca', lines, file: f }, what, fn);
    const out = (v) => (v.stdout + v.stderr).trim();
    let v = rw('same', () => {});
    eq(v.status, 0, 'the rewriting itself keeps the record valid: ' + out(v));
    v = rw('nopres', (e) => { delete opened(e, 'pres').president_post; });
    check(v.status !== 0 && /pres: the statutes engine refuses: .*president must be elected first/.test(out(v)), `president_post removed: fails (${out(v)})`);
    v = rw('flip', (e) => { opened(e, 'pres').president_post = false; });
    check(v.status !== 0 && /president_post/.test(out(v)), `president_post false: fails (${out(v)})`);
    v = rw('trespres', (e) => { opened(e, 'tres').president_post = true; });
    check(v.status !== 0 && /tres/.test(out(v)), `the treasurer made president: fails (${out(v)})`);
    // The post is part of the question digest (protocol §5.7, scrutin/2):
    // the ballots, proved under the post they were cast for, fail.
    v = rw('post', (e) => { opened(e, 'tres').post = 'Trésorière'; });
    check(v.status !== 0 && /ballot at seq \d+: membership proof 1 invalid/.test(out(v)), `a post renamed: fails (${out(v)})`);
    // The record has no birth date: the verifier cannot tell the eldest
    // among those present, but the one it names must be present at the
    // opening (M0006 had left) and the sentence must name him.
    v = rw('who', (e) => { result(e, 'pres').presided_by.member = Buffer.from(m.voters[5].pk).toString('hex'); });
    check(v.status !== 0 && /pres: the statutes engine refuses: .*two eldest/.test(out(v)), `an absent eldest named: fails (${out(v)})`);
    v = rw('label', (e) => { result(e, 'pres').presided_by.label = 'Prénom2 Nom2'; });
    check(v.status !== 0 && /pres: sentence differs/.test(out(v)), `another name for the eldest: fails (${out(v)})`);
    v = rw('as', (e) => { result(e, 'tres').presided_by.as = 'eldest'; });
    check(v.status !== 0 && /tres/.test(out(v)), `the treasurer's presider called the eldest: fails (${out(v)})`);
    v = rw('nobody', (e) => { delete result(e, 'tres').presided_by; });
    check(v.status !== 0 && /tres/.test(out(v)), `presided_by removed: fails (${out(v)})`);
    // The waiver needs every administrator at the opening: M0006's return
    // removed, sec's show of hands fails.
    const pk6 = Buffer.from(m.voters[5].pk).toString('hex');
    const back = (e) => e.findLastIndex((x) => x.kind === 'checkin' && x.payload.pk === pk6);
    v = rw('unanimity', (e) => { e.splice(back(e), 1); });
    check(v.status !== 0 && /sec: the statutes engine refuses: held by show of hands without the unanimous waiver/.test(out(v)),
      `the show of hands with an administrator absent: fails (${out(v)})`);
  } finally {
    await srv.stop();
  }
}
done('bureau');
