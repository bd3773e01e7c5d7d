#!/bin/sh
# verdict-user.sh -- create the system user verdictd runs as, when it is
# missing.  verdictd starts as root, starts its jail broker (the one
# process that stays root) and then drops to this user.
#
#   sh systemd/verdict-user.sh [NAME]      (default: verdict)
#
# The one place the user is made: "make install" runs it (not with
# DESTDIR, which stages files for a package: the package runs it on the
# target), and so does tools/deps.sh, so that "make test" on a
# fresh machine has the user.  Needs root unless the user exists.
set -eu
user=${1:-verdict}
getent passwd "$user" >/dev/null && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "verdict-user.sh: no user $user, and not root to create it" >&2
	exit 1
fi
useradd --system --no-create-home --home-dir /var/lib/verdict \
    --shell /usr/sbin/nologin "$user"
echo "verdict-user.sh: created the system user $user"
