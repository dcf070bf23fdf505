// triggers-ui.mjs — the moderator console's secret-ballot triggers, on the
// real server (build/scrutin serve, loopback HTTPS) in Debian's headless
// Chromium driven by playwright-core:
//  - ANIMT's AG (art. V: a member's objection, a Bureau request): a pending
//    show of hands offers exactly those two controls (no askers field, no
//    unanimous waiver: the statutes have none); « Un membre s'oppose à la
//    main levée » records the objection: the API's view has the question
//    secret, and the console shows « bulletin secret » and the reason;
//  - A-IMI's AG (art. 9: a third of the members present): the askers
//    field and no objection control;
//  - the projector, once q1 is open, shows why it is a secret ballot;
//  - no CSP violation, no page error.
//   node tests/kiosk/triggers-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { MEETING_DATE, api, ceremony, setupMeeting, enrolMeeting } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';


const data = tmpDir('trigui-animt');
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
fs.writeFileSync(path.join(data, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
  ...Array.from({ length: 4 }, (_, i) => `M000${i + 1};Nom${i + 1};Prénom${i + 1};membre_de_droit;${paid}`)].join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'q1', title: 'Approbation des comptes', kind: 'motion', rule: 'ordinary', secret: false },
] }));
const ID = 'ag-trigui';
run(['meeting', 'create', '--id', ID, '--title', 'AG ANIMT', '--date', MEETING_DATE, '--profile', 'ballot-formats/profiles/animt.yaml',
  '--body', 'ag', '--agenda', path.join(data, 'agenda.json'), '--quorum', 'none', '--trustees', '2', '--threshold', '2']);
run(['meeting', 'convene', ID]);
const m = enrolMeeting(data, ID, 4);
const dataA = tmpDir('trigui-aimi');
const mA = setupMeeting(dataA, { members: 4, id: 'ag-aimi' });

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const srvA = await startServer({ data: dataA });
const { browser, check, text, noCsp, openConsole, pageErrors, runTest } = await consoleTest('triggers-ui');
await runTest(async () => {
  await ceremony(srv, m);
  const mod = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), 'moderator-animt');
  await mod.waitForSelector('li[data-qid="q1"] button[data-trig="objection"]', { timeout: 10000 });
  check((await mod.$$eval('li[data-qid="q1"] [data-trig]', (bs) => bs.map((b) => b.getAttribute('data-trig')).join(','))) ===
    'objection,requested_by-bureau', 'ANIMT: the objection and the Bureau request, nothing else');
  check((await text(mod, 'li[data-qid="q1"] button[data-trig="objection"]')) === 'Un membre s’oppose à la main levée (art. V)',
    'the control says what it records, with the article');
  check((await text(mod, 'li[data-qid="q1"] .q-meta')).includes('vote public (à main levée)'), 'q1 shown as a show of hands');
  await mod.click('li[data-qid="q1"] button[data-trig="objection"]');
  await mod.waitForSelector('li[data-qid="q1"] p.secrecy', { timeout: 10000 });
  const why = await text(mod, 'li[data-qid="q1"] p.secrecy');
  check(why === 'bulletin secret — Vote à bulletin secret à la demande d\'un membre (art. V).', `the console shows « bulletin secret » and why (${why})`);
  check((await text(mod, 'li[data-qid="q1"] .q-meta')).includes('vote secret'), 'q1 now shown as a secret ballot');
  check((await text(mod, '#alert')).startsWith('Demande enregistrée'), 'success shown: ' + await text(mod, '#alert'));
  const q = (await api(srv, 'GET', `/api/v1/meetings/${ID}`)).json.questions.find((x) => x.id === 'q1');
  check(q.secret === true && q.triggers?.objection === true, 'the API\'s view: q1 secret by objection');
  await noCsp(mod, 'ANIMT');
  // Opened, the room's screen says how it is held and why.
  check((await api(srv, 'POST', `/api/v1/meetings/${ID}/questions/q1/open`, {}, m.modToken)).json.status === 'open', 'q1 opened');
  const projCtx = await browser.newContext({ viewport: { width: 1280, height: 720 }, ignoreHTTPSErrors: true, locale: 'fr-FR' });
  const proj = await projCtx.newPage();
  proj.on('pageerror', (e) => pageErrors.push(`projector: ${e}`));
  await proj.goto(`https://localhost:${srv.port}/p/#${ID}`);
  await proj.waitForSelector('.p-q[data-qid="q1"] .p-secrecy', { timeout: 10000 });
  const held = await text(proj, '.p-q[data-qid="q1"] .p-secrecy');
  check(held === 'Vote à bulletin secret à la demande d\'un membre (art. V).', `the projector shows why q1 is secret (${held})`);

  const modA = await openConsole(mA.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srvA.port}/`), 'moderator-aimi');
  await modA.waitForSelector('li[data-qid="q2"] [data-trig="askers"]', { timeout: 10000 });
  check((await modA.$$eval('li[data-qid="q2"] [data-trig]', (bs) => bs.map((b) => b.getAttribute('data-trig')).join(','))) === 'askers',
    'A-IMI: only the askers of art. 9');
  check((await text(modA, 'li[data-qid="q2"] .triggers label')).includes('1/3 requis'), 'the askers field says the fraction');
}, [srv, srvA]);
