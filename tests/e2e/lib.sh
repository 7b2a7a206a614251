# shellcheck shell=bash
# Helpers for the end-to-end tests. Each tests/e2e/NN_name.sh is a bash
# script run by scripts/test.sh against a running stack (its settings come
# from the environment: BND_STATE_DIR, BND_PORT_BASE, ...); it sources this
# file, calls e2e_env, and exits 0 on pass (e2e_done) or non-zero on the
# first failed assertion. The scripts share one stack and run in name
# order: use phone numbers of your own in each script.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_NAME=$(basename "$0" .sh)
E2E_T0=$(date +%s%3N)

# e2e_env: the stack's ports, URLs, DSN, secrets and demo keys as variables.
e2e_env() {
	local env
	env=$("$E2E_ROOT/scripts/stack.sh" env) || e2e_fail "scripts/stack.sh env failed"
	eval "$env"
}

# e2e_fail MSG...: reports the failure and ends the test.
e2e_fail() {
	printf 'FAIL %s: %s\n' "$E2E_NAME" "$*" >&2
	exit 1
}

# step MSG: names what the next assertions check.
step() { printf -- '-- %s: %s\n' "$E2E_NAME" "$*"; }

# e2e_done: the test passed.
e2e_done() {
	printf 'PASS %s (%d ms)\n' "$E2E_NAME" $(($(date +%s%3N) - E2E_T0))
	exit 0
}

# assert_eq ACTUAL EXPECTED [MSG]
assert_eq() {
	if [ "$1" != "$2" ]; then
		e2e_fail "${3:-values differ}: got '$1', expected '$2'"
	fi
	printf '   ok  %s\n' "${3:-$2}"
}

# assert_contains HAYSTACK NEEDLE [MSG]
assert_contains() {
	case $1 in
	*"$2"*) printf '   ok  %s\n' "${3:-contains $2}" ;;
	*) e2e_fail "${3:-missing text}: '$2' not in '$1'" ;;
	esac
}

# http_status CURL_ARGS...: the HTTP status code of a request (000: none).
http_status() {
	curl -s -o /dev/null -w '%{http_code}' -m 10 "$@" || true
}

# assert_status EXPECTED CURL_ARGS...: the request answers EXPECTED.
# Its body is left in E2E_BODY.
assert_status() {
	local want=$1 got tmp
	shift
	tmp=$(mktemp)
	got=$(curl -s -o "$tmp" -w '%{http_code}' -m 10 "$@" || true)
	E2E_BODY=$(cat "$tmp")
	rm -f "$tmp"
	[ "$got" = "$want" ] || e2e_fail "HTTP $got, expected $want, for curl $*: $E2E_BODY"
	printf '   ok  HTTP %s from %s\n' "$want" "${*: -1}"
}

# wait_until TIMEOUT_S [WHAT] CMD...: runs CMD every 0.2 s until it
# succeeds; fails the test after TIMEOUT_S seconds. CMD is run again each
# time, but its arguments are expanded once, by the caller: write
#     wait_until 30 "welcome sent" test "$(fake_count)" = 1     # WRONG: never changes
# as
#     wait_eq 30 "welcome sent" 1 fake_count                   # polls fake_count
# or pass one string of shell code, evaluated at each try:
#     wait_until 30 "welcome sent" '[ "$(fake_count)" = 1 ]'
wait_until() {
	local timeout=$1 what deadline
	shift
	what=$*
	if [ $# -gt 1 ] && [ -z "$(type -t "$1")" ]; then
		what=$1
		shift
	fi
	deadline=$(($(date +%s%3N) + timeout * 1000))
	while :; do
		if [ $# -eq 1 ]; then
			eval "$1" >/dev/null 2>&1 && break
		else
			"$@" >/dev/null 2>&1 && break
		fi
		[ "$(date +%s%3N)" -lt "$deadline" ] || e2e_fail "timed out after ${timeout}s: $what"
		sleep 0.2
	done
	printf '   ok  %s\n' "$what"
}

# wait_eq TIMEOUT_S WHAT EXPECTED CMD...: runs CMD every 0.2 s until it
# prints EXPECTED; fails the test (showing the last output) after TIMEOUT_S.
wait_eq() {
	local timeout=$1 what=$2 want=$3 got="" deadline
	shift 3
	deadline=$(($(date +%s%3N) + timeout * 1000))
	while :; do
		got=$("$@" 2>/dev/null || true)
		[ "$got" = "$want" ] && break
		[ "$(date +%s%3N)" -lt "$deadline" ] ||
			e2e_fail "timed out after ${timeout}s: $what: got '$got', expected '$want'"
		sleep 0.2
	done
	printf '   ok  %s\n' "$what"
}

# psql_q SQL: the result rows (unaligned, |-separated) as banditore.
psql_q() {
	psql -X -q -At -v ON_ERROR_STOP=1 "$BND_PG_DSN" -c "$1"
}

# fake_inbound FROM TEXT [TYPE]: a citizen's message through the fake
# provider, which signs it and posts it to ingest; prints the fake's answer
# ({"status": <ingest's HTTP status>, "wamid": ...}).
fake_inbound() {
	local body
	body=$(jq -nc --arg p "$DEMO_SENDER" --arg f "$1" --arg t "$2" --arg y "${3:-text}" \
		'{phone_number_id: $p, from: $f, text: $t, type: $y}')
	curl -s -m 15 -X POST -H 'Content-Type: application/json' --data-binary "$body" \
		"$FAKE_WA_URL/_fake/inbound"
}

# fake_messages_to DIGITS: the JSON array of messages the fake accepted for
# that number, oldest first (type, text or template + params, wamid, ...).
fake_messages_to() {
	curl -s -m 10 "$FAKE_WA_URL/_fake/messages?to=$1" | jq -c '.messages'
}

# fake_count_to DIGITS [TYPE]: how many messages (of TYPE: text, template)
# the fake accepted for that number.
fake_count_to() {
	fake_messages_to "$1" | jq --arg t "${2:-}" '[.[] | select($t == "" or .type == $t)] | length'
}

# fake_count: how many send requests the fake accepted so far.
fake_count() {
	curl -s -m 10 "$FAKE_WA_URL/_fake/stats" | jq -r '.accepted'
}

# api_post PATH JSON: POST to ingest's editors' API with the demo editor key;
# prints the response body.
api_post() {
	curl -s -m 15 -X POST -H "Authorization: Bearer $DEMO_API_KEY" \
		-H 'Content-Type: application/json' --data-binary "$2" "$INGEST_URL$1"
}

# api_submit_approve ID: the demo editor submits notice ID and the demo
# approver (another person: four eyes) approves it; prints the approval's
# answer. Waits (60 s at most) for the composer to have stored the notice,
# which takes a while after an outage.
api_submit_approve() {
	local deadline=$(($(date +%s) + 60))
	until [ "$(http_status -H "Authorization: Bearer $DEMO_API_KEY" \
		"$INGEST_URL/api/v1/notices/$1")" = 200 ]; do
		[ "$(date +%s)" -lt "$deadline" ] || e2e_fail "notice $1 not stored"
		sleep 0.2
	done
	api_post_settled "$DEMO_API_KEY" "/api/v1/notices/$1/submit" >/dev/null
	api_post_settled "$DEMO_APPROVER_KEY" "/api/v1/notices/$1/approve"
}

# api_post_settled KEY PATH: POSTs '{}' to PATH with KEY and prints the
# answer; for up to 60 s, asks again while the answer is one the API gives
# for "not yet": a key ingest has not loaded (unauthorized) or an earlier
# change the composer has not applied (not_applied_yet; slow after a
# composer or Kafka restart).
api_post_settled() {
	local deadline=$(($(date +%s) + 60)) resp
	while :; do
		resp=$(curl -s -m 15 -X POST -H "Authorization: Bearer $1" \
			-H 'Content-Type: application/json' --data-binary '{}' "$INGEST_URL$2")
		case $(jq -r '.error // empty' <<<"$resp" 2>/dev/null) in
		unauthorized | not_applied_yet) ;;
		*) break ;;
		esac
		[ "$(date +%s)" -lt "$deadline" ] || break
		sleep 0.5
	done
	printf '%s\n' "$resp"
}

# wa_webhook_body FROM TEXT WAMID [PHONE_NUMBER_ID]: a WhatsApp inbound-text
# webhook as Meta shapes it (compact JSON).
wa_webhook_body() {
	jq -nc --arg f "$1" --arg t "$2" --arg id "$3" --arg p "${4:-$DEMO_SENDER}" \
		--arg ts "$(date +%s)" '{object: "whatsapp_business_account", entry: [{id: "200000000000001",
		changes: [{field: "messages", value: {messaging_product: "whatsapp",
		metadata: {display_phone_number: "15550000001", phone_number_id: $p},
		contacts: [{profile: {name: "Test"}, wa_id: $f}],
		messages: [{from: $f, id: $id, timestamp: $ts, type: "text", text: {body: $t}}]}}]}]}'
}

# wa_status_body TAG PHONE_NUMBER_ID FROM TO STATUS [CODE]: one status webhook
# as Meta shapes it for the messages FROM..TO-1 of the JSON array
# [{wamid, to}, ...] on stdin, each now STATUS (with error CODE if given);
# TAG names the test's business account (200000000000TAG, 15550000TAG).
wa_status_body() {
	jq -c --arg tag "$1" --arg p "$2" --argjson f "$3" --argjson t "$4" --arg s "$5" \
		--argjson c "${6:-0}" --arg ts "$(date +%s)" \
		'{object: "whatsapp_business_account", entry: [{id: ("200000000000" + $tag), changes: [{field: "messages",
		  value: {messaging_product: "whatsapp", metadata: {display_phone_number: ("15550000" + $tag),
		  phone_number_id: $p}, statuses: [.[$f:$t][] | {id: .wamid, status: $s,
		  timestamp: $ts, recipient_id: .to} + (if $c > 0 then {errors: [{code: $c,
		  title: "Message undeliverable"}]} else {} end)]}}]}]}'
}

# wa_post BODY: POSTs BODY to ingest's webhook signed with the app secret;
# prints the HTTP status, then the response body on the next line.
wa_post() {
	local sig tmp code
	sig=$(printf %s "$1" | openssl dgst -sha256 -hmac "$WA_APP_SECRET" -r | cut -d' ' -f1)
	tmp=$(mktemp)
	code=$(printf %s "$1" | curl -s -m 15 -o "$tmp" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/json' -H "X-Hub-Signature-256: sha256=$sig" \
		--data-binary @- "$INGEST_URL/webhooks/whatsapp" || true)
	printf '%s\n' "$code"
	cat "$tmp"
	printf '\n'
	rm -f "$tmp"
}

# fake_tg_update CHAT_ID TEXT: a Telegram user writes TEXT to the demo bot
# in a private chat; the fake Bot API posts the Update to ingest's webhook
# with the secret token and prints its answer ({"status": <ingest's HTTP
# status>, "update_id": N}).
fake_tg_update() {
	jq -nc --argjson c "$1" --arg t "$2" '{chat_id: $c, text: $t}' |
		curl -s -m 15 -X POST -H 'Content-Type: application/json' --data-binary @- \
			"$FAKE_TG_URL/_fake/update"
}

# fake_tg_block CHAT_ID: the user blocks the bot (a my_chat_member update,
# new status "kicked"); prints the fake's answer as fake_tg_update does.
fake_tg_block() {
	jq -nc --argjson c "$1" '{chat_id: $c, block: true}' |
		curl -s -m 15 -X POST -H 'Content-Type: application/json' --data-binary @- \
			"$FAKE_TG_URL/_fake/update"
}

# fake_tg_messages_to CHAT: the JSON array of sendMessage calls the fake
# Telegram accepted for CHAT (a private chat id or "@channel"), oldest
# first: text (as shown), sent_text (as sent), parse_mode, ...
fake_tg_messages_to() {
	curl -s -m 10 -G --data-urlencode "chat_id=$1" "$FAKE_TG_URL/_fake/messages" |
		jq -c '.messages'
}

# fake_tg_count_to CHAT: how many messages the fake Telegram accepted for CHAT.
fake_tg_count_to() {
	fake_tg_messages_to "$1" | jq 'length'
}

# tg_post SECRET BODY [BOT_ID]: POSTs BODY to ingest's Telegram webhook for
# BOT_ID (default the demo bot) with SECRET as X-Telegram-Bot-Api-Secret-Token
# (empty: no header); prints the HTTP status, then the response body.
tg_post() {
	local tmp code hdr=()
	[ -z "$1" ] || hdr=(-H "X-Telegram-Bot-Api-Secret-Token: $1")
	tmp=$(mktemp)
	code=$(printf %s "$2" | curl -s -m 15 -o "$tmp" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/json' "${hdr[@]}" \
		--data-binary @- "$INGEST_URL/webhooks/telegram/${3:-$DEMO_TG_BOT}" || true)
	printf '%s\n' "$code"
	cat "$tmp"
	printf '\n'
	rm -f "$tmp"
}

# ---- delivery-engine helpers (tests 80-89) ----

# e2e_ctl ARGS...: banditorectl against the test stack.
e2e_ctl() {
	BND_PG_DSN=$BND_PG_DSN BND_KAFKA_BROKERS=$BND_KAFKA_BROKERS BND_TOPIC_PREFIX=$BND_TOPIC_PREFIX \
		BND_MIGRATIONS_DIR=$BND_MIGRATIONS_DIR BND_LOG_LEVEL=warn "$BND_BIN_DIR/banditorectl" "$@"
}

# e2e_comune ID SENDER RATE: a comune without quiet hours, with a WhatsApp
# channel (phone-number id SENDER, RATE messages/s, the stack's token) and two API keys, an
# editor's and an approver's, in $BND_STATE_DIR/e2e-keys/ID-{editor,approver}.
# Prints the channel id.
e2e_comune() {
	local id=$1 sender=$2 rate=$3 keys="$BND_STATE_DIR/e2e-keys"
	mkdir -p "$keys"
	e2e_ctl comune add "$id" "Comune di prova $id" >/dev/null || e2e_fail "comune add $id"
	e2e_ctl channel add --comune "$id" --kind whatsapp --sender "$sender" \
		--token-ref "file:$BND_SECRETS_DIR/wa-token" \
		--app-secret-ref "file:$BND_SECRETS_DIR/wa-app-secret" --rate "$rate" \
		--welcome "Benvenuto nel servizio del Comune di prova." \
		--goodbye "Non riceverai più messaggi." >/dev/null || e2e_fail "channel add $sender"
	head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keys/$id-editor"
	head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keys/$id-approver"
	e2e_ctl apikey add --comune "$id" --name redazione --role editor \
		--key-file "$keys/$id-editor" >/dev/null || e2e_fail "apikey add $id editor"
	e2e_ctl apikey add --comune "$id" --name sindaco --role approver \
		--key-file "$keys/$id-approver" >/dev/null || e2e_fail "apikey add $id approver"
	# No quiet hours: the tests send normal notices at any time of day.
	psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = '$id'" >/dev/null
	psql_q "SELECT id FROM channels WHERE kind = 'whatsapp' AND sender_account = '$sender'"
}

# e2e_subscribers CHANNEL_ID PREFIX N: N active subscribers +PREFIX00001..,
# each with its consent event (source operator), in two statements.
e2e_subscribers() {
	local ch=$1 prefix=$2 n=$3
	psql_q "INSERT INTO subscribers (channel_id, address, status)
	        SELECT $ch, '+$prefix' || lpad(g::text, 5, '0'), 'active'
	          FROM generate_series(1, $n) g" >/dev/null
	psql_q "INSERT INTO consent_events (subscriber_id, channel_id, action, source, evidence,
	                                    privacy_version, changed)
	        SELECT s.id, s.channel_id, 'subscribe', 'operator', 'e2e-bulk:' || s.id, 'v1', true
	          FROM subscribers s WHERE s.channel_id = $ch AND s.address LIKE '+$prefix%'" >/dev/null
}

# e2e_notice COMUNE TITLE BODY: writes a notice as the comune's editor, who
# submits it; has its approver approve it; prints the notice id.
e2e_notice() {
	local keys="$BND_STATE_DIR/e2e-keys" body resp id
	local deadline=$(($(date +%s) + 20))
	body=$(jq -nc --arg t "$2" --arg b "$3" '{title: $t, body: $b}')
	# A new API key works once ingest reloads its directory (every few seconds).
	while :; do
		resp=$(curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/$1-editor")" \
			-H 'Content-Type: application/json' --data-binary "$body" "$INGEST_URL/api/v1/notices")
		id=$(jq -r '.id // empty' <<<"$resp" 2>/dev/null || true)
		[ -n "$id" ] && break
		[ "$(date +%s)" -lt "$deadline" ] || e2e_fail "notice not created: $resp"
		sleep 0.5
	done
	# Approvers approve submitted notices (editorial workflow, issue 5), by
	# another person (four eyes); either step waits for what came before.
	api_post_settled "$(cat "$keys/$1-editor")" "/api/v1/notices/$id/submit" >/dev/null
	resp=$(api_post_settled "$(cat "$keys/$1-approver")" "/api/v1/notices/$id/approve")
	case $(jq -r '.status // empty' <<<"$resp") in
	approved | sending | sent | scheduled) ;;
	*) e2e_fail "notice $id not approved: $resp" ;;
	esac
	printf '%s\n' "$id"
}

# fake_config JSON: changes the fake WhatsApp's knobs (rate, burst,
# pair_period_ms, latency_ms, jitter_ms, invalid_tokens); prints them.
fake_config() {
	curl -s -m 10 -X POST -H 'Content-Type: application/json' --data-binary "$1" \
		"$FAKE_WA_URL/_fake/config"
}

# fake_fault JSON: injects a fault into the fake WhatsApp (see its faults.h).
fake_fault() {
	local out
	out=$(curl -s -m 10 -X POST -H 'Content-Type: application/json' --data-binary "$1" \
		"$FAKE_WA_URL/_fake/faults")
	[ "$(jq -r .ok <<<"$out")" = true ] || e2e_fail "fault refused: $out"
}

# fake_stat FIELD: one field of the fake WhatsApp's /_fake/stats (jq path).
fake_stat() {
	curl -s -m 10 "$FAKE_WA_URL/_fake/stats" | jq -r ".$1"
}

# fake_sender_accepted PNID: messages the fake accepted from that sender
# since the counters were last zeroed.
fake_sender_accepted() {
	curl -s -m 10 "$FAKE_WA_URL/_fake/stats" | jq -r --arg p "$1" '.accepted_by_sender[$p] // 0'
}

# fake_normal: the fake back to no limits, no faults, every token valid.
fake_normal() {
	curl -s -m 10 -X DELETE "$FAKE_WA_URL/_fake/faults" >/dev/null || true
	fake_config '{"rate":0,"burst":0,"pair_period_ms":0,"latency_ms":0,"jitter_ms":0,
	              "invalid_tokens":[]}' >/dev/null || true
}

# fake_notice_report PNID TITLE: for the notice titled TITLE sent by PNID,
# prints "<recipients reached> <messages> <most messages to one recipient>".
fake_notice_report() {
	curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=$1" |
		jq -r --arg t "$2" '[.messages[] | select(.type == "template" and .params[0] == $t) | .to]
		    | group_by(.) | map(length) | "\(length) \(add // 0) \(max // 0)"'
}

# wait_delivered TIMEOUT_S PNID TITLE N: waits until N recipients got the notice.
wait_delivered() {
	local deadline=$(($(date +%s) + $1)) got
	while :; do
		got=$(fake_notice_report "$2" "$3" | cut -d' ' -f1)
		[ "$got" = "$4" ] && break
		[ "$(date +%s)" -lt "$deadline" ] ||
			e2e_fail "timed out after $1 s: '$3' reached $got of $4 recipients"
		sleep 1
	done
	printf '   ok  %s: all %s recipients reached\n' "$3" "$4"
}

# svc_pid NAME: the pid of a stack service.
svc_pid() { cat "$BND_STATE_DIR/run/$1.pid"; }

# proc_cpu_ticks PID: user+system CPU ticks used so far by PID.
proc_cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# svc_env_value SERVICE VAR: the value VAR has in the service's environment
# as the stack starts it (empty if it is not set there).
svc_env_value() {
	"$E2E_ROOT/scripts/stack.sh" svc-env "$1" | sed -n "s/^$2=//p"
}

# ---- web form, admin CLI and GDPR helpers (tests 55, 60, 65) ----

# form_post IP CONTENT_TYPE BODY [COMUNE]: POSTs BODY to the comune's
# (default demo) sign-up form as client IP (X-Forwarded-For: ingest must
# run with BND_TRUST_FORWARDED=1 for it to count); prints the HTTP status,
# then the response headers and body (as curl -i shows them).
form_post() {
	local tmp code
	tmp=$(mktemp)
	code=$(printf %s "$3" | curl -s -m 15 -D "$tmp.h" -o "$tmp" -w '%{http_code}' -X POST \
		-H "X-Forwarded-For: $1" -H "Content-Type: $2" --data-binary @- \
		"$INGEST_URL/c/${4:-demo}/iscrizione" || true)
	printf '%s\n' "$code"
	cat "$tmp.h" "$tmp"
	printf '\n'
	rm -f "$tmp" "$tmp.h"
}

# fake_templates_to DIGITS NAME: how many NAME templates the fake WhatsApp
# accepted for that number.
fake_templates_to() {
	fake_messages_to "$1" | jq --arg n "$2" '[.[] | select(.type == "template" and .template == $n)] | length'
}

# wa_inbound_to PNID FROM TEXT: a citizen writes TEXT to the WhatsApp number
# PNID (any comune's) through the fake; prints ingest's HTTP status.
wa_inbound_to() {
	jq -nc --arg p "$1" --arg f "$2" --arg t "$3" '{phone_number_id: $p, from: $f, text: $t}' |
		curl -s -m 15 -X POST --data-binary @- "$FAKE_WA_URL/_fake/inbound" | jq -r .status
}

# pid_gone PID: true if PID no longer runs (gone, or a zombie nobody reaped yet).
pid_gone() {
	local state
	state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
	[ -z "$state" ] || [ "$state" = Z ]
}

# stop_pid PID: SIGTERM, then waits (up to 30 s, then SIGKILL) until it is
# gone: a service started by hand on a stack service's port must have let
# the port go before the stack's own starts again.
stop_pid() {
	local i
	kill -TERM "$1" 2>/dev/null || return 0
	for i in $(seq 1 300); do
		pid_gone "$1" && return 0
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}
