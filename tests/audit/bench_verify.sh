#!/bin/sh
# bench_verify.sh — verify a record of 100,000 ballots on one
# pour/contre/abstention question (target ≤ 60 s on the 2-core machine);
# prints the time, ballots/s and the ratio to the bare proof-verification
# cost measured in the same run. Never fails on time.
set -u
BUILD=${BUILD:-build}
N=${BENCH_BALLOTS:-100000}
R=build/bench/record-$((N / 1000))k.jsonl
mkdir -p build/bench
if [ ! -s "$R" ]; then
  echo "generating $R ($N ballots, 2 threads; done once, then cached)…"
  t0=$(date +%s)
  "$BUILD/tests/audit/gen_record" --ballots "$N" --no-election --threads 2 \
      --seed 42 --out "$R.tmp" || exit 1
  mv "$R.tmp" "$R"
  echo "generated in $(( $(date +%s) - t0 )) s"
fi
per=$("$BUILD/tests/audit/bench_ballot" | sed -n 's/^per_ballot_us //p')
# CPU time too (user + sys, when /usr/bin/time exists): on a shared
# machine it is less disturbed by other processes than the wall time.
TIME=""
[ -x /usr/bin/time ] && TIME="/usr/bin/time -f %U+%S -o build/bench/verify.cpu"
rm -f build/bench/verify.cpu
t0=$(date +%s.%N)
$TIME "$BUILD/scrutin-verify" --quiet --lang en --threads 2 "$R" > build/bench/verify.out 2>&1
rc=$?
t1=$(date +%s.%N)
cpu=$( [ -s build/bench/verify.cpu ] && tail -n 1 build/bench/verify.cpu | awk -F+ '{print $1 + $2}' || echo 0)
tail -n 2 build/bench/verify.out
awk -v t0="$t0" -v t1="$t1" -v n="$N" -v per="$per" -v rc="$rc" -v cpu="$cpu" 'BEGIN {
  w = t1 - t0; bare = n * per / 1e6 / 2;
  printf "verify %d ballots: %.1f s (exit %d), %.0f ballots/s; target 60 s: %s\n", n, w, rc, n / w, (w <= 60 ? "met" : "NOT met");
  printf "bare ballot_verify: %.1f us/ballot on one core -> %.1f s on 2 cores; ratio wall/bare = %.2f\n", per, bare, w / bare;
  if (cpu > 0)
    printf "CPU time %.1f s vs bare %.1f s on one core: ratio cpu/bare = %.2f\n", cpu, 2 * bare, cpu / (2 * bare);
}'
# The record's check on write (server/record_check.c), on a tenth of it.
R10=build/bench/record-feed.jsonl
if [ ! -s "$R10" ]; then
  "$BUILD/tests/audit/gen_record" --ballots $((N / 10)) --no-election --threads 2 \
      --seed 43 --out "$R10.tmp" >/dev/null && mv "$R10.tmp" "$R10"
fi
"$BUILD/tests/audit/bench_feed" "$R10"
