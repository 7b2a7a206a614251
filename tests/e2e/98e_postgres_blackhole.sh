#!/usr/bin/env bash
# Fault matrix (5): PostgreSQL stops answering without refusing anything
# (every one of its processes paused with SIGSTOP: connections are
# accepted by the kernel, requests taken, nothing comes back) for 30 s in
# the middle of a fan-out and its delivery. No service may hang: their
# statements and connection attempts time out (BND_PG_TIMEOUT_MS),
# readiness says so, the dispatchers stop sending once their claims can no
# longer be vouched for; when PostgreSQL answers again everything goes on:
# nothing lost, nothing sent twice.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
. "$(dirname "$0")/lib_fanout.sh"
PG_PIDS=()
resume_pg() { [ "${#PG_PIDS[@]}" -eq 0 ] || kill -CONT "${PG_PIDS[@]}" 2>/dev/null || true; }
cleanup() {
	resume_pg
	fm_composer_default
	fm_restore
}
trap cleanup EXIT

N=2000
RATE=100
SERVICES=(subscriptions composer dispatcher)
declare -A URL_OF=([subscriptions]=$SUBSCRIPTIONS_URL [composer]=$COMPOSER_URL
	[dispatcher]=$DISPATCHER_URL)

step "a slow fan-out to $N + $N citizens"
fm_slow_send "$N" "$RATE"

step "every PostgreSQL process paused for 30 s"
pm=$(head -1 "$BND_STATE_DIR/pg/postmaster.pid")
mapfile -t PG_PIDS < <(printf '%s\n' "$pm"; pgrep -P "$pm")
before=$(fm_progress)
kill -STOP "${PG_PIDS[@]}"
t0=$(date +%s)
printf '   ..  paused %s processes; reached so far %s\n' "${#PG_PIDS[@]}" "$before"
for s in "${SERVICES[@]}"; do
	wait_eq 20 "$s: not ready" 503 http_status -m 3 "${URL_OF[$s]}/readyz"
	assert_eq "$(http_status -m 3 "${URL_OF[$s]}/healthz")" 200 "$s: alive, answering at once"
done
wait_until 25 "the dispatcher stopped sending" \
	"a=\$(fm_progress); sleep 3; [ \"\$a\" = \"\$(fm_progress)\" ]"
left=$((30 - ($(date +%s) - t0)))
[ "$left" -le 0 ] || sleep "$left"
# The busy ones were waiting on PostgreSQL (subscriptions had nothing to do).
for s in composer dispatcher; do
	assert_contains "$(cat "$BND_LOGS_DIR/$s.log")" '"event":"pg.timeout"' "$s: its statements timed out"
done

step "PostgreSQL answers again"
resume_pg
PG_PIDS=()
for s in "${SERVICES[@]}"; do
	wait_eq 30 "$s: ready again" 200 http_status -m 3 "${URL_OF[$s]}/readyz"
done

step "everyone got it once"
fm_wait 180
fm_check 0
for s in ingest "${SERVICES[@]}"; do
	pid_gone "$(svc_pid "$s")" && e2e_fail "$s died"
done
printf '   ok  no service died\n'
e2e_done
