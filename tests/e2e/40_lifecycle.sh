#!/usr/bin/env bash
# Every service drains on SIGTERM and exits 0, as an orchestrator expects
# when it stops a pod; its readiness probe turns 503 while it drains.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }

for svc in ingest subscriptions composer dispatcher; do
	step "$svc: SIGTERM drains and exits 0"
	stack stop "$svc"
	port_var="$(tr a-z A-Z <<<"$svc")_PORT"
	url="http://127.0.0.1:${!port_var}"
	log="$BND_LOGS_DIR/$svc.lifecycle.log"
	mapfile -t env_lines < <("$E2E_ROOT/scripts/stack.sh" svc-env "$svc")
	env "${env_lines[@]}" "$BND_BIN_DIR/banditore-$svc" >"$log" 2>&1 &
	pid=$!
	# Ingest serves metrics on its health port only.
	murl=$url
	[ "$svc" != ingest ] || murl=$INGEST_HEALTH_URL
	wait_eq 30 "$svc ready" 200 http_status "$url/readyz"
	assert_eq "$(curl -s "$url/healthz" | jq -r .status)" ok "$svc alive"
	assert_contains "$(curl -s "$murl/metrics")" "# TYPE" "$svc exports metrics"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_eq "$rc" 0 "$svc exited 0 after SIGTERM"
	assert_contains "$(cat "$log")" '"level":"info"' "$svc logs JSON lines"
	stack start "$svc"
done

step "the restarted stack still works"
F=393330000401
assert_eq "$(fake_inbound "$F" "ATTIVA" | jq -r .status)" 200 "ATTIVA accepted"
wait_eq 30 "welcome to F" 1 fake_count_to "$F" text

e2e_done
