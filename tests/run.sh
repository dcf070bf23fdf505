#!/bin/sh
# Runs the test programs and scripts named on the command line:
#   run.sh BUILD prog... -- script...
# A program or script passes when it exits 0. With VALGRIND=1 the programs
# run under valgrind (any error fails them). Prints one line per test and
# the closing line "N passed, N failed".
set -u
BUILD=$1; shift
passed=0; failed=0; failures=""
mkdir -p test-output/logs
# Run as root, `scrutin serve` drops to its two system users (confine.c):
# made here once, when missing, for every test that starts a server.
if [ "$(id -u)" = 0 ] && [ -x "$BUILD/scrutin" ] &&
    ! "$BUILD/scrutin" init --create-users --data test-output/users \
    >test-output/logs/users.log 2>&1; then
  echo "scrutin init --create-users failed: see test-output/logs/users.log" >&2
  exit 1
fi
run_one() {
  name=$1; shift
  log="test-output/logs/$(echo "$name" | tr '/' '_').log"
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1)); echo "PASS $name"
  else
    failed=$((failed + 1)); failures="$failures $name"; echo "FAIL $name (log: $log)"
    tail -n 30 "$log" | sed 's/^/    /'
  fi
}
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  p=$1; shift
  if [ "${VALGRIND:-0}" = 1 ]; then
    run_one "$p" valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "./$p"
  else
    run_one "$p" "./$p"
  fi
done
[ $# -gt 0 ] && shift
for s in "$@"; do
  case "$s" in
    *.mjs|*.js) run_one "$s" node "$s" ;;
    *) BUILD="$BUILD" run_one "$s" sh "$s" ;;
  esac
done
echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
if [ $((passed + failed)) = 0 ]; then echo "no test ran" >&2; exit 1; fi
[ "$failed" = 0 ]
