// e2e.mjs — the web apps end to end, on the real server (build/scrutin serve,
// loopback HTTPS) in Debian's headless Chromium driven by playwright-core:
// members on 360x640 pages opened from the QR PNG the server produced
// (decoded with zbarimg), one member through the kiosk fed its paper QR code
// by a fake camera (Y4M made from the PNG), a moderator, two scrutineers
// (key ceremony in their browsers), the projector; a secret motion and an
// election; the refusal messages; axe-core on every screen (no serious or
// critical violation); no CSP violation anywhere; a screenshot of every
// screen under test-output/screens/.
//   node tests/kiosk/e2e.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, tmpDir, cli, request } from '../server/lib.mjs';
import { makeRoll, MEETING_DATE, api, attend, ceremony, decrypt, secretBallot, enrolMeeting } from '../server/meeting-lib.mjs';
import { CHROMIUM_ARGS, ROOT, loadNodeCrypto } from './lib/serve.mjs';
import { hintsReject } from './lib/hints.mjs';
import { pngToY4m } from './lib/qr-y4m.mjs';
import { issueLinks } from './lib/member-links.mjs';

const T0 = Date.now();
const failures = []; let checks = 0;
const check = (cond, msg) => { checks++; if (!cond) { failures.push(msg); console.log(`FAIL ${msg}`); } return cond; };
const log = (m) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s] ${m}`);
const SCREENS = path.join(ROOT, 'test-output/screens');
fs.rmSync(SCREENS, { recursive: true, force: true });
fs.mkdirSync(SCREENS, { recursive: true });
const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

// --- the meeting, made with the administrator's CLI ------------------------
const data = tmpDir('e2e');
const ID = 'ag-e2e';
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
{
  // The candidates' names on the roll are those of the agenda: the phone
  // shows the names the record carries (question.opened, the roll's), the
  // projector and the results those of the agenda.
  const names = { M0001: ['Un', 'Alice'], M0002: ['Deux', 'Bruno'], M0003: ['Trois', 'Chloé'] };
  const f = makeRoll(data, 8);
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').split('\n').map((l) => {
    const c = l.split(';');
    return names[c[0]] ? [c[0], ...names[c[0]], ...c.slice(3)].join(';') : l;
  }).join('\n'));
  run(['roll', 'import', f]);
}
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'q1', title: 'Approbation des comptes 2025', kind: 'motion', rule: 'ordinary', secret: true },
  { id: 'e1', title: 'Élection au conseil', kind: 'election', rule: 'ca', secret: true, seats: 1,
    candidates: [{ member: 'M0001', name: 'Alice Un' }, { member: 'M0002', name: 'Bruno Deux' }, { member: 'M0003', name: 'Chloé Trois' }] },
] }));
run(['meeting', 'create', '--id', ID, '--title', 'Assemblée générale 2026', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--agenda', path.join(data, 'agenda.json'),
  '--trustees', '2', '--threshold', '2']);
run(['meeting', 'convene', ID]);
const { out, codes, qrUrl } = issueLinks(run, data, ID);
const modLink = run(['meeting', 'moderator-link', ID, '--host', 'localhost']).trim();
const scrLinks = [1, 2].map((j) => run(['meeting', 'scrutineer-link', ID, '--index', String(j), '--host', 'localhost', '--name', `Scrutateur ${j}`]).trim());
const y4m = path.join(data, 'kiosk-qr.y4m');
pngToY4m(path.join(out, 'qr', 'm-M0003.png'), y4m);

// --- the server, as deployed (kiosk/ and the vendor files it serves) ------
const srv = await startServer({ data, extra: ['--rate', '2000', '--burst', '2000'] });
{
  // The kiosk's QR decoder, byte for byte from node_modules, as a script.
  const r = await request(srv, 'GET', '/vendor/jsQR.js');
  check(r.status === 200 && /^text\/javascript/.test(r.headers['content-type']) &&
    r.text === fs.readFileSync(path.join(ROOT, 'node_modules/jsqr/dist/jsQR.js'), 'utf8'),
  `/vendor/jsQR.js served by the server (${r.status} ${r.headers['content-type']})`);
}
{
  // /v/ (phone) and /k/ (kiosk) are one file: the member's screens exist
  // once (server/web.c maps /k/index.html to kiosk/v/index.html).
  const v = await request(srv, 'GET', '/v/'); const k = await request(srv, 'GET', '/k/');
  check(v.status === 200 && k.status === 200 && v.text === k.text && v.headers.etag === k.headers.etag &&
    v.text === fs.readFileSync(path.join(ROOT, 'kiosk/v/index.html'), 'utf8'), '/v/ and /k/ serve the same bytes: kiosk/v/index.html');
  check(!v.text.includes('jsQR') && (v.text.match(/<script/g) || []).length === 1,
    'the page names one script (its entry module), not the QR decoder');
}
/** The page-specific elements and first screen: the phone's or the kiosk's. */
async function checkPage(page, kind, name) {
  const f = await page.waitForFunction(() => window.__firstFrame, null, { timeout: 10000 }).then((h) => h.jsonValue());
  const want = kind === 'kiosk' ? 'scan' : 'loading';
  check(f.screens.length === 1 && f.screens[0] === want, `${name}: first painted screen is ${want} (${JSON.stringify(f.screens)})`);
  check(f.pages.every((p) => p === kind), `${name}: first paint shows no element of the other page (${JSON.stringify(f.pages)})`);
  check(f.body.split(' ').includes('kiosk') === (kind === 'kiosk'), `${name}: body class "${f.body}" in the first paint`);
  const other = kind === 'kiosk' ? 'phone' : 'kiosk';
  const dom = await page.evaluate((o) => ({ other: document.querySelectorAll(`[data-page="${o}"]`).length,
    camera: !!document.getElementById('camera'), wipe: !!document.getElementById('wipe'),
    wipeKiosk: !!document.getElementById('wipe-kiosk'), idle: !!document.getElementById('idle-note'),
    title: document.title, brand: document.querySelector('.bar .brand').textContent }), other);
  if (kind === 'kiosk') {
    check(dom.other === 0 && !dom.wipe && dom.camera && dom.wipeKiosk && dom.idle, `${name}: kiosk elements only (${JSON.stringify(dom)})`);
    check(await page.locator('#wipe-kiosk').isVisible() && await page.locator('#idle-note').isVisible(), `${name}: « Annuler et tout effacer » and the idle note shown`);
    check(dom.title === 'Scrutin — borne de vote' && dom.brand === 'Scrutin — borne', `${name}: kiosk title and brand (${dom.title} / ${dom.brand})`);
  } else {
    check(dom.other === 0 && dom.wipe && !dom.camera && !dom.wipeKiosk && !dom.idle, `${name}: phone elements only (${JSON.stringify(dom)})`);
    check(await page.locator('#wipe').isVisible(), `${name}: « Effacer mes données de cet appareil » shown`);
    check(dom.title === 'Scrutin — voter' && dom.brand === 'Scrutin', `${name}: phone title and brand (${dom.title} / ${dom.brand})`);
  }
}
// The member link names the meeting: https://HOST/v/#<meeting>.<link secret>.
check(new RegExp(`^https://localhost/v/#${ID}\\.[A-Za-z0-9_-]{22}$`).test(qrUrl('M0001')), `member link carries the meeting (${qrUrl('M0001').slice(0, 40)}…)`);
const ORIGIN = `https://localhost:${srv.port}`;
const local = (u) => u.replace(/^https:\/\/localhost\//, `${ORIGIN}/`);

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`] });

let shotNo = 0; const axeSummary = {};
const pageErrors = [];
// Every ballot the pages POST (phones and kiosk), checked for its §5.6 hints.
const posted = [];
// Every path each page requested (the phone never fetches the QR decoder).
const fetched = [];
async function newContext(kind) {
  const opts = kind === 'phone'
    ? { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
    : kind === 'projector' ? { viewport: { width: 1280, height: 720 } } : { viewport: { width: 1024, height: 900 } };
  const ctx = await browser.newContext({ ...opts, ignoreHTTPSErrors: true, locale: 'fr-FR', permissions: kind === 'kiosk' ? ['camera'] : [] });
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    // What the first painted frame with screens in it showed (animation
    // frames wait while the page's render-blocking entry module runs).
    const first = () => {
      const all = document.querySelectorAll('[data-screen]');
      if (!all.length) { requestAnimationFrame(first); return; }
      window.__firstFrame = { screens: [...all].filter((x) => !x.hidden).map((x) => x.dataset.screen),
        body: document.body.className, pages: [...document.querySelectorAll('[data-page]')].filter((x) => !x.hidden).map((x) => x.dataset.page) };
    };
    requestAnimationFrame(first);
  });
  return ctx;
}
async function openPage(ctx, url, name) {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${name}: ${e}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d|503)/.test(m.text())) pageErrors.push(`${name}: console ${m.text()}`); });
  page.on('dialog', (d) => d.accept());
  page.on('request', (r) => fetched.push({ name, path: new URL(r.url()).pathname }));
  page.on('request', (r) => {
    if (r.method() !== 'POST' || !/\/api\/v1\/meetings\/[^/]+\/ballots$/.test(new URL(r.url()).pathname)) return;
    let json = null; try { json = JSON.parse(r.postData() || ''); } catch { /* checked below */ }
    posted.push({ name, json });
  });
  if (process.env.E2E_DEBUG) page.on('console', (m) => console.log(`[${name}] ${m.type()}: ${m.text()}`));
  if (process.env.E2E_DEBUG) page.on('request', (r) => console.log(`[${name}] -> ${r.method()} ${r.url()}`));
  if (process.env.E2E_DEBUG) page.on('requestfinished', (r) => console.log(`[${name}] <- ${r.url()}`));
  await page.goto(url);
  return page;
}
const screen = (page, name, timeout = 60000) => page.waitForSelector(`[data-screen="${name}"]:not([hidden])`, { timeout });
const text = (page, sel) => page.locator(sel).first().innerText();

/** Screenshot, axe-core (injected over CDP, outside the page's CSP: no
 *  serious or critical violation), and no CSP violation so far. */
async function shot(page, name) {
  const file = path.join(SCREENS, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
  await page.waitForTimeout(150);
  await page.screenshot({ path: file, fullPage: true });
  await page.evaluate(AXE);
  const v = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((x) => ({ id: x.id, impact: x.impact, nodes: x.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
  axeSummary[name] = v.length ? v.map((x) => `${x.id}(${x.impact})`).join(',') : 'none';
  check(bad.length === 0, `axe ${name}: ${JSON.stringify(bad)}`);
  const csp = await page.evaluate(() => window.__csp);
  check(csp.length === 0, `CSP violations on ${name}: ${JSON.stringify(csp)}`);
}

async function login(page, code, name) {
  await screen(page, 'code');
  // The meeting comes from the link: the member only types the code.
  check((await page.locator('#meeting-input').count()) === 0, `${name}: no meeting field to fill`);
  await page.fill('#code-input', code);
  await page.click('#code-submit');
  void name;
}
const castSelect = async (page, label) => {
  await screen(page, 'vote');
  await page.locator('label.choice', { hasText: label }).first().click();
  await page.click('#vote-form button[type="submit"]');
  await screen(page, 'confirm');
};
async function voteFromAgenda(page, qid, label, name) {
  await screen(page, 'agenda');
  await page.locator(`li[data-qid="${qid}"] button.primary`).click();
  await castSelect(page, label);
  await page.click('#confirm-cast');
  await screen(page, 'receipt', 60000);
  const r = (await text(page, '#receipt-hex')).replace(/\s+/g, '');
  check(/^[0-9a-f]{64}$/.test(r), `${name}: receipt shown`);
  check((await text(page, '#receipt-sig')).includes('vérifié'), `${name}: server acknowledgement verified`);
  return r;
}

try {
  // --- projector, from the start ---
  const projCtx = await newContext('projector');
  const proj = await openPage(projCtx, `${ORIGIN}/p/#${ID}`, 'projector');
  await proj.waitForFunction(() => document.getElementById('p-title').textContent.length > 0);
  await shot(proj, 'projector-idle');

  // --- scrutineers: key ceremony in their browsers ---
  const scr = [];
  for (const [k, link] of scrLinks.entries()) {
    const ctx = await newContext('desktop');
    const page = await openPage(ctx, local(link), `scrutineer${k + 1}`);
    await screen(page, 'create');
    if (k === 0) await shot(page, 'scrutineer-create');
    await page.fill('#pass1', 'court');
    await page.fill('#pass2', 'court');
    await page.click('#create-form button[type="submit"]');
    check((await text(page, '#alert')).includes('10 caractères'), 'scrutineer: short passphrase refused');
    await page.fill('#pass1', `phrase de passe ${k + 1} assez longue`);
    await page.fill('#pass2', `phrase de passe ${k + 1} assez longue`);
    await page.click('#create-form button[type="submit"]');
    await screen(page, 'main', 60000);
    scr.push({ ctx, page });
  }
  for (const s of scr) await s.page.waitForFunction(() => document.getElementById('s-phase').textContent === 'prête', null, { timeout: 90000 });
  await scr[0].page.waitForFunction(() => document.getElementById('s-y').textContent.includes('vérifiée'), null, { timeout: 20000 });
  log('ceremony done in the browsers');
  check(true, 'ceremony done');
  await shot(scr[0].page, 'scrutineer-ceremony-done');
  // Backup download and re-unlock after a reload.
  const [dl] = await Promise.all([scr[0].page.waitForEvent('download'), scr[0].page.click('#s-backup')]);
  const backup = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
  check(backup.format === 'scrutin-scrutineer-vault/1' && backup.kdf.alg === 'argon2id13' && !JSON.stringify(backup).includes('idSeed'),
    'scrutineer backup is the encrypted vault');
  await scr[0].page.reload();
  await screen(scr[0].page, 'unlock');
  await shot(scr[0].page, 'scrutineer-unlock');
  await scr[0].page.fill('#pass', 'mauvaise phrase de passe');
  await scr[0].page.click('#unlock-form button[type="submit"]');
  await screen(scr[0].page, 'unlock');
  check((await text(scr[0].page, '#alert')).includes('incorrecte'), 'scrutineer: wrong passphrase refused');
  await scr[0].page.fill('#pass', 'phrase de passe 1 assez longue');
  await scr[0].page.click('#unlock-form button[type="submit"]');
  await screen(scr[0].page, 'main');

  // --- moderator ---
  const modCtx = await newContext('desktop');
  const mod = await openPage(modCtx, local(modLink), 'moderator');
  await mod.waitForFunction(() => document.getElementById('m-title').textContent.length > 0);
  check(!(await mod.url()).includes('#'), 'moderator token left the address bar');
  await mod.click('#m-start');
  await mod.waitForFunction(() => document.getElementById('m-status').textContent === 'séance ouverte');
  await shot(mod, 'moderator-live');
  // The add-question form: the statutes rules of A-IMI's AG in a select,
  // by their French labels and articles, never their ids (GET …/rules).
  await mod.waitForFunction(() => document.querySelectorAll('#aq-rule option').length > 1, null, { timeout: 10000 });
  const ruleOpts = await mod.$$eval('#aq-rule option', (os) => os.map((o) => [o.value, o.textContent]));
  check(ruleOpts.some(([v, l]) => v === 'ordinary' && l === 'majorité simple (art. 9)'), `rule select: decisions labelled (${JSON.stringify(ruleOpts)})`);
  await mod.selectOption('#aq-kind', 'election');
  check(await mod.$$eval('#aq-rule option', (os) => os.length === 1 && os[0].value === 'ca'), 'rule select: the election rules for an election');
  // The CA election by show of hands: A-IMI's statutes require a secret
  // ballot; the server's refusal is shown with its article, nothing added.
  await mod.fill('#aq-id', 'e9');
  await mod.fill('#aq-title', 'Élection à main levée');
  await mod.fill('#aq-cands', 'M0004;Quatre');
  await mod.uncheck('#aq-secret');
  await mod.click('#aq-form button[type="submit"]');
  await mod.waitForFunction(() => /bulletin secret/.test(document.getElementById('alert').textContent), null, { timeout: 10000 });
  check(/les statuts imposent un vote à bulletin secret pour cette question \(art\. [^)]+\)/.test(await text(mod, '#alert')),
    `show of hands refused for the CA election, French message with the article (${await text(mod, '#alert')})`);
  check(await mod.locator('li[data-qid="e9"]').count() === 0, 'the refused election is not added');
  await mod.check('#aq-secret');
  await mod.selectOption('#aq-kind', 'motion');
  await mod.fill('#aq-id', 'q3');
  await mod.fill('#aq-title', 'Motion ajoutée en séance');
  await mod.selectOption('#aq-rule', 'ordinary');
  await mod.click('#aq-secret');
  await mod.click('#aq-form button[type="submit"]');
  await mod.waitForSelector('li[data-qid="q3"]', { timeout: 10000 });
  check((await text(mod, 'li[data-qid="q3"] .q-meta')).includes('motion à la majorité simple (art. 9)'), 'question added with the selected rule, by its label');
  // A late candidate: the moderator form uses POST …/candidates; A-IMI's
  // statutes refuse candidacies declared at the meeting (art. 11).
  await mod.selectOption('#aq-kind', 'late');
  check(await mod.$$eval('#aq-ref option', (os) => os.length === 1 && os[0].value === 'e1'), 'late candidate: only the pending election is offered');
  check(await mod.locator('#aq-id').isHidden(), 'late candidate: no question id asked');
  await mod.fill('#aq-cand-member', 'M0007');
  await mod.fill('#aq-cand-name', 'Gaston Sept');
  await mod.click('#aq-form button[type="submit"]');
  await mod.waitForFunction(() => document.getElementById('alert').textContent.includes('candidature déclarée pendant la réunion'), null, { timeout: 10000 });
  check(true, 'late candidate refused under A-IMI, French message shown');
  await shot(mod, 'moderator-late-refused');
  check(!(await text(mod, 'li[data-qid="e1"] .candidates')).includes('Gaston'), 'late candidate: the election is unchanged');

  // --- members on phones ---
  const phone = async (no, name) => {
    const ctx = await newContext('phone');
    const page = await openPage(ctx, local(qrUrl(no)), name);
    return { ctx, page };
  };
  const A = await phone('M0001', 'member-A');
  await checkPage(A.page, 'phone', 'member-A');
  check(!A.page.url().includes('#'), 'link secret left the address bar');
  await screen(A.page, 'code');
  await shot(A.page, 'member-code');
  await A.page.fill('#code-input', 'ABC');
  await A.page.click('#code-submit');
  check((await text(A.page, '#alert')).includes('8 caractères'), 'malformed code refused');
  await login(A.page, codes.M0001.toLowerCase(), 'A');
  await screen(A.page, 'checkin', 60000);
  // A-IMI does not provide for remote attendance (art. 9): not offered.
  check(await A.page.locator('#checkin-remote').isHidden(), 'remote check-in not offered (remote_attendance false)');
  check(await A.page.locator('#checkin-present').isVisible(), 'check-in in the room offered');
  await shot(A.page, 'member-checkin');
  await A.page.click('#checkin-present');
  await screen(A.page, 'agenda');
  await mod.waitForFunction(() => document.getElementById('att-present').textContent === '1', null, { timeout: 10000 });
  check(true, 'attendance live on the moderator console');
  await A.page.reload();
  await screen(A.page, 'agenda', 30000);
  check((await text(A.page, '#agenda-presence')).includes('présent'), 'member survives a reload (agenda, presence)');
  await shot(A.page, 'member-agenda');

  const B = await phone('M0002', 'member-B');
  await login(B.page, codes.M0002, 'B');
  await screen(B.page, 'checkin', 60000);
  await B.page.click('#checkin-present');
  await screen(B.page, 'agenda');

  // A damaged link (no meeting in it): a clear message, no form.
  {
    const ctx = await newContext('phone');
    const ls = qrUrl('M0007').split('.').pop();
    const page = await openPage(ctx, `${ORIGIN}/v/#${ls}`, 'member-badlink');
    await screen(page, 'link-error', 30000);
    check((await text(page, '#link-error-text')).includes('incomplet ou abîmé'), 'link without the meeting: "incomplet ou abîmé"');
    await shot(page, 'member-bad-link');
    await ctx.close();
  }
  // Wrong code.
  const F = await phone('M0006', 'member-F');
  const wrong = codes.M0006.slice(0, -1) + (codes.M0006.endsWith('A') ? 'B' : 'A');
  await login(F.page, wrong, 'F');
  await screen(F.page, 'code', 60000);
  await F.page.waitForFunction(() => document.getElementById('alert').textContent.includes('Code incorrect'), null, { timeout: 30000 });
  check(true, 'wrong code: "Code incorrect" shown');
  await shot(F.page, 'member-wrong-code');
  // Revoked credential.
  run(['cred', 'revoke', '--meeting', ID, '--member', 'M0005', '--reason', 'carte perdue']);
  const E = await phone('M0005', 'member-E');
  await login(E.page, codes.M0005, 'E');
  await screen(E.page, 'refusal', 60000);
  check((await text(E.page, '#refusal-text')).includes('révoqué'), 'revoked credential: refusal message');
  await shot(E.page, 'member-revoked');

  // D checks in now (a secret question counts the attendance at its opening).
  const D = await phone('M0004', 'member-D');
  await login(D.page, codes.M0004, 'D');
  await screen(D.page, 'checkin', 60000);
  await D.page.click('#checkin-present');
  // --- the kiosk: member C's paper QR code through the fake camera ---
  const kctx = await newContext('kiosk');
  const kiosk = await openPage(kctx, `${ORIGIN}/k/#idle=120`, 'kiosk');
  await screen(kiosk, 'scan');
  await checkPage(kiosk, 'kiosk', 'kiosk');
  await shot(kiosk, 'kiosk-scan');
  await screen(kiosk, 'code', 30000);
  check(true, 'kiosk: QR decoded from the camera');
  await shot(kiosk, 'kiosk-code');
  await login(kiosk, codes.M0003, 'C');
  await screen(kiosk, 'agenda', 60000);
  // --- secret motion q1 ---
  await mod.locator('li[data-qid="q1"] button[data-act="open"]').click();
  await A.page.waitForSelector('#open-banner:not([hidden])', { timeout: 10000 });
  check(true, 'the open question reaches the phone live');
  await shot(A.page, 'member-question-open');
  await shot(mod, 'moderator-q1-open');
  await shot(proj, 'projector-voting');
  await proj.waitForSelector('.p-q[data-qid="q1"] .p-secrecy', { timeout: 10000 });
  const held = await proj.locator('.p-q[data-qid="q1"] .p-secrecy').innerText();
  check(held === 'Vote à bulletin secret', `projector: q1 held by secret ballot (${held})`);
  // A second device of member A waits on its confirmation screen.
  const A2 = await phone('M0001', 'member-A2');
  await login(A2.page, codes.M0001, 'A2');
  await screen(A2.page, 'agenda', 60000);
  await A2.page.locator('li[data-qid="q1"] button.primary').click();
  await castSelect(A2.page, 'Contre');
  // A: vote screen, cast-or-audit, then cast.
  await A.page.locator('#open-banner button').click();
  await screen(A.page, 'vote');
  await shot(A.page, 'member-vote');
  await castSelect(A.page, 'Pour');
  await shot(A.page, 'member-confirm');
  await A.page.waitForFunction(() => /^[0-9a-f]{4} /.test(document.getElementById('confirm-fp').textContent), null, { timeout: 60000 });
  const fpA = await text(A.page, '#confirm-fp');
  await A.page.click('#confirm-audit');
  await screen(A.page, 'audit', 60000);
  check((await text(A.page, '#audit-verdict')).includes('correspond bien'), 'audit: the encryption matches the choice');
  check((await text(A.page, '#audit-recovered')).includes('Pour'), 'audit: recovered selection shown');
  check((await text(A.page, '#audit-fp')) === fpA, 'audit: the ballot whose fingerprint was shown');
  await shot(A.page, 'member-audit');
  await A.page.click('#audit-back');
  await screen(A.page, 'confirm');
  await A.page.waitForFunction((old) => { const s = document.getElementById('confirm-fp').textContent; return /^[0-9a-f]{4} /.test(s) && s !== old; }, fpA, { timeout: 60000 });
  check(true, 'after the audit: a new ballot, another fingerprint');
  await A.page.click('#confirm-cast');
  await screen(A.page, 'receipt', 60000);
  const rA = (await text(A.page, '#receipt-hex')).replace(/\s+/g, '');
  check(/^[0-9a-f]{64}$/.test(rA), 'A: receipt');
  check((await text(A.page, '#receipt-sig')).includes('vérifié'), 'A: signed acknowledgement verified');
  const ballotMs = await A.page.evaluate(() => window.__lastBallotMs);
  await shot(A.page, 'member-receipt');
  await A.page.click('#receipt-lookup');
  await A.page.waitForFunction(() => document.getElementById('lookup-result').textContent.startsWith('Trouvé'), null, { timeout: 10000 });
  check(true, 'receipt found in the public ballot box');
  await shot(A.page, 'member-lookup');
  // A's second device: already voted.
  await A2.page.click('#confirm-cast');
  await A2.page.waitForFunction(() => document.getElementById('alert').textContent.includes('déjà été déposé'), null, { timeout: 60000 });
  check(true, 'double vote: "already voted" message');
  await shot(A2.page, 'member-already-voted');
  const rB = await voteFromAgenda(B.page, 'q1', 'Contre', 'B');

  await kiosk.waitForSelector('li[data-qid="q1"] button.primary', { timeout: 10000 });
  const rC = await voteFromAgenda(kiosk, 'q1', 'Pour', 'C (kiosk)');
  await shot(kiosk, 'kiosk-receipt');
  await kiosk.click('#receipt-done');
  await screen(kiosk, 'scan', 20000);
  await checkPage(kiosk, 'kiosk', 'kiosk after its wipe');
  check(new URL(kiosk.url()).hash === '#idle=120', `kiosk: its own fragment kept across the wipe (${kiosk.url()})`);
  const leftovers = await kiosk.evaluate(() => ({ s: sessionStorage.length, l: Object.keys(localStorage) }));
  check(leftovers.s === 0 && leftovers.l.length === 0, `kiosk wiped after the vote (${JSON.stringify(leftovers)})`);
  check(new Set([rA, rB, rC]).size === 3, 'three distinct receipts');

  // D waits on the confirmation screen while the moderator closes q1.
  await screen(D.page, 'agenda');
  await D.page.locator('li[data-qid="q1"] button.primary').click();
  await castSelect(D.page, 'Abstention');
  await mod.waitForFunction(() => document.querySelector('li[data-qid="q1"] .participation')?.textContent.startsWith('Participation : 3'), null, { timeout: 10000 });
  check(true, 'participation live on the moderator console (3)');
  await mod.locator('li[data-qid="q1"] button[data-act="close"]').click();
  await D.page.waitForFunction(() => document.getElementById('alert').textContent.includes('clos'), null, { timeout: 10000 });
  check(true, 'closed question: live message on the phone');
  await D.page.click('#confirm-cast');
  await D.page.waitForFunction(() => document.getElementById('alert').textContent.includes('votre bulletin n’a pas été reçu'), null, { timeout: 60000 });
  check(true, 'closed question: refusal message after confirm');
  await shot(D.page, 'member-closed');
  await shot(proj, 'projector-counting');

  // --- decryption by the scrutineers, result on the projector ---
  for (const [k, s] of scr.entries()) {
    const btn = s.page.locator('li[data-qid="q1"] button[data-act="release"]');
    await btn.waitFor({ timeout: 15000 });
    if (k === 0) await shot(s.page, 'scrutineer-release');
    await btn.click();
    await s.page.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Part publiée'), null, { timeout: 30000 });
  }
  await proj.waitForFunction(() => document.getElementById('p-result').textContent.includes('Adoptée'), null, { timeout: 20000 });
  const projText = await text(proj, '#p-result');
  check(/2 \(66,7\u202f%\)/.test(projText) && /1 \(33,3\u202f%\)/.test(projText) && projText.includes('pourcentages des suffrages exprimés (3)'),
    `projector: q1 counts 2 pour / 1 contre, percentages of the expressed votes in French format (${projText.replace(/\n/g, ' | ')})`);
  check((await proj.locator('#p-result svg.chart rect').count()) === 3, 'projector: SVG chart with 3 bars');
  await shot(proj, 'projector-result-q1');
  await mod.waitForSelector('li[data-qid="q1"] .result svg', { timeout: 10000 });
  await shot(mod, 'moderator-result-q1');
  await scr[1].page.click('#s-verify');
  await scr[1].page.waitForFunction(() => document.querySelector('li[data-qid="q1"] .verif')?.textContent.includes('signé'), null, { timeout: 30000 });
  check((await text(scr[1].page, 'li[data-qid="q1"] .verif')).includes('3 bulletin(s) vérifiés'), 'scrutineer: verification status of q1');
  await shot(scr[1].page, 'scrutineer-verified');

  // --- election e1 (its late candidate was refused above) ---
  // It opens while B's phone has lost the network and A's phone sleeps
  // (page frozen: timers and the event stream stopped).
  await B.page.click('#receipt-done');
  await screen(B.page, 'agenda');
  await B.ctx.setOffline(true);
  await B.page.waitForFunction(() => document.getElementById('conn').textContent.includes('Connexion perdue'), null, { timeout: 10000 });
  check(/reconnexion…/.test(await text(B.page, '#conn')), 'offline: "Connexion perdue — reconnexion…" shown');
  await shot(B.page, 'member-offline');
  await screen(A.page, 'lookup');
  const cdpA = await A.ctx.newCDPSession(A.page);
  let frozen = true;
  await cdpA.send('Page.setWebLifecycleState', { state: 'frozen' }).catch(async (e) => {
    frozen = false; log(`cannot freeze the page (${e.message}): a long offline gap instead`);
    await A.ctx.setOffline(true);
  });
  await mod.locator('li[data-qid="e1"] button[data-act="open"]').click();
  await mod.waitForSelector('li[data-qid="e1"] button[data-act="close"]', { timeout: 10000 });
  await B.page.waitForTimeout(3000);
  check((await B.page.locator('li[data-qid="e1"] button.primary').count()) === 0, 'offline: the opening has not reached B');
  check((await text(B.page, '#conn')).includes('Connexion perdue'), 'offline: still "Connexion perdue" after a while');
  await B.ctx.setOffline(false);
  await B.page.waitForSelector('li[data-qid="e1"] button.primary', { timeout: 20000 });
  check(true, 'back online: the open question shown without a reload');
  await B.page.waitForFunction(() => document.getElementById('conn').textContent === 'En direct', null, { timeout: 20000 });
  check(true, 'back online: "En direct" again');
  if (frozen) await cdpA.send('Page.setWebLifecycleState', { state: 'active' }); else await A.ctx.setOffline(false);
  await A.page.click('#lookup-back');
  await A.page.waitForSelector('li[data-qid="e1"] button.primary', { timeout: 20000 });
  check(true, 'after sleeping: the page caught up (e1 open, no reload)');
  const eA = await voteFromAgenda(A.page, 'e1', 'Alice Un', 'A e1');
  await shot(A.page, 'member-election-receipt');
  await B.page.locator('li[data-qid="e1"] button.primary').click();
  await screen(B.page, 'vote');
  await shot(B.page, 'member-election-vote');
  await castSelect(B.page, 'Alice Un');
  await B.page.click('#confirm-cast');
  await screen(B.page, 'receipt', 60000);
  await D.page.click('#vote-back').catch(() => {});
  await screen(D.page, 'agenda').catch(async () => { await D.page.reload(); await screen(D.page, 'agenda'); });
  const eD = await voteFromAgenda(D.page, 'e1', 'Bruno Deux', 'D e1');
  check(eA !== eD, 'election receipts');
  {
    // The QR decoder is the kiosk's alone: no phone page ever asked for it.
    const qr = fetched.filter((r) => r.path === '/vendor/jsQR.js').map((r) => r.name);
    const phones = [...new Set(fetched.filter((r) => r.name.startsWith('member')).map((r) => r.name))];
    check(phones.length >= 6 && qr.length >= 1 && qr.every((n) => n === 'kiosk'),
      `/vendor/jsQR.js fetched by the kiosk only (${JSON.stringify(qr)}; phones: ${phones.join(', ')})`);
  }
  // Every secret ballot the phones and the kiosk sent carried its hints, and
  // they are the commitments of its proofs (recomputed in Node).
  {
    const C = await loadNodeCrypto();
    const view = (await request(srv, 'GET', `/api/v1/meetings/${ID}`)).json;
    const secret = posted.filter((p) => p.json && typeof p.json.body === 'string');
    check(secret.length >= 6 && secret.some((p) => p.name === 'kiosk'), `secret ballots posted: ${secret.length} (${[...new Set(secret.map((p) => p.name))].join(', ')})`);
    for (const p of secret) {
      const q = view.questions.find((x) => x.id === p.json.question);
      check(typeof p.json.hints === 'string' && /^([0-9a-f]{2})+$/.test(p.json.hints), `${p.name} ${p.json.question}: hints sent`);
      const why = hintsReject(C, { eid: C.fromHex(view.election.eid, 32), qid: q.id, n: q.n, min: q.min, max: q.max,
        y: C.fromHex(view.election.y, 32), qdigest: C.fromHex(q.qdigest, 32) }, C.fromHex(p.json.body), C.fromHex(p.json.hints || ''));
      check(why === null, `${p.name} ${p.json.question}: hints are the proofs' commitments (${why})`);
    }
  }
  await mod.locator('li[data-qid="e1"] button[data-act="close"]').click();
  for (const s of scr) {
    const btn = s.page.locator('li[data-qid="e1"] button[data-act="release"]');
    await btn.waitFor({ timeout: 15000 });
    await btn.click();
    await s.page.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Part publiée'), null, { timeout: 30000 });
  }
  await proj.waitForFunction(() => document.getElementById('p-result').textContent.includes('Élection au conseil'), null, { timeout: 20000 });
  const eText = await text(proj, '#p-result');
  check(eText.includes('Alice Un') && /2 \(66,7\u202f%\)/.test(eText) && eText.includes('1 siège pourvu sur 1') &&
    eText.includes('pourcentages des bulletins valables (3)'), `projector: election result (${eText.replace(/\n/g, ' | ')})`);
  check((await proj.locator('#p-result svg.chart g.win').count()) === 1, 'projector: the elected candidate is highlighted');
  await shot(proj, 'projector-result-e1');
  // --- the minutes, signed from scrutineer 1's console ---
  const sp = scr[0].page;
  // Every question counted, the meeting still live: no signature yet.
  await sp.waitForFunction(() => document.querySelectorAll('#s-questions li.q-counted').length > 0, null, { timeout: 15000 });
  check(await sp.locator('#s-pv-ready').isHidden() && (await text(sp, '#s-pv-wait')).includes('à la clôture de la séance'),
    'scrutineer: the signature is offered only once the meeting is ended');
  run(['meeting', 'end', ID]);
  await sp.waitForSelector('#s-pv-ready:not([hidden])', { timeout: 15000 });
  check((await text(sp, '#s-pv-attest')).startsWith('En signant, j’atteste que'), 'scrutineer: what signing attests');
  check((await sp.locator('#s-pv-open').getAttribute('href')) === `/api/v1/meetings/${ID}/minutes`, 'scrutineer: link to the minutes (new tab)');
  await shot(sp, 'scrutineer-minutes');
  await sp.click('#s-pv-sign');
  await sp.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Procès-verbal signé'), null, { timeout: 30000 });
  check((await text(sp, '#alert')).includes('1 signature(s)'), 'scrutineer: minutes signed from the console, success shown');
  const pvDoc = await sp.evaluate(async (u) => { const r = await fetch(u); return { head: r.headers.get('X-Scrutin-Head'), text: await r.text() }; }, `/api/v1/meetings/${ID}/minutes`);
  const sigText = await sp.evaluate(async (u) => (await fetch(u)).text(), `/api/v1/meetings/${ID}/minutes/signatures`);
  check(/^scrutin-minutes-sig\/1 [0-9a-f]{64} [0-9a-f]{128}\n$/.test(sigText), `the console's signature line (${sigText.slice(0, 40)}…)`);
  const pvDir = tmpDir('e2e-pv');
  fs.writeFileSync(path.join(pvDir, 'record.jsonl'), run(['record', 'export', ID]));
  fs.writeFileSync(path.join(pvDir, 'pv.html'), pvDoc.text);
  fs.writeFileSync(path.join(pvDir, 'pv.sig'), sigText);
  const pvVer = spawnSync(path.resolve(process.env.BUILD || 'build', 'scrutin-verify'), ['--quiet', '--minutes', path.join(pvDir, 'pv.html'), '--signatures', path.join(pvDir, 'pv.sig'),
    path.join(pvDir, 'record.jsonl')], { encoding: 'utf8' });
  check(pvVer.status === 0, `scrutin-verify accepts the minutes signed in the console: ${pvVer.stdout}${pvVer.stderr}`);
  // English.
  await proj.click('#lang-switch');
  await proj.waitForFunction(() => document.documentElement.lang === 'en');
  const enText = await text(proj, '#p-result');
  check(enText.includes('3 ballots') && enText.includes('1 seat filled out of 1') && /2 \(66\.7%\)/.test(enText),
    `projector in English (${enText.replace(/\n/g, ' | ')})`);
  await shot(proj, 'projector-result-en');
  await mod.selectOption('#aq-kind', 'late');
  await shot(mod, 'moderator-add-question');
  // --- a two-round election (ANIMT's CA Bureau, by secret ballot as its
  // statutes require, XI al. 2; the scrutineers' ceremony and decryption by
  // the API): the moderator's « Second tour » button, the projector's title ---
  {
    const d2 = tmpDir('e2e-rounds');
    const run2 = (args) => { const r = cli([...args, '--data', d2]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
    const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
    fs.writeFileSync(path.join(d2, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
      ...[1, 2, 3, 4, 5, 6].map((i) => `M000${i};Nom${i};Prénom${i};administrateur;${paid}`)].join('\n') + '\n');
    run2(['roll', 'import', path.join(d2, 'roll.csv')]);
    fs.writeFileSync(path.join(d2, 'agenda.json'), JSON.stringify({ questions: [{ id: 'e1', title: 'Présidence', kind: 'election',
      rule: 'bureau', secret: true, seats: 1, candidates: [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }, { member: 'M0003', name: 'Trois' }] }] }));
    const ID2 = 'ca-e2e';
    run2(['meeting', 'create', '--id', ID2, '--title', 'CA', '--date', MEETING_DATE, '--profile', 'ballot-formats/profiles/animt.yaml',
      '--body', 'ca', '--agenda', path.join(d2, 'agenda.json'), '--trustees', '2', '--threshold', '2']);
    run2(['meeting', 'convene', ID2]);
    const { voters: vs, modToken: tok2, modLink: link2, enrol: enrol2 } = enrolMeeting(d2, ID2, 6);
    const srv2 = await startServer({ data: d2 });
    try {
      const b2 = `/api/v1/meetings/${ID2}`; const m2 = { id: ID2, enrol: enrol2 };
      const cer2 = await ceremony(srv2, m2);
      check((await api(srv2, 'POST', `${b2}/start`, {}, tok2)).status === 200, 'CA started');
      for (const v of vs.slice(0, 4)) await api(srv2, 'POST', `${b2}/attendance`, attend(m2, v, 'check-in', 'present'));
      await api(srv2, 'POST', `${b2}/questions/e1/open`, {}, tok2);
      const q = (await api(srv2, 'GET', b2)).json.questions[0];
      for (const [k, sel] of [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]].entries())
        await api(srv2, 'POST', `${b2}/ballots`, secretBallot(cer2, q, 'e1', vs[k], sel));
      await api(srv2, 'POST', `${b2}/questions/e1/close`, {}, tok2);
      await decrypt(srv2, m2, cer2, 'e1');
      const res = (await api(srv2, 'GET', `${b2}/questions/e1/result`)).json;
      check(res.outcome === 'second_round', `round 1: second round (${res.sentence})`);
      const ctx2 = await newContext('desktop');
      const mod2 = await openPage(ctx2, link2.replace(/^https:\/\/localhost\//, `https://localhost:${srv2.port}/`), 'moderator-rounds');
      await mod2.waitForSelector('li[data-qid="e1"] button[data-act="round2"]', { timeout: 15000 });
      check((await text(mod2, 'li[data-qid="e1"] button[data-act="round2"]')) === 'Second tour', 'moderator: « Second tour » button on the round-1 result');
      await shot(mod2, 'moderator-second-round');
      await mod2.click('li[data-qid="e1"] button[data-act="round2"]');
      await mod2.waitForSelector('li[data-qid="e1-t2"]', { timeout: 10000 });
      check((await text(mod2, 'li[data-qid="e1-t2"] .q-meta')).includes('second tour de e1'), 'moderator: round 2 created, linked to e1');
      check(await mod2.locator('li[data-qid="e1"] button[data-act="round2"]').count() === 0, 'moderator: the button is gone once round 2 exists');
      check((await text(mod2, '#alert')).startsWith('Second tour créé'), 'moderator: success shown in French');
      await mod2.click('#lang-switch');
      await mod2.waitForFunction(() => document.documentElement.lang === 'en');
      check((await text(mod2, 'li[data-qid="e1-t2"] .q-meta')).includes('round 2 of e1'), 'moderator in English');
      const proj2 = await openPage(ctx2, `https://localhost:${srv2.port}/p/#${ID2}`, 'projector-rounds');
      await api(srv2, 'POST', `${b2}/questions/e1-t2/open`, {}, tok2);
      await proj2.waitForFunction(() => /second tour/i.test(document.getElementById('p-open').textContent), null, { timeout: 15000 });
      check(/Présidence — second tour/.test(await text(proj2, '#p-open h2')), 'projector: « Second tour » in the round-2 title');
      await shot(proj2, 'projector-second-round');
      await ctx2.close();
    } finally {
      await srv2.stop();
    }
  }
  log(`ballot (motion) built on the phone page in ${ballotMs?.toFixed(0)} ms (no throttling)`);
} catch (e) {
  failures.push(`exception: ${e && e.stack || e}`);
  for (const c of browser.contexts()) for (const p of c.pages()) {
    const st = await p.evaluate(() => ({ url: location.href, screen: document.body.dataset.current, alert: document.getElementById('alert')?.textContent, res: document.getElementById('p-result')?.textContent, open: document.getElementById('p-open')?.textContent })).catch(() => null);
    console.log('PAGE', JSON.stringify(st));
  }
  console.log(e);
} finally {
  for (const e of pageErrors) failures.push(`page error: ${e}`);
  console.log(`axe (all impacts): ${JSON.stringify(axeSummary)}`);
  await browser.close();
  await srv.stop();
}
console.log(`screens: ${shotNo} under test-output/screens/`);
if (failures.length) {
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`e2e: ${failures.length} failure(s), ${checks} checks`);
  process.exit(1);
}
console.log(`e2e: ${checks} checks passed`);
