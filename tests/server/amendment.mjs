// amendment.mjs — amendments that really amend (issue 12 item 8), over real
// HTTPS on loopback with real (show-of-hands) ballots:
//  - a body whose profile has no `amendments` refuses one with the
//    engine's French sentence (403 amendments_refused);
//  - A-IMI's AG (the statutes are silent: before_motion): the amendment
//    is a motion of its own, added on the day, under its motion's rule;
//    the motion cannot open while it is pending (409 amendment_pending);
//    adopted → the motion opens as amended (amended_by, on_agenda false);
//    rejected → as it was; no amendment once the motion opened, none of an
//    amendment, none by an absent member;
//  - ANIMT's AG (IV, alternative): 8 supporters refused with « art. IV »,
//    9 accepted: the amended motion is an alternative in the original's
//    group, both voted and weighed by the alternatives rule;
//  - the record carries amends / amendment / supporters / amended_by,
//    scrutin-verify accepts it, and fails on a motion opened before its
//    amendment's result, an amended_by naming a rejected amendment, an
//    amended_by left out, an amendment on the agenda.
//   node tests/server/amendment.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { api, attend, ceremony, openBallot, enrolMeeting, makeRoll, MEETING_DATE, rewriteRecord } from './meeting-lib.mjs';

const evCount = (data) => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM events');
const qCount = (data) => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM questions');
const mo = (id, title, extra = {}) => ({ id, title, kind: 'motion', rule: 'ordinary', secret: false, ...extra });

// A meeting of n members under profile file (body ag), agenda qs; the
// server started, the ceremony done, members M0001…M(present) checked in.
async function meeting(tag, profile, qs, { n = 12, present = 11, category = 'adherent', createArgs = [] } = {}) {
  const data = tmpDir(tag);
  const run = (args) => {
    const r = cli([...args, '--data', data]);
    if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  run(['roll', 'import', makeRoll(data, n, category)]);
  const ag = path.join(data, 'agenda.json');
  fs.writeFileSync(ag, JSON.stringify({ questions: qs }));
  run(['meeting', 'create', '--id', tag, '--title', 'AG', '--date', MEETING_DATE, '--profile', profile, '--body', 'ag',
    '--agenda', ag, '--trustees', '2', '--threshold', '2', ...createArgs]);
  run(['meeting', 'convene', tag]);
  const m = enrolMeeting(data, tag, n);
  const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
  const base = `/api/v1/meetings/${tag}`;
  await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).status, 200, `${tag}: started`);
  for (const v of m.voters.slice(0, present))
    eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);
  const view = async () => (await api(srv, 'GET', base)).json;
  const amend = (qid, body) => api(srv, 'POST', `${base}/questions/${qid}/amendments`, body, m.modToken);
  const refused = async (qid, body, status, code, what) => {
    const ev0 = evCount(data), q0 = qCount(data);
    const r = await amend(qid, body);
    eq([r.status, r.json.error?.code], [status, code], what);
    eq([evCount(data), qCount(data)], [ev0, q0], `${what}: nothing changed`);
    return r;
  };
  // pour / contre / abstention by voter; the result.
  const vote = async (qid, [p, k, a]) => {
    const o = await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, m.modToken);
    eq(o.status, 200, `${qid} opened (${o.text})`);
    const q = (await view()).questions.find((x) => x.id === qid);
    const sels = [...Array(p).fill([1, 0, 0]), ...Array(k).fill([0, 1, 0]), ...Array(a).fill([0, 0, 1])];
    for (const [i, s] of sels.entries()) {
      const r = await api(srv, 'POST', `${base}/ballots`, openBallot(m, q, qid, m.voters[i], s));
      if (r.status !== 200) throw new Error(`${qid} ballot ${i}: ${r.text}`);
    }
    eq((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, m.modToken)).json.status, 'closed', `${qid} closed`);
    return (await api(srv, 'GET', `${base}/questions/${qid}/result`)).json;
  };
  const record = () => {
    const rec = cli(['record', 'export', tag, '--data', data]);
    eq(rec.status, 0, `${tag}: record export`);
    const lines = rec.stdout.split('\n').slice(0, -1);
    const file = path.join(data, 'record.jsonl');
    fs.writeFileSync(file, rec.stdout);
    const ver = spawnSync('build/scrutin-verify', ['--quiet', file], { encoding: 'utf8' });
    return { lines, file, evs: lines.map((l) => JSON.parse(l)), ver };
  };
  return { data, m, srv, base, view, amend, refused, vote, record };
}

// --- a body without amendments: A-IMI's AG with the key taken out --------
{
  const dir = tmpDir('amend-profile');
  const prof = path.join(dir, 'a-imi-sans.yaml');
  const text = fs.readFileSync('ballot-formats/profiles/a-imi.yaml', 'utf8');
  const cut = text.replace(/\n    amendments:[^\n]*\n(?: {6}[^\n]*\n| {8}[^\n]*\n)+/, '\n');
  check(cut !== text && !/amendments:/.test(cut), 'test profile: A-IMI without amendments');
  fs.writeFileSync(prof, cut);
  const t = await meeting('amend-none', prof, [mo('m1', 'Approbation des comptes')]);
  try {
    const r = await t.refused('m1', { text: 'ajouter « et du budget »', proposer: 'M0002' }, 403, 'amendments_refused',
      'no amendments in the profile: refused');
    check(/ne prévoient pas d'amendement pour « Assemblée générale ordinaire »/.test(r.json.error.detail ?? ''),
      `the engine's French sentence: ${r.json.error.detail}`);
    check(/provide for no amendment/.test(r.json.error.detail_en ?? ''), `and its English: ${r.json.error.detail_en}`);
  } finally {
    await t.srv.stop();
  }
}

// --- A-IMI's AG: amendments voted before their motion ---------------------
{
  const t = await meeting('amend-aimi', 'ballot-formats/profiles/a-imi.yaml', [
    mo('m1', 'Cotisation annuelle à 20 €'), mo('m2', 'Siège à Lyon'), mo('m3', 'Logo bleu')]);
  const { srv, base, m, view, amend, refused, vote } = t;
  try {
    eq((await view()).questions.map((q) => [q.id, q.on_agenda ?? true]), [['m1', true], ['m2', true], ['m3', true]],
      'three motions on the agenda');
    await refused('m1', { text: 'x', proposer: 'M0012' }, 400, 'amendment_proposer', 'an absent member cannot propose');
    await refused('m1', { text: 'x', proposer: 'M0999' }, 400, 'amendment_proposer', 'nor a stranger');
    await refused('m1', { text: '', proposer: 'M0002' }, 400, 'invalid_field', 'an empty text');
    await refused('m1', { text: 'x', proposer: 'M0002', extra: 1 }, 400, 'unknown_field', 'an unknown field');
    await refused('m1', { text: 'x', proposer: 'M0002', supporters: -1 }, 400, 'invalid_field', 'negative supporters');
    await refused('zz', { text: 'x', proposer: 'M0002' }, 404, 'question_unknown', 'an unknown motion');
    let r = await amend('m1', { text: 'remplacer « 20 € » par « 25 € »', proposer: 'M0002' });
    eq(r.status, 200, `amendment to m1 (${r.text})`);
    eq([r.json.id, r.json.amends, r.json.amendment, r.json.on_agenda, r.json.title, r.json.rule, r.json.secret],
      ['m1-am1', 'm1', 'remplacer « 20 € » par « 25 € »', false, 'Amendement à « Cotisation annuelle à 20 € »', 'ordinary', false],
      'a motion of its own, added on the day, under its motion\'s rule and secrecy');
    await refused('m1-am1', { text: 'y', proposer: 'M0003' }, 400, 'not_amendable', 'no amendment of an amendment');
    r = await api(srv, 'POST', `${base}/questions/m1/open`, {}, m.modToken);
    eq([r.status, r.json.error?.code], [409, 'amendment_pending'], 'the motion cannot open while its amendment is pending');
    check(/votez d'abord l'amendement/.test(r.json.error.fr), `said in French: ${r.json.error.fr}`);
    eq((await view()).questions.find((q) => q.id === 'm1').status, 'pending', 'm1 still pending');
    // The amendment adopted: the motion opens as amended.
    eq((await vote('m1-am1', [7, 3, 1])).outcome, 'adopted', 'm1-am1 adopted');
    const a1 = await vote('m1', [6, 4, 1]);
    eq(a1.outcome, 'adopted', 'm1, as amended, adopted');
    let q1 = (await view()).questions.find((q) => q.id === 'm1');
    eq([q1.amended_by, q1.on_agenda], [['m1-am1'], false], 'm1 voted as amended: amended_by, added on the day');
    await refused('m1', { text: 'z', proposer: 'M0002' }, 409, 'wrong_phase', 'no amendment once the motion was voted');
    // Two amendments to m2, both rejected: the motion as it was.
    eq((await amend('m2', { text: 'Siège à Paris', proposer: 'M0003' })).json.id, 'm2-am1', 'amendment 1 to m2');
    eq((await amend('m2', { id: 'm2-b', title: 'Amendement b', text: 'Siège à Nantes', proposer: 'M0004' })).json.id, 'm2-b',
      'amendment 2 to m2, with its id and title');
    eq((await vote('m2-am1', [2, 8, 1])).outcome, 'rejected', 'm2-am1 rejected');
    r = await api(srv, 'POST', `${base}/questions/m2/open`, {}, m.modToken);
    eq([r.status, r.json.error?.code], [409, 'amendment_pending'], 'm2 waits for its second amendment too');
    eq((await vote('m2-b', [3, 7, 1])).outcome, 'rejected', 'm2-b rejected');
    eq((await vote('m2', [8, 2, 1])).outcome, 'adopted', 'm2 voted as it was');
    const q2 = (await view()).questions.find((q) => q.id === 'm2');
    eq([q2.amended_by ?? null, q2.on_agenda ?? true], [null, true], 'm2: no amended_by, still on the agenda');
    // m3: one adopted, one rejected → amended by the adopted only.
    eq((await amend('m3', { text: 'Logo vert', proposer: 'M0005' })).status, 200, 'amendment 1 to m3');
    eq((await amend('m3', { text: 'Logo rouge', proposer: 'M0006' })).status, 200, 'amendment 2 to m3');
    eq((await vote('m3-am1', [2, 8, 1])).outcome, 'rejected', 'm3-am1 rejected');
    eq((await vote('m3-am2', [9, 1, 1])).outcome, 'adopted', 'm3-am2 adopted');
    eq((await vote('m3', [9, 1, 1])).outcome, 'adopted', 'm3 voted');
    eq((await view()).questions.find((q) => q.id === 'm3').amended_by, ['m3-am2'], 'm3 amended by the adopted one only');

    // --- the record ---
    const { lines, file, evs, ver } = t.record();
    eq(ver.status, 0, 'scrutin-verify accepts the record: ' + ver.stdout + ver.stderr);
    const op = (qid) => evs.find((e) => e.kind === 'question.opened' && e.payload.qid === qid).payload;
    eq([op('m1-am1').amends, op('m1-am1').amendment, op('m1-am1').on_agenda], ['m1', 'remplacer « 20 € » par « 25 € »', false],
      'the amendment in the record');
    eq([op('m1').amended_by, op('m1').on_agenda], [['m1-am1'], false], 'the motion as amended in the record');
    eq([op('m2').amended_by, op('m2').on_agenda], [undefined, true], 'the motion as it was in the record');
    // --- the minutes: each amendment with its motion, the motion as amended ---
    const pv = spawnSync('build/scrutin-minutes', [file], { encoding: 'utf8' });
    eq(pv.status, 0, 'scrutin-minutes writes the minutes: ' + pv.stderr);
    const item = (qid) => { const h = pv.stdout; const i = h.indexOf(`id="q-${qid}"`); return h.slice(i, h.indexOf('</section>', i)); };
    check(item('m1-am1').includes('<p class="amendment">Amendement à « Cotisation annuelle à 20 € » (m1) : « remplacer « 20 € » par « 25 € » ».</p>'),
      'the amendment with its motion and text in the minutes');
    check(/Amendement à « Cotisation annuelle à 20 € »[^]*adopt/.test(item('m1-am1')), 'and its result');
    check(item('m1').includes('<p class="amended">Motion mise aux voix telle qu\'amendée par : « Amendement à « Cotisation annuelle à 20 € » » (m1-am1), « remplacer « 20 € » par « 25 € » ».</p>'),
      'the motion « telle qu\'amendée » in the minutes: ' + (item('m1').match(/<p class="amended">[^\n]*/) || [''])[0]);
    check(item('m2').includes('<p class="amended">Amendement(s) rejeté(s) : motion mise aux voix telle qu\'elle a été proposée.</p>'),
      'a motion whose amendments were rejected, as it was');
    check(/telle qu'amendée par : [^\n]*\(m3-am2\)/.test(item('m3')) && !/m3-am1/.test(item('m3')), 'm3: the adopted amendment only');
    const rewrite = (what, f) => rewriteRecord({ data: t.data, meeting: 'amend-aimi', lines, file }, what, f);
    const first = (x) => (x.stdout + x.stderr).trim().split('\n')[0];
    let bad = rewrite('same', () => {});
    eq(bad.status, 0, 'a re-chained copy verifies: ' + first(bad));
    bad = rewrite('early', (e) => {
      // m1 opened right after its amendment opened, before its result.
      const k = e.findIndex((x) => x.kind === 'question.opened' && x.payload.qid === 'm1');
      const [line] = e.splice(k, 1);
      e.splice(e.findIndex((x) => x.kind === 'question.opened' && x.payload.qid === 'm1-am1') + 1, 0, line);
    });
    check(bad.status === 1 && /motion m1 opened before the result of its amendment m1-am1/.test(bad.stdout),
      'a motion opened before its amendment\'s result fails: ' + first(bad));
    bad = rewrite('rejected', (e) => { const p = e.find((x) => x.kind === 'question.opened' && x.payload.qid === 'm2').payload;
      p.amended_by = ['m2-am1']; p.on_agenda = false; });
    check(bad.status === 1 && /motion m2 amended by m2-am1, which was not adopted/.test(bad.stdout),
      'amended_by naming a rejected amendment fails: ' + first(bad));
    bad = rewrite('omitted', (e) => { const p = e.find((x) => x.kind === 'question.opened' && x.payload.qid === 'm3').payload;
      delete p.amended_by; });
    check(bad.status === 1 && /motion m3: amended_by names 0 amendments, 1 adopted/.test(bad.stdout),
      'an amended_by leaving out the adopted amendment fails: ' + first(bad));
    bad = rewrite('agenda', (e) => { e.find((x) => x.kind === 'question.opened' && x.payload.qid === 'm2-b').payload.on_agenda = true; });
    check(bad.status === 1 && /amendment m2-b is on the agenda/.test(bad.stdout), 'an amendment on the agenda fails: ' + first(bad));
  } finally {
    await srv.stop();
  }
}

// --- ANIMT's AG: the amended motion is an alternative (IV) ----------------
{
  const QUORUM = { counts: ['present', 'remote', 'represented'], fraction: '1/4', compare: 'at_least',
    rounding: 'none', second_convocation: 'none' };
  const t = await meeting('amend-animt', 'ballot-formats/profiles/animt.yaml', [mo('m1', 'Cotisation à 20 €'), mo('q9', 'Comptes')],
    { category: 'membre_de_droit', createArgs: ['--quorum', JSON.stringify(QUORUM)] });
  const { amend, refused, vote, view } = t;
  try {
    let r = await refused('m1', { text: '25 € au lieu de 20 €', proposer: 'M0002', supporters: 8 }, 403, 'amendment_supporters',
      '8 supporters: refused');
    check(/au moins 9 autres membres \(art\. IV\) : 8 indiqués/.test(r.json.error.detail ?? ''), `with « art. IV »: ${r.json.error.detail}`);
    r = await refused('m1', { text: '25 € au lieu de 20 €', proposer: 'M0002' }, 403, 'amendment_supporters', 'no supporters given: refused');
    check(/art\. IV/.test(r.json.error.detail ?? ''), `with « art. IV »: ${r.json.error.detail}`);
    r = await amend('m1', { text: '25 € au lieu de 20 €', proposer: 'M0002', supporters: 9 });
    eq(r.status, 200, `9 supporters: accepted (${r.text})`);
    eq([r.json.id, r.json.amends, r.json.alternatives, r.json.on_agenda, r.json.supporters, r.json.title],
      ['m1-am1', 'm1', 'm1', false, 9, 'Cotisation à 20 € (amendée)'], 'the amended motion, an alternative of m1 added on the day');
    eq((await view()).questions.find((q) => q.id === 'm1').alternatives, 'm1', 'm1 joined the group');
    eq((await vote('m1', [5, 4, 2])).outcome, 'adopted', 'the original adopted');
    eq((await vote('m1-am1', [7, 3, 1])).outcome, 'adopted', 'the amended motion adopted');
    const alts = (await view()).alternatives;
    eq(alts.map((g) => [g.group, g.questions, g.outcome, g.winner]), [['m1', ['m1', 'm1-am1'], 'winner', 'm1-am1']],
      'the amended motion wins with more pour (IV)');
    const { lines, file, evs, ver } = t.record();
    eq(ver.status, 0, 'scrutin-verify accepts the record: ' + ver.stdout + ver.stderr);
    const am = evs.find((e) => e.kind === 'question.opened' && e.payload.qid === 'm1-am1').payload;
    eq([am.amends, am.supporters, am.alternatives, am.on_agenda], ['m1', 9, 'm1', false], 'in the record');
    const pv = spawnSync('build/scrutin-minutes', [file], { encoding: 'utf8' });
    check(pv.status === 0 && pv.stdout.includes('<p class="amendment">Motion telle qu\'amendée, alternative à « Cotisation à 20 € » (m1) : « 25 € au lieu de 20 € ».</p>'),
      'the minutes: the amended motion, an alternative of the original');
    const rewrite = (what, f) => rewriteRecord({ data: t.data, meeting: 'amend-animt', lines, file }, what, f);
    let bad = rewrite('eight', (e) => { e.find((x) => x.kind === 'question.opened' && x.payload.qid === 'm1-am1').payload.supporters = 8; });
    check(bad.status === 1 && /amendment m1-am1: the statutes engine refuses: .*art\. IV/.test(bad.stdout),
      'a record with 8 supporters fails: ' + bad.stdout.split('\n')[0]);
    bad = rewrite('amended', (e) => { e.find((x) => x.kind === 'question.opened' && x.payload.qid === 'm1').payload.amended_by = ['m1-am1']; });
    check(bad.status === 1 && /amended_by, which the statutes do not provide for/.test(bad.stdout),
      'amended_by under ANIMT fails: ' + bad.stdout.split('\n')[0]);
  } finally {
    await t.srv.stop();
  }
}
done('amendment');
