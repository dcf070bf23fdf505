// desk-ui.mjs — the desk's page (accueil, /d/) on the real server
// (build/scrutin serve, loopback HTTPS) in Debian's headless Chromium
// driven by playwright-core:
//  - ANIMT's AG (art. V: paper and digital proxies): the desk opens its
//    link (`scrutin meeting desk-link`), sees the meeting's title and the
//    statutes' conditions with « art. V », searches the giver then the
//    holder by a few letters of their names (accents and case ignored),
//    confirms « Enregistrer la procuration papier »; the page lists it;
//    the record has a proxy event with "channel": "paper" for those two
//    members; a second proxy for the same giver is refused in the server's
//    French;
//  - Espace+'s AG (art. 4: digital only): the page says the desk cannot
//    enter one, and the attempt is refused with « art. 4 » shown, nothing
//    written;
//  - axe-core (no serious or critical violation), no CSP violation, no
//    page error.
//   node tests/kiosk/desk-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { MEETING_DATE, enrolMeeting } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const NAMES = [['Lefèvre', 'Anaïs'], ['Dupré', 'Hélène'], ['Martin', 'Paul'], ['Durand', 'Zoé']];

// An appliance with one convened AG of the profile; its desk link.
function appliance(name, id, title, profile, category, createArgs) {
  const data = tmpDir(name);
  const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
  fs.writeFileSync(path.join(data, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
    ...NAMES.map(([n, p], i) => `M${String(i + 1).padStart(4, '0')};${n};${p};${category};${paid}`)].join('\n') + '\n');
  run(['roll', 'import', path.join(data, 'roll.csv')]);
  run(['meeting', 'create', '--id', id, '--title', title, '--date', MEETING_DATE, '--profile', profile, '--body', 'ag',
    '--trustees', '2', '--threshold', '2', ...createArgs]);
  run(['meeting', 'convene', id]);
  enrolMeeting(data, id, NAMES.length, 2);
  const link = run(['meeting', 'desk-link', id, '--host', 'localhost']).trim();
  const record = () => cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  return { data, link, record };
}
const animt = appliance('desk-ui', 'ag-desk-ui', 'AG ANIMT 2026', 'ballot-formats/profiles/animt.yaml', 'membre_de_droit',
  ['--quorum', 'none']);
const espace = appliance('desk-ui-espace', 'ag-espace-ui', 'AG Espace+ 2026', 'ballot-formats/profiles/espace-plus.yaml', 'individuel',
  ['--time', '18:00', '--quorum', JSON.stringify({ counts: ['present', 'represented'], fraction: '1/4', compare: 'at_least',
    rounding: 'floor', second_convocation: 'none' })]);

const srv = await startServer({ data: animt.data });
const esrv = await startServer({ data: espace.data });
const { axe, check, text, noCsp, openPage, runTest } = await consoleTest('desk-ui');

// Types `typed` in the role's search and picks the member `name`.
async function choose(page, role, typed, name) {
  await page.fill(`#d-${role}-search`, typed);
  const b = page.locator(`#d-${role}-results button`, { hasText: name });
  await b.waitFor({ timeout: 10000 });
  await b.click();
  const chosen = await text(page, `#d-${role}-chosen`);
  check(chosen.includes(name), `${role} « ${typed} » finds and picks ${name} (${chosen})`);
}
const local = (link, port) => link.replace(/^https:\/\/localhost\//, `https://localhost:${port}/`);

await runTest(async () => {
  // --- ANIMT: the desk enters a paper proxy by names ---------------------
  const page = await openPage(local(animt.link, srv.port), 'desk ANIMT');
  await page.waitForSelector('#d-conditions li', { timeout: 15000 });
  check(await text(page, '#d-title') === 'AG ANIMT 2026', 'the meeting\'s title');
  check(!page.url().includes('#'), 'the token left the address bar');
  const cond = await text(page, '#d-conditions');
  check(cond.includes('(art. V)') && /au plus 4 procurations/.test(cond), `the statutes' conditions with the cap and art. V (${cond.replace(/\n/g, ' / ')})`);
  check(await page.locator('#d-nopaper').count() === 0, 'no « digital only » notice for ANIMT');
  check(await page.isVisible('#d-empty'), 'no paper proxy yet');
  await axe(page, 'the desk page');
  await choose(page, 'giver', 'lefev', 'Lefèvre Anaïs');
  await choose(page, 'holder', 'HELENE', 'Dupré Hélène');
  await page.click('text=Enregistrer la procuration papier');
  const item = page.locator('#d-list li[data-giver="M0001"]');
  await item.waitFor({ timeout: 15000 });
  const it = await item.innerText();
  check(it.includes('Lefèvre Anaïs (M0001)') && it.includes('Dupré Hélène (M0002)'), `the page lists it (${it})`);
  check((await text(page, '#alert')).includes('Procuration papier enregistrée'), 'and says it is recorded');
  const px = animt.record().filter((e) => e.kind === 'proxy');
  check(px.length === 1 && px[0].payload.channel === 'paper', `the record has one proxy event, channel paper (${JSON.stringify(px.map((e) => e.payload.channel))})`);
  // The same giver again: refused in the server's French, nothing written.
  await choose(page, 'giver', 'anais', 'Lefèvre Anaïs');
  await choose(page, 'holder', 'martin', 'Martin Paul');
  await page.click('#d-submit');
  await page.waitForFunction(() => /Refusé par le serveur/.test(document.querySelector('#alert').textContent), null, { timeout: 15000 });
  check(animt.record().filter((e) => e.kind === 'proxy').length === 1, `a second proxy for the giver refused (${await text(page, '#alert')}), nothing written`);
  check(await page.locator('#d-list li').count() === 1, 'the list still shows one');
  await axe(page, 'the desk page with a proxy and a refusal');
  await noCsp(page, 'the ANIMT desk page');

  // --- Espace+: digital only (art. 4) -------------------------------------
  const ep = await openPage(local(espace.link, esrv.port), 'desk Espace+');
  await ep.waitForSelector('#d-conditions li', { timeout: 15000 });
  const notice = await text(ep, '#d-nopaper');
  check(notice.includes('numériques') && notice.includes('(art. 4)'), `the page says digital only, art. 4 (${notice})`);
  await choose(ep, 'giver', 'dupre', 'Dupré Hélène');
  await choose(ep, 'holder', 'zoe', 'Durand Zoé');
  await ep.click('#d-submit');
  await ep.waitForFunction(() => /art\. 4/.test(document.querySelector('#alert').textContent), null, { timeout: 15000 });
  const why = await text(ep, '#alert');
  check(/seules les procurations numériques.*\(art\. 4\)/.test(why), `Espace+: refused with the server's words and art. 4 (${why})`);
  check(espace.record().filter((e) => e.kind === 'proxy').length === 0, 'Espace+: nothing written');
  check(await ep.isVisible('#d-empty'), 'Espace+: no paper proxy listed');
  await axe(ep, 'the Espace+ desk page');
  await noCsp(ep, 'the Espace+ desk page');
}, [srv, esrv]);
