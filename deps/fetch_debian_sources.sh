#!/usr/bin/env bash
# Unpacks the Debian source packages named in deps/corpus/debian-sources.txt ("group package
# version" per line) into DEST/<group>/<package>/, for the languages' round-trip corpora
# (cmake/corpus.cmake calls this at configure time; tests never fetch). Only the upstream tarball
# is taken (--tar-only); apt checks it against the signed Sources index.
# The apt state (index, partial downloads) stays under DEST/.apt: the system's apt is not touched.
#   deps/fetch_debian_sources.sh DEST
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:?usage: fetch_debian_sources.sh DEST}"
list="$here/corpus/debian-sources.txt"
suite="${SCALE_DEBIAN_SUITE:-bookworm}"
mirror="${SCALE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
command -v apt-get >/dev/null || { echo "apt-get not found: not a Debian system" >&2; exit 3; }
mkdir -p "$dest/.apt/lists/partial" "$dest/.apt/cache/archives/partial" "$dest/.apt/dl"
echo "deb-src $mirror $suite main" > "$dest/.apt/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$dest/.apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$dest/.apt/lists" -o "Dir::Cache=$dest/.apt/cache" -o APT::Sandbox::User=root -qq)
apt-get "${apt_opts[@]}" update >&2
while read -r group pkg version; do
  case "$group" in ''|'#'*) continue ;; esac
  out="$dest/$group/$pkg"
  [ -f "$out/.ok" ] && continue
  rm -rf "$out" "$out.tmp" "$dest/.apt/dl/$pkg"
  mkdir -p "$dest/.apt/dl/$pkg" "$out.tmp"
  (cd "$dest/.apt/dl/$pkg" && apt-get "${apt_opts[@]}" source --download-only --tar-only "$pkg=$version" >&2)
  orig="$(ls "$dest/.apt/dl/$pkg"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -1)"
  [ -n "$orig" ] || orig="$(ls "$dest/.apt/dl/$pkg"/*.tar.* | grep -v '\.asc$' | head -1)"  # native packages
  tar -xf "$orig" -C "$out.tmp" --strip-components=1
  touch "$out.tmp/.ok"
  mv "$out.tmp" "$out"
  rm -rf "$dest/.apt/dl/$pkg"
done < "$list"
