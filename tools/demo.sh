#!/bin/sh
# make demo: starts the appliance on the embedded demo association (see
# `scrutin demo --help`): a roll of about 30 members, a meeting with its
# agenda, credentials and QR sheets, then serves in the foreground and
# prints the moderator's, scrutineers', projector's and members' URLs.
# DEMO_PORT picks the port (default: the first free one from 8443).
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
if "$BUILD/scrutin" help 2>/dev/null | grep -q '^ *demo'; then
  exec "$BUILD/scrutin" demo --data demo-data ${DEMO_PORT:+--port "$DEMO_PORT"}
fi
# Until the server's demo command exists: show what the parts do.
echo "Scrutin — démonstration des composants disponibles"
echo
echo "1. Moteur des statuts : les cinq profils d'associations"
for p in ballot-formats/profiles/*.yaml; do
  printf '   %s\n' "$p"
done
echo
echo "2. Un décompte selon les statuts de l'A.N.I.M.T. :"
s=$(find tests/scenarios -name '*.yaml' -path '*animt*' | sort | head -n 1)
"$BUILD/scrutin-count" --profile ballot-formats/profiles/animt.yaml --text "$s" | sed 's/^/   /'
echo
echo "3. Le serveur HTTPS : $BUILD/scrutin serve --data DIR (voir docs/server.md)"
