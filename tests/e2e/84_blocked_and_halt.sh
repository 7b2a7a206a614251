#!/usr/bin/env bash
# Errors that are not worth retrying, as the real Cloud API gives them:
#  - a citizen whose number answers 131050 (stopped messages from us):
#    consent revoked with source "provider", nothing more sent to them;
#  - a comune's token refused (HTTP 401, code 190): that sender halts,
#    logs and metrics say so, another comune's sender keeps delivering;
#    once the token works again the halted sender delivers its backlog.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env
trap 'fake_normal' EXIT

SA=100000000000084   # the comune with a citizen who stopped our messages
SB=100000000000085   # the comune whose token expires
SC=100000000000086   # a comune that must not notice anything
X=393808400007       # the citizen who stopped our messages (+39380840000 7)
log_lines0=$(wc -l <"$BND_LOGS_DIR/dispatcher.log")

step "131050 from one citizen: consent revoked, nothing more sent"
cha=$(e2e_comune e2e84a "$SA" 200)
e2e_subscribers "$cha" 3938084 20
fake_fault "{\"code\":131050,\"count\":-1,\"to\":\"$X\"}"
e2e_notice e2e84a "Avviso uno $$" "Prima comunicazione." >/dev/null
wait_delivered 30 "$SA" "Avviso uno $$" 19
wait_eq 30 "the citizen is revoked" revoked \
	psql_q "SELECT status FROM subscribers WHERE channel_id = $cha AND address = '+$X'"
assert_eq "$(psql_q "SELECT count(*) FROM consent_events ce JOIN subscribers s ON s.id = ce.subscriber_id
                     WHERE s.address = '+$X' AND ce.action = 'revoke' AND ce.source = 'provider'")" 1 \
	"the revocation is in the consent ledger, source provider"
hits=$(curl -s "$FAKE_WA_URL/_fake/faults" | jq --arg x "$X" '[.faults[] | select(.to == $x)][0].hits')
assert_eq "$hits" 1 "one request to that citizen, not retried"
e2e_notice e2e84a "Avviso due $$" "Seconda comunicazione." >/dev/null
wait_delivered 30 "$SA" "Avviso due $$" 19
sleep 1
hits=$(curl -s "$FAKE_WA_URL/_fake/faults" | jq --arg x "$X" '[.faults[] | select(.to == $x)][0].hits')
assert_eq "$hits" 1 "the next notice is not even tried for that citizen"

step "an expired token halts one sender; another comune keeps delivering"
chb=$(e2e_comune e2e84b "$SB" 200)
chc=$(e2e_comune e2e84c "$SC" 200)
e2e_subscribers "$chb" 3938085 50
e2e_subscribers "$chc" 3938086 50
fake_config "{\"invalid_tokens\":[\"$SB\"]}" >/dev/null
rejected0=$(fake_stat rejected)
e2e_notice e2e84b "Blocco B $$" "Avviso dal comune B." >/dev/null
e2e_notice e2e84c "Avviso C $$" "Avviso dal comune C." >/dev/null
wait_delivered 30 "$SC" "Avviso C $$" 50
wait_until 30 "the dispatcher says sender $SB is halted" \
	"tail -n +$((log_lines0 + 1)) '$BND_LOGS_DIR/dispatcher.log' | grep -i halt | grep -q '$SB'"
wait_eq 15 "the metrics show the halted sender" 1 sh -c \
	"curl -s '$DISPATCHER_URL/metrics' | awk '/_halted\\{channel=\"$chb\"\\}/ {print \$2}'"
assert_eq "$(curl -s "$DISPATCHER_URL/metrics" | awk "/_halted\\{channel=\"$chc\"\\}/ {print \$2}")" 0 \
	"the other comune's sender is not halted"
assert_eq "$(fake_notice_report "$SB" "Blocco B $$" | cut -d' ' -f1)" 0 "nothing from the halted sender"
sleep 3
tries=$(($(fake_stat rejected) - rejected0))
printf '   ..  %s requests refused while the token was bad\n' "$tries"
[ "$tries" -le 25 ] || e2e_fail "the halted sender keeps hammering the provider ($tries refusals)"
printf '   ok  the halted sender does not hammer the provider\n'

step "the token works again: the halted sender delivers its backlog"
fake_config '{"invalid_tokens":[]}' >/dev/null
wait_delivered 60 "$SB" "Blocco B $$" 50
assert_eq "$(fake_notice_report "$SB" "Blocco B $$" | cut -d' ' -f3)" 1 "nobody got it twice"
wait_eq 15 "the metrics show it resumed" 0 sh -c \
	"curl -s '$DISPATCHER_URL/metrics' | awk '/_halted\\{channel=\"$chb\"\\}/ {print \$2}'"

e2e_done
