// streams.mjs — the live event streams without a thread each (server/sse.c):
// 300 streams on a server with 16 worker threads all receive an event and
// the network process does not grow a thread; the stream cap refuses the
// next one with 503 unavailable; closed clients are reaped (the count in
// GET /api/v1/status goes back down) and a place frees again; a client
// that stops reading is closed while the others get every event; a client
// that sends bytes on its stream is closed; ?counts=0 (a member's phone)
// skips the participation and attendance events and nothing else; a view
// longer than one message between the processes is served whole (GET and
// snapshot); a stop with streams open is clean.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { BUILD, startServer, tmpDir, check, eq, done, sleep } from './lib.mjs';
import { api, attend, ceremony, setupMeeting } from './meeting-lib.mjs';

const THREADS = 16;
const CAP = 300;
const data = tmpDir('streams');
const m = setupMeeting(data, { members: 5 });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000',
  '--threads', String(THREADS), '--max-streams', String(CAP)] });
const base = `/api/v1/meetings/${m.id}`;
const tasks = () => fs.readdirSync(`/proc/${srv.netPid}/task`).length;
const streams = async () => (await api(srv, 'GET', '/api/v1/status')).json.streams;
async function until(cond, ms, what) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await cond()) return true; await sleep(50); }
  throw new Error(`timed out: ${what}`);
}

// One stream over its own TLS connection: the status line, then events.
function openStream(query = '') {
  return new Promise((resolve, reject) => {
    const s = { events: [], status: 0, body: '', ended: false, sock: null, bytes: 0 };
    let buf = '', head = true;
    const sock = tls.connect({ host: '127.0.0.1', port: srv.port, ca: srv.ca, servername: 'localhost' }, () => {
      sock.write(`GET ${base}/events${query} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n`);
    });
    s.sock = sock;
    sock.setEncoding('utf8');
    sock.on('data', (d) => {
      s.bytes += d.length;
      buf += d;
      if (head) {
        const k = buf.indexOf('\r\n\r\n');
        if (k < 0) return;
        s.status = +buf.slice(9, 12);
        s.headers = buf.slice(0, k);
        buf = buf.slice(k + 4);
        head = false;
        if (s.status !== 200) { s.body = buf; sock.on('end', () => resolve(s)); return; }
      }
      if (s.status !== 200) { s.body += d; return; }
      let k;
      while ((k = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, k); buf = buf.slice(k + 2);
        const ev = {};
        for (const l of block.split('\n')) { const i = l.indexOf(': '); if (i > 0) ev[l.slice(0, i)] = l.slice(i + 2); }
        if (ev.event) {
          s.events.push({ name: ev.event, id: +ev.id, data: JSON.parse(ev.data) });
          if (ev.event === 'snapshot') resolve(s);
        }
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => { s.ended = true; resolve(s); });
    setTimeout(() => reject(new Error('stream did not open')), 30000);
  });
}
const got = (s, name, id) => s.events.some((e) => e.name === name && e.data.id === id);
let qn = 0;
const addQuestion = (title = 'Question ajoutée') =>
  api(srv, 'POST', `${base}/questions`, { id: `x${++qn}`, title, kind: 'motion', rule: 'ordinary', secret: false }, m.modToken);

try {
  const t0 = tasks();
  check(t0 < THREADS + 16, `few threads at start (${t0})`);
  eq(await streams(), 0, 'no stream yet');

  // --- 300 streams, 16 workers: every stream is served and gets the event ---
  const all = [];
  for (let i = 0; i < CAP; i += 50)
    all.push(...await Promise.all(Array.from({ length: Math.min(50, CAP - i) }, openStream)));
  check(all.every((s) => s.status === 200 && s.events[0].name === 'snapshot'), '300 streams open, each with its snapshot');
  check(/content-type: text\/event-stream/i.test(all[0].headers), 'event-stream');
  eq(await streams(), CAP, 'status counts 300 streams');
  const t1 = tasks();
  check(t1 <= t0 + 1, `no thread per stream (${t0} threads before, ${t1} with 300 streams)`);
  let r = await addQuestion();
  eq(r.status, 200, 'question added');
  await until(() => all.every((s) => got(s, 'question_add', 'x1')), 10000, 'every stream gets question_add');
  check(all.every((s) => s.events.filter((e) => e.name === 'question_add').length === 1), 'exactly once each');
  const ids = all.map((s) => s.events.find((e) => e.name === 'question_add').id);
  check(ids.every((id) => id === ids[0] && id > all[0].events[0].id - 1), 'same id on every stream');

  // --- the cap: the next stream is refused, and nothing changes ---
  const over = await openStream();
  eq(over.status, 503, 'stream over the cap refused');
  eq(JSON.parse(over.body).error.code, 'unavailable', 'documented error');
  eq(await streams(), CAP, 'still 300');

  // --- clients that go away are reaped; their places free again ---
  for (const s of all.splice(0, 100)) s.sock.destroy();
  await until(async () => (await streams()) === CAP - 100, 10000, 'closed streams reaped');
  const again = await openStream();
  eq(again.status, 200, 'a freed place serves a new stream');
  all.push(again);
  for (const s of all.splice(0)) s.sock.end();
  await until(async () => (await streams()) === 0, 10000, 'every stream reaped');
  eq(tasks(), t0, 'thread count back where it was');

  // --- a client that sends bytes on its stream is closed ---
  const chatty = await openStream();
  eq(await streams(), 1, 'one stream');
  chatty.sock.write('GET / HTTP/1.1\r\n\r\n');
  await until(() => chatty.ended, 10000, 'a stream that sends data is closed');
  await until(async () => (await streams()) === 0, 10000, 'and reaped');

  // --- ?counts=0 (a member's phone): no participation or attendance
  // events, every other event, ids still in order; a bad value refused ---
  const before = await streams();
  const bad = await openStream('?counts=2');
  eq([bad.status, JSON.parse(bad.body).error.code, JSON.parse(bad.body).error.field], [400, 'invalid_field', 'counts'], 'a bad counts value refused');
  eq(await streams(), before, 'the refused stream takes no place');
  await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'meeting started');
  const full = await openStream('?counts=1'), phone = await openStream('?counts=0');
  eq([full.status, phone.status], [200, 200], 'both streams open ');
  for (const v of m.voters.slice(0, 3))
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, 'check-in');
  await until(() => full.events.some((e) => e.name === 'attendance' && e.data.present === 3), 10000, 'the full stream gets the attendance');
  r = await addQuestion('Après les émargements');
  eq(r.status, 200, 'question added');
  const lastQ = `x${qn}`;
  await until(() => got(phone, 'question_add', lastQ) && got(full, 'question_add', lastQ), 10000, 'both get question_add');
  check(!phone.events.some((e) => e.name === 'attendance' || e.name === 'participation'), 'counts=0: no count event');
  const ph = phone.events.find((e) => e.name === 'question_add' && e.data.id === lastQ).id;
  const fu = full.events.find((e) => e.name === 'question_add' && e.data.id === lastQ).id;
  check(ph === fu && ph > full.events.filter((e) => e.name === 'attendance').pop().id, 'the same event id on both, after the skipped ones');
  phone.sock.end(); full.sock.end();
  await until(async () => (await streams()) === before, 10000, 'reaped');

  // --- a client that stops reading: closed; the others miss nothing ---
  // (build/tests/server/stall_client: a 4 KB receive buffer, locked)
  const good = await openStream();
  const slow = spawn(path.resolve(BUILD, 'tests/server/stall_client'),
    [String(srv.port), path.join(data, 'tls-cert.pem'), `${base}/events`, '4096'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  slow.stdout.setEncoding('utf8');
  slow.stdout.on('data', (d) => { out += d; });
  const slowExit = new Promise((res) => slow.on('exit', (c) => res(c)));
  await until(() => out.includes('ready'), 10000, 'the stalling client has its snapshot');
  eq(await streams(), 2, 'two streams');
  const title = 'é'.repeat(150);	// 300 bytes, the longest title
  const first = qn + 1;
  let n = 0;
  while ((await streams()) === 2 && n < 2000) {
    const rs = await Promise.all(Array.from({ length: 20 }, () => addQuestion(title)));
    check(rs.every((x) => x.status === 200), 'questions added');
    n += 20;
  }
  eq(await streams(), 1, `the stream that does not read is closed (after ${n} events)`);
  await until(() => got(good, 'question_add', `x${qn}`), 10000, 'the reading stream gets the last event');
  const seen = good.events.filter((e) => e.name === 'question_add' && +e.data.id.slice(1) >= first).map((e) => e.data.id);
  const byId = (x, y) => +x.slice(1) - +y.slice(1);
  eq([...seen].sort(byId), Array.from({ length: n }, (_, i) => `x${first + i}`), `the reading stream got all ${n} events, once each`);
  slow.stdin.end('go\n');
  eq(await slowExit, 0, 'the stalled client sees its stream end');
  const k = +(out.match(/events (\d+)/) || [])[1];
  check(k < n, `the stalled client got ${k} of the ${n} events`);
  console.log(`streams: a client that stops reading was closed after ${n} events (it had taken ${k})`);

  // --- the meeting now has hundreds of questions with 300-byte titles:
  // its view is longer than one message between the two processes (64
  // KiB) and is still served whole, to a GET and as a stream's snapshot ---
  while (qn < 500) check((await Promise.all(Array.from({ length: 20 }, () => addQuestion(title)))).every((x) => x.status === 200), 'questions added');
  const added = (v) => v.questions.filter((q) => /^x\d+$/.test(q.id)).length;
  const big = await api(srv, 'GET', base);
  eq(big.status, 200, `a view of ${big.text.length} bytes is served`);
  check(big.text.length > 2 * 65536 && added(big.json) === qn, `longer than two messages (${big.text.length} bytes), every question (${qn})`);
  const bigStream = await openStream('?counts=0');
  eq(bigStream.status, 200, 'a stream opens on the long view');
  eq(added(bigStream.events[0].data), qn, 'its snapshot has every question');
  r = await addQuestion(title);
  eq(r.status, 200, 'one more question');
  await until(() => got(bigStream, 'question_add', `x${qn}`), 10000, 'and the stream gets it');
  bigStream.sock.end();

  // --- stop with a stream open: clean exit ---
  const last = await openStream();
  const code = new Promise((res) => srv.child.on('exit', (c, s) => res([c, s])));
  await srv.stop();
  eq(await code, [0, null], 'stops cleanly with a stream open');
  await until(() => last.ended, 10000, 'the open stream is closed at stop');
  check(/flux en direct fermés : \d+ par leur client, \d+ sur erreur, 1 envoyant des données, 1 ne lisant pas/.test(srv.log()), `the close reasons are logged: ${srv.log().slice(-1500)}`);
  done('streams');
} finally {
  await srv.stop();
}
