# shellcheck shell=bash
# Helpers for the fault matrix (tests 98*): a rate-limited fan-out on
# WhatsApp and Telegram at once, big enough to fail in the middle of,
# and the count of what each citizen received at the fake providers.
#
#   fm_prepare N RATE     a comune with four WhatsApp senders (one per
#                         partition of the stack's four) sharing N
#                         subscribers, each limited to RATE/4 msg/s, and N
#                         more chats on the demo Telegram bot, limited to
#                         RATE msg/s: both take N/RATE seconds. Limits are
#                         the channels' settings and the fakes' (strict).
#   fm_send               both notices written, submitted and approved
#   fm_slow_send N RATE   the composer slowed down, fm_prepare, fm_send, and
#                         a wait until fan-out and delivery are both under way
#   fm_composer_default   the composer again with the stack's settings
#   fm_wait TIMEOUT       until every recipient has its message (fails after)
#   fm_check              every recipient exactly once, the ledger and the
#                         notices' recipients agree; prints the repeats
#   fm_restore            the fakes and the demo channels as they were
# Sourced after lib.sh and e2e_env.

# Four WhatsApp senders per test (98a..98h): their keys fall in partitions
# 0, 1, 2 and 3 of four (librdkafka's consistent partitioner: CRC-32 of
# the key modulo the count), so every partition has work to move.
declare -A FM_SENDER_SETS=(
	[a]="100000000980002 100000000980004 100000000980001 100000000980005"
	[b]="100000000980009 100000000980006 100000000980003 100000000980007"
	[c]="100000000980014 100000000980010 100000000980008 100000000980011"
	[d]="100000000980016 100000000980012 100000000980015 100000000980013"
	[e]="100000000980021 100000000980019 100000000980017 100000000980018"
	[f]="100000000980023 100000000980025 100000000980020 100000000980024"
	[g]="100000000980028 100000000980027 100000000980022 100000000980026"
	[h]="100000000980035 100000000980031 100000000980029 100000000980030"
)
read -r -a FM_WA_SENDERS <<<"${FM_SENDER_SETS[${E2E_NAME:2:1}]}"
FM_COMUNE="fm${E2E_NAME:0:3}"
# The test's number (98a: 1 ... 98h: 8), in its citizens' numbers and chat ids:
# WhatsApp +39398<n><sender 0-3><00001...>, Telegram chats 98<n>0000001...
FM_CODE=$(($(printf '%d' "'${E2E_NAME:2:1}") - 96))
FM_TG_BASE=$((9800000001 + FM_CODE * 10000000))
FM_TITLE="Allerta $E2E_NAME $$"

# fm_prepare N RATE
fm_prepare() {
	local n=$1 rate=$2 per=$(($1 / 4)) wrate=$(($2 / 4)) i ch keys="$BND_STATE_DIR/e2e-keys"
	FM_N=$n FM_RATE=$rate
	FM_TG_CH=$(psql_q "SELECT id FROM channels WHERE kind = 'telegram' AND sender_account = '$DEMO_TG_BOT'")
	# Normal notices, sent at any hour: no quiet hours for the demo comune.
	psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = '$DEMO_COMUNE'" >/dev/null
	# Before the new channels: a dispatcher that meets them re-reads every channel's settings.
	psql_q "UPDATE channels SET rate_per_sec = $rate WHERE id = $FM_TG_CH" >/dev/null
	e2e_comune "$FM_COMUNE" "${FM_WA_SENDERS[0]}" "$wrate" >/dev/null
	for i in 1 2 3; do
		e2e_ctl channel add --comune "$FM_COMUNE" --kind whatsapp --sender "${FM_WA_SENDERS[$i]}" \
			--token-ref "file:$BND_SECRETS_DIR/wa-token" \
			--app-secret-ref "file:$BND_SECRETS_DIR/wa-app-secret" --rate "$wrate" \
			--welcome "Benvenuto." --goodbye "Arrivederci." >/dev/null ||
			e2e_fail "channel add ${FM_WA_SENDERS[$i]}"
	done
	for i in 0 1 2 3; do
		ch=$(psql_q "SELECT id FROM channels WHERE sender_account = '${FM_WA_SENDERS[$i]}'")
		e2e_subscribers "$ch" "39398$FM_CODE$i" "$per"
	done
	# Telegram chats: ids 98<test><5 digits>, each with its consent event.
	psql_q "INSERT INTO subscribers (channel_id, address, status)
	        SELECT $FM_TG_CH, ($FM_TG_BASE::bigint + g - 1)::text, 'active'
	          FROM generate_series(1, $n) g" >/dev/null
	# They pressed Start long ago (the fake Bot API refuses chats that did not).
	curl -s -m 10 -X POST --data-binary "{\"chat_id\":$FM_TG_BASE,\"count\":$n,\"state\":\"started\"}" \
		"$FAKE_TG_URL/_fake/block" | grep -q '"ok"' || e2e_fail "fake Telegram: chats not started"
	fake_config "{\"rate\":$wrate,\"burst\":$((wrate / 4 > 1 ? wrate / 4 : 1))}" >/dev/null
	fake_tg_config "{\"rate\":$rate,\"chat_rate\":0}" >/dev/null
	FM_TG_EXPECTED=$(psql_q "SELECT count(*) FROM subscribers WHERE channel_id = $FM_TG_CH AND status = 'active'")
	printf '   ..  %s WhatsApp recipients on 4 senders at %s msg/s each, %s Telegram chats at %s msg/s\n' \
		"$n" "$wrate" "$FM_TG_EXPECTED" "$rate"
}

# fake_tg_config JSON: changes the fake Telegram's knobs.
fake_tg_config() {
	curl -s -m 10 -X POST -H 'Content-Type: application/json' --data-binary "$1" \
		"$FAKE_TG_URL/_fake/config"
}

# fm_send: the WhatsApp notice (the test comune) and the Telegram one (the
# demo comune, bot subscribers only), approved one after the other.
fm_send() {
	FM_WA_ID=$(e2e_notice "$FM_COMUNE" "$FM_TITLE" "Esondazione del torrente: restate ai piani alti.")
	FM_TG_ID=$(api_post /api/v1/notices "$(jq -nc --arg t "$FM_TITLE" \
		'{title: $t, body: "Esondazione del torrente: restate ai piani alti.", channels: ["telegram"]}')" |
		jq -r .id)
	[ -n "$FM_TG_ID" ] && [ "$FM_TG_ID" != null ] || e2e_fail "Telegram notice not created"
	api_submit_approve "$FM_TG_ID" >/dev/null
}

# fm_slow_send N RATE: the composer restarted to fan out slowly (pages of
# 100, one in flight, 300 ms apart), then fm_prepare N RATE and fm_send;
# returns once a quarter of the WhatsApp recipients are fanned out and
# someone is reached, so a fault lands mid fan-out and mid delivery.
fm_slow_send() {
	"$E2E_ROOT/scripts/stack.sh" stop composer >/dev/null 2>&1
	env BND_FANOUT_PAGE=100 BND_FANOUT_INFLIGHT=1 BND_FANOUT_PAGE_DELAY_MS=300 \
		"$E2E_ROOT/scripts/stack.sh" start composer >/dev/null 2>&1 || e2e_fail "composer"
	fm_prepare "$1" "$2"
	fm_send
	wait_until 30 "mid fan-out and mid delivery" \
		"[ \"\$(psql_q \"SELECT recipients FROM notices WHERE id = '$FM_WA_ID' AND status = 'sending'\")\" -ge $(($1 / 4)) ] 2>/dev/null && [ \"\$(fm_progress | cut -d' ' -f1)\" -gt 0 ]"
}

# fm_composer_default: the composer restarted with the stack's settings
# (for a test's cleanup: never fails).
fm_composer_default() {
	"$E2E_ROOT/scripts/stack.sh" stop composer >/dev/null 2>&1 || true
	"$E2E_ROOT/scripts/stack.sh" start composer >/dev/null 2>&1 || true
}

# fm_wa_report: "<reached> <messages> <most to one>" for the notice over the four senders.
fm_wa_report() {
	curl -s -m 60 "$FAKE_WA_URL/_fake/messages" |
		jq -r --arg t "$FM_TITLE" '[.messages[] | select(.type == "template" and .params[0] == $t) | .to]
		    | group_by(.) | map(length) | "\(length) \(add // 0) \(max // 0)"'
}

# fm_tg_report: the same for the Telegram notice (private chats only).
fm_tg_report() {
	curl -s -m 60 "$FAKE_TG_URL/_fake/messages" |
		jq -r --arg t "$FM_TITLE" '[.messages[] | select((.chat_id | startswith("@") | not)
		    and (.text | contains($t))) | .chat_id] | group_by(.) | map(length)
		    | "\(length) \(add // 0) \(max // 0)"'
}

# fm_progress: "<WhatsApp reached> <Telegram reached>".
fm_progress() {
	printf '%s %s\n' "$(fm_wa_report | cut -d' ' -f1)" "$(fm_tg_report | cut -d' ' -f1)"
}

# fm_wait_some FRACTION_PERCENT TIMEOUT: until both channels reached that share.
fm_wait_some() {
	local pct=$1 deadline=$(($(date +%s) + $2)) wa tg
	while :; do
		read -r wa tg <<<"$(fm_progress)"
		[ "$wa" -ge $((FM_N * pct / 100)) ] && [ "$tg" -ge $((FM_TG_EXPECTED * pct / 100)) ] && break
		[ "$(date +%s)" -lt "$deadline" ] ||
			e2e_fail "timed out waiting for $pct%: WhatsApp $wa of $FM_N, Telegram $tg of $FM_TG_EXPECTED"
		sleep 0.5
	done
	printf '   ok  %s%% reached (WhatsApp %s, Telegram %s)\n' "$pct" "$wa" "$tg"
}

# fm_wait TIMEOUT: until every recipient on both channels has the notice.
fm_wait() {
	local deadline=$(($(date +%s) + $1)) wa tg
	while :; do
		read -r wa tg <<<"$(fm_progress)"
		[ "$wa" -ge "$FM_N" ] && [ "$tg" -ge "$FM_TG_EXPECTED" ] && break
		[ "$(date +%s)" -lt "$deadline" ] ||
			e2e_fail "timed out after $1 s: WhatsApp $wa of $FM_N, Telegram $tg of $FM_TG_EXPECTED"
		sleep 1
	done
	printf '   ok  everyone reached: WhatsApp %s, Telegram %s\n' "$wa" "$tg"
}

# fm_check [MAX_REPEATS]: everyone reached, repeats at most MAX_REPEATS (0);
# the ledger has one sent row per recipient and each notice counts its
# recipients once. Sets FM_REPEATS (and FM_WA_REPEATS, FM_TG_REPEATS).
fm_check() {
	local max=${1:-0} wa tg w_reached w_msgs w_most t_reached t_msgs t_most
	sleep 2   # a repeat would arrive now
	wa=$(fm_wa_report) tg=$(fm_tg_report)
	read -r w_reached w_msgs w_most <<<"$wa"
	read -r t_reached t_msgs t_most <<<"$tg"
	FM_WA_REPEATS=$((w_msgs - w_reached)) FM_TG_REPEATS=$((t_msgs - t_reached))
	FM_REPEATS=$((FM_WA_REPEATS + FM_TG_REPEATS))
	printf '   ..  WhatsApp: %s recipients, %s messages; Telegram: %s recipients, %s messages\n' \
		"$w_reached" "$w_msgs" "$t_reached" "$t_msgs"
	assert_eq "$w_reached" "$FM_N" "every WhatsApp recipient reached"
	assert_eq "$t_reached" "$FM_TG_EXPECTED" "every Telegram chat reached"
	[ "$FM_REPEATS" -le "$max" ] || e2e_fail "$FM_REPEATS repeat(s) at the providers (at most $max allowed)"
	printf '   ok  %s repeat(s) at the providers (at most %s allowed)\n' "$FM_REPEATS" "$max"
	wait_eq 30 "the ledger: one sent row per recipient" "$FM_N $FM_TG_EXPECTED" psql_q \
		"SELECT (SELECT count(*) FROM deliveries WHERE notice_id = '$FM_WA_ID' AND status = 'sent')
		     || ' ' || (SELECT count(*) FROM deliveries WHERE notice_id = '$FM_TG_ID' AND status = 'sent')"
	assert_eq "$(psql_q "SELECT (SELECT recipients FROM notices WHERE id = '$FM_WA_ID') || ' ' ||
	                            (SELECT recipients FROM notices WHERE id = '$FM_TG_ID')")" \
		"$FM_N $FM_TG_EXPECTED" "each notice counts its recipients once"
	assert_eq "$(psql_q "SELECT count(*) FROM deliveries WHERE notice_id IN ('$FM_WA_ID', '$FM_TG_ID')
	                     AND status = 'claimed'")" 0 "no claim left behind"
}

# fm_restore: the fakes without limits, the test's Telegram chats gone
# (the demo bot serves later tests), the bot's rate the default again.
fm_restore() {
	fake_normal
	fake_tg_config '{"rate":0,"chat_rate":0}' >/dev/null || true
	psql_q "UPDATE subscribers SET status = 'revoked' WHERE channel_id = ${FM_TG_CH:-0}
	        AND address BETWEEN '$FM_TG_BASE' AND '$((FM_TG_BASE + ${FM_N:-0}))';
	        UPDATE channels SET rate_per_sec = NULL WHERE id = ${FM_TG_CH:-0}" >/dev/null 2>&1 || true
}

# fm_dispatcher PORT_OFFSET [ENV...]: starts one more dispatcher of the
# stack's group (its own health port and name); prints its pid.
fm_dispatcher() {
	local off=$1 env2
	shift
	mapfile -t env2 < <("$E2E_ROOT/scripts/stack.sh" svc-env dispatcher)
	(cd "$E2E_ROOT" && exec setsid env "${env2[@]}" "BND_HTTP_PORT=$((DISPATCHER_PORT + off))" \
		"$@" "$BND_BIN_DIR/banditore-dispatcher") \
		>>"$BND_LOGS_DIR/dispatcher-$off.log" 2>&1 </dev/null &
	printf '%s\n' "$!"
}

# fm_composer PORT_OFFSET [ENV...]: one more composer; prints its pid.
fm_composer() {
	local off=$1 env2
	shift
	mapfile -t env2 < <("$E2E_ROOT/scripts/stack.sh" svc-env composer)
	(cd "$E2E_ROOT" && exec setsid env "${env2[@]}" "BND_HTTP_PORT=$((COMPOSER_PORT + off))" \
		"$@" "$BND_BIN_DIR/banditore-composer") \
		>>"$BND_LOGS_DIR/composer-$off.log" 2>&1 </dev/null &
	printf '%s\n' "$!"
}
