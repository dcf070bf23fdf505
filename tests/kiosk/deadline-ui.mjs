// deadline-ui.mjs — Espace+'s proxy deadline on the member's phone, in
// Chromium on the real server (RI art. 4: proxies are received « jusqu'à
// une demi-heure avant l'Assemblée Générale »):
//  - an AG that starts in 40 minutes: A's phone offers « Donner
//    procuration », its conditions say until when (the minute 30 minutes
//    before the start, art. 4), A gives a proxy to B from the phone and
//    the record carries it;
//  - an AG that starts in 29 minutes (the deadline passed a minute ago):
//    A's phone says the deadline has passed, with the time and « art. 4 »,
//    and offers no button; a proxy signed now and sent anyway is refused
//    (403 proxy_deadline) with « Les procurations sont closes une demi-heure avant l'assemblée
//    générale (art. 4) », nothing written.
//   node tests/kiosk/deadline-ui.mjs     (from the repository root, after make)
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { C, api, hex, now } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';
import { importPhoneRoll, issueLinks, pageKeys, phoneLogin, screen } from './lib/member-links.mjs';

const data = tmpDir('deadline-ui');
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
importPhoneRoll(run, data, 'individuel');
const pad = (n) => String(n).padStart(2, '0');
const minute = Math.floor(Date.now() / 60000) * 60000;
function create(id, start) {
  run(['meeting', 'create', '--id', id, '--title', 'AG Espace+', '--profile', 'ballot-formats/profiles/espace-plus.yaml',
    '--body', 'ag', '--trustees', '2', '--threshold', '2', '--quorum', 'none',
    '--date', `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`,
    '--time', `${pad(start.getHours())}:${pad(start.getMinutes())}`]);
  run(['meeting', 'convene', id]);
}
const early = new Date(minute + 40 * 60000), late = new Date(minute + 29 * 60000);
const clock = (d) => `${d.getHours()} h ${pad(d.getMinutes())}`;
create('ag-tot', early);
create('ag-tard', late);
// The links of both meetings (issueLinks writes to one folder: the first
// meeting's are read before the second's are made).
const first = issueLinks(run, data, 'ag-tot', ['--member', 'M0009', '--member', 'M0010']);
const urlTot = { A: first.qrUrl('M0009'), B: first.qrUrl('M0010') }, codesTot = { ...first.codes };
const second = issueLinks(run, data, 'ag-tard', ['--member', 'M0009', '--member', 'M0010']);
const urlTard = { A: second.qrUrl('M0009') }, codesTard = { ...second.codes };

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { axe, check, text, noCsp, openPage, runTest } = await consoleTest('deadline-ui');
const local = (u) => u.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
const proxies = (id) => cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n')
  .map((l) => JSON.parse(l)).filter((e) => e.kind === 'proxy').length;

await runTest(async () => {
  // --- before the deadline: the phone offers it and says until when -----
  const pb = await phoneLogin(openPage, local(urlTot.B), codesTot.M0010, 'B (ag-tot)');
  await screen(pb, 'agenda');
  const bPk = hex((await pageKeys(C, pb)).publicKey);
  const pa = await phoneLogin(openPage, local(urlTot.A), codesTot.M0009, 'A (ag-tot)');
  await screen(pa, 'agenda');
  await pa.waitForSelector('#proxy-open', { timeout: 15000 });
  await pa.click('#proxy-open');
  await screen(pa, 'proxy');
  const until = new Date(early.getTime() - 30 * 60000);
  const conds = await text(pa, '#proxy-conditions');
  check(conds.includes(`Les procurations sont reçues jusqu’à ${clock(until)}, 30 minutes avant la séance (art. 4).`),
    `the conditions say until when (${conds.replace(/\s+/g, ' ').slice(0, 160)})`);
  await axe(pa, 'the proxy screen before the deadline');
  await pa.fill('#proxy-search', 'dupre');
  const btn = pa.locator('#proxy-results button.holder', { hasText: 'Dupré Hélène' });
  await btn.waitFor({ timeout: 5000 });
  await btn.click();
  await pa.click('#proxy-give');
  await screen(pa, 'agenda');
  await pa.waitForSelector('#proxy-given', { timeout: 15000 });
  check((await text(pa, '#proxy-given')).includes('Dupré Hélène'), 'A gave the proxy to B before the deadline');
  check(proxies('ag-tot') === 1, 'the record carries it');

  // --- after the deadline: said with the time and the article, no button --
  const pl = await phoneLogin(openPage, local(urlTard.A), codesTard.M0009, 'A (ag-tard)');
  await screen(pl, 'agenda');
  await pl.waitForSelector('#proxy-cannot', { timeout: 15000 });
  const passed = await text(pl, '#proxy-cannot');
  const closedAt = new Date(late.getTime() - 30 * 60000);
  check(passed === `Le délai des procurations est passé : elles étaient reçues jusqu’à ${clock(closedAt)}, 30 minutes avant la séance (art. 4).`,
    `the phone says the deadline has passed (${passed})`);
  check(await pl.locator('#proxy-open').count() === 0, 'and offers no « Donner procuration »');
  await axe(pl, 'the agenda after the deadline');
  // A proxy signed now (T−29 min) and sent anyway: refused by the server.
  const aKeys = await pageKeys(C, pl);
  const holders = (await api(srv, 'POST', '/api/v1/meetings/ag-tard/proxies/holders', (() => {
    const ts = now();
    return { pk: hex(aKeys.publicKey), ts, sig: hex(C.signStatement('proxy-holders', ['ag-tard', aKeys.publicKey, C.le64(ts)], aKeys.secretKey).sig) };
  })())).json;
  check(holders?.conditions?.closed === true, `the holders' conditions say closed (${JSON.stringify(holders?.conditions)})`);
  const holder = holders?.holders?.find((h) => h.name === 'Dupré Hélène');
  const ts = now();
  const r = await api(srv, 'POST', '/api/v1/meetings/ag-tard/proxies', { action: 'give', giver: hex(aKeys.publicKey), holder: holder?.pk ?? bPk, ts,
    sig: hex(C.signStatement('proxy', ['ag-tard', aKeys.publicKey, Buffer.from(holder?.pk ?? bPk, 'hex'), C.le64(ts)], aKeys.secretKey).sig) });
  check(r.status === 403 && r.json?.error?.code === 'proxy_deadline' &&
    r.json.error.detail === "Les procurations sont closes une demi-heure avant l'assemblée générale (art. 4)",
  `a proxy at T−29 min is refused with art. 4 (${r.status} ${r.text.slice(0, 400)})`);
  check(proxies('ag-tard') === 0, 'nothing written');
  for (const p of [pa, pb, pl]) await noCsp(p, 'phone');
}, [srv]);
