/*
 * cgroup.h - the candidates' cgroup of one jail (cgroup v2), host side.
 *
 * A candidate's time limit is charged in CPU time of all its processes,
 * so that neither a loaded machine nor the candidate's own children
 * change its verdict.  Where the kernel has a cgroup v2 hierarchy that
 * the helper may write (as root, in its own cgroup), each jail gets one
 * cgroup for its candidates, "verdict-jail.UIDBASE.PID" beside the
 * helper's own cgroup entry:
 *
 *   - cgroup.procs is opened for writing here, by root, and handed to
 *     the forker, which writes "0" to it once at its start (the kernel
 *     checks the opener's credentials) and closes it: every candidate
 *     is then born in the cgroup, with every process it ever starts,
 *     and no candidate holds the descriptor;
 *   - cpu.stat is opened for reading and handed to the zygote and the
 *     judge, which read usage_usec live to enforce the limits.
 *
 * No controller is enabled: cpu.stat's usage counts exist in every
 * cgroup v2 group.  Without a usable hierarchy (none mounted, read-only,
 * not delegated) the jail charges CPU time from wait4()'s rusage, which
 * covers every process of the candidate once it has ended, and a
 * per-process RLIMIT_CPU enforces the limit while it runs.
 *
 * Runs in the keeper (root, host namespaces) before the jail is made;
 * no libuv, no jansson.
 */
#ifndef SANDBOX_CGROUP_H
#define SANDBOX_CGROUP_H

#include <stddef.h>
#include <sys/types.h>

struct cgroup {
	char	 path[512];	/* the directory, "" when there is none */
	int	 procs_fd;	/* cgroup.procs, write; -1 when none */
	int	 stat_fd;	/* cpu.stat, read; -1 when none */
};

/*
 * Make the cgroup of the jail whose first host uid is "uid_base" and
 * open its two files (close-on-exec).  Empty leftovers of earlier
 * helpers of the same uid_base that are gone are removed first.
 * Returns 0 with *cg filled; -ENOENT (no cgroup v2 mounted) or another
 * negative errno with a message in errbuf, *cg then holding no cgroup
 * (procs_fd and stat_fd -1): the caller carries on without one.
 */
int	 cgroup_open(uid_t uid_base, struct cgroup *cg, char *errbuf,
	    size_t errlen);

/*
 * Close the files and remove the directory (every process in it must be
 * gone: call it once the jail's init has been reaped).  Safe on a
 * cgroup that cgroup_open() failed to make.
 */
void	 cgroup_close(struct cgroup *cg);

/*
 * Remove the cgroup that the helper "keeper" (reaped: a keeper killed
 * with its jail could not) made for "uid_base", if it is there and
 * empty.  For the jail broker, which forks the keepers.
 */
void	 cgroup_remove(uid_t uid_base, pid_t keeper);

#endif /* SANDBOX_CGROUP_H */
