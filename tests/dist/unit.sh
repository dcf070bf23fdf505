#!/bin/sh
# unit.sh — dist/scrutin.service, measured and run (make check-unit, and
# make test):
#  - its exposure by `systemd-analyze security --offline=true`: printed,
#    and at most 2.0 (a copy without its capability bounding set, measured
#    the same way, must be above: the figure is really read);
#  - as root, its ExecStart run the way the unit runs it where systemd is
#    not running: setpriv gives the unit's User=, the ambient capabilities
#    and bounding set it names, and no new privileges; the server binds a
#    port below 1024 and serves, the privileged process as _scrutin with
#    no capability, the network process as _scrutin-net, chrooted, none
#    either (docs/server.md, "Users and confinement").
set -eu
BUILD=${BUILD:-build}
unit=dist/scrutin.service
MAX=2.0
fail() { echo "FAIL $*"; exit 1; }

if ! command -v systemd-analyze >/dev/null 2>&1; then
	echo "SKIP systemd-analyze is missing (apt-get install systemd): the unit is not measured"
	exit 0
fi
exposure() {	# the overall exposure figure of unit file $1
	systemd-analyze security --offline=true "$1" 2>&1 |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'
}
above() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

fig=$(exposure "$unit")
[ -n "$fig" ] || fail "no exposure figure from systemd-analyze security"
echo "exposure of $unit (systemd-analyze security --offline=true): $fig (at most $MAX)"
if above "$fig" "$MAX"; then
	systemd-analyze security --offline=true "$unit" 2>&1 | grep '✗' || true
	fail "exposure $fig is above $MAX"
fi
mkdir -p test-output
weak=$(mktemp -d test-output/unit-weak-XXXXXX)
grep -v '^CapabilityBoundingSet=' "$unit" >"$weak/scrutin.service"
wfig=$(exposure "$weak/scrutin.service")
above "$wfig" "$MAX" || fail "control: without CapabilityBoundingSet= the exposure ($wfig) should be above $MAX"
echo "control: without its CapabilityBoundingSet= the unit measures $wfig"

if [ "$(id -u)" != 0 ]; then
	echo "not root: the unit's ExecStart is not run under its confinement (that needs root); exposure checked"
	exit 0
fi
"$BUILD/scrutin" init --create-users --data test-output/users >/dev/null 2>&1 ||
    fail "scrutin init --create-users"
user=$(sed -n 's/^User=//p' "$unit")
[ "$user" = _scrutin ] || fail "the unit's User= is $user, not _scrutin"
caps=$(sed -n 's/^AmbientCapabilities=//p' "$unit" | tr 'A-Z' 'a-z' |
    sed 's/cap_/+/g; s/ /,/g')
bset=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' |
    sed 's/cap_/+/g; s/ /,/g')
data=$(mktemp -d test-output/unit-XXXXXX)	# as StateDirectory= makes it
chown "$user:$user" "$data"
chmod 0700 "$data"
port=
for p in 443 444 445 446 447 448 449 450; do
	if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then port=$p; break; fi
done
[ -n "$port" ] || fail "no free port below 1024"
setpriv --reuid="$user" --regid="$user" --init-groups \
    --inh-caps=-all,"$caps" --ambient-caps=-all,"$caps" \
    --bounding-set=-all,"$bset" --no-new-privs \
    "$BUILD/scrutin" serve --data "$data" --listen "127.0.0.1:$port" \
    --assets kiosk >"$data.out" 2>"$data.log" &
priv=$!
trap 'kill $priv 2>/dev/null || true' EXIT
net=
for i in $(seq 1 200); do
	net=$(sed -n 's/.*en écoute sur https:.*(processus réseau \([0-9]*\),.*/\1/p' "$data.log")
	[ -n "$net" ] && break
	kill -0 "$priv" 2>/dev/null || { cat "$data.log"; fail "serve stopped"; }
	sleep 0.1
done
[ -n "$net" ] || { cat "$data.log"; fail "serve did not listen on $port"; }
echo "listening on 127.0.0.1:$port (below 1024) with the unit's capabilities"
field() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | awk '{ print $1 }'; }
[ "$(field "$priv" Uid)" = "$(id -u _scrutin)" ] || fail "privileged process not _scrutin"
[ "$(field "$net" Uid)" = "$(id -u _scrutin-net)" ] || fail "network process not _scrutin-net"
for pid in "$priv" "$net"; do
	[ "$(field "$pid" CapPrm)" = 0000000000000000 ] || fail "process $pid keeps capabilities"
	[ "$(field "$pid" CapAmb)" = 0000000000000000 ] || fail "process $pid keeps ambient capabilities"
	[ "$(field "$pid" NoNewPrivs)" = 1 ] || fail "process $pid may gain privileges"
done
for t in /proc/"$net"/task/*; do
	[ "$(sed -n 's/^CapPrm:[[:space:]]*//p' "$t/status")" = 0000000000000000 ] ||
	    fail "network thread $t keeps a capability"
done
case "$(readlink "/proc/$net/root")" in
*" (deleted)") ;;
*) fail "network process not chrooted: $(readlink "/proc/$net/root")" ;;
esac
[ -z "$(ls -A "/proc/$net/root/")" ] || fail "network process's root is not empty"
if command -v curl >/dev/null 2>&1; then
	curl -sS --cacert "$data/tls-cert.pem" --resolve "localhost:$port:127.0.0.1" \
	    "https://localhost:$port/api/v1/status" | grep -q '"service":"scrutin"' ||
	    fail "no answer on https://localhost:$port/"
	echo "serves /api/v1/status over TLS"
fi
kill "$priv"
wait "$priv" || fail "serve did not stop cleanly on SIGTERM"
trap - EXIT
echo "unit: exposure $fig; ExecStart under the unit's users and capabilities: ok"
