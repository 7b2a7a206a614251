#!/usr/bin/env bash
# The dispatcher is killed with SIGKILL in the middle of a fan-out and
# started again: every citizen gets the notice; only what was in flight at
# the moment of the kill may arrive twice (at most the in-flight bound).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
stack() { "$E2E_ROOT/scripts/stack.sh" "$@" >/dev/null 2>&1; }
trap 'fake_normal; stack start dispatcher || true' EXIT

N=3000
R=300
SENDER=100000000000082
TITLE="Strade chiuse $$"
# The dispatcher's bound on requests in flight (BND_MAX_INFLIGHT).
inflight=$(svc_env_value dispatcher BND_MAX_INFLIGHT)
inflight=${inflight:-$("$BND_BIN_DIR/banditore-dispatcher" --config |
	awk -F'`' '/BND_MAX_INFLIGHT/ {print $4}')}
inflight=${inflight:-64}

step "a comune at $R msg/s with $N subscribers"
ch=$(e2e_comune e2e82 "$SENDER" "$R")
e2e_subscribers "$ch" 3938082 "$N"
dups0=$(fake_stat duplicates)

step "SIGKILL to the dispatcher a third of the way through"
id=$(e2e_notice e2e82 "$TITLE" "Via Roma chiusa per lavori da lunedì.")
wait_until 40 "a third delivered" "[ \"\$(fake_sender_accepted $SENDER)\" -ge $((N / 3)) ]"
pid=$(svc_pid dispatcher)
kill -KILL "$pid"
at_kill=$(fake_sender_accepted "$SENDER")
printf '   ..  killed dispatcher %s after %s of %s\n' "$pid" "$at_kill" "$N"
[ "$at_kill" -lt "$N" ] || e2e_fail "the fan-out was over before the kill: make it slower"
wait_until 5 "the dispatcher is gone" pid_gone "$pid"

step "started again, it finishes the job"
stack start dispatcher || e2e_fail "the dispatcher did not start again"
wait_delivered 60 "$SENDER" "$TITLE" "$N"
read -r reached msgs most <<<"$(fake_notice_report "$SENDER" "$TITLE")"
dups=$((msgs - N))
printf '   ..  %s messages for %s citizens: %s repeated (in-flight bound %s)\n' "$msgs" "$N" \
	"$dups" "$inflight"
[ "$dups" -le "$inflight" ] || e2e_fail "$dups citizens got it twice, more than the $inflight in flight"
printf '   ok  repeats (%s) within the in-flight bound (%s)\n' "$dups" "$inflight"
[ "$most" -le 2 ] || e2e_fail "somebody got the notice $most times"
assert_eq "$(($(fake_stat duplicates) - dups0))" "$dups" "the fake counted the same repeats"
wait_eq 30 "every delivery recorded as sent" "$N" \
	psql_q "SELECT count(*) FROM deliveries WHERE notice_id = '$id' AND status = 'sent'"

e2e_done
