// Browser benchmark of scrutin-crypto.js (not part of `make test`):
//   node tests/kiosk/bench-browser.mjs
// Debian Chromium, production CSP, phone viewport 360x640, CDP CPU throttling
// (rate 4, and rate 1 for reference). Measures buildBallot (encryption, all
// proofs, signature) for a pour/contre/abstention motion (n=3, min=max=1) and
// for "up to 3 of 10" (n=10, min=0, max=3), ballot verification, and the
// Argon2id credential derivation. Prints medians; never fails on time.
import { startServer, launchChromium } from './lib/serve.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 11);
const TARGET_MS = 300;
const server = await startServer();
const browser = await launchChromium();
const fmt = (r) => `median ${r.median.toFixed(1)} ms  (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)}, ${r.runs} runs)`;
let status = 0;
try {
  for (const rate of [4, 1]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2,
      isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.goto(`${server.url}/test/bench.html`);
    try {
      await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 60000 });
    } catch (e) {
      const st = await page.evaluate(() => document.getElementById('status')?.textContent).catch(() => '?');
      throw new Error(`bench page not ready at rate ${rate} (status ${st}; errors ${JSON.stringify(errors)}; ` +
        `requests ${JSON.stringify(server.requests.slice(-6))})`);
    }
    const load = await page.evaluate(() => ({ loadMs: window.__bench.loadMs, readyAtMs: window.__bench.readyAtMs }));
    const motion = await page.evaluate((n) => window.__bench.ballot('motion', n), RUNS);
    const upto = await page.evaluate((n) => window.__bench.ballot('upto3of10', n), RUNS);
    const vmotion = await page.evaluate((n) => window.__bench.verify('motion', n), RUNS);
    const vupto = await page.evaluate((n) => window.__bench.verify('upto3of10', n), Math.max(3, Math.floor(RUNS / 2)));
    const cred = await page.evaluate((n) => window.__bench.credential(n), 5);
    console.log(`== Chromium, viewport 360x640, CPU throttling rate ${rate}`);
    console.log(`  libsodium load+init (module)        ${load.loadMs.toFixed(0)} ms (ready ${load.readyAtMs.toFixed(0)} ms after navigation)`);
    console.log(`  ballot n=3 min=max=1 (motion)       ${fmt(motion)}`);
    console.log(`  ballot n=10 min=0 max=3             ${fmt(upto)}`);
    console.log(`  verify n=3 motion                   ${fmt(vmotion)}`);
    console.log(`  verify n=10 up to 3                 ${fmt(vupto)}`);
    console.log(`  credential (Argon2id t=2, 19 MiB)   ${fmt(cred)}`);
    if (rate === 4) {
      console.log(`  target: motion ballot ≤ ${TARGET_MS} ms at rate 4: ${motion.median <= TARGET_MS ? 'met' : 'NOT MET'}`);
    }
    if (errors.length) { console.log(`  page errors: ${JSON.stringify(errors)}`); status = 1; }
    await context.close();
  }
} catch (e) {
  console.log(`bench-browser: ${e && e.stack || e}`);
  status = 1;
} finally {
  await browser.close();
  await server.close();
}
process.exit(status);
