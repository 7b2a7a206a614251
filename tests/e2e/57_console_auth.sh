#!/usr/bin/env bash
# People, not keys (issue 15): staff of a comune log in to the console
# with a password and act on the editors' API with the session cookie.
# Login, wrong password and unknown login (401, one answer), lockout after
# 5 failures (429 with Retry-After, the right password too), /me, a
# notice written and submitted with the cookie and the CSRF header (403
# without it), approved by a second person and delivered, self-approval
# refused (four eyes between persons), history under the persons' names,
# logout, idle and absolute expiry, a disabled person's session refused
# at once, banditorectl staff add/list and the staff API. Comune c57 is
# this test's own.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

C=c57
SENDER=100000000005701
SUB=3930005700001       # the comune's one subscriber
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
BODY_FILE=$DIR/body
HDR_FILE=$DIR/headers

# login LOGIN PASSWORD: the HTTP status; body in $BODY_FILE, headers in $HDR_FILE.
login() {
	local body
	body=$(jq -nc --arg c "${3:-$C}" --arg l "$1" --arg p "$2" \
		'{comune: $c, login: $l, password: $p}')
	curl -s -m 15 -o "$BODY_FILE" -D "$HDR_FILE" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/json' --data-binary "$body" \
		"$INGEST_URL/console/api/login"
}
# session_of: the session token the last login set.
session_of() { sed -n 's/^Set-Cookie: bnd_session=\([^;]*\);.*/\1/ip' "$HDR_FILE" | tr -d '\r'; }
# as TOKEN CSRF METHOD PATH [JSON]: a request with the session cookie (and
# the CSRF header unless CSRF is "-"); the status, body in $BODY_FILE.
as() {
	local token=$1 csrf=$2 method=$3 path=$4 body=${5:-}
	local h=()
	[ "$csrf" = - ] || h=(-H "X-CSRF-Token: $csrf")
	curl -s -m 15 -o "$BODY_FILE" -D "$HDR_FILE" -w '%{http_code}' -X "$method" \
		-H "Cookie: theme=dark; bnd_session=$token" -H 'Content-Type: application/json' \
		"${h[@]}" ${body:+--data-binary "$body"} "$INGEST_URL$path"
}
body() { cat "$BODY_FILE"; }
field() { jq -r "$1" "$BODY_FILE"; }
# as_settled TOKEN CSRF PATH: POST '{}' until the composer applied what came before.
as_settled() {
	local deadline=$(($(date +%s) + 60)) code
	while :; do
		code=$(as "$1" "$2" POST "$3" '{}')
		[ "$(field '.error // empty')" = not_applied_yet ] || break
		[ "$(date +%s)" -lt "$deadline" ] || break
		sleep 0.5
	done
	printf '%s\n' "$code"
}
stored() { [ "$(as "$ED" "$ED_CSRF" GET "/api/v1/notices/$1")" = 200 ]; }

step "a comune of its own, one subscriber, three people"
ch=$(e2e_comune $C $SENDER 80)
psql_q "INSERT INTO subscribers (channel_id, address, status) VALUES ($ch, '+$SUB', 'active')
        ON CONFLICT DO NOTHING" >/dev/null
for who in anna marco lucia; do head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/$who"; done
e2e_ctl staff add --comune $C --login anna --name "Anna Rossi" --role editor \
	--password-file "$DIR/anna" --alert whatsapp:+393330005799 >/dev/null || e2e_fail "staff add anna"
e2e_ctl staff add --comune $C --login marco --name "Marco Bianchi" --role approver \
	<"$DIR/marco" >/dev/null || e2e_fail "staff add marco (password on stdin)"
assert_eq "$(e2e_ctl staff add --comune $C --login anna --name X --role editor \
	--password-file "$DIR/anna" >/dev/null 2>&1; echo $?)" 1 "the same login twice: refused"
assert_eq "$(e2e_ctl staff add --comune $C --login bob --name Bob --role editor \
	--password-file /dev/null >/dev/null 2>&1; echo $?)" 1 "an empty password: refused"
list=$(e2e_ctl staff list --comune $C -o json)
assert_eq "$(jq -r '[.[].login] | join(",")' <<<"$list")" anna,marco "staff list names both"
assert_eq "$(jq -r '.[] | select(.login == "anna") | .alert' <<<"$list")" "whatsapp:+39********99" \
	"the alert number is redacted"
assert_eq "$(e2e_ctl staff --help >/dev/null; echo $?)" 0 "staff --help exits 0"
assert_eq "$(e2e_ctl apikey list --comune $C -o json | jq -r '[.[].name] | sort | join(",")')" \
	redazione,sindaco "apikey list shows keys only, not the people's identities"

step "login: right, wrong password, unknown login, unknown comune"
assert_eq "$(login anna "$(cat "$DIR/anna")")" 200 "anna logs in"
assert_eq "$(field .name)/$(field .role)/$(field .comune)/$(field .login)" \
	"Anna Rossi/editor/$C/anna" "the answer names the person"
ED=$(session_of)
ED_CSRF=$(field .csrf)
assert_eq "${#ED}" 43 "the session token: 32 random bytes in base64url"
cookie=$(grep -i '^Set-Cookie:' "$HDR_FILE" | tr -d '\r')
for attr in HttpOnly Secure SameSite=Strict Path=/ Max-Age=28800; do
	assert_contains "$cookie" "$attr" "the cookie has $attr"
done
assert_eq "$(login anna wrong-password-1)" 401 "wrong password: 401"
assert_eq "$(field .error)" bad_credentials "bad_credentials"
assert_eq "$(login nobody wrong-password-1)" 401 "unknown login: 401"
assert_eq "$(field .error)" bad_credentials "the same answer"
assert_eq "$(login anna "$(cat "$DIR/anna")" c57-none)" 401 "unknown comune: 401"

step "me, and requests without a session"
assert_eq "$(as "$ED" - GET /console/api/me)" 200 "me with the cookie"
assert_eq "$(field .name)/$(field .csrf)" "Anna Rossi/$ED_CSRF" "me: the person and the CSRF token"
assert_eq "$(as AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA - GET /console/api/me)" 401 \
	"an unknown session: 401"
assert_eq "$(field .error)" unauthorized "unauthorized"
assert_status 401 "$INGEST_URL/console/api/me"

step "a notice written and submitted with the cookie; CSRF required for changes"
assert_eq "$(as "$ED" - POST /api/v1/notices '{"title":"Strada chiusa","body":"Via Roma chiusa domani."}')" \
	403 "create without X-CSRF-Token: 403"
assert_eq "$(field .error)" csrf "the error is csrf"
assert_eq "$(as "$ED" wrong-token POST /api/v1/notices '{"title":"x","body":"y"}')" 403 \
	"create with a wrong X-CSRF-Token: 403"
assert_eq "$(as "$ED" "$ED_CSRF" POST /api/v1/notices \
	'{"title":"Strada chiusa","body":"Via Roma chiusa domani."}')" 202 "create with the token: 202"
n1=$(field .id)
wait_until 30 "the draft is stored" stored "$n1"
assert_eq "$(as "$ED" - GET /api/v1/notices)" 200 "reads need no CSRF token"
assert_eq "$(as_settled "$ED" "$ED_CSRF" "/api/v1/notices/$n1/submit")" 202 "anna submits it"
assert_eq "$(as_settled "$ED" "$ED_CSRF" "/api/v1/notices/$n1/approve")" 403 \
	"an editor may not approve"

step "a second person approves: delivered"
assert_eq "$(login marco "$(cat "$DIR/marco")")" 200 "marco logs in"
AP=$(session_of)
AP_CSRF=$(field .csrf)
assert_eq "$(as_settled "$AP" "$AP_CSRF" "/api/v1/notices/$n1/approve")" 202 "marco approves"
wait_eq 30 "the subscriber received it" 1 fake_count_to "$SUB" template

step "self-approval refused between persons"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/notices '{"title":"Acqua","body":"Sospesa."}')" 202 \
	"marco writes a notice"
n2=$(field .id)
wait_until 30 "his draft is stored" stored "$n2"
assert_eq "$(as_settled "$AP" "$AP_CSRF" "/api/v1/notices/$n2/submit")" 202 "and submits it"
assert_eq "$(as_settled "$AP" "$AP_CSRF" "/api/v1/notices/$n2/approve")" 403 "his own approval: 403"
assert_eq "$(field .error)" four_eyes "four_eyes"

step "the history names the persons"
hist_names() {
	as "$ED" - GET "/api/v1/notices/$n1" >/dev/null
	field '[.history[] | "\(.action):\(.actor):\(.actor_kind)"] | join(",")'
}
wait_eq 30 "history" "create:Anna Rossi:staff,submit:Anna Rossi:staff,approve:Marco Bianchi:staff" \
	hist_names

step "the staff API, for approvers"
assert_eq "$(as "$ED" - GET /api/v1/staff)" 403 "an editor may not list the staff"
assert_eq "$(as "$AP" - GET /api/v1/staff)" 200 "an approver lists them"
assert_eq "$(field '[.staff[].login] | join(",")')" anna,marco "both"
pw3=$(cat "$DIR/lucia")
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/staff \
	"{\"login\":\"lucia\",\"name\":\"Lucia Verdi\",\"role\":\"editor\",\"password\":\"$pw3\",\"alert\":\"telegram:5557001\"}")" \
	201 "an approver adds lucia"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/staff \
	"{\"login\":\"lucia\",\"name\":\"Lucia\",\"role\":\"editor\",\"password\":\"$pw3\"}")" 409 \
	"twice: 409"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/staff '{"login":"x","name":"X","role":"editor","password":"short"}')" \
	400 "a short password: 400"
assert_eq "$(login lucia "$pw3")" 200 "lucia logs in"
LU=$(session_of)
assert_eq "$(as "$LU" - GET /console/api/me)" 200 "lucia's session works"

step "a disabled person's session stops at once"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/staff/lucia/disable '{}')" 200 "marco disables lucia"
assert_eq "$(as "$LU" - GET /console/api/me)" 401 "her session: 401"
assert_eq "$(login lucia "$pw3")" 401 "she cannot log in again"
assert_eq "$(as "$AP" "$AP_CSRF" POST /api/v1/staff/nobody/disable '{}')" 404 "an unknown login: 404"
e2e_ctl staff disable --comune $C --login marco 2>/dev/null || e2e_fail "staff disable marco"
assert_eq "$(as "$AP" - GET /console/api/me)" 401 "marco disabled by banditorectl: 401"

step "logout"
assert_eq "$(as "$ED" - POST /console/api/logout)" 403 "logout without the CSRF token: 403"
assert_eq "$(as "$ED" "$ED_CSRF" POST /console/api/logout)" 204 "logout: 204"
assert_contains "$(grep -i '^Set-Cookie:' "$HDR_FILE")" "Max-Age=0" "the cookie is cleared"
assert_eq "$(as "$ED" - GET /console/api/me)" 401 "me after logout: 401"

step "lockout after 5 failures within 15 minutes, the right password too"
# The first failure was anna's wrong password above.
for i in 2 3 4 5; do
	assert_eq "$(login anna "wrong-password-$i")" 401 "failure $i: 401"
done
assert_eq "$(login anna "$(cat "$DIR/anna")")" 429 "the right password while locked: 429"
assert_eq "$(field .error)" locked "the error is locked"
ra=$(sed -n 's/^Retry-After: *\([0-9]*\).*/\1/ip' "$HDR_FILE")
[ "${ra:-0}" -gt 800 ] || e2e_fail "Retry-After should be about 900 s, got '$ra'"
assert_eq "$(e2e_ctl staff list --comune $C -o json | jq -r '.[] | select(.login == "anna") | .locked')" \
	true "staff list shows the lock"
e2e_ctl staff passwd --comune $C --login anna --password-file "$DIR/lucia" 2>/dev/null ||
	e2e_fail "staff passwd"
assert_eq "$(login anna "$pw3")" 200 "a new password clears the lock"

step "expiry: idle and absolute"
S1=$(session_of)
assert_eq "$(as "$S1" - GET /console/api/me)" 200 "a fresh session works"
psql_q "UPDATE console_sessions SET last_seen = now() - interval '31 minutes'
        WHERE token_sha256 = '$(printf %s "$S1" | sha256sum | cut -d' ' -f1)'" >/dev/null
assert_eq "$(as "$S1" - GET /console/api/me)" 401 "31 minutes idle: 401"
assert_eq "$(login anna "$pw3")" 200 "anna logs in again"
S2=$(session_of)
psql_q "UPDATE console_sessions SET expires_at = now() - interval '1 second'
        WHERE token_sha256 = '$(printf %s "$S2" | sha256sum | cut -d' ' -f1)'" >/dev/null
assert_eq "$(as "$S2" - GET /console/api/me)" 401 "past its absolute expiry: 401"

e2e_done
