#!/bin/sh
# Runs every scenario of tests/scenarios/ through scrutin-count and
# compares with the expected outputs committed next to it:
#   NAME.yaml               the scenario; the profile is the directory's
#                           name (ballot-formats/profiles/DIR.yaml), or
#                           NAME.profile.yaml when it exists
#   NAME.expected.txt       `--text --lang fr` output, exact
#   NAME.expected.en.txt    `--text --lang en` output, exact
#   NAME.expected.json      JSON output, exact
#   NAME.expected.err       the error line on stderr with `--lang fr`, exact,
#                           exit status 1, nothing on stdout
#   NAME.expected.en.err    the same with `--lang en`
# A scenario with no expected file fails: every scenario checks something.
set -u
BUILD=${BUILD:-build}
BIN="$BUILD/scrutin-count"
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$BIN" ] || { echo "missing $BIN"; exit 1; }
for s in $(find tests/scenarios -name '*.yaml' ! -name '*.profile.yaml' | sort); do
  dir=$(basename "$(dirname "$s")")
  base=${s%.yaml}
  prof="ballot-formats/profiles/$dir.yaml"
  [ -f "$base.profile.yaml" ] && prof="$base.profile.yaml"
  checked=0
  for lang in fr en; do
    exp="$base.expected.err"
    [ $lang = en ] && exp="$base.expected.en.err"
    [ -f "$exp" ] || continue
    checked=1
    "$BIN" --profile "$prof" --lang $lang "$s" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -ne 1 ] || [ -s "$tmp/out" ] || ! diff -u "$exp" "$tmp/err" >"$tmp/diff"; then
      echo "FAIL $s (error, $lang; exit $rc)"; cat "$tmp/diff"; fail=$((fail + 1))
    else pass=$((pass + 1)); fi
  done
  if [ -f "$base.expected.txt" ]; then
    checked=1
    if ! "$BIN" --profile "$prof" --text --lang fr "$s" >"$tmp/out" 2>"$tmp/err"; then
      echo "FAIL $s (text: exit status)"; cat "$tmp/err"; fail=$((fail + 1))
    elif ! diff -u "$base.expected.txt" "$tmp/out" >"$tmp/diff"; then
      echo "FAIL $s (text)"; cat "$tmp/diff"; fail=$((fail + 1))
    else pass=$((pass + 1)); fi
  fi
  if [ -f "$base.expected.en.txt" ]; then
    checked=1
    if ! "$BIN" --profile "$prof" --text --lang en "$s" >"$tmp/out" 2>"$tmp/err" ||
       ! diff -u "$base.expected.en.txt" "$tmp/out" >"$tmp/diff"; then
      echo "FAIL $s (text, en)"; cat "$tmp/err" "$tmp/diff" 2>/dev/null; fail=$((fail + 1))
    else pass=$((pass + 1)); fi
  fi
  if [ -f "$base.expected.json" ]; then
    checked=1
    if ! "$BIN" --profile "$prof" "$s" >"$tmp/out" 2>"$tmp/err" ||
       ! diff -u "$base.expected.json" "$tmp/out" >"$tmp/diff"; then
      echo "FAIL $s (json)"; cat "$tmp/err" "$tmp/diff" 2>/dev/null; fail=$((fail + 1))
    else pass=$((pass + 1)); fi
  fi
  if [ $checked = 0 ]; then echo "FAIL $s (no expected output)"; fail=$((fail + 1)); fi
done
echo "scenarios: $pass passed, $fail failed"
[ $((pass + fail)) -gt 0 ] && [ $fail = 0 ]
