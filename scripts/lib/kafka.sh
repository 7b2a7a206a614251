# shellcheck shell=bash
# The local stack's Kafka: one KRaft node (broker + controller) on
# 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CTRL_PORT), run from the jars
# scripts/setup.sh fetched, data in $STATE/kafka/data.
# Uses: ROOT STATE LOGS RUN KAFKA_PORT KAFKA_CTRL_PORT BIN.

KAFKA_LIBS="$ROOT/.local/kafka/libs"
KAFKA_LOG_OFFSET=0

kafka_props() { printf '%s\n' "$STATE/kafka/server.properties"; }

kafka_running() { pid_alive "$RUN/kafka.pid" "$(kafka_props)"; }

# The JVM as the stack runs it: small heap, quick start, no hsperfdata
# files in /tmp, logging configured (a failing start is silent without).
kafka_java_cmd() {
	KAFKA_JAVA=(java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData
		-Djava.awt.headless=true "-Djava.io.tmpdir=$STATE/kafka/tmp"
		"-Dlog4j.configuration=file:$ROOT/kafka/log4j.properties"
		-cp "$KAFKA_LIBS/*")
}

# kafka_cluster_id: a random id as `StorageTool random-uuid` prints it
# (16 random bytes, URL-safe base64 without padding), without a JVM start.
kafka_cluster_id() {
	local id
	while :; do
		id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
		[ "${id:0:1}" != - ] && { printf '%s\n' "$id"; return 0; }
	done
}

# kafka_configure: writes server.properties and formats the storage once.
kafka_configure() {
	local props data="$STATE/kafka/data"
	props=$(kafka_props)
	mkdir -p "$data" "$STATE/kafka/tmp"
	sed -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CTRL_PORT|g" \
		-e "s|@LOG_DIR@|$data|g" "$ROOT/kafka/server.properties.in" >"$props"
	[ -f "$data/meta.properties" ] && return 0
	say "kafka: formatting $data"
	kafka_java_cmd
	"${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(kafka_cluster_id)" -c "$props" \
		>>"$LOGS/kafka.log" 2>&1 || { log_tail "$LOGS/kafka.log"; die "formatting Kafka storage failed"; }
}

# kafka_ready: the broker answers a metadata request (or, before
# banditorectl is built, at least says it started and listens).
kafka_ready() {
	if [ -x "$BIN/banditorectl" ]; then
		BND_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" "$BIN/banditorectl" ping --timeout-ms 2000
	else
		port_open "$KAFKA_PORT" &&
			tail -c "+$((KAFKA_LOG_OFFSET + 1))" "$LOGS/kafka.log" | grep -q 'Kafka Server started'
	fi
}

# kafka_wait TIMEOUT_S: waits for readiness, failing fast if the JVM exits.
kafka_wait() {
	local deadline=$(($(date +%s) + $1))
	until kafka_ready >/dev/null 2>&1; do
		kafka_running || { log_tail "$LOGS/kafka.log" 40; die "Kafka exited while starting"; }
		[ "$(date +%s)" -lt "$deadline" ] ||
			{ log_tail "$LOGS/kafka.log" 40; die "Kafka not ready after $1 s"; }
		sleep 0.2
	done
}

kafka_up() {
	compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null ||
		die "Kafka jars missing in $KAFKA_LIBS (run scripts/setup.sh)"
	if kafka_running; then
		say "kafka: running already (port $KAFKA_PORT)"
	else
		port_free "$KAFKA_PORT" || die "port $KAFKA_PORT (kafka) is taken by another program"
		port_free "$KAFKA_CTRL_PORT" || die "port $KAFKA_CTRL_PORT (kafka controller) is taken by another program"
		kafka_configure
		say "kafka: starting on 127.0.0.1:$KAFKA_PORT"
		# Readiness (before banditorectl exists) reads the log from here on.
		touch "$LOGS/kafka.log"
		KAFKA_LOG_OFFSET=$(stat -c %s "$LOGS/kafka.log")
		kafka_java_cmd
		(cd "$STATE/kafka" && exec setsid "${KAFKA_JAVA[@]}" kafka.Kafka "$(kafka_props)") \
			>>"$LOGS/kafka.log" 2>&1 </dev/null &
		printf '%s\n' "$!" >"$RUN/kafka.pid"
	fi
	kafka_wait "${BND_KAFKA_TIMEOUT:-90}"
}

kafka_down() {
	kafka_running || { rm -f "$RUN/kafka.pid"; return 0; }
	say "kafka: stopping"
	stop_pid "$RUN/kafka.pid" "$(kafka_props)" 30 kafka
}
