// bureau-ui.mjs — the moderator console's Bureau posts (A-IMI 12: the
// president first), on the real server (build/scrutin serve, loopback
// HTTPS) in Debian's headless Chromium driven by playwright-core:
//  - an election of A-IMI's CA (rule `bureau`, GET …/rules sequence
//    president_first) offers « Poste » and « Poste de président (élu en
//    premier) » with the article; a motion offers neither;
//  - the form creates the president's post (the API's view has post and
//    president_post); a second president's post is refused and the
//    console shows the server's French message;
//  - no CSP violation, no page error.
//   node tests/kiosk/bureau-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { MEETING_DATE, api, enrolMeeting } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';


const data = tmpDir('bureau-ui');
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
fs.writeFileSync(path.join(data, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation;naissance',
  ...Array.from({ length: 4 }, (_, i) => `M000${i + 1};Nom${i + 1};Prénom${i + 1};administrateur;${paid};196${i}-01-01`)].join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'sec', title: 'Bureau : secrétaire', kind: 'election', rule: 'bureau', secret: true, seats: 1, post: 'Secrétaire',
    candidates: [{ member: 'M0003', name: 'Prénom3 Nom3' }] },
] }));
const ID = 'ca-bureau-ui';
run(['meeting', 'create', '--id', ID, '--title', 'CA A-IMI', '--date', MEETING_DATE, '--profile', 'ballot-formats/profiles/a-imi.yaml',
  '--body', 'ca', '--agenda', path.join(data, 'agenda.json'), '--quorum', 'none', '--trustees', '2', '--threshold', '2']);
run(['meeting', 'convene', ID]);
const m = enrolMeeting(data, ID, 4);
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, noCsp, openConsole, runTest } = await consoleTest('bureau-ui');
await runTest(async () => {
  const page = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), 'moderator');
  await page.selectOption('#aq-kind', 'motion');
  check(await page.locator('#aq-president-field').isHidden(), 'a motion: no president\'s post');
  await page.selectOption('#aq-kind', 'election');
  await page.waitForSelector('#aq-president-field:not([hidden])', { timeout: 5000 });
  check(await page.locator('#aq-post').isVisible(), 'an election: the « Poste » field');
  check((await page.locator('#aq-president-field label').innerText()).includes('Poste de président (élu en premier)'), 'the president\'s post offered');
  check((await page.locator('#aq-president-note').innerText()).includes('doyen d\'âge') &&
    (await page.locator('#aq-president-note').innerText()).includes('(art. 12)'), 'with the rule and its article');
  const fill = async (id, post, president) => {
    await page.fill('#aq-id', id);
    await page.fill('#aq-title', `Bureau : ${post}`);
    await page.selectOption('#aq-kind', 'election');
    await page.waitForSelector('#aq-president-field:not([hidden])', { timeout: 5000 });
    await page.check('#aq-secret');
    await page.fill('#aq-post', post);
    if (president) await page.check('#aq-president');
    await page.fill('#aq-cands', 'M0001;Prénom1 Nom1\nM0002;Prénom2 Nom2');
    await page.click('#aq-form button[type="submit"]');
  };
  await fill('pres', 'Président', true);
  await page.waitForSelector('li[data-qid="pres"]', { timeout: 10000 });
  let q = (await api(srv, 'GET', `/api/v1/meetings/${ID}`)).json.questions.find((x) => x.id === 'pres');
  check(q && q.post === 'Président' && q.president_post === true, `the API's view: the president's post (${JSON.stringify(q && { post: q.post, pp: q.president_post })})`);
  await fill('pres2', 'Président bis', true);
  await page.waitForFunction(() => /existe déjà/.test(document.querySelector('#alert')?.innerText || ''), null, { timeout: 10000 });
  check(true, 'a second president\'s post: the server\'s French refusal shown');
  q = (await api(srv, 'GET', `/api/v1/meetings/${ID}`)).json.questions.find((x) => x.id === 'pres2');
  check(!q, 'pres2 not stored');
  await noCsp(page, 'the console');
}, [srv]);
