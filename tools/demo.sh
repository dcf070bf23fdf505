#!/bin/sh
# make demo: starts the appliance on the embedded demo association (see
# `scrutin demo --help`): a roll of about 30 members, a meeting with its
# agenda, credentials and QR sheets, then serves in the foreground and
# prints the moderator's, scrutineers', projector's and members' URLs.
# DEMO_PORT picks the port (default: the first free one from 8443);
# DEMO_LAN=1 serves on the machine's local-network address (--lan), so that
# a phone on the same Wi-Fi opens the links and scans the QR code.
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
if [ ! -x "$BUILD/scrutin" ]; then
  echo "demo: $BUILD/scrutin is missing: run 'make demo' from the top of the tree" >&2
  exit 1
fi
lan=
[ "${DEMO_LAN:-0}" = 1 ] && lan=--lan
exec "$BUILD/scrutin" demo --data demo-data ${DEMO_PORT:+--port "$DEMO_PORT"} $lan
