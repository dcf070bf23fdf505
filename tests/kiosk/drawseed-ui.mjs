// drawseed-ui.mjs — the draw's seed with the scrutineers' contributions
// from their pages and the moderator's console (docs/record.md §4
// draw.commit … draw.seed), on the real server (build/scrutin serve,
// loopback HTTPS) in Debian's headless Chromium, Espace+'s AG (RI art. 4:
// an absent holder's proxy reassigned at random):
//  - both scrutineers run the key ceremony in their pages (/s/), then
//    commit from the page (« S'engager pour le tirage au sort »); the
//    first commitment is cut on the way: the value is already in the
//    vault (unsealed here with the passphrase), and the second click
//    commits to that same value; the page and the moderator's console
//    (/m/) list both commitments;
//  - the meeting starts; M0006's holder is absent, so q1 needs the draw:
//    scrutineer 1 reveals from the page (« Révéler ma contribution »);
//    the console says « en attente de la révélation de Scrutateur 2 »,
//    its « Procéder sans les contributions manquantes » asks first (the
//    confirmation says what the minutes will record; dismissed: nothing
//    written), and opening q1 from the console is refused with
//    « en attente des révélations des scrutateurs »;
//  - scrutineer 2 reveals from the page: the record's seed equals
//    H256("draw-seed", meeting_id, head at draw.closed, LE64 2, LE64 1,
//    value 1, LE64 2, value 2) recomputed here from the values the vaults
//    kept, each reveal matches its commitment, and both pages and the
//    console say the seed is fixed; q1 opens and closes; the record
//    verifies;
//  - another meeting (ag-draw-b, its ceremony by the API), one
//    scrutineer commits and never reveals: the console proceeds after
//    the confirmation, draw.seed names scrutineer 1 missing.
// No CSP violation, no page error.
//   node tests/kiosk/drawseed-ui.mjs     (from the repository root, after make)
import path from 'node:path';
import { tmpDir, startServer, cli, sqlite } from '../server/lib.mjs';
import { C, S, api, attend, ceremony, enrolMeeting, hex, unhex, exportAndVerify, espacePlusAg } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const data = tmpDir('drawseed-ui');
const N = 8;
const { run, agenda, create } = espacePlusAg(data, N);
const start = new Date(Math.floor(Date.now() / 60000) * 60000 + 40 * 60000);
const id = 'ag-draw-ui', idB = 'ag-draw-b';
create(id, start, ['--agenda', agenda], 2);
create(idB, start, ['--agenda', agenda], 2);
run(['meeting', 'convene', id]);
run(['meeting', 'convene', idB]);
const m = enrolMeeting(data, id, N, 2);
const mB = enrolMeeting(data, idB, N, 2);
const base = `/api/v1/meetings/${id}`;
const count = (kind, meeting = id) => +sqlite(path.join(data, 'roll.db'),
  `SELECT count(*) FROM events WHERE meeting = '${meeting}' AND kind = '${kind}'`);
const pass = (k) => `phrase de passe ${k} assez longue`;
// The page's vault (kiosk/js/scrutineer.js seal), opened with its passphrase.
const unseal = (v, p) => {
  const key = S.crypto_pwhash(32, S.from_string(p), unhex(v.kdf.salt), v.kdf.opslimit, v.kdf.memlimit, S.crypto_pwhash_ALG_ARGON2ID13);
  return JSON.parse(S.to_string(S.crypto_secretbox_open_easy(unhex(v.box), unhex(v.nonce), key)));
};
const vaultOf = async (page, k) => unseal(JSON.parse(await page.evaluate((key) => localStorage.getItem(key), `scrutin.s.${id}.${k}`)), pass(k));

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const ORIGIN = `https://localhost:${srv.port}`;
const { check, noCsp, openPage, openConsole, runTest } = await consoleTest('drawseed-ui');

await runTest(async () => {
  // M0006 gives a proxy to M0002, who will not come; M0003 volunteers.
  const V = m.voters;
  let ts = Math.floor(Date.now() / 1000);
  let r = await api(srv, 'POST', `${base}/proxies`, { action: 'give', giver: hex(V[5].pk), holder: hex(V[1].pk), ts,
    sig: hex(C.signStatement('proxy', [id, V[5].pk, V[1].pk, C.le64(ts)], V[5].sk).sig) });
  check(r.status === 200, 'M0006 gives a proxy to M0002');
  ts = Math.floor(Date.now() / 1000);
  r = await api(srv, 'POST', `${base}/proxies/volunteer`, { action: 'volunteer', pk: hex(V[2].pk), ts,
    sig: hex(C.signStatement('proxy-volunteer', [id, V[2].pk, C.le64(ts)], V[2].sk).sig) });
  check(r.status === 200, 'M0003 volunteers');

  const scr = [];
  for (const [k, tok] of m.enrol.entries()) {
    const page = await openPage(`${ORIGIN}/s/#${id}.${k + 1}.${tok}`, `scrutineer ${k + 1}`);
    await page.waitForSelector('[data-screen="create"]:not([hidden])', { timeout: 30000 });
    await page.fill('#pass1', pass(k + 1));
    await page.fill('#pass2', pass(k + 1));
    await page.click('#create-form button[type="submit"]');
    await page.waitForSelector('[data-screen="main"]:not([hidden])', { timeout: 60000 });
    scr.push(page);
  }
  for (const p of scr) await p.waitForFunction(() => document.getElementById('s-phase').textContent === 'prête', null, { timeout: 120000 });
  const [p1, p2] = scr;
  const mod = await openConsole(`${ORIGIN}/m/#${id}.${m.modToken}`, 'moderator');
  const modState = () => mod.locator('#m-draw-status').innerText();

  // Scrutineer 1's first commitment is cut on the way: the value is in
  // the vault already, and the next click commits to that same value.
  await p1.waitForSelector('#s-draw-commit:not([hidden])', { timeout: 15000 });
  check((await p1.locator('#s-draw-commit').innerText()) === 'S\'engager pour le tirage au sort', 'the page offers « S\'engager pour le tirage au sort »');
  check(/Engagements ouverts jusqu’à l’ouverture de la séance/.test(await p1.locator('#s-draw-state').innerText()), 'the page: commitments open');
  await p1.route('**/draw/commit', (route) => route.abort());
  await p1.click('#s-draw-commit');
  await p1.waitForFunction(() => !document.getElementById('alert').hidden, null, { timeout: 30000 });
  await p1.unroute('**/draw/commit');
  const kept = (await vaultOf(p1, 1)).drawValue;
  check(/^[0-9a-f]{64}$/.test(kept || '') && count('draw.commit') === 0, 'the commitment cut: the value was kept in the vault first, nothing recorded');
  const commits = [];
  for (const p of scr) p.on('request', (q) => { if (q.method() === 'POST' && /\/draw\/commit$/.test(q.url())) commits.push(JSON.parse(q.postData())); });
  for (const p of scr) {
    await p.click('#s-draw-commit');
    await p.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Engagement enregistré'), null, { timeout: 30000 });
  }
  const val = [unhex((await vaultOf(p1, 1)).drawValue), unhex((await vaultOf(p2, 2)).drawValue)];
  check(hex(val[0]) === kept, 'scrutineer 1 committed to the value kept before the cut');
  const contribution = (j, v) => hex(C.H256('draw-contribution', C.utf8(id), C.le64(j), v));
  check(commits.length === 2 && commits.every((c, i) => c.index === i + 1 && c.hash === contribution(i + 1, val[i])) && !('value' in commits[0]),
    'each page sent H256("draw-contribution", meeting, j, value) of its vault\'s value, not the value');
  check(count('draw.commit') === 2, 'two draw.commit in the record');
  await p2.waitForFunction(() => document.querySelectorAll('#s-draw-who li').length === 2, null, { timeout: 15000 });
  check((await p2.locator('#s-draw-who').innerText()).includes('Scrutateur 2 (vous) : engagé'), 'the page lists the commitments, its own marked');
  check(await p2.locator('#s-draw-commit').isHidden(), 'committed: the commit button goes');
  await mod.waitForFunction(() => /2 scrutateur\(s\) engagé\(s\)/.test(document.getElementById('m-draw-status').textContent), null, { timeout: 15000 });
  check((await modState()).includes('Scrutateur 1, Scrutateur 2'), `the console lists the commitments (« ${await modState()} »)`);

  // The start closes the draw; q1 needs it (M0002 absent).
  await mod.click('#m-start');
  for (const v of [V[0], V[2], V[3], V[4]]) await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'));
  await p1.waitForSelector('#s-draw-reveal:not([hidden])', { timeout: 15000 });
  check((await p1.locator('#s-draw-reveal').innerText()) === 'Révéler ma contribution', 'after the start the page offers « Révéler ma contribution »');
  await p1.click('#s-draw-reveal');
  await p1.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Contribution révélée'), null, { timeout: 30000 });
  check(count('draw.reveal') === 1 && count('draw.seed') === 0, 'scrutineer 1 revealed; no seed yet');
  await mod.waitForFunction(() => document.getElementById('m-draw-status').dataset.state === 'waiting' &&
    /Scrutateur 2/.test(document.getElementById('m-draw-status').textContent), null, { timeout: 15000 });
  check((await modState()).startsWith('Tirage au sort : en attente de la révélation de Scrutateur 2'), `the console: « ${await modState()} »`);
  await p1.waitForFunction(() => /attend la révélation de Scrutateur 2/.test(document.getElementById('s-draw-state').textContent), null, { timeout: 15000 });
  check(true, 'the page: the seed waits for Scrutateur 2');
  // Proceeding asks first; dismissed, nothing is written.
  let asked = '';
  const dismissed = new Promise((res) => mod.once('dialog', (d) => { asked = d.message(); d.dismiss().then(res); }));
  await mod.click('#m-draw-proceed');
  await dismissed;
  check(/Procéder sans la contribution de Scrutateur 2/.test(asked) && /procès-verbal indiquera que Scrutateur 2 s’est engagé sans révéler/.test(asked),
    `the confirmation says what the minutes will record (« ${asked.slice(0, 160)} »)`);
  check(count('draw.seed') === 0, 'dismissed: no seed written');
  // Opening q1 now: the dedicated refusal.
  await mod.click('li[data-qid="q1"] button[data-act="open"]');
  await mod.waitForFunction(() => /en attente des révélations des scrutateurs/.test(document.getElementById('alert').textContent), null, { timeout: 15000 });
  const said = await mod.locator('#alert').innerText();
  check(said.includes('Scrutateur 2') && count('question.opened') === 0, `opening q1 refused, naming who is awaited (« ${said.slice(0, 200)} »)`);

  // Scrutineer 2 reveals: the seed.
  const reveals = [];
  p2.on('request', (q) => { if (q.method() === 'POST' && /\/draw\/reveal$/.test(q.url())) reveals.push(JSON.parse(q.postData())); });
  await p2.click('#s-draw-reveal');
  await p2.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Contribution révélée : la graine du tirage est fixée'),
    null, { timeout: 30000 });
  check(reveals.length === 1 && reveals[0].value === hex(val[1]), 'scrutineer 2 revealed its vault\'s value');
  const rec = cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const closed = rec.find((e) => e.kind === 'draw.closed'); const seed = rec.find((e) => e.kind === 'draw.seed');
  const want = hex(C.H256('draw-seed', C.utf8(id), unhex(closed.parent), C.le64(2), C.le64(1), val[0], C.le64(2), val[1])).slice(0, 16);
  check(seed && seed.payload.seed === want && seed.payload.missing.length === 0,
    `the record's seed is the one recomputed from the head and both values (${seed?.payload.seed} = ${want})`);
  check(rec.filter((e) => e.kind === 'draw.reveal').every((e) => contribution(e.payload.trustee, unhex(e.payload.value)) ===
    rec.find((c) => c.kind === 'draw.commit' && c.payload.trustee === e.payload.trustee).payload.hash), 'each reveal matches its commitment');
  await mod.waitForFunction(() => document.getElementById('m-draw-status').dataset.state === 'seeded', null, { timeout: 15000 });
  check((await modState()) === 'Tirage au sort : graine fixée.' && await mod.locator('#m-draw-proceed').isHidden(), 'the console: seed fixed, no proceed button');
  for (const p of scr) {
    await p.waitForFunction(() => document.getElementById('s-draw-state').dataset.state === 'seeded', null, { timeout: 15000 });
    check(await p.locator('#s-draw-reveal').isHidden(), 'the page: seed fixed, no reveal button');
  }
  await mod.click('li[data-qid="q1"] button[data-act="open"]');
  await mod.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Vote ouvert'), null, { timeout: 15000 });
  check(count('question.opened') === 1, 'with the seed, q1 opens');
  await mod.click('li[data-qid="q1"] button[data-act="close"]');
  await mod.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Vote clos'), null, { timeout: 15000 });
  const ver = exportAndVerify(data, id);
  check(ver.exported === 0 && ver.status === 0, `the record verifies (${ver.out.trim().split('\n').pop()})`);

  // ag-draw-b: scrutineer 1 commits and never reveals (scrutineer 2 does
  // not take part in the draw); the
  // moderator proceeds from the console.
  const { trustees: [t1] } = await ceremony(srv, mB);
  const v1 = S.randombytes_buf(32);
  const h1 = C.H256('draw-contribution', C.utf8(idB), C.le64(1), v1);
  r = await api(srv, 'POST', `/api/v1/meetings/${idB}/draw/commit`, { index: 1, hash: hex(h1),
    sig: hex(C.signStatement('draw-commit', [idB, C.le64(1), h1], t1.id.privateKey).sig) });
  check(r.status === 200, 'ag-draw-b: scrutineer 1 commits');
  check((await api(srv, 'POST', `/api/v1/meetings/${idB}/start`, {}, mB.modToken)).status === 200, 'ag-draw-b starts');
  const modB = await openConsole(`${ORIGIN}/m/#${idB}.${mB.modToken}`, 'moderator B');
  await modB.waitForSelector('#m-draw-proceed:not([hidden])', { timeout: 15000 });
  check((await modB.locator('#m-draw-proceed').innerText()) === 'Procéder sans les contributions manquantes', 'ag-draw-b: the proceed button');
  modB.once('dialog', (d) => d.accept());
  await modB.click('#m-draw-proceed');
  await modB.waitForFunction(() => document.getElementById('m-draw-status').dataset.state === 'seeded', null, { timeout: 15000 });
  check((await modB.locator('#m-draw-status').innerText()) === 'Tirage au sort : graine fixée sans la contribution de Scrutateur 1.',
    'ag-draw-b: the console says the seed is fixed without scrutineer 1');
  const recB = cli(['record', 'export', idB, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  check(JSON.stringify(recB.find((e) => e.kind === 'draw.seed')?.payload.missing) === '[1]', 'ag-draw-b: draw.seed names scrutineer 1 missing');

  for (const p of [...scr, mod, modB]) await noCsp(p, 'page');
}, [srv]);
