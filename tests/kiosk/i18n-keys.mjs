// i18n-keys.mjs — every string key the web apps use exists in French and
// in English (kiosk/js/strings.js), without a browser: a missing key shows
// the key itself on screen (i18n.js t()), e.g. « s.createIntro ».
//  - fr and en have the same keys, none empty;
//  - every data-i18n / data-i18n-aria / data-i18n-ph of kiosk/**/*.html;
//  - every t('key') and every key given to dataset.i18n in kiosk/js/*.js,
//    and both forms (key.one, key.other) of every plural tn('key', n);
//  - every key made from an id, t(`prefix.${id}`): each prefix is listed
//    below with the ids the server or the engine can send, the outcomes
//    and the members' standing reasons read from the statutes engine
//    itself (ballot-formats/count.c), so a new code cannot go unworded;
//    an unknown prefix fails (add it here).
//   node tests/kiosk/i18n-keys.mjs     (from the repository root)
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = process.cwd();
const { STRINGS } = await import(pathToFileURL(path.join(ROOT, 'kiosk/js/strings.js')).href);
const failures = []; let checks = 0;
const check = (cond, msg) => { checks++; if (!cond) { failures.push(msg); console.log(`FAIL ${msg}`); } return cond; };
const has = (key, where) => {
  for (const l of ['fr', 'en']) check(typeof STRINGS[l][key] === 'string' && STRINGS[l][key] !== '', `${where}: '${key}' missing in ${l}`);
};

// The statutes engine's codes, from its source (count.c's tables).
const countC = fs.readFileSync(path.join(ROOT, 'ballot-formats/count.c'), 'utf8');
const table = (name) => {
  const m = new RegExp(`${name}\\[[^\\]]*\\]\\s*=\\s*\\{([^}]*)\\}`).exec(countC);
  if (!m) throw new Error(`count.c: no table ${name}`);
  return [...m[1].matchAll(/"([a-z_]+)"/g)].map((x) => x[1]);
};
const OUTCOMES = table('OUTCOMES');
const REASONS = table('REASONS');
// A member's standing reasons: after "ok", before the proxies' (count.h
// enum ct_reason, "members").
const MEMBER_REASONS = REASONS.slice(1, REASONS.indexOf('proxies_not_allowed'));
// The proxies' reasons worded for a holder are the engine's own codes
// (but reassigned, not_in_force and other: the server's and the phone's).
for (const r of ['over_cap', 'holder_absent', 'giver_present', 'duplicate', 'holder_not_voter', 'giver_not_voter',
  'after_deadline', 'holder_recused', 'recused']) check(REASONS.includes(r), `pxr.${r}: a reason of count.c`);
check(OUTCOMES.length >= 14 && MEMBER_REASONS.includes('consultative') && MEMBER_REASONS.includes('dues_unpaid'),
  `count.c's tables read (${OUTCOMES.length} outcomes, member reasons ${MEMBER_REASONS})`);

// The ids each key family is made from (docs/api.md).
const FAMILIES = {
  'choice.': ['pour', 'contre', 'abstention', 'blanc'],
  'conn.': ['live', 'reconnecting', 'offline'],
  'key.': ['none', 'enrolment', 'commit', 'reveal', 'shares', 'keys', 'done', 'failed'],
  'kind.': ['motion', 'election'],
  'm.trig.by.': ['bureau', 'ca'],
  'mstatus.': ['draft', 'convened', 'live', 'closed'],
  'outcome.': [...OUTCOMES, 'undetermined'],
  'qstatus.': ['pending', 'open', 'closed', 'counted'],
  'quorum.': ['met', 'not_met', 'none', 'unknown'],
  'quorum.v.': ['present', 'remote', 'represented', 'mail_in', 'internet'],
  'quorum.round.': ['floor', 'ceil', 'none'],
  'reason.': MEMBER_REASONS,
  // A holder's mandate the engine refused at a question's opening
  // (GET …/voters/{pk} mandates, docs/api.md), in the holder's words.
  'pxr.': ['over_cap', 'holder_absent', 'giver_present', 'reassigned', 'not_in_force', 'duplicate',
    'holder_not_voter', 'giver_not_voter', 'after_deadline', 'holder_recused', 'recused', 'other'],
  'v.presence.': ['absent', 'present', 'remote'],
  // The tie-break criteria (result "tie_broken", ballot-formats/report.c).
  'tb.': ['function', 'city_not_represented', 'semesters', 'sex_parity', 'eldest'],
  // The refusals: our own words where we have them, else the server's
  // French or English message (api.js errorMessage): no list required.
  'err.': [],
};

// 1. The two languages.
const fr = Object.keys(STRINGS.fr); const en = Object.keys(STRINGS.en);
for (const k of fr) check(k in STRINGS.en, `'${k}' in fr but not in en`);
for (const k of en) check(k in STRINGS.fr, `'${k}' in en but not in fr`);

// 2. The HTML pages.
const htmlFiles = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else if (e.name.endsWith('.html')) htmlFiles.push(p);
  }
};
walk(path.join(ROOT, 'kiosk'));
check(htmlFiles.length >= 5, `HTML pages found (${htmlFiles.length})`);
let nHtml = 0;
for (const f of htmlFiles) {
  const src = fs.readFileSync(f, 'utf8');
  for (const m of src.matchAll(/data-i18n(?:-aria|-ph)?="([^"]*)"/g)) { nHtml++; has(m[1], path.relative(ROOT, f)); }
}

// 3. The scripts.
let nStatic = 0; let nFamily = 0;
const jsDir = path.join(ROOT, 'kiosk/js');
for (const name of fs.readdirSync(jsDir).filter((n) => n.endsWith('.js') && n !== 'strings.js' && n !== 'scrutin-crypto.js')) {
  const src = fs.readFileSync(path.join(jsDir, name), 'utf8');
  const where = `kiosk/js/${name}`;
  for (const m of src.matchAll(/\bt\(\s*(['"])([^'"]+)\1/g)) { nStatic++; has(m[2], where); }
  // A count's plural (format.js tn): both forms.
  for (const m of src.matchAll(/\btn\(\s*(['"])([^'"]+)\1/g)) { nStatic++; has(`${m[2]}.one`, where); has(`${m[2]}.other`, where); }
  for (const m of src.matchAll(/dataset\.i18n\w*\s*=\s*([^;\n]+)/g))
    for (const k of m[1].matchAll(/(['"])([a-zA-Z][\w.]*)\1/g)) { nStatic++; has(k[2], where); }
  for (const m of src.matchAll(/\bt\(\s*`([^`]*)`/g)) {
    const tpl = m[1];
    if (!tpl.includes('${')) { nStatic++; has(tpl, where); continue; }
    const prefix = tpl.slice(0, tpl.indexOf('${'));
    nFamily++;
    if (!check(prefix in FAMILIES && tpl.endsWith('}') && tpl.indexOf('${') === tpl.lastIndexOf('${'),
      `${where}: t(\`${tpl}\`): a key made from an id whose family is not listed in tests/kiosk/i18n-keys.mjs`)) continue;
    for (const id of FAMILIES[prefix]) has(`${prefix}${id}`, `${where} t(\`${tpl}\`)`);
  }
}
check(nStatic > 100 && nFamily > 10 && nHtml > 100, `keys found: ${nStatic} static, ${nFamily} from ids, ${nHtml} in HTML`);

if (failures.length) {
  console.log(`i18n-keys: ${failures.length} failure(s), ${checks} checks`);
  process.exit(1);
}
console.log(`i18n-keys: ${checks} checks passed`);
