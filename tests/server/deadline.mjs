// deadline.mjs — the proxies' deadline on the real server (HTTPS on
// loopback), Espace+'s AG (art. 4: digital proxies only, « jusqu'à une
// demi-heure avant l'Assemblée Générale »):
//  - `meeting create` refuses an Espace+ AG without --time, in French,
//    with the article; with it, the record's meeting event carries
//    starts_at (date and time on this machine's clock);
//  - the clock is driven by the meeting's start, not faked: meeting A
//    starts 31 minutes after the current minute, meeting B 29 minutes
//    after; a proxy signed at T−31 min (A) is accepted, one at T−29 min
//    (B) refused 403 proxy_deadline with « art. 4 » and nothing written,
//    and so is one whose time is set back before the deadline (the
//    server's own clock is past it);
//  - A's record verifies (scrutin-verify re-derives the deadline from
//    starts_at) and names the proxy digital.
//   node tests/server/deadline.mjs     (from the repository root, after make)
import path from 'node:path';
import { check, eq, done, startServer, tmpDir, sqlite, cli } from './lib.mjs';
import { C, api, enrolMeeting, makeRoll, hex, exportAndVerify } from './meeting-lib.mjs';

const data = tmpDir('deadline');
const run = (args) => {
  const r = cli([...args, '--data', data]);
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const N = 4;
run(['roll', 'import', makeRoll(data, N, 'individuel')]);
const quorum = JSON.stringify({ counts: ['present', 'represented'], fraction: '1/4', compare: 'at_least',
  rounding: 'floor', second_convocation: 'none' });
const pad = (n) => String(n).padStart(2, '0');
// The local date and time of a Date (this machine's time zone, the
// appliance's: `meeting create` reads --date and --time in it).
const local = (d) => [`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, `${pad(d.getHours())}:${pad(d.getMinutes())}`];
const create = (id, start) => cli(['meeting', 'create', '--id', id, '--title', 'AG Espace+', '--profile',
  'ballot-formats/profiles/espace-plus.yaml', '--body', 'ag', '--trustees', '2', '--threshold', '2', '--quorum', quorum,
  ...(start ? ['--date', local(start)[0], '--time', local(start)[1]] : ['--date', local(new Date())[0]]), '--data', data]);

// Without --time: refused, in French, with the article.
let r = create('ag-notime', null);
check(r.status !== 0 && /--time requis/.test(r.stderr) && /art\. 4/.test(r.stderr), `no --time refused (${r.stderr.trim()})`);

const minute = Math.floor(Date.now() / 60000) * 60000;		// the current minute
const startA = new Date(minute + 31 * 60000), startB = new Date(minute + 29 * 60000);
eq(create('ag-a', startA).status, 0, `meeting A created, starting ${local(startA)[1]}`);
eq(create('ag-b', startB).status, 0, `meeting B created, starting ${local(startB)[1]}`);
const mA = (() => { run(['meeting', 'convene', 'ag-a']); return enrolMeeting(data, 'ag-a', N, 2); })();
const mB = (() => { run(['meeting', 'convene', 'ag-b']); return enrolMeeting(data, 'ag-b', N, 2); })();
const startsAt = (id) => JSON.parse(cli(['record', 'export', id, '--data', data]).stdout.split('\n')[0]).payload.starts_at;
eq([startsAt('ag-a'), startsAt('ag-b')], [startA.getTime() / 1000, startB.getTime() / 1000], 'the meeting events carry starts_at');

const proxy = (id, giver, holderPk, ts) => ({ action: 'give', giver: hex(giver.pk), holder: hex(holderPk), ts,
  sig: hex(C.signStatement('proxy', [id, giver.pk, holderPk, C.le64(ts)], giver.sk).sig) });
const proxyEvents = (id) => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM events WHERE meeting = '${id}' AND kind = 'proxy'`);

const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
try {
  // T−31 min: accepted.
  const tsA = startA.getTime() / 1000 - 31 * 60;
  r = await api(srv, 'POST', '/api/v1/meetings/ag-a/proxies', proxy('ag-a', mA.voters[1], mA.voters[0].pk, tsA));
  eq([r.status, r.json.proxy], [200, 'given'], 'a proxy at T−31 min accepted');
  // T−29 min: refused with the article, nothing written.
  const tsB = startB.getTime() / 1000 - 29 * 60;
  r = await api(srv, 'POST', '/api/v1/meetings/ag-b/proxies', proxy('ag-b', mB.voters[1], mB.voters[0].pk, tsB));
  eq([r.status, r.json.error?.code, r.json.error?.article], [403, 'proxy_deadline', '4'], 'a proxy at T−29 min refused');
  check(/art\. 4/.test(r.json.error?.fr) && r.json.error?.en, `the French says why (${r.json.error?.fr})`);
  eq(r.json.error?.detail, 'Les procurations sont closes une demi-heure avant l\'assemblée générale (art. 4)', 'in the statutes\' words');
  // A time set back before the deadline: the server's clock is past it.
  r = await api(srv, 'POST', '/api/v1/meetings/ag-b/proxies', proxy('ag-b', mB.voters[1], mB.voters[0].pk, tsB - 120));
  eq([r.status, r.json.error?.code], [403, 'proxy_deadline'], 'a proxy whose time is set back refused too');
  eq([proxyEvents('ag-a'), proxyEvents('ag-b')], [1, 0], 'one proxy written (A), none for B');
} finally {
  await srv.stop();
}
const ver = exportAndVerify(data, 'ag-a');
eq([ver.exported, ver.status], [0, 0], `A's record verifies (${ver.out.trim().split('\n').pop()})`);
check(/^1 procurations numériques signées par les membres$/m.test(ver.out) &&
  /^0 procurations papier saisies par l'accueil$/m.test(ver.out), 'the verifier counts it digital');
done('deadline');
