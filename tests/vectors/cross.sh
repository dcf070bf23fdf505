#!/bin/sh
# Cross-verification C -> JS: the C code ($BUILD/tests/unit/write_c_vectors)
# writes its own proofs, ballots, key ceremonies and decryptions, with fresh
# randomness, to test-output/c-vectors.json; the independent implementation
# (noble.mjs) must accept every item. Fails if the writer is missing or
# writes nothing. Run from the repository root with BUILD set.
set -eu
BUILD=${BUILD:-build}
prog="$BUILD/tests/unit/write_c_vectors"
out=test-output/c-vectors.json
if [ ! -x "$prog" ]; then
  echo "cross.sh: $prog is missing" >&2
  exit 1
fi
mkdir -p test-output
rm -f "$out"
"$prog"
if [ ! -s "$out" ]; then
  echo "cross.sh: $prog did not write $out" >&2
  exit 1
fi
exec node tests/vectors/noble.mjs verify "$out"
