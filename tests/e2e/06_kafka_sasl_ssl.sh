#!/usr/bin/env bash
# The services against a secured cluster: the broker's SASL_SSL listener
# (SCRAM-SHA-512 over TLS, a CA of the stack's own), everything passed
# through BND_KAFKA_PROP_* with the password as a file: reference, as an
# operator would for a managed cluster. A citizen joins and a notice
# reaches them while no service holds a plaintext connection to Kafka; a
# wrong password or a client without TLS is refused by the broker.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
KAFKA_SERVICES=(ingest subscriptions composer dispatcher feeds)
SENDER=100000000060001
CITIZEN=393330006601
SASL_VARS=(BND_STACK_KAFKA_BROKERS BND_KAFKA_PROP_SECURITY_PROTOCOL BND_KAFKA_PROP_SASL_MECHANISMS
	BND_KAFKA_PROP_SASL_USERNAME BND_KAFKA_PROP_SASL_PASSWORD BND_KAFKA_PROP_SSL_CA_LOCATION)

# secured: exports the settings of the SASL_SSL listener (PASSWORD: a
# file: or env: reference, or a value).
secured() {
	export BND_STACK_KAFKA_BROKERS="127.0.0.1:$BND_KAFKA_SASL_PORT" \
		BND_KAFKA_PROP_SECURITY_PROTOCOL=SASL_SSL BND_KAFKA_PROP_SASL_MECHANISMS=SCRAM-SHA-512 \
		BND_KAFKA_PROP_SASL_USERNAME=banditore BND_KAFKA_PROP_SASL_PASSWORD="$1" \
		BND_KAFKA_PROP_SSL_CA_LOCATION="$BND_KAFKA_TLS_DIR/ca.pem"
}

# restart: the services again with the environment as it is now.
restart() {
	stack stop "${KAFKA_SERVICES[@]}"
	"$E2E_ROOT/scripts/stack.sh" start "${KAFKA_SERVICES[@]}" >/dev/null ||
		e2e_fail "the services did not start (logs in $BND_LOGS_DIR)"
}

# Whatever happens, the next script gets services on the plaintext listener.
trap 'unset "${SASL_VARS[@]}"; stack stop "${KAFKA_SERVICES[@]}"; stack start "${KAFKA_SERVICES[@]}" || true' EXIT

# peer_ports PID: the remote ports of PID's established TCP connections.
peer_ports() {
	local inodes
	inodes=" $(find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null |
		sed 's/^socket:\[\(.*\)\]$/\1/' | tr '\n' ' ')"
	awk -v want="$inodes" 'NR > 1 && $4 == "01" && index(want, " " $10 " ") {
		split($3, r, ":"); print r[2] }' /proc/net/tcp |
		while read -r hex; do printf '%d\n' "$((16#$hex))"; done
}

step "a comune of its own"
e2e_comune sasl06 "$SENDER" 80 >/dev/null
ctl_ping() { BND_KAFKA_BROKERS=127.0.0.1:$BND_KAFKA_SASL_PORT "$BND_BIN_DIR/banditorectl" ping --timeout-ms 5000; }

step "the broker refuses what a secured cluster refuses"
secured wrong-password
out=$(ctl_ping 2>&1) && e2e_fail "a wrong SCRAM password was accepted: $out"
printf '   ok  a wrong password is refused\n'
unset "${SASL_VARS[@]}"
out=$(ctl_ping 2>&1) && e2e_fail "a plaintext client was accepted on the SASL_SSL port: $out"
printf '   ok  a client without TLS and SASL is refused\n'
secured "file:$BND_KAFKA_TLS_DIR/scram-password"
ctl_ping >/dev/null 2>&1 || e2e_fail "banditorectl cannot reach the SASL_SSL listener"
printf '   ok  the right password over TLS is accepted\n'

step "every service on the SASL_SSL listener only"
restart
for s in "${KAFKA_SERVICES[@]}"; do
	ports=$(peer_ports "$(svc_pid "$s")" | sort -u | tr '\n' ' ')
	assert_contains " $ports" " $BND_KAFKA_SASL_PORT " "$s talks to Kafka over SASL_SSL"
	case " $ports" in *" $BND_KAFKA_PORT "*) e2e_fail "$s holds a plaintext connection to Kafka" ;; esac
done

step "a citizen joins and a notice reaches them"
body=$(jq -nc --arg p "$SENDER" --arg f "$CITIZEN" '{phone_number_id: $p, from: $f, text: "ATTIVA", type: "text"}')
assert_eq "$(curl -s -m 15 -X POST -H 'Content-Type: application/json' --data-binary "$body" \
	"$FAKE_WA_URL/_fake/inbound" | jq -r .status)" 200 "ingest accepts the webhook"
wait_eq 60 "the welcome" 1 fake_count_to "$CITIZEN" text
e2e_notice sasl06 "Cluster protetto" "Avviso consegnato attraverso SASL_SSL." >/dev/null
wait_eq 60 "the notice" 1 fake_count_to "$CITIZEN" template

e2e_done
