// bench_server.mjs — the live meeting under load: N simulated phones
// (default 2,000) open the live event stream all at the same instant (one
// SSE connection each: the connection storm); when the moderator opens a
// secret motion every phone casts a real encrypted ballot. The ballots are
// built ahead of the opening with the browser's crypto module
// (kiosk/js/scrutin-crypto.js): a ballot depends only on eid, qid and the
// question's parameters, all published before the motion opens. The load
// generator shares the machine's cores with the server, so it is kept
// light: request bytes prebuilt, BENCH_POSTERS (128) raw keep-alive TLS
// connections speaking minimal HTTP/1.1, no JS per live event once a
// phone knows. Prints ballots accepted per second, p50/p99 latency from
// the opening to the acknowledgement, the time until every phone knew the
// motion was open, both server processes' peak RSS (VmHWM), the CPU each
// process used during the vote, and what bounds the figures.
// BENCH_PHONES, BENCH_POSTERS, BENCH_CONNECTING (streams opening at once),
// BENCH_TIMELINE=1 (acknowledgements per 250 ms).
import { startServer, tmpDir } from '../server/lib.mjs';
import { api, ceremony, secretBallot, attend, setupMeeting } from '../server/meeting-lib.mjs';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import tls from 'node:tls';

const N = +(process.env.BENCH_PHONES || 2000);
const POSTERS = +(process.env.BENCH_POSTERS || 128);
const t0 = Date.now();
const log = (s) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${s}`);
const data = tmpDir('bench-server');
const m = setupMeeting(data, { members: N });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000',
  '--threads', String(POSTERS + 64), '--timeout-ms', '60000'] });
const base = `/api/v1/meetings/${m.id}`;
const hwm = (pid) => { const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8'); return +s.match(/VmHWM:\s+(\d+)/)[1] / 1024; };
const rss = (pid) => { const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8'); return +s.match(/VmRSS:\s+(\d+)/)[1] / 1024; };
// CPU seconds (user + system) of a process, or of each of its threads.
const TICK = 100;
const cpu = (pid) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (+f[11] + +f[12]) / TICK; };
const threadsCpu = (pid) => Object.fromEntries(fs.readdirSync(`/proc/${pid}/task`).map((t) => {
  try { const st = fs.readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'); const f = st.split(') ')[1].split(' ');
    return [t, (+f[11] + +f[12]) / TICK]; } catch { return [t, 0]; }
}));
// Busy CPU seconds of the whole machine (/proc/stat: all but idle and iowait).
const hostCpu = () => { const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return (f.reduce((a, b) => a + b, 0) - f[3] - f[4]) / TICK; };
const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(p * a.length))];

async function pool(items, width, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (i < items.length) { const k = i++; await fn(items[k], k); } }));
}

try {
  log(`${N} members, credentials and meeting ready`);
  const cer = await ceremony(srv, m);
  await api(srv, 'POST', `${base}/start`, {}, m.modToken);
  const agents = Array.from({ length: POSTERS }, () => new https.Agent({ ca: srv.ca, keepAlive: true, maxSockets: 1 }));
  await pool(m.voters, POSTERS, async (v, k) => {
    const r = await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'), undefined, agents[k % POSTERS]);
    if (r.status !== 200) throw new Error(r.text);
  });
  log(`${N} check-ins`);
  const q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
  const tb = Date.now();
  const ballots = m.voters.map((v, i) => { const s = [0, 0, 0]; s[i % 3] = 1; return secretBallot(cer, q1, 'q1', v, s); });
  // The load generator shares the 2 cores with the server: everything
  // per ballot is prepared here (the request body as bytes, the receipt
  // the answer must carry), so the timed part is only TLS and I/O.
  const bodies = ballots.map((b) => Buffer.from(JSON.stringify(b)));
  const receipts = ballots.map((b) => `"receipt":"${b.receipt}"`);
  log(`${N} ballots built ahead of the opening in ${((Date.now() - tb) / 1000).toFixed(1)} s (they depend only on eid, qid, n, min, max, Y; ${bodies[0].length} bytes each)`);

  // The phones: one SSE connection each, all opened at the same instant
  // (a room where everyone scans the QR code at once): the server serves
  // them from one cached view (docs/server.md).
  const phones = [];
  const rssBefore = rss(srv.netPid);
  let connected = 0, refused = 0;
  const CONNECTING = +(process.env.BENCH_CONNECTING || N);
  const tc = Date.now();
  const sseAgent = new https.Agent({ ca: srv.ca, keepAlive: false, maxSockets: Infinity });
  await pool(Array.from({ length: N }, (_, i) => i), CONNECTING, (i) => new Promise((resolve, reject) => {
    const ph = { i, notified: 0, chunks: 0 };
    phones.push(ph);
    const req = https.get({ host: '127.0.0.1', port: srv.port, path: `${base}/events`, ca: srv.ca, servername: 'localhost',
      agent: sseAgent }, (res) => {
      if (res.statusCode !== 200) { refused++; res.resume(); return reject(new Error(`SSE ${res.statusCode}`)); }
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        if (++ph.chunks === 1) { connected++; resolve(); }
        if (ph.notified) return;
        const t = tail + d;
        if (t.includes('event: question_open')) {
          ph.notified = Date.now();
          ph.onOpen?.();
          res.pause();   // a phone that knows is busy voting: no JS per later event
        } else tail = t.slice(-32);
      });
    });
    req.on('error', (e) => reject(e));
    ph.req = req;
  }));
  log(`${connected} streams opened in ${((Date.now() - tc) / 1000).toFixed(1)} s (${CONNECTING} connecting at once; ${refused} refused)`);
  await new Promise((r) => setTimeout(r, 1000));
  const rssStreams = rss(srv.netPid);
  log(`${N} phones connected to the live stream; server RSS now ${rss(srv.privPid).toFixed(0)} MB (privileged) + ${rssStreams.toFixed(0)} MB (network; ${rssBefore.toFixed(0)} MB before the streams)`);

  // The posting connections: raw keep-alive TLS sockets speaking just
  // enough HTTP/1.1 (one prebuilt request per ballot, one write; the
  // answer read by Content-Length), opened now so that they are warm.
  const path = `${base}/ballots`;
  const reqs = bodies.map((b) => Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: localhost\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${b.length}\r\n\r\n`), b]));
  const rawConn = () => {
    const c = { sock: null, buf: '', pending: null };
    c.open = () => new Promise((resolve, reject) => {
      c.buf = '';
      c.sock = tls.connect({ host: '127.0.0.1', port: srv.port, ca: srv.ca, servername: 'localhost' }, resolve);
      c.sock.setNoDelay(true);
      c.sock.setEncoding('latin1');
      c.sock.on('error', (e) => { reject(e); c.fail(e); });
      c.sock.on('close', () => { c.sock = null; c.fail(new Error('closed')); });
      c.sock.on('data', (d) => {
        c.buf += d;
        const he = c.buf.indexOf('\r\n\r\n');
        if (he < 0 || !c.pending) return;
        const m = /content-length:\s*(\d+)/i.exec(c.buf.slice(0, he));
        const n = m ? +m[1] : 0;
        if (c.buf.length < he + 4 + n) return;
        const r = { status: +c.buf.slice(9, 12), text: c.buf.slice(he + 4, he + 4 + n) };
        c.buf = c.buf.slice(he + 4 + n);
        const p = c.pending; c.pending = null; p.resolve(r);
      });
    });
    c.fail = (e) => { const p = c.pending; c.pending = null; p?.reject(e); };
    c.post = async (k) => {
      if (!c.sock) await c.open();
      return new Promise((resolve, reject) => { c.pending = { resolve, reject }; c.sock.write(reqs[k]); });
    };
    return c;
  };
  const conns = Array.from({ length: POSTERS }, rawConn);
  await Promise.all(conns.map((c) => c.open()));

  // Open, and every phone votes as soon as it learns it.
  const lat = [];
  let acked = 0, failed = 0, lastAck = 0;
  let allDone;
  const finished = new Promise((r) => { allDone = r; });
  const queue = [];
  let waiting = [];
  const post = async (_, p) => {
    for (;;) {
      const k = queue.shift();
      if (k === undefined) { if (acked + failed === N) return; await new Promise((r) => waiting.push(r)); continue; }
      // A connection the server closed is opened again and the ballot
      // sent again (the same ballot gets the same receipt).
      let r = await conns[p].post(k).catch((e) => ({ status: 0, text: String(e) }));
      if (r.status === 0) r = await conns[p].post(k).catch((e) => ({ status: 0, text: String(e) }));
      if (r.status === 200 && r.text.includes(receipts[k])) { acked++; lat.push(Date.now() - tOpen); lastAck = Date.now(); } else { failed++; if (failed < 4) console.error(r.status, r.text); }
      if (acked + failed === N) { allDone(); waiting.forEach((w) => w()); return; }
    }
  };
  for (const ph of phones) ph.onOpen = () => { queue.push(ph.i); const w = waiting; waiting = []; w.forEach((f) => f()); };
  const posters = Array.from({ length: POSTERS }, (_, p) => post(_, p));
  const c0 = { priv: cpu(srv.privPid), net: cpu(srv.netPid), privT: threadsCpu(srv.privPid), node: process.cpuUsage(), host: hostCpu() };
  const tOpen = Date.now();
  const ro = await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken);
  if (ro.status !== 200) throw new Error(ro.text);
  await finished;
  await Promise.all(posters);
  const privT = threadsCpu(srv.privPid);
  const nodeU = process.cpuUsage(c0.node);
  const used = { priv: cpu(srv.privPid) - c0.priv, net: cpu(srv.netPid) - c0.net, node: (nodeU.user + nodeU.system) / 1e6,
    host: hostCpu() - c0.host, main: (privT[String(srv.privPid)] ?? 0) - (c0.privT[String(srv.privPid)] ?? 0) };
  if (process.env.BENCH_TIMELINE) {
    const b = new Array(Math.ceil(Math.max(...lat) / 250) + 1).fill(0);
    for (const l of lat) b[Math.floor(l / 250)]++;
    console.log(`acks per 250 ms: ${b.join(' ')}`);
  }
  const notif = phones.map((p) => p.notified - tOpen).sort((a, b) => a - b);
  lat.sort((a, b) => a - b);
  const secs = (lastAck - tOpen) / 1000;
  console.log('');
  console.log(`phones                         ${N} (SSE connections; ballots posted over ${POSTERS} keep-alive TLS connections)`);
  console.log(`ballots accepted               ${acked} (${failed} failed)`);
  console.log(`ballots accepted per second    ${(acked / secs).toFixed(0)} (all ${acked} in ${secs.toFixed(2)} s from the opening)   target ≥ 800`);
  console.log(`latency opening -> ack p50     ${pct(lat, 0.5)} ms`);
  console.log(`latency opening -> ack p99     ${pct(lat, 0.99)} ms   target ≤ 1000`);
  console.log(`every phone notified within    ${notif[notif.length - 1]} ms (p50 ${pct(notif, 0.5)} ms)   target ≤ 1000`);
  const hp = hwm(srv.privPid), hn = hwm(srv.netPid);
  console.log(`server peak RSS (VmHWM)        ${(hp + hn).toFixed(0)} MB = ${hp.toFixed(0)} privileged + ${hn.toFixed(0)} network   target ≤ 150`);
  console.log(`CPU from opening to last ack   ${used.host.toFixed(1)} s of ${(2 * secs).toFixed(1)} available on ${os.cpus().length} cores: privileged ${used.priv.toFixed(2)} s (main thread ${used.main.toFixed(2)} s, verifiers ${(used.priv - used.main).toFixed(2)} s = ${(1000 * (used.priv - used.main) / Math.max(1, acked)).toFixed(2)} ms/ballot), network ${used.net.toFixed(2)} s, load generator ${used.node.toFixed(2)} s, others ${(used.host - used.priv - used.net - used.node).toFixed(2)} s`);
  console.log(`connection storm                ${N} streams opened at once: ${connected} served, ${refused} refused`);
  console.log(`machine                        ${os.cpus().length} cores shared with the load generator and other work (load average ${os.loadavg()[0].toFixed(1)} at the end): figures are noisy`);
  // What bounds the figures, from this run's own measurements (the
  // profiles behind them: docs/server.md, "Load").
  const cores = os.cpus().length;
  const perBallot = (used.priv + used.net + used.node) / Math.max(1, acked);
  const ceiling = cores / perBallot;
  console.log(`what limits them               CPU: ${(1000 * perBallot).toFixed(2)} ms per ballot in all (verification ${(1000 * (used.priv - used.main) / Math.max(1, acked)).toFixed(2)}, privileged main ${(1000 * used.main / Math.max(1, acked)).toFixed(2)}, network ${(1000 * used.net / Math.max(1, acked)).toFixed(2)} incl. the live events to ${N} streams, load generator ${(1000 * used.node / Math.max(1, acked)).toFixed(2)}) on ${cores} cores: at most ~${ceiling.toFixed(0)}/s, so ${N} ballots cast at once wait up to ~${(N / ceiling).toFixed(1)} s (p99 floor); memory: one CivetWeb thread per stream, ${(1024 * (rssStreams - rssBefore) / N).toFixed(0)} KB each (thread stack + TLS state)`);
  for (const ph of phones) ph.req.destroy();
} finally {
  await srv.stop();
}
