#!/usr/bin/env bash
# Dead letters: jobs the dispatcher cannot handle (here: their channel is
# unknown) land on delivery.dead with the reason; `banditorectl dead list`
# shows them without phone numbers in clear; once the cause is fixed
# `banditorectl dead replay` sends them again, one job or all, and nobody
# gets a message twice.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

SENDER=100000000000089
CH=$((987000 + $$ % 1000))
RUN=85                       # recipients +39340 85 0000NN, job ids bench:85:N
URUN=186                     # urgent ones: +39340 86 0000NN, bench:186:N

step "5 jobs for a channel nobody configured yet (2 of them an urgent notice's)"
"$BND_BIN_DIR/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs" "$CH" "$SENDER" 3 \
	"$RUN" >/dev/null || e2e_fail "jobgen failed"
"$BND_BIN_DIR/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs.urgent" "$CH" "$SENDER" \
	2 "$URUN" >/dev/null || e2e_fail "jobgen failed"
dead_of_sender() {
	e2e_ctl dead list --json | jq --arg s "$SENDER" '[.[] | select(.sender == $s)] | length'
}
wait_eq 30 "5 dead letters for the sender" 5 dead_of_sender
list=$(e2e_ctl dead list --json)
assert_eq "$(jq --arg s "$SENDER" '[.[] | select(.sender == $s) | .reason] | unique | join(",")' -r <<<"$list")" \
	no_credentials "the reason is given"
assert_eq "$(jq --arg s "$SENDER" '[.[] | select(.sender == $s and (.job_id | test("^bench:(85|186):")))] | length' <<<"$list")" \
	5 "with their job ids"
text=$(e2e_ctl dead list)
assert_contains "$text" "bench:85:2" "the text listing names the job"
case $text in *3934085000002* | *3934086000001*) e2e_fail "a phone number in clear in dead list" ;; esac
printf '   ok  no phone number in clear\n'
assert_eq "$(e2e_ctl dead list --limit 2 --json | jq length)" 2 "--limit 2"
assert_eq "$(fake_notice_report "$SENDER" "Acqua sospesa" | cut -d' ' -f1)" 0 "nothing sent"

step "the channel is configured; one job replayed, then all"
ch=$(e2e_comune e2e85 "$SENDER" 100)
psql_q "UPDATE channels SET id = $CH WHERE id = $ch" >/dev/null
assert_contains "$(e2e_ctl dead replay --job bench:85:0)" "replayed 1 job" "replay one job"
wait_delivered 30 "$SENDER" "Acqua sospesa" 1
out=$(e2e_ctl dead replay --all)
assert_contains "$out" "replayed 5 job(s): 3 to ${BND_TOPIC_PREFIX}delivery.jobs," "replay all"
assert_contains "$out" "2 to ${BND_TOPIC_PREFIX}delivery.jobs.urgent" \
	"an urgent notice's jobs go back to the urgent lane"
wait_delivered 30 "$SENDER" "Acqua sospesa" 5
sleep 2
assert_eq "$(fake_notice_report "$SENDER" "Acqua sospesa" | cut -d' ' -f3)" 1 \
	"the job replayed twice was sent once"
wait_eq 30 "the ledger says sent" 5 \
	psql_q "SELECT count(*) FROM deliveries WHERE job_id ~ '^bench:(85|186):' AND status = 'sent'"
code=0
e2e_ctl dead replay --job no-such-job >/dev/null 2>&1 || code=$?
assert_eq "$code" 1 "replaying an unknown job fails"
code=0
e2e_ctl dead replay >/dev/null 2>&1 || code=$?
assert_eq "$code" 2 "replay without --job or --all is a usage error"

e2e_done
