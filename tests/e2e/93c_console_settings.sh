#!/usr/bin/env bash
# The comune's topics and settings from the editors' console (docs/api.md,
# "The comune's settings and topics"), for comune c93c and its own two
# people: an editor reads but changes nothing (403); the approver adds a
# topic, renames it, is refused a taken keyword or slug (409), a bad slug
# (400) and another comune's topic (404); a citizen who had already
# written to the comune's WhatsApp number chooses the new topic by its
# keyword and is subscribed to it (subscriptions saw the topic without a
# restart); a topic in use is not deleted (409), an unused one is (204);
# quiet hours changed by PATCH /api/v1/comune show at once in
# GET /api/v1/audience; every change is in comune_changes under the
# person's name. Then tests/browser/console_settings_test.py in headless
# chromium: Argomenti and Impostazioni for the approver, no menu entry
# for the editor, axe-core on both screens.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

C=c93c
SENDER=100000000009331
CITIZEN=393330093301
DIR=$(mktemp -d)
BODY_FILE=$DIR/body
HDR_FILE=$DIR/headers
SCREENS="$E2E_ROOT/.local/console-screens-93c"
AXE_JS=$(ls "$E2E_ROOT"/.local/npm/axe-core-*/package/axe.min.js 2>/dev/null | head -1)
no_quiet() { psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = '$C'" >/dev/null 2>&1 || true; }
trap 'rm -rf "$DIR"; no_quiet' EXIT

# login LOGIN PASSWORD: the HTTP status; the session token and CSRF in TOKEN, CSRF.
login() {
	local body
	body=$(jq -nc --arg c "$C" --arg l "$1" --arg p "$2" '{comune: $c, login: $l, password: $p}')
	curl -s -m 15 -o "$BODY_FILE" -D "$HDR_FILE" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/json' --data-binary "$body" "$INGEST_URL/console/api/login"
}
session_of() { sed -n 's/^Set-Cookie: bnd_session=\([^;]*\);.*/\1/ip' "$HDR_FILE" | tr -d '\r'; }
# as TOKEN CSRF METHOD PATH [JSON]: the status; the body in $BODY_FILE.
as() {
	curl -s -m 15 -o "$BODY_FILE" -w '%{http_code}' -X "$3" -H "Cookie: bnd_session=$1" \
		-H "X-CSRF-Token: $2" -H 'Content-Type: application/json' ${5:+--data-binary "$5"} \
		"$INGEST_URL$4"
}
field() { jq -r "$1" "$BODY_FILE"; }
topics_of_citizen() {
	psql_q "SELECT s.status || ' ' || array_to_string(s.topics, ',') FROM subscribers s
	        JOIN channels ch ON ch.id = s.channel_id
	        WHERE ch.comune_id = '$C' AND s.address = '+$CITIZEN'"
}

[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || e2e_fail "chromium or chromedriver missing (scripts/setup.sh)"
[ -n "$AXE_JS" ] || e2e_fail "axe-core missing under .local/npm (scripts/setup.sh)"

step "a comune of its own, an editor and an approver"
e2e_comune $C $SENDER 80 >/dev/null
for who in elena paolo; do head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/$who"; done
e2e_ctl staff add --comune $C --login elena --name "Elena Verdi" --role editor \
	--password-file "$DIR/elena" >/dev/null || e2e_fail "staff add elena"
e2e_ctl staff add --comune $C --login paolo --name "Paolo Neri" --role approver \
	--password-file "$DIR/paolo" >/dev/null || e2e_fail "staff add paolo"
assert_eq "$(login elena "$(cat "$DIR/elena")")" 200 "the editor logs in"
ED=$(session_of) ED_CSRF=$(field .csrf)
assert_eq "$(login paolo "$(cat "$DIR/paolo")")" 200 "the approver logs in"
AP=$(session_of) AP_CSRF=$(field .csrf)

step "a citizen writes to the comune first (subscriptions now holds its settings)"
# A new channel is 503 until ingest's directory has it (a few seconds); Meta would retry.
wait_until 30 "ATTIVA accepted (ingest knows the new channel)" \
	"[ \"\$(wa_inbound_to $SENDER $CITIZEN ATTIVA)\" = 200 ]"
wait_eq 30 "the citizen is subscribed, no topic chosen" "active " topics_of_citizen

step "an editor reads topics and settings, changes nothing"
assert_eq "$(as "$ED" "$ED_CSRF" GET /api/v1/topics)" 200 "GET /api/v1/topics"
assert_eq "$(field '.comune + " " + (.topics | length | tostring)')" "$C 0" "no topics yet"
assert_eq "$(as "$ED" "$ED_CSRF" GET /api/v1/comune)" 200 "GET /api/v1/comune"
assert_eq "$(field '.name + "|" + .quiet_start + "|" + .time_zone')" "Comune di prova $C|00:00|Europe/Rome" "its settings"
assert_eq "$(as "$ED" "$ED_CSRF" POST /api/v1/topics '{"slug":"rifiuti","name":"Rifiuti","keyword":"rifiuti"}')" \
	403 "an editor may not add a topic"
assert_eq "$(field .error)" forbidden "forbidden"
assert_eq "$(as "$ED" "$ED_CSRF" PATCH /api/v1/comune '{"quiet_start":"21:00"}')" 403 "nor change a setting"
assert_eq "$(as "$ED" "$ED_CSRF" PATCH /api/v1/topics/rifiuti '{"name":"x"}')" 403 "nor rename a topic"
assert_eq "$(as "$ED" "$ED_CSRF" DELETE /api/v1/topics/rifiuti)" 403 "nor delete one"

step "the approver adds a topic, renames it; taken, bad and foreign ones refused"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/topics '{"slug":"rifiuti","name":"Rifiuti","keyword":" rifiutì "}')" \
	201 "topic rifiuti added"
assert_eq "$(field '.slug + " " + .keyword')" "rifiuti RIFIUTI" "its keyword folded"
assert_eq "$(as "$AP" "$AP_CSRF" PATCH /api/v1/topics/rifiuti '{"name":"Raccolta rifiuti"}')" 200 "renamed"
assert_eq "$(field '.name + " " + .keyword')" "Raccolta rifiuti RIFIUTI" "the new name, the same keyword"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/topics '{"slug":"differenziata","name":"Differenziata","keyword":"RIFIUTI"}')" \
	409 "another topic's keyword: 409"
assert_eq "$(field '.error + " " + .field + " " + .clash + " " + .topic')" "conflict keyword topic rifiuti" \
	"naming the keyword and the topic"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/topics '{"slug":"rifiuti","name":"Altro","keyword":"ALTRO"}')" \
	409 "a slug taken: 409"
assert_eq "$(field .field)" slug "naming the slug"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/topics '{"slug":"iscrizioni","name":"Iscrizioni","keyword":"attiva"}')" \
	409 "the comune's join keyword: 409"
assert_eq "$(field .clash)" join "the answer says which command word"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/topics '{"slug":"Sagre Estive","name":"Sagre","keyword":"SAGRE"}')" \
	400 "a bad slug: 400"
assert_eq "$(field '.error + " " + .field')" "invalid slug" "naming the slug"
assert_eq "$(as "$AP" "$AP_CSRF" PATCH /api/v1/topics/acqua '{"name":"Acqua"}')" 404 "demo's topic acqua: 404 here"
assert_eq "$(as "$AP" "$AP_CSRF" GET "/api/v1/topics?comune=demo")" 404 "another comune's topics: 404"
assert_eq "$(psql_q "SELECT name FROM topics WHERE comune_id = 'demo' AND slug = 'acqua'")" Acqua "demo's topic untouched"

step "the citizen chooses the new topic by its keyword (subscriptions sees it without a restart)"
sleep 6   # subscriptions keeps a comune's settings 5 s (SETTINGS_TTL_MS)
assert_eq "$(wa_inbound_to $SENDER $CITIZEN rifiuti)" 200 "RIFIUTI accepted"
wait_eq 30 "subscribed to rifiuti" "active rifiuti" topics_of_citizen
assert_eq "$(as "$AP" "$AP_CSRF" GET /api/v1/topics)" 200 "GET /api/v1/topics"
assert_eq "$(field '.topics[0] | .name + " " + (.subscribers | tostring)')" "Raccolta rifiuti 1" "one subscriber chose it"

step "a topic in use stays; an unused one goes"
assert_eq "$(as "$AP" "$AP_CSRF" DELETE /api/v1/topics/rifiuti)" 409 "rifiuti is chosen: 409"
assert_eq "$(field .error)" in_use "in_use"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/topics '{"slug":"sagre","name":"Sagre","keyword":"SAGRE"}')" 201 "sagre added"
assert_eq "$(as "$AP" "$AP_CSRF" DELETE /api/v1/topics/sagre)" 204 "and deleted"
assert_eq "$(as "$AP" "$AP_CSRF" DELETE /api/v1/topics/sagre)" 404 "then it is gone"

step "quiet hours changed from the console show in the audience at once"
now_min=$(psql_q "SELECT to_char(now() AT TIME ZONE 'Europe/Rome' - interval '1 hour', 'HH24:MI') || ' ' ||
                         to_char(now() AT TIME ZONE 'Europe/Rome' + interval '1 hour', 'HH24:MI')")
qs=${now_min% *} qe=${now_min#* }
assert_eq "$(as "$AP" "$AP_CSRF" PATCH /api/v1/comune "{\"quiet_start\":\"$qs\",\"quiet_end\":\"$qe\",\"wa_price_eur\":0.045,\"join_keywords\":\"Attiva, iscrivimi\"}")" \
	200 "PATCH /api/v1/comune"
assert_eq "$(field '.quiet_start + "-" + .quiet_end + " " + (.join_keywords | join(",")) + " " + (.wa_price_eur | tostring)')" \
	"$qs-$qe ATTIVA,ISCRIVIMI 0.045" "the answer is the settings as they are now"
assert_eq "$(as "$ED" "$ED_CSRF" GET "/api/v1/audience?channels=whatsapp")" 200 "GET /api/v1/audience"
assert_eq "$(field '.quiet_hours | .start + "-" + .end + " " + (.held | tostring)')" "$qs-$qe true" \
	"a normal notice now would be held"
assert_eq "$(field '.cost.per_message | tostring')" 0.045 "the new WhatsApp price"
assert_eq "$(as "$AP" "$AP_CSRF" PATCH /api/v1/comune '{"quiet_start":"25:00"}')" 400 "25:00: 400"
assert_eq "$(field .field)" quiet_start "naming quiet_start"
assert_eq "$(as "$AP" "$AP_CSRF" PATCH /api/v1/comune '{"time_zone":"Mars/Olympus"}')" 400 "an unknown time zone: 400"
assert_eq "$(as "$AP" "$AP_CSRF" PATCH /api/v1/comune '{"help_keywords":"aiuto, rifiuti"}')" 409 \
	"a topic's keyword as a command: 409"
assert_eq "$(as "$AP" "$AP_CSRF" PATCH /api/v1/comune '{"name":"Altro nome"}')" 400 "the name is read-only here"
assert_eq "$(psql_q "SELECT to_char(quiet_start, 'HH24:MI') || ' ' || time_zone || ' ' || array_to_string(help_keywords, ',') FROM comuni WHERE id = '$C'")" \
	"$qs Europe/Rome " "nothing refused was written"

step "every change recorded, under the person's name, shown by GET /api/v1/comune"
assert_eq "$(psql_q "SELECT string_agg(actor || ':' || field, ' ' ORDER BY id) FROM comune_changes WHERE comune_id = '$C'")" \
	"Paolo Neri:topic:rifiuti Paolo Neri:topic:rifiuti Paolo Neri:topic:sagre Paolo Neri:topic:sagre Paolo Neri:quiet_start Paolo Neri:quiet_end Paolo Neri:join_keywords Paolo Neri:wa_price_eur" \
	"eight changes, in order"
assert_eq "$(psql_q "SELECT coalesce(old_value, '-') || ' > ' || new_value FROM comune_changes WHERE comune_id = '$C' AND field = 'quiet_start'")" \
	"00:00 > $qs" "old and new value"
assert_eq "$(psql_q "SELECT count(*) FROM comune_changes WHERE comune_id = '$C' AND (coalesce(old_value, '') || coalesce(new_value, '')) LIKE '%$CITIZEN%'")" \
	0 "no citizen's number in the audit"
assert_eq "$(as "$ED" "$ED_CSRF" GET /api/v1/comune)" 200 "GET /api/v1/comune"
assert_eq "$(field '.changes[0] | .actor + " " + .actor_kind + " " + .field')" "Paolo Neri staff wa_price_eur" \
	"the newest change first"
no_quiet

step "the console in headless chromium (tests/browser/console_settings_test.py)"
rm -rf "$SCREENS"
if ! CONSOLE_URL="$INGEST_URL" CONSOLE_COMUNE=$C \
	EDITOR_LOGIN=elena EDITOR_PASSWORD="$(cat "$DIR/elena")" \
	APPROVER_LOGIN=paolo APPROVER_PASSWORD="$(cat "$DIR/paolo")" APPROVER_NAME="Paolo Neri" \
	AXE_JS="$AXE_JS" SCREENS_DIR="$SCREENS" \
	timeout 240 /usr/bin/python3 "$E2E_ROOT/tests/browser/console_settings_test.py" >"$DIR/out" 2>&1; then
	grep -v '^#[0-9]' "$DIR/out" | tail -n 40 >&2
	e2e_fail "the browser test failed (screens in $SCREENS)"
fi
grep '^--\|^   axe' "$DIR/out" | sed 's/^/   /'
assert_eq "$(psql_q "SELECT name || ' ' || keyword FROM topics WHERE comune_id = '$C' AND slug = 'strade-e-viabilita'")" \
	"Strade e viabilità STRADE" "the topic added in the browser"
assert_eq "$(psql_q "SELECT to_char(quiet_start, 'HH24:MI') || '-' || to_char(quiet_end, 'HH24:MI') FROM comuni WHERE id = '$C'")" \
	"22:30-07:00" "the quiet hours set in the browser"
assert_eq "$(psql_q "SELECT actor FROM comune_changes WHERE comune_id = '$C' AND field = 'quiet_end' ORDER BY id DESC LIMIT 1")" \
	"Paolo Neri" "recorded under the approver's name"

e2e_done
