// Cases of tests/node-engines.mjs: its reader of npm's range syntax, and its
// checks on made-up package.json / package-lock.json pairs: a lock with a
// package needing Node 20 (playwright-core 1.62 and later) under a promise
// of Node 18 must fail, whatever Node.js runs the check.
import { parseRange, satisfies, firstOutside, intersectRanges, formatRange, check } from './node-engines.mjs';

let passed = 0;
let failed = 0;
function ok(cond, what) {
  if (cond) { passed++; } else { failed++; console.error(`FAIL ${what}`); }
}

// Which versions each range accepts, and which it refuses.
const ranges = [
  ['>=18', ['18.0.0', '20.20.2', '99.0.0'], ['17.9.9', '0.1.0']],
  ['>=20', ['20.0.0', '22.1.0'], ['18.20.4', '19.9.9']],
  ['>=18.19 <27', ['18.19.0', '18.20.4', '26.99.0'], ['18.18.2', '27.0.0']],
  ['^14.21.3 || >=16', ['14.21.3', '14.99.0', '16.0.0', '22.0.0'], ['14.21.2', '15.0.0']],
  ['>=4', ['4.0.0', '18.20.4'], ['3.9.9']],
  ['^18.19.0', ['18.19.0', '18.99.9'], ['18.18.9', '19.0.0']],
  ['^0.2.3', ['0.2.3', '0.2.9'], ['0.3.0', '0.2.2']],
  ['^0.0.3', ['0.0.3'], ['0.0.4']],
  ['~18.19', ['18.19.0', '18.19.9'], ['18.20.0']],
  ['~1', ['1.0.0', '1.9.9'], ['2.0.0']],
  ['18.x', ['18.0.0', '18.20.4'], ['17.0.0', '19.0.0']],
  ['18', ['18.20.4'], ['20.0.0']],
  ['18.19.0 - 20', ['18.19.0', '20.99.0'], ['18.18.0', '21.0.0']],
  ['>18.2', ['18.3.0'], ['18.2.9']],
  ['<=18', ['18.99.0'], ['19.0.0']],
  ['>= 18.19.0 < 21', ['18.19.0', '20.20.2'], ['21.0.0']],
  ['*', ['0.0.0', '26.0.0'], []],
  ['', ['18.20.4'], []],
  ['<18 || >=20', ['16.0.0', '20.0.0'], ['18.20.4', '19.0.0']],
];
for (const [r, yes, no] of ranges) {
  const ivs = parseRange(r);
  for (const v of yes) ok(satisfies(v, ivs), `'${r}' accepts ${v}`);
  for (const v of no) ok(!satisfies(v, ivs), `'${r}' refuses ${v}`);
}
for (const bad of ['>=eighteen', 'node 18', '>=18.x.1', '18.19.0.1']) {
  let threw = false;
  try { parseRange(bad); } catch { threw = true; }
  ok(threw, `'${bad}' is refused as a range`);
}

// Containment and intersection.
ok(firstOutside(parseRange('>=18.19 <27'), parseRange('>=18')) === null, '>=18.19 <27 within >=18');
ok(firstOutside(parseRange('>=18.19 <27'), parseRange('>=20')) === '18.19.0', '>=18.19 <27 not within >=20 (18.19.0)');
ok(firstOutside(parseRange('>=18.19 <27'), parseRange('>=18.19 <25')) === '25.0.0', 'upper end outside (25.0.0)');
ok(firstOutside(parseRange('>=16'), parseRange('^14.21.3 || >=16')) === null, '>=16 within ^14.21.3 || >=16');
ok(firstOutside(parseRange('>=14'), parseRange('^14.21.3 || >=16')) === '14.0.0', '>=14 not within ^14.21.3 || >=16');
ok(firstOutside(parseRange('^14.21.3 || >=16'), parseRange('>=14.21.3 <15 || >=16.5')) === '16.0.0', 'gap between two intervals');
ok(formatRange(intersectRanges(parseRange('>=18.19 <27'), parseRange('>=18'))) === '>=18.19.0 <27.0.0', 'intersection');
ok(formatRange(intersectRanges(parseRange('>=18.19 <27'), parseRange('>=20'))) === '>=20.0.0 <27.0.0', 'intersection with >=20');

// The checks on made-up locks.
const pkg = { engines: { node: '>=18.19 <27' } };
const lockOf = (pw) => ({
  packages: {
    '': {},
    'node_modules/@noble/hashes': { version: '1.8.0', engines: { node: '^14.21.3 || >=16' } },
    'node_modules/axe-core': { version: '4.14.1', engines: { node: '>=4' } },
    'node_modules/jsqr': { version: '1.4.0' },
    'node_modules/playwright-core': { version: pw[0], engines: { node: pw[1] } },
  },
});
const good = lockOf(['1.61.1', '>=18']);
const bad = lockOf(['1.65.1', '>=20']);
for (const v of ['v18.19.0', 'v18.20.4', 'v20.20.2', 'v26.1.0']) {
  ok(check(pkg, good, v).failures.length === 0, `lock of 1.61.1 under Node ${v}`);
}
for (const v of ['v18.20.4', 'v20.20.2', 'v22.0.0']) {
  const r = check(pkg, bad, v);
  ok(r.failures.some((f) => /playwright-core@1\.65\.1, which needs Node\.js >=20/.test(f)),
    `lock of 1.65.1 fails under Node ${v}, naming the package`);
}
// Under Node 18 the lock of 1.65.1 also fails on the Node.js in use, saying both.
const r18 = check(pkg, bad, 'v18.20.4');
ok(r18.failures.some((f) => f.includes('the Node.js in use is 18.20.4') && f.includes('>=20.0.0 <27.0.0') &&
  f.includes('playwright-core@1.65.1 needs >=20') && f.includes('make test again')), 'Node 18 with the lock of 1.65.1: the sentence');
// --current (tools/deps.sh): only the Node.js in use.
ok(check(pkg, bad, 'v20.20.2', true).failures.length === 0, '--current: 1.65.1 under Node 20 passes');
ok(check(pkg, bad, 'v18.20.4', true).failures.length === 1, '--current: 1.65.1 under Node 18 fails');
ok(check(pkg, good, 'v18.18.2').failures.some((f) => f.includes('package.json accepts >=18.19 <27')), 'Node 18.18 is below the promise');
ok(check(pkg, good, 'v27.0.0').failures.length === 1, 'Node 27 is above the promise');
ok(check({}, good, 'v20.20.2').failures.length === 1, 'package.json without engines fails');

console.log(`node-engines-cases: ${passed} checks passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
