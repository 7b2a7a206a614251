#!/usr/bin/env bash
# Poison messages never stop a partition (issue 12). Every consumed topic
# gets messages no consumer can handle — bytes that are no event on every
# partition, and events that name something unknown or carry text
# PostgreSQL refuses — each followed by normal traffic that must be handled
# within seconds. Then a message that fails the same way again and again
# (a database trigger refuses one number) is set aside after
# BND_POISON_RETRIES tries while other citizens go on, and once the cause
# is gone `banditorectl quarantine replay` puts it back and it is handled.
# What was set aside is listed with its source and reason, counted in each
# service's bnd_<service>_quarantined_total, and never shows a phone number.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
. "$(dirname "$0")/lib_pb.sh"
ctl() { "$BND_BIN_DIR/banditorectl" "$@"; }
cleanup() { psql_q "DROP TRIGGER IF EXISTS e2e_poison ON subscribers" >/dev/null 2>&1 || true; }
trap cleanup EXIT

A=393332610001 X=393332610002 Y=393332610003 Z=393332610004
WA_CH=$(psql_q "SELECT id FROM channels WHERE comune_id = '$DEMO_COMUNE' AND kind = 'whatsapp'")
# quarantined URL: the service's bnd_<service>_quarantined_total.
quarantined() { curl -s -m 5 "$1/metrics" | awk '$1 ~ /^bnd_[a-z]+_quarantined_total$/ {print $2}'; }
status_of() { psql_q "SELECT status FROM subscribers WHERE address = '+$1'"; }
garbage_everywhere() { kafka_put "$1" all poison "$PB_GARBAGE" | wc -l; }
# Quiet hours would hold normal notices at night; this test is about poison.
psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = '$DEMO_COMUNE'" >/dev/null

step "citizen.messages: no event on every partition, and a message for no channel"
S0=$(quarantined "$SUBSCRIPTIONS_URL")
n=$(garbage_everywhere citizen.messages)
cm="$(pb_meta "$DEMO_COMUNE")$(pb_int 2 1)$(pb_int 3 999999)$(pb_str 4 x)$(pb_str 5 "+$Z")"
cm+="$(pb_str 6 wamid.e2e-poison-1)$(pb_str 7 text)$(pb_str 8 ATTIVA)$(pb_str 10 whatsapp)"
kafka_put citizen.messages 0 poison-channel "$cm" >/dev/null
fake_inbound "$A" "ATTIVA" >/dev/null
wait_eq 15 "a citizen after them is subscribed" active status_of "$A"
wait_eq 15 "all set aside by subscriptions" $((S0 + n + 1)) quarantined "$SUBSCRIPTIONS_URL"

step "notice.events: no event, an unknown action, and the poisoned reason"
C0=$(quarantined "$COMPOSER_URL")
n=$(garbage_everywhere notice.events)
nid=$(cat /proc/sys/kernel/random/uuid)
kafka_put notice.events all "$nid" \
	"$(pb_meta "$DEMO_COMUNE")$(pb_int 2 99)$(pb_str 3 "$nid")$(pb_str 4 e2e)" >/dev/null
n=$((n * 2))
r=$(api_post /api/v1/notices '{"title":"Avviso da respingere","body":"Testo."}' | jq -r .id)
wait_eq 10 "it is stored" 1 psql_q "SELECT count(*) FROM notices WHERE id = '$r'"
api_post "/api/v1/notices/$r/submit" '{}' >/dev/null
wait_eq 10 "it is submitted" submitted psql_q "SELECT status FROM notices WHERE id = '$r'"
reason="$(printf 'a%.0s' $(seq 1 238))èèèèèèèèèèèèèèèèèèèè perché sì"
curl -s -m 15 -X POST -H "Authorization: Bearer $DEMO_APPROVER_KEY" -H 'Content-Type: application/json' \
	--data-binary "$(jq -nc --arg r "$reason" '{reason: $r}')" "$INGEST_URL/api/v1/notices/$r/reject" >/dev/null
t0=$(date +%s%3N)
id=$(api_post /api/v1/notices '{"title":"Dopo il veleno","body":"Il servizio continua."}' | jq -r .id)
wait_eq 10 "the next notice is applied" 1 psql_q "SELECT count(*) FROM notices WHERE id = '$id'"
printf '   ..  applied %s ms after it was written\n' $(($(date +%s%3N) - t0))
wait_eq 10 "all set aside by the composer" $((C0 + n)) quarantined "$COMPOSER_URL"
detail=$(psql_q "SELECT detail FROM notice_events WHERE notice_id = '$r' AND action = 'reject'")
assert_contains "$detail" "aaaa" "the reject with the long reason is recorded, cut between characters"

step "delivery jobs: no job on every partition of the four job topics, a job id that is not UTF-8"
D0=$(quarantined "$DISPATCHER_URL")
n=0
for t in delivery.jobs delivery.jobs.urgent delivery.jobs.retry delivery.jobs.parked; do
	n=$((n + $(garbage_everywhere "$t")))
done
job="$(pb_meta "$DEMO_COMUNE")$(pb_bytes 2 fffe6a6f62)$(pb_int 3 1)$(pb_int 4 "$WA_CH")"
job+="$(pb_str 5 "$DEMO_SENDER")$(pb_str 6 "+$A")$(pb_int 9 4)$(pb_bytes 11 "$(pb_str 1 ciao)")"
kafka_put delivery.jobs all "$DEMO_SENDER" "$job" >/dev/null
n=$((n + $(kafka_put delivery.jobs.urgent 0 "$DEMO_SENDER" "$job" | wc -l) + 4))
t0=$(date +%s%3N)
u=$(api_post /api/v1/notices '{"title":"Allerta dopo il veleno","body":"Urgente.","urgent":true}' | jq -r .id)
api_submit_approve "$u" >/dev/null
wait_eq 20 "an urgent notice after them reaches the citizen" 1 fake_count_to "$A" template
printf '   ..  delivered %s ms after it was written\n' $(($(date +%s%3N) - t0))
v=$(api_post /api/v1/notices '{"title":"Avviso dopo il veleno","body":"Normale."}' | jq -r .id)
api_submit_approve "$v" >/dev/null
wait_eq 20 "a normal one too" 2 fake_count_to "$A" template
wait_eq 10 "all set aside by the dispatcher" $((D0 + n)) quarantined "$DISPATCHER_URL"

step "delivery.status: no status, and a message id PostgreSQL refuses"
C0=$(quarantined "$COMPOSER_URL")
n=$(garbage_everywhere delivery.status)
st="$(pb_meta "$DEMO_COMUNE")$(pb_int 2 1)$(pb_int 3 "$WA_CH")$(pb_bytes 4 ff77616d6964)$(pb_str 5 read)"
n=$((n + $(kafka_put delivery.status all poison-status "$st" | wc -l)))
wamid=$(psql_q "SELECT w.provider_message_id FROM delivery_wamids w JOIN deliveries d ON d.job_id = w.job_id
                WHERE d.notice_id = '$v' LIMIT 1")
st="$(pb_meta "$DEMO_COMUNE")$(pb_int 2 1)$(pb_int 3 "$WA_CH")$(pb_str 4 "$wamid")$(pb_str 5 read)"
kafka_put delivery.status all "$wamid" "$st" >/dev/null
wait_eq 15 "a real status after them moves the ledger" read \
	psql_q "SELECT d.status FROM deliveries d JOIN delivery_wamids w ON w.job_id = d.job_id
	        WHERE w.provider_message_id = '$wamid'"
wait_eq 10 "all set aside by the composer" $((C0 + n)) quarantined "$COMPOSER_URL"

step "delivery.outcomes: no outcome, then one that revokes a citizen"
fake_inbound "$Y" "ATTIVA" >/dev/null
wait_eq 15 "Y subscribed" active status_of "$Y"
S0=$(quarantined "$SUBSCRIPTIONS_URL")
n=$(garbage_everywhere delivery.outcomes)
ysub=$(psql_q "SELECT id FROM subscribers WHERE address = '+$Y'")
out="$(pb_meta "$DEMO_COMUNE")$(pb_str 2 "e2e-poison:$ysub")$(pb_int 4 "$ysub")$(pb_int 5 "$WA_CH")"
out+="$(pb_int 6 2)$(pb_int 8 131050)$(pb_str 9 "user stopped marketing")$(pb_int 11 1)"
kafka_put delivery.outcomes all "e2e-poison:$ysub" "$out" >/dev/null
wait_eq 15 "the revoking outcome after them is applied" revoked status_of "$Y"
wait_eq 10 "all set aside by subscriptions" $((S0 + n)) quarantined "$SUBSCRIPTIONS_URL"

step "a message failing the same way again and again is set aside; others go on"
psql_q "CREATE OR REPLACE FUNCTION e2e_poison() RETURNS trigger LANGUAGE plpgsql AS \$\$
        BEGIN RAISE EXCEPTION 'e2e: this number is refused'; END \$\$" >/dev/null
psql_q "CREATE TRIGGER e2e_poison BEFORE INSERT ON subscribers FOR EACH ROW
        WHEN (NEW.address = '+$X') EXECUTE FUNCTION e2e_poison()" >/dev/null
S0=$(quarantined "$SUBSCRIPTIONS_URL")
t0=$(date +%s)
fake_inbound "$X" "ATTIVA" >/dev/null
wait_eq 60 "set aside after repeated failures" $((S0 + 1)) quarantined "$SUBSCRIPTIONS_URL"
printf '   ..  set aside after %s s\n' $(($(date +%s) - t0))
fake_inbound "$Z" "ATTIVA" >/dev/null
wait_eq 15 "the next citizen is subscribed" active status_of "$Z"
assert_eq "$(status_of "$X")" "" "the refused one is not"

step "banditorectl quarantine list: source and reason, no number"
list=$(ctl quarantine list --json)
for t in citizen.messages notice.events delivery.jobs delivery.jobs.urgent delivery.jobs.retry \
	delivery.jobs.parked delivery.status delivery.outcomes; do
	assert_eq "$(jq --arg t "${BND_TOPIC_PREFIX}$t" '[.[] | select(.source_topic == $t)] | length > 0' <<<"$list")" \
		true "something from $t is listed"
done
assert_contains "$(jq -r '.[].error' <<<"$list")" "channel 999999 does not exist" "the reasons are given"
assert_contains "$(jq -r '.[].error' <<<"$list")" "e2e: this number is refused" "the repeated failure too"
case $(ctl quarantine list; printf '%s' "$list") in
*39333261*) e2e_fail "a phone number is listed" ;;
esac

step "the cause is gone: the set-aside message is replayed and handled"
cleanup
qid=$(jq -r '[.[] | select(.error | contains("this number is refused"))][0].id' <<<"$list")
ctl quarantine replay --id "$qid" >/dev/null
wait_eq 15 "the citizen is subscribed now" active status_of "$X"
assert_eq "$(ctl quarantine list --json | jq --arg q "$qid" -r '.[] | select(.id == $q) | .replayed')" \
	true "the replay is recorded"
assert_eq "$(ctl quarantine list --json | jq '[.[] | select(.error | contains("this number is refused"))] | length')" \
	1 "handled this time: not set aside again"

e2e_done
