// mailin.mjs — mail-in votes (vote par correspondance) on the real server
// (HTTPS on loopback), docs/record.md mailin.opened, mailin.fallback,
// mailin.ballot:
//  - ANIMT's AG (art. V: agenda motions only, a fallback holder named in
//    advance for the motions added on the day): before the window, a
//    fallback is refused (mailin_not_open); the window opens after the
//    key ceremony; a mail-in ballot before naming the fallback holder is
//    refused with « art. V »; the fallback statement is refused when
//    signed by another key, for an unknown holder, for oneself; A and B
//    name H and vote by mail (a secret motion, a show of hands); a second
//    mail-in ballot, one on a question not published, one signed for
//    another voice and a forged signature are refused, nothing written;
//    a trigger that would make the published show of hands secret is
//    refused (mailin_published), one that leaves it as published is not;
//    after the meeting starts the window is closed (mailin_closed); a
//    mail-in ballot's receipt is found by GET receipts (mail_in, not yet
//    decided before the opening, then counted or set aside with why);
//  - at the opening, A (absent) stands as a mail-in voter and B, who
//    came, does not (giver_present): B votes in the room, A's ballot is
//    counted, A's room ballot is refused (voted_by_mail), B's mail-in
//    ballot is set aside; the counts and `counted` include A's;
//  - q3, a motion added on the day: the engine gives D's voice to the
//    fallback holder D named (M0003 votes for D, « procuration de
//    repli »), C's is over H's cap (4 proxies, art. V: refused with the
//    article), A came (refused); a fallback holder cannot vote an agenda
//    motion for the voter (mailin_fallback_refused);
//  - the record tampered with (re-chained and re-signed): a mail-in
//    ballot on a motion added on the day, one after closes_at, a forged
//    fallback signature, a fallback ballot over the holder's cap, a
//    published motion opened with another title — each
//    refused by scrutin-verify with its message;
//  - APROGEMERE's AG (II: no fallback proxy, the quorum counts mail-in
//    voters): a fallback is refused with « art. II », a mail-in ballot is
//    accepted without one and counted, the quorum counts it;
//  - Espace+ (art. 4 admits no mail-in vote): the window is refused with
//    the article, by the CLI and by the API;
//  - each exported record verifies (scrutin-verify).
//   node tests/server/mailin.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { C, S, api, attend, ceremony, decrypt, enrolMeeting, hex, now, MEETING_DATE, exportAndVerify, secretBallot, openBallot, rewriteRecord, openStatement, animtAg } from './meeting-lib.mjs';

const data = tmpDir('mailin'), dataP = tmpDir('mailin-aprog');
const runIn = (dir) => (args) => {
  const r = cli([...args, '--data', dir]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const run = runIn(data), runP = runIn(dataP);
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const N = 12;
// A roll of N members of a voting category (ANIMT's, APROGEMERE's).
const importRoll = (dir, cat) => {
  const lines = ['numéro;nom;prénom;catégorie;cotisation;date d\'adhésion'];
  for (let i = 1; i <= N; i++) lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};${cat};${paid};2020-01-01`);
  fs.writeFileSync(path.join(dir, 'roll.csv'), lines.join('\n') + '\n');
  runIn(dir)(['roll', 'import', path.join(dir, 'roll.csv')]);
};
importRoll(data, 'membre_de_droit');
importRoll(dataP, 'actif');
const id = 'ag-mailin';
const m = animtAg(run, data, id, N);
const { voters: V, modToken } = m;
const base = `/api/v1/meetings/${id}`;
const roll = path.join(data, 'roll.db');
const count = (kind, meeting = id) => +sqlite(roll, `SELECT count(*) FROM events WHERE meeting = '${meeting}' AND kind = '${kind}'`);
// S_mailin_fallback (docs/record.md §5), signed by `by`.
const fallback = (mid, v, holderPk, { ts = now(), by = v } = {}) => ({ pk: hex(v.pk), holder: hex(holderPk), ts,
  sig: hex(C.signStatement('mailin-fallback', [mid, v.pk, holderPk, C.le64(ts)], by.sk).sig) });
const [A, B, H] = [V[0], V[1], V[5]];
// C names H, who will hold 4 proxies (ANIMT's cap); D names M0003.
const [Cm, D, H2] = [V[6], V[10], V[2]];
// A show of hands of voice's voice signed by signer (S_open).
const openFor = (q, voice, signer, sel) => ({ question: q.id, selection: sel, voice: hex(voice.pk), signer: hex(signer.pk),
  sig: hex(S.crypto_sign_detached(openStatement(id, q, q.id, voice.pk, signer.pk, sel), signer.sk)) });

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const post = (p, body, token) => api(srv, 'POST', `${base}${p}`, body, token);
  // A refusal: its status and code, French and English, nothing written.
  const refused = async (p, body, status, code, what, { mid = id, article } = {}) => {
    const kinds = ['mailin.fallback', 'mailin.ballot'], n0 = kinds.map((k) => count(k, mid));
    const r = await api(srv, 'POST', `/api/v1/meetings/${mid}${p}`, body);
    eq([r.status, r.json.error?.code], [status, code], what);
    check(r.json.error?.fr && r.json.error?.en, `${what}: French and English (${r.json.error?.fr})`);
    if (article) eq(r.json.error?.article, article, `${what}: the article`);
    eq(kinds.map((k) => count(k, mid)), n0, `${what}: nothing written`);
    return r;
  };
  await refused('/mailin/fallback', fallback(id, A, H.pk), 409, 'mailin_not_open', 'a fallback before the window');
  const cer = await ceremony(srv, m);
  const view = (await api(srv, 'GET', base)).json;
  const Q = Object.fromEntries(view.questions.map((q) => [q.id, q]));
  let r = await post('/mailin/open', { closes_at: now() + 900 }, modToken);
  eq([r.status, r.json.questions], [200, 2], 'the window opens with the two agenda motions');

  const sel = (k) => [0, 1, 2].map((i) => (i === k ? 1 : 0));
  await refused('/mailin/ballots', secretBallot(cer, Q.q1, 'q1', A, sel(0)), 409, 'mailin_fallback_missing',
    'a mail-in ballot before the fallback holder is named', { article: 'V' });
  await refused('/mailin/fallback', fallback(id, A, H.pk, { by: B }), 403, 'bad_signature', 'a fallback signed by another key');
  await refused('/mailin/fallback', fallback(id, A, S.crypto_sign_keypair().publicKey), 404, 'holder_unknown', 'an unknown fallback holder');
  await refused('/mailin/fallback', fallback(id, A, A.pk), 400, 'proxy_self', 'oneself as fallback holder');
  for (const [v, h] of [[A, H], [B, H], [Cm, H], [D, H2]])
    eq((await post('/mailin/fallback', fallback(id, v, h.pk))).json.fallback, 'named', `${v.no} names ${h.no}`);
  eq(count('mailin.fallback'), 4, 'four fallback statements in the record');
  for (const g of [V[4], V[7], V[8], V[9]]) {
    const ts = now();
    eq((await post('/proxies', { action: 'give', giver: hex(g.pk), holder: hex(H.pk), ts,
      sig: hex(C.signStatement('proxy', [id, g.pk, H.pk, C.le64(ts)], g.sk).sig) })).status, 200, `${g.no} gives a proxy to ${H.no}`);
  }

  r = await post('/mailin/ballots', secretBallot(cer, Q.q1, 'q1', A, sel(0)));
  eq(r.status, 200, 'A votes q1 by mail (pour)');
  check(/^[0-9a-f]{64}$/.test(r.json.receipt) && r.json.server_sig, 'a receipt and the server\'s signature');
  const rA = r.json.receipt;
  r = await post('/mailin/ballots', secretBallot(cer, Q.q1, 'q1', B, sel(1)));
  eq(r.status, 200, 'B votes q1 by mail (contre)');
  const rB = r.json.receipt;
  // A mail-in ballot's receipt is found though it is in no box yet.
  const receipt = async (rc) => (await api(srv, 'GET', `${base}/receipts/${rc}`)).json;
  r = await receipt(rA);
  eq([r.receipt, r.question, r.mail_in, r.accepted, r.position, typeof r.at], [rA, 'q1', true, null, undefined, 'number'],
    'A\'s mail-in receipt found before the opening: q1, not yet decided');
  eq((await post('/mailin/ballots', openBallot(m, Q.q2, 'q2', B, [1, 0, 0]))).status, 200, 'B votes q2 by mail');
  for (const v of [Cm, D])
    eq((await post('/mailin/ballots', secretBallot(cer, Q.q1, 'q1', v, sel(0)))).status, 200, `${v.no} votes q1 by mail`);
  await refused('/mailin/ballots', secretBallot(cer, Q.q1, 'q1', A, sel(1)), 409, 'already_voted', 'a second mail-in ballot');
  await refused('/mailin/ballots', secretBallot(cer, Q.q1, 'q9', A, sel(1)), 404, 'mailin_not_published', 'a question not published');
  await refused('/mailin/ballots', secretBallot(cer, Q.q1, 'q1', V[2], sel(1), H), 403, 'mailin_own_voice',
    'a mail-in ballot signed for another voice');
  const forged = openBallot(m, Q.q2, 'q2', A, [1, 0, 0]);
  forged.sig = forged.sig.slice(0, 10) + (forged.sig[10] === '0' ? '1' : '0') + forged.sig.slice(11);
  await refused('/mailin/ballots', forged, 403, 'bad_signature', 'a forged signature');
  eq(count('mailin.ballot'), 5, 'five mail-in ballots in the record');

  // The published text stays: q2 may not become secret.
  r = await post('/questions/q2/triggers', { objection: true }, modToken);
  eq([r.status, r.json.error?.code, r.json.error?.field], [409, 'mailin_published', 'secret'],
    'a trigger that would make the published show of hands secret is refused');
  check(/publiée pour le vote par correspondance/.test(r.json.error?.fr), `in French (${r.json.error?.fr})`);
  eq((await post('/questions/q1/triggers', { objection: true }, modToken)).status, 200,
    'a trigger that leaves the published motion as it was');

  eq((await post('/start', {}, modToken)).status, 200, 'AG started');
  await refused('/mailin/ballots', secretBallot(cer, Q.q1, 'q1', V[3], sel(0)), 409, 'mailin_closed', 'a mail-in ballot after the start');
  for (const v of [B, H, V[2], V[3]])
    eq((await post('/attendance', attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);

  // q1: A's mail-in ballot counts, B (present) votes in the room.
  eq((await post('/questions/q1/open', {}, modToken)).status, 200, 'q1 opened');
  const standing = (qid) => Object.fromEntries(sqlite(roll, `SELECT m.member_no || ':' || o.accepted || ':' || o.reason FROM opening_mailin o
    JOIN members m ON m.id = o.member_id WHERE o.meeting = '${id}' AND o.qid = '${qid}' ORDER BY m.member_no`)
    .trim().split('\n').map((l) => { const [no, a, why] = l.split(':'); return [no, [+a, why]]; }));
  eq(standing('q1'), { M0001: [1, ''], M0002: [0, 'giver_present'], M0007: [1, ''], M0011: [1, ''] },
    'the engine at the opening: A, C, D stand, B is present');
  r = await receipt(rA);
  eq([r.mail_in, r.accepted, r.reason], [true, true, undefined], 'A\'s mail-in receipt after the opening: counted');
  r = await receipt(rB);
  eq([r.question, r.mail_in, r.accepted, r.reason], ['q1', true, false, 'giver_present'],
    'B\'s mail-in receipt after the opening: set aside, B present');
  r = await api(srv, 'GET', `${base}/receipts/${'0'.repeat(64)}`);
  eq([r.status, r.json.error?.code], [404, 'receipt_unknown'], 'an unknown receipt: 404 receipt_unknown');
  eq((await post('/attendance', attend(m, A, 'check-in', 'present'))).status, 200, 'A arrives after the opening');
  r = await post('/ballots', secretBallot(cer, Q.q1, 'q1', A, sel(1)));
  eq([r.status, r.json.error?.code], [409, 'voted_by_mail'], 'A\'s room ballot refused: the mail-in one counts');
  for (const [v, k] of [[B, 1], [H, 0], [V[2], 0]])
    eq((await post('/ballots', secretBallot(cer, Q.q1, 'q1', v, sel(k)))).status, 200, `${v.no} votes q1 in the room`);
  r = await post('/questions/q1/close', {}, modToken);
  eq([r.status, r.json.ballots], [200, 6], 'q1 closed: 3 room ballots and the mail-in ones of A, C, D');
  await decrypt(srv, m, cer, 'q1');
  let res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  eq([res.votes?.pour ?? res.counts?.[0], res.votes?.contre ?? res.counts?.[1]], [5, 1], 'q1: A, C, D, H, M0003 pour; B contre');

  // q2: B, present, votes in the room; its mail-in ballot is set aside.
  eq((await post('/questions/q2/open', {}, modToken)).status, 200, 'q2 opened');
  eq((await post('/ballots', openBallot(m, Q.q2, 'q2', B, [0, 1, 0]))).status, 200, 'B votes q2 in the room');
  r = await post('/ballots', openFor(Q.q2, D, H2, [1, 0, 0]));
  eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'mailin_fallback_refused', 'V'],
    'the fallback holder does not vote an agenda motion');
  eq((await post('/questions/q2/close', {}, modToken)).json.ballots, 1, 'q2: one ballot, B\'s mail-in one set aside');
  res = (await api(srv, 'GET', `${base}/questions/q2/result`)).json;
  eq([res.votes?.pour ?? res.counts?.[0], res.votes?.contre ?? res.counts?.[1]], [0, 1], 'q2: B contre, in the room');

  // q3, added on the day: the fallback holders vote, within the cap.
  r = await post('/questions', { id: 'q3', title: 'Motion ajoutée en séance', kind: 'motion', rule: 'ordinary', secret: false }, modToken);
  eq([r.status, r.json.on_agenda], [200, false], 'q3 added on the day');
  eq((await post('/questions/q3/open', {}, modToken)).status, 200, 'q3 opened');
  const q3 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q3');
  const fb = sqlite(roll, `SELECT m.member_no || ':' || coalesce(h.member_no, '-') || ':' || o.fallback_reason FROM opening_mailin o
    JOIN members m ON m.id = o.member_id LEFT JOIN members h ON h.id = o.fallback WHERE o.meeting = '${id}' AND o.qid = 'q3'
    ORDER BY m.member_no`).trim().split('\n');
  eq(fb, ['M0001:-:', 'M0002:-:', 'M0007:-:over_cap', 'M0011:M0003:'],
    'the engine at q3\'s opening: D\'s voice to M0003, C\'s over H\'s cap, A and B present');
  eq((await post('/ballots', openFor(q3, D, H2, [1, 0, 0]))).status, 200, 'M0003 votes q3 for D (procuration de repli)');
  r = await post('/ballots', openFor(q3, Cm, H, [1, 0, 0]));
  eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'proxy_over_cap', 'V'], 'C\'s fallback over H\'s cap refused (art. V)');
  r = await post('/ballots', openFor(q3, A, H, [1, 0, 0]));
  eq([r.status, r.json.error?.code], [403, 'proxy_giver_present'], 'A came: no fallback mandate for A');
  eq((await post('/ballots', openFor(q3, H, H, [0, 1, 0]))).status, 200, 'H votes q3 for himself');
  eq((await post('/questions/q3/close', {}, modToken)).json.ballots, 2, 'q3: H and D\'s fallback ballot');
  eq((await post('/end', {}, modToken)).status, 200, 'AG ended');
  // The minutes: the mail-in voters, their fallback holders, the counts.
  const pv = await api(srv, 'GET', `${base}/minutes`);
  const html = pv.json?.html ?? pv.text;
  eq(pv.status, 200, 'GET minutes');
  check(/<h3>Votes par correspondance<\/h3>\n<p>Membres ayant voté par correspondance : 4, dont 4 ayant désigné un mandataire de repli pour les motions ajoutées en séance \(art\. V\)/.test(html),
    'the minutes\' « Votes par correspondance »: 4 members, each with a fallback holder, art. V');
  check(/bulletins par correspondance comptés : 3/.test(html), 'q1: 3 mail-in ballots counted in the minutes');
  check(/procurations de repli comptées : 1/.test(html), 'q3: 1 fallback proxy counted in the minutes');
  check(/Votants par correspondance \(absents\) : 2\./.test(html), 'the attendance annex counts C and D as mail-in voters');
  check(/<td>par correspondance<\/td><td>[^<]*\(procuration de repli\)/.test(html), 'the annex: « par correspondance », the fallback holder');
  const v1 = exportAndVerify(data, id);
  eq([v1.exported, v1.status], [0, 0], `the ANIMT record verifies: ${v1.out.slice(0, 400)}`);

  // The record tampered with by the strongest insider (re-chained,
  // re-signed): each change refused with its message.
  const recFile = path.join(data, 'record.jsonl');
  const lines = fs.readFileSync(recFile, 'utf8').split('\n').filter((l) => l);
  const rewrite = (what, f) => rewriteRecord({ data, meeting: id, lines, file: recFile }, what, f);
  const first = (x) => (x.stdout + x.stderr).trim().split('\n')[0];
  const mailBallot = (e) => e.find((x) => x.kind === 'mailin.ballot').payload;
  let bad = rewrite('same', () => {});
  eq(bad.status, 0, 'a re-chained copy verifies: ' + first(bad));
  bad = rewrite('offagenda', (e) => { mailBallot(e).qid = 'q3'; });
  check(bad.status === 1 && /question q3 not published for mail-in/.test(bad.stdout),
    'a mail-in ballot on a motion added on the day fails: ' + first(bad));
  bad = rewrite('late', (e) => { const c = e.find((x) => x.kind === 'mailin.opened').payload.closes_at; mailBallot(e).ts = c + 1; });
  check(bad.status === 1 && /outside the mail-in window \(ts \d+, closes_at \d+\)/.test(bad.stdout),
    'a mail-in ballot after closes_at fails: ' + first(bad));
  bad = rewrite('fallbacksig', (e) => { const p = e.find((x) => x.kind === 'mailin.fallback').payload;
    p.sig = (p.sig[0] === '0' ? '1' : '0') + p.sig.slice(1); });
  check(bad.status === 1 && /fallback proxy signature invalid/.test(bad.stdout), 'a forged fallback signature fails: ' + first(bad));
  bad = rewrite('relabel', (e) => { e.find((x) => x.kind === 'question.opened' && x.payload.qid === 'q2').payload.label += ' (modifiée)'; });
  check(bad.status === 1 && /question q2: opened otherwise than published for mail-in \(label\)/.test(bad.stdout),
    'a published motion opened with another title fails: ' + first(bad));
  // H casts C's voice on q3 although the engine put it over H's cap.
  bad = rewrite('overcap', (e) => {
    const k = e.findIndex((x) => x.kind === 'ballot' && x.payload.qid === 'q3');
    const body = openStatement(id, { n: 3 }, 'q3', Cm.pk, H.pk, [1, 0, 0]);
    const sg = S.crypto_sign_detached(body, H.sk);
    e.splice(k + 1, 0, { ...e[k], payload: { qid: 'q3', body: hex(body), sig: hex(sg), receipt: hex(C.H256('receipt', body, sg)) } });
  });
  check(bad.status === 1 && /fallback proxy not accepted by the statutes engine on this question/.test(bad.stdout),
    'a fallback ballot over the holder\'s cap fails: ' + first(bad));

  // Espace+ (art. 4): no mail-in vote.
  const idE = 'ag-espace';
  run(['meeting', 'create', '--id', idE, '--title', 'AG Espace+', '--date', MEETING_DATE,
    '--time', '18:00', '--quorum', 'none', '--profile', 'ballot-formats/profiles/espace-plus.yaml', '--body', 'ag', '--trustees', '2', '--threshold', '2']);
  const c = cli(['meeting', 'mailin-open', idE, '--closes-at', String(now() + 900), '--data', data]);
  check(c.status !== 0 && /art\. 4/.test(c.stderr + c.stdout), `the CLI refuses with the article: ${c.stderr}`);
  await refused('/mailin/fallback', fallback(idE, V[0], V[1].pk), 409, 'mailin_not_allowed', 'Espace+: no mail-in vote',
    { mid: idE, article: '4' });
  eq(count('mailin.opened', idE), 0, 'Espace+: no window');
} finally {
  srv.stop();
}

// APROGEMERE: no fallback, the quorum counts the mail-in voters.
const idP = 'ag-aprog';
const agendaP = path.join(dataP, 'agenda.json');
fs.writeFileSync(agendaP, JSON.stringify({ questions: [
  { id: 'r1', title: 'Résolution', kind: 'motion', rule: 'resolution', secret: false }] }));
runP(['meeting', 'create', '--id', idP, '--title', 'AG APROGEMERE', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/aprogemere.yaml', '--body', 'ag', '--agenda', agendaP,
  '--trustees', '2', '--threshold', '2', '--president-member', 'M0001']);
runP(['meeting', 'convene', idP]);
const mP = enrolMeeting(dataP, idP, N);
const P = mP.voters;
const baseP = `/api/v1/meetings/${idP}`;
const srvP = await startServer({ data: dataP, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const postP = (p, body, token) => api(srvP, 'POST', `${baseP}${p}`, body, token);
  const countP = (kind) => +sqlite(path.join(dataP, 'roll.db'), `SELECT count(*) FROM events WHERE meeting = '${idP}' AND kind = '${kind}'`);
  eq((await postP('/mailin/open', { closes_at: now() + 900 }, mP.modToken)).status, 200, 'APROGEMERE: the window opens');
  let r = await postP('/mailin/fallback', fallback(idP, P[1], P[2].pk));
  eq([r.status, r.json.error?.code, r.json.error?.article], [409, 'mailin_no_fallback', 'II'], 'APROGEMERE: no fallback proxy (art. II)');
  eq(countP('mailin.fallback'), 0, 'APROGEMERE: nothing written');
  const qP = (await api(srvP, 'GET', baseP)).json.questions[0];
  for (const v of [P[1], P[2]])
    eq((await postP('/mailin/ballots', openBallot(mP, qP, 'r1', v, [1, 0, 0]))).status, 200, `APROGEMERE: ${v.no} votes by mail`);
  eq((await postP('/start', {}, mP.modToken)).status, 200, 'APROGEMERE: AG started');
  eq((await postP('/attendance', attend(mP, P[0], 'check-in', 'present'))).status, 200, 'the president present');
  // An amendment voted before its motion (APROGEMERE: before_motion)
  // would change the text the mail-in voters voted on: refused for a
  // published motion, with what to do, and nothing stored.
  r = await postP('/questions/r1/amendments', { text: 'Remplacer « 2026 » par « 2027 ».', proposer: P[0].no }, mP.modToken);
  eq([r.status, r.json.error?.code], [409, 'mailin_amend'], `APROGEMERE: a published motion is not amended (${r.text.slice(0, 120)})`);
  check(/publiée pour le vote par correspondance.*Mettez-la aux voix telle quelle/.test(r.json.error?.fr ?? ''), 'the refusal says what to do');
  eq((await api(srvP, 'GET', baseP)).json.questions.length, 1, 'no amendment stored');
  const quorum = (await api(srvP, 'GET', baseP)).json.attendance?.quorum;
  eq([quorum?.voices?.mail_in, quorum?.counted], [2, 3], `APROGEMERE: the quorum counts the two mail-in voters (${JSON.stringify(quorum)})`);
  eq((await postP('/questions/r1/open', {}, mP.modToken)).status, 200, 'r1 opened');
  eq((await postP('/ballots', openBallot(mP, qP, 'r1', P[0], [0, 1, 0]))).status, 200, 'the president votes in the room');
  eq((await postP('/questions/r1/close', {}, mP.modToken)).json.ballots, 3, 'r1: two mail-in ballots and one in the room');
  eq((await postP('/end', {}, mP.modToken)).status, 200, 'APROGEMERE: AG ended');
  const v2 = exportAndVerify(dataP, idP);
  eq([v2.exported, v2.status], [0, 0], `the APROGEMERE record verifies: ${v2.out.slice(0, 400)}`);
} finally {
  srvP.stop();
}
done('mailin');
