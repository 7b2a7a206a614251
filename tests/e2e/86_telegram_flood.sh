#!/usr/bin/env bash
# Telegram's flood limits: the fake Bot API answers 429 with
# parameters.retry_after above its per-bot and per-chat rates; the
# dispatcher waits as told and every subscriber gets the notice once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
tg_config() {
	curl -s -m 10 -X POST -H 'Content-Type: application/json' --data-binary "$1" \
		"$FAKE_TG_URL/_fake/config"
}
trap 'tg_config "{\"rate\":0,\"burst\":0,\"chat_rate\":0,\"chat_burst\":3}" >/dev/null || true' EXIT

CHATS=(700860001 700860002 700860003 700860004 700860005 700860006)
TITLE="Allerta neve $$"

step "six citizens start the demo bot"
for c in "${CHATS[@]}"; do
	assert_eq "$(fake_tg_update "$c" /start | jq -r .status)" 200 "/start from $c"
done
for c in "${CHATS[@]}"; do wait_eq 30 "welcome to $c" 1 fake_tg_count_to "$c"; done

step "the fake Bot API allows 2 messages/s for the bot, 1 per chat"
tg_config '{"rate":2,"burst":1,"chat_rate":1,"chat_burst":1}' >/dev/null
assert_eq "$(curl -s "$FAKE_TG_URL/_fake/config" | jq -c '[.rate, .chat_rate]')" "[2,1]" \
	"limits in force"
thr0=$(curl -s "$FAKE_TG_URL/_fake/stats" | jq .throttled)

step "an urgent notice reaches all six, once each, at the allowed pace"
id=$(api_post /api/v1/notices "$(jq -nc --arg t "$TITLE" \
	'{title: $t, body: "Domani scuole chiuse per neve.", urgent: true}')" | jq -r .id)
api_submit_approve "$id" >/dev/null
got_notice() { fake_tg_messages_to "$1" | jq --arg t "$TITLE" '[.[] | select(.text | contains($t))] | length'; }
for c in "${CHATS[@]}"; do wait_eq 45 "notice to $c" 1 got_notice "$c"; done
sleep 2
for c in "${CHATS[@]}"; do assert_eq "$(got_notice "$c")" 1 "once to $c"; done
thr=$(($(curl -s "$FAKE_TG_URL/_fake/stats" | jq .throttled) - thr0))
printf '   ..  %s requests answered 429 with retry_after\n' "$thr"
[ "$thr" -lt 60 ] || e2e_fail "the dispatcher ignores retry_after ($thr 429 answers)"
printf '   ok  the dispatcher waits as told (%s 429 answers)\n' "$thr"

e2e_done
