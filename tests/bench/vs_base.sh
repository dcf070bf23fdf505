#!/bin/sh
# vs_base.sh — the live-meeting bench (bench_server.sh) on this tree and on
# an earlier commit, in turn, so that a change on the ballot path is
# measured against the code it replaced: A (this tree) and B (the base)
# run one after the other, A B A B …, and each figure is printed as the
# median of its runs with the ratio A/B of the medians. Pairing keeps the
# ratio meaningful when the shared machine's speed drifts; the spread
# (min–max) says how noisy it was. Never pass/fail on time.
#
#   sh tests/bench/vs_base.sh [REV] [RUNS]
#
# REV (default: BENCH_BASE, or the parent of the commit that put the
# record check on the write path, server/record_check.c) is checked out
# detached in build/bench-base/tree and built there with `make all`
# (CivetWeb's build and node_modules copied from this tree, nothing
# fetched). RUNS pairs (default 3). Figures compared: ballots accepted per
# second, p99 latency, and the privileged process's CPU per ballot (main
# thread + verifiers, read from /proc: the least noisy of the three).
# BENCH_PHONES etc. pass through to both sides.
set -eu
here=$(pwd)
rev=${1:-${BENCH_BASE:-}}
runs=${2:-3}
if [ -z "$rev" ]; then
	first=$(git log --format=%H --diff-filter=A -- server/record_check.c | tail -1)
	if [ -z "$first" ]; then
		echo "vs_base: skipped (no REV given, and no history to find the base: a shallow clone?)"
		exit 0
	fi
	rev="$first^"
fi
base=build/bench-base/tree
sha=$(git rev-parse --verify "$rev^{commit}")
if [ ! -d "$base" ] || [ "$(git -C "$base" rev-parse HEAD 2>/dev/null)" != "$sha" ]; then
	rm -rf "$base"
	git worktree prune
	git worktree add --detach "$base" "$sha" >/dev/null
	mkdir -p "$base/build"
	cp -a build/civetweb "$base/build/"
	cp -a node_modules "$base/"
fi
echo "base: $(git -C "$base" log --oneline -1 | cut -c1-100)"
make -s -C "$base" all >/dev/null
out=build/bench-base/runs
rm -rf "$out"; mkdir -p "$out"
i=1
while [ "$i" -le "$runs" ]; do
	echo "pair $i of $runs"
	sh tests/bench/bench_server.sh > "$out/a$i.log" 2>&1 || { tail -5 "$out/a$i.log"; exit 1; }
	(cd "$base" && sh tests/bench/bench_server.sh) > "$out/b$i.log" 2>&1 || { tail -5 "$out/b$i.log"; exit 1; }
	i=$((i + 1))
done
node - "$out" "$runs" <<'EOF'
const fs = require('fs');
const [dir, runs] = [process.argv[2], +process.argv[3]];
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
  console.log(`${name.padEnd(30)} this tree ${ma.toFixed(digits)} ${unit} (${span(xa)}), base ${mb.toFixed(digits)} ${unit} (${span(xb)}): ratio ${(ma / mb).toFixed(3)} (${better})`);
};
row('ballots accepted per second', 'rate', '/s', 0, 'higher is better');
row('latency opening -> ack p99', 'p99', 'ms', 0, 'lower is better');
row('privileged CPU per ballot', 'priv', 'ms', 3, 'lower is better');
EOF
