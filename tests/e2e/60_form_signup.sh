#!/usr/bin/env bash
# The comune's web sign-up form (double opt-in): the page; a sign-up sends
# the WhatsApp confirmation template and stays pending, receiving no
# notice, until the citizen answers CONFERMA; refusals name the field;
# rate limits per client IP and per number; an already subscribed number
# gets the same answer as a new one and is not disturbed; no number in
# clear in the logs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
# Each scenario has its own client address (X-Forwarded-For, trusted only
# with BND_TRUST_FORWARDED=1); ingest goes back to the default at the end.
trap 'stack stop ingest; stack start ingest || true' EXIT
stack stop ingest
BND_TRUST_FORWARDED=1 stack start ingest || e2e_fail "ingest did not restart"

P=393330000601   # signs up on the form and confirms
U=393330000602   # signs up on the form, never confirms
A=393330000603   # subscribed on WhatsApp already, then uses the form
FORM="$INGEST_URL/c/demo/iscrizione"
URLENC=application/x-www-form-urlencoded
JSON=application/json
keys="$BND_STATE_DIR/e2e-keys"
mkdir -p "$keys"
printf %s "$DEMO_API_KEY" >"$keys/demo-editor"
printf %s "$DEMO_APPROVER_KEY" >"$keys/demo-approver"

# avvisi_to DIGITS: notices (avviso_comune templates) the fake delivered to a number.
avvisi_to() { fake_templates_to "$1" avviso_comune; }
# status_of DIGITS: the number's subscription status on the demo WhatsApp channel.
status_of() {
	psql_q "SELECT s.status FROM subscribers s JOIN channels ch ON ch.id = s.channel_id
	        WHERE ch.sender_account = '$DEMO_SENDER' AND s.address = '+$1'"
}

step "the page: Italian, accessible, privacy link and topics, text escaped"
e2e_ctl comune set demo --privacy-url 'https://comune.demo.example/privacy?v=2&a="x"' >/dev/null
wait_until 30 "the page links the new privacy notice" \
	'curl -s "$FORM" | grep -qF "href=\"https://comune.demo.example/privacy?v=2&amp;a=&quot;x&quot;\""'
assert_status 200 "$FORM"
page=$E2E_BODY
assert_contains "$page" '<html lang="it">' "Italian page"
assert_contains "$page" 'name="phone"' "phone field"
assert_contains "$page" '<label for="phone">' "the phone field has a label"
assert_contains "$page" 'name="privacy" id="privacy" value="1" required' "required privacy checkbox"
assert_contains "$page" 'value="viabilita"' "a checkbox per topic"
assert_contains "$page" 'Viabilità' "topic names"
assert_eq "$(curl -s -o /dev/null -w '%{content_type}' "$FORM")" "text/html; charset=utf-8" "HTML"
assert_contains "$(curl -s -D - -o /dev/null "$FORM")" "Content-Security-Policy" "CSP header"

step "unknown comune, bad input"
assert_status 404 "$INGEST_URL/c/nessuno/iscrizione"
assert_status 404 -X POST -H "Content-Type: $JSON" --data '{"phone":"3331234567","privacy":true}' \
	"$INGEST_URL/c/nessuno/iscrizione"
out=$(form_post 198.51.100.1 "$JSON" "{\"phone\":\"+$P\",\"topics\":[\"viabilita\"]}")
assert_eq "$(head -1 <<<"$out")" 400 "privacy not accepted: 400"
assert_eq "$(sed -n '/^{/p' <<<"$out" | jq -r .field)" privacy "the error names the privacy field"
out=$(form_post 198.51.100.1 "$URLENC" "phone=$P")
assert_eq "$(head -1 <<<"$out")" 400 "form without privacy: 400"
assert_contains "$out" 'role="alert"' "the form is shown again with the error"
assert_contains "$out" "informativa sulla privacy" "the error says why"
out=$(form_post 198.51.100.1 "$JSON" '{"phone":"123","privacy":true}')
assert_eq "$(head -1 <<<"$out")" 400 "bad phone: 400"
assert_eq "$(sed -n '/^{/p' <<<"$out" | jq -r .field)" phone "the error names the phone field"
out=$(form_post 198.51.100.2 "$JSON" '{"phone":"3331234567","privacy":true,"topics":["calcio"]}')
assert_eq "$(sed -n '/^{/p' <<<"$out" | jq -r .field)" topics "an unknown topic names the topics field"
big=$(head -c 5000 /dev/zero | tr '\0' a)
assert_eq "$(form_post 198.51.100.2 "$URLENC" "phone=$P&privacy=1&x=$big" | head -1)" 413 \
	"body too large: 413"
assert_eq "$(form_post 198.51.100.2 text/plain "phone=$P&privacy=1" | head -1)" 415 \
	"unsupported media type: 415"
assert_eq "$(psql_q "SELECT count(*) FROM subscribers WHERE address IN ('+$P', '+393331234567')")" 0 \
	"nothing refused was recorded"

step "sign-up on the form: confirmation template, pending"
out=$(form_post 198.51.100.3 "$URLENC" "phone=333+000+0601&topics=viabilita&privacy=1")
assert_eq "$(head -1 <<<"$out")" 202 "the form answers 202"
assert_contains "$out" "Rispondi CONFERMA" "the page says to confirm on WhatsApp"
wait_eq 30 "confirmation template sent" 1 fake_templates_to "$P" conferma_iscrizione
assert_eq "$(fake_messages_to "$P" | jq -r '.[0].params[0]')" "Comune di Demo" \
	"the template names the comune"
assert_eq "$(status_of "$P")" pending "pending until confirmed"
assert_eq "$(psql_q "SELECT s.topics FROM subscribers s WHERE s.address = '+$P'")" "{viabilita}" \
	"topics chosen on the form"
assert_eq "$(psql_q "SELECT ce.action || ' ' || ce.source || ' ' || (ce.evidence LIKE 'form:%')
                     FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE s.address = '+$P'")" "request form true" \
	"the ledger holds the request with the form request id"
out=$(form_post 198.51.100.4 "$JSON" "{\"phone\":\"0039 333 000 0602\",\"privacy\":true}")
assert_eq "$(head -1 <<<"$out")" 202 "JSON sign-up: 202"
new_reply=$(sed -n '/^{/p' <<<"$out")
wait_eq 30 "U gets the confirmation template" 1 fake_templates_to "$U" conferma_iscrizione

step "an unconfirmed sign-up receives no notice; CONFERMA activates"
assert_eq "$(wa_inbound_to "$DEMO_SENDER" "$A" ATTIVA)" 200 "A joins on WhatsApp"
wait_eq 30 "A active" active status_of "$A"
n1=$(e2e_notice demo "Modulo uno" "Primo avviso della prova del modulo")
wait_until 60 "A receives the first notice" \
	'fake_messages_to "$A" | jq -e "any(.[]; .type == \"template\" and .params[0] == \"Modulo uno\")"'
assert_eq "$(avvisi_to "$P")" 0 "pending P got no notice"
assert_eq "$(avvisi_to "$U")" 0 "pending U got no notice"
assert_eq "$(fake_inbound "$P" "Conferma" | jq -r .status)" 200 "P answers CONFERMA"
wait_eq 30 "P active" active status_of "$P"
wait_eq 30 "P welcomed" 1 fake_count_to "$P" text
assert_eq "$(psql_q "SELECT ce.action || ' ' || ce.source FROM consent_events ce
                     JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE s.address = '+$P' ORDER BY ce.id DESC LIMIT 1")" "confirm keyword" \
	"the ledger holds the confirmation"
n2=$(e2e_notice demo "Modulo due" "Secondo avviso della prova del modulo")
wait_until 60 "P receives the second notice" \
	'fake_messages_to "$P" | jq -e "any(.[]; .type == \"template\" and .params[0] == \"Modulo due\")"'
wait_until 60 "A receives the second notice" \
	'fake_messages_to "$A" | jq -e "any(.[]; .type == \"template\" and .params[0] == \"Modulo due\")"'
assert_eq "$(avvisi_to "$U")" 0 "unconfirmed U never receives a notice"
assert_eq "$(status_of "$U")" pending "U still pending"
: "$n1" "$n2"

step "an already subscribed number: the same answer, nothing sent, nothing changed"
texts_before=$(fake_count_to "$A" text)
out=$(form_post 198.51.100.5 "$JSON" "{\"phone\":\"+$A\",\"topics\":[\"acqua\"],\"privacy\":true}")
assert_eq "$(head -1 <<<"$out")" 202 "202 for a subscribed number"
assert_eq "$(sed -n '/^{/p' <<<"$out")" "$new_reply" "the same body as for a new number"
wait_until 30 "the request reached the ledger" \
	"[ \"\$(psql_q \"SELECT count(*) FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
	                WHERE s.address = '+$A' AND ce.action = 'request'\")\" = 1 ]"
sleep 1
assert_eq "$(fake_templates_to "$A" conferma_iscrizione)" 0 "no confirmation to an active citizen"
assert_eq "$(fake_count_to "$A" text)" "$texts_before" "no text either"
assert_eq "$(status_of "$A")" active "still active"
assert_eq "$(psql_q "SELECT topics FROM subscribers WHERE address = '+$A'")" "{}" \
	"topics not changed by someone typing the number"

step "rate limits: 5 a minute per client IP, 3 a day per number"
for i in 1 2 3 4 5; do
	assert_eq "$(form_post 203.0.113.9 "$JSON" '{"phone":"1","privacy":true}' | head -1)" 400 \
		"request $i from one address"
done
out=$(form_post 203.0.113.9 "$JSON" "{\"phone\":\"+393330000604\",\"privacy\":true}")
assert_eq "$(head -1 <<<"$out")" 429 "the 6th in a minute: 429"
retry=$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/ip' <<<"$out")
[ -n "$retry" ] && [ "$retry" -ge 1 ] && [ "$retry" -le 60 ] ||
	e2e_fail "Retry-After '$retry' is not 1..60 seconds"
printf '   ok  Retry-After: %s s\n' "$retry"
assert_eq "$(form_post 203.0.113.10 "$JSON" '{"phone":"1","privacy":true}' | head -1)" 400 \
	"another address is not limited"
for ip in 203.0.113.11 203.0.113.12; do
	assert_eq "$(form_post "$ip" "$URLENC" "phone=%2B$U&privacy=1" | head -1)" 202 \
		"U asks again from $ip"
done
assert_eq "$(form_post 203.0.113.13 "$URLENC" "phone=$U&privacy=1" | head -1)" 429 \
	"the 4th sign-up of one number in a day: 429"
wait_eq 30 "U got one confirmation per accepted sign-up" 3 fake_templates_to "$U" conferma_iscrizione

step "no phone number in clear in the logs"
for svc in ingest subscriptions; do
	for n in "$P" "$U" "$A"; do
		if grep -q "${n:2}" "$BND_LOGS_DIR/$svc.log"; then
			e2e_fail "$svc.log holds a number in clear"
		fi
	done
done
printf '   ok  ingest and subscriptions logs hold no number\n'

step "clean-up: the test's citizens are erased (later tests count Demo's subscribers)"
for n in "$P" "$U" "$A"; do
	e2e_ctl gdpr erase --yes "+$n" --comune demo >/dev/null 2>&1 || e2e_fail "gdpr erase failed"
done
assert_eq "$(psql_q "SELECT count(*) FROM subscribers WHERE address IN ('+$P', '+$U', '+$A')")" 0 \
	"no subscriber left with these numbers (pending ones included)"

e2e_done
