#!/usr/bin/env bash
# Fault matrix (6): two dispatchers share the work; one is killed
# (SIGKILL) in the middle of the delivery. Its claimed jobs wait until its
# lease runs out (no one else sends a job a live dispatcher may still
# hold), then the survivor takes them over. The only possible repeats are
# the jobs the dead one had sent and not yet recorded (the crash window):
# the test measures the window and reports the repeats. On WhatsApp the
# window closes anyway: the fake sends Meta's "sent" status webhooks, which
# carry our job id, and a status settles a claimed job as sent; Telegram
# has no such thing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
. "$(dirname "$0")/lib_fanout.sh"
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
PID2=""
cleanup() {
	[ -z "$PID2" ] || kill -TERM "$PID2" 2>/dev/null || true
	stack start dispatcher || true
	fm_restore
}
trap cleanup EXIT

N=2000
RATE=100

step "two dispatchers; a fan-out to $N + $N citizens"
PID2=$(fm_dispatcher 43)
wait_eq 30 "second dispatcher ready" 200 http_status "http://127.0.0.1:$((DISPATCHER_PORT + 43))/readyz"
sleep 3   # the group settles
fm_prepare "$N" "$RATE"
fm_send
fm_wait_some 30 60

step "the dispatcher doing most of the work is stopped dead, then killed"
PID1=$(svc_pid dispatcher)
c1=$(proc_cpu_ticks "$PID1") c2=$(proc_cpu_ticks "$PID2")
sleep 1
d1=$(($(proc_cpu_ticks "$PID1") - c1)) d2=$(($(proc_cpu_ticks "$PID2") - c2))
if [ "$d1" -ge "$d2" ]; then victim=$PID1 survivor=$PID2 vport=$DISPATCHER_PORT
else victim=$PID2 survivor=$PID1 vport=$((DISPATCHER_PORT + 43)); fi
vid=$(psql_q "SELECT id FROM service_instances WHERE service = 'dispatcher' AND stopped_at IS NULL
              AND name LIKE '%:$vport' ORDER BY started_at DESC LIMIT 1")
[ -n "$vid" ] || e2e_fail "no instance row for the victim"
# SIGSTOP first: its state stands still. A second later the requests it
# had on the wire have reached the fakes; what it claimed and the fakes
# accepted is the crash window (sent, not yet recorded as sent).
kill -STOP "$victim"
sleep 1
window=$(mktemp)
psql_q "SELECT s.address FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
        WHERE d.status = 'claimed' AND d.claimed_by = '$vid'
          AND d.notice_id IN ('$FM_WA_ID', '$FM_TG_ID')" | sed 's/^+//' | sort >"$window.claimed"
{ curl -s -m 60 "$FAKE_WA_URL/_fake/messages" | jq -r --arg t "$FM_TITLE" \
	'.messages[] | select(.type == "template" and .params[0] == $t) | .to'
  curl -s -m 60 "$FAKE_TG_URL/_fake/messages" | jq -r --arg t "$FM_TITLE" \
	'.messages[] | select(.text | contains($t)) | .chat_id'; } | sort -u >"$window.accepted"
W=$(comm -12 "$window.claimed" "$window.accepted" | wc -l)
printf '   ..  %s holds %s claim(s); %s of them already accepted by the providers (the window)\n' \
	"$victim" "$(wc -l <"$window.claimed")" "$W"
rm -f "$window" "$window.claimed" "$window.accepted"
kill -KILL "$victim"
[ "$victim" = "$PID2" ] && PID2=""

step "the survivor takes the dead one's jobs over once its lease has run out"
fm_wait 150
pid_gone "$survivor" && e2e_fail "the surviving dispatcher died"
fm_check "$W"
assert_eq "$FM_WA_REPEATS" 0 "no WhatsApp repeat: the status webhooks settled its window"
printf '   ..  repeats caused by the kill: %s (Telegram), within the window of %s sent but not yet recorded\n' \
	"$FM_TG_REPEATS" "$W"
e2e_done
