/*
 * jail.h - the setup steps of the verdict-jail helper (helper side).
 *
 * The helper (jail-main.c) is shaped like isolate: a keeper outside the
 * jail and an init process inside fresh user, PID, mount, network, IPC
 * and UTS namespaces.  The keeper builds the jail's root (rootfs.h);
 * init runs the jail_setup_* steps below in their fixed order; each
 * fails with a precise message and the helper then runs nothing (fail
 * closed).  The roles inside get their own uid:
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

/*
 * Where the keeper builds the jail's root (rootfs_build(), in its own
 * mount namespace, which init's is a copy of) and init pivots into it.
 */
#define JAIL_BUILD		"/tmp"

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
 * Inside: finish the root that the keeper built at JAIL_BUILD (see
 * rootfs.h: read-only binds of what Python needs, nothing else of the
 * host), add a read-only /dev with the null, zero, full, random and
 * urandom nodes and a scratch tmpfs of cfg->scratch_mb at JAIL_SCRATCH,
 * pivot into it and make / read-only.  Every mount is then read-only,
 * nosuid and nodev but the scratch tmpfs (writable) and the five device
 * binds (read-only, nosuid, noexec).
 * Returns 0 or a negative errno with a message in errbuf.
 */
int	 jail_setup_fs(const struct jail_config *cfg, char *errbuf,
	    size_t errlen);

/*
 * Bind "src" at "dst" (an existing directory, or a file for a file)
 * without what is mounted below "src", then remount the bind with
 * "flags" (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC), keeping the
 * restrictive flags of the mount "src" is on.  Returns 0 or a negative
 * errno with a message in errbuf.
 */
int	 jail_bind(const char *src, const char *dst, unsigned long flags,
	    char *errbuf, size_t errlen);

/*
 * Format "what arg: strerror(errnum)" (arg may be NULL) into errbuf and
 * return -errnum: the one error shape of the setup steps.
 */
int	 jail_err(char *errbuf, size_t errlen, int errnum, const char *what,
	    const char *arg);

/*
 * Keeper side: the line that tells the daemon the jail's setup failed,
 * {"internal": "setup: MSG"} and a newline, into dst (size dstlen, at
 * least JAIL_SETUP_LINE_MIN), NUL-terminated.  MSG is escaped as JSON
 * (log_escape_json()) and cut with "..." where the line would not fit;
 * the line is always whole.  Returns its length (0, with dst empty when
 * dstlen allows, for a dstlen below the minimum).
 */
#define JAIL_SETUP_LINE_MIN	32
size_t	 jail_setup_line(char *dst, size_t dstlen, const char *msg);

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
