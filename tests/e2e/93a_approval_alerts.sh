#!/usr/bin/env bash
# Approval alerts and "Invia una prova a me" (issue 15). Comune c93a has
# an editor (with a WhatsApp alert number), an approver on WhatsApp, one
# on Telegram, and a disabled approver. An urgent notice submitted: both
# approvers alerted within seconds with the template's parameters, the
# author and the disabled person not. A normal one: alerted only after
# BND_COMPOSER_APPROVAL_ALERT_S (5 s in the local stack), once, while a
# second composer runs and the first is restarted. One approved before
# the delay: no alert. A consortium's alert, created submitted, alerts the
# comune's approvers at once. The editor's test send reaches only their own
# number, "[PROVA] " + exactly the preview's parameters; an API key and a
# person without an alert address get no_alert_address; the sixth test
# in 10 minutes is a 429; the history shows test_send.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

C=c93a
SENDER=100000000009301
TG_BOT=9300000001
ED_WA=393339300101 AP_WA=393339300102 AP_TG=9300103 OFF_WA=393339300104
R=$RANDOM
DIR=$(mktemp -d)
EXTRA=""
cleanup() {
	[ -z "$EXTRA" ] || stop_pid "$EXTRA"
	rm -rf "$DIR"
}
trap cleanup EXIT
BODY_FILE=$DIR/body

# login LOGIN: the session token (the password is in $DIR/LOGIN); CSRF in
# $DIR/LOGIN.csrf. Once: a login right after a PostgreSQL restart (90's)
# must work too (db_begin reconnects a stale connection).
login() {
	local body code
	body=$(jq -nc --arg c "$C" --arg l "$1" --arg p "$(cat "$DIR/$1")" \
		'{comune: $c, login: $l, password: $p}')
	code=$(curl -s -m 15 -o "$BODY_FILE" -D "$DIR/h" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/json' --data-binary "$body" "$INGEST_URL/console/api/login")
	[ "$code" = 200 ] || e2e_fail "login $1: $code $(cat "$BODY_FILE")"
	jq -r .csrf "$BODY_FILE" >"$DIR/$1.csrf"
	sed -n 's/^Set-Cookie: bnd_session=\([^;]*\);.*/\1/ip' "$DIR/h" | tr -d '\r'
}
# as LOGIN METHOD PATH [JSON]: a request with LOGIN's session; the status, body in $BODY_FILE.
as() {
	local token csrf
	token=$(cat "$DIR/$1.token") csrf=$(cat "$DIR/$1.csrf")
	curl -s -m 15 -o "$BODY_FILE" -w '%{http_code}' -X "$2" -H "Cookie: bnd_session=$token" \
		-H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		${4:+--data-binary "$4"} "$INGEST_URL$3"
}
field() { jq -r "$1" "$BODY_FILE"; }
# as_settled LOGIN PATH: POST '{}' until the composer applied what came before.
as_settled() {
	local deadline=$(($(date +%s) + 60)) code
	while :; do
		code=$(as "$1" POST "$2" '{}')
		[ "$(field '.error // empty')" = not_applied_yet ] || break
		[ "$(date +%s)" -lt "$deadline" ] || break
		sleep 0.3
	done
	printf '%s\n' "$code"
}
stored() { [ "$(as ed GET "/api/v1/notices/$1")" = 200 ]; }
# notice TITLE URGENT: written and submitted by the editor; prints its id.
notice() {
	local id
	[ "$(as ed POST /api/v1/notices "$(jq -nc --arg t "$1" --argjson u "$2" \
		'{title: $t, body: "Via Roma chiusa per lavori fino a venerdì.", urgent: $u}')")" = 202 ] ||
		e2e_fail "notice '$1' not created: $(cat "$BODY_FILE")"
	id=$(field .id)
	wait_until 30 "'$1' stored" stored "$id" >&2
	assert_eq "$(as_settled ed "/api/v1/notices/$id/submit")" 202 "'$1' submitted" >&2
	printf '%s\n' "$id"
}
# alerts_wa DIGITS TITLE: approval alerts of TITLE the fake WhatsApp sent to DIGITS.
alerts_wa() {
	fake_messages_to "$1" | jq --arg t "Da approvare: $2" \
		'[.[] | select(.type == "template" and .params[0] == $t)] | length'
}
alerts_tg() {
	fake_tg_messages_to "$AP_TG" | jq --arg t "Da approvare: $1" \
		'[.[] | select(.text | contains($t))] | length'
}

step "a comune with WhatsApp and Telegram channels and four people"
e2e_comune $C $SENDER 80 >/dev/null
e2e_ctl channel add --comune $C --kind telegram --sender $TG_BOT \
	--token-ref "file:$BND_SECRETS_DIR/tg-token" --app-secret-ref "file:$BND_SECRETS_DIR/tg-secret-token" \
	--welcome "Benvenuto su Telegram." --goodbye "Arrivederci." >/dev/null || e2e_fail "telegram channel"
for who in ed ap tg off noalert; do head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/$who"; done
e2e_ctl staff add --comune $C --login ed --name "Elena Redattrice" --role editor \
	--password-file "$DIR/ed" --alert "whatsapp:+$ED_WA" >/dev/null || e2e_fail "staff add ed"
e2e_ctl staff add --comune $C --login ap --name "Aldo Approvatore" --role approver \
	--password-file "$DIR/ap" --alert "whatsapp:+$AP_WA" >/dev/null || e2e_fail "staff add ap"
e2e_ctl staff add --comune $C --login tg --name "Tina Telegram" --role approver \
	--password-file "$DIR/tg" --alert "telegram:$AP_TG" >/dev/null || e2e_fail "staff add tg"
e2e_ctl staff add --comune $C --login off --name "Otto Spento" --role approver \
	--password-file "$DIR/off" --alert "whatsapp:+$OFF_WA" >/dev/null || e2e_fail "staff add off"
e2e_ctl staff add --comune $C --login noalert --name "Nora Senza" --role editor \
	--password-file "$DIR/noalert" >/dev/null || e2e_fail "staff add noalert"
# A bot may write only to a person who started it once: Tina did.
curl -s -m 10 -X POST --data "{\"chat_id\": $AP_TG, \"state\": \"started\"}" "$FAKE_TG_URL/_fake/block" >/dev/null
e2e_ctl staff disable --comune $C --login off 2>/dev/null || e2e_fail "staff disable off"
for who in ed ap noalert; do
	login $who >"$DIR/$who.token" || exit 1
done
assert_eq "$(as ed GET /console/api/me)/$(field .alert_kind)" 200/whatsapp "me: the editor's alert kind"
assert_eq "$(as noalert GET /console/api/me)/$(field .alert_kind)" 200/null "me: none for Nora"

step "an urgent notice submitted: its approvers alerted within seconds, its author not"
URG="Urgente $R: acqua non potabile"
t0=$(date +%s%3N)
u1=$(notice "$URG" true)
wait_eq 10 "the WhatsApp approver alerted" 1 alerts_wa $AP_WA "$URG"
echo "   alerted $(($(date +%s%3N) - t0)) ms after the submit was asked"
msg=$(fake_messages_to $AP_WA | jq -c --arg t "Da approvare: $URG" '[.[] | select(.params[0] == $t)][0]')
assert_eq "$(jq -r .template <<<"$msg")" avviso_comune "the comune's notice template"
assert_contains "$(jq -r '.params[1]' <<<"$msg")" "Avviso URGENTE scritto da Elena Redattrice" "who wrote it"
assert_contains "$(jq -r '.params[1]' <<<"$msg")" "attende" "and that it waits"
assert_eq "$(jq -r '.params[2]' <<<"$msg")" "$(svc_env_value composer BND_CONSOLE_URL)#/da-approvare" \
	"the link to Da approvare"
wait_eq 10 "the Telegram approver alerted" 1 alerts_tg "$URG"
assert_eq "$(alerts_wa $ED_WA "$URG")" 0 "the author is not alerted"
assert_eq "$(alerts_wa $OFF_WA "$URG")" 0 "the disabled approver is not alerted"
assert_eq "$(psql_q "SELECT approval_alerted_version FROM notices WHERE id = '$u1'")" 1 "version 1 recorded"

step "a consortium's alert (POST /api/v1/alerts), created submitted: its approvers alerted too"
e2e_ctl comune add c93b "Unione di prova c93b" >/dev/null || e2e_fail "comune add c93b"
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/consortium"
e2e_ctl apikey add --comune c93b --name unione --role consortium --key-file "$DIR/consortium" \
	--comuni $C >/dev/null || e2e_fail "consortium key"
CONS="Allerta $R: vento forte"
alert_body=$(jq -nc --arg t "$CONS" --arg c "$C" \
	'{comuni: [$c], title: $t, body: "Raffiche fino a 90 km/h.", urgent: true, category: "weather"}')
consortium_alert() {
	[ "$(curl -s -m 15 -o "$BODY_FILE" -w '%{http_code}' -X POST -H "Authorization: Bearer $(cat "$DIR/consortium")" \
		-H 'Content-Type: application/json' --data-binary "$alert_body" "$INGEST_URL/api/v1/alerts")" = 202 ]
}
wait_until 30 "the consortium's alert accepted" consortium_alert
wait_eq 10 "the comune's approver alerted of it" 1 alerts_wa $AP_WA "$CONS"
assert_eq "$(alerts_wa $ED_WA "$CONS")" 0 "not the editor (no approver)"

step "a normal notice: alerted after the delay only, once, across two composers and a restart"
mapfile -t cenv < <("$E2E_ROOT/scripts/stack.sh" svc-env composer)
(cd "$E2E_ROOT" && exec setsid env "${cenv[@]}" "BND_HTTP_PORT=$((COMPOSER_PORT + 43))" \
	"BND_INSTANCE_NAME=e2e93a" "$BND_BIN_DIR/banditore-composer") \
	>>"$BND_LOGS_DIR/composer-93a.log" 2>&1 </dev/null &
EXTRA=$!
wait_eq 30 "a second composer ready" 200 http_status "http://127.0.0.1:$((COMPOSER_PORT + 43))/readyz"
NORM="Normale $R: mercato spostato"
t0=$(date +%s)
n1=$(notice "$NORM" false)
"$E2E_ROOT/scripts/stack.sh" stop composer >/dev/null 2>&1 || e2e_fail "composer stop"
"$E2E_ROOT/scripts/stack.sh" start composer >/dev/null 2>&1 || e2e_fail "composer start"
sleep 1
if [ $(($(date +%s) - t0)) -lt 4 ]; then
	assert_eq "$(alerts_wa $AP_WA "$NORM")" 0 "not alerted before the delay"
fi
wait_eq 30 "alerted once the delay passed" 1 alerts_wa $AP_WA "$NORM"
[ $(($(date +%s) - t0)) -ge 5 ] || e2e_fail "alerted before the 5 s delay"
wait_eq 10 "on Telegram too" 1 alerts_tg "$NORM"
sleep 4
assert_eq "$(alerts_wa $AP_WA "$NORM")" 1 "still once"
assert_eq "$(alerts_tg "$NORM")" 1 "still once on Telegram"
assert_eq "$(alerts_wa $ED_WA "$NORM")" 0 "not the author"
stop_pid "$EXTRA"
EXTRA=""

step "approved before the delay: no alert"
EARLY="Presto $R: approvato subito"
n2=$(notice "$EARLY" false)
assert_eq "$(as_settled ap "/api/v1/notices/$n2/approve")" 202 "approved at once"
sleep 8
assert_eq "$(alerts_wa $AP_WA "$EARLY")" 0 "nobody alerted"
assert_eq "$(alerts_tg "$EARLY")" 0 "nobody alerted on Telegram"

step "Invia una prova a me: the caller's own number only, [PROVA] + the preview"
TEST="Prova $R: strada chiusa"
assert_eq "$(as ed POST /api/v1/notices "$(jq -nc --arg t "$TEST" \
	'{title: $t, body: "Domani via Verdi chiusa dalle 8 alle 12.", link: "https://comune.example.it/x"}')")" \
	202 "a draft"
d1=$(field .id)
wait_until 30 "the draft is stored" stored "$d1"
as ed GET "/api/v1/notices/$d1/preview" >/dev/null
preview=$(jq -c '.whatsapp.params' "$BODY_FILE")
assert_eq "$(as ed POST "/api/v1/notices/$d1/test-send" '{}')" 202 "test sent: 202"
assert_eq "$(field .kind)/$(field .title)" "whatsapp/[PROVA] $TEST" "to the editor's WhatsApp, [PROVA]"
tests_to() {
	fake_messages_to "$1" | jq --arg t "[PROVA] $TEST" '[.[] | select(.params[0] == $t)] | length'
}
wait_eq 10 "the editor received the test" 1 tests_to $ED_WA
got=$(fake_messages_to $ED_WA | jq -c --arg t "[PROVA] $TEST" '[.[] | select(.params[0] == $t)][0].params')
assert_eq "$(jq -c '.[1:]' <<<"$got")" "$(jq -c '.[1:]' <<<"$preview")" "body and link exactly as the preview"
assert_eq "$(jq -r '.[0]' <<<"$got")" "[PROVA] $(jq -r '.[0]' <<<"$preview")" "the preview's title, prefixed"
assert_eq "$(tests_to $AP_WA)" 0 "nobody else received it"

step "errors: an API key, a person without an alert address, an approved notice"
code=$(curl -s -m 15 -o "$BODY_FILE" -w '%{http_code}' -X POST \
	-H "Authorization: Bearer $(cat "$BND_STATE_DIR/e2e-keys/$C-editor")" \
	-H 'Content-Type: application/json' --data '{}' "$INGEST_URL/api/v1/notices/$d1/test-send")
assert_eq "$code/$(field .error)" 422/no_alert_address "an API key: 422 no_alert_address"
assert_eq "$(as noalert POST "/api/v1/notices/$d1/test-send" '{}')/$(field .error)" \
	422/no_alert_address "Nora: 422 no_alert_address"
assert_eq "$(as ed POST "/api/v1/notices/$n2/test-send" '{}')/$(field .error)" 409/invalid_state \
	"an approved notice: 409"

step "at most 5 tests per person in 10 minutes; the history shows them"
for i in 2 3 4 5; do
	assert_eq "$(as ed POST "/api/v1/notices/$d1/test-send" '{}')" 202 "test $i: 202"
done
assert_eq "$(as ed POST "/api/v1/notices/$d1/test-send" '{}')/$(field .error)" 429/rate_limited "the 6th: 429"
wait_eq 15 "five tests received, each its own job" 5 tests_to $ED_WA
as ed GET "/api/v1/notices/$d1" >/dev/null
assert_eq "$(field '[.history[] | select(.action == "test_send")] | length')" 5 "five test_send in the history"
assert_eq "$(field '[.history[] | select(.action == "test_send")][0].actor')" "Elena Redattrice" "by whom"
if field '.history' | grep -q "$ED_WA"; then e2e_fail "the history shows the number"; fi
if grep -q "$ED_WA\|$AP_WA" "$BND_LOGS_DIR/composer.log" "$BND_LOGS_DIR/ingest.log"; then
	e2e_fail "a staff number is logged in clear"
fi
e2e_done
