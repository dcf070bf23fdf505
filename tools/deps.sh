#!/bin/sh
# Installs what the build, the tests and the demo need, and only what is
# missing: Debian packages, the npm packages of package-lock.json, and
# the source of CivetWeb 1.15 from Debian's source package, which the
# Makefile builds (Debian's prebuilt
# libcivetweb1 loads OpenSSL through the 1.1 API and crashes on its first
# TLS connection with OpenSSL 3). Safe to run again: it does nothing when
# everything is there. Uses sudo only when not root.
#
#   sh tools/deps.sh                       install what is missing
#   sh tools/deps.sh apt-entries deb       the deb-src entries it would add
#                                          for CivetWeb's source package
#   sh tools/deps.sh apt-entries deb-src   those already configured
# (see apt_entries below; tests/tools/deps-src.sh tests them).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# apt_entries TYPE: the entries of type TYPE (deb or deb-src) configured
# in $DEPS_APT_DIR (default /etc/apt; another directory for tests):
# sources.list and sources.list.d/*.list in the one-line format,
# sources.list.d/*.sources in deb822. Only the suites of this Debian release
# count ($DEPS_CODENAME, default VERSION_CODENAME of /etc/os-release:
# bookworm, bookworm-updates, bookworm-security...); entries of other suites
# (third-party repositories, which carry no source package) and disabled
# ones are left out. Printed as deb822 deb-src stanzas with the same URIs,
# suites, components and options (Signed-By, Trusted, Check-Valid-Until...),
# without Architectures, Languages or Targets, each stanza once. So
# `apt_entries deb` is the deb-src entry that matches the machine's own
# mirror, whatever it is.
apt_entries() {
  dir=${DEPS_APT_DIR:-/etc/apt}
  codename=${DEPS_CODENAME:-$( (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || true)}
  [ -n "$codename" ] || return 0
  lists=""; sources=""
  for f in "$dir/sources.list" "$dir"/sources.list.d/*.list; do
    [ -f "$f" ] && lists="$lists $f"
  done
  for f in "$dir"/sources.list.d/*.sources; do
    [ -f "$f" ] && sources="$sources $f"
  done
  {
    # shellcheck disable=SC2086
    [ -z "$lists" ] || awk -v type="$1" -v cn="$codename" '
      function cap(k,   n, p, i, o) {
        n = split(k, p, "-"); o = ""
        for (i = 1; i <= n; i++) o = o (i > 1 ? "-" : "") toupper(substr(p[i], 1, 1)) substr(p[i], 2)
        return o
      }
      function ours(s) { return s == cn || index(s, cn "-") == 1 || index(s, cn "/") == 1 }
      {
        sub(/#.*/, "")
        if ($1 != type) next
        rest = $0; sub("^[ \t]*" type "[ \t]*", "", rest); opts = ""
        if (substr(rest, 1, 1) == "[") {
          end = index(rest, "]"); if (!end) next
          n = split(substr(rest, 2, end - 2), kv, /[ \t]+/)
          rest = substr(rest, end + 1)
          for (j = 1; j <= n; j++) {
            eq = index(kv[j], "=")
            if (!eq) continue
            k = tolower(substr(kv[j], 1, eq - 1))
            if (k ~ /[+-]$/ || k == "arch" || k == "lang" || k == "target") continue
            opts = opts cap(k) ": " substr(kv[j], eq + 1) "\n"
          }
        }
        n = split(rest, f, /[ \t]+/); i = 1
        if (f[1] == "") i = 2
        uri = f[i]; suite = f[i + 1]; comps = ""
        for (j = i + 2; j <= n; j++) if (f[j] != "") comps = comps (comps == "" ? "" : " ") f[j]
        if (uri == "" || !ours(suite) || comps == "") next
        printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n%s\n", uri, suite, comps, opts
      }' $lists
    # shellcheck disable=SC2086
    [ -z "$sources" ] || awk -v type="$1" -v cn="$codename" '
      function ours(s) { return s == cn || index(s, cn "-") == 1 || index(s, cn "/") == 1 }
      function emit(   n, s, i, kept, t, found) {
        n = split(types, t, /[ \t]+/); found = 0
        for (i = 1; i <= n; i++) if (t[i] == type) found = 1
        n = split(suites, s, /[ \t]+/); kept = ""
        for (i = 1; i <= n; i++) if (s[i] != "" && ours(s[i])) kept = kept (kept == "" ? "" : " ") s[i]
        if (found && tolower(enabled) != "no" && uris != "" && kept != "" && comps != "")
          printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents: %s\n%s\n", uris, kept, comps, other
        types = uris = suites = comps = enabled = other = ""; key = ""
      }
      function trim(v) { gsub(/^[ \t]+|[ \t]+$/, "", v); return v }
      FNR == 1 && NR > 1 { emit() }
      /^#/ { next }
      /^[ \t]*$/ { emit(); next }
      /^[ \t]/ {
        if (key == "types") types = types " " trim($0)
        else if (key == "uris") uris = uris " " trim($0)
        else if (key == "suites") suites = suites " " trim($0)
        else if (key == "components") comps = comps " " trim($0)
        else if (key == "other") other = other $0 "\n"
        next
      }
      {
        c = index($0, ":"); if (!c) { key = ""; next }
        k = tolower(substr($0, 1, c - 1)); v = trim(substr($0, c + 1))
        if (k == "types") { key = k; types = v }
        else if (k == "uris") { key = k; uris = v }
        else if (k == "suites") { key = k; suites = v }
        else if (k == "components") { key = k; comps = v }
        else if (k == "enabled") { key = ""; enabled = v }
        else if (k == "architectures" || k == "languages" || k == "targets") key = ""
        else { key = "other"; other = other $0 "\n" }
      }
      END { emit() }' $sources
  } | awk 'BEGIN { RS = ""; ORS = "\n\n" } !seen[$0]++'
}

if [ "${1:-}" = apt-entries ]; then
  apt_entries "$2"
  exit 0
fi

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
    if [ -z "$(apt_entries deb-src)" ]; then
      # No deb-src for this release yet: the one matching the machine's own
      # 'deb' entries (its mirror, suites, components, keyring).
      src=$(apt_entries deb)
      if [ -z "$src" ]; then
        echo "deps: no 'deb' entry for this Debian release in ${DEPS_APT_DIR:-/etc/apt}/sources.list*;" \
          "add a deb-src entry for its main component (CivetWeb's source package)" >&2
        exit 1
      fi
      echo "deps: adding the deb-src entries matching the apt sources (CivetWeb's source package):"
      printf '%s\n' "$src" | sed 's/^/    /'
      printf '%s\n' "$src" | $SUDO sh -c 'cat > /etc/apt/sources.list.d/scrutin-src.sources'
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
