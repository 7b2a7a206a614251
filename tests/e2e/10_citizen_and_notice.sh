#!/usr/bin/env bash
# The walking skeleton's path, as citizens and an editor use it, through
# the real stack (Kafka, PostgreSQL, the four services, fake WhatsApp):
# three citizens subscribe, one leaves, a notice is approved, exactly the
# two active citizens receive it exactly once; welcome and goodbye go out;
# the consent ledger holds every step.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

A=393330000101
B=393330000102
C=393330000103

step "three citizens subscribe, each with a different spelling"
assert_eq "$(fake_inbound "$A" "ATTIVA" | jq -r .status)" 200 "ATTIVA accepted by ingest"
assert_eq "$(fake_inbound "$B" "  attiva " | jq -r .status)" 200 "' attiva ' accepted"
assert_eq "$(fake_inbound "$C" "Iscrizione" | jq -r .status)" 200 "Iscrizione accepted"

for n in "$A" "$B" "$C"; do
	wait_eq 30 "welcome to $n" 1 fake_count_to "$n" text
done
welcome=$(fake_messages_to "$A" | jq -r '.[0].text')
assert_contains "$welcome" "DISATTIVA" "welcome says how to leave"
assert_eq "$(psql_q "SELECT count(*) FROM subscribers WHERE status='active'
                     AND address IN ('+$A', '+$B', '+$C')")" 3 "three active subscribers"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE s.address IN ('+$A', '+$B', '+$C') AND action='subscribe' AND source='keyword'
                     AND evidence LIKE 'wamid.%' AND privacy_version='v1' AND changed")" 3 \
	"three subscribe events in the ledger with evidence and privacy version"
assert_eq "$(psql_q "SELECT count(*) FROM subscribers WHERE address = '+$A'")" 1 "numbers stored in E.164"

step "one citizen leaves"
assert_eq "$(fake_inbound "$C" "Disattiva" | jq -r .status)" 200 "DISATTIVA accepted"
wait_eq 30 "goodbye to C" 2 fake_count_to "$C" text
assert_contains "$(fake_messages_to "$C" | jq -r '.[1].text')" "ATTIVA" "goodbye says how to come back"
assert_eq "$(psql_q "SELECT status FROM subscribers WHERE address='+$C'")" revoked "C revoked"
assert_eq "$(psql_q "SELECT string_agg(ce.action, ',' ORDER BY ce.id) FROM consent_events ce
                     JOIN subscribers s ON s.id = ce.subscriber_id WHERE s.address='+$C'")" \
	"subscribe,unsubscribe" "C's consent history"

step "an editor writes a notice and submits it, the approver approves it"
resp=$(api_post /api/v1/notices '{"title":"Acqua sospesa","body":"Domani dalle 8 alle 14 in via Roma manca l'\''acqua per lavori."}')
assert_eq "$(jq -r .status <<<"$resp")" draft "notice created as draft"
id=$(jq -r .id <<<"$resp")
resp=$(api_submit_approve "$id")
assert_eq "$(jq -r .status <<<"$resp")" approved "approval accepted"
wait_eq 30 "notice fanned out" sent psql_q "SELECT status FROM notices WHERE id='$id'"
for n in "$A" "$B"; do
	wait_eq 30 "notice delivered to $n" 1 fake_count_to "$n" template
done
sleep 2   # let any duplicate that would arrive, arrive
for n in "$A" "$B"; do
	assert_eq "$(fake_count_to "$n" template)" 1 "exactly one notice to $n"
done
assert_eq "$(fake_count_to "$C" template)" 0 "the citizen who left gets nothing"
tpl=$(fake_messages_to "$A" | jq -c '[.[] | select(.type=="template")][0]')
assert_eq "$(jq -r .template <<<"$tpl")" avviso_comune "sent as the comune's utility template"
assert_eq "$(jq -r '.params[0]' <<<"$tpl")" "Acqua sospesa" "title is the first parameter"
assert_eq "$(psql_q "SELECT recipients FROM notices WHERE id='$id'")" 2 "recipients counted"
wait_eq 30 "delivery ledger complete" 2 \
	psql_q "SELECT count(*) FROM deliveries WHERE notice_id='$id' AND status='sent'"
assert_eq "$(psql_q "SELECT count(*) FROM notice_events WHERE notice_id='$id'")" 3 \
	"create, submit and approve recorded with who and when"

step "Meta re-delivers the same webhook: nothing happens twice"
body=$(wa_webhook_body "$B" "DISATTIVA" "wamid.replay-test-1")
assert_eq "$(wa_post "$body" | head -1)" 200 "first delivery"
assert_eq "$(wa_post "$body" | head -1)" 200 "second delivery"
wait_eq 30 "goodbye to B" 2 fake_count_to "$B" text
sleep 2
assert_eq "$(fake_count_to "$B" text)" 2 "one goodbye only"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events WHERE evidence='wamid.replay-test-1'")" 1 \
	"one ledger entry for one message"

e2e_done
