#!/usr/bin/env bash
# The test runner behind `make test`:
#  1. every unit-test binary build/tests/<module>/test_* (cmocka; each
#     prints its own results), the check that docs/configuration.md
#     matches the binaries' configuration tables, the deploy check
#     (tests/deploy/k8s_validate.sh: kustomize overlays against the
#     Kubernetes schemas, alert rules, dashboard, publiccode.yml), and every fuzz target's
#     committed corpus replayed on the sanitizer build (fuzz/README.md;
#     built here with make SAN=1 fuzz-replay-bins);
#  2. a private stack (own state folder, random free ports, own topic
#     prefix) and every tests/e2e/*.sh against it, in name order; the stack
#     is torn down afterwards, also on failure or Ctrl-C; the logs of a failed
#     run are kept and their tails printed.
# Ends with one line, "N passed, N failed" (unit binaries + e2e scripts),
# and a non-zero status if anything failed.
#
#   scripts/test.sh [--unit-only | --e2e-only]
#   BND_SAN=1 scripts/test.sh     the same on the sanitizer build (build-san/,
#                                 built here if needed)
#   BND_E2E_TIMEOUT=300           seconds one e2e script may take
#   BND_KEEP_STACK=1              keep the test stack's state folder even on success
#   BND_E2E_ONLY='70_*'           run only the e2e scripts matching this glob
#   BND_BUILD_DIR=build-x         test the binaries of `make BUILD=build-x`
#   BND_E2E_DIR=tests/cluster     take the e2e scripts from another folder
#   BND_KAFKA_NODES=3             the stack on three Kafka nodes (make test-cluster)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
SAY_PREFIX="test"
# shellcheck source=scripts/lib/util.sh
. "$ROOT/scripts/lib/util.sh"

RUN_UNIT=1 RUN_E2E=1
case ${1:-} in
--unit-only) RUN_E2E=0 ;;
--e2e-only) RUN_UNIT=0 ;;
'') ;;
*) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
esac

BUILD=${BND_BUILD_DIR:-build}
if [ "${BND_SAN:-0}" = 1 ] || [ "${SAN:-0}" = 1 ]; then
	BUILD=build-san
	# Leak reports fail a unit test; services report at exit into their logs.
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	say "sanitizer build: make SAN=1 -j2 all"
	make -s SAN=1 -j2 all >&2 || { echo "0 passed, 1 failed"; exit 1; }
fi

PASSED=0 FAILED=0
FAILURES=()
STACK_UP=0
STATE_REL=".local/test-$$"

INTERRUPTED=0
CHILD=""

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1"); }

summary() {
	if [ "${#FAILURES[@]}" -gt 0 ]; then
		printf 'failed: %s\n' "${FAILURES[*]}"
	fi
	printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
}

run_unit() {
	local t found=0
	for t in "$BUILD"/tests/*/test_*; do
		if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
		found=1
		printf '== unit %s\n' "${t#"$BUILD"/tests/}"
		if run_child "$t"; then pass; else fail "unit:${t#"$BUILD"/tests/}"; fi
	done
	[ "$found" -eq 1 ] || say "no unit-test binaries in $BUILD/tests (make -j2 all builds them)"
	printf '== check docs/configuration.md matches the binaries\n'
	if BND_BIN_DIR="$BUILD/bin" scripts/config-docs.sh --check; then pass; else fail "check:config-docs"; fi
	printf '== check deploy/ (tests/deploy/k8s_validate.sh)\n'
	if run_child tests/deploy/k8s_validate.sh; then pass; else fail "check:deploy"; fi
	run_fuzz_replay
}

# run_fuzz_replay: each fuzz/corpus/<target> through build-san/fuzz/replay/<target>
# (ASan + UBSan, no libFuzzer); one line per target.
run_fuzz_replay() {
	local src name
	printf '== build the fuzz replay targets (make SAN=1 fuzz-replay-bins)\n'
	if ! make -s -j2 SAN=1 fuzz-replay-bins >&2; then
		fail "fuzz:build"
		return 0
	fi
	for src in fuzz/*.c; do
		[ -f "$src" ] || continue
		name=$(basename "$src" .c)
		printf '== fuzz-replay %s\n' "$name"
		if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
			UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
			run_child "build-san/fuzz/replay/$name" "fuzz/corpus/$name"; then
			pass
		else
			fail "fuzz:$name"
		fi
	done
}

# print_logs: tails of the test stack's logs, for a failed run.
print_logs() {
	local f
	[ -d "$ROOT/$STATE_REL/logs" ] || return 0
	for f in "$ROOT/$STATE_REL"/logs/*.log; do
		[ -f "$f" ] && log_tail "$f" 25
	done
	say "logs kept in $STATE_REL/logs"
}

# teardown: stops the test stack; removes its folder unless something failed.
# check_sanitizer_logs: the services report leaks and errors into their
# logs when they exit; any report fails the run.
check_sanitizer_logs() {
	local hits
	[ -d "$ROOT/$STATE_REL/logs" ] || return 0
	hits=$(grep -lE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' \
		"$ROOT/$STATE_REL"/logs/*.log 2>/dev/null) || return 0
	say "sanitizer reports in: $hits"
	fail "sanitizer:logs"
}

teardown() {
	[ "$STACK_UP" -eq 1 ] || return 0
	STACK_UP=0
	scripts/stack.sh down || say "stack.sh down failed"
	check_sanitizer_logs
	if [ "$FAILED" -gt 0 ]; then
		print_logs
	elif [ "${BND_KEEP_STACK:-0}" != 1 ]; then
		rm -rf "${ROOT:?}/$STATE_REL"
	fi
}

on_interrupt() {
	trap - INT TERM
	say "interrupted: tearing the test stack down"
	fail interrupted
	teardown
	summary
	exit 130
}

# run_child CMD...: runs CMD and returns its status, but in the background
# with `wait`: a Ctrl-C then reaches our trap at once, whatever CMD does
# with SIGINT (bash would otherwise run the trap only if CMD died of it).
# On an interrupt the child is stopped and the run ends (on_interrupt).
run_child() {
	local rc
	"$@" &
	CHILD=$!
	wait "$CHILD"
	rc=$?
	if [ "$INTERRUPTED" -eq 1 ]; then
		kill -TERM "$CHILD" 2>/dev/null
		wait "$CHILD" 2>/dev/null
		CHILD=""
		on_interrupt
	fi
	CHILD=""
	return "$rc"
}

run_e2e() {
	local s name scripts=() base t0 rc
	shopt -s extglob
	for s in "${BND_E2E_DIR:-tests/e2e}"/${BND_E2E_ONLY:-*}.sh; do
		[ -f "$s" ] || continue
		case $(basename "$s") in lib*.sh) ;; *) scripts+=("$s") ;; esac
	done
	[ "${#scripts[@]}" -gt 0 ] || { say "no e2e scripts in ${BND_E2E_DIR:-tests/e2e}"; return 0; }
	# Three Kafka nodes take ports +14..+19 as well.
	base=$(pick_port_base $((${BND_KAFKA_NODES:-1} == 1 ? 13 : 19))) ||
		{ say "no free port range found"; fail "e2e:ports"; return 0; }
	export BND_STATE_DIR=$STATE_REL BND_PORT_BASE=$base BND_TOPIC_PREFIX="t$$." \
		BND_BIN_DIR="$BUILD/bin"
	say "test stack: $STATE_REL, ports from $base+1, topic prefix t$$."
	STACK_UP=1
	t0=$(now_ms)
	if ! run_child scripts/stack.sh up --demo; then
		say "the test stack did not come up: every e2e script counts as failed"
		for s in "${scripts[@]}"; do fail "e2e:$(basename "$s" .sh)"; done
		teardown
		return 0
	fi
	say "test stack up in $(($(now_ms) - t0)) ms"
	# Tests run at any hour: the demo comuni get no quiet hours (default
	# 21:00-08:00 in Rome); the tests of quiet hours set their own.
	psql -qAt "$(scripts/stack.sh env | sed -n "s/^export BND_PG_DSN=//p" | tr -d "'\"")" \
		-c "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00'" >/dev/null ||
		say "could not turn the demo comuni's quiet hours off"
	for s in "${scripts[@]}"; do
		name=$(basename "$s" .sh)
		printf '== e2e %s\n' "$name"
		run_child timeout -k 10 "${BND_E2E_TIMEOUT:-300}" bash "$s"
		rc=$?
		if [ "$rc" -eq 0 ]; then
			pass
		elif [ "$rc" -eq 124 ]; then
			say "$name: timed out after ${BND_E2E_TIMEOUT:-300} s"
			fail "e2e:$name"
		else
			fail "e2e:$name"
		fi
	done
	teardown
}

trap 'INTERRUPTED=1' INT TERM
[ "$RUN_UNIT" -eq 1 ] && run_unit
[ "$RUN_E2E" -eq 1 ] && run_e2e
summary
[ "$FAILED" -eq 0 ]
