// meeting.mjs — a whole meeting over real HTTPS on loopback: 200 members,
// the scrutineers' ceremony, a secret motion with ballots made by the
// browser's crypto code, an election, a show-of-hands motion, the signed
// results equal to the plain counts, live events, and every refusal path
// (each changes nothing). The exported public record holds all three
// questions: scrutin-verify gives a verdict for each, and fails when the
// server itself rewrites the election's result or a show-of-hands vote.
import { check, eq, done, startServer, tmpDir, sqlite, cli, request } from './lib.mjs';
import { C, S, api, ceremony, decrypt, secretBallot, openBallot, attend, setupMeeting, liveEvents, hex, unhex, rewriteRecord, qdigestOf } from './meeting-lib.mjs';
import https from 'node:https';
import path from 'node:path';
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

const data = tmpDir('meeting');
const m = setupMeeting(data, { members: 200 });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = `/api/v1/meetings/${m.id}`;
const boxCount = () => +sqlite(path.join(data, 'box.db'), 'SELECT count(*) FROM ballots');
const evCount = () => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM events');

try {
  // --- live events: a stream open from the start ---
  const events = [];
  const sse = liveEvents(srv, `${base}/events`, events,
    (res) => eq(res.headers['content-type'], 'text/event-stream', 'SSE content type'));

  // --- meeting view, roles ---
  let r = await api(srv, 'GET', base);
  eq(r.status, 200, 'view');
  eq(r.json.status, 'convened', 'convened');
  eq(r.json.attendance.voters, 200, '200 voters on the frozen roll');
  eq((await api(srv, 'GET', '/api/v1/meetings/nope')).json.error.code, 'meeting_unknown', 'unknown meeting');
  eq((await api(srv, 'GET', `${base}/whoami`)).status, 401, 'no token: 401');
  eq((await api(srv, 'GET', `${base}/whoami`, undefined, 'A'.repeat(43))).status, 401, 'wrong token: 401');
  eq((await api(srv, 'GET', `${base}/whoami`, undefined, m.enrol[0])).status, 401, 'scrutineer token is not a moderator');
  eq((await api(srv, 'GET', `${base}/whoami`, undefined, m.modToken)).json.role, 'moderator', 'moderator token');
  let ev0 = evCount();
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {})).status, 401, 'open without token');
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.error.code, 'wrong_phase',
    'a secret question needs the election key');
  eq(evCount(), ev0, 'refusals record nothing');

  // --- ceremony ---
  r = await api(srv, 'POST', `${base}/trustees/enrol`, { index: 1, id_pk: '00'.repeat(32), box_pk: '00'.repeat(32), sig: '00'.repeat(64) }, m.enrol[0]);
  eq(r.json.error.code, 'bad_signature', 'enrolment with a bad signature');
  const cer = await ceremony(srv, m);
  r = await api(srv, 'GET', base);
  eq(r.json.election.status, 'done', 'ceremony done');
  eq(r.json.election.y, hex(cer.y), 'election key published');
  const yExpected = cer.trustees.reduce((acc, t) => C.pointAdd(acc, t.C[0]), new Uint8Array(32));
  eq(hex(cer.y), hex(yExpected), 'Y = Σ C_i0');
  eq((await api(srv, 'POST', `${base}/trustees/enrol`, { index: 1, id_pk: '00'.repeat(32), box_pk: '00'.repeat(32), sig: '00'.repeat(64) }, m.enrol[0])).status, 401,
    'an enrolment token is single-use');

  // --- attendance ---
  const v = m.voters;
  eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v[0], 'check-in', 'present'))).json.error.code, 'wrong_phase', 'check-in before start');
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  for (let i = 0; i < 60; i++) {
    r = await api(srv, 'POST', `${base}/attendance`, attend(m, v[i], 'check-in', 'present'));
    if (r.status !== 200) throw new Error(r.text);
  }
  const bad = attend(m, v[60], 'check-in', 'present'); bad.sig = bad.sig.replace(/^../, bad.sig.startsWith('00') ? '11' : '00');
  eq((await api(srv, 'POST', `${base}/attendance`, bad)).json.error.code, 'bad_signature', 'check-in bad signature');
  const stale = attend(m, v[60], 'check-in', 'present'); stale.ts -= 10000;
  eq((await api(srv, 'POST', `${base}/attendance`, stale)).json.error.code, 'stale_timestamp', 'stale check-in');
  r = await api(srv, 'POST', `${base}/attendance`, attend(m, v[59], 'check-out'));
  eq(r.json.attendance, 'absent', 'check-out');
  r = await api(srv, 'GET', base);
  eq([r.json.attendance.present, r.json.attendance.remote], [59, 0], 'attendance counts');
  eq(r.json.attendance.quorum.status, 'met', 'quorum met ' + JSON.stringify(r.json.attendance.quorum) + ' (59 of 200, a quarter is 50)');
  eq(r.json.attendance.quorum.required, 50, 'quorum required');
  // The live attendance (coalesced: at most 4 events a second) ends on
  // the counts after the last change.
  for (let t = 0; t < 40 && !events.some((e) => e.name === 'attendance' && e.data.present === 59); t++) await new Promise((res) => setTimeout(res, 100));
  const attEv = events.filter((e) => e.name === 'attendance');
  check(attEv.length > 0 && attEv[attEv.length - 1].data.present === 59 && attEv[attEv.length - 1].data.quorum.status === 'met',
    `the last attendance event has the counts after the last check-out (${attEv.length} events for 62 changes)`);
  // Everyone but v[198] (and the revoked v[199]) checks in before q1
  // opens: a recorded question counts the attendance at its opening.
  for (let i = 59; i < 198; i++) {
    r = await api(srv, 'POST', `${base}/attendance`, attend(m, v[i], 'check-in', 'present'));
    if (r.status !== 200) throw new Error(r.text);
  }
  r = await api(srv, 'GET', base);

  // --- secret motion q1 ---
  const q1 = r.json.questions.find((q) => q.id === 'q1');
  const early = secretBallot(cer, q1, 'q1', v[0], [1, 0, 0]);
  eq((await api(srv, 'POST', `${base}/ballots`, early)).json.error.code, 'wrong_phase', 'ballot before open');
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.status, 'open', 'open q1');
  const plain = [0, 0, 0];
  const receipts = [];
  const jobs = [];
  for (let i = 0; i < 200; i++) {
    const ch = (i * 7) % 3;
    const sel = [0, 0, 0]; sel[ch] = 1; plain[ch]++;
    const b = secretBallot(cer, q1, 'q1', v[i], sel);
    receipts.push(b.receipt);
    jobs.push(b);
  }
  // Refusals before the real ballots (each changes nothing).
  let n0 = boxCount();
  const forged = { ...jobs[0], sig: jobs[0].sig.replace(/^../, jobs[0].sig.startsWith('00') ? '11' : '00') };
  eq((await api(srv, 'POST', `${base}/ballots`, forged)).json.error.code, 'bad_signature', 'bad signature');
  const bodyB = unhex(jobs[0].body); bodyB[200] ^= 1;
  const badProof = { question: 'q1', body: hex(bodyB), sig: hex(S.crypto_sign_detached(bodyB, v[0].sk)) };
  r = await api(srv, 'POST', `${base}/ballots`, badProof);
  check(['bad_proof', 'bad_ballot'].includes(r.json.error.code), `altered proof refused (${r.json.error.code})`);
  eq((await api(srv, 'POST', `${base}/ballots`, { ...jobs[0], question: 'e1' })).status, 409, 'ballot for another (pending) question');
  const otherQ = secretBallot(cer, { n: 4, min: 1, max: 1 }, 'e1', v[0], [1, 0, 0, 0]);
  eq((await api(srv, 'POST', `${base}/ballots`, { ...otherQ, question: 'q1' })).json.error.code, 'wrong_question', 'body of another question');
  eq((await api(srv, 'POST', `${base}/ballots`, { question: 'q1', body: 'zz', sig: jobs[0].sig })).json.error.code, 'invalid_field', 'bad hex');
  eq((await api(srv, 'POST', `${base}/ballots`, { question: 'q1', body: jobs[0].body, sig: jobs[0].sig, extra: 1 })).json.error.code, 'unknown_field', 'unknown field');
  r = await request(srv, 'POST', `${base}/ballots`, { body: '{"question": "q1",', headers: { 'content-type': 'application/json' } });
  eq(r.json.error.code, 'malformed_json', 'malformed JSON');
  r = await request(srv, 'POST', `${base}/ballots`, { body: '{"question":"q1","body":"' + 'a'.repeat(61500) + '"}', headers: { 'content-type': 'application/json' }, agent: new https.Agent({ ca: srv.ca }) });
  eq(r.status, 413, 'oversized ballot body');
  const stranger = { pk: S.crypto_sign_keypair().publicKey };
  const kp = S.crypto_sign_keypair();
  const foreign = secretBallot(cer, q1, 'q1', { pk: kp.publicKey, sk: kp.privateKey }, [1, 0, 0]);
  eq((await api(srv, 'POST', `${base}/ballots`, foreign)).json.error.code, 'credential_unknown', 'unknown credential');
  eq(boxCount(), n0, 'refused ballots are not in the box');
  void stranger;
  // Revoked credential.
  check(cli(['cred', 'revoke', '--data', data, '--meeting', m.id, '--member', v[199].no, '--reason', 'perdu']).status === 0, 'revoke');
  eq((await api(srv, 'POST', `${base}/ballots`, jobs[199])).json.error.code, 'credential_revoked', 'revoked credential');
  plain[(199 * 7) % 3]--;
  jobs.pop(); receipts.pop();
  // Not checked in when q1 opened: refused (docs/record.md §7 counts the
  // attendance at the opening), even after a late check-in.
  eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v[198], 'check-in', 'present'))).status, 200, 'late check-in');
  eq((await api(srv, 'POST', `${base}/ballots`, jobs[198])).json.error.code, 'not_present', 'not present at the opening');
  plain[(198 * 7) % 3]--;
  jobs.pop(); receipts.pop();
  const NB = jobs.length;
  // The real ballots, 8 at a time.
  const acks = [];
  for (let i = 0; i < jobs.length; i += 8) {
    const rs = await Promise.all(jobs.slice(i, i + 8).map((b) => api(srv, 'POST', `${base}/ballots`, b, undefined, new https.Agent({ ca: srv.ca, keepAlive: false }))));
    for (const x of rs) { if (x.status !== 200) throw new Error(x.text); acks.push(x.json); }
  }
  eq(acks.map((a) => a.receipt), receipts, 'receipts = H256("receipt", body, sig)');
  const srvKey = unhex((await api(srv, 'GET', '/api/v1/status')).json.server_key);
  check(acks.every((a, i) => C.verifyStatement('ballot-received', [m.id, 'q1', unhex(receipts[i]), C.le64(a.at)], unhex(a.server_sig), srvKey)),
    'every acknowledgement is signed by the server');
  eq((await api(srv, 'POST', `${base}/ballots`, jobs[5])).json.receipt, receipts[5], 'the same ballot again: same receipt');
  const again = secretBallot(cer, q1, 'q1', v[5], [0, 1, 0]);
  eq((await api(srv, 'POST', `${base}/ballots`, again)).json.error.code, 'already_voted', 'double vote');
  eq(boxCount(), NB, 'every acknowledged ballot in the box');
  r = await api(srv, 'GET', `${base}/receipts/${receipts[10]}`);
  eq([r.json.question, r.json.position > 0], ['q1', true], 'receipt lookup');
  eq((await api(srv, 'GET', `${base}/receipts/${'ab'.repeat(32)}`)).json.error.code, 'receipt_unknown', 'unknown receipt');
  r = await api(srv, 'GET', `${base}/voters/${hex(v[3].pk)}`);
  eq([r.json.attendance, r.json.voted.q1], ['present', receipts[3]], 'voter standing');
  await new Promise((res) => setTimeout(res, 400));
  const openEv = events.find((e) => e.name === 'question_open' && e.data.id === 'q1');
  check(openEv !== undefined, 'question_open reached the live stream');
  // How fast phones learn of an opening is measured by the benchmark
  // (make bench: 2,000 streams); here this process builds 200 ballots
  // right after the opening, so its own clock says nothing of the server.
  check(events.some((e) => e.name === 'participation' && e.data.id === 'q1'), 'participation events');
  check(!events.some((e) => e.name === 'participation' && 'counts' in e.data), 'never partial results');
  // Close, decrypt, count.
  r = await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken);
  eq([r.json.status, r.json.ballots], ['closed', NB], 'close q1');
  eq((await api(srv, 'POST', `${base}/ballots`, jobs[0])).json.error.code, 'wrong_phase', 'ballot after close');
  eq((await api(srv, 'GET', `${base}/questions/q1/result`)).status, 404, 'no result before decryption');
  const box = (await api(srv, 'GET', `${base}/questions/q1/ballots`)).json;
  eq(box.count, NB, 'public ballot box');
  check(box.ballots.every((b) => C.verifyBallot({ body: unhex(b.body), sig: unhex(b.sig), eid: cer.eid, qid: 'q1', n: 3, min: 1, max: 1, y: cer.y,
    qdigest: qdigestOf(null, m.id, 'q1') }).ok),
    'every ballot of the public box verifies in the browser code');
  let d = await decrypt(srv, m, cer, 'q1', [1]);
  eq(d.json.missing, 1, 'one more trustee needed');
  d = await decrypt(srv, m, cer, 'q1', [2]);
  eq(d.json.missing, 0, 'enough trustees');
  r = await api(srv, 'GET', `${base}/questions/q1/result`);
  eq(r.json.counts, plain, 'published result = plain count');
  eq(r.json.ballots, NB, 'ballots counted');
  eq(r.json.outcome, plain[0] > plain[1] ? 'adopted' : 'rejected', 'outcome under the statutes ' + JSON.stringify(r.json.quorum));
  check(r.json.sentence.length > 0, 'French sentence');
  const cnt = C.concat(...r.json.counts.map((x) => C.le64(x)));
  check(C.verifyStatement('result', [m.id, 'q1', C.le64(NB), cnt, r.json.outcome, new Uint8Array(0)], unhex(r.json.server_sig), srvKey),
    'result signed by the server');
  eq((await decrypt(srv, m, cer, 'q1', [1]).catch((e) => e.message)).slice(0, 8), 'dshares:', 'shares after the count are refused');

  // --- election e1 (50 voters) ---
  eq((await api(srv, 'POST', `${base}/questions/e1/open`, { closes_at: Math.floor(Date.now() / 1000) + 3600 }, m.modToken)).json.status, 'open', 'open e1 (window)');
  const e1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'e1');
  eq(e1.closes_at > 0, true, 'window end published');
  const eplain = [0, 0, 0, 0];
  for (let i = 0; i < 50; i++) {
    const ch = [0, 0, 1, 1, 1, 2, 3][i % 7];
    const sel = [0, 0, 0, 0]; sel[ch] = 1; eplain[ch]++;
    r = await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, e1, 'e1', v[i], sel));
    if (r.status !== 200) throw new Error(r.text);
  }
  await api(srv, 'POST', `${base}/questions/e1/close`, {}, m.modToken);
  await decrypt(srv, m, cer, 'e1');
  r = await api(srv, 'GET', `${base}/questions/e1/result`);
  eq(r.json.counts, eplain, 'election result = plain count');
  eq(r.json.elected, [eplain.indexOf(Math.max(...eplain.slice(0, 3)))], 'the most voted candidate is elected ' + r.json.outcome + ' ' + r.json.sentence + JSON.stringify(r.json.quorum));

  // --- show of hands q2 ---
  await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken);
  const q2 = { n: 3, min: 1, max: 1 };
  for (let i = 0; i < 10; i++) {
    const sel = [0, 0, 0]; sel[i % 3] = 1;
    r = await api(srv, 'POST', `${base}/ballots`, openBallot(m, q2, 'q2', v[i], sel));
    if (r.status !== 200) throw new Error(r.text);
  }
  eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q2, 'q2', v[20], [1, 1, 0]))).json.error.code, 'invalid_field', 'open ballot outside [min, max]');
  eq((await api(srv, 'POST', `${base}/ballots`, { ...jobs[30], question: 'q2' })).json.error.code, 'wrong_question', 'secret form on an open question');
  await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken);
  r = await api(srv, 'GET', `${base}/questions/q2/result`);
  eq(r.json.counts, [4, 3, 3], 'show of hands counted at close');
  r = await api(srv, 'GET', `${base}/questions/q2/ballots`);
  eq(r.json.ballots[0].selection, [1, 0, 0], 'open ballots are public by name');

  // --- the moderator adds a late question; end ---
  r = await api(srv, 'POST', `${base}/questions`, { id: 'q3', title: 'Amendement', kind: 'motion', rule: 'ordinary', secret: true }, m.modToken);
  eq(r.json.status, 'pending', 'question added');
  eq((await api(srv, 'POST', `${base}/questions`, { id: 'q3', title: 'x', kind: 'motion', rule: 'ordinary', secret: true }, m.modToken)).json.error.code, 'already_done', 'duplicate question id');
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).json.status, 'closed', 'end');
  await new Promise((res) => setTimeout(res, 300));
  check(events.some((e) => e.name === 'result' && e.data.id === 'q1'), 'result event');
  sse.destroy();

  // --- record export, integrity: every question verified ---
  const rec = cli(['record', 'export', m.id, '--data', data]);
  eq(rec.status, 0, 'record export');
  const lines = rec.stdout.split('\n').slice(0, -1);
  // The record holds every question (the secret motion, the election
  // with its blank choice, the show of hands) and every ballot, in
  // acceptance order.
  const recEvents = lines.map((l) => JSON.parse(l));
  const allBallots = recEvents.filter((e) => e.kind === 'ballot');
  eq(allBallots.length, NB + 50 + 10, 'every ballot of q1, e1 and q2 in the record');
  eq(allBallots.map((e) => e.payload.receipt).join('\n'),
    sqlite(path.join(data, 'box.db'), "SELECT lower(hex(receipt)) FROM ballots ORDER BY id"), 'all ballots in box order');
  const recBallots = allBallots.filter((e) => e.payload.qid === 'q1');
  eq(recBallots.length, NB, 'every ballot of q1 in the record');
  eq([...recBallots.map((e) => e.payload.receipt)].sort(), [...receipts].sort(), 'the record holds exactly the acknowledged ballots');
  eq(recBallots.map((e) => e.payload.receipt).join('\n'),
    sqlite(path.join(data, 'box.db'), "SELECT lower(hex(receipt)) FROM ballots WHERE qid = 'q1' ORDER BY id"), 'ballots in acceptance (box) order');
  const ev0r = JSON.parse(lines[0]);
  eq([ev0r.kind, ev0r.payload.meeting_id, ev0r.payload.profile.text],
    ['meeting', m.id, fs.readFileSync('ballot-formats/profiles/a-imi.yaml', 'utf8')], 'meeting event with the profile verbatim');
  eq(JSON.parse(lines[lines.length - 1]).kind, 'checkpoint', 'the record ends with a checkpoint');
  const kinds = new Set(lines.map((l) => JSON.parse(l).kind));
  for (const k of ['credential.issued', 'roll.frozen', 'credential.revoked', 'ceremony.trustees', 'ceremony.commit',
    'ceremony.reveal', 'ceremony.shares', 'ceremony.key_share', 'ceremony.done', 'checkin', 'checkout',
    'question.opened', 'question.closed', 'decryption.share', 'result'])
    check(kinds.has(k), `record has ${k}`);
  const recFile = path.join(data, 'record.jsonl');
  fs.writeFileSync(recFile, rec.stdout);
  const opened = recEvents.filter((e) => e.kind === 'question.opened');
  eq(opened.map((e) => e.payload.qid), ['q1', 'e1', 'q2'], 'every question of the meeting is in the record');
  const e1o = opened[1].payload, q2o = opened[2].payload;
  eq([e1o.secret, e1o.choices.length, e1o.choices[3], e1o.min, e1o.max, e1o.seats],
    [true, 4, { id: 'blanc', label: 'Vote blanc', blank: true }, 1, 1, 1], 'the election with its blank choice');
  eq(e1o.choices.slice(0, 3).map((c) => c.member), ['M0001', 'M0002', 'M0003'].map((no) => hex(v.find((x) => x.no === no).pk)),
    'each candidate named by their credential');
  eq([q2o.secret, q2o.kind], [false, 'motion'], 'the show of hands: an open question');
  eq(recEvents.filter((e) => e.kind === 'question.closed' && e.payload.qid === 'q2').map((e) => [e.payload.counted, 'totals' in e.payload]),
    [[10, false]], 'the show of hands closes without totals');
  check(!recEvents.some((e) => e.kind === 'decryption.share' && e.payload.qid === 'q2'), 'no decryption share for the show of hands');
  const ver = spawnSync('build/scrutin-verify', ['--quiet', recFile], { encoding: 'utf8' });
  eq(ver.status, 0, 'scrutin-verify accepts the record: ' + ver.stdout + ver.stderr);
  const verdicts = ver.stdout.split('\n').filter((l) => l.startsWith('Question '));
  eq(verdicts.map((l) => l.split(' ')[1]), ['q1', 'e1', 'q2'], 'a verdict for every question: ' + verdicts.join(' | '));
  check(verdicts.every((l) => / : vérifiée — /.test(l)), 'every question verified');
  for (const [qid, counts] of [['q1', plain], ['e1', eplain], ['q2', [4, 3, 3]]]) {
    const pub = (await api(srv, 'GET', `${base}/questions/${qid}/result`)).json;
    const line = verdicts.find((l) => l.startsWith(`Question ${qid} `));
    check(line.includes(pub.sentence), `the verifier recomputes the published sentence of ${qid}`);
    check(line.includes(`issue : ${pub.outcome})`), `the verifier recomputes the outcome of ${qid} (${pub.outcome})`);
    eq(line.match(/\(([^()]*) ; \d+ bulletins comptés/)[1].split(', ').map((x) => +x.split(' ').pop()), counts, `the verifier's counts of ${qid}`);
  }
  check(/Question e1 .*Vote blanc \d+ ; 50 bulletins comptés/.test(ver.stdout), 'the blank votes counted in the election');
  check(/Question q2 .*10 bulletins comptés à main levée/.test(ver.stdout), 'the show of hands verified');
  const r1 = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  check(ver.stdout.includes(r1.sentence), 'the verifier recomputes the published sentence');
  const rc = spawnSync('build/scrutin-verify', ['--quiet', '--receipt', receipts[7], recFile], { encoding: 'utf8' });
  eq(rc.status, 0, 'a voter finds their receipt with the verifier');
  // One byte of one ballot changed: the record fails.
  const bl = lines.findIndex((l) => l.includes('"kind":"ballot"')) + 20;
  const tl = lines.slice();
  const at = tl[bl].indexOf('"body":"') + 8 + 300;
  tl[bl] = tl[bl].slice(0, at) + (tl[bl][at] === '0' ? '1' : '0') + tl[bl].slice(at + 1);
  fs.writeFileSync(recFile + '.bad', tl.join('\n') + '\n');
  const bad1 = spawnSync('build/scrutin-verify', ['--quiet', '--lang', 'en', recFile + '.bad'], { encoding: 'utf8' });
  eq(bad1.status, 1, 'a tampered ballot byte fails the verifier: ' + (bad1.stdout + bad1.stderr).trim().split('\n')[0]);
  // The strongest insider: the server rewrites events, re-chains and
  // re-signs the record (meeting-lib.mjs rewriteRecord).
  const rewrite = (what, f) => rewriteRecord({ data, meeting: m.id, lines, file: recFile }, what, f);
  const firstLine = (x) => (x.stdout + x.stderr).trim().split('\n')[0];
  let bad2 = rewrite('same', () => {});
  eq(bad2.status, 0, 'a re-chained, re-signed copy still verifies: ' + firstLine(bad2));
  // The election's result with one more blank vote.
  bad2 = rewrite('e1', (evs) => { evs.find((e) => e.kind === 'result' && e.payload.qid === 'e1').payload.counts[3]++; });
  eq(bad2.status, 1, 'a changed blank count in the election result fails the verifier');
  check(/FAIL: result at seq \d+: question e1: count of choice 4 is \d+, recomputed \d+/.test(bad2.stdout), firstLine(bad2));
  // The election's result with a vote moved between candidates.
  bad2 = rewrite('e1b', (evs) => { const c = evs.find((e) => e.kind === 'result' && e.payload.qid === 'e1').payload.counts; c[0]++; c[1]--; });
  eq(bad2.status, 1, 'a changed election result fails the verifier: ' + firstLine(bad2));
  // A show-of-hands vote changed from pour to contre (its receipt
  // recomputed; the voter's signature cannot be).
  bad2 = rewrite('q2', (evs) => {
    const b = evs.find((e) => e.kind === 'ballot' && e.payload.qid === 'q2').payload;
    // S_open of scrutin/2 ends with frame(selection) || frame(qdigest).
    const sel = b.body.length - 2 * 36 - 6;
    eq(b.body.slice(sel, sel + 6), '010000', 'the first show-of-hands vote is pour');
    b.body = b.body.slice(0, sel) + '000100' + b.body.slice(sel + 6);
    b.receipt = hex(C.H256('receipt', unhex(b.body), unhex(b.sig)));
  });
  eq(bad2.status, 1, 'a changed show-of-hands vote fails the verifier');
  check(/FAIL: ballot at seq \d+: signature invalid/.test(bad2.stdout), firstLine(bad2));
  // The same vote twice.
  bad2 = rewrite('q2dup', (evs) => {
    const k = evs.findIndex((e) => e.kind === 'ballot' && e.payload.qid === 'q2');
    evs.splice(k + 1, 0, JSON.parse(JSON.stringify(evs[k])));
  });
  check(bad2.status === 1 && /duplicate ballot \(same receipt at seq \d+\)/.test(bad2.stdout), 'a duplicated show-of-hands vote fails: ' + firstLine(bad2));
  // The show of hands' result changed.
  bad2 = rewrite('q2res', (evs) => { const c = evs.find((e) => e.kind === 'result' && e.payload.qid === 'q2').payload.counts; c[0]--; c[1]++; });
  check(bad2.status === 1 && /question q2: count of choice 1 is 3, recomputed 4/.test(bad2.stdout), 'a changed show-of-hands result fails: ' + firstLine(bad2));
  // A second export adds nothing but the same record (it already ends with a checkpoint).
  eq(cli(['record', 'export', m.id, '--data', data]).stdout, rec.stdout, 'export is stable');
  eq(sqlite(path.join(data, 'box.db'), 'PRAGMA integrity_check'), 'ok', 'box.db integrity');
  eq(sqlite(path.join(data, 'roll.db'), 'PRAGMA integrity_check'), 'ok', 'roll.db integrity');
} finally {
  await srv.stop();
}
done('meeting.mjs');
