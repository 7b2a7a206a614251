#!/usr/bin/env bash
# `make bench`: Banditore's speed and memory against the limits of this
# machine, measured in one run on a private stack (own state folder,
# ports and topic prefix, torn down afterwards):
#   1. fake WhatsApp ceiling: what the fake provider accepts from wrk;
#   2. dispatcher: a backlog of jobs from Kafka to the fake provider,
#      messages/s, CPU, peak RSS, and the ratio to (1);
#   3. latency from approval to the first message at the provider, p50/p99;
#   4. composer fan-out of a notice to many subscribers: jobs/s, time,
#      peak RSS, and the ratio to (5);
#   5. raw Kafka ceiling: as many job-sized messages with our producer
#      settings, on the same broker, warmed by the steps before.
# Writes bench/results.md (Markdown) and prints it.
# Sizes: BENCH_SUBSCRIBERS (1000000), BENCH_JOBS (200000),
# BENCH_CEILING_MESSAGES (= BENCH_SUBSCRIBERS), BENCH_NOTICES (100).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SAY_PREFIX=bench
. scripts/lib/util.sh

SUBS=${BENCH_SUBSCRIBERS:-1000000}
JOBS=${BENCH_JOBS:-200000}
CEIL=${BENCH_CEILING_MESSAGES:-$SUBS}
NOTICES=${BENCH_NOTICES:-100}
OUT=bench/results.md

export BND_STATE_DIR=".local/bench-$$" BND_TOPIC_PREFIX="b$$." BND_LOG_LEVEL=warn
export BND_PORT_BASE=$((41000 + RANDOM % 9000))
trap 'scripts/stack.sh down >/dev/null 2>&1 || true; rm -rf "$ROOT/$BND_STATE_DIR"' EXIT
scripts/stack.sh up --demo >&2
eval "$(scripts/stack.sh env)"
. tests/e2e/lib.sh 2>/dev/null || true
BIN=build/bin

# proc_cpu PID: user+system CPU seconds used so far.
proc_cpu() { awk '{printf "%.2f\n", ($14 + $15) / 100}' "/proc/$1/stat"; }
# proc_hwm_mb PID: peak resident memory in MiB.
proc_hwm_mb() { awk '/VmHWM/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }
svc_pid() { cat "$BND_STATE_DIR/run/$1.pid"; }
fake_accepted() { curl -s "$FAKE_WA_URL/_fake/stats" | jq -r .accepted; }
ms() { date +%s%3N; }

# 1. Fake provider ceiling with a plain load generator.
say "1/5 fake WhatsApp ceiling (wrk, 2 threads, 64 connections, 10 s)"
export WA_ACCESS_TOKEN DEMO_SENDER
wrk_out=$(wrk -t2 -c64 -d10s -s bench/wa_send.lua "$FAKE_WA_URL")
fake_rate=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$wrk_out")
curl -s -X DELETE "$FAKE_WA_URL/_fake/messages" >/dev/null

# 2. Dispatcher: a backlog of jobs, drained to the fake provider.
say "2/5 dispatcher: $JOBS jobs"
scripts/stack.sh stop dispatcher >&2
gen=$("$BIN/jobgen" "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}delivery.jobs" 1 "$DEMO_SENDER" "$JOBS" "$$")
job_bytes=$(jq -r .avg_bytes <<<"$gen")
base=$(fake_accepted)
scripts/stack.sh start dispatcher >&2
pid=$(svc_pid dispatcher)
while [ "$(fake_accepted)" -eq "$base" ]; do sleep 0.05; done
t0=$(ms) cpu0=$(proc_cpu "$pid")
while [ "$(fake_accepted)" -lt $((base + JOBS)) ]; do sleep 0.1; done
t1=$(ms) cpu1=$(proc_cpu "$pid")
disp_rate=$(awk -v n="$JOBS" -v t=$((t1 - t0)) 'BEGIN {printf "%.0f", n * 1000 / t}')
disp_cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v t=$((t1 - t0)) 'BEGIN {printf "%.0f", (b - a) * 100000 / t}')
disp_rss=$(proc_hwm_mb "$pid")
curl -s -X DELETE "$FAKE_WA_URL/_fake/messages" >/dev/null

# 3. Approval -> first message at the provider, one subscriber.
say "3/5 latency over $NOTICES notices"
LAT=393399000001
fake_inbound "$LAT" ATTIVA >/dev/null
wait_eq 30 "latency subscriber" 1 fake_count_to "$LAT" text >/dev/null
lat_file=$(mktemp)
for i in $(seq 1 "$NOTICES"); do
	id=$(api_post /api/v1/notices "{\"title\":\"Latenza $i\",\"body\":\"Misura\"}" | jq -r .id)
	wait_eq 30 "draft" draft psql_q "SELECT status FROM notices WHERE id = '$id'" >/dev/null
	t0=$(ms)
	api_post "/api/v1/notices/$id/approve" '{}' >/dev/null
	while :; do
		at=$(fake_messages_to "$LAT" | jq -r --arg t "Latenza $i" \
			'[.[] | select(.type=="template" and .params[0]==$t)][0].ts_ms // empty')
		[ -n "$at" ] && break
		sleep 0.01
	done
	echo $((at - t0)) >>"$lat_file"
done
lat_p50=$(sort -n "$lat_file" | awk '{a[NR]=$1} END {print a[int(NR*0.5)+(NR*0.5>int(NR*0.5))]}')
lat_p99=$(sort -n "$lat_file" | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i < NR*0.99) i++; print a[i]}')
rm -f "$lat_file"

# 4. Composer fan-out to SUBS subscribers (dispatcher stopped: jobs stay in Kafka).
say "4/5 composer fan-out to $SUBS subscribers"
scripts/stack.sh stop dispatcher >&2
psql_q "INSERT INTO subscribers (channel_id, address, status)
        SELECT 1, '+39350' || lpad(g::text, 7, '0'), 'active' FROM generate_series(1, $SUBS) g" >/dev/null
psql_q "VACUUM ANALYZE subscribers" >/dev/null
scripts/stack.sh stop composer >&2
scripts/stack.sh start composer >&2
pid=$(svc_pid composer)
id=$(api_post /api/v1/notices '{"title":"Allerta meteo","body":"Domani allerta arancione per temporali. Evitare i sottopassi."}' | jq -r .id)
wait_eq 30 "draft" draft psql_q "SELECT status FROM notices WHERE id = '$id'" >/dev/null
t0=$(ms) cpu0=$(proc_cpu "$pid")
api_post "/api/v1/notices/$id/approve" '{}' >/dev/null
while [ "$(psql_q "SELECT status FROM notices WHERE id = '$id'")" != sent ]; do sleep 0.05; done
t1=$(ms) cpu1=$(proc_cpu "$pid")
fan_n=$(psql_q "SELECT recipients FROM notices WHERE id = '$id'")
fan_s=$(awk -v t=$((t1 - t0)) 'BEGIN {printf "%.2f", t / 1000}')
fan_rate=$(awk -v n="$fan_n" -v t=$((t1 - t0)) 'BEGIN {printf "%.0f", n * 1000 / t}')
fan_cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v t=$((t1 - t0)) 'BEGIN {printf "%.0f", (b - a) * 100000 / t}')
fan_rss=$(proc_hwm_mb "$pid")

# 5. Raw Kafka ceiling on the same (warm) broker: the same jobs, the same
#    key, the same producer settings, to a topic nobody reads.
say "5/5 Kafka ceiling: $CEIL jobs"
ceiling=$("$BIN/jobgen" --create "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}bench.ceiling" 1 \
	"$DEMO_SENDER" "$CEIL" "$$")
ceil_rate=$(jq -r .per_second <<<"$ceiling")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
{
	echo "# Benchmark results"
	echo
	echo "Run on $(date -u +%Y-%m-%d) by \`make bench\` on $(nproc) cores ($cpu_model),"
	echo "$(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr); everything on this one machine"
	echo "(broker, database, services, fake provider, load generators)."
	echo
	echo "| measure | result | limit in the same run | ratio |"
	echo "|---|---|---|---|"
	echo "| Kafka produce ceiling: $CEIL real jobs (≈ $job_bytes B) from one producer, idempotent, acks=all, lz4 | $ceil_rate msg/s | | |"
	echo "| fake WhatsApp ceiling (wrk, 64 connections) | $fake_rate req/s | | |"
	echo "| dispatcher, $JOBS jobs Kafka → fake WhatsApp | $disp_rate msg/s, CPU $disp_cpu %, peak RSS $disp_rss MiB | $fake_rate req/s | $(ratio "$disp_rate" "$fake_rate") |"
	echo "| composer fan-out, $fan_n recipients | $fan_s s, $fan_rate jobs/s, CPU $fan_cpu %, peak RSS $fan_rss MiB | $ceil_rate msg/s | $(ratio "$fan_rate" "$ceil_rate") |"
	echo "| approval → first message at the provider ($NOTICES notices) | p50 $lat_p50 ms, p99 $lat_p99 ms | | |"
} >"$OUT"
cat "$OUT"
