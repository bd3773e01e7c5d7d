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
 * Write the filter in libseccomp's PFC text form to "fd" (for
 * "verdict-jail --print-policy" and for the tests).  Returns 0 or a
 * negative errno.
 */
int	 policy_print(int fd);

#endif /* SANDBOX_POLICY_H */
