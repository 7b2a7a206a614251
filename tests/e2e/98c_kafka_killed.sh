#!/usr/bin/env bash
# Fault matrix (3): the Kafka broker is killed (SIGKILL) in the middle of
# a fan-out and of its delivery, and started again a few seconds later.
# Producers and consumers wait and retry; nothing is lost, nothing is
# sent twice.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
. "$(dirname "$0")/lib_fanout.sh"
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
cleanup() {
	stack start kafka || true
	fm_composer_default
	fm_restore
}
trap cleanup EXIT

N=2000
RATE=100

step "a slow fan-out to $N + $N citizens"
fm_slow_send "$N" "$RATE"

step "the broker is killed, and started again 5 s later"
kpid=$(cat "$BND_STATE_DIR/run/kafka.pid")
printf '   ..  at the kill: %s recipients fanned out, reached %s\n' \
	"$(psql_q "SELECT recipients FROM notices WHERE id = '$FM_WA_ID'")" "$(fm_progress)"
kill -KILL "$kpid"
wait_until 10 "the broker is gone" "pid_gone $kpid"
sleep 5
stack start kafka || e2e_fail "the broker did not start again"
printf '   ok  broker back\n'

step "everyone got it once"
fm_wait 180
fm_check 0
for s in ingest subscriptions composer dispatcher; do
	pid_gone "$(svc_pid "$s")" && e2e_fail "$s died"
done
printf '   ok  no service died\n'
e2e_done
