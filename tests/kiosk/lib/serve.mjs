// A tiny static server for the browser tests: serves exactly the files the
// production server serves for the kiosk crypto (kiosk/js/README.md), with the
// production Content-Security-Policy, plus the test fixtures and vectors.
// Listens on 127.0.0.1 on a free port. Only the fixed routes below exist.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; base-uri 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};

// URL → file. /vendor/ is what the production server must serve (README).
export const VENDOR = {
  '/vendor/libsodium-wrappers.mjs': 'node_modules/libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs',
  '/vendor/libsodium-sumo.mjs': 'node_modules/libsodium-sumo/dist/modules-sumo-esm/libsodium-sumo.mjs',
};

function resolve(urlPath, overrides) {
  if (overrides && overrides[urlPath]) return overrides[urlPath];
  if (VENDOR[urlPath]) return path.join(ROOT, VENDOR[urlPath]);
  let m = /^\/js\/([a-z0-9-]+\.js)$/.exec(urlPath);
  if (m) return path.join(ROOT, 'kiosk/js', m[1]);
  m = /^\/test\/([a-z0-9-]+\.(?:html|mjs))$/.exec(urlPath);
  if (m) return path.join(ROOT, 'tests/kiosk/fixtures', m[1]);
  m = /^\/vectors\/([a-z0-9-]+\.json)$/.exec(urlPath);
  if (m) return path.join(ROOT, 'tests/vectors', m[1]);
  return null;
}

/** Starts the server. overrides: {urlPath: absoluteFile} (mutation testing).
 *  Returns {url, close(), requests, missing}. */
export async function startServer({ overrides } = {}) {
  const requests = []; const missing = [];
  const server = http.createServer((req, res) => {
    const urlPath = new URL(req.url, 'http://x').pathname;
    requests.push(urlPath);
    const headers = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    const file = req.method === 'GET' ? resolve(urlPath, overrides) : null;
    if (!file || !fs.existsSync(file)) {
      if (urlPath !== '/favicon.ico') missing.push(urlPath);
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    const body = fs.readFileSync(file);
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Length': body.length });
    res.end(body);
  });
  await new Promise((ok, ko) => { server.once('error', ko); server.listen(0, '127.0.0.1', ok); });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests, missing,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run'];

/** Launches Debian's Chromium through playwright-core. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/** Loads libsodium-wrappers-sumo (CommonJS build) and scrutin-crypto.js in
 *  Node. SCRUTIN_CRYPTO_MODULE may name another copy (mutation testing). */
export async function loadNodeCrypto() {
  const { createRequire } = await import('node:module');
  const require = createRequire(path.join(ROOT, 'package.json'));
  const sodium = require('libsodium-wrappers-sumo');
  const modPath = process.env.SCRUTIN_CRYPTO_MODULE
    ? path.resolve(process.env.SCRUTIN_CRYPTO_MODULE) : path.join(ROOT, 'kiosk/js/scrutin-crypto.js');
  const { pathToFileURL } = await import('node:url');
  const C = await import(pathToFileURL(modPath).href);
  await C.init(sodium);
  return C;
}
