#!/usr/bin/env bash
# The editors' console (/console/) through the real stack and a real
# browser: ingest serves its files with the right types and security
# headers (and nothing outside its folder); a POST with the session cookie
# but no CSRF token is refused; then headless chromium, driven by Selenium,
# runs tests/browser/console_test.py (editor writes, previews and submits
# a notice with a topic; approver approves with the keyboard alone; the
# progress reaches 100 %; another notice approved for tomorrow is
# cancelled through the confirmation dialog, a third rejected with a
# reason; a wrong password is refused, repeated ones lock the account (the
# editor's, at the end); Nuovo avviso shows the audience the API counts;
# Iscritti shows the active total and both opt-in QR codes, and prints as a
# poster; axe-core on every screen and on the public pages;
# screenshots into .local/console-screens/), and the fake WhatsApp and
# Telegram must have received, for subscribers of that topic, exactly what
# the console's preview showed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

R=$RANDOM
S=39333009$(printf '%04d' $((R % 10000)))   # a demo subscriber of the topic "acqua", on WhatsApp
T=93$(printf '%04d' $((R % 10000)))          # and one on the Telegram bot
TITLE="Acqua sospesa in via Roma ($R)"
SCREENS="$E2E_ROOT/.local/console-screens"
AXE_JS=$(ls "$E2E_ROOT"/.local/npm/axe-core-*/package/axe.min.js 2>/dev/null | head -1)
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || e2e_fail "chromium or chromedriver missing (scripts/setup.sh)"
[ -n "$AXE_JS" ] || e2e_fail "axe-core missing under .local/npm (scripts/setup.sh)"

# Quiet hours would hold a normal notice at night; this test is about the console.
psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = 'demo'" >/dev/null

step "ingest serves the console's files, with their types and security headers"
assert_eq "$(http_status "$INGEST_URL/console")" 301 "/console redirects"
assert_eq "$(curl -s -o /dev/null -w '%{redirect_url}' "$INGEST_URL/console")" "$INGEST_URL/console/" "to /console/"
headers=$(curl -s -D - -o /dev/null "$INGEST_URL/console/")
assert_contains "$headers" "Content-Type: text/html; charset=utf-8" "index: text/html"
assert_contains "$headers" "Content-Security-Policy: default-src 'none'; script-src 'self'" "a strict CSP"
assert_contains "$headers" "frame-ancestors 'none'" "no framing"
assert_contains "$headers" "X-Content-Type-Options: nosniff" "nosniff"
assert_contains "$(curl -s -D - -o /dev/null "$INGEST_URL/console/js/app.js")" \
	"Content-Type: text/javascript" "modules: text/javascript"
css=$(curl -s -I "$INGEST_URL/console/bi/css/bootstrap-italia.min.css")
assert_contains "$css" "Content-Type: text/css" "Bootstrap Italia's CSS served (HEAD)"
assert_contains "$css" "Cache-Control: public" "and cached"
for p in /console/../etc/passwd /console/%2e%2e/%2e%2e/etc/passwd /console/.hidden /console/js/nothere.js; do
	assert_eq "$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "$INGEST_URL$p")" 404 "$p: 404"
done
if grep -rhoE "(src|href)=\"https?://" "$E2E_ROOT/web/console" >/dev/null; then
	e2e_fail "the console loads something from another origin"
fi

step "a POST with the session cookie but without the CSRF token is refused"
login=$(jq -nc --arg l "$DEMO_EDITOR_LOGIN" --arg p "$(cat "$DEMO_EDITOR_PASSWORD_FILE")" \
	'{comune: "demo", login: $l, password: $p}')
# Once, even right after an earlier test restarted PostgreSQL: ingest's
# first transaction on a stale connection reconnects (db_begin).
cookie=$(curl -s -D - -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary "$login" \
	"$INGEST_URL/console/api/login" | sed -n 's/^Set-Cookie: \(bnd_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || e2e_fail "no session cookie from the login"
code=$(curl -s -o "$OUT" -w '%{http_code}' -X POST -H "Cookie: $cookie" -H 'Content-Type: application/json' \
	--data '{"title":"senza CSRF","body":"non deve esistere"}' "$INGEST_URL/api/v1/notices")
assert_eq "$code/$(jq -r .error "$OUT")" "403/csrf" "403 csrf"

step "a citizen subscribes to the topic acqua"
assert_eq "$(fake_inbound "$S" "ATTIVA" | jq -r .status)" 200 "ATTIVA accepted"
wait_eq 30 "welcome to S" 1 fake_count_to "$S" text
psql_q "UPDATE subscribers SET topics = '{acqua}' WHERE address = '$S'" >/dev/null
assert_eq "$(fake_tg_update "$T" "/start acqua" | jq -r .status)" 200 "/start acqua accepted"
wait_eq 30 "welcome to T" 1 fake_tg_count_to "$T"

# submitted TITLE BODY: a notice written and submitted by the editor's API key; prints its id.
submitted() {
	local id
	id=$(api_post /api/v1/notices "$(jq -nc --arg t "$1" --arg b "$2" '{title: $t, body: $b}')" | jq -r .id)
	[ -n "$id" ] && [ "$id" != null ] || e2e_fail "notice '$1' not created"
	assert_eq "$(api_post_settled "$DEMO_API_KEY" "/api/v1/notices/$id/submit" | jq -r .status)" submitted \
		"'$1' submitted" >&2
	printf '%s\n' "$id"
}

step "the demo's public WhatsApp number and Telegram bot, for the opt-in QR codes"
wa_ch=$(psql_q "SELECT id FROM channels WHERE comune_id = 'demo' AND kind = 'whatsapp' ORDER BY id LIMIT 1")
tg_ch=$(psql_q "SELECT id FROM channels WHERE comune_id = 'demo' AND kind = 'telegram' ORDER BY id LIMIT 1")
e2e_ctl channel set "$wa_ch" --display-number 390612345678 >/dev/null
e2e_ctl channel set "$tg_ch" --bot-username ComuneDemoBot >/dev/null
links=$(curl -s -m 15 -H "Authorization: Bearer $DEMO_API_KEY" "$INGEST_URL/api/v1/optin/links")
assert_eq "$(jq -c '[(.whatsapp.link | startswith("https://wa.me/390612345678?text=")), .telegram.link]' <<<"$links")" \
	'[true,"https://t.me/ComuneDemoBot?start=tutti"]' "both opt-in links"

step "a slow second WhatsApp number of the demo comune: 300 citizens of the topic rifiuti at 10 msg/s"
# The notice cancelled from the browser goes to them, so the cancel lands
# mid-fan-out; afterwards they are revoked and the number switched off, so
# later scripts' demo notices do not wait on it.
SLOW_SENDER=100000000930077
e2e_ctl channel add --comune demo --kind whatsapp --sender "$SLOW_SENDER" \
	--token-ref "file:$BND_SECRETS_DIR/wa-token" --app-secret-ref "file:$BND_SECRETS_DIR/wa-app-secret" \
	--rate 10 --welcome "Benvenuto." --goodbye "Arrivederci." >/dev/null || e2e_fail "channel add $SLOW_SENDER"
slow_ch=$(psql_q "SELECT id FROM channels WHERE sender_account = '$SLOW_SENDER'")
e2e_subscribers "$slow_ch" 3939307 300
psql_q "UPDATE subscribers SET topics = '{rifiuti}' WHERE channel_id = $slow_ch" >/dev/null
slow_off() {
	psql_q "UPDATE subscribers SET status = 'revoked' WHERE channel_id = $slow_ch" >/dev/null || true
	e2e_ctl channel disable "$slow_ch" >/dev/null 2>&1 || true
}
trap 'rm -f "$OUT"; slow_off' EXIT

step "two more notices, written and submitted by the editor's API key: one to cancel, one to reject"
cancel_id=$(api_post /api/v1/notices "$(jq -nc --arg t "Mercato spostato ($R)" \
	'{title: $t, body: "Il mercato di sabato si terrà in piazza Verdi.", topics: ["rifiuti"], channels: ["whatsapp"]}')" |
	jq -r .id)
[ -n "$cancel_id" ] && [ "$cancel_id" != null ] || e2e_fail "the notice to cancel not created"
assert_eq "$(api_post_settled "$DEMO_API_KEY" "/api/v1/notices/$cancel_id/submit" | jq -r .status)" submitted \
	"the notice to cancel submitted"
reject_id=$(submitted "Biblioteca chiusa ($R)" "La biblioteca resta chiusa per lavori.")

step "the demo editor and approver have alert numbers (test send, approval alert)"
# Set here unless they have one; cleared again at the end if set here.
ED_WA=393339390002 AP_WA=393339390001 SET_ALERTS=()
alert_of() { psql_q "SELECT coalesce(alert_kind || ':' || alert_address, '') FROM staff WHERE comune_id = 'demo' AND login = '$1'"; }
for pair in "$DEMO_EDITOR_LOGIN:$ED_WA" "$DEMO_APPROVER_LOGIN:$AP_WA"; do
	who=${pair%%:*}
	case $(alert_of "$who") in
	"") e2e_ctl staff alert --comune demo --login "$who" --alert "whatsapp:+${pair#*:}" 2>/dev/null ||
		e2e_fail "staff alert $who"
		SET_ALERTS+=("$who") ;;
	whatsapp:*) ;;
	*) e2e_fail "$who has a Telegram alert address: this test reads the fake WhatsApp" ;;
	esac
done
ED_WA=$(alert_of "$DEMO_EDITOR_LOGIN" | sed 's/^whatsapp:+//') AP_WA=$(alert_of "$DEMO_APPROVER_LOGIN" | sed 's/^whatsapp:+//')
clear_alerts() {
	local who
	for who in "${SET_ALERTS[@]+"${SET_ALERTS[@]}"}"; do
		e2e_ctl staff alert --comune demo --login "$who" --alert none 2>/dev/null || true
	done
}
trap 'rm -f "$OUT"; slow_off; clear_alerts' EXIT

step "the console in headless chromium (tests/browser/console_test.py)"
rm -rf "$SCREENS"
if ! CONSOLE_URL="$INGEST_URL" CONSOLE_COMUNE=demo \
	EDITOR_LOGIN="$DEMO_EDITOR_LOGIN" EDITOR_PASSWORD="$(cat "$DEMO_EDITOR_PASSWORD_FILE")" \
	APPROVER_LOGIN="$DEMO_APPROVER_LOGIN" APPROVER_PASSWORD="$(cat "$DEMO_APPROVER_PASSWORD_FILE")" \
	AXE_JS="$AXE_JS" SCREENS_DIR="$SCREENS" NOTICE_TITLE="$TITLE" NOTICE_TOPIC=acqua CANCEL_ID="$cancel_id" REJECT_ID="$reject_id" \
	FAKE_WA_URL="$FAKE_WA_URL" EDITOR_ALERT_DIGITS="$ED_WA" APPROVER_ALERT_DIGITS="$AP_WA" \
	timeout 300 /usr/bin/python3 "$E2E_ROOT/tests/browser/console_test.py" >"$OUT" 2>&1; then
	grep -v '^#[0-9]' "$OUT" | tail -n 40 >&2
	e2e_fail "the browser test failed (screens in $SCREENS)"
fi
grep '^--\|^   axe' "$OUT" | sed 's/^/   /'
preview=$(tail -n 1 "$OUT")
id=$(jq -r .id <<<"$preview")
printf '   ok  %s\n' "notice $id written, approved and sent from the browser"
n=$(find "$SCREENS" -name '*.png' | wc -l)
[ "$n" -ge 10 ] || e2e_fail "only $n screenshots in $SCREENS"
printf '   ok  %s\n' "$n screenshots in .local/console-screens"

step "the fake providers received exactly what the preview showed"
got() { fake_messages_to "$S" | jq -c --arg t "$TITLE" '[.[] | select(.type == "template" and .params[0] == $t) | .params]'; }
got_count() { got | jq length; }
wait_eq 30 "the notice at S" 1 got_count
assert_eq "$(got | jq -c '.[0]')" "$(jq -c .whatsapp <<<"$preview")" "WhatsApp: the three parameters, byte for byte"
tg_got() { fake_tg_messages_to "$T" | jq -c --arg t "$TITLE" '[.[] | select(.text | startswith($t)) | .text]'; }
tg_count() { tg_got | jq length; }
wait_eq 30 "the notice at T" 1 tg_count
assert_eq "$(tg_got | jq -c '.[0]')" "$(jq -c .telegram <<<"$preview")" "Telegram: the text as the citizen reads it, byte for byte"
assert_eq "$(psql_q "SELECT status FROM notices WHERE id = '$id'")" sent "the notice is sent"
assert_eq "$(psql_q "SELECT status FROM notices WHERE id = '$cancel_id'")" cancelled "the second one cancelled"
wait_eq 60 "every job of it settled (nothing pending)" t psql_q \
	"SELECT pending = 0 AND recipients > 0 FROM notice_stats WHERE notice_id = '$cancel_id'"
read -r c_sent c_stopped c_all <<<"$(psql_q "SELECT sent || ' ' || stopped || ' ' || recipients
	FROM notice_stats WHERE notice_id = '$cancel_id'" | tr '|' ' ')"
[ "$c_sent" -gt 0 ] && [ "$c_stopped" -gt 0 ] ||
	e2e_fail "cancelled mid-fan-out should leave some sent and some stopped: $c_sent sent, $c_stopped stopped of $c_all"
printf '   ok  cancelled mid-fan-out: %s of %s sent, %s stopped\n' "$c_sent" "$c_all" "$c_stopped"
assert_eq "$(psql_q "SELECT status || ': ' || reject_reason FROM notices WHERE id = '$reject_id'")" \
	"rejected: Manca l'orario di riapertura." "the third one rejected, with the reason typed"
assert_eq "$(psql_q "SELECT count(*) FROM notices WHERE title = 'senza CSRF'")" 0 "no notice from the CSRF-less POST"

step "inside the quiet hours, Nuovo avviso says when a normal notice would leave"
# Whatever happens, the next scripts get the demo comune without quiet hours.
no_quiet() { psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = 'demo'" >/dev/null; }
trap 'rm -f "$OUT"; no_quiet; slow_off; clear_alerts' EXIT
psql_q "UPDATE comuni SET quiet_start = ((now() AT TIME ZONE time_zone) - interval '1 hour')::time,
	quiet_end = ((now() AT TIME ZONE time_zone) + interval '1 hour')::time WHERE id = 'demo'" >/dev/null
if ! CONSOLE_URL="$INGEST_URL" CONSOLE_COMUNE=demo QUIET_ONLY=1 \
	EDITOR_LOGIN=- EDITOR_PASSWORD=- \
	APPROVER_LOGIN="$DEMO_APPROVER_LOGIN" APPROVER_PASSWORD="$(cat "$DEMO_APPROVER_PASSWORD_FILE")" \
	AXE_JS="$AXE_JS" SCREENS_DIR="$SCREENS" timeout 120 /usr/bin/python3 "$E2E_ROOT/tests/browser/console_test.py" >"$OUT" 2>&1; then
	grep -v '^#[0-9]' "$OUT" | tail -n 20 >&2
	e2e_fail "the quiet-hours warning (browser)"
fi
grep '^--\|^   axe' "$OUT" | sed 's/^/   /'
no_quiet

e2e_done
