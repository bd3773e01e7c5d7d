/*
 * pg-listen.c - the store's PostgreSQL backend: wake-ups between nodes.
 * See pg-int.h.
 *
 * Every write that another node should hear of sends a NOTIFY in its
 * own transaction, so that it is delivered at the commit, and only if
 * the commit happens: new queued jobs (PGS_CHAN_QUEUED, run ids), jobs
 * put back in the queue (the same), verdicts (PGS_CHAN_DONE, job ids)
 * problem files (PGS_CHAN_IMPORT, import ids) and runs deleted
 * (PGS_CHAN_DELETED, run ids).  A payload is a list
 * of decimal ids separated by commas, cut so that each stays under
 * PostgreSQL's limit of 8000 bytes.
 *
 * A node hears them on a connection of its own (store_listen()), whose
 * socket its event loop polls; store_notes() reads what arrived without
 * blocking.  A notification is not kept for a connection that was not
 * listening: after a lost connection the caller looks again at what the
 * notes tell (the queue, its long polls).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "store/pg-int.h"

#define PGS_PAYLOAD_MAX		7900	/* bytes of a payload (< 8000) */

int
pgs_notify(struct pgs *st, const char *chan, const int64_t *ids, size_t n)
{
	struct pgs_arr	 payloads = { 0 };
	char		*buf;
	const char	*v[2];
	size_t		 len = 0;
	int		 r;

	if (n == 0)
		return 0;
	buf = xmalloc(PGS_PAYLOAD_MAX + 24);
	for (size_t i = 0; i < n; i++) {
		if (len > PGS_PAYLOAD_MAX) {
			pgs_arr_text(&payloads, buf);
			len = 0;
		}
		len += (size_t)snprintf(buf + len, 24, "%s%" PRId64,
		    len > 0 ? "," : "", ids[i]);
	}
	pgs_arr_text(&payloads, buf);
	free(buf);
	v[0] = chan;
	v[1] = pgs_arr_end(&payloads);
	r = pgs_exec_prepared(st, "SELECT pg_notify($1, p) FROM unnest($2::text[]) "
	    "AS p", 2, v, NULL);
	pgs_arr_free(&payloads);
	return r;
}

int
pgs_listen(struct store *base, int *fd)
{
	struct pgs	*st = pgs_of(base);
	int		 r;

	if ((r = pgs_exec(st, "LISTEN " PGS_CHAN_QUEUED "; LISTEN "
	    PGS_CHAN_DONE "; LISTEN " PGS_CHAN_IMPORT "; LISTEN "
	    PGS_CHAN_DELETED, 0, NULL, NULL)) < 0)
		return r;
	if ((*fd = PQsocket(st->conn)) < 0) {
		snprintf(st->err, sizeof(st->err), "no socket");
		return -EIO;
	}
	return 0;
}

/*
 * The ids of a payload into *ids (grown as needed, *cap its size),
 * their number in *n.  Anything between commas but a decimal id from 1
 * to INT64_MAX is skipped: payloads come from verdictd only, but the
 * channel is anyone's who can connect.
 */
static void
pgs_note_ids(const char *payload, int64_t **ids, size_t *cap, size_t *n)
{
	const char	*p = payload, *q;
	char		*end;
	long long	 v;

	*n = 0;
	for (; *p != '\0'; p = *q == ',' ? q + 1 : q) {
		q = p + strcspn(p, ",");
		if (*p < '0' || *p > '9')
			continue;
		errno = 0;
		v = strtoll(p, &end, 10);
		if (end != q || errno != 0 || v <= 0)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*ids = xreallocarray(*ids, *cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = v;
	}
}

int
pgs_notes(struct store *base, store_note_cb *cb, void *arg)
{
	struct pgs	*st = pgs_of(base);
	PGnotify	*note;
	int64_t		*ids = NULL;
	size_t		 cap = 0, n;
	enum store_note	 kind;

	if (PQconsumeInput(st->conn) == 0 ||
	    PQstatus(st->conn) != CONNECTION_OK) {
		pgs_set_err(st, "connection lost: ", PQerrorMessage(st->conn));
		return -EIO;
	}
	while ((note = PQnotifies(st->conn)) != NULL) {
		if (strcmp(note->relname, PGS_CHAN_QUEUED) == 0)
			kind = STORE_NOTE_QUEUED;
		else if (strcmp(note->relname, PGS_CHAN_DONE) == 0)
			kind = STORE_NOTE_DONE;
		else if (strcmp(note->relname, PGS_CHAN_IMPORT) == 0)
			kind = STORE_NOTE_IMPORT;
		else if (strcmp(note->relname, PGS_CHAN_DELETED) == 0)
			kind = STORE_NOTE_DELETED;
		else {
			PQfreemem(note);
			continue;
		}
		pgs_note_ids(note->extra, &ids, &cap, &n);
		PQfreemem(note);
		if (n > 0)
			cb(kind, ids, n, arg);
	}
	free(ids);
	return 0;
}
