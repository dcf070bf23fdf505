// desk.mjs — the desk (accueil) and paper proxies on the real server
// (HTTPS on loopback):
//  - ANIMT's AG (art. V: paper and digital proxies): the desk, with its
//    own link (`scrutin meeting desk-link`), enters a paper proxy by
//    member numbers (POST proxies/paper, the server signs S_paper); the
//    operator enters another with `scrutin proxy paper`; the moderator's
//    token, a member's (none) or a revoked desk token cannot enter one;
//    bad input (unknown number, oneself, a second proxy, an unknown key)
//    is refused with nothing written;
//  - the holder votes for each paper mandate on a show of hands; the
//    exported record verifies and scrutin-verify counts the two proxies
//    as paper, entered by the desk;
//  - the server's minutes list them « papier (saisie par l'accueil) » and
//    count both channels; scrutin-minutes writes the same but for names;
//  - Espace+'s AG (art. 4: digital only) refuses a paper proxy with the
//    article, from the desk and from the CLI.
//   node tests/server/desk.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli, request, pvWithoutNames } from './lib.mjs';
import { C, S, api, attend, ceremony, enrolMeeting, makeRoll, hex, MEETING_DATE, exportAndVerify, openStatement } from './meeting-lib.mjs';

const data = tmpDir('desk');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const N = 6;
run(['roll', 'import', makeRoll(data, N, 'membre_de_droit')]);
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Motion à main levée', kind: 'motion', rule: 'ordinary', secret: false }] }));
const id = 'ag-desk';
run(['meeting', 'create', '--id', id, '--title', 'AG ANIMT', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ag', '--agenda', agenda, '--trustees', '2', '--threshold', '2',
  '--quorum', JSON.stringify({ counts: ['present', 'remote', 'represented'], fraction: '1/4', compare: 'at_least',
    rounding: 'none', second_convocation: 'none' })]);
run(['meeting', 'convene', id]);
const m = enrolMeeting(data, id, N, 2);
const { voters: V, modToken } = m;
const deskToken = (mid) => {
  const link = run(['meeting', 'desk-link', mid, '--host', 'scrutin.local']).trim();
  check(link.startsWith(`https://scrutin.local/d/#${mid}.`), `the desk's link (${link.slice(0, 40)}…)`);
  return link.split('#')[1].split('.')[1];
};
const oldDesk = deskToken(id);
const desk = deskToken(id);		// a new link revokes the previous one
const base = `/api/v1/meetings/${id}`;
const events = (mid) => +sqlite(path.join(data, 'roll.db'),
  `SELECT count(*) FROM events WHERE meeting = '${mid}' AND kind IN ('proxy', 'proxy.withdrawn')`);
const [H, G1, G2] = V;			// G1 and G2 give paper proxies to H

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
let minutes = '';			// the server's, once the AG ended
try {
  const paper = (body, token, mid = id) => api(srv, 'POST', `/api/v1/meetings/${mid}/proxies/paper`, body, token);
  const refused = async (body, token, status, code, what, field) => {
    const n0 = events(id);
    const r = await paper(body, token);
    eq([r.status, r.json.error?.code], [status, code], what);
    if (field) eq(r.json.error?.field, field, `${what}: names ${field}`);
    check(r.json.error?.fr && r.json.error?.en, `${what}: French and English (${r.json.error?.fr})`);
    eq(events(id), n0, `${what}: nothing written`);
  };
  // Who may enter one: the desk only.
  await refused({ giver: G1.no, holder: H.no }, modToken, 401, 'unauthorized', 'the moderator\'s token cannot enter a paper proxy');
  await refused({ giver: G1.no, holder: H.no }, undefined, 401, 'unauthorized', 'a member (no token) cannot enter a paper proxy');
  await refused({ giver: G1.no, holder: H.no }, oldDesk, 401, 'unauthorized', 'a revoked desk token cannot');
  // Bad input.
  await refused({ giver: 'M9999', holder: H.no }, desk, 404, 'member_unknown', 'an unknown giver number refused', 'giver');
  await refused({ giver: G1.no, holder: 'M9999' }, desk, 404, 'member_unknown', 'an unknown holder number refused', 'holder');
  await refused({ giver: G1.no, holder: G1.no }, desk, 400, 'proxy_self', 'a proxy to oneself refused');
  await refused({ giver: G1.no, holder: H.no, channel: 'paper' }, desk, 400, 'unknown_field', 'an unknown key refused');
  await refused({ giver: G1.no }, desk, 400, 'missing_field', 'a missing holder refused');

  // The desk enters G1's paper proxy; the operator G2's with the CLI.
  let r = await paper({ giver: G1.no, holder: H.no }, desk);
  eq([r.status, r.json.proxy, r.json.channel], [200, 'given', 'paper'], `the desk enters ${G1.no}'s paper proxy to ${H.no}`);
  await refused({ giver: G1.no, holder: V[3].no }, desk, 409, 'proxy_exists', 'a second proxy for the same giver refused');
  const c = cli(['proxy', 'paper', '--meeting', id, '--giver', G2.no, '--holder', H.no, '--data', data]);
  eq([c.status, JSON.parse(c.stdout).channel], [0, 'paper'], `scrutin proxy paper enters ${G2.no}'s`);
  const bad = cli(['proxy', 'paper', '--meeting', id, '--giver', 'M9999', '--holder', H.no, '--data', data]);
  check(bad.status === 1 && /numéro de membre inconnu/.test(bad.stderr), `the CLI's refusal in French (${bad.stderr.trim()})`);
  eq(events(id), 2, 'two proxy events written');
  // The desk's view: the roll by number and name, the conditions, the paper proxies.
  eq((await api(srv, 'GET', `${base}/desk`, undefined, modToken)).status, 401, 'the moderator cannot read the desk\'s view');
  const dv = await api(srv, 'GET', `${base}/desk`, undefined, desk);
  eq([dv.status, dv.json.members.length, dv.json.conditions.article, dv.json.title], [200, N, 'V', 'AG ANIMT'], 'the desk reads the roll and the conditions');
  check(dv.json.members.every((x) => Object.keys(x).join() === 'no,name'), 'the roll by number and name only');
  eq(dv.json.paper.map((x) => [x.giver, x.holder, x.withdrawn]), [[G1.no, H.no, false], [G2.no, H.no, false]], 'the paper proxies entered, in order');

  // The holder votes for each paper mandate.
  await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'AG started');
  eq((await api(srv, 'POST', `${base}/attendance`, attend(m, H, 'check-in', 'present'))).status, 200, `${H.no} present`);
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, modToken)).status, 200, 'q1 opened');
  const me = (await api(srv, 'GET', `${base}/voters/${hex(H.pk)}`)).json;
  eq(me.mandates.slice(1).map((x) => x.questions.q1?.accepted), [true, true], 'both paper mandates stand at the opening');
  const vote = (voice, sel) => {
    const st = openStatement(id, { n: 3 }, 'q1', voice.pk, H.pk, sel);
    return api(srv, 'POST', `${base}/ballots`, { question: 'q1', selection: sel, voice: hex(voice.pk), signer: hex(H.pk),
      sig: hex(S.crypto_sign_detached(st, H.sk)) });
  };
  eq((await vote(H, [1, 0, 0])).status, 200, 'the holder\'s own ballot');
  eq((await vote(G1, [0, 1, 0])).status, 200, `the holder votes for ${G1.no} (paper)`);
  eq((await vote(G2, [0, 1, 0])).status, 200, `the holder votes for ${G2.no} (paper)`);
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, modToken)).json.status, 'closed', 'q1 closed');
  eq((await api(srv, 'GET', `${base}/questions/q1/result`)).json.counts, [1, 2, 0], 'the paper mandates counted');

  // The minutes list the desk's proxies apart.
  eq((await api(srv, 'POST', `${base}/end`, {}, modToken)).status, 200, 'AG ended');
  const pv = await request(srv, 'GET', `${base}/minutes`);
  eq(pv.status, 200, 'the minutes');
  minutes = pv.text;
  const sect = (minutes.match(/<section class="item" id="procurations">[\s\S]*?<\/section>/) || [''])[0];
  check(sect.includes('Procurations données : 2, dont 0 par voie numérique (signées par le mandant sur l\'appareil de vote) et 2 sur papier'),
    'the minutes count the proxies by channel: 0 digital, 2 paper');
  const name = (v) => `Prénom${+v.no.slice(1)} Nom${+v.no.slice(1)}`;	// makeRoll's
  const row = (g) => `<tr><td>${name(g)}</td><td>${name(H)}</td><td>papier (saisie par l'accueil)</td>`;
  check(sect.includes(row(G1)) && sect.includes(row(G2)) && !sect.includes('<td>numérique</td>'),
    'each of the desk\'s proxies is « papier (saisie par l\'accueil) », none « numérique »');

} finally {
  await srv.stop();
}
// Espace+ AG: digital only (art. 4), on its own appliance (its roll's
// categories are Espace+'s).
const edata = tmpDir('desk-espace');
const erun = (args) => {
  const r = cli([...args, '--data', edata]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
erun(['roll', 'import', makeRoll(edata, 2, 'individuel')]);
const eid = 'ag-espace';
erun(['meeting', 'create', '--id', eid, '--title', 'AG Espace+', '--date', MEETING_DATE, '--time', '18:00',
  '--profile', 'ballot-formats/profiles/espace-plus.yaml', '--body', 'ag', '--trustees', '2', '--threshold', '2',
  '--quorum', JSON.stringify({ counts: ['present', 'represented'], fraction: '1/4', compare: 'at_least', rounding: 'floor', second_convocation: 'none' })]);
erun(['meeting', 'convene', eid]);
enrolMeeting(edata, eid, 2, 2);
const etok = erun(['meeting', 'desk-link', eid, '--host', 'scrutin.local']).trim().split('#')[1].split('.')[1];
const esrv = await startServer({ data: edata });
try {
  const r = await api(esrv, 'POST', `/api/v1/meetings/${eid}/proxies/paper`, { giver: 'M0002', holder: 'M0001' }, etok);
  eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'proxy_paper_channel', '4'], 'Espace+ AG: a paper proxy refused');
  check(/^seules les procurations numériques sont admises.*\(art\. 4\)$/.test(r.json.error?.fr), `with the article (${r.json.error?.fr})`);
} finally {
  await esrv.stop();
}
const ce = cli(['proxy', 'paper', '--meeting', eid, '--giver', 'M0002', '--holder', 'M0001', '--data', edata]);
check(ce.status === 1 && /seules les procurations numériques/.test(ce.stderr), `and from the CLI (${ce.stderr.trim()})`);
eq(+sqlite(path.join(edata, 'roll.db'), `SELECT count(*) FROM events WHERE kind = 'proxy'`), 0, 'Espace+: nothing written');

const ver = exportAndVerify(data, id);
eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
check(/^2 procurations papier saisies par l'accueil$/m.test(ver.out) && /^0 procurations numériques signées par les membres$/m.test(ver.out),
  'scrutin-verify names them paper, entered by the desk');
const rec = cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
eq(rec.filter((e) => e.kind === 'proxy' && e.payload.channel === 'paper').length, 2, 'two paper proxy events in the record');
const cliPv = spawnSync('build/scrutin-minutes', [path.join(data, 'record.jsonl')], { encoding: 'utf8' });
eq(cliPv.status, 0, 'scrutin-minutes');
check(/<td>papier \(saisie par l'accueil\)<\/td>/.test(cliPv.stdout), 'scrutin-minutes: papier too');
eq(pvWithoutNames(cliPv.stdout), pvWithoutNames(minutes), 'the same minutes but for the names');
done('desk');
