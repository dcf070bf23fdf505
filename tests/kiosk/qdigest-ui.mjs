// qdigest-ui.mjs — the question digest on the member's phone (/v/) and the
// projector (docs/protocol.md §5.7, scrutin/2), on the real server in
// Debian's headless Chromium:
//  - member A's phone shows « Empreinte de la question : xxxx xxxx » on the
//    vote and confirm screens, equal to the digest this test computes from
//    the record's question.opened (scrutin record export), as the
//    projector does; A's ballot is accepted;
//  - member B's phone is served a view with the election's two candidates
//    swapped (playwright's route rewrites GET /api/v1/meetings/ID, the live
//    stream is cut): it shows another digest, and the ballot it builds
//    commits to that content, so the server refuses it (400 bad_proof)
//    and B's page says so; only A's ballot is in the box;
//  - no page error, no CSP violation; the exported record, e1 counted,
//    verifies.
//   node tests/kiosk/qdigest-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { C, MEETING_DATE, api, ceremony, decrypt, enrolMeeting, exportAndVerify, hex } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';
import { importPhoneRoll, issueLinks, screen } from './lib/member-links.mjs';

const data = tmpDir('qdigest-ui');
const ID = 'ag-qdigest-ui';
const run = (args) => { const r = cli([...args, '--data', data]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
importPhoneRoll(run, data, 'membre_de_droit');
fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'e1', title: 'Élection au conseil (collège A)', kind: 'election', rule: 'college_a', secret: true, seats: 1,
    candidates: [{ member: 'M0001', name: 'Prénom1 Nom1' }, { member: 'M0002', name: 'Prénom2 Nom2' }] },
] }));
run(['meeting', 'create', '--id', ID, '--title', 'AG ANIMT', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ag', '--agenda', path.join(data, 'agenda.json'),
  '--trustees', '2', '--threshold', '2', '--quorum', 'none']);
run(['meeting', 'convene', ID]);
const m = enrolMeeting(data, ID, 8);
const { codes, qrUrl } = issueLinks(run, data, ID, ['--member', 'M0009', '--member', 'M0010']);

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, text, noCsp, openPage, runTest } = await consoleTest('qdigest-ui');
const base = `/api/v1/meetings/${ID}`;
const local = (u) => u.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`);
const short = (d) => `${hex(d).slice(0, 4)} ${hex(d).slice(4, 8)}`;
const swapped = (o) => ({ ...o, choices: [o.choices[1], o.choices[0], ...o.choices.slice(2)] });

// The phone of `no`, checked in, on its agenda. lie: serve it the view
// with e1's two candidates swapped, and no live stream (so that every
// view it reads is a rewritten one).
async function phone(no, lie) {
  const setup = lie ? async (p) => {
    await p.route(/\/api\/v1\/meetings\/[^/?]+\/events/, (r) => r.abort());
    await p.route(new RegExp(`/api/v1/meetings/${ID}$`), async (r) => {
      const res = await r.fetch();
      const v = await res.json();
      for (const q of v.questions || []) {
        if (q.id !== 'e1' || !q.opened) continue;
        q.opened = swapped(q.opened);
        q.choices = [q.choices[1], q.choices[0], ...q.choices.slice(2)];
      }
      await r.fulfill({ response: res, json: v });
    });
  } : undefined;
  const page = await openPage(local(qrUrl(no)), no, { viewport: { width: 360, height: 640 }, setup });
  await screen(page, 'code');
  await page.fill('#code-input', codes[no]);
  await page.click('#code-submit');
  await screen(page, 'checkin');
  await page.click('#checkin-present');
  await screen(page, 'agenda');
  return page;
}

await runTest(async () => {
  const cer = await ceremony(srv, m);
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'AG started');
  // Both present before the opening (only they vote on e1).
  const pa = await phone('M0009', false);
  const pb = await phone('M0010', true);
  check((await api(srv, 'POST', `${base}/questions/e1/open`, {}, m.modToken)).status === 200, 'e1 opened');
  // The digest of the content the record carries (its question.opened).
  const rec = cli(['record', 'export', ID, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const opened = rec.find((e) => e.kind === 'question.opened' && e.payload.qid === 'e1').payload;
  check(rec[0].payload.protocol === 'scrutin/2', 'the record is of scrutin/2');
  const d = C.questionDigest(opened);
  const want = `Empreinte de la question : ${short(d)}`;
  const lied = short(C.questionDigest(swapped(opened)));
  check(lied !== short(d), `the swapped content has another short digest (${lied} ≠ ${short(d)})`);

  // The projector shows the record's digest.
  const proj = await openPage(`https://localhost:${srv.port}/p/#${ID}`, 'projector');
  await proj.waitForSelector('.p-q[data-qid="e1"] .p-qdigest', { timeout: 15000 });
  check((await text(proj, '.p-q[data-qid="e1"] .p-qdigest')).includes(short(d)), `the projector shows ${short(d)}`);

  // A: the honest phone (the opening came by its live stream).
  await pa.locator('li[data-qid="e1"] button.primary').click();
  await screen(pa, 'vote');
  const va = await text(pa, '#vote-digest');
  check(va.startsWith(want), `A's vote screen: « ${want} » (${va})`);
  const firstA = await pa.locator('label.choice').first().innerText();
  check(firstA.includes(opened.choices[0].label), `A sees the record's first candidate first (${firstA})`);
  await pa.locator('label.choice', { hasText: 'Prénom1 Nom1' }).first().click();
  await pa.click('#vote-form button[type="submit"]');
  await screen(pa, 'confirm');
  check((await text(pa, '#confirm-digest')).startsWith(want), 'A\'s confirm screen shows the same digest');
  const postedA = pa.waitForResponse((r) => r.url().endsWith(`${base}/ballots`) && r.request().method() === 'POST', { timeout: 60000 });
  await pa.click('#confirm-cast');
  const resA = await postedA;
  check(resA.status() === 200, `A's ballot accepted (${resA.status()})`);
  await screen(pa, 'receipt');
  check((await text(pa, '#receipt-sig')).includes('vérifié'), 'A\'s ballot accepted, the acknowledgement verified');
  await noCsp(pa, 'A\'s phone');

  // B: a phone served the candidates in another order (reloaded: it has
  // no live stream), the same credential kept by the tab.
  await pb.reload();
  await screen(pb, 'agenda');
  await pb.locator('li[data-qid="e1"] button.primary').click();
  await screen(pb, 'vote');
  const vb = await text(pb, '#vote-digest');
  check(vb.includes(lied) && !vb.includes(short(d)), `B's phone shows the digest of what it was served (${vb}), not the projector's`);
  const firstB = await pb.locator('label.choice').first().innerText();
  check(firstB.includes(opened.choices[1].label), `B sees the candidates swapped (${firstB} first)`);
  await pb.locator('label.choice').first().click();
  await pb.click('#vote-form button[type="submit"]');
  await screen(pb, 'confirm');
  const posted = pb.waitForResponse((r) => r.url().endsWith(`${base}/ballots`) && r.request().method() === 'POST', { timeout: 60000 });
  await pb.click('#confirm-cast');
  const res = await posted;
  const body = await res.json().catch(() => ({}));
  check(res.status() === 400 && body.error && body.error.code === 'bad_proof',
    `the server refuses B's ballot (${res.status()} ${body.error && body.error.code})`);
  await pb.waitForFunction(() => !document.querySelector('#alert').hidden && document.querySelector('#alert').textContent.trim() !== '',
    null, { timeout: 15000 });
  check(true, `B's page says the ballot was refused (${(await text(pb, '#alert')).split('\n')[0]})`);
  check(await pb.locator('[data-screen="receipt"]:not([hidden])').count() === 0, 'B gets no receipt');
  const box = (await api(srv, 'GET', `${base}/questions/e1/ballots`)).json;
  check(box.count === 1, `only A's ballot is in the box (${box.count})`);
  await noCsp(pb, 'B\'s phone');

  check((await api(srv, 'POST', `${base}/questions/e1/close`, {}, m.modToken)).status === 200, 'e1 closed');
  await decrypt(srv, m, cer, 'e1');
  const v = exportAndVerify(data, ID);
  check(v.exported === 0 && v.status === 0, `the exported record verifies (${v.out.trim().split('\n')[0]})`);
}, [srv]);
