#!/usr/bin/env bash
# The fuzz targets of fuzz/ (see fuzz/README.md):
#   scripts/fuzz.sh run [SECONDS] [TARGET...]   libFuzzer, build-fuzz/fuzz/<target>,
#       each for SECONDS (60) from fuzz/corpus/<target>; new inputs go to
#       build-fuzz/corpus/<target>, crashes to build-fuzz/crashes/<target>/
#   scripts/fuzz.sh merge [TARGET...]            fuzz/corpus/<target> rewritten as the
#       smallest set (libFuzzer -merge=1) covering it and build-fuzz/corpus/<target>;
#       inputs named crash-*, timeout-*, leak-* (what fuzzing found) are kept
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

merge() {
	local t keep
	for t in $(targets "$@"); do
		rm -rf "build-fuzz/merged/$t"
		mkdir -p "build-fuzz/merged/$t" "build-fuzz/corpus/$t"
		"build-fuzz/fuzz/$t" -merge=1 -timeout=10 "build-fuzz/merged/$t" "fuzz/corpus/$t" \
			"build-fuzz/corpus/$t" >"build-fuzz/$t.merge.log" 2>&1 || { echo "merge $t failed"; return 1; }
		keep=$(mktemp -d)
		find "fuzz/corpus/$t" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' \
			-o -name 'leak-*' \) -exec cp {} "$keep/" \;
		rm -rf "fuzz/corpus/$t"
		mkdir -p "fuzz/corpus/$t"
		cp "build-fuzz/merged/$t"/* "$keep"/* "fuzz/corpus/$t/" 2>/dev/null || true
		rm -rf "$keep"
		printf '%s: %s files, %s bytes\n' "$t" "$(find "fuzz/corpus/$t" -type f | wc -l)" \
			"$(cat "fuzz/corpus/$t"/* | wc -c)"
	done
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
merge) shift; merge "$@" ;;
replay) shift; replay "$@" ;;
*) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
esac
