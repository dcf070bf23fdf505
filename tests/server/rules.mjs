// rules.mjs — what the statutes allow, over real HTTPS on loopback:
//  - remote attendance: A-IMI's AG does not provide for it (art. 9), so the
//    meeting view says `remote_attendance: false` and a remote check-in is
//    refused (403 remote_not_allowed, French and English messages, nothing
//    recorded) and the quorum stays known; APROGEMERE's CA admits it (II-1);
//  - GET …/rules (moderator): the body's decision and election ids with the
//    profile's French labels, for the add-question form;
//  - POST …/questions/{q}/candidates (moderator): a candidacy declared during
//    the meeting, refused where the statutes do not admit it (A-IMI 11),
//    added to a pending APROGEMERE election (III) (one question.candidate event, the
//    choices and n grow), refused once the election is open; the late
//    candidate is counted and can be elected.
//   node tests/server/rules.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { S, api, attend, openBallot, setupMeeting, hex, MEETING_DATE } from './meeting-lib.mjs';

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
    eq([r.json.body, r.json.remote_attendance, r.json.late_candidates], ['ag', false, false], 'rules: body and flags');
    const dec = Object.fromEntries(r.json.decisions.map((d) => [d.id, d.label]));
    eq(dec.ordinary, 'majorité simple', 'rules: decision "ordinary" with its French label');
    check(Object.keys(dec).length >= 2, `rules: every decision of the body (${Object.keys(dec)})`);
    eq(r.json.elections.map((e) => [e.id, e.label]), [['ca', "Conseil d'administration"]], 'rules: the election with its label');
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
  const voters = [];
  for (let i = 1; i <= 6; i++) {
    const kp = S.crypto_sign_keypair();
    voters.push({ no: `M000${i}`, pk: kp.publicKey, sk: kp.privateKey });
  }
  fs.writeFileSync(path.join(data, 'public.json'), JSON.stringify({ format: 'scrutin-public-credentials/1', meeting: id,
    credentials: voters.map((v) => ({ member: v.no, pk: hex(v.pk) })) }));
  run(['cred', 'import-public', path.join(data, 'public.json')]);
  const modToken = run(['meeting', 'moderator-link', id, '--host', 'localhost']).trim().split('#')[1].split('.')[1];
  const m = { id, voters, modToken };
  const srv = await startServer({ data });
  const base = `/api/v1/meetings/${id}`;
  try {
    let r = await api(srv, 'GET', base);
    eq(r.json.remote_attendance, true, 'APROGEMERE CA view: remote attendance provided for');
    r = await api(srv, 'GET', `${base}/rules`, undefined, modToken);
    eq([r.json.remote_attendance, r.json.late_candidates], [true, true], 'APROGEMERE CA rules: remote and late candidacies');
    eq(r.json.elections, [{ id: 'bureau', label: 'Bureau' }], 'rules: the CA election, labelled');
    eq(r.json.decisions, [{ id: 'cooptation', label: 'majorité des deux tiers des membres du conseil' }], 'rules: the CA decision, labelled');

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
  } finally {
    await srv.stop();
  }
}
done('rules');
