#!/bin/sh
# bench_verify.sh — verify a record of 100,000 ballots on one
# pour/contre/abstention question, the ballots with their verification
# hints (docs/record.md §6: checked in batches, target ≤ 20 s on the
# 2-core machine), and the same record without hints (every ballot one by
# one: what the verifier did before hints were kept in the record). The
# two run in turn, A B A B … (BENCH_RUNS pairs, default 1), so the ratio
# stays meaningful when the shared machine's speed drifts; prints each
# time, ballots/s, the ratio A/B and the ratio to the bare
# proof-verification cost measured in the same run. Never fails on time.
set -u
BUILD=${BUILD:-build}
N=${BENCH_BALLOTS:-100000}
RUNS=${BENCH_RUNS:-1}
mkdir -p build/bench
# gen FILE SEED [--no-hints]: the record, generated once, then cached.
gen() {
  if [ ! -s "$1" ]; then
    echo "generating $1 ($N ballots, 2 threads; done once, then cached)…"
    t0=$(date +%s)
    "$BUILD/tests/audit/gen_record" --ballots "$N" --no-election --threads 2 \
        --seed "$2" ${3:-} --out "$1.tmp" >/dev/null || exit 1
    mv "$1.tmp" "$1"
    echo "generated in $(( $(date +%s) - t0 )) s"
  fi
}
R=build/bench/record-$((N / 1000))k-hints.jsonl
R0=build/bench/record-$((N / 1000))k.jsonl
gen "$R" 42
gen "$R0" 42 --no-hints
per=$("$BUILD/tests/audit/bench_ballot" | sed -n 's/^per_ballot_us //p')
# one LABEL RECORD: one timed run, appended to build/bench/verify.times as
# "LABEL wall cpu exit" (CPU time = user + sys, when /usr/bin/time exists:
# on a shared machine it is less disturbed by other processes).
rm -f build/bench/verify.times
one() {
  rm -f build/bench/verify.cpu
  TIME=""
  [ -x /usr/bin/time ] && TIME="/usr/bin/time -f %U+%S -o build/bench/verify.cpu"
  t0=$(date +%s.%N)
  $TIME "$BUILD/scrutin-verify" --quiet --lang en --threads 2 "$2" > "build/bench/verify-$1.out" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  cpu=$( [ -s build/bench/verify.cpu ] && tail -n 1 build/bench/verify.cpu | awk -F+ '{print $1 + $2}' || echo 0)
  echo "$1 $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') $cpu $rc" >> build/bench/verify.times
}
i=1
while [ "$i" -le "$RUNS" ]; do
  one hints "$R"
  one onebyone "$R0"
  i=$((i + 1))
done
grep -h "ballots verified in batches\|^FAIL" build/bench/verify-hints.out build/bench/verify-onebyone.out
# Medians of each side; the ratio pair by pair, then its median.
awk -v n="$N" -v per="$per" -v runs="$RUNS" '
function med(a, k,   i, j, t) {
  for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
  return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
$1 == "hints" { ha++; hw[ha] = $2; hc[ha] = $3; if ($4 != 0) bad = bad " hints(exit " $4 ")" }
$1 == "onebyone" { oa++; ow[oa] = $2; oc[oa] = $3; r[oa] = hw[oa] / $2; if ($4 != 0) bad = bad " onebyone(exit " $4 ")" }
END {
  bare = n * per / 1e6 / 2;
  w = med(hw, ha); w0 = med(ow, oa); c = med(hc, ha); c0 = med(oc, oa); rr = med(r, oa);
  printf "verify %d ballots with hints (batches): %.1f s, %.0f ballots/s; target 20 s: %s%s\n", n, w, n / w, (w <= 20 ? "met" : "NOT met"), bad;
  printf "verify %d ballots without hints (one by one, the verifier before hints): %.1f s, %.0f ballots/s\n", n, w0, n / w0;
  printf "ratio with/without hints: wall %.2f (median of %d pairs), %.1f times faster", rr, runs, 1 / rr;
  if (c > 0 && c0 > 0) printf "; CPU %.1f s vs %.1f s, ratio %.2f", c, c0, c / c0;
  printf "\n";
  # The workers hold about 90 % of the CPU time and the reader the rest,
  # so on 2 otherwise idle cores the wall time is close to CPU / 2.
  if (c > 0) printf "with hints, CPU / 2 = %.1f s: the wall time to expect on 2 idle cores (target 20 s: %s)\n", c / 2, (c / 2 <= 20 ? "met" : "NOT met");
  printf "bare ballot_verify: %.1f us/ballot on one core -> %.1f s on 2 cores; ratio wall/bare = %.2f (hints), %.2f (one by one)\n", per, bare, w / bare, w0 / bare;
}' build/bench/verify.times
# The record's check on write (server/record_check.c), on a tenth of it.
R10=build/bench/record-feed.jsonl
if [ ! -s "$R10" ]; then
  "$BUILD/tests/audit/gen_record" --ballots $((N / 10)) --no-election --threads 2 \
      --seed 43 --out "$R10.tmp" >/dev/null && mv "$R10.tmp" "$R10"
fi
"$BUILD/tests/audit/bench_feed" "$R10"
