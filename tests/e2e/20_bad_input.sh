#!/usr/bin/env bash
# Bad input gets a clear error and changes nothing: bad or missing
# signature, malformed JSON, oversized body, a NUL byte in a body (never
# read as a shorter body), unknown API key, wrong verify token, text that
# is not UTF-8 (400 naming the field at every entry point but WhatsApp's,
# whose text is repaired); the verification handshake works. A webhook for
# a WhatsApp number that is no channel of ours is answered 200 (Meta
# would retry anything else for days), counted and dropped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

D=393330000201
before_subs=$(psql_q "SELECT count(*) FROM subscribers")
before_sent=$(fake_count)
hook="$INGEST_URL/webhooks/whatsapp"

step "verification handshake"
assert_eq "$(curl -s "$hook?hub.mode=subscribe&hub.verify_token=$WA_VERIFY_TOKEN&hub.challenge=12345")" \
	12345 "challenge echoed for the right token"
assert_eq "$(http_status "$hook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")" 403 \
	"wrong verify token refused"

step "signatures"
body=$(wa_webhook_body "$D" "ATTIVA" "wamid.bad-sig-1")
assert_eq "$(http_status -X POST -H 'Content-Type: application/json' --data-binary "$body" "$hook")" \
	401 "missing signature"
assert_eq "$(http_status -X POST -H 'Content-Type: application/json' \
	-H "X-Hub-Signature-256: sha256=$(printf %s "$body" | openssl dgst -sha256 -hmac wrong-secret -r | cut -d' ' -f1)" \
	--data-binary "$body" "$hook")" 401 "signature with the wrong secret"
tampered=${body/ATTIVA/DISATTIVA}
sig=$(printf %s "$body" | openssl dgst -sha256 -hmac "$WA_APP_SECRET" -r | cut -d' ' -f1)
assert_eq "$(http_status -X POST -H "X-Hub-Signature-256: sha256=$sig" --data-binary "$tampered" "$hook")" \
	401 "body changed after signing"

# metric NAME: its value on ingest's health port (0 if absent).
metric() {
	curl -s -m 10 "$INGEST_HEALTH_URL/metrics" | awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }'
}

step "malformed, oversized, unknown channel"
assert_eq "$(wa_post '{"object":"whatsapp_business_account","entry":[' | head -1)" 400 "malformed JSON"
assert_eq "$(wa_post '[1,2,3]' | head -1)" 400 "JSON of the wrong shape"
big=$(head -c 200000 /dev/zero | tr '\0' 'a')
assert_eq "$(wa_post "{\"pad\":\"$big\"}" | head -1)" 413 "body over the limit"
other=$(wa_webhook_body "$D" "ATTIVA" "wamid.bad-sig-unknown-1" 999999999999999)
unknown=$(metric bnd_ingest_wa_unknown_sender_total)
# The first time, 503: it may be a channel added a moment ago, and the
# directory is reloaded at once; then it is unknown for good.
assert_eq "$(wa_post "$other" | head -1)" 503 "an id never seen: 503 until the directory is reloaded"
status_of() { wa_post "$1" | head -1; }
wait_eq 10 "unknown phone-number id: 200 (Meta would retry anything else for days)" 200 \
	status_of "$other"
assert_eq "$(wa_post "$other" | head -1)" 200 "again: 200"
assert_eq "$(metric bnd_ingest_wa_unknown_sender_total)" $((unknown + 2)) "the 200s counted"
assert_eq "$(grep -c '"event":"wa.unknown_sender".*999999999999999' "$BND_LOGS_DIR/ingest.log")" 1 \
	"logged once (at most once a minute per id)"

step "a NUL byte is part of the body: 400, never a shorter body that verifies"
nul=$(wa_webhook_body "$D" "ATTIVA" "wamid.bad-sig-nul-1")
sig=$(printf %s "$nul" | openssl dgst -sha256 -hmac "$WA_APP_SECRET" -r | cut -d' ' -f1)
# nul_post SIG PRINTF_FORMAT: the body (with a NUL) POSTed under signature SIG.
nul_post() {
	printf "$2" "$nul" | curl -s -o /dev/null -w '%{http_code}' -m 10 -X POST \
		-H "X-Hub-Signature-256: sha256=$1" --data-binary @- "$hook"
}
assert_eq "$(nul_post "$sig" '%s\0')" 400 "signed body + a trailing NUL: 400"
assert_eq "$(nul_post "$(printf '%s\0' "$nul" | openssl dgst -sha256 -hmac "$WA_APP_SECRET" -r |
	cut -d' ' -f1)" '%s\0')" 400 "the same, signed with its NUL: still not JSON, 400"
assert_eq "$(nul_post "$sig" '%s\0{}')" 400 "an embedded NUL: 400"
assert_eq "$(printf '{"phone":"333 000 0204","privacy":true}\0' | curl -s -o /dev/null -w '%{http_code}' \
	-X POST -H 'Content-Type: application/json' -H 'X-Forwarded-For: 192.0.2.22' --data-binary @- \
	"$INGEST_URL/c/demo/iscrizione")" 400 "the sign-up form with a trailing NUL: 400"
assert_eq "$(printf 'phone=333+000+0204&privacy=1\0' | curl -s -o /dev/null -w '%{http_code}' \
	-X POST -H 'Content-Type: application/x-www-form-urlencoded' -H 'X-Forwarded-For: 192.0.2.22' \
	--data-binary @- "$INGEST_URL/c/demo/iscrizione")" 400 "the urlencoded form with a trailing NUL: 400"

step "editors' API refuses unknown keys and bad bodies"
assert_eq "$(http_status -X POST -H 'Authorization: Bearer not-a-key' \
	--data '{"title":"x","body":"y"}' "$INGEST_URL/api/v1/notices")" 401 "unknown API key"
assert_eq "$(http_status -X POST --data '{"title":"x","body":"y"}' "$INGEST_URL/api/v1/notices")" \
	401 "no API key"
assert_eq "$(http_status -X POST -H "Authorization: Bearer $DEMO_API_KEY" \
	--data '{"body":"y"}' "$INGEST_URL/api/v1/notices")" 400 "missing title"
assert_eq "$(curl -s -X POST -H "Authorization: Bearer $DEMO_API_KEY" \
	--data '{"title":"x","body":"y","urgent":"yes"}' "$INGEST_URL/api/v1/notices" | jq -r .field)" \
	urgent "the error names the field"

step "invalid UTF-8 is refused, naming the field"
assert_eq "$(printf '{"title":"Citt\xe0","body":"y"}' | curl -s -X POST -H "Authorization: Bearer $DEMO_API_KEY" \
	--data-binary @- "$INGEST_URL/api/v1/notices" | jq -r '.error + " " + .field')" "invalid title" \
	"editors' API: title"
assert_eq "$(printf '{"phone":"333 000 0202","topics":["acqua\xc3"],"privacy":true}' | curl -s -X POST \
	-H 'Content-Type: application/json' -H 'X-Forwarded-For: 192.0.2.20' --data-binary @- \
	"$INGEST_URL/c/demo/iscrizione" | jq -r .field)" topics "sign-up form (JSON): topics"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'X-Forwarded-For: 192.0.2.21' \
	-H 'Content-Type: application/x-www-form-urlencoded' \
	--data-binary 'phone=333%E00000203&privacy=on' "$INGEST_URL/c/demo/iscrizione")" 400 \
	"sign-up form (urlencoded, percent-encoded): 400"
assert_eq "$(curl -s -H "Authorization: Bearer $DEMO_API_KEY" \
	"$INGEST_URL/api/v1/notices?comune=demo%E0" | jq -r .field)" comune "a list's comune parameter"
assert_eq "$(http_status "$(printf '%s/c/demo\xe0/avvisi' "$INGEST_URL")")" 404 \
	"an archive path with a byte that is not text: 404"
tg=$(tg_post "$TG_SECRET_TOKEN" "$(printf '{"update_id":920001,"message":{"message_id":1,"date":1,"chat":{"id":920001,"type":"private"},"text":"/start \xf0\x9f"}}')")
assert_eq "$(head -1 <<<"$tg")" 400 "Telegram update: 400"
assert_eq "$(tail -n +2 <<<"$tg" | jq -r .field)" message.text "naming message.text"

step "nothing changed"
sleep 2
assert_eq "$(psql_q "SELECT count(*) FROM subscribers")" "$before_subs" "no subscriber added"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events WHERE evidence LIKE 'wamid.bad-sig%'")" 0 \
	"no consent recorded"
assert_eq "$(fake_count)" "$before_sent" "nothing sent"

e2e_done
