/*
 * policy.h - the seccomp allow-list every process in the jail runs under.
 *
 * One table in policy.c: the system calls CPython needs to start, run a
 * candidate, fork per candidate and wait for it.  Anything else kills the
 * calling process with SIGSYS, which the runner reports as the verdict
 * "forbidden".  Runs in the helper between fork and exec: no libuv, no
 * jansson, no SQLite.
 */
#ifndef SANDBOX_POLICY_H
#define SANDBOX_POLICY_H

/*
 * Build the filter and load it into the calling thread (and its future
 * children).  PR_SET_NO_NEW_PRIVS must already be set.  Returns 0 or a
 * negative errno from libseccomp.  Allocates (libseccomp builds the
 * program), so call it before the last step that must not allocate.
 */
int	 policy_load(void);

/*
 * Write the candidates' second filter, as a BPF program (an array of
 * struct sock_filter), to "fd".  The forker loads it on itself once its
 * interpreter runs, with SECCOMP_FILTER_FLAG_NEW_LISTENER, so that every
 * candidate it forks inherits it: starting a program (execve, execveat)
 * or leaving the process group (setsid, setpgid) is then held by the
 * kernel and reported to the zygote through the listener, and the
 * zygote ends the candidate as "forbidden" whichever of its processes
 * tried.  Everything else is left to the first filter.  Returns 0 or a
 * negative errno.  Allocates: call it before the roles are started.
 */
int	 policy_candidate_export(int fd);

/*
 * Write the filter in libseccomp's PFC text form to "fd" (for
 * "verdict-jail --print-policy" and for the tests).  Returns 0 or a
 * negative errno.
 */
int	 policy_print(int fd);

#endif /* SANDBOX_POLICY_H */
