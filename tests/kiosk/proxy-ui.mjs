// proxy-ui.mjs — digital proxies on the member's phone (/v/), on the real
// server (build/scrutin serve, loopback HTTPS) in Debian's headless
// Chromium driven by playwright-core, ANIMT's AG (art. V: 4 proxies
// besides one's own voice, the holder present):
//  - member A opens the phone page from the credential link (QR PNG
//    decoded, code typed, as e2e.mjs does), searches the holder B by a few
//    letters of the name (accents and case ignored), sees the statutes'
//    conditions with « art. V », gives the proxy; the page then says
//    « Vous avez donné procuration à … » and offers the withdrawal; the
//    withdrawal, then the proxy given again; a second device's proxy makes
//    the server refuse the page's, in French;
//  - B's phone shows « Ma voix » and « Procuration de <A> » on an open
//    secret motion, casts both (each with its own receipt: they differ);
//    the result counts 2 ballots;
//  - four more proxies to B through the API: at the next opening B's
//    phone shows the 5th mandate refused with « art. V » and no button;
//    a mandate voted from another device shows as cast once reloaded;
//  - axe-core (no serious or critical violation) on the proxy screen and
//    on the holder's agenda; no CSP violation, no page error; the
//    exported record verifies with build/scrutin-verify.
//   node tests/kiosk/proxy-ui.mjs     (from the repository root, after make)
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { C, S, api, ceremony, decrypt, exportAndVerify, hex, now, openStatement } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';
import { animtPhoneAg, issueLinks, pageKeys, phoneLogin, screen } from './lib/member-links.mjs';

const data = tmpDir('proxy-ui');
const ID = 'ag-proxy-ui';
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
// M0001…M0008 enrolled through the API (keys made here); M0009 (A) and
// M0010 (B) get a credential link and a code, as members do.
const m = animtPhoneAg(run, data, ID, [
  { id: 'q1', title: 'Approbation des comptes', kind: 'motion', rule: 'ordinary', secret: true },
  { id: 'q2', title: 'Cotisation 2027', kind: 'motion', rule: 'ordinary', secret: false },
]);
const { codes, qrUrl } = issueLinks(run, data, ID, ['--member', 'M0009', '--member', 'M0010']);
const A_NAME = 'Lefèvre Anaïs'; const B_NAME = 'Dupré Hélène';

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { axe, check, text, noCsp, openPage, runTest } = await consoleTest('proxy-ui');
const base = `/api/v1/meetings/${ID}`;
const local = (u) => u.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
const PHONE = { width: 360, height: 640 };
// The key a page derived (its credential, kept in the tab's sessionStorage).
const pkOf = async (page) => hex((await pageKeys(C, page)).publicKey);
const mandates = async (pk) => (await api(srv, 'GET', `${base}/voters/${pk}`)).json.mandates;
const proxyEvents = () => cli(['record', 'export', ID, '--data', data]).stdout.trim().split('\n')
  .map((l) => JSON.parse(l)).filter((e) => e.kind.startsWith('proxy')).map((e) => e.kind);

const login = (no) => phoneLogin(openPage, local(qrUrl(no)), codes[no], no);
// Searches the holder by `typed`, picks `name`, checks and confirms.
async function giveFromPage(page, typed, name) {
  await page.click('#proxy-open');
  await screen(page, 'proxy');
  await page.fill('#proxy-search', typed);
  const btn = page.locator('#proxy-results button.holder', { hasText: name });
  await btn.waitFor({ timeout: 5000 });
  await btn.click();
  check((await text(page, '#proxy-confirm-text')).includes(name), `confirmation names ${name}`);
}
async function voteOn(page, row, label) {
  await row.locator('button.primary').click();
  await screen(page, 'vote');
  await page.locator('label.choice', { hasText: label }).first().click();
  await page.click('#vote-form button[type="submit"]');
  await screen(page, 'confirm');
  const forWhom = await page.locator('#confirm-for').isVisible() ? await text(page, '#confirm-for') : '';
  await page.click('#confirm-cast');
  await screen(page, 'receipt');
  const receipt = (await text(page, '#receipt-hex')).replace(/\s+/g, '');
  const receiptFor = await page.locator('#receipt-for').isVisible() ? await text(page, '#receipt-for') : '';
  check((await text(page, '#receipt-sig')).includes('vérifié'), 'the server\'s acknowledgement verified');
  await page.click('#receipt-done');
  await screen(page, 'agenda');
  return { receipt, forWhom, receiptFor };
}

await runTest(async () => {
  // --- A gives a proxy to B, from the phone, before the meeting --------
  const pa = await login('M0009');
  await screen(pa, 'agenda');
  await pa.waitForSelector('#proxy-open', { timeout: 15000 });
  check((await text(pa, '#proxy-box')).includes('Donner procuration'), 'A\'s agenda offers « Donner procuration »');
  const aPk = await pkOf(pa);
  await giveFromPage(pa, 'dupre hel', B_NAME);
  const cond = await text(pa, '#proxy-conditions');
  check(cond.includes('Un mandataire peut détenir au plus 4 procurations en plus de sa voix (art. V)'),
    `the statutes' cap with its article (${cond.split('\n')[0]})`);
  check(/émargé à l’ouverture de chaque vote.*\(art\. V\)/.test(cond), 'the holder must be present (art. V)');
  await axe(pa, 'the proxy screen');
  // The search ignores accents and case; a stranger's name finds nobody.
  await pa.click('#proxy-change');
  await pa.fill('#proxy-search', 'LEFEVRE');
  await pa.waitForFunction(() => /Aucun membre/.test(document.querySelector('#proxy-count').textContent));
  check(await pa.locator('#proxy-results button.holder').count() === 0, 'one\'s own name is not offered');
  await pa.fill('#proxy-search', 'HÉLÈNE');
  await pa.locator('#proxy-results button.holder', { hasText: B_NAME }).click();
  await pa.click('#proxy-give');
  await pa.waitForSelector('#proxy-given', { timeout: 10000 });
  check((await text(pa, '#proxy-given')) === `Vous avez donné procuration à ${B_NAME}.`, 'A\'s page: « Vous avez donné procuration à Dupré Hélène »');
  check(await pa.locator('#proxy-withdraw').innerText() === 'Retirer la procuration', 'with « Retirer la procuration »');

  // Withdraw, then give again.
  await pa.click('#proxy-withdraw');
  await pa.waitForSelector('#proxy-open', { timeout: 10000 });
  check((await text(pa, '#proxy-note')).includes('retirée'), 'A\'s page says the proxy is withdrawn');
  await giveFromPage(pa, 'Dupr', B_NAME);
  await pa.click('#proxy-give');
  await pa.waitForSelector('#proxy-given', { timeout: 10000 });
  check(true, 'the proxy given again');
  check(JSON.stringify(proxyEvents()) === JSON.stringify(['proxy', 'proxy.withdrawn', 'proxy']),
    `the record: proxy, proxy.withdrawn, proxy (${proxyEvents()})`);

  // A refusal in French: the page's proxy after the same member gave one
  // from another device (withdrawn from a second page, given there).
  await pa.click('#proxy-withdraw');
  await pa.waitForSelector('#proxy-open', { timeout: 10000 });
  await giveFromPage(pa, 'dupre', B_NAME);
  const saved = await pa.evaluate(() => sessionStorage.getItem('scrutin.v'));
  const pa2 = await openPage(`https://localhost:${srv.port}/v/`, 'M0009 bis', { viewport: PHONE,
    setup: (p) => p.addInitScript((s) => sessionStorage.setItem('scrutin.v', s), saved) });
  await screen(pa2, 'agenda');
  await giveFromPage(pa2, 'dupre', B_NAME);
  await pa2.click('#proxy-give');
  await pa2.waitForSelector('#proxy-given', { timeout: 10000 });
  await pa.click('#proxy-give');
  await pa.waitForFunction(() => !document.querySelector('#alert').hidden, null, { timeout: 10000 });
  const alert = await text(pa, '#alert');
  check(alert.includes('vous avez déjà donné une procuration : retirez-la avant d\'en donner une autre'), `the server's refusal in French (${alert})`);
  await pa.click('#proxy-back');
  await pa.waitForSelector('#proxy-given', { timeout: 10000 });
  check(true, 'back on the agenda: the proxy in force is shown');
  await noCsp(pa2, 'A\'s second page');
  await pa2.close();

  // --- the meeting: B, present, votes for himself and for A -------------
  const cer = await ceremony(srv, m);
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'AG started');
  const pb = await login('M0010');
  await screen(pb, 'checkin');
  await pb.click('#checkin-present');
  await screen(pb, 'agenda');
  const bKey = await pkOf(pb);
  check((await mandates(bKey)).map((x) => x.kind).join() === 'self,proxy', 'B holds A\'s proxy (GET voters)');
  check((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status === 200, 'q1 (secret) opened');
  const q1 = pb.locator('li[data-qid="q1"]');
  await q1.locator(`li[data-voice="${aPk}"] button.primary`).waitFor({ timeout: 15000 });
  const rows = await q1.locator('.mandate-name').allInnerTexts();
  check(JSON.stringify(rows) === JSON.stringify(['Ma voix', `Procuration de ${A_NAME}`]), `B's phone: « Ma voix » and « Procuration de ${A_NAME} » (${rows})`);
  await axe(pb, 'the holder\'s agenda');
  const own = await voteOn(pb, q1.locator(`li[data-voice="${bKey}"]`), 'Pour');
  check(own.forWhom === '' && own.receiptFor === '', 'own ballot: no « Procuration de » line');
  const forA = await voteOn(pb, q1.locator(`li[data-voice="${aPk}"]`), 'Contre');
  check(forA.forWhom === `Procuration de ${A_NAME}` && forA.receiptFor === `Procuration de ${A_NAME}`,
    `A's ballot: confirm and receipt say « Procuration de ${A_NAME} »`);
  check(/^[0-9a-f]{64}$/.test(own.receipt) && /^[0-9a-f]{64}$/.test(forA.receipt) && own.receipt !== forA.receipt, 'two receipts, different');
  check((await q1.locator('p.ok').allInnerTexts()).join('|') === `Vous avez voté.|Bulletin déposé pour ${A_NAME}.`, 'both ballots shown as cast');
  for (const r of [own.receipt, forA.receipt])
    check((await api(srv, 'GET', `${base}/receipts/${r}`)).status === 200, `receipt ${r.slice(0, 8)}… in the public box`);
  check((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).status === 200, 'q1 closed');
  await decrypt(srv, m, cer, 'q1');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  check(res.ballots === 2 && JSON.stringify(res.counts) === '[1,1,0]', `the result counts 2 ballots, 1 pour 1 contre (${res.ballots} ${JSON.stringify(res.counts)})`);

  // --- four more proxies to B: the 5th mandate over the cap -------------
  const le64 = (n) => C.le64(n);
  const bBytes = Buffer.from(bKey, 'hex');
  for (const g of m.voters.slice(0, 4)) {
    const ts = now();
    const r = await api(srv, 'POST', `${base}/proxies`, { action: 'give', giver: hex(g.pk), holder: bKey, ts,
      sig: hex(C.signStatement('proxy', [ID, g.pk, bBytes, le64(ts)], g.sk).sig) });
    check(r.status === 200, `${g.no} gives a proxy to B (API)`);
  }
  check((await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken)).status === 200, 'q2 (show of hands) opened');
  const q2 = pb.locator('li[data-qid="q2"]');
  const over = q2.locator(`li[data-voice="${hex(m.voters[3].pk)}"]`);
  await over.locator('p.refused').waitFor({ timeout: 15000 });
  const why = await over.innerText();
  check(why.includes('Procuration de Nom4 Prénom4') && why.includes('nombre maximal') && why.includes('(art. V)'),
    `the 5th mandate refused with art. V (${why.replace(/\n/g, ' / ')})`);
  check(await over.locator('button').count() === 0, 'and no button for it');
  check(await q2.locator('li.mandate button.primary').count() === 4 && await q2.locator('li.own button.primary').count() === 1,
    'own voice and 4 mandates with a button');
  // B votes for Nom1's mandate from another device (here, the API with
  // B's key): B's phone, reloaded, reads the mandate's receipt from GET
  // voters (mandates[].voted) and shows it as cast, with no button.
  const bKp = await pageKeys(C, pb);
  const g1 = m.voters[0];
  const q2v = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q2');
  const sel = [1, 0, 0];
  const st2 = openStatement(ID, q2v, 'q2', g1.pk, bKp.publicKey, sel);
  const cast = await api(srv, 'POST', `${base}/ballots`, { question: 'q2', selection: sel, voice: hex(g1.pk), signer: bKey,
    sig: hex(S.crypto_sign_detached(st2, bKp.secretKey)) });
  check(cast.status === 200, `B votes for Nom1's mandate from another device (${cast.status})`);
  await pb.reload();
  await screen(pb, 'agenda');
  const row1 = q2.locator(`li[data-voice="${hex(g1.pk)}"]`);
  await row1.locator('p.ok').waitFor({ timeout: 15000 });
  check((await row1.locator('p.ok').innerText()) === 'Bulletin déposé pour Nom1 Prénom1.' && await row1.locator('button.primary').count() === 0,
    'after a reload, the mandate voted elsewhere shows as cast, without a vote button');
  check(await q2.locator('li.mandate button.primary').count() === 3, 'the 3 other mandates still to vote');
  await noCsp(pb, 'B\'s phone');
  check((await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken)).status === 200, 'q2 closed');
  check((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status === 200, 'AG ended');
  await noCsp(pa, 'A\'s phone');

  const ver = exportAndVerify(data, ID);
  check(ver.exported === 0 && ver.status === 0, `the exported record verifies (${ver.out.trim().split('\n').pop()})`);
}, [srv]);
