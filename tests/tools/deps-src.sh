#!/bin/sh
# tools/deps.sh's deb-src entry for CivetWeb's source package is derived
# from the machine's own apt sources (its mirror, suites, components,
# keyring), never a fixed address: fed made-up /etc/apt directories (one-line
# sources.list, deb822 *.sources) through DEPS_APT_DIR, `tools/deps.sh
# apt-entries deb` must print the matching deb-src stanzas, and
# `apt-entries deb-src` must see only real deb-src entries. When apt-get is
# there, it must also read the entries printed (offline: --print-uris).
set -u
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
# same NAME EXPECTED-FILE ACTUAL-FILE
# check NAME COMMAND...: passes when the command does
check() { n=$1; shift; if "$@"; then ok "$n"; else ko "$n"; fi; }
same() {
  if cmp -s "$2" "$3"; then ok "$1"; else ko "$1"; diff -u "$2" "$3" | sed 's/^/    /'; fi
}
entries() { DEPS_APT_DIR="$T/$1" DEPS_CODENAME=${3:-bookworm} sh tools/deps.sh apt-entries "$2"; }

# 1. One-line format: a local mirror with signed-by and arch options, a
# comment, a commented deb-src, a security suite, a third-party repository,
# a disabled-by-extension file, a line of another release.
mkdir -p "$T/oneline/sources.list.d"
cat > "$T/oneline/sources.list" <<'EOF'
# deb-src http://mirror.example.org/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/example-mirror.gpg] http://mirror.example.org/debian bookworm main contrib
deb [ signed-by=/usr/share/keyrings/example-mirror.gpg ] http://mirror.example.org/debian bookworm-updates main # updates
	deb   http://mirror.example.org/debian-security   bookworm-security  main

deb http://mirror.example.org/debian trixie main
EOF
cat > "$T/oneline/sources.list.d/thirdparty.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/nodesource.gpg] https://deb.example.net/node_20.x nodistro main
EOF
cat > "$T/oneline/sources.list.d/old.list.disabled" <<'EOF'
deb http://old.example.org/debian bookworm main
EOF
cat > "$T/oneline.want" <<'EOF'
Types: deb-src
URIs: http://mirror.example.org/debian
Suites: bookworm
Components: main contrib
Signed-By: /usr/share/keyrings/example-mirror.gpg

Types: deb-src
URIs: http://mirror.example.org/debian
Suites: bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/example-mirror.gpg

Types: deb-src
URIs: http://mirror.example.org/debian-security
Suites: bookworm-security
Components: main

EOF
entries oneline deb > "$T/oneline.got"
same "one-line sources.list: deb-src on the local mirror, its suites and signed-by" "$T/oneline.want" "$T/oneline.got"
check "a commented deb-src is no deb-src" test -z "$(entries oneline deb-src)"

# 2. deb822: a local mirror, its security suite, Signed-By, Architectures,
# Check-Valid-Until, comments, a disabled stanza, a third-party stanza.
mkdir -p "$T/deb822/sources.list.d"
cat > "$T/deb822/sources.list.d/debian.sources" <<'EOF'
Types: deb
# a comment inside the stanza
URIs: https://apt.example.org/debian/
Suites: bookworm bookworm-updates
Components: main non-free-firmware
Architectures: amd64
Check-Valid-Until: no
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

types: deb
uris: https://apt.example.org/debian-security/
suites: bookworm-security
components: main
signed-by: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: https://apt.example.org/debian/
Suites: bookworm-backports
Components: main
Enabled: no
EOF
cat > "$T/deb822/sources.list.d/thirdparty.sources" <<'EOF'
Types: deb
URIs: https://deb.example.net/node_20.x
Suites: nodistro
Components: main
Signed-By: /usr/share/keyrings/nodesource.gpg
EOF
cat > "$T/deb822.want" <<'EOF'
Types: deb-src
URIs: https://apt.example.org/debian/
Suites: bookworm bookworm-updates
Components: main non-free-firmware
Check-Valid-Until: no
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: https://apt.example.org/debian-security/
Suites: bookworm-security
Components: main
signed-by: /usr/share/keyrings/debian-archive-keyring.gpg

EOF
entries deb822 deb > "$T/deb822.got"
same "deb822 sources: deb-src on the local mirror, its suites and Signed-By" "$T/deb822.want" "$T/deb822.got"
check "deb822 without deb-src: none found" test -z "$(entries deb822 deb-src)"

# 3. An embedded key (a multi-line Signed-By) is carried whole; a stanza
# that already has deb-src counts as one.
mkdir -p "$T/embedded/sources.list.d"
cat > "$T/embedded/sources.list.d/mirror.sources" <<'EOF'
Types: deb deb-src
URIs: http://apt.lan.example/debian
Suites: bookworm
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mDMEZxxx
 -----END PGP PUBLIC KEY BLOCK-----
EOF
{ sed 's/^Types: deb deb-src$/Types: deb-src/' "$T/embedded/sources.list.d/mirror.sources"; echo; } > "$T/embedded.want"
entries embedded deb > "$T/embedded.got"
same "deb822 with an embedded key" "$T/embedded.want" "$T/embedded.got"
entries embedded deb-src > "$T/embedded-src.got"
same "Types: deb deb-src counts as a deb-src entry" "$T/embedded.want" "$T/embedded-src.got"

# 4. Both formats at once, one-line deb-src present, another release.
mkdir -p "$T/both/sources.list.d"
cp "$T/oneline/sources.list" "$T/both/sources.list"
cp "$T/deb822/sources.list.d/debian.sources" "$T/both/sources.list.d/"
cat "$T/oneline.want" "$T/deb822.want" > "$T/both.want"
entries both deb > "$T/both.got"
same "sources.list and deb822 together" "$T/both.want" "$T/both.got"
echo 'deb-src http://mirror.example.org/debian bookworm main' > "$T/both/sources.list.d/src.list"
check "a one-line deb-src is found" test -n "$(entries both deb-src)"
entries oneline deb trixie > "$T/trixie.got"
printf 'Types: deb-src\nURIs: http://mirror.example.org/debian\nSuites: trixie\nComponents: main\n\n' > "$T/trixie.want"
same "another release (DEPS_CODENAME=trixie): its own entry only" "$T/trixie.want" "$T/trixie.got"
mkdir -p "$T/empty"
check "no sources: nothing" test -z "$(entries empty deb)"

# 5. No fixed address: none of Debian's own hosts appears in what is
# printed for the local mirrors.
if cat "$T"/*.got | grep -q 'debian\.org'; then ko "no fixed address"; else ok "no fixed address"; fi

# 6. apt reads what is printed (offline: it only prints the URIs it would
# fetch): the Sources indexes of the local mirror and its security suite.
if command -v apt-get >/dev/null 2>&1; then
  mkdir -p "$T/apt/parts" "$T/apt/lists/partial" "$T/apt/cache/archives/partial"
  cp "$T/deb822.got" "$T/apt/parts/scrutin-src.sources"
  apt-get -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$T/apt/parts" \
    -o Dir::State::Lists="$T/apt/lists" -o Dir::Cache="$T/apt/cache" \
    -o Debug::NoLocking=1 --print-uris update > "$T/apt.out" 2>&1
  if grep -q "'https://apt.example.org/debian/dists/bookworm-updates/main/source/Sources" "$T/apt.out" &&
     grep -q "'https://apt.example.org/debian-security/dists/bookworm-security/main/source/Sources" "$T/apt.out"; then
    ok "apt-get reads the deb-src entries (Sources of the mirror)"
  else
    ko "apt-get reads the deb-src entries (Sources of the mirror)"; sed 's/^/    /' "$T/apt.out"
  fi
fi

echo "deps-src: $pass checks passed, $fail failed"
[ "$fail" = 0 ]
