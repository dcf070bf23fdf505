// draw-ui.mjs — the random draw of an absent holder's proxy from the
// member's phone, in Chromium on the real server, Espace+'s AG (RI art. 4:
// « le pouvoir est réattribué aléatoirement à tout autre membre à jour de
// sa cotisation, qui accepte la procuration »):
//  - before the deadline A's phone offers « Me porter volontaire » with
//    the article; A volunteers, stops, volunteers again (each a signed
//    proxy.volunteer event in the record);
//  - M0006 gives a proxy to M0002, who never comes; the meeting starts
//    (the draw's seed), A checks in from the phone: when q1 opens A's
//    phone says the draw gave him a proxy, lists « Procuration de Nom6
//    Prénom6 (tirée au sort) » beside « Ma voix », and A votes it;
//  - a decline while a question is open is refused with the server's
//    French; after q1's close A declines from the phone (proxy.declined),
//    the phone says so and q2 shows no mandate;
//  - B, who never volunteered, sees the draw's explanation and can
//    volunteer until the start, nothing after it; the record verifies.
//   node tests/kiosk/draw-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { C, api, attend, ceremony, enrolMeeting, exportAndVerify, hex, now } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';
import { importPhoneRoll, issueLinks, pageKeys, phoneLogin, screen } from './lib/member-links.mjs';

const data = tmpDir('draw-ui');
const ID = 'ag-draw-ui';
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
importPhoneRoll(run, data, 'individuel');
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'q1', title: 'Rapport moral', kind: 'motion', rule: 'simple', secret: false },
  { id: 'q2', title: 'Rapport financier', kind: 'motion', rule: 'simple', secret: false },
] }));
// The AG starts in 40 minutes: the proxies' deadline (30 minutes before,
// art. 4) is 10 minutes away, far more than the test needs.
const pad = (n) => String(n).padStart(2, '0');
const start = new Date(Math.floor(Date.now() / 60000) * 60000 + 40 * 60000);
run(['meeting', 'create', '--id', ID, '--title', 'AG Espace+', '--profile', 'ballot-formats/profiles/espace-plus.yaml',
  '--body', 'ag', '--agenda', path.join(data, 'agenda.json'), '--trustees', '2', '--threshold', '2', '--quorum', 'none',
  '--date', `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`,
  '--time', `${pad(start.getHours())}:${pad(start.getMinutes())}`]);
run(['meeting', 'convene', ID]);
const m = enrolMeeting(data, ID, 8);
const V = m.voters;
const { codes, qrUrl } = issueLinks(run, data, ID, ['--member', 'M0009', '--member', 'M0010']);

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { axe, check, text, noCsp, openPage, runTest } = await consoleTest('draw-ui');
const base = `/api/v1/meetings/${ID}`;
const local = (u) => u.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
const kinds = () => cli(['record', 'export', ID, '--data', data]).stdout.trim().split('\n')
  .map((l) => JSON.parse(l)).filter((e) => ['proxy.volunteer', 'proxy.declined'].includes(e.kind))
  .map((e) => `${e.kind}${e.payload.action ? `:${e.payload.action}` : ''}`);
const pkOf = async (page) => hex((await pageKeys(C, page)).publicKey);
const login = (no) => phoneLogin(openPage, local(qrUrl(no)), codes[no], no);
const statusIs = (page, re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#draw-status')?.textContent || ''),
  re.source, { timeout: 15000 });

await runTest(async () => {
  // M0006 → M0002, who will not come.
  let ts = now();
  check((await api(srv, 'POST', `${base}/proxies`, { action: 'give', giver: hex(V[5].pk), holder: hex(V[1].pk), ts,
    sig: hex(C.signStatement('proxy', [ID, V[5].pk, V[1].pk, C.le64(ts)], V[5].sk).sig) })).status === 200, 'M0006 gives a proxy to M0002');

  // --- A volunteers from the phone, before the deadline -------------------
  const pa = await login('M0009');
  await screen(pa, 'agenda');
  await pa.waitForSelector('#draw-volunteer', { timeout: 15000 });
  const help = await text(pa, '#draw-box');
  check(help.includes('Tirage au sort des procurations') && help.includes('confiée par tirage au sort à un membre volontaire (art. 4)'),
    `A's phone explains the draw with art. 4 (${help.replace(/\s+/g, ' ').slice(0, 90)}…)`);
  await axe(pa, 'the draw box');
  await pa.click('#draw-volunteer');
  await statusIs(pa, /Vous êtes volontaire/);
  check(await pa.locator('#draw-unvolunteer').innerText() === 'Ne plus être volontaire', 'with « Ne plus être volontaire »');
  await pa.click('#draw-unvolunteer');
  await pa.waitForSelector('#draw-volunteer', { timeout: 15000 });
  check((await text(pa, '#proxy-note')).includes('Vous n’êtes plus volontaire'), 'A\'s phone says he no longer volunteers');
  await pa.click('#draw-volunteer');
  await statusIs(pa, /Vous êtes volontaire/);
  check(JSON.stringify(kinds()) === JSON.stringify(['proxy.volunteer:volunteer', 'proxy.volunteer:withdraw', 'proxy.volunteer:volunteer']),
    `the record: volunteer, withdraw, volunteer (${kinds()})`);
  const aPk = await pkOf(pa);

  // B never volunteers: he sees the button until the start.
  const pb = await login('M0010');
  await screen(pb, 'agenda');
  await pb.waitForSelector('#draw-volunteer', { timeout: 15000 });
  check(true, 'B\'s phone offers « Me porter volontaire »');

  // --- the meeting: the draw gives M0006's proxy to A --------------------
  await ceremony(srv, m);
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'the AG starts (the draw\'s seed is written)');
  for (const v of [V[0], V[2], V[3]])
    check((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status === 200, `${v.no} present`);
  await pa.reload();
  await screen(pa, 'checkin');
  await pa.click('#checkin-present');
  await screen(pa, 'agenda');
  check((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status === 200, 'q1 opened');
  await statusIs(pa, /tirage au sort vous a confié la procuration/);
  check((await text(pa, '#draw-status')).includes('(art. 4)'), 'A\'s phone: the draw gave him a proxy (art. 4)');
  const q1 = pa.locator('li[data-qid="q1"]');
  const row = q1.locator(`li[data-voice="${hex(V[5].pk)}"]`);
  await row.locator('button.primary').waitFor({ timeout: 15000 });
  const rows = await q1.locator('.mandate-name').allInnerTexts();
  check(JSON.stringify(rows) === JSON.stringify(['Ma voix', 'Procuration de Nom6 Prénom6 (tirée au sort)']),
    `A's phone: « Ma voix » and the drawn mandate (${rows})`);
  await axe(pa, 'the drawn member\'s agenda');
  await row.locator('button.primary').click();
  await screen(pa, 'vote');
  await pa.locator('label.choice', { hasText: 'Pour' }).first().click();
  await pa.click('#vote-form button[type="submit"]');
  await screen(pa, 'confirm');
  await pa.click('#confirm-cast');
  await screen(pa, 'receipt');
  const receipt = (await text(pa, '#receipt-hex')).replace(/\s+/g, '');
  await pa.click('#receipt-done');
  await screen(pa, 'agenda');
  check((await api(srv, 'GET', `${base}/receipts/${receipt}`)).status === 200, 'A\'s ballot for M0006 is in the box');

  // A decline while q1 is open: the server's French.
  await pa.click('#draw-decline');
  await pa.waitForFunction(() => !document.querySelector('#alert').hidden, null, { timeout: 10000 });
  const alert = await text(pa, '#alert');
  check(/vote/.test(alert) && !/error|Error/.test(alert), `a decline while q1 is open refused in French (${alert})`);
  await pa.evaluate(() => { document.querySelector('#alert').hidden = true; });
  check(!kinds().includes('proxy.declined'), 'nothing written');
  check((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).status === 200, 'q1 closed');

  // After the close: A declines from the phone.
  await pa.click('#draw-decline');
  await statusIs(pa, /Vous avez refusé la procuration tirée au sort/);
  check(kinds().at(-1) === 'proxy.declined', 'the record: proxy.declined');
  check((await api(srv, 'GET', `${base}/voters/${aPk}`)).json.mandates.length === 1, 'A holds no mandate any more (GET voters)');
  check((await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken)).status === 200, 'q2 opened');
  const q2 = pa.locator('li[data-qid="q2"]');
  await q2.locator('button.primary').first().waitFor({ timeout: 15000 });
  check(await q2.locator('li.mandate').count() === 0 && await q2.locator('.mandate-name').count() === 0, 'q2: A votes only his own voice');
  await noCsp(pa, 'A\'s phone');

  // B: no volunteering once the meeting started; the box says nothing more.
  await pb.reload();
  await screen(pb, 'checkin');
  await pb.click('#checkin-skip');
  await screen(pb, 'agenda');
  await pb.waitForSelector('#proxy-box:not([hidden])', { timeout: 15000 });
  check(await pb.locator('#draw-volunteer').count() === 0 && await pb.locator('#draw-box').count() === 0,
    'B, no volunteer, gets no draw box once the draw is fixed');
  await noCsp(pb, 'B\'s phone');
  check((await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken)).status === 200, 'q2 closed');
  check((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status === 200, 'AG ended');
  const ver = exportAndVerify(data, ID);
  check(ver.exported === 0 && ver.status === 0, `the exported record verifies, the draw re-derived (${ver.out.trim().split('\n').pop()})`);
}, [srv]);
