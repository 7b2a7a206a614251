#!/usr/bin/env bash
# Civil-protection alerts (CAP 1.2) to draft urgent notices, through the
# real stack and fake-cap. Comune A's centroid lies in an orange warning's
# polygon, comune B's (a neighbouring region) does not: within 5 s of the
# feed changing, A has a submitted urgent draft, A's approver is alerted on
# WhatsApp, and B has nothing, although
# the same feeds serve a Test alert (counted, not drafted), malformed XML
# (logged, counted) and a server that never answers. The same alert read
# again (changed bytes, after a feeds restart, on a second feed polled by a
# second feeds instance) drafts nothing more. An Update revises the pending
# draft; A's approver approves it and A's subscriber receives it; a Cancel
# drafts the "allerta cessata", as does the expiry of a warning sent. An
# Atom feed's entries are read as alerts; an Update down to yellow
# withdraws its pending draft; the hung feed is given up after its
# timeout, logged and counted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

R=$RANDOM
A=c100-a
B=c100-b
KEYS="$BND_STATE_DIR/e2e-keys-100"
mkdir -p "$KEYS" "$FAKE_CAP_DIR"
SAMPLES="$E2E_ROOT/tests/fakes/fake-cap/samples"
ctl() {
	BND_PG_DSN=$BND_PG_DSN BND_LOG_LEVEL=warn "$BND_BIN_DIR/banditorectl" "$@" >/dev/null 2>&1 ||
		e2e_fail "banditorectl $*"
}
key() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$KEYS/$1"; }
as() {
	curl -s -m 15 -X POST -H "Authorization: Bearer $(cat "$KEYS/$1")" \
		-H 'Content-Type: application/json' --data-binary "$3" "$INGEST_URL$2"
}
# publish SAMPLE NAME: the sample, with this run's identifiers and valid
# until tomorrow, swapped in as NAME in fake-cap's folder.
TOMORROW=$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%S+00:00)
publish() {
	sed -e "s/IT-PIEM-2026-1203-/IT-PIEM-$R-/g" -e "s/IT-LOMB-2026-1203-/IT-LOMB-$R-/g" \
		-e "s/2026-12-04T00:00:00+01:00/$TOMORROW/g" "$SAMPLES/$1" >"$FAKE_CAP_DIR/.$2.tmp"
	mv "$FAKE_CAP_DIR/.$2.tmp" "$FAKE_CAP_DIR/$2"
}
notices() { psql_q "SELECT count(*) FROM notices WHERE comune_id = '$1' ${2:+AND $2}"; }
metric() {
	curl -s -m 5 "$FEEDS_URL/metrics" | awk -v m="$1" '$1 == m {print $2}'
}
cap_stat() { curl -s -m 5 "$FAKE_CAP_URL/_fake/stats" | jq -r ".$1"; }

step "comune A in the Turin plain, comune B in Liguria; A has a subscriber and an approver"
ctl comune add "$A" "Comune Cento A"
ctl comune add "$B" "Comune Cento B"
# A lets one approver send an urgent notice alone: its drafts are submitted
# at once (without that, an editor submits them first: see the Atom step).
ctl comune set "$A" --centroid 45.0703,7.6869 --cap-geocodes "IT-TEST-$R" --allow-single-urgent yes
ctl comune set "$B" --centroid 44.4056,8.9463 --cap-geocodes "IT-LIG-B,EMMA_ID=IT-LIG-C"
ctl channel add --comune "$A" --kind whatsapp --sender 100000000010001 \
	--token-ref "file:$BND_SECRETS_DIR/wa-token" --app-secret-ref "file:$BND_SECRETS_DIR/wa-app-secret" \
	--welcome "Benvenuto." --goodbye "Arrivederci."
key approver
ctl staff add --comune "$A" --name sindaco-100 --whatsapp +393441000099
ctl apikey add --comune "$A" --name sindaco-100 --role approver --key-file "$KEYS/approver"
ch=$(psql_q "SELECT id FROM channels WHERE sender_account = '100000000010001'")
psql_q "INSERT INTO subscribers (channel_id, address, status) VALUES ($ch, '+393441000001', 'active')" >/dev/null
psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id IN ('$A', '$B')" >/dev/null
wait_until 30 "ingest knows the approver's key" \
	'[ "$(curl -s -o /dev/null -w "%{http_code}" -m 5 -H "Authorization: Bearer $(cat "$KEYS/approver")" "$INGEST_URL/api/v1/notices")" = 200 ]'

step "feeds: a Test alert, malformed XML, a server that hangs, a neighbouring region, the warning"
publish test-status.xml "test-$R.xml"
publish malformed.xml "bad-$R.xml"
publish neighbour.xml "other-$R.xml"
publish orange-alert.xml "hang-$R.xml"
touch "$FAKE_CAP_DIR/hang-$R.xml.hang"
for f in test bad other hang warn; do
	ctl feed add "$FAKE_CAP_URL/$f-$R.xml" --interval 1 --comuni "$A,$B" --min-severity Severe
done
assert_eq "$(BND_PG_DSN=$BND_PG_DSN "$BND_BIN_DIR/banditorectl" feed list -o json |
	jq --arg u "$FAKE_CAP_URL/warn-$R.xml" '[.[] | select(.url == $u)][0].comuni')" "\"$A,$B\"" "feed list shows the feed"
wait_until 15 "the Test alert was read and not drafted" \
	"[ \"\$(psql_q \"SELECT outcome FROM cap_alerts WHERE identifier = 'IT-PIEM-$R-T001'\")\" = 'not_actual (Test)' ]"
wait_until 15 "the malformed document was logged" "grep -q 'feeds.invalid.*bad-$R.xml' '$BND_LOGS_DIR/feeds.log'"
wait_until 15 "the hung feed was asked" '[ "$(cap_stat hung)" -ge 1 ]'
wait_until 15 "the neighbouring region's alert was read" \
	"[ -n \"\$(psql_q \"SELECT 1 FROM cap_alerts WHERE identifier = 'IT-LOMB-$R-0042'\")\" ]"

step "the orange warning is published: a draft urgent notice in A only, its approver alerted, within 5 s"
staff_alerts() {
	fake_messages_to 393441000099 | jq --arg t "Da approvare: $1" \
		'[.[] | select(.type == "template" and .params[0] == $t)] | length'
}
t0=$(date +%s%3N)
publish orange-alert.xml "warn-$R.xml"
wait_eq 5 "A has a submitted urgent draft" 1 notices "$A" "status = 'submitted' AND urgent"
echo "   drafted and submitted $(($(date +%s%3N) - t0)) ms after the feed changed"
wait_eq 5 "A's approver alerted on WhatsApp" 1 staff_alerts "Allerta arancione: Temporali"
echo "   approver alerted $(($(date +%s%3N) - t0)) ms after the feed changed"
assert_eq "$(notices "$B")" 0 "B has none"
first=$(psql_q "SELECT id FROM notices WHERE comune_id = '$A' AND status = 'submitted'")
assert_eq "$(psql_q "SELECT title FROM notices WHERE id = '$first'")" "Allerta arancione: Temporali" "title"
body=$(psql_q "SELECT body FROM notices WHERE id = '$first'")
assert_contains "$body" "Zone interessate: Pianura torinese." "the area that concerns A"
assert_contains "$body" "Cosa fare: Evitare sottopassi e argini dei fiumi." "the instruction, in Italian"
assert_contains "$body" "(ora italiana)" "the period in Italian time"
assert_eq "$(psql_q "SELECT topics::text || ' ' || category || ' ' || link FROM notices WHERE id = '$first'")" \
	"{protezione-civile} civil_protection https://allerta.arpa.piemonte.example/bollettino" "topic, category, link"
assert_eq "$(metric bnd_feeds_not_actual_total)" 1 "the Test alert counted"
[ "$(metric bnd_feeds_invalid_total)" -ge 1 ] || e2e_fail "the malformed document is not counted"

step "the same alert again: 304s, new bytes, a feeds restart, a second feed on a second instance"
n304=$(cap_stat not_modified)
wait_until 10 "the unchanged feed is answered 304" "[ \"\$(cap_stat not_modified)\" -gt $n304 ]"
{ cat "$FAKE_CAP_DIR/warn-$R.xml"; echo "<!-- the same alert, other bytes -->"; } >"$FAKE_CAP_DIR/.w.tmp"
mv "$FAKE_CAP_DIR/.w.tmp" "$FAKE_CAP_DIR/warn-$R.xml"
"$E2E_ROOT/scripts/stack.sh" stop feeds >/dev/null 2>&1
psql_q "UPDATE feeds SET etag = '', last_modified = ''" >/dev/null
"$E2E_ROOT/scripts/stack.sh" start feeds >/dev/null 2>&1 || e2e_fail "feeds did not start again"
# A second instance, and the same alert on a feed of its own.
mapfile -t env2 < <("$E2E_ROOT/scripts/stack.sh" svc-env feeds)
port2=$(( FEEDS_PORT + 100 ))
(cd "$E2E_ROOT" && exec setsid env "${env2[@]}" BND_HTTP_PORT=$port2 BND_INSTANCE_NAME="second-$R" \
	"$BND_BIN_DIR/banditore-feeds") >>"$BND_LOGS_DIR/feeds-second.log" 2>&1 </dev/null &
pid2=$!
trap 'kill "$pid2" 2>/dev/null || true' EXIT
wait_until 30 "the second instance is ready" "curl -sf -m 2 http://127.0.0.1:$port2/readyz"
cp "$FAKE_CAP_DIR/warn-$R.xml" "$FAKE_CAP_DIR/.w2.tmp" && mv "$FAKE_CAP_DIR/.w2.tmp" "$FAKE_CAP_DIR/warn2-$R.xml"
ctl feed add "$FAKE_CAP_URL/warn2-$R.xml" --interval 1 --comuni "$A,$B" --min-severity Severe
wait_until 15 "both feeds of the alert read since" \
	"[ \"\$(psql_q \"SELECT count(*) FROM feeds WHERE url LIKE '%/warn%-$R.xml' AND etag <> ''\")\" = 2 ]"
echo "   feeds held by $(psql_q "SELECT count(DISTINCT claimed_by) FROM feeds") instance(s)"
assert_eq "$(psql_q "SELECT count(*) FROM cap_alerts WHERE identifier = 'IT-PIEM-$R-0001'")" 1 "the alert recorded once"
assert_eq "$(notices "$A")" 1 "still one draft in A"
kill "$pid2"
wait_until 20 "the second instance stopped" "! kill -0 $pid2"
trap - EXIT
warn2=$(psql_q "SELECT id FROM feeds WHERE url = '$FAKE_CAP_URL/warn2-$R.xml'")
ctl feed remove "$warn2"
assert_eq "$(psql_q "SELECT count(*) FROM feeds WHERE id = $warn2")" 0 "feed remove"

step "an Update revises the pending draft"
publish orange-update.xml "warn-$R.xml"
wait_eq 5 "the first draft withdrawn" cancelled psql_q "SELECT status FROM notices WHERE id = '$first'"
wait_eq 5 "a revised draft submitted" 1 notices "$A" "status = 'submitted'"
revised=$(psql_q "SELECT id FROM notices WHERE comune_id = '$A' AND status = 'submitted'")
assert_contains "$(psql_q "SELECT body FROM notices WHERE id = '$revised'")" \
	"Cosa fare: Aggiornamento: evitare sottopassi, argini e parchi" "the revised instruction"
assert_eq "$(notices "$B")" 0 "B still has none"

step "one approver of A approves it: the subscriber receives it"
assert_eq "$(as approver "/api/v1/notices/$revised/approve" '{}' | jq -r .status)" approved "approved by one person"
wait_eq 30 "the subscriber got the warning" 1 eval \
	"fake_messages_to 393441000001 | jq '[.[] | select(.type == \"template\" and .params[0] == \"Allerta arancione: Temporali\")] | length'"
wait_eq 30 "the notice is sent" sent psql_q "SELECT status FROM notices WHERE id = '$revised'"

step "a Cancel drafts the closing message"
publish orange-cancel.xml "warn-$R.xml"
wait_eq 5 "an 'allerta cessata' draft submitted" 1 notices "$A" \
	"status = 'submitted' AND title = 'Allerta cessata: Temporali'"
wait_eq 5 "A's approver alerted of it" 1 staff_alerts "Allerta cessata: Temporali"
assert_contains "$(psql_q "SELECT body FROM notices WHERE comune_id = '$A' AND status = 'submitted'")" \
	"è stata revocata (Arpa Piemonte)." "the closing text"
assert_eq "$(notices "$B")" 0 "B never got a draft"
assert_eq "$(notices "$A")" 3 "A: the first draft, its revision, the closing"

step "a warning that expires: approved and sent, then closed with an 'allerta cessata'"
EXP=$(date -u -d '+10 sec' +%Y-%m-%dT%H:%M:%S+00:00)
sed -e "s/IT-PIEM-2026-1203-0001/IT-PIEM-$R-0009/" -e "s/2026-12-04T00:00:00+01:00/$EXP/g" \
	"$SAMPLES/orange-alert.xml" >"$FAKE_CAP_DIR/.exp.tmp"
mv "$FAKE_CAP_DIR/.exp.tmp" "$FAKE_CAP_DIR/exp-$R.xml"
ctl feed add "$FAKE_CAP_URL/exp-$R.xml" --interval 1 --comuni "$A" --min-severity Severe
draft_of() {
	psql_q "SELECT d.notice_id FROM cap_drafts d JOIN cap_alerts a ON a.id = d.alert_id
	        WHERE a.identifier = '$1' AND d.kind = 'alert'"
}
wait_until 5 "drafted" "[ -n \"\$(draft_of IT-PIEM-$R-0009)\" ]"
exp_id=$(draft_of "IT-PIEM-$R-0009")
wait_eq 5 "submitted" submitted psql_q "SELECT status FROM notices WHERE id = '$exp_id'"
assert_eq "$(as approver "/api/v1/notices/$exp_id/approve" '{}' | jq -r .status)" approved "approved"
wait_eq 30 "sent" sent psql_q "SELECT status FROM notices WHERE id = '$exp_id'"
wait_eq 30 "at its expiry, an 'allerta cessata' draft" 1 notices "$A" \
	"status = 'submitted' AND body = 'L''allerta arancione per Temporali è terminata.'"

step "an Atom feed (as MeteoAlarm publishes): its entries' CAP alerts are read"
sed -e "s/IT-PIEM-2026-1203-0001/IT-PIEM-$R-A001/" -e "s/2026-12-04T00:00:00+01:00/$TOMORROW/g" \
	"$SAMPLES/orange-alert.xml" >"$FAKE_CAP_DIR/entry-$R.xml"
sed -e "s|href=\"orange-alert.xml\"|href=\"entry-$R.xml\"|" \
	"$SAMPLES/atom.xml" | awk 'BEGIN{n=0} /<entry>/{n++} n<2 || /<\/feed>/' >"$FAKE_CAP_DIR/.atom.tmp"
mv "$FAKE_CAP_DIR/.atom.tmp" "$FAKE_CAP_DIR/atom-$R.xml"
ctl comune set "$A" --allow-single-urgent no
ctl feed add "$FAKE_CAP_URL/atom-$R.xml" --interval 1 --comuni "$A" --min-severity Severe
wait_until 5 "the entry's alert drafted in A" "[ -n \"\$(draft_of IT-PIEM-$R-A001)\" ]"
atom_id=$(draft_of "IT-PIEM-$R-A001")
wait_eq 5 "A no longer allows one person alone: the draft waits for an editor" draft \
	psql_q "SELECT status FROM notices WHERE id = '$atom_id'"
assert_eq "$(as approver "/api/v1/notices/$atom_id/approve" '{}' | jq -r .error)" conflict \
	"an approver cannot approve it before an editor submits it"
ctl comune set "$A" --allow-single-urgent yes
assert_contains "$(BND_PG_DSN=$BND_PG_DSN "$BND_BIN_DIR/banditorectl" feed list -o json |
	jq -r --arg u "$FAKE_CAP_URL/atom-$R.xml" '.[] | select(.url == $u) | .last_status')" \
	"Atom feed, 1 entries" "the feed's status"

step "an Update down to yellow (below the feed's threshold) withdraws the pending draft"
sed -e "s/IT-PIEM-2026-1203-0001/IT-PIEM-$R-D001/" -e "s/2026-12-04T00:00:00+01:00/$TOMORROW/g" \
	"$SAMPLES/orange-alert.xml" >"$FAKE_CAP_DIR/.down.tmp"
mv "$FAKE_CAP_DIR/.down.tmp" "$FAKE_CAP_DIR/down-$R.xml"
ctl feed add "$FAKE_CAP_URL/down-$R.xml" --interval 1 --comuni "$A" --min-severity Severe
wait_until 5 "drafted" "[ -n \"\$(draft_of IT-PIEM-$R-D001)\" ]"
down_id=$(draft_of "IT-PIEM-$R-D001")
sed -e "s/IT-PIEM-2026-1203-0002/IT-PIEM-$R-D002/" -e "s/IT-PIEM-2026-1203-0001/IT-PIEM-$R-D001/" \
	-e "s/2026-12-04T00:00:00+01:00/$TOMORROW/g" -e "s/<severity>Severe</<severity>Moderate</" \
	-e "s/3; orange; Severe/2; yellow; Moderate/" "$SAMPLES/orange-update.xml" >"$FAKE_CAP_DIR/.down.tmp"
mv "$FAKE_CAP_DIR/.down.tmp" "$FAKE_CAP_DIR/down-$R.xml"
wait_eq 5 "the draft withdrawn" cancelled psql_q "SELECT status FROM notices WHERE id = '$down_id'"
assert_eq "$(psql_q "SELECT count(*) FROM cap_drafts d JOIN cap_alerts a ON a.id = d.alert_id
                     WHERE a.identifier = 'IT-PIEM-$R-D002'")" 0 "nothing drafted from the yellow update"

step "the hung feed: given up after BND_FEED_TIMEOUT_MS, logged and counted, and nothing else held up"
wait_until 20 "its timeout logged" "grep -q 'feeds.fetch_failed.*hang-$R.xml.*[Tt]imeout' '$BND_LOGS_DIR/feeds.log'"
wait_until 20 "and counted" '[ "$(metric bnd_feeds_fetch_failed_total)" -ge 1 ]'
assert_contains "$(psql_q "SELECT last_status FROM feeds WHERE url = '$FAKE_CAP_URL/hang-$R.xml'")" \
	"failed:" "the feed's status says so"
e2e_done
