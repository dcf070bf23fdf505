#!/bin/sh
# minutes.sh — the procès-verbal: written from a verified record, signed
# by two scrutineers, checked by the verifier; a changed byte of the
# minutes, a stranger's key or a world-readable key file are refused.
set -u
BUILD=${BUILD:-build}
D=test-output/audit/minutes
rm -rf "$D"; mkdir -p "$D/keys"
pass=0; fail=0
t() { if eval "$2"; then pass=$((pass + 1)); echo "ok   $1"; else fail=$((fail + 1)); echo "FAIL $1"; fi; }

"$BUILD/tests/audit/gen_record" --ballots 16 --seed 3 --keys "$D/keys" --out "$D/r.jsonl" || exit 1
M="$BUILD/scrutin-minutes"; V="$BUILD/scrutin-verify"
t "minutes written" "$M $D/r.jsonl > $D/pv.html"
head=$($V --quiet --lang en "$D/r.jsonl" | sed -n 's/.*head hash \([0-9a-f]*\)$/\1/p')
t "minutes name the head hash" "grep -q '$head' $D/pv.html"
t "minutes have print CSS and the sentence" "grep -q '@media print' $D/pv.html && grep -q 'Motion adoptée\|Motion rejetée' $D/pv.html"
# The engine's quorum sentence at each opening (16 present of 19 active
# members, A-IMI: a quarter, art. 9; member 15 is represented).
t "minutes have the quorum sentence" "[ \$(grep -c '<p class=\"quorum\">Quorum atteint : 16 ' $D/pv.html) = 4 ] && grep -q 'art. 9).</p>' $D/pv.html"
t "scrutineer 1 signs" "$M sign --key $D/keys/trustee1.key --record $D/r.jsonl --minutes $D/pv.html > $D/pv.sig"
t "scrutineer 3 signs" "$M sign --key $D/keys/trustee3.key --record $D/r.jsonl --minutes $D/pv.html >> $D/pv.sig"
t "verifier accepts the signatures" "$V --quiet --lang en --minutes $D/pv.html --signatures $D/pv.sig $D/r.jsonl | grep -q 'Minutes signed by scrutineer 3'"
t "minutes have the blank vote and the show of hands" "grep -q '<td>Vote blanc</td>' $D/pv.html && grep -q 'Votes à main levée comptés (signés, publics) : 16' $D/pv.html"
sed 's/Procès-verbal/Proces-verbal/' "$D/pv.html" > "$D/pv2.html"
t "altered minutes refused" "! $V --quiet --lang en --minutes $D/pv2.html --signatures $D/pv.sig $D/r.jsonl >$D/o2 && grep -q 'scrutineer 1 signature invalid' $D/o2"
cp "$D/keys/server.key" "$D/stranger.key"; chmod 600 "$D/stranger.key"
"$M" sign --key "$D/stranger.key" --record "$D/r.jsonl" --minutes "$D/pv.html" > "$D/pv3.sig" 2>/dev/null
t "stranger's signature refused" "! $V --quiet --lang en --minutes $D/pv.html --signatures $D/pv3.sig $D/r.jsonl >$D/o3 && grep -q 'unknown or repeated scrutineer key' $D/o3"
chmod 644 "$D/keys/trustee2.key"
t "world-readable key file refused" "! $M sign --key $D/keys/trustee2.key --record $D/r.jsonl --minutes $D/pv.html >/dev/null 2>&1"
: > "$D/empty.sig"
t "no signature refused" "! $V --quiet --minutes $D/pv.html --signatures $D/empty.sig $D/r.jsonl >/dev/null"
echo "minutes: $pass passed, $fail failed"
[ "$fail" = 0 ]
