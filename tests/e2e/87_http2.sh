#!/usr/bin/env bash
# HTTP/2 where the provider offers it, as graph.facebook.com does over TLS:
# nghttpx (Debian's nghttp2-proxy) speaks HTTP/2 with TLS in front of the
# fake WhatsApp. A dispatcher pointed at it negotiates h2 and multiplexes
# a whole fan-out over a handful of connections (HTTP/1.1 would need one
# per request in flight); every citizen gets the notice once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
H2_PID="" D_PID=""
cleanup() {
	[ -z "$D_PID" ] || stop_pid "$D_PID"
	[ -z "$H2_PID" ] || kill -TERM "$H2_PID" 2>/dev/null || true
	stack start dispatcher || true
}
trap cleanup EXIT

N=600
R=1000
SENDER=100000000000087
TITLE="Allerta meteo $$"
H2_PORT=$((DISPATCHER_PORT + 47))
DIR="$BND_STATE_DIR/e2e-h2"
rm -rf "$DIR" && mkdir -p "$DIR"

step "an HTTP/2 (TLS) front for the fake WhatsApp"
command -v nghttpx >/dev/null || e2e_fail "nghttpx missing (scripts/setup.sh installs nghttp2-proxy)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$DIR/key.pem" -out "$DIR/cert.pem" 2>/dev/null
nghttpx --frontend="127.0.0.1,$H2_PORT" --backend="127.0.0.1,$FAKE_WA_PORT" --workers=1 \
	--accesslog-file="$DIR/access.log" --accesslog-format='$alpn $remote_port $status' \
	--errorlog-file="$BND_LOGS_DIR/nghttpx.log" --no-ocsp --no-via \
	"$DIR/key.pem" "$DIR/cert.pem" >>"$BND_LOGS_DIR/nghttpx.log" 2>&1 &
H2_PID=$!
wait_until 15 "nghttpx listening" "curl -s -o /dev/null --cacert '$DIR/cert.pem' https://127.0.0.1:$H2_PORT/"

step "the dispatcher talks to it (its CA trusted through BND_CA_FILE)"
stack stop dispatcher
mapfile -t denv < <("$E2E_ROOT/scripts/stack.sh" svc-env dispatcher)
(cd "$E2E_ROOT" && exec setsid env "${denv[@]}" \
	"BND_WA_API_BASE=https://127.0.0.1:$H2_PORT/v21.0" "BND_CA_FILE=$DIR/cert.pem" \
	"$BND_BIN_DIR/banditore-dispatcher") >>"$BND_LOGS_DIR/dispatcher-h2.log" 2>&1 </dev/null &
D_PID=$!
wait_eq 30 "dispatcher ready" 200 http_status "http://127.0.0.1:$DISPATCHER_PORT/readyz"

step "a notice to $N citizens goes out over HTTP/2"
ch=$(e2e_comune e2e87 "$SENDER" "$R")
e2e_subscribers "$ch" 3938087 "$N"
id=$(e2e_notice e2e87 "$TITLE" "Allerta arancione per temporali dalle 14 alle 20.")
wait_delivered 60 "$SENDER" "$TITLE" "$N"
read -r reached msgs most <<<"$(fake_notice_report "$SENDER" "$TITLE")"
assert_eq "$msgs $most" "$N 1" "$N messages, nobody twice"
wait_eq 30 "every delivery recorded as sent" "$N" \
	psql_q "SELECT count(*) FROM deliveries WHERE notice_id = '$id' AND status = 'sent'"

step "multiplexed: all over h2, on a handful of connections"
sent=$(grep -c ' 200$' "$DIR/access.log" || true)
[ "$sent" -ge "$N" ] || e2e_fail "only $sent requests answered 200 through the HTTP/2 front"
assert_eq "$(awk '$3 == 200 && $1 != "h2"' "$DIR/access.log" | wc -l)" 0 "every request was HTTP/2"
conns=$(awk '$3 == 200 {print $2}' "$DIR/access.log" | sort -u | wc -l)
[ "$conns" -le 4 ] || e2e_fail "$sent requests over $conns connections: not multiplexed"
printf '   ok  %s requests over %s connection(s)\n' "$sent" "$conns"

e2e_done
