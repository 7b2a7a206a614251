#!/usr/bin/env bash
# The fuzz targets of fuzz/ (see fuzz/README.md):
#   scripts/fuzz.sh run [SECONDS] [TARGET...]   libFuzzer, build-fuzz/fuzz/<target>,
#       each for SECONDS (60) from fuzz/corpus/<target>; new inputs go to
#       build-fuzz/corpus/<target>, crashes to build-fuzz/crashes/<target>/
#   scripts/fuzz.sh replay [TARGET...]           every committed corpus file through
#       build-san/fuzz/replay/<target> (ASan + UBSan, no libFuzzer); one line
#       per target, "N passed, N failed" at the end
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

targets() {
	if [ "$#" -gt 0 ]; then printf '%s\n' "$@"; return; fi
	for f in fuzz/*.c; do basename "$f" .c; done
}

run() {
	local secs=${1:-60} t rc=0
	shift || true
	for t in $(targets "$@"); do
		mkdir -p "build-fuzz/corpus/$t" "build-fuzz/crashes/$t"
		printf '== fuzz %s (%s s)\n' "$t" "$secs"
		"build-fuzz/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
			-print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$t/" \
			"build-fuzz/corpus/$t" "fuzz/corpus/$t" 2>&1 |
			tee "build-fuzz/$t.log" | grep -E '^#[0-9]+[[:space:]]+DONE|^stat::|ERROR|SUMMARY' || true
		grep -q 'ERROR: \|SUMMARY: ' "build-fuzz/$t.log" && rc=1
	done
	return "$rc"
}

replay() {
	local t passed=0 failed=0
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	for t in $(targets "$@"); do
		printf '== fuzz-replay %s\n' "$t"
		if "build-san/fuzz/replay/$t" "fuzz/corpus/$t"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	done
	printf '%d passed, %d failed\n' "$passed" "$failed"
	[ "$failed" -eq 0 ]
}

case ${1:-} in
run) shift; run "$@" ;;
replay) shift; replay "$@" ;;
*) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
esac
