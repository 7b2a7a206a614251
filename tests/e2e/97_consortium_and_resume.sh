#!/usr/bin/env bash
# Consortium alerts, fan-out resumption and statistics, through the real
# stack. (1) A consortium key sends one alert to three comuni: each
# comune's subscribers get it from their own comune's WhatsApp sender,
# nobody else does. (2) The composer is killed with SIGKILL in the middle
# of a notice's fan-out to 10,000 subscribers; once started again it
# resumes from its checkpoint: every subscriber gets the notice exactly
# once at the provider. (3) The notice's statistics (notice_stats) match
# what the fake provider recorded, and the provider's status webhooks
# (delivered, read, failed; sent signed to ingest as Meta sends them,
# replayed and out of order too) move them forward.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

R=$RANDOM
N=10000
KEYS="$BND_STATE_DIR/e2e-keys-97"
mkdir -p "$KEYS"
ctl() {
	BND_PG_DSN=$BND_PG_DSN BND_LOG_LEVEL=warn "$BND_BIN_DIR/banditorectl" "$@" >/dev/null 2>&1 ||
		e2e_fail "banditorectl $*"
}
key() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$KEYS/$1"; cat "$KEYS/$1"; }
# as KEYNAME PATH JSON: POST with that key; prints the body.
as() {
	curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$KEYS/$1")" \
		-H 'Content-Type: application/json' --data-binary "$3" "$INGEST_URL$2"
}
templates_to() {
	fake_messages_to "$1" | jq --arg t "$2" '[.[] | select(.type == "template" and .params[0] == $t)]'
}
status_of() { psql_q "SELECT status FROM notices WHERE id = '$1'"; }

step "three comuni of a consortium, each with its own sender and a subscriber"
for c in 1 2 3; do
	ctl comune add "c97-$c" "Comune Novantasette $c"
	ctl channel add --comune "c97-$c" --kind whatsapp --sender "10000000009700$c" \
		--token-ref "file:$BND_SECRETS_DIR/wa-token" \
		--app-secret-ref "file:$BND_SECRETS_DIR/wa-app-secret" --rate 20000 \
		--welcome "Benvenuto." --goodbye "Arrivederci."
	key "c97-$c-approver" >/dev/null
	ctl apikey add --comune "c97-$c" --name "sindaco-$c" --role approver --key-file "$KEYS/c97-$c-approver"
	ch=$(psql_q "SELECT id FROM channels WHERE sender_account = '10000000009700$c'")
	psql_q "INSERT INTO subscribers (channel_id, address, status) VALUES ($ch, '+3934400970$c', 'active')" >/dev/null
	psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = 'c97-$c'" >/dev/null
done
key consortium >/dev/null
ctl apikey add --comune c97-1 --name regione --role consortium --key-file "$KEYS/consortium" \
	--comuni c97-1,c97-2,c97-3
# known KEYNAME: ingest's directory has the new key (it refreshes on its own).
known() {
	[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Authorization: Bearer $(cat "$KEYS/$1")" \
		"$INGEST_URL/api/v1/notices")" = 200 ]
}
for k in consortium c97-1-approver c97-2-approver c97-3-approver; do
	wait_until 30 "ingest knows key $k" known "$k"
done

step "one alert for the three comuni, approved by each comune's approver"
resp=$(as consortium /api/v1/alerts "$(jq -nc --arg t "Allerta idraulica $R" \
	'{comuni: ["c97-1", "c97-2", "c97-3"], title: $t, body: "Piena del fiume: evitare gli argini.", urgent: true, category: "civil_protection"}')")
group=$(jq -r .group_id <<<"$resp")
[ -n "$group" ] && [ "$group" != null ] || e2e_fail "alert not accepted: $resp"
wait_eq 30 "three notices in the group, one per comune" "c97-1,c97-2,c97-3" psql_q \
	"SELECT string_agg(comune_id, ',' ORDER BY comune_id) FROM notices WHERE group_id = '$group'"
for c in 1 2 3; do
	id=$(psql_q "SELECT id FROM notices WHERE group_id = '$group' AND comune_id = 'c97-$c'")
	wait_eq 30 "c97-$c's notice submitted" submitted status_of "$id"
	assert_eq "$(as "c97-$c-approver" "/api/v1/notices/$id/approve" '{}' | jq -r .status)" approved \
		"approved by c97-$c's approver"
done
for c in 1 2 3; do
	wait_eq 30 "subscriber of c97-$c got it" 1 eval "templates_to 3934400970$c 'Allerta idraulica $R' | jq length"
	assert_eq "$(templates_to "3934400970$c" "Allerta idraulica $R" | jq -r '.[0].phone_number_id')" \
		"10000000009700$c" "from c97-$c's own sender"
done
sleep 1
assert_eq "$(curl -s -m 10 "$FAKE_WA_URL/_fake/messages" | jq --arg t "Allerta idraulica $R" \
	'[.messages[] | select(.params[0]? == $t)] | length')" 3 "three messages in all: nobody else got it"
assert_eq "$(psql_q "SELECT string_agg(DISTINCT author, ',') || '/' || count(*) FROM notices WHERE group_id = '$group' AND status = 'sent'")" \
	"regione/3" "three notices sent, written by the consortium key"

step "$N subscribers in c97-1; the composer pages slowly for this test"
ch1=$(psql_q "SELECT id FROM channels WHERE sender_account = '100000000097001'")
psql_q "INSERT INTO subscribers (channel_id, address, status)
        SELECT $ch1, '+39345' || lpad(g::text, 7, '0'), 'active' FROM generate_series(1, $((N - 1))) g" >/dev/null
scripts_stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
scripts_stack stop composer
BND_FANOUT_PAGE=100 BND_FANOUT_INFLIGHT=4 scripts_stack start composer || e2e_fail "composer did not start"
pid=$(cat "$BND_STATE_DIR/run/composer.pid")

step "the composer is killed (SIGKILL) in the middle of the fan-out"
id=$(as "c97-1-approver" /api/v1/notices "{\"title\":\"Ordinanza $R\",\"body\":\"Divieto di transito sugli argini.\",\"urgent\":true}" | jq -r .id)
# The approver wrote it: single-person sending of urgent notices is allowed in c97-1.
psql_q "UPDATE comuni SET allow_single_urgent = true WHERE id = 'c97-1'" >/dev/null
wait_eq 30 "draft stored" draft status_of "$id"
as "c97-1-approver" "/api/v1/notices/$id/submit" '{}' >/dev/null
wait_eq 30 "submitted" submitted status_of "$id"
as "c97-1-approver" "/api/v1/notices/$id/approve" '{}' >/dev/null
while :; do
	got=$(psql_q "SELECT status || ' ' || recipients FROM notices WHERE id = '$id'")
	case $got in
	sent*) e2e_fail "the fan-out finished before the kill ($got)" ;;
	"sending "*) [ "${got#sending }" -ge 1000 ] && break ;;
	esac
	sleep 0.01
done
kill -9 "$pid"
at_kill=$(psql_q "SELECT status || ' ' || recipients FROM notices WHERE id = '$id'")
echo "   killed at: $at_kill of $N"
assert_eq "${at_kill%% *}" sending "killed while sending"
scripts_stack start composer || e2e_fail "composer did not start again"
wait_eq 60 "fan-out completed after the restart" sent status_of "$id"
skipped=$(grep -h "fanout.resumed" "$BND_STATE_DIR/logs/composer.log" | grep -c "$id" || true)
echo "   pages in Kafka but not checkpointed at the kill, found by the tail scan: $skipped"
assert_eq "$(psql_q "SELECT recipients FROM notices WHERE id = '$id'")" "$N" "recipients counted once each"

step "every subscriber got the notice exactly once"
count_at_fake() {
	curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=100000000097001" |
		jq --arg t "Ordinanza $R" '[.messages[] | select(.params[0]? == $t)] | "\(length) \(map(.to) | unique | length)"' -r
}
wait_eq 120 "$N messages to $N distinct numbers at the fake" "$N $N" count_at_fake
sleep 2
assert_eq "$(count_at_fake)" "$N $N" "no duplicate arrived later"
assert_eq "$(psql_q "SELECT count(DISTINCT subscriber_id) || ' ' || count(*) FROM deliveries WHERE notice_id = '$id'")" \
	"$N $N" "one ledger row per subscriber"

step "statistics match the fake; status webhooks move them forward"
stats() { psql_q "SELECT recipients, sent, delivered, read, failed, failed_by_reason FROM notice_stats WHERE notice_id = '$id'"; }
wait_eq 30 "stats after the fan-out" "$N|$N|0|0|0|{}" stats
msgs=$(curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=100000000097001" |
	jq -c --arg t "Ordinanza $R" '[.messages[] | select(.params[0]? == $t) | {wamid, to}]')
# status_body FROM TO STATUS [CODE]: messages FROM..TO-1 get STATUS in one webhook.
status_body() { wa_status_body 097 100000000097001 "$@" <<<"$msgs"; }
for b in "$(status_body 0 100 delivered)" "$(status_body 0 50 read)" \
	"$(status_body 100 110 failed 131026)"; do
	assert_eq "$(wa_post "$b" | head -1)" 200 "status webhook accepted by ingest"
done
wait_eq 30 "100 delivered (50 of them read), 10 failed" \
	"$N|$((N - 10))|100|50|10|{\"Message undeliverable\": 10}" stats
step "replays and late, out-of-order statuses change nothing"
for b in "$(status_body 0 50 delivered)" "$(status_body 0 100 delivered)" \
	"$(status_body 100 110 delivered)" "$(status_body 0 110 sent)"; do
	assert_eq "$(wa_post "$b" | head -1)" 200 "webhook accepted"
done
sleep 2
assert_eq "$(stats)" "$N|$((N - 10))|100|50|10|{\"Message undeliverable\": 10}" "statistics unchanged"
api_stats=$(curl -s -m 10 -H "Authorization: Bearer $(cat "$KEYS/c97-1-approver")" \
	"$INGEST_URL/api/v1/notices/$id/stats")
echo "   API: $api_stats"

step "a status that overtakes the ledger write is applied when the row arrives"
# The provider's webhook can beat the dispatcher's write of the send: the
# status waits in delivery_status_early and the write of the message id
# (delivery_wamids, in the statement that records the outcome: after a
# claim, or the update of a held row) picks it up, whatever the batch.
ch97=$(psql_q "SELECT id FROM channels WHERE sender_account = '100000000097001'")
early_row() { psql_q "SELECT status || '|' || coalesce(error_code, 0) FROM deliveries WHERE job_id = '$1'"; }
psql_q "SELECT delivery_status_apply(ARRAY['wamid.e97a', 'wamid.e97a', 'wamid.e97b', 'wamid.e97c'],
        ARRAY['delivered', 'read', 'failed', 'delivered'], ARRAY[0, 0, 131026, 0], ARRAY['', '', 'gone', ''])" >/dev/null
assert_eq "$(psql_q "SELECT count(*) FROM delivery_status_early WHERE provider_message_id LIKE 'wamid.e97%'")" 4 \
	"statuses of unknown messages kept"
psql_q "INSERT INTO deliveries (job_id, channel_id, purpose, status, provider_message_id, attempts)
        VALUES ('e97:a', $ch97, 'notice', 'sent', 'wamid.e97a', 1), ('e97:b', $ch97, 'notice', 'sent', 'wamid.e97b', 1),
               ('e97:plain', $ch97, 'notice', 'sent', 'wamid.e97none', 1),
               ('e97:c', $ch97, 'notice', 'held', NULL, 0);
        INSERT INTO delivery_wamids (provider_message_id, job_id)
        VALUES ('wamid.e97a', 'e97:a'), ('wamid.e97b', 'e97:b'), ('wamid.e97none', 'e97:plain')" >/dev/null
assert_eq "$(early_row e97:a)" "read|0" "delivered + read early: the row arrives read"
assert_eq "$(early_row e97:b)" "failed|131026" "failed early: the row arrives failed, with the code"
assert_eq "$(early_row e97:plain)" "sent|0" "a row without early statuses stays sent"
assert_eq "$(early_row e97:c)" "held|0" "a held row has no message id yet"
psql_q "UPDATE deliveries SET status = 'sent', provider_message_id = 'wamid.e97c' WHERE job_id = 'e97:c';
        INSERT INTO delivery_wamids (provider_message_id, job_id) VALUES ('wamid.e97c', 'e97:c')" >/dev/null
assert_eq "$(early_row e97:c)" "delivered|0" "the held row, sent later: its early status applied"
assert_eq "$(psql_q "SELECT count(*) FROM delivery_status_early WHERE provider_message_id LIKE 'wamid.e97%'")" 0 \
	"early statuses used up"
psql_q "DELETE FROM deliveries WHERE job_id LIKE 'e97:%'; DELETE FROM delivery_wamids WHERE job_id LIKE 'e97:%'" >/dev/null

step "back to the normal composer"
scripts_stack stop composer
scripts_stack start composer || e2e_fail "composer did not start"

e2e_done
