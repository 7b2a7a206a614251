#!/usr/bin/env bash
# Versions of a notice and search in Avvisi (issue 15): a notice created
# and edited by a person (console session), then edited by a key, has
# three versions, each with its text, fields and who wrote it (GET
# /api/v1/notices/{id}/versions, 404 for another comune's key); the list's
# q= finds notices by words of the title or body, case aside, with '%' and
# '_' taken literally and accented letters as written, combined with the
# status filter and the cursor; a bad q is a 400. Then headless chromium
# runs tests/browser/console_versions_test.py: the diff function's cases,
# the search in the console (kept in the address, across a reload), the
# comparison of version 1 with version 3 (<del>/<ins> and the words for
# screen readers), axe-core on both screens, and a screenshot of the
# comparison in .local/console-screens-versions/ (docs/img/console-diff.png
# is copied from there).
# Comune c93b and its people are this test's own.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

C=c93b
SENDER=100000000009302
KEYS="$BND_STATE_DIR/e2e-keys"
AXE_JS=$(ls "$E2E_ROOT"/.local/npm/axe-core-*/package/axe.min.js 2>/dev/null | head -1)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT

[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || e2e_fail "chromium or chromedriver missing (scripts/setup.sh)"
[ -n "$AXE_JS" ] || e2e_fail "axe-core missing under .local/npm (scripts/setup.sh)"

# req KEY METHOD PATH [JSON]: the HTTP status; the body in $DIR/out.
req() {
	curl -s -m 15 -o "$DIR/out" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1" \
		-H 'Content-Type: application/json' ${4:+--data-binary "$4"} "$INGEST_URL$3"
}
out() { jq -r "$1" "$DIR/out"; }
# settled KEY METHOD PATH [JSON]: req, asked again while ingest answers "not yet".
settled() {
	local deadline=$(($(date +%s) + 60)) code
	while :; do
		code=$(req "$@")
		case $(out '.error // empty' 2>/dev/null) in
		unauthorized | not_applied_yet) ;;
		*) break ;;
		esac
		[ "$(date +%s)" -lt "$deadline" ] || break
		sleep 0.3
	done
	printf '%s\n' "$code"
}
# create TITLE BODY: a notice by the comune's editor key; prints its id.
create() {
	settled "$ED" POST /api/v1/notices "$(jq -nc --arg t "$1" --arg b "$2" '{title: $t, body: $b}')" >/dev/null
	out .id
}
# search QUERY...: the titles the list answers for the query string, sorted, joined by |.
search() {
	local code
	code=$(req "$ED" GET "/api/v1/notices?$1")
	[ "$code" = 200 ] || e2e_fail "GET /api/v1/notices?$1: $code $(cat "$DIR/out")"
	jq -r '[.notices[].title] | sort | join("|")' "$DIR/out"
}
# stored ID: the notice can be read with the editor key.
stored() { [ "$(req "$ED" GET "/api/v1/notices/$1")" = 200 ]; }

step "a comune of its own, two keys and an editor who logs in"
e2e_comune $C $SENDER 80 >/dev/null
ED=$(cat "$KEYS/$C-editor")
AP=$(cat "$KEYS/$C-approver")
head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/giulia"
e2e_ctl staff add --comune $C --login giulia --name "Giulia Verdi" --role editor \
	--password-file "$DIR/giulia" >/dev/null || e2e_fail "staff add giulia"
login=$(jq -nc --arg c $C --arg p "$(cat "$DIR/giulia")" '{comune: $c, login: "giulia", password: $p}')
code=$(curl -s -m 15 -o "$DIR/login" -D "$DIR/headers" -w '%{http_code}' -X POST \
	-H 'Content-Type: application/json' --data-binary "$login" "$INGEST_URL/console/api/login")
assert_eq "$code" 200 "giulia logs in"
session=$(sed -n 's/^Set-Cookie: bnd_session=\([^;]*\);.*/\1/ip' "$DIR/headers" | tr -d '\r')
csrf=$(jq -r .csrf "$DIR/login")

step "created and edited by a person (console session), edited by a key: three versions"
# as_giulia METHOD PATH JSON: with Giulia's session cookie and CSRF token, asked
# again while ingest answers "not yet"; the status, body in $DIR/out.
as_giulia() {
	local deadline=$(($(date +%s) + 60)) code
	while :; do
		code=$(curl -s -m 15 -o "$DIR/out" -w '%{http_code}' -X "$1" \
			-H "Cookie: bnd_session=$session" -H "X-CSRF-Token: $csrf" \
			-H 'Content-Type: application/json' --data-binary "$3" "$INGEST_URL$2")
		case $(out '.error // empty' 2>/dev/null) in unauthorized | not_applied_yet) ;; *) break ;; esac
		[ "$(date +%s)" -lt "$deadline" ] || break
		sleep 0.3
	done
	printf '%s\n' "$code"
}
T1="Acqua sospesa in via Roma"
B1="Domani dalle 8 alle 14 l'acqua sarà sospesa in via Roma per lavori alla rete."
assert_eq "$(as_giulia POST /api/v1/notices "$(jq -nc --arg t "$T1" --arg b "$B1" '{title: $t, body: $b}')")" \
	202 "Giulia creates the notice"
id=$(out .id)
wait_until 20 "the notice stored" stored "$id"
B2="Domani dalle 8 alle 16 l'acqua sarà sospesa in via Roma e in piazza Garibaldi per lavori alla rete."
code=$(as_giulia PATCH "/api/v1/notices/$id" "$(jq -nc --arg b "$B2" '{body: $b, version: 1}')")
assert_eq "$code/$(out .version)" 202/2 "PATCH by Giulia: version 2"
T3="Acqua sospesa in via Roma e piazza Garibaldi"
assert_eq "$(settled "$AP" PATCH "/api/v1/notices/$id" \
	"$(jq -nc --arg t "$T3" '{title: $t, urgent: true, topics: ["acqua"], link: "https://comune.example.it/lavori", version: 2}')")/$(out .version)" \
	202/3 "PATCH by the approver key: version 3"
versions() {
	[ "$(req "$ED" GET "/api/v1/notices/$id/versions")" = 200 ] && jq '.versions | length' "$DIR/out"
}
wait_eq 20 "three versions" 3 versions
assert_eq "$(out '[.versions[].version | tostring] | join(",")')" "1,2,3" "oldest first"
assert_eq "$(out '[.versions[].edited_by] | join("|")')" "Giulia Verdi|Giulia Verdi|sindaco" \
	"each version names who wrote it"
assert_eq "$(jq -r --arg a "$T1" --arg c "$T3" \
	'[.versions[0].title == $a, .versions[1].title == $a, .versions[2].title == $c] | all' "$DIR/out")" true \
	"titles as written"
assert_eq "$(jq -r --arg a "$B1" --arg b "$B2" \
	'[.versions[0].body == $a, .versions[1].body == $b, .versions[2].body == $b] | all' "$DIR/out")" true \
	"bodies as written (accents included)"
assert_eq "$(out '[.versions[] | "\(.urgent)/\(.topics | join(","))/\(.link)/\(.category)"] | join(" ")')" \
	"false///other false///other true/acqua/https://comune.example.it/lavori/other" \
	"urgent, topics, link and category of each version"
assert_eq "$(out '[.versions[] | .at | test("^20[0-9-]{8}T[0-9:.]{12}Z$")] | all')" true "each with its time (UTC)"
assert_eq "$(out '[.versions[].actor_key_id | type] | join(",")')" "number,number,number" "and its key"

step "another comune's key, a key-less request and an unknown notice"
assert_eq "$(req "$DEMO_API_KEY" GET "/api/v1/notices/$id/versions")" 404 "the demo's key: 404"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "$INGEST_URL/api/v1/notices/$id/versions")" 401 "no key: 401"
assert_eq "$(req "$ED" GET "/api/v1/notices/00000000-0000-4000-8000-000000000000/versions")" 404 "unknown notice: 404"

step "search: words in the title or body, '%' and '_' literal, accents as written"
create "Sconto del 50% sulla TARI" "Per le famiglie numerose, fino al 31 dicembre." >/dev/null
create "Serbatoio da 500 litri" "Consegna in via_Verdi, non in viaXVerdi." >/dev/null
create "Viabilità: strada chiusa" "Lavori sul ponte per tutta la settimana." >/dev/null
last=$(out .id)
wait_until 20 "the last notice stored" stored "$last"
assert_eq "$(search 'q=acqua')" "$T3" "q=acqua"
assert_eq "$(search 'q=ACQUA+garibaldi')" "$T3" "case aside, every word (title or body)"
assert_eq "$(search 'q=acqua+ponte')" "" "a word in no notice: nothing"
assert_eq "$(search 'q=50%25')" "Sconto del 50% sulla TARI" "'50%' is not '50' followed by anything"
assert_eq "$(search 'q=via_Verdi')" "Serbatoio da 500 litri" "'_' is not any character"
assert_eq "$(search 'q=viaXVerdi')" "Serbatoio da 500 litri" "the same notice, the other word"
assert_eq "$(search 'q=via_Roma')" "" "'via_Roma' does not match 'via Roma'"
assert_eq "$(search 'q=viabilit%C3%A0')" "Viabilità: strada chiusa" "an accented word"
assert_eq "$(search 'q=viabilita')" "" "accents are not ignored (documented)"
assert_eq "$(search 'q=%20%20')" "$(search 'limit=100')" "a blank q: no search"
assert_eq "$(search 'q=acqua&status=draft')" "$T3" "q with status=draft"
assert_eq "$(search 'q=acqua&status=submitted')" "" "q with status=submitted"
[ "$(req "$ED" GET "/api/v1/notices?q=in&limit=1")" = 200 ] || e2e_fail "q=in&limit=1"
first=$(out '.notices[0].title')
cursor=$(out .next_cursor)
[ "$cursor" != null ] || e2e_fail "q=in&limit=1: no next page"
[ "$(req "$ED" GET "/api/v1/notices?q=in&limit=1&cursor=$cursor")" = 200 ] || e2e_fail "the next page"
assert_eq "$(out '.notices | length')/$( [ "$(out '.notices[0].title')" != "$first" ] && echo other)" "1/other" \
	"the cursor pages through the search"

step "a bad q: 400"
assert_eq "$(req "$ED" GET "/api/v1/notices?q=caff%E8")/$(out .field)" 400/q "not UTF-8: 400"
long=$(printf 'è%.0s' $(seq 101) | jq -sRr @uri)
assert_eq "$(req "$ED" GET "/api/v1/notices?q=$long")/$(out .field)" 400/q "101 characters: 400"
ok=$(printf 'è%.0s' $(seq 100) | jq -sRr @uri)
assert_eq "$(req "$ED" GET "/api/v1/notices?q=$ok")" 200 "100 characters: fine"

step "the console in headless chromium (tests/browser/console_versions_test.py)"
if ! CONSOLE_URL="$INGEST_URL" CONSOLE_COMUNE=$C EDITOR_LOGIN=giulia EDITOR_PASSWORD="$(cat "$DIR/giulia")" \
	AXE_JS="$AXE_JS" NOTICE_ID="$id" SCREENS_DIR="$E2E_ROOT/.local/console-screens-versions" \
	timeout 180 /usr/bin/python3 "$E2E_ROOT/tests/browser/console_versions_test.py" >"$DIR/browser" 2>&1; then
	tail -n 30 "$DIR/browser" >&2
	e2e_fail "the browser test failed"
fi
sed 's/^/   /' "$DIR/browser"

e2e_done
