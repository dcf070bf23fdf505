// The Node.js versions the project promises, checked against the lock and
// against the Node.js in use.
//
//   node tests/node-engines.mjs            both checks (run by `make test`)
//   node tests/node-engines.mjs --current  only the Node.js in use (tools/deps.sh,
//                                          before `npm ci`)
//
// package.json's "engines.node" is the promise (Debian 12's own nodejs is
// 18.19/18.20). Every package of package-lock.json that declares
// "engines.node" must accept every version of that range: a locked package
// needing a newer Node.js (playwright-core 1.62 and later need Node 20) fails
// here even when the Node.js in use is new enough. And the Node.js in use must
// be in package.json's range and in every locked package's, or the browser
// tests stop on the package's own version check.
//
// No dependency (it runs before `npm ci`): a small reader of npm's range
// syntax (comparators, x-ranges, ^, ~, hyphen ranges, ||) on release
// versions; a range it does not understand fails the check instead of
// passing it. tests/node-engines-cases.mjs tests the reader and the checks on
// made-up locks.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const INF = null; // an interval's open upper end

// A version as [major, minor, patch]; "x", "X", "*" or a missing part is null.
function parsePartial(s, range) {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(s);
  if (!m) throw new Error(`engines range '${range}': '${s}' is not a version`);
  const part = (p) => (p === undefined || /^[xX*]$/.test(p) ? null : Number(p));
  const v = [part(m[1]), part(m[2]), part(m[3])];
  // "1.x.3" is not a range npm writes: a wildcard ends the version.
  if ((v[0] === null && (v[1] !== null || v[2] !== null)) || (v[1] === null && v[2] !== null))
    throw new Error(`engines range '${range}': '${s}' is not a version`);
  return v;
}
const fill = (v) => v.map((x) => (x === null ? 0 : x));
function cmp(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
// Upper limits, exclusive: the first version after "1.2.3", after "1.2.x", after "1.x".
function after(v) {
  if (v[0] === null) return INF;
  if (v[1] === null) return [v[0] + 1, 0, 0];
  if (v[2] === null) return [v[0], v[1] + 1, 0];
  return [v[0], v[1], v[2] + 1];
}
const maxLo = (a, b) => (cmp(a, b) >= 0 ? a : b);
const minHi = (a, b) => (a === INF ? b : b === INF ? a : cmp(a, b) <= 0 ? a : b);

// One comparator ("<21", "^14.21.3", "18.x") as an interval [lo, hi).
function comparator(c, range) {
  const m = /^(<=|>=|<|>|=|\^|~>?)?\s*(.+)$/.exec(c);
  const op = m[1] || '';
  const v = parsePartial(m[2], range);
  const lo = fill(v);
  switch (op) {
    case '>=': return [lo, INF];
    case '>': return after(v) === INF ? null : [after(v), INF];
    case '<': return v[0] === null ? null : [[0, 0, 0], lo];
    case '<=': return [[0, 0, 0], after(v)];
    case '':
    case '=': return [lo, after(v)];
    case '~':
    case '~>': return [lo, v[1] === null ? after([v[0], null, null]) : [lo[0], lo[1] + 1, 0]];
    case '^': {
      if (v[0] === null) return [lo, INF];
      if (v[0] > 0 || v[1] === null) return [lo, [lo[0] + 1, 0, 0]];
      if (v[1] > 0 || v[2] === null) return [lo, [0, lo[1] + 1, 0]];
      return [lo, [0, 0, lo[2] + 1]];
    }
  }
  throw new Error(`engines range '${range}': '${c}' is not understood`);
}
function intersect(a, b) {
  if (!a || !b) return null;
  const lo = maxLo(a[0], b[0]);
  const hi = minHi(a[1], b[1]);
  return hi !== INF && cmp(lo, hi) >= 0 ? null : [lo, hi];
}

// A range as a list of disjoint intervals [lo, hi), sorted.
export function parseRange(range) {
  if (typeof range !== 'string') throw new Error(`engines range ${JSON.stringify(range)} is not a string`);
  const out = [];
  for (const alt of range.split('||')) {
    let s = alt.trim();
    let iv = [[0, 0, 0], INF];
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(s);
    if (hyphen) {
      const a = parsePartial(hyphen[1], range);
      const b = parsePartial(hyphen[2], range);
      iv = intersect(iv, [fill(a), after(b)]);
    } else if (s !== '' && s !== '*') {
      // "> = 18" is not written by anyone; ">= 18" is: glue an operator to its version.
      s = s.replace(/(<=|>=|<|>|=|\^|~>?)\s+/g, '$1');
      for (const c of s.split(/\s+/)) {
        iv = intersect(iv, comparator(c, range));
      }
    }
    if (iv) out.push(iv);
  }
  return normalize(out);
}
function normalize(list) {
  const sorted = list.slice().sort((a, b) => cmp(a[0], b[0]));
  const out = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last && (last[1] === INF || cmp(iv[0], last[1]) <= 0)) {
      last[1] = last[1] === INF || iv[1] === INF ? INF : cmp(iv[1], last[1]) > 0 ? iv[1] : last[1];
    } else {
      out.push([iv[0].slice(), iv[1] === INF ? INF : iv[1].slice()]);
    }
  }
  return out;
}
export function intersectRanges(a, b) {
  const out = [];
  for (const x of a) for (const y of b) { const iv = intersect(x, y); if (iv) out.push(iv); }
  return normalize(out);
}
export function satisfies(version, ivs) {
  const v = fill(parsePartial(version, version));
  return ivs.some(([lo, hi]) => cmp(v, lo) >= 0 && (hi === INF || cmp(v, hi) < 0));
}
// The first version of a that b does not accept, or null when a ⊆ b.
export function firstOutside(a, b) {
  for (const [lo, hi] of a) {
    let p = lo;
    for (const [blo, bhi] of b) {
      if (bhi !== INF && cmp(bhi, p) <= 0) continue;
      if (cmp(blo, p) > 0) break;
      if (bhi === INF) { p = null; break; }
      p = bhi;
    }
    if (p !== null && (hi === INF || cmp(p, hi) < 0)) return p.join('.');
  }
  return null;
}
export function formatRange(ivs) {
  if (ivs.length === 0) return '(no version)';
  return ivs.map(([lo, hi]) => {
    const l = cmp(lo, [0, 0, 0]) === 0 ? '' : `>=${lo.join('.')}`;
    const h = hi === INF ? '' : `<${hi.join('.')}`;
    return [l, h].filter(Boolean).join(' ') || '*';
  }).join(' || ');
}

// The checks on a package.json and a package-lock.json (parsed) for the
// Node.js version `version`; returns the failures, each a sentence saying
// what is wrong and what to do.
export function check(pkg, lock, version, onlyCurrent = false) {
  const failures = [];
  const promised = pkg.engines && pkg.engines.node;
  if (!promised) {
    return { failures: ['package.json says no Node.js range ("engines": {"node": ...}): add one'] };
  }
  const want = parseRange(promised);
  let supported = want;
  const needs = [];
  for (const [path, meta] of Object.entries(lock.packages || {})) {
    if (path === '' || !meta.engines || meta.engines.node === undefined) continue;
    const name = path.replace(/^.*node_modules\//, '');
    const r = parseRange(meta.engines.node);
    supported = intersectRanges(supported, r);
    needs.push({ name: `${name}@${meta.version}`, range: meta.engines.node, ivs: r });
    const gap = firstOutside(want, r);
    if (gap && !onlyCurrent) {
      failures.push(`package-lock.json locks ${name}@${meta.version}, which needs Node.js ` +
        `${meta.engines.node}, but package.json promises Node.js ${promised} (Node.js ${gap} ` +
        `would not run it). Lock a version of ${name} that accepts all of package.json's range ` +
        `(npm view ${name}@VERSION engines), or change package.json's "engines".`);
    }
  }
  const v = version.replace(/^v/, '');
  if (!satisfies(v, supported)) {
    const refusing = needs.filter((n) => !satisfies(v, n.ivs)).map((n) => `${n.name} needs ${n.range}`);
    if (!satisfies(v, want)) refusing.unshift(`package.json accepts ${promised}`);
    failures.push(`the Node.js in use is ${v} (${process.execPath}), but the lock ` +
      `(package.json and package-lock.json) supports Node.js ${formatRange(supported)} ` +
      `(${refusing.join('; ')}). Install a Node.js in that range or put its bin/ first ` +
      `on PATH, then run make test again.`);
  }
  return { failures, supported, promised, needs };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const onlyCurrent = process.argv.includes('--current');
  let res;
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    res = check(pkg, lock, process.version, onlyCurrent);
  } catch (e) {
    console.error(`node-engines: ${e.message}`);
    process.exit(1);
  }
  if (res.failures.length) {
    for (const f of res.failures) console.error(`node-engines: ${f}`);
    process.exit(1);
  }
  if (!onlyCurrent) {
    for (const n of res.needs) console.log(`node-engines: ${n.name} accepts Node.js ${n.range}`);
    console.log(`node-engines: package.json promises Node.js ${res.promised}; ` +
      `the lock supports ${formatRange(res.supported)}`);
  }
  console.log(`node-engines: Node.js ${process.version.replace(/^v/, '')} is in that range`);
}
