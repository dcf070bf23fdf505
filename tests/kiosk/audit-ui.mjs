// audit-ui.mjs — cast-or-audit on the member's phone (/v/), Benaloh's
// order (docs/protocol.md §5.8), on the real server in Debian's headless
// Chromium, ANIMT's AG:
//  - member A picks « Contre », goes back at once and picks « Pour »: the
//    confirm screen shows the encrypted
//    ballot's fingerprint before anything is chosen; « Vérifier ce
//    chiffrement » is a secondary link, said optional; A verifies: the
//    phone says the encryption matches, shows the same fingerprint and
//    « Pour », and lets A download the audited ballot; back on the vote, a
//    new ballot with another fingerprint, which A casts;
//  - member B's page cheats (its crypto module, served modified, encrypts
//    « Contre » when B picks « Pour »): B's audit shows « ALERTE » and what
//    the ballot really holds;
//  - the record verifies: both audited ballots are published spoiled
//    (ballot.audited, with what they encrypt), neither is in the totals;
//    `scrutin-verify --audit` accepts A's downloaded file (« CONFORME »,
//    exit 0), refuses it with a modified choice and refuses B's
//    (« NON CONFORME », exit 1).
//   node tests/kiosk/audit-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { api, ceremony, decrypt, secretBallot, attend } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';
import { animtPhoneAg, issueLinks, screen } from './lib/member-links.mjs';

const data = tmpDir('audit-ui');
const ID = 'ag-audit-ui';
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
const m = animtPhoneAg(run, data, ID, [
  { id: 'q1', title: 'Approbation des comptes', kind: 'motion', rule: 'ordinary', secret: true },
]);
const { codes, qrUrl } = issueLinks(run, data, ID, ['--member', 'M0009', '--member', 'M0010']);

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, text, noCsp, openPage, runTest } = await consoleTest('audit-ui');
const base = `/api/v1/meetings/${ID}`;
const local = (u) => u.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
const FP = /^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/;

// A page whose crypto module encrypts the next choice instead of the one
// shown (« Pour » becomes « Contre »): a cheating client.
const CRYPTO = fs.readFileSync('kiosk/js/scrutin-crypto.js', 'utf8');
const HEAD = 'export function buildBallot({ eid, qid, n, min, max, y, voicePk, signerSk, signerPk, selection, rng, qdigest }) {';
if (!CRYPTO.includes(HEAD)) throw new Error('buildBallot header not found: update the cheating page');
const CHEAT = CRYPTO.replace(HEAD, `${HEAD}\n  { const k = selection.indexOf(1); selection = selection.slice(); selection[k] = 0; selection[(k + 1) % n] = 1; }`);
const cheat = (page) => page.route('**/scrutin-crypto.js', (route) =>
  route.fulfill({ status: 200, contentType: 'text/javascript', body: CHEAT }));

const login = (no, setup) => openPage(local(qrUrl(no)), no, { viewport: { width: 360, height: 640 }, setup })
  .then(async (page) => { await screen(page, 'code'); await page.fill('#code-input', codes[no]); await page.click('#code-submit'); return page; });

// From the agenda to the confirm screen of q1 with `label` ticked; the
// fingerprint once shown.
async function toConfirm(page, label) {
  await page.locator('li[data-qid="q1"] button.primary').first().click();
  await screen(page, 'vote');
  await page.locator('label.choice', { hasText: label }).first().click();
  await page.click('#vote-form button[type="submit"]');
  await screen(page, 'confirm');
  return fingerprint(page);
}
async function fingerprint(page, not) {
  await page.waitForFunction((old) => {
    const s = document.getElementById('confirm-fp').textContent;
    return /^[0-9a-f]{4} /.test(s) && s !== old;
  }, not || '', { timeout: 60000 });
  return text(page, '#confirm-fp');
}
async function auditAndDownload(page, name) {
  await page.click('#confirm-audit');
  await screen(page, 'audit');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#audit-download')]);
  const f = path.join(data, name);
  await dl.saveAs(f);
  return f;
}
const verifyAudit = (file, rec) => {
  const r = spawnSync('build/scrutin-verify', ['--quiet', '--audit', file, rec], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
};

await runTest(async () => {
  const cer = await ceremony(srv, m);
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'AG started');
  const pa = await login('M0009');
  const pb = await login('M0010', cheat);
  for (const p of [pa, pb]) { await screen(p, 'checkin'); await p.click('#checkin-present'); await screen(p, 'agenda'); }
  for (const v of m.voters.slice(0, 2))
    check((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status === 200, 'a member checks in');
  check((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status === 200, 'q1 (secret) opened');

  // --- A: the fingerprint first, then verify, then a new ballot, cast ----
  await pa.locator('li[data-qid="q1"] button.primary').first().waitFor({ timeout: 15000 });
  // « Contre » first, changed at once (while it is being encrypted) to
  // « Pour »: the ballot of the old choice is never the one shown.
  await pa.locator('li[data-qid="q1"] button.primary').first().click();
  await screen(pa, 'vote');
  await pa.locator('label.choice', { hasText: 'Contre' }).first().click();
  await pa.click('#vote-form button[type="submit"]');
  await screen(pa, 'confirm');
  await pa.click('#confirm-back');
  await screen(pa, 'vote');
  await pa.locator('label.choice', { hasText: 'Pour' }).first().click();
  await pa.click('#vote-form button[type="submit"]');
  await screen(pa, 'confirm');
  const fp1 = await fingerprint(pa);
  check(FP.test(fp1), `the confirm screen shows the encrypted ballot's fingerprint first (${fp1})`);
  check(await pa.locator('#confirm-audit').isVisible(), '« Vérifier ce chiffrement » offered after the fingerprint');
  const cls = await pa.locator('#confirm-audit').getAttribute('class');
  check(cls === 'link' && (await pa.locator('#confirm-cast').getAttribute('class')) === 'primary',
    `« Déposer » is the primary button, « Vérifier » a secondary link (${cls})`);
  check((await text(pa, '#confirm-audit')).includes('facultatif') && (await text(pa, '#confirm-audit-help')).includes('rien ne vous oblige'),
    'the check is said optional');
  check((await text(pa, '#confirm-cast')) === 'Déposer ce bulletin', '« Déposer ce bulletin »');
  const fileA = await auditAndDownload(pa, 'audit-a.json');
  check((await text(pa, '#audit-verdict')).includes('correspond bien à votre choix'), 'A: « conforme » — the encryption matches the choice');
  check((await text(pa, '#audit-fp')) === fp1, 'A: the audited ballot is the one whose fingerprint was shown');
  check((await text(pa, '#audit-recovered')).trim() === 'Pour', 'A: it holds « Pour »');
  check((await text(pa, '[data-screen="audit"]')).includes('jamais compté'), 'A: told it is spoiled, never counted');
  await noCsp(pa, 'A\'s audit screen');
  await pa.click('#audit-back');
  await screen(pa, 'confirm');
  const fp2 = await fingerprint(pa, fp1);
  check(FP.test(fp2) && fp2 !== fp1, `back on the vote: a new ballot, another fingerprint (${fp1} → ${fp2})`);
  await pa.click('#confirm-cast');
  await screen(pa, 'receipt');
  check((await text(pa, '#receipt-sig')).includes('vérifié'), 'A: the new ballot cast, acknowledgement verified');

  // --- B's page cheats: the audit catches it ------------------------------
  await pb.locator('li[data-qid="q1"] button.primary').first().waitFor({ timeout: 15000 });
  await toConfirm(pb, 'Pour');
  check((await text(pb, '#confirm-list')).trim() === 'Pour', 'B\'s cheating page shows « Pour »');
  const fileB = await auditAndDownload(pb, 'audit-b.json');
  check((await text(pb, '#audit-verdict')).includes('ALERTE'), 'B: « ALERTE », the encryption does not match');
  check((await text(pb, '#audit-recovered')).trim() === 'Contre', 'B: the ballot really holds « Contre »');

  // --- the count: only cast ballots ---------------------------------------
  const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1');
  check((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, 'q1', m.voters[0], [0, 1, 0]))).status === 200, 'M0001 casts « Contre »');
  check((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q, 'q1', m.voters[1], [0, 0, 1]))).status === 200, 'M0002 abstains');
  check((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).status === 200, 'q1 closed');
  await decrypt(srv, m, cer, 'q1');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  check(JSON.stringify(res.counts) === '[1,1,1]', `the totals hold the three cast ballots, not the audited ones (${JSON.stringify(res.counts)})`);

  const rec = path.join(data, 'record.jsonl');
  fs.writeFileSync(rec, cli(['record', 'export', ID, '--data', data]).stdout);
  const ver = spawnSync('build/scrutin-verify', ['--quiet', rec], { encoding: 'utf8' });
  check(ver.status === 0, `the record verifies (${ver.stdout.trim().split('\n').pop()})`);
  const aud = fs.readFileSync(rec, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.kind === 'ballot.audited');
  check(JSON.stringify(aud.map((e) => e.payload.selection)) === '[[1,0,0],[0,1,0]]',
    `both audited ballots published spoiled, with what they encrypt (${JSON.stringify(aud.map((e) => e.payload.selection))})`);

  let a = verifyAudit(fileA, rec);
  check(a.status === 0 && /CONFORME : le chiffrement correspond au choix affiché/.test(a.out), `scrutin-verify --audit accepts A's download (${a.out.trim().split('\n').pop()})`);
  check(/publie ce bulletin comme annulé/.test(a.out), 'and finds it published as spoiled');
  const modified = JSON.parse(fs.readFileSync(fileA, 'utf8'));
  modified.choice = [0, 1, 0];
  fs.writeFileSync(fileA + '.choice', JSON.stringify(modified));
  a = verifyAudit(fileA + '.choice', rec);
  check(a.status === 1 && /NON CONFORME : le chiffrement ne correspond pas au choix affiché/.test(a.out), `a modified choice refused, exit 1 (${a.status})`);
  a = verifyAudit(fileB, rec);
  check(a.status === 1 && /Le chiffrement contient : « Contre »/.test(a.out) && /Le téléphone a affiché : « Pour »/.test(a.out),
    `the cheating page caught by scrutin-verify --audit (${a.out.trim().split('\n').pop()})`);
}, [srv]);
