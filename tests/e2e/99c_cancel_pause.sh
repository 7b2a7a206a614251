#!/usr/bin/env bash
# The kill switch stops delivery, not only the fan-out. Two dispatchers
# run; a notice to 20,000 citizens goes out on a slow sender. An approver
# cancels it mid-delivery: no message of it reaches the provider more than
# a second later (every dispatcher learns it within BND_STOP_POLL_MS), the
# rest is recorded as stopped, and sent + stopped = recipients. Another
# notice is paused, then resumed: nothing is sent while paused, the rest
# after, each citizen once; both actions are in its history.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
. "$(dirname "$0")/lib_fanout.sh"
SENDER=100000000990016
N=20000
NP=300
PID2=""
cleanup() {
	[ -z "$PID2" ] || kill -TERM "$PID2" 2>/dev/null || true
	fake_normal
}
trap cleanup EXIT
KEYS="$BND_STATE_DIR/e2e-keys"

# act ID VERB: the comune's approver does VERB (cancel, pause, resume); prints the status.
act() {
	curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$KEYS/e2e99k-approver")" \
		-H 'Content-Type: application/json' --data-binary '{}' \
		"$INGEST_URL/api/v1/notices/$1/$2" | jq -r '.status // .error'
}
# report TITLE: "<count> <last ts_ms> <most to one>" at the fake.
report() {
	curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=$SENDER" |
		jq -r --arg t "$1" '[.messages[] | select(.type == "template" and .params[0] == $t)]
		    | "\(length) \(map(.ts_ms) | max // 0) \(group_by(.to) | map(length) | max // 0)"'
}

step "two dispatchers; a sender at 40 msg/s with $N citizens"
PID2=$(fm_dispatcher 44)
wait_eq 30 "second dispatcher ready" 200 http_status "http://127.0.0.1:$((DISPATCHER_PORT + 44))/readyz"
fake_config '{"rate":40,"burst":10}' >/dev/null
ch=$(e2e_comune e2e99k "$SENDER" 40)
e2e_subscribers "$ch" 3939994 "$N"
sleep 5

step "the notice goes out; it is cancelled mid-delivery"
id=$(e2e_notice e2e99k "Chiusura $$" "Strada chiusa per lavori.")
wait_until 60 "some of it sent" "[ \"\$(report 'Chiusura $$' | cut -d' ' -f1)\" -ge 100 ]"
t_cancel=$(date +%s%3N)
assert_eq "$(act "$id" cancel)" cancelled "cancel answered (the notice was sending)"
sleep 3
read -r n last most <<<"$(report "Chiusura $$")"
printf '   ..  %s sent; the last %s ms after the cancel\n' "$n" $((last - t_cancel))
[ $((last - t_cancel)) -le 1000 ] || e2e_fail "a message went out $((last - t_cancel)) ms after the cancel"
printf '   ok  nothing sent more than 1 s after the cancel\n'
[ "$most" -le 1 ] || e2e_fail "a citizen got $most messages"
wait_eq 60 "sent + stopped = recipients ($N)" "$N" psql_q \
	"SELECT sent + stopped FROM notice_stats WHERE notice_id = '$id'"
assert_eq "$(psql_q "SELECT sent FROM notice_stats WHERE notice_id = '$id'")" "$n" \
	"sent as the provider counted"
assert_eq "$(psql_q "SELECT count(*) FROM delivery_backlog WHERE notice_id = '$id'")" 0 \
	"nothing of it left in the backlog"

step "another notice is paused, then resumed"
psql_q "UPDATE subscribers SET status = 'revoked' WHERE channel_id = $ch AND id NOT IN
        (SELECT id FROM subscribers WHERE channel_id = $ch ORDER BY id LIMIT $NP)" >/dev/null
id2=$(e2e_notice e2e99k "Mercato $$" "Il mercato si sposta in piazza.")
wait_until 60 "some of it sent" "[ \"\$(report 'Mercato $$' | cut -d' ' -f1)\" -ge 20 ]"
assert_eq "$(act "$id2" pause)" paused "paused"
sleep 2
read -r p1 _ _ <<<"$(report "Mercato $$")"
sleep 4
read -r p2 _ _ <<<"$(report "Mercato $$")"
assert_eq "$p2" "$p1" "nothing sent while paused ($p1 so far)"
[ "$p1" -lt "$NP" ] || e2e_fail "the notice finished before the pause"
assert_eq "$(psql_q "SELECT status FROM notices WHERE id = '$id2'")" paused "the notice is paused"
assert_eq "$(act "$id2" resume)" sending "resumed"
wait_until 60 "all $NP sent after the resume" "[ \"\$(report 'Mercato $$' | cut -d' ' -f1)\" -ge $NP ]"
sleep 2
read -r n2 _ most2 <<<"$(report "Mercato $$")"
assert_eq "$n2 $most2" "$NP 1" "each citizen once"
wait_eq 30 "the notice is sent once every job is settled" sent psql_q \
	"SELECT status FROM notices WHERE id = '$id2'"
assert_eq "$(psql_q "SELECT string_agg(action, ',' ORDER BY at, id) FROM notice_events
                     WHERE notice_id = '$id2' AND action IN ('pause', 'resume')")" \
	"pause,resume" "pause and resume in the history"
e2e_done
