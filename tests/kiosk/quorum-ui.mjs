// quorum-ui.mjs — the live quorum on the moderator's console (/m/) and the
// projector (/p/), on the real server (build/scrutin serve, loopback
// HTTPS) in Debian's headless Chromium, A-IMI's AG (art. 9: a quarter of
// the active members present or represented, no rounding, a second
// convocation without quorum):
//  - members check in one by one through the API, then one gives a proxy:
//    at each step both pages show the statutes engine's quorum sentence,
//    equal to what build/scrutin-count writes on a scenario of the same
//    facts (written here), and the voices the statutes count (present,
//    represented) with the threshold, its rounding and its article;
//  - a motion opened at that moment and counted: its result's quorum
//    sentence is the one the pages show (one computation on the server);
//  - no CSP violation, no page error.
//   node tests/kiosk/quorum-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, tmpDir } from '../server/lib.mjs';
import { C, MEETING_DATE, api, attend, hex, now, openBallot, setupMeeting } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const data = tmpDir('quorum-ui');
const N = 10;
const m = setupMeeting(data, { members: N, id: 'ag-quorum-ui', agenda: { questions: [
  { id: 'q1', title: 'Approbation du rapport moral', kind: 'motion', rule: 'ordinary', secret: false },
] } });
const V = m.voters;
const base = `/api/v1/meetings/${m.id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, noCsp, openConsole, openPage, runTest } = await consoleTest('quorum-ui');

// The statutes engine's quorum sentence on the same facts (docs/scenarios.md).
function engineSays(present, proxies) {
  const a = (v) => v.no.toLowerCase();
  const scen = ['format: scrutin-scenario/1', 'profile: a-imi', 'body: ag', 'meeting:', `  date: ${MEETING_DATE}`,
    '  convocation: first', 'roll:', ...V.map((v) => `  - {id: ${a(v)}, category: adherent, dues_paid: true}`),
    'attendance:', `  present: [${present.map(a).join(', ')}]`,
    `proxies:${proxies.length ? '' : ' []'}`, ...proxies.map(([g, h]) => `  - {giver: ${a(g)}, holder: ${a(h)}}`),
    'questions: []'];
  const f = path.join(data, 'scenario.yaml');
  fs.writeFileSync(f, scen.join('\n') + '\n');
  const r = spawnSync('build/scrutin-count', ['--profile', 'ballot-formats/profiles/a-imi.yaml', '--text', '--lang', 'fr', f], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scrutin-count: ${r.stderr}`);
  return r.stdout.split('\n').find((l) => l.startsWith('Quorum')) ?? '';
}

await runTest(async () => {
  const mod = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), 'console');
  const proj = await openPage(`https://localhost:${srv.port}/p/#${m.id}`, 'projector', { viewport: { width: 1280, height: 900 } });
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'AG started');

  // Both pages show `want` (the engine's sentence), and so does the view.
  async function both(want, what) {
    let got = ['', ''];
    for (let i = 0; i < 150; i++) {
      got = [await mod.locator('#att-quorum').innerText(), await proj.locator('#p-quorum').innerText()];
      if (got[0] === want && got[1] === want) break;
      await mod.waitForTimeout(100);
    }
    check(got[0] === want, `${what}: the console says the engine's sentence « ${want} » (got « ${got[0]} »)`);
    check(got[1] === want, `${what}: the projector says it too (got « ${got[1]} »)`);
    const view = (await api(srv, 'GET', base)).json;
    check(view.attendance.quorum.sentence?.fr === want, `${what}: GET meetings/{m} carries it`);
    return view.attendance.quorum;
  }

  const present = []; const proxies = [];
  let qu = await both(engineSays(present, proxies), 'nobody in the room');
  check(qu.status === 'not_met' && /sans condition de quorum \(art\. 9\)/.test(qu.sentence.fr),
    `not met: the second convocation without quorum is said (${qu.sentence.fr})`);
  for (const v of V.slice(0, 2)) {
    check((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status === 200, `${v.no} checks in`);
    present.push(v);
    qu = await both(engineSays(present, proxies), `${present.length} present`);
  }
  check(qu.status === 'not_met' && qu.counted === 2 && qu.required === 3, `2 present: not met, 2 of 3 (${qu.counted}/${qu.required})`);

  // M0003 gives a proxy to M0001 (S_proxy, docs/record.md §5): represented.
  const ts = now();
  const sig = hex(C.signStatement('proxy', [m.id, V[2].pk, V[0].pk, C.le64(ts)], V[2].sk).sig);
  check((await api(srv, 'POST', `${base}/proxies`, { action: 'give', giver: hex(V[2].pk), holder: hex(V[0].pk), ts, sig })).status === 200,
    'M0003 gives a proxy to M0001');
  proxies.push([V[2], V[0]]);
  const want = engineSays(present, proxies);
  check(/^Quorum atteint : 3 /.test(want), `the engine: reached with the proxy (${want})`);
  qu = await both(want, 'a proxy given');
  check(qu.voices.present === 2 && qu.voices.represented === 1, 'the view: 2 present, 1 represented');
  check((await mod.locator('#att-represented').innerText()) === '1', 'the console: 1 represented');
  const voices = await mod.locator('#att-voices').innerText();
  check(/2 présent\(s\), 1 représenté\(s\)/.test(voices) && !/distance/.test(voices),
    `the console: the voices A-IMI counts, no remote ones (${voices})`);
  const rule = await mod.locator('#att-rule').innerText();
  check(/1\/4 de 10, sans arrondi, soit au moins 3 \(art\. 9\)/.test(rule), `the console: the threshold, its rounding and article (${rule})`);
  check((await proj.locator('#p-rule').innerText()) === rule, 'the projector: the same threshold');
  check((await proj.locator('#p-voices').innerText()) === voices, 'the projector: the same voices');

  // A motion opened now: its counted result's quorum is the same sentence.
  check((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).status === 200, 'q1 opened');
  const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === 'q1');
  check((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, 'q1', V[0], [1, 0, 0]))).status === 200, 'M0001 votes');
  check((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).status === 200, 'q1 closed');
  const res = (await api(srv, 'GET', `${base}/questions/q1/result`)).json;
  check(res.quorum?.sentence?.fr === want, `q1's result: the same quorum sentence (${res.quorum?.sentence?.fr})`);
  check(res.quorum?.voices?.represented === 1 && res.quorum?.counted === 3, 'q1\'s result: 3 counted, 1 represented');

  // English: the engine's English sentence.
  await proj.click('#lang-switch');
  const en = await proj.locator('#p-quorum').innerText();
  check(en === qu.sentence.en && /^Quorum reached: 3 /.test(en), `the projector in English: the engine's English sentence (${en})`);
  await noCsp(mod, 'console');
  await noCsp(proj, 'projector');
}, [srv]);
