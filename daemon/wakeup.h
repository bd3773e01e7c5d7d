/*
 * wakeup.h - what the other nodes on the same database do, heard on
 * this node's loop: their new queued jobs wake the scheduler, their
 * verdicts wake the long polls, their problem files are loaded.
 *
 * The store sends a note in the transaction of each such write
 * (store_notes(): NOTIFY on PostgreSQL); a wake-up listens on a
 * connection of its own, polled by the loop, so nothing here polls the
 * database in a loop.  When the connection is lost it connects again
 * after 1 s, then backing off to 8 s; notes sent meanwhile are lost, so
 * it then tells the runs that have queued jobs (as notes of kind
 * STORE_NOTE_QUEUED), and the scheduler's lease timer looks at the
 * queue anyway.  On SQLite there are no other nodes: wakeup_start() says
 * -ENOTSUP and the daemon goes on without one.
 *
 * Loop thread only.
 */
#ifndef DAEMON_WAKEUP_H
#define DAEMON_WAKEUP_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "store/store.h"

struct wakeup;				/* opaque */

/*
 * Listen on "loop" to the database "target" (store_open()'s; "name" is
 * it without its password, for the log) and call "cb" with "arg" for
 * every note, from the loop.  Returns 0 and a new wake-up in *wp,
 * -ENOTSUP when the database has no notes (SQLite), or -EIO with the
 * reason logged.
 */
int	 wakeup_start(uv_loop_t *loop, const char *target, const char *name,
	    store_note_cb *cb, void *arg, struct wakeup **wp);

/* Stop listening; the wake-up is freed once its handles are closed. */
void	 wakeup_close(struct wakeup *);

#endif /* DAEMON_WAKEUP_H */
