// triggers.mjs — the statutes' live secret-ballot triggers, over real HTTPS
// on loopback, with the real profiles (ballot-formats/profiles/):
//  - A-IMI's AG (art. 9): a third of the members present may ask for a
//    secret ballot. With 7 present the engine's threshold is 3: 2 askers
//    leave a show of hands, 3 make it secret (POST …/questions/{q}/triggers);
//    the vote is then held, counted and verified by scrutin-verify, whose
//    minutes say why; every refusal (malformed, unknown field, a trigger the
//    profile lacks, askers above the roll or the members present, no key
//    yet, wrong phase, wrong role) changes nothing;
//  - A-IMI's CA (art. 12): secret unless every administrator wants a show
//    of hands. The Bureau by show of hands is refused without the waiver;
//    the waiver is refused while an administrator is absent (before the
//    meeting, with 4 of 6 present: no_unanimity, CLI and API), recorded
//    once all 6 are present, refused again at the opening when one has
//    left, then opened and counted by show of hands;
//  - ANIMT's AG (art. V): a member's objection turns a show of hands
//    secret at creation; the CA request the profile lacks is refused.
//   node tests/server/triggers.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { api, attend, ceremony, decrypt, secretBallot, openBallot, enrolMeeting, rewriteRecord, MEETING_DATE } from './meeting-lib.mjs';

const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const evCount = (data, kind) => +sqlite(path.join(data, 'roll.db'),
  `SELECT count(*) FROM events${kind ? ` WHERE kind = '${kind}'` : ''}`);
const runner = (data) => (args, ok = true) => {
  const r = cli([...args, '--data', data]);
  if (ok && r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return ok ? r.stdout : r;
};
function roll(data, n, category) {
  // Birth dates: the Bureau's sequence is presided by the eldest (A-IMI 12).
  const lines = ['numéro;nom;prénom;catégorie;cotisation;naissance'];
  for (let i = 1; i <= n; i++) lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};${category};${paid};1970-01-0${i}`);
  const f = path.join(data, 'roll.csv');
  fs.writeFileSync(f, lines.join('\n') + '\n');
  runner(data)(['roll', 'import', f]);
}
const file = (data, name, doc) => { const f = path.join(data, name); fs.writeFileSync(f, JSON.stringify(doc)); return f; };
const motion = (id, secret, extra = {}) => ({ id, title: `Motion ${id}`, kind: 'motion', rule: 'ordinary', secret, ...extra });
function verifyRecord(data, id) {
  const rec = cli(['record', 'export', id, '--data', data]);
  eq(rec.status, 0, 'record export');
  const f = path.join(data, 'record.jsonl');
  fs.writeFileSync(f, rec.stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', f], { encoding: 'utf8' });
  eq(ver.status, 0, 'scrutin-verify accepts the record: ' + ver.stdout + ver.stderr);
  const pv = spawnSync('build/scrutin-minutes', [f], { encoding: 'utf8' });
  eq(pv.status, 0, 'scrutin-minutes: ' + pv.stderr);
  return { events: rec.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)), html: pv.stdout, file: f };
}

// --- A-IMI's AG: the fraction of members present (art. 9) -----------------
{
  const data = tmpDir('trig-aimi');
  const run = runner(data);
  const N = 9;
  roll(data, N, 'adherent');
  run(['meeting', 'create', '--id', 'ag', '--title', 'AG A-IMI', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--trustees', '2', '--threshold', '2',
    '--agenda', file(data, 'ag.json', { questions: [motion('q1', false), motion('q2', false)] })]);
  // Askers at the agenda: nobody is present before the meeting.
  let c = run(['question', 'add', 'ag', file(data, 'x.json', motion('q0', false, { triggers: { askers: 1 } }))], false);
  check(c.status !== 0 && /q0 : .*membres présents.*triggers\.askers/.test(c.stderr), `agenda: askers with nobody present refused (${c.stderr.trim()})`);
  c = run(['question', 'add', 'ag', file(data, 'y.json', motion('q0', false, { triggers: { objection: true } }))], false);
  check(c.status !== 0 && /q0 : .*opposition.*triggers\.objection.*\(art\. 9\)/.test(c.stderr), `agenda: an objection A-IMI lacks refused, with the article (${c.stderr.trim()})`);
  eq(+sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM questions WHERE qid = 'q0'"), 0, 'nothing stored');
  run(['meeting', 'convene', 'ag']);
  const m = enrolMeeting(data, 'ag', N, 2);
  const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  const base = `/api/v1/meetings/ag`;
  try {
    let r = await api(srv, 'GET', `${base}/rules`, undefined, m.modToken);
    eq(r.json.secret_ballot, { default: 'show_of_hands', member_objection: false, request_by: [], request_fraction: '1/3',
      unanimous_waiver: false, article: '9' }, 'rules: A-IMI AG secret-ballot triggers');
    eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'AG started');
    for (const v of m.voters.slice(0, 7))
      eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
    const view = async () => (await api(srv, 'GET', base)).json.questions;
    const q2 = async () => (await view()).find((q) => q.id === 'q2');
    const trig = (q, body, token = m.modToken) => api(srv, 'POST', `${base}/questions/${q}/triggers`, body, token);
    const refused = async (q, body, status, code, field, what, token) => {
      const before = JSON.stringify(await view()), ev0 = evCount(data);
      const rr = await trig(q, body, token);
      eq([rr.status, rr.json.error?.code, rr.json.error?.field], [status, code, field], what);
      eq(JSON.stringify(await view()), before, `${what}: the questions unchanged`);
      eq(evCount(data), ev0, `${what}: no event`);
      return rr;
    };
    await refused('q2', { askers: 2 }, 401, 'unauthorized', undefined, 'no token', null);
    await refused('q2', { askers: 2 }, 401, 'unauthorized', undefined, 'a scrutineer token', m.enrol[0]);
    await refused('nope', { askers: 2 }, 404, 'question_unknown', undefined, 'unknown question');
    await refused('q2', {}, 400, 'invalid_field', 'triggers', 'an empty object');
    await refused('q2', { askers: 2, extra: 1 }, 400, 'unknown_field', 'triggers', 'an unknown field');
    await refused('q2', { askers: '3' }, 400, 'invalid_field', 'triggers.askers', 'askers as a string');
    await refused('q2', { askers: 0 }, 400, 'invalid_field', 'triggers.askers', 'no askers');
    await refused('q2', { askers: N + 1 }, 400, 'invalid_field', 'triggers.askers', 'askers above the roll');
    await refused('q2', { askers: 8 }, 400, 'invalid_field', 'triggers.askers', 'askers above the 7 members present');
    await refused('q2', { objection: false }, 400, 'invalid_field', 'triggers.objection', 'objection false');
    r = await refused('q2', { objection: true }, 400, 'trigger_refused', 'triggers.objection', 'A-IMI has no objection trigger');
    eq(r.json.error.article, '9', 'the refusal names the article');
    check(/déclencheur/.test(r.json.error.fr) && /trigger/.test(r.json.error.en), `French and English (${r.json.error.fr})`);
    await refused('q2', { requested_by: 'bureau' }, 400, 'trigger_refused', 'triggers.requested_by', 'A-IMI has no Bureau request');
    await refused('q2', { requested_by: 'board' }, 400, 'invalid_field', 'triggers.requested_by', 'an unknown requester');
    await refused('q2', { unanimous_show_of_hands: true }, 400, 'trigger_refused', 'triggers.unanimous_show_of_hands', 'A-IMI AG has no waiver');
    // 3 askers of 7 present would make it secret: no election key yet.
    r = await refused('q2', { askers: 3 }, 409, 'key_required', 'triggers', 'secret before the key ceremony');
    check(/clé d'élection/.test(r.json.error.fr), `key_required in French (${r.json.error.fr})`);
    let bad = await api(srv, 'POST', `${base}/questions/q2/triggers`, [1], m.modToken);
    eq(bad.json.error?.code, 'not_an_object', 'an array is refused');

    const cer = await ceremony(srv, m);
    r = await trig('q2', { askers: 1 });
    eq([r.status, r.json.secret, r.json.secrecy?.fr], [200, false, 'Vote à main levée : 1 membre présent sur 7 demande le scrutin secret, 3 requis (art. 9).'],
      'one asker: a show of hands (singular)');
    // One fewer than the third of 7 (the engine's threshold: 3).
    r = await trig('q2', { askers: 2 });
    eq(r.status, 200, `2 askers recorded (${r.text})`);
    eq([r.json.secret, r.json.triggers, r.json.secrecy.secret, r.json.secrecy.reasons, r.json.secrecy.askers_required, r.json.secrecy.present],
      [false, { askers: 2 }, false, [], 3, 7], '2 of 7 present: still a show of hands (3 required)');
    eq(r.json.secrecy.fr, 'Vote à main levée : 2 membres présents sur 7 demandent le scrutin secret, 3 requis (art. 9).', 'the French reason');
    eq(evCount(data, 'question.triggers'), 2, 'one question.triggers event each');
    r = await trig('q2', { askers: 3 });
    eq(r.status, 200, `3 askers recorded (${r.text})`);
    eq([r.json.secret, r.json.triggers, r.json.secrecy.reasons, r.json.secrecy.article], [true, { askers: 3 }, ['fraction'], '9'],
      '3 of 7 present: secret ballot');
    eq(r.json.secrecy.fr, 'Vote à bulletin secret à la demande de 3 membres présents sur 7, 3 requis (art. 9).', 'the French reason');
    check(/^Secret ballot at the request of 3 members present out of 7/.test(r.json.secrecy.en), `and English (${r.json.secrecy.en})`);
    eq((await q2()).secret, true, 'the view: q2 secret');
    const ev = JSON.parse(sqlite(path.join(data, 'roll.db'), "SELECT payload FROM events WHERE kind = 'question.triggers' ORDER BY seq DESC LIMIT 1"));
    eq([ev.question, ev.triggers, ev.secret], ['q2', { askers: 3 }, true], 'the event');
    // At creation during the meeting, the same decision.
    r = await api(srv, 'POST', `${base}/questions`, motion('q3', false, { triggers: { askers: 2 } }), m.modToken);
    eq([r.status, r.json.secret, r.json.secrecy?.askers_required], [200, false, 3], `q3 created with 2 askers: show of hands (${r.text})`);
    r = await api(srv, 'POST', `${base}/questions`, motion('q4', false, { triggers: { askers: 3 } }), m.modToken);
    eq([r.status, r.json.secret, r.json.secrecy?.reasons], [200, true, ['fraction']], 'q4 created with 3 askers: secret');
    r = await api(srv, 'POST', `${base}/questions`, motion('q5', false, { triggers: { askers: 3, extra: true } }), m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.field], [400, 'unknown_field', 'triggers'], 'creation: malformed triggers refused');
    r = await api(srv, 'POST', `${base}/questions`, motion('q5', false, { triggers: { objection: true } }), m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.article], [400, 'trigger_refused', '9'], 'creation: a trigger A-IMI lacks refused');
    check(!(await view()).some((q) => q.id === 'q5'), 'q5 not stored');

    // Held by secret ballot, counted, verified.
    eq((await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken)).status, 200, 'q2 opened');
    await refused('q2', { askers: 4 }, 409, 'wrong_phase', undefined, 'an open question');
    const q = await q2();
    for (const [k, s] of [[1, 0, 0], [1, 0, 0], [0, 1, 0]].entries()) {
      r = await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, 'q2', m.voters[k], s));
      eq(r.status, 200, `secret ballot ${k + 1} (${r.text})`);
    }
    eq((await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken)).status, 200, 'q2 closed');
    await refused('q2', { askers: 4 }, 409, 'wrong_phase', undefined, 'a closed question');
    await decrypt(srv, m, cer, 'q2');
    r = await api(srv, 'GET', `${base}/questions/q2/result`);
    eq([r.status, r.json.outcome], [200, 'adopted'], `q2 counted (${r.json.sentence})`);
    check(/^Vote à bulletin secret\. /.test(r.json.sentence), 'the engine counts it as a required secret ballot (fraction met)');
    const rec = verifyRecord(data, 'ag');
    eq(rec.events.find((e) => e.kind === 'question.opened' && e.payload.qid === 'q2').payload.triggers, { askers: 3 },
      'the record carries the triggers');
    check(rec.html.includes('<p class="secrecy">Vote à bulletin secret à la demande de 3 membres présents sur 7, 3 requis (art. 9).</p>'),
      'the minutes say why q2 was secret');
    // The verifier gives the triggers to the engine: without them the
    // sentence (« Vote à bulletin secret. ») no longer matches.
    const lines = fs.readFileSync(rec.file, 'utf8');
    check(lines.includes('"triggers":{"askers":3}'), 'triggers in the exported line');
  } finally {
    await srv.stop();
  }
}

// --- A-IMI's CA: the unanimous waiver (art. 12) ---------------------------
{
  const data = tmpDir('trig-aimi-ca');
  const run = runner(data);
  roll(data, 6, 'administrateur');
  const cands = [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }];
  const bureau = (id, secret, extra = {}) => ({ id, title: 'Présidence', kind: 'election', rule: 'bureau', secret, seats: 1, candidates: cands, ...extra });
  run(['meeting', 'create', '--id', 'ca', '--title', 'CA A-IMI', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ca', '--quorum', 'none', '--trustees', '2', '--threshold', '2']);
  let c = run(['question', 'add', 'ca', file(data, 'a.json', bureau('e1', false))], false);
  check(c.status !== 0 && /bulletin secret.*\(art\. 12\)/.test(c.stderr), `without the waiver: the Bureau by show of hands refused (${c.stderr.trim()})`);
  c = run(['question', 'add', 'ca', file(data, 'b.json', bureau('e1', false, { triggers: { unanimous_show_of_hands: false } }))], false);
  check(c.status !== 0 && /triggers\.unanimous_show_of_hands/.test(c.stderr), `waiver false refused (${c.stderr.trim()})`);
  c = run(['question', 'add', 'ca', file(data, 'c.json', bureau('e1', false, { triggers: { askers: 1 } }))], false);
  check(c.status !== 0 && /triggers\.askers.*\(art\. 12\)/.test(c.stderr), `askers A-IMI's CA lacks refused (${c.stderr.trim()})`);
  // « tous les administrateurs »: before the meeting nobody is present.
  c = run(['question', 'add', 'ca', file(data, 'd.json', bureau('e1', false, { post: 'Président', president_post: true,
    triggers: { unanimous_show_of_hands: true } }))], false);
  check(c.status !== 0 && /pas d'unanimité, absents : Prénom1 Nom1, Prénom2 Nom2.*\(triggers\.unanimous_show_of_hands\) \(art\. 12\)/.test(c.stderr),
    `before the meeting: the waiver refused, the administrators are absent (${c.stderr.trim()})`);
  run(['question', 'add', 'ca', file(data, 'd.json', bureau('e1', true, { post: 'Président', president_post: true }))]);
  const spec = () => JSON.parse(sqlite(path.join(data, 'roll.db'), "SELECT spec FROM questions WHERE qid = 'e1'"));
  run(['meeting', 'convene', 'ca']);
  const m = enrolMeeting(data, 'ca', 6, 2);
  const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  const base = `/api/v1/meetings/ca`;
  try {
    let r = await api(srv, 'GET', `${base}/rules`, undefined, m.modToken);
    eq([r.json.secret_ballot.default, r.json.secret_ballot.unanimous_waiver, r.json.secret_ballot.request_fraction, r.json.secret_ballot.article],
      ['secret', true, null, '12'], 'rules: A-IMI CA');
    r = await api(srv, 'POST', `${base}/questions`, bureau('e2', false), m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.article], [400, 'secret_required', '12'], 'API: without the waiver, secret_required');
    r = await api(srv, 'POST', `${base}/questions`, bureau('e2', false, { triggers: { unanimous_show_of_hands: true } }), m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.field, r.json.error?.article], [400, 'no_unanimity', 'triggers.unanimous_show_of_hands', '12'],
      `API: the waiver before the meeting, nobody present: no_unanimity (${r.text})`);
    check(/tous les membres ayant voix délibérative soient présents/.test(r.json.error?.fr) && /every member with a vote present/.test(r.json.error?.en),
      'no_unanimity in French and English');
    r = await api(srv, 'POST', `${base}/questions`, bureau('e3', true), m.modToken);
    eq([r.status, r.json.secret], [200, true], 'e3 created secret');

    eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'CA started');
    for (const v of m.voters.slice(0, 4))
      eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
    // Four of the six administrators: no unanimity, the question stays secret.
    const ev0 = evCount(data, 'question.triggers');
    r = await api(srv, 'POST', `${base}/questions/e1/triggers`, { unanimous_show_of_hands: true }, m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.article], [400, 'no_unanimity', '12'], `4 of 6 present: the waiver refused (${r.text})`);
    eq([spec().secret, spec().triggers, evCount(data, 'question.triggers')], [true, undefined, ev0], 'nothing changed');
    for (const v of m.voters.slice(4))
      eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
    r = await api(srv, 'POST', `${base}/questions/e1/triggers`, { unanimous_show_of_hands: true }, m.modToken);
    eq([r.status, r.json.secret, r.json.secrecy?.reasons], [200, false, ['waived']], `all 6 present: the waiver recorded (${r.text})`);
    eq([spec().secret, spec().triggers, spec().secrecy.reasons, spec().secrecy.fr],
      [false, { unanimous_show_of_hands: true }, ['waived'], 'Vote à main levée par renonciation unanime au scrutin secret (art. 12).'],
      'with the waiver: the Bureau by show of hands stored, and why');
    // A secret Bureau election turned into a show of hands by the waiver.
    r = await api(srv, 'POST', `${base}/questions/e3/triggers`, { unanimous_show_of_hands: true }, m.modToken);
    eq([r.status, r.json.secret, r.json.secrecy?.fr], [200, false, 'Vote à main levée par renonciation unanime au scrutin secret (art. 12).'],
      `the waiver recorded on e3: show of hands (${r.text})`);
    // One leaves: the opening refuses the show of hands (the count would find it secret).
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[5], 'check-out'))).status, 200, 'M0006 leaves');
    r = await api(srv, 'POST', `${base}/questions/e1/open`, {}, m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.field], [400, 'no_unanimity', 'triggers.unanimous_show_of_hands'],
      `M0006 absent: the waived question does not open (${r.text})`);
    eq(+sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM questions WHERE qid = 'e1' AND status = 'pending'"), 1, 'e1 still pending');
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[5], 'check-in', 'present'))).status, 200, 'M0006 back');
    r = await api(srv, 'POST', `${base}/questions/e1/open`, {}, m.modToken);
    eq([r.status, r.json.status], [200, 'open'], `the waived Bureau election opens by show of hands, without any key (${r.text})`);
    const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'e1');
    for (const [k, s] of [[1, 0, 0], [1, 0, 0], [0, 1, 0]].entries())
      eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, 'e1', m.voters[k], s))).status, 200, `show of hands ${k + 1}`);
    eq((await api(srv, 'POST', `${base}/questions/e1/close`, {}, m.modToken)).status, 200, 'e1 closed');
    eq(+sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM questions WHERE qid = 'e1' AND status IN ('closed', 'counted')"), 1,
      'e1 held by show of hands and closed');
    // The president's post (A-IMI 12, tests/server/bureau.mjs): counted
    // under the eldest present (M0001, born first), by show of hands.
    r = await api(srv, 'GET', `${base}/questions/e1/result`);
    eq([r.status, r.json.outcome], [200, 'elected'], `e1 counted (${r.json.sentence})`);
    check(r.json.sentence.startsWith("Scrutin présidé par le doyen d'âge : Prénom1 Nom1. Élu(e) (Président) : Prénom1 Nom1 (2 voix)"),
      'the waived show of hands: presided by the eldest');
  } finally {
    await srv.stop();
  }
}

// --- ANIMT's AG: a member's objection (art. V) ----------------------------
{
  const data = tmpDir('trig-animt');
  const run = runner(data);
  roll(data, 6, 'membre_de_droit');
  run(['meeting', 'create', '--id', 'ag', '--title', 'AG ANIMT', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ag', '--quorum', 'none', '--trustees', '2', '--threshold', '2',
    '--agenda', file(data, 'ag.json', { questions: [motion('q1', false, { triggers: { objection: true } }), motion('q2', false)] })]);
  const spec = JSON.parse(sqlite(path.join(data, 'roll.db'), "SELECT spec FROM questions WHERE qid = 'q1'"));
  eq([spec.secret, spec.triggers, spec.secrecy.reasons, spec.secrecy.fr],
    [true, { objection: true }, ['objection'], "Vote à bulletin secret à la demande d'un membre (art. V)."],
    'an objection at the agenda: q1 secret, and why');
  let c = run(['question', 'add', 'ag', file(data, 'x.json', motion('q9', false, { triggers: { requested_by: 'ca' } }))], false);
  check(c.status !== 0 && /conseil d'administration.*\(art\. V\)/.test(c.stderr), `a CA request ANIMT lacks refused (${c.stderr.trim()})`);
  run(['meeting', 'convene', 'ag']);
  const m = enrolMeeting(data, 'ag', 6, 2);
  const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  const base = `/api/v1/meetings/ag`;
  try {
    let r = await api(srv, 'GET', `${base}/rules`, undefined, m.modToken);
    eq(r.json.secret_ballot, { default: 'show_of_hands', member_objection: true, request_by: ['bureau'], request_fraction: null,
      unanimous_waiver: false, article: 'V' }, 'rules: ANIMT AG');
    const cer = await ceremony(srv, m);
    r = await api(srv, 'POST', `${base}/questions/q2/triggers`, { requested_by: 'bureau' }, m.modToken);
    eq([r.status, r.json.secret, r.json.triggers, r.json.secrecy.reasons], [200, true, { requested_by: ['bureau'] }, ['bureau']],
      `the Bureau asks: q2 secret (${r.text})`);
    r = await api(srv, 'POST', `${base}/questions/q2/triggers`, { objection: true }, m.modToken);
    eq([r.json.triggers, r.json.secrecy.reasons, r.json.secrecy.fr], [{ objection: true, requested_by: ['bureau'] }, ['objection', 'bureau'],
      "Vote à bulletin secret à la demande d'un membre et du Bureau (art. V)."], 'merged with an objection');
    r = await api(srv, 'POST', `${base}/questions/q2/triggers`, { askers: 2 }, m.modToken);
    eq([r.status, r.json.error?.code, r.json.error?.article], [400, 'trigger_refused', 'V'], 'no fraction trigger in ANIMT');
    // q1, secret by objection: held, counted, verified; the minutes say why.
    eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'AG started');
    for (const v of m.voters.slice(0, 4))
      eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
    eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status, 200, 'q1 opened');
    const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1');
    for (const [k, s] of [[1, 0, 0], [1, 0, 0], [0, 1, 0]].entries())
      eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, 'q1', m.voters[k], s))).status, 200, `secret ballot ${k + 1}`);
    eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).status, 200, 'q1 closed');
    await decrypt(srv, m, cer, 'q1');
    r = await api(srv, 'GET', `${base}/questions/q1/result`);
    eq([r.status, r.json.outcome], [200, 'adopted'], `q1 counted (${r.text})`);
    check(/^Vote à bulletin secret\. /.test(r.json.sentence), 'the engine: a secret ballot required by the objection');
    const rec = verifyRecord(data, 'ag');
    eq(rec.events.find((e) => e.kind === 'question.opened' && e.payload.qid === 'q1').payload.triggers, { objection: true },
      'the record carries the objection');
    check(rec.html.includes("<p class=\"secrecy\">Vote à bulletin secret à la demande d&#39;un membre (art. V).</p>") ||
      rec.html.includes("<p class=\"secrecy\">Vote à bulletin secret à la demande d'un membre (art. V).</p>"),
      'the minutes say why q1 was secret');
    // Without the triggers in the record, the verifier's engine would not
    // call q1 a required secret ballot: its sentence differs and the
    // record fails (the triggers are what the count used).
    const lines = fs.readFileSync(rec.file, 'utf8').split('\n').filter(Boolean);
    const opened = (evs) => evs.find((e) => e.kind === 'question.opened' && e.payload.qid === 'q1').payload;
    let v = rewriteRecord({ data, meeting: 'ag', lines, file: rec.file }, 'same', () => {});
    eq(v.status, 0, 'the rewriting itself keeps the record valid: ' + v.stdout + v.stderr);
    v = rewriteRecord({ data, meeting: 'ag', lines, file: rec.file }, 'stripped', (evs) => { delete opened(evs).triggers; });
    check(v.status !== 0 && /q1: sentence differs/.test(v.stdout + v.stderr), `triggers removed: the record fails (${(v.stdout + v.stderr).trim()})`);
    v = rewriteRecord({ data, meeting: 'ag', lines, file: rec.file }, 'bad', (evs) => { opened(evs).triggers = { objection: 'yes' }; });
    check(v.status !== 0 && /triggers\.objection/.test(v.stdout + v.stderr), `a malformed trigger fails (${(v.stdout + v.stderr).trim()})`);
    v = rewriteRecord({ data, meeting: 'ag', lines, file: rec.file }, 'extra', (evs) => { opened(evs).triggers = { objection: true, x: 1 }; });
    check(v.status !== 0, `an unknown trigger key fails (${(v.stdout + v.stderr).trim()})`);
  } finally {
    await srv.stop();
  }
}
done('triggers');
