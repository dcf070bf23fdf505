# kiosk/ — the web apps (member /v/, kiosk /k/, moderator /m/, scrutineer /s/,
# projector /p/, desk /d/) and the browser cryptography (kiosk/js/scrutin-crypto.js on
# libsodium-wrappers-sumo). See kiosk/js/README.md. Tests need a Node.js of
# package.json's "engines" (Debian 12's 18.19/18.20 or later), node_modules
# (npm ci), /usr/bin/chromium and zbarimg; e2e.mjs runs the real
# server (build/scrutin) and saves a screenshot of every screen under
# test-output/screens/; alternatives-ui.mjs, triggers-ui.mjs and
# bureau-ui.mjs drive the moderator console's alternative motions,
# secret-ballot triggers and Bureau posts on the real server;
# labels-ui.mjs checks that the console and the projector show the
# statutes' labels, never a rule id; i18n-keys.mjs (no browser) that every
# string key used exists in French and English; storage-ui.mjs the
# console's banner and messages when the disk is full (run as root: a
# tmpfs); ties-ui.mjs the ties, re-votes and percentages in the console
# and on the projector; pv-ui.mjs a meeting run whole through the console
# and the scrutineers' pages to its signed procès-verbal, read and
# verified (issue 20); oracle-ui.mjs the scrutineers' page refusing to
# decrypt a box served by a compromised network process (issue 13);
# proxy-ui.mjs the phone's proxies: a member gives,
# withdraws and gives again a proxy by the holder's name, the holder casts
# « Ma voix » and « Procuration de NOM » as separate ballots, a mandate
# over the statutes' cap is shown refused with its article; desk-ui.mjs the
# desk's page /d/: a paper proxy entered by the members' names and listed,
# refused with « art. 4 » where the statutes admit digital proxies only;
# quorum-ui.mjs
# the live quorum on the console and the projector (the engine's sentence
# as members check in and a proxy is given); recusal-ui.mjs the console's
# « Déport » (a member picked by name, listed, removed, cleared);
# amendment-ui.mjs an amendment proposed on the console (ANIMT's
# supporters refused under 9 with « art. IV »), voted before its motion,
# the motion voted as amended on the console, the projector and the
# minutes.
# mailin-ui.mjs the phone's mail-in vote: the fallback holder named by
# name, the agenda's motions voted by mail with their receipts, the
# holder's « Procuration de repli de NOM » on a motion added on the day.
# draw-ui.mjs the phone's volunteering for an absent holder's proxy, the
# drawn mandate's ballot and its decline (Espace+ 4); redist-ui.mjs the
# APROGEMERE president's redistribution from his phone (art. II).
TEST_SCRIPTS += tests/kiosk/crypto-vectors.mjs tests/kiosk/crypto-browser.mjs tests/kiosk/e2e.mjs \
	tests/kiosk/alternatives-ui.mjs tests/kiosk/triggers-ui.mjs tests/kiosk/bureau-ui.mjs \
	tests/kiosk/labels-ui.mjs tests/kiosk/i18n-keys.mjs tests/kiosk/storage-ui.mjs \
	tests/kiosk/ties-ui.mjs tests/kiosk/pv-ui.mjs tests/kiosk/oracle-ui.mjs tests/kiosk/proxy-ui.mjs \
	tests/kiosk/desk-ui.mjs tests/kiosk/quorum-ui.mjs tests/kiosk/recusal-ui.mjs \
	tests/kiosk/amendment-ui.mjs tests/kiosk/mailin-ui.mjs tests/kiosk/deadline-ui.mjs tests/kiosk/draw-ui.mjs \
	tests/kiosk/redist-ui.mjs
# audit-ui.mjs: cast-or-audit in Benaloh's order (the fingerprint first, an
# optional check, a fresh ballot after it), a cheating page caught, the
# audited ballots in the record, scrutin-verify --audit on the download.
TEST_SCRIPTS += tests/kiosk/audit-ui.mjs
# secondconv-ui.mjs: a second convocation's live quorum (A-IMI art. 9), no
# threshold, on the console and the projector.
TEST_SCRIPTS += tests/kiosk/secondconv-ui.mjs
# qdigest-ui.mjs: the question digest on the phone and the projector
# (protocol §5.7): a phone served the candidates in another order shows
# another digest and its ballot is refused (bad_proof).
TEST_SCRIPTS += tests/kiosk/qdigest-ui.mjs
# drawseed-ui.mjs: the draw's seed from the scrutineers' pages (commit
# before the start, the value kept in the vault first; reveal after it)
# and the moderator's console (who is awaited, proceeding without a
# missing reveal, the refusal to open a question that needs the draw).
TEST_SCRIPTS += tests/kiosk/drawseed-ui.mjs
# imidraw-ui.mjs: A-IMI art. 9's draw by lot declared and drawn from the
# console.
TEST_SCRIPTS += tests/kiosk/imidraw-ui.mjs
BENCH_SCRIPTS += tests/kiosk/bench-browser.sh
