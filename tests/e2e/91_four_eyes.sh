#!/usr/bin/env bash
# Four eyes for real (issue 12): nobody who created, edited or submitted a
# version of a notice may approve it. An approver who puts new text onto
# an editor's draft and submits it is refused the approval (403
# four_eyes), and so is one who only submitted it; a third person
# approves and the notice goes out. Consortium keys act only where their
# explicit scope says: a key for comuni a,b is refused on c (alerts and
# notices), a key with --all is not, and banditorectl insists on one of
# --comuni and --all.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

API="$INGEST_URL/api/v1"
KEYS="$BND_STATE_DIR/e2e-keys"
S=393330009101          # a subscriber of c91a

# code_as KEYFILE METHOD PATH [JSON]: the HTTP status; the body in $BODY_FILE.
BODY_FILE=$(mktemp)
trap 'rm -f "$BODY_FILE"' EXIT
code_as() {
	local key=$1 method=$2 path=$3 body=${4:-}
	curl -s -m 15 -o "$BODY_FILE" -w '%{http_code}' -X "$method" \
		-H "Authorization: Bearer $(cat "$KEYS/$key")" -H 'Content-Type: application/json' \
		${body:+--data-binary "$body"} "$API$path"
}
body() { cat "$BODY_FILE"; }
# newkey NAME: a fresh key in $KEYS/NAME.
newkey() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$KEYS/$1"; }
# known KEYFILE: ingest's directory has the key (it reloads every few seconds).
known() { [ "$(code_as "$1" GET /notices)" = 200 ]; }
status_of() { psql_q "SELECT status FROM notices WHERE id = '$1'"; }
# stored ID: the composer has applied the notice's events so far.
stored() { [ "$(code_as c91a-editor GET "/notices/$1")" = 200 ]; }

step "three comuni, a third approver in c91a"
cha=$(e2e_comune c91a 100000000009101 80)
e2e_comune c91b 100000000009102 80 >/dev/null
e2e_comune c91c 100000000009103 80 >/dev/null
newkey c91a-vice
e2e_ctl apikey add --comune c91a --name vicesindaco --role approver \
	--key-file "$KEYS/c91a-vice" >/dev/null || e2e_fail "apikey add vicesindaco"
psql_q "INSERT INTO subscribers (channel_id, address, status) VALUES ($cha, '+$S', 'active')
        ON CONFLICT DO NOTHING" >/dev/null
for k in c91a-editor c91a-approver c91a-vice c91c-editor; do
	wait_until 30 "ingest knows $k" known "$k"
done

step "the approver rewrites the editor's draft, submits it, and may not approve it"
assert_eq "$(code_as c91a-editor POST /notices '{"title":"Acqua sospesa","body":"Domani in via Roma."}')" \
	202 "the editor writes a draft"
n1=$(body | jq -r .id)
wait_until 30 "the draft is stored" stored "$n1"
assert_eq "$(code_as c91a-approver PUT "/notices/$n1" '{"title":"Acqua sospesa","body":"Domani dalle 8 alle 14 in via Roma."}')" \
	202 "the approver puts new text onto it (version 2)"
assert_eq "$(code_as c91a-approver POST "/notices/$n1/submit" '{}')" 202 "and submits it"
assert_eq "$(code_as c91a-approver POST "/notices/$n1/approve" '{}')" 403 "approving it: 403"
assert_eq "$(body | jq -r .error)" four_eyes "the error is four_eyes"
assert_contains "$(body | jq -r .message)" "edited or submitted version 2" "the message says why"
assert_eq "$(code_as c91a-approver POST "/notices/$n1/schedule" \
	"{\"scheduled_at\":\"$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)\"}")" 403 \
	"scheduling it is approving it: 403"
assert_eq "$(code_as c91a-editor POST "/notices/$n1/approve" '{}')" 403 "the editor may not approve"
assert_eq "$(psql_q "SELECT string_agg(c.action || ':' || c.version || ':' || k.name, ',' ORDER BY c.version, c.action)
                     FROM notice_contributors c JOIN api_keys k ON k.id = c.key_id
                     WHERE c.notice_id = '$n1'")" \
	"create:1:redazione,edit:2:sindaco,submit:2:sindaco" "every contributor recorded by version"
contributed() { code_as "$1" GET "$2" >/dev/null; body | jq -c "$3"; }
assert_eq "$(contributed c91a-approver "/notices/$n1" .you_contributed)/$(contributed c91a-editor "/notices/$n1" \
	.you_contributed)/$(contributed c91a-vice "/notices/$n1" .you_contributed)" true/true/false \
	"you_contributed says so to the approver and the editor, not to the third person"
assert_eq "$(contributed c91a-vice "/notices?status=submitted" \
	"[.notices[] | select(.id == \"$n1\") | .you_contributed]")" "[false]" "and in the list"
assert_eq "$(code_as c91a-vice POST "/notices/$n1/approve" '{}')" 202 "a third person approves"
assert_eq "$(body | jq -r .status)" approved "approved"
wait_eq 30 "the subscriber got it" 1 fake_count_to "$S" template
assert_eq "$(psql_q "SELECT approver FROM notices WHERE id = '$n1'")" vicesindaco "approved by the third"

step "submitting alone is enough to be refused the approval"
assert_eq "$(code_as c91a-editor POST /notices '{"title":"Mercato","body":"Sospeso sabato."}')" 202 \
	"the editor writes another draft"
n2=$(body | jq -r .id)
wait_until 30 "the second draft is stored" stored "$n2"
assert_eq "$(code_as c91a-approver POST "/notices/$n2/submit" '{}')" 202 "the approver submits it"
assert_eq "$(code_as c91a-approver POST "/notices/$n2/approve" '{}')" 403 "and may not approve it"
assert_eq "$(code_as c91a-vice POST "/notices/$n2/reject" '{"reason":"Manca l'\''orario"}')" 202 \
	"the third person rejects it"
assert_eq "$(code_as c91a-editor PUT "/notices/$n2" '{"title":"Mercato","body":"Sospeso sabato dalle 7."}')" \
	202 "the editor edits it (version 2)"
assert_eq "$(code_as c91a-editor POST "/notices/$n2/submit" '{}')" 202 "and submits version 2"
assert_eq "$(code_as c91a-approver POST "/notices/$n2/approve" '{}')" 202 \
	"version 2: the approver who only submitted version 1 may approve it"

step "banditorectl: a consortium key needs --comuni or --all"
newkey c91-unione
rc=0
e2e_ctl apikey add --comune c91a --name unione --role consortium \
	--key-file "$KEYS/c91-unione" >/dev/null 2>&1 || rc=$?
assert_eq "$rc" 2 "neither: usage error"
rc=0
e2e_ctl apikey add --comune c91a --name unione --role consortium --comuni c91a,nessuno \
	--key-file "$KEYS/c91-unione" >/dev/null 2>&1 || rc=$?
assert_eq "$rc" 1 "an unknown comune: refused"
e2e_ctl apikey add --comune c91a --name unione --role consortium --comuni c91a,c91b \
	--key-file "$KEYS/c91-unione" >/dev/null || e2e_fail "apikey add --comuni"
newkey c91-regione
e2e_ctl apikey add --comune c91a --name regione --role consortium --all \
	--key-file "$KEYS/c91-regione" >/dev/null || e2e_fail "apikey add --all"
assert_eq "$(psql_q "SELECT consortium_all || ' ' || array_to_string(consortium_comuni, ',')
                     FROM api_keys WHERE name = 'unione' AND comune_id = 'c91a'")" "false c91a,c91b" \
	"the list is stored"
for k in c91-unione c91-regione; do
	wait_until 30 "ingest knows $k" known "$k"
done

step "a consortium key for a,b is refused on c"
assert_eq "$(code_as c91-unione POST /alerts '{"comuni":["c91a","c91c"],"title":"Allerta","body":"B"}')" \
	403 "an alert to c: 403"
assert_eq "$(body | jq -r .field)" comuni "naming comuni"
assert_eq "$(code_as c91c-editor POST /notices '{"title":"Strada chiusa","body":"Via Po."}')" 202 \
	"c's editor writes a notice"
n3=$(body | jq -r .id)
wait_until 30 "c's notice is stored" '[ "$(code_as c91c-editor GET "/notices/$n3")" = 200 ]'
assert_eq "$(code_as c91c-editor POST "/notices/$n3/submit" '{}')" 202 "and submits it"
assert_eq "$(code_as c91-unione POST "/notices/$n3/approve" '{}')" 404 \
	"the a,b key cannot approve c's notice (it does not see it)"
assert_eq "$(code_as c91-unione GET "/notices?comune=c91c")" 404 "nor list c's notices"

step "--all reaches c; apikey scope changes a key's scope"
assert_eq "$(code_as c91-regione POST "/notices/$n3/approve" '{}')" 202 "the --all key approves c's notice"
assert_eq "$(code_as c91-regione POST /alerts '{"comuni":["c91c"],"title":"Allerta","body":"Vento forte."}')" \
	202 "and sends an alert to c"
uid=$(psql_q "SELECT id FROM api_keys WHERE name = 'unione' AND comune_id = 'c91a'")
e2e_ctl apikey scope "$uid" --all >/dev/null 2>&1 || e2e_fail "apikey scope --all"
assert_eq "$(code_as c91-unione GET "/notices/$n3")" 200 "after apikey scope --all, c is visible"
e2e_ctl apikey scope "$uid" --comuni c91b >/dev/null 2>&1 || e2e_fail "apikey scope --comuni"
assert_eq "$(code_as c91-unione GET "/notices?comune=c91c")" 404 "and after --comuni c91b no more"

e2e_done
