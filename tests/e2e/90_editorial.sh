#!/usr/bin/env bash
# The editorial workflow through the real stack: validation names the
# field; roles and four eyes (an editor cannot approve, an approver cannot
# approve what they wrote); submit -> approve by another person -> the
# subscriber gets it; a rejected notice is edited and resubmitted; rejected
# and cancelled notices send nothing; list, read (history: who, when),
# preview, stats; another comune's notice is invisible; a consortium alert
# makes one notice per comune with a shared group.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

S=393330000901        # a demo subscriber on WhatsApp
T=909001              # and one on the Telegram bot
API="$INGEST_URL/api/v1"

# as KEY METHOD PATH [JSON]: the response body of an editors' API call.
as() {
	local key=$1 method=$2 path=$3 body=${4:-}
	curl -s -m 15 -X "$method" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
		${body:+--data-binary "$body"} "$API$path"
}
# code_as KEY METHOD PATH [JSON]: the HTTP status of that call; body in $BODY_FILE.
BODY_FILE=$(mktemp)
trap 'rm -f "$BODY_FILE"' EXIT
code_as() {
	local key=$1 method=$2 path=$3 body=${4:-}
	curl -s -m 15 -o "$BODY_FILE" -w '%{http_code}' -X "$method" \
		-H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
		${body:+--data-binary "$body"} "$API$path"
}
body() { cat "$BODY_FILE"; }
ED=$DEMO_API_KEY
AP=$DEMO_APPROVER_KEY
# templates_titled DIGITS TITLE: notices with that title the fake delivered to DIGITS.
templates_titled() {
	fake_messages_to "$1" | jq --arg t "$2" '[.[] | select(.type == "template" and .params[0] == $t)] | length'
}

# Quiet hours would hold normal notices at night; this test is about the workflow.
psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id IN ('demo', 'prova')" >/dev/null

step "a citizen subscribes"
assert_eq "$(fake_inbound "$S" "ATTIVA" | jq -r .status)" 200 "ATTIVA accepted"
wait_eq 30 "welcome to S" 1 fake_count_to "$S" text
assert_eq "$(fake_tg_update "$T" "/start" | jq -r .status)" 200 "/start accepted"
wait_eq 30 "welcome to T" 1 fake_tg_count_to "$T"

step "validation errors name the field"
assert_eq "$(code_as "$ED" POST /notices '{"body":"senza titolo"}')" 400 "missing title: 400"
assert_eq "$(body | jq -r .field)" title "names title"
assert_eq "$(code_as "$ED" POST /notices '{"title":"T","body":"B","category":"sport"}')" 400 \
	"unknown category: 400"
assert_eq "$(body | jq -r .field)" category "names category"
assert_eq "$(code_as "$ED" POST /notices '{"title":"T","body":"B","channels":["fax"]}')" 400 \
	"unknown channel: 400"
assert_eq "$(body | jq -r .field)" "channels[0]" "names channels[0]"
assert_eq "$(code_as "$ED" POST /notices '{"title":"T","body":"B","link":"javascript:x"}')" 400 \
	"a link that is not http(s): 400"
assert_eq "$(body | jq -r .field)" link "names link"
assert_eq "$(code_as "wrong-key" GET /notices)" 401 "unknown key: 401"
assert_eq "$(code_as "$ED" GET /notices/00000000-0000-4000-8000-000000000000)" 404 \
	"unknown notice: 404"
assert_eq "$(code_as "$ED" GET /notices/not-a-uuid)" 400 "malformed id: 400"
assert_eq "$(body | jq -r .field)" id "names id"

step "the editor writes and submits; editors cannot approve"
resp=$(as "$ED" POST /notices '{"title":"Lavori in via Verdi","body":"Da lunedì\nstrada chiusa.","category":"roads"}')
assert_eq "$(jq -r .status <<<"$resp")" draft "created as draft"
n1=$(jq -r .id <<<"$resp")
assert_eq "$(as "$ED" GET "/notices/$n1" | jq -r '.status + " " + .author + " " + .category')" \
	"draft redazione roads" "readable at once (read-your-writes)"
prev=$(as "$ED" GET "/notices/$n1/preview")
assert_eq "$(jq -c '.whatsapp.params[0:2]' <<<"$prev")" '["Lavori in via Verdi","Da lunedì strada chiusa."]' \
	"preview: WhatsApp template parameters, one line each"
assert_eq "$(jq -r '.whatsapp.params | length' <<<"$prev")" 3 "preview: the third is the link"
assert_contains "$(jq -r .telegram.text <<<"$prev")" "$(printf '<b>Lavori in via Verdi</b>\n\nDa lunedì\nstrada chiusa.')" \
	"preview: Telegram HTML"
assert_eq "$(code_as "$ED" POST "/notices/$n1/approve")" 403 "an editor approving: 403"
assert_contains "$(body | jq -r .message)" "approver" "says an approver must do it"
assert_eq "$(code_as "$AP" POST "/notices/$n1/approve")" 409 "approving a draft: 409"
assert_contains "$(body | jq -r .message)" "draft" "names the current status"
assert_eq "$(as "$ED" POST "/notices/$n1/submit" | jq -r .status)" submitted "submitted"

step "four eyes: an approver cannot approve a notice they wrote"
own=$(as "$AP" POST /notices '{"title":"Scritto dal sindaco","body":"Testo"}' | jq -r .id)
assert_eq "$(as "$AP" POST "/notices/$own/submit" | jq -r .status)" submitted "the approver submits their own"
assert_eq "$(code_as "$AP" POST "/notices/$own/approve")" 403 "approving one's own notice: 403"
assert_eq "$(body | jq -r .error)" four_eyes "error four_eyes"
assert_contains "$(body | jq -r .message)" "another approver" "the message says what to do"
assert_eq "$(as "$AP" GET "/notices/$own" | jq -r .status)" submitted "still submitted"

step "a comune may let one person send an urgent notice alone"
psql_q "UPDATE comuni SET allow_single_urgent = true WHERE id = 'prova'" >/dev/null
P=$DEMO2_APPROVER_KEY
u=$(as "$P" POST /notices '{"title":"Urgente 90","body":"Chiusura scuole.","urgent":true}' | jq -r .id)
as "$P" POST "/notices/$u/submit" >/dev/null
nu=$(as "$P" POST /notices '{"title":"Normale 90","body":"Mercato."}' | jq -r .id)
as "$P" POST "/notices/$nu/submit" >/dev/null
assert_eq "$(code_as "$P" POST "/notices/$nu/approve")" 403 "not a normal notice"
assert_contains "$(body | jq -r .message)" "only urgent notices" "says why"
assert_eq "$(as "$P" POST "/notices/$u/approve" | jq -r .status)" approved "an urgent one, yes"
wait_eq 30 "the composer agrees" sent psql_q "SELECT status FROM notices WHERE id = '$u'"
psql_q "UPDATE comuni SET allow_single_urgent = false WHERE id = 'prova'" >/dev/null

step "another person approves: the subscriber gets it"
assert_eq "$(as "$AP" POST "/notices/$n1/approve" | jq -r .status)" approved "approved by the approver"
wait_eq 30 "n1 sent" sent psql_q "SELECT status FROM notices WHERE id = '$n1'"
wait_eq 30 "S got n1" 1 templates_titled "$S" "Lavori in via Verdi"
assert_eq "$(fake_messages_to "$S" | jq -c '[.[] | select(.type == "template" and .params[0] == "Lavori in via Verdi")][0].params')" \
	"$(jq -c .whatsapp.params <<<"$prev")" "WhatsApp sent exactly the preview's parameters"
wait_eq 30 "T got n1" 1 sh -c "curl -s -m 10 -G --data-urlencode chat_id=$T '$FAKE_TG_URL/_fake/messages' |
	jq '[.messages[] | select(.sent_text | startswith(\"<b>Lavori\"))] | length'"
assert_eq "$(fake_tg_messages_to "$T" | jq -r '[.[] | select(.sent_text | startswith("<b>Lavori"))][0].sent_text')" \
	"$(jq -r .telegram.text <<<"$prev")" "Telegram sent exactly the preview's text"
hist=$(as "$ED" GET "/notices/$n1" | jq -c '[.history[] | [.action, .actor]]')
assert_eq "$hist" '[["create","redazione"],["submit","redazione"],["approve","sindaco"]]' \
	"history: who did what, in order"
assert_eq "$(as "$ED" GET "/notices/$n1" | jq -r '[.history[].at | test("^20[0-9-]+T[0-9:.]+Z$")] | all')" \
	true "history: when, as UTC times"
assert_eq "$(as "$ED" GET "/notices/$n1" | jq -r '.approver + " " + (.approver_key_id | tostring | test("^[0-9]+$") | tostring)')" \
	"sindaco true" "the approver is recorded"
# Other tests' citizens share the demo comune: count from the ledger.
nrec=$(psql_q "SELECT recipients FROM notices WHERE id = '$n1'")
assert_eq "$([ "$nrec" -ge 2 ] && echo yes)" yes "S and T among the recipients"
wait_eq 30 "stats: every recipient accounted for" 0 \
	sh -c "curl -s -H 'Authorization: Bearer $ED' '$API/notices/$n1/stats' | jq -r .pending"
stats=$(as "$ED" GET "/notices/$n1/stats")
assert_eq "$(jq -r .recipients <<<"$stats")" "$nrec" "stats: recipients as the composer counted them"
assert_eq "$(jq -r .sent <<<"$stats")" \
	"$(psql_q "SELECT count(*) FROM deliveries WHERE notice_id = '$n1' AND purpose = 'notice'
	           AND status IN ('sent', 'delivered', 'read')")" "stats: sent as the delivery ledger says"
assert_eq "$(jq -r '.sent + .failed + .held + .skipped' <<<"$stats")" "$nrec" "stats: they add up"
assert_eq "$(e2e_ctl notice stats "$n1" | jq -c '[.recipients, .sent, .failed]')" \
	"$(jq -c '[.recipients, .sent, .failed]' <<<"$stats")" "banditorectl notice stats says the same"
assert_eq "$(e2e_ctl notice show "$n1" | jq -c '[.history[].actor]')" '["redazione","redazione","sindaco"]' \
	"banditorectl notice show: the history"
assert_contains "$(e2e_ctl notice list --comune demo --status sent)" "$n1" "banditorectl notice list"

step "rejected: nothing is sent; edited and resubmitted, it goes out as edited"
n2=$(as "$ED" POST /notices '{"title":"Refuso nel tittolo","body":"Mercato sospeso."}' | jq -r .id)
as "$ED" POST "/notices/$n2/submit" >/dev/null
assert_eq "$(code_as "$AP" POST "/notices/$n2/reject" '{}')" 400 "reject without a reason: 400"
assert_eq "$(body | jq -r .field)" reason "names reason"
assert_eq "$(as "$AP" POST "/notices/$n2/reject" '{"reason":"Correggere il titolo"}' | jq -r .status)" \
	rejected "rejected with a reason"
assert_eq "$(code_as "$AP" POST "/notices/$n2/approve")" 409 "approving a rejected notice: 409"
assert_contains "$(body | jq -r .message)" "rejected" "names the current status"
assert_eq "$(as "$ED" GET "/notices/$n2" | jq -r .reject_reason)" "Correggere il titolo" \
	"the editor reads why"
assert_eq "$(code_as "$ED" PATCH "/notices/$n2" '{"title":""}')" 400 "an empty title: 400"
assert_eq "$(body | jq -r .field)" title "names title"
resp=$(as "$ED" PATCH "/notices/$n2" '{"title":"Mercato sospeso"}')
assert_eq "$(jq -r '.status + " " + (.version | tostring)' <<<"$resp")" "draft 2" "edited: draft, version 2"
assert_eq "$(as "$ED" GET "/notices/$n2" | jq -r '.title + "|" + .body')" "Mercato sospeso|Mercato sospeso." \
	"PATCH kept the body"
assert_eq "$(code_as "$ED" POST "/notices/$n2/submit" '{"version":1}')" 409 "submitting a stale version: 409"
assert_eq "$(as "$ED" POST "/notices/$n2/submit" '{"version":2}' | jq -r .status)" submitted "resubmitted"
assert_eq "$(as "$AP" POST "/notices/$n2/approve" | jq -r .status)" approved "approved"
wait_eq 30 "S got the edited notice" 1 templates_titled "$S" "Mercato sospeso"
assert_eq "$(templates_titled "$S" "Refuso nel tittolo")" 0 "the rejected text was never sent"
assert_eq "$(as "$ED" GET "/notices/$n2" | jq -c '[.history[].action]')" \
	'["create","submit","reject","edit","submit","approve"]' "the whole history"

step "cancelled: nothing is sent"
n3=$(as "$ED" POST /notices '{"title":"Annullato","body":"Non deve arrivare."}' | jq -r .id)
as "$ED" POST "/notices/$n3/submit" >/dev/null
assert_eq "$(as "$AP" POST "/notices/$n3/cancel" '{"reason":"Evento rinviato"}' | jq -r .status)" \
	cancelled "cancelled by the approver"
assert_eq "$(code_as "$AP" POST "/notices/$n3/approve")" 409 "approving a cancelled notice: 409"
assert_contains "$(body | jq -r .message)" "cancelled" "names the current status"
assert_eq "$(code_as "$ED" PUT "/notices/$n3" '{"title":"X","body":"Y"}')" 409 "editing it: 409"
sleep 2
assert_eq "$(templates_titled "$S" "Annullato")" 0 "the cancelled notice was never sent"
assert_eq "$(psql_q "SELECT status FROM notices WHERE id = '$n3'")" cancelled "cancelled in the database"

step "scheduled: held until its time, and cancellable"
n4=$(as "$ED" POST /notices '{"title":"Programmato","body":"Tra un'"'"'ora."}' | jq -r .id)
as "$ED" POST "/notices/$n4/submit" >/dev/null
assert_eq "$(code_as "$AP" POST "/notices/$n4/schedule" '{}')" 400 "schedule without a time: 400"
assert_eq "$(body | jq -r .field)" scheduled_at "names scheduled_at"
assert_eq "$(code_as "$AP" POST "/notices/$n4/schedule" '{"scheduled_at":"2020-01-01T08:00:00+01:00"}')" 400 \
	"a time in the past: 400"
when=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
assert_eq "$(as "$AP" POST "/notices/$n4/schedule" "{\"scheduled_at\":\"$when\"}" | jq -r .status)" \
	scheduled "scheduled"
assert_eq "$(as "$ED" GET "/notices/$n4" | jq -r '.status + " " + .scheduled_at')" \
	"scheduled ${when%Z}.000Z" "held until the time chosen"
sleep 2
assert_eq "$(templates_titled "$S" "Programmato")" 0 "nothing sent before its time"
assert_eq "$(as "$AP" POST "/notices/$n4/cancel" | jq -r .status)" cancelled "cancelled while scheduled"
assert_eq "$(as "$ED" GET "/notices/$n4" | jq -r .status)" cancelled "cancelled"

step "the author proposes a time: the approval keeps it, unless the approver says now"
later=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
assert_eq "$(code_as "$ED" POST /notices '{"title":"P","body":"P","scheduled_at":"2020-01-01T08:00:00Z"}')" \
	400 "a proposed time in the past: 400"
assert_eq "$(body | jq -r .field)" scheduled_at "names scheduled_at"
n5=$(as "$ED" POST /notices "{\"title\":\"Proposto\",\"body\":\"Tra due ore.\",\"scheduled_at\":\"$later\"}" |
	jq -r .id)
as "$ED" PATCH "/notices/$n5" '{"title":"Proposto per dopo"}' >/dev/null
assert_eq "$(as "$ED" GET "/notices/$n5" | jq -r '.title + " " + .scheduled_at')" \
	"Proposto per dopo ${later%Z}.000Z" "a PATCH keeps the proposed time"
as "$ED" POST "/notices/$n5/submit" >/dev/null
api_post_settled "$AP" "/api/v1/notices/$n5/approve" >/dev/null
state_at() { as "$ED" GET "/notices/$1" | jq -r '.status + " " + (.scheduled_at // "")'; }
wait_eq 15 "approved without a time: held until the proposal" "scheduled ${later%Z}.000Z" \
	state_at "$n5"
as "$AP" POST "/notices/$n5/cancel" >/dev/null
n6=$(as "$ED" POST /notices "{\"title\":\"Proposto ma subito\",\"body\":\"Ora.\",\"scheduled_at\":\"$later\"}" |
	jq -r .id)
as "$ED" POST "/notices/$n6/submit" >/dev/null
assert_eq "$(as "$AP" POST "/notices/$n6/approve" '{"scheduled_at":null}' | jq -r .status)" approved \
	"scheduled_at null: now"
wait_eq 60 "the subscriber gets it now, not in two hours" 1 templates_titled "$S" "Proposto ma subito"

step "list: filters, newest first, cursor pagination"
all=$(as "$ED" GET "/notices?limit=100")
assert_eq "$(jq -r '[.notices[].id] | index("'"$n3"'") < index("'"$n1"'")' <<<"$all")" true "newest first"
assert_eq "$(as "$ED" GET "/notices?status=cancelled&limit=100" | jq -r '[.notices[].status] | unique | join(",")')" \
	cancelled "status filter"
p1=$(as "$ED" GET "/notices?limit=2")
cur=$(jq -r .next_cursor <<<"$p1")
p2=$(as "$ED" GET "/notices?limit=2&cursor=$cur")
assert_eq "$(jq -r '[.notices[].id] | length' <<<"$p2")" 2 "a second page"
assert_eq "$(printf '%s\n%s\n' "$p1" "$p2" | jq -s '[.[].notices[].id] | unique | length')" 4 \
	"pages do not overlap"
assert_eq "$(jq -r '.notices[1].id' <<<"$all")" "$(jq -r '.notices[1].id' <<<"$p1")" \
	"the first page is the head of the list"
assert_eq "$(jq -r '.notices[2].id' <<<"$all")" "$(jq -r '.notices[0].id' <<<"$p2")" \
	"the second page continues it"
assert_eq "$(code_as "$ED" GET "/notices?cursor=garbage")" 400 "a forged cursor: 400"
assert_eq "$(body | jq -r .field)" cursor "names cursor"
assert_eq "$(code_as "$ED" GET "/notices?status=inviato")" 400 "an unknown status: 400"

step "another comune's notice does not exist for its keys"
assert_eq "$(code_as "$DEMO2_APPROVER_KEY" GET "/notices/$n1")" 404 "prova cannot read demo's notice"
assert_eq "$(code_as "$DEMO2_APPROVER_KEY" POST "/notices/$own/approve")" 404 "nor approve it"
assert_eq "$(code_as "$DEMO2_APPROVER_KEY" GET "/notices?comune=demo")" 404 "nor list demo's"

step "consortium alert: one notice per comune, one group"
ckey=e2e-consortium-key-90
ckey2=e2e-consortium-key-90-b
psql_q "INSERT INTO api_keys (comune_id, name, role, key_sha256, consortium_comuni)
        VALUES ('demo', 'protezione-civile', 'consortium', encode(sha256('$ckey'), 'hex'), '{demo,prova}'),
               ('demo', 'unione', 'consortium', encode(sha256('$ckey2'), 'hex'), '{demo,prova}')" >/dev/null
wait_until 30 "ingest knows the consortium key" \
	'[ "$(code_as "$ckey" GET /notices)" = 200 ]'
assert_eq "$(code_as "$ED" POST /alerts '{"comuni":"all","title":"T","body":"B"}')" 403 \
	"an editor cannot send alerts"
assert_eq "$(code_as "$ckey" POST /alerts '{"comuni":["demo","isola-90"],"title":"T","body":"B"}')" 403 \
	"a comune outside the consortium: 403"
assert_eq "$(code_as "$ckey" POST /alerts '{"comuni":[],"title":"T","body":"B"}')" 400 "no comuni: 400"
assert_eq "$(body | jq -r .field)" comuni "names comuni"
assert_eq "$(code_as "$ckey" POST /alerts '{"comuni":"all","title":"Allerta meteo","body":"Evitare i sottopassi.","urgent":true,"category":"weather"}')" \
	202 "alert accepted"
alert=$(body)
assert_eq "$(jq -r '[.notices[].comune_id] | join(",")' <<<"$alert")" demo,prova "one notice per comune"
group=$(jq -r .group_id <<<"$alert")
ad=$(jq -r '.notices[] | select(.comune_id == "demo") | .id' <<<"$alert")
ap=$(jq -r '.notices[] | select(.comune_id == "prova") | .id' <<<"$alert")
assert_eq "$(as "$ckey" GET "/notices/$ap" | jq -r '.status + " " + .group_id')" "submitted $group" \
	"submitted, in the group"
assert_eq "$(code_as "$ckey" POST "/notices/$ad/approve")" 403 "the author cannot approve it"
assert_eq "$(as "$ckey2" POST "/notices/$ad/approve" | jq -r .status)" approved \
	"another consortium officer approves demo's"
assert_eq "$(as "$DEMO2_APPROVER_KEY" POST "/notices/$ap/approve" | jq -r .status)" approved \
	"prova's approver approves prova's"
wait_eq 30 "S got the alert from demo's sender" 1 templates_titled "$S" "Allerta meteo"
assert_eq "$(fake_messages_to "$S" | jq -r '[.[] | select(.params[0]? == "Allerta meteo")][0].phone_number_id')" \
	"$DEMO_SENDER" "sent from demo's own number"
wait_eq 30 "prova's notice sent too" sent psql_q "SELECT status FROM notices WHERE id = '$ap'"

step "PostgreSQL down: reads answer 503, and work again after"
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
trap 'rm -f "$BODY_FILE"; stack start postgres || true' EXIT
stack stop postgres
assert_eq "$(code_as "$ED" GET "/notices/$n1")" 503 "reading a notice: 503"
assert_eq "$(body | jq -r .error)" database_unavailable "says the database is unavailable"
assert_eq "$(code_as "$AP" POST "/notices/$own/cancel")" 503 "an action needing the state: 503"
assert_eq "$(http_status "$INGEST_URL/c/demo/avvisi.atom")" 503 "the archive: 503"
stack start postgres
wait_eq 60 "reads work again" 200 code_as "$ED" GET "/notices/$n1"

e2e_done
