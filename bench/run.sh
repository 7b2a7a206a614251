#!/usr/bin/env bash
# `make bench`: Banditore's speed and memory against the limits of this
# machine, measured in one run on a private stack (own state folder,
# ports and topic prefix, torn down afterwards):
#   1. fake WhatsApp ceiling: what the fake provider accepts from wrk
#      (no rate limit), the same request body the dispatcher sends;
#   2. dispatcher, rate limit off (BND_RATE_LIMIT=0): after a warm-up, a
#      backlog of jobs produced beforehand by bench/jobgen, drained from
#      Kafka to the fake provider: messages/s, CPU, peak RSS, and the ratio
#      to (1);
#   3. dispatcher, rate-limited: the fake accepts R msg/s per sender (130429
#      above it), the channel is configured at R: achieved / configured,
#      and the fraction of requests throttled;
#   4. latency from approval to the first message at the provider, p50/p99;
#   5. composer fan-out of a notice to many subscribers: jobs/s, time,
#      peak RSS, and the ratio to (6);
#   6. raw Kafka ceiling: as many job-sized messages with our producer
#      settings, on the same broker, warmed by the steps before.
# Writes bench/results.md (Markdown) and prints it.
# Sizes: BENCH_SUBSCRIBERS (1000000), BENCH_JOBS (200000) after
# BENCH_WARMUP_JOBS (a tenth of BENCH_JOBS) not measured,
# BENCH_CEILING_MESSAGES (= BENCH_SUBSCRIBERS), BENCH_NOTICES (100),
# BENCH_RATE (1000 msg/s), BENCH_RATE_SECONDS (20); the latency step stops
# after BENCH_LATENCY_SECONDS (120) whatever BENCH_NOTICES says.
# BENCH_SMALL=1: a quick run (20,000 jobs, 100,000 subscribers, 10 notices,
# 10 s rate-limited). BENCH_COMPARE_REF=<git ref>: step 2 also alternates,
# three times, with the dispatcher of that revision, built into a worktree here.
# BENCH_STEPS=12 runs only the steps named (default 123456): a quick look
# at one figure; the results file then says which steps ran.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SAY_PREFIX=bench
. scripts/lib/util.sh

if [ "${BENCH_SMALL:-0}" = 1 ]; then
	: "${BENCH_SUBSCRIBERS:=100000}" "${BENCH_JOBS:=20000}" "${BENCH_NOTICES:=10}"
	: "${BENCH_RATE_SECONDS:=10}"
fi
SUBS=${BENCH_SUBSCRIBERS:-1000000}
JOBS=${BENCH_JOBS:-200000}
WARM=${BENCH_WARMUP_JOBS:-$((JOBS / 10))}
CEIL=${BENCH_CEILING_MESSAGES:-$SUBS}
NOTICES=${BENCH_NOTICES:-100}
RATE=${BENCH_RATE:-1000}
RATE_JOBS=$((RATE * ${BENCH_RATE_SECONDS:-20}))
# A partial run (BENCH_STEPS) does not replace the results of a whole one.
OUT=bench/results.md
[ "${BENCH_STEPS:-123456}" = 123456 ] || OUT=.local/bench-partial.md

export BND_STATE_DIR=".local/bench-$$" BND_TOPIC_PREFIX="b$$." BND_LOG_LEVEL=warn
# The fake's status webhooks would load ingest and the composer with what is
# not measured here: off, as on a stack whose provider sends none.
export FAKE_WA_STATUS_WEBHOOKS=0
# A port base whose ports (+1..+10) are all free: other stacks may run here.
BND_PORT_BASE=$(pick_port_base) || die "no free port range found"
export BND_PORT_BASE
trap 'scripts/stack.sh down >/dev/null 2>&1 || true; rm -rf "$ROOT/$BND_STATE_DIR"' EXIT
scripts/stack.sh up --demo >&2
eval "$(scripts/stack.sh env)"
. tests/e2e/lib.sh 2>/dev/null || true
BIN=$BND_BIN_DIR

# proc_cpu PID: user+system CPU seconds used so far.
proc_cpu() { awk '{printf "%.2f\n", ($14 + $15) / 100}' "/proc/$1/stat"; }
# proc_hwm_mb PID: peak resident memory in MiB.
proc_hwm_mb() { awk '/VmHWM/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }
svc_pid() { cat "$BND_STATE_DIR/run/$1.pid"; }
fake_stats() { curl -s "$FAKE_WA_URL/_fake/stats"; }
# fake_accepted: how many the fake accepted from the demo sender. Polled
# during measurements: a bash match on the stats, not a jq process a poll.
fake_accepted() {
	local st
	st=$(fake_stats)
	if [[ $st =~ \"$DEMO_SENDER\":([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi
}
fake_set() { curl -s -X POST --data-binary "$1" "$FAKE_WA_URL/_fake/config" >/dev/null; }
ms() { date +%s%3N; }
# cpu_pct CPU0 CPU1 MS: CPU % of one core over MS milliseconds.
cpu_pct() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {printf "%.0f", (b - a) * 100000 / t}'; }
# wait_accepted N TIMEOUT_S [POLL_S]: waits until the fake accepted N from
# the demo sender, asking every POLL_S (0.1) seconds; 1 (and a note) if it
# did not within TIMEOUT_S. Long waits poll slowly: each poll runs curl,
# CPU the machine would otherwise give to what is measured.
wait_accepted() {
	local deadline=$(($(date +%s) + $2))
	while [ "$(fake_accepted)" -lt "$1" ]; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			say "only $(fake_accepted) of $1 accepted after $2 s: giving up on this step"
			return 1
		fi
		sleep "${3:-0.1}"
	done
}

# 1. Fake provider ceiling with a plain load generator.
step_1_fake_ceiling() {
	say "1/6 fake WhatsApp ceiling (wrk, 2 threads, 64 connections, 10 s)"
	export WA_ACCESS_TOKEN DEMO_SENDER
	wrk_out=$(wrk -t2 -c64 -d10s -s bench/wa_send.lua "$FAKE_WA_URL")
	fake_rate=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$wrk_out")
	curl -s -X DELETE "$FAKE_WA_URL/_fake/messages" >/dev/null
	curl -s -X DELETE "$FAKE_WA_URL/_fake/stats" >/dev/null
}

# drain_run SEED [BIN_DIR]: JOBS jobs (ids from SEED, never seen before) put
# in Kafka first, then one dispatcher (from BIN_DIR, default ours) with rate
# limits off drains them to the fake; sets disp_rate disp_cpu fake_cpu
# disp_rss disp_dups disp_note fake_rss job_bytes.
drain_run() {
	local seed=$1 bindir=${2:-$BIN} gen pid fake_pid t0 cpu0 fcpu0 n0 cpu1 fcpu1 st n t1
	scripts/stack.sh stop dispatcher >&2
	curl -s -X DELETE "$FAKE_WA_URL/_fake/messages" >/dev/null
	curl -s -X DELETE "$FAKE_WA_URL/_fake/stats" >/dev/null
	gen=$("$BIN/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs" 1 "$DEMO_SENDER" \
		"$JOBS" "$seed")
	job_bytes=$(jq -r .avg_bytes <<<"$gen")
	BND_BIN_DIR=$bindir BND_RATE_LIMIT=0 scripts/stack.sh start dispatcher >&2
	pid=$(svc_pid dispatcher) fake_pid=$(svc_pid fake-whatsapp)
	disp_note=""
	wait_accepted 1 120 || disp_note=" (no message accepted)"
	# The window runs from the first poll that saw messages accepted to the
	# fake's clock of the last acceptance; its count from that poll's.
	t0=$(ms) cpu0=$(proc_cpu "$pid") fcpu0=$(proc_cpu "$fake_pid") n0=$(fake_accepted)
	[ -n "$disp_note" ] || wait_accepted "$JOBS" 600 0.5 ||
		disp_note=" (incomplete: $(fake_accepted) of $JOBS)"
	cpu1=$(proc_cpu "$pid") fcpu1=$(proc_cpu "$fake_pid")
	st=$(fake_stats)
	n=$(jq -r --arg p "$DEMO_SENDER" '.accepted_by_sender[$p] // 0' <<<"$st")
	t1=$(jq -r '.last_accepted_ms' <<<"$st")
	[ "$t1" -gt "$t0" ] || t1=$((t0 + 1))
	disp_rate=$(awk -v n="$((n - n0))" -v t=$((t1 - t0)) 'BEGIN {printf "%.0f", n * 1000 / t}')
	disp_cpu=$(cpu_pct "$cpu0" "$cpu1" $((t1 - t0)))
	fake_cpu=$(cpu_pct "$fcpu0" "$fcpu1" $((t1 - t0)))
	disp_rss=$(proc_hwm_mb "$pid")
	disp_dups=$(fake_stats | jq -r .duplicates)
	fake_rss=$(proc_hwm_mb "$fake_pid")
}

# compare_runs: step (b) alternated with the dispatcher of BENCH_COMPARE_REF,
# built here, three rounds; fills ref_rates and our_rates. Each run leaves
# JOBS more rows in the ledger: the order alternates so that neither side
# always meets the bigger table.
compare_runs() {
	local round ref_dir="$ROOT/.local/bench-ref-$$"
	say "2/6 comparison: building the dispatcher of $BENCH_COMPARE_REF"
	git worktree add -q --detach "$ref_dir" "$BENCH_COMPARE_REF" >&2
	trap 'scripts/stack.sh down >/dev/null 2>&1 || true; rm -rf "$ROOT/$BND_STATE_DIR";
	      git worktree remove --force "'"$ref_dir"'" >/dev/null 2>&1 || true' EXIT
	make -s -C "$ref_dir" -j2 build/bin/banditore-dispatcher >&2
	for round in 1 2 3; do
		if [ $((round % 2)) -eq 1 ]; then
			drain_run $(($$ + 10 + round)) "$ref_dir/build/bin"
			ref_rates+=("$disp_rate")
			drain_run $(($$ + 20 + round))
			our_rates+=("$disp_rate")
		else
			drain_run $(($$ + 20 + round))
			our_rates+=("$disp_rate")
			drain_run $(($$ + 10 + round)) "$ref_dir/build/bin"
			ref_rates+=("$disp_rate")
		fi
		say "round $round: $BENCH_COMPARE_REF ${ref_rates[-1]} msg/s, ours ${our_rates[-1]} msg/s"
	done
}

# 2. Dispatcher, rate limit off: a backlog of jobs, drained to the fake provider.
step_2_drain() {
	say "2/6 dispatcher, rate limit off: $WARM jobs to warm up, then $JOBS jobs"
	scripts/stack.sh stop dispatcher >&2
	# Warm-up, not measured: the broker's JIT compiler, PostgreSQL's caches and
	# the ledger's first pages, the connections; what a service that has been
	# running a while has behind it.
	"$BIN/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs" 1 "$DEMO_SENDER" "$WARM" \
		$(($$ + 2)) >/dev/null
	BND_RATE_LIMIT=0 scripts/stack.sh start dispatcher >&2
	wait_accepted "$WARM" 300 0.5 || say "warm-up incomplete: measuring anyway"
	[ -z "${BENCH_COMPARE_REF:-}" ] || compare_runs
	drain_run "$$"
	curl -s -X DELETE "$FAKE_WA_URL/_fake/messages" >/dev/null
}

# 3. Dispatcher, rate-limited: the fake and the channel both at RATE msg/s.
step_3_rate_limited() {
	say "3/6 dispatcher, rate-limited at $RATE msg/s: $RATE_JOBS jobs"
	scripts/stack.sh stop dispatcher >&2
	psql_q "UPDATE channels SET rate_per_sec = $RATE WHERE sender_account = '$DEMO_SENDER'" >/dev/null
	fake_set "{\"rate\":$RATE}"
	curl -s -X DELETE "$FAKE_WA_URL/_fake/stats" >/dev/null
	"$BIN/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs" 1 "$DEMO_SENDER" \
		"$RATE_JOBS" $(($$ + 1)) >/dev/null
	scripts/stack.sh start dispatcher >&2
	rate_note=""
	wait_accepted "$RATE_JOBS" $((RATE_JOBS / RATE + 120)) || rate_note=" (incomplete)"
	st=$(fake_stats)
	rate_got=$(jq -r --arg p "$DEMO_SENDER" \
		'(.accepted_by_sender[$p] - 1) * 1000 / ([.last_accepted_ms - .first_accepted_ms, 1] | max)' <<<"$st")
	rate_got=$(awk -v r="$rate_got" 'BEGIN {printf "%.1f", r}')
	rate_thr=$(jq -r '.throttled_130429' <<<"$st")
	rate_thr_pct=$(jq -r '.throttled_130429 * 100 / ([.accepted + .throttled_130429, 1] | max)' <<<"$st")
	rate_thr_pct=$(awk -v r="$rate_thr_pct" 'BEGIN {printf "%.2f", r}')
	fake_set '{"rate":0}'
	psql_q "UPDATE channels SET rate_per_sec = 80 WHERE sender_account = '$DEMO_SENDER'" >/dev/null
	curl -s -X DELETE "$FAKE_WA_URL/_fake/messages" >/dev/null
	scripts/stack.sh stop dispatcher >&2
	scripts/stack.sh start dispatcher >&2
}

# 4. Approval -> first message at the provider, one subscriber (the editor
#    writes and submits, the approver approves: the clock starts there).
step_4_latency() {
	say "4/6 latency over $NOTICES notices"
	# Each notice goes to a citizen of its own (the one before has left): the
	# same citizen again would meet WhatsApp's pair rate limit (one message
	# every ~6 s), which the dispatcher rightly holds to.
	LATP=3933990
	lat_ch=$(psql_q "SELECT id FROM channels WHERE sender_account = '$DEMO_SENDER'")
	# Normal notices wait for the end of quiet hours: none for the measurement.
	psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00' WHERE id = '$DEMO_COMUNE'" >/dev/null
	lat_file=$(mktemp)
	lat_deadline=$(($(date +%s) + ${BENCH_LATENCY_SECONDS:-120}))
	for i in $(seq 1 "$NOTICES"); do
		# A time budget keeps the whole run under 10 minutes however slow this is.
		[ "$(date +%s)" -lt "$lat_deadline" ] || break
		LAT=$LATP$(printf %05d "$i")
		psql_q "UPDATE subscribers SET status = 'revoked' WHERE channel_id = $lat_ch AND address LIKE '+$LATP%';
		        INSERT INTO subscribers (channel_id, address, status) VALUES ($lat_ch, '+$LAT', 'active');
		        INSERT INTO consent_events (subscriber_id, channel_id, action, source, evidence,
		                                    privacy_version, changed)
		        SELECT id, channel_id, 'subscribe', 'operator', 'bench-latency:' || id, 'v1', true
		          FROM subscribers WHERE channel_id = $lat_ch AND address = '+$LAT'" >/dev/null
		id=$(api_post /api/v1/notices "{\"title\":\"Latenza $i\",\"body\":\"Misura\"}" | jq -r .id)
		wait_eq 30 "draft" draft psql_q "SELECT status FROM notices WHERE id = '$id'" >/dev/null
		api_post "/api/v1/notices/$id/submit" '{}' >/dev/null
		t0=$(ms)
		curl -s -m 15 -X POST -H "Authorization: Bearer $DEMO_APPROVER_KEY" \
			-H 'Content-Type: application/json' --data-binary '{}' \
			"$INGEST_URL/api/v1/notices/$id/approve" >/dev/null
		while :; do
			at=$(fake_messages_to "$LAT" | jq -r --arg t "Latenza $i" \
				'[.[] | select(.type=="template" and .params[0]==$t)][0].ts_ms // empty')
			[ -n "$at" ] && break
			[ $(($(ms) - t0)) -lt 30000 ] || { at=""; break; }
			sleep 0.01
		done
		[ -n "$at" ] || { say "notice $i did not arrive within 30 s"; continue; }
		echo $((at - t0)) >>"$lat_file"
	done
	lat_n=$(wc -l <"$lat_file")
	lat_p50=$(sort -n "$lat_file" | awk '{a[NR]=$1} END {print a[int(NR*0.5)+(NR*0.5>int(NR*0.5))]}')
	lat_p99=$(sort -n "$lat_file" | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i < NR*0.99) i++; print a[i]}')
	rm -f "$lat_file"
}

# 5. Composer fan-out to SUBS subscribers (dispatcher stopped: jobs stay in Kafka).
step_5_fanout() {
	say "5/6 composer fan-out to $SUBS subscribers"
	# bench/fanout.sh --stack: COPY the subscribers, a fresh composer, one notice
	# through the editorial workflow; sets fan_n fan_s fan_rate fan_cpu fan_rss.
	eval "$(BENCH_SUBSCRIBERS=$SUBS bench/fanout.sh --stack)"
}

# 6. Raw Kafka ceiling on the same (warm) broker: the same jobs, the same
#    key, the same producer settings, to a topic nobody reads.
step_6_kafka_ceiling() {
	say "6/6 Kafka ceiling: $CEIL jobs"
	ceiling=$("$BIN/jobgen" --create "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}bench.ceiling" 1 \
		"$DEMO_SENDER" "$CEIL" "$$")
	ceil_rate=$(jq -r .per_second <<<"$ceiling")
}

# ran N: step N is among those asked for (BENCH_STEPS).
ran() { case ${BENCH_STEPS:-123456} in *$1*) return 0 ;; esac; return 1; }
ref_rates=() our_rates=() job_bytes=312
for step in 1 2 3 4 5 6; do
	ran "$step" || continue
	"$(declare -F | awk -v s="step_${step}_" '$3 ~ "^" s {print $3}')"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else printf "-"}'; }
sum() { local t=0 v; for v in "$@"; do t=$((t + v)); done; echo "$t"; }
cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem_gib=$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
{
	echo "# Benchmark results"
	echo
	echo "Run on $(date -u +%Y-%m-%d) by \`make bench\`$([ "${BENCH_SMALL:-0}" != 1 ] || echo ' (BENCH_SMALL=1: a quick run)')."
	echo
	echo "Machine: $cpu_model, $(nproc) cores, $mem_gib GiB RAM, kernel $(uname -sr);"
	echo "everything on this one machine (broker, database, services, fake provider,"
	echo "load generators), so the dispatcher and the fake provider share the cores."
	echo
	[ "${BENCH_STEPS:-123456}" = 123456 ] || echo "Steps run: ${BENCH_STEPS} (BENCH_STEPS)."
	echo
	echo "| measure | result | limit in the same run | ratio |"
	echo "|---|---|---|---|"
	! ran 6 || echo "| Kafka produce ceiling: $CEIL real jobs (≈ $job_bytes B) from one producer, idempotent, acks=all, lz4 | $ceil_rate msg/s | | |"
	! ran 1 || echo "| (a) fake WhatsApp ceiling (wrk, 64 connections, no rate limit) | $fake_rate req/s | | |"
	! ran 2 || echo "| (b) one dispatcher, rate limit off, $JOBS jobs Kafka → fake WhatsApp (after $WARM not measured)$disp_note | $disp_rate msg/s, CPU $disp_cpu % (fake provider $fake_cpu %), peak RSS $disp_rss MiB, $disp_dups duplicates | ${fake_rate:-?} req/s (a) | b/a $(ratio "$disp_rate" "${fake_rate:-0}") |"
	if [ "${#ref_rates[@]}" -gt 0 ]; then
		echo "| (b) alternated with the dispatcher of \`$BENCH_COMPARE_REF\`, three rounds | ours ${our_rates[*]} msg/s | \`$BENCH_COMPARE_REF\` ${ref_rates[*]} msg/s | ours/ref $(ratio "$(sum "${our_rates[@]}")" "$(sum "${ref_rates[@]}")") |"
	fi
	! ran 3 || echo "| (c) dispatcher rate-limited: fake and channel at $RATE msg/s, $RATE_JOBS jobs$rate_note | $rate_got msg/s achieved, $rate_thr throttled answers ($rate_thr_pct %) | $RATE msg/s | $(ratio "$rate_got" "$RATE") |"
	! ran 5 || echo "| composer fan-out, $fan_n recipients | $fan_s s, $fan_rate jobs/s, CPU $fan_cpu %, peak RSS $fan_rss MiB | ${ceil_rate:-?} msg/s | $(ratio "$fan_rate" "${ceil_rate:-0}") |"
	! ran 4 || echo "| approval → first message at the provider ($lat_n notices) | p50 $lat_p50 ms, p99 $lat_p99 ms | | |"
	echo
	! ran 2 || echo "Fake WhatsApp peak RSS after recording $JOBS messages: $fake_rss MiB."
} >"$OUT"
cat "$OUT"
