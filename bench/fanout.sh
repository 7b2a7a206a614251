#!/usr/bin/env bash
# The composer's fan-out, measured on a private stack (own state folder,
# ports and topic prefix, torn down afterwards):
#   1. approval -> first message at the fake provider, p50/p99 over
#      BENCH_NOTICES notices to one subscriber (dispatcher running);
#   2. fan-out of one notice to BENCH_SUBSCRIBERS subscribers loaded with
#      COPY (dispatcher stopped: the jobs stay in Kafka): time from the
#      approval request until the last job is acknowledged by Kafka (the
#      composer sets fanout_done_at only then), jobs/s, composer CPU and
#      peak RSS;
#   3. the raw Kafka ceiling in the same run: as many job-sized messages
#      from one producer with the same settings (bench/jobgen --create).
# Writes the fan-out section of bench/results.md and prints it.
#
#   bench/fanout.sh            all of the above
#   bench/fanout.sh --stack    step 2 only, on the stack already described
#                              by the environment (bench/run.sh); prints
#                              fan_n= fan_s= fan_rate= fan_cpu= fan_rss=
# Sizes: BENCH_SUBSCRIBERS (1000000), BENCH_NOTICES (100).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SAY_PREFIX=fanout
. scripts/lib/util.sh

SUBS=${BENCH_SUBSCRIBERS:-1000000}
NOTICES=${BENCH_NOTICES:-100}
OUT=bench/results.md
MODE=${1:-all}

proc_cpu() { awk '{printf "%.2f\n", ($14 + $15) / 100}' "/proc/$1/stat"; }
proc_hwm_mb() { awk '/VmHWM/ {printf "%.1f\n", $2 / 1024}' "/proc/$1/status"; }
svc_pid() { cat "$BND_STATE_DIR/run/$1.pid"; }
ms() { date +%s%3N; }
approver_post() {
	curl -s -m 15 -X POST -H "Authorization: Bearer $DEMO_APPROVER_KEY" \
		-H 'Content-Type: application/json' --data-binary "$2" "$INGEST_URL$1"
}
# submitted TITLE: a notice written and submitted by the demo editor; its id.
submitted() {
	local id
	id=$(api_post /api/v1/notices "$(jq -nc --arg t "$1" \
		'{title: $t, body: "Domani allerta arancione per temporali. Evitare i sottopassi."}')" | jq -r .id)
	api_post "/api/v1/notices/$id/submit" '{}' >/dev/null
	wait_eq 30 "submitted" submitted psql_q "SELECT status FROM notices WHERE id = '$id'" >/dev/null
	printf '%s\n' "$id"
}
no_quiet_hours() {
	psql_q "UPDATE comuni SET quiet_start = '00:00', quiet_end = '00:00'" >/dev/null
}

# fanout_run: step 2 on the current stack; sets fan_* variables.
fanout_run() {
	local ch pid id t0 cpu0 cpu1 sent_ms
	no_quiet_hours
	scripts/stack.sh stop dispatcher >&2
	ch=$(psql_q "SELECT id FROM channels WHERE kind = 'whatsapp' AND sender_account = '$DEMO_SENDER'")
	say "loading $SUBS subscribers with COPY"
	awk -v n="$SUBS" -v ch="$ch" 'BEGIN { for (i = 1; i <= n; i++) printf "%s\t+39350%07d\tactive\n", ch, i }' |
		psql -X -q -v ON_ERROR_STOP=1 "$BND_PG_DSN" \
			-c "\\copy subscribers (channel_id, address, status) FROM STDIN"
	psql_q "VACUUM ANALYZE subscribers" >/dev/null
	# A fresh composer: its peak RSS is this fan-out's.
	scripts/stack.sh stop composer >&2
	scripts/stack.sh start composer >&2
	pid=$(svc_pid composer)
	id=$(submitted "Allerta meteo")
	say "fan-out of one notice"
	t0=$(ms) cpu0=$(proc_cpu "$pid")
	approver_post "/api/v1/notices/$id/approve" '{}' >/dev/null
	# The notice is 'sent' only once its jobs are settled (the dispatcher is
	# stopped here): the fan-out is done when fanout_done_at is set.
	while [ "$(psql_q "SELECT fanout_done_at IS NOT NULL FROM notices WHERE id = '$id'")" != t ]; do
		sleep 0.05
	done
	cpu1=$(proc_cpu "$pid")
	sent_ms=$(psql_q "SELECT (extract(epoch FROM fanout_done_at) * 1000)::bigint FROM notices WHERE id = '$id'")
	fan_n=$(psql_q "SELECT recipients FROM notices WHERE id = '$id'")
	fan_ms=$((sent_ms - t0))
	fan_s=$(awk -v t="$fan_ms" 'BEGIN {printf "%.2f", t / 1000}')
	fan_rate=$(awk -v n="$fan_n" -v t="$fan_ms" 'BEGIN {printf "%.0f", n * 1000 / t}')
	fan_cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v t="$fan_ms" 'BEGIN {printf "%.0f", (b - a) * 100000 / t}')
	fan_rss=$(proc_hwm_mb "$pid")
}

if [ "$MODE" = --stack ]; then
	eval "$(scripts/stack.sh env)"
	. tests/e2e/lib.sh
	fanout_run >&2
	printf 'fan_n=%s fan_s=%s fan_rate=%s fan_cpu=%s fan_rss=%s\n' \
		"$fan_n" "$fan_s" "$fan_rate" "$fan_cpu" "$fan_rss"
	exit 0
fi

export BND_STATE_DIR=".local/bench-fanout-$$" BND_TOPIC_PREFIX="f$$." BND_LOG_LEVEL=warn
# A port range nobody listens on (other stacks may run on this machine).
BND_PORT_BASE=$(pick_port_base) || die "no free port range found"
export BND_PORT_BASE
export BND_BIN_DIR=${BND_BIN_DIR:-build/bin}
trap 'scripts/stack.sh down >/dev/null 2>&1 || true; rm -rf "$ROOT/$BND_STATE_DIR"' EXIT
scripts/stack.sh up --demo >&2
eval "$(scripts/stack.sh env)"
. tests/e2e/lib.sh

# 1. Approval -> first message at the provider.
say "1/3 approval -> first message over $NOTICES notices"
no_quiet_hours
# A new recipient for each notice: WhatsApp allows about one message every
# 6 s to the same user (pair rate), which the dispatcher honours.
WA_CH=$(psql_q "SELECT id FROM channels WHERE sender_account = '$DEMO_SENDER'")
lat_file=$(mktemp)
# Notice 0 warms the path up (connections, consumer assignments); not counted.
for i in $(seq 0 "$NOTICES"); do
	LAT=$((393399000000 + i))
	psql_q "UPDATE subscribers SET status = 'revoked' WHERE address LIKE '+3933990%';
	        INSERT INTO subscribers (channel_id, address, status) VALUES ($WA_CH, '+$LAT', 'active')" >/dev/null
	id=$(submitted "Latenza $i")
	t0=$(ms)
	approver_post "/api/v1/notices/$id/approve" '{}' >/dev/null
	while :; do
		at=$(fake_messages_to "$LAT" | jq -r --arg t "Latenza $i" \
			'[.[] | select(.type == "template" and .params[0] == $t)][0].ts_ms // empty')
		[ -n "$at" ] && break
		sleep 0.005
	done
	[ "$i" -eq 0 ] || echo $((at - t0)) >>"$lat_file"
done
pct() { sort -n "$lat_file" | awk -v p="$1" '{a[NR] = $1} END {i = int(NR * p); if (i < NR * p) i++; print a[i]}'; }
lat_p50=$(pct 0.5) lat_p99=$(pct 0.99) lat_max=$(pct 1)
rm -f "$lat_file"

# 2. The fan-out.
say "2/3 composer fan-out to $SUBS subscribers"
fanout_run

# 3. Raw Kafka ceiling: the same number of job-sized messages.
say "3/3 Kafka ceiling: $fan_n messages"
ceiling=$("$BND_BIN_DIR/jobgen" --create "$BND_KAFKA_BROKERS" "${BND_TOPIC_PREFIX}bench.ceiling" 1 \
	"$DEMO_SENDER" "$fan_n" "$$")
ceil_rate=$(jq -r .per_second <<<"$ceiling")
ceil_bytes=$(jq -r .avg_bytes <<<"$ceiling")
ceil_s=$(jq -r .seconds <<<"$ceiling")
ratio=$(awk -v a="$fan_rate" -v b="$ceil_rate" 'BEGIN {printf "%.2f", a / b}')

section=$(mktemp)
{
	echo "<!-- fanout:begin (written by bench/fanout.sh) -->"
	echo "## Composer fan-out"
	echo
	echo "Run on $(date -u +%Y-%m-%dT%H:%MZ) by \`bench/fanout.sh\` on $(nproc) cores,"
	echo "$(free -g | awk '/Mem:/ {print $2}') GiB RAM; broker, database, services and fake provider on this machine"
	echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); other work on the machine shows in the figures)."
	echo
	echo "| measure | result | target |"
	echo "|---|---|---|"
	echo "| fan-out of one notice to $fan_n subscribers (loaded with COPY): approval request → last job acknowledged by Kafka | $fan_s s, $fan_rate jobs/s | < 10 s, ≥ 100,000 jobs/s |"
	echo "| composer during the fan-out | CPU $fan_cpu % of one core, peak RSS $fan_rss MiB | RSS < 64 MiB |"
	echo "| raw Kafka ceiling, same run: $fan_n messages of ≈ $ceil_bytes B, one producer, idempotent, acks=all, lz4 | $ceil_s s, $ceil_rate msg/s | |"
	echo "| fan-out / ceiling | $ratio | ≥ 0.5 |"
	echo "| approval → first message at the fake provider, $NOTICES notices | p50 $lat_p50 ms, p99 $lat_p99 ms, max $lat_max ms | p99 < 500 ms |"
	echo "<!-- fanout:end -->"
} >"$section"
if [ -f "$OUT" ] && grep -q '<!-- fanout:begin' "$OUT"; then
	awk -v f="$section" '/<!-- fanout:begin/ {while ((getline l < f) > 0) print l; skip = 1}
		/<!-- fanout:end -->/ {skip = 0; next} !skip' "$OUT" >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
else
	{ [ -f "$OUT" ] && cat "$OUT" && echo; cat "$section"; } >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
fi
cat "$section"
rm -f "$section"
