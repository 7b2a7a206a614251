#!/usr/bin/env bash
# banditorectl for operators: --version and help (status 0, on stdout) for
# every command, a usage error still 2; every listing as JSON (-o json)
# that jq reads; the kill switch (notice cancel) stops a slow notice
# mid-delivery through the composer, recorded as by "operator"; comune set
# (quiet hours, time zone, archive, single-person urgent); channel set,
# disable (a notice fans out to nobody on it) and enable; dead replay
# --dry-run with filters changes nothing; gdpr erase refuses without --yes
# when there is no terminal, and erases with it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_env

C=e2e56          # a slow sender: 2 messages/s, 300 citizens
S=100000000000056
C2=e2e56b        # a channel switched off and on
S2=100000000000156
DEAD_CH=$((956000 + $$ % 1000))   # a channel nobody configures (its jobs go dead)
DEAD_S=100000000000256
P2=3935602       # citizens of $C2: +393560200001..3
G="+${P2}00003"  # the one erased at the end; the dead jobs are its own
# Its erasure makes this test's dead letters unreplayable: `dead replay
# --all` in later tests (85) must not find them. Done again here whatever
# happens (a second erasure finds nothing).
trap 'e2e_ctl gdpr erase --yes "$G" --requested-by "e2e 56" </dev/null >/dev/null 2>&1 || true' EXIT

# rc CMD...: the exit status of CMD (output dropped).
rc() {
	local r=0
	"$@" >/dev/null 2>&1 || r=$?
	printf '%s\n' "$r"
}
status_of() { psql_q "SELECT status FROM notices WHERE id = '$1'"; }

step "--version, help and usage errors"
v=$(e2e_ctl --version)
[[ $v =~ ^banditorectl\ [^[:space:]]+$ ]] || e2e_fail "--version printed '$v'"
printf '   ok  --version: %s\n' "$v"
assert_eq "$(e2e_ctl version)" "$v" "version says the same"
assert_eq "$(rc e2e_ctl --help)" 0 "--help exits 0"
assert_eq "$(rc e2e_ctl help)" 0 "help exits 0"
assert_contains "$(e2e_ctl --help 2>/dev/null)" "notice cancel ID" "the usage is on stdout"
mapfile -t cmds < <(e2e_ctl help | sed -n 's/^  \([a-z]\+\)\( [a-z]\+\)\?\( .*\)\?$/\1\2/p')
[ "${#cmds[@]}" -ge 25 ] || e2e_fail "help listed only ${#cmds[@]} commands"
for c in "${cmds[@]}"; do
	# shellcheck disable=SC2086 # two words
	out=$(e2e_ctl $c --help 2>/dev/null) || e2e_fail "'$c --help' did not exit 0"
	case $out in usage:*) ;; *) e2e_fail "'$c --help' printed no usage on stdout: $out" ;; esac
	# shellcheck disable=SC2086
	e2e_ctl help $c >/dev/null 2>&1 || e2e_fail "'help $c' did not exit 0"
done
printf '   ok  COMMAND --help and help COMMAND exit 0 for all %s commands\n' "${#cmds[@]}"
assert_eq "$(rc e2e_ctl channel --help)" 0 "a first word alone with --help: its commands"
assert_eq "$(rc e2e_ctl comune list extra)" 2 "an extra argument is still a usage error (2)"
assert_eq "$(rc e2e_ctl comune list -o yaml)" 2 "-o yaml is a usage error"
assert_eq "$(rc e2e_ctl frobnicate)" 2 "an unknown command is a usage error"
assert_eq "$(rc e2e_ctl)" 2 "no command at all is a usage error"

step "a slow sender with 300 citizens, a second comune with 3"
ch=$(e2e_comune "$C" "$S" 2)
e2e_subscribers "$ch" 3935601 300
ch2=$(e2e_comune "$C2" "$S2" 50)
e2e_subscribers "$ch2" "$P2" 3
sleep 2

step "every listing as JSON"
for l in "comune list" "channel list --comune $C" "topic list --comune demo" \
	"apikey list --comune $C" "subscribers count --comune $C" "notice list --comune demo" \
	"dead list" "quarantine list"; do
	# shellcheck disable=SC2086
	out=$(e2e_ctl $l -o json) || e2e_fail "'$l -o json' failed"
	jq -e 'type == "array"' <<<"$out" >/dev/null || e2e_fail "'$l -o json' is not a JSON array: $out"
done
printf '   ok  8 listings print a JSON array\n'
assert_eq "$(e2e_ctl comune list -o json | jq -r --arg c "$C" '.[] | select(.id == $c) | .active')" \
	300 "comune list: active is a number"
assert_eq "$(e2e_ctl subscribers count --comune "$C" --json | jq -c '.[0] | [.comune, .active]')" \
	"[\"$C\",300]" "subscribers count --json (the older spelling)"
assert_eq "$(e2e_ctl channel list --comune "$C" -o json | jq -c --arg s "$S" \
	'.[] | select(.sender == $s) | [.id, .kind, .rate, .disabled]')" "[$ch,\"whatsapp\",\"2\",false]" \
	"channel list: id, kind, rate, disabled"
assert_eq "$(e2e_ctl apikey list --comune "$C" -o json | jq -r '[.[].role] | sort | join(",")')" \
	"approver,editor" "apikey list: roles"
assert_contains "$(e2e_ctl comune list | head -1)" "$(printf 'id\tname\tchannels\tactive')" \
	"text is still the default"

step "the kill switch: notice cancel stops a slow notice mid-delivery"
T="Avviso lento $$"
id=$(e2e_notice "$C" "$T" "Questo avviso va fermato.")
wait_until 60 "some of it sent" "[ \"\$(fake_notice_report $S '$T' | cut -d' ' -f1)\" -ge 2 ]"
assert_eq "$(status_of "$id")" sending "the notice is sending"
assert_eq "$(e2e_ctl notice list --comune "$C" -o json | jq -r --arg i "$id" '.[] | select(.id == $i) | .status')" \
	sending "notice list -o json shows it sending"
assert_eq "$(e2e_ctl notice cancel "$id" --reason "Avviso errato")" "$id" \
	"notice cancel prints the id (the composer applied it)"
assert_eq "$(status_of "$id")" cancelled "cancelled in the database"
sleep 3
before=$(fake_notice_report "$S" "$T" | cut -d' ' -f1)
sleep 3
assert_eq "$(fake_notice_report "$S" "$T" | cut -d' ' -f1)" "$before" "nothing more sent ($before of 300)"
[ "$before" -lt 300 ] || e2e_fail "the whole notice went out before the cancel"
wait_eq 60 "sent + stopped = recipients (300)" 300 psql_q \
	"SELECT sent + stopped FROM notice_stats WHERE notice_id = '$id'"
assert_eq "$(e2e_ctl notice stats "$id" -o json | jq -r 'type')" object "notice stats -o json"
assert_eq "$(e2e_ctl notice show "$id" | jq -r '[.history[] | select(.action == "cancel")][0] | "\(.actor)|\(.detail)"')" \
	"operator|Avviso errato" "the history says who (operator) and why"
assert_eq "$(rc e2e_ctl notice cancel "$id")" 0 "cancelling it again: it is cancelled already, status 0"
assert_eq "$(rc e2e_ctl notice cancel 00000000-0000-4000-8000-000000000056)" 1 "an unknown notice: 1"
assert_eq "$(rc e2e_ctl notice cancel 42)" 2 "not a UUID: 2"

step "comune set: quiet hours, time zone, archive, single-person urgent"
assert_eq "$(e2e_ctl comune set "$C" --quiet-start 22:30 --quiet-end 07:00 --time-zone Europe/Rome \
	--archive-base-url https://avvisi.e2e56.example --allow-single-urgent yes)" "$C" "comune set"
assert_eq "$(psql_q "SELECT quiet_start || ' ' || quiet_end || ' ' || time_zone || ' ' || archive_base_url
                     || ' ' || allow_single_urgent FROM comuni WHERE id = '$C'")" \
	"22:30:00 07:00:00 Europe/Rome https://avvisi.e2e56.example true" "stored"
assert_eq "$(rc e2e_ctl comune set "$C" --quiet-end 7:00)" 2 "7:00 is not HH:MM"
assert_eq "$(rc e2e_ctl comune set "$C" --time-zone Europe/Nowhere)" 2 "an unknown time zone"
assert_eq "$(rc e2e_ctl comune set "$C" --archive-base-url ftp://x)" 2 "not an http(s) address"
assert_eq "$(rc e2e_ctl comune set "$C" --allow-single-urgent forse)" 2 "yes or no"
e2e_ctl comune set "$C" --quiet-start 00:00 --quiet-end 00:00 >/dev/null   # no quiet hours again

step "channel set, disable and enable"
assert_eq "$(e2e_ctl channel set "$ch2" --rate 40 --welcome "Benvenuto a $C2.")" "$ch2" "channel set"
assert_eq "$(psql_q "SELECT rate_per_sec || '|' || welcome_text FROM channels WHERE id = $ch2")" \
	"40|Benvenuto a $C2." "rate and welcome stored"
assert_eq "$(rc e2e_ctl channel set "$ch2")" 2 "nothing to change: 2"
assert_eq "$(rc e2e_ctl channel set 999999999 --rate 5)" 1 "an unknown channel: 1"
assert_eq "$(e2e_ctl channel disable "$ch2")" "$ch2" "channel disable"
assert_eq "$(e2e_ctl channel list --comune "$C2" -o json | jq -r '.[0].disabled')" true \
	"channel list shows it disabled"
T2="Canale spento $$"
off=$(e2e_notice "$C2" "$T2" "Nessuno deve riceverlo.")
wait_eq 60 "the notice settles with no recipient" "sent|0" \
	psql_q "SELECT status || '|' || recipients FROM notices WHERE id = '$off'"
assert_eq "$(fake_notice_report "$S2" "$T2")" "0 0 0" "nothing went out on the disabled channel"
assert_eq "$(rc e2e_ctl notice cancel "$off")" 1 "a sent notice cannot be cancelled: 1"
assert_eq "$(e2e_ctl channel enable "$ch2")" "$ch2" "channel enable"
assert_eq "$(psql_q "SELECT disabled FROM channels WHERE id = $ch2")" f "enabled in the database"
T3="Canale acceso $$"
e2e_notice "$C2" "$T3" "Tutti devono riceverlo." >/dev/null
wait_delivered 60 "$S2" "$T3" 3

step "dead replay --dry-run with filters changes nothing"
since=$(date -u -d '-5 seconds' +%Y-%m-%dT%H:%M:%S)
gid=$(psql_q "SELECT id FROM subscribers WHERE channel_id = $ch2 AND address = '$G'")
[ -n "$gid" ] || e2e_fail "no subscriber $G"
# Two jobs of G's for a channel nobody configured: dead-lettered (no_credentials).
"$BND_BIN_DIR/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs" "$DEAD_CH" "$DEAD_S" 2 \
	56 "$gid" >/dev/null || e2e_fail "jobgen failed"
dead_of_sender() {
	e2e_ctl dead list -o json | jq --arg s "$DEAD_S" '[.[] | select(.sender == $s)] | length'
}
wait_eq 30 "2 dead letters for the unknown channel" 2 dead_of_sender
sleep 2   # the dispatcher's ledger rows of them, if any, written
ledger() { psql_q "SELECT count(*) || '|' || count(*) FILTER (WHERE status = 'dead') FROM deliveries WHERE job_id ~ '^bench:56:'"; }
rows=$(ledger)
dry=$(e2e_ctl dead replay --comune demo --since "$since" --dry-run 2>/dev/null)
assert_contains "$dry" "bench:56:0" "the dry run lists the first job"
assert_contains "$dry" "bench:56:1" "and the second"
assert_contains "$dry" "would replay" "says what it would do"
case $dry in *3934056*) e2e_fail "a phone number in clear in the dry run" ;; esac
assert_contains "$(e2e_ctl dead replay --notice 00000000-0000-4000-8000-000000000056 --dry-run 2>/dev/null)" \
	"would replay 0 job(s)" "a notice without dead letters: none"
assert_contains "$(e2e_ctl dead replay --comune nessuno --dry-run 2>/dev/null)" "would replay 0 job(s)" \
	"another comune: none"
sleep 2
assert_eq "$(ledger)" "$rows" "the deliveries ledger is unchanged"
assert_eq "$(dead_of_sender)" 2 "the dead letters are still there"
assert_eq "$(rc e2e_ctl dead replay --since yesterday)" 2 "--since takes a UTC time: 2"
assert_eq "$(rc e2e_ctl dead replay --job x --all)" 2 "--job with --all: 2"

step "gdpr erase asks for --yes without a terminal"
set +e
err=$(e2e_ctl gdpr erase "$G" --requested-by "ticket 56" </dev/null 2>&1 >/dev/null); code=$?
set -e
assert_eq "$code" 2 "refused without --yes (usage error)"
assert_contains "$err" "--yes" "and says to add --yes"
assert_eq "$(psql_q "SELECT status FROM subscribers WHERE id = $gid")" active "nothing was erased"
e2e_ctl gdpr erase --yes "$G" --requested-by "ticket 56" </dev/null >/dev/null ||
	e2e_fail "gdpr erase --yes failed"
assert_eq "$(psql_q "SELECT status FROM subscribers WHERE id = $gid")" erased "erased with --yes"
assert_contains "$(e2e_ctl dead replay --comune demo --since "$since" --dry-run 2>/dev/null)" \
	"2 job(s) of erased subscribers not replayed" "its dead jobs will never be replayed"
assert_eq "$(rc e2e_ctl gdpr export --yes "+${P2}00002")" 2 "--yes is for erase only"

e2e_done
