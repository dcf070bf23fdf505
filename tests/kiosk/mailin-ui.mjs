// mailin-ui.mjs — the mail-in vote (vote par correspondance) on the
// member's phone (/v/), on the real server (build/scrutin serve, loopback
// HTTPS) in Debian's headless Chromium driven by playwright-core, ANIMT's
// AG (art. V: the agenda's motions by mail, a fallback holder named in
// advance votes the motions added on the day):
//  - the operator opens the window; member A opens the phone page from the
//    credential link, sees « Vote par correspondance » with the request to
//    name a fallback holder first (art. V) and no vote button yet; names B
//    by a few letters of the name (accents and case ignored) and confirms;
//  - the agenda's help « Procurations et vote par correspondance »: a
//    proxy, a mail-in vote and the day (fallback holder, a voter who
//    comes votes in the room), a proxy drawn by lot (declining), the
//    president's redistribution, in French and in English;
//  - A votes the secret motion and the show of hands by mail (the secret
//    ballot encrypted in the browser), each with its own verified receipt;
//    the agenda then says « Vous avez voté par correspondance »; the
//    record holds one mailin.fallback and two mailin.ballot events;
//  - once the meeting starts A's page says the mail-in vote is done; q1
//    opened, A (absent) finds the mail-in ballot by its receipt from the
//    agenda (« retenu pour ce vote »); B,
//    present, votes q1 in the room, A's mail-in ballot is counted with it
//    (2 ballots); a motion added on the day shows on B's phone « Ma voix »
//    and « Procuration de repli de <A> », both cast (2 ballots);
//  - on the day the moderator proposes from the console an amendment to
//    q2 with 9 supporters (art. IV: the amended text is an alternative
//    motion, added on the day); q2, opened as published, counts A's
//    mail-in ballot (B's phone says so on A's row); on the amended motion
//    B's phone shows « Procuration de repli de <A> » and B votes it; the
//    group's result (the amended motion wins); the minutes list A with B
//    as the fallback holder, q2's mail-in ballot, the amended motion's
//    fallback proxy and the amendment;
//  - axe-core (no serious or critical violation) on the box and the
//    fallback screen; no CSP violation, no page error; the exported record
//    verifies with build/scrutin-verify.
//   node tests/kiosk/mailin-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { MEETING_DATE, api, ceremony, decrypt, enrolMeeting, exportAndVerify, now } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';
import { issueLinks } from './lib/member-links.mjs';

const data = tmpDir('mailin-ui');
const ID = 'ag-mailin-ui';
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const names = Array.from({ length: 8 }, (_, i) => [`Nom${i + 1}`, `Prénom${i + 1}`]);
names.push(['Lefèvre', 'Anaïs'], ['Dupré', 'Hélène']);
fs.writeFileSync(path.join(data, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
  ...names.map(([n, p], i) => `M${String(i + 1).padStart(4, '0')};${n};${p};membre_de_droit;${paid}`)].join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'q1', title: 'Approbation des comptes', kind: 'motion', rule: 'ordinary', secret: true },
  { id: 'q2', title: 'Cotisation 2027', kind: 'motion', rule: 'ordinary', secret: false },
] }));
run(['meeting', 'create', '--id', ID, '--title', 'AG ANIMT', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ag', '--agenda', path.join(data, 'agenda.json'),
  '--trustees', '2', '--threshold', '2', '--quorum', 'none']);
run(['meeting', 'convene', ID]);
const m = enrolMeeting(data, ID, 8);
const { codes, qrUrl } = issueLinks(run, data, ID, ['--member', 'M0009', '--member', 'M0010']);
const A_NAME = 'Lefèvre Anaïs'; const B_NAME = 'Dupré Hélène';

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { axe, check, text, noCsp, openConsole, openPage, runTest } = await consoleTest('mailin-ui');
const base = `/api/v1/meetings/${ID}`;
const local = (u) => u.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
const screen = (page, name, timeout = 60000) => page.waitForSelector(`[data-screen="${name}"]:not([hidden])`, { timeout });
const PHONE = { width: 360, height: 640 };
const kinds = () => cli(['record', 'export', ID, '--data', data]).stdout.trim().split('\n')
  .map((l) => JSON.parse(l)).filter((e) => e.kind.startsWith('mailin')).map((e) => e.kind);

async function login(no) {
  const page = await openPage(local(qrUrl(no)), no, { viewport: PHONE });
  await screen(page, 'code');
  await page.fill('#code-input', codes[no]);
  await page.click('#code-submit');
  return page;
}
// Votes from a button (row: its locator), choice `label`: what the
// confirm and receipt screens say the ballot is for, and the receipt.
async function voteFrom(page, button, label) {
  await button.click();
  await screen(page, 'vote');
  await page.locator('label.choice', { hasText: label }).first().click();
  await page.click('#vote-form button[type="submit"]');
  await screen(page, 'confirm');
  const forWhom = await page.locator('#confirm-for').isVisible() ? await text(page, '#confirm-for') : '';
  await page.click('#confirm-cast');
  await screen(page, 'receipt');
  const receipt = (await text(page, '#receipt-hex')).replace(/\s+/g, '');
  const receiptFor = await page.locator('#receipt-for').isVisible() ? await text(page, '#receipt-for') : '';
  const lookupLabel = await page.locator('#receipt-lookup').isVisible() ? await text(page, '#receipt-lookup') : '';
  check((await text(page, '#receipt-sig')).includes('vérifié'), 'the server\'s acknowledgement verified');
  await page.click('#receipt-done');
  await screen(page, 'agenda');
  return { receipt, forWhom, receiptFor, lookupLabel };
}

await runTest(async () => {
  const cer = await ceremony(srv, m);
  const r0 = await api(srv, 'POST', `${base}/mailin/open`, { closes_at: now() + 1800 }, m.modToken);
  check(r0.status === 200 && r0.json.questions === 2, `the mail-in window opened with 2 motions (${r0.text})`);

  // --- A names the fallback holder, then votes by mail -------------------
  const pa = await login('M0009');
  await screen(pa, 'agenda');
  await pa.waitForSelector('#mailin-box:not([hidden])', { timeout: 15000 });
  const box = await text(pa, '#mailin-box');
  check(box.includes('Vote par correspondance') && box.includes('Désignez d’abord votre mandataire de repli') && box.includes('(art. V)'),
    `A's agenda: « Vote par correspondance », name the fallback holder first, art. V (${box.split('\n').slice(0, 3).join(' / ')})`);
  check(await pa.locator('#mailin-box li[data-mailin] button').count() === 0, 'no mail-in vote button before the fallback holder');
  await pa.click('#mailin-fallback-open');
  await screen(pa, 'mailin-fallback');
  await pa.fill('#mf-search', 'LEFEVRE');
  await pa.waitForFunction(() => /Aucun membre/.test(document.querySelector('#mf-count').textContent));
  check(true, 'one\'s own name is not offered');
  await pa.fill('#mf-search', 'dupre hel');
  await pa.locator('#mf-results button.holder', { hasText: B_NAME }).click();
  check((await text(pa, '#mf-confirm-text')).includes(B_NAME), 'the confirmation names B');
  await axe(pa, 'the fallback screen');
  await pa.click('#mf-name');
  await screen(pa, 'agenda');
  await pa.waitForSelector('#mailin-fallback.ok', { timeout: 10000 });
  check((await text(pa, '#mailin-fallback')) === `Mandataire de repli : ${B_NAME}.`, 'A\'s box: « Mandataire de repli : Dupré Hélène. »');
  await axe(pa, 'the mail-in box');

  // The phone's help: what a proxy, a mail-in vote (and the day: the
  // fallback holder, a voter who comes), a proxy drawn by lot and the
  // president's redistribution are, in French, then in English.
  await pa.locator('#help-proxies summary').click();
  const helpFr = await text(pa, '#help-proxies');
  for (const [what, re] of [['the title', /^Procurations et vote par correspondance : comment ça marche/],
    ['a proxy', /un autre membre peut voter à votre place : c’est la procuration/],
    ['a mail-in vote', /voter avant l’assemblée, pendant la période ouverte par l’organisateur, sur les motions de l’ordre du jour/],
    ['the fallback holder on the day', /motions ajoutées en séance \(amendements, motions alternatives, questions nouvelles\)[^]*mandataire de repli/],
    ['a mail-in voter who comes', /Si vous venez à la séance, vous votez vous-même dans la salle : votre bulletin par correspondance est mis de côté/],
    ['a proxy drawn by lot, declined', /tirage au sort vérifiable[^]*peut refuser : la procuration passe alors au volontaire suivant/],
    ['the president\'s redistribution', /le président peut recevoir plus de procurations[^]*signée par le président/]])
    check(re.test(helpFr), `the phone's help says ${what} in French`);
  await axe(pa, 'the help on proxies');
  await pa.click('#lang-switch');
  await pa.waitForFunction(() => /how they work/.test(document.querySelector('#help-proxies summary').textContent));
  const helpEn = await text(pa, '#help-proxies');
  check(/vote before the meeting/.test(helpEn) && /fallback holder you named in advance/.test(helpEn) &&
    /mail-in ballot is set aside/.test(helpEn) && /may decline/.test(helpEn) && /Redistribution by the president/.test(helpEn),
    'and in English');
  await pa.click('#lang-switch');
  await pa.waitForFunction(() => /comment ça marche/.test(document.querySelector('#help-proxies summary').textContent));
  await pa.locator('#help-proxies summary').click();

  const q1 = await voteFrom(pa, pa.locator('#mailin-box li[data-mailin="q1"] button.primary'), 'Pour');
  check(q1.forWhom === 'Vote par correspondance' && q1.receiptFor === 'Vote par correspondance',
    `the confirm and receipt screens say « Vote par correspondance » (${q1.forWhom} / ${q1.receiptFor})`);
  const q2 = await voteFrom(pa, pa.locator('#mailin-box li[data-mailin="q2"] button.primary'), 'Contre');
  check(/^[0-9a-f]{64}$/.test(q1.receipt) && /^[0-9a-f]{64}$/.test(q2.receipt) && q1.receipt !== q2.receipt, 'two receipts, different');
  check(q1.lookupLabel === 'Retrouver mon bulletin par correspondance', `the receipt screen offers the lookup (« ${q1.lookupLabel} »)`);
  const done = await pa.locator('#mailin-box li[data-mailin] p.ok').allInnerTexts();
  check(done.join('|') === 'Vous avez voté par correspondance.|Vous avez voté par correspondance.', `both motions voted by mail (${done})`);
  check(JSON.stringify(kinds()) === JSON.stringify(['mailin.opened', 'mailin.fallback', 'mailin.ballot', 'mailin.ballot']),
    `the record: the window, the fallback, two mail-in ballots (${kinds()})`);

  // --- the meeting -------------------------------------------------------
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'AG started');
  await pa.waitForSelector('#mailin-done', { timeout: 15000 });
  check((await text(pa, '#mailin-done')).startsWith('Vous avez voté par correspondance.'), 'A\'s page: the mail-in vote is done');
  const pb = await login('M0010');
  await screen(pb, 'checkin');
  await pb.click('#checkin-present');
  await screen(pb, 'agenda');
  check((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status === 200, 'q1 (secret) opened');
  // A, absent, finds the mail-in ballot from the agenda: counted on q1.
  await pa.locator('li[data-qid="q1"] button.mailin-lookup').click({ timeout: 15000 });
  await screen(pa, 'lookup');
  await pa.waitForFunction(() => /retenu/.test(document.querySelector('#lookup-result').textContent), null, { timeout: 15000 });
  const found = await text(pa, '#lookup-result');
  check(found.startsWith('Trouvé : bulletin par correspondance pour « Approbation des comptes », reçu le') &&
    found.includes('registre public') && found.endsWith('Il est retenu pour ce vote et compté à sa clôture.'),
    `A's phone finds the mail-in ballot by its receipt (« ${found} »)`);
  check(await pa.locator('#lookup-input').inputValue() === q1.receipt, 'the lookup is of A\'s own receipt');
  await pa.click('#lookup-back');
  const bq1 = pb.locator('li[data-qid="q1"]');
  await bq1.locator('button.primary').first().waitFor({ timeout: 15000 });
  await voteFrom(pb, bq1.locator('button.primary').first(), 'Contre');
  check((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).json.ballots === 2, 'q1: B\'s room ballot and A\'s mail-in one');
  await decrypt(srv, m, cer, 'q1');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  check(JSON.stringify(res.counts) === '[1,1,0]', `q1 counted: A pour (by mail), B contre (${JSON.stringify(res.counts)})`);

  // A motion added on the day: B votes it for A (procuration de repli).
  const add = await api(srv, 'POST', `${base}/questions`, { id: 'q3', title: 'Motion ajoutée en séance', kind: 'motion', rule: 'ordinary', secret: false }, m.modToken);
  check(add.status === 200 && add.json.on_agenda === false, 'q3 added on the day');
  check((await api(srv, 'POST', `${base}/questions/q3/open`, {}, m.modToken)).status === 200, 'q3 opened');
  const bq3 = pb.locator('li[data-qid="q3"]');
  await bq3.locator('li.mandate button.primary').waitFor({ timeout: 15000 });
  const rows = await bq3.locator('.mandate-name').allInnerTexts();
  check(JSON.stringify(rows) === JSON.stringify(['Ma voix', `Procuration de repli de ${A_NAME}`]),
    `B's phone: « Ma voix » and « Procuration de repli de ${A_NAME} » (${rows})`);
  await axe(pb, 'the fallback holder\'s agenda');
  await voteFrom(pb, bq3.locator('li.own button.primary'), 'Pour');
  const forA = await voteFrom(pb, bq3.locator('li.mandate button.primary'), 'Pour');
  check(forA.forWhom === `Procuration de repli de ${A_NAME}` && forA.receiptFor === forA.forWhom,
    `the confirm and receipt screens say « Procuration de repli de ${A_NAME} »`);
  check((await api(srv, 'POST', `${base}/questions/q3/close`, {}, m.modToken)).json.ballots === 2, 'q3: B\'s own and A\'s by the fallback holder');

  // An amendment on the day to q2, which A voted by mail (art. IV: the
  // amended text is an alternative motion, added on the day): proposed
  // from the console by B with 9 supporters; q2 counts A's mail-in
  // ballot, B votes the amended motion for A as the fallback holder.
  const mod = await openConsole(local(m.modLink), 'console');
  const abox = mod.locator('#m-questions details.amend[data-qid="q2"]');
  await abox.locator('summary').click();
  await abox.locator('[data-am="text"]').fill('30 € au lieu de 25 €');
  await abox.locator('[data-am="proposer"]').selectOption('M0010');
  await abox.locator('[data-am="supporters"]').fill('9');
  await abox.locator('[data-am="propose"]').click();
  await mod.waitForSelector('#m-questions li[data-qid="q2-am1"] .amendment-text', { timeout: 15000 });
  check(/telle qu’amendée \(motion alternative\)/.test(await text(mod, '#m-questions li[data-qid="q2-am1"] .amendment-text')),
    'the console lists the amended motion q2-am1, an alternative of q2');
  const am = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q2-am1');
  check(am && am.amends === 'q2' && am.alternatives === 'q2' && am.on_agenda === false,
    `q2-am1: amends q2, in its group, added on the day (${JSON.stringify(am && [am.amends, am.alternatives, am.on_agenda])})`);
  await mod.locator('#m-questions li[data-qid="q2"] [data-act="open"]').click();
  const bq2 = pb.locator('li[data-qid="q2"]');
  await bq2.locator('button.primary').first().waitFor({ timeout: 15000 });
  const note = await text(bq2, 'li.mandate .note.refused');
  check(await bq2.locator('li.mandate button').count() === 0 && /vote par correspondance de votre mandant compte \(art\. V\)/.test(note),
    `q2, on the agenda: no vote for A on B's phone, A's mail-in ballot counts (« ${note} »)`);
  await voteFrom(pb, bq2.locator('button.primary').first(), 'Pour');
  check((await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken)).json.ballots === 2, 'q2: B\'s room ballot and A\'s mail-in one');
  const r2 = (await api(srv, 'GET', `${base}/questions/q2/result`)).json;
  check(JSON.stringify(r2.counts) === '[1,1,0]', `q2 counted: B pour, A contre by mail (${JSON.stringify(r2.counts)})`);
  await mod.locator('#m-questions li[data-qid="q2-am1"] [data-act="open"]').click();
  const bam = pb.locator('li[data-qid="q2-am1"]');
  await bam.locator('li.mandate button.primary').waitFor({ timeout: 15000 });
  const arows = await bam.locator('.mandate-name').allInnerTexts();
  check(JSON.stringify(arows) === JSON.stringify(['Ma voix', `Procuration de repli de ${A_NAME}`]),
    `B's phone on the amended motion: « Ma voix » and « Procuration de repli de ${A_NAME} » (${arows})`);
  await voteFrom(pb, bam.locator('li.own button.primary'), 'Pour');
  const amA = await voteFrom(pb, bam.locator('li.mandate button.primary'), 'Pour');
  check(amA.forWhom === `Procuration de repli de ${A_NAME}`, `the amended motion voted for A: « ${amA.forWhom} »`);
  check((await api(srv, 'POST', `${base}/questions/q2-am1/close`, {}, m.modToken)).json.ballots === 2, 'q2-am1: B\'s own and A\'s by the fallback holder');
  const ra = (await api(srv, 'GET', `${base}/questions/q2-am1/result`)).json;
  check(JSON.stringify(ra.counts) === '[2,0,0]', `q2-am1 counted: 2 pour (${JSON.stringify(ra.counts)})`);
  const grp = ((await api(srv, 'GET', base)).json.alternatives || []).find((g) => g.id === 'q2' || g.group === 'q2');
  check(grp && grp.winner === 'q2-am1', `the alternatives' result: the amended motion wins, q2 not approved (${JSON.stringify(grp)})`);
  await noCsp(mod, 'console');

  check((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status === 200, 'AG ended');
  await noCsp(pa, 'A\'s phone');
  await noCsp(pb, 'B\'s phone');
  const ver = exportAndVerify(data, ID);
  check(ver.exported === 0 && ver.status === 0, `the exported record verifies (${ver.out.trim().split('\n').pop()})`);
  // The record names nobody: no roll name, no member number (the
  // amendment's proposer stays in the console's view).
  const rec = cli(['record', 'export', ID, '--data', data]).stdout;
  const named = [...names.flat(), ...names.map((_, i) => `M${String(i + 1).padStart(4, '0')}`)].filter((w) => rec.includes(w));
  check(rec.includes('mailin.ballot') && named.length === 0, `the record carries no name nor member number (${named})`);
  // The minutes: the mail-in voter with the fallback holder, the mail-in
  // ballot counted on q2, the fallback proxy on the amended motion, the
  // amendment with its motion.
  const pv = await api(srv, 'GET', `${base}/minutes`);
  const html = pv.json?.html ?? pv.text;
  check(pv.status === 200 && html.includes('<tr><td>Anaïs Lefèvre</td><td>Hélène Dupré</td></tr>'),
    'the minutes\' « Votes par correspondance »: A, with B as the fallback holder');
  check(html.includes('<tr><td>Anaïs Lefèvre</td><td>par correspondance</td><td>Hélène Dupré (procuration de repli)</td></tr>'),
    'the attendance annex: A by mail, B the fallback holder');
  const sect = (qid) => (html.match(new RegExp(`<section class="item" id="q-${qid}">[^]*?</section>`)) || [''])[0];
  check(/bulletins par correspondance comptés : 1\./.test(sect('q2')), 'the minutes: q2 counts 1 mail-in ballot');
  check(/procurations de repli comptées : 1\./.test(sect('q2-am1')), 'the minutes: the amended motion counts 1 fallback proxy');
  check(html.includes('<p class="amendment">Motion telle qu\'amendée, alternative à « Cotisation 2027 » (q2) : « 30 € au lieu de 25 € ».</p>'),
    'the minutes: the amendment, an alternative to « Cotisation 2027 »');
}, [srv]);
