# shellcheck shell=bash
# The local stack's PostgreSQL: a private cluster in $STATE/pg on
# 127.0.0.1:$PG_PORT, its socket in $STATE/pg-sock. Trust authentication on
# loopback and fsync off: a development stack, never a production setup.
# initdb and postgres refuse to run as root: as root they run as the
# `postgres` account (the data folder is chowned to it).
# Uses: ROOT STATE LOGS PG_PORT.

# pg_bindir: the newest installed server binaries.
pg_bindir() {
	local d
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
		[ -x "$d/initdb" ] && { printf '%s\n' "$d"; return 0; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
	return 1
}

# as_pg CMD...: runs CMD as the cluster's owner (postgres when we are root).
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && "$@")
	fi
}

# pg_own PATH...: gives PATH to the cluster's owner (no-op unless root).
pg_own() {
	[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$@"
	return 0
}

# pg_admin ARGS...: psql as the cluster's superuser.
pg_admin() {
	psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"
}

pg_running() {
	local bin
	[ -f "$STATE/pg/PG_VERSION" ] || return 1
	bin=$(pg_bindir) || return 1
	as_pg "$bin/pg_ctl" status -D "$STATE/pg" >/dev/null 2>&1
}

# pg_init: creates the cluster once.
pg_init() {
	local bin=$1 data="$STATE/pg"
	[ -f "$data/PG_VERSION" ] && return 0
	say "postgres: initdb in $data"
	rm -rf "$data"
	mkdir -p "$data"
	chmod 700 "$data"
	pg_own "$data"
	as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		>>"$LOGS/postgres.log" 2>&1 || { log_tail "$LOGS/postgres.log"; die "initdb failed"; }
	# Port and socket folder are given at each start (they follow BND_PORT_BASE).
	cat >>"$data/postgresql.conf" <<-CONF

	# --- Banditore local stack (scripts/stack.sh): loopback only, no durability ---
	listen_addresses = '127.0.0.1'
	fsync = off
	synchronous_commit = off
	full_page_writes = off
	max_connections = 200
	shared_buffers = 64MB
	logging_collector = off
	CONF
}

# pg_up: initdb if needed, start, wait, create role and database.
pg_up() {
	local bin sock="$STATE/pg-sock"
	bin=$(pg_bindir) || die "PostgreSQL server binaries not found (run scripts/setup.sh)"
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' account (apt-get install postgresql)"
		runuser -u postgres -- test -x "$STATE" ||
			die "the postgres account cannot reach $STATE: make its parent folders searchable (chmod o+x)"
	fi
	mkdir -p "$sock"
	chmod 700 "$sock"
	pg_own "$sock"
	touch "$LOGS/postgres.log"
	pg_own "$LOGS/postgres.log"
	pg_init "$bin"
	if pg_running; then
		say "postgres: running already (port $PG_PORT)"
	else
		port_free "$PG_PORT" || die "port $PG_PORT (postgres) is taken by another program"
		say "postgres: starting on 127.0.0.1:$PG_PORT"
		# Own session: a Ctrl-C in the terminal must not shut it down under us.
		as_pg setsid "$bin/pg_ctl" start -D "$STATE/pg" -l "$LOGS/postgres.log" -w -t 60 \
			-o "-p $PG_PORT -k $sock" >/dev/null ||
			{ log_tail "$LOGS/postgres.log"; die "PostgreSQL did not start"; }
	fi
	wait_for 30 "PostgreSQL on port $PG_PORT" \
		pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres ||
		{ log_tail "$LOGS/postgres.log"; die "PostgreSQL is not ready"; }
	if [ "$(pg_admin -Atc "SELECT 1 FROM pg_roles WHERE rolname = 'banditore'")" != 1 ]; then
		pg_admin -c "CREATE ROLE banditore LOGIN"
	fi
	if [ "$(pg_admin -Atc "SELECT 1 FROM pg_database WHERE datname = 'banditore'")" != 1 ]; then
		pg_admin -c "CREATE DATABASE banditore OWNER banditore"
	fi
}

pg_down() {
	local bin
	pg_running || return 0
	bin=$(pg_bindir)
	say "postgres: stopping"
	as_pg "$bin/pg_ctl" stop -D "$STATE/pg" -m fast -w -t 60 >/dev/null ||
		say "postgres: pg_ctl stop failed (see $LOGS/postgres.log)"
}
