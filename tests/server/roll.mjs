// roll.mjs — importing the member roll from CSV through `scrutin roll
// import`: a 200-member roll in UTF-8 and Windows-1252, with ';' and ',',
// with broken rows whose report (line and French reason) must be exact;
// valid rows stored with their accents; a re-import updates and keeps
// history; refusals and dry runs change nothing; the running server sees
// the roll through its privileged process.
import fs from 'node:fs';
import path from 'node:path';
import { cliJson, cli, tmpDir, check, eq, done, sqlite, startServer, request } from './lib.mjs';

const LAST = ['Bérard', 'Dupont', 'Lefèvre', 'Garçon', 'Nöel', 'Martin', 'Côté', 'Müller', 'Roux', 'Faure'];
const FIRST = ['Élodie', 'René', 'Anaïs', 'François', 'Zoé', 'Jérôme', 'Hélène', 'Loïc', 'Inès', 'Gaël'];
const CITY = ['Saint-Étienne', 'Orléans', 'Besançon', 'Nîmes', 'Lyon'];

function cp1252(str) {
  const extra = { '€': 0x80, 'Œ': 0x8c, 'œ': 0x9c, '’': 0x92 };
  const out = [];
  for (const ch of str) {
    const c = ch.codePointAt(0);
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) out.push(c);
    else if (extra[ch] !== undefined) out.push(extra[ch]);
    else throw new Error(`not in Windows-1252: ${ch}`);
  }
  return Buffer.from(out);
}

function member(i) {
  const no = String(i).padStart(4, '0');
  let last = LAST[i % LAST.length];
  if (i % 10 === 3) last = `${last}, fils`;       // holds ','
  if (i % 25 === 4) last = `Le "Bon" ${last}`;     // holds quotes
  return { no, last, first: FIRST[i % FIRST.length],
    email: `m${i}@example.org`, cat: i % 2 ? 'actif' : 'bienfaiteur',
    date: `${String(1 + (i % 28)).padStart(2, '0')}/0${1 + (i % 9)}/2024`,
    iso: `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
    city: CITY[i % CITY.length] };
}

function field(v, sep) {
  return (v.includes(sep) || v.includes('"')) ? `"${v.replaceAll('"', '""')}"` : v;
}

// Returns { bytes, expected: [{line, fr}] }.
function makeRoll(enc, sep, { count = 200, broken = true, change = {} } = {}) {
  const enc1 = (s) => (enc === 'utf8' ? Buffer.from(s, 'utf8') : cp1252(s));
  const lines = [];   // Buffers, without line ends
  const expected = [];
  const lineOf = {};
  const push = (buf) => { lines.push(buf); return lines.length; };
  push(enc1(['Numéro', 'Nom', 'Prénom', 'Courriel', 'Catégorie', 'Cotisation', 'Ville'].join(sep)));
  const row = (m) => [m.no, m.last, m.first, m.email, m.cat, m.date, m.city].map((v) => field(v, sep)).join(sep);
  for (let i = 1; i <= count; i++) {
    const m = { ...member(i), ...(change[i] || {}) };
    lineOf[m.no] = push(enc1(row(m)));
    if (!broken) continue;
    if (i === 50) {
      const l = push(enc1(['0901', 'Trop', 'Peu'].join(sep)));
      expected.push({ line: l, code: 'column_count', fr: 'nombre de colonnes incorrect : 3 au lieu de 7' });
    }
    if (i === 100) {
      const l = push(enc1(['0902', '"Ouvert', 'X', 'x@example.org', 'actif', '01/01/2024', 'Lyon'].join(sep)));
      expected.push({ line: l, code: 'quote_unterminated', fr: 'guillemet non fermé' });
    }
    if (i === 120) {
      const l = push(enc1(['0903', 'Date', 'Fausse', 'd@example.org', 'actif', '31/02/2024', 'Lyon'].join(sep)));
      expected.push({ line: l, code: 'date_invalid', fr: 'date invalide « 31/02/2024 » (colonne « cotisation »)' });
    }
    if (i === 150) {
      const l = push(enc1(['0007', 'Double', 'Numéro', 'dd@example.org', 'actif', '01/01/2024', 'Lyon'].join(sep)));
      expected.push({ line: l, code: 'duplicate', fr: `numéro d'adhérent « 0007 » en double (déjà ligne ${lineOf['0007']})` });
    }
    if (i === 180) {
      // The other encoding on one line.
      const s = ['0904', 'Clément', 'Mélange', 'c@example.org', 'actif', '01/01/2024', 'Nîmes'].join(sep);
      const l = push(enc === 'utf8' ? cp1252(s) : Buffer.from(s, 'utf8'));
      expected.push(enc === 'utf8'
        ? { line: l, code: 'utf8_invalid', fr: 'texte UTF-8 invalide' }
        : { line: l, code: 'encoding_mixed', fr: 'ligne en UTF-8 dans un fichier Windows-1252 (encodages mélangés)' });
    }
  }
  const eol = Buffer.from(enc === 'utf8' ? '\n' : '\r\n');
  const parts = [];
  for (const l of lines) parts.push(l, eol);
  return { bytes: Buffer.concat(parts), expected };
}

const variants = [['utf8', ';'], ['utf8', ','], ['cp1252', ';'], ['cp1252', ',']];
const dirs = {};
for (const [enc, sep] of variants) {
  const data = tmpDir(`roll-${enc}-${sep === ';' ? 'semi' : 'comma'}`);
  dirs[`${enc}${sep}`] = data;
  const { bytes, expected } = makeRoll(enc, sep);
  const file = path.join(data, '..', `${path.basename(data)}.csv`);
  fs.writeFileSync(file, bytes);
  const what = `${enc} '${sep}'`;

  // Dry run first: a report, nothing stored.
  const dry = cliJson(['roll', 'import', '--data', data, '--dry-run', '--json', file]);
  eq(dry.status, 3, `${what}: dry run exit status`);
  eq([dry.json.dry_run, dry.json.rows_ok, dry.json.rows_rejected], [true, 200, 5], `${what}: dry counts`);
  eq(fs.existsSync(path.join(data, 'roll.db')), false, `${what}: dry run opened no store`);

  const r = cliJson(['roll', 'import', '--data', data, '--json', file]);
  eq(r.status, 3, `${what}: exit 3 when rows were rejected`);
  eq(r.json.encoding, enc === 'utf8' ? 'utf-8' : 'windows-1252', `${what}: encoding`);
  eq(r.json.separator, sep, `${what}: separator`);
  eq([r.json.rows_ok, r.json.rows_rejected, r.json.created, r.json.updated], [200, 5, 200, 0], `${what}: counts`);
  eq(r.json.rejected.map(({ line, code, fr }) => ({ line, code, fr })), expected, `${what}: report`);
  check(r.json.rejected.every((x) => typeof x.en === 'string' && x.en.length > 5), `${what}: English too`);

  const list = cliJson(['roll', 'list', '--data', data, '--json']).json;
  eq(list.length, 200, `${what}: 200 stored`);
  for (const i of [1, 3, 4, 7, 104, 200]) {
    const m = member(i);
    const got = list.find((x) => x.member_no === m.no);
    eq([got.last_name, got.first_name, got.email, got.dues_paid, got.city, got.category],
      [m.last, m.first, m.email, m.iso, m.city, m.cat], `${what}: member ${m.no}`);
  }
  eq(list.some((x) => x.member_no >= '0901'), false, `${what}: no broken row stored`);
  eq(sqlite(path.join(data, 'roll.db'), "SELECT count(*) FROM events WHERE kind = 'roll.import'"), '1', `${what}: one event`);
}

// Re-import: 3 changed, 1 new, 2 gone (with --remove-missing), the rest
// unchanged; history keeps the old versions.
{
  const data = dirs['utf8;'];
  const change = { 1: { email: 'new1@example.org' }, 2: { email: 'new2@example.org' }, 3: { city: 'Paris' } };
  const base = makeRoll('utf8', ';', { count: 198, broken: false, change });
  const extra = Buffer.from('0201;Nouveau;Membre;n@example.org;actif;02/02/2025;Lyon\n');
  const file = `${data}-v2.csv`;
  fs.writeFileSync(file, Buffer.concat([base.bytes, extra]));
  const r = cliJson(['roll', 'import', '--data', data, '--remove-missing', '--json', file]);
  eq(r.status, 0, 're-import exit status');
  eq([r.json.created, r.json.updated, r.json.unchanged, r.json.removed, r.json.rows_rejected],
    [1, 3, 195, 2, 0], 're-import counts');
  const hist = cliJson(['roll', 'history', '--data', data, '0002']).json;
  eq(hist.map((h) => [h.version, h.email, h.status]),
    [[1, 'm2@example.org', 'active'], [2, 'new2@example.org', 'active']], 'history of 0002');
  check(hist[0].valid_until !== null && hist[1].valid_until === null, 'history validity');
  const gone = cliJson(['roll', 'history', '--data', data, '0200']).json;
  eq(gone.map((h) => h.status), ['active', 'removed'], '0200 removed, not deleted');
  eq(cliJson(['roll', 'list', '--data', data, '--json']).json.length, 199, 'active members');
  eq(cliJson(['roll', 'list', '--data', data, '--all', '--json']).json.length, 201, 'all members kept');

  // A whole-file refusal changes nothing.
  const events = sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM events');
  const members = sqlite(path.join(data, 'roll.db'), 'SELECT group_concat(member_no || version || email) FROM members');
  fs.writeFileSync(`${data}-bad.csv`, 'Numéro;Nom;Pointure\n1;A;42\n');
  const bad = cliJson(['roll', 'import', '--data', data, '--json', `${data}-bad.csv`]);
  eq(bad.status, 1, 'unknown column: refused');
  eq([bad.json.ok, bad.json.error.code, bad.json.error.fr],
    [false, 'unknown_column', 'ligne 1 : colonne inconnue « Pointure »'], 'unknown column report');
  const text = cli(['roll', 'import', '--data', data, `${data}-bad.csv`]);
  eq(text.stderr.trim(), 'ligne 1 : colonne inconnue « Pointure »', 'plain text report');
  const dry = cliJson(['roll', 'import', '--data', data, '--dry-run', '--json', file]);
  eq([dry.status, dry.json.dry_run], [0, true], 'dry run');
  eq(sqlite(path.join(data, 'roll.db'), 'SELECT count(*) FROM events'), events, 'refusal and dry run: no event');
  eq(sqlite(path.join(data, 'roll.db'), 'SELECT group_concat(member_no || version || email) FROM members'), members, 'members untouched');
  // English report on request.
  const en = cli(['roll', 'import', '--data', data, '--lang', 'en', `${data}-bad.csv`]);
  eq(en.stderr.trim(), "line 1: unknown column 'Pointure'", 'English report');
}

// The running server reads the roll through its privileged process.
{
  const srv = await startServer({ data: dirs['cp1252,'] });
  try {
    eq((await request(srv, 'GET', '/api/v1/status')).json.members, 200, 'server sees 200');
    const file = `${dirs['cp1252,']}-v2.csv`;
    fs.writeFileSync(file, makeRoll('cp1252', ',', { count: 150, broken: false }).bytes);
    const r = cliJson(['roll', 'import', '--data', dirs['cp1252,'], '--remove-missing', '--json', file]);
    eq([r.status, r.json.removed], [0, 50], 'import while serving');
    eq((await request(srv, 'GET', '/api/v1/status')).json.members, 150, 'server sees the change');
  } finally {
    await srv.stop();
  }
}
done('roll');
