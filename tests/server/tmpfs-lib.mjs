// tmpfs-lib.mjs — a small disk that really fills up, for the tests of
// degraded storage (tests/server/diskfull.mjs, tests/kiosk/storage-ui.mjs):
// a tmpfs mounted under test-output/, a file that takes every free byte,
// and the unmount. Mounting needs root (CAP_SYS_ADMIN): without it the
// test says why and passes as skipped, except under CI (CI set), where
// it fails.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpDir } from './lib.mjs';

// Mounts a tmpfs of `size` (e.g. '3m'); returns its absolute path, or
// exits the test as skipped when mounting is impossible (not under CI).
export function mountTmpfs(name, size = '3m') {
  const mnt = path.resolve(tmpDir(name));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt], { encoding: 'utf8' });
  if (r.status !== 0) {
    const why = `cannot mount a ${size} tmpfs on ${mnt} (needs root): ${(r.stderr || r.error || '').toString().trim()}`;
    if (process.env.CI) throw new Error(`${name}: ${why}`);
    console.log(`${name}: SKIPPED — ${why}`);
    process.exit(0);
  }
  // Unmounted however the test ends (a failing check exits at once).
  process.on('exit', () => unmount(mnt));
  return mnt;
}

const unmounted = new Set();
export function unmount(mnt) {
  if (unmounted.has(mnt)) return;
  unmounted.add(mnt);
  spawnSync('umount', [mnt]);
}

// Takes every free byte of the file system of `file`; returns the bytes
// written (delete the file to free them).
export function fillDisk(file) {
  const fd = fs.openSync(file, 'a');
  const chunk = Buffer.alloc(16384, 0x55);
  let n = 0;
  for (const size of [16384, 4096, 512, 1]) {
    try {
      for (;;) n += fs.writeSync(fd, chunk.subarray(0, size));
    } catch (e) {
      if (e.code !== 'ENOSPC') { fs.closeSync(fd); throw e; }
    }
  }
  fs.closeSync(fd);
  return n;
}
