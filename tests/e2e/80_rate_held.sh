#!/usr/bin/env bash
# Rate held: the fake WhatsApp accepts R messages/s per phone number and
# answers 130429 above it; the comune's channel is configured at R. A
# notice to 5,000 citizens goes out at >= 95% of R (measured from the
# fake's first and last accepted message), never faster, with < 1% of the
# requests throttled, and reaches every citizen exactly once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
trap 'fake_normal' EXIT

R=${E2E_RATE:-200}
N=${E2E_RECIPIENTS:-5000}
SENDER=100000000000080
TITLE="Allerta meteo $$"

step "a comune whose channel is configured at $R msg/s, $N subscribers"
ch=$(e2e_comune e2e80 "$SENDER" "$R")
e2e_subscribers "$ch" 3938080 "$N"
assert_eq "$(psql_q "SELECT count(*) FROM subscribers WHERE channel_id = $ch AND status = 'active'")" \
	"$N" "$N active subscribers"
# The dispatcher reads the channel's rate when it first meets the sender.
fake_config "{\"rate\":$R}" >/dev/null
assert_eq "$(curl -s "$FAKE_WA_URL/_fake/config" | jq -r .rate)" "$R" "the fake accepts $R msg/s per sender"
curl -s -X DELETE "$FAKE_WA_URL/_fake/stats" >/dev/null

step "the notice fans out to $N citizens"
t0=$(date +%s)
id=$(e2e_notice e2e80 "$TITLE" "Domani allerta arancione per temporali.")
wait_delivered $((N / R + 40)) "$SENDER" "$TITLE" "$N"
read -r reached msgs most <<<"$(fake_notice_report "$SENDER" "$TITLE")"
assert_eq "$msgs" "$N" "$N messages for $N citizens"
assert_eq "$most" 1 "nobody got it twice"
stats=$(curl -s "$FAKE_WA_URL/_fake/stats")
printf '   ..  fake stats: %s (%d s)\n' "$(jq -c 'del(.accepted_by_sender)' <<<"$stats")" $(($(date +%s) - t0))

step "the provider's rate is used, not exceeded"
first=$(jq -r .first_accepted_ms <<<"$stats")
last=$(jq -r .last_accepted_ms <<<"$stats")
accepted=$(jq -r --arg p "$SENDER" '.accepted_by_sender[$p]' <<<"$stats")
throttled=$(jq -r .throttled_130429 <<<"$stats")
rate=$(awk -v n="$accepted" -v ms=$((last - first)) 'BEGIN {printf "%.1f", (n - 1) * 1000 / ms}')
printf '   ..  achieved %s msg/s of %s; %s of %s requests throttled\n' "$rate" "$R" "$throttled" \
	$((accepted + throttled))
awk -v r="$rate" -v R="$R" 'BEGIN {exit !(r >= 0.95 * R)}' ||
	e2e_fail "achieved $rate msg/s, below 95% of $R"
awk -v r="$rate" -v R="$R" 'BEGIN {exit !(r <= 1.05 * R)}' ||
	e2e_fail "achieved $rate msg/s, faster than the provider allows ($R)"
printf '   ok  %s msg/s is within 95-105%% of %s\n' "$rate" "$R"
awk -v t="$throttled" -v a="$accepted" 'BEGIN {exit !(t < 0.01 * (t + a))}' ||
	e2e_fail "$throttled throttled answers: 1% or more of the requests"
printf '   ok  under 1%% throttled answers\n'
wait_eq 30 "every delivery recorded as sent" "$N" \
	psql_q "SELECT count(*) FROM deliveries WHERE notice_id = '$id' AND status = 'sent'"

e2e_done
