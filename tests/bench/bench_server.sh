#!/bin/sh
# bench_server.sh — the live meeting under load (tests/bench/bench_server.mjs
# sets up and measures; tests/bench/phones.c, built by `make all`, is the
# 2,000 phones on the live stream, each casting a real ballot when the
# motion opens). Each SSE stream holds one CivetWeb worker thread (the
# network process sets their stack size itself: server/web.c); file
# descriptors: one per connection on both sides (the server, phones.c),
# so the limit is raised here and inherited by both.
set -eu
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node tests/bench/bench_server.mjs
