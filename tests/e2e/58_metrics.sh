#!/usr/bin/env bash
# What an SRE runs on (issue 14, docs/operations-metrics.md): every binary
# says its version; every service's /metrics carries build_info with it,
# one prefix per service; after a notice is delivered the dispatcher's
# histograms have counted it; consumer lag and the dead-letter topic's
# end are exported; ingest returns and logs a request id per request,
# never a number; log lines carry notice_id as a JSON field.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

A=393330005801
metrics() { curl -s -m 5 "$1/metrics"; }
# value URL SERIES: the value of the series written exactly so (0 if absent).
value() { metrics "$1" | awk -v s="$2" '$1 == s {v = $2} END {print v + 0}'; }

step "--version of every binary"
version=$("$BND_BIN_DIR/banditore-dispatcher" --version | awk '{print $2}')
[ -n "$version" ] || e2e_fail "no version"
for b in banditore-ingest banditore-subscriptions banditore-composer banditore-dispatcher \
	banditore-feeds banditorectl fake-whatsapp fake-telegram fake-cap kafka-keys kafka-put; do
	out=$("$BND_BIN_DIR/$b" --version) || e2e_fail "$b --version exits non-zero"
	assert_eq "$(awk '{print $2}' <<<"$out")" "$version" "$b --version: $out"
done

step "build_info on every service's /metrics, one prefix each"
for pair in "ingest $INGEST_HEALTH_URL" "subscriptions $SUBSCRIPTIONS_URL" \
	"composer $COMPOSER_URL" "dispatcher $DISPATCHER_URL" "feeds $FEEDS_URL"; do
	svc=${pair%% *} url=${pair#* }
	text=$(metrics "$url")
	assert_contains "$text" "bnd_${svc}_build_info{version=\"$version\",service=\"$svc\"} 1" \
		"$svc build_info"
	others=$(grep -v '^#' <<<"$text" | grep -v "^bnd_${svc}_" || true)
	assert_eq "$others" "" "every $svc metric starts with bnd_${svc}_"
	assert_status 200 "$url/healthz"
done

step "a citizen subscribes, a notice is approved and delivered"
assert_eq "$(fake_inbound "$A" "ATTIVA" | jq -r .status)" 200 "ATTIVA accepted"
wait_eq 30 "welcome to A" 1 fake_count_to "$A" text
first0=$(value "$DISPATCHER_URL" bnd_dispatcher_approval_to_first_send_seconds_count)
resp=$(api_post /api/v1/notices '{"title":"Metriche 58","body":"Un avviso per contare."}')
id=$(jq -r .id <<<"$resp")
assert_eq "$(jq -r .status <<<"$(api_submit_approve "$id")")" approved "approved"
wait_eq 30 "notice delivered to A" 1 fake_count_to "$A" template

step "the dispatcher's histograms and per-channel counters counted it"
wait_until 20 "approval -> first send observed" \
	'[ "$(value "$DISPATCHER_URL" bnd_dispatcher_approval_to_first_send_seconds_count)" -gt "$first0" ]'
lat='bnd_dispatcher_provider_request_seconds_count{kind="whatsapp"}'
[ "$(value "$DISPATCHER_URL" "$lat")" -gt 0 ] || e2e_fail "$lat is 0"
assert_contains "$(metrics "$DISPATCHER_URL")" \
	'bnd_dispatcher_provider_request_seconds_bucket{kind="whatsapp",le="+Inf"}' "buckets written"
wa_ch=$(psql_q "SELECT id FROM channels WHERE comune_id = '$DEMO_COMUNE' AND kind = 'whatsapp'")
sent="bnd_dispatcher_channel_sent_total{channel=\"$wa_ch\",kind=\"whatsapp\"}"
[ "$(value "$DISPATCHER_URL" "$sent")" -gt 0 ] || e2e_fail "$sent is 0"
assert_eq "$(value "$DISPATCHER_URL" 'bnd_dispatcher_breaker_state{kind="whatsapp"}')" 0 \
	"the WhatsApp breaker is closed"

step "consumer lag and the dead-letter topic's end are exported"
wait_until 20 "dispatcher consumer lag" \
	'metrics "$DISPATCHER_URL" | grep "^bnd_dispatcher_consumer_lag{group=.*topic=\"delivery.jobs\",partition=\"[0-9]*\"} [0-9]*$" >/dev/null'
wait_until 20 "subscriptions consumer lag" \
	'metrics "$SUBSCRIPTIONS_URL" | grep "^bnd_subscriptions_consumer_lag{.*topic=\"citizen.messages\"" >/dev/null'
wait_until 20 "dead letters' end offset" \
	'metrics "$DISPATCHER_URL" | grep "^bnd_dispatcher_topic_end_offset{topic=\"delivery.dead\"} [0-9]*$" >/dev/null'

step "ingest: X-Request-Id returned (a sane one kept, another replaced) and logged"
rid="e2e-58-$$"
hdr=$(curl -s -m 10 -D - -o /dev/null -H "X-Request-Id: $rid" \
	-H "Authorization: Bearer $DEMO_API_KEY" "$INGEST_URL/api/v1/notices/$id")
assert_contains "$hdr" "X-Request-Id: $rid" "the caller's id returned"
hdr=$(curl -s -m 10 -D - -o /dev/null -H 'X-Request-Id: no good{}' "$INGEST_URL/api/v1/notices")
new=$(tr -d '\r' <<<"$hdr" | awk -F': ' 'tolower($1) == "x-request-id" {print $2}')
[[ $new =~ ^[0-9a-f]{32}$ ]] || e2e_fail "a bad id is not replaced: '$new'"
log="$BND_LOGS_DIR/ingest.log"
wait_until 10 "the access line of $rid" \
	"grep -F '\"request_id\":\"$rid\"' '$log' | grep '\"event\":\"http.access\"' >/dev/null"
line=$(grep -F "\"request_id\":\"$rid\"" "$log" | tail -1)
assert_eq "$(jq -r '[.method, .route, .status] | join(" ")' <<<"$line")" \
	"GET /api/v1/notices/{id} 200" "method, route pattern (not the path) and status"
[ "$(jq -r .duration_ms <<<"$line")" -ge 0 ] || e2e_fail "no duration_ms"
assert_eq "$(grep '"event":"http.access"' "$log" | grep -c "$A" || true)" 0 \
	"no phone number in the access log"
wait_until 10 "ingest's request histogram" \
	'metrics "$INGEST_HEALTH_URL" | grep "^bnd_ingest_request_seconds_count{route=\"/api/v1/notices/{id}\",method=\"GET\",status=\"200\"} [1-9]" >/dev/null'

step "log lines carry notice_id as a field"
wait_until 10 "composer's fanout.done with notice_id" \
	"grep -F '\"notice_id\":\"$id\"' '$BND_LOGS_DIR/composer.log' |
	    jq -c 'select(.event == \"fanout.done\")' | grep . >/dev/null"

e2e_done
