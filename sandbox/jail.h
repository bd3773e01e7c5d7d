/*
 * jail.h - the setup steps of the verdict-jail helper (helper side).
 *
 * The helper (jail-main.c) is shaped like isolate: a keeper outside the
 * jail and an init process inside fresh user, PID, mount, network, IPC
 * and UTS namespaces.  init runs the jail_setup_* steps below in their
 * fixed order; each fails with a precise message and the helper then
 * runs nothing (fail closed).  The roles inside get their own uid:
 *
 *   JAIL_UID_ZYGOTE     the warm interpreter that forks candidates
 *   JAIL_UID_JUDGE      the judge, which holds the tests
 *   JAIL_UID_CANDIDATE  every candidate process
 *
 * so a candidate can neither signal nor trace nor read the judge or the
 * zygote.  These functions run between fork and exec: no libuv,
 * jansson or SQLite, and nothing after policy_load() allocates.
 */
#ifndef SANDBOX_JAIL_H
#define SANDBOX_JAIL_H

#include <stddef.h>
#include <sys/types.h>

#define JAIL_UID_ZYGOTE		0
#define JAIL_UID_JUDGE		1
#define JAIL_UID_CANDIDATE	2
#define JAIL_NUIDS		3	/* host uids base .. base+2 */

/* Where the scratch tmpfs appears inside the jail. */
#define JAIL_SCRATCH		"/tmp"

struct jail_config {
	uid_t		 uid_base;	/* host uid and gid of uid 0 inside */
	unsigned	 scratch_mb;	/* size of the scratch tmpfs, MiB */
	const char	*python;	/* interpreter, absolute path */
	int		 cg_procs;	/* candidates' cgroup.procs, or -1 */
	int		 cg_stat;	/* candidates' cpu.stat, or -1 */
};

/*
 * Keeper side: write the uid and gid maps of the child "pid" (which is
 * in its new user namespace) so that uids 0..2 inside are base..base+2
 * outside.  Returns 0 or a negative errno with a message in errbuf.
 */
int	 jail_map_ids(pid_t pid, uid_t base, char *errbuf, size_t errlen);

/*
 * Inside, once mapped: become uid 0 of the namespace and name the host.
 * Returns 0 or a negative errno with a message in errbuf.
 */
int	 jail_setup_creds(char *errbuf, size_t errlen);

/*
 * Inside: build the jail's root from read-only binds of /usr (and the
 * /bin, /lib* links or binds), /etc/ld.so.cache and /etc/alternatives,
 * a small /dev, a scratch tmpfs of cfg->scratch_mb at JAIL_SCRATCH, and
 * pivot into it; the rest of the host (/etc, /home, /root, /var,
 * /proc, /sys) is not there.
 * Returns 0 or a negative errno with a message in errbuf.
 */
int	 jail_setup_fs(const struct jail_config *cfg, char *errbuf,
	    size_t errlen);

/*
 * Inside: close every descriptor except those in keep[0..nkeep-1].
 * Returns 0 or a negative errno.
 */
int	 jail_close_fds(const int *keep, size_t nkeep);

/*
 * In a role's child just before exec: drop to "uid" (and the same gid,
 * no supplementary groups), set no-new-privs, die with the parent, no
 * core files, and load the seccomp policy.  Returns 0 or a negative
 * errno with a message in errbuf; on success nothing more may be
 * allocated before execve().
 */
int	 jail_enter_role(uid_t uid, char *errbuf, size_t errlen);

#endif /* SANDBOX_JAIL_H */
