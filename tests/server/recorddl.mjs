// recorddl.mjs — the public record downloaded from the API (GET
// …/record, docs/api.md "Public record"): public, read-only (no event is
// written by a GET, not even the checkpoint an export adds), served up to
// the last checkpoint at which the record is complete, so that the file
// verifies with build/scrutin-verify at every stage of a meeting: after
// convocation, during a live question (the checkpoint before it opened),
// after a close awaiting its decryption, after each result, after the
// end (then the same bytes as `scrutin record export`, and with the
// signed minutes). A record larger than several of the pages the
// privileged process answers (128 KiB) is served whole; its ETag is its
// head (304 on If-None-Match); an unknown meeting is a JSON 404. Every cut
// of the final record at a checkpoint verifies exactly when no question
// it opened is left without result: the rule the server serves by.
import { check, eq, done, startServer, tmpDir, sqlite, cli, request } from './lib.mjs';
import { C, api, ceremony, decrypt, secretBallot, openBallot, attend, setupMeeting, hex, unhex } from './meeting-lib.mjs';
import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';

const N = 80;
const data = tmpDir('recorddl');
const m = setupMeeting(data, { members: N, agenda: { questions: [
  { id: 'q1', title: 'Motion secrète', kind: 'motion', rule: 'ordinary', secret: true },
  { id: 'q2', title: 'Motion à main levée', kind: 'motion', rule: 'ordinary', secret: false },
  { id: 'e1', title: 'Élection', kind: 'election', rule: 'ca', secret: true, seats: 1,
    candidates: [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }, { member: 'M0003', name: 'Trois' }] },
] } });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = `/api/v1/meetings/${m.id}`;
const roll = path.join(data, 'roll.db');
const evCount = () => sqlite(roll, 'SELECT count(*), coalesce(max(mseq), -1) FROM events');
const stored = () => sqlite(roll, `SELECT line FROM events WHERE meeting = '${m.id}' ORDER BY mseq`).split('\n');
const kinds = (text) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l).kind);
let n = 0;

// GET …/record, checked: nothing written, the headers, the bytes a
// prefix of the stored record ending with a checkpoint, verified.
async function download(what) {
  const before = evCount();
  const r = await request(srv, 'GET', `${base}/record`);
  eq(r.status, 200, `${what}: 200 ${r.text.slice(0, 200)}`);
  eq(evCount(), before, `${what}: the GET writes nothing`);
  eq(r.headers['content-type'], 'application/x-ndjson; charset=utf-8', `${what}: content type`);
  eq(r.headers['content-disposition'], `attachment; filename="${m.id}-registre.jsonl"`, `${what}: a download, named`);
  eq(r.headers['cache-control'], 'no-cache', `${what}: revalidated, never a stale copy`);
  eq(+r.headers['content-length'], Buffer.byteLength(r.text), `${what}: the whole body`);
  const lines = r.text.split('\n');
  eq(lines.pop(), '', `${what}: ends with a newline`);
  const last = lines[lines.length - 1];
  eq(JSON.parse(last).kind, 'checkpoint', `${what}: ends with a checkpoint`);
  const head = hex(C.H256('event', C.utf8(last)));
  eq([r.headers.etag, r.headers['x-scrutin-head']], [`"${head}"`, head], `${what}: ETag and X-Scrutin-Head are the head`);
  eq(lines, stored().slice(0, lines.length), `${what}: the stored record's first ${lines.length} lines`);
  const f = path.join(data, `dl-${++n}.jsonl`);
  fs.writeFileSync(f, r.text);
  const v = spawnSync('build/scrutin-verify', ['--quiet', f], { encoding: 'utf8' });
  eq(v.status, 0, `${what}: scrutin-verify accepts it: ${v.stdout}${v.stderr}`);
  return { text: r.text, head, file: f, kinds: kinds(r.text) };
}

try {
  // --- errors ---
  let r = await request(srv, 'GET', '/api/v1/meetings/nope/record');
  eq([r.status, r.json?.error?.code], [404, 'meeting_unknown'], 'an unknown meeting: JSON 404');
  check(typeof r.json.error.fr === 'string' && typeof r.json.error.en === 'string', 'the error in French and English');
  eq((await request(srv, 'POST', `${base}/record`, { json: {} })).status, 405, 'POST: method not allowed');

  // --- convened: the meeting and its credentials, signed ---
  let d = await download('convened');
  eq(d.kinds.filter((k) => k === 'credential.issued').length, N, 'every credential issued is in it');
  eq(d.text.split('\n').filter(Boolean).length, stored().length, 'the whole stored record (it ends with a checkpoint)');

  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  d = await download('started');
  check(d.kinds.includes('ceremony.done') && d.kinds.includes('meeting.started'), 'the ceremony and the start, checkpointed');
  for (const v of m.voters) eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, 'check-in');

  // --- a live question: up to the checkpoint written before it opened ---
  const view = (await api(srv, 'GET', base)).json;
  const q = (id) => view.questions.find((x) => x.id === id);
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.status, 'open', 'open q1');
  for (const [i, v] of m.voters.entries()) {
    const sel = [0, 0, 0]; sel[i % 3] = 1;
    eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q('q1'), 'q1', v, sel))).status, 200, `q1 ballot ${i}`);
  }
  // A record event chains the ballots accepted so far (then more).
  eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[0], 'check-out'))).status, 200, 'a check-out during the vote');
  const live = await download('q1 open');
  check(!live.kinds.includes('question.opened') && !live.kinds.includes('ballot'), 'q1 and its ballots not yet in it');
  check(stored().some((l) => JSON.parse(l).kind === 'ballot'), 'while the stored record already chains q1 ballots');
  r = await request(srv, 'GET', `${base}/record`, { headers: { 'if-none-match': `"${live.head}"` } });
  eq([r.status, r.text, r.headers.etag], [304, '', `"${live.head}"`], 'If-None-Match the head: 304, no body');
  r = await request(srv, 'GET', `${base}/record`, { headers: { 'if-none-match': `"${'0'.repeat(64)}"` } });
  eq(r.status, 200, 'another ETag: 200');

  // --- closed, awaiting the decryption: the close's checkpoint does not end a record that verifies ---
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).json.status, 'closed', 'close q1');
  check(stored().some((l) => JSON.parse(l).kind === 'question.closed'), 'the close is stored, checkpointed');
  d = await download('q1 closed');
  eq(d.head, live.head, 'still the cut before q1 opened');

  // --- counted ---
  await decrypt(srv, m, cer, 'q1');
  const counted = await download('q1 counted');
  check(counted.kinds.includes('result') && counted.head !== live.head, 'the result, a new head');
  eq(counted.kinds.filter((k) => k === 'ballot').length, N, 'every q1 ballot');
  r = await request(srv, 'GET', `${base}/record`, { headers: { 'if-none-match': `"${live.head}"` } });
  eq(r.status, 200, 'the old ETag: 200 (the record grew)');

  // --- a show of hands, an election, the end ---
  eq((await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken)).json.status, 'open', 'open q2');
  for (const [i, v] of m.voters.slice(1).entries())
    eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q('q2'), 'q2', v, [i % 2, 1 - (i % 2), 0]))).status, 200, `q2 ballot ${i}`);
  eq((await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken)).json.status, 'closed', 'close q2');
  const e1 = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'e1');
  eq((await api(srv, 'POST', `${base}/questions/e1/open`, {}, m.modToken)).json.status, 'open', 'open e1');
  for (const [i, v] of m.voters.slice(1).entries()) {
    const sel = new Array(e1.n).fill(0); sel[i % 3] = 1;
    eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, e1, 'e1', v, sel))).status, 200, `e1 ballot ${i}`);
  }
  eq((await api(srv, 'POST', `${base}/questions/e1/close`, {}, m.modToken)).json.status, 'closed', 'close e1');
  await decrypt(srv, m, cer, 'e1');
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).json.status, 'closed', 'end');
  const end = await download('ended');
  eq(end.kinds.slice(-2), ['meeting.ended', 'checkpoint'], 'the end, checkpointed');
  check(end.text.length > 2 * 128 * 1024, `larger than two pages of the privileged process (${end.text.length} bytes)`);

  // The CLI's export adds nothing to a record that ends with a checkpoint: the same bytes.
  const before = evCount();
  const exp = cli(['record', 'export', m.id, '--data', data]);
  eq([exp.status, evCount()], [0, before], 'scrutin record export: nothing to add');
  eq(exp.stdout, end.text, 'the download is the export, byte for byte');

  // --- the minutes signed over the downloaded record's head ---
  r = await request(srv, 'GET', `${base}/minutes`);
  eq([r.status, r.headers['x-scrutin-head']], [200, end.head], 'the minutes cite the downloaded head');
  const html = Buffer.from(r.text, 'utf8');
  const sha = new Uint8Array(crypto.createHash('sha256').update(html).digest());
  for (const t of cer.trustees)
    eq((await api(srv, 'POST', `${base}/minutes/signatures`, { index: t.j, head: end.head,
      sig: hex(C.signStatement('minutes', [unhex(end.head), sha], t.id.privateKey).sig) })).status, 200, `scrutineer ${t.j} signs`);
  const sigs = await request(srv, 'GET', `${base}/minutes/signatures`);
  const after = await download('signed');
  eq(after.text, end.text, 'the signatures are not in the record: the same file');
  const pv = path.join(data, 'pv.html'), sf = path.join(data, 'pv.sig');
  fs.writeFileSync(pv, html); fs.writeFileSync(sf, sigs.text);
  const v = spawnSync('build/scrutin-verify', ['--quiet', '--minutes', pv, '--signatures', sf, after.file], { encoding: 'utf8' });
  check(v.status === 0 && v.stdout.includes('Procès-verbal signé par 2 scrutateurs sur 2.'),
    'scrutin-verify --minutes --signatures on the downloaded record: ' + v.stdout + v.stderr);

  // --- every checkpoint of the record: a cut verifies iff no question is left without result ---
  const lines = end.text.split('\n').filter(Boolean);
  let cuts = 0, refused = 0;
  for (let i = 0; i < lines.length; i++) {
    const e = JSON.parse(lines[i]);
    if (e.kind !== 'checkpoint') continue;
    const upto = lines.slice(0, i + 1).map((l) => JSON.parse(l));
    const opened = upto.filter((x) => x.kind === 'question.opened').map((x) => x.payload.qid);
    const done_ = new Set(upto.filter((x) => x.kind === 'result').map((x) => x.payload.qid));
    const complete = opened.every((qid) => done_.has(qid));
    const f = path.join(data, 'cut.jsonl');
    fs.writeFileSync(f, lines.slice(0, i + 1).join('\n') + '\n');
    const cv = spawnSync('build/scrutin-verify', ['--quiet', '--lang', 'en', f], { encoding: 'utf8' });
    eq(cv.status === 0, complete, `the cut at checkpoint ${i}: ${complete ? 'verifies' : 'refused'}: ${cv.stdout}${cv.stderr}`);
    cuts++;
    if (!complete) refused++;
  }
  check(cuts >= 8 && refused >= 2, `${cuts} cuts, ${refused} of them incomplete (at a close)`);
} finally {
  await srv.stop();
}
done('recorddl.mjs');
