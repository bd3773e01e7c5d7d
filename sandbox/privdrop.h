/*
 * privdrop.h - start as root, keep root only in the jail broker, run the
 * rest as an unprivileged user.
 *
 * "verdictd serve" and "verdictd eval" start as root only because they
 * start the broker (sandbox/broker.h).  They look the user up
 * (privdrop_user), do what needs root and is theirs to do (serve: give
 * the state directory to the user; eval: open its files), then
 * privdrop_start() starts the broker and drops to the user for good.
 * eval also keeps a root parent that parses nothing (privdrop_split),
 * to rename its output into a directory only root may write.
 *
 * These run before any loop or thread exists; they fork.
 */
#ifndef SANDBOX_PRIVDROP_H
#define SANDBOX_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

#include "sandbox/brokerc.h"

/* The user verdictd runs as unless told otherwise. */
#define PRIVDROP_USER		"verdict"

/*
 * Check that this process runs as root and look up "user".  Returns 0
 * with its uid and gid, or with the reason in errbuf: -EPERM when not
 * root ("verdictd CMD must start as root ... then runs as USER"),
 * -ENOENT for an unknown user, -EINVAL for a user with uid or gid 0.
 */
int	 privdrop_user(const char *cmd, const char *user, uid_t *uidp,
	    gid_t *gidp, char *errbuf, size_t errlen);

/*
 * Start the broker with "opts" (brokerc_start()), then drop to uid and
 * gid for good: no supplementary groups, real, effective and saved ids
 * all the user's, and setuid(0) must fail.  A parent-death signal set
 * before is set again (the kernel clears it when the ids change).
 * Logs the broker's uid range.  Returns 0 and the broker in *bcp (the
 * caller closes it), or a negative errno with the reason in errbuf,
 * the broker closed again; on failure after the drop began the process
 * must exit.
 */
int	 privdrop_start(const struct brokerc_opts *opts, uid_t uid, gid_t gid,
	    struct brokerc **bcp, char *errbuf, size_t errlen);

/*
 * Fork.  Returns 0 in the child, which dies with the parent
 * (PR_SET_PDEATHSIG).  In the parent, forwards SIGTERM, SIGINT and SIGHUP
 * to the child, waits for it and returns 1 with its wait status in
 * *wstatusp.  Returns a negative errno when the fork fails.  stdio is
 * flushed first, so nothing buffered is written twice.
 */
int	 privdrop_split(int *wstatusp);

#endif /* SANDBOX_PRIVDROP_H */
