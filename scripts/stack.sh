#!/usr/bin/env bash
# The local stack: a private PostgreSQL, a single-node Kafka (KRaft), the
# fake WhatsApp and Telegram providers, a fake CAP feed server (serving
# <state>/fake-cap) and the five services, all on
# 127.0.0.1, all state under one project-local folder. A development and
# test stack: trust auth, fsync off, secrets in plain files.
#
#   scripts/stack.sh up [--demo] [--infra]   start what is not running
#                                            (--demo: comuni demo and prova, channels,
#                                             topics, API keys;
#                                             --infra: PostgreSQL and Kafka only)
#   scripts/stack.sh down                    stop everything
#   scripts/stack.sh stop COMPONENT...       stop parts (postgres kafka fake-whatsapp
#                                            fake-telegram fake-cap ingest subscriptions
#                                            composer dispatcher feeds)
#   scripts/stack.sh start COMPONENT...      start parts again and wait until ready
#   scripts/stack.sh svc-env SERVICE         a service's environment, one VAR=value a line
#                                            (to run its binary by hand)
#   scripts/stack.sh status                  what runs (exit 3 if something does not)
#   scripts/stack.sh env                     export lines: eval "$(scripts/stack.sh env)"
#   scripts/stack.sh hint                    how to try it by hand
#   scripts/stack.sh logs SERVICE [-f]       a log (postgres kafka fake-whatsapp
#                                            fake-telegram fake-cap ingest subscriptions
#                                            composer dispatcher feeds)
#
# Settings (environment):
#   BND_STATE_DIR    state folder (default .local/stack; relative to the project)
#   BND_PORT_BASE    ports: postgres +1, kafka +2, controller +3, fake-whatsapp +4,
#                    ingest +5, subscriptions +6, composer +7, dispatcher +8,
#                    fake-telegram +9, ingest's health and metrics +10, feeds +11,
#                    fake-cap +12, kafka's SASL_SSL listener +13 (default 17400)
#   BND_TOPIC_PREFIX prefix of every topic name (default empty)
#   BND_BIN_DIR      binaries (default build/bin; build-san/bin for sanitizer builds)
#   BND_UP_TIMEOUT   seconds a service may take to become ready (default 60)
#   BND_KAFKA_NODES  1 (default) or 3 Kafka nodes (ports +14..+19; topics with
#                    replication factor 3, min.insync.replicas 2: make test-cluster)
#   BND_STACK_KAFKA_BROKERS  the brokers the services are given (default the
#                    plaintext listener; with BND_KAFKA_PROP_* set as well,
#                    e.g. the SASL_SSL one: e2e 06_kafka_sasl_ssl)
# `up` records the port base and the prefix in <state>/stack.conf; later
# commands on the same state folder use them unless the environment says
# otherwise (BND_BIN_DIR is not recorded: each `up` says where binaries are).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/util.sh
. "$ROOT/scripts/lib/util.sh"
# shellcheck source=scripts/lib/pg.sh
. "$ROOT/scripts/lib/pg.sh"
# shellcheck source=scripts/lib/kafka.sh
. "$ROOT/scripts/lib/kafka.sh"
# shellcheck source=scripts/lib/services.sh
. "$ROOT/scripts/lib/services.sh"

DEMO_COMUNE=demo
DEMO_COMUNE_NAME="Comune di Demo"
DEMO_SENDER=100000000000001
DEMO_TG_BOT=7000000001
DEMO_TG_CHANNEL=@comunedemo
DEMO2_COMUNE=prova
DEMO2_COMUNE_NAME="Comune di Prova"
DEMO2_SENDER=100000000000002

# abspath P: P made absolute against the project folder.
abspath() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$ROOT/$1" ;; esac; }

# load_config: settings from the environment, else from <state>/stack.conf,
# else the defaults; then every derived path and port.
load_config() {
	local conf
	STATE=$(abspath "${BND_STATE_DIR:-.local/stack}")
	conf="$STATE/stack.conf"
	SAVED_BASE="" SAVED_PREFIX="" SAVED_NODES=""
	if [ -f "$conf" ]; then
		SAVED_BASE=$(sed -n 's/^base=//p' "$conf")
		SAVED_PREFIX=$(sed -n 's/^prefix=//p' "$conf")
		SAVED_NODES=$(sed -n 's/^kafka_nodes=//p' "$conf")
	fi
	KAFKA_NODES=${BND_KAFKA_NODES:-${SAVED_NODES:-1}}
	case $KAFKA_NODES in 1 | 3) ;; *) die "BND_KAFKA_NODES must be 1 or 3 (got '$KAFKA_NODES')" ;; esac
	BASE=${BND_PORT_BASE:-${SAVED_BASE:-17400}}
	if [ -n "${BND_TOPIC_PREFIX+set}" ]; then PREFIX=$BND_TOPIC_PREFIX; else PREFIX=$SAVED_PREFIX; fi
	BIN=$(abspath "${BND_BIN_DIR:-build/bin}")
	case $BASE in '' | *[!0-9]*) die "BND_PORT_BASE must be a number (got '$BASE')" ;; esac
	if [ "$BASE" -lt 1024 ] || [ "$BASE" -gt 65500 ]; then
		die "BND_PORT_BASE must be from 1024 to 65500"
	fi
	PG_PORT=$((BASE + 1))
	KAFKA_PORT=$((BASE + 2))
	KAFKA_CTRL_PORT=$((BASE + 3))
	FAKE_WA_PORT=$((BASE + 4))
	INGEST_PORT=$((BASE + 5))
	SUBSCRIPTIONS_PORT=$((BASE + 6))
	COMPOSER_PORT=$((BASE + 7))
	DISPATCHER_PORT=$((BASE + 8))
	FAKE_TG_PORT=$((BASE + 9))
	INGEST_HEALTH_PORT=$((BASE + 10))
	FEEDS_PORT=$((BASE + 11))
	FAKE_CAP_PORT=$((BASE + 12))
	KAFKA_SASL_PORT=$((BASE + 13))
	KAFKA_BOOTSTRAP=$(kafka_bootstrap)
	PG_DSN="postgresql://banditore@127.0.0.1:$PG_PORT/banditore"
	LOGS="$STATE/logs"
	RUN="$STATE/run"
	SECRETS="$STATE/secrets"
}

save_config() {
	printf 'base=%s\nprefix=%s\nkafka_nodes=%s\n' "$BASE" "$PREFIX" "$KAFKA_NODES" >"$STATE/stack.conf"
}

# any_running: true if any part of the stack in $STATE runs.
any_running() {
	local s
	pg_running && return 0
	kafka_any_running && return 0
	for s in "${FAKES[@]}" "${SERVICES[@]}"; do svc_running "$s" && return 0; done
	return 1
}

# ctl ARGS...: banditorectl against this stack.
ctl() {
	BND_PG_DSN=$PG_DSN BND_KAFKA_BROKERS="$KAFKA_BOOTSTRAP" BND_TOPIC_PREFIX=$PREFIX \
		BND_MIGRATIONS_DIR="$ROOT/db/migrations" BND_LOG_LEVEL=warn "$BIN/banditorectl" "$@"
}

# make_secrets: random secrets, made once per state folder. The Telegram
# bot token is "<bot id>:<secret>" as BotFather gives it.
make_secrets() {
	local f
	mkdir -p "$SECRETS"
	chmod 700 "$SECRETS"
	for f in wa-token wa-app-secret wa-verify-token editor-key approver-key \
		tg-token tg-secret-token prova-editor-key prova-approver-key key-hash-secret \
		editor-password approver-password; do
		[ -s "$SECRETS/$f" ] && continue
		(
			umask 077
			{
				[ "$f" != tg-token ] || printf '%s:' "$DEMO_TG_BOT"
				head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
			} >"$SECRETS/$f"
		)
	done
}

# demo_texts: the demo channels' welcome and goodbye messages, the comune's contacts.
demo_texts() {
	WELCOME="Benvenuto nel servizio WhatsApp del $DEMO_COMUNE_NAME! \
Da ora riceverai qui gli avvisi del Comune: interruzioni di acqua e luce, strade chiuse, \
raccolta dei rifiuti, allerte meteo e di protezione civile, scadenze ed eventi. \
Per non ricevere più messaggi scrivi DISATTIVA. \
Questo numero invia solo avvisi e non risponde a messaggi né a chiamate: \
per informazioni e segnalazioni contatta gli uffici del Comune. \
L'informativa sulla privacy è sul sito del Comune."
	GOODBYE="Hai annullato l'iscrizione agli avvisi WhatsApp del $DEMO_COMUNE_NAME: \
non riceverai più messaggi da questo numero. \
Se cambi idea, scrivi ATTIVA per iscriverti di nuovo."
	TG_WELCOME="Benvenuto nel servizio Telegram del $DEMO_COMUNE_NAME! \
Da ora riceverai qui gli avvisi del Comune. Scrivi /temi per scegliere gli argomenti, \
/stop per non ricevere più messaggi, /aiuto per i comandi. \
Questo bot invia solo avvisi e non legge i messaggi. \
Gli avvisi sono pubblicati anche sul canale $DEMO_TG_CHANNEL."
	TG_GOODBYE="Hai annullato l'iscrizione agli avvisi Telegram del $DEMO_COMUNE_NAME: \
non riceverai più messaggi da questo bot. Se cambi idea, scrivi /start."
	CONTACT="Per informazioni e segnalazioni: Ufficio relazioni con il pubblico, \
tel. 0587 000000, urp@comune.demo.example."
	WELCOME2="Benvenuto nel servizio WhatsApp del $DEMO2_COMUNE_NAME! \
Riceverai qui gli avvisi del Comune. Per non ricevere più messaggi scrivi DISATTIVA."
	GOODBYE2="Hai annullato l'iscrizione agli avvisi del $DEMO2_COMUNE_NAME. \
Scrivi ATTIVA per iscriverti di nuovo."
}

# demo_keys COMUNE PREFIX [SUFFIX]: the comune's editor ("redazione") and
# approver ("sindaco") keys, names ending in SUFFIX, from the secrets
# PREFIXeditor-key and PREFIXapprover-key.
demo_keys() {
	ctl apikey add --comune "$1" --name "redazione${3:-}" --role editor \
		--key-file "$SECRETS/${2}editor-key" >/dev/null
	ctl apikey add --comune "$1" --name "sindaco${3:-}" --role approver \
		--key-file "$SECRETS/${2}approver-key" >/dev/null
}

# demo_staff COMUNE: the console accounts of the comune's editor (login
# "redazione", Anna Rossi) and approver ("sindaco", Marco Bianchi), with
# the passwords in the secrets editor-password and approver-password;
# left alone if they exist already.
demo_staff() {
	local a login name role
	for a in "redazione:Anna Rossi:editor" "sindaco:Marco Bianchi:approver"; do
		IFS=: read -r login name role <<<"$a"
		ctl staff list --comune "$1" | cut -f3 | grep -qx "$login" && continue
		ctl staff add --comune "$1" --login "$login" --name "$name" --role "$role" \
			--password-file "$SECRETS/$role-password" >/dev/null
	done
	say "demo: console logins of comune '$1': redazione (editor, password in" \
		"$SECRETS/editor-password) and sindaco (approver, $SECRETS/approver-password)"
}

# demo_data: comune demo (WhatsApp, Telegram bot and public channel,
# topics, contacts) and comune prova (WhatsApp), each with two API keys.
demo_data() {
	local d=$DEMO_COMUNE
	demo_texts
	say "demo: comune '$d' (WhatsApp $DEMO_SENDER, Telegram bot $DEMO_TG_BOT and" \
		"$DEMO_TG_CHANNEL, topics), comune '$DEMO2_COMUNE' (WhatsApp $DEMO2_SENDER), API keys"
	ctl comune add "$d" "$DEMO_COMUNE_NAME" >/dev/null
	ctl comune set "$d" --contact-text "$CONTACT" >/dev/null
	ctl channel add --comune "$d" --kind whatsapp --sender "$DEMO_SENDER" \
		--token-ref "file:$SECRETS/wa-token" --app-secret-ref "file:$SECRETS/wa-app-secret" \
		--welcome "$WELCOME" --goodbye "$GOODBYE" --confirm-template conferma_iscrizione:it >/dev/null
	ctl channel add --comune "$d" --kind telegram --sender "$DEMO_TG_BOT" \
		--token-ref "file:$SECRETS/tg-token" --app-secret-ref "file:$SECRETS/tg-secret-token" \
		--welcome "$TG_WELCOME" --goodbye "$TG_GOODBYE" --tg-public-channel "$DEMO_TG_CHANNEL" >/dev/null
	ctl topic add --comune "$d" viabilita "Viabilità" --keyword VIABILITA >/dev/null
	ctl topic add --comune "$d" acqua Acqua --keyword ACQUA >/dev/null
	ctl topic add --comune "$d" rifiuti Rifiuti --keyword RIFIUTI >/dev/null
	ctl topic add --comune "$d" protezione-civile "Protezione civile" --keyword ALLERTA >/dev/null
	demo_keys "$d" ""
	demo_staff "$d"
	ctl comune add "$DEMO2_COMUNE" "$DEMO2_COMUNE_NAME" >/dev/null
	ctl channel add --comune "$DEMO2_COMUNE" --kind whatsapp --sender "$DEMO2_SENDER" \
		--token-ref "file:$SECRETS/wa-token" --app-secret-ref "file:$SECRETS/wa-app-secret" \
		--welcome "$WELCOME2" --goodbye "$GOODBYE2" --confirm-template conferma_iscrizione:it >/dev/null
	demo_keys "$DEMO2_COMUNE" prova- -prova
}

# schema_and_topics: migrations, then the topics (retried: a broker that
# just started may refuse CreateTopics for a moment).
schema_and_topics() {
	local try
	ctl migrate || die "migrations failed"
	for try in 1 2 3 4 5; do
		if [ "$KAFKA_NODES" -eq 1 ]; then
			ctl topics --partitions 4 && return 0
		else
			ctl topics --partitions 4 --replication-factor 3 --min-insync-replicas 2 && return 0
		fi
		say "topics: attempt $try failed, retrying"
		sleep 1
	done
	die "could not create the topics"
}

# check_binaries INFRA: dies, before starting anything, if a binary is missing.
check_binaries() {
	local s missing=()
	[ -x "$BIN/banditorectl" ] || [ "$1" -eq 1 ] || missing+=("$BIN/banditorectl")
	if [ "$1" -eq 0 ]; then
		for s in "${FAKES[@]}" "${SERVICES[@]}"; do
			[ -x "$(svc_bin "$s")" ] || missing+=("$(svc_bin "$s")")
		done
	fi
	[ "${#missing[@]}" -eq 0 ] && return 0
	case $BIN in
	*build-san*) die "not built: ${missing[*]} (run make SAN=1 -j2 all)" ;;
	*) die "not built: ${missing[*]} (run make -j2 all)" ;;
	esac
}

cmd_up() {
	local demo=0 infra=0 t0 a
	for a in "$@"; do
		case $a in
		--demo) demo=1 ;;
		--infra) infra=1 ;;
		*) usage ;;
		esac
	done
	t0=$(now_ms)
	check_binaries "$infra"
	if [ -n "$SAVED_BASE" ] && [ "$SAVED_BASE" != "$BASE" ] && any_running; then
		die "the stack in $STATE runs with BND_PORT_BASE=$SAVED_BASE: stop it first"
	fi
	mkdir -p "$STATE" "$LOGS" "$RUN"
	save_config
	make_secrets
	pg_up
	kafka_up
	if [ -x "$BIN/banditorectl" ]; then
		schema_and_topics
		if [ "$demo" -eq 1 ]; then demo_data; fi
	elif [ "$infra" -eq 1 ]; then
		say "($BIN/banditorectl not built: no migrations, no topics)"
	else
		die "$BIN/banditorectl is missing: build first (make -j2 all)"
	fi
	if [ "$infra" -eq 0 ]; then
		for a in "${FAKES[@]}" "${SERVICES[@]}"; do svc_start "$a"; done
		svc_wait "${BND_UP_TIMEOUT:-60}" "${FAKES[@]}" "${SERVICES[@]}"
	fi
	say "up in $(($(now_ms) - t0))ms: state $STATE, ports $BASE+1..$((KAFKA_NODES == 1 ? 13 : 19))${PREFIX:+, topic prefix $PREFIX}"
}

cmd_down() {
	local t0
	t0=$(now_ms)
	[ -d "$STATE" ] || { say "nothing in $STATE"; return 0; }
	mkdir -p "$RUN"
	svc_stop "${SERVICES[@]}"
	svc_stop "${FAKES[@]}"
	kafka_down
	pg_down
	say "down in $(($(now_ms) - t0))ms"
}

# component_check NAME...: dies on a name that is not a part of the stack.
component_check() {
	local c
	[ $# -gt 0 ] || usage
	for c in "$@"; do
		case $c in
		postgres | kafka | fake-whatsapp | fake-telegram | fake-cap | ingest | subscriptions | composer | dispatcher | feeds) ;;
		*) die "unknown component '$c'" ;;
		esac
	done
}

cmd_stop() {
	local c
	component_check "$@"
	for c in "$@"; do
		case $c in
		postgres) pg_down ;;
		kafka) kafka_down ;;
		*) svc_stop "$c" ;;
		esac
	done
}

cmd_start() {
	local c svcs=()
	component_check "$@"
	for c in "$@"; do
		case $c in
		postgres) pg_up ;;
		kafka) kafka_up ;;
		*) svc_start "$c"; svcs+=("$c") ;;
		esac
	done
	[ "${#svcs[@]}" -eq 0 ] || svc_wait "${BND_UP_TIMEOUT:-60}" "${svcs[@]}"
}

cmd_svc_env() {
	component_check "$1"
	svc_env "$1"
	printf '%s\n' "${SVC_ENV[@]}"
}

cmd_status() {
	local s n rc=0 state
	printf '%-14s %-8s %-7s %s\n' COMPONENT STATE PORT PID
	if pg_running; then state=running; else state=stopped rc=3; fi
	printf '%-14s %-8s %-7s %s\n' postgres "$state" "$PG_PORT" \
		"$(head -1 "$STATE/pg/postmaster.pid" 2>/dev/null || true)"
	for n in $(seq 1 "$KAFKA_NODES"); do
		if kafka_node_running "$n"; then state=running; else state=stopped rc=3; fi
		printf '%-14s %-8s %-7s %s\n' "kafka${n#1}" "$state" "$(kafka_port "$n" client)" \
			"$(cat "$(kafka_pidfile "$n")" 2>/dev/null || true)"
	done
	for s in "${FAKES[@]}" "${SERVICES[@]}"; do
		if ! svc_running "$s"; then
			state=stopped rc=3
		elif http_ok "$(svc_probe "$s")" 2>/dev/null; then
			state=ready
		else
			state=running
		fi
		printf '%-14s %-8s %-7s %s\n' "$s" "$state" "$(svc_port "$s")" "$(cat "$RUN/$s.pid" 2>/dev/null || true)"
	done
	printf 'state %s%s\n' "$STATE" "${PREFIX:+, topic prefix $PREFIX}"
	return "$rc"
}

# secret NAME: a secret's value, or empty if not made yet.
secret() { cat "$SECRETS/$1" 2>/dev/null || true; }

cmd_env() {
	local v
	for v in \
		"BND_STATE_DIR=$STATE" "BND_PORT_BASE=$BASE" "BND_TOPIC_PREFIX=$PREFIX" "BND_BIN_DIR=$BIN" \
		"BND_PG_PORT=$PG_PORT" "BND_KAFKA_PORT=$KAFKA_PORT" "BND_KAFKA_CONTROLLER_PORT=$KAFKA_CTRL_PORT" \
		"FAKE_WA_PORT=$FAKE_WA_PORT" "FAKE_TG_PORT=$FAKE_TG_PORT" "INGEST_PORT=$INGEST_PORT" \
		"INGEST_HEALTH_PORT=$INGEST_HEALTH_PORT" \
		"SUBSCRIPTIONS_PORT=$SUBSCRIPTIONS_PORT" "COMPOSER_PORT=$COMPOSER_PORT" \
		"DISPATCHER_PORT=$DISPATCHER_PORT" "FEEDS_PORT=$FEEDS_PORT" "FAKE_CAP_PORT=$FAKE_CAP_PORT" \
		"BND_PG_DSN=$PG_DSN" \
		"BND_PG_ADMIN_DSN=postgresql://postgres@127.0.0.1:$PG_PORT/postgres" \
		"BND_KAFKA_BROKERS=$KAFKA_BOOTSTRAP" "BND_KAFKA_NODES=$KAFKA_NODES" \
		"BND_KAFKA_SASL_PORT=$KAFKA_SASL_PORT" "BND_KAFKA_TLS_DIR=$STATE/kafka/tls" \
		"BND_MIGRATIONS_DIR=$ROOT/db/migrations" \
		"INGEST_URL=http://127.0.0.1:$INGEST_PORT" \
		"INGEST_HEALTH_URL=http://127.0.0.1:$INGEST_HEALTH_PORT" \
		"FAKE_WA_URL=http://127.0.0.1:$FAKE_WA_PORT" \
		"FAKE_TG_URL=http://127.0.0.1:$FAKE_TG_PORT" \
		"SUBSCRIPTIONS_URL=http://127.0.0.1:$SUBSCRIPTIONS_PORT" \
		"COMPOSER_URL=http://127.0.0.1:$COMPOSER_PORT" \
		"DISPATCHER_URL=http://127.0.0.1:$DISPATCHER_PORT" \
		"FEEDS_URL=http://127.0.0.1:$FEEDS_PORT" \
		"FAKE_CAP_URL=http://127.0.0.1:$FAKE_CAP_PORT" "FAKE_CAP_DIR=$STATE/fake-cap" \
		"BND_LOGS_DIR=$LOGS" "BND_SECRETS_DIR=$SECRETS" \
		"WA_VERIFY_TOKEN=$(secret wa-verify-token)" \
		"WA_APP_SECRET=$(secret wa-app-secret)" \
		"WA_ACCESS_TOKEN=$(secret wa-token)" \
		"TG_BOT_TOKEN=$(secret tg-token)" \
		"TG_SECRET_TOKEN=$(secret tg-secret-token)" \
		"DEMO_COMUNE=$DEMO_COMUNE" "DEMO_SENDER=$DEMO_SENDER" \
		"DEMO_TG_BOT=$DEMO_TG_BOT" "DEMO_TG_CHANNEL=$DEMO_TG_CHANNEL" \
		"DEMO_API_KEY=$(secret editor-key)" \
		"DEMO_APPROVER_KEY=$(secret approver-key)" \
		"DEMO_EDITOR_LOGIN=redazione" "DEMO_EDITOR_PASSWORD_FILE=$SECRETS/editor-password" \
		"DEMO_APPROVER_LOGIN=sindaco" "DEMO_APPROVER_PASSWORD_FILE=$SECRETS/approver-password" \
		"DEMO2_COMUNE=$DEMO2_COMUNE" "DEMO2_SENDER=$DEMO2_SENDER" \
		"DEMO2_API_KEY=$(secret prova-editor-key)" \
		"DEMO2_APPROVER_KEY=$(secret prova-approver-key)"; do
		printf 'export %s=%q\n' "${v%%=*}" "${v#*=}"
	done
}

cmd_hint() {
	local fake="http://127.0.0.1:$FAKE_WA_PORT" ingest="http://127.0.0.1:$INGEST_PORT"
	local tg="http://127.0.0.1:$FAKE_TG_PORT" key approver
	key=$(secret editor-key)
	approver=$(secret approver-key)
	cat <<HINT
Try it by hand (a local development stack: every secret below is a throwaway).
\`eval "\$(scripts/stack.sh env)"\` sets these values as variables (FAKE_WA_URL,
FAKE_TG_URL, INGEST_URL, DEMO_API_KEY, BND_PG_DSN, ...).

# A citizen sends "ATTIVA" on WhatsApp: the fake provider delivers a signed
# webhook to ingest, exactly as Meta would.
curl -s -X POST $fake/_fake/inbound \\
     -d '{"phone_number_id":"$DEMO_SENDER","from":"393331234567","text":"ATTIVA"}'

# The welcome message the citizen received:
curl -s '$fake/_fake/messages?to=393331234567' | jq .

# An editor (key "redazione") writes a notice and submits it; a colleague
# (key "sindaco") approves it. Between 21:00 and 08:00 (Rome) a normal notice
# waits for the end of the comune's quiet hours: add "urgent":true to skip them.
id=\$(curl -s -X POST $ingest/api/v1/notices -H 'Authorization: Bearer $key' \\
      -d '{"title":"Acqua sospesa","body":"Domani dalle 8 alle 14 in via Roma."}' | jq -r .id)
curl -s -X POST $ingest/api/v1/notices/\$id/submit -H 'Authorization: Bearer $key'
curl -s -X POST $ingest/api/v1/notices/\$id/approve -H 'Authorization: Bearer $approver'

# The citizen received it as the comune's approved WhatsApp template:
curl -s '$fake/_fake/messages?to=393331234567' | jq .

# People log in to the console's API instead of using keys: "redazione"
# (password in $SECRETS/editor-password) and "sindaco" ($SECRETS/approver-password).
curl -s -c /tmp/bnd-cookies -X POST $ingest/console/api/login \\
     -d "{\"comune\":\"$DEMO_COMUNE\",\"login\":\"redazione\",\"password\":\"\$(cat $SECRETS/editor-password)\"}"
curl -s -b /tmp/bnd-cookies $ingest/console/api/me

# "DISATTIVA" revokes consent and sends a goodbye:
curl -s -X POST $fake/_fake/inbound \\
     -d '{"phone_number_id":"$DEMO_SENDER","from":"393331234567","text":"DISATTIVA"}'

# On Telegram, chat 555000111 opens the comune's bot with a deep link for a
# topic: the fake Bot API posts the update to ingest with the webhook's
# secret token. The notices reach the bot's subscribers and, once each,
# the public channel $DEMO_TG_CHANNEL. /temi lists topics, /stop leaves;
# {"chat_id":555000111,"block":true} blocks the bot (consent revoked).
curl -s -X POST $tg/_fake/update -d '{"chat_id":555000111,"text":"/start acqua"}'
curl -s '$tg/_fake/messages?chat_id=555000111' | jq .
curl -s '$tg/_fake/messages?chat_id=$DEMO_TG_CHANNEL' | jq .

# The consent ledger and the delivery ledger:
psql '$PG_DSN' -c 'SELECT action, source, evidence, privacy_version, at FROM consent_events'
psql '$PG_DSN' -c 'SELECT job_id, purpose, status, attempts FROM deliveries'

Console: $ingest/console/  (comune demo; redazione: editor, sindaco: approver; passwords in
         $SECRETS/editor-password and $SECRETS/approver-password)
Status: scripts/stack.sh status    Logs: scripts/stack.sh logs ingest [-f]  ($LOGS)
Stop:   scripts/stack.sh down (make stop)
HINT
}

cmd_logs() {
	local name=${1:-} follow=${2:-}
	case $name in
	postgres | kafka | fake-whatsapp | fake-telegram | fake-cap | ingest | subscriptions | composer | dispatcher | feeds) ;;
	*) usage ;;
	esac
	[ -f "$LOGS/$name.log" ] || die "no log yet: $LOGS/$name.log"
	if [ "$follow" = -f ]; then
		exec tail -n 100 -f "$LOGS/$name.log"
	fi
	tail -n 200 "$LOGS/$name.log"
}

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
	exit 2
}

main() {
	local cmd=${1:-}
	[ $# -gt 0 ] && shift
	load_config
	case $cmd in
	up) cmd_up "$@" ;;
	down) cmd_down ;;
	stop) cmd_stop "$@" ;;
	start) cmd_start "$@" ;;
	svc-env) [ $# -eq 1 ] || usage; cmd_svc_env "$1" ;;
	status) cmd_status ;;
	env) cmd_env ;;
	hint) cmd_hint ;;
	logs) cmd_logs "$@" ;;
	-h | --help | help) usage ;;
	*) usage ;;
	esac
}

main "$@"
