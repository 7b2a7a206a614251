# shellcheck shell=bash
# Small helpers shared by scripts/stack.sh and scripts/test.sh.

# say MSG...: a progress line on stderr, prefixed with the script's name.
say() { printf '%s: %s\n' "${SAY_PREFIX:-stack}" "$*" >&2; }

# die MSG...: says MSG and exits 1.
die() { say "error: $*"; exit 1; }

# now_ms: monotonic-enough wall clock in milliseconds (for timings).
now_ms() { date +%s%3N; }

# port_open PORT: true if something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# port_free PORT: true if nothing listens on 127.0.0.1:PORT.
port_free() { ! port_open "$1"; }

# pick_port_base [COUNT]: prints a base B whose ports B+1..B+COUNT (13)
# nobody listens on, from 20000-31999: below the kernel's ephemeral range (32768-60999), so
# an outgoing connection never takes a port a service is about to bind.
pick_port_base() {
	local _ base i ok count=${1:-13}
	for _ in $(seq 1 50); do
		base=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
		ok=1
		for i in $(seq 1 "$count"); do
			port_free $((base + i)) || { ok=0; break; }
		done
		[ "$ok" -eq 1 ] && { printf '%s\n' "$base"; return 0; }
	done
	return 1
}

# wait_for TIMEOUT_S WHAT CMD...: runs CMD every 0.2 s until it succeeds;
# returns 1 after TIMEOUT_S seconds. WHAT names the wait in messages.
wait_for() {
	local timeout=$1 what=$2 deadline
	shift 2
	deadline=$(($(date +%s) + timeout))
	until "$@" >/dev/null 2>&1; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			say "timed out after ${timeout}s waiting for $what"
			return 1
		fi
		sleep 0.2
	done
}

# http_ok URL: true if GET URL answers 2xx within 2 s.
http_ok() { curl -fsS -o /dev/null -m 2 "$1"; }

# pid_running PID: true if PID exists and is not a zombie (a container's
# pid 1 does not always reap the orphans we leave behind).
pid_running() {
	local state
	kill -0 "$1" 2>/dev/null || return 1
	state=$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$state" != Z ] && [ "$state" != X ]
}

# pid_alive PIDFILE MARKER: true if the pid in PIDFILE runs and its command
# line contains MARKER (guards against a recycled pid).
pid_alive() {
	local pid
	[ -f "$1" ] || return 1
	pid=$(cat "$1" 2>/dev/null) || return 1
	[ -n "$pid" ] && pid_running "$pid" || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# stop_pid PIDFILE MARKER TIMEOUT_S NAME: SIGTERM, wait up to TIMEOUT_S for
# the exit, then SIGKILL. Removes PIDFILE.
stop_pid() {
	local pidfile=$1 marker=$2 timeout=$3 name=$4 pid deadline
	if ! pid_alive "$pidfile" "$marker"; then
		rm -f "$pidfile"
		return 0
	fi
	pid=$(cat "$pidfile")
	kill -TERM "$pid" 2>/dev/null || true
	deadline=$(($(date +%s) + timeout))
	while pid_running "$pid"; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			say "$name (pid $pid) still running after ${timeout}s: SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			sleep 0.2
			break
		fi
		sleep 0.1
	done
	rm -f "$pidfile"
}

# log_tail FILE [N]: the last N (default 30) lines of FILE, indented.
log_tail() {
	local n=${2:-30}
	if [ -f "$1" ]; then
		printf '%s\n' "---- last $n lines of $1 ----" >&2
		tail -n "$n" "$1" | sed 's/^/    /' >&2
		printf '%s\n' "----" >&2
	else
		say "(no log at $1)"
	fi
}
