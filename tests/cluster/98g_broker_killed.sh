#!/usr/bin/env bash
# make test-cluster: three Kafka nodes, every topic with three replicas and
# min.insync.replicas 2. One node is SIGKILLed in the middle of a fan-out
# and of its delivery, and comes back a while later: the leaders it held
# move to the other two, producers (acks=all) and consumers carry on, and
# every citizen gets the notice exactly once.
set -euo pipefail
. "$(dirname "$0")/../e2e/lib.sh"
e2e_env
. "$(dirname "$0")/../e2e/lib_fanout.sh"
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
cleanup() {
	stack start kafka || true
	fm_composer_default
	fm_restore
}
trap cleanup EXIT

N=2000
RATE=100
VICTIM=2

[ "${BND_KAFKA_NODES:-1}" = 3 ] || e2e_fail "run with BND_KAFKA_NODES=3 (make test-cluster)"
assert_contains "$(BND_KAFKA_BROKERS=$BND_KAFKA_BROKERS "$BND_BIN_DIR/banditorectl" ping)" \
	"3 broker(s)" "three brokers answer"

step "a slow fan-out to $N + $N citizens"
fm_slow_send "$N" "$RATE"

step "node $VICTIM is killed, and started again 20 s later"
kpid=$(cat "$BND_STATE_DIR/run/kafka-$VICTIM.pid")
printf '   ..  at the kill: %s recipients fanned out, reached %s\n' \
	"$(psql_q "SELECT recipients FROM notices WHERE id = '$FM_WA_ID'")" "$(fm_progress)"
kill -KILL "$kpid"
wait_until 10 "the node is gone" "pid_gone $kpid"
sleep 20
printf '   ..  20 s later: reached %s\n' "$(fm_progress)"
stack start kafka || e2e_fail "node $VICTIM did not start again"
wait_until 60 "three brokers again" \
	"BND_KAFKA_BROKERS=$BND_KAFKA_BROKERS $BND_BIN_DIR/banditorectl ping | grep -q '3 broker'"
printf '   ok  node %s back\n' "$VICTIM"

step "everyone got it once"
fm_wait 240
fm_check 0
for s in ingest subscriptions composer dispatcher; do
	pid_gone "$(svc_pid "$s")" && e2e_fail "$s died"
done
printf '   ok  no service died\n'
e2e_done
