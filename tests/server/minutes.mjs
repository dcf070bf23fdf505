// minutes.mjs — the procès-verbal signed from the scrutineers' consoles
// (docs/record.md §8, docs/api.md "Minutes"): the server renders the
// minutes from the meeting's current record only once every question
// opened is counted, both scrutineers sign T("minutes", head,
// SHA-256(html)) with their identity keys through the API (the browser's
// crypto module), the collected lines verify with `scrutin-verify
// --minutes --signatures`, the same bytes as `scrutin-minutes`; a
// tampered minutes file or signature is refused, and so is every bad
// request (each records nothing). The minutes name the body and each
// question's rule by their labels and articles, never their ids.
import { check, eq, done, startServer, tmpDir, sqlite, cli, request, pvWithoutNames } from './lib.mjs';
import { C, api, ceremony, decrypt, secretBallot, openBallot, attend, setupMeeting, hex, unhex } from './meeting-lib.mjs';
import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';

const data = tmpDir('minutes');
const m = setupMeeting(data, { members: 12, agenda: { questions: [
  { id: 'q1', title: 'Motion secrète', kind: 'motion', rule: 'ordinary', secret: true },
  { id: 'q2', title: 'Motion à main levée', kind: 'motion', rule: 'ordinary', secret: false },
  { id: 'q3', title: 'Jamais ouverte', kind: 'motion', rule: 'ordinary', secret: true },
] }, createArgs: ['--association', 'Les Amis du Parc', '--place', 'Salle Jean Moulin, Lyon', '--time', '14:30',
  '--president', 'Pierre Thomas', '--secretary', 'Marie Curie'],
scrutineers: ['Jeanne Martin', 'Paul Durand'] });
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const base = `/api/v1/meetings/${m.id}`;
const evCount = () => +sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM events');
const sha = (b) => new Uint8Array(crypto.createHash('sha256').update(b).digest());
const signMinutes = (t, head, html) => hex(C.signStatement('minutes', [unhex(head), sha(html)], t.id.privateKey).sig);

try {
  const cer = await ceremony(srv, m);
  const v = m.voters;
  eq((await api(srv, 'GET', `${base}/minutes`)).json.error.code, 'wrong_phase', 'no minutes before the meeting');
  eq((await api(srv, 'POST', `${base}/start`, {}, m.modToken)).json.status, 'live', 'start');
  for (let i = 0; i < 12; i++) eq((await api(srv, 'POST', `${base}/attendance`, attend(m, v[i], 'check-in', 'present'))).status, 200, `check-in ${i}`);
  let r = await api(srv, 'GET', base);
  const q1 = r.json.questions.find((q) => q.id === 'q1');
  eq((await api(srv, 'POST', `${base}/questions/q1/open`, {}, m.modToken)).json.status, 'open', 'open q1');
  for (let i = 0; i < 10; i++) {
    const sel = [0, 0, 0]; sel[i % 3] = 1;
    eq((await api(srv, 'POST', `${base}/ballots`, secretBallot(cer, q1, 'q1', v[i], sel))).status, 200, `ballot ${i}`);
  }
  eq((await api(srv, 'GET', `${base}/minutes`)).json.error.code, 'wrong_phase', 'no minutes while a question is open');
  eq((await api(srv, 'POST', `${base}/questions/q1/close`, {}, m.modToken)).json.status, 'closed', 'close q1');
  eq((await api(srv, 'GET', `${base}/minutes/signatures`)).json.error.code, 'wrong_phase', 'no minutes before the count');
  await decrypt(srv, m, cer, 'q1');
  const q2 = (await api(srv, 'GET', base)).json.questions.find((q) => q.id === 'q2');
  eq((await api(srv, 'POST', `${base}/questions/q2/open`, {}, m.modToken)).json.status, 'open', 'open q2');
  for (let i = 0; i < 5; i++) eq((await api(srv, 'POST', `${base}/ballots`, openBallot(m, q2, 'q2', v[i], [1, 0, 0]))).status, 200, `open ballot ${i}`);
  eq((await api(srv, 'POST', `${base}/questions/q2/close`, {}, m.modToken)).json.status, 'closed', 'close q2 (counted at once)');
  eq((await api(srv, 'POST', `${base}/end`, {}, m.modToken)).json.status, 'closed', 'end (q3 never opened)');

  // --- the minutes, served as a sandboxed document ---
  r = await request(srv, 'GET', `${base}/minutes`);
  eq(r.status, 200, 'minutes once every question opened is counted');
  eq(r.headers['content-type'], 'text/html; charset=utf-8', 'HTML');
  check(/sandbox/.test(r.headers['content-security-policy']) && !/script-src/.test(r.headers['content-security-policy']),
    'served under a sandboxed policy without script: ' + r.headers['content-security-policy']);
  const head = r.headers['x-scrutin-head'];
  check(/^[0-9a-f]{64}$/.test(head), 'the record head in X-Scrutin-Head');
  const html = Buffer.from(r.body ?? r.text, 'utf8');
  check(html.includes(head), 'the minutes cite the head');
  const text = html.toString('utf8');
  check(text.includes('Motion secrète') && text.includes('Motion à main levée'), 'every counted question in the minutes');
  // A PV an association can file (issue 20 §2).
  const body = text.slice(0, text.indexOf('id="annexe-verification"'));
  check(body.length > 0 && text.includes('<h1>Les Amis du Parc</h1>'), 'the association');
  check(/Assemblée générale ordinaire<\/b> — réunion du [a-z]+ \d+(er)? [a-zéû]+ \d{4}, convoquée pour 14 h 30, à Salle Jean Moulin, Lyon\./.test(text),
    'the kind of meeting, the date in French, the time and the place');
  check(!/\d{4}-\d\d-\d\d/.test(body), 'no ISO date in the body');
  check(/La séance est ouverte à \d\d h \d\d\./.test(text) && /la séance est levée à \d\d h \d\d\./.test(text), 'opening and closing times');
  check(text.includes('Présidence de séance : Pierre Thomas.') && text.includes('Secrétaire de séance : Marie Curie.'), 'président and secrétaire');
  check(text.includes('Scrutateurs : Jeanne Martin et Paul Durand'), "the scrutineers' names: " + text.match(/Scrutateurs : [^(]*/));
  check(text.includes('Scrutateurs : Jeanne Martin et Paul Durand (clé partagée entre 2 scrutateurs, 2 nécessaires pour déchiffrer).'),
    'the threshold: ' + text.match(/Scrutateurs : [^<]*/));
  check(/<h3>3\. Jamais ouverte<\/h3>\n<p class="not-voted"><b>Non mis aux voix\.<\/b>/.test(text), 'the item never opened: non mis aux voix');
  check(text.includes('Annexe 1 — Liste d\'émargement') && text.includes('<tr><td>Prénom1 Nom1</td><td>présent(e)</td>'),
    'the attendance annex names the members (Prénom Nom)');
  check(!body.includes('instance <') && !body.includes('SHA-256') && !body.includes('scrutin-minutes sign') && !body.includes('justificatifs'),
    'no technical text in the body');
  check(text.includes('Le ou la secrétaire de séance<br>Marie Curie'), 'signature lines');
  check(text.includes('<p class="rule">Motion à la majorité simple (art. 9).</p>') && !/\bordinary\b/.test(text) && !/<b>ag<\/b>/.test(text),
    'each rule by its label and article, never its id');
  const again = await request(srv, 'GET', `${base}/minutes`);
  eq([again.headers['x-scrutin-head'], again.text], [head, html.toString('utf8')], 'the same minutes for the same record');

  // The same bytes as scrutin-minutes over the exported record.
  const rec = cli(['record', 'export', m.id, '--data', data]);
  eq(rec.status, 0, 'record export');
  const recFile = path.join(data, 'record.jsonl');
  fs.writeFileSync(recFile, rec.stdout);
  // The public record holds no member's name: scrutin-minutes writes
  // the same minutes with pseudonyms where the server writes the roll's
  // names (docs/record.md §8).
  const cliPv = spawnSync('build/scrutin-minutes', [recFile]);
  eq(cliPv.status, 0, 'scrutin-minutes');
  const cliText = cliPv.stdout.toString('utf8');
  check(cliText.includes(head) && cliText.includes('Présidence de séance : Pierre Thomas.') &&
    !cliText.includes('Prénom1 Nom1') && cliText.includes('Scrutateurs : Scrutateur 1 et Scrutateur 2'),
    'scrutin-minutes: the same minutes, without the names the record does not hold');
  eq(pvWithoutNames(cliText), pvWithoutNames(text, ['Jeanne Martin', 'Paul Durand']), 'the same minutes but for the names');
  // The attendance list in the French order, by last name then first
  // name (« Nom1, Nom10, Nom11, Nom12, Nom2… »), not the record's
  // credential order, which scrutin-minutes keeps (pseudonyms only).
  const annexRows = (t) => [...t.slice(t.indexOf('id="annexe-emargement"'), t.indexOf('id="annexe-verification"')).matchAll(/<tr><td>([^<]*|membre <code>[0-9a-f]{16}<\/code>)<\/td>/g)].map((x) => x[1]);
  const byName = Array.from({ length: 12 }, (x, i) => i + 1).sort((a, b) => (`Nom${a}` < `Nom${b}` ? -1 : 1)).map((i) => `Prénom${i} Nom${i}`);
  eq(annexRows(text), byName, 'the server\'s attendance annex: by last name, then first name');
  const credOrder = m.voters.map((v) => `membre <code>${hex(v.pk).slice(0, 16)}</code>`);
  eq(annexRows(cliText), credOrder, 'scrutin-minutes: the record\'s credential order');

  // --- refusals (each records nothing) ---
  const [t1, t2] = cer.trustees;
  const ev0 = evCount();
  const good1 = { index: 1, head, sig: signMinutes(t1, head, html) };
  eq((await api(srv, 'POST', `${base}/minutes/signatures`, { ...good1, index: 2 })).json.error.code, 'bad_signature', 'a signature by another scrutineer');
  const tampered = Buffer.from(html); tampered[200] ^= 1;
  eq((await api(srv, 'POST', `${base}/minutes/signatures`, { ...good1, sig: signMinutes(t1, head, tampered) })).json.error.code,
    'bad_signature', 'a signature over other minutes');
  eq((await api(srv, 'POST', `${base}/minutes/signatures`, { ...good1, head: 'ab'.repeat(32) })).json.error.code, 'stale_minutes', 'another head');
  eq((await api(srv, 'POST', `${base}/minutes/signatures`, { ...good1, index: 3 })).json.error.code, 'invalid_field', 'no such scrutineer');
  eq((await api(srv, 'POST', `${base}/minutes/signatures`, { ...good1, extra: 1 })).json.error.code, 'unknown_field', 'unknown field');
  eq((await api(srv, 'POST', `${base}/minutes`, {})).status, 405, 'POST minutes: method not allowed');
  eq(evCount(), ev0, 'refusals record nothing');
  r = await request(srv, 'GET', `${base}/minutes/signatures`);
  eq([r.status, r.text, r.headers['x-scrutin-head']], [200, '', head], 'no signature yet');

  // --- both scrutineers sign ---
  r = await api(srv, 'POST', `${base}/minutes/signatures`, good1);
  eq([r.status, r.json.signed], [200, 1], 'scrutineer 1 signs');
  eq(r.json.line, `scrutin-minutes-sig/1 ${hex(t1.id.publicKey)} ${good1.sig}\n`, 'the signature line');
  eq((await api(srv, 'POST', `${base}/minutes/signatures`, good1)).json.error.code, 'already_done', 'once per scrutineer');
  {
    // With 1 signature of 2, the verifier says who has not signed.
    const one = await request(srv, 'GET', `${base}/minutes/signatures`);
    fs.writeFileSync(path.join(data, 'pv1.html'), html); fs.writeFileSync(path.join(data, 'pv1.sig'), one.text);
    const v1 = spawnSync('build/scrutin-verify', ['--quiet', '--minutes', path.join(data, 'pv1.html'), '--signatures', path.join(data, 'pv1.sig'), recFile], { encoding: 'utf8' });
    check(v1.status === 0 && v1.stdout.includes("Le scrutateur 2 n'a pas signé le procès-verbal (signé par 1 scrutateur sur 2).") &&
      !v1.stdout.includes("Le scrutateur 1 n'a pas"), '1 of 2 signatures: scrutineer 2 has not signed: ' + v1.stdout + v1.stderr);
  }
  r = await api(srv, 'POST', `${base}/minutes/signatures`, { index: 2, head, sig: signMinutes(t2, head, html) });
  eq([r.status, r.json.signed], [200, 2], 'scrutineer 2 signs');
  eq(+sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE kind = 'minutes.signed'"), 2, 'one event per signature');
  r = await request(srv, 'GET', `${base}/minutes/signatures`);
  eq(r.headers['content-type'], 'text/plain; charset=utf-8', 'signatures as text');
  const lines = r.text.split('\n').filter(Boolean);
  eq(lines.length, 2, 'two signature lines');
  check(lines.every((l) => /^scrutin-minutes-sig\/1 [0-9a-f]{64} [0-9a-f]{128}$/.test(l)), 'the scrutin-minutes-sig/1 format');

  // --- the verifier accepts them; tampering is refused ---
  const pv = path.join(data, 'pv.html'); const sigs = path.join(data, 'pv.sig');
  fs.writeFileSync(pv, html); fs.writeFileSync(sigs, r.text);
  let ver = spawnSync('build/scrutin-verify', ['--quiet', '--minutes', pv, '--signatures', sigs, recFile], { encoding: 'utf8' });
  eq(ver.status, 0, 'scrutin-verify accepts the minutes and both signatures: ' + ver.stdout + ver.stderr);
  fs.writeFileSync(pv + '.bad', tampered);
  ver = spawnSync('build/scrutin-verify', ['--quiet', '--minutes', pv + '.bad', '--signatures', sigs, recFile], { encoding: 'utf8' });
  eq(ver.status, 1, 'tampered minutes refused');
  const badSig = r.text.replace(/ ([0-9a-f])([0-9a-f]{127})\n/, (x, a, b) => ` ${a === '0' ? '1' : '0'}${b}\n`);
  check(badSig !== r.text, 'one signature altered');
  fs.writeFileSync(sigs + '.bad', badSig);
  ver = spawnSync('build/scrutin-verify', ['--quiet', '--minutes', pv, '--signatures', sigs + '.bad', recFile], { encoding: 'utf8' });
  eq(ver.status, 1, 'a tampered signature refused');
  // A CLI signature with the same key gives a line the verifier accepts too.
  const keyFile = path.join(data, 't2.key');
  fs.writeFileSync(keyFile, hex(t2.id.privateKey.slice(0, 32)) + '\n', { mode: 0o600 });
  const cs = spawnSync('build/scrutin-minutes', ['sign', '--key', keyFile, '--record', recFile, '--minutes', pv], { encoding: 'utf8' });
  eq(cs.status, 0, 'scrutin-minutes sign');
  check(cs.stdout.startsWith(`scrutin-minutes-sig/1 ${hex(t2.id.publicKey)} `), 'the CLI signs with the same identity key');
} finally {
  await srv.stop();
}
done('minutes.mjs');
