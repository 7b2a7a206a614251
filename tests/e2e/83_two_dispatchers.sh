#!/usr/bin/env bash
# Two dispatchers in one consumer group share the partitions. The one
# that is delivering a notice is killed (SIGKILL) halfway: the other takes
# its partitions over after the group's session timeout and finishes;
# every citizen gets the notice.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
PID2=""
cleanup() {
	fake_normal
	[ -z "$PID2" ] || kill -TERM "$PID2" 2>/dev/null || true
	stack start dispatcher || true
}
trap cleanup EXIT

N=3000
R=150
SENDER=100000000000083
TITLE="Raccolta rifiuti $$"
PORT2=$((DISPATCHER_PORT + 40))

step "a second dispatcher joins the group"
mapfile -t env2 < <("$E2E_ROOT/scripts/stack.sh" svc-env dispatcher)
(cd "$E2E_ROOT" && exec setsid env "${env2[@]}" "BND_HTTP_PORT=$PORT2" \
	"$BND_BIN_DIR/banditore-dispatcher") >>"$BND_LOGS_DIR/dispatcher-2.log" 2>&1 </dev/null &
PID2=$!
wait_eq 30 "second dispatcher ready" 200 http_status "http://127.0.0.1:$PORT2/readyz"
PID1=$(svc_pid dispatcher)

step "a comune at $R msg/s with $N subscribers; the notice starts"
ch=$(e2e_comune e2e83 "$SENDER" "$R")
e2e_subscribers "$ch" 3938083 "$N"
sleep 3   # let the group settle after the join
id=$(e2e_notice e2e83 "$TITLE" "Da lunedì la raccolta della carta passa al martedì.")
wait_until 40 "a quarter delivered" "[ \"\$(fake_sender_accepted $SENDER)\" -ge $((N / 4)) ]"

step "the dispatcher doing the work is killed"
# The owner of the sender's partition is the one burning CPU.
c1=$(proc_cpu_ticks "$PID1") c2=$(proc_cpu_ticks "$PID2")
sleep 2
d1=$(($(proc_cpu_ticks "$PID1") - c1)) d2=$(($(proc_cpu_ticks "$PID2") - c2))
if [ "$d1" -ge "$d2" ]; then victim=$PID1 survivor=$PID2; else victim=$PID2 survivor=$PID1; fi
printf '   ..  CPU ticks in 2 s: stack dispatcher %s, second %s; killing %s\n' "$d1" "$d2" "$victim"
kill -KILL "$victim"
at_kill=$(fake_sender_accepted "$SENDER")
[ "$at_kill" -lt "$N" ] || e2e_fail "the fan-out was over before the kill: make it slower"
[ "$victim" = "$PID2" ] && PID2=""

step "the survivor takes over and finishes"
wait_delivered 75 "$SENDER" "$TITLE" "$N"
pid_gone "$survivor" && e2e_fail "the surviving dispatcher died"
read -r reached msgs most <<<"$(fake_notice_report "$SENDER" "$TITLE")"
printf '   ..  %s messages for %s citizens (%s accepted before the kill)\n' "$msgs" "$N" "$at_kill"
[ $((msgs - N)) -le 64 ] || e2e_fail "$((msgs - N)) repeats: more than what can be in flight"
printf '   ok  repeats (%s) within what can be in flight\n' $((msgs - N))
wait_eq 30 "every delivery recorded as sent" "$N" \
	psql_q "SELECT count(*) FROM deliveries WHERE notice_id = '$id' AND status = 'sent'"

e2e_done
