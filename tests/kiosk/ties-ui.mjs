// ties-ui.mjs — ties, re-votes and percentages in the moderator console
// and on the projector, on the real server (build/scrutin serve, loopback
// HTTPS) in Debian's headless Chromium driven by playwright-core:
//  - an A-IMI CA election (2 seats, no tie-break chain, art. 11) ties for
//    the last seat: the console and the projector say « 1 siège pourvu
//    sur 2 ; 1 siège non pourvu », the tie and what comes next with the
//    article; the console offers « Revoter entre les ex æquo »; one click
//    creates the re-vote (the tied candidates, one seat), which the
//    console opens and closes and which elects;
//  - percentages of the statutes' base, in French format: an election's
//    valid ballots (6 of 7 → « 85,7 % », blank without one), an A-IMI
//    motion's expressed votes (5 pour, 2 contre, 1 abstention → « 71,4 % »
//    and « 28,6 % », the abstention without one), said under the chart;
//    a narrow no-break space before % and between thousands (« 1 234 »);
//  - the console and the projector name the elected « Prénom Nom »;
//  - a motion has no re-vote button; no CSP violation, no page error.
//   node tests/kiosk/ties-ui.mjs     (from the repository root, after make)
import { tmpDir, startServer } from '../server/lib.mjs';
import { api, attend, castBallots, ceremony, decrypt, setupMeeting } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const NN = '\u202f';
const data = tmpDir('ties-ui');
const cands = [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' },
  { member: 'M0003', name: 'Trois' }, { member: 'M0004', name: 'Quatre' }];
const m = setupMeeting(data, { members: 8, id: 'ag-ties-ui', agenda: { questions: [
  { id: 'e1', title: 'Conseil', kind: 'election', rule: 'ca', secret: true, seats: 2, candidates: cands },
  { id: 'q1', title: 'Budget', kind: 'motion', rule: 'ordinary', secret: false },
] } });
const base = `/api/v1/meetings/${m.id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { browser, check, noCsp, openConsole, runTest, pageErrors } = await consoleTest('ties-ui');
await runTest(async () => {
  const cer = await ceremony(srv, m);
  if ((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status !== 200) throw new Error('start');
  for (const v of m.voters) await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'));
  const question = async (qid) => (await api(srv, 'GET', base)).json.questions.find((q) => q.id === qid);
  const ballots = (qid, picks) => castBallots(srv, m, cer, qid, picks);


  const page = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), 'moderator');
  const pctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true, locale: 'fr-FR' });
  const proj = await pctx.newPage();
  proj.on('pageerror', (e) => pageErrors.push(`projector: ${e}`));
  await proj.goto(`https://localhost:${srv.port}/p/#${m.id}`);
  const li = (qid) => page.locator(`li[data-qid="${qid}"]`);
  const resultText = async (loc) => (await loc.locator('.result').first().textContent()).replace(/\s+/g, (s) => (s.includes(NN) ? NN : ' '));

  // e1: opened and closed from the console; 7 valid ballots and a blank:
  // Un 6, Deux 3, Trois 3, Quatre 1 — Un elected, Deux and Trois tied.
  await li('e1').locator('button[data-act="open"]').click();
  await page.waitForSelector('li[data-qid="e1"] button[data-act="close"]', { timeout: 10000 });
  await ballots('e1', [[0, 1], [0, 2], [0, 1], [0, 2], [0, 1], [0, 2], [3], [4]]);
  await li('e1').locator('button[data-act="close"]').click();
  await page.waitForSelector('li[data-qid="e1"].q-closed', { timeout: 10000 });
  await decrypt(srv, m, cer, 'e1');
  await page.waitForSelector('li[data-qid="e1"] .result', { timeout: 15000 });
  let t = await resultText(li('e1'));
  check(t.includes('1 siège pourvu sur 2 ; 1 siège non pourvu'), `console: seats filled and not (${t.slice(0, 200)})`);
  check(t.includes(`6 (85,7${NN}%)`) && t.includes(`3 (42,9${NN}%)`), 'console: shares of the 7 valid ballots, French format');
  check(!t.includes('(33,3') && t.includes('Vote blanc1') && !t.includes('Vote blanc1 ('),
    'console: not shares of all ticks; blank without a percentage');
  check(t.includes('pourcentages des bulletins valables (7)') && t.includes('8 bulletins'), 'console: the base said under the chart');
  check(t.includes('Égalité non départagée entre Deux et Trois') && t.includes('ni critère de départage ni tirage au sort (art. 11)'),
    'console: the tie, with the article');
  check(t.includes('repris entre les ex æquo pour le siège restant') && t.includes('encore à égalité, il est repris de nouveau entre les ex æquo (art. 11)'),
    'console: what comes next, and if the re-vote ties again');
  check(!/siège\(s\)|bulletin\(s\)/.test(t), 'console: real plurals');
  await proj.waitForSelector('#p-result .result', { timeout: 15000 });
  t = await resultText(proj.locator('#p-result'));
  check(t.includes('1 siège pourvu sur 2 ; 1 siège non pourvu') && t.includes(`6 (85,7${NN}%)`) &&
    t.includes('pourcentages des bulletins valables (7)'), `projector: seats and percentages (${t.slice(0, 160)})`);
  check(t.includes('Égalité non départagée entre Deux et Trois'), 'projector: the tie');
  // The statutes engine's sentence names the elected from the roll, « Prénom Nom » (server/member_name.c).
  check(t.includes('Prénom1 Nom1 (6 voix)') && !/Nom\d Prénom\d/.test(t), `projector: the elected named « Prénom Nom » (${t.slice(0, 300)})`);
  t = await resultText(li('e1'));
  check(t.includes('Prénom1 Nom1 (6 voix)') && !/Nom\d Prénom\d/.test(t), 'console: the elected named « Prénom Nom »');

  // One click: the re-vote between the tied candidates.
  const rv = li('e1').locator('button[data-act="revote"]');
  check((await rv.innerText()).trim() === 'Revoter entre les ex æquo', 'the console offers « Revoter entre les ex æquo »');
  await rv.click();
  await page.waitForSelector('li[data-qid="e1-r"]', { timeout: 10000 });
  check(await li('e1').locator('button[data-act="revote"]').count() === 0, 'the button goes once the re-vote exists');
  const r = await question('e1-r');
  check(r && r.revote_of === 'e1' && r.seats === 1 && JSON.stringify(r.choices) === '["Deux","Trois","blanc"]',
    `the re-vote: the tied candidates, one seat (${JSON.stringify(r && r.choices)})`);
  const cl = await li('e1-r').locator('.candidates').innerText();
  check(cl.includes('Deux, Trois') && !cl.includes('Un') && !cl.includes('Quatre'), `the console lists the re-vote's candidates (${cl})`);
  await li('e1-r').locator('button[data-act="open"]').click();
  await page.waitForSelector('li[data-qid="e1-r"] button[data-act="close"]', { timeout: 10000 });
  await ballots('e1-r', [[0], [0], [0], [1], [1], [2]]);
  await li('e1-r').locator('button[data-act="close"]').click();
  await page.waitForSelector('li[data-qid="e1-r"].q-closed', { timeout: 10000 });
  await decrypt(srv, m, cer, 'e1-r');
  await page.waitForSelector('li[data-qid="e1-r"] .result', { timeout: 15000 });
  t = await resultText(li('e1-r'));
  check(t.includes('1 siège pourvu sur 1') && !t.includes('non pourvu') && t.includes(`3 (60,0${NN}%)`),
    `the re-vote elects: seat filled, 3 of 5 valid ballots (${t.slice(0, 160)})`);
  check(await li('e1-r').locator('button[data-act="revote"]').count() === 0, 'no re-vote after an election');

  // An A-IMI motion: abstentions are not expressed (art. 9).
  await li('q1').locator('button[data-act="open"]').click();
  await page.waitForSelector('li[data-qid="q1"] button[data-act="close"]', { timeout: 10000 });
  await ballots('q1', [[0], [0], [0], [0], [0], [1], [1], [2]]);
  await li('q1').locator('button[data-act="close"]').click();
  await page.waitForSelector('li[data-qid="q1"] .result', { timeout: 15000 });
  t = await resultText(li('q1'));
  check(t.includes(`5 (71,4${NN}%)`) && t.includes(`2 (28,6${NN}%)`) && !t.includes('62,5') && !t.includes('62.5'),
    `console: pour 71,4 % of the 7 expressed votes (${t.slice(0, 200)})`);
  check(t.includes('Abstention1') && !t.includes('Abstention1 ('), 'console: the abstention without a percentage');
  check(t.includes('pourcentages des suffrages exprimés (7)'), 'console: « des suffrages exprimés » under the chart');
  check(await li('q1').locator('button[data-act="revote"]').count() === 0, 'a motion: no re-vote button');
  await proj.waitForFunction(() => /71,4/.test(document.querySelector('#p-result')?.textContent || ''), null, { timeout: 15000 });
  t = await resultText(proj.locator('#p-result'));
  check(t.includes(`5 (71,4${NN}%)`) && t.includes('pourcentages des suffrages exprimés (7)'), 'projector: the motion\'s percentages');

  // Thousands, as French typography writes them.
  const fmt = await page.evaluate(async () => {
    const f = await import('/js/format.js');
    return [f.fmtInt(1234), f.fmtPct(5, 7), f.tn('r.unfilled', 2)];
  });
  check(fmt[0] === `1${NN}234` && fmt[1] === `71,4${NN}%` && fmt[2] === '2 sièges non pourvus', `French numbers: ${JSON.stringify(fmt)}`);
  await noCsp(page, 'the console');
  check((await proj.evaluate(() => window.__csp || [])).length === 0, 'the projector: no CSP violation');
}, [srv]);
