#!/bin/sh
# make bench: browser benchmark of kiosk/js/scrutin-crypto.js (figures only).
cd "$(dirname "$0")/../.." || exit 1
exec node tests/kiosk/bench-browser.mjs
