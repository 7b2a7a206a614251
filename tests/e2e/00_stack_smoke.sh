#!/usr/bin/env bash
# The stack the other tests rely on is whole: every service ready, the
# schema migrated, every topic there, the demo comune configured.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

step "every service answers its readiness probe"
assert_status 200 "$FAKE_WA_URL/_fake/stats"
for url in "$INGEST_URL" "$SUBSCRIPTIONS_URL" "$COMPOSER_URL" "$DISPATCHER_URL"; do
	assert_status 200 "$url/readyz"
	assert_status 200 "$url/healthz"
done

step "migrations applied"
assert_eq "$(psql_q "SELECT string_agg(version, ',' ORDER BY version) FROM schema_migrations")" \
	"$(cd "$E2E_ROOT/db/migrations" && printf "%s\n" *.sql | sed "s/\.sql$//" | paste -sd,)" \
	"schema_migrations lists every file of db/migrations"

step "topics created with the stack's prefix"
topics=$("$BND_BIN_DIR/banditorectl" topics --list)
for t in citizen.messages delivery.status notice.events consent.changes delivery.jobs \
	delivery.jobs.urgent delivery.dead delivery.outcomes; do
	assert_eq "$(awk -v t="$BND_TOPIC_PREFIX$t" '$1 == t {print $2}' <<<"$topics")" 4 \
		"$BND_TOPIC_PREFIX$t has 4 partitions"
done

step "demo comune, channel and keys"
assert_eq "$(psql_q "SELECT count(*) FROM channels WHERE comune_id = '$DEMO_COMUNE'
                     AND kind = 'whatsapp' AND sender_account = '$DEMO_SENDER'")" 1 "demo WhatsApp channel"
assert_eq "$(psql_q "SELECT count(*) FROM api_keys WHERE comune_id = '$DEMO_COMUNE'
                     AND key_sha256 = '$(printf %s "$DEMO_API_KEY" | sha256sum | cut -d' ' -f1)'")" 1 \
	"demo API key stored as its SHA-256"
assert_contains "$(psql_q "SELECT welcome_text FROM channels WHERE sender_account = '$DEMO_SENDER'")" \
	DISATTIVA "welcome text says how to leave"

e2e_done
