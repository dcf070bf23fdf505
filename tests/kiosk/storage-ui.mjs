// storage-ui.mjs — the moderator console when the server's disk is full,
// on the real server (build/scrutin serve, loopback HTTPS, its data
// directory on a 3 MB tmpfs: tests/server/tmpfs-lib.mjs) in Debian's
// headless Chromium driven by playwright-core:
//  - all well: no storage banner;
//  - the disk filled for real, « Ouvrir la séance » is refused: the alert
//    gives the server's French message and its detail (« disque plein :
//    libérez de la place sur le serveur (N Mo libres)… »), never the
//    generic « service momentanément indisponible », and the banner comes
//    up with the status's reason;
//  - the space freed, the same button works and the banner goes away;
//  - no CSP violation, no page error.
//   node tests/kiosk/storage-ui.mjs     (from the repository root, after make; as root)
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../server/lib.mjs';
import { api, ceremony, setupMeeting } from '../server/meeting-lib.mjs';
import { mountTmpfs, unmount, fillDisk } from '../server/tmpfs-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const mnt = mountTmpfs('storage-ui');
const data = path.join(mnt, 'data');
const filler = path.join(mnt, 'filler');
fs.mkdirSync(data, { mode: 0o700 });
const m = setupMeeting(data, { members: 4 });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, text, noCsp, openConsole, runTest } = await consoleTest('storage-ui');
await runTest(async () => {
  await ceremony(srv, m);
  const mod = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), 'moderator');
  await mod.waitForSelector('#m-start:not([hidden])', { timeout: 10000 });
  check(await mod.locator('#health').isHidden(), 'all well: no storage banner');

  check(fillDisk(filler) > 0, 'the disk is full');
  await mod.click('#m-start');
  await mod.waitForSelector('#alert:not([hidden])', { timeout: 10000 });
  const said = await text(mod, '#alert');
  check(said.startsWith('Refusé par le serveur : disque plein sur le serveur'), `the alert gives the server's French message (${said})`);
  check(/ — disque plein : libérez de la place sur le serveur \(\d+ Mo libres\) puis réessayez ; rien n'a été perdu$/.test(said),
    'and its detail: what to do, with the free space');
  check(!said.includes('indisponible'), 'never the generic sentence');
  await mod.waitForSelector('#health:not([hidden])', { timeout: 10000 });
  const banner = await text(mod, '#health');
  check(/^Le serveur ne peut plus enregistrer : disque plein : libérez de la place sur le serveur \(\d+ Mo libres\)/.test(banner),
    `the banner says why (${banner})`);
  check((await mod.getAttribute('#health', 'role')) === 'alert', 'the banner is announced (role="alert")');
  const st = await api(srv, 'GET', '/api/v1/status');
  check(st.status === 503 && st.json.state === 'degraded', 'the server says degraded');
  await mod.screenshot({ path: path.join('test-output', 'storage-ui-degraded.png') });

  fs.unlinkSync(filler);
  await mod.click('#m-start');
  await mod.waitForSelector('#health', { state: 'hidden', timeout: 10000 });
  check(await mod.locator('#health').isHidden(), 'space freed, the start accepted: the banner is gone');
  check((await api(srv, 'GET', `/api/v1/meetings/${m.id}`)).json.status === 'live', 'the meeting is live');
  await noCsp(mod, 'moderator');
}, [srv]);
unmount(mnt);
