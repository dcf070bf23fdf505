// member-links.mjs — the members' credentials as `scrutin cred issue`
// hands them out, for the browser tests that open the phone page the way
// a member does (e2e.mjs, proxy-ui.mjs): the codes (codes.csv, sent by
// another channel) and the link each QR PNG carries, decoded with zbarimg.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** Issues credentials into DATA/creds (extra: e.g. ['--member', 'M0009']);
 *  returns {codes: {member → code}, qrUrl(member) → the link of its QR}. */
export function issueLinks(run, data, meeting, extra = []) {
  const out = path.join(data, 'creds');
  const file = path.join(data, 'codes.csv');
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
