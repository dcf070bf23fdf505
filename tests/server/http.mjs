// http.mjs — the HTTPS surface of `scrutin serve`: TLS versions, security
// headers, static assets and traversal attempts, the API's refusals
// (413 before the body is read, 400, 411, 415, 404, 405) changing
// nothing, and the per-client rate limit (429).
import tls from 'node:tls';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, request, check, eq, done, sqlite, sleep, tmpDir } from './lib.mjs';

const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; " +
  "style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function securityHeaders(r, what) {
  eq(r.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains', `${what}: HSTS`);
  eq(r.headers['content-security-policy'], CSP, `${what}: CSP`);
  eq(r.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  eq(r.headers['referrer-policy'], 'no-referrer', `${what}: referrer`);
  check(/(^|, )camera=\(self\)/.test(r.headers['permissions-policy']), `${what}: camera`);
  eq(r.headers['cross-origin-opener-policy'], 'same-origin', `${what}: COOP`);
}

function tlsConnect(srv, opts) {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: srv.port, ca: srv.ca,
      servername: 'localhost', ...opts }, () => {
      const p = s.getProtocol();
      s.end();
      resolve({ ok: true, protocol: p });
    });
    s.on('error', (e) => resolve({ ok: false, error: e.code || e.message }));
  });
}

// Sends raw bytes over TLS; resolves with what came back once the server
// closes (or after ms).
function rawTls(srv, bytes, ms = 3000) {
  return new Promise((resolve) => {
    let got = '';
    let closed = false;
    const s = tls.connect({ host: '127.0.0.1', port: srv.port, ca: srv.ca,
      servername: 'localhost' }, () => s.write(bytes));
    s.setEncoding('utf8');
    s.on('data', (d) => { got += d; });
    s.on('error', () => {});
    s.on('close', () => { closed = true; resolve({ got, closed }); });
    setTimeout(() => { if (!closed) { s.destroy(); resolve({ got, closed: false }); } }, ms);
  });
}

const srv = await startServer({ extra: ['--rate', '1000', '--burst', '1000'] });
const rollDb = path.join(srv.data, 'roll.db');
try {
  // TLS 1.2 and 1.3 only; nothing in clear.
  const t13 = await tlsConnect(srv, {});
  eq(t13, { ok: true, protocol: 'TLSv1.3' }, 'TLS 1.3 by default');
  const t12 = await tlsConnect(srv, { maxVersion: 'TLSv1.2' });
  eq(t12, { ok: true, protocol: 'TLSv1.2' }, 'TLS 1.2 accepted');
  const t11 = await tlsConnect(srv, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT@SECLEVEL=0' });
  eq(t11.ok, false, 'TLS 1.1 refused');
  const plain = await new Promise((resolve) => {
    let got = '';
    const s = net.connect(srv.port, '127.0.0.1', () => s.write('GET / HTTP/1.0\r\n\r\n'));
    s.on('data', (d) => { got += d; });
    s.on('error', () => {});
    s.on('close', () => resolve(got));
    setTimeout(() => { s.destroy(); resolve(got); }, 2000);
  });
  check(!plain.startsWith('HTTP/'), 'no HTTP in clear');

  // Static assets.
  const root = await request(srv, 'GET', '/');
  eq(root.status, 200, 'GET /');
  eq(root.headers['content-type'], 'text/html; charset=utf-8', 'html type');
  check(root.text.includes('<html lang="fr">'), 'kiosk page');
  securityHeaders(root, 'GET /');
  check(/^"[0-9a-f]{32}"$/.test(root.headers.etag), 'ETag');
  eq(root.headers['cache-control'], 'no-cache', 'asset cache');
  const idx = await request(srv, 'GET', '/index.html');
  eq(idx.headers.etag, root.headers.etag, 'same file, same ETag');
  eq(idx.text, root.text, 'same body');
  const cond = await request(srv, 'GET', '/', { headers: { 'if-none-match': root.headers.etag } });
  eq(cond.status, 304, 'If-None-Match');
  eq(cond.text, '', '304 has no body');
  const head = await request(srv, 'HEAD', '/index.html');
  eq(head.status, 200, 'HEAD');
  eq(head.headers['content-length'], String(Buffer.byteLength(root.text)), 'HEAD length');
  eq(head.text, '', 'HEAD body');

  // The member's phone page /v/ and the in-room kiosk /k/ are one file
  // (kiosk/v/index.html; /k/index.html is an alias in the asset table):
  // the same bytes and ETag under every name, a 304 and a HEAD on /k/ too.
  const pv = await request(srv, 'GET', '/v/');
  eq(pv.status, 200, 'GET /v/');
  eq(pv.text, fs.readFileSync('kiosk/v/index.html', 'utf8'), '/v/ is kiosk/v/index.html');
  check(pv.text.includes('data-page="kiosk"') && pv.text.includes('data-page="phone"'), 'both pages marked in the one file');
  for (const p of ['/k/', '/k/index.html', '/v/index.html']) {
    const r = await request(srv, 'GET', p);
    eq([r.status, r.headers['content-type'], r.headers.etag], [200, 'text/html; charset=utf-8', pv.headers.etag], `${p}: the same file as /v/`);
    eq(r.text, pv.text, `${p}: the same bytes as /v/`);
    securityHeaders(r, `GET ${p}`);
  }
  const kc = await request(srv, 'GET', '/k/', { headers: { 'if-none-match': pv.headers.etag } });
  eq([kc.status, kc.headers.etag, kc.text], [304, pv.headers.etag, ''], '/k/ revalidates with the ETag of /v/');
  const kh = await request(srv, 'HEAD', '/k/');
  eq([kh.status, kh.headers['content-length'], kh.text], [200, String(Buffer.byteLength(pv.text)), ''], 'HEAD /k/');

  // Traversal and odd paths: refused, and nothing secret ever comes back.
  const attempts = {
    '/../server/web.c': 400, '/%2e%2e/%2e%2e/etc/passwd': 400,
    '/..%2fserver-sign.key': 400, '/%2E%2E%5Croll.db': 400, '/.hidden': 400,
    '//etc/passwd': 400, '/index.html/..': 400, '/a%00b': 400,
    '/tls-key.pem': 404, '/roll.db': 404, '/server-sign.key': 404,
    '/kiosk.mk': 404, '/nope.html': 404, '/nope/': 404,
  };
  for (const [p, want] of Object.entries(attempts)) {
    const r = await request(srv, 'GET', p);
    eq(r.status, want, `GET ${p}`);
    eq(r.json?.error?.code, want === 400 ? 'bad_path' : 'not_found', `${p} code`);
    check(!/PRIVATE KEY|root:|SQLite format/.test(r.text), `${p} leaks nothing`);
    securityHeaders(r, `GET ${p}`);
  }
  const post = await request(srv, 'POST', '/', { body: 'x', headers: { 'content-type': 'text/plain' } });
  eq(post.status, 405, 'POST on an asset');
  eq(post.headers.allow, 'GET, HEAD', 'Allow');

  // API routing.
  const st = await request(srv, 'GET', '/api/v1/status');
  eq(st.status, 200, 'status');
  // The versions the stores are at on disk (every migration of
  // server/store.c applied), as the status reports them.
  const boxDb = path.join(srv.data, 'box.db');
  eq(st.json.schema, { roll: +sqlite(rollDb, 'PRAGMA user_version'), box: +sqlite(boxDb, 'PRAGMA user_version') }, 'schema versions');
  check(st.json.schema.roll >= 9 && st.json.schema.box >= 2, `schema versions are the migrated ones (${JSON.stringify(st.json.schema)})`);
  check(/^[0-9a-f]{64}$/.test(st.json.server_key), 'server key');
  eq(st.headers['cache-control'], 'no-store', 'API not cached');
  securityHeaders(st, 'status');
  eq((await request(srv, 'GET', '/api/v1/nope')).json.error.code, 'not_found', 'unknown API');
  const wrong = await request(srv, 'GET', '/api/v1/credential/activate');
  eq([wrong.status, wrong.json.error.code], [405, 'method_not_allowed'], 'wrong method');
  eq(wrong.json.error.fr, 'méthode non autorisée', 'French message');
  eq(wrong.json.error.en, 'method not allowed', 'English message');

  // Refusals of bodies; none changes anything.
  const events0 = sqlite(rollDb, 'SELECT count(*) FROM events');
  const A = '/api/v1/credential/activate';
  const good = { meeting: 'ag-2026', pk: '00'.repeat(32), ts: Math.floor(Date.now() / 1000), sig: '00'.repeat(64) };
  const cases = [
    [{ body: '{"meeting":', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
    [{ body: '{"meeting":"a","meeting":"b","pk":"","ts":1,"sig":""}', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
    [{ body: JSON.stringify(good) + ' x', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
    [{ json: [good] }, 400, 'not_an_object'],
    [{ json: { ...good, extra: 1 } }, 400, 'unknown_field'],
    [{ json: { meeting: 'ag-2026', pk: good.pk, ts: 1 } }, 400, 'missing_field'],
    [{ json: { ...good, pk: 'AB'.repeat(32) } }, 400, 'invalid_field'],
    [{ json: { ...good, ts: -5 } }, 400, 'invalid_field'],
    [{ json: { ...good, meeting: '../x' } }, 400, 'invalid_field'],
    [{ body: JSON.stringify(good), headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
    [{ body: JSON.stringify(good), headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, 411, 'length_required'],
    [{ json: good }, 400, 'stale_timestamp', { ...good, ts: 1000 }],
    [{ json: good }, 403, 'bad_signature'],
  ];
  for (const [opts, status, code, override] of cases) {
    const o = override ? { json: override } : opts;
    const r = await request(srv, 'POST', A, o);
    eq([r.status, r.json?.error?.code], [status, code], `${code} (${JSON.stringify(o).slice(0, 60)})`);
    check(typeof r.json.error.fr === 'string' && typeof r.json.error.en === 'string', 'fr and en');
  }
  const unknownField = await request(srv, 'POST', A, { json: { ...good, extra: 1 } });
  eq(unknownField.json.error.field, 'extra', 'the unknown field is named');

  // 413: a declared length over the cap is refused before the body is
  // read, and the connection is closed at once.
  const t0 = Date.now();
  const big = await rawTls(srv, `POST ${A} HTTP/1.1\r\nHost: localhost\r\n` +
    'Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n' + '{'.repeat(1000));
  check(big.got.startsWith('HTTP/1.1 413 '), `413 for a huge length: ${big.got.slice(0, 40)}`);
  check(/\r\nconnection: close\r\n/i.test(big.got), 'Connection: close');
  check(big.got.includes('"payload_too_large"'), '413 code');
  check(big.closed && Date.now() - t0 < 2500, 'closed without reading the body');
  // RFC 9112 §6.3: an ambiguous length is refused before the body, the
  // connection closed, and the bytes after it never answered as a second
  // request (request smuggling behind a proxy honouring the other length).
  const smuggled = 'GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n';
  for (const [what, head] of [
    ['two Content-Length', 'Content-Length: 2\r\nContent-Length: 50\r\n'],
    ['a list of lengths', 'Content-Length: 2, 50\r\n'],
    ['a signed length', 'Content-Length: +2\r\n'],
    ['a Transfer-Encoding', 'Transfer-Encoding: chunked\r\nContent-Length: 2\r\n'],
  ]) {
    const r = await rawTls(srv, `POST ${A} HTTP/1.1\r\nHost: localhost\r\n` +
      `Content-Type: application/json\r\n${head}\r\n{}` + smuggled);
    const statuses = r.got.match(/HTTP\/1\.1 \d{3}/g) || [];
    check(statuses.length <= 1 && r.got.startsWith('HTTP/1.1 400 '),
      `${what}: one answer, 400 (${statuses.join(', ')})`);
    check(!/HTTP\/1\.1 200/.test(r.got), `${what}: the smuggled request is not answered`);
    if (statuses.length === 1 && r.got.includes('"error"'))
      check(r.got.includes('"bad_framing"') || r.got.includes('"bad_path"'),
        `${what}: the JSON error says why`);
    check(r.closed, `${what}: the connection is closed`);
  }
  // CivetWeb's own refusals: our JSON error, and a status line of our
  // making — never the client's bytes (a request line with a space or a
  // CR once came back inside the status line, CRLFs included).
  for (const [what, line, status] of [
    ['a space in the target', 'GET /a b HTTP/1.1', 400],
    ['a CR in the target', 'GET /a\rX-Evil: 1 HTTP/1.1', 400],
    ['no version', 'BLAH', 400],
    ['an unknown version', 'GET / HTTP/9.9', 505],
  ]) {
    const r = await rawTls(srv, `${line}\r\nHost: x\r\n\r\n`);
    const first = r.got.split('\r\n')[0];
    check(first.startsWith(`HTTP/1.1 ${status} `) && !first.includes('Host') &&
      !r.got.includes('X-Evil') && !first.includes('9.9'), `${what}: status line ${JSON.stringify(first)}`);
    check(r.got.includes('"http_refused"') && r.got.includes('requête HTTP refusée'),
      `${what}: the JSON error in French`);
    check(/\r\ncontent-security-policy: /i.test(r.got), `${what}: the security headers`);
  }
  const twoLen = await rawTls(srv, `POST ${A} HTTP/1.1\r\nHost: localhost\r\n` +
    'Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}');
  check(twoLen.got.includes('"bad_framing"') && twoLen.got.includes('longueur de requête ambiguë'),
    `two equal Content-Length headers: bad_framing in French (${twoLen.got.slice(0, 60)})`);
  const over = await request(srv, 'POST', A, { body: 'x'.repeat(8193), headers: { 'content-type': 'application/json' } });
  eq(over.status, 413, 'one byte over the cap');
  const at = await request(srv, 'POST', A, { body: ' '.repeat(8192 - JSON.stringify(good).length) + JSON.stringify(good), headers: { 'content-type': 'application/json' } });
  eq([at.status, at.json.error.code], [403, 'bad_signature'], 'exactly at the cap: parsed');
  eq(sqlite(rollDb, 'SELECT count(*) FROM events'), events0, 'no refusal changed anything');
  eq(sqlite(rollDb, 'SELECT count(*) FROM credentials'), '0', 'no credential appeared');
  eq((await request(srv, 'GET', '/api/v1/status')).json.events, Number(events0), 'status agrees');
} finally {
  await srv.stop();
}

// /k/ is made from /v/ at start: an asset directory where it cannot be
// (a stale k/index.html that would be served instead, or no
// v/index.html) is refused, the server does not start half-served.
for (const [what, change] of [
  ['a stale k/index.html', (d) => { fs.mkdirSync(path.join(d, 'k')); fs.writeFileSync(path.join(d, 'k/index.html'), '<!DOCTYPE html>\n'); }],
  ['no v/index.html', (d) => fs.rmSync(path.join(d, 'v'), { recursive: true })],
]) {
  const dir = tmpDir('assets');
  fs.cpSync('kiosk', dir, { recursive: true });
  change(dir);
  const err = await startServer({ extra: ['--assets', dir] }).then(async (s) => { await s.stop(); return null; }, (e) => e.message);
  check(err !== null && err.includes('assets: /k/ cannot be'), `assets with ${what}: the server refuses to start (${err && err.split('\n').slice(0, 3).join(' | ')})`);
}
// The same copy, untouched, starts and serves /k/.
{
  const dir = tmpDir('assets');
  fs.cpSync('kiosk', dir, { recursive: true });
  const ok = await startServer({ extra: ['--assets', dir] });
  try {
    eq((await request(ok, 'GET', '/k/')).text, fs.readFileSync(path.join(dir, 'v/index.html'), 'utf8'), 'a copied asset directory serves /k/');
  } finally {
    await ok.stop();
  }
}

// Rate limit: a separate server with a small bucket. It counts API
// requests per address; the web apps' files are not counted (a room
// behind one address loads its pages at once).
const slow = await startServer({ extra: ['--rate', '2', '--burst', '5'] });
try {
  const statuses = [];
  let limited = null;
  for (let i = 0; i < 12; i++) {
    const r = await request(slow, 'GET', '/api/v1/status');
    statuses.push(r.status);
    if (r.status === 429 && !limited) limited = r;
  }
  eq(statuses.slice(0, 5), [200, 200, 200, 200, 200], 'burst served');
  check(statuses.filter((s) => s === 429).length >= 5, `then limited: ${statuses}`);
  eq(limited.json.error.code, 'too_many_requests', '429 code');
  eq(limited.headers['retry-after'], '1', 'Retry-After');
  securityHeaders(limited, '429');
  // Meanwhile the pages are served, and do not draw on the bucket.
  const pages = [];
  for (let i = 0; i < 20; i++) pages.push((await request(slow, 'GET', '/index.html')).status);
  eq(pages, Array(20).fill(200), 'pages served while the API is limited');
  await sleep(1100);
  eq((await request(slow, 'GET', '/api/v1/status')).status, 200, 'refilled after a second');
} finally {
  await slow.stop();
}
// A body trickled a byte at a time is cut at the request timeout: the
// whole body must arrive within --timeout-ms (CivetWeb's own timeout is
// per read, and a declared 4,000-byte body once held a worker two hours).
// Checked by the mechanism: the server answers 408 and closes while most
// of the declared body is still unsent.
{
  const quick = await startServer({ extra: ['--timeout-ms', '1500'] });
  try {
    const r = await new Promise((resolve) => {
      let got = '', sent = 0, closed = false, timer = null;
      const s = tls.connect({ host: '127.0.0.1', port: quick.port, ca: quick.ca, servername: 'localhost' }, () => {
        s.write('POST /api/v1/credential/activate HTTP/1.1\r\nHost: localhost\r\n' +
          'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n');
        timer = setInterval(() => { if (!closed && sent < 200) { s.write(' '); sent++; } }, 150);
      });
      s.setEncoding('utf8');
      s.on('data', (d) => { got += d; });
      s.on('error', () => {});
      s.on('close', () => { closed = true; clearInterval(timer); resolve({ got, sent }); });
      setTimeout(() => { if (!closed) { clearInterval(timer); s.destroy(); resolve({ got, sent, open: true }); } }, 40000);
    });
    check(r.got.startsWith('HTTP/1.1 408 ') && r.got.includes('"request_timeout"') &&
      r.got.includes('requête trop lente'), `a trickled body: 408 request_timeout in French (${r.got.slice(0, 40)})`);
    check(!r.open && r.sent < 200, `the connection is closed before the body is complete (${r.sent} of 200 bytes sent)`);
    console.log(`  trickled body cut after ${r.sent} of 200 bytes (one every 150 ms, --timeout-ms 1500)`);
    eq((await request(quick, 'GET', '/api/v1/status')).status, 200, 'the server answers others after it');
  } finally {
    await quick.stop();
  }
}
done('http');
