#!/usr/bin/env bash
# Fault matrix (4): PostgreSQL is restarted (fast shutdown, start) in the
# middle of a fan-out and while the dispatcher writes its ledger. The
# services drop their connections, retry, and go on; nothing is lost,
# nothing is sent twice, no claim is left behind.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
. "$(dirname "$0")/lib_fanout.sh"
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
cleanup() {
	stack start postgres || true
	fm_composer_default
	fm_restore
}
trap cleanup EXIT

N=2000
RATE=100

step "a slow fan-out to $N + $N citizens"
fm_slow_send "$N" "$RATE"

step "PostgreSQL restarted"
printf '   ..  before: %s recipients fanned out, reached %s\n' \
	"$(psql_q "SELECT recipients FROM notices WHERE id = '$FM_WA_ID'")" "$(fm_progress)"
stack stop postgres
sleep 2
stack start postgres || e2e_fail "PostgreSQL did not start again"
printf '   ok  PostgreSQL back\n'

step "everyone got it once"
fm_wait 180
fm_check 0
for s in ingest subscriptions composer dispatcher; do
	pid_gone "$(svc_pid "$s")" && e2e_fail "$s died"
done
printf '   ok  no service died\n'
e2e_done
