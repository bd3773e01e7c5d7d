/*
 * policy.c - the seccomp allow-list of the jail.  See policy.h.
 *
 * The default action is named once, at the top: a system call that is
 * not in the table kills the whole calling process (SECCOMP_RET_KILL_PROCESS),
 * so a candidate that tries a socket, ptrace or a mount dies with SIGSYS
 * and is reported as "forbidden".  Calls that CPython merely probes and
 * copes without (clone3) fail with an errno instead.  The filter is
 * loaded by the jail's init for the zygote and the judge; the candidates
 * inherit it across fork.  Only the native architecture is allowed.
 */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "sandbox/policy.h"

#define POLICY_DEFAULT_ACTION	SCMP_ACT_KILL_PROCESS

/* Namespace flags: clone() with any of them is refused. */
#define POLICY_NS_FLAGS	(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | \
	    CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)

/* One plain allow-list entry: system call number and why it is there. */
static const int policy_allow[] = {
	/* Reading and writing open descriptors (pipes, scratch files). */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(lseek),
	SCMP_SYS(close), SCMP_SYS(close_range), SCMP_SYS(dup),
	SCMP_SYS(dup2), SCMP_SYS(dup3), SCMP_SYS(fcntl), SCMP_SYS(pipe),
	SCMP_SYS(pipe2), SCMP_SYS(ftruncate), SCMP_SYS(fsync),
	SCMP_SYS(fdatasync), SCMP_SYS(fallocate),

	/* Files: the root is read-only, the scratch tmpfs is writable. */
	SCMP_SYS(open), SCMP_SYS(openat), SCMP_SYS(stat), SCMP_SYS(fstat),
	SCMP_SYS(lstat), SCMP_SYS(newfstatat), SCMP_SYS(statx),
	SCMP_SYS(statfs), SCMP_SYS(fstatfs), SCMP_SYS(access),
	SCMP_SYS(faccessat), SCMP_SYS(faccessat2), SCMP_SYS(readlink),
	SCMP_SYS(readlinkat), SCMP_SYS(getdents64), SCMP_SYS(getcwd),
	SCMP_SYS(chdir), SCMP_SYS(fchdir), SCMP_SYS(mkdir),
	SCMP_SYS(mkdirat), SCMP_SYS(rmdir), SCMP_SYS(unlink),
	SCMP_SYS(unlinkat), SCMP_SYS(rename), SCMP_SYS(renameat),
	SCMP_SYS(renameat2), SCMP_SYS(chmod), SCMP_SYS(fchmod),
	SCMP_SYS(fchmodat), SCMP_SYS(umask), SCMP_SYS(utimensat),
	SCMP_SYS(truncate), SCMP_SYS(symlink), SCMP_SYS(link),

	/* The zygote gives each candidate's scratch directory away. */
	SCMP_SYS(chown), SCMP_SYS(fchown), SCMP_SYS(fchownat),
	SCMP_SYS(lchown),

	/* Memory management (CPython's allocator, numpy). */
	SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(mprotect), SCMP_SYS(madvise), SCMP_SYS(mincore),
	SCMP_SYS(membarrier),

	/* Signals.  kill() is harmless here: every role has its own uid. */
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigpending),
	SCMP_SYS(rt_sigsuspend), SCMP_SYS(rt_sigtimedwait),
	SCMP_SYS(sigaltstack), SCMP_SYS(kill), SCMP_SYS(tgkill),
	SCMP_SYS(tkill), SCMP_SYS(pidfd_open), SCMP_SYS(pidfd_send_signal),
	SCMP_SYS(alarm), SCMP_SYS(setitimer), SCMP_SYS(getitimer),
	SCMP_SYS(pause),

	/* Processes: fork per candidate, wait, exit.  execve starts the
	 * interpreters; candidates inherit a second filter (see
	 * policy_candidate_export) under which execve, setsid and setpgid
	 * end them as "forbidden". */
	SCMP_SYS(execve), SCMP_SYS(wait4), SCMP_SYS(waitid),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(set_tid_address),
	SCMP_SYS(set_robust_list), SCMP_SYS(get_robust_list),
	SCMP_SYS(rseq), SCMP_SYS(arch_prctl), SCMP_SYS(prctl),
	SCMP_SYS(futex), SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
	SCMP_SYS(getpriority), SCMP_SYS(setsid), SCMP_SYS(setpgid),
	SCMP_SYS(getpgid), SCMP_SYS(getpgrp), SCMP_SYS(getsid),

	/* Identity: the zygote drops each candidate to its own uid. */
	SCMP_SYS(getpid), SCMP_SYS(getppid), SCMP_SYS(gettid),
	SCMP_SYS(getuid), SCMP_SYS(geteuid), SCMP_SYS(getgid),
	SCMP_SYS(getegid), SCMP_SYS(getresuid), SCMP_SYS(getresgid),
	SCMP_SYS(getgroups), SCMP_SYS(setresuid), SCMP_SYS(setresgid),
	SCMP_SYS(setuid), SCMP_SYS(setgid), SCMP_SYS(setgroups),

	/* Limits and accounting. */
	SCMP_SYS(prlimit64), SCMP_SYS(getrlimit), SCMP_SYS(setrlimit),
	SCMP_SYS(getrusage), SCMP_SYS(times), SCMP_SYS(sysinfo),
	SCMP_SYS(uname),

	/* Waiting on descriptors (selectors, subprocess-free pipes). */
	SCMP_SYS(select), SCMP_SYS(pselect6), SCMP_SYS(poll),
	SCMP_SYS(ppoll), SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl),
	SCMP_SYS(epoll_wait), SCMP_SYS(epoll_pwait), SCMP_SYS(eventfd2),

	/* The zygote hands a candidate's channel to the judge (SCM_RIGHTS)
	 * over the socketpair made before the filter; no new sockets. */
	SCMP_SYS(sendmsg), SCMP_SYS(recvmsg), SCMP_SYS(sendto),
	SCMP_SYS(recvfrom), SCMP_SYS(shutdown), SCMP_SYS(getsockname),
	SCMP_SYS(getpeername), SCMP_SYS(getsockopt),

	/* Time and randomness. */
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres),
	SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
	SCMP_SYS(gettimeofday), SCMP_SYS(time), SCMP_SYS(getrandom),

	/* The forker loads the candidates' filter on itself.  A candidate
	 * may add filters to itself too: they only narrow what it may do,
	 * and a second listener is refused (EBUSY). */
	SCMP_SYS(seccomp),
};

/* What the candidates' filter holds for the zygote (see policy.h). */
static const int policy_candidate_held[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat),	/* another program */
	SCMP_SYS(setsid), SCMP_SYS(setpgid),	/* leaving the group */
};

/* Add the rules; returns 0 or a negative errno. */
static int
policy_build(scmp_filter_ctx ctx)
{
	int	 r;

	for (size_t i = 0; i < sizeof(policy_allow) / sizeof(policy_allow[0]);
	    i++) {
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, policy_allow[i],
		    0)) < 0)
			return r;
	}

	/* Threads and fork, but never a new namespace. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, POLICY_NS_FLAGS, 0))) < 0)
		return r;
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fork), 0)) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(vfork), 0)) < 0)
		return r;

	/* The zygote makes each candidate the init of its own PID
	 * namespace (the kernel then kills whatever it leaves behind);
	 * setns() resets it for the next one.  Exactly CLONE_NEWPID: candidates lack the capability anyway. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(unshare), 1,
	    SCMP_A0(SCMP_CMP_EQ, CLONE_NEWPID))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setns), 1,
	    SCMP_A1(SCMP_CMP_EQ, CLONE_NEWPID))) < 0)
		return r;

	/* clone3 passes its flags in memory that seccomp cannot read;
	 * glibc falls back to clone() on ENOSYS. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(clone3), 0)) < 0)
		return r;

	/* ioctl only for "is this a terminal" and "bytes readable". */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, TCGETS))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, FIONREAD))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, FIOCLEX))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, FIONBIO))) < 0)
		return r;
	/* The zygote takes the candidates' held calls off its listener. */
	if ((r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
	    SCMP_A1(SCMP_CMP_EQ, SECCOMP_IOCTL_NOTIF_RECV))) < 0)
		return r;
	return 0;
}

/* Make a filter context with the table; NULL with *rp set on failure. */
static scmp_filter_ctx
policy_new(int *rp)
{
	scmp_filter_ctx	 ctx;

	if ((ctx = seccomp_init(POLICY_DEFAULT_ACTION)) == NULL) {
		*rp = -ENOMEM;
		return NULL;
	}
	if ((*rp = policy_build(ctx)) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

int
policy_load(void)
{
	scmp_filter_ctx	 ctx;
	int		 r;

	if ((ctx = policy_new(&r)) == NULL)
		return r;
	r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r;
}

int
policy_candidate_export(int fd)
{
	scmp_filter_ctx	 ctx;
	int		 r = 0;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(policy_candidate_held) /
	    sizeof(policy_candidate_held[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY,
		    policy_candidate_held[i], 0);
	if (r == 0)
		r = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	return r;
}

int
policy_print(int fd)
{
	scmp_filter_ctx	 ctx;
	int		 r;

	if ((ctx = policy_new(&r)) == NULL)
		return r;
	r = seccomp_export_pfc(ctx, fd);
	seccomp_release(ctx);
	return r;
}
