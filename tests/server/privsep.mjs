// privsep.mjs — the process boundary of `scrutin serve` is real: the
// network process (CivetWeb) is the child of a supervisor, itself the
// privileged process's child (supervise.c); neither holds a database
// file, a WAL or the signing key open, while the privileged process does
// (control); killing the privileged process takes the other two down
// with it; SIGTERM stops all three.
// Run as root (confine.c): the privileged process runs as _scrutin with no
// capability, the data directory 0700 and its stores and key 0600, all
// _scrutin's; the supervisor and the network process as _scrutin-net,
// chrooted into an empty, deleted directory, no thread of the network
// process keeping a capability (the supervisor only CAP_NET_BIND_SERVICE),
// and _scrutin-net cannot read the data directory; a restarted network
// process is the same. Not root: all three run as the caller, unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, request, check, eq, done, sleep, ROOT, waitNetRestart } from './lib.mjs';

const status = (pid) => Object.fromEntries(fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  .split('\n').filter(Boolean).map((l) => { const i = l.indexOf(':'); return [l.slice(0, i), l.slice(i + 1).trim()]; }));
const uidOf = (pid) => +status(pid).Uid.split(/\s+/)[0];
const userId = (name) => +spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim();
const CAP_NET_BIND_SERVICE = '0000000000000400';

// What each process runs as, and what it can reach.
function confinement(srv, keeper) {
  if (!ROOT) {
    const me = process.getuid();
    eq([uidOf(srv.privPid), uidOf(keeper), uidOf(srv.netPid)], [me, me, me],
      'not root: the three processes run as the caller, nothing changes');
    console.log('privsep: not root: separate users and the chroot are checked only when run as root');
    return;
  }
  const priv = userId('_scrutin'), net = userId('_scrutin-net');
  check(priv > 0 && net > 0 && priv !== net, 'two system users');
  eq(status(srv.privPid).Uid.split(/\s+/).map(Number), [priv, priv, priv, priv], 'the privileged process runs as _scrutin (real, effective, saved, fs)');
  eq(status(srv.netPid).Uid.split(/\s+/).map(Number), [net, net, net, net], 'the network process runs as _scrutin-net');
  eq(uidOf(keeper), net, 'the supervisor runs as _scrutin-net');
  eq([status(srv.privPid).CapPrm, status(srv.privPid).CapEff, status(srv.privPid).NoNewPrivs],
    ['0000000000000000', '0000000000000000', '1'], 'the privileged process keeps no capability, no new privileges');
  eq(status(keeper).CapPrm, CAP_NET_BIND_SERVICE, 'the supervisor keeps CAP_NET_BIND_SERVICE only');
  const tasks = fs.readdirSync(`/proc/${srv.netPid}/task`);
  const caps = tasks.map((t) => fs.readFileSync(`/proc/${srv.netPid}/task/${t}/status`, 'utf8').match(/CapPrm:\s+(\w+)/)[1]);
  check(tasks.length > 2, `the network process's threads: ${tasks.length}`);
  eq([...new Set(caps)], ['0000000000000000'], 'no thread of the network process keeps a capability');
  eq(status(srv.netPid).NoNewPrivs, '1', 'network process: no new privileges');
  for (const pid of [srv.netPid, keeper]) {
    const root = fs.readlinkSync(`/proc/${pid}/root`);
    check(root !== '/' && / \(deleted\)$/.test(root), `process ${pid} is chrooted into a deleted directory: ${root}`);
    eq(fs.readdirSync(`/proc/${pid}/root`), [], `process ${pid}'s root is empty`);
  }
  eq(fs.readlinkSync(`/proc/${srv.privPid}/root`), '/', 'control: the privileged process is not chrooted');
  const dd = fs.statSync(srv.data);
  eq([dd.uid, dd.mode & 0o777], [priv, 0o700], 'the data directory: _scrutin\'s, 0700');
  for (const f of ['roll.db', 'box.db', 'server-sign.key', 'tls-key.pem']) {
    const st = fs.statSync(path.join(srv.data, f));
    eq([st.uid, st.mode & 0o777], [priv, 0o600], `${f}: _scrutin's, 0600`);
  }
  // The network user reaches nothing of it, even outside its chroot.
  const ls = spawnSync('setpriv', ['--reuid', String(net), '--regid', String(net), '--clear-groups',
    'cat', path.join(srv.data, 'server-sign.key')], { encoding: 'utf8' });
  check(ls.status !== 0 && /Permission denied/.test(ls.stderr), `_scrutin-net cannot read the key: ${ls.stderr}`);
  const ok = spawnSync('setpriv', ['--reuid', String(priv), '--regid', String(priv), '--clear-groups',
    'test', '-r', path.join(srv.data, 'server-sign.key')]);
  eq(ok.status, 0, 'control: _scrutin can');
}

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
  eq(kept.filter((f) => !/^socket:|^pipe:|^anon_inode:\[pidfd\]|^\/dev\/(null|pts|tty)/.test(f)), [],
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
  confinement(srv, keeper);
  // A network process the supervisor restarts is confined the same way.
  const old = srv.netPid;
  process.kill(old, 'SIGKILL');
  check(await waitNetRestart(srv, old) > 0, 'network process restarted');
  eq((await request(srv, 'GET', '/api/v1/status')).status, 200, 'the new one serves');
  confinement(srv, keeper);

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
// The supervisor stops on the control socket the privileged process
// closes (as root, they are two users: no signal between them), before
// the network process can stop on its channel: nothing is restarted.
check(!/relancé/.test(srv.log()), `no network process restarted while stopping: ${srv.log()}`);
await sleep(200);
eq(alive(srv.netPid), false, 'network process stopped too');
done('privsep');
