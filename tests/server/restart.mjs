// restart.mjs — a network process that dies comes back by itself
// (server/supervise.c): killed with SIGKILL during a vote, a new one
// listens and a ballot is acknowledged again, by the same privileged
// process, without anyone starting anything; stopped alone with SIGTERM,
// the same. Past SUPERVISE_RESTARTS restarts within a minute the
// supervisor gives up and `scrutin serve` exits with a non-zero status
// (a systemd unit's Restart=on-failure then takes over); a network
// process that cannot start at all (its port taken) is not restarted in
// a loop: serve exits 1 at once, saying why.
import { check, eq, done, startServer, tmpDir, sleep, waitNetRestart, BIN } from './lib.mjs';
import { api, ceremony, secretBallot, attend, setupMeeting } from './meeting-lib.mjs';
import { spawn } from 'node:child_process';

const RESTARTS = 5;	// supervise.h SUPERVISE_RESTARTS
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const data = tmpDir('restart');
const m = setupMeeting(data, { members: 6 });
const base = `/api/v1/meetings/${m.id}`;
const srv = await startServer({ data });
let exitCode = null;
srv.child.on('exit', (c) => { exitCode = c; });
const priv = srv.privPid;
try {
  const cer = await ceremony(srv, m);
  await api(srv, 'POST', `${base}/start`, {}, m.modToken);
  for (const v of m.voters)
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, 'check-in');
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.status, 'open', 'q1 open');
  const q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
  const ballot = (i) => secretBallot(cer, q1, 'q1', m.voters[i], [1, 0, 0]);
  eq((await api(srv, 'POST', `${base}/ballots`, ballot(0))).status, 200, 'a ballot before');

  // SIGKILL during the vote: back by itself, and the vote goes on.
  let t0 = Date.now();
  let old = srv.netPid;
  process.kill(old, 'SIGKILL');
  check(await waitNetRestart(srv, old) > 0, 'a new network process listens after SIGKILL');
  const r1 = await api(srv, 'POST', `${base}/ballots`, ballot(1));
  eq(r1.status, 200, `a ballot acknowledged on the new network process (${r1.text.slice(0, 80)})`);
  check(typeof r1.json.receipt === 'string' && r1.json.receipt.length === 64, 'with its signed receipt');
  console.log(`  network process back and a ballot acknowledged ${Date.now() - t0} ms after SIGKILL`);
  eq(srv.privPid, priv, 'the same privileged process');
  check(alive(priv) && !alive(old), 'the old network process is gone, the privileged one stays');
  check(/processus réseau \d+ tué par le signal 9 : relancé \(1 sur 5/.test(srv.log()), 'the restart is logged with its count');
  const again = await api(srv, 'POST', `${base}/ballots`, ballot(0));
  eq(again.json?.error?.code, 'already_voted', 'the box survived: the first voice has voted');

  // SIGTERM to the network process alone: restarted too.
  old = srv.netPid;
  process.kill(old, 'SIGTERM');
  check(await waitNetRestart(srv, old) > 0, 'a new network process after SIGTERM to the old one alone');
  eq((await api(srv, 'POST', `${base}/ballots`, ballot(2))).status, 200, 'a ballot after it');

  // The cap: RESTARTS restarts within a minute, then the supervisor gives
  // up and serve exits non-zero.
  for (let k = 3; k <= RESTARTS; k++) {
    old = srv.netPid;
    process.kill(old, 'SIGKILL');
    check(await waitNetRestart(srv, old) > 0, `restart ${k} of ${RESTARTS}`);
  }
  check(exitCode === null && alive(priv), 'still serving after 5 restarts');
  srv.child.stopping = true;	// its exit is expected now
  process.kill(srv.netPid, 'SIGKILL');
  for (let i = 0; i < 100 && exitCode === null; i++) await sleep(100);
  check(exitCode !== null && exitCode !== 0, `serve exits non-zero when it gives up (status ${exitCode})`);
  check(/arrêté 6 fois en 60 s : il n'est pas relancé, le serveur s'arrête/.test(srv.log()), 'and says why');
} finally {
  await srv.stop();
}

// A network process that cannot start (its port is taken) is not
// restarted in a loop: serve exits 1 at once.
{
  const busy = await startServer({ data: tmpDir('restart-busy') });
  const t0 = Date.now();
  try {
    const r = await new Promise((resolve) => {
      let log = '';
      const c = spawn(BIN, ['serve', '--data', tmpDir('restart-busy2'), '--listen',
        `127.0.0.1:${busy.port}`, '--assets', 'kiosk'], { stdio: ['ignore', 'ignore', 'pipe'] });
      c.stderr.setEncoding('utf8');
      c.stderr.on('data', (d) => { log += d; });
      c.on('exit', (code) => resolve({ code, log }));
    });
    eq(r.code, 1, 'serve on a taken port exits 1');
    check(/n'a pas pu démarrer/.test(r.log) && !/relancé/.test(r.log), `not restarted: ${r.log.slice(-200)}`);
    console.log(`  serve on a taken port exited after ${Date.now() - t0} ms`);
  } finally {
    await busy.stop();	// even when a check above failed
  }
}
done('restart');
