// cred.mjs — credentials end to end: `scrutin cred issue` writes sheets,
// QR codes (PNG decoded by zbarimg; SVG rasterised here and decoded too)
// and the code list; the key the server stored is the one libsodium (in
// Node, an independent caller) derives from fragment + code per
// docs/protocol.md §9; the sheet holds neither the code nor the secret;
// activation over HTTPS with a real signature; revoke and reissue are
// recorded; offline issue hands over only public keys.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cli, cliJson, tmpDir, check, eq, done, sqlite, startServer, request } from './lib.mjs';

// The package's ESM build is broken (0.7.15); its CommonJS build is not.
const S = createRequire(import.meta.url)('libsodium-wrappers-sumo');
await S.ready;
const HOST = 'vote.example.org';
const MEETING = 'ag-2026';

// docs/protocol.md §2: T(label, f...) = frame("scrutin/1") || frame(label) || frame(f)...
function frame(b) {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(b.length);
  return Buffer.concat([len, Buffer.from(b)]);
}
function T(label, ...fields) {
  return Buffer.concat([frame(Buffer.from('scrutin/1')), frame(Buffer.from(label)), ...fields.map(frame)]);
}
function le64(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}
// docs/protocol.md §9, written again from the text.
// The voting URL's fragment is "<meeting>.<link secret>" (docs/protocol.md
// §9): the link secret of a URL, checked to name the meeting.
function linkSecret(url, meeting) {
  const f = new URL(url).hash.slice(1);
  const dot = f.lastIndexOf('.');
  eq(f.slice(0, dot), meeting, `the link names meeting ${meeting}`);
  return f.slice(dot + 1);
}

function derive(meeting, fragment, code) {
  const ls = Buffer.from(fragment, 'base64url');
  const cc = code.replaceAll('-', '').toUpperCase();
  const salt = S.crypto_hash_sha256(T('credential-salt', Buffer.from(meeting))).subarray(0, 16);
  const seed = S.crypto_pwhash(32, Buffer.concat([ls, Buffer.from(cc, 'ascii')]), salt, 2,
    19922944, S.crypto_pwhash_ALG_ARGON2ID13);
  return S.crypto_sign_seed_keypair(seed);
}
const hex = (b) => Buffer.from(b).toString('hex');

function zbar(file) {
  const r = spawnSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' });
  return r.stdout.trim();
}
// Rasterises our SVG (unit squares "Mx yh1v1h-1z") to a PBM for zbarimg,
// after checking it is well-formed: one root, balanced tags, nothing else.
function svgToPbm(svg, file) {
  const tags = svg.match(/<[^>]+>/g);
  const stack = [];
  for (const t of tags) {
    if (t.startsWith('</')) { if (stack.pop() !== t.slice(2, -1)) return false; }
    else if (!t.endsWith('/>')) stack.push(t.slice(1).split(/[\s>]/)[0]);
  }
  if (stack.length !== 0 || !svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') ||
      !svg.trimEnd().endsWith('</svg>') || /<script|href|on\w+=/i.test(svg)) return false;
  const vb = +svg.match(/viewBox="0 0 (\d+) \d+"/)[1];
  const d = svg.match(/<path fill="#000" d="([^"]*)"/)[1];
  if (!/^(M\d+ \d+h1v1h-1z)*$/.test(d)) return false;
  const grid = Array.from({ length: vb }, () => new Array(vb).fill(0));
  for (const [, x, y] of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) grid[+y][+x] = 1;
  const sc = 4;
  const rows = [];
  for (let y = 0; y < vb * sc; y++) {
    const row = [];
    for (let x = 0; x < vb * sc; x++) row.push(grid[Math.floor(y / sc)][Math.floor(x / sc)]);
    rows.push(row.join(' '));
  }
  fs.writeFileSync(file, `P1\n${vb * sc} ${vb * sc}\n${rows.join('\n')}\n`);
  return true;
}
function readCodes(file) {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  eq(lines[0], 'numero;nom;prenom;email;telephone;code', 'codes header');
  const out = {};
  for (const l of lines.slice(1)) {
    const f = l.split(';').map((x) => x.replace(/^"|"$/g, ''));
    out[f[0]] = { last: f[1], code: f[5] };
  }
  return out;
}

const data = tmpDir('cred');
const rollCsv = `${data}.csv`;
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
fs.writeFileSync(rollCsv, 'numero;nom;prenom;email;catégorie;cotisation\n' +
  `A1;Bérard;Élodie;e@example.org;adherent;${paid}\nA2;Dupont;René;r@example.org;adherent;${paid}\n` +
  `A3;<script>;"x""y";s@example.org;adherent;${paid}\nA4;Faure;Zoé;z@example.org;adherent;${paid}\n`);
eq(cli(['roll', 'import', '--data', data, rollCsv]).status, 0, 'roll imported');
// Credentials come from the roll the convocation froze: both meetings are
// created and convened first (tests/server/frozenroll.mjs tests the
// refusals before it).
const agendaFile = path.join(data, 'agenda.json');
fs.writeFileSync(agendaFile, JSON.stringify({ questions: [
  { id: 'q1', title: 'Motion', kind: 'motion', rule: 'ordinary', secret: false }] }));
const meetingDate = new Date(Date.now() + 45 * 86400e3).toISOString().slice(0, 10);
for (const id of [MEETING, 'ca-2026']) {
  eq(cli(['meeting', 'create', '--data', data, '--id', id, '--title', id, '--date', meetingDate,
    '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--agenda', agendaFile,
    '--trustees', '2', '--threshold', '2']).status, 0, `meeting ${id} created`);
  eq(cli(['meeting', 'convene', '--data', data, id]).status, 0, `meeting ${id} convened`);
}

// The sheets and codes are never written under the data directory (only
// the privileged user reads it): refused, in French, nothing written, no
// credential made; whether through --out, --codes, or a path that only
// resolves there (.., a link).
fs.symlinkSync(path.resolve(data), `${data}-link`);
for (const [what, extra] of [
  ['--out in the data directory', ['--out', path.join(data, 'fiches')]],
  ['--out as the data directory', ['--out', data]],
  ['--out through ..', ['--out', path.join(`${data}-x`, '..', path.basename(data), 'a', 'b')]],
  ['--out through a link', ['--out', path.join(`${data}-link`, 'fiches')]],
  ['--codes in the data directory', ['--out', `${data}-ok`, '--codes', path.join(data, 'codes.csv')]],
]) {
  const r = cli(['cred', 'issue', '--data', data, '--meeting', MEETING, '--host', HOST, ...extra]);
  eq(r.status, 1, `${what}: refused`);
  check(/est dans le répertoire de données .* choisissez un répertoire hors de celui-ci/.test(r.stderr), `${what}: says why, in French: ${r.stderr}`);
}
eq(['fiches', 'codes.csv', 'a'].filter((f) => fs.existsSync(path.join(data, f))), [], 'nothing written in the data directory');
eq(fs.existsSync(`${data}-ok`), false, 'nor elsewhere');
eq(cliJson(['cred', 'list', '--data', data, '--meeting', MEETING]).json.length, 0, 'no credential made');

// Issue.
const out = `${data}-out`; // outside the data directory (refused there)
const issue = cli(['cred', 'issue', '--data', data, '--meeting', MEETING, '--host', HOST,
  '--out', out, '--association', 'Les Amis du Vélo']);
eq(issue.status, 0, `issue: ${issue.stderr}`);
eq(fs.statSync(path.join(out, 'codes.csv')).mode & 0o777, 0o600, 'codes file is 0600');
const codes = readCodes(path.join(out, 'codes.csv'));
eq(Object.keys(codes).sort(), ['A1', 'A2', 'A3', 'A4'], 'one code each');
const list = cliJson(['cred', 'list', '--data', data, '--meeting', MEETING]).json;
eq(list.length, 4, 'four credentials');
const stored = Object.fromEntries(list.map((c) => [c.member, c]));

for (const no of ['A1', 'A2', 'A3', 'A4']) {
  const url = zbar(path.join(out, 'qr', `m-${no}.png`));
  const m = url.match(new RegExp(`^https://vote\\.example\\.org/v/#${MEETING.replace(/\./g, '\\.')}\\.([A-Za-z0-9_-]{22})$`));
  check(m !== null, `${no}: PNG QR holds the voting URL (${url})`);
  const u = new URL(url);
  eq([u.pathname, u.search], ['/v/', ''], `${no}: the secret is only in the fragment`);
  const svg = fs.readFileSync(path.join(out, 'qr', `m-${no}.svg`), 'utf8');
  const pbm = path.join(out, `m-${no}.pbm`);
  check(svgToPbm(svg, pbm), `${no}: SVG well-formed, squares only`);
  eq(zbar(pbm), url, `${no}: SVG QR decodes to the same URL`);
  const { code } = codes[no];
  check(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/.test(code), `${no}: code shape`);
  const kp = derive(MEETING, m[1], code);
  eq(hex(kp.publicKey), stored[no].pk, `${no}: stored key = key derived by libsodium in Node`);
  const sheet = fs.readFileSync(path.join(out, 'sheets', `m-${no}.html`), 'utf8');
  check(!sheet.includes(code) && !sheet.includes(code.replace('-', '')), `${no}: sheet has no code`);
  check(!sheet.includes(m[1]), `${no}: sheet has no link secret in text`);
  check(sheet.includes('https://vote.example.org/v/<') || sheet.includes('https://vote.example.org/v/</span>'), `${no}: public URL shown`);
  check(sheet.includes('<svg xmlns'), `${no}: QR inline`);
  check(sheet.includes('Les Amis du V\u00e9lo'), `${no}: association`);
  stored[no].kp = kp;
  stored[no].fragment = m[1];
}
const s3 = fs.readFileSync(path.join(out, 'sheets', 'm-A3.html'), 'utf8');
const s1 = fs.readFileSync(path.join(out, 'sheets', 'm-A1.html'), 'utf8');
check(s1.includes('<title>Identifiant de vote — Élodie Bérard</title>') && s1.includes('<p class="who">Élodie Bérard <span'),
  'the sheet names the member « Prénom Nom » (server/member_name.c)');
check(s3.includes('&lt;script&gt;') && !s3.includes('<script>') && s3.includes('x&quot;y'), 'sheet escapes roll values');
eq(sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE kind = 'credential.issue'"), '4', 'issues recorded');
// Issuing again issues nothing new (everyone has one).
const again = cli(['cred', 'issue', '--data', data, '--meeting', MEETING, '--host', HOST, '--out', `${out}2`]);
check(again.status === 0 && again.stdout.startsWith('0 identifiants'), 'no double issue');

// Activation over HTTPS.
const srv = await startServer({ data });
try {
  const A = '/api/v1/credential/activate';
  const serverKey = Buffer.from((await request(srv, 'GET', '/api/v1/status')).json.server_key, 'hex');
  const sign = (no, ts, meeting = MEETING) => hex(S.crypto_sign_detached(
    T('credential-activate', Buffer.from(meeting), Buffer.from(stored[no].pk, 'hex'), le64(ts)),
    stored[no].kp.privateKey));
  const now = Math.floor(Date.now() / 1000);
  const events0 = sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM events');

  const bad = await request(srv, 'POST', A, { json: { meeting: MEETING, pk: stored.A1.pk, ts: now, sig: sign('A2', now) } });
  eq([bad.status, bad.json.error.code], [403, 'bad_signature'], 'another key\'s signature');
  const other = await request(srv, 'POST', A, { json: { meeting: 'ca-2026', pk: stored.A1.pk, ts: now, sig: sign('A1', now, 'ca-2026') } });
  eq([other.status, other.json.error.code], [404, 'credential_unknown'], 'wrong meeting');
  eq(sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM events'), events0, 'refusals recorded nothing');

  const ok = await request(srv, 'POST', A, { json: { meeting: MEETING, pk: stored.A1.pk, ts: now, sig: sign('A1', now) } });
  eq([ok.status, ok.json.status], [200, 'activated'], 'activated');
  const ack = T('credential-activated', Buffer.from(MEETING), Buffer.from(stored.A1.pk, 'hex'), le64(ok.json.activated_at));
  check(S.crypto_sign_verify_detached(Buffer.from(ok.json.server_sig, 'hex'), ack, serverKey), 'server acknowledgement verifies');
  const twice = await request(srv, 'POST', A, { json: { meeting: MEETING, pk: stored.A1.pk, ts: now, sig: sign('A1', now) } });
  eq([twice.status, twice.json.status, twice.json.activated_at], [200, 'already_active', ok.json.activated_at], 'idempotent');
  eq(sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE kind = 'credential.activate'"), '1', 'one activation recorded');

  // Revoke A2: its key no longer activates. Reissue A4.
  const rv = cli(['cred', 'revoke', '--data', data, '--meeting', MEETING, '--member', 'A2', '--reason', 'feuille perdue']);
  eq(rv.status, 0, `revoke: ${rv.stderr}`);
  const revoked = await request(srv, 'POST', A, { json: { meeting: MEETING, pk: stored.A2.pk, ts: now, sig: sign('A2', now) } });
  eq([revoked.status, revoked.json.error.code], [403, 'credential_revoked'], 'revoked key refused');
  eq(cli(['cred', 'revoke', '--data', data, '--meeting', MEETING, '--member', 'A2', '--reason', 'x']).status, 1, 'nothing left to revoke');
  const re = cli(['cred', 'reissue', '--data', data, '--meeting', MEETING, '--member', 'A4',
    '--reason', 'code perdu', '--host', HOST, '--out', `${data}-out-a4`]);
  eq(re.status, 0, `reissue: ${re.stderr}`);
  const l2 = cliJson(['cred', 'list', '--data', data, '--meeting', MEETING]).json.filter((c) => c.member === 'A4');
  eq(l2.map((c) => [c.status, c.revoke_reason]), [['revoked', 'code perdu'], ['active', null]], 'A4 history');
  eq(l2[0].pk, stored.A4.pk, 'old key kept, marked revoked');
  const newUrl = zbar(path.join(`${data}-out-a4`, 'qr', 'm-A4.png'));
  const newCode = readCodes(path.join(`${data}-out-a4`, 'codes.csv')).A4.code;
  eq(hex(derive(MEETING, linkSecret(newUrl, MEETING), newCode).publicKey), l2[1].pk, 'new sheet matches new key');
  const ev = cliJson(['events', '--data', data]).json.map((e) => e.kind);
  // The journal's events, each with the public record's event of the
  // convened meeting (credential.issued, .revoked, .reissued).
  eq(ev.filter((k) => k.startsWith('credential.')),
    ['credential.issue', 'credential.issued', 'credential.issue', 'credential.issued',
      'credential.issue', 'credential.issued', 'credential.issue', 'credential.issued',
      'credential.activate', 'credential.revoke', 'credential.revoked', 'credential.revoke',
      'credential.issue', 'credential.reissued'], 'event log');
  const st = (await request(srv, 'GET', '/api/v1/status')).json;
  eq(st.credentials, 3, 'status: active credentials (A2 revoked)');
} finally {
  await srv.stop();
}

// Offline issue on "another machine": no data dir, public keys only.
const off = path.join(data, 'offline');
const o = cli(['cred', 'offline', '--roll', rollCsv, '--meeting', 'ca-2026', '--host', HOST, '--out', off]);
eq(o.status, 0, `offline: ${o.stderr}`);
const pub = JSON.parse(fs.readFileSync(path.join(off, 'public.json'), 'utf8'));
eq(Object.keys(pub).sort(), ['credentials', 'format', 'meeting'], 'public list: fields');
eq(pub.credentials.map((c) => Object.keys(c).sort().join()), ['member,pk', 'member,pk', 'member,pk', 'member,pk'], 'public list: member and pk only');
const offCodes = readCodes(path.join(off, 'codes.csv'));
const a1url = zbar(path.join(off, 'qr', 'm-A1.png'));
eq(hex(derive('ca-2026', linkSecret(a1url, 'ca-2026'), offCodes.A1.code).publicKey),
  pub.credentials.find((c) => c.member === 'A1').pk, 'offline key derivable by the member');
const pubText = fs.readFileSync(path.join(off, 'public.json'), 'utf8');
check(!pubText.includes(offCodes.A1.code) && !pubText.includes(linkSecret(a1url, 'ca-2026')), 'no secret in the public list');

// A list naming an unknown member is refused whole.
const badPub = { ...pub, credentials: [...pub.credentials, { member: 'ZZ', pk: pub.credentials[0].pk.replace(/^../, '00') }] };
fs.writeFileSync(`${off}-bad.json`, JSON.stringify(badPub));
const refused = cli(['cred', 'import-public', '--data', data, `${off}-bad.json`]);
eq(refused.status, 1, 'bad public list refused');
eq(sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM credentials WHERE meeting = 'ca-2026'"), '0', 'nothing imported');
const imp = cli(['cred', 'import-public', '--data', data, path.join(off, 'public.json')]);
eq([imp.status, imp.stdout.trim()], [0, '4 clés publiques importées'], 'public list imported');
const offList = cliJson(['cred', 'list', '--data', data, '--meeting', 'ca-2026']).json;
eq(offList.map((c) => [c.member, c.origin, c.status, c.pk]),
  pub.credentials.map((c) => [c.member, 'offline', 'active', c.pk]), 'offline credentials stored');
eq(cli(['cred', 'import-public', '--data', data, path.join(off, 'public.json')]).status, 1, 'no second import over active ones');
done('cred');
