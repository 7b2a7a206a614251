#!/usr/bin/env bash
# The urgent lane, through the real stack: with the dispatcher stopped, a
# normal notice to 3,000 subscribers piles up on delivery.jobs; then an
# urgent notice (civil protection) to one citizen is approved. When the
# dispatcher starts again it drains delivery.jobs.urgent first: the urgent
# message reaches the provider before most of the normal backlog, from
# the same sender. (Depends on the dispatcher's urgent-first draining.)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

R=$RANDOM
N=3000
SENDER=100000000096001
U=393440009601
KEYS="$BND_STATE_DIR/e2e-keys-96"
mkdir -p "$KEYS"
ctl() {
	BND_PG_DSN=$BND_PG_DSN BND_LOG_LEVEL=warn "$BND_BIN_DIR/banditorectl" "$@" >/dev/null 2>&1 ||
		e2e_fail "banditorectl $*"
}
key() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$KEYS/$1"; }
as() {
	curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$KEYS/$1")" \
		-H 'Content-Type: application/json' --data-binary "$3" "$INGEST_URL$2"
}
known() {
	[ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Authorization: Bearer $(cat "$KEYS/$1")" \
		"$INGEST_URL/api/v1/notices")" = 200 ]
}
status_of() { psql_q "SELECT status FROM notices WHERE id = '$1'"; }
# publish TITLE TOPIC URGENT: written, submitted, approved; prints the id once fanned out.
publish() {
	local id
	id=$(as editor /api/v1/notices "$(jq -nc --arg t "$1" --arg p "$2" --argjson u "$3" \
		'{title: $t, body: "Avviso.", topics: [$p], urgent: $u}')" | jq -r .id)
	[ -n "$id" ] && [ "$id" != null ] || e2e_fail "notice $1 not created"
	wait_eq 30 "$1 stored" draft status_of "$id" >&2
	as editor "/api/v1/notices/$id/submit" '{}' >/dev/null
	wait_eq 30 "$1 submitted" submitted status_of "$id" >&2
	as approver "/api/v1/notices/$id/approve" '{}' >/dev/null
	# Fanned out: every job in Kafka (the notice is 'sent' only once they are settled).
	wait_eq 60 "$1 fanned out" t psql_q "SELECT fanout_done_at IS NOT NULL FROM notices WHERE id = '$id'" >&2
	printf '%s\n' "$id"
}
# accepted TITLE: messages with that title the fake accepted from our sender.
accepted() {
	curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=$SENDER" |
		jq --arg t "$1" '[.messages[] | select(.params[0]? == $t)] | length'
}

step "a comune with $N subscribers to waste notices and one to civil protection"
ctl comune add c96 "Comune Novantasei"
ctl channel add --comune c96 --kind whatsapp --sender "$SENDER" \
	--token-ref "file:$BND_SECRETS_DIR/wa-token" --app-secret-ref "file:$BND_SECRETS_DIR/wa-app-secret" \
	--rate 500 --welcome "Benvenuto." --goodbye "Arrivederci."
ctl topic add --comune c96 rifiuti "Rifiuti" --keyword RIFIUTI
ctl topic add --comune c96 protezione-civile "Protezione civile" --keyword ALLERTA
key editor
key approver
ctl apikey add --comune c96 --name redazione --role editor --key-file "$KEYS/editor"
ctl apikey add --comune c96 --name sindaco --role approver --key-file "$KEYS/approver"
psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = 'c96'" >/dev/null
ch=$(psql_q "SELECT id FROM channels WHERE sender_account = '$SENDER'")
psql_q "INSERT INTO subscribers (channel_id, address, status, topics)
        SELECT $ch, '+39346' || lpad(g::text, 7, '0'), 'active', '{rifiuti}'
          FROM generate_series(1, $N) g" >/dev/null
psql_q "INSERT INTO subscribers (channel_id, address, status, topics)
        VALUES ($ch, '+$U', 'active', '{protezione-civile}')" >/dev/null
wait_until 30 "ingest knows the keys" 'known editor && known approver'

step "dispatcher stopped: a normal notice to $N piles up, then an urgent one"
"$E2E_ROOT/scripts/stack.sh" stop dispatcher >/dev/null 2>&1
normal=$(publish "Raccolta vetro $R" rifiuti false)
urgent=$(publish "Evacuazione $R" protezione-civile true)
assert_eq "$(psql_q "SELECT recipients FROM notices WHERE id = '$normal'")" "$N" "$N normal jobs queued"
assert_eq "$(psql_q "SELECT recipients FROM notices WHERE id = '$urgent'")" 1 "1 urgent job queued"

step "the dispatcher starts again: the urgent message goes first"
"$E2E_ROOT/scripts/stack.sh" start dispatcher >/dev/null 2>&1 || e2e_fail "dispatcher did not start"
wait_eq 60 "the urgent message reaches the citizen" 1 accepted "Evacuazione $R"
wait_eq 120 "the normal backlog is delivered too" "$N" accepted "Raccolta vetro $R"
# By the fake's own clock: normal messages accepted before the urgent one.
before=$(curl -s -m 30 "$FAKE_WA_URL/_fake/messages?phone_number_id=$SENDER" |
	jq --arg n "Raccolta vetro $R" --arg u "Evacuazione $R" '.messages as $m
	  | ([$m[] | select(.params[0]? == $u)][0].ts_ms) as $t
	  | [$m[] | select(.params[0]? == $n and .ts_ms < $t)] | length')
echo "   normal messages accepted before the urgent one: $before of $N"
[ "$before" -lt $((N / 2)) ] || e2e_fail "the urgent message came after $before of $N normal ones"
echo "   ok  the urgent message overtook most of the normal backlog"

e2e_done
