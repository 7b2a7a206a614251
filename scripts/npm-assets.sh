#!/usr/bin/env bash
# Fetches the npm packages whose files the console and its browser tests
# use (web/npm-assets.txt: name, pinned version, the registry's sha512
# integrity), each as the registry's tarball with curl, checks the
# integrity and unpacks it into DEST/<name>-<version>/ (the tarball's
# package/ folder). Idempotent: a package already unpacked is skipped.
# No Node.js, no npm client: nothing of it runs, only its files are served.
#
#   scripts/npm-assets.sh DEST [NAME...]   default: every package listed
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIST="$ROOT/web/npm-assets.txt"
REGISTRY=https://registry.npmjs.org

say() { printf 'npm-assets: %s\n' "$*" >&2; }

# fetch NAME VERSION INTEGRITY DEST: one package, checked and unpacked.
fetch() {
	local name=$1 version=$2 integrity=$3 dest=$4 tgz got
	[ -d "$dest/$name-$version/package" ] && return 0
	mkdir -p "$dest"
	tgz="$dest/$name-$version.tgz"
	say "fetching $name $version"
	curl -fsSL --retry 3 -o "$tgz.part" "$REGISTRY/$name/-/$name-$version.tgz"
	got="sha512-$(openssl dgst -sha512 -binary "$tgz.part" | base64 -w0)"
	if [ "$got" != "$integrity" ]; then
		rm -f "$tgz.part"
		say "$name $version: integrity $got, expected $integrity"
		return 1
	fi
	rm -rf "$dest/$name-$version.tmp"
	mkdir -p "$dest/$name-$version.tmp"
	tar -xzf "$tgz.part" -C "$dest/$name-$version.tmp" --no-same-owner
	rm -f "$tgz.part"
	mv "$dest/$name-$version.tmp" "$dest/$name-$version"
}

[ $# -ge 1 ] || { say "usage: $0 DEST [NAME...]"; exit 2; }
dest=$1
shift
while read -r name version integrity; do
	case $name in '' | '#'*) continue ;; esac
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	fetch "$name" "$version" "$integrity" "$dest"
done <"$LIST"
