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
# fetched). RUNS pairs (default 3). Figures compared (tests/bench/
# compare.mjs): ballots accepted per second, p99 latency, and the
# privileged process's CPU per ballot.
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
node tests/bench/compare.mjs "$out" "$runs" "this tree" base
