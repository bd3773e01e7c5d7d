/*
 * brokerc.h - verdictd's side of the jail broker (sandbox/broker.h):
 * start it, and talk its wire format.
 *
 * brokerc_start() forks and execs "verdict-jail --broker" while verdictd
 * is still root and waits for its hello; after that the connection is a
 * descriptor to poll (the pool drives it from its loop) and a few calls
 * that send one request or read one message without blocking.  No
 * libuv here, so that tests can drive a broker directly.
 */
#ifndef SANDBOX_BROKERC_H
#define SANDBOX_BROKERC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox/broker.h"

struct brokerc;				/* opaque */

/* What the broker is started with (its argv). */
struct brokerc_opts {
	const char	*jail_path;	/* the verdict-jail binary */
	unsigned	 workers;	/* slots, 1 .. BROKER_MAX_SLOTS */
	uid_t		 uid_base;	/* first host uid of range 0 */
	unsigned	 scratch_mb;	/* scratch tmpfs per slot, MiB */
	const char	*python;	/* the jails' interpreter, or NULL for
					   the broker's default */
};

/*
 * Start a broker: as root, before any thread or loop exists (it
 * forks).  Waits for its BROKER_HELLO.  Returns 0 and a new connection
 * in *bcp, or a negative errno with the reason in errbuf: the access(2)
 * error of a jail binary that cannot be run, -EPERM when not root, the
 * broker's own error when it refused to run (all uid ranges taken, ...),
 * -EPIPE when it exited without a word, -ETIMEDOUT.
 */
int	 brokerc_start(const struct brokerc_opts *, struct brokerc **bcp,
	    char *errbuf, size_t errlen);

/* The socket to poll for readability (borrowed). */
int	 brokerc_fd(const struct brokerc *);

/* The broker's pid, slots, and first and last host uid of its range. */
pid_t	 brokerc_pid(const struct brokerc *);
unsigned brokerc_workers(const struct brokerc *);
uid_t	 brokerc_uid_first(const struct brokerc *);
uid_t	 brokerc_uid_last(const struct brokerc *);

/*
 * Send BROKER_SPAWN for "slot" or BROKER_KILL for "jail", without
 * blocking.  Returns 0, or a negative errno (-EPIPE: the broker is
 * gone).
 */
int	 brokerc_spawn(struct brokerc *, unsigned slot);
int	 brokerc_kill(struct brokerc *, uint64_t jail);

/*
 * Read one message, waiting up to "timeout_ms" (0: not at all, -1:
 * for ever).  Returns 1 with it in *rep, and for BROKER_SPAWNED its
 * BROKER_NFDS new descriptors in fds (close-on-exec; the caller owns
 * them); 0 when none came in time; -EPIPE when the broker closed the
 * socket; -EPROTO for a message that breaks broker.h (wrong size,
 * version or type, descriptors missing or where none belong, text not
 * terminated: any descriptors that came with it are closed); another
 * negative errno for a failed read.
 */
int	 brokerc_recv(struct brokerc *, struct broker_rep *rep,
	    int fds[BROKER_NFDS], int timeout_ms);

/*
 * Close the connection: the broker kills and reaps its jails, releases
 * its uid range and exits.  Waits for that up to BROKERC_EXIT_MS (after
 * the privilege drop the broker cannot be signalled; one that does not
 * exit is logged and left).  brokerc_close(NULL) is a no-op.
 */
#define BROKERC_EXIT_MS		10000
void	 brokerc_close(struct brokerc *);

#endif /* SANDBOX_BROKERC_H */
