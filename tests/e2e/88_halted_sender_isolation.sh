#!/usr/bin/env bash
# A halted sender does not hold up the comuni that share its Kafka
# partition. Comune E's token is rejected while E has a backlog far over a
# sender's queue limit; comune F, whose sender account lands on the same
# partition, still gets its notice out at once. E's jobs wait on the parked
# topic (not in memory), and go out once the token works, once each.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
D_PID=""
cleanup() {
	fake_normal
	[ -z "$D_PID" ] || stop_pid "$D_PID"
	stack start dispatcher || true
}
trap cleanup EXIT

# partition_of KEY N: librdkafka's default partitioner (CRC-32 of the key, mod N).
partition_of() {
	local crc
	crc=$(printf %s "$1" | gzip -c | tail -c8 | head -c4 | od -An -tu4 | tr -d ' ')
	echo $((crc % $2))
}
PARTS=$(e2e_ctl topics --list | awk -v t="${BND_TOPIC_PREFIX}delivery.jobs" '$1 == t {print $2}')
[ -n "$PARTS" ] || e2e_fail "cannot read the partition count of delivery.jobs"
SE=100000000000088
SF=""
for n in $(seq 100000000000090 100000000000180); do
	[ "$(partition_of "$n" "$PARTS")" = "$(partition_of "$SE" "$PARTS")" ] && { SF=$n; break; }
done
[ -n "$SF" ] || e2e_fail "no sender account on the partition of $SE"
NE=300 NF=40 QUEUE=30

step "a dispatcher with small queues (batch 10, $QUEUE jobs per sender)"
stack stop dispatcher
mapfile -t denv < <("$E2E_ROOT/scripts/stack.sh" svc-env dispatcher)
(cd "$E2E_ROOT" && exec setsid env "${denv[@]}" BND_BATCH_SIZE=10 "BND_SENDER_QUEUE=$QUEUE" \
	BND_HALT_CHECK_MS=2000 "$BND_BIN_DIR/banditore-dispatcher") \
	>>"$BND_LOGS_DIR/dispatcher-88.log" 2>&1 </dev/null &
D_PID=$!
wait_eq 30 "dispatcher ready" 200 http_status "$DISPATCHER_URL/readyz"

step "comune E's token is rejected with $NE jobs waiting; $SF shares the partition of $SE"
che=$(e2e_comune e2e88e "$SE" 500)
chf=$(e2e_comune e2e88f "$SF" 500)
e2e_subscribers "$che" 3938088 "$NE"
e2e_subscribers "$chf" 3938089 "$NF"
fake_config "{\"invalid_tokens\":[\"$SE\"]}" >/dev/null
e2e_notice e2e88e "Blocco E $$" "Avviso dal comune E." >/dev/null
wait_until 30 "sender $SE halted" \
	"curl -s '$DISPATCHER_URL/metrics' | grep -q '_halted{channel=\"$che\"} 1'"
wait_until 30 "E's backlog taken off the partition" \
	"grep -q 'dispatch.sender_parked' '$BND_LOGS_DIR/dispatcher-88.log'"

step "comune F's notice goes out while E is halted"
e2e_notice e2e88f "Avviso F $$" "Avviso dal comune F." >/dev/null
wait_delivered 30 "$SF" "Avviso F $$" "$NF"
assert_eq "$(fake_notice_report "$SE" "Blocco E $$" | cut -d' ' -f1)" 0 "nothing from the halted sender"
# Only E's own jobs count: earlier tests of the suite may leave other
# senders' jobs in this dispatcher's memory.
mem=$(curl -s "$DISPATCHER_URL/metrics" |
	awk -v l="bnd_dispatcher_sender_jobs{channel=\"$che\"}" '$1 == l {print $2}')
[ "${mem:-999}" -le "$QUEUE" ] || e2e_fail "$mem of E's jobs in memory: the halted sender's backlog is held"
printf '   ok  %s job(s) in memory while E is halted\n' "$mem"

step "E's token works again: its backlog goes out, once each"
fake_config '{"invalid_tokens":[]}' >/dev/null
wait_delivered 90 "$SE" "Blocco E $$" "$NE"
assert_eq "$(fake_notice_report "$SE" "Blocco E $$" | cut -d' ' -f3)" 1 "nobody got it twice"
assert_eq "$(fake_notice_report "$SF" "Avviso F $$" | cut -d' ' -f3)" 1 "nobody in F got it twice"

e2e_done
