// recusal-ui.mjs — « Déport » on the moderator's console (/m/), on the
// real server (build/scrutin serve, loopback HTTPS) in Debian's headless
// Chromium, Espace+'s CA (RI art. 7: the member concerned by the
// procedure does not deliberate):
//  - a pending revocation offers the recusal with its article; a simple
//    motion (no recusal in its rule) offers none;
//  - the moderator picks a member by name: the server stores the member
//    number (GET meetings/{m}), the console lists the name; a second one,
//    one removed, then all cleared, each stored as the console shows;
//  - clicking « Déporter » with nobody picked says what to do and writes
//    nothing; once opened, the list is shown and no control is offered;
//  - no CSP violation, no page error.
//   node tests/kiosk/recusal-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { api, ceremony, enrolMeeting, makeRoll, MEETING_DATE } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const data = tmpDir('recusal-ui');
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
run(['roll', 'import', makeRoll(data, 6, 'administrateur')]);
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Révocation de M0002', kind: 'motion', rule: 'revocation', secret: true },
  { id: 'q3', title: 'Motion simple', kind: 'motion', rule: 'simple', secret: false },
] }));
const quorum = { counts: ['present', 'represented'], fraction: '1/2', compare: 'at_least', rounding: 'floor', second_convocation: 'none' };
const ID = 'ca-recusal-ui';
run(['meeting', 'create', '--id', ID, '--title', 'CA Espace+', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/espace-plus.yaml', '--body', 'ca', '--agenda', agenda,
  '--trustees', '2', '--threshold', '2', '--quorum', JSON.stringify(quorum)]);
run(['meeting', 'convene', ID]);
const m = enrolMeeting(data, ID, 6);
const base = `/api/v1/meetings/${ID}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, noCsp, openConsole, runTest } = await consoleTest('recusal-ui');

await runTest(async () => {
  const mod = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), 'console');
  const box = mod.locator('#m-questions li[data-qid="q1"] .recusals');
  const stored = async () => (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1').recused ?? [];
  // Waits until the console's list says `want`.
  const listSays = async (want) => {
    await mod.waitForFunction((w) => document.querySelector('#m-questions li[data-qid="q1"] .recused-list')?.textContent === w, want, { timeout: 15000 })
      .catch(() => {});
    return box.locator('.recused-list').innerText();
  };

  check(await box.count() === 1, 'q1 (revocation): the recusal is offered');
  check(/art\. 7/.test(await box.locator('.help').innerText()), 'with its article (art. 7)');
  check(await mod.locator('#m-questions li[data-qid="q3"] .recusals').count() === 0, 'q3 (simple motion): no recusal offered');
  check(await box.locator('.recused-list').innerText() === 'Aucun membre déporté sur cette question.', 'nobody recused at first');

  // Nobody picked: the console says what to do, nothing is written.
  await box.locator('[data-rec="add"]').click();
  await mod.waitForSelector('#alert:not([hidden])');
  check(/Choisissez d’abord le membre concerné/.test(await mod.locator('#alert').innerText()), 'nobody picked: the console says what to do');
  check((await stored()).length === 0, 'nothing written');

  // Picked by name: the server stores the number, the console shows the name.
  const opts = await box.locator('select[data-rec="pick"] option').allInnerTexts();
  check(opts.includes('Prénom2 Nom2 (M0002)'), `members offered by name (${opts.slice(0, 3).join(' | ')}…)`);
  await box.locator('select[data-rec="pick"]').selectOption('M0002');
  await box.locator('[data-rec="add"]').click();
  check(await listSays('Déporté(s) : Prénom2 Nom2') === 'Déporté(s) : Prénom2 Nom2', 'the console lists M0002 by name');
  check(JSON.stringify(await stored()) === '["M0002"]', 'the server stores M0002');
  await box.locator('select[data-rec="pick"]').selectOption('M0005');
  await box.locator('[data-rec="add"]').click();
  check(await listSays('Déporté(s) : Prénom2 Nom2, Prénom5 Nom5') === 'Déporté(s) : Prénom2 Nom2, Prénom5 Nom5', 'a second member added');
  check(JSON.stringify(await stored()) === '["M0002","M0005"]', 'the server stores both');
  check(!(await box.locator('select[data-rec="pick"] option').allInnerTexts()).some((o) => /M0002/.test(o)), 'a recused member is no longer offered');
  await box.locator('li[data-member="M0002"] [data-rec="remove"]').click();
  check(await listSays('Déporté(s) : Prénom5 Nom5') === 'Déporté(s) : Prénom5 Nom5', 'one removed');
  check(JSON.stringify(await stored()) === '["M0005"]', 'the server stores the rest');
  await box.locator('[data-rec="clear"]').click();
  const cleared = await listSays('Aucun membre déporté sur cette question.');
  check(cleared === 'Aucun membre déporté sur cette question.', `all cleared (${cleared})`);
  check((await stored()).length === 0, 'the server stores none');

  // Set again, then opened: shown, no control.
  await box.locator('select[data-rec="pick"]').selectOption('M0002');
  await box.locator('[data-rec="add"]').click();
  await listSays('Déporté(s) : Prénom2 Nom2');
  await ceremony(srv, m);
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'CA started');
  check((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status === 200, 'q1 opened');
  await mod.waitForSelector('#m-questions li.q-open[data-qid="q1"]', { timeout: 15000 });
  const shown = await box.locator('.recused-list').innerText().catch((e) => String(e).slice(0, 200));
  check(shown === 'Déporté(s) : Prénom2 Nom2', `opened: the list is shown (${shown})`);
  check(await box.locator('button, select').count() === 0, 'opened: no recusal control');
  await noCsp(mod, 'console');
}, [srv]);
