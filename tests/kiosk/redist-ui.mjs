// redist-ui.mjs — the APROGEMERE president redistributes from his phone
// the proxies he holds over his five (art. II), in Chromium on the real
// server:
//  - the president (a member with a link and a code) holds 12 mandates;
//    checked in, his agenda lists « Procurations à redistribuer »: the 7
//    the engine would refuse, the cap of five with « art. II », and for
//    each a choice of the members present with how many each may still
//    take (T1 5, T2 2: he holds 3);
//  - from another device (the API, his key) the president gives 2 to T2,
//    who is then at his cap; the phone, not yet aware, tries a third to
//    T2: refused with the server's French (« nombre maximal », art. II),
//    nothing written, and the list read again no longer offers T2;
//  - he gives the other 5 to T1 from the phone, one by one; the list
//    then shows none in excess and the 7 redistributed;
//  - at q1's opening T1 holds 5 mandates that stand, the president's
//    phone offers his own voice and his 5; the record verifies.
//   node tests/kiosk/redist-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli, sqlite } from '../server/lib.mjs';
import { C, MEETING_DATE, api, attend, ceremony, enrolMeeting, exportAndVerify, hex, now } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';
import { issueLinks, pageKeys, phoneLogin, screen } from './lib/member-links.mjs';

const data = tmpDir('redist-ui');
const ID = 'ag-redist-ui';
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const N = 19;
const lines = ['numéro;nom;prénom;catégorie;cotisation;date d\'adhésion'];
for (let i = 1; i <= N; i++) lines.push(`M${String(i).padStart(4, '0')};${i === N ? 'Garnier;Éric' : `Nom${i};Prénom${i}`};actif;${paid};2020-01-01`);
fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'q1', title: 'Rapport d\'activité', kind: 'motion', rule: 'resolution', secret: false }] }));
run(['meeting', 'create', '--id', ID, '--title', 'AG APROGEMERE', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/aprogemere.yaml', '--body', 'ag', '--agenda', path.join(data, 'agenda.json'),
  '--trustees', '2', '--threshold', '2', '--president-member', `M00${N}`]);
run(['meeting', 'convene', ID]);
const m = enrolMeeting(data, ID, N - 1);
const V = m.voters;
const { codes, qrUrl } = issueLinks(run, data, ID, ['--member', `M00${N}`]);
const givers = V.slice(0, 12);			// M0001…M0012 → the president
const [T1, T2] = [V[12], V[13]];		// present, may take some
const toT2 = V.slice(14, 17);			// M0015…M0017 → T2 (3 of his 5)

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { axe, check, text, noCsp, openPage, runTest } = await consoleTest('redist-ui');
const base = `/api/v1/meetings/${ID}`;
const local = (u) => u.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
const events = () => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM events WHERE meeting = '${ID}' AND kind = 'proxy.redistributed'`);
const sig = (kind, fields, sk) => hex(C.signStatement(kind, fields, sk).sig);
const give = (g, h) => { const ts = now(); return { action: 'give', giver: hex(g.pk), holder: hex(h.pk), ts, sig: sig('proxy', [ID, g.pk, h.pk, C.le64(ts)], g.sk) }; };
const optionsOf = (page, giver) => page.locator(`#redist-list li[data-giver="${hex(giver.pk)}"] option`).allInnerTexts();

await runTest(async () => {
  // The president logs in (his key is derived on the phone from his code).
  const pp = await phoneLogin(openPage, local(qrUrl(`M00${N}`)), codes[`M00${N}`], 'the president');
  await screen(pp, 'agenda');
  const P = await pageKeys(C, pp);
  const Pv = { pk: P.publicKey, sk: P.secretKey };
  for (const g of givers) check((await api(srv, 'POST', `${base}/proxies`, give(g, Pv))).status === 200, `${g.no} gives a proxy to the president`);
  for (const g of toT2) check((await api(srv, 'POST', `${base}/proxies`, give(g, T2))).status === 200, `${g.no} gives a proxy to ${T2.no}`);
  check(await pp.locator('#redist-box').isHidden(), 'before the meeting: no list to redistribute');

  // --- the meeting: the president's list ----------------------------------
  await ceremony(srv, m);
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'AG started');
  for (const v of [T1, T2]) check((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status === 200, `${v.no} present`);
  await pp.reload();
  await screen(pp, 'checkin');
  await pp.click('#checkin-present');
  await screen(pp, 'agenda');
  await pp.waitForSelector('#redist-box:not([hidden]) #redist-list li', { timeout: 15000 });
  check((await text(pp, '#redist-box h2')) === 'Procurations à redistribuer', 'the president\'s agenda: « Procurations à redistribuer »');
  const help = await text(pp, '#redist-help');
  check(help.includes('Vous gardez au plus 5 procurations (art. II)') && help.includes('au plus 5 chacun'), `the cap of five with art. II (${help})`);
  const rows = await pp.locator('#redist-list li .mandate-name').allInnerTexts();
  check(JSON.stringify(rows) === JSON.stringify(givers.slice(5).map((g, i) => `Procuration de Prénom${i + 6} Nom${i + 6}`)), `the 7 over his five, the last given, by name (${rows.join(' | ')})`);
  const opts = await optionsOf(pp, givers[5]);
  check(opts.length === 3 && opts.some((o) => /Nom13/.test(o) && o.includes('peut en recevoir encore 5')) &&
    opts.some((o) => /Nom14/.test(o) && o.includes('peut en recevoir encore 2')), `each with the members present and their cap left (${opts.join(' | ')})`);
  await axe(pp, 'the president\'s redistribution');

  // From another device (the API, his key): 2 to T2, now at his cap.
  for (const g of givers.slice(5, 7)) {
    const ts = now();
    const r = await api(srv, 'POST', `${base}/proxies/redistribute`, { president: hex(P.publicKey), giver: hex(g.pk), holder: hex(T2.pk), ts,
      sig: sig('proxy-redistribute', [ID, g.pk, T2.pk, C.le64(ts)], P.secretKey) });
    check(r.status === 200, `${g.no}'s mandate to ${T2.no} from another device`);
  }
  // The phone, not yet aware, tries a third to T2.
  const row7 = `#redist-list li[data-giver="${hex(givers[7].pk)}"]`;
  await pp.click(`${row7} button`);
  await pp.waitForFunction(() => !document.querySelector('#alert').hidden, null, { timeout: 10000 });
  check((await text(pp, '#alert')).includes('Choisissez d’abord le membre présent'), 'no member chosen: the phone says to choose one');
  await pp.evaluate(() => { document.querySelector('#alert').hidden = true; });
  await pp.selectOption(`${row7} select`, hex(T2.pk));
  await pp.click(`${row7} button`);
  await pp.waitForFunction(() => !document.querySelector('#alert').hidden, null, { timeout: 10000 });
  const alert = await text(pp, '#alert');
  check(alert.includes('nombre maximal') && alert.includes('art. II'), `over the cap: refused with the server's French and art. II (${alert})`);
  await pp.evaluate(() => { document.querySelector('#alert').hidden = true; });
  check(events() === 2, 'nothing written by the refusal (2 redistributions)');
  await pp.waitForFunction(() => document.querySelectorAll('#redist-list li.mandate').length === 5, null, { timeout: 15000 });
  const opts2 = await optionsOf(pp, givers[7]);
  check(opts2.length === 2 && /Nom13/.test(opts2[1]), `the list read again: 5 left, T2 no longer offered (${opts2.join(' | ')})`);

  // The other 5 to T1, from the phone.
  for (const g of givers.slice(7)) {
    const row = `#redist-list li[data-giver="${hex(g.pk)}"]`;
    await pp.selectOption(`${row} select`, hex(T1.pk));
    await pp.click(`${row} button`);
    await pp.waitForSelector(row, { state: 'detached', timeout: 15000 });
  }
  check(events() === 7, 'seven redistributions written');
  await pp.waitForFunction(() => document.querySelectorAll('#redist-done li').length === 7, null, { timeout: 15000 });
  check(await pp.locator('#redist-list li').count() === 0 && await pp.locator('#redist-help').count() === 0,
    'none left in excess; « Déjà redistribuées » lists the 7');
  check((await pp.locator('#redist-done li').allInnerTexts()).filter((x) => /Nom13/.test(x)).length === 5, 'five of them to T1');

  // q1: the mandates stand under their new holders.
  check((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status === 200, 'q1 opened');
  const t1 = (await api(srv, 'GET', `${base}/voters/${hex(T1.pk)}`)).json;
  check(t1.mandates.slice(1).filter((x) => x.questions.q1?.accepted).length === 5, 'T1 holds 5 mandates that stand');
  const q1 = pp.locator('li[data-qid="q1"]');
  await q1.locator('li.own button.primary').waitFor({ timeout: 15000 });
  await q1.locator('li.mandate button.primary').nth(4).waitFor({ timeout: 15000 });
  check(await q1.locator('li.mandate button.primary').count() === 5 && await q1.locator('li.mandate').count() === 5, 'the president\'s phone: his own voice and his 5 mandates');
  await noCsp(pp, 'the president\'s phone');
  check((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).status === 200, 'q1 closed');
  check((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).status === 200, 'AG ended');
  const ver = exportAndVerify(data, ID);
  check(ver.exported === 0 && ver.status === 0, `the exported record verifies (${ver.out.trim().split('\n').pop()})`);
}, [srv]);
