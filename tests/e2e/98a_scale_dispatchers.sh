#!/usr/bin/env bash
# Fault matrix (1): dispatchers scaled 1 -> 3 -> 1 during a rate-limited
# fan-out on WhatsApp (four senders, one per partition) and Telegram, as
# an autoscaler does it: two dispatchers join the group while every
# sender has a queue, then leave it (SIGTERM) while the work is still
# going. Partitions move both ways with jobs queued and in flight; every
# citizen gets the notice exactly once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
. "$(dirname "$0")/lib_fanout.sh"
EXTRA=()
cleanup() {
	local p
	for p in "${EXTRA[@]+"${EXTRA[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
	fm_restore
}
trap cleanup EXIT

N=2000
RATE=100

step "a fan-out to $N + $N citizens at $RATE msg/s per channel kind, one dispatcher"
fm_prepare "$N" "$RATE"
revokes0=$(grep -c '"event":"dispatch.revoked"' "$BND_LOGS_DIR/dispatcher.log" || true)
fm_send
fm_wait_some 15 60

step "two more dispatchers join the group (1 -> 3)"
EXTRA+=("$(fm_dispatcher 41)") EXTRA+=("$(fm_dispatcher 42)")
wait_eq 30 "dispatcher 2 ready" 200 http_status "http://127.0.0.1:$((DISPATCHER_PORT + 41))/readyz"
wait_eq 30 "dispatcher 3 ready" 200 http_status "http://127.0.0.1:$((DISPATCHER_PORT + 42))/readyz"
wait_until 30 "the first dispatcher gave partitions up" \
	"[ \$(grep -c '\"event\":\"dispatch.revoked\"' '$BND_LOGS_DIR/dispatcher.log') -gt $revokes0 ]"
fm_wait_some 50 90

step "the two leave again (3 -> 1, SIGTERM as a scale-down does)"
for p in "${EXTRA[@]}"; do kill -TERM "$p"; done
for p in "${EXTRA[@]}"; do
	wait_until 30 "dispatcher $p drained and exited" "! kill -0 $p"
done
EXTRA=()
sent_by() { grep '"event":"dispatch.summary"' "$BND_LOGS_DIR/dispatcher-$1.log" | tail -1 |
	sed 's/.*"msg":"\([0-9]*\) job.*/\1/'; }
printf '   ..  jobs sent by the two that joined and left: %s and %s\n' "$(sent_by 41)" "$(sent_by 42)"
[ $(($(sent_by 41) + $(sent_by 42))) -gt 0 ] || e2e_fail "the newcomers sent nothing: no partition moved"

step "everyone got it once"
fm_wait 120
fm_check 0
pid_gone "$(svc_pid dispatcher)" && e2e_fail "the first dispatcher died"
e2e_done
