// member-links.mjs — the members' credentials as `scrutin cred issue`
// hands them out, for the browser tests that open the phone page the way
// a member does (e2e.mjs, proxy-ui.mjs, audit-ui.mjs): the codes (codes.csv, sent by
// another channel) and the link each QR PNG carries, decoded with zbarimg.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { MEETING_DATE, enrolMeeting } from '../../server/meeting-lib.mjs';

/** Issues credentials into DATA-creds (never under the data directory) (extra: e.g. ['--member', 'M0009']);
 *  returns {codes: {member → code}, qrUrl(member) → the link of its QR}. */
export function issueLinks(run, data, meeting, extra = []) {
  const out = `${data}-creds`;
  const file = `${data}-codes.csv`;
  run(['cred', 'issue', '--meeting', meeting, '--host', 'localhost', '--out', out, '--codes', file, ...extra]);
  const codes = {};
  for (const line of fs.readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
    const f = line.split(';').map((x) => x.replace(/^"'?|"$/g, ''));
    codes[f[0]] = f[5];
  }
  const qrUrl = (no) => {
    const r = spawnSync('zbarimg', ['--raw', '-q', path.join(out, 'qr', `m-${no}.png`)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`zbarimg ${no}: ${r.stderr}`);
    return r.stdout.trim();
  };
  return { out, codes, qrUrl };
}

/** The roll of the phone tests (proxy-ui.mjs, draw-ui.mjs): M0001…M0008
 *  « NomK PrénomK », enrolled through the API by the test (keys made
 *  there), then M0009 « Lefèvre Anaïs » (A) and M0010 « Dupré Hélène »
 *  (B), who get a link and a code as members do; every one of
 *  `category`, dues paid a month ago. Imported with `run`. */
export function importPhoneRoll(run, data, category) {
  const paid = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
  const names = Array.from({ length: 8 }, (_, i) => [`Nom${i + 1}`, `Prénom${i + 1}`]);
  names.push(['Lefèvre', 'Anaïs'], ['Dupré', 'Hélène']);
  fs.writeFileSync(path.join(data, 'roll.csv'), ['numéro;nom;prénom;catégorie;cotisation',
    ...names.map(([n, p], i) => `M${String(i + 1).padStart(4, '0')};${n};${p};${category};${paid}`)].join('\n') + '\n');
  run(['roll', 'import', path.join(data, 'roll.csv')]);
}

/** ANIMT's AG `id` with the phone roll (importPhoneRoll, membre_de_droit),
 *  `questions` as its agenda, no quorum, 2 scrutineers of whom 2 needed,
 *  convened; returns M0001…M0008's credentials (enrolMeeting). */
export function animtPhoneAg(run, data, id, questions) {
  importPhoneRoll(run, data, 'membre_de_droit');
  fs.writeFileSync(path.join(data, 'agenda.json'), JSON.stringify({ questions }));
  run(['meeting', 'create', '--id', id, '--title', 'AG ANIMT', '--date', MEETING_DATE,
    '--profile', 'ballot-formats/profiles/animt.yaml', '--body', 'ag', '--agenda', path.join(data, 'agenda.json'),
    '--trustees', '2', '--threshold', '2', '--quorum', 'none']);
  run(['meeting', 'convene', id]);
  return enrolMeeting(data, id, 8);
}

/** Waits until the phone page shows screen `name`. */
export const screen = (page, name, timeout = 60000) => page.waitForSelector(`[data-screen="${name}"]:not([hidden])`, { timeout });

/** A member's phone (360×640) opened at `url` (their QR code's link),
 *  their code typed in: resolves to the page (what comes next, the
 *  check-in or the agenda, is the caller's). */
export async function phoneLogin(openPage, url, code, label) {
  const page = await openPage(url, label, { viewport: { width: 360, height: 640 } });
  await screen(page, 'code');
  await page.fill('#code-input', code);
  await page.click('#code-submit');
  return page;
}

/** The key pair a phone page derived (its seed in the tab's
 *  sessionStorage), with the crypto module C. */
export async function pageKeys(C, page) {
  return C.keypairFromSeed(Buffer.from(await page.evaluate(() => JSON.parse(sessionStorage.getItem('scrutin.v')).seed), 'hex'));
}
