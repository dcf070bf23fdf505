// secondconv-ui.mjs — the live quorum of a second-convocation meeting
// (A-IMI art. 9: « elle peut alors délibérer quel que soit le nombre des
// membres actifs présents ou représentés ») on the moderator's console
// (/m/) and the projector (/p/), on the real server in Debian's headless
// Chromium: with one member present out of 10 both pages say the
// engine's « Seconde convocation : … (art. 9) », with no threshold line,
// in French and in English; no CSP violation, no page error.
//   node tests/kiosk/secondconv-ui.mjs     (from the repository root, after make)
import { startServer, tmpDir } from '../server/lib.mjs';
import { MEETING_DATE, api, attend, setupMeeting } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const data = tmpDir('secondconv-ui');
const first = new Date(Date.parse(MEETING_DATE) - 60 * 86400e3).toISOString().slice(0, 10);
const m = setupMeeting(data, { members: 10, id: 'ag-second-ui', createArgs: ['--second-convocation', '--first-meeting-date', first],
  agenda: { questions: [{ id: 'q1', title: 'Rapport moral', kind: 'motion', rule: 'ordinary', secret: false }] } });
const base = `/api/v1/meetings/${m.id}`;
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, noCsp, openConsole, openPage, runTest } = await consoleTest('secondconv-ui');

await runTest(async () => {
  const mod = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), 'console');
  const proj = await openPage(`https://localhost:${srv.port}/p/#${m.id}`, 'projector', { viewport: { width: 1280, height: 900 } });
  check((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status === 200, 'AG started');
  check((await api(srv, 'POST', `${base}/attendance`, attend(m, m.voters[0], 'check-in', 'present'))).status === 200, 'M0001 checks in');
  const want = 'Seconde convocation : l\'assemblée générale délibère quel que soit le nombre de membres présents ou représentés (art. 9).';
  let got = ['', ''];
  for (let i = 0; i < 150; i++) {
    got = [await mod.locator('#att-quorum').innerText(), await proj.locator('#p-quorum').innerText()];
    if (got[0] === want && got[1] === want) break;
    await mod.waitForTimeout(100);
  }
  check(got[0] === want, `the console: « ${want} » (got « ${got[0]} »)`);
  check(got[1] === want, `the projector: the same (got « ${got[1]} »)`);
  check((await mod.locator('#att-rule').innerText()) === '' && (await proj.locator('#p-rule').innerText()) === '',
    'no threshold line on either page');
  const qu = (await api(srv, 'GET', base)).json.attendance.quorum;
  check(qu.status === 'none' && qu.second_convocation === true && qu.second_article === '9', 'the view: second convocation, art. 9');
  await proj.click('#lang-switch');
  const en = await proj.locator('#p-quorum').innerText();
  check(en === qu.sentence.en && /^Second convocation: .*\(art\. 9\)\.$/.test(en), `the projector in English (${en})`);
  await noCsp(mod, 'console');
  await noCsp(proj, 'projector');
}, [srv]);
