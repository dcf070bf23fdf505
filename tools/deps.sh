#!/bin/sh
# Installs what the build, the tests and the demo need, and only what is
# missing: Debian packages, the npm packages of package-lock.json, and
# the source of CivetWeb 1.15 from Debian's source package, which the
# Makefile builds (Debian's prebuilt
# libcivetweb1 loads OpenSSL through the 1.1 API and crashes on its first
# TLS connection with OpenSSL 3). Safe to run again: it does nothing when
# everything is there. Uses sudo only when not root.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive

PKGS="build-essential pkg-config clang libclang-rt-14-dev valgrind \
libsodium-dev libssl-dev openssl libsqlite3-dev sqlite3 libqrencode-dev \
libjansson-dev libyaml-dev libpng-dev zbar-tools chromium fonts-dejavu-core \
dpkg-dev ca-certificates"

missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

updated=0
apt_update() {
  [ "$updated" = 1 ] && return 0
  echo "deps: apt-get update"
  $SUDO apt-get update -qq
  updated=1
}
if [ -n "$missing" ]; then
  echo "deps: installing$missing"
  apt_update
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# npm packages, exactly as locked, for a Node.js that the lock supports:
# package.json's "engines" and the locked packages' (.npmrc's engine-strict
# makes npm ci refuse any other; tests/node-engines.mjs says which and what
# to do first).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  node tests/node-engines.mjs --current
  echo "deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# CivetWeb 1.15 from Debian's source package, unpacked unmodified under
# build/civetweb/source; the Makefile compiles it (server/server.mk: through
# server/civetweb_ext.c, which pins the version).
CW="$ROOT/build/civetweb"
if [ ! -f "$CW/source/src/civetweb.c" ] || [ ! -f "$CW/include/civetweb.h" ]; then
  dir=$(find "$CW/src" -maxdepth 1 -type d -name 'civetweb-*' 2>/dev/null | head -n 1)
  if [ -z "$dir" ] || [ ! -f "$dir/src/civetweb.c" ]; then
    if ! ls /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | xargs grep -qs 'deb-src'; then
      echo "deps: adding a deb-src entry for bookworm (CivetWeb's source package)"
      $SUDO sh -c 'cat > /etc/apt/sources.list.d/scrutin-src.sources' <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
      updated=0
    fi
    apt_update
    rm -rf "$CW" && mkdir -p "$CW/src"
    ( cd "$CW/src" && apt-get source -qq civetweb >/dev/null 2>&1 ) || {
      echo "deps: 'apt-get source civetweb' failed" >&2; exit 1; }
    dir=$(find "$CW/src" -maxdepth 1 -type d -name 'civetweb-*' | head -n 1)
    [ -n "$dir" ] && [ -f "$dir/src/civetweb.c" ] || { echo "deps: civetweb source not found" >&2; exit 1; }
  fi
  grep -q '"1.15"' "$dir/include/civetweb.h" || { echo "deps: expected CivetWeb 1.15" >&2; exit 1; }
  mkdir -p "$CW/include"
  cp "$dir/include/civetweb.h" "$CW/include/"
  ln -sfn "src/$(basename "$dir")" "$CW/source"
fi
echo "deps: ok"
