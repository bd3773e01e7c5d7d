/*
 * broker.h - the jail broker: the one process of a verdict instance that
 * keeps root, and its wire format.
 *
 * verdictd parses untrusted HTTP bodies, JSON and problem files, so it
 * runs as an unprivileged user; making a jail needs root (mapped host
 * uids, namespaces, a private root).  So verdictd, started as root,
 * starts "verdict-jail --broker" once (sandbox/brokerc.h) and drops its
 * privileges (sandbox/privdrop.h); from then on only the broker makes
 * jails:
 *
 *   verdictd (USER) ---- socket ---- verdict-jail --broker (root)
 *                                     |- keeper of slot 0 (root)
 *                                     |   `- the jail (jail-main.c)
 *                                     `- keeper of slot 1 ...
 *
 * The broker gets one end of an AF_UNIX SOCK_SEQPACKET socketpair at
 * descriptor 3, the log at descriptor 2, and its settings in argv
 * (trusted: written by root):
 *
 *   verdict-jail --broker --workers N --uid-base B --scratch-mb S
 *                [--python PATH]
 *
 * It closes every other descriptor, leads its own session (a terminal's
 * Ctrl-C is for verdictd's drain, not for the jails), and takes the
 * first free range of host uids: range N is uid_base + N * 1024 to
 * uid_base + (N + 1) * 1024 - 1, held with an flock(2) on
 * BROKER_LOCK_DIR/uids.N.lock for the broker's lifetime (and its
 * keepers': the range is free again only when no jail of it is left).
 * Instances on one host thus never share a uid, provided they use the
 * same uid_base.  Slot S of the instance maps the host uids
 * first + 4 * S + 0..2.  Then it sends BROKER_HELLO with the range, or
 * BROKER_REFUSED and exits 2 when it cannot run.
 *
 * The broker treats verdictd as potentially compromised.  A request
 * of the wrong size, version or type, with a field out of range or
 * descriptors attached gets BROKER_REFUSED and changes nothing; SPAWN
 * of a slot whose jail is still alive gets BROKER_FAILED (EBUSY); KILL
 * of an id that is not one of its live jails does nothing.  Whatever it
 * is sent, it only ever starts, kills and reaps its own jails.
 *
 * When the socket reaches EOF (verdictd is gone), or on SIGTERM, SIGINT
 * or SIGHUP, the broker kills every jail, reaps them, releases the
 * range and exits 0.  Exit 1 is bad usage, 2 an internal error.
 *
 * Wire format: one message per datagram, fixed size, native byte order
 * (both ends are on one host and built together), every message
 * starting with BROKER_VERSION and a type.
 *
 *   verdictd -> broker (struct broker_req)
 *     BROKER_SPAWN    slot: make a jail for the slot.  The broker makes
 *                     three pipes, forks a keeper in its own process
 *                     group with the jail's ends at descriptors 0 (jobs
 *                     to the zygote), 1 (results), 2 (the log) and 3
 *                     (specs to the judge), and answers BROKER_SPAWNED
 *                     or BROKER_FAILED.
 *     BROKER_KILL     jail: SIGKILL the process group of that jail, if
 *                     it is alive; BROKER_EXITED follows.
 *   broker -> verdictd (struct broker_rep)
 *     BROKER_HELLO    uid_first, uid_last, workers: the broker is ready.
 *     BROKER_SPAWNED  slot, jail: a new jail; with BROKER_NFDS
 *                     descriptors (SCM_RIGHTS): the write end of the
 *                     job pipe, the read end of the result pipe, the
 *                     write end of the spec pipe.
 *     BROKER_FAILED   slot, error, text: no jail was made for the slot.
 *     BROKER_EXITED   slot, jail, status, signo: the keeper of the jail
 *                     was reaped (sent whenever that happens, once per
 *                     jail, always after its BROKER_SPAWNED).
 *     BROKER_REFUSED  error, text: a request was malformed, or (instead
 *                     of BROKER_HELLO) the broker cannot run.
 *
 * Jail ids count up from 1 and are never reused within a broker.
 */
#ifndef SANDBOX_BROKER_H
#define SANDBOX_BROKER_H

#include <stdint.h>

#include "sandbox/jail.h"

/* Host uids: the one place their defaults and bounds are set. */
#define BROKER_UID_BASE		430000u	/* default first uid of range 0 */
#define BROKER_RANGE_UIDS	1024u	/* host uids of one instance */
#define BROKER_SLOT_UIDS	4u	/* of a slot (JAIL_NUIDS of them used) */
#define BROKER_MAX_SLOTS	(BROKER_RANGE_UIDS / BROKER_SLOT_UIDS)
#define BROKER_NRANGES		64u	/* instances on one host */
/* The last uid of the last range stays below (uid_t)-1, "no uid". */
#define BROKER_UID_BASE_MAX	(UINT32_MAX - BROKER_NRANGES * \
	    BROKER_RANGE_UIDS)
#define BROKER_SCRATCH_MB	64u	/* default scratch tmpfs per slot */
#define BROKER_PYTHON		"/usr/bin/python3" /* default interpreter */
#define BROKER_LOCK_DIR		"/run/verdict"

#define BROKER_VERSION		1u
#define BROKER_NFDS		3	/* descriptors of BROKER_SPAWNED */
#define BROKER_TEXT_LEN		160	/* bytes of text, NUL included */

enum broker_type {
	BROKER_SPAWN = 1,
	BROKER_KILL,
	BROKER_HELLO = 16,
	BROKER_SPAWNED,
	BROKER_FAILED,
	BROKER_EXITED,
	BROKER_REFUSED,
};

/* A request.  Fields a type does not use must be 0. */
struct broker_req {
	uint32_t	 version;	/* BROKER_VERSION */
	uint32_t	 type;		/* BROKER_SPAWN or BROKER_KILL */
	uint32_t	 slot;		/* SPAWN: 0 .. workers - 1 */
	uint32_t	 pad;		/* 0 */
	uint64_t	 jail;		/* KILL: an id from BROKER_SPAWNED */
};

/* A reply or event.  Fields a type does not use are 0. */
struct broker_rep {
	uint32_t	 version;	/* BROKER_VERSION */
	uint32_t	 type;		/* BROKER_HELLO .. BROKER_REFUSED */
	uint32_t	 slot;		/* SPAWNED, FAILED, EXITED */
	int32_t		 error;		/* FAILED, REFUSED: a positive errno */
	uint64_t	 jail;		/* SPAWNED, EXITED */
	int32_t		 status;	/* EXITED: exit status, or 0 */
	int32_t		 signo;		/* EXITED: killing signal, or 0 */
	uint32_t	 uid_first;	/* HELLO: the instance's host uids */
	uint32_t	 uid_last;
	uint32_t	 workers;	/* HELLO: slots */
	uint32_t	 pad;		/* 0 */
	char		 text[BROKER_TEXT_LEN];	/* FAILED, REFUSED: why;
					   always NUL-terminated */
};

/*
 * The keeper of one jail, run in a child of the broker with the jail's
 * descriptors at 0 to 3 (see BROKER_SPAWN) and cfg->uid_base set to the
 * slot's first host uid.  Returns the keeper's exit status.
 */
typedef int broker_keeper_fn(const struct jail_config *cfg);

/*
 * main() of "verdict-jail --broker ..." (argv[0] is "--broker"): runs
 * the broker until verdictd goes away, forking "keeper" for each jail.
 * Returns the process's exit status (0, 1 bad usage, 2 internal error).
 * Must be called first thing, with descriptors 2 and 3 as above.
 */
int	 broker_main(int argc, char *argv[], broker_keeper_fn *keeper);

#endif /* SANDBOX_BROKER_H */
