#!/bin/sh
# bench_server.sh — the live meeting under load (tests/bench/bench_server.mjs):
# 2,000 phones on the live stream, each casting a real ballot when the
# motion opens. Each SSE stream holds one CivetWeb worker thread; CivetWeb
# 1.15 has no stack-size option, and glibc sizes a new thread's stack from
# RLIMIT_STACK, so the stack limit is lowered here (256 KB: measured
# handler depth is tens of KB). File descriptors: one per connection.
set -eu
BENCH_STACK_KB=${BENCH_STACK_KB:-256}
export BENCH_STACK_KB
ulimit -s "$BENCH_STACK_KB"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node tests/bench/bench_server.mjs
