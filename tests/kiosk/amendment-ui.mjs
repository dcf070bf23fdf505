// amendment-ui.mjs — amendments on the moderator's console (/m/) and the
// projector (/p/), on the real server (build/scrutin serve, loopback HTTPS)
// in Debian's headless Chromium:
//  - ANIMT's AG (IV): the console asks for the number of supporters « au
//    moins 9, art. IV »; 8 is refused with the article and nothing is
//    written;
//  - A-IMI's AG (usual practice, before_motion): the moderator proposes an
//    amendment on a pending motion (its text, the proposer by name); the
//    motion says to vote its amendment first and the server refuses to
//    open it; the moderator opens the amendment, members vote (their
//    signed show-of-hands ballots), closes it; it is adopted; the motion,
//    opened, shows « Votée telle qu'amendée » with the text, and the
//    projector shows the amendment's text with its motion;
//  - the minutes (GET minutes) show the amendment with its motion and the
//    motion « telle qu'amendée »; no CSP violation, no page error.
//   node tests/kiosk/amendment-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli, request } from '../server/lib.mjs';
import { api, attend, ceremony, enrolMeeting, makeRoll, openBallot, MEETING_DATE } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const mo = (id, title) => ({ id, title, kind: 'motion', rule: 'ordinary', secret: false });
function setup(tag, profile, category, createArgs = []) {
  const data = tmpDir(tag);
  const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
  run(['roll', 'import', makeRoll(data, 11, category)]);
  const agenda = path.join(data, 'agenda.json');
  fs.writeFileSync(agenda, JSON.stringify({ questions: [mo('m1', 'Cotisation annuelle à 20 €'), mo('m2', 'Siège à Lyon')] }));
  run(['meeting', 'create', '--id', tag, '--title', 'AG', '--date', MEETING_DATE, '--profile', profile, '--body', 'ag',
    '--agenda', agenda, '--trustees', '2', '--threshold', '2', ...createArgs]);
  run(['meeting', 'convene', tag]);
  return { data, m: enrolMeeting(data, tag, 11), base: `/api/v1/meetings/${tag}` };
}
const QUORUM = { counts: ['present', 'remote', 'represented'], fraction: '1/4', compare: 'at_least', rounding: 'none', second_convocation: 'none' };
const A = setup('amend-ui-animt', 'ballot-formats/profiles/animt.yaml', 'membre_de_droit', ['--quorum', JSON.stringify(QUORUM)]);
const B = setup('amend-ui-aimi', 'ballot-formats/profiles/a-imi.yaml', 'adherent');
const srvA = await startServer({ data: A.data, extra: ['--rate', '100000', '--burst', '100000'] });
const srvB = await startServer({ data: B.data, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, noCsp, openConsole, openPage, runTest } = await consoleTest('amendment-ui');

async function begin(srv, { m, base }) {
  await ceremony(srv, m);
  if ((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status !== 200) throw new Error('start');
  for (const v of m.voters)
    if ((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status !== 200) throw new Error('check-in');
}
const consoleUrl = (srv, m) => m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
// Fills the amendment form of motion qid and proposes it.
async function propose(page, qid, { text, proposer, supporters }) {
  const box = page.locator(`#m-questions details.amend[data-qid="${qid}"]`);
  if (!(await box.evaluate((d) => d.open))) await box.locator('summary').click();
  await box.locator('[data-am="text"]').fill(text);
  await box.locator('[data-am="proposer"]').selectOption(proposer);
  if (supporters !== undefined) await box.locator('[data-am="supporters"]').fill(String(supporters));
  await box.locator('[data-am="propose"]').click();
  return box;
}
const alertSays = async (page, re) => {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#alert')?.textContent || ''), re.source, { timeout: 15000 })
    .catch(() => {});
  return page.locator('#alert').innerText();
};

await runTest(async () => {
  // --- ANIMT: the supporters, at least 9 (art. IV) ---
  await begin(srvA, A);
  const modA = await openConsole(consoleUrl(srvA, A.m), 'console ANIMT');
  const boxA = modA.locator('#m-questions details.amend[data-qid="m1"]');
  check(await boxA.count() === 1, 'ANIMT: a pending motion offers an amendment');
  await boxA.locator('summary').click();
  check(/au moins 9, art\. IV/.test(await boxA.locator('label[for="am-sup-m1"]').innerText()), 'the supporters asked for, « au moins 9, art. IV »');
  check(/motion alternative/.test(await boxA.locator('.help').innerText()), 'the amended text becomes an alternative motion (IV)');
  const nQ = async (srv, base) => (await api(srv, 'GET', base)).json.questions.length;
  await propose(modA, 'm1', { text: '25 € au lieu de 20 €', proposer: 'M0002', supporters: 8 });
  check(/au moins 9 membres.*art\. IV/.test(await alertSays(modA, /art\. IV/)), 'the console refuses 8 supporters with the article');
  check(await nQ(srvA, A.base) === 2, 'nothing written');
  // The server's own refusal, when the console's check is passed by.
  const r8 = await api(srvA, 'POST', `${A.base}/questions/m1/amendments`, { text: 'x', proposer: 'M0002', supporters: 8 }, A.m.modToken);
  check(r8.status === 403 && /art\. IV/.test(r8.json.error.detail), `the server refuses 8 too, with « art. IV » (${r8.json.error?.detail})`);
  await propose(modA, 'm1', { text: '25 € au lieu de 20 €', proposer: 'M0002', supporters: 9 });
  await modA.waitForSelector('#m-questions li[data-qid="m1-am1"] .amendment-text', { timeout: 15000 });
  check(/telle qu’amendée \(motion alternative\)/.test(await modA.locator('#m-questions li[data-qid="m1-am1"] .amendment-text').innerText()),
    'with 9: the amended motion, an alternative, listed with its text');
  await noCsp(modA, 'console ANIMT');

  // --- A-IMI: voted before the motion ---
  await begin(srvB, B);
  const mod = await openConsole(consoleUrl(srvB, B.m), 'console A-IMI');
  const proj = await openPage(`https://localhost:${srvB.port}/p/#amend-ui-aimi`, 'projector');
  const box = mod.locator('#m-questions details.amend[data-qid="m1"]');
  await box.locator('summary').click();
  check(await box.locator('[data-am="supporters"]').count() === 0, 'A-IMI: no supporters asked (the statutes require none)');
  check(/votée telle qu’amendée/.test(await box.locator('.help').innerText()), 'the amendment is voted first, then the motion as amended');
  await propose(mod, 'm1', { text: 'remplacer « 20 € » par « 25 € »', proposer: 'M0003' });
  await mod.waitForSelector('#m-questions li[data-qid="m1-am1"]', { timeout: 15000 });
  const stored = (await api(srvB, 'GET', B.base)).json.questions.find((q) => q.id === 'm1-am1');
  check(stored && stored.amends === 'm1' && stored.proposer === 'M0003' && stored.amendment === 'remplacer « 20 € » par « 25 € »',
    'the server stores the amendment, its motion and its proposer');
  await mod.waitForSelector('#m-questions li[data-qid="m1"] .amend-wait', { timeout: 15000 });
  check(/Votez d’abord ses amendements : m1-am1/.test(await mod.locator('#m-questions li[data-qid="m1"] .amend-wait').innerText()),
    'the motion says to vote its amendment first');
  await mod.locator('#m-questions li[data-qid="m1"] [data-act="open"]').click();
  check(/pas encore voté/.test(await alertSays(mod, /pas encore voté/)), 'opening the motion first is refused, said in French');
  // The amendment: opened from the console, members vote, closed.
  await mod.locator('#m-questions li[data-qid="m1-am1"] [data-act="open"]').click();
  await mod.waitForSelector('#m-questions li.q-open[data-qid="m1-am1"]', { timeout: 15000 });
  await proj.waitForSelector('#p-open .p-q[data-qid="m1-am1"] .p-amendment', { timeout: 15000 });
  check(/Amendement à « Cotisation annuelle à 20 € » :\s*(« )?remplacer/.test(await proj.locator('#p-open .p-q[data-qid="m1-am1"] .p-amendment').innerText()),
    'the projector shows the amendment\'s text with its motion: ' + await proj.locator('#p-open .p-q[data-qid="m1-am1"] .p-amendment').innerText());
  const vote = async (qid, picks) => {
    const q = (await api(srvB, 'GET', B.base)).json.questions.find((x) => x.id === qid);
    for (const [i, s] of picks.entries()) {
      const r = await api(srvB, 'POST', `${B.base}/ballots`, openBallot(B.m, q, qid, B.m.voters[i], s));
      if (r.status !== 200) throw new Error(`${qid} ballot ${i}: ${r.text}`);
    }
  };
  await vote('m1-am1', [...Array(7).fill([1, 0, 0]), ...Array(3).fill([0, 1, 0])]);
  await mod.locator('#m-questions li[data-qid="m1-am1"] [data-act="close"]').click();
  await mod.waitForSelector('#m-questions li.q-counted[data-qid="m1-am1"]', { timeout: 15000 });
  // The motion, as amended.
  await mod.locator('#m-questions li[data-qid="m1"] [data-act="open"]').click();
  await mod.waitForSelector('#m-questions li.q-open[data-qid="m1"] .amended', { timeout: 15000 });
  check(/Votée telle qu’amendée par m1-am1 : « remplacer « 20 € » par « 25 € » »/.test(await mod.locator('#m-questions li[data-qid="m1"] .amended').innerText()),
    'the console: the motion voted as amended, with the text');
  await proj.waitForSelector('#p-open .p-q[data-qid="m1"] .p-amendment', { timeout: 15000 });
  check(/Telle qu’amendée :\s*remplacer « 20 € » par « 25 € »/.test(await proj.locator('#p-open .p-q[data-qid="m1"] .p-amendment').innerText()),
    'the projector: the motion as amended, with the amendment\'s text');
  await vote('m1', [...Array(8).fill([1, 0, 0]), ...Array(2).fill([0, 1, 0])]);
  await mod.locator('#m-questions li[data-qid="m1"] [data-act="close"]').click();
  await mod.waitForSelector('#m-questions li.q-counted[data-qid="m1"]', { timeout: 15000 });
  check(await mod.locator('#m-questions details.amend[data-qid="m1"]').count() === 0, 'no amendment offered once the motion was voted');
  await noCsp(mod, 'console A-IMI');
  await noCsp(proj, 'projector');
  // The minutes.
  check((await api(srvB, 'POST', `${B.base}/end`, {}, B.m.modToken)).status === 200, 'meeting ended');
  const pv = await request(srvB, 'GET', `${B.base}/minutes`);
  check(pv.status === 200 && pv.text.includes('<p class="amendment">Amendement à « Cotisation annuelle à 20 € » (m1) : « remplacer « 20 € » par « 25 € » ».</p>'),
    'the minutes: the amendment with its motion');
  check(/<p class="amended">Motion mise aux voix telle qu'amendée par : « Amendement à « Cotisation annuelle à 20 € » » \(m1-am1\)/.test(pv.text),
    'the minutes: the motion « telle qu\'amendée »');
}, [srvA, srvB]);
