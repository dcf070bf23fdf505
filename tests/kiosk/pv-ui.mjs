// pv-ui.mjs — issue 20's check, a whole meeting through the web apps to
// its signed procès-verbal, on the real server (build/scrutin serve,
// loopback HTTPS) in Debian's headless Chromium driven by playwright-core:
//  - the secretary's part by the CLI (meeting-lib's setupMeeting: the roll
//    imported from a CSV, `meeting create` with the association, the
//    place, the time, the président and secrétaire de séance, convened,
//    the credentials, the scrutineers' links with their names);
//  - both scrutineers' key ceremony in their own pages (/s/), the members'
//    check-ins and ballots signed by their keys (the phones' requests);
//  - the moderator's console (/m/), by clicks only: the meeting opened; an
//    A-IMI CA election (2 seats) that ties for the last seat, the console
//    saying what comes next and what happens if the re-vote ties again;
//    « Revoter entre les ex æquo », the re-vote opened and closed; a show
//    of hands with an abstention (5 pour, 2 contre: « 71,4 % »); an item
//    never opened; the meeting closed by its button. The scrutineers
//    release their decryption shares and sign the PV from their pages;
//  - the PV opened from the console (« Lire le procès-verbal »), its text
//    checked: the association, the place, the date in French, the opening
//    and closing times, the président and secrétaire, the scrutineers'
//    names, « Non mis aux voix », the attendance annex, the re-vote, the
//    percentages in French, the signature lines, no ISO date;
//  - the exported record and the PV verified by build/scrutin-verify: 2
//    of 2 signatures; with the first signature only, it says scrutineer
//    2 has not signed;
//  - « Télécharger le registre » on the scrutineer's page (with how to
//    check it) and in the console, from the convocation on: the file the
//    scrutineer's page downloads is the exported record, byte for byte,
//    and verifies with the PV and its signatures.
//   node tests/kiosk/pv-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpDir, startServer, cli, request, BUILD } from '../server/lib.mjs';
import { api, attend, castBallots, setupMeeting, unhex, MEETING_DATE } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const data = tmpDir('pv-ui');
const cands = [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' },
  { member: 'M0003', name: 'Trois' }, { member: 'M0004', name: 'Quatre' }];
// 9 members, 8 checked in: M0009 stays absent (the annex says so).
const m = setupMeeting(data, { members: 9, id: 'ag-pv-ui', agenda: { questions: [
  { id: 'e1', title: 'Conseil d’administration', kind: 'election', rule: 'ca', secret: true, seats: 2, candidates: cands },
  { id: 'q1', title: 'Rapport moral', kind: 'motion', rule: 'ordinary', secret: false },
  { id: 'q2', title: 'Questions diverses', kind: 'motion', rule: 'ordinary', secret: false },
] }, createArgs: ['--association', 'Les Amis du Parc', '--place', 'Salle des fêtes, Villeurbanne', '--time', '14:30',
  '--president', 'Pierre Thomas', '--secretary', 'Marie Curie'],
scrutineers: ['Jeanne Martin', 'Paul Durand'] });
const base = `/api/v1/meetings/${m.id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const ORIGIN = `https://localhost:${srv.port}`;
const { check, noCsp, openConsole, openPage, runTest } = await consoleTest('pv-ui');

// The meeting's date as the French write it (« samedi 16 janvier 2027 »),
// from the calendar (UTC noon: the weekday of that date wherever the test
// runs).
const frDate = (iso) => {
  const jours = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
  const mois = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
  const d = new Date(`${iso}T12:00:00Z`);
  return `${jours[d.getUTCDay()]} ${d.getUTCDate()}${d.getUTCDate() === 1 ? 'er' : ''} ${mois[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
};
// « 14 h 05 » of a moment, in the appliance's local time (the server runs
// here, under the same TZ).
const frTime = (ms) => { const d = new Date(ms); return `${String(d.getHours()).padStart(2, '0')} h ${String(d.getMinutes()).padStart(2, '0')}`; };
const text = (html) => html.replace(/<br>/g, '\n').replace(/<[^>]+>/g, '').replace(/&#39;|&apos;/g, '\'').replace(/&quot;/g, '"')
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const verify = (dir, html, sigs, rec) => {
  fs.writeFileSync(path.join(dir, 'pv.html'), html); fs.writeFileSync(path.join(dir, 'pv.sig'), sigs);
  return spawnSync(path.resolve(BUILD, 'scrutin-verify'), ['--minutes', path.join(dir, 'pv.html'),
    '--signatures', path.join(dir, 'pv.sig'), rec], { encoding: 'utf8' });
};

await runTest(async () => {
  // --- the scrutineers' key ceremony, each in their own page ---
  const scr = [];
  for (const [k, tok] of m.enrol.entries()) {
    const page = await openPage(`${ORIGIN}/s/#${m.id}.${k + 1}.${tok}`, `scrutineer ${k + 1}`);
    await page.waitForSelector('[data-screen="create"]:not([hidden])', { timeout: 30000 });
    await page.fill('#pass1', `phrase de passe ${k + 1} assez longue`);
    await page.fill('#pass2', `phrase de passe ${k + 1} assez longue`);
    await page.click('#create-form button[type="submit"]');
    await page.waitForSelector('[data-screen="main"]:not([hidden])', { timeout: 60000 });
    scr.push(page);
  }
  for (const p of scr) await p.waitForFunction(() => document.getElementById('s-phase').textContent === 'prête', null, { timeout: 120000 });
  check(true, 'the key ceremony done in both scrutineers\' pages');
  {
    const dl = scr[0].locator('#s-record-dl');
    await dl.waitFor({ state: 'visible', timeout: 15000 });
    check((await dl.innerText()).trim() === 'Télécharger le registre' &&
      /^Le registre public .*Vérifiez-le avec scrutin-verify : « scrutin-verify ag-pv-ui-registre\.jsonl »/.test(await scr[0].locator('#s-record-how').innerText()),
    'scrutineer: « Télécharger le registre » and how to check it, before the meeting opens');
  }
  const c = (await api(srv, 'GET', `${base}/ceremony`)).json;
  const cer = { eid: unhex(c.eid), y: unhex(c.y) };

  // --- the console opens the meeting; the members check in ---
  const page = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `${ORIGIN}/`), 'moderator');
  page.on('dialog', (d) => d.accept());
  check(await page.locator('#m-pv').isHidden(), 'no « Lire le procès-verbal » before the meeting');
  await page.locator('#m-record').waitFor({ state: 'visible', timeout: 15000 });
  check((await page.locator('#m-record').innerText()).trim() === 'Télécharger le registre' &&
    new URL(await page.locator('#m-record').evaluate((a) => a.href)).pathname === `${base}/record`,
  'console: « Télécharger le registre » from the convocation on');
  await page.waitForSelector('#m-start:not([hidden])', { timeout: 15000 });
  const t0 = Date.now();
  await page.click('#m-start');
  await page.waitForSelector('#m-end:not([hidden])', { timeout: 15000 });
  const t1 = Date.now();
  for (const v of m.voters.slice(0, 8)) {
    const r = await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'));
    if (r.status !== 200) throw new Error(`check-in ${v.no}: ${r.text}`);
  }
  const question = async (qid) => (await api(srv, 'GET', base)).json.questions.find((q) => q.id === qid);
  const ballots = (qid, picks) => castBallots(srv, m, cer, qid, picks);

  const li = (qid) => page.locator(`li[data-qid="${qid}"]`);
  const openClose = async (qid, picks) => {
    await li(qid).locator('button[data-act="open"]').click();
    await page.waitForSelector(`li[data-qid="${qid}"] button[data-act="close"]`, { timeout: 10000 });
    await ballots(qid, picks);
    await li(qid).locator('button[data-act="close"]').click();
    await page.waitForSelector(`li[data-qid="${qid}"].q-closed, li[data-qid="${qid}"].q-counted`, { timeout: 10000 });
  };
  // Both scrutineers release their shares of a closed secret question.
  const release = async (qid) => {
    for (const [k, p] of scr.entries()) {
      const btn = p.locator(`li[data-qid="${qid}"] button[data-act="release"]`);
      await btn.waitFor({ timeout: 15000 });
      await btn.click();
      const want = k === scr.length - 1 ? 'Part publiée ; le résultat est calculé.' : 'Part publiée ; il manque encore';
      await p.waitForFunction((w) => document.getElementById('alert').textContent.startsWith(w), want, { timeout: 30000 });
    }
    await page.waitForSelector(`li[data-qid="${qid}"] .result`, { timeout: 15000 });
  };

  // --- e1: Un 6, Deux 3, Trois 3, Quatre 1, a blank: Un elected, a tie ---
  await openClose('e1', [[0, 1], [0, 2], [0, 1], [0, 2], [0, 1], [0, 2], [3], [4]]);
  await release('e1');
  let t = (await li('e1').locator('.result').first().textContent()).replace(/\s+/g, ' ');
  check(t.includes('1 siège pourvu sur 2 ; 1 siège non pourvu') && t.includes('Égalité non départagée entre Deux et Trois'),
    `console: the tie for the last seat (${t.slice(0, 160)})`);
  check(t.includes('Si le nouveau vote est encore à égalité, il est repris de nouveau entre les ex æquo (art. 11).'),
    'console: what happens if the re-vote ties again, with the article');
  const rv = li('e1').locator('button[data-act="revote"]');
  check((await rv.innerText()).trim() === 'Revoter entre les ex æquo', 'console: « Revoter entre les ex æquo »');
  await rv.click();
  await page.waitForSelector('li[data-qid="e1-r"]', { timeout: 10000 });
  await openClose('e1-r', [[0], [0], [0], [1], [1], [2]]);
  await release('e1-r');
  {
    const sr = (await scr[0].locator('li[data-qid="e1-r"] .result').first().innerText()).replace(/\s+/g, ' ');
    check(sr.includes('1 siège pourvu sur 1') && sr.includes('Deux'), `the scrutineer's page shows the result it helped decrypt (${sr.slice(0, 100)})`);
  }
  t = (await li('e1-r').locator('.result').first().textContent()).replace(/\s+/g, ' ');
  check(t.includes('1 siège pourvu sur 1') && !t.includes('non pourvu'), `console: the re-vote elects (${t.slice(0, 120)})`);

  // --- q1, by show of hands: 5 pour, 2 contre, 1 abstention ---
  await openClose('q1', [[0], [0], [0], [0], [0], [1], [1], [2]]);
  await page.waitForSelector('li[data-qid="q1"] .result', { timeout: 15000 });
  check((await li('q1').locator('.result').first().textContent()).includes('71,4'), 'console: « 71,4 % » of the expressed votes');

  // --- q2 never opened; the meeting closed by its button ---
  check(await page.locator('#m-pv').isHidden(), 'no « Lire le procès-verbal » while the meeting is live');
  const t2 = Date.now();
  await page.click('#m-end');
  await page.waitForSelector('#m-end[hidden]', { state: 'attached', timeout: 15000 });
  const t3 = Date.now();
  check((await question('q2')).status === 'pending', 'q2 was never opened');

  // --- both scrutineers sign the PV from their pages ---
  const sign = async (p, n) => {
    await p.waitForSelector('#s-pv-ready:not([hidden])', { timeout: 15000 });
    await p.click('#s-pv-sign');
    await p.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Procès-verbal signé'), null, { timeout: 30000 });
    check((await p.locator('#alert').innerText()).includes(`${n} signature`), `scrutineer ${n} signs the PV from their page`);
  };
  await sign(scr[0], 1);
  const oneSig = (await request(srv, 'GET', `${base}/minutes/signatures`)).text;
  await sign(scr[1], 2);
  const twoSigs = (await request(srv, 'GET', `${base}/minutes/signatures`)).text;
  check(oneSig.split('\n').filter(Boolean).length === 1 && twoSigs.split('\n').filter(Boolean).length === 2, 'one, then two signature lines');

  // --- the PV opened from the console ---
  const pvLink = page.locator('#m-pv');
  await pvLink.waitFor({ state: 'visible', timeout: 15000 });
  check((await pvLink.innerText()).trim() === 'Lire le procès-verbal', 'console: « Lire le procès-verbal » once the meeting is closed');
  const ctx = page.context();
  const [resp, tab] = await Promise.all([
    ctx.waitForEvent('response', (r) => new URL(r.url()).pathname === `${base}/minutes`, { timeout: 15000 }),
    ctx.waitForEvent('page', { timeout: 15000 }),
    pvLink.click(),
  ]);
  check(resp.status() === 200 && /^text\/html/.test(resp.headers()['content-type']), `the PV opens in a new tab (${resp.status()})`);
  await tab.waitForLoadState();
  check(new URL(tab.url()).pathname === `${base}/minutes`, 'the tab shows the minutes');
  const html = (await resp.body()).toString('utf8');
  fs.writeFileSync(path.join(data, 'pv-console.html'), html);
  const all = text(html);
  const cut = all.indexOf('Annexe 1');
  const body = cut > 0 ? all.slice(0, cut) : all;
  check(all.includes('Les Amis du Parc'), 'PV: the association');
  const date = frDate(MEETING_DATE);
  check(all.includes(`réunion du ${date}, convoquée pour 14 h 30, à Salle des fêtes, Villeurbanne.`),
    `PV: the date in French (« ${date} »), the time and the place`);
  check(!/\d{4}-\d\d-\d\d/.test(body), 'PV: no ISO date in the body');
  const opened = /La séance est ouverte à (\d\d h \d\d)\./.exec(all); const closed = /la séance est levée à (\d\d h \d\d)\./.exec(all);
  check(opened && [frTime(t0), frTime(t1)].includes(opened[1]), `PV: opened at the console's click (${opened && opened[1]})`);
  check(closed && [frTime(t2), frTime(t3)].includes(closed[1]), `PV: closed at the console's click (${closed && closed[1]})`);
  check(all.includes('Présidence de séance : Pierre Thomas.') && all.includes('Secrétaire de séance : Marie Curie.'), 'PV: président and secrétaire de séance');
  check(all.includes('Scrutateurs : Jeanne Martin et Paul Durand') && !/Scrutateur \d/.test(body),
    `PV: the scrutineers by their names (${(all.match(/Scrutateurs : [^(\n]*/) || [''])[0]})`);
  check(/Questions diverses\s*Non mis aux voix\./.test(all), 'PV: « Non mis aux voix » for the item never opened');
  const annex = all.slice(cut);
  // The roll's names: « Prénom Nom » or « Nom Prénom » (the display order
  // is being settled elsewhere); member 9 absent, the others present.
  const row = (i, what) => new RegExp(`(Prénom${i} Nom${i}|Nom${i} Prénom${i})${what}`).test(annex);
  check(cut > 0 && annex.startsWith('Annexe 1 — Liste d\'émargement') && [1, 2, 3, 4, 5, 6, 7, 8].every((i) => row(i, 'présent\\(e\\)')) &&
    row(9, 'absent'), 'PV: the attendance annex lists the present members, and the absent one');
  check(/Nouveau vote entre les candidats ex æquo de « Conseil d’administration »/.test(body), 'PV: the re-vote says which election it settles');
  check(/71,4\s%/.test(body) && /28,6\s%/.test(body) && !/\d\.\d\s?%/.test(body), 'PV: percentages in French, with a decimal comma');
  check(all.includes('Le ou la secrétaire de séance\nMarie Curie') && /Le président ou la présidente de séance\nPierre Thomas/.test(all),
    'PV: signature lines');
  check(!/\b(the|and|of|signed|ballots?)\b/.test(body), 'PV: no English in the body');

  // --- the record, exported by the CLI, verified with the PV ---
  const ex = cli(['record', 'export', m.id, '--data', data]);
  check(ex.status === 0, 'record export');
  const rec = path.join(data, 'record.jsonl');
  fs.writeFileSync(rec, ex.stdout);
  const d2 = path.join(data, 'two'); const d1 = path.join(data, 'one');
  fs.mkdirSync(d2); fs.mkdirSync(d1);
  let v = verify(d2, html, twoSigs, rec);
  check(v.status === 0 && v.stdout.includes('Procès-verbal signé par le scrutateur 1') && v.stdout.includes('Procès-verbal signé par le scrutateur 2') &&
    v.stdout.includes('Procès-verbal signé par 2 scrutateurs sur 2.') && !v.stdout.includes("n'a pas signé"),
  `scrutin-verify accepts the record and the PV: 2 of 2 signatures (${v.stdout.split('\n').filter((l) => /verbal/.test(l)).join(' / ')}${v.stderr})`);
  v = verify(d1, html, oneSig, rec);
  check(v.status === 0 && v.stdout.includes("Le scrutateur 2 n'a pas signé le procès-verbal (signé par 1 scrutateur sur 2).") &&
    !v.stdout.includes('scrutateurs sur 2.'), `with the first signature only: scrutineer 2 has not signed (${v.stdout.split('\n').filter((l) => /verbal/.test(l)).join(' / ')})`);

  // --- the record downloaded from the scrutineer's page ---
  // The link the page offers, fetched by the page itself (Chromium's
  // download manager opens its own connection, which does not take the
  // context's ignoreHTTPSErrors for the test's self-signed certificate):
  // the same URL, the server's own headers and bytes.
  const dl = scr[1].locator('#s-record-dl');
  check(await dl.isVisible() && (await dl.getAttribute('download')) !== null &&
    (await dl.innerText()).trim() === 'Télécharger le registre', 'the scrutineer page offers « Télécharger le registre » as a download');
  const fetched = await scr[1].evaluate(async () => {
    const r = await fetch(document.getElementById('s-record-dl').href, { cache: 'no-store' });
    return { status: r.status, cd: r.headers.get('content-disposition'), body: await r.text() };
  });
  check(fetched.status === 200 && fetched.cd === `attachment; filename="${m.id}-registre.jsonl"`,
    `the download is named ${m.id}-registre.jsonl (${fetched.status} ${fetched.cd})`);
  const got = path.join(data, 'downloaded.jsonl');
  fs.writeFileSync(got, fetched.body);
  check(fetched.body === ex.stdout, 'the downloaded record is the exported one, byte for byte');
  const d3 = path.join(data, 'dl'); fs.mkdirSync(d3);
  v = verify(d3, html, twoSigs, got);
  check(v.status === 0 && v.stdout.includes('Procès-verbal signé par 2 scrutateurs sur 2.'),
    `scrutin-verify accepts the downloaded record with the PV: ${v.stdout.split('\n').filter((l) => /verbal|ÉCHEC/.test(l)).join(' / ')}${v.stderr}`);
  await noCsp(page, 'the console');
  for (const [k, p] of scr.entries()) await noCsp(p, `scrutineer ${k + 1}`);
}, [srv]);
