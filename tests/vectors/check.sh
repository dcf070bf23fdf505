#!/bin/sh
# Known-answer vectors: noble.mjs must reproduce tests/vectors/*.json byte for
# byte, every positive vector must verify and every negative one be rejected.
# Run from the repository root (tests/run.sh does).
set -eu
exec node tests/vectors/noble.mjs check
