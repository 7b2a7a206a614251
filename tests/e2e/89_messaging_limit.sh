#!/usr/bin/env bash
# WhatsApp's messaging limit: a portfolio at tier 250 has already reached
# 250 citizens in the last 24 hours, ten of those reservations 8 seconds
# from expiring. A template notice to 15 new citizens: none goes out at
# once, all are held (the statistics say how many and until when); the ten
# whose room frees up as the window moves go out then, the other five
# stay held until tomorrow. Never more than the tier in any 24 hours.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

SENDER=100000000000189
TITLE="Scadenza TARI $$"
N=15

step "a portfolio at tier 250, full: 240 reservations fresh, 10 expiring in 8 s"
ch=$(e2e_comune e2e89 "$SENDER" 80)
e2e_subscribers "$ch" 3938090 "$N"
psql_q "INSERT INTO wa_portfolios (id, tier) VALUES ('pf-e2e89', 250);
        UPDATE channels SET portfolio_id = 'pf-e2e89' WHERE id = $ch;
        INSERT INTO wa_reached (portfolio_id, address, reached_at)
        SELECT 'pf-e2e89', '+3900000890' || lpad(i::text, 3, '0'),
               CASE WHEN i <= 10 THEN now() - interval '24 hours' + interval '8 seconds'
                    ELSE now() - interval '1 hour' END
          FROM generate_series(1, 250) i" >/dev/null
stats() { psql_q "SELECT sent || '|' || held FROM notice_stats WHERE notice_id = '$1'"; }

step "a notice to $N new citizens: all held, with the time they go"
id=$(e2e_notice e2e89 "$TITLE" "Il pagamento della TARI scade il 16 dicembre.")
wait_eq 30 "0 sent, $N held" "0|$N" stats "$id"
assert_eq "$(fake_notice_report "$SENDER" "$TITLE" | cut -d' ' -f1)" 0 "nothing at the provider"
until_s=$(psql_q "SELECT extract(epoch FROM held_until - now())::int FROM notice_stats WHERE notice_id = '$id'")
# The last five go when the reservations made an hour ago expire: in 23 hours.
[ "$until_s" -ge $((23 * 3600 - 60)) ] && [ "$until_s" -le $((23 * 3600 + 60)) ] ||
	e2e_fail "held_until is $until_s s away, expected 23 hours"
printf '   ok  the last held until %s s from now (23 hours)\n' "$until_s"

step "as the window moves, the ten whose room frees up go out; five stay held"
wait_delivered 45 "$SENDER" "$TITLE" 10
wait_eq 30 "10 sent, 5 held" "10|5" stats "$id"
sleep 3
assert_eq "$(fake_notice_report "$SENDER" "$TITLE" | cut -d' ' -f1)" 10 "not one more"
assert_eq "$(psql_q "SELECT count(*) FROM wa_reached WHERE portfolio_id = 'pf-e2e89'")" 250 \
	"250 reached in the last 24 hours, never more"

e2e_done
