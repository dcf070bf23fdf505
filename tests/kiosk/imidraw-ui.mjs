// imidraw-ui.mjs — A-IMI RI art. 9's draw by lot from the moderator's
// console (/m/), on the real server (build/scrutin serve, loopback HTTPS)
// in Debian's headless Chromium:
//  - before the start the console offers the draws the statutes provide
//    (GET …/rules "draws": « tiers des administrateurs à renouveler
//    (art. 9) »); a bad id is refused in the page, an unknown member by
//    the server's words, nothing written either way; the pool of nine,
//    declared from the form, is listed by name and waits for the seed;
//  - the moderator starts the meeting (no scrutineer committed: the seed
//    is fixed at the start, from the record's head); « Tirer au sort »
//    draws three members, those this test draws from the record's seed
//    and the pool (docs/profiles.md « Random draws »), listed by name;
//    the button goes and the record verifies.
// No CSP violation, no page error, no serious axe violation.
//   node tests/kiosk/imidraw-ui.mjs     (from the repository root, after make)
import path from 'node:path';
import { tmpDir, startServer, cli, sqlite } from '../server/lib.mjs';
import { setupMeeting, exportAndVerify, drawByLot, seedOf } from '../server/meeting-lib.mjs';
import { consoleTest } from './lib/console-test.mjs';

const data = tmpDir('imidraw-ui');
const id = 'ago-2010';
const m = setupMeeting(data, { members: 12, id, agenda: { questions: [
  { id: 'q1', title: 'Rapport moral', kind: 'motion', rule: 'ordinary', secret: false }] } });
const count = (kind) => +sqlite(path.join(data, 'roll.db'), `SELECT count(*) FROM events WHERE meeting = '${id}' AND kind = '${kind}'`);
const srv = await startServer({ data, extra: ['--rate', '100000', '--burst', '100000'] });
const ORIGIN = `https://localhost:${srv.port}`;
const { axe, check, noCsp, openConsole, runTest } = await consoleTest('imidraw-ui');

await runTest(async () => {
  const mod = await openConsole(`${ORIGIN}/m/#${id}.${m.modToken}`, 'moderator');
  await mod.waitForSelector('#m-draws-form:not([hidden])', { timeout: 15000 });
  const opts = await mod.locator('#md-rule option').allInnerTexts();
  check(opts.length === 1 && opts[0] === 'tiers des administrateurs à renouveler (art. 9)', `the draws the statutes provide (${opts})`);
  const alertText = () => mod.locator('#alert').innerText();
  const submit = async (idv, pool) => {
    await mod.evaluate(() => { document.getElementById('alert').textContent = ''; });
    await mod.fill('#md-id', idv);
    await mod.fill('#md-pool', pool.join('\n'));
    await mod.click('#m-draws-form button[type="submit"]');
    await mod.waitForFunction(() => document.getElementById('alert').textContent !== '', null, { timeout: 15000 });
    return alertText();
  };
  const pool = ['M0005', 'M0011', 'M0002', 'M0008', 'M0001', 'M0012', 'M0004', 'M0009', 'M0006'];
  let said = await submit('d 1', pool);
  check(said.startsWith('Identifiant du tirage : 1 à 64') && count('draw.pool') === 0, `a bad id refused in the page (« ${said} »)`);
  said = await submit('d1', [...pool, 'M0099']);
  check(/vérifiez les numéros de la liste du tirage/.test(said) && count('draw.pool') === 0, `an unknown member refused (« ${said} »)`);
  said = await submit('d1', pool);
  check(said === 'Tirage « tiers des administrateurs à renouveler » déclaré parmi 9 membres.' && count('draw.pool') === 1, `declared (« ${said} »)`);
  await mod.waitForSelector('#m-draws-list li[data-draw="d1"]', { timeout: 15000 });
  const item = () => mod.locator('#m-draws-list li[data-draw="d1"]').innerText();
  check((await item()).startsWith('tiers des administrateurs à renouveler (art. 9) — parmi Prénom5 Nom5 (M0005), Prénom11 Nom11 (M0011)')
    && (await item()).includes('Le tirage se fera quand la graine sera fixée'), `the pool listed by name, waiting for the seed (« ${(await item()).slice(0, 140)} »)`);
  await axe(mod, 'console with a draw declared');

  await mod.click('#m-start');
  await mod.waitForSelector('#m-draws-list button[data-act="draw-run"]', { timeout: 15000 });
  check(await mod.locator('#m-draws-form').isHidden(), 'after the start: no more declaring');
  check((await mod.locator('#m-draw-status').innerText()) === 'Tirage au sort : graine fixée.', 'no commitment: the seed fixed at the start');
  await mod.evaluate(() => { document.getElementById('alert').textContent = ''; });
  await mod.click('#m-draws-list button[data-act="draw-run"]');
  await mod.waitForFunction(() => document.getElementById('alert').textContent.startsWith('Tirage « '), null, { timeout: 15000 });
  const rec = cli(['record', 'export', id, '--data', data]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  const want = drawByLot(seedOf(rec.find((e) => e.kind === 'draw.seed').payload.seed), pool, 3);
  const named = want.map((no) => `Prénom${+no.slice(1)} Nom${+no.slice(1)} (${no})`).join(', ');
  said = await alertText();
  check(said === `Tirage « tiers des administrateurs à renouveler » : ${named}.`, `three drawn, as recomputed here (« ${said} »)`);
  await mod.waitForFunction(() => document.querySelector('#m-draws-list li[data-draw="d1"] .drawn') !== null, null, { timeout: 15000 });
  check((await item()).includes(`Tirés au sort, dans l’ordre : ${named}.`) && await mod.locator('#m-draws-list button').count() === 0,
    'the console lists who was drawn; the button goes');
  const ver = exportAndVerify(data, id);
  check(ver.exported === 0 && ver.status === 0, `the record verifies (${ver.out.trim().split('\n').pop()})`);
  await noCsp(mod, 'console');
}, [srv]);
