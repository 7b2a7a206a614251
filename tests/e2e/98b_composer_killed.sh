#!/usr/bin/env bash
# Fault matrix (2): three composers run; the one fanning a notice out is
# killed (SIGKILL) in the middle of the fan-out. Nobody else may fan it
# out while the dead one's claim lives; once its lease has run out one of
# the others takes the notice over from the last checkpoint: no
# recipient skipped, none served twice, recipients counted once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
. "$(dirname "$0")/lib_fanout.sh"
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
EXTRA=()
cleanup() {
	local p
	for p in "${EXTRA[@]+"${EXTRA[@]}"}"; do kill -TERM "$p" 2>/dev/null || true; done
	stack stop composer || true
	stack start composer || true
	fm_restore
}
trap cleanup EXIT

N=2000
RATE=100
# Pages of 100 with a pause: a fan-out that lasts seconds, to be cut short.
SLOW=(BND_FANOUT_PAGE=100 BND_FANOUT_INFLIGHT=1 BND_FANOUT_PAGE_DELAY_MS=300)

step "three composers, paging slowly"
stack stop composer
env "${SLOW[@]}" "$E2E_ROOT/scripts/stack.sh" start composer >/dev/null 2>&1 || e2e_fail "composer"
EXTRA+=("$(fm_composer 41 "${SLOW[@]}")") EXTRA+=("$(fm_composer 42 "${SLOW[@]}")")
for off in 41 42; do
	wait_eq 30 "composer +$off ready" 200 http_status "http://127.0.0.1:$((COMPOSER_PORT + off))/readyz"
done
declare -A PID_OF=([$COMPOSER_PORT]=$(svc_pid composer) [$((COMPOSER_PORT + 41))]=${EXTRA[0]}
	[$((COMPOSER_PORT + 42))]=${EXTRA[1]})

step "a fan-out to $N + $N citizens"
fm_prepare "$N" "$RATE"
fm_send
owner_port() {
	psql_q "SELECT split_part(i.name, ':', 2) FROM notices n JOIN service_instances i
	        ON i.id = n.fanout_owner WHERE n.id = '$FM_WA_ID' AND n.status = 'sending'"
}
wait_until 30 "the WhatsApp fan-out is a quarter done" \
	"[ \"\$(psql_q \"SELECT recipients FROM notices WHERE id = '$FM_WA_ID' AND status = 'sending'\")\" -ge $((N / 4)) ] 2>/dev/null"
port=$(owner_port)
[ -n "$port" ] || e2e_fail "no composer holds the notice"
victim=${PID_OF[$port]}

step "the composer fanning it out is killed"
at_kill=$(psql_q "SELECT recipients || ' ' || fanout_epoch FROM notices WHERE id = '$FM_WA_ID'")
kill -KILL "$victim"
printf '   ..  killed composer on port %s (pid %s) at %s recipients (claim %s)\n' "$port" \
	"$victim" "${at_kill% *}" "${at_kill#* }"
sleep 2
assert_eq "$(psql_q "SELECT fanout_epoch FROM notices WHERE id = '$FM_WA_ID'")" "${at_kill#* }" \
	"nobody takes it over while the dead one's lease lives"
wait_until 40 "another composer took it over and finished" \
	"[ \"\$(psql_q \"SELECT status FROM notices WHERE id = '$FM_WA_ID'\")\" = sent ]"
[ "$(psql_q "SELECT fanout_epoch FROM notices WHERE id = '$FM_WA_ID'")" -gt "${at_kill#* }" ] ||
	e2e_fail "the notice was not claimed again"
printf '   ok  claimed again by a surviving composer\n'

step "everyone got it once"
fm_wait 120
fm_check 0
e2e_done
