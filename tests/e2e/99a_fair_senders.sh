#!/usr/bin/env bash
# Senders do not share fate. Comune C has 20,000 recipients on a sender
# limited to 5 msg/s, mid-delivery; comune A, whose sender shares C's
# Kafka partition, approves a notice to 500 citizens on its sender at
# 80 msg/s: urgent first, then normal. Neither waits behind C's backlog:
# A's first message reaches the provider within a second of the approval
# and the last within 500/80 s + 2 s. C's jobs beyond what it sends in the
# next seconds wait in the backlog (PostgreSQL), not in the dispatcher's
# memory; C loses nothing and repeats nothing; its estimated completion
# time follows its rate.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
C_SENDER=100000000990002   # partition 0 of 4
A_SENDER=100000000990009   # partition 0 too: the worst case
NC=20000
NA=500
cleanup() { fake_normal; }
trap cleanup EXIT

# notice_as COMUNE TITLE URGENT: written by its editor, approved by its
# approver; prints "<id> <approval time in ms>".
notice_as() {
	local keys="$BND_STATE_DIR/e2e-keys" id t0
	id=$(curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/$1-editor")" \
		-H 'Content-Type: application/json' \
		--data-binary "$(jq -nc --arg t "$2" --argjson u "$3" '{title: $t, body: "Avviso di prova.", urgent: $u}')" \
		"$INGEST_URL/api/v1/notices" | jq -r .id)
	wait_eq 20 "$2 stored" draft psql_q "SELECT status FROM notices WHERE id = '$id'" >&2
	curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/$1-editor")" \
		"$INGEST_URL/api/v1/notices/$id/submit" >/dev/null
	wait_eq 20 "$2 submitted" submitted psql_q "SELECT status FROM notices WHERE id = '$id'" >&2
	t0=$(date +%s%3N)
	curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/$1-approver")" \
		-H 'Content-Type: application/json' --data-binary '{}' \
		"$INGEST_URL/api/v1/notices/$id/approve" >/dev/null
	printf '%s %s\n' "$id" "$t0"
}

# times SENDER TITLE: "<count> <first ts_ms> <last ts_ms> <most to one>" at the fake.
times() {
	curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=$1" |
		jq -r --arg t "$2" '[.messages[] | select(.type == "template" and .params[0] == $t)]
		    | "\(length) \(map(.ts_ms) | min // 0) \(map(.ts_ms) | max // 0)
		       \(group_by(.to) | map(length) | max // 0)"' | tr -s ' \n' '  '
}

step "comune C: $NC recipients on a sender at 5 msg/s; comune A: $NA at 80 msg/s"
fake_config '{"rate":80,"burst":20}' >/dev/null
chc=$(e2e_comune e2e99c "$C_SENDER" 5)
e2e_subscribers "$chc" 3939990 "$NC"
cha=$(e2e_comune e2e99a "$A_SENDER" 80)
e2e_subscribers "$cha" 3939991 "$NA"
sleep 5   # ingest knows the new keys

step "C's notice goes out at 5 msg/s; its backlog waits in PostgreSQL"
read -r idc _ <<<"$(notice_as e2e99c "Lavori C $$" false)"
wait_until 60 "C's backlog deferred (consumed from Kafka, written to delivery_backlog)" \
	"[ \"\$(psql_q \"SELECT count(*) FROM delivery_backlog WHERE notice_id = '$idc'\")\" -ge $((NC - 200)) ]"
in_memory() { curl -s -m 5 "$DISPATCHER_URL/metrics" | awk '/^bnd_dispatcher_jobs_in_memory / {print $2}'; }
wait_until 15 "C holds only what it sends in the next seconds in memory (50 jobs)" \
	"[ \"\$(in_memory)\" -le 100 ]"
printf '   ..  dispatcher memory: %s jobs (cap 4000)\n' "$(in_memory)"

for urgent in true false; do
	kind=$([ "$urgent" = true ] && echo urgent || echo normal)
	title="Acqua A $kind $$"
	step "A approves a $kind notice to $NA while C is mid-delivery"
	read -r ida t0 <<<"$(notice_as e2e99a "$title" "$urgent")"
	wait_until 30 "A's $NA messages all out" "[ \"\$(times $A_SENDER '$title' | cut -d' ' -f1)\" -ge $NA ]"
	read -r n first last most <<<"$(times "$A_SENDER" "$title")"
	printf '   ..  first message %s ms after the approval, last %s ms after\n' \
		$((first - t0)) $((last - t0))
	[ $((first - t0)) -le 1000 ] || e2e_fail "A's first message came $((first - t0)) ms after approval"
	printf '   ok  the first within 1 s\n'
	limit=$((NA * 1000 / 80 + 2000))
	[ $((last - t0)) -le "$limit" ] || e2e_fail "A's last message came $((last - t0)) ms after ($limit allowed)"
	printf '   ok  the last within %s ms (500/80 s + 2 s)\n' "$limit"
	assert_eq "$n $most" "$NA 1" "each of A's citizens once"
done

step "C lost nothing and repeated nothing; its estimate follows its rate"
read -r cn _ _ cmost <<<"$(times "$C_SENDER" "Lavori C $$")"
[ "$cmost" -le 1 ] || e2e_fail "a C citizen got $cmost messages"
printf '   ok  C: %s sent so far, none twice\n' "$cn"
acc=$(psql_q "SELECT count(*) FROM (SELECT job_id FROM deliveries WHERE notice_id = '$idc'
              UNION SELECT job_id FROM delivery_backlog WHERE notice_id = '$idc') j")
[ "$acc" -ge $((NC - 100)) ] && [ "$acc" -le "$NC" ] ||
	e2e_fail "C's jobs: $acc of $NC in the ledger or the backlog"
printf '   ok  C: %s of %s jobs in the ledger or the backlog (the rest in memory)\n' "$acc" "$NC"
stats=$(curl -s -m 10 -H "Authorization: Bearer $(cat "$BND_STATE_DIR/e2e-keys/e2e99c-editor")" \
	"$INGEST_URL/api/v1/notices/$idc/stats")
eta=$(jq -r .eta_s <<<"$stats")
pending=$(jq -r .pending <<<"$stats")
printf '   ..  C: pending %s, estimated %s s to finish\n' "$pending" "$eta"
[ "$eta" -ge $((pending / 5 - 10)) ] && [ "$eta" -le $((pending / 5 + 10)) ] ||
	e2e_fail "eta $eta s is not pending/5 ($((pending / 5)) s)"
printf '   ok  eta_s = pending / 5 msg/s\n'
assert_eq "$(jq -r '.channels[0].rate' <<<"$stats")" 5 "the channel's current rate is shown"

step "C is cancelled: what was not sent is recorded as stopped"
curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$BND_STATE_DIR/e2e-keys/e2e99c-approver")" \
	-H 'Content-Type: application/json' --data-binary '{"reason":"fine prova"}' \
	"$INGEST_URL/api/v1/notices/$idc/cancel" >/dev/null
wait_eq 30 "sent + stopped = recipients" "$NC" psql_q \
	"SELECT sent + stopped FROM notice_stats WHERE notice_id = '$idc'"
e2e_done
