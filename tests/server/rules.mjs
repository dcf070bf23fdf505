// rules.mjs — what the statutes allow, over real HTTPS on loopback:
//  - remote attendance: A-IMI's AG does not provide for it (art. 9), so the
//    meeting view says `remote_attendance: false` and a remote check-in is
//    refused (403 remote_not_allowed, French and English messages, nothing
//    recorded) and the quorum stays known; APROGEMERE's CA admits it (II-1);
//  - GET …/rules (moderator): the body's decision and election ids with the
//    profile's French and English labels and articles, for the
//    add-question form; the meeting view's questions and the results carry
//    their rule's labels next to its id (rule_label, rule_label_en);
//  - GET …/voters/{pk}: a member without a vote gets the statutes' reason
//    (A-IMI: a sympathisant is consultative, art. 1; dues unpaid, art. 3);
//  - POST …/questions/{q}/candidates (moderator): a candidacy declared during
//    the meeting, refused where the statutes do not admit it (A-IMI 11),
//    added to a pending APROGEMERE election (III) (one question.candidate event, the
//    choices and n grow), refused once the election is open; the late
//    candidate is counted and can be elected.
//   node tests/server/rules.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { api, attend, openBallot, setupMeeting, enrolMeeting, MEETING_DATE } from './meeting-lib.mjs';

const evCount = (data, kind) => +sqlite(path.join(data, 'roll.db'),
  `SELECT count(*) FROM events${kind ? ` WHERE kind = '${kind}'` : ''}`);

// --- A-IMI: no remote attendance, no late candidacy ----------------------
{
  const data = tmpDir('rules-aimi');
  const m = setupMeeting(data, { members: 6, id: 'ag-aimi' });
  const srv = await startServer({ data });
  const base = `/api/v1/meetings/${m.id}`;
  try {
    let r = await api(srv, 'GET', base);
    eq(r.json.remote_attendance, false, 'A-IMI view: remote attendance not provided for');

    eq((await api(srv, 'GET', `${base}/rules`)).status, 401, 'rules: moderator token required');
    eq((await api(srv, 'GET', `${base}/rules`, undefined, m.enrol[0])).status, 401, 'rules: a scrutineer token is refused');
    r = await api(srv, 'GET', `${base}/rules`, undefined, m.modToken);
    eq(r.status, 200, 'rules: moderator');
    eq([r.json.body, r.json.remote_attendance, r.json.late_candidates, r.json.alternatives], ['ag', false, false, false],
      'rules: body and flags (A-IMI: no alternative motions)');
    const dec = Object.fromEntries(r.json.decisions.map((d) => [d.id, d]));
    eq(dec.ordinary, { id: 'ordinary', label: 'majorité simple', label_en: 'simple majority', article: '9' },
      'rules: decision "ordinary" with its French and English labels and its article');
    check(Object.keys(dec).length >= 2, `rules: every decision of the body (${Object.keys(dec)})`);
    eq(r.json.elections, [{ id: 'ca', label: "Conseil d'administration", label_en: 'Board of directors', article: '11' }],
      'rules: the election with its labels');
    eq([r.json.label, r.json.label_en], ['Assemblée générale ordinaire', 'Ordinary general assembly'], 'rules: the body\'s labels');
    const qs = (await api(srv, 'GET', base)).json.questions;
    eq(qs.map((q) => [q.id, q.rule, q.rule_label, q.rule_label_en]), [
      ['q1', 'ordinary', 'majorité simple', 'simple majority'], ['q2', 'ordinary', 'majorité simple', 'simple majority'],
      ['e1', 'ca', "Conseil d'administration", 'Board of directors']], 'the view: each question with its rule\'s labels');
    eq((await api(srv, 'POST', `${base}/rules`, {}, m.modToken)).status, 405, 'rules: GET only');

    eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'meeting started');
    const ev0 = evCount(data);
    r = await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[0], 'check-in', 'remote'));
    eq([r.status, r.json.error.code], [403, 'remote_not_allowed'], 'remote check-in refused');
    check(/distance/.test(r.json.error.fr) && /remote attendance/.test(r.json.error.en), `refusal in French and English (${r.json.error.fr})`);
    eq(evCount(data), ev0, 'refused check-in records nothing');
    r = await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[0], 'check-in', 'present'));
    eq([r.status, r.json.attendance], [200, 'present'], 'present check-in accepted');
    r = await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[0], 'check-in', 'remote'));
    eq(r.json.error?.code, 'remote_not_allowed', 'switching to remote refused too');
    r = await api(srv, 'GET', base);
    eq([r.json.attendance.present, r.json.attendance.remote], [1, 0], 'attendance: 1 present, no remote');
    check(['met', 'not_met'].includes(r.json.attendance.quorum.status), `quorum known (${r.json.attendance.quorum.status})`);

    const e1 = () => api(srv, 'GET', base).then((v) => v.json.questions.find((q) => q.id === 'e1'));
    const before = await e1();
    eq((await api(srv, 'POST', `${base}/questions/e1/candidates`, { member: 'M0004', name: 'Quatre' })).status, 401,
      'candidates: moderator token required');
    r = await api(srv, 'POST', `${base}/questions/e1/candidates`, { member: 'M0004', name: 'Quatre' }, m.modToken);
    eq([r.status, r.json.error.code], [403, 'late_candidacy_refused'], 'A-IMI: late candidacy refused (art. 11)');
    check(/candidature/.test(r.json.error.fr), 'late candidacy refusal in French');
    eq(await e1(), before, 'election unchanged');
    eq(evCount(data, 'question.candidate'), 0, 'no candidate event');
  } finally {
    await srv.stop();
  }
}

// --- Why a member has no vote ---------------------------------------------
// A-IMI art. 1: the sympathisants have a consultative voice only; art. 3:
// dues not paid at the vote date. The phone shows the reason in words.
{
  const data = tmpDir('rules-standing');
  const run = (args) => {
    const r = cli([...args, '--data', data]);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
  const stale = new Date(Date.now() - 3 * 365 * 86400e3).toISOString().slice(0, 10);
  fs.writeFileSync(path.join(data, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
    `M0001;Nom1;Prénom1;adherent;${paid}`, `M0002;Nom2;Prénom2;sympathisant;${paid}`,
    `M0003;Nom3;Prénom3;adherent;${stale}`].join('\n') + '\n');
  run(['roll', 'import', path.join(data, 'roll.csv')]);
  fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
    { id: 'q1', title: 'Motion', kind: 'motion', rule: 'ordinary', secret: false }] }));
  run(['meeting', 'create', '--id', 'ag-standing', '--title', 'AG', '--date', MEETING_DATE, '--profile',
    'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--agenda', path.join(data, 'agenda.json'),
    '--trustees', '2', '--threshold', '2']);
  run(['meeting', 'convene', 'ag-standing']);
  const m = enrolMeeting(data, 'ag-standing', 3);
  const srv = await startServer({ data });
  try {
    const standing = async (v) => (await api(srv, 'GET', `/api/v1/meetings/ag-standing/voters/${Buffer.from(v.pk).toString('hex')}`)).json;
    const [a, b, c] = await Promise.all(m.voters.map(standing));
    eq([a.voter, a.reason], [true, undefined], 'a voter: no reason');
    eq([b.voter, b.reason], [false, 'consultative'], 'a sympathisant: consultative');
    eq([c.voter, c.reason], [false, 'dues_unpaid'], 'dues not paid: dues_unpaid');
  } finally {
    await srv.stop();
  }
}
// --- APROGEMERE's CA: remote attendance and late candidacies admitted ------
{
  const data = tmpDir('rules-aprogemere');
  const run = (args) => {
    const r = cli([...args, '--data', data]);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
  // Candidates must be adults here (I-VI): the roll gives birth dates.
  const lines = ['numéro;nom;prénom;catégorie;cotisation;naissance'];
  for (let i = 1; i <= 6; i++) lines.push(`M000${i};Nom${i};Prénom${i};administrateur;${paid};1980-01-0${i}`);
  fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
  run(['roll', 'import', path.join(data, 'roll.csv')]);
  fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
    { id: 'q1', title: 'Cooptation', kind: 'motion', rule: 'cooptation', secret: false },
    { id: 'e1', title: 'Bureau', kind: 'election', rule: 'bureau', secret: false, seats: 1,
      candidates: [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }] },
  ] }));
  const id = 'ca-aprogemere';
  run(['meeting', 'create', '--id', id, '--title', 'CA APROGEMERE', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/aprogemere.yaml', '--body', 'ca', '--agenda', path.join(data, 'agenda.json'),
    '--trustees', '2', '--threshold', '2']);
  run(['meeting', 'convene', id]);
  const m = enrolMeeting(data, id, 6, 0);
  const { voters, modToken } = m;
  const srv = await startServer({ data });
  const base = `/api/v1/meetings/${id}`;
  try {
    let r = await api(srv, 'GET', base);
    eq(r.json.remote_attendance, true, 'APROGEMERE CA view: remote attendance provided for');
    r = await api(srv, 'GET', `${base}/rules`, undefined, modToken);
    eq([r.json.remote_attendance, r.json.late_candidates], [true, true], 'APROGEMERE CA rules: remote and late candidacies');
    eq(r.json.elections, [{ id: 'bureau', label: 'Bureau', label_en: 'Bureau', article: 'III' }], 'rules: the CA election, labelled');
    eq(r.json.decisions, [{ id: 'cooptation', label: 'majorité des deux tiers des membres du conseil',
      label_en: 'two-thirds majority of the board members', article: 'II-2' }], 'rules: the CA decision, labelled');

    eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'CA meeting started');
    r = await api(srv, 'POST', `${base}/attendance`, attend(m, voters[0], 'check-in', 'remote'));
    eq([r.status, r.json.attendance], [200, 'remote'], 'remote check-in accepted');
    for (const v of voters.slice(1, 4))
      eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
    r = (await api(srv, 'GET', base)).json.attendance;
    eq([r.present, r.remote, r.quorum.status], [3, 1, 'met'], 'remote attendee counted for the quorum');

    // Late candidates: every refusal first, each changing nothing.
    const ev0 = evCount(data);
    const add = (q, body) => api(srv, 'POST', `${base}/questions/${q}/candidates`, body, modToken);
    r = await add('e1', { member: 'M0099', name: 'Personne' });
    eq([r.status, r.json.error.code, r.json.error.field], [400, 'invalid_field', 'member'], 'not on the roll');
    r = await add('e1', { member: 'M0001', name: 'Un bis' });
    eq([r.status, r.json.error.code], [409, 'already_done'], 'already a candidate');
    r = await add('q1', { member: 'M0003', name: 'Trois' });
    eq([r.status, r.json.error.code], [400, 'invalid_field'], 'a motion has no candidates');
    r = await add('nope', { member: 'M0003', name: 'Trois' });
    eq([r.status, r.json.error.code], [404, 'question_unknown'], 'unknown question');
    r = await add('e1', { member: 'M0003', name: 'Trois', extra: 1 });
    eq([r.status, r.json.error.code], [400, 'unknown_field'], 'unknown field');
    r = await add('e1', { member: 'M0003', name: '' });
    eq([r.status, r.json.error.code, r.json.error.field], [400, 'invalid_field', 'name'], 'empty name');
    eq(evCount(data), ev0, 'refusals record nothing');

    r = await add('e1', { member: 'M0003', name: 'Trois' });
    eq(r.status, 200, `late candidate added (${r.text})`);
    eq([r.json.choices, r.json.n, r.json.min, r.json.max], [['Un', 'Deux', 'Trois', 'blanc'], 4, 1, 1], 'choices and shape');
    const late = r.json.candidates.find((c) => c.member === 'M0003');
    check(late && late.at_meeting === true && /^\d{4}-\d\d-\d\d$/.test(late.declared), 'marked as declared at the meeting');
    check(r.json.candidates.filter((c) => c.at_meeting).length === 1, 'the others are not');
    eq(evCount(data, 'question.candidate'), 1, 'one question.candidate event');
    const ev = JSON.parse(sqlite(path.join(data, 'roll.db'), "SELECT payload FROM events WHERE kind = 'question.candidate'"));
    eq([ev.meeting, ev.question, ev.member, ev.name], [id, 'e1', 'M0003', 'Trois'], 'event content');
    eq((await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'e1').n, 4, 'the view has the new shape');

    // Open: no more candidates; the late one is counted and elected.
    eq((await api(srv, 'POST', `${base}/questions/e1/open`, {}, modToken)).status, 200, 'e1 opened');
    r = await add('e1', { member: 'M0004', name: 'Quatre' });
    eq([r.status, r.json.error.code], [409, 'wrong_phase'], 'no candidate once open');
    const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'e1');
    const sel = [[0, 0, 1, 0], [0, 0, 1, 0], [1, 0, 0, 0]];
    for (const [k, s] of sel.entries()) {
      r = await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, 'e1', voters[k], s));
      eq(r.status, 200, `ballot ${k + 1} (${r.text})`);
    }
    eq((await api(srv, 'POST', `${base}/questions/e1/close`, {}, modToken)).status, 200, 'e1 closed');
    r = await api(srv, 'GET', `${base}/questions/e1/result`);
    eq(r.status, 200, `e1 counted (${r.text})`);
    eq([r.json.counts, r.json.elected], [[1, 0, 2, 0], [2]], `the late candidate is elected (${r.json.outcome}: ${r.json.sentence})`);
    eq([r.json.rule, r.json.rule_label, r.json.rule_label_en], ['bureau', 'Bureau', 'Bureau'], 'the result with its rule\'s labels');
    const e1v = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'e1');
    eq([e1v.result.rule_label, e1v.result.rule_label_en], ['Bureau', 'Bureau'], 'the view\'s result too');
  } finally {
    await srv.stop();
  }
}
// --- Secret ballot required by the statutes ------------------------------
// ANIMT's CA elects its Bureau by secret ballot (XI al. 1 et 2) and votes a
// motion of defiance in secret (XV); an ordinary motion may be a show of
// hands. A-IMI's CA votes in secret by default (12): without the unanimous
// waiver (tests/server/triggers.mjs) its show of hands is refused too.
{
  const data = tmpDir('rules-secret');
  const run = (args) => cli([...args, '--data', data]);
  const ok = (args) => {
    const r = run(args);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const qCount = (meeting) => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM questions WHERE meeting = '${meeting}'`);
  const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
  const lines = ['numéro;nom;prénom;catégorie;cotisation'];
  for (let i = 1; i <= 6; i++) lines.push(`M000${i};Nom${i};Prénom${i};administrateur;${paid}`);
  fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
  ok(['roll', 'import', path.join(data, 'roll.csv')]);
  const cands = [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }];
  const bureau = (id, secret) => ({ id, title: 'Présidence', kind: 'election', rule: 'bureau', secret, seats: 1, candidates: cands });
  const motion = (id, rule, secret) => ({ id, title: `Motion ${id}`, kind: 'motion', rule, secret });
  const file = (name, doc) => { const f = path.join(data, name); fs.writeFileSync(f, JSON.stringify(doc)); return f; };

  // The agenda (CLI): one refused entry refuses the whole import.
  const id = 'ca-secret';
  let c = run(['meeting', 'create', '--id', id, '--title', 'CA ANIMT', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ca', '--trustees', '2', '--threshold', '2',
    '--agenda', file('a1.json', { questions: [motion('q1', 'ordinary', false), bureau('e1', false)] })]);
  check(c.status !== 0 && /e1 : les statuts imposent un vote à bulletin secret pour cette question \(art\. XI al\. 1 et 2\)/.test(c.stderr),
    `agenda: the Bureau by show of hands refused, with the article (${c.stderr.trim()})`);
  eq(qCount(id), 0, 'agenda refused: no question stored (not even the allowed motion)');
  c = run(['question', 'add', id, file('a2.json', motion('q9', 'defiance', false))]);
  check(c.status !== 0 && /q9 : .*bulletin secret.*\(art\. XI al\. 1, XV\)/.test(c.stderr), `question add: a defiance motion by show of hands refused (${c.stderr.trim()})`);
  eq(qCount(id), 0, 'question add refused: nothing stored');
  ok(['question', 'add', id, file('a3.json', { questions: [motion('q1', 'ordinary', false), bureau('e1', true)] })]);
  eq(qCount(id), 2, 'agenda: an ordinary show of hands and a secret Bureau election accepted');
  // A question stored by an earlier version: a Bureau election by show of
  // hands, refused at its opening.
  const old = { ...bureau('e0', false), choices: ['Un', 'Deux', 'blanc'], n: 3, min: 1, max: 1,
    candidates: cands.map((x) => ({ ...x, declared: MEETING_DATE })) };
  const ins = spawnSync('sqlite3', [path.join(data, 'roll.db'), `INSERT INTO questions(meeting, qid, position, spec, status) VALUES ('${id}', 'e0', 3, '${JSON.stringify(old).replace(/'/g, "''")}', 'pending')`], { encoding: 'utf8' });
  eq(ins.status, 0, `a Bureau election by show of hands stored as an earlier version would have (${ins.stderr})`);

  // A-IMI's CA: secret by default (12).
  ok(['meeting', 'create', '--id', 'ca-aimi', '--title', 'CA A-IMI', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ca', '--quorum', 'none', '--trustees', '2', '--threshold', '2']);
  c = run(['question', 'add', 'ca-aimi', file('a4.json', bureau('e1', false))]);
  check(c.status !== 0 && /bulletin secret.*\(art\. 12\)/.test(c.stderr), `A-IMI CA: the Bureau by show of hands refused, secret by default (${c.stderr.trim()})`);
  ok(['question', 'add', 'ca-aimi', file('a5.json', bureau('e1', true))]);
  eq(qCount('ca-aimi'), 1, 'A-IMI CA: the secret Bureau election accepted');

  ok(['meeting', 'convene', id]);
  const m = enrolMeeting(data, id, 6, 0);
  const { voters, modToken } = m;
  const record = () => { const r = run(['record', 'export', id]); if (r.status !== 0) throw new Error(r.stderr); return r.stdout; };
  const srv = await startServer({ data });
  const base = `/api/v1/meetings/${id}`;
  try {
    eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'CA started');
    for (const v of voters.slice(0, 4))
      eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
    const view = async () => (await api(srv, 'GET', base)).json.questions;
    const refused = async (method, p, body, what, article) => {
      const rec0 = record(), ev0 = evCount(data), q0 = JSON.stringify(await view());   // (an export may add a checkpoint: first)
      const r = await api(srv, method, p, body, modToken);
      eq([r.status, r.json.error?.code, r.json.error?.field, r.json.error?.article], [400, 'secret_required', 'secret', article], what);
      eq(r.json.error.fr, `les statuts imposent un vote à bulletin secret pour cette question (art. ${article})`, `${what}: French text with the article`);
      eq(r.json.error.en, `the statutes require a secret ballot for this question (art. ${article})`, `${what}: English text`);
      eq(evCount(data), ev0, `${what}: no event`);
      eq(JSON.stringify(await view()), q0, `${what}: the questions unchanged`);
      eq(record(), rec0, `${what}: the record unchanged`);
    };
    const add = (body) => api(srv, 'POST', `${base}/questions`, body, modToken);

    await refused('POST', `${base}/questions`, bureau('e2', false), 'API: the Bureau by show of hands', 'XI al. 1 et 2');
    await refused('POST', `${base}/questions`, motion('q2', 'defiance', false), 'API: a defiance motion by show of hands', 'XI al. 1, XV');
    await refused('POST', `${base}/questions/e0/open`, {}, 'opening a stored Bureau election by show of hands', 'XI al. 1 et 2');
    eq((await view()).find((q) => q.id === 'e0').status, 'pending', 'e0 still pending');
    // Bad input is still bad input: the shape is checked first.
    let r = await add({ ...bureau('e3', false), extra: 1 });
    eq([r.status, r.json.error.code], [400, 'invalid_field'], 'an unknown field is invalid_field, not secret_required');
    r = await add({ ...motion('q3', 'nope', false) });
    eq([r.status, r.json.error.code], [400, 'invalid_field'], 'an unknown rule is invalid_field');

    r = await add(bureau('e2', true));
    eq([r.status, r.json.secret], [200, true], 'API: the Bureau by secret ballot accepted');
    r = await add(motion('q2', 'ordinary', false));
    eq([r.status, r.json.secret], [200, false], 'API: an ordinary motion by show of hands accepted');
    r = await api(srv, 'POST', `${base}/questions/q2/open`, {}, modToken);
    eq([r.status, r.json.status], [200, 'open'], 'the show of hands opens');
    const q = (await view()).find((x) => x.id === 'q2');
    for (const [k, s] of [[1, 0, 0], [1, 0, 0], [0, 1, 0]].entries())
      eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, 'q2', voters[k], s))).status, 200, `show of hands ${k + 1}`);
    eq((await api(srv, 'POST', `${base}/questions/q2/close`, {}, modToken)).status, 200, 'q2 closed');
    r = await api(srv, 'GET', `${base}/questions/q2/result`);
    eq([r.status, r.json.outcome], [200, 'adopted'], `q2 counted (${r.json.sentence})`);
    check(!/bulletin secret/.test(r.json.sentence), 'the engine does not call for a secret ballot on it');
  } finally {
    await srv.stop();
  }
}
done('rules');
