// webfp.mjs — the web apps' fingerprint (docs/server.md) on the real
// server: `scrutin fingerprint` = what `scrutin serve` prints = GET
// /api/v1/fingerprint = recomputed here from the files (kiosk/, the /k/
// alias, the vendor files) and from the bytes served; the record's
// meeting.started, scrutin-verify, the minutes and the QR sheets carry
// it; `scrutin-trustee web` accepts the served apps against it and,
// once one served byte changed, refuses them in French naming the file;
// scrutin-verify refuses a malformed `web` field.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, tmpDir, startServer, cli, cliJson, request } from './lib.mjs';
import { setupMeeting, makeRoll, api, attend, ceremony, openBallot, rewriteRecord } from './meeting-lib.mjs';

const TOOL = path.resolve(process.env.BUILD || 'build', 'scrutin-trustee');
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
const data = tmpDir('webfp');
const assets = path.join(data, 'kiosk');
fs.cpSync('kiosk', assets, { recursive: true });

// The fingerprint recomputed from the files, as documented: every web
// file (the served extensions) by path, /k/index.html = /v/index.html,
// the three vendor files; lines "<sha256>  <path>\n" sorted bytewise.
function fromFiles(dir) {
  const files = new Map();
  const walk = (d, prefix) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(path.join(d, e.name), `${prefix}/${e.name}`);
      else if (/\.(html|css|js|mjs|json|webmanifest|wasm|svg|png|ico|woff2|txt)$/.test(e.name))
        files.set(`${prefix}/${e.name}`, fs.readFileSync(path.join(d, e.name)));
    }
  };
  walk(dir, '');
  files.set('/k/index.html', files.get('/v/index.html'));
  files.set('/vendor/libsodium-wrappers.mjs', fs.readFileSync('node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs'));
  files.set('/vendor/libsodium-sumo.mjs', fs.readFileSync('node_modules/libsodium-sumo/dist/modules-sumo-esm/libsodium-sumo.mjs'));
  files.set('/vendor/jsQR.js', fs.readFileSync('node_modules/jsqr/dist/jsQR.js'));
  const paths = [...files.keys()].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const lines = paths.map((p) => `${sha(files.get(p))}  ${p}\n`).join('');
  return { paths, digest: sha(lines) };
}

function tool(args) {
  const r = spawnSync(TOOL, args, { encoding: 'utf8', timeout: 120000 });
  return { status: r.status, out: r.stdout + r.stderr, stdout: r.stdout };
}

const want = fromFiles(assets);
const fp = cliJson(['fingerprint', '--assets', assets, '--json']);
eq(fp.status, 0, 'scrutin fingerprint runs');
eq(fp.json.digest, want.digest, 'the CLI digest = the one recomputed from the files');
eq(fp.json.files.map((f) => f.path), want.paths, 'the CLI lists every served path, sorted');
const text = cli(['fingerprint', '--assets', assets]);
check(text.stdout.endsWith(`empreinte des applications web : ${want.digest}\n`), 'the text form ends with the digest');
eq(sha(text.stdout.split('\n').slice(0, -2).join('\n') + '\n'), want.digest,
  'the text form\'s lines hash to the digest (sha256sum format)');

const m = setupMeeting(data, { members: 4 });
let srv = await startServer({ data, extra: ['--assets', assets] });
let stopped = false;
try {
  check(srv.out().includes(`(web apps' fingerprint) : ${want.digest}`), `serve prints the digest: ${srv.out()}`);
  const r = await request(srv, 'GET', '/api/v1/fingerprint');
  eq(r.status, 200, 'GET /api/v1/fingerprint');
  eq(r.json.digest, want.digest, 'the API digest = the CLI\'s');
  eq(r.json.files, fp.json.files, 'the API list = the CLI\'s');
  // Recomputed from the bytes served, not from the list.
  let lines = '';
  for (const f of r.json.files) {
    const a = await request(srv, 'GET', f.path);
    eq(a.status, 200, `${f.path} served`);
    lines += `${sha(Buffer.from(a.text, 'utf8'))}  ${f.path}\n`;
  }
  eq(sha(lines), want.digest, 'the digest recomputed from the bytes served');

  const pin = new crypto.X509Certificate(srv.ca).fingerprint256;
  const origin = `https://localhost:${srv.port}`;
  let t = tool(['web', '--url', origin, '--digest', want.digest, '--pin', pin]);
  eq(t.status, 0, `scrutin-trustee web accepts the served apps: ${t.out}`);
  check(/Applications web conformes/.test(t.stdout), 'and says so in French');
  t = tool(['web', '--url', origin, '--digest', want.digest.toUpperCase(), '--pin', pin]);
  eq(t.status, 2, 'a malformed --digest is a usage error');
  check(/--digest : 64 chiffres/.test(t.out), `named: ${t.out}`);
  t = tool(['web', '--url', origin, '--digest', want.digest]);
  eq(t.status, 2, 'never without --ca or --pin');

  // The meeting starts: its record names the digest the meeting ran with.
  const base = `/api/v1/meetings/${m.id}`;
  await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, 'meeting started');
  // One question counted: the minutes exist.
  eq((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[0], 'check-in', 'present'))).status, 200, 'check-in');
  eq((await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken)).status, 200, 'open q2');
  const q2 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q2');
  eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q2, 'q2', m.voters[0], [1, 0, 0]))).status, 200, 'ballot');
  eq((await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken)).status, 200, 'close q2');
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status, 200, 'meeting ended');
  const rec = cli(['record', 'export', m.id, '--data', data]);
  const lines2 = rec.stdout.trim().split('\n');
  const started = lines2.map((l) => JSON.parse(l)).find((e) => e.kind === 'meeting.started');
  eq(started.payload.web, want.digest, 'meeting.started carries the digest');
  const file = path.join(data, 'record.jsonl');
  fs.writeFileSync(file, rec.stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', file], { encoding: 'utf8' });
  eq(ver.status, 0, `the record verifies: ${ver.stdout}${ver.stderr}`);
  check(ver.stdout.includes(`Applications web servies à l'ouverture de séance : empreinte ${want.digest}`), 'scrutin-verify prints it');
  const pv = await request(srv, 'GET', `${base}/minutes`);
  eq(pv.status, 200, `minutes: ${pv.text}`);
  const short = want.digest.slice(0, 16).match(/..../g).join(' ');
  check(pv.text.includes(`empreinte <b>${short}</b> (SHA-256 <code>${want.digest}</code>)`), 'the minutes carry it, short and whole');
  for (const [what, bad] of [['upper', want.digest.toUpperCase()], ['short', want.digest.slice(2)], ['number', 7]]) {
    const v = rewriteRecord({ data, meeting: m.id, lines: lines2, file }, what, (evs) => {
      evs.find((e) => e.kind === 'meeting.started').payload.web = bad;
    });
    check(v.status !== 0 && /invalid field web/.test(v.stdout + v.stderr), `scrutin-verify refuses a ${what} web field: ${v.stdout}`);
  }

  // The sheets: short form shown, whole in the footer.
  const out = path.join(data, 'fiches');
  const iss = cli(['cred', 'offline', '--roll', makeRoll(tmpDir('webfp-roll'), 2), '--meeting', 'ag-fiches',
    '--host', 'localhost', '--out', out, '--codes', path.join(data, 'codes.csv'), '--assets', assets]);
  eq(iss.status, 0, `cred offline: ${iss.stderr}`);
  const sheet = fs.readFileSync(path.join(out, 'sheets', fs.readdirSync(path.join(out, 'sheets'))[0]), 'utf8');
  check(sheet.includes(`<b>${short}</b>`) && sheet.includes(want.digest), 'the sheet carries the fingerprint');

  // One served byte changed: another digest, and the check fails.
  await srv.stop();
  stopped = true;
  const api_js = path.join(assets, 'js', 'api.js');
  const b = fs.readFileSync(api_js);
  b[b.length - 2] ^= 1;
  fs.writeFileSync(api_js, b);
  const changed = cliJson(['fingerprint', '--assets', assets, '--json']).json.digest;
  check(changed !== want.digest && changed === fromFiles(assets).digest, 'one byte changed: another digest');
  srv = await startServer({ data, extra: ['--assets', assets] });
  stopped = false;
  t = tool(['web', '--url', `https://localhost:${srv.port}`, '--digest', want.digest, '--pin',
    new crypto.X509Certificate(srv.ca).fingerprint256]);
  eq(t.status, 1, `the changed apps are refused: ${t.out}`);
  check(/ne sont pas celles publiées/.test(t.out) && t.out.includes(changed), 'in French, with the recomputed digest');
} finally {
  if (!stopped) await srv.stop();
}
done('webfp');
