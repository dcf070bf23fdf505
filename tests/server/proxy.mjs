// proxy.mjs — digital proxies on the real server (HTTPS on loopback),
// ANIMT's AG (art. V: 4 proxies besides one's own voice, holder present):
//  - a member gives a proxy (POST proxies, S_proxy signed by the giver's
//    credential) to a member picked from the roll (POST proxies/holders,
//    the names and keys of the roll's voters, and the statutes'
//    conditions); each bad input is refused with its message and nothing
//    is written: a statement signed by another key (the server cannot
//    give a proxy for a member), a second proxy, a proxy to oneself, an
//    unknown holder, a stale time, a withdrawal with none, after the end;
//  - one holder with 5 proxies: at each question's opening the engine
//    accepts 4 and refuses the 5th (over_cap, art. V), shown in GET
//    voters/{pk}; the holder casts 5 ballots (own + 4) on a secret motion
//    and on a show of hands, the 5th mandate's ballot is refused 403 with
//    the article; GET voters/{pk} gives each mandate's receipts once
//    voted (the holder's phone shows which have voted); the giver cannot vote himself while his mandate stands;
//    a withdrawn proxy's ballot is refused;
//  - the counts include the mandates, and the exported record verifies;
//  - the minutes' « Procurations »: each proxy giver → holder, channel,
//    counted or refused (why, art. V) at each opening, the withdrawn one;
//    the attendance annex says the proxy refused at every question was
//    not counted; scrutin-minutes writes the same but for the names.
//   node tests/server/proxy.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { check, eq, done, startServer, tmpDir, sqlite, cli, request, pvWithoutNames } from './lib.mjs';
import { C, S, api, attend, ceremony, decrypt, enrolMeeting, hex, now, MEETING_DATE, exportAndVerify, secretBallot, openStatement, animtAg } from './meeting-lib.mjs';

const data = tmpDir('proxy');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const N = 12;
const lines = ['numéro;nom;prénom;catégorie;cotisation'];
for (let i = 1; i <= N; i++) lines.push(`M${String(i).padStart(4, '0')};Nom${i};Prénom${i};membre_de_droit;${paid}`);
fs.writeFileSync(path.join(data, 'roll.csv'), lines.join('\n') + '\n');
run(['roll', 'import', path.join(data, 'roll.csv')]);
const id = 'ag-proxy';
const m = animtAg(run, data, id, N);
const { voters: V, modToken } = m;
const base = `/api/v1/meetings/${id}`;
const le64 = (n) => C.le64(n);
const sig = (kind, fields, sk) => hex(C.signStatement(kind, fields, sk).sig);
// S_proxy / S_withdraw (docs/record.md §5), signed by `by` (the giver).
const proxy = (action, giver, holderPk, { by = giver, ts = now() } = {}) => ({ action, giver: hex(giver.pk),
  holder: hex(holderPk), ts, sig: sig(action === 'give' ? 'proxy' : 'proxy-withdraw', [id, giver.pk, holderPk, le64(ts)], by.sk) });
const proxyEvents = () => +sqlite(path.join(data, 'roll.db'),
  `SELECT count(*) FROM events WHERE meeting = '${id}' AND kind IN ('proxy', 'proxy.withdrawn')`);
const H = V[0];				// the holder
const givers = V.slice(1, 6);		// M0002…M0006, absent
const [W, W2] = [V[6], V[7]];		// W gives to W2, then withdraws

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  const post = (p, body) => api(srv, 'POST', `${base}${p}`, body);
  const refused = async (body, status, code, what) => {
    const n0 = proxyEvents();
    const r = await post('/proxies', body);
    eq([r.status, r.json.error?.code], [status, code], what);
    check(r.json.error?.fr && r.json.error?.en, `${what}: French and English (${r.json.error?.fr})`);
    eq(proxyEvents(), n0, `${what}: nothing written`);
    return r;
  };

  // Whom a member may name: the roll's voters by name, without oneself,
  // and the statutes' conditions (the cap and its article).
  let ts = now();
  const hl = await post('/proxies/holders', { pk: hex(givers[0].pk), ts, sig: sig('proxy-holders', [id, givers[0].pk, le64(ts)], givers[0].sk) });
  eq(hl.status, 200, 'holders listed for a member');
  eq(hl.json.holders.length, N - 1, 'every other voter of the roll');
  check(hl.json.holders.some((x) => x.name === 'Nom1 Prénom1' && x.pk === hex(H.pk)), 'the holder by name with his key');
  check(!hl.json.holders.some((x) => x.pk === hex(givers[0].pk)), 'not oneself');
  eq([hl.json.conditions.cap, hl.json.conditions.article, hl.json.conditions.holder_present], [4, 'V', true], 'ANIMT art. V: 4, holder present');
  ts = now();
  eq((await post('/proxies/holders', { pk: hex(givers[0].pk), ts, sig: sig('proxy-holders', [id, givers[0].pk, le64(ts)], H.sk) })).status, 403,
    'holders: a request signed by another key refused');

  // Bad inputs, before any proxy.
  await refused(proxy('give', givers[0], H.pk, { by: H }), 403, 'bad_signature', 'a proxy signed by another key (the holder\'s) refused');
  await refused(proxy('give', givers[0], givers[0].pk), 400, 'proxy_self', 'a proxy to oneself refused');
  await refused(proxy('give', givers[0], S.crypto_sign_keypair().publicKey), 404, 'holder_unknown', 'an unknown holder refused');
  await refused(proxy('give', givers[0], H.pk, { ts: now() - 3600 }), 400, 'stale_timestamp', 'a stale time refused');
  await refused(proxy('withdraw', givers[0], H.pk), 409, 'proxy_none', 'a withdrawal with no proxy refused');

  // Five proxies to H, in order; W's to W2, withdrawn.
  for (const g of givers)
    eq((await post('/proxies', proxy('give', g, H.pk))).json.proxy, 'given', `${g.no} gives a proxy to ${H.no}`);
  await refused(proxy('give', givers[0], V[8].pk), 409, 'proxy_exists', 'a second proxy refused');
  eq((await post('/proxies', proxy('give', W, W2.pk))).status, 200, `${W.no} gives to ${W2.no}`);
  eq((await post('/proxies', proxy('withdraw', W, W2.pk))).json.proxy, 'withdrawn', `${W.no} withdraws`);
  await refused(proxy('withdraw', W, W2.pk), 409, 'proxy_none', 'a second withdrawal refused');
  eq(proxyEvents(), 7, '7 proxy events written');

  const cer = await ceremony(srv, m);
  eq((await api(srv, 'POST', `${base}/start`, {}, modToken)).status, 200, 'AG started');
  for (const v of [H, W, W2, V[8], V[9]])
    eq((await post('/attendance', attend(m, v, 'check-in', 'present'))).status, 200, `${v.no} present`);

  const view = async () => (await api(srv, 'GET', base)).json;
  const ballot = async (qid, voice, signer, sel) => {
    const q = (await view()).questions.find((x) => x.id === qid);
    let b;
    if (q.secret) {
      b = secretBallot(cer, q, qid, voice, sel, signer);
    } else {
      const st = openStatement(id, q, qid, voice.pk, signer.pk, sel);
      b = { question: qid, selection: sel, voice: hex(voice.pk), signer: hex(signer.pk), sig: hex(S.crypto_sign_detached(st, signer.sk)) };
    }
    return post('/ballots', b);
  };

  const totals = {};
  for (const qid of ['q1', 'q2']) {
    eq((await api(srv, 'POST', `${base}/questions/${qid}/open`, {}, modToken)).status, 200, `${qid} opened`);
    // The mandates' standing at the opening, as the holder's phone reads it.
    const me = (await api(srv, 'GET', `${base}/voters/${hex(H.pk)}`)).json;
    eq(me.mandates.length, 6, `${qid}: the holder's own voice and 5 mandates`);
    eq(me.mandates.slice(1).map((x) => x.questions[qid]?.accepted), [true, true, true, true, false],
      `${qid}: 4 proxies stand, the 5th is refused`);
    eq([me.mandates[5].questions[qid].reason, me.mandates[5].questions[qid].article, me.mandates[5].name],
      ['over_cap', 'V', 'Nom6 Prénom6'], `${qid}: the 5th over the cap (art. V), named`);
    // H votes: his own voice pour, then 4 mandates contre.
    let r = await ballot(qid, H, H, [1, 0, 0]);
    eq(r.status, 200, `${qid}: the holder's own ballot`);
    const receipts = new Set([r.json.receipt]);
    const own = r.json.receipt, byMandate = [];
    // Before the holder votes for them, no mandate has a receipt.
    eq((await api(srv, 'GET', `${base}/voters/${hex(H.pk)}`)).json.mandates.slice(1).map((x) => x.voted?.[qid] ?? null),
      [null, null, null, null, null], `${qid}: no mandate voted yet in GET voters`);
    for (const g of givers.slice(0, 3)) {
      r = await ballot(qid, g, H, [0, 1, 0]);
      eq(r.status, 200, `${qid}: the holder votes for ${g.no}`);
      receipts.add(r.json.receipt);
      byMandate.push(r.json.receipt);
    }
    // The holder's phone (or another of his) reads which mandates have
    // voted: the 3 voted with their receipts, the 4th not yet, the 5th
    // (refused) not; his own voice's receipt at the top.
    const after = (await api(srv, 'GET', `${base}/voters/${hex(H.pk)}`)).json;
    eq(after.mandates.slice(1).map((x) => x.voted?.[qid] ?? null), [...byMandate, null, null],
      `${qid}: GET voters gives each voted mandate's receipt, none for the others`);
    eq([after.voted[qid], after.mandates[0].voted], [own, undefined], `${qid}: the own voice's receipt at the top, as before`);
    r = await ballot(qid, givers[3], H, [0, 1, 0]);
    eq(r.status, 200, `${qid}: the holder votes for ${givers[3].no}`);
    receipts.add(r.json.receipt);
    eq((await api(srv, 'GET', `${base}/voters/${hex(H.pk)}`)).json.mandates[4].voted?.[qid], r.json.receipt,
      `${qid}: the 4th mandate's receipt once voted`);
    eq(receipts.size, 5, `${qid}: 5 distinct receipts`);
    r = await ballot(qid, givers[4], H, [0, 1, 0]);
    eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'proxy_over_cap', 'V'], `${qid}: the 5th mandate's ballot refused (art. V)`);
    check(/procuration refusée/.test(r.json.error.fr) && /art\. V/.test(r.json.error.fr), `${qid}: the French says why (${r.json.error.fr})`);
    r = await ballot(qid, givers[4], givers[4], [0, 0, 1]);
    eq(r.status, 403, `${qid}: ${givers[4].no} is absent: his own ballot refused too (${r.json.error?.code})`);
    r = await ballot(qid, givers[0], givers[0], [0, 0, 1]);
    eq([r.status, r.json.error?.code], [403, 'represented'], `${qid}: a giver cannot vote while his mandate stands`);
    r = await ballot(qid, W, W2, [1, 0, 0]);
    eq([r.status, r.json.error?.code], [403, 'no_proxy'], `${qid}: a withdrawn proxy's ballot refused`);
    r = await ballot(qid, givers[0], V[8], [1, 0, 0]);
    eq([r.status, r.json.error?.code], [403, 'no_proxy'], `${qid}: a ballot for a voice that gave no proxy to the signer refused`);
    eq((await ballot(qid, W, W, [0, 0, 1])).status, 200, `${qid}: ${W.no} votes himself`);
    eq((await api(srv, 'POST', `${base}/questions/${qid}/close`, {}, modToken)).json.status, 'closed', `${qid} closed`);
    if (qid === 'q1') await decrypt(srv, m, cer, qid);
    const res = (await api(srv, 'GET', `${base}/questions/${qid}/result`)).json;
    totals[qid] = [res.ballots, res.counts];
  }
  eq(totals.q1, [6, [1, 4, 1]], 'secret motion: the 4 mandates counted (1 pour, 4 contre, 1 abstention)');
  eq(totals.q2, [6, [1, 4, 1]], 'show of hands: the same');

  eq((await api(srv, 'POST', `${base}/end`, {}, modToken)).status, 200, 'AG ended');
  await refused(proxy('give', V[9], H.pk), 409, 'wrong_phase', 'a proxy after the end refused');
  await refused(proxy('withdraw', givers[0], H.pk), 409, 'wrong_phase', 'a withdrawal after the end refused');

  const ver = exportAndVerify(data, id);
  eq([ver.exported, ver.status], [0, 0], `the record verifies (${ver.out.trim().split('\n').pop()})`);
  const rec = cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  eq(rec.filter((e) => e.kind === 'proxy').length, 6, 'six proxy events in the record');
  eq(rec.filter((e) => e.kind === 'proxy.withdrawn').length, 1, 'one withdrawal in the record');

  // The minutes: « Procurations », with the roll's names (Prénom Nom).
  const pv = await request(srv, 'GET', `${base}/minutes`);
  eq(pv.status, 200, 'the minutes');
  const text = pv.text;
  const sect = (text.match(/<section class="item" id="procurations">[\s\S]*?<\/section>/) || [''])[0];
  check(sect.includes('<h3>Procurations</h3>') && sect.includes('Procurations données : 6, dont 6 par voie numérique (signées par le mandant sur l\'appareil de vote) et 0 sur papier') &&
    sect.includes('Les statuts (art. V) décident'), 'the minutes have « Procurations »: 6 given, digital, art. V');
  const open2 = '« Motion secrète » (q1) : comptée<br>« Motion à main levée » (q2) : comptée.';
  check(sect.includes(`<tr><td>Prénom2 Nom2</td><td>Prénom1 Nom1</td><td>numérique</td><td>${open2}</td></tr>`),
    'a proxy counted at both openings, giver → holder by name, numérique');
  const cap = 'refusée : le mandataire détenait déjà le nombre maximal de procurations (art. V)';
  check(sect.includes(`<tr><td>Prénom6 Nom6</td><td>Prénom1 Nom1</td><td>numérique</td><td>« Motion secrète » (q1) : ${cap}<br>` +
    `« Motion à main levée » (q2) : ${cap}.</td></tr>`), 'the 5th refused at each opening, why and art. V');
  check(sect.includes('<tr><td>Prénom7 Nom7</td><td>Prénom8 Nom8</td><td>numérique</td><td>en vigueur à l\'ouverture d\'aucun vote ;' +
    ' retirée par le mandant.</td></tr>'), 'the withdrawn proxy: in force at no opening, withdrawn');
  check(text.includes('<tr><td>Prénom6 Nom6</td><td>absent(e), procuration non comptée</td><td>Prénom1 Nom1</td></tr>') &&
    text.includes('<tr><td>Prénom2 Nom2</td><td>représenté(e)</td><td>Prénom1 Nom1</td></tr>'),
    'the attendance annex: represented when counted, not when refused at every question');
  check(text.includes('représentés : 4 ; absents non représentés : 3 ;'), 'the annex counts 4 represented, 3 absent');
  const recFile = path.join(data, 'record.jsonl');
  const cliPv = spawnSync('build/scrutin-minutes', [recFile]);
  eq(cliPv.status, 0, 'scrutin-minutes');
  const cliText = cliPv.stdout.toString('utf8');
  check(cliText.includes('<h3>Procurations</h3>') && !cliText.includes('Prénom6 Nom6') && /<td>membre <code>[0-9a-f]{16}<\/code><\/td><td>absent\(e\), procuration non comptée/.test(cliText),
    'scrutin-minutes: the proxies with pseudonyms');
  eq(pvWithoutNames(cliText), pvWithoutNames(text), 'the same minutes but for the names');
} finally {
  await srv.stop();
}
done('proxy');
