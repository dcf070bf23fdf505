#!/bin/sh
# Installs what the build, the tests and the demo need, and only what is
# missing: Debian packages, the npm packages of package-lock.json, and
# CivetWeb 1.15 built from Debian's source package (Debian's prebuilt
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

# npm packages, exactly as locked.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# CivetWeb 1.15 from Debian's source package.
CW="$ROOT/build/civetweb"
if [ ! -f "$CW/libcivetweb.a" ] || [ ! -f "$CW/include/civetweb.h" ]; then
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
  grep -q '"1.15"' "$dir/include/civetweb.h" || { echo "deps: expected CivetWeb 1.15" >&2; exit 1; }
  echo "deps: building CivetWeb 1.15 (OpenSSL 3 API, no CGI, no files, no WebSocket/Lua/HTTP2)"
  mkdir -p "$CW/include"
  cp "$dir/include/civetweb.h" "$CW/include/"
  # Built without our -Werror: it is not our code. Hardened all the same.
  cc -std=gnu11 -O2 -g -fPIE -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
     -DOPENSSL_API_3_0 -DNO_SSL_DL -DNO_CGI -DNO_FILES -DNO_CACHING \
     -DUSE_IPV6 -w \
     -I"$dir/include" -c "$dir/src/civetweb.c" -o "$CW/civetweb.o"
  # A sanitizer build needs the same object compiled with the sanitizers.
  cc -std=gnu11 -O1 -g -fPIE -fsanitize=address,undefined -fno-omit-frame-pointer \
     -DOPENSSL_API_3_0 -DNO_SSL_DL -DNO_CGI -DNO_FILES -DNO_CACHING \
     -DUSE_IPV6 -w \
     -I"$dir/include" -c "$dir/src/civetweb.c" -o "$CW/civetweb-san.o"
  ar rcs "$CW/libcivetweb.a" "$CW/civetweb.o"
  ar rcs "$CW/libcivetweb-san.a" "$CW/civetweb-san.o"
fi
echo "deps: ok"
