// labels-ui.mjs — no statutes id on screen: the moderator console and the
// projector show every rule by the profile's label (with its article on
// the console), every question kind and outcome in words, on the real
// server (build/scrutin serve, loopback HTTPS) in Debian's headless
// Chromium driven by playwright-core, on meetings of two profiles:
//  - A-IMI's AG (art. 9, 11): a motion « majorité simple » voted and
//    counted by show of hands, a motion « majorité du quart » and the
//    CA election « Conseil d'administration » open;
//  - ANIMT's AG (IV, V, VIII): motions under « majorité relative » and
//    two « majorité absolue » rules told apart by their articles, one
//    counted, one open, an election of « Collège B » pending;
//  - for each page: the rule ids (read from GET …/rules: the body, every
//    decision and election) appear nowhere as a whole word in the
//    visible text (option texts included) once the profile's own words
//    (labels and articles, which may contain such a word: « (dissolution) »)
//    are set aside, and the expected French labels do; the election rules
//    too once the form's kind is « Élection »;
//  - the counted result (GET …/result) carries its rule's labels;
//  - in English, the English labels (label_en), and no id of A-IMI's
//    (ANIMT's ids « statutes », « moderator » are English words the
//    English screens use);
//  - no CSP violation, no page error.
//   node tests/kiosk/labels-ui.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tmpDir, cli } from '../server/lib.mjs';
import { MEETING_DATE, api, attend, ceremony, enrolMeeting, openBallot, setupMeeting } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

// --- the meetings -----------------------------------------------------------
const dataA = tmpDir('labels-aimi');
const mA = setupMeeting(dataA, { members: 4, id: 'ag-aimi', agenda: { questions: [
  { id: 'q1', title: 'Approbation des comptes', kind: 'motion', rule: 'ordinary', secret: false },
  { id: 'q2', title: 'Point ajouté à l’ordre du jour', kind: 'motion', rule: 'agenda_addition', secret: false },
  { id: 'e1', title: 'Élection au conseil', kind: 'election', rule: 'ca', secret: true, seats: 1,
    candidates: [{ member: 'M0001', name: 'Un' }, { member: 'M0002', name: 'Deux' }] },
] } });

const dataN = tmpDir('labels-animt');
const run = (args) => { const r = cli([...args, '--data', dataN]); if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`); return r.stdout; };
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
fs.writeFileSync(path.join(dataN, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
  ...Array.from({ length: 4 }, (_, i) => `M000${i + 1};Nom${i + 1};Prénom${i + 1};membre_de_droit;${paid}`)].join('\n') + '\n');
run(['roll', 'import', path.join(dataN, 'roll.csv')]);
fs.writeFileSync(path.join(dataN, 'agenda.json'), JSON.stringify({ questions: [
  { id: 'q1', title: 'Rapport moral', kind: 'motion', rule: 'ordinary', secret: false },
  { id: 'q2', title: 'Modification des statuts', kind: 'motion', rule: 'statutes', secret: false },
  { id: 'q3', title: 'Motion à la majorité absolue', kind: 'motion', rule: 'absolute', secret: false },
  { id: 'e1', title: 'Collège B', kind: 'election', rule: 'college_b', secret: true, seats: 1,
    candidates: [{ member: 'M0003', name: 'Trois' }, { member: 'M0004', name: 'Quatre' }] },
] }));
run(['meeting', 'create', '--id', 'ag-animt', '--title', 'AG ANIMT', '--date', MEETING_DATE, '--profile',
  'ballot-formats/profiles/animt.yaml', '--body', 'ag', '--agenda', path.join(dataN, 'agenda.json'), '--quorum', 'none',
  '--trustees', '2', '--threshold', '2']);
run(['meeting', 'convene', 'ag-animt']);
const mN = enrolMeeting(dataN, 'ag-animt', 4);

const srvA = await startServer({ data: dataA, extra: ['--rate', '100000', '--burst', '100000'] });
const srvN = await startServer({ data: dataN, extra: ['--rate', '100000', '--burst', '100000'] });
const { check, noCsp, openConsole, openPage, runTest } = await consoleTest('labels-ui');

// Everyone checks in; qid is voted (pour × 3, contre × 1), closed, counted.
async function startAndCount(srv, m, qid) {
  const base = `/api/v1/meetings/${m.id}`;
  const ok = (r, what) => { if (r.status !== 200) throw new Error(`${what}: ${r.status} ${r.text}`); return r.json; };
  ok(await api(srv, 'POST', `${base}/start`, {}, m.modToken), 'start');
  for (const v of m.voters) ok(await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present')), `check-in ${v.no}`);
  ok(await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, m.modToken), `open ${qid}`);
  const q = (await api(srv, 'GET', base)).json.questions.find((x) => x.id === qid);
  for (const [k, v] of m.voters.entries())
    ok(await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, qid, v, k < 3 ? [1, 0, 0] : [0, 1, 0])), `ballot ${v.no}`);
  ok(await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, m.modToken), `close ${qid}`);
}
const open = async (srv, m, qid) => {
  const r = await api(srv, 'POST', `/api/v1/meetings/${m.id}/questions/${qid}/open`, {}, m.modToken);
  if (r.status !== 200) throw new Error(`open ${qid}: ${r.text}`);
};

// The visible text of a page, the texts of the options of its visible
// selects included.
const visible = (page) => page.evaluate(() => [document.body.innerText,
  ...[...document.querySelectorAll('select')].filter((s) => s.offsetParent !== null)
    .flatMap((s) => [...s.options].map((o) => o.textContent))].join('\n'));
// The rule ids of the meeting's body that appear as whole words in text,
// once the profile's own words are set aside.
function idsShown(text, rules) {
  const all = [...rules.decisions, ...rules.elections];
  const words = [rules.label, rules.label_en, ...all.flatMap((r) => [r.label, r.label_en, r.article])]
    .filter(Boolean).sort((a, b) => b.length - a.length);
  let rest = text;
  for (const w of words) rest = rest.split(w).join(' ');
  const ids = [rules.body, ...all.map((r) => r.id)];
  return ids.filter((id) => new RegExp(`(?<![\\p{L}\\p{N}_])${id}(?![\\p{L}\\p{N}_])`, 'u').test(rest));
}

async function projector(srv, meeting, name) {
  const page = await openPage(`https://localhost:${srv.port}/p/#${meeting}`, name, { viewport: { width: 1280, height: 900 } });
  await page.waitForSelector('#p-open .p-rule', { timeout: 15000 });
  await page.waitForSelector('#p-result .result-sentence', { timeout: 15000 });
  return page;
}

// The checks of one meeting: its console (French, then its election rules,
// then English) and its projector.
async function meeting(srv, m, name, expect) {
  const rules = (await api(srv, 'GET', `/api/v1/meetings/${m.id}/rules`, undefined, m.modToken)).json;
  check(rules.decisions.length >= 2 && rules.elections.length >= 1 && rules.decisions.every((r) => r.label && r.label_en && r.article),
    `${name}: GET rules gives the ids, labels and articles (${rules.decisions.map((r) => r.id)})`);
  const res = (await api(srv, 'GET', `/api/v1/meetings/${m.id}/questions/q1/result`)).json;
  const ordinary = rules.decisions.find((r) => r.id === 'ordinary');
  check(res.rule === 'ordinary' && res.rule_label === ordinary.label && res.rule_label_en === ordinary.label_en,
    `${name}: the result carries its rule's labels (${res.rule_label}, ${res.rule_label_en})`);
  const mod = await openConsole(m.modLink.replace(/^https:\/\/localhost\//, `https://localhost:${srv.port}/`), `${name} console`);
  await mod.waitForFunction(() => document.querySelectorAll('#aq-rule option').length > 1 &&
    document.querySelector('#m-questions .result'), null, { timeout: 15000 });
  let text = await visible(mod);
  check(idsShown(text, rules).length === 0, `${name} console: no rule id shown (${idsShown(text, rules)})`);
  for (const s of expect.console) check(text.includes(s), `${name} console shows « ${s} »`);
  await mod.selectOption('#aq-kind', 'election');
  text = await visible(mod);
  check(idsShown(text, rules).length === 0, `${name} console, election form: no rule id shown (${idsShown(text, rules)})`);
  for (const s of expect.elections) check(text.includes(s), `${name} console, election form, shows « ${s} »`);
  await noCsp(mod, `${name} console`);

  const proj = await projector(srv, m.id, `${name} projector`);
  text = await visible(proj);
  check(idsShown(text, rules).length === 0, `${name} projector: no rule id shown (${idsShown(text, rules)})`);
  for (const s of expect.projector) check(text.toLowerCase().includes(s.toLowerCase()), `${name} projector shows « ${s} »`);
  await noCsp(proj, `${name} projector`);

  await mod.click('#lang-switch');
  await mod.selectOption('#aq-kind', 'motion');
  await mod.waitForFunction(() => document.documentElement.lang === 'en');
  text = await visible(mod);
  for (const s of expect.english) check(text.includes(s), `${name} console in English shows « ${s} »`);
  if (expect.englishIds) check(idsShown(text, rules).length === 0, `${name} console in English: no rule id shown (${idsShown(text, rules)})`);
  await proj.click('#lang-switch');
  await proj.waitForFunction(() => document.documentElement.lang === 'en');
  text = await visible(proj);
  for (const s of expect.projectorEnglish) check(text.toLowerCase().includes(s.toLowerCase()), `${name} projector in English shows « ${s} »`);
}

await runTest(async () => {
  // A-IMI: q1 counted, q2 and e1 open (the key ceremony first: the
  // record holds no question before it).
  await ceremony(srvA, mA);
  await startAndCount(srvA, mA, 'q1');
  await open(srvA, mA, 'q2');
  await open(srvA, mA, 'e1');
  await meeting(srvA, mA, 'A-IMI', {
    console: ['motion à la majorité simple (art. 9)', 'motion à la majorité du quart (art. 9)',
      'élection, 1 siège(s) — Conseil d\'administration (art. 11)', 'majorité simple (art. 9)', 'Adoptée',
      'Motion adoptée à la majorité simple'],
    elections: ['Conseil d\'administration (art. 11)'],
    projector: ['Motion à la majorité du quart', 'Élection, 1 siège(s) — Conseil d\'administration', 'Motion adoptée à la majorité simple'],
    english: ['motion by simple majority (art. 9)', 'motion by one-quarter majority (art. 9)',
      'election, 1 seat(s) — Board of directors (art. 11)', 'simple majority (art. 9)', 'Adopted'],
    englishIds: true,
    projectorEnglish: ['Motion by one-quarter majority', 'Election, 1 seat(s) — Board of directors'],
  });
  // ANIMT: q1 counted, q2 open; two « majorité absolue » told apart.
  await ceremony(srvN, mN);
  await startAndCount(srvN, mN, 'q1');
  await open(srvN, mN, 'q2');
  await meeting(srvN, mN, 'ANIMT', {
    console: ['motion à la majorité relative (art. IV al. 3, V al. 2)',
      'motion à la majorité absolue (art. V al. 3 (modification des statuts), IV al. 4)',
      'motion à la majorité absolue (art. IV al. 3 et 4, V al. 3)',
      'élection, 1 siège(s) — Collège B (art. VIII (collège B))',
      'majorité absolue (art. V al. 3 (dissolution), IV al. 4)', 'Motion adoptée à la majorité relative'],
    elections: ['Collège A (art. VIII (collège A))', 'Référent d\'inter-région (collège A) (art. VIII (collège A))'],
    projector: ['Motion à la majorité absolue', 'Motion adoptée à la majorité relative'],
    english: ['motion by relative majority (art. IV al. 3, V al. 2)', 'election, 1 seat(s) — College B (art. VIII (collège B))'],
    englishIds: false,
    projectorEnglish: ['Motion by absolute majority'],
  });
}, [srvA, srvN]);
