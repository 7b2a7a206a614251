#!/usr/bin/env bash
# Targeting, through the real stack: a notice reaches exactly the
# subscribers whose topics it concerns (those who chose no topic get
# everything; revoked ones nothing), on exactly the channels it names
# (WhatsApp, the Telegram bot, the Telegram public channel; none named =
# all of the comune's). Also the rendering each citizen sees: the WhatsApp
# template's three parameters (title, body, link: the notice's own link,
# else its page in the public archive) and the Telegram text, escaped, with
# the links at the end and no link preview.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

A=393440009401 B=393440009402 C=393440009403 D=393440009404 E=393440009405
T1=944001 T2=944002
R=$RANDOM   # titles unique to this run
WA_CH=$(psql_q "SELECT id FROM channels WHERE kind = 'whatsapp' AND sender_account = '$DEMO_SENDER'")
TG_CH=$(psql_q "SELECT id FROM channels WHERE kind = 'telegram' AND sender_account = '$DEMO_TG_BOT'")

# sub ADDRESS CHANNEL STATUS TOPICS: a subscriber as consent leaves it.
sub() {
	psql_q "INSERT INTO subscribers (channel_id, address, status, topics)
	        VALUES ($2, '$1', '$3', '$4') ON CONFLICT (channel_id, address)
	        DO UPDATE SET status = EXCLUDED.status, topics = EXCLUDED.topics" >/dev/null
}

# publish JSON: (@R in it stands for $R) the demo editor writes and submits the notice, the demo
# approver approves it; prints its id once the composer fanned it out.
publish() {
	local id json=${1//@R/$R}
	id=$(api_post /api/v1/notices "$json" | jq -r .id)
	[ -n "$id" ] && [ "$id" != null ] || e2e_fail "notice not created: $1"
	assert_eq "$(api_post "/api/v1/notices/$id/submit" '{}' | jq -r .status)" submitted \
		"submitted by the editor" >&2
	assert_eq "$(curl -s -m 15 -X POST -H "Authorization: Bearer $DEMO_APPROVER_KEY" \
		-H 'Content-Type: application/json' --data '{}' \
		"$INGEST_URL/api/v1/notices/$id/approve" | jq -r .status)" approved \
		"approved by the approver" >&2
	wait_eq 30 "notice fanned out" sent psql_q "SELECT status FROM notices WHERE id = '$id'" >&2
	printf '%s\n' "$id"
}

# templates_to DIGITS TITLE: notices with that title the fake WhatsApp accepted for DIGITS.
templates_to() {
	fake_messages_to "$1" | jq --arg t "$2" '[.[] | select(.type == "template" and .params[0] == $t)] | length'
}
# tg_to CHAT TITLE: Telegram messages to CHAT starting with TITLE.
tg_to() {
	fake_tg_messages_to "$1" | jq --arg t "$2" '[.[] | select(.text | startswith($t))] | length'
}

step "subscribers with and without topics, on WhatsApp and Telegram"
# No quiet hours for this test, whatever the time of the run.
psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = '$DEMO_COMUNE'" >/dev/null
sub "+$A" "$WA_CH" active '{}'
sub "+$B" "$WA_CH" active '{viabilita}'
sub "+$C" "$WA_CH" active '{acqua}'
sub "+$D" "$WA_CH" active '{acqua,rifiuti}'
sub "+$E" "$WA_CH" revoked '{}'
# Telegram users must have started the bot (the fake refuses others).
fake_tg_update "$T1" "/start" >/dev/null
fake_tg_update "$T2" "/start acqua" >/dev/null
wait_eq 30 "Telegram subscribers active" "active{}|active{acqua}" psql_q \
	"SELECT string_agg(status || topics::text, '|' ORDER BY address) FROM subscribers
	 WHERE channel_id = $TG_CH AND address IN ('$T1', '$T2')"
posts0=$(fake_tg_count_to "$DEMO_TG_CHANNEL")

step "a road notice (topic viabilita, every channel)"
id1=$(publish '{"title":"Via Roma chiusa @R","body":"Lavori dal 3 al 5 marzo.","topics":["viabilita"]}')
for n in "$A" "$B"; do wait_eq 30 "road notice to $n" 1 templates_to "$n" "Via Roma chiusa $R"; done
wait_eq 30 "road notice to Telegram $T1" 1 tg_to "$T1" "Via Roma chiusa $R"
wait_eq 30 "one post in $DEMO_TG_CHANNEL" $((posts0 + 1)) fake_tg_count_to "$DEMO_TG_CHANNEL"
sleep 1.5   # anything sent to the wrong people would have arrived by now
for n in "$C" "$D" "$E"; do assert_eq "$(templates_to "$n" "Via Roma chiusa $R")" 0 "not to $n"; done
assert_eq "$(tg_to "$T2" "Via Roma chiusa $R")" 0 "not to Telegram $T2 (chose acqua only)"
# Other tests' citizens of the demo comune count too: every active one
# without topics or with viabilita, on WhatsApp or the Telegram bot.
targeted=$(psql_q "SELECT count(*) FROM subscribers s JOIN channels ch ON ch.id = s.channel_id
                   WHERE ch.comune_id = '$DEMO_COMUNE' AND s.status = 'active'
                     AND (ch.kind = 'whatsapp' OR ch.tg_bot_mode)
                     AND (cardinality(s.topics) = 0 OR s.topics && '{viabilita}')")
assert_eq "$(psql_q "SELECT recipients FROM notices WHERE id = '$id1'")" "$targeted" \
	"recipients: every targeted subscriber of the comune, once"

step "a water notice only on WhatsApp (topic acqua)"
id2=$(publish '{"title":"Acqua sospesa @R","body":"Domani 8-14.","topics":["acqua"],"channels":["whatsapp"]}')
for n in "$A" "$C" "$D"; do wait_eq 30 "water notice to $n" 1 templates_to "$n" "Acqua sospesa $R"; done
sleep 1.5
for n in "$B" "$E"; do assert_eq "$(templates_to "$n" "Acqua sospesa $R")" 0 "not to $n"; done
assert_eq "$(tg_to "$T1" "Acqua sospesa $R")$(tg_to "$T2" "Acqua sospesa $R")" 00 "nothing on the Telegram bot"
assert_eq "$(fake_tg_count_to "$DEMO_TG_CHANNEL")" $((posts0 + 1)) "no post in the channel"

step "a notice only for the Telegram public channel"
id3=$(publish '{"title":"Mercato spostato @R","body":"Sabato in piazza Garibaldi.","channels":["telegram_channel"]}')
wait_eq 30 "posted in the channel" $((posts0 + 2)) fake_tg_count_to "$DEMO_TG_CHANNEL"
sleep 1.5
for n in "$A" "$B" "$C" "$D"; do assert_eq "$(templates_to "$n" "Mercato spostato $R")" 0 "not on WhatsApp to $n"; done
assert_eq "$(tg_to "$T1" "Mercato spostato $R")" 0 "not to the bot's subscribers"

step "rendering: template parameters, archive link, Telegram text escaped"
psql_q "UPDATE comuni SET archive_base_url = 'https://avvisi.example.it' WHERE id = '$DEMO_COMUNE'" >/dev/null
id4=$(publish '{"title":"Allerta <b>meteo</b> & vento @R","body":"Domani\n\nscuole chiuse.","topics":["viabilita"]}')
wait_eq 30 "alert to A" 1 templates_to "$A" "Allerta <b>meteo</b> & vento $R"
tpl=$(fake_messages_to "$A" | jq -c '[.[] | select(.type == "template")][-1]')
assert_eq "$(jq -r .template <<<"$tpl")" avviso_comune "the comune's utility template"
assert_eq "$(jq -r '.params | length' <<<"$tpl")" 3 "three parameters"
assert_eq "$(jq -r '.params[1]' <<<"$tpl")" "Domani scuole chiuse." "body without line breaks (WhatsApp refuses them)"
assert_eq "$(jq -r '.params[2]' <<<"$tpl")" "https://avvisi.example.it/c/$DEMO_COMUNE/avvisi/$id4" \
	"link: the notice's page in the archive"
wait_eq 30 "alert to Telegram $T1" 1 tg_to "$T1" "Allerta <b>meteo</b> & vento $R"
msg=$(fake_tg_messages_to "$T1" | jq -c '.[-1]')
assert_contains "$(jq -r .sent_text <<<"$msg")" "<b>Allerta &lt;b&gt;meteo&lt;/b&gt; &amp; vento $R</b>" \
	"the title escaped inside the bold"
assert_contains "$(jq -r .text <<<"$msg")" \
	"Avviso nell'archivio del Comune: https://avvisi.example.it/c/$DEMO_COMUNE/avvisi/$id4" \
	"the archive link at the end, in words"
assert_eq "$(jq -r .link_preview_disabled <<<"$msg")" true "no link preview"
id5=$(publish '{"title":"Bando contributi @R","body":"Domande entro il 30.","link":"https://www.example.it/bando?a=1&b=2"}')
wait_eq 30 "bando to A" 1 templates_to "$A" "Bando contributi $R"
assert_eq "$(fake_messages_to "$A" | jq -r '[.[] | select(.type == "template")][-1].params[2]')" \
	"https://www.example.it/bando?a=1&b=2" "link: the notice's own link when it has one"
# Left as the test stack has them: no quiet hours (the next tests run at any hour).
psql_q "UPDATE comuni SET archive_base_url = '', quiet_start = '00:00', quiet_end = '00:00'
        WHERE id = '$DEMO_COMUNE'" >/dev/null

e2e_done
