#!/bin/sh
# tamper.sh — the tamper suite of docs/record.md §9: a clean record
# passes; for each kind of content, a mutated record fails and the
# verifier names that failure (exact message, grep -F). Also checks the
# voter lookups (receipt, credential) and the exit codes.
set -u
BUILD=${BUILD:-build}
V="$BUILD/scrutin-verify"
T="$BUILD/tests/audit/tamper"
F="$BUILD/tests/audit/test_feed"
D=test-output/audit/tamper
rm -rf "$D"; mkdir -p "$D/keys" "$D/akeys"
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }

"$BUILD/tests/audit/gen_record" --ballots 24 --seed 7 --revotes 3 \
    --keys "$D/keys" --out "$D/clean.jsonl" || { echo "generator failed"; exit 1; }

if "$V" --quiet --lang en "$D/clean.jsonl" >"$D/clean.out" 2>&1; then
  grep -q "^Question motion-1: verified" "$D/clean.out" &&
  grep -q "^Question election-1: verified" "$D/clean.out" &&
  grep -q "^Question election-2: verified .*(Candidate A 12, Candidat B 6, Candidat C 3, Vote blanc 3; 24 ballots counted; outcome: elected)" "$D/clean.out" &&
  grep -q "out of 21 valid ballots" "$D/clean.out" &&
  grep -q "^Question motion-2: verified .*24 ballots counted by show of hands" "$D/clean.out" &&
  grep -q "^Record verified" "$D/clean.out" && ok "clean record passes" || ko "clean record output"
else ko "clean record passes"; cat "$D/clean.out"; fi
if "$V" --quiet "$D/clean.jsonl" | grep -q "^Question motion-1 : vérifiée — "; then
  ok "French verdict"; else ko "French verdict"; fi

# mode | expected message (English)
while IFS='|' read -r mode msg; do
  [ -z "$mode" ] && continue
  "$T" "$mode" "$D/keys" "$D/clean.jsonl" "$D/$mode.jsonl" || { ko "$mode: tamper tool"; continue; }
  "$V" --quiet --lang en "$D/$mode.jsonl" >"$D/$mode.out" 2>&1
  rc=$?
  # The appliance's check on write (audit_verifier_feed) refuses the
  # very event the whole-record verifier names, with its words.
  if "$F" "$D/$mode.jsonl" >"$D/$mode.feed" 2>&1; then
    ok "$mode: line by line, $(tail -n 2 "$D/$mode.feed" | head -n 1 | sed 's/.*: whole/whole/')"
  else
    ko "$mode: line by line"; sed 's/^/    /' "$D/$mode.feed"
  fi
  case $mode in *clean)
    [ $rc = 0 ] && grep -qF -- "$msg" "$D/$mode.out" && ok "$mode: re-chained record passes" ||
      { ko "$mode: re-chained record"; cat "$D/$mode.out"; }
    continue;;
  esac
  if [ $rc = 1 ] && grep -qF -- "$msg" "$D/$mode.out"; then
    ok "$mode: $(head -n 1 "$D/$mode.out")"
  else
    ko "$mode (exit $rc, wanted: $msg)"; sed 's/^/    /' "$D/$mode.out"
  fi
done <<'EOF2'
clean|Record verified
audited-clean|Question motion-1: 1 ballot(s) audited by their member, published spoiled, never counted
audited-selection|audited ballot (spoiled) at seq 75: the published selection is not the one the ballot encrypts
audited-opening|audited ballot (spoiled) at seq 75: invalid opening: the randomness does not give this ciphertext
audited-cast|ballot at seq 76: ballot whose encryption was opened (audited ballot at seq 75): an audited ballot never counts
proxy-start-clean|1 digital proxies signed by the members
paper-clean|1 paper proxies entered by the desk
draw-clean|Record verified
draw-drawn|draw by lot at seq 32: draw d1: the members drawn are not those the statutes engine draws from the seed and the pool
proxy-deadline|proxy at seq 71: proxy given after the statutes' deadline (art. 9)
paper-channel|proxy at seq 71: paper proxy the statutes do not admit (art. 9)
paper-sig|proxy at seq 71: paper proxy signature invalid
ballot-byte|ballot at seq 77: signature invalid
proof|ballot at seq 78: membership proof 2 invalid
overall-proof|ballot at seq 78: overall proof invalid
hint-clean|Record verified
hint-length-clean|Record verified
hint-forged|ballot at seq 78: membership proof 1 invalid
hint-cancel|ballot at seq 78: membership proof 1 invalid
key-share|key ceremony at seq 42: key share Y_2 does not match the commitments
key-share-pok|key ceremony at seq 42: key share 2 proof of possession invalid
sum|question motion-1: sum of choice 1 does not match the ballots
result|question motion-1: count of choice 1 is
outcome|question motion-1: outcome rejected recorded, adopted recomputed
sentence|question motion-1: sentence differs from the statutes engine's
decryption-share|question motion-1: decryption share of trustee 1 for choice 1 invalid
delete-ballot|question motion-1: 24 counted ballots recorded, 23 recomputed
duplicate-ballot|: duplicate ballot (same receipt at seq
second-ballot|: second ballot for the same voice (first at seq
unknown-credential|: unknown credential (voice)
no-proxy|: no proxy from the voice to the signer
revoked|: revoked credential (voice)
log-payload|event at seq 1: parent hash does not match the previous event (chain broken)
log-parent|parent hash does not match the previous event (chain broken)
log-reorder|event at seq 82: seq 83 instead of 82 (chain broken)
log-rewrite|checkpoint at seq 45: checkpoint signature invalid
checkpoint-sig|checkpoint at seq 72: checkpoint signature invalid
truncate|record: record does not end with a checkpoint
checkin-sig|check-in at seq 51: check-in signature invalid
key-share-unsigned|key ceremony at seq 42: trustee 2 signature invalid
reissued-revote|ballot at seq 85: second ballot for the same voice (first at seq 83); re-voting not allowed
proxy-holder-absent|ballot at seq 98: proxy refused by the statutes engine (holder_absent)
proxy-cap|ballot at seq 83: proxy refused by the statutes engine (over_cap)
proxy-late|ballot at seq 97: proxy not in force at the question's opening
recused|: ballot of a member recused on question motion-1
recused-rule|: recusal on question motion-1, which the statutes do not provide for its rule (ordinary)
proxy-withdrawn|ballot at seq 98: no proxy from the voice to the signer
redist-clean|Record verified
redist-not-president|proxy redistribution at seq 210: redistribution signed by a member who is not the president
redist-sig|proxy redistribution at seq 210: redistribution signature invalid
redist-over-cap|proxy redistribution at seq 216: redistribution refused by the statutes engine (redistribution_over_cap)
open-vote|ballot at seq 180: signature invalid
open-vote-resigned|question motion-2: count of choice 1 is 15, recomputed 14
open-selection|ballot at seq 180: open ballot selection invalid
open-duplicate|ballot at seq 182: duplicate ballot (same receipt at seq 181)
open-second|ballot at seq 183: second ballot for the same voice (first at seq 182); re-voting not allowed
open-totals|question closing at seq 200: invalid field totals
open-result|question motion-2: count of choice 1 is 14, recomputed 15
blank-count|question election-2: count of choice 4 is 4, recomputed 3
EOF2

# Hints (docs/record.md §6): the clean record's secret ballots are all
# verified in batches; a wrong hint sends its one ballot to the
# one-by-one check, and the record still verifies.
batched() { sed -n 's/^\([0-9]*\) ballots verified in batches.*/\1/p' "$1"; }
nb=$(batched "$D/clean.out"); nh=$(grep -c '"hints"' "$D/clean.jsonl")
[ -n "$nb" ] && [ "$nb" = "$nh" ] && ok "hints: $nb ballots verified in batches" ||
  ko "hints: ${nb:-no} ballots in batches, $nh with hints"
for m in hint-clean hint-length-clean; do
  [ -n "$nb" ] && [ "$(batched "$D/$m.out")" = $((nb - 1)) ] &&
    ok "$m: that ballot alone one by one" || ko "$m: batched $(batched "$D/$m.out"), wanted $((nb - 1))"
done
"$BUILD/tests/audit/gen_record" --ballots 24 --seed 7 --revotes 3 --no-hints \
    --out "$D/nohints.jsonl" >/dev/null || { echo "generator failed"; exit 1; }
"$V" --quiet --lang en "$D/nohints.jsonl" >"$D/nohints.out" 2>&1 &&
  grep -q "^Record verified" "$D/nohints.out" && [ -z "$(batched "$D/nohints.out")" ] &&
  ok "record without hints verified one by one" || ko "record without hints"

# Amendments (docs/record.md §4): a record whose motion-1 is rejected,
# made an amendment of motion-2 by the tamper tool.
"$BUILD/tests/audit/gen_record" --ballots 24 --seed 7 --revotes 3 --reject-first \
    --keys "$D/akeys" --out "$D/amend.jsonl" || { echo "generator failed"; exit 1; }
while IFS='|' read -r mode msg; do
  "$T" "$mode" "$D/akeys" "$D/amend.jsonl" "$D/$mode.jsonl" || { ko "$mode: tamper tool"; continue; }
  "$V" --quiet --lang en "$D/$mode.jsonl" >"$D/$mode.out" 2>&1
  rc=$?
  if "$F" "$D/$mode.jsonl" >"$D/$mode.feed" 2>&1; then ok "$mode: line by line"
  else ko "$mode: line by line"; sed 's/^/    /' "$D/$mode.feed"; fi
  want=1; [ "$mode" = amend-clean ] && want=0
  if [ $rc = $want ] && grep -qF -- "$msg" "$D/$mode.out"; then ok "$mode: $(head -n 1 "$D/$mode.out")"
  else ko "$mode (exit $rc, wanted: $msg)"; sed 's/^/    /' "$D/$mode.out"; fi
done <<'EOF3'
amend-clean|Record verified
amend-rejected|: motion motion-2 amended by motion-1, which was not adopted
amend-early|: motion motion-2 opened before the result of its amendment motion-1
amend-agenda|: amendment motion-1 is on the agenda
EOF3

# The clean record has a member whose credential is reissued while the
# election is open and who votes with both keys: one voice, counted once.
grep -q '"kind":"credential.reissued","payload":{"old":"[0-9a-f]*","new"' "$D/clean.jsonl" &&
  [ "$(grep -c '"kind":"credential.reissued"' "$D/clean.jsonl")" = 2 ] &&
  grep -q "^Question election-1: verified .*24 ballots counted" "$D/clean.out" \
  && ok "reissued credential: one voice per member" || ko "reissued credential: one voice per member"

# Voter checks.
r=$(cat "$D/keys/receipt.txt")
"$V" --quiet --lang en --receipt "$r" "$D/clean.jsonl" | grep -q "^Receipt found: question motion-1" \
  && ok "receipt lookup" || ko "receipt lookup"
"$V" --quiet --lang en --receipt "$(echo "$r" | tr 0123456789abcdef 123456789abcdef0)" "$D/clean.jsonl" >/dev/null
[ $? = 1 ] && ok "absent receipt exits 1" || ko "absent receipt exits 1"
"$V" --quiet --lang en --credential "$(cat "$D/keys/nonvoter.pk")" "$D/clean.jsonl" | grep -q "^No ballot was cast with this credential" \
  && ok "non-voter credential unused" || ko "non-voter credential unused"
"$V" --quiet --lang en --credential "$(cat "$D/keys/voter.pk")" "$D/clean.jsonl" >"$D/voter.out"
[ $? = 1 ] && grep -q "ballot with this credential (voice): question motion-1" "$D/voter.out" \
  && ok "voter credential found" || ko "voter credential found"
"$V" --quiet "$D/missing.jsonl" >/dev/null 2>&1
[ $? = 2 ] && ok "unreadable record exits 2" || ko "unreadable record exits 2"

echo "tamper suite: $pass passed, $fail failed"
[ "$fail" = 0 ]
