# kiosk/ — browser cryptography (kiosk/js/scrutin-crypto.js on
# libsodium-wrappers-sumo). See kiosk/js/README.md for the files the server
# must serve. Tests need Node 20, node_modules (npm ci) and /usr/bin/chromium.
TEST_SCRIPTS += tests/kiosk/crypto-vectors.mjs tests/kiosk/crypto-browser.mjs
BENCH_SCRIPTS += tests/kiosk/bench-browser.sh
