#!/bin/sh
# hooked.sh — every test script in tests/ is run by `make test`: a test
# that is written but named in no TEST_SCRIPTS list never runs, and its
# checks are worth nothing. The lists are read from the *.mk fragments the
# Makefile includes; the scripts that are not tests (benchmarks, the
# runners, helpers run by other tests) are named here, each with why.
set -eu
mk=$(find . -name '*.mk' -not -path './build/*' -not -path './test-output/*' -not -path './node_modules/*')
lists=$(sed -n '/TEST_SCRIPTS *+=/,/[^\\]$/p' $mk)
missing=0
for f in $(find tests -name '*.mjs' -o -name '*.sh' | sort); do
	case "$f" in
	*/lib/*|*/lib.mjs|*-lib.mjs|tests/fixtures/*|*/fixtures/*) continue ;;	# helpers
	tests/run.sh|tests/fuzz/run.sh) continue ;;		# the runners
	tests/bench/*|tests/kiosk/bench-*|tests/audit/bench_*)
		case "$f" in tests/bench/phones.mjs) ;; *) continue ;; esac ;;	# make bench
	tests/vectors/noble.mjs) continue ;;			# run by check.sh and cross.sh
	tests/vectors/noble-question.mjs) continue ;;		# imported by noble.mjs
	esac
	if ! printf '%s\n' "$lists" | grep -q -- "$f"; then
		echo "FAIL $f is in no TEST_SCRIPTS list: make test never runs it"
		missing=$((missing + 1))
	fi
done
[ "$missing" -eq 0 ] && echo "hooked: every test script is run by make test"
exit "$missing"
