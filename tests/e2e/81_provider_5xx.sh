#!/usr/bin/env bash
# The provider fails with HTTP 500 (Meta's 131000) for 10 seconds in the
# middle of a fan-out: the dispatcher backs off and retries, and once the
# provider is back every citizen gets the notice, none of them twice.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
trap 'fake_normal' EXIT

N=2000
R=250
SENDER=100000000000081
TITLE="Acqua sospesa $$"

step "a comune at $R msg/s with $N subscribers"
ch=$(e2e_comune e2e81 "$SENDER" "$R")
e2e_subscribers "$ch" 3938081 "$N"
dups0=$(fake_stat duplicates)
inj0=$(fake_stat errors_injected)

step "the notice starts; the provider goes down for 10 s at a quarter of the way"
id=$(e2e_notice e2e81 "$TITLE" "Domani dalle 8 alle 14 manca l'acqua in via Roma.")
wait_until 40 "a quarter delivered" "[ \"\$(fake_sender_accepted $SENDER)\" -ge $((N / 4)) ]"
fake_fault '{"code":131000,"http":500,"duration_ms":10000}'
before=$(fake_sender_accepted "$SENDER")
sleep 9
during=$(($(fake_sender_accepted "$SENDER") - before))
assert_eq "$during" 0 "nothing accepted while the provider is down"
injected=$(($(fake_stat errors_injected) - inj0))
[ "$injected" -gt 0 ] || e2e_fail "the dispatcher sent nothing during the outage (it should try)"
printf '   ..  %d requests answered 500 during the outage\n' "$injected"

step "the provider is back: everything is delivered, nothing twice"
wait_delivered 60 "$SENDER" "$TITLE" "$N"
read -r reached msgs most <<<"$(fake_notice_report "$SENDER" "$TITLE")"
assert_eq "$msgs" "$N" "$N messages for $N citizens"
assert_eq "$most" 1 "nobody got it twice"
assert_eq "$(($(fake_stat duplicates) - dups0))" 0 "the fake's duplicate counter did not move"
wait_eq 30 "every delivery recorded as sent" "$N" \
	psql_q "SELECT count(*) FROM deliveries WHERE notice_id = '$id' AND status = 'sent'"
assert_eq "$(psql_q "SELECT count(*) FROM deliveries WHERE notice_id = '$id' AND status = 'dead'")" \
	0 "nothing given up"

e2e_done
