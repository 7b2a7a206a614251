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
