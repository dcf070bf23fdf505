// workers.mjs — how the network process writes responses and frees its
// worker threads (server/civetweb_ext.c, web.c on_request):
//   1. a response is one write: one TLS record for a small one (headers
//      and body together), counted by a TCP relay that reads the record
//      headers going to the client; a body over 64 KiB is a second write;
//   2. when connections wait for a worker, a response closes its own
//      connection ("Connection: close", and the server closes it), so the
//      worker takes the next one instead of idling in keep-alive; with no
//      one waiting, connections are kept alive.
import tls from 'node:tls';
import net from 'node:net';
import { startServer, check, eq, done } from './lib.mjs';

// A TCP relay between a TLS client and the server that splits what the
// server sends into TLS records (5-byte header: type, version, length).
function relay(port) {
  const rec = { list: [] };
  const server = net.createServer((c) => {
    const up = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    c.on('data', (d) => up.write(d));
    up.on('data', (d) => {
      c.write(d);
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
        rec.list.push({ type: buf[0], len: buf.readUInt16BE(3) });
        buf = buf.subarray(5 + buf.readUInt16BE(3));
      }
    });
    c.on('close', () => up.destroy());
    up.on('close', () => c.destroy());
    c.on('error', () => {});
    up.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ port: server.address().port, rec, close: () => server.close() })));
}

// A raw TLS connection: connected (handshake done) and able to send one
// request and wait for its complete answer (Content-Length) or its close.
function rawClient(srv, port, opts = {}) {
  const s = tls.connect({ host: '127.0.0.1', port, ca: srv.ca, servername: 'localhost', ...opts });
  const st = { s, got: Buffer.alloc(0), closed: false, waiters: [] };
  const wake = () => { for (const w of st.waiters.splice(0)) w(); };
  s.on('data', (d) => { st.got = Buffer.concat([st.got, d]); wake(); });
  s.on('close', () => { st.closed = true; wake(); });
  s.on('error', () => {});
  st.ready = new Promise((resolve, reject) => {
    s.once('secureConnect', resolve);
    s.once('error', reject);
  });
  st.until = (cond) => new Promise((resolve) => {
    const test = () => { if (cond()) resolve(); else st.waiters.push(test); };
    test();
  });
  // Resolves with { status, headers, body } once the answer is whole.
  st.ask = async (method, p) => {
    st.got = Buffer.alloc(0);
    s.write(`${method} ${p} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    let head = null;
    await st.until(() => {
      const i = st.got.indexOf('\r\n\r\n');
      if (i < 0) return st.closed;
      const lines = st.got.subarray(0, i).toString('latin1').split('\r\n');
      const headers = {};
      for (const l of lines.slice(1)) {
        const k = l.indexOf(':');
        headers[l.slice(0, k).toLowerCase()] = l.slice(k + 1).trim();
      }
      head = { status: +lines[0].split(' ')[1], headers, start: i + 4 };
      const need = method === 'HEAD' ? 0 : +(headers['content-length'] || 0);
      return st.got.length >= head.start + need || st.closed;
    });
    if (head === null) return null;
    return { status: head.status, headers: head.headers, body: st.got.subarray(head.start) };
  };
  return st;
}

const APPDATA = 23;

// 1. One write per response.
{
  const srv = await startServer({ extra: ['--rate', '1000', '--burst', '1000'] });
  const r = await relay(srv.port);
  try {
    // TLS 1.2: the session ticket is part of the handshake, so every
    // application-data record after it is the answer's.
    const c = rawClient(srv, r.port, { maxVersion: 'TLSv1.2' });
    await c.ready;
    const records = async (method, p) => {
      const before = r.rec.list.length;
      const a = await c.ask(method, p);
      return { a, recs: r.rec.list.slice(before).filter((x) => x.type === APPDATA) };
    };
    const st = await records('GET', '/api/v1/status');
    eq(st.a.status, 200, 'status answered');
    check(JSON.parse(st.a.body.toString('utf8')).server_key !== undefined, 'status body whole');
    eq(st.recs.length, 1, 'a JSON answer: headers and body in one TLS record');
    eq(st.a.headers.connection, 'keep-alive', 'kept alive with no one waiting');
    check(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(st.a.headers.date || ''),
      `Date header (${st.a.headers.date})`);
    const nf = await records('GET', '/api/v1/nothing');
    eq(nf.a.status, 404, '404 answered');
    eq(nf.recs.length, 1, 'an error: one TLS record');
    const page = await records('GET', '/index.html');
    eq(page.a.status, 200, 'page answered');
    eq(page.recs.length, 1, 'a small asset: one TLS record');
    const etag = page.a.headers.etag;
    const cond = await (async () => {
      const before = r.rec.list.length;
      c.got = Buffer.alloc(0);
      c.s.write(`GET /index.html HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: ${etag}\r\n\r\n`);
      await c.until(() => c.got.indexOf('\r\n\r\n') >= 0);
      return { text: c.got.toString('latin1'), recs: r.rec.list.slice(before).filter((x) => x.type === APPDATA) };
    })();
    check(cond.text.startsWith('HTTP/1.1 304 '), '304 answered');
    eq(cond.recs.length, 1, 'a 304: one TLS record');
    const head = await records('HEAD', '/index.html');
    eq(head.a.headers['content-length'], page.a.headers['content-length'], 'HEAD: the length of GET');
    eq(head.recs.length, 1, 'HEAD: one TLS record');
    eq(head.a.body.length, 0, 'HEAD: no body');
    // libsodium's module (> 64 KiB): headers, then the body in TLS
    // records of at most 16 KiB; the body arrives whole.
    const big = await records('GET', '/vendor/libsodium-sumo.mjs');
    eq(big.a.status, 200, 'large asset answered');
    const blen = +big.a.headers['content-length'];
    check(blen > 65536, `large asset over 64 KiB (${blen})`);
    eq(big.a.body.length, blen, 'large asset whole');
    eq(big.recs.length, 1 + Math.ceil(blen / 16384), 'large asset: the headers, then the body in full records');
    check(big.recs[0].len < 2048, 'large asset: its first record is the headers alone');
    c.s.destroy();
  } finally {
    r.close();
    await srv.stop();
  }
}

// 2. Connections waiting for a worker: those answered meanwhile are not
// kept alive.
{
  const srv = await startServer({ extra: ['--threads', '2', '--rate', '1000', '--burst', '1000'] });
  try {
    // A and B hold the two workers, idle in keep-alive (5 s).
    const a = rawClient(srv, srv.port);
    const b = rawClient(srv, srv.port);
    await Promise.all([a.ready, b.ready]);
    const [ra, rb] = await Promise.all([a.ask('GET', '/api/v1/status'), b.ask('GET', '/api/v1/status')]);
    eq([ra.headers.connection, rb.headers.connection], ['keep-alive', 'keep-alive'], 'A and B kept alive');
    // Five more wait for a worker. When A's and B's keep-alive ends, the
    // two workers take them one by one: every answer given while
    // another connection still waits says "Connection: close" and the
    // server closes that connection; the last one answered had no one
    // behind it and is kept alive (as may be the one answered next to
    // last, by the other worker, when the queue emptied first).
    const K = 5;
    const others = Array.from({ length: K }, () => rawClient(srv, srv.port));
    const served = [];
    await Promise.all(others.map(async (o, i) => {
      await o.ready;
      const ans = await o.ask('GET', '/api/v1/status');
      served.push({ i, status: ans.status, connection: ans.headers.connection, o });
    }));
    check(a.closed && b.closed, 'A and B closed by their keep-alive timeout');
    eq(served.map((x) => x.status), Array(K).fill(200), 'every waiting connection answered');
    const closing = served.filter((x) => x.connection === 'close');
    const kept = served.filter((x) => x.connection === 'keep-alive');
    eq(closing.length + kept.length, K, 'each answer says close or keep-alive');
    check(closing.length >= K - 2, `answers given while others waited close their connection (${closing.length} of ${K})`);
    // The two workers answer the last two concurrently, so the order in
    // which this process reads the answers need not be the server's: the
    // one answered with no one waiting is kept alive, whichever it is.
    check(kept.length >= 1 && kept.length <= 2, `the one answered with no one waiting is kept alive (${kept.length} kept)`);
    for (const x of closing) {
      await x.o.until(() => x.o.closed);
      check(x.o.closed, `connection ${x.i} closed by the server after its answer`);
    }
    const last = kept[kept.length - 1].o;
    check(!last.closed, 'the kept connection still open');
    const again = await last.ask('GET', '/api/v1/status');
    eq(again.status, 200, 'the kept connection serves a second request');
    for (const o of [a, b, ...others]) o.s.destroy();
  } finally {
    await srv.stop();
  }
}
done('workers.mjs');
