#!/usr/bin/env bash
# GDPR through banditorectl: export everything held about a number (its
# subscriptions in two comuni, the consent history, the notices it
# received, its WhatsApp messaging-limit records) and erase it (personal
# data gone from the whole database, the ledger keeps an anonymous
# "erase" event, an erasures row counts it, nothing is sent to the erased
# record, the number can join again as a new person). Numbers are
# accepted in any Italian form; a Telegram chat is named by its chat id.
# An erased subscriber's job waiting on delivery.jobs.retry, or lying on
# delivery.dead, is never sent; no Kafka key holds a number or a chat id.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

N=393330000651   # exports, then is erased
M=393330000652   # another citizen: proves notices still go out
R=393330000653   # erased while a notice to it waits on the retry topic
D=393330000654   # erased while a job of its lies on the dead-letter topic
T=650065001      # a Telegram chat
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

step "the WhatsApp messaging limit counts the number: export shows it"
psql_q "INSERT INTO wa_portfolios (id, tier) VALUES ('pf-e2e65', NULL) ON CONFLICT DO NOTHING;
        INSERT INTO wa_reached (portfolio_id, address) VALUES ('pf-e2e65', '+$N')" >/dev/null
assert_eq "$(e2e_ctl gdpr export "$N" 2>/dev/null | jq -r '[.messaging_limit[].portfolio] | join(",")')" \
	pf-e2e65 "the portfolio that reached it"

step "the number also alerts staff: export shows where, erase removes it"
printf 'gdpr-staff-pw-65\n' >"$keys/staff65"
e2e_ctl staff add --comune demo --login gdpr65 --name "Lucia Verdi" --role approver \
	--password-file "$keys/staff65" --alert "whatsapp:+$N" >/dev/null || e2e_fail "staff add gdpr65"
e2e_ctl staff add --comune prova --name "Reperibile 65" --whatsapp "+$N" >/dev/null ||
	e2e_fail "staff contact for the feed"
out=$(e2e_ctl gdpr export "$N" 2>/dev/null)
assert_eq "$(jq -r '[.staff_alerts[] | .comune + ":" + .kind_of + ":" + .name] | join(",")' <<<"$out")" \
	"demo:console_account:Lucia Verdi,prova:feed_contact:Reperibile 65" \
	"the console account and the feed contact that use it"

step "erase: in one go, everywhere"
ids=$(psql_q "SELECT string_agg(id::text, ',') FROM subscribers WHERE address = '+$N'")
e2e_ctl gdpr erase --yes 0039-333-000-0651 --requested-by "ticket 42" >/dev/null 2>&1 ||
	e2e_fail "gdpr erase failed"
assert_eq "$(e2e_ctl gdpr export "$N" 2>/dev/null | jq '.subscriptions | length')" 0 \
	"export finds nothing any more"
assert_eq "$(psql_q "SELECT subscribers || ' ' || requested_by FROM erasures ORDER BY id DESC LIMIT 1")" \
	"2 ticket 42" "the erasures row counts two subscriptions"
assert_eq "$(psql_q "SELECT coalesce(alert_kind, 'none') || ' ' || disabled FROM staff WHERE login = 'gdpr65'")" \
	"none false" "the console account stays, without its alert number"
assert_eq "$(psql_q "SELECT count(*) FROM staff_contacts WHERE address = '+$N'")" 0 \
	"the feed's staff contact is gone"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE ce.action = 'erase' AND ce.source = 'admin' AND s.status = 'erased'
                       AND s.address LIKE 'erased:%' AND s.id IN ($ids)")" 2 \
	"the ledger has an erase event for each"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events WHERE subscriber_id IN ($ids)
                       AND action <> 'erase' AND evidence NOT LIKE 'erased:%'")" 0 \
	"the earlier events keep their action and time but lose their evidence"
assert_eq "$(psql_q "SELECT count(*) FROM wa_reached WHERE address IN ('+$N', '$N')")" 0 \
	"its messaging-limit record is gone"
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
step "a Telegram chat: export and erase by its chat id"
assert_eq "$(fake_tg_update "$T" "/start" | jq -r .status)" 200 "chat T opens the bot"
wait_eq 30 "T welcomed" 1 fake_tg_count_to "$T"
out=$(e2e_ctl gdpr export --telegram "$T" 2>"$BND_STATE_DIR/gdpr-tg.err")
assert_eq "$(jq -r .telegram_chat <<<"$out")" "$T" "the chat id"
assert_eq "$(jq -r '[.subscriptions[] | .comune + " " + .channel + " " + .status] | join(",")' <<<"$out")" \
	"demo telegram active" "its Telegram subscription"
assert_eq "$(jq -r '.subscriptions[0].consent_history[0].source' <<<"$out")" telegram \
	"with its consent history"
if grep -q "$T" "$BND_STATE_DIR/gdpr-tg.err"; then e2e_fail "the chat id went to stderr"; fi
tid=$(psql_q "SELECT id FROM subscribers WHERE address = '$T'")
e2e_ctl gdpr erase --yes --telegram "$T" --requested-by "ticket 43" >/dev/null 2>&1 ||
	e2e_fail "gdpr erase --telegram failed"
assert_eq "$(psql_q "SELECT status || ' ' || (address = 'erased:' || id) FROM subscribers WHERE id = $tid")" \
	"erased true" "the Telegram subscriber is erased as a number's is"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events WHERE subscriber_id = $tid AND action = 'erase'")" 1 \
	"with an erase event in the ledger"
assert_eq "$(e2e_ctl gdpr export --telegram "$T" 2>/dev/null | jq '.subscriptions | length')" 0 \
	"export finds nothing any more"
if pg_dump --data-only "$BND_PG_DSN" | grep -q "$T"; then e2e_fail "the database still holds the chat id"; fi
printf '   ok  pg_dump holds no trace of the chat id\n'

step "a notice job of a subscriber erased while it waits on delivery.jobs.retry is not sent"
# subscriber_of DIGITS: the number's subscriber id on the demo WhatsApp channel.
subscriber_of() {
	psql_q "SELECT s.id FROM subscribers s JOIN channels ch ON ch.id = s.channel_id
	        WHERE ch.sender_account = '$DEMO_SENDER' AND s.address = '+$1' AND s.status = 'active'"
}
assert_eq "$(wa_inbound_to "$DEMO_SENDER" "$R" ATTIVA)" 200 "R joins Demo"
wait_eq 30 "R welcomed" 1 fake_count_to "$R" text
rid=$(subscriber_of "$R")
fake_fault "{\"code\":131000,\"http\":500,\"duration_ms\":30000,\"to\":\"$R\"}"
held=$(e2e_notice demo "Avviso in sospeso" "R non deve riceverlo")
retrying() {
	psql_q "SELECT count(*) FROM deliveries WHERE notice_id = '$held' AND subscriber_id = $rid
	          AND status = 'claimed' AND claimed_by IS NULL"
}
wait_eq 60 "R's job failed (HTTP 500) and waits on the retry topic" 1 retrying
e2e_ctl gdpr erase --yes "$R" --requested-by "ticket 44" >/dev/null 2>&1 || e2e_fail "erase R failed"
fake_normal   # the provider answers again: the next attempt would get through
wait_eq 60 "the retried job is skipped: its subscriber is erased" skipped \
	psql_q "SELECT status FROM deliveries WHERE notice_id = '$held' AND subscriber_id = $rid"
assert_eq "$(notice_to "$R" "Avviso in sospeso")" 0 "R never received it"
wait_until 30 "M did receive it" '[ "$(notice_to "$M" "Avviso in sospeso")" = 1 ]'

step "a job of a subscriber erased while it lies on delivery.dead is not replayed, nor sent"
SENDER65=100000000000065
CH65=$((965000 + $$ % 1000))
assert_eq "$(wa_inbound_to "$DEMO_SENDER" "$D" ATTIVA)" 200 "D joins Demo"
wait_eq 30 "D welcomed" 1 fake_count_to "$D" text
did=$(subscriber_of "$D")
# A job of D's for a channel nobody configured yet: dead-lettered (no_credentials).
"$BND_BIN_DIR/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs" "$CH65" "$SENDER65" 1 \
	65 "$did" >/dev/null || e2e_fail "jobgen failed"
dead_of_d() { e2e_ctl dead list --json | jq '[.[] | select(.job_id == "bench:65:0")] | length'; }
wait_eq 30 "D's job is a dead letter" 1 dead_of_d
e2e_ctl gdpr erase --yes "$D" --requested-by "ticket 45" >/dev/null 2>&1 || e2e_fail "erase D failed"
ch65=$(e2e_comune e2e65 "$SENDER65" 100)
psql_q "UPDATE channels SET id = $CH65 WHERE id = $ch65" >/dev/null
assert_contains "$(e2e_ctl dead replay --job bench:65:0)" "1 job(s) of erased subscribers not replayed" \
	"dead replay leaves it alone"
# Were it replayed anyway (an older banditorectl), the dispatcher's consent check stops it.
psql_q "DELETE FROM deliveries WHERE job_id = 'bench:65:0' AND status = 'dead'" >/dev/null
"$BND_BIN_DIR/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs" "$CH65" "$SENDER65" 1 \
	65 "$did" >/dev/null || e2e_fail "jobgen failed"
wait_eq 60 "the dispatcher skips it: its subscriber is erased" skipped \
	psql_q "SELECT status FROM deliveries WHERE job_id = 'bench:65:0'"
assert_eq "$(fake_notice_report "$SENDER65" "Acqua sospesa" | cut -d' ' -f1)" 0 "nothing was sent"

step "no Kafka key holds a number or a chat id"
# Test 26 plants records that are no event under keys starting "poison".
cm=$("$BND_BIN_DIR/kafka-keys" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}citizen.messages" | grep -v '^poison') ||
	e2e_fail "cannot read citizen.messages"
cc=$("$BND_BIN_DIR/kafka-keys" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}consent.changes") ||
	e2e_fail "cannot read consent.changes"
[ -n "$cm" ] && [ -n "$cc" ] || e2e_fail "no keys read"
for a in "$N" "$M" "$R" "$D" "$T"; do
	if grep -q "${a:2}" <<<"$cm"; then e2e_fail "a citizen.messages key holds an address"; fi
	# Only erase's tombstones under the old "<channel>/<number>" key (written
	# before keys changed; they purge what such keys held) may name one.
	if grep -v $'\ttombstone$' <<<"$cc" | grep -q "${a:2}"; then
		e2e_fail "a consent.changes key holds an address"
	fi
done
assert_eq "$(grep -cvE '^[0-9]+/[0-9a-f]{32}$' <<<"$cm" || true)" 0 \
	"citizen.messages keys are <channel>/<keyed hash>"
assert_eq "$(grep -v $'\ttombstone$' <<<"$cc" | grep -cvE '^[0-9]+$' || true)" 0 \
	"consent.changes keys are subscriber ids"
assert_contains "$cc" "$did"$'\ttombstone' "erase wrote a tombstone under the subscriber's key"

# Later tests count Demo's subscribers.
e2e_ctl gdpr erase --yes "$N" >/dev/null 2>&1 && e2e_ctl gdpr erase --yes "$M" >/dev/null 2>&1 ||
	e2e_fail "clean-up erase failed"

e2e_done
