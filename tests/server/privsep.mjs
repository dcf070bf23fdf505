// privsep.mjs — the process boundary of `scrutin serve` is real: the
// network process (CivetWeb) is a child of the privileged process, holds
// no database file, no WAL, no signing key open, while the privileged
// process does (control); killing the privileged process takes the
// network process down with it; SIGTERM stops both.
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
  const ppid = +fs.readFileSync(`/proc/${srv.netPid}/stat`, 'utf8').split(') ')[1].split(' ')[1];
  eq(ppid, srv.privPid, 'the network process is the child');
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
  for (let i = 0; i < 40 && !gone; i++) { await sleep(100); gone = !alive(srv.netPid); }
  check(gone, 'network process died with the privileged process');
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
