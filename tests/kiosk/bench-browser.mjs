// Browser benchmark of scrutin-crypto.js (not part of `make test`):
//   node tests/kiosk/bench-browser.mjs
// Debian Chromium, production CSP, phone viewport 360x640, CDP CPU throttling
// (rate 4, and rate 1 for reference). Measures buildBallot (encryption, all
// proofs, signature) for a pour/contre/abstention motion (n=3, min=max=1) and
// for "up to 3 of 10" (n=10, min=0, max=3), ballot verification, and the
// Argon2id credential derivation. Prints medians; never fails on time.
// Then the same ballots on the real member page (/v/) served by the real
// server (build/scrutin serve): members log in from their issued links,
// check in, and under CPU throttling 4 cast a secret pour/contre/abstention
// ballot and an "up to 3 of 10" election ballot; the page exposes the time
// its buildBallot took (window.__lastBallotMs) once the ballot is confirmed.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, launchChromium, CHROMIUM_ARGS } from './lib/serve.mjs';
import { startServer as startScrutin, tmpDir, cli, BIN } from '../server/lib.mjs';
import { makeRoll, MEETING_DATE, ceremony, api } from '../server/meeting-lib.mjs';

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
if (!fs.existsSync(BIN)) console.log(`phone page: skipped (${BIN} not built)`);
else status |= await benchPhonePage();
process.exit(status);

/** The real member page on the real server, CPU throttling 4. */
async function benchPhonePage() {
  const MEMBERS = Math.max(3, Math.min(8, Number(process.env.BENCH_PHONE_RUNS || 5)));
  const data = tmpDir('bench-phone');
  const ID = 'ag-bench';
  const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
  run(['roll', 'import', makeRoll(data, 12)]);
  const cands = Array.from({ length: 10 }, (_, i) => ({ member: `M${String(i + 1).padStart(4, '0')}`, name: `Candidat ${i + 1}` }));
  fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
    { id: 'q1', title: 'Motion', kind: 'motion', rule: 'ordinary', secret: true },
    { id: 'e1', title: 'Élection (3 sièges)', kind: 'election', rule: 'ca', secret: true, seats: 3, candidates: cands },
  ] }));
  run(['meeting', 'create', '--id', ID, '--title', 'Banc d’essai', '--date', MEETING_DATE, '--profile',
    'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--agenda', path.join(data, 'agenda.json'), '--trustees', '2', '--threshold', '2']);
  run(['meeting', 'convene', ID]);
  const out = `${data}-creds`;
  run(['cred', 'issue', '--meeting', ID, '--host', 'localhost', '--out', out, '--codes', `${data}-codes.csv`]);
  const codes = {};
  for (const line of fs.readFileSync(`${data}-codes.csv`, 'utf8').trim().split('\n').slice(1)) {
    const f = line.split(';').map((x) => x.replace(/^"'?|"$/g, ''));
    codes[f[0]] = f[5];
  }
  const modToken = run(['meeting', 'moderator-link', ID, '--host', 'localhost']).trim().split('#')[1].split('.')[1];
  const enrol = [1, 2].map((j) => run(['meeting', 'scrutineer-link', ID, '--index', String(j), '--host', 'localhost']).trim().split('#')[1].split('.')[2]);
  const srv = await startScrutin({ data, extra: ['--rate', '2000', '--burst', '2000'] });
  const br = await (await import('playwright-core')).chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  let rc = 0;
  try {
    await ceremony(srv, { id: ID, enrol });
    const base = `/api/v1/meetings/${ID}`;
    if ((await api(srv, 'POST', `${base}/start`, {}, modToken)).status !== 200) throw new Error('start');
    const phones = [];
    for (let k = 1; k <= MEMBERS; k++) {
      const no = `M${String(k).padStart(4, '0')}`;
      // The member link as issued: the text of the member's QR code.
      const url = qrText(path.join(out, 'qr', `m-${no}.png`)).replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
      const ctx = await br.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, ignoreHTTPSErrors: true, locale: 'fr-FR' });
      const page = await ctx.newPage();
      await page.goto(url);
      await page.waitForSelector('[data-screen="code"]:not([hidden])', { timeout: 30000 });
      await page.fill('#code-input', codes[no]);
      await page.click('#code-submit');
      await page.waitForSelector('[data-screen="checkin"]:not([hidden])', { timeout: 60000 });
      await page.click('#checkin-present');
      await page.waitForSelector('[data-screen="agenda"]:not([hidden])', { timeout: 30000 });
      phones.push({ ctx, page, cdp: await ctx.newCDPSession(page) });
    }
    for (const q of ['q1', 'e1'])
      if ((await api(srv, 'POST', `${base}/questions/${q}/open`, {}, modToken)).status !== 200) throw new Error(`open ${q}`);
    const times = { q1: [], e1: [] };
    for (const { page, cdp } of phones) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      for (const q of ['q1', 'e1']) {
        await page.waitForSelector(`li[data-qid="${q}"] button.primary`, { timeout: 30000 });
        await page.locator(`li[data-qid="${q}"] button.primary`).click();
        await page.waitForSelector('[data-screen="vote"]:not([hidden])');
        const picks = q === 'q1' ? [0] : [0, 4, 9];
        for (const i of picks) await page.locator('label.choice').nth(i).click();
        await page.click('#vote-form button[type="submit"]');
        await page.waitForSelector('[data-screen="confirm"]:not([hidden])');
        await page.evaluate(() => { window.__lastBallotMs = undefined; });
        await page.click('#confirm-cast');
        await page.waitForSelector('[data-screen="receipt"]:not([hidden])', { timeout: 120000 });
        times[q].push(await page.evaluate(() => window.__lastBallotMs));
        await page.click('#receipt-done');
        await page.waitForSelector('[data-screen="agenda"]:not([hidden])');
      }
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    }
    const med = (a) => { const b = [...a].sort((x, y) => x - y); return { median: b[b.length >> 1], min: b[0], max: b[b.length - 1], runs: b.length }; };
    console.log('== real member page /v/ on build/scrutin serve, Chromium 360x640, CPU throttling rate 4 (buildBallot, read from window.__lastBallotMs after confirming)');
    console.log(`  ballot pour/contre/abstention (n=3, 1 of 3)       ${fmt(med(times.q1))}`);
    console.log(`  ballot up to 3 of 10 (n=11 with blank, 1..3)      ${fmt(med(times.e1))}`);
    console.log(`  target: motion ballot ≤ ${TARGET_MS} ms at rate 4 on the phone page: ${med(times.q1).median <= TARGET_MS ? 'met' : 'NOT MET'}`);
    for (const p of phones) await p.ctx.close();
  } catch (e) {
    console.log(`bench-browser (phone page): ${e && e.stack || e}`);
    rc = 1;
  } finally {
    await br.close();
    await srv.stop();
  }
  return rc;
}

/** The text of a QR code PNG (zbarimg, as the e2e test). */
function qrText(png) {
  const r = spawnSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`zbarimg: ${r.stderr}`);
  return r.stdout.trim();
}
