// scrutin-crypto.js in real Chromium, under the production CSP.
//   node tests/kiosk/crypto-browser.mjs
// 1. A canary page with an inline script and eval must report CSP violations
//    (so this test really sees them).
// 2. tests/kiosk/fixtures/crypto-test.html loads the module the production way
//    (/js/crypto-loader.js → /vendor/libsodium-wrappers.mjs), rebuilds every
//    known-answer ballot of tests/vectors/ballot.json from its nonces and two
//    credentials, and builds random ballots; Node checks the fixed bytes
//    (body, sig, receipt, §5.6 hints) against the vectors and verifies the
//    random ballots with verifyBallot and their hints with lib/hints.mjs.
// 3. No CSP violation, console error, page error or 404 is allowed.
// Exits non-zero on any failure (or if the vectors are missing).
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchChromium, loadNodeCrypto, ROOT } from './lib/serve.mjs';
import { hintsReject } from './lib/hints.mjs';

const failures = [];
const check = (cond, msg) => { if (!cond) failures.push(msg); return cond; };

const C = await loadNodeCrypto();
const overrides = {};
if (process.env.SCRUTIN_CRYPTO_MODULE) overrides['/js/scrutin-crypto.js'] = path.resolve(process.env.SCRUTIN_CRYPTO_MODULE);
const server = await startServer({ overrides });
const browser = await launchChromium();
let counts = {};
try {
  const context = await browser.newContext();
  // Instrumentation (CDP, outside the page's CSP): record violations from the start.
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });

  // --- 1. canary: the detector must see violations.
  {
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    await page.goto(`${server.url}/test/csp-canary.html`);
    await page.waitForFunction(() => window.__canary !== undefined, null, { timeout: 10000 });
    const canary = await page.evaluate(() => ({ ...window.__canary, csp: window.__csp }));
    check(!canary.inlineRan, 'canary: inline script ran despite the CSP');
    check(!canary.evalRan, 'canary: eval ran despite the CSP');
    check(canary.csp.length >= 2, `canary: expected ≥ 2 securitypolicyviolation events, saw ${canary.csp.length}`);
    check(consoleErrors.some((t) => /Content Security Policy/i.test(t)),
      'canary: no CSP console error seen (detector broken?)');
    counts.canaryViolations = canary.csp.length;
    await page.close();
  }

  // --- 2. the real page.
  const page = await context.newPage();
  const consoleErrors = []; const pageErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`${server.url}/test/crypto-test.html`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 120000 });
  const res = await page.evaluate(() => ({ ...window.__result, csp: window.__csp }));
  if (res.error) failures.push(`page error: ${res.error}`);
  check(res.csp.length === 0, `CSP violations: ${JSON.stringify(res.csp)}`);
  check(!res.violations || res.violations.length === 0, `CSP violations (page): ${JSON.stringify(res.violations)}`);
  check(consoleErrors.length === 0, `console errors/warnings: ${JSON.stringify(consoleErrors)}`);
  check(pageErrors.length === 0, `page errors: ${JSON.stringify(pageErrors)}`);
  check(server.missing.length === 0, `404s: ${JSON.stringify(server.missing)}`);
  check(server.requests.includes('/vendor/libsodium-sumo.mjs'), 'libsodium-sumo.mjs was not loaded from /vendor/');

  if (!res.error) {
    // Fixed-nonce ballots: bytes compared in the page and again here.
    const vecFile = path.join(ROOT, 'tests/vectors/ballot.json');
    const credFile = path.join(ROOT, 'tests/vectors/credential.json');
    check(fs.existsSync(vecFile), 'tests/vectors/ballot.json is missing');
    check(fs.existsSync(credFile), 'tests/vectors/credential.json is missing');
    for (const m of res.ballotMismatches) failures.push(`browser: ${m}`);
    for (const m of res.credentialMismatches) failures.push(`browser: ${m}`);
    if (fs.existsSync(vecFile)) {
      const vec = JSON.parse(fs.readFileSync(vecFile, 'utf8'));
      check(res.ballots === vec.ballots.length && res.ballots > 0,
        `browser built ${res.ballots} of ${vec.ballots.length} vector ballots`);
      for (const f of res.fixed) {
        const v = vec.ballots[f.index];
        for (const k of ['body', 'sig', 'receipt', 'hints']) check(f[k] === v[k], `ballot ${f.index}: ${k} differs from the vector`);
        const hw = hintsReject(C, { eid: C.fromHex(v.eid, 32), qid: v.qid, n: v.n, min: v.min, max: v.max,
          y: C.fromHex(v.y, 32) }, C.fromHex(f.body), C.fromHex(f.hints));
        check(hw === null, `ballot ${f.index}: browser hints: ${hw}`);
      }
      counts.fixedHints = res.fixed.filter((f) => typeof f.hints === 'string' && f.hints === vec.ballots[f.index].hints).length;
    }
    if (fs.existsSync(credFile)) check(res.credentials > 0, 'no credential derived in the browser');
    counts.fixedBallots = res.fixed.length;
    counts.credentials = res.credentials;

    // Random ballots: verified by the Node copy of the module.
    const h = C.fromHex;
    const seen = new Set();
    for (const [k, r] of res.random.entries()) {
      check(r.selfOk, `random ballot ${k}: the browser's own verifyBallot rejected it`);
      const q = { eid: h(r.eid, 32), qid: r.qid, n: r.n, min: r.min, max: r.max, y: h(r.y, 32) };
      const v = C.verifyBallot({ ...q, body: h(r.body), sig: h(r.sig, 64), receipt: h(r.receipt, 32),
        voicePk: h(r.voicePk, 32), signerPk: h(r.voicePk, 32) });
      check(v.ok, `random ballot ${k} (n=${r.n}): Node verifyBallot: ${v.reason}`);
      const hw = hintsReject(C, q, h(r.body), h(r.hints));
      check(hw === null, `random ballot ${k} (n=${r.n}): hints: ${hw}`);
      const badHints = h(r.hints); badHints[badHints.length - 1] ^= 1;
      check(hintsReject(C, q, h(r.body), badHints) !== null, `random ballot ${k}: wrong hints accepted`);
      // And a one-bit change anywhere must be rejected.
      const body = h(r.body); body[body.length - 40] ^= 1;
      check(!C.verifyBallot({ ...q, body, sig: h(r.sig, 64) }).ok, `random ballot ${k}: tampered body accepted`);
      check(!seen.has(r.body), `random ballot ${k}: same bytes as another ballot (randomness?)`);
      seen.add(r.body);
    }
    counts.randomBallotsVerified = res.random.length;

    // Audit: the page's recovered selection and the r_i re-checked in Node.
    for (const a of res.audit) {
      check(JSON.stringify(a.recovered) === '[0,1,0]', `audit: recovered ${JSON.stringify(a.recovered)}`);
      check(a.check === true && a.wrongCheck === false, 'audit: check() answers wrongly');
      check(a.spoiledSigZero, 'audit: the audited ballot kept its signature');
      const ok = C.checkAudit({ y: h(res.random[0].y, 32), n: 3, min: 1, max: 1,
        ciphertexts: a.ciphertexts.map((c) => h(c, 64)), r: a.r.map((c) => h(c, 32)), selection: [0, 1, 0] });
      check(ok, 'audit: Node checkAudit rejected the browser audit data');
      const bad = C.checkAudit({ y: h(res.random[0].y, 32), n: 3, min: 1, max: 1,
        ciphertexts: a.ciphertexts.map((c) => h(c, 64)), r: a.r.map((c) => h(c, 32)), selection: [0, 0, 1] });
      check(!bad, 'audit: Node checkAudit accepted a wrong selection');
    }
    counts.audits = res.audit.length;
  }
  await page.close();
  await context.close();
} catch (e) {
  failures.push(`exception: ${e && e.stack || e}`);
} finally {
  await browser.close();
  await server.close();
}

console.log(`crypto-browser: ${JSON.stringify(counts)}`);
if (failures.length) {
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`crypto-browser: ${failures.length} failure(s)`);
  process.exit(1);
}
console.log('crypto-browser: all checks passed');
