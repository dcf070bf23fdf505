// demo.mjs — `scrutin demo` (what `make demo` runs): started on a free
// loopback port with a fresh data directory, it prints the moderator's,
// the scrutineers', the projector's, the in-room kiosk's and the members'
// URLs, then the first member's link as a QR code drawn with UTF-8 half
// blocks; the QR code printed decodes (zbarimg) to exactly that member's
// URL; the moderator's and kiosk pages answer over HTTPS with the demo's
// certificate; SIGTERM stops it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { BIN, check, eq, done, tmpDir } from './lib.mjs';

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.on('error', reject);
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});

const data = tmpDir('demo');
const port = await freePort();
const child = spawn(BIN, ['demo', '--data', data, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '', err = '';
child.stdout.setEncoding('utf8');
child.stderr.setEncoding('utf8');
child.stdout.on('data', (d) => { out += d; });
child.stderr.on('data', (d) => { err += d; });
const exited = new Promise((r) => child.on('exit', (code, sig) => r({ code, sig })));
const deadline = Date.now() + 120000;
while (!(/listening on https:\/\//.test(err) && /Arrêt : Ctrl-C/.test(out))) {
  if (child.exitCode !== null) throw new Error(`demo exited ${child.exitCode}:\n${out}\n${err}`);
  if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`demo did not start:\n${out}\n${err}`); }
  await new Promise((r) => setTimeout(r, 200));
}

try {
  const origin = `https://127.0.0.1:${port}`;
  const line = (label) => {
    const m = out.match(new RegExp(`^${label}\\s*: (\\S+)`, 'm'));
    return m ? m[1] : null;
  };
  const mod = line('Modérateur');
  check(mod !== null && mod.startsWith(`${origin}/m/#ag-demo.`), `moderator URL printed: ${mod}`);
  for (const j of [1, 2]) {
    const s = line(`Scrutateur ${j}`);
    check(s !== null && s.startsWith(`${origin}/s/#ag-demo.${j}.`), `scrutineer ${j} URL printed: ${s}`);
  }
  const desk = line('Accueil');
  check(desk !== null && /^https:\/\/127\.0\.0\.1:\d+\/d\/#ag-demo\.[A-Za-z0-9_-]{43}$/.test(desk), `desk URL printed: ${desk}`);
  eq(line('Projecteur'), `${origin}/p/#ag-demo`, 'projector URL printed');
  const kioskUrl = line('Borne de vote');
  eq(kioskUrl, `${origin}/k/`, 'in-room kiosk URL printed');
  const members = [...out.matchAll(/^Membre (\d{4})\s*: (\S+)\s+code ([0-9A-Z]{4}-[0-9A-Z]{4})$/gm)];
  eq(members.length, 3, 'three member links printed, each with its code');
  for (const m of members)
    check(/^https:\/\/127\.0\.0\.1:\d+\/v\/#ag-demo\.[A-Za-z0-9_-]{22}$/.test(m[2]), `member URL shape: ${m[2]}`);
  const first = members[0][2];

  // The QR code: the lines of half blocks after its heading.
  const lines = out.split('\n');
  const h = lines.findIndex((l) => l.startsWith('QR du premier membre'));
  check(h > 0 && lines[h].includes(first), 'QR heading names the first member link');
  const rows = [];
  for (let i = h + 1; i < lines.length; i++) {
    if (lines[i] === '' && rows.length === 0) continue;
    if (!/^[█▀▄ ]+$/.test(lines[i])) break;
    rows.push([...lines[i]]);
  }
  check(rows.length >= 15, `QR printed (${rows.length} lines)`);
  const width = rows[0].length;
  check(rows.every((r) => r.length === width), 'QR lines all the same width');
  // Blocks are light modules (qrencode -t UTF8): top/bottom halves.
  const light = { '█': [1, 1], '▀': [1, 0], '▄': [0, 1], ' ': [0, 0] };
  const mods = [];
  for (const r of rows) { mods.push(r.map((c) => light[c][0])); mods.push(r.map((c) => light[c][1])); }
  // Quiet zone: at least 4 light modules on every side.
  for (let k = 0; k < 4; k++) {
    check(mods[k].every((v) => v === 1) && mods[mods.length - 1 - k].every((v) => v === 1),
      `quiet zone row ${k}`);
    check(mods.every((row) => row[k] === 1 && row[width - 1 - k] === 1), `quiet zone column ${k}`);
  }
  // Decoded by an independent reader, from a PBM (1 = dark), 4 px a module.
  const S = 4;
  const pbm = [`P1\n${width * S} ${mods.length * S}\n`];
  for (const row of mods) {
    const px = row.flatMap((v) => Array(S).fill(v ? 0 : 1)).join(' ');
    for (let k = 0; k < S; k++) pbm.push(px + '\n');
  }
  const f = path.join(data, 'qr-terminal.pbm');
  fs.writeFileSync(f, pbm.join(''));
  const z = spawnSync('zbarimg', ['--raw', '-q', f], { encoding: 'utf8' });
  eq(z.stdout.trim(), first, 'the terminal QR code decodes to the first member URL');

  // The moderator's page over HTTPS, with the demo's own certificate.
  const ca = fs.readFileSync(path.join(data, 'tls-cert.pem'));
  const get = (url) => new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body }));
    }).on('error', reject);
  });
  const page = await get(`${origin}/m/`);
  eq(page.status, 200, 'moderator page answers');
  check(/text\/html/.test(page.type) && /<html/i.test(page.body), 'moderator page is HTML');
  const kioskPage = await get(kioskUrl);
  eq(kioskPage.status, 200, 'kiosk page answers');
  check(/text\/html/.test(kioskPage.type) && /<html/i.test(kioskPage.body), 'kiosk page is HTML');
  const view = await new Promise((resolve, reject) => {
    https.get(`${origin}/api/v1/meetings/ag-demo`, { ca }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(body) }));
    }).on('error', reject);
  });
  eq(view.status, 200, 'demo meeting served');
  eq(view.json.id, 'ag-demo', 'demo meeting id');
} finally {
  child.kill('SIGTERM');
}
const ex = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 10000))]);
check(ex !== null, 'demo stopped on SIGTERM');
done('demo');
