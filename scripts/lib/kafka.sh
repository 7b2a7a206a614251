# shellcheck shell=bash
# The local stack's Kafka: KRaft nodes (broker + controller each), one by
# default, three with BND_KAFKA_NODES=3 (`make test-cluster`), run from the
# jars scripts/setup.sh fetched. Node 1 listens on 127.0.0.1:$KAFKA_PORT
# (controller $KAFKA_CTRL_PORT, SASL_SSL $KAFKA_SASL_PORT) with its files in
# $STATE/kafka; node N > 1 on BASE+14+3(N-2) .. +2, files in $STATE/kafka-N.
# The SASL_SSL listeners take SCRAM-SHA-512 over TLS (material in
# $STATE/kafka/tls, shared by the nodes).
# Uses: ROOT STATE LOGS RUN BASE KAFKA_NODES KAFKA_PORT KAFKA_CTRL_PORT KAFKA_SASL_PORT BIN.

KAFKA_LIBS="$ROOT/.local/kafka/libs"
declare -A KAFKA_LOG_OFFSET=()

# Node N's folder, properties, pid file and log.
kafka_dir() { if [ "${1:-1}" -eq 1 ]; then printf '%s\n' "$STATE/kafka"; else printf '%s\n' "$STATE/kafka-$1"; fi; }
kafka_props() { printf '%s/server.properties\n' "$(kafka_dir "${1:-1}")"; }
kafka_pidfile() { if [ "${1:-1}" -eq 1 ]; then printf '%s\n' "$RUN/kafka.pid"; else printf '%s\n' "$RUN/kafka-$1.pid"; fi; }
kafka_log() { if [ "${1:-1}" -eq 1 ]; then printf '%s\n' "$LOGS/kafka.log"; else printf '%s\n' "$LOGS/kafka-$1.log"; fi; }

# kafka_port N client|ctrl|sasl: a port of node N.
kafka_port() {
	local k
	case $2 in client) k=0 ;; ctrl) k=1 ;; sasl) k=2 ;; esac
	if [ "$1" -gt 1 ]; then
		printf '%s\n' $((BASE + 14 + 3 * ($1 - 2) + k))
		return 0
	fi
	case $2 in client) printf '%s\n' "$KAFKA_PORT" ;; ctrl) printf '%s\n' "$KAFKA_CTRL_PORT" ;;
	sasl) printf '%s\n' "$KAFKA_SASL_PORT" ;; esac
}

# kafka_bootstrap: every node's client listener, comma-separated.
kafka_bootstrap() {
	local n out=""
	for n in $(seq 1 "$KAFKA_NODES"); do out+="${out:+,}127.0.0.1:$(kafka_port "$n" client)"; done
	printf '%s\n' "$out"
}

kafka_node_running() { pid_alive "$(kafka_pidfile "$1")" "$(kafka_props "$1")"; }

# kafka_running: every node runs.
kafka_running() {
	local n
	for n in $(seq 1 "$KAFKA_NODES"); do kafka_node_running "$n" || return 1; done
}

# kafka_any_running: some node runs.
kafka_any_running() {
	local n
	for n in $(seq 1 "$KAFKA_NODES"); do kafka_node_running "$n" && return 0; done
	return 1
}

# The JVM as the stack runs it: small heap, quick start, no hsperfdata
# files in /tmp, logging configured (a failing start is silent without).
kafka_java_cmd() {
	KAFKA_JAVA=(java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData
		-Djava.awt.headless=true "-Djava.io.tmpdir=$(kafka_dir "$1")/tmp"
		"-Dlog4j.configuration=file:$ROOT/kafka/log4j.properties"
		-cp "$KAFKA_LIBS/*")
}

# kafka_cluster_id: the cluster's id, made once as `StorageTool random-uuid`
# would (16 random bytes, URL-safe base64 without padding) without a JVM.
kafka_cluster_id() {
	local f="$STATE/kafka/cluster-id" id
	while [ ! -s "$f" ]; do
		id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
		[ "${id:0:1}" != - ] && printf '%s\n' "$id" >"$f"
	done
	cat "$f"
}

# kafka_tls: once, the SASL_SSL listeners' material in $STATE/kafka/tls: a
# CA of the stack's own (ca.pem: what clients trust), the brokers' key and
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

# kafka_voters: controller.quorum.voters for KAFKA_NODES nodes.
kafka_voters() {
	local n out=""
	for n in $(seq 1 "$KAFKA_NODES"); do out+="${out:+,}$n@127.0.0.1:$(kafka_port "$n" ctrl)"; done
	printf '%s\n' "$out"
}

# kafka_configure N: writes node N's server.properties and formats its
# storage once (with the SCRAM user the SASL_SSL listener accepts). One
# node: every topic has one replica; three: three, two in sync for a write.
kafka_configure() {
	local n=$1 props dir data tls="$STATE/kafka/tls" rf=1 isr=1
	dir=$(kafka_dir "$n") props=$(kafka_props "$n") data="$(kafka_dir "$n")/data"
	[ "$KAFKA_NODES" -ge 3 ] && rf=3 isr=2
	mkdir -p "$data" "$dir/tmp" "$STATE/kafka"
	kafka_tls
	sed -e "s|@NODE_ID@|$n|g" -e "s|@VOTERS@|$(kafka_voters)|g" \
		-e "s|@PORT@|$(kafka_port "$n" client)|g" -e "s|@CONTROLLER_PORT@|$(kafka_port "$n" ctrl)|g" \
		-e "s|@SASL_PORT@|$(kafka_port "$n" sasl)|g" -e "s|@TLS_DIR@|$tls|g" \
		-e "s|@TLS_PASS@|$(cat "$tls/store-pass")|g" -e "s|@REPLICAS@|$rf|g" -e "s|@MIN_ISR@|$isr|g" \
		-e "s|@LOG_DIR@|$data|g" "$ROOT/kafka/server.properties.in" >"$props"
	chmod 600 "$props"
	[ -f "$data/meta.properties" ] && return 0
	say "kafka: formatting $data"
	kafka_java_cmd "$n"
	"${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(kafka_cluster_id)" -c "$props" \
		--add-scram "SCRAM-SHA-512=[name=banditore,password=$(cat "$tls/scram-password")]" \
		>>"$(kafka_log "$n")" 2>&1 || { log_tail "$(kafka_log "$n")"; die "formatting Kafka storage failed"; }
}

# kafka_ready N: node N answers a metadata request (or, before
# banditorectl is built, at least says it started and listens).
kafka_ready() {
	local port
	port=$(kafka_port "$1" client)
	if [ -x "$BIN/banditorectl" ]; then
		BND_KAFKA_BROKERS="127.0.0.1:$port" "$BIN/banditorectl" ping --timeout-ms 2000
	else
		port_open "$port" &&
			tail -c "+$((${KAFKA_LOG_OFFSET[$1]:-0} + 1))" "$(kafka_log "$1")" | grep -q 'Kafka Server started'
	fi
}

# kafka_wait TIMEOUT_S: waits for every node, failing fast if a JVM exits.
kafka_wait() {
	local deadline=$(($(date +%s) + $1)) n
	for n in $(seq 1 "$KAFKA_NODES"); do
		until kafka_ready "$n" >/dev/null 2>&1; do
			kafka_node_running "$n" || { log_tail "$(kafka_log "$n")" 40; die "Kafka node $n exited while starting"; }
			[ "$(date +%s)" -lt "$deadline" ] ||
				{ log_tail "$(kafka_log "$n")" 40; die "Kafka node $n not ready after $1 s"; }
			sleep 0.2
		done
	done
}

# kafka_start N: starts node N (not running).
kafka_start() {
	local n=$1 p log
	for p in client ctrl sasl; do
		port_free "$(kafka_port "$n" "$p")" ||
			die "port $(kafka_port "$n" "$p") (kafka node $n, $p) is taken by another program"
	done
	kafka_configure "$n"
	say "kafka: starting node $n on 127.0.0.1:$(kafka_port "$n" client)"
	# Readiness (before banditorectl exists) reads the log from here on.
	log=$(kafka_log "$n")
	touch "$log"
	KAFKA_LOG_OFFSET[$n]=$(stat -c %s "$log")
	kafka_java_cmd "$n"
	(cd "$(kafka_dir "$n")" && exec setsid "${KAFKA_JAVA[@]}" kafka.Kafka "$(kafka_props "$n")") \
		>>"$log" 2>&1 </dev/null &
	printf '%s\n' "$!" >"$(kafka_pidfile "$n")"
}

kafka_up() {
	local n
	compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null ||
		die "Kafka jars missing in $KAFKA_LIBS (run scripts/setup.sh)"
	for n in $(seq 1 "$KAFKA_NODES"); do
		if kafka_node_running "$n"; then
			say "kafka: node $n running already (port $(kafka_port "$n" client))"
		else
			kafka_start "$n"
		fi
	done
	kafka_wait "${BND_KAFKA_TIMEOUT:-90}"
}

# kafka_down: SIGTERM to every node at once (one by one, the last would
# wait for a quorum that is gone), then waits for each.
kafka_down() {
	local n
	for n in $(seq 1 "$KAFKA_NODES"); do
		kafka_node_running "$n" || { rm -f "$(kafka_pidfile "$n")"; continue; }
		say "kafka: stopping node $n"
		kill -TERM "$(cat "$(kafka_pidfile "$n")")" 2>/dev/null || true
	done
	for n in $(seq 1 "$KAFKA_NODES"); do
		kafka_node_running "$n" || { rm -f "$(kafka_pidfile "$n")"; continue; }
		stop_pid "$(kafka_pidfile "$n")" "$(kafka_props "$n")" 30 kafka
	done
}
