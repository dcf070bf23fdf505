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

"$BUILD/tests/audit/gen_record" --ballots 16 --seed 3 --pv --keys "$D/keys" --out "$D/r.jsonl" || exit 1
M="$BUILD/scrutin-minutes"; V="$BUILD/scrutin-verify"
t "minutes written" "$M $D/r.jsonl > $D/pv.html"
head=$($V --quiet --lang en "$D/r.jsonl" | sed -n 's/.*head hash \([0-9a-f]*\)$/\1/p')
t "minutes name the head hash" "grep -q '$head' $D/pv.html"
t "minutes have print CSS and the sentence" "grep -q '@media print' $D/pv.html && grep -q 'Motion adoptée\|Motion rejetée' $D/pv.html"
# The engine's quorum sentence at each opening (16 present of 19 active
# members, A-IMI: a quarter, art. 9; member 15 is represented).
t "minutes have the quorum sentence" "[ \$(grep -c '<p class=\"quorum\">Quorum atteint : 16 ' $D/pv.html) = 4 ] && grep -q 'art. 9).</p>' $D/pv.html"
# A PV an association can file: association, meeting, French date,
# place, times, officers, every agenda item (one never put to the vote),
# the attendance annex; the technical material only in the last annex.
body() { sed -n '1,/id="annexe-verification"/p' "$D/pv.html"; }
t "minutes name the association, place and meeting" "grep -q '<h1>Association des Amis de l.Île &amp; Co</h1>' $D/pv.html && grep -q 'Assemblée générale ordinaire</b> — réunion du samedi 15 juin 2024, convoquée pour 14 h 00, à Salle des fêtes, 3 rue de la Mairie, Lyon.' $D/pv.html"
t "minutes have the opening and closing times" "grep -q 'La séance est ouverte à 14 h 05.' $D/pv.html && grep -q 'la séance est levée à 17 h 00.' $D/pv.html"
t "minutes name the président and the secrétaire, with signature lines" "grep -q 'Présidence de séance : Pierre Thomas.' $D/pv.html && grep -q 'Secrétaire de séance : Marie Curie.' $D/pv.html && grep -q 'secrétaire de séance<br>Marie Curie</div>' $D/pv.html"
t "an agenda item not put to the vote, in its place" "grep -A2 '<h3>3. Modification du règlement intérieur</h3>' $D/pv.html | grep -q 'Non mis aux voix'"
t "the attendance annex: present, represented by whom, absent" "grep -q 'Annexe 1 — Liste d.émargement' $D/pv.html && grep -q 'Présents : 15 ; à distance : 1 ; représentés : 1 ; absents non représentés : 2 ; membres inscrits : 19.' $D/pv.html && grep -q '<td>représenté(e)</td><td>membre <code>' $D/pv.html"
t "no ISO date, no technical text in the body" "! body | grep -q '2024-06-15\|instance <\|SHA-256\|scrutin-minutes sign\|justificatifs' && sed -n '/id=\"annexe-verification\"/,\$p' $D/pv.html | grep -q 'SHA-256'"
t "print CSS: A4, a page break before each annex" "grep -q '@page{size:A4' $D/pv.html && grep -q '.annex{break-before:page' $D/pv.html"
t "scrutineer 1 signs" "$M sign --key $D/keys/trustee1.key --record $D/r.jsonl --minutes $D/pv.html > $D/pv.sig"
t "scrutineer 3 signs" "$M sign --key $D/keys/trustee3.key --record $D/r.jsonl --minutes $D/pv.html >> $D/pv.sig"
t "verifier accepts the signatures" "$V --quiet --lang en --minutes $D/pv.html --signatures $D/pv.sig $D/r.jsonl > $D/o1 && grep -q 'Minutes signed by scrutineer 3' $D/o1"
t "verifier says who has not signed" "grep -q 'Scrutineer 2 has not signed the minutes (signed by 2 of 3 scrutineers).' $D/o1 && ! grep -q 'Scrutineer [13] has not' $D/o1"
t "… in French too" "$V --quiet --minutes $D/pv.html --signatures $D/pv.sig $D/r.jsonl | grep -q \"Le scrutateur 2 n'a pas signé le procès-verbal (signé par 2 scrutateurs sur 3).\""
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
