#!/usr/bin/env bash
# Within one sender, urgent goes first: a normal notice's 10,000 jobs are
# queued on a sender at 20 msg/s (what it sends in the next seconds in
# memory, the rest in the backlog); an urgent notice approved after them
# starts within a second, and all of it goes out before the normal
# backlog goes on. Nothing is lost or repeated.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
SENDER=100000000990014
N=10000
NU=40
trap fake_normal EXIT

# times TITLE: "<count> <first ts_ms> <last ts_ms> <most to one>" at the fake.
times() {
	curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=$SENDER" |
		jq -r --arg t "$1" '[.messages[] | select(.type == "template" and .params[0] == $t)]
		    | "\(length) \(map(.ts_ms) | min // 0) \(map(.ts_ms) | max // 0)
		       \(group_by(.to) | map(length) | max // 0)"' | tr -s ' \n' '  '
}
# publish TITLE URGENT TOPIC: prints "<id> <approval ms>".
publish() {
	local keys="$BND_STATE_DIR/e2e-keys" id t0
	id=$(curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/e2e99b-editor")" \
		-H 'Content-Type: application/json' --data-binary "$(jq -nc --arg t "$1" \
		--argjson u "$2" --arg tp "$3" '{title: $t, body: "Prova.", urgent: $u, topics: [$tp]}')" \
		"$INGEST_URL/api/v1/notices" | jq -r .id)
	wait_eq 20 "$1 stored" draft psql_q "SELECT status FROM notices WHERE id = '$id'" >&2
	curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/e2e99b-editor")" \
		"$INGEST_URL/api/v1/notices/$id/submit" >/dev/null
	wait_eq 20 "$1 submitted" submitted psql_q "SELECT status FROM notices WHERE id = '$id'" >&2
	t0=$(date +%s%3N)
	curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/e2e99b-approver")" \
		-H 'Content-Type: application/json' --data-binary '{}' \
		"$INGEST_URL/api/v1/notices/$id/approve" >/dev/null
	printf '%s %s\n' "$id" "$t0"
}

step "a sender at 20 msg/s: $N citizens follow 'rifiuti', $NU follow 'allerta'"
fake_config '{"rate":20,"burst":5}' >/dev/null
ch=$(e2e_comune e2e99b "$SENDER" 20)
e2e_ctl topic add --comune e2e99b rifiuti Rifiuti --keyword RIFIUTI >/dev/null
e2e_ctl topic add --comune e2e99b allerta Allerta --keyword ALLERTA >/dev/null
e2e_subscribers "$ch" 3939992 "$N"
psql_q "UPDATE subscribers SET topics = '{rifiuti}' WHERE channel_id = $ch" >/dev/null
psql_q "INSERT INTO subscribers (channel_id, address, status, topics)
        SELECT $ch, '+3939993' || lpad(g::text, 5, '0'), 'active', '{allerta}'
          FROM generate_series(1, $NU) g" >/dev/null
sleep 5   # ingest knows the new keys

step "the normal notice's $N jobs: a backlog on the sender"
read -r idn _ <<<"$(publish "Raccolta $$" false rifiuti)"
wait_until 60 "its backlog deferred" \
	"[ \"\$(psql_q \"SELECT count(*) FROM delivery_backlog WHERE notice_id = '$idn'\")\" -ge $((N - 300)) ]"
sleep 2
before=$(times "Raccolta $$" | cut -d' ' -f1)

step "an urgent notice approved after it starts within a second, and goes first"
read -r idu t0 <<<"$(publish "Allerta $$" true allerta)"
wait_until 30 "the urgent notice's $NU messages out" "[ \"\$(times 'Allerta $$' | cut -d' ' -f1)\" -ge $NU ]"
read -r n first last most <<<"$(times "Allerta $$")"
printf '   ..  urgent: first %s ms after its approval, last %s ms after\n' $((first - t0)) $((last - t0))
[ $((first - t0)) -le 1000 ] || e2e_fail "the urgent notice started $((first - t0)) ms after approval"
printf '   ok  started within 1 s, behind %s normal messages already sent\n' "$before"
# At 20 msg/s its 40 take 2 s; had it waited behind the normal queue it would take longer.
[ $((last - t0)) -le $((NU * 1000 / 20 + 2000)) ] ||
	e2e_fail "the urgent notice took $((last - t0)) ms: it waited behind normal jobs"
printf '   ok  all of it within %s ms (its own sending time + 2 s)\n' $((NU * 1000 / 20 + 2000))
normal_during=$(curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=$SENDER" |
	jq --arg t "Raccolta $$" --argjson a "$first" --argjson b "$last" \
	'[.messages[] | select(.params[0] == $t and .ts_ms > $a and .ts_ms < $b)] | length')
printf '   ..  normal messages sent meanwhile: %s\n' "$normal_during"
[ "$normal_during" -le 2 ] || e2e_fail "$normal_during normal messages went out between the urgent ones"
printf '   ok  the normal backlog waited\n'
assert_eq "$n $most" "$NU 1" "each urgent recipient once"

step "the normal notice goes on, none lost or repeated; cancelled to end the test"
read -r nn _ _ nmost <<<"$(times "Raccolta $$")"
[ "$nmost" -le 1 ] || e2e_fail "a normal recipient got $nmost messages"
wait_until 15 "the normal notice resumed" "[ \"\$(times 'Raccolta $$' | cut -d' ' -f1)\" -gt $nn ]"
curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$BND_STATE_DIR/e2e-keys/e2e99b-approver")" \
	-H 'Content-Type: application/json' --data-binary '{}' \
	"$INGEST_URL/api/v1/notices/$idn/cancel" >/dev/null
wait_eq 30 "sent + stopped = recipients" "$N" psql_q \
	"SELECT sent + stopped FROM notice_stats WHERE notice_id = '$idn'"
e2e_done
