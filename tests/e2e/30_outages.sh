#!/usr/bin/env bash
# PostgreSQL or Kafka down: services wait and retry, readiness says so,
# nothing accepted is lost, and everything flows again once they return.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
# Whatever happens, leave the stack whole for the next script.
trap 'stack start postgres kafka || true' EXIT

D=393330000301
E=393330000302

step "PostgreSQL down: a citizen's ATTIVA is accepted and waits"
stack stop postgres
wait_eq 15 "subscriptions not ready without PostgreSQL" 503 http_status "$SUBSCRIPTIONS_URL/readyz"
assert_eq "$(fake_inbound "$D" "ATTIVA" | jq -r .status)" 200 \
	"ingest accepts the webhook from its directory snapshot"
sleep 3
assert_eq "$(fake_count_to "$D" text)" 0 "no welcome while consent cannot be recorded"
assert_contains "$(cat "$BND_LOGS_DIR/subscriptions.log")" '"event":"worker.retry"' \
	"subscriptions retries the message"

step "PostgreSQL back: the waiting message is handled exactly once"
stack start postgres
wait_eq 60 "welcome to D after the outage" 1 fake_count_to "$D" text
wait_eq 15 "subscriptions ready again" 200 http_status "$SUBSCRIPTIONS_URL/readyz"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events ce JOIN subscribers s
                     ON s.id = ce.subscriber_id WHERE s.address = '+$D'")" 1 "one consent event"

step "Kafka down: ingest refuses instead of accepting what it cannot keep"
stack stop kafka
wait_eq 15 "ingest not ready without Kafka" 503 http_status "$INGEST_URL/readyz"
code=$(http_status -m 30 -X POST -H "Authorization: Bearer $DEMO_API_KEY" \
	--data '{"title":"Prova","body":"Durante il guasto"}' "$INGEST_URL/api/v1/notices")
assert_eq "$code" 503 "a notice cannot be accepted without Kafka"
assert_eq "$(fake_inbound "$E" "ATTIVA" | jq -r .status)" 503 \
	"the webhook gets 503, so Meta delivers it again later"

step "Kafka back: Meta's retry goes through and every service resumes"
stack start kafka
wait_eq 60 "ingest ready again" 200 http_status "$INGEST_URL/readyz"
wait_until 60 "Meta's retry accepted" '[ "$(fake_inbound "$E" "ATTIVA" | jq -r .status)" = 200 ]'
wait_eq 60 "welcome to E after the broker's return" 1 fake_count_to "$E" text
id=$(api_post /api/v1/notices '{"title":"Dopo il guasto","body":"Tutto funziona di nuovo."}' | jq -r .id)
api_submit_approve "$id" >/dev/null
wait_eq 60 "a notice after the outage reaches E" 1 fake_count_to "$E" template
wait_eq 30 "and D" 1 fake_count_to "$D" template

e2e_done
