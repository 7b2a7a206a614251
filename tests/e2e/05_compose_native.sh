#!/usr/bin/env bash
# docker-compose.yml, run as Docker would run it but natively (no Docker
# engine here): `docker-compose config` validates and normalises the file,
# tests/deploy/compose_native.py starts every service with exactly the
# command and environment the file declares (and the image's ENV from the
# Dockerfile's demo target), service hostnames mapped to 127.0.0.1 and
# free ports; the test stack's Kafka and PostgreSQL stand in for the kafka
# and postgres services (a fresh database and a topic prefix of its own).
# Then README.md's "Try it by hand" flow, with the values the README gives
# for compose: a citizen joins with ATTIVA through the fake WhatsApp, a
# Telegram chat opens the bot, an editor writes a notice, an approver
# approves it (four eyes), every subscriber receives it (WhatsApp as the
# approved template, Telegram and its public channel); the web form's
# confirmation template; DISATTIVA; the consent ledger.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
command -v docker-compose >/dev/null || e2e_fail "docker-compose is not installed (scripts/setup.sh)"
"$PY" -c 'import yaml' 2>/dev/null || e2e_fail "$PY has no yaml module (python3-yaml; scripts/setup.sh)"

STATE="$BND_STATE_DIR/compose-native"
DB="compose_$$"
PREFIX="c$$."
rm -rf "$STATE"
mkdir -p "$STATE"
DSN="postgresql://banditore@127.0.0.1:$BND_PG_PORT/$DB"

cleanup() {
	"$PY" "$E2E_ROOT/tests/deploy/compose_native.py" down --state "$STATE" || true
	psql -X -q "$BND_PG_ADMIN_DSN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

step "docker-compose config accepts the file"
(cd "$E2E_ROOT" && docker-compose -f docker-compose.yml config) >"$STATE/compose.yml" ||
	e2e_fail "docker-compose config refused docker-compose.yml"
assert_eq "$(jq -r '[.services[] | select(.build != null)] | length' \
	< <("$PY" -c 'import json,sys,yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)' <"$STATE/compose.yml"))" \
	1 "the image is built by one service only"
assert_eq "$("$PY" -c 'import sys,yaml; s=yaml.safe_load(sys.stdin)["services"]
print(sorted({v["image"] for k, v in s.items() if k not in ("kafka", "postgres")}))' <"$STATE/compose.yml")" \
	"['banditore-demo:local']" "every Banditore service runs that one image"

step "the services start natively as the file declares them"
psql -X -q -v ON_ERROR_STOP=1 "$BND_PG_ADMIN_DSN" -c "CREATE DATABASE $DB OWNER banditore" >/dev/null
"$PY" "$E2E_ROOT/tests/deploy/compose_native.py" up --config "$STATE/compose.yml" \
	--dockerfile "$E2E_ROOT/Dockerfile" --state "$STATE" --bin "$BND_BIN_DIR" \
	--provide "kafka=127.0.0.1:$BND_KAFKA_PORT" --provide "postgres=127.0.0.1:$BND_PG_PORT" \
	--pg-db "$DB" --env "BND_TOPIC_PREFIX=$PREFIX" ||
	{ tail -n 30 "$STATE"/setup.log >&2 || true; e2e_fail "the compose services did not start"; }

# port SERVICE CONTAINER_PORT: the local port standing for it.
port() { awk -v s="$1" -v p="$2" '$1 == s && $2 == p {print $3}' "$STATE/ports"; }
for probe in "fake-whatsapp 9000 /_fake/stats" "fake-telegram 9001 /_fake/stats" \
	"ingest 8090 /readyz" "subscriptions 8081 /readyz" "composer 8082 /readyz" \
	"dispatcher 8083 /readyz"; do
	read -r svc p path <<<"$probe"
	[ -n "$(port "$svc" "$p")" ] || e2e_fail "no port mapped for $svc:$p"
	wait_until 60 "$svc ready" curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$(port "$svc" "$p")$path"
done
assert_eq "$(psql -X -At "$DSN" -c "SELECT count(*) FROM channels WHERE comune_id = 'demo'")" 2 \
	"setup made the demo comune's WhatsApp and Telegram channels"
assert_contains "$(curl -s "http://127.0.0.1:$(port ingest 8090)/metrics")" "# TYPE" \
	"ingest's metrics on its health port"
# As scripts/test.sh does for the test stack: no quiet hours, the test runs at any hour.
psql -X -q "$DSN" -c "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00'" >/dev/null

step "the README's values for compose"
exports=$(grep -m1 '^export INGEST_URL=http://localhost:8080' "$E2E_ROOT/README.md") ||
	e2e_fail "README.md gives no export line for compose"
eval "$exports"
# What the Docker host reaches on a published port, here on its local stand-in.
localize() { sed -E "s#localhost:8080#127.0.0.1:$(port ingest 8080)#; s#localhost:9000#127.0.0.1:$(port fake-whatsapp 9000)#; s#localhost:9001#127.0.0.1:$(port fake-telegram 9001)#" <<<"$1"; }
INGEST_URL=$(localize "$INGEST_URL")
FAKE_WA_URL=$(localize "$FAKE_WA_URL")
FAKE_TG_URL=$(localize "$FAKE_TG_URL")
DEMO_SENDER=100000000000001
BND_PG_DSN=$DSN
assert_eq "$(http_status "$INGEST_URL/readyz")" 200 "INGEST_URL reaches ingest"

CIT=393331234567 FORMCIT=393337654321 CHAT=555000111

step "a citizen sends ATTIVA on WhatsApp and gets the welcome"
assert_eq "$(curl -s -X POST "$FAKE_WA_URL/_fake/inbound" \
	-d "{\"phone_number_id\":\"$DEMO_SENDER\",\"from\":\"$CIT\",\"text\":\"ATTIVA\"}" | jq -r .status)" \
	200 "ingest took the signed webhook"
wait_eq 30 "the welcome message" 1 fake_count_to "$CIT" text
assert_contains "$(fake_messages_to "$CIT" | jq -r '.[0].text')" DISATTIVA "the welcome says how to leave"

step "a Telegram chat opens the bot for the acqua topic"
assert_eq "$(curl -s -X POST "$FAKE_TG_URL/_fake/update" \
	-d "{\"chat_id\":$CHAT,\"text\":\"/start acqua\"}" | jq -r .status)" 200 "ingest took the update"
wait_eq 30 "the bot's welcome" 1 fake_tg_count_to "$CHAT"

step "an editor writes a notice, a colleague approves it, everyone gets it"
id=$(curl -s -X POST "$INGEST_URL/api/v1/notices" -H "Authorization: Bearer $DEMO_API_KEY" \
	-d '{"title":"Acqua sospesa","body":"Domani dalle 8 alle 14 in via Roma."}' | jq -r .id)
[ -n "$id" ] && [ "$id" != null ] || e2e_fail "the editor's key could not create a notice"
wait_until 30 "the notice is stored" \
	"[ \"\$(http_status -H 'Authorization: Bearer $DEMO_API_KEY' '$INGEST_URL/api/v1/notices/$id')\" = 200 ]"
assert_eq "$(http_status -X POST "$INGEST_URL/api/v1/notices/$id/submit" \
	-H "Authorization: Bearer $DEMO_API_KEY")" 202 "the editor submits it"
assert_eq "$(http_status -X POST "$INGEST_URL/api/v1/notices/$id/approve" \
	-H "Authorization: Bearer $DEMO_API_KEY")" 403 "the editor cannot approve it (four eyes)"
assert_eq "$(http_status -X POST "$INGEST_URL/api/v1/notices/$id/approve" \
	-H "Authorization: Bearer $DEMO_APPROVER_KEY")" 202 "the approver approves it"
wait_eq 60 "the citizen received the notice" 1 fake_templates_to "$CIT" avviso_comune
tpl=$(fake_messages_to "$CIT" | jq -c '[.[] | select(.type == "template")][0]')
assert_eq "$(jq -r '.params | length' <<<"$tpl")" 3 "as the approved template, with its three parameters"
assert_eq "$(jq -r '.params[0]' <<<"$tpl")" "Acqua sospesa" "the title first"
wait_eq 30 "the Telegram chat received it" 2 fake_tg_count_to "$CHAT"
wait_eq 30 "the public channel received it once" 1 fake_tg_count_to @comunedemo
assert_eq "$(http_status "$INGEST_URL/api/v1/notices/$id/stats" -H "Authorization: Bearer $DEMO_API_KEY")" \
	200 "its statistics"
assert_contains "$(curl -s "$INGEST_URL/c/demo/avvisi")" "Acqua sospesa" "the public archive shows it"

step "the demo's console logins (setup: staff add --if-missing)"
for who in "redazione DEMO_EDITOR_PASSWORD editor" "sindaco DEMO_APPROVER_PASSWORD approver"; do
	read -r login var role <<<"$who"
	pw=$("$PY" -c 'import sys,yaml; print(yaml.safe_load(sys.stdin)["services"]["setup"]["environment"][sys.argv[1]])' \
		"$var" <"$STATE/compose.yml")
	assert_eq "$(curl -s -X POST "$INGEST_URL/console/api/login" \
		-d "$(jq -nc --arg l "$login" --arg p "$pw" '{comune: "demo", login: $l, password: $p}')" | jq -r .role)" \
		"$role" "$login logs in with the password of the compose file"
done

step "the web form's double opt-in"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$INGEST_URL/c/demo/iscrizione" \
	-H 'Content-Type: application/json' -d '{"phone":"333 765 4321","topics":["acqua"],"privacy":true}')
assert_eq "$code" 202 "the form takes the sign-up"
wait_eq 30 "the confirmation template" 1 fake_templates_to "$FORMCIT" conferma_iscrizione

step "DISATTIVA and the consent ledger"
curl -s -X POST "$FAKE_WA_URL/_fake/inbound" \
	-d "{\"phone_number_id\":\"$DEMO_SENDER\",\"from\":\"$CIT\",\"text\":\"DISATTIVA\"}" >/dev/null
wait_eq 30 "the goodbye" 2 fake_count_to "$CIT" text
assert_eq "$(psql -X -At "$BND_PG_DSN" -c "SELECT string_agg(action, ',' ORDER BY id) FROM consent_events
	WHERE subscriber_id IN (SELECT id FROM subscribers WHERE address = '+$CIT')")" \
	"subscribe,unsubscribe" "the ledger holds the citizen's consent history"

e2e_done
