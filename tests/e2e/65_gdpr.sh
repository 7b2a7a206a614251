#!/usr/bin/env bash
# GDPR through banditorectl: export everything held about a number (its
# subscriptions in two comuni, the consent history, the notices it
# received) and erase it (personal data gone from the whole database,
# the ledger keeps an anonymous "erase" event, an erasures row counts it,
# nothing is sent to the erased record, the number can join again as a
# new person). Numbers are accepted in any Italian form.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

N=393330000651   # exports, then is erased
M=393330000652   # another citizen: proves notices still go out
keys="$BND_STATE_DIR/e2e-keys"
mkdir -p "$keys"
printf %s "$DEMO_API_KEY" >"$keys/demo-editor"
printf %s "$DEMO_APPROVER_KEY" >"$keys/demo-approver"

# notice_to DIGITS TITLE: 0/1, whether the number received the notice TITLE.
notice_to() {
	fake_messages_to "$1" | jq --arg t "$2" '[.[] | select(.type == "template" and .params[0] == $t)] | length'
}

step "a citizen in two comuni, with topics, who received a notice"
assert_eq "$(wa_inbound_to "$DEMO_SENDER" "$N" "ATTIVA VIABILITA")" 200 "joins Demo with a topic"
assert_eq "$(wa_inbound_to "$DEMO2_SENDER" "$N" ATTIVA)" 200 "joins Prova"
assert_eq "$(wa_inbound_to "$DEMO_SENDER" "$M" ATTIVA)" 200 "M joins Demo"
wait_eq 30 "welcomes" 2 fake_count_to "$N" text
wait_eq 30 "M welcomed" 1 fake_count_to "$M" text
notice=$(e2e_notice demo "Avviso GDPR" "Chiusura di via Roma per lavori")
wait_eq 60 "N receives the notice" 1 notice_to "$N" "Avviso GDPR"

step "export: subscriptions, consent history, notices received"
out=$(e2e_ctl gdpr export "+39 333 000 0651" 2>"$BND_STATE_DIR/gdpr.err")
assert_eq "$(jq -r .number <<<"$out")" "+$N" "the number, normalized"
assert_eq "$(jq '.subscriptions | length' <<<"$out")" 2 "two subscriptions"
assert_eq "$(jq -r '[.subscriptions[].comune] | sort | join(",")' <<<"$out")" "demo,prova" \
	"in Demo and in Prova"
demo=$(jq -c '.subscriptions[] | select(.comune == "demo")' <<<"$out")
assert_eq "$(jq -r '.status + " " + (.topics | join(","))' <<<"$demo")" "active viabilita" \
	"status and topics"
assert_eq "$(jq -r '.consent_history[0] | .action + " " + .source + " " + .privacy_version' <<<"$demo")" \
	"subscribe keyword v1" "the consent history, with source and privacy notice"
assert_contains "$(jq -r '.consent_history[0].evidence' <<<"$demo")" "wamid." "with its evidence"
got=$(jq -r --arg n "$notice" '.messages_received[] | select(.notice_id == $n) | .title' <<<"$demo")
assert_eq "$got" "Avviso GDPR" "the notice received, with id and title"
st=$(jq -r --arg n "$notice" '.messages_received[] | select(.notice_id == $n) | .status' <<<"$demo")
case $st in sent | delivered | read) printf '   ok  with its status (%s)\n' "$st" ;;
*) e2e_fail "notice status '$st'" ;; esac
jq -e --arg n "$notice" '.messages_received[] | select(.notice_id == $n) | .at | test("^20")' \
	<<<"$demo" >/dev/null || e2e_fail "no time for the notice"
assert_eq "$(e2e_ctl gdpr export 3330000651 --comune prova 2>/dev/null | jq '.subscriptions | length')" 1 \
	"--comune limits the export (national form accepted)"
if grep -q "${N:2}" "$BND_STATE_DIR/gdpr.err"; then e2e_fail "the number went to stderr"; fi
printf '   ok  nothing about the number on stderr\n'

step "erase: in one go, everywhere"
ids=$(psql_q "SELECT string_agg(id::text, ',') FROM subscribers WHERE address = '+$N'")
e2e_ctl gdpr erase 0039-333-000-0651 --requested-by "ticket 42" >/dev/null 2>&1 ||
	e2e_fail "gdpr erase failed"
assert_eq "$(e2e_ctl gdpr export "$N" 2>/dev/null | jq '.subscriptions | length')" 0 \
	"export finds nothing any more"
assert_eq "$(psql_q "SELECT subscribers || ' ' || requested_by FROM erasures ORDER BY id DESC LIMIT 1")" \
	"2 ticket 42" "the erasures row counts two subscriptions"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE ce.action = 'erase' AND ce.source = 'admin' AND s.status = 'erased'
                       AND s.address LIKE 'erased:%' AND s.id IN ($ids)")" 2 \
	"the ledger has an erase event for each"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events WHERE subscriber_id IN ($ids)
                       AND action <> 'erase' AND evidence NOT LIKE 'erased:%'")" 0 \
	"the earlier events keep their action and time but lose their evidence"
dump=$(pg_dump --data-only "$BND_PG_DSN")
[ -n "$dump" ] || e2e_fail "pg_dump gave nothing"
if grep -q "${N:2}" <<<"$dump"; then
	e2e_fail "the database still holds the number: $(grep "${N:2}" <<<"$dump" | head -3)"
fi
printf '   ok  pg_dump of the whole database holds no trace of the number\n'
assert_contains "$dump" "${M:2}" "(while it does hold other citizens' numbers)"

step "nothing is sent to the erased record; the number can join again as a new person"
e2e_notice demo "Dopo la cancellazione" "Secondo avviso" >/dev/null
wait_eq 60 "M receives the next notice" 1 notice_to "$M" "Dopo la cancellazione"
sleep 1
assert_eq "$(notice_to "$N" "Dopo la cancellazione")" 0 "the erased number does not"
texts=$(fake_count_to "$N" text)
assert_eq "$(wa_inbound_to "$DEMO_SENDER" "$N" ATTIVA)" 200 "the number writes ATTIVA again"
wait_eq 30 "welcomed as a new subscriber" $((texts + 1)) fake_count_to "$N" text
again=$(e2e_ctl gdpr export "$N" 2>/dev/null)
assert_eq "$(jq '.subscriptions | length' <<<"$again")" 1 "one subscription"
assert_eq "$(jq '.subscriptions[0].consent_history | length' <<<"$again")" 1 \
	"its history starts afresh"
assert_eq "$(jq '.subscriptions[0].messages_received | map(select(.notice_id != null)) | length' <<<"$again")" 0 \
	"no past notices attached to the new person"
# Later tests count Demo's subscribers.
e2e_ctl gdpr erase "$N" >/dev/null 2>&1 && e2e_ctl gdpr erase "$M" >/dev/null 2>&1 ||
	e2e_fail "clean-up erase failed"

e2e_done
