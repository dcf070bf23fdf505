// bench_server.mjs — the live meeting under load: N simulated phones
// (default 2,000) open the live event stream all at the same instant (one
// SSE connection each: the connection storm); when the moderator opens a
// secret motion every phone casts a real encrypted ballot. The ballots are
// built ahead of the opening with the browser's crypto module
// (kiosk/js/scrutin-crypto.js): a ballot depends only on eid, qid and the
// question's parameters, all published before the motion opens.
// Two halves: this script sets up (meeting, ceremony, check-ins, the
// ballots) and measures the server (/proc); the phones themselves are
// tests/bench/phones.c, a small C program (one thread, epoll, OpenSSL),
// because the load generator shares the machine's cores with the server
// and must cost as little as possible (~0.1 ms of CPU per ballot; ~0.5 ms
// when it was Node). It gets the ballots as a file (the receipt each
// answer must carry, the JSON body), opens the streams, then
// BENCH_POSTERS (512) keep-alive TLS connections, and posts each
// phone's ballot as soon as that phone's stream carries the opening;
// it reports every time relative to the instant this script sends the
// open request (CLOCK_MONOTONIC on both sides), its counts and its own
// CPU time. Prints ballots accepted per second, p50/p99 latency from the
// opening to the acknowledgement, the time until every phone knew the
// motion was open, both server processes' peak RSS (VmHWM), the CPU each
// process used during the vote, and what bounds the figures. Exits 1
// when the run is not complete (a stream refused, a ballot not
// acknowledged with its receipt: phones.c prints the first few).
// BENCH_PHONES, BENCH_POSTERS, BENCH_CONNECTING (streams opening at once),
// BENCH_TIMELINE=1 (acknowledgements per 250 ms), BENCH_FRESH=1 (no pool:
// each phone opens its own posting connection at the opening, a TLS
// resumption with its stream's ticket: phones.c -f), BENCH_THREADS (the
// server's --threads; default POSTERS + 64, so that every pooled
// connection has a worker; with BENCH_FRESH the server's own default,
// 256: the connections waiting for a worker are answered "Connection:
// close", web.c on_request), BENCH_PROXY (a fraction, default 0: that
// share of the voices is voted under a proxy: each such member gives a
// digital proxy before the meeting (S_proxy, docs/record.md §5) to a
// member who votes himself, stays absent, and the holder signs the
// mandate's ballot with the giver's key as K_voice; each holder holds
// one mandate, within every profile's cap; the ballot still goes out
// from its own simulated phone: what is measured is the server's cost
// per ballot, tests/bench/vs_proxy.sh compares it with BENCH_PROXY=0).
import { BUILD, startServer, tmpDir } from '../server/lib.mjs';
import { C, api, ceremony, secretBallot, attend, setupMeeting, hex, now } from '../server/meeting-lib.mjs';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const N = +(process.env.BENCH_PHONES || 2000);
// Real phones each post on their own connection; 512 connections carry
// ~4 ballots each. With 128 the pipeline is latency-bound (ballots wait
// for a free connection while a core idles) and the verifier's batches
// stay small: docs/server.md, "Load".
const POSTERS = +(process.env.BENCH_POSTERS || 512);
const FRESH = process.env.BENCH_FRESH === '1';
const PROXY = +(process.env.BENCH_PROXY || 0);
const THREADS = +(process.env.BENCH_THREADS || (FRESH ? 256 : POSTERS + 64));
const t0 = Date.now();
const log = (s) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${s}`);
const data = tmpDir('bench-server');
const m = setupMeeting(data, { members: N });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000',
  '--threads', String(THREADS), '--timeout-ms', '60000'] });
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

// Starts tests/bench/phones.c; line(tag) is its next stdout line, which
// must begin with tag (its JSON parsed); send() writes a line to it; end()
// closes its stdin (it then closes its sockets and exits) and resolves
// with its exit status.
const PHONES = path.resolve(BUILD, 'tests/bench/phones');
function phonesStart(args) {
  if (!fs.existsSync(PHONES)) throw new Error(`${PHONES} is missing: run make all first`);
  const child = spawn(PHONES, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((r) => child.on('exit', (c, sig) => r(c ?? `signal ${sig}`)));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async line(tag) {
      const r = await lines.next();
      if (r.done) throw new Error(`phones exited (${await exited}) before its "${tag}" line`);
      if (!r.value.startsWith(`${tag} `)) throw new Error(`phones: expected "${tag}", got: ${r.value.slice(0, 200)}`);
      return JSON.parse(r.value.slice(tag.length + 1));
    },
    send(l) { child.stdin.write(`${l}\n`); },
    end() { child.stdin.end(); return exited; },
    kill() { if (child.exitCode === null && child.signalCode === null) child.kill(); },
  };
}

async function pool(items, width, fn) {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => { while (i < items.length) { const k = i++; await fn(items[k], k); } }));
}

let gen;
try {
  log(`${N} members, credentials and meeting ready`);
  // Under a proxy: voter i when i mod 10 < 10 * PROXY (so 30 % gives
  // 0, 1, 2 of every ten), to the next voter who gives none.
  const holderOf = new Map();
  const gives = (i) => i % 10 < Math.round(10 * PROXY);
  if (PROXY > 0 && (PROXY >= 0.5 || PROXY * 10 !== Math.round(PROXY * 10))) throw new Error('BENCH_PROXY: a multiple of 0.1 below 0.5');
  for (let i = 0; i < N; i++) {
    if (!gives(i)) continue;
    let h = i + 1;
    while (gives(h) || [...holderOf.values()].includes(h)) h++;
    if (h < N) holderOf.set(i, h);
  }
  await pool([...holderOf], 64, async ([g, h]) => {
    const giver = m.voters[g], holder = m.voters[h], ts = now();
    const sig = hex(C.signStatement('proxy', [m.id, giver.pk, holder.pk, C.le64(ts)], giver.sk).sig);
    const r = await api(srv, 'POST', `${base}/proxies`, { action: 'give', giver: hex(giver.pk), holder: hex(holder.pk), ts, sig });
    if (r.status !== 200) throw new Error(`proxy ${giver.no} -> ${holder.no}: ${r.text}`);
  });
  if (PROXY > 0) log(`${holderOf.size} proxies given (${(100 * holderOf.size / N).toFixed(0)} % of the voices; givers absent, holders present)`);
  const cer = await ceremony(srv, m);
  await api(srv, 'POST', `${base}/start`, {}, m.modToken);
  const agents = Array.from({ length: POSTERS }, () => new https.Agent({ ca: srv.ca, keepAlive: true, maxSockets: 1 }));
  await pool(m.voters.filter((v, i) => !holderOf.has(i)), POSTERS, async (v, k) => {
    const r = await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'), undefined, agents[k % POSTERS]);
    if (r.status !== 200) throw new Error(r.text);
  });
  log(`${N - holderOf.size} check-ins`);
  const q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
  const tb = Date.now();
  const ballots = m.voters.map((v, i) => { const s = [0, 0, 0]; s[i % 3] = 1; return secretBallot(cer, q1, 'q1', v, s, m.voters[holderOf.get(i) ?? i]); });
  // The load generator shares the 2 cores with the server: everything
  // per ballot is prepared here (the request body, the receipt the answer
  // must carry: one line each for phones.c), so the timed part is only
  // TLS and I/O.
  const lines = ballots.map((b) => `${b.receipt} ${JSON.stringify(b)}\n`);
  log(`${N} ballots built ahead of the opening in ${((Date.now() - tb) / 1000).toFixed(1)} s (they depend only on eid, qid, n, min, max, Y; ${Buffer.byteLength(JSON.stringify(ballots[0]))} bytes each)`);

  // The phones (tests/bench/phones.c): one SSE connection each, all
  // opened at the same instant (a room where everyone scans the QR code
  // at once: the server serves them from one cached view,
  // docs/server.md); each posts its ballot as soon as its stream says
  // the motion is open, over POSTERS keep-alive TLS connections. The
  // ballots go to it as one line each: the receipt the answer must
  // carry, the JSON body.
  const ballotFile = path.join(data, 'bench-ballots.txt');
  fs.writeFileSync(ballotFile, lines.join(''));
  const CONNECTING = +(process.env.BENCH_CONNECTING || N);
  const rssBefore = rss(srv.netPid);
  gen = phonesStart([...(FRESH ? ['-f'] : []), '-c', String(CONNECTING), '-p', String(POSTERS), '127.0.0.1', String(srv.port),
    path.join(data, 'tls-cert.pem'), `${base}/events?counts=0`, `${base}/ballots`, ballotFile]);
  const st = await gen.line('streams');
  const connected = st.connected, refused = st.refused + st.failed;
  log(`${connected} streams opened in ${(st.ms / 1000).toFixed(1)} s (${CONNECTING} connecting at once; ${st.refused} refused, ${st.failed} failed)`);
  await new Promise((r) => setTimeout(r, 1000));
  const rssStreams = rss(srv.netPid);
  log(`${N} phones connected to the live stream; server RSS now ${rss(srv.privPid).toFixed(0)} MB (privileged) + ${rssStreams.toFixed(0)} MB (network; ${rssBefore.toFixed(0)} MB before the streams)`);
  // The posting connections, opened now so that they are warm.
  gen.send('post');
  const rd = await gen.line('ready');
  if (rd.failed) log(`${rd.failed} of ${POSTERS} posting connections failed to open (opened again when needed)`);

  // Open: the instant the open request is sent is the origin of every
  // time phones.c reports (CLOCK_MONOTONIC on both sides).
  const c0 = { priv: cpu(srv.privPid), net: cpu(srv.netPid), privT: threadsCpu(srv.privPid), node: process.cpuUsage(), host: hostCpu() };
  const tOpen = process.hrtime.bigint();
  gen.send(`go ${tOpen}`);
  const ro = await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken);
  if (ro.status !== 200) throw new Error(ro.text);
  // The opening itself (the engine's standing of every proxy in force,
  // written per question) is inside the measured window.
  const openMs = Number(process.hrtime.bigint() - tOpen) / 1e6;
  const res = await gen.line('result');
  const privT = threadsCpu(srv.privPid);
  const nodeU = process.cpuUsage(c0.node);
  const used = { priv: cpu(srv.privPid) - c0.priv, net: cpu(srv.netPid) - c0.net, gen: res.cpu_s, node: (nodeU.user + nodeU.system) / 1e6,
    host: hostCpu() - c0.host, main: (privT[String(srv.privPid)] ?? 0) - (c0.privT[String(srv.privPid)] ?? 0) };
  const code = await gen.end();
  const acked = res.acked;
  const failed = N - acked;
  const lat = res.ack_ms.map(Math.round);
  if (process.env.BENCH_TIMELINE) {
    const b = new Array(Math.ceil(Math.max(...lat) / 250) + 1).fill(0);
    for (const l of lat) b[Math.floor(l / 250)]++;
    console.log(`acks per 250 ms: ${b.join(' ')}`);
  }
  const notif = res.notified_ms.filter((t) => t !== null).map(Math.round).sort((a, b) => a - b);
  lat.sort((a, b) => a - b);
  const secs = Math.max(1, lat[lat.length - 1] ?? 0) / 1000;
  console.log('');
  console.log(`phones                         ${N} (SSE connections opened as the member app does, ?counts=0: no participation or attendance events; ${FRESH ? `each ballot posted on a connection of its own, opened at the opening (${res.resumed} TLS resumptions, ${N - res.resumed} full handshakes)` : `ballots posted over ${POSTERS} keep-alive TLS connections`}; server --threads ${THREADS})`);
  const why = failed === 0 ? '' : `: ${res.failed} answers not 200 or without the receipt, ${res.not_connected} streams refused or failed, ${res.lost} streams lost, ${res.never_notified - res.not_connected - res.lost} never notified, ${res.unanswered} unanswered${res.timed_out ? ' at the time limit' : ''}`;
  console.log(`ballots accepted               ${acked} (${failed} failed${why}${res.resent ? `; ${res.resent} sent again on a new connection` : ''})`);
  if (PROXY > 0) console.log(`under a proxy                  ${holderOf.size} of the ${N} ballots (${(100 * holderOf.size / N).toFixed(0)} %: signed by the holder, the giver's key as K_voice)`);
  console.log(`ballots accepted per second    ${(acked / secs).toFixed(0)} (all ${acked} in ${secs.toFixed(2)} s from the opening)   target ≥ 800`);
  console.log(`opening answered in            ${openMs.toFixed(0)} ms (the moderator's open request, sent as the phones were told to post)`);
  console.log(`latency opening -> ack p50     ${pct(lat, 0.5)} ms`);
  console.log(`latency opening -> ack p99     ${pct(lat, 0.99)} ms   target ≤ 1000`);
  console.log(`every phone notified within    ${notif[notif.length - 1]} ms (p50 ${pct(notif, 0.5)} ms)   target ≤ 1000`);
  const hp = hwm(srv.privPid), hn = hwm(srv.netPid);
  console.log(`server peak RSS (VmHWM)        ${(hp + hn).toFixed(0)} MB = ${hp.toFixed(0)} privileged + ${hn.toFixed(0)} network   target ≤ 150`);
  console.log(`CPU from opening to last ack   ${used.host.toFixed(1)} s of ${(2 * secs).toFixed(1)} available on ${os.cpus().length} cores: privileged ${used.priv.toFixed(2)} s (main thread ${used.main.toFixed(2)} s, verifiers ${(used.priv - used.main).toFixed(2)} s = ${(1000 * (used.priv - used.main) / Math.max(1, acked)).toFixed(2)} ms/ballot), network ${used.net.toFixed(2)} s, load generator ${used.gen.toFixed(2)} s (phones.c: user ${res.cpu_user_s.toFixed(2)} + system ${res.cpu_sys_s.toFixed(2)}; its Node driver ${used.node.toFixed(2)} s), others ${(used.host - used.priv - used.net - used.gen - used.node).toFixed(2)} s`);
  console.log(`connection storm                ${N} streams opened at once: ${connected} served, ${refused} refused`);
  console.log(`machine                        ${os.cpus().length} cores shared with the load generator and other work (load average ${os.loadavg()[0].toFixed(1)} at the end): figures are noisy`);
  // What bounds the figures, from this run's own measurements (the
  // profiles behind them: docs/server.md, "Load").
  const cores = os.cpus().length;
  const perBallot = (used.priv + used.net + used.gen) / Math.max(1, acked);
  const ceiling = cores / perBallot;
  console.log(`what limits them               CPU: ${(1000 * perBallot).toFixed(2)} ms per ballot in all (verification ${(1000 * (used.priv - used.main) / Math.max(1, acked)).toFixed(2)}, privileged main ${(1000 * used.main / Math.max(1, acked)).toFixed(2)}, network ${(1000 * used.net / Math.max(1, acked)).toFixed(2)} incl. the live events to ${N} streams, load generator ${(1000 * used.gen / Math.max(1, acked)).toFixed(2)}) on ${cores} cores: at most ~${ceiling.toFixed(0)}/s, so ${N} ballots cast at once wait up to ~${(N / ceiling).toFixed(1)} s (p99 floor); memory: ${(1024 * (rssStreams - rssBefore) / N).toFixed(0)} KB per open stream (its TLS state in the epoll loop)`);
  if (code !== 0 || acked !== N) {
    console.error(`bench_server: the run is not complete (${acked} of ${N} ballots acknowledged; phones exited ${code})`);
    process.exitCode = 1;
  }
} finally {
  gen?.kill();
  await srv.stop();
}
