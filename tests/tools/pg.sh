#!/bin/sh
# pg.sh -- a throwaway PostgreSQL server for the tests: Debian's own
# binaries, a cluster in a directory of its own, reached only through a
# Unix socket in that directory (no TCP), fsync on like any real server.
#
#   pg.sh start DIR         make the cluster in DIR/data when there is none
#                           (initdb; role and database "verdict", owned
#                           by the role), start it and print its URI:
#                           postgresql://verdict@/verdict?host=DIR
#   pg.sh stop DIR [MODE]   stop it; MODE is fast (the default: clients
#                           cut off, a clean shutdown) or immediate (no
#                           shutdown: a crash, recovery at the next start)
#   pg.sh run CMD [ARG...]  start a server in a new directory, run CMD
#                           with VERDICT_TEST_PG set to its URI, stop the
#                           server and remove the directory whatever CMD
#                           did; the status is CMD's
#
# PostgreSQL refuses to run as root, and the tests run as root: the
# cluster then belongs to "nobody" (on every Debian system) and the
# server runs as it; a user other than root runs it as themselves.
# Every directory above DIR must let that user through (x).  Connections
# are trusted (any local user, any role, no password): the socket's
# directory is the only way in.  initdb runs with --no-sync: a cluster
# that outlives no test needs no crash safety while it is made; the
# server itself runs with fsync on.  The server's log is DIR/log.
set -eu

PG_USER=verdict			# the role and the database of the tests
PG_ADMIN=postgres		# the bootstrap superuser
PG_RUN_AS=nobody		# when run as root

die() {
	echo "pg.sh: $*" >&2
	exit 1
}

# The directory of initdb and pg_ctl: pg_config's when it holds them,
# else the newest /usr/lib/postgresql/N/bin (pg_config comes with
# libpq-dev, which may be of another version than the server).
bindir() {
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return
		fi
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
	do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			echo "$d"
			return
		fi
	done
	die "no PostgreSQL server binaries (initdb, pg_ctl): install" \
	    "Debian's postgresql (make deps)"
}

# Run "$@" as the server's user.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$PG_RUN_AS" -- "$@"
	else
		"$@"
	fi
}

# DIR as an absolute path that a conninfo and the server's config can
# hold: no blanks or quotes, and short enough for the socket's name
# (DIR/.s.PGSQL.5432 in the 108 bytes of sun_path).
absdir() {
	case "$1" in
	/*) d=$1 ;;
	*) d=$(pwd)/$1 ;;
	esac
	case "$d" in
	*[!A-Za-z0-9/._+-]*)
		die "$d: only letters, digits and / . _ + - please" ;;
	esac
	[ ${#d} -le 90 ] || die "$d: longer than 90 bytes (the socket's name)"
	echo "$d"
}

# Make the cluster in $dir/data, with the settings of the tests.
init() {
	mkdir -p "$dir"
	chmod 0711 "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown "$PG_RUN_AS:" "$dir"
	fi
	as_owner test -w "$dir" || die "$dir: $(as_owner id -un) cannot" \
	    "write there (is every directory above it searchable?)"
	as_owner "$bin/initdb" -D "$dir/data" -U "$PG_ADMIN" -A trust \
	    -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 ||
	    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
	# The Unix socket in DIR only; no TCP at all.  fsync is the
	# default, named here because the tests are about durability.
	cat >>"$dir/data/postgresql.conf" <<EOF

# pg.sh (verdict's tests)
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
max_connections = 200
EOF
}

# Run SQL as the superuser on database "postgres".
psql_admin() {
	"$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U "$PG_ADMIN" \
	    -d postgres -c "$1" >/dev/null
}

start() {
	new=0
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		init
		new=1
	fi
	as_owner "$bin/pg_ctl" start -w -t 60 -D "$dir/data" -l "$dir/log" \
	    >/dev/null || { tail -n 20 "$dir/log" >&2 || true;
	    die "the server did not start (log: $dir/log)"; }
	if [ "$new" = 1 ]; then
		psql_admin "CREATE ROLE $PG_USER LOGIN"
		psql_admin "CREATE DATABASE $PG_USER OWNER $PG_USER"
	fi
	echo "postgresql://$PG_USER@/$PG_USER?host=$dir"
}

stop() {
	[ -f "$dir/data/postmaster.pid" ] || return 0
	as_owner "$bin/pg_ctl" stop -w -t 60 -m "$1" -D "$dir/data" \
	    >/dev/null
}

[ $# -ge 1 ] || die "usage: pg.sh start DIR | stop DIR [fast|immediate]" \
    "| run CMD [ARG...]"
bin=$(bindir)
cmd=$1
shift
case "$cmd" in
start)
	[ $# = 1 ] || die "usage: pg.sh start DIR"
	dir=$(absdir "$1")
	start
	;;
stop)
	[ $# = 1 ] || [ $# = 2 ] || die "usage: pg.sh stop DIR [MODE]"
	case "${2:-fast}" in
	fast|immediate) ;;
	*) die "stop: mode fast or immediate, not $2" ;;
	esac
	dir=$(absdir "$1")
	stop "${2:-fast}"
	;;
run)
	[ $# -ge 1 ] || die "usage: pg.sh run CMD [ARG...]"
	tmp=$(mktemp -d /tmp/verdict-pg.XXXXXX)
	dir=$tmp
	# Stop and remove on every way out, a failed start included.
	trap 'stop fast || true; rm -rf "$tmp"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	VERDICT_TEST_PG=$(start)
	export VERDICT_TEST_PG
	s=0
	"$@" || s=$?
	exit $s
	;;
*)
	die "unknown command $cmd (start, stop or run)"
	;;
esac
