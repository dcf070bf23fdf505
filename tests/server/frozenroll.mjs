// frozenroll.mjs — the roll, the credentials and the record cannot
// diverge (docs/server.md, "The frozen roll"): credentials are issued only
// from the roll the convocation froze, and once a meeting is convened an
// import may not change what the statutes count of its members. Every
// refusal says what to do, in French, and changes nothing.
//   node tests/server/frozenroll.mjs     (from the repository root, after make)
import fs from 'node:fs';
import path from 'node:path';
import { check, eq, done, tmpDir, sqlite, cli, cliJson } from './lib.mjs';
import { MEETING_DATE } from './meeting-lib.mjs';

const data = tmpDir('frozenroll');
const db = path.join(data, 'roll.db');
const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
const roll = (name, rows) => {
  const f = path.join(data, name);
  fs.writeFileSync(f, ['numéro;nom;prénom;catégorie;cotisation;email',
    ...rows.map((r) => `${r.no};Nom ${r.no};Prénom;${r.cat ?? 'adherent'};${paid};${r.email ?? `${r.no.toLowerCase()}@example.org`}`)].join('\n') + '\n');
  return f;
};
const base = ['M1', 'M2', 'M3', 'M4'].map((no) => ({ no }));
const run = (args) => cli([...args, '--data', data]);
const credCount = (m) => +sqlite(db, `SELECT count(*) FROM credentials WHERE meeting = '${m}' AND status = 'active'`);

eq(run(['roll', 'import', roll('r1.csv', base)]).status, 0, 'roll imported');
const agenda = path.join(data, 'agenda.json');
fs.writeFileSync(agenda, JSON.stringify({ questions: [
  { id: 'q1', title: 'Motion', kind: 'motion', rule: 'ordinary', secret: false }] }));
eq(run(['meeting', 'create', '--id', 'ag', '--title', 'AG', '--date', MEETING_DATE,
  '--profile', 'ballot-formats/profiles/a-imi.yaml', '--body', 'ag', '--agenda', agenda,
  '--trustees', '2', '--threshold', '2']).status, 0, 'meeting created');

// --- before the convocation: no credential ---------------------------------
const out = `${data}-out`; // outside the data directory
let r = run(['cred', 'issue', '--meeting', 'ag', '--host', 'vote.example.org', '--out', out]);
eq(r.status, 1, 'cred issue before convene: refused');
check(/n'est pas convoquée/.test(r.stderr) && /scrutin meeting convene ag/.test(r.stderr),
  'it says why and what to do, in French: ' + r.stderr.trim());
eq(credCount('ag'), 0, 'nothing issued');
check(!fs.existsSync(path.join(out, 'codes.csv')), 'no code file written');
r = run(['cred', 'issue', '--meeting', 'nosuch', '--host', 'vote.example.org', '--out', out]);
eq(r.status, 1, 'cred issue for a meeting that does not exist: refused');
const pub = path.join(data, 'public.json');
fs.writeFileSync(pub, JSON.stringify({ format: 'scrutin-public-credentials/1', meeting: 'ag',
  credentials: [{ member: 'M1', pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a' }] }));
r = run(['cred', 'import-public', pub]);
eq(r.status, 1, 'import-public before convene: refused');
check(/n'est pas convoquée/.test(r.stderr), 'with the reason: ' + r.stderr.trim());
eq(credCount('ag'), 0, 'nothing imported');

// --- convened: the roll is frozen for the meeting ---------------------------
eq(run(['meeting', 'convene', 'ag']).status, 0, 'convened');
// A member added after the convocation is not on the meeting's roll.
eq(run(['roll', 'import', roll('r2.csv', [...base, { no: 'M5' }])]).status, 0, 'a new member may be added');
r = run(['cred', 'issue', '--meeting', 'ag', '--host', 'vote.example.org', '--out', out]);
eq(r.status, 0, 'cred issue after convene: ' + r.stderr);
eq(credCount('ag'), 4, 'credentials for the 4 members of the frozen roll only');
eq(+sqlite(db, "SELECT count(*) FROM credentials c JOIN members m ON m.id = c.member_id WHERE m.member_no = 'M5'"), 0,
  'none for the member added after the convocation');
r = run(['cred', 'issue', '--meeting', 'ag', '--host', 'vote.example.org', '--out', `${out}2`, '--member', 'M5']);
eq(r.status, 1, 'M5 by name: refused');
check(/absent de la liste figée/.test(r.stderr), 'it says the member is not on the frozen roll: ' + r.stderr.trim());

// An import that would change what the statutes count of a member.
const before = sqlite(db, "SELECT category FROM members WHERE member_no = 'M2'");
r = run(['roll', 'import', roll('r3.csv', [{ no: 'M1' }, { no: 'M2', cat: 'fondateur' }, { no: 'M3' }, { no: 'M4' }, { no: 'M5' }])]);
check(r.status !== 0, 'a category change of a frozen member: refused');
check(/import refusé/.test(r.stderr) && /figée pour la réunion « ag »/.test(r.stderr) && /M2/.test(r.stderr) &&
  /après la clôture/.test(r.stderr), 'it names the meeting and the member and says when: ' + r.stderr.trim());
eq(sqlite(db, "SELECT category FROM members WHERE member_no = 'M2'"), before, 'the category is unchanged');
r = run(['roll', 'import', '--remove-missing', roll('r4.csv', [{ no: 'M1' }, { no: 'M2' }, { no: 'M3' }, { no: 'M5' }])]);
check(r.status !== 0 && /M4/.test(r.stderr), 'removing a frozen member: refused: ' + r.stderr.trim());
eq(sqlite(db, "SELECT status FROM members WHERE member_no = 'M4'"), 'active', 'M4 still active');
// Contact details may change.
r = run(['roll', 'import', roll('r5.csv', [{ no: 'M1', email: 'new@example.org' }, { no: 'M2' }, { no: 'M3' }, { no: 'M4' }, { no: 'M5' }])]);
eq(r.status, 0, 'an e-mail change is accepted: ' + r.stderr);
eq(sqlite(db, "SELECT email FROM members WHERE member_no = 'M1'"), 'new@example.org', 'and applied');
// A change to a member who is not on the frozen roll is accepted.
r = run(['roll', 'import', roll('r6.csv', [...base, { no: 'M5', cat: 'fondateur' }])]);
eq(r.status, 0, 'a change to M5 (not on the frozen roll) is accepted: ' + r.stderr);

// --- the meeting closed: corrections import again ---------------------------
eq(run(['meeting', 'start', 'ag']).status, 0, 'meeting started');
r = run(['roll', 'import', roll('r6b.csv', [{ no: 'M1' }, { no: 'M2', cat: 'fondateur' }, { no: 'M3' }, { no: 'M4' }, { no: 'M5' }])]);
check(r.status !== 0 && /figée/.test(r.stderr), 'live: still refused');
eq(run(['meeting', 'end', 'ag']).status, 0, 'meeting ended');
eq(sqlite(db, "SELECT status FROM meetings WHERE id = 'ag'"), 'closed', 'closed');
r = run(['roll', 'import', roll('r7.csv', [{ no: 'M1' }, { no: 'M2', cat: 'fondateur' }, { no: 'M3' }, { no: 'M4' }, { no: 'M5' }])]);
eq(r.status, 0, 'after the meeting is closed, the correction imports: ' + r.stderr);
eq(sqlite(db, "SELECT category FROM members WHERE member_no = 'M2'"), 'fondateur', 'and is applied');
done('frozenroll');
