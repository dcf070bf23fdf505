// compare.mjs — the paired runs of the live-meeting bench
// (bench_server.sh) read back from their logs DIR/a1.log… and
// DIR/b1.log…, and each figure printed as the median of its runs with
// the ratio A/B of the medians and the spread (min–max). Figures:
// ballots accepted per second, p99 latency, and the privileged
// process's CPU per ballot (main thread + verifiers, read from /proc:
// the least noisy of the three). Never pass/fail on time.
//   node tests/bench/compare.mjs DIR RUNS 'NAME OF A' 'NAME OF B'
import fs from 'node:fs';

const [dir, runs, nameA, nameB] = [process.argv[2], +process.argv[3], process.argv[4], process.argv[5]];
const pick = (side) => {
  const r = [];
  for (let i = 1; i <= runs; i++) {
    const t = fs.readFileSync(`${dir}/${side}${i}.log`, 'utf8');
    const num = (re) => { const m = t.match(re); if (!m) throw new Error(`${side}${i}: ${re} not found`); return +m[1]; };
    const acked = num(/ballots accepted\s+(\d+)/);
    r.push({ rate: num(/ballots accepted per second\s+(\d+)/),
      p99: num(/latency opening -> ack p99\s+(\d+)/),
      priv: 1000 * num(/privileged ([\d.]+) s \(main thread/) / acked });
  }
  return r;
};
const a = pick('a'), b = pick('b');
const med = (xs) => { const s = [...xs].sort((x, y) => x - y); return s[(s.length - 1) >> 1]; };
const row = (name, key, unit, digits, better) => {
  const xa = a.map((r) => r[key]), xb = b.map((r) => r[key]);
  const ma = med(xa), mb = med(xb);
  const span = (xs) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
  console.log(`${name.padEnd(30)} ${nameA} ${ma.toFixed(digits)} ${unit} (${span(xa)}), ${nameB} ${mb.toFixed(digits)} ${unit} (${span(xb)}): ratio ${(ma / mb).toFixed(3)} (${better})`);
};
row('ballots accepted per second', 'rate', '/s', 0, 'higher is better');
row('latency opening -> ack p99', 'p99', 'ms', 0, 'lower is better');
row('privileged CPU per ballot', 'priv', 'ms', 3, 'lower is better');
