#!/usr/bin/env bash
# A new comune set up from nothing with banditorectl only: comune add and
# set (texts, privacy notice, keywords), a WhatsApp channel, a Telegram
# channel (bot and public channel), a topic, API keys. A citizen joins on
# WhatsApp with the comune's own keyword and gets its welcome; its editor
# sends a notice that reaches the citizen from the comune's own number;
# the list commands show all of it without secrets; another comune's API
# key cannot act on its notices; clear errors for unknown comuni.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

C=valle
WA=100000000000055
BOT=7000000055
Z=393330000551   # citizen of Valle
keys="$BND_STATE_DIR/e2e-keys"
mkdir -p "$keys"
(umask 077 && printf '%s:%s' "$BOT" "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
	>"$keys/valle-tg-token")
(umask 077 && head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keys/valle-tg-secret")
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keys/valle-editor"
head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$keys/valle-approver"
WELCOME="Benvenuto negli avvisi del Comune di Valle! Scrivi ESCI per non riceverli più."

step "set up comune $C from nothing"
assert_eq "$(e2e_ctl comune add "$C" "Comune di Valle")" "$C" "comune add"
assert_eq "$(e2e_ctl comune set "$C" --contact-text "URP di Valle, tel. 0000 111111" \
	--privacy-url "https://valle.example/privacy" --privacy-version v2 \
	--join-keywords "Attiva,Entrà" --leave-keywords "Esci,Stop" --auto-reply-every 3600 \
	--quiet-start 00:00 --quiet-end 00:00 --time-zone Europe/Rome)" "$C" \
	"comune set (no quiet hours: the test runs at any hour)"
err=$(e2e_ctl comune set "$C" --quiet-start 25:00 2>&1 >/dev/null) && e2e_fail "25:00 accepted"
assert_contains "$err" "HH:MM" "an impossible time of day is refused"
err=$(e2e_ctl comune set "$C" --time-zone Europe/Atlantide 2>&1 >/dev/null) && e2e_fail "bad zone accepted"
assert_contains "$err" "not a time zone" "an unknown time zone is refused"
assert_eq "$(psql_q "SELECT quiet_start || ' ' || quiet_end || ' ' || time_zone FROM comuni WHERE id = '$C'")" \
	"00:00:00 00:00:00 Europe/Rome" "quiet hours and time zone stored"
wa_id=$(e2e_ctl channel add --comune "$C" --kind whatsapp --sender "$WA" \
	--token-ref "file:$BND_SECRETS_DIR/wa-token" --app-secret-ref "file:$BND_SECRETS_DIR/wa-app-secret" \
	--welcome "$WELCOME" --goodbye "Arrivederci da Valle." --confirm-template conferma_iscrizione:it)
tg_id=$(e2e_ctl channel add --comune "$C" --kind telegram --sender "$BOT" \
	--token-ref "file:$keys/valle-tg-token" --app-secret-ref "file:$keys/valle-tg-secret" \
	--tg-public-channel @comunevalle --welcome "Benvenuto su Telegram." --goodbye "Arrivederci.")
[ -n "$wa_id" ] && [ -n "$tg_id" ] || e2e_fail "channel add printed no id"
assert_eq "$(e2e_ctl topic add --comune "$C" strade "Strade e viabilità" --keyword Viabilità)" strade \
	"topic add"
e2e_ctl apikey add --comune "$C" --name redazione --key-file "$keys/valle-editor" >/dev/null
e2e_ctl apikey add --comune "$C" --name sindaco --role approver --key-file "$keys/valle-approver" >/dev/null
assert_eq "$(psql_q "SELECT join_keywords, leave_keywords, privacy_version, auto_reply_every_s
                     FROM comuni WHERE id = '$C'")" "{ATTIVA,ENTRA}|{ESCI,STOP}|v2|3600" \
	"settings stored, keywords folded"
assert_eq "$(e2e_ctl channel add --comune "$C" --kind whatsapp --sender "$WA" \
	--token-ref "file:$BND_SECRETS_DIR/wa-token" --welcome w --goodbye g)" "$wa_id" \
	"adding the channel again is idempotent"

step "the list commands show it, without secrets"
list=$(e2e_ctl comune list)
assert_contains "$list" "$(printf '%s\tComune di Valle\twhatsapp:%s telegram:%s\t0' "$C" "$WA" "$BOT")" \
	"comune list: name, channels, no subscriber yet"
chans=$(e2e_ctl channel list --comune "$C")
assert_eq "$(wc -l <<<"$chans")" 3 "channel list: a header and two channels"
assert_contains "$chans" "file:$keys/valle-tg-secret" "secret references shown"
assert_contains "$chans" "@comunevalle" "the public Telegram channel"
assert_contains "$chans" "conferma_iscrizione:it" "the confirmation template"
for f in valle-tg-token valle-tg-secret; do
	case $chans in *"$(cat "$keys/$f")"*) e2e_fail "channel list shows the secret $f" ;; esac
done
for f in wa-token wa-app-secret; do
	case $chans in *"$(cat "$BND_SECRETS_DIR/$f")"*) e2e_fail "channel list shows the secret $f" ;; esac
done
printf '   ok  no secret value in the listing\n'
assert_contains "$(e2e_ctl topic list --comune "$C")" "$(printf 'strade\tVIABILITA\tStrade e viabilità')" \
	"topic list"
keys_list=$(e2e_ctl apikey list --comune "$C")
assert_eq "$(cut -f2-4 <<<"$keys_list" | tail -n +2 | sort | tr '\n' ' ')" \
	"$(printf 'valle\tredazione\teditor valle\tsindaco\tapprover ')" "apikey list: names and roles"
case $keys_list in *"$(cat "$keys/valle-editor")"*) e2e_fail "apikey list shows a key" ;; esac

step "clear errors for a comune that does not exist"
set +e
err=$(e2e_ctl comune set nessuno --name X 2>&1 >/dev/null); rc=$?
set -e
assert_eq "$rc" 1 "comune set on an unknown comune exits 1"
assert_contains "$err" 'no comune "nessuno"' "and says so"
set +e
err=$(e2e_ctl channel add --comune nessuno --kind whatsapp --sender 1 --token-ref env:X \
	--welcome w --goodbye g 2>&1 >/dev/null); rc=$?
set -e
assert_eq "$rc" 1 "channel add for an unknown comune exits 1"
assert_contains "$err" 'no comune "nessuno"' "and says so"

step "the Telegram bot's webhook is routed to $C by path and secret"
upd='{"update_id": 5501, "channel_post": {"message_id": 1, "date": 1700000000,
      "chat": {"id": -1001, "type": "channel"}, "text": "x"}}'
wait_until 30 "ingest accepts the bot's secret" \
	'[ "$(tg_post "$(cat "$keys/valle-tg-secret")" "$upd" "$BOT" | head -1)" = 200 ]'
assert_eq "$(tg_post "$TG_SECRET_TOKEN" "$upd" "$BOT" | head -1)" 401 \
	"another bot's secret is refused"

step "a citizen joins with the comune's own keyword and gets its welcome"
wait_until 30 "ingest knows the WhatsApp channel" "[ \"\$(wa_inbound_to $WA $Z Entra)\" = 200 ]"
wait_eq 30 "welcome" 1 fake_count_to "$Z" text
assert_eq "$(fake_messages_to "$Z" | jq -r '.[0].text')" "$WELCOME" "Valle's welcome text"
assert_eq "$(fake_messages_to "$Z" | jq -r '.[0].phone_number_id')" "$WA" "from Valle's number"
assert_eq "$(psql_q "SELECT privacy_version FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE s.address = '+$Z'")" v2 "consent recorded under Valle's privacy notice"

step "Valle's editor sends a notice; the lists count the subscriber"
id=$(e2e_notice "$C" "Strada chiusa" "Via del Borgo chiusa per lavori")
wait_until 60 "the citizen receives it from Valle's number" \
	"fake_messages_to $Z | jq -e 'any(.[]; .type == \"template\" and .params[0] == \"Strada chiusa\"
	                                     and .phone_number_id == \"$WA\")'"
assert_contains "$(e2e_ctl comune list)" "$(printf '%s\tComune di Valle\twhatsapp:%s telegram:%s\t1' "$C" "$WA" "$BOT")" \
	"comune list counts one active subscriber"
assert_contains "$(e2e_ctl channel list --comune "$C")" "$(printf '%s\t%s\twhatsapp\t%s' "$wa_id" "$C" "$WA")" \
	"channel list"
assert_eq "$(e2e_ctl subscribers count --comune "$C" | tail -1)" "$(printf '%s\t1\t0\t0' "$C")" \
	"subscribers count"
: "$id"

step "another comune's API key cannot act on Valle's notices"
body=$(jq -nc '{title: "Bozza di Valle", body: "Da non inviare"}')
draft=$(curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$keys/valle-editor")" \
	-H 'Content-Type: application/json' --data-binary "$body" "$INGEST_URL/api/v1/notices" | jq -r '.id // empty')
[ -n "$draft" ] || e2e_fail "Valle's editor could not create a draft"
wait_until 30 "draft stored" "[ -n \"\$(psql_q \"SELECT id FROM notices WHERE id = '$draft'\")\" ]"
before=$(psql_q "SELECT status FROM notices WHERE id = '$draft'")
curl -s -m 15 -X POST -H "Authorization: Bearer $DEMO_APPROVER_KEY" -H 'Content-Type: application/json' \
	--data-binary '{}' "$INGEST_URL/api/v1/notices/$draft/approve" >/dev/null
sleep 3
assert_eq "$(psql_q "SELECT status FROM notices WHERE id = '$draft'")" "$before" \
	"Demo's approver key did not change Valle's notice"
assert_eq "$(fake_messages_to "$Z" | jq '[.[] | select(.params[0] == "Bozza di Valle")] | length')" 0 \
	"nothing was sent"

e2e_done
