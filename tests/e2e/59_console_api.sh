#!/usr/bin/env bash
# The editors' console's reads, through the real stack, on a comune of
# this test's own (other tests' counts stay as they are):
#  - GET /api/v1/audience: subscribers a targeting reaches per channel
#    kind, by the fan-out's own rule (active consent; topics; disabled and
#    channel-only Telegram channels left out), with the WhatsApp cost at
#    the comune's price, and whether quiet hours would hold the notice;
#    finally a real notice so targeted reaches exactly that many;
#  - GET /api/v1/subscribers/stats: active per kind and topic, joins and
#    leaves per day in the comune's time zone, no number in the answer;
#  - GET /api/v1/optin/links and /optin/qr: the wa.me and t.me links, and
#    QR codes that are well-formed SVG and decode back to the link.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

C=e2e59
keys="$BND_STATE_DIR/e2e-keys"
WA_SENDER=5900000001 WA_OFF_SENDER=5900000002 TG_BOT=5900000003 TG_ONLY_BOT=5900000004

# get PATH [KEY]: GET on the editors' API as the comune's editor (or KEY).
get() {
	curl -s -m 10 -H "Authorization: Bearer ${2:-$(cat "$keys/$C-editor")}" "$INGEST_URL$1"
}

step "a comune with WhatsApp and Telegram channels, topics and subscribers"
WA=$(e2e_comune "$C" "$WA_SENDER" 80)
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keys/$C-tg-token"
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keys/$C-tg-secret"
WA_OFF=$(e2e_ctl channel add --comune "$C" --kind whatsapp --sender "$WA_OFF_SENDER" \
	--token-ref "file:$BND_SECRETS_DIR/wa-token" --app-secret-ref "file:$BND_SECRETS_DIR/wa-app-secret" \
	--welcome "Benvenuto." --goodbye "Arrivederci.")
e2e_ctl channel disable "$WA_OFF" >/dev/null
TG=$(e2e_ctl channel add --comune "$C" --kind telegram --sender "$TG_BOT" \
	--token-ref "file:$keys/$C-tg-token" --app-secret-ref "file:$keys/$C-tg-secret" \
	--welcome "Benvenuto su Telegram." --goodbye "Arrivederci.")
TG_ONLY=$(e2e_ctl channel add --comune "$C" --kind telegram --sender "$TG_ONLY_BOT" \
	--token-ref "file:$keys/$C-tg-token" --app-secret-ref "file:$keys/$C-tg-secret" \
	--tg-public-channel @e2e59canale --tg-channel-only \
	--welcome "Benvenuto su Telegram." --goodbye "Arrivederci.")
e2e_ctl topic add --comune "$C" acqua "Acqua" --keyword ACQUA >/dev/null
e2e_ctl topic add --comune "$C" strade "Strade" --keyword STRADE >/dev/null
# WhatsApp: 5 without topics (one then leaves), 3 for acqua, 2 for strade;
# Telegram bot: 4 without topics, 1 for acqua; 2 on the disabled WhatsApp
# channel and 3 on the channel-only Telegram one: no notice reaches those.
e2e_subscribers "$WA" 39359001 5
e2e_subscribers "$WA" 39359002 3
e2e_subscribers "$WA" 39359003 2
e2e_subscribers "$TG" 5900400 5
e2e_subscribers "$WA_OFF" 39359005 2
e2e_subscribers "$TG_ONLY" 5900600 3
psql_q "UPDATE subscribers SET topics = '{acqua}' WHERE channel_id = $WA AND address LIKE '+39359002%'
        OR channel_id = $TG AND address = '+590040000001'" >/dev/null
psql_q "UPDATE subscribers SET topics = '{strade}' WHERE channel_id = $WA AND address LIKE '+39359003%'" >/dev/null
# One leaves today (the ledger as consent_apply writes it), one is pending,
# and one joined three days ago.
psql_q "UPDATE subscribers SET status = 'revoked' WHERE channel_id = $WA AND address = '+3935900100001'" >/dev/null
psql_q "INSERT INTO consent_events (subscriber_id, channel_id, action, source, evidence,
                                    privacy_version, changed, prev_status)
        SELECT id, channel_id, 'unsubscribe', 'keyword', 'e2e59-leave', 'v1', true, 'active'
          FROM subscribers WHERE channel_id = $WA AND address = '+3935900100001'" >/dev/null
psql_q "INSERT INTO subscribers (channel_id, address, status) VALUES ($WA, '+3935900700001', 'pending')" >/dev/null
psql_q "INSERT INTO subscribers (channel_id, address, status) VALUES ($TG_ONLY, '+590080000001', 'revoked')" >/dev/null
psql_q "INSERT INTO consent_events (subscriber_id, channel_id, action, source, evidence,
                                    privacy_version, changed, at)
        SELECT id, channel_id, 'subscribe', 'form', 'e2e59-old', 'v1', true, now() - interval '3 days'
          FROM subscribers WHERE channel_id = $TG_ONLY AND address = '+590080000001'" >/dev/null
e2e_ctl comune set "$C" --wa-price 0.05 >/dev/null
# A new API key works once ingest reloads its directory.
wait_until 20 "the comune's editor key is loaded" \
	'[ "$(http_status -H "Authorization: Bearer $(cat "$keys/$C-editor")" "$INGEST_URL/api/v1/audience")" = 200 ]'

step "audience: the fan-out's rule, per kind, with the cost"
a=$(get /api/v1/audience)
assert_eq "$(jq -c '[.whatsapp, .telegram, .total]' <<<"$a")" "[9,5,14]" \
	"every channel: disabled and channel-only ones left out, revoked and pending too"
assert_eq "$(jq -cS .cost <<<"$a")" '{"currency":"EUR","estimate":0.45,"per_message":0.05}' \
	"cost: 9 WhatsApp messages at the comune's price, Telegram free"
a=$(get '/api/v1/audience?topics=acqua')
assert_eq "$(jq -c '[.whatsapp, .telegram, .total, .cost.estimate]' <<<"$a")" "[7,5,12,0.35]" \
	"topic acqua: who chose it and who chose none"
a=$(get '/api/v1/audience?topics=strade&channels=whatsapp')
assert_eq "$(jq -c '[.whatsapp, .telegram, .total]' <<<"$a")" "[6,0,6]" "strade on WhatsApp only"
a=$(get '/api/v1/audience?topics=acqua,strade&channels=telegram')
assert_eq "$(jq -c '[.whatsapp, .telegram, .total]' <<<"$a")" "[0,5,5]" "acqua or strade on Telegram only"
a=$(get '/api/v1/audience?channels=telegram_channel')
assert_eq "$(jq -c '[.whatsapp, .telegram, .total]' <<<"$a")" "[0,0,0]" "the public channel alone: no subscriber"
assert_status 400 -H "Authorization: Bearer $(cat "$keys/$C-editor")" "$INGEST_URL/api/v1/audience?channels=sms"
assert_eq "$(jq -r .field <<<"$E2E_BODY")" channels "an unknown channel is named"
assert_status 400 -H "Authorization: Bearer $(cat "$keys/$C-editor")" "$INGEST_URL/api/v1/audience?topics=a,a"
assert_status 401 "$INGEST_URL/api/v1/audience"
assert_status 404 -H "Authorization: Bearer $(cat "$keys/$C-editor")" "$INGEST_URL/api/v1/audience?comune=$DEMO_COMUNE"

step "quiet hours: held until their end, in the comune's time zone"
e2e_ctl comune set "$C" --quiet-start 21:00 --quiet-end 08:00 --time-zone Europe/Rome >/dev/null
q=$(get '/api/v1/audience?at=2026-12-24T22:30:00%2B01:00' | jq -cS .quiet_hours)
assert_eq "$q" '{"at":"2026-12-24T21:30:00Z","end":"08:00","held":true,"start":"21:00","time_zone":"Europe/Rome","until":"2026-12-25T07:00:00Z","until_local":"2026-12-25T08:00:00+01:00"}' \
	"a notice at 22:30 waits until 08:00"
q=$(get '/api/v1/audience?at=2026-03-29T01:30:00%2B01:00' | jq -c '[.quiet_hours.held, .quiet_hours.until_local]')
assert_eq "$q" '[true,"2026-03-29T08:00:00+02:00"]' "the night clocks go forward: 08:00 summer time"
q=$(get '/api/v1/audience?at=2026-12-24T22:30:00+01:00' | jq -c '[.quiet_hours.held, .quiet_hours.at]')
assert_eq "$q" '[true,"2026-12-24T21:30:00Z"]' "an offset's + left unencoded is still one"
q=$(get '/api/v1/audience?at=2026-12-24T12:00:00Z' | jq -c '[.quiet_hours.held, .quiet_hours.until]')
assert_eq "$q" '[false,null]' "at midday: not held"
assert_eq "$(get /api/v1/audience | jq -r '.quiet_hours.held | type')" boolean "now: answered too"
assert_status 400 -H "Authorization: Bearer $(cat "$keys/$C-editor")" "$INGEST_URL/api/v1/audience?at=domani"
e2e_ctl comune set "$C" --quiet-start 00:00 --quiet-end 00:00 >/dev/null

step "subscriber stats: per kind, per topic, joins and leaves per day"
s=$(get '/api/v1/subscribers/stats?days=7')
assert_eq "$(jq -cS .active <<<"$s")" '{"telegram":8,"total":19,"whatsapp":11}' \
	"active per kind (every channel of the comune)"
assert_eq "$(jq -c '[.topics[] | [.slug, .chosen, .reached]]' <<<"$s")" \
	'[["acqua",4,17],["strade",2,15]]' "per topic: chose it; gets it (chose it or none)"
assert_eq "$(jq .no_topic_choice <<<"$s")" 13 "active without a choice of topics"
today=$(TZ=Europe/Rome date +%F)
assert_eq "$(jq -c '[(.days | length), .days[6].date, .days[6].joins, .days[6].leaves]' <<<"$s")" \
	"[7,\"$today\",20,1]" "seven days up to today in Rome: today's joins and the leave"
assert_eq "$(jq -c '[.days[3].date, .days[3].joins, .days[3].leaves]' <<<"$s")" \
	"[\"$(TZ=Europe/Rome date -d '3 days ago' +%F)\",1,0]" "the join three days ago"
assert_eq "$(jq -c '[.days[0,1,2,4,5] | .joins + .leaves] | add' <<<"$s")" 0 "days without events: zeros"
assert_eq "$(jq -c '[.joins, .leaves, .period_days, .time_zone]' <<<"$s")" '[21,1,7,"Europe/Rome"]' "totals"
case $s in *"+39"* | *"+59"* | *3935900* | *5900400*) e2e_fail "a number in the stats: $s" ;; esac
assert_eq "$(get '/api/v1/subscribers/stats' | jq '.days | length')" 30 "30 days by default"
assert_eq "$(get '/api/v1/subscribers/stats?days=366' | jq '.days | length')" 366 "366 days at most"
assert_status 400 -H "Authorization: Bearer $(cat "$keys/$C-editor")" "$INGEST_URL/api/v1/subscribers/stats?days=367"

step "opt-in links and their QR codes"
l=$(get /api/v1/optin/links)
assert_eq "$(jq -c --arg f "/c/$C/iscrizione" '[.whatsapp, .telegram, (.form | endswith($f))]' <<<"$l")" "[null,null,true]" \
	"no public number nor bot username yet: only the form"
assert_status 404 -H "Authorization: Bearer $(cat "$keys/$C-editor")" "$INGEST_URL/api/v1/optin/qr?channel=whatsapp"
assert_eq "$(jq -r .error <<<"$E2E_BODY")" not_configured "no QR code without the number"
e2e_ctl channel set "$WA" --display-number +390659000001 >/dev/null
e2e_ctl channel set "$TG" --bot-username @ComuneE2e59Bot >/dev/null
if e2e_ctl channel set "$TG" --display-number 390659000001 2>/dev/null; then
	e2e_fail "a Telegram channel took a WhatsApp number"
fi
e2e_ctl comune set "$C" --join-keywords "ISCRIVIMI,ATTIVA" >/dev/null
l=$(get /api/v1/optin/links)
assert_eq "$(jq -r .whatsapp.link <<<"$l")" "https://wa.me/390659000001?text=ISCRIVIMI" \
	"WhatsApp: the number and the comune's first join keyword"
assert_eq "$(jq -r .telegram.link <<<"$l")" "https://t.me/ComuneE2e59Bot?start=tutti" \
	"Telegram: the bot's deep link"
tmp=$(mktemp -d)
for kind in whatsapp telegram; do
	curl -s -m 10 -D "$tmp/h" -o "$tmp/$kind.svg" -H "Authorization: Bearer $(cat "$keys/$C-editor")" \
		"$INGEST_URL/api/v1/optin/qr?channel=$kind"
	assert_contains "$(cat "$tmp/h")" "image/svg+xml" "$kind: an SVG image"
	xmllint --noout "$tmp/$kind.svg" || e2e_fail "$kind: the SVG is not well-formed"
	rsvg-convert -o "$tmp/$kind.png" "$tmp/$kind.svg" || e2e_fail "$kind: the SVG does not render"
	assert_eq "$(zbarimg --raw -q "$tmp/$kind.png" 2>/dev/null)" "$(jq -r ".$kind.link" <<<"$l")" \
		"$kind: the QR code decodes to the link"
done
rm -rf "$tmp"
assert_status 400 -H "Authorization: Bearer $(cat "$keys/$C-editor")" "$INGEST_URL/api/v1/optin/qr?channel=sms"

step "a real notice so targeted reaches exactly the audience counted"
want=$(get '/api/v1/audience?topics=acqua&channels=whatsapp' | jq .whatsapp)
body='{"title":"Acqua sospesa","body":"Domani dalle 8 alle 14.","topics":["acqua"],"channels":["whatsapp"]}'
id=$(curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/$C-editor")" \
	-H 'Content-Type: application/json' --data-binary "$body" "$INGEST_URL/api/v1/notices" | jq -r .id)
[ -n "$id" ] && [ "$id" != null ] || e2e_fail "notice not created"
api_post_settled "$(cat "$keys/$C-editor")" "/api/v1/notices/$id/submit" >/dev/null
api_post_settled "$(cat "$keys/$C-approver")" "/api/v1/notices/$id/approve" >/dev/null
wait_eq 30 "the notice fanned out" sent psql_q "SELECT status FROM notices WHERE id = '$id'"
assert_eq "$(psql_q "SELECT recipients FROM notices WHERE id = '$id'")" "$want" \
	"the composer's recipients = the audience's count ($want)"

e2e_done
