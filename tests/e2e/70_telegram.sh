#!/usr/bin/env bash
# Telegram end to end, through the fake Bot API: /start (with a deep-link
# topic), /temi, /stop, a user who blocks the bot, a notice rendered as
# escaped HTML to the bot's subscribers and posted once to the comune's
# public channel (approved twice, fan-out repeated after a composer crash;
# in channel mode only the post), sendMessage answering 403 "blocked by the
# user", and webhook requests without the right secret token or for a bot
# that is not ours.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
# bot_mode true|false: the demo bot sends to its subscribers, or only posts.
bot_mode() {
	psql_q "UPDATE channels SET tg_bot_mode = $1
	        WHERE kind = 'telegram' AND sender_account = '$DEMO_TG_BOT'" >/dev/null
}
trap 'bot_mode true || true; stack start composer || true' EXIT

A=700100001   # starts, lists topics, stops
B=700100002   # starts from a deep link for a topic
C=700100003   # blocks the bot
D=700100004   # blocks the bot without telling us: sendMessage answers 403
E=700100005   # its update comes without the right secret token
F=700100006   # its update comes straight to ingest with the right one
R=$$          # makes this run's notice titles unique

# last_tg_text CHAT: the newest text (as shown) the fake accepted for a chat.
last_tg_text() { fake_tg_messages_to "$1" | jq -r '.[-1].text'; }

# sub_q CHAT COLUMN: a column of the demo bot's subscriber for a chat.
sub_q() {
	psql_q "SELECT s.$2 FROM subscribers s JOIN channels c ON c.id = s.channel_id
	        WHERE c.kind = 'telegram' AND c.sender_account = '$DEMO_TG_BOT' AND s.address = '$1'"
}

# consent_of CHAT: the chat's effective consent events, "action/source" comma separated.
consent_of() {
	psql_q "SELECT string_agg(ce.action || '/' || ce.source, ',' ORDER BY ce.id)
	        FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
	        JOIN channels c ON c.id = s.channel_id
	        WHERE c.kind = 'telegram' AND s.address = '$1' AND ce.changed"
}

# approve ID: the demo approver approves a notice; prints the answer.
approve() {
	curl -s -m 15 -X POST -H "Authorization: Bearer $DEMO_APPROVER_KEY" \
		-H 'Content-Type: application/json' --data-binary '{}' \
		"$INGEST_URL/api/v1/notices/$1/approve"
}

# publish TITLE BODY: the demo editor writes and submits an urgent notice
# (not held by quiet hours, whatever the time of the run), the approver
# approves it; prints its id.
publish() {
	local id
	id=$(api_post /api/v1/notices "$(jq -nc --arg t "$1" --arg b "$2" \
		'{title: $t, body: $b, urgent: true}')" | jq -r .id)
	assert_eq "$(api_post "/api/v1/notices/$id/submit" '{}' | jq -r .status)" submitted \
		"notice submitted by the editor" >&2
	assert_eq "$(approve "$id" | jq -r .status)" approved "approved by the approver" >&2
	printf '%s\n' "$id"
}

# posts_of TITLE: how many posts in the public channel carry TITLE.
posts_of() {
	fake_tg_messages_to "$DEMO_TG_CHANNEL" | jq --arg t "$1" '[.[] | select(.text | startswith($t))] | length'
}

step "/start: welcome, an active subscriber, consent from telegram"
resp=$(fake_tg_update "$A" "/start")
assert_eq "$(jq -r .status <<<"$resp")" 200 "ingest accepted the update"
wait_eq 30 "welcome on Telegram" 1 fake_tg_count_to "$A"
assert_contains "$(last_tg_text "$A")" "Benvenuto nel servizio Telegram del Comune di Demo" \
	"the channel's welcome text"
assert_eq "$(sub_q "$A" status)" active "subscriber active"
assert_eq "$(consent_of "$A")" subscribe/telegram "consent recorded with source telegram"
assert_eq "$(psql_q "SELECT ce.evidence FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE s.address = '$A'")" "tg:$(jq -r .update_id <<<"$resp")" \
	"the update is the evidence"

step "/start with a deep-link payload chooses a topic"
fake_tg_update "$B" "/start acqua" >/dev/null
wait_eq 30 "welcome to B" 1 fake_tg_count_to "$B"
assert_contains "$(last_tg_text "$B")" "Temi scelti: Acqua." "the welcome names the topic"
assert_eq "$(sub_q "$B" topics)" "{acqua}" "topic stored"

step "/temi lists the topics"
fake_tg_update "$A" "/temi" >/dev/null
wait_eq 30 "topics list" 2 fake_tg_count_to "$A"
assert_contains "$(last_tg_text "$A")" "ACQUA: Acqua" "lists acqua"
assert_contains "$(last_tg_text "$A")" "ALLERTA: Protezione civile" "lists civil protection by its keyword"

step "/stop: goodbye, consent revoked"
fake_tg_update "$A" "/stop" >/dev/null
wait_eq 30 "goodbye" 3 fake_tg_count_to "$A"
assert_contains "$(last_tg_text "$A")" "Hai annullato l'iscrizione agli avvisi Telegram" "the goodbye text"
assert_eq "$(sub_q "$A" status)" revoked "subscriber revoked"
assert_eq "$(consent_of "$A")" subscribe/telegram,unsubscribe/telegram "unsubscribe in the ledger"

step "blocking the bot revokes consent (source provider), nothing is sent"
fake_tg_update "$C" "/start" >/dev/null
wait_eq 30 "welcome to C" 1 fake_tg_count_to "$C"
assert_eq "$(fake_tg_block "$C" | jq -r .status)" 200 "my_chat_member (kicked) accepted"
wait_eq 30 "C revoked" revoked sub_q "$C" status
assert_eq "$(consent_of "$C")" subscribe/telegram,revoke/provider "revocation by the provider"

step "a notice: escaped HTML to the subscribers, one post in the public channel"
fake_tg_update "$D" "/start" >/dev/null
wait_eq 30 "welcome to D" 1 fake_tg_count_to "$D"
curl -s -m 10 -X POST -H 'Content-Type: application/json' \
	--data "{\"code\":403,\"description\":\"Forbidden: bot was blocked by the user\",\"chat_id\":\"$D\"}" \
	"$FAKE_TG_URL/_fake/faults" >/dev/null
title='Allerta <b>&"< meteo'
body='Domani "scuole" chiuse & <i>parchi</i> aperti.'
html='<b>Allerta &lt;b&gt;&amp;&quot;&lt; meteo</b>

Domani &quot;scuole&quot; chiuse &amp; &lt;i&gt;parchi&lt;/i&gt; aperti.'
id=$(publish "$title" "$body")
wait_eq 30 "notice to B" 2 fake_tg_count_to "$B"
msg=$(fake_tg_messages_to "$B" | jq -c '.[-1]')
assert_eq "$(jq -r .sent_text <<<"$msg")" "$html" "sent as escaped HTML"
assert_eq "$(jq -r .parse_mode <<<"$msg")" HTML "parse_mode HTML"
assert_eq "$(jq -r .text <<<"$msg")" "$title

$body" "the citizen reads the text as written"
assert_eq "$(jq -r .link_preview_disabled <<<"$msg")" true "no link preview"
wait_eq 30 "one post in $DEMO_TG_CHANNEL" 1 posts_of "Allerta <b>"
assert_eq "$(fake_tg_messages_to "$DEMO_TG_CHANNEL" | jq -r '.[-1].sent_text')" "$html" \
	"the post is the same escaped HTML"

step "403 blocked by the user: FAILED, consent revoked by the provider"
wait_eq 30 "D's delivery failed" failed/403 psql_q \
	"SELECT d.status || '/' || d.error_code FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
	 WHERE d.notice_id = '$id' AND s.address = '$D'"
wait_eq 30 "D revoked" revoked sub_q "$D" status
assert_eq "$(consent_of "$D")" subscribe/telegram,revoke/provider "revocation by the provider"
assert_eq "$(fake_tg_count_to "$D")" 1 "D got only the welcome"
assert_eq "$(fake_tg_count_to "$C")" 1 "C (blocked) got nothing after the welcome"
assert_eq "$(fake_tg_count_to "$A")" 3 "A (stopped) got nothing after the goodbye"

step "approved twice, composer restarted mid-fan-out: still one post"
assert_eq "$(http_status -X POST -H "Authorization: Bearer $DEMO_APPROVER_KEY" \
	"$INGEST_URL/api/v1/notices/$id/approve")" 409 "a second approval is refused"
stack stop composer
# As if the composer had died after producing the jobs, before recording
# its checkpoint: once started again it fans the notice out again, post included.
psql_q "UPDATE notices SET status = 'sending', fanout_channel_id = 0, fanout_subscriber_id = 0
        WHERE id = '$id'" >/dev/null
stack start composer
id2=$(publish "Raccolta rifiuti $R" "Giovedì non passa.")
wait_eq 30 "the first notice fanned out again" sent psql_q "SELECT status FROM notices WHERE id = '$id'"
wait_eq 30 "the next notice is posted once" 1 posts_of "Raccolta rifiuti $R"
wait_eq 30 "and reaches B" 3 fake_tg_count_to "$B"
sleep 2   # let any duplicate that would arrive, arrive
assert_eq "$(posts_of "Allerta <b>")" 1 "the first notice is still posted once"
assert_eq "$(posts_of "Raccolta rifiuti $R")" 1 "the second once"
assert_eq "$(psql_q "SELECT count(*) || '/' || min(status) FROM deliveries WHERE job_id LIKE 'post:$id:%'")" \
	1/sent "one post in the delivery ledger"
assert_eq "$(fake_tg_count_to "$B")" 3 "B got each notice once"

step "channel mode only: the post, no message per subscriber"
bot_mode false
id3=$(publish "Mercato spostato $R" "Sabato in piazza Garibaldi.")
wait_eq 30 "notice sent" sent psql_q "SELECT status FROM notices WHERE id = '$id3'"
wait_eq 30 "posted in $DEMO_TG_CHANNEL" 1 posts_of "Mercato spostato $R"
sleep 1
assert_eq "$(fake_tg_count_to "$B")" 3 "B gets no message of its own"
assert_eq "$(psql_q "SELECT count(*) FROM deliveries d JOIN channels c ON c.id = d.channel_id
                     WHERE d.notice_id = '$id3' AND c.kind = 'telegram'")" 0 "no Telegram subscriber jobs"
bot_mode true

step "webhook without the right secret token: refused, nothing produced; repeats dropped"
update() {
	jq -nc --argjson c "$1" --arg t "$2" --argjson u "$3" '{update_id: $u,
		message: {message_id: 1, date: now | floor, text: $t,
		          from: {id: $c, is_bot: false, first_name: "Test"},
		          chat: {id: $c, type: "private", first_name: "Test"},
		          entities: [{offset: 0, length: ($t | length), type: "bot_command"}]}}'
}
assert_eq "$(tg_post wrong-secret "$(update "$E" /start 900001)" | head -1)" 401 "wrong secret: 401"
assert_eq "$(tg_post "" "$(update "$E" /start 900002)" | head -1)" 401 "no secret: 401"
assert_eq "$(tg_post "$TG_SECRET_TOKEN" "$(update "$E" /start 900003)" 7000000999 | head -1)" 404 \
	"a bot that is not ours: 404"
hook() {   # hook URL SECRET: setWebhook on the fake Bot API; prints its "ok"
	jq -nc --arg u "$1" --arg s "$2" '{url: $u, secret_token: $s}' |
		curl -s -m 10 -X POST -H 'Content-Type: application/json' --data-binary @- \
			"$FAKE_TG_URL/bot$TG_BOT_TOKEN/setWebhook" | jq -r .ok
}
url=$(curl -s -m 10 "$FAKE_TG_URL/bot$TG_BOT_TOKEN/getWebhookInfo" | jq -r .result.url)
assert_eq "$url" "$INGEST_URL/webhooks/telegram/$DEMO_TG_BOT" "the bot's webhook is ingest's"
assert_eq "$(hook "$url" another-secret-token)" true "setWebhook with a secret ingest does not know"
assert_eq "$(fake_tg_update "$E" /start | jq -r .status)" 401 "Telegram's update refused: 401"
assert_eq "$(hook "$url" "$TG_SECRET_TOKEN")" true "setWebhook with the channel's secret again"
curl -s -m 10 -X POST --data "{\"chat_id\":$F,\"state\":\"started\"}" "$FAKE_TG_URL/_fake/block" >/dev/null
assert_eq "$(tg_post "$TG_SECRET_TOKEN" "$(update "$F" /start 900004)" | head -1)" 200 \
	"the right secret: 200"
wait_eq 30 "welcome to F" 1 fake_tg_count_to "$F"
assert_eq "$(tg_post "$TG_SECRET_TOKEN" "$(update "$F" /start 900004)" | head -1)" 200 \
	"the same update delivered again: 200"
assert_eq "$(psql_q "SELECT count(*) FROM subscribers WHERE address = '$E'")" 0 "no subscriber for E"
assert_eq "$(fake_tg_count_to "$E")" 0 "nothing sent to E"
fake_tg_update "$F" "/temi" >/dev/null   # handled after the repeat (same chat, same partition)
wait_eq 30 "F's next command answered" 2 fake_tg_count_to "$F"
assert_eq "$(fake_tg_messages_to "$F" | jq -r '[.[].text | .[0:14]] | join(",")')" \
	"Benvenuto nel ,Temi disponibi" "one welcome to F for a repeated update"
assert_contains "$(curl -s "$INGEST_HEALTH_URL/metrics")" "bnd_ingest_tg_bad_secret_total 3" \
	"the three refusals counted"

e2e_done
