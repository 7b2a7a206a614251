# shellcheck shell=bash
# The fakes (WhatsApp, Telegram, a CAP feed server) and the five services of the local stack:
# background processes (own session), pid files in $RUN, logs in $LOGS.
# Uses: ROOT STATE LOGS RUN SECRETS BIN PREFIX and the *_PORT variables.

# shellcheck disable=SC2034  # used by the scripts that source this file
SERVICES=(ingest subscriptions composer dispatcher feeds)
# shellcheck disable=SC2034
FAKES=(fake-whatsapp fake-telegram fake-cap)

# svc_port NAME: the HTTP port of a service (the fake included).
svc_port() {
	case $1 in
	fake-whatsapp) printf '%s\n' "$FAKE_WA_PORT" ;;
	fake-telegram) printf '%s\n' "$FAKE_TG_PORT" ;;
	fake-cap) printf '%s\n' "$FAKE_CAP_PORT" ;;
	ingest) printf '%s\n' "$INGEST_PORT" ;;
	subscriptions) printf '%s\n' "$SUBSCRIPTIONS_PORT" ;;
	composer) printf '%s\n' "$COMPOSER_PORT" ;;
	dispatcher) printf '%s\n' "$DISPATCHER_PORT" ;;
	feeds) printf '%s\n' "$FEEDS_PORT" ;;
	*) return 1 ;;
	esac
}

# svc_bin NAME: the binary of a service.
svc_bin() {
	case $1 in
	fake-whatsapp | fake-telegram | fake-cap) printf '%s\n' "$BIN/$1" ;;
	*) printf '%s\n' "$BIN/banditore-$1" ;;
	esac
}

# svc_probe NAME: the URL that answers 200 once the service is ready
# (ingest: on its health port, as an orchestrator probes it).
svc_probe() {
	case $1 in
	fake-whatsapp | fake-telegram | fake-cap) printf 'http://127.0.0.1:%s/_fake/stats\n' "$(svc_port "$1")" ;;
	ingest) printf 'http://127.0.0.1:%s/readyz\n' "$INGEST_HEALTH_PORT" ;;
	*) printf 'http://127.0.0.1:%s/readyz\n' "$(svc_port "$1")" ;;
	esac
}

# svc_marker NAME: what the command line of a running service contains
# (the binary's name: a stack started from build-san/bin is still managed
# by a later command that does not say BND_BIN_DIR).
svc_marker() {
	case $1 in
	fake-whatsapp | fake-telegram | fake-cap) printf '/%s\n' "$1" ;;
	*) printf '/banditore-%s\n' "$1" ;;
	esac
}

svc_running() { pid_alive "$RUN/$1.pid" "$(svc_marker "$1")"; }

# svc_env NAME: fills SVC_ENV with the service's settings.
svc_env() {
	local name=$1
	SVC_ENV=()
	if [ "$name" = fake-whatsapp ]; then
		SVC_ENV=(FAKE_WA_ADDR=127.0.0.1 "FAKE_WA_PORT=$FAKE_WA_PORT"
			"FAKE_WA_ACCESS_TOKEN=$(cat "$SECRETS/wa-token")"
			"FAKE_WA_APP_SECRET=$(cat "$SECRETS/wa-app-secret")"
			"FAKE_WA_WEBHOOK_URL=http://127.0.0.1:$INGEST_PORT/webhooks/whatsapp"
			"FAKE_WA_STATUS_WEBHOOKS=${FAKE_WA_STATUS_WEBHOOKS:-1}"
			"FAKE_WA_TEMPLATES=${FAKE_WA_TEMPLATES:-avviso_comune:it:3,conferma_iscrizione:it:1}"
			"FAKE_WA_LATENCY_MS=${FAKE_WA_LATENCY_MS:-0}")
		return 0
	fi
	if [ "$name" = fake-telegram ]; then
		local token
		token=$(cat "$SECRETS/tg-token")
		SVC_ENV=(FAKE_TG_ADDR=127.0.0.1 "FAKE_TG_PORT=$FAKE_TG_PORT"
			"FAKE_TG_TOKEN=$token"
			"FAKE_TG_SECRET=$(cat "$SECRETS/tg-secret-token")"
			"FAKE_TG_WEBHOOK_URL=http://127.0.0.1:$INGEST_PORT/webhooks/telegram/${token%%:*}"
			"FAKE_TG_CHANNELS=${FAKE_TG_CHANNELS:-@comunedemo}"
			"FAKE_TG_LATENCY_MS=${FAKE_TG_LATENCY_MS:-0}")
		return 0
	fi
	if [ "$name" = fake-cap ]; then
		# The folder it serves: tests put CAP documents there.
		mkdir -p "$STATE/fake-cap"
		SVC_ENV=(FAKE_CAP_ADDR=127.0.0.1 "FAKE_CAP_PORT=$FAKE_CAP_PORT" "FAKE_CAP_DIR=$STATE/fake-cap")
		return 0
	fi
	SVC_ENV=("BND_LOG_LEVEL=${BND_LOG_LEVEL:-info}"
		"BND_KAFKA_BROKERS=${BND_STACK_KAFKA_BROKERS:-$KAFKA_BOOTSTRAP}"
		"BND_TOPIC_PREFIX=$PREFIX"
		"BND_PG_DSN=$PG_DSN"
		BND_HTTP_ADDR=127.0.0.1
		"BND_HTTP_PORT=$(svc_port "$name")"
		"BND_DRAIN_TIMEOUT_MS=${BND_DRAIN_TIMEOUT_MS:-5000}")
	case $name in
	ingest)
		SVC_ENV+=("BND_HEALTH_PORT=$INGEST_HEALTH_PORT"
			"BND_KEY_HASH_SECRET=file:$SECRETS/key-hash-secret"
			"BND_WA_VERIFY_TOKEN=$(cat "$SECRETS/wa-verify-token")"
			"BND_TRUST_FORWARDED=${BND_TRUST_FORWARDED:-0}"
			"BND_CONSOLE_DIR=${BND_CONSOLE_DIR:-$(dirname "$BIN")/console}") ;;
	dispatcher)
		SVC_ENV+=("BND_WA_API_BASE=http://127.0.0.1:$FAKE_WA_PORT/v21.0"
			"BND_TG_API_BASE=http://127.0.0.1:$FAKE_TG_PORT"
			"BND_CONSUMER_GROUP=${PREFIX}dispatcher") ;;
	feeds)
		SVC_ENV+=("BND_CAP_SCHEMA=$ROOT/services/feeds/cap-1.2.xsd"
			"BND_FEED_TIMEOUT_MS=${BND_FEED_TIMEOUT_MS:-10000}") ;;
	composer)
		# Approval alerts after 5 s here (600 s by default), so that e2e
		# 93a sees a normal notice's alert; only staff with an alert
		# address receive them.
		SVC_ENV+=("BND_CONSUMER_GROUP=${PREFIX}$name"
			"BND_COMPOSER_APPROVAL_ALERT_S=${BND_COMPOSER_APPROVAL_ALERT_S:-5}"
			"BND_CONSOLE_URL=${BND_CONSOLE_URL:-http://127.0.0.1:$INGEST_PORT/console/}") ;;
	*)
		SVC_ENV+=("BND_CONSUMER_GROUP=${PREFIX}$name") ;;
	esac
}

# svc_start NAME: starts the service unless it runs already.
svc_start() {
	local name=$1 bin port
	bin=$(svc_bin "$name")
	port=$(svc_port "$name")
	if svc_running "$name"; then
		say "$name: running already (port $port)"
		return 0
	fi
	[ -x "$bin" ] || die "$bin is missing: build it first (make -j2 all)"
	port_free "$port" || die "port $port ($name) is taken by another program"
	[ "$name" != ingest ] || port_free "$INGEST_HEALTH_PORT" ||
		die "port $INGEST_HEALTH_PORT (ingest health) is taken by another program"
	svc_env "$name"
	say "$name: starting on 127.0.0.1:$port"
	printf '{"ts":"%s","level":"info","service":"stack","event":"stack.start","msg":"starting %s"}\n' \
		"$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$name" >>"$LOGS/$name.log"
	(cd "$ROOT" && exec setsid env "${SVC_ENV[@]}" "$bin") >>"$LOGS/$name.log" 2>&1 </dev/null &
	printf '%s\n' "$!" >"$RUN/$name.pid"
}

# svc_wait TIMEOUT_S NAME...: waits until every service answers its probe;
# dies with the tail of the log of the first that exits or is late.
svc_wait() {
	local deadline=$(($(date +%s) + $1)) name pending
	shift
	pending=("$@")
	while [ "${#pending[@]}" -gt 0 ]; do
		local left=()
		for name in "${pending[@]}"; do
			http_ok "$(svc_probe "$name")" 2>/dev/null && continue
			svc_running "$name" || { log_tail "$LOGS/$name.log" 40; die "$name exited while starting"; }
			left+=("$name")
		done
		pending=("${left[@]+"${left[@]}"}")
		[ "${#pending[@]}" -eq 0 ] && break
		if [ "$(date +%s)" -ge "$deadline" ]; then
			for name in "${pending[@]}"; do log_tail "$LOGS/$name.log" 40; done
			die "not ready after $1 s: ${pending[*]} (probe $(svc_probe "${pending[0]}"))"
		fi
		sleep 0.2
	done
}

# svc_stop NAME...: SIGTERM to all of them at once, then waits for each
# (SIGKILL after the drain timeout and a margin).
svc_stop() {
	local name pid timeout=$(((${BND_DRAIN_TIMEOUT_MS:-5000} + 999) / 1000 + 10))
	for name in "$@"; do
		if svc_running "$name"; then
			pid=$(cat "$RUN/$name.pid")
			say "$name: stopping"
			kill -TERM "$pid" 2>/dev/null || true
		fi
	done
	for name in "$@"; do
		stop_pid "$RUN/$name.pid" "$(svc_marker "$name")" "$timeout" "$name"
	done
}
