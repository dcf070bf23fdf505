// demo.mjs — `scrutin demo` (what `make demo` runs): started on a free
// loopback port with a fresh data directory, it prints the moderator's,
// the scrutineers', the projector's, the in-room kiosk's and the members'
// URLs, then the first member's link as a QR code drawn with UTF-8 half
// blocks; the QR code printed decodes (zbarimg) to exactly that member's
// URL; the moderator's and kiosk pages answer over HTTPS with the demo's
// certificate; the counts it prints agree with what the projector shows
// once the meeting starts (30 members, 29 voters, 30 credentials); it says
// how to reach it from a phone (--lan) and warns of the certificate there;
// `scrutin demo --help` names the option; SIGTERM stops it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
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
while (!(/en écoute sur https:\/\//.test(err) && /Arrêt : Ctrl-C/.test(out))) {
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
  const ca = fs.readFileSync(path.join(data, 'donnees', 'tls-cert.pem')); // the data directory is DIR/donnees
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

  // The counts printed are the ones the console and projector will show.
  const counts = out.match(/^Registre : (\d+) adhérents, dont (\d+) sympathisant \(voix consultative\) : (\d+) votants\. Identifiants de vote : (\d+) \(3 ci-dessus, (\d+) sur les fiches\)\.$/m);
  check(counts !== null, `the counts are printed: ${out.match(/^Registre.*$/m)}`);
  eq(counts && counts.slice(1).map(Number), [30, 1, 29, 30, 27], 'roll, consultative, voters, credentials');
  const sheets = fs.readdirSync(path.join(data, 'fiches', 'sheets')).filter((f) => /\.(png|svg|pdf|html)$/.test(f));
  check(sheets.length > 0, `the sheets exist (${sheets.length} files)`);
  const started = await new Promise((resolve, reject) => {
    const req = https.request(`${origin}/api/v1/meetings/ag-demo/start`, { method: 'POST', ca,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mod.split('#ag-demo.')[1]}` } }, (res) => {
      let body = ''; res.on('data', (d) => { body += d; }); res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject); req.end('{}');
  });
  eq(started, 200, 'the moderator starts the demo meeting');
  const live = await new Promise((resolve, reject) => {
    https.get(`${origin}/api/v1/meetings/ag-demo`, { ca }, (res) => {
      let body = ''; res.on('data', (d) => { body += d; }); res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
  eq(live.attendance?.voters, counts && +counts[3], 'the projector\'s voters = the printed voters');
  check(/Ces liens ne s'ouvrent que sur cette machine \(127\.0\.0\.1\)\. Pour les ouvrir depuis un téléphone du même Wi-Fi : make demo DEMO_LAN=1/.test(out),
    'it says how to reach it from a phone');
} finally {
  child.kill('SIGTERM');
}
const ex = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 10000))]);
check(ex !== null, 'demo stopped on SIGTERM');

// --help names the option.
const help = spawnSync(BIN, ['demo', '--help'], { encoding: 'utf8' });
check(help.status === 0 && /--lan\s+sert sur l'adresse de la machine dans le réseau local/.test(help.stdout), 'demo --help names --lan');

// --lan: served and linked on the machine's LAN address, with the
// certificate warning; or, on a machine without one, a clear refusal.
{
  const lanAddr = Object.values(os.networkInterfaces()).flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal && !i.address.startsWith('169.254.'));
  const d2 = tmpDir('demo-lan');
  const p2 = await freePort();
  const c2 = spawn(BIN, ['demo', '--lan', '--data', d2, '--port', String(p2)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let o2 = '', e2 = '';
  c2.stdout.setEncoding('utf8'); c2.stderr.setEncoding('utf8');
  c2.stdout.on('data', (x) => { o2 += x; }); c2.stderr.on('data', (x) => { e2 += x; });
  const ex2 = new Promise((r) => c2.on('exit', (code) => r(code)));
  if (!lanAddr) {
    eq(await ex2, 1, '--lan without a LAN address exits 1');
    check(/aucune adresse de réseau local/.test(e2 + o2), 'and says why');
  } else {
    const end = Date.now() + 120000;
    while (!(/en écoute sur https:\/\//.test(e2) && /Arrêt : Ctrl-C/.test(o2)) && Date.now() < end && c2.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    try {
      const host = `${lanAddr.address}:${p2}`;
      check(o2.includes(`Modérateur      : https://${host}/m/#ag-demo.`), `--lan: the moderator's link on ${host}`);
      const ms = [...o2.matchAll(/^Membre (\d{4})\s*: (\S+)/gm)];
      check(ms.length === 3 && ms.every((x) => x[2].startsWith(`https://${host}/v/#ag-demo.`)), '--lan: the members\' links on the LAN address');
      check(/Réseau local : les téléphones connectés au même Wi-Fi ouvrent ces liens/.test(o2) &&
        /avertissement : le certificat de la démonstration est auto-signé ; acceptez-le/.test(o2), '--lan: the certificate warning');
      const ca2 = fs.readFileSync(path.join(d2, 'donnees', 'tls-cert.pem'));
      const st2 = await new Promise((resolve, reject) => {
        https.get(`https://${host}/api/v1/status`, { ca: ca2, checkServerIdentity: () => undefined }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
      });
      eq(st2, 200, `--lan: the appliance answers on ${host}`);
    } finally {
      c2.kill('SIGTERM');
      await ex2;
    }
  }
}
done('demo');
