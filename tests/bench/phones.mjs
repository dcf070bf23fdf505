// phones.mjs — tests the bench's load generator (tests/bench/phones.c)
// against a scripted TLS server that misbehaves on purpose, so that the
// figures the bench prints can be trusted: every failure counted and
// printed, nothing dropped, the exit status says whether the run is
// complete. With -c 1 the streams open one after the other, so the
// server knows which phone each stream is (phone k = k-th GET).
//   run 1: stream 7 refused (503), stream 8 closed before the opening;
//          the opening event cut in two TLS records for odd phones;
//          ballot 0's first connection closed before the answer (sent
//          again), ballot 1's closed both times, ballot 2 answered 503,
//          ballot 3 answered 200 without its receipt, ballot 4 answered
//          with Connection: close (the connection opened again), ballot
//          5's answer in two records;
//   run 2: all well (exit 0);
//   run 3: ballot 5 never answered: the time limit ends the run;
//   bad inputs: a wrong CA, a malformed ballots file, a bad go line.
import { BUILD, check, eq, done, tmpDir } from '../server/lib.mjs';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';

const PHONES = path.resolve(BUILD, 'tests/bench/phones');
const dir = tmpDir('phones');
const key = path.join(dir, 'key.pem'), cert = path.join(dir, 'cert.pem');
const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
  '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { encoding: 'utf8' });
if (gen.status !== 0) throw new Error(gen.stderr);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const N = 12;
const receipt = (i) => (0x10 + i).toString(16).padStart(2, '0').repeat(32);
const ballots = path.join(dir, 'ballots.txt');
fs.writeFileSync(ballots, Array.from({ length: N }, (_, i) => `${receipt(i)} {"i":${i},"pad":"${'x'.repeat(i * 300)}"}\n`).join(''));

// The scripted server. mode: 'faults' (run 1), 'clean', 'hang'.
function server(mode) {
  const streams = [];
  const posted = [];
  const tries = new Map();
  let gets = 0, postConns = 0;
  const answer = (s, status, body, extra = '') => s.write(`HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`);
  const srv = tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert), minVersion: 'TLSv1.3' }, (s) => {
    s.setNoDelay(true);
    let buf = Buffer.alloc(0);
    s.on('error', () => {});
    s.on('data', async (d) => {
      buf = Buffer.concat([buf, d]);
      const he = buf.indexOf('\r\n\r\n');
      if (he < 0) return;
      const head = buf.subarray(0, he).toString();
      if (head.startsWith('GET ')) {
        const k = gets++;
        buf = Buffer.alloc(0);
        if (mode === 'faults' && k === 7) { answer(s, 503, '{"error":"busy"}', 'Connection: close\r\n'); s.end(); return; }
        s.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nid: 1\nevent: snapshot\ndata: {"question_open":"no"}\n\n');
        if (mode === 'faults' && k === 8) { await sleep(20); s.destroy(); return; }
        streams.push({ k, s });
        return;
      }
      if (!s.conn) s.conn = ++postConns;
      const cl = +/content-length: (\d+)/i.exec(head)[1];
      if (buf.length < he + 4 + cl) return;
      const body = JSON.parse(buf.subarray(he + 4, he + 4 + cl).toString());
      buf = buf.subarray(he + 4 + cl);
      const i = body.i, t = (tries.get(i) ?? 0) + 1;
      tries.set(i, t);
      posted.push(i);
      const ok = JSON.stringify({ receipt: receipt(i), at: 1 });
      if (mode === 'faults' && ((i === 0 && t === 1) || i === 1)) { s.destroy(); return; }
      if (mode === 'faults' && i === 2) { answer(s, 503, '{"error":"unavailable","message":"plein"}'); return; }
      if (mode === 'faults' && i === 3) { answer(s, 200, JSON.stringify({ receipt: receipt(4), at: 1 })); return; }
      if (mode === 'faults' && i === 4) { answer(s, 200, ok, 'Connection: close\r\n'); s.end(); return; }
      if (mode === 'hang' && i === 5) return;
      if (i === 5) {
        const all = `HTTP/1.1 200 OK\r\nContent-Length: ${ok.length}\r\n\r\n${ok}`;
        s.write(all.slice(0, 30)); await sleep(15); s.write(all.slice(30)); return;
      }
      answer(s, 200, ok);
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    port: srv.address().port, streams, posted, tries, postConns: () => postConns,
    // The opening, as the server's bus sends it: odd phones get the event
    // cut in the middle of its name (two TLS records).
    async open() {
      for (const { k, s } of streams) {
        const ev = 'id: 2\nevent: question_open\ndata: {"id":"q1"}\n\n';
        if (k % 2) { s.write(ev.slice(0, 14)); } else s.write(ev);
      }
      await sleep(15);
      for (const { k, s } of streams) if (k % 2) s.write('id: 2\nevent: question_open\ndata: {"id":"q1"}\n\n'.slice(14));
    },
    close() { for (const { s } of streams) s.destroy(); srv.close(); },
  })));
}

// Runs phones.c through its dialogue; returns its lines, stderr, status.
function run(args, { srv, goLine } = {}) {
  return new Promise((resolve) => {
    const c = spawn(PHONES, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    const lines = {};
    c.stderr.on('data', (d) => { err += d; });
    c.stdout.on('data', async (d) => {
      out += d;
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        const l = out.slice(0, nl); out = out.slice(nl + 1);
        const [tag] = l.split(' ', 1);
        lines[tag] = JSON.parse(l.slice(tag.length + 1));
        if (tag === 'streams') c.stdin.write('post\n');
        if (tag === 'ready') { c.stdin.write(goLine ?? `go ${process.hrtime.bigint()}\n`); await srv?.open(); }
        if (tag === 'result') c.stdin.end();
      }
    });
    c.on('exit', (code) => resolve({ code, lines, err }));
  });
}
const argv = (srv, extra = []) => ['-c', '1', '-p', '3', '-t', '3', ...extra, '127.0.0.1', String(srv.port), cert,
  '/api/v1/meetings/m/events', '/api/v1/meetings/m/ballots', ballots];

{ // run 1: faults
  const srv = await server('faults');
  const r = await run(argv(srv), { srv });
  srv.close();
  const res = r.lines.result;
  eq(r.code, 1, `run with failures exits 1:\n${r.err}`);
  eq(r.lines.streams, { connected: N - 1, refused: 1, failed: 0, ms: r.lines.streams.ms }, 'streams: one refused');
  eq(r.lines.ready.posters, 3, 'three posting connections open');
  eq([res.acked, res.failed, res.lost, res.not_connected, res.never_notified, res.unanswered, res.timed_out],
    [N - 5, 3, 1, 1, 2, 0, false], `counts: ${JSON.stringify({ ...res, notified_ms: 0, ack_ms: 0 })}`);
  check(res.resent === 2, `ballot 0 and ballot 1 sent again (${res.resent})`);
  check(res.reopened >= 2, `connections opened again (${res.reopened})`);
  eq(srv.tries.get(1), 2, 'a ballot whose connection broke twice is sent twice, not more');
  eq(srv.tries.get(0), 2, 'ballot 0 sent again after its connection broke');
  eq([...srv.tries.keys()].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 9, 10, 11], 'every notified phone posted; 7 and 8 did not');
  eq(res.notified_ms.map((t, i) => (t === null ? i : -1)).filter((i) => i >= 0), [7, 8], 'phones 7 and 8 never knew');
  check(res.notified_ms.every((t) => t === null || (t >= 0 && t < 3000)), 'notification times from the go instant');
  check(res.notified_ms.filter((t, i) => i % 2 && t !== null).every((t) => t >= 10), 'odd phones knew only from the second record');
  eq(res.ack_ms.length, N - 5, 'one time per acknowledged ballot');
  check(Math.min(...res.ack_ms) >= Math.min(...res.notified_ms.filter((t) => t !== null)), 'acks after notifications');
  check(r.err.includes('stream 7 refused: answer "HTTP/1.1 503 X"'), 'the refusal printed verbatim');
  check(r.err.includes('stream 8 lost before the opening'), 'the lost stream printed');
  check(r.err.includes('ballot 2: answer 503: {"error":"unavailable","message":"plein"}'), 'the 503 printed verbatim');
  check(r.err.includes(`ballot 3: answer 200: {"receipt":"${receipt(4)}"`), 'the wrong receipt printed verbatim');
  check(/ballot 1: sent twice, connection lost both times: /.test(r.err), 'the twice-lost ballot printed');
  check(typeof res.cpu_s === 'number' && res.cpu_s >= 0 && res.cpu_s < 2, 'own CPU time reported');
}
{ // run 2: all well, the opening read whole or in two records
  const srv = await server('clean');
  const r = await run(argv(srv, ['-c', '4']), { srv });
  srv.close();
  const res = r.lines.result;
  eq(r.code, 0, `a complete run exits 0:\n${r.err}`);
  eq([res.acked, res.failed, res.lost, res.resent, res.timed_out], [N, 0, 0, 0, false], 'every ballot acknowledged');
  eq(r.err, '', 'nothing printed on stderr');
  check(srv.postConns() <= 3 && res.reopened === 0, 'the keep-alive connections carried every ballot, none opened again');
  eq(srv.posted.slice().sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i), 'each ballot posted once');
}
{ // run 3: a ballot never answered: the time limit, the run incomplete
  const srv = await server('hang');
  const t = Date.now();
  const r = await run(argv(srv, ['-t', '2']), { srv });
  srv.close();
  const res = r.lines.result;
  eq(r.code, 1, 'an incomplete run exits 1');
  eq([res.acked, res.unanswered, res.timed_out], [N - 1, 1, true], 'the unanswered ballot counted at the time limit');
  check(Date.now() - t < 10000, 'the time limit ends the run');
}
{ // bad inputs
  const srv = await server('clean');
  let r = await run(['-c', '1', '-t', '2', '127.0.0.1', String(srv.port), '/etc/ssl/certs/ca-certificates.crt',
    '/e', '/b', ballots], { srv });
  eq([r.code, r.lines.streams.failed, r.lines.result?.not_connected], [1, N, N], 'a certificate from another CA: every stream failed');
  check(r.err.includes('certificate verify failed'), 'the TLS error printed');
  r = await run(['-t', '2', '127.0.0.1', String(srv.port), cert, '/e', '/b', cert]);
  eq(r.code, 2, 'a ballots file that is not one is a setup error');
  check(r.err.includes('not "receipt {json}"'), 'the bad line named');
  const bad = path.join(dir, 'bad.txt');
  fs.writeFileSync(bad, `${receipt(10).toUpperCase()} {"i":0}\n`);
  r = await run(['127.0.0.1', String(srv.port), cert, '/e', '/b', bad]);
  check(r.code === 2 && r.err.includes('receipt not lowercase hex'), 'a receipt that is not lowercase hex refused');
  r = await run(['-c', '1', '127.0.0.1', String(srv.port), cert, '/e', '/b', ballots], { srv, goLine: 'go 12345\n' });
  check(r.code === 2 && r.err.includes('not on this clock'), 'a go instant from another clock refused');
  r = await run(['127.0.0.1', '0', cert, '/e', '/b', ballots]);
  check(r.code === 2 && r.err.includes('bad port'), 'port 0 refused');
  srv.close();
}
done('phones');
