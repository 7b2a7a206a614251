# shellcheck shell=bash
# The local stack's Kafka: one KRaft node (broker + controller) on
# 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CTRL_PORT), run from the jars
# scripts/setup.sh fetched, data in $STATE/kafka/data; a SASL_SSL listener
# on $KAFKA_SASL_PORT (SCRAM-SHA-512, TLS material in $STATE/kafka/tls).
# Uses: ROOT STATE LOGS RUN KAFKA_PORT KAFKA_CTRL_PORT KAFKA_SASL_PORT BIN.

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

# kafka_tls: once, the SASL_SSL listener's material in $STATE/kafka/tls: a
# CA of the stack's own (ca.pem: what clients trust), the broker's key and
# certificate for 127.0.0.1 in a PKCS#12 store (broker.p12, password in
# store-pass), and the SCRAM password of the user "banditore"
# (scram-password).
kafka_tls() {
	local tls="$STATE/kafka/tls"
	[ -f "$tls/broker.p12" ] && return 0
	mkdir -p "$tls" && chmod 700 "$tls"
	head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tls/store-pass"
	head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$tls/scram-password"
	(
		cd "$tls" &&
			openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Banditore local CA" \
				-keyout ca.key -out ca.pem &&
			openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout broker.key -out broker.csr &&
			printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >broker.ext &&
			openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
				-extfile broker.ext -out broker.pem &&
			openssl pkcs12 -export -in broker.pem -inkey broker.key -name broker \
				-passout "file:store-pass" -out broker.p12
	) >>"$LOGS/kafka.log" 2>&1 || { log_tail "$LOGS/kafka.log"; die "making Kafka's TLS material failed"; }
}

# kafka_configure: writes server.properties and formats the storage once
# (with the SCRAM user the SASL_SSL listener accepts).
kafka_configure() {
	local props data="$STATE/kafka/data" tls="$STATE/kafka/tls"
	props=$(kafka_props)
	mkdir -p "$data" "$STATE/kafka/tmp"
	kafka_tls
	sed -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CTRL_PORT|g" \
		-e "s|@SASL_PORT@|$KAFKA_SASL_PORT|g" -e "s|@TLS_DIR@|$tls|g" \
		-e "s|@TLS_PASS@|$(cat "$tls/store-pass")|g" \
		-e "s|@LOG_DIR@|$data|g" "$ROOT/kafka/server.properties.in" >"$props"
	chmod 600 "$props"
	[ -f "$data/meta.properties" ] && return 0
	say "kafka: formatting $data"
	kafka_java_cmd
	"${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(kafka_cluster_id)" -c "$props" \
		--add-scram "SCRAM-SHA-512=[name=banditore,password=$(cat "$tls/scram-password")]" \
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
		port_free "$KAFKA_SASL_PORT" || die "port $KAFKA_SASL_PORT (kafka SASL_SSL) is taken by another program"
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
