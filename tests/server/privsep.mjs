// privsep.mjs — the process boundary of `scrutin serve` is real: the
// network process (CivetWeb) is the child of a supervisor, itself the
// privileged process's child (supervise.c); neither holds a database
// file, a WAL or the signing key open, while the privileged process does
// (control); killing the privileged process takes the other two down
// with it; SIGTERM stops all three.
import fs from 'node:fs';
import path from 'node:path';
import { startServer, request, check, eq, done, sleep } from './lib.mjs';

function openFiles(pid) {
  const dir = `/proc/${pid}/fd`;
  return fs.readdirSync(dir).map((fd) => {
    try { return fs.readlinkSync(path.join(dir, fd)); } catch { return ''; }
  });
}
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const SECRET = /roll\.db|box\.db|-wal$|-shm$|server-sign\.key/;

let srv = await startServer();
try {
  eq((await request(srv, 'GET', '/api/v1/status')).status, 200, 'serving');
  check(srv.netPid !== srv.privPid, 'two processes');
  const ppidOf = (pid) => +fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1];
  const keeper = ppidOf(srv.netPid);
  check(keeper !== srv.privPid && keeper > 1, 'the network process is the supervisor\'s child');
  eq(ppidOf(keeper), srv.privPid, 'the supervisor is the privileged process\'s child');
  const kept = openFiles(keeper);
  eq(kept.filter((f) => SECRET.test(f) || f.startsWith(path.resolve(srv.data))), [],
    `the supervisor holds no store, key or data-dir file: ${kept.join(', ')}`);
  eq(kept.filter((f) => !/^socket:|^pipe:|^\/dev\/(null|pts|tty)/.test(f)), [],
    `the supervisor holds only sockets, pipes and stdio: ${kept.join(', ')}`);
  check(!SECRET.test(fs.readFileSync(`/proc/${keeper}/maps`, 'utf8')), 'nothing of the store mapped in the supervisor');
  srv.keeperPid = keeper;
  eq(srv.privPid, srv.child.pid, 'the privileged process is the one we started');
  const net = openFiles(srv.netPid);
  const priv = openFiles(srv.privPid);
  eq(net.filter((f) => SECRET.test(f)), [], `network process holds no store or key: ${net.join(', ')}`);
  check(priv.some((f) => /roll\.db$/.test(f)) && priv.some((f) => /box\.db$/.test(f)),
    'control: the privileged process has both databases open');
  // The network side holds sockets, pipes, stdio, /dev/null: no other file in the data dir.
  eq(net.filter((f) => f.startsWith(path.resolve(srv.data))), [], 'no data-dir file open in the network process');
  const maps = fs.readFileSync(`/proc/${srv.netPid}/maps`, 'utf8');
  check(!SECRET.test(maps), 'nothing of the store mapped in the network process');

  // SIGKILL the privileged process: the network process follows.
  process.kill(srv.privPid, 'SIGKILL');
  let gone = false;
  for (let i = 0; i < 40 && !gone; i++) { await sleep(100); gone = !alive(srv.netPid) && !alive(srv.keeperPid); }
  check(gone, 'the network process and its supervisor died with the privileged process');
} finally {
  await srv.stop();
}

// SIGTERM: both stop, exit status 0.
srv = await startServer();
const code = await new Promise((resolve) => {
  srv.child.on('exit', (c) => resolve(c));
  srv.child.kill('SIGTERM');
});
eq(code, 0, 'clean stop');
await sleep(200);
eq(alive(srv.netPid), false, 'network process stopped too');
done('privsep');
