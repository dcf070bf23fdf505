// alternatives-ui.mjs — the moderator console's alternative motions, on the
// real server (build/scrutin serve, loopback HTTPS) in Debian's headless
// Chromium driven by playwright-core:
//  - ANIMT's AG (alternatives rule, art. IV): « Motion alternative » to a
//    motion of the agenda's group « cotisation » creates the new motion in
//    that group (the API's view shows both in one group), under the
//    group's rule; the list shows each motion's group; a « Motion » with a
//    group id starts a new group; a bad group id is refused before any
//    request; an alternative to an ungrouped motion, or to a group whose
//    vote began, is not offered (the reason shown in French, then English)
//    and nothing is created;
//  - A-IMI's AG (no alternatives rule): the kind is disabled and says why,
//    with no group field; when the console could not read the rules
//    (GET …/rules unreachable), the server's refusal is shown in French
//    (400 alternatives_refused) and nothing is created;
//  - no CSP violation, no page error, axe-core: no serious or critical
//    violation on the form showing its reason.
//   node tests/kiosk/alternatives-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { MEETING_DATE, api, attend, ceremony, setupMeeting, enrolMeeting } from '../server/meeting-lib.mjs';
import { ROOT } from './lib/serve.mjs';
import { consoleTest } from './lib/console-test.mjs';

const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

// --- ANIMT's AG: a group on the agenda, an ungrouped motion -----------------
const data = tmpDir('altui-animt');
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const N = 4;
fs.writeFileSync(path.join(data, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
  ...Array.from({ length: N }, (_, i) => `M000${i + 1};Nom${i + 1};Prénom${i + 1};membre_de_droit;${paid}`)].join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'a1', title: 'Cotisation à 20 €', kind: 'motion', rule: 'ordinary', secret: false, alternatives: 'cotisation' },
  { id: 'b1', title: 'Siège à Lyon', kind: 'motion', rule: 'ordinary', secret: false },
] }));
const ID = 'ag-altui';
const QUORUM = { counts: ['present', 'remote', 'represented'], fraction: '1/4', compare: 'at_least', rounding: 'none', second_convocation: 'none' };
run(['meeting', 'create', '--id', ID, '--title', 'AG ANIMT', '--date', MEETING_DATE, '--profile', 'ballot-formats/profiles/animt.yaml',
  '--body', 'ag', '--agenda', path.join(data, 'agenda.json'), '--quorum', JSON.stringify(QUORUM), '--trustees', '2', '--threshold', '2']);
run(['meeting', 'convene', ID]);
const { voters, modToken, modLink, enrol } = enrolMeeting(data, ID, N);

// --- A-IMI's AG: no alternatives rule -------------------------------------
const dataA = tmpDir('altui-aimi');
const mA = setupMeeting(dataA, { members: 4, id: 'ag-aimi' });

const srv = await startServer({ data });
const srvA = await startServer({ data: dataA });
const { check, text, noCsp, openConsole, runTest } = await consoleTest('alternatives-ui');
await runTest(async () => {
  const base = `/api/v1/meetings/${ID}`;
  const view = async () => (await api(srv, 'GET', base)).json;
  const mod = await openConsole(modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), 'moderator-animt');
  // The rules are read (the form lists the body's decisions by label).
  await mod.waitForFunction(() => [...document.querySelectorAll('#aq-rule option')].some((o) => o.textContent.includes('(')), null, { timeout: 10000 });
  check(await mod.locator('#aq-group').isVisible(), 'ANIMT: a « Motion » may be given a group of alternatives');
  check(!(await mod.$eval('#aq-kind option[value="alternative"]', (o) => o.disabled)), 'ANIMT: « Motion alternative » offered');
  check((await text(mod, 'li[data-qid="a1"] .q-group')) === 'groupe d’alternatives « cotisation »', 'the list shows a1\'s group');
  check(await mod.locator('li[data-qid="b1"] .q-group').count() === 0, 'b1, in no group, shows none');

  // An alternative to a1: it joins a1's group, under its rule.
  await mod.selectOption('#aq-kind', 'alternative');
  check(await mod.$$eval('#aq-ref option', (os) => os.map((o) => o.value).join(',')) === 'a1,b1', 'alternative: the motions are offered as references');
  await mod.selectOption('#aq-ref', 'a1');
  check((await text(mod, '#aq-alt-note')).startsWith('La nouvelle motion rejoindra le groupe de motions alternatives « cotisation » : a1 — Cotisation à 20 €'),
    'alternative: the form says which group the motion joins: ' + await text(mod, '#aq-alt-note'));
  check(await mod.$$eval('#aq-rule option', (os) => os.map((o) => o.value).join(',')) === 'ordinary', 'alternative: only the group\'s rule');
  check(await mod.locator('#aq-group').isHidden(), 'alternative: no group field (the group is the reference\'s)');
  await mod.fill('#aq-id', 'a2');
  await mod.fill('#aq-title', 'Cotisation à 25 €');
  await mod.click('#aq-form button[type="submit"]');
  await mod.waitForSelector('li[data-qid="a2"]', { timeout: 10000 });
  check((await text(mod, '#alert')).startsWith('Motion ajoutée au groupe de motions alternatives « cotisation »'), 'alternative: success shown: ' + await text(mod, '#alert'));
  let v = await view();
  const q = (id) => v.questions.find((x) => x.id === id);
  check(q('a1').alternatives === 'cotisation' && q('a2')?.alternatives === 'cotisation', `the API's view: a1 and a2 in the group « cotisation » (${q('a2')?.alternatives})`);
  check(q('a2').title === 'Motion alternative à « Cotisation à 20 € » : Cotisation à 25 €' && q('a2').kind === 'motion' && q('a2').rule === 'ordinary',
    `a2: a motion under the group's rule (${q('a2').title})`);
  check((await text(mod, 'li[data-qid="a2"] .q-group')) === 'groupe d’alternatives « cotisation »', 'the list shows a2\'s group');

  // An alternative to an ungrouped motion: refused by the form, and why.
  const n0 = v.questions.length;
  await mod.selectOption('#aq-kind', 'alternative');
  await mod.selectOption('#aq-ref', 'b1');
  const ungrouped = await text(mod, '#aq-alt-note');
  check(ungrouped.startsWith('« Siège à Lyon » n’appartient à aucun groupe de motions alternatives') && ungrouped.includes('type « Motion » et un même groupe'),
    'ungrouped reference: the reason and what to do: ' + ungrouped);
  check(await mod.locator('#aq-form button[type="submit"]').isDisabled(), 'ungrouped reference: « Ajouter » disabled');
  await mod.evaluate(AXE);
  const axe = await mod.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => x.id));
  check(axe.length === 0, `axe: no serious or critical violation on the form with its reason (${axe})`);

  // A new group from « Motion »: a bad id refused before any request, a
  // good one creates the motion in it.
  await mod.selectOption('#aq-kind', 'motion');
  await mod.fill('#aq-id', 'c1');
  await mod.fill('#aq-title', 'Logo bleu');
  await mod.selectOption('#aq-rule', 'ordinary');
  await mod.fill('#aq-group', 'un logo');
  await mod.click('#aq-form button[type="submit"]');
  check((await text(mod, '#alert')) === 'Groupe invalide : 1 à 64 lettres, chiffres, _ -', 'a bad group id: refused by the form');
  check((await view()).questions.length === n0, 'nothing created by the refusals');
  await mod.fill('#aq-group', 'logo');
  await mod.click('#aq-form button[type="submit"]');
  await mod.waitForSelector('li[data-qid="c1"] .q-group', { timeout: 10000 });
  v = await view();
  check(q('c1')?.alternatives === 'logo', 'a « Motion » with a group id: c1 in the new group « logo »');
  check(await mod.$eval('#aq-group', (i) => i.value) === '', 'the form is reset after the motion is added');

  // The group's vote begins: no alternative any more.
  await ceremony(srv, { id: ID, enrol });
  check((await api(srv, 'POST', `${base}/start`, {}, modToken)).status === 200, 'AG started');
  for (const vt of voters) await api(srv, 'POST', `${base}/attendance`, attend({ id: ID }, vt, 'check-in', 'present'));
  const op = await api(srv, 'POST', `${base}/questions/a1/open`, {}, modToken);
  check(op.status === 200, `a1 opened (${op.status})`);
  await mod.waitForSelector('li[data-qid="a1"].q-open', { timeout: 10000 });
  await mod.selectOption('#aq-kind', 'alternative');
  await mod.selectOption('#aq-ref', 'a2');
  check((await text(mod, '#aq-alt-note')) === 'Le vote du groupe de motions alternatives « cotisation » a commencé : on ne peut plus y ajouter de motion.',
    'the group\'s vote began: said so');
  check(await mod.locator('#aq-form button[type="submit"]').isDisabled(), 'the group\'s vote began: « Ajouter » disabled');
  await mod.click('#lang-switch');
  await mod.waitForFunction(() => document.documentElement.lang === 'en');
  check((await text(mod, '#aq-alt-note')) === 'Voting on the group of alternative motions “cotisation” has begun: no motion can be added to it any more.',
    'in English: ' + await text(mod, '#aq-alt-note'));
  check((await text(mod, 'li[data-qid="a2"] .q-group')) === 'alternatives group “cotisation”', 'the group in the list, in English');
  await mod.click('#lang-switch');
  await mod.waitForFunction(() => document.documentElement.lang === 'fr');
  check((await view()).questions.length === n0 + 1, 'only c1 was added since a2');
  await noCsp(mod, 'ANIMT console');

  // --- A-IMI: no alternatives rule -------------------------------------
  const baseA = `/api/v1/meetings/${mA.id}`;
  const urlA = `https://localhost:${srvA.port}/m/#${mA.id}.${mA.modToken}`;
  const modA = await openConsole(urlA, 'moderator-aimi');
  await modA.waitForFunction(() => document.querySelector('#aq-kind option[value="alternative"]').disabled, null, { timeout: 10000 });
  check((await modA.$eval('#aq-kind option[value="alternative"]', (o) => o.textContent)) === 'Motion alternative (non prévue par les statuts)',
    'A-IMI: « Motion alternative » disabled, and says why');
  check(await modA.locator('#aq-group').isHidden(), 'A-IMI: no group field');
  await noCsp(modA, 'A-IMI console');
  // The rules unreachable (network): the form cannot know; the server
  // refuses and its French message is shown.
  const qA0 = (await api(srvA, 'GET', baseA)).json.questions.length;
  const modB = await openConsole(urlA, 'moderator-aimi-norules', (page) => page.route(/\/rules$/, (r) => r.abort()));
  check(!(await modB.$eval('#aq-kind option[value="alternative"]', (o) => o.disabled)) && await modB.locator('#aq-group').isVisible(),
    'rules unknown: the form offers alternatives and lets the server decide');
  await modB.fill('#aq-id', 'q9');
  await modB.fill('#aq-title', 'Motion groupée');
  await modB.selectOption('#aq-rule', 'ordinary');
  await modB.fill('#aq-group', 'g1');
  await modB.click('#aq-form button[type="submit"]');
  await modB.waitForFunction(() => !document.getElementById('alert').hidden, null, { timeout: 10000 });
  check((await text(modB, '#alert')) === 'Refusé par le serveur : les statuts ne prévoient pas de motions alternatives pour cette instance',
    'A-IMI: the server\'s refusal in French: ' + await text(modB, '#alert'));
  check((await api(srvA, 'GET', baseA)).json.questions.length === qA0, 'A-IMI: nothing created');
}, [srv, srvA]);
