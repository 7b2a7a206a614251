#!/usr/bin/env bash
# The hardened HTTP edge (issue 12): ingest restarted with small limits
# and deadlines. /metrics only on the health port; a WhatsApp webhook for
# a number of no channel answered 503 the first time (it may be a channel
# just added), then 200 and counted; a client sending a
# byte every 25 s cut at the header deadline, one trickling its body cut
# at the whole-request deadline, webhooks answered meanwhile; a flood of
# connections from one address: its share held, the rest refused at once,
# webhooks from another address answered; a flood of archive URLs
# (distinct pages, junk parameters, Host headers) answered from memory
# with a handful of PostgreSQL queries while an editor's reads stay fast;
# the sign-up form's limits shared by two ingest replicas, IPv6 clients
# counted by /64; a browser POST from another site refused.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }

PORT2=$((INGEST_PORT + 40))
HPORT2=$((INGEST_HEALTH_PORT + 40))
URL2="http://127.0.0.1:$PORT2"
Q=393330000251   # signs up through both replicas
PID1="" PID2="" LAST_PID=""
cleanup() {
	[ -z "$PID2" ] || stop_pid "$PID2"
	[ -z "$PID1" ] || stop_pid "$PID1"
	e2e_ctl comune set demo --site-origin "" >/dev/null 2>&1 || true
	stack start ingest || true
}
trap cleanup EXIT

# start_ingest LOG PORT HEALTH_PORT: an ingest with the stack's settings,
# trusting X-Forwarded-For, with the test's limits and deadlines.
start_ingest() {
	local env
	mapfile -t env < <("$E2E_ROOT/scripts/stack.sh" svc-env ingest)
	(cd "$E2E_ROOT" && exec setsid env "${env[@]}" "BND_HTTP_PORT=$2" "BND_HEALTH_PORT=$3" \
		BND_TRUST_FORWARDED=1 BND_MAX_CONNECTIONS=40 BND_MAX_CONNECTIONS_PER_IP=16 \
		BND_HTTP_HEADER_TIMEOUT_MS=4000 BND_HTTP_BODY_TIMEOUT_MS=8000 \
		"$BND_BIN_DIR/banditore-ingest") >>"$BND_LOGS_DIR/$1" 2>&1 </dev/null &
	LAST_PID=$!
}

# metric NAME [HEALTH_URL]: its value (0 if absent).
metric() {
	curl -s -m 10 "${2:-$INGEST_HEALTH_URL}/metrics" |
		awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }'
}

# wa_post_from SRC BODY: a signed webhook POST from source address SRC; its status.
wa_post_from() {
	local sig
	sig=$(printf %s "$2" | openssl dgst -sha256 -hmac "$WA_APP_SECRET" -r | cut -d' ' -f1)
	printf %s "$2" | curl -s -o /dev/null -w '%{http_code}' -m 15 --interface "$1" -X POST \
		-H "X-Hub-Signature-256: sha256=$sig" --data-binary @- "$INGEST_URL/webhooks/whatsapp" || true
}

# now_ms: the wall clock in ms.
now_ms() { date +%s%3N; }

step "ingest with 40 connections at most, 16 per address, deadlines 4 s (headers), 8 s (all)"
stack stop ingest
start_ingest ingest.edge.log "$INGEST_PORT" "$INGEST_HEALTH_PORT"
PID1=$LAST_PID
wait_eq 30 "ready (probed on its health port)" 200 http_status "$INGEST_HEALTH_URL/readyz"

step "/metrics on the health port only"
assert_eq "$(http_status "$INGEST_URL/metrics")" 404 "API port: /metrics 404"
assert_eq "$(http_status "$INGEST_URL/healthz")" 200 "API port: /healthz 200 (load balancers)"
assert_eq "$(http_status "$INGEST_URL/readyz")" 200 "API port: /readyz 200"
assert_contains "$(curl -s "$INGEST_HEALTH_URL/metrics")" "bnd_ingest_connections " \
	"health port: /metrics"
assert_eq "$(http_status "$INGEST_HEALTH_URL/webhooks/whatsapp")" 404 "health port: nothing else"

step "a webhook for a number that is no channel of ours: 200, counted"
u0=$(metric bnd_ingest_wa_unknown_sender_total)
unknown=$(wa_webhook_body 393330000250 ATTIVA wamid.e2e25-u 555000000025)
assert_eq "$(wa_post_from 127.0.0.1 "$unknown")" 503 \
	"first seen: 503 (it may be a channel just added; the directory is reloaded)"
wait_eq 10 "then answered 200 (Meta would retry anything else for days)" 200 \
	wa_post_from 127.0.0.1 "$unknown"
assert_eq "$(metric bnd_ingest_wa_unknown_sender_total)" $((u0 + 1)) "counted"

step "a client sending a byte every 25 s is cut at the header deadline; webhooks meanwhile"
cut0=$(metric bnd_ingest_requests_cut_total)
exec {slow}<>"/dev/tcp/127.0.0.1/$INGEST_PORT"
t0=$(now_ms)
printf 'P' >&"$slow"
assert_eq "$(wa_post_from 127.0.0.2 "$(wa_webhook_body 393330000252 TEMI wamid.e2e25-1)")" 200 \
	"a webhook meanwhile: 200"
rc=0
read -r -t 25 -u "$slow" _ || rc=$?
el=$(($(now_ms) - t0))
exec {slow}>&-
[ "$rc" -le 128 ] || e2e_fail "the slow client was still connected after 25 s"
[ "$el" -ge 3500 ] && [ "$el" -le 6500 ] || e2e_fail "closed after $el ms, not at about 4000"
printf '   ok  closed after %d ms, before its second byte (evhttp alone: idle timeout 30 s)\n' "$el"

exec {slow}<>"/dev/tcp/127.0.0.1/$INGEST_PORT"
t0=$(now_ms)
printf 'POST /webhooks/whatsapp HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n' >&"$slow"
el=""
for _ in $(seq 1 14); do
	rc=0
	read -r -t 1 -u "$slow" _ || rc=$?
	if [ "$rc" -le 128 ]; then
		el=$(($(now_ms) - t0))
		break
	fi
	(trap '' PIPE; printf 'a' >&"$slow") 2>/dev/null || true   # a body byte a second
done
exec {slow}>&-
[ -n "$el" ] || e2e_fail "the body trickle was not cut"
[ "$el" -ge 7000 ] && [ "$el" -le 10500 ] || e2e_fail "body trickle closed after $el ms, not at about 8000"
printf '   ok  a body trickling a byte a second: closed after %d ms (whole-request deadline)\n' "$el"
assert_eq "$(metric bnd_ingest_requests_cut_total)" $((cut0 + 2)) "both counted"

step "a flood of 30 connections from one address: 16 held, the rest refused at once"
ref0=$(metric bnd_ingest_connections_refused_total)
open0=$(metric bnd_ingest_connections)
fds=()
for _ in $(seq 1 30); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$INGEST_PORT"
	fds+=("$fd")
done
sleep 0.3
refused=$(($(metric bnd_ingest_connections_refused_total) - ref0))
open=$(metric bnd_ingest_connections)
[ "$refused" -ge 14 ] || e2e_fail "only $refused of 30 refused"
[ "$open" -le 17 ] || e2e_fail "$open connections open"   # 16, and maybe the 503's own
printf '   ok  %d refused, %d open\n' "$refused" "$open"
seen=""
for fd in "${fds[@]}"; do
	if read -r -t 0.05 -u "$fd" line; then seen=$line; break; fi
done
assert_contains "$seen" "HTTP/1.1 503" "a refused one was told 503"
assert_eq "$(wa_post_from 127.0.0.2 "$(wa_webhook_body 393330000252 TEMI wamid.e2e25-2)")" 200 \
	"a webhook from another address meanwhile: 200"
for fd in "${fds[@]}"; do exec {fd}>&-; done
wait_until 10 "the flood's connections are gone" \
	'[ "$(metric bnd_ingest_connections)" -le $((open0 + 1)) ]'

step "an archive flood of distinct URLs is answered from memory; an editor's reads stay fast"
notice=$(api_post /api/v1/notices '{"title":"Bozza del test 25","body":"Da leggere"}' | jq -r .id)
wait_eq 30 "the editor's draft is readable" 200 http_status -H "Authorization: Bearer $DEMO_API_KEY" \
	"$INGEST_URL/api/v1/notices/$notice"
q0=$(metric bnd_ingest_archive_queries_total)
m0=$(metric bnd_ingest_archive_memory_total)
curl -s -o /dev/null -Z --parallel-max 12 --interface 127.0.0.1 \
	"$INGEST_URL/c/demo/avvisi?pagina=[1-1000]&utm_source=[1-10]" &
flood=$!
(for i in $(seq 1 200); do
	curl -s -o /dev/null -H "Host: h$i.example" "$INGEST_URL/c/demo/avvisi?fbclid=$i"
done) &
flood2=$!
worst=0 n=0
while kill -0 "$flood" 2>/dev/null && [ "$n" -lt 40 ]; do
	t=$(curl -s -o /dev/null -w '%{time_total}' -m 10 --interface 127.0.0.3 \
		-H "Authorization: Bearer $DEMO_API_KEY" "$INGEST_URL/api/v1/notices/$notice")
	ms=$(awk -v t="$t" 'BEGIN { printf "%d", t * 1000 }')
	[ "$ms" -le "$worst" ] || worst=$ms
	n=$((n + 1))
	sleep 0.02
done
wait "$flood" || true
wait "$flood2" || true
queries=$(($(metric bnd_ingest_archive_queries_total) - q0))
memory=$(($(metric bnd_ingest_archive_memory_total) - m0))
printf '   ..  10,200 archive requests: %d PostgreSQL queries, %d answered from memory\n' \
	"$queries" "$memory"
printf '   ..  %d editor reads meanwhile, the slowest %d ms\n' "$n" "$worst"
[ "$n" -ge 3 ] || e2e_fail "the flood was over before the editor could read ($n reads)"
[ "$queries" -le 40 ] || e2e_fail "$queries PostgreSQL queries for the flood"
[ "$worst" -le 1000 ] || e2e_fail "an editor's read took $worst ms during the flood"
printf '   ok  the flood cost a handful of queries; editors kept their own worker\n'
page=$(curl -s -H "Host: evil.example" "$INGEST_URL/c/demo/avvisi")
case $page in *evil.example*) e2e_fail "the Host header made it into the page" ;; esac
printf '   ok  no Host header in the archive pages\n'
assert_eq "$(http_status "$INGEST_URL/c/demo/avvisi?pagina=1001")" 404 "pagina above 1000: 404"

step "the form's limits are shared by two ingest replicas"
start_ingest ingest-2.log "$PORT2" "$HPORT2"
PID2=$LAST_PID
wait_eq 30 "a second ingest ready" 200 http_status "http://127.0.0.1:$HPORT2/readyz"
# fpost URL CLIENT BODY [CURL_ARGS...]: a JSON POST to the demo form from CLIENT; its status.
fpost() {
	local url=$1 ip=$2 body=$3
	shift 3
	curl -s -o /dev/null -w '%{http_code}' -m 10 --interface 127.0.0.4 -X POST \
		-H 'Content-Type: application/json' -H "X-Forwarded-For: 10.9.9.9, $ip" "$@" \
		--data-binary "$body" "$url/c/demo/iscrizione" || true
}
BAD='{"phone":"1","privacy":true}'
for i in 1 2 3; do assert_eq "$(fpost "$INGEST_URL" 192.0.2.251 "$BAD")" 400 "request $i, replica 1"; done
for i in 4 5; do assert_eq "$(fpost "$URL2" 192.0.2.251 "$BAD")" 400 "request $i, replica 2"; done
assert_eq "$(fpost "$URL2" 192.0.2.251 "$BAD")" 429 "the 6th in a minute from one address, replica 2: 429"
assert_eq "$(fpost "$INGEST_URL" 192.0.2.251 "$BAD")" 429 "and on replica 1: 429"
SIGNUP="{\"phone\":\"+$Q\",\"privacy\":true}"
assert_eq "$(fpost "$INGEST_URL" 192.0.2.252 "$SIGNUP")" 202 "Q signs up on replica 1"
assert_eq "$(fpost "$URL2" 192.0.2.253 "$SIGNUP")" 202 "again on replica 2"
assert_eq "$(fpost "$INGEST_URL" 192.0.2.254 "$SIGNUP")" 202 "a third time on replica 1"
assert_eq "$(fpost "$URL2" 192.0.2.255 "$SIGNUP")" 429 "the 4th sign-up of the number in a day: 429"
assert_eq "$(psql_q "SELECT count(*) FROM form_limits WHERE key LIKE '%$Q%'")" 0 \
	"the limits table holds no number (a keyed hash)"

step "IPv6 clients are counted by /64"
for i in 1 2 3; do
	assert_eq "$(fpost "$INGEST_URL" "2001:db8:25:1::$i" "$BAD")" 400 "2001:db8:25:1::$i, replica 1"
done
for i in 4 5; do
	assert_eq "$(fpost "$URL2" "2001:db8:25:1:ffff::$i" "$BAD")" 400 "2001:db8:25:1:ffff::$i, replica 2"
done
assert_eq "$(fpost "$INGEST_URL" "2001:db8:25:1:abcd::1" "$BAD")" 429 \
	"a 6th address of the same /64: 429"
assert_eq "$(fpost "$URL2" "2001:db8:25:2::1" "$BAD")" 400 "the next /64 is another client"

step "a browser POST from another site is refused"
o0=$(metric bnd_ingest_form_bad_origin_total)
assert_eq "$(fpost "$INGEST_URL" 192.0.2.240 "$BAD" -H 'Origin: https://evil.example')" 403 \
	"Origin of another site: 403"
assert_eq "$(fpost "$INGEST_URL" 192.0.2.240 "$BAD" -H 'Origin: null')" 403 "Origin null: 403"
assert_eq "$(fpost "$INGEST_URL" 192.0.2.240 "$BAD" -H 'Referer: https://evil.example/x')" 403 \
	"no Origin, a Referer of another site: 403"
assert_eq "$(metric bnd_ingest_form_bad_origin_total)" $((o0 + 3)) "counted"
assert_eq "$(fpost "$INGEST_URL" 192.0.2.241 "$BAD" -H "Origin: http://127.0.0.1:$INGEST_PORT")" 400 \
	"its own origin: on to validation (400)"
assert_eq "$(fpost "$INGEST_URL" 192.0.2.241 "$BAD")" 400 "no Origin (not a browser): on to validation"
e2e_ctl comune set demo --site-origin https://www.comune.demo.example/ >/dev/null
wait_eq 30 "the comune's own site is accepted once configured" 400 \
	fpost "$INGEST_URL" 192.0.2.242 "$BAD" -H 'Origin: https://www.comune.demo.example'

step "no number in clear in the replicas' logs"
for f in ingest.edge.log ingest-2.log; do
	if grep -q "${Q:2}" "$BND_LOGS_DIR/$f"; then e2e_fail "$f holds a number in clear"; fi
done
printf '   ok  none\n'
e2e_ctl gdpr erase --yes "+$Q" >/dev/null 2>&1 || e2e_fail "clean-up erase failed"

e2e_done
