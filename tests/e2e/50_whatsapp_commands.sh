#!/usr/bin/env bash
# WhatsApp commands as citizens type them: join with topics, list and
# change topics, help, re-join, leave without being subscribed, messages
# that are no command (one automatic reply per interval), media; two
# comuni on one installation never see each other's citizens; an opt-out
# that arrives while a notice's jobs wait for the dispatcher stops it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
trap 'stack start dispatcher || true' EXIT

G=393330000501   # subscribes with topics
H=393330000502   # never subscribes
I=393330000503   # citizen of another comune
J=393330000504   # leaves during a fan-out

# last_text_to DIGITS: the newest text message the fake accepted for a number.
last_text_to() { fake_messages_to "$1" | jq -r '[.[] | select(.type=="text")][-1].text'; }

psql_q "INSERT INTO topics (comune_id, slug, name, keyword) VALUES
        ('demo', 'viabilita', 'Viabilità', 'VIABILITA'), ('demo', 'acqua', 'Acqua', 'ACQUA')
        ON CONFLICT DO NOTHING" >/dev/null
psql_q "UPDATE comuni SET contact_text = 'Per informazioni: URP, tel. 0587 000000.' WHERE id = 'demo'" >/dev/null
sleep 6   # subscriptions reloads a comune's settings every 5 s

step "join with a topic, list topics, change them"
assert_eq "$(fake_inbound "$G" "Attiva viabilità" | jq -r .status)" 200 "ATTIVA VIABILITA accepted"
wait_eq 30 "welcome" 1 fake_count_to "$G" text
assert_contains "$(last_text_to "$G")" "Temi scelti: Viabilità" "the welcome names the topic"
assert_eq "$(psql_q "SELECT topics FROM subscribers WHERE address = '+$G'")" "{viabilita}" "topic stored"
fake_inbound "$G" "TEMI" >/dev/null
wait_eq 30 "topics list" 2 fake_count_to "$G" text
assert_contains "$(last_text_to "$G")" "ACQUA: Acqua" "the list shows keyword and name"
fake_inbound "$G" "acqua" >/dev/null
wait_eq 30 "topic change confirmed" 3 fake_count_to "$G" text
assert_contains "$(last_text_to "$G")" "riceverai gli avvisi su: Acqua" "confirmation names the topic"
assert_eq "$(psql_q "SELECT topics FROM subscribers WHERE address = '+$G'")" "{acqua}" "topics replaced"
fake_inbound "$G" "TUTTI" >/dev/null
wait_eq 30 "every topic" "{}" psql_q "SELECT topics FROM subscribers WHERE address = '+$G'"

step "re-joining is idempotent; help answers"
fake_inbound "$G" "ATTIVA" >/dev/null
wait_eq 30 "already-subscribed reply" 5 fake_count_to "$G" text
assert_contains "$(last_text_to "$G")" "già iscritto" "says so"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE s.address = '+$G' AND ce.action = 'subscribe' AND ce.changed")" 1 \
	"one effective subscription in the ledger"
fake_inbound "$G" "aiuto" >/dev/null
wait_eq 30 "help" 6 fake_count_to "$G" text
assert_contains "$(last_text_to "$G")" "DISATTIVA" "help says how to leave"
assert_contains "$(last_text_to "$G")" "0587 000000" "help gives the comune's contacts"

step "anything else gets one automatic reply per interval"
fake_inbound "$G" "Buongiorno, quando passa il camion della carta?" >/dev/null
wait_eq 30 "automatic reply" 7 fake_count_to "$G" text
assert_contains "$(last_text_to "$G")" "non legge i messaggi" "explains the number does not answer"
fake_inbound "$G" "Mi sente?" >/dev/null
fake_inbound "$H" "" image >/dev/null
wait_eq 30 "a photo from a stranger gets the automatic reply" 1 fake_count_to "$H" text
sleep 1
assert_eq "$(fake_count_to "$G" text)" 7 "no second automatic reply to a chatty citizen"
fake_inbound "$H" "DISATTIVA" >/dev/null
wait_eq 30 "leaving without being subscribed" 2 fake_count_to "$H" text
assert_contains "$(last_text_to "$H")" "Non risulti iscritto" "says so"
assert_eq "$(psql_q "SELECT count(*) FROM subscribers WHERE address = '+$H'")" 0 "no row for a stranger"

step "a second comune on the same installation"
key2=e2e-isolation-key
key2a=e2e-isolation-approver-key
# No quiet hours (the notice below is a normal one, and tests run at any hour).
psql_q "INSERT INTO comuni (id, name, quiet_start, quiet_end)
        VALUES ('isola', 'Comune di Isola', '00:00', '00:00') ON CONFLICT DO NOTHING;
        INSERT INTO channels (comune_id, kind, sender_account, token_ref, app_secret_ref, welcome_text, goodbye_text)
        VALUES ('isola', 'whatsapp', '100000000000003', 'file:$BND_SECRETS_DIR/wa-token',
                'file:$BND_SECRETS_DIR/wa-app-secret', 'Benvenuto a Isola. DISATTIVA per uscire.', 'Arrivederci.')
        ON CONFLICT DO NOTHING;
        INSERT INTO api_keys (comune_id, name, key_sha256)
        VALUES ('isola', 'redazione-isola', encode(sha256('$key2'), 'hex')) ON CONFLICT DO NOTHING;
        INSERT INTO api_keys (comune_id, name, role, key_sha256)
        VALUES ('isola', 'sindaco-isola', 'approver', encode(sha256('$key2a'), 'hex'))
        ON CONFLICT DO NOTHING" >/dev/null
isola_inbound() {
	jq -nc --arg f "$I" '{phone_number_id: "100000000000003", from: $f, text: "ATTIVA"}' |
		curl -s -X POST --data-binary @- "$FAKE_WA_URL/_fake/inbound"
}
wait_until 30 "ingest knows the new channel" '[ "$(isola_inbound | jq -r .status)" = 200 ]'
wait_eq 30 "welcome from Isola" 1 fake_count_to "$I" text
assert_eq "$(fake_messages_to "$I" | jq -r '.[0].phone_number_id')" 100000000000003 \
	"sent from Isola's own number"
id=$(api_post /api/v1/notices '{"title":"Demo","body":"Solo per Demo"}' | jq -r .id)
api_submit_approve "$id" >/dev/null
wait_eq 30 "demo notice sent" sent psql_q "SELECT status FROM notices WHERE id = '$id'"
wait_eq 30 "demo notice reaches G" 1 fake_count_to "$G" template
id2=$(curl -s -X POST -H "Authorization: Bearer $key2" \
	--data '{"title":"Isola","body":"Solo per Isola"}' "$INGEST_URL/api/v1/notices" | jq -r .id)
curl -s -X POST -H "Authorization: Bearer $key2" "$INGEST_URL/api/v1/notices/$id2/submit" >/dev/null
curl -s -X POST -H "Authorization: Bearer $key2a" "$INGEST_URL/api/v1/notices/$id2/approve" >/dev/null
wait_eq 30 "Isola's notice reaches I" 1 fake_count_to "$I" template
assert_eq "$(fake_messages_to "$I" | jq -r '[.[] | select(.type=="template")][0].params[0]')" Isola \
	"I got Isola's notice, not Demo's"
assert_eq "$(psql_q "SELECT recipients FROM notices WHERE id = '$id2'")" 1 "Isola's notice had one recipient"
draft=$(api_post /api/v1/notices '{"title":"Bozza","body":"Non ancora"}' | jq -r .id)
api_post "/api/v1/notices/$draft/submit" '{}' >/dev/null
wait_eq 30 "demo notice submitted" submitted psql_q "SELECT status FROM notices WHERE id = '$draft'"
assert_eq "$(http_status -X POST -H "Authorization: Bearer $key2a" \
	"$INGEST_URL/api/v1/notices/$draft/approve")" 404 "Isola's approver does not see Demo's notice"
assert_eq "$(psql_q "SELECT status FROM notices WHERE id = '$draft'")" submitted \
	"Isola's approver cannot approve Demo's notice"

step "an opt-out while the notice's jobs wait for the dispatcher stops them"
fake_inbound "$J" "ATTIVA" >/dev/null
wait_eq 30 "J subscribed" 1 fake_count_to "$J" text
stack stop dispatcher
id3=$(api_post /api/v1/notices '{"title":"Strade","body":"Via Roma chiusa"}' | jq -r .id)
api_submit_approve "$id3" >/dev/null
wait_eq 30 "jobs produced (J among the recipients)" t \
	psql_q "SELECT fanout_done_at IS NOT NULL FROM notices WHERE id = '$id3'"
fake_inbound "$J" "DISATTIVA" >/dev/null
wait_eq 30 "J revoked" revoked psql_q "SELECT status FROM subscribers WHERE address = '+$J'"
stack start dispatcher
wait_eq 30 "G gets the notice" 2 fake_count_to "$G" template
wait_eq 30 "J gets the goodbye" 2 fake_count_to "$J" text
assert_eq "$(fake_count_to "$J" template)" 0 "J does not get the notice"
wait_eq 30 "J's job recorded as skipped" skipped \
	psql_q "SELECT d.status FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
	        WHERE d.notice_id = '$id3' AND s.address = '+$J'"

e2e_done
