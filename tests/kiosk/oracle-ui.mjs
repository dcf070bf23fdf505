// oracle-ui.mjs — the scrutineers' page is not a decryption oracle (issue
// 13, finding 1), on the real server (build/scrutin serve, loopback HTTPS)
// in Debian's headless Chromium driven by playwright-core. Both
// scrutineers run the key ceremony in their pages (/s/); a secret motion
// gets 4 ballots and another 2, both closed. Then the box the page reads
// (GET …/questions/q1/ballots) is replaced, as a compromised network
// process would serve it, and the page must refuse to release its share —
// no POST …/shares leaves it:
//  - an empty box whose totals are one member's ballot (the oracle: the
//    result would be that member's vote);
//  - the real box minus one ballot, the record's closing line unchanged
//    (its count and totals no longer match the box);
//  - the box minus one ballot with a closing line made to match it (count
//    3, totals the sum of the 3), its checkpoint signed by another key;
//  - the same forged line under the real checkpoint (the hash differs);
//  - the real box with its closing line and checkpoint stripped.
// Then the honest box: both pages release, the result is computed, and
// the page shows the count and the record's head to compare. A question
// with 2 ballots asks before releasing (cancelled: nothing sent; accepted:
// released). No CSP violation, no page error.
//   node tests/kiosk/oracle-ui.mjs     (from the repository root, after make)
import { tmpDir, startServer } from '../server/lib.mjs';
import { C, S, api, attend, castBallots, setupMeeting, hex, unhex } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const data = tmpDir('oracle-ui');
const m = setupMeeting(data, { members: 6, id: 'ag-oracle-ui', agenda: { questions: [
  { id: 'q1', title: 'Budget', kind: 'motion', rule: 'ordinary', secret: true },
  { id: 'q2', title: 'Cotisation', kind: 'motion', rule: 'ordinary', secret: true },
] } });
const base = `/api/v1/meetings/${m.id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const ORIGIN = `https://localhost:${srv.port}`;
const { check, noCsp, openPage, runTest } = await consoleTest('oracle-ui');

await runTest(async () => {
  const scr = [];
  for (const [k, tok] of m.enrol.entries()) {
    const page = await openPage(`${ORIGIN}/s/#${m.id}.${k + 1}.${tok}`, `scrutineer ${k + 1}`);
    await page.waitForSelector('[data-screen="create"]:not([hidden])', { timeout: 30000 });
    await page.fill('#pass1', `phrase de passe ${k + 1} assez longue`);
    await page.fill('#pass2', `phrase de passe ${k + 1} assez longue`);
    await page.click('#create-form button[type="submit"]');
    await page.waitForSelector('[data-screen="main"]:not([hidden])', { timeout: 60000 });
    scr.push(page);
  }
  for (const p of scr) await p.waitForFunction(() => document.getElementById('s-phase').textContent === 'prête', null, { timeout: 120000 });
  const c = (await api(srv, 'GET', `${base}/ceremony`)).json;
  const cer = { eid: unhex(c.eid), y: unhex(c.y) };
  if ((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status !== 200) throw new Error('start');
  for (const v of m.voters) await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'));
  for (const [qid, picks] of [['q1', [[0], [1], [0], [2]]], ['q2', [[0], [1]]]]) {
    if ((await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, m.modToken)).status !== 200) throw new Error(`open ${qid}`);
    await castBallots(srv, m, cer, qid, picks);
    if ((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, m.modToken)).status !== 200) throw new Error(`close ${qid}`);
  }

  const [p1, p2] = scr;
  const posts = [];
  for (const p of scr) p.on('request', (r) => { if (r.method() === 'POST' && /\/shares$/.test(r.url())) posts.push(r.url()); });
  const real = (await api(srv, 'GET', `${base}/questions/q1/ballots`)).json;
  const q1 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q1');
  check(real.count === 4 && real.totals.length === 2 && typeof real.closed.line === 'string' &&
    JSON.parse(real.closed.line).kind === 'question.closed' && JSON.parse(real.closed.checkpoint).kind === 'checkpoint',
  'the box carries the record\'s closing line and the checkpoint after it');
  const cts = (b) => C.verifyBallot({ body: unhex(b.body), sig: unhex(b.sig), eid: cer.eid, qid: 'q1', n: q1.n, min: q1.min, max: q1.max,
    y: cer.y, voicePk: unhex(b.voice), signerPk: unhex(b.signer), qdigest: C.questionDigest(q1.opened) }).parts.ciphertexts;
  const minusOne = real.ballots.slice(1);
  const sums = minusOne.map(cts).reduce((a, x) => a.map((s, i) => C.ciphertextAdd(s, x[i])));
  // A closing line for the 3 ballots left, chained where the real one is.
  const realLine = JSON.parse(real.closed.line); const realCp = JSON.parse(real.closed.checkpoint);
  const forgedLine = JSON.stringify({ ...realLine, payload: { qid: 'q1', counted: 3, totals: sums.map(hex) } });
  const forgedHead = C.H256('event', C.utf8(forgedLine));
  const other = S.crypto_sign_keypair();
  const forgedCp = JSON.stringify({ ...realCp, parent: hex(forgedHead), payload: { seq: realLine.seq, head: hex(forgedHead),
    sig: hex(C.signStatement('checkpoint', [m.id, C.le64(realLine.seq), forgedHead], other.privateKey).sig) } });

  const attacks = [
    ['an empty box whose totals are one ballot', { ...real, count: 0, ballots: [], totals: cts(real.ballots[0]).map(hex) }, 'urne servie est vide'],
    ['the box minus one ballot, the closing line unchanged', { ...real, count: 3, ballots: minusOne }, 'ne correspondent pas'],
    ['the box minus one, a matching closing line signed by another key',
      { ...real, count: 3, ballots: minusOne, totals: sums.map(hex), closed: { line: forgedLine, checkpoint: forgedCp } }, 'pas liés au registre'],
    ['the box minus one, a matching closing line under the real checkpoint',
      { ...real, count: 3, ballots: minusOne, totals: sums.map(hex), closed: { line: forgedLine, checkpoint: real.closed.checkpoint } }, 'pas liés au registre'],
    ['the real box without its closing line and checkpoint', (({ closed, ...rest }) => rest)(real), 'pas liés au registre'],
  ];
  const btn = (p, qid) => p.locator(`li[data-qid="${qid}"] button[data-act="release"]`);
  for (const [what, body, words] of attacks) {
    await p1.route('**/questions/q1/ballots', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }));
    await p1.evaluate(() => { document.getElementById('alert').textContent = ''; });
    await btn(p1, 'q1').click();
    await p1.waitForFunction(() => document.getElementById('alert').textContent !== '', null, { timeout: 15000 });
    const said = await p1.locator('#alert').innerText();
    check(said.includes('REFUSÉ') || said.includes('ALERTE'), `${what}: refused (« ${said.slice(0, 90)} »)`);
    check(said.includes(words), `${what}: the reason (${words})`);
    check(posts.length === 0, `${what}: no decryption share sent`);
    check(await btn(p1, 'q1').isVisible(), `${what}: the release button is still offered`);
    await p1.unroute('**/questions/q1/ballots');
  }

  // The honest box: both release; the page shows the count and the head.
  for (const [k, p] of scr.entries()) {
    await btn(p, 'q1').click();
    const want = k === 0 ? 'Part publiée ; il manque encore' : 'Part publiée ; le résultat est calculé.';
    await p.waitForFunction((w) => document.getElementById('alert').textContent.startsWith(w), want, { timeout: 30000 });
  }
  check(posts.length === 2, `the honest box: both shares sent (${posts.length})`);
  const head = hex(C.H256('event', C.utf8(real.closed.line))).slice(0, 16);
  const st = await p2.locator('li[data-qid="q1"] .verif').innerText();
  check(st.includes('4 bulletin(s) vérifiés') && st.includes(`tête ${head}`) && st.includes('Comparez'),
    `the page shows the count and the record's head to compare (« ${st.slice(0, 120)} »)`);
  const r1 = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  check(r1.ballots === 4 && r1.counts.join() === '2,1,1', `q1 counted from the released shares (${r1.counts})`);

  // Two ballots: the page asks first; cancelled, nothing leaves.
  let asked = '';
  p1.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await p1.evaluate(() => { document.getElementById('alert').textContent = ''; });
  await btn(p1, 'q2').click();
  await p1.waitForFunction(() => document.querySelector('li[data-qid="q2"] .verif') !== null, null, { timeout: 15000 });
  check(asked.includes('Seulement 2 bulletin(s)'), `q2: the page warns before releasing 2 ballots (« ${asked.slice(0, 80)} »)`);
  check(posts.length === 2 && await btn(p1, 'q2').isVisible(), 'q2 cancelled: no share sent, the button still offered');
  p1.once('dialog', (d) => d.accept());
  await btn(p1, 'q2').click();
  await p1.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Part publiée'), null, { timeout: 30000 });
  check(posts.length === 3, 'q2 accepted: the share sent');
  for (const p of scr) await noCsp(p, 'scrutineer page');
}, [srv]);
