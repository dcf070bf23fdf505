#!/bin/sh
# Runs each libFuzzer target for FUZZ_SECONDS (default 30) over its corpus
# folder, adding what it finds to the corpus. A crash fails the run.
set -eu
BUILD=$1; shift
secs=${FUZZ_SECONDS:-30}
for t in "$@"; do
  mkdir -p "tests/fuzz/corpus/$t"
  echo "== fuzz $t for ${secs}s"
  "./$BUILD/tests/fuzz/fuzzer_$t" -max_total_time="$secs" -max_len=65536 \
      "tests/fuzz/corpus/$t" 2>&1 | tail -n 3
done
