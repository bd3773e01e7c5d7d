/*
 * privdrop.c - start as root, keep root only in the jail broker.  See
 * privdrop.h.
 *
 * The order matters: the broker is started first (it needs root and
 * inherits nothing from verdictd but the log), then the ids are dropped
 * in the order that keeps the right to drop the next (groups, gid,
 * uid), and the drop is checked the way OpenSSH's permanently_set_uid()
 * does: getting root back must fail.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "common/log.h"
#include "sandbox/privdrop.h"

int
privdrop_user(const char *cmd, const char *user, uid_t *uidp, gid_t *gidp,
    char *errbuf, size_t errlen)
{
	struct passwd	*pw;

	if (geteuid() != 0) {
		log_errbuf(errbuf, errlen, "verdictd %s must start as root: it "
		    "starts the jail broker, which makes the jails as root, "
		    "and then runs as user %s", cmd, user);
		return -EPERM;
	}
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno != 0) {
			log_errbuf(errbuf, errlen, "user %s: %s", user,
			    strerror(errno));
			return -errno;
		}
		log_errbuf(errbuf, errlen, "user %s: no such user (\"make "
		    "install\" creates %s)", user, PRIVDROP_USER);
		return -ENOENT;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		log_errbuf(errbuf, errlen, "user %s: uid or gid 0; verdictd "
		    "does not run as root", user);
		return -EINVAL;
	}
	*uidp = pw->pw_uid;
	*gidp = pw->pw_gid;
	return 0;
}

int
privdrop_start(const struct brokerc_opts *opts, uid_t uid, gid_t gid,
    struct brokerc **bcp, char *errbuf, size_t errlen)
{
	struct brokerc	*bc;
	uid_t		 ru, eu, su;
	gid_t		 rg, eg, sg;
	pid_t		 ppid = getppid();
	int		 pdeath = 0, r;

	*bcp = NULL;
	if ((r = brokerc_start(opts, &bc, errbuf, errlen)) < 0)
		return r;
	if (prctl(PR_GET_PDEATHSIG, &pdeath) < 0 || setgroups(0, NULL) < 0 ||
	    setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0) {
		r = -errno;
		log_errbuf(errbuf, errlen, "cannot drop to uid %lu gid %lu: %s",
		    (unsigned long)uid, (unsigned long)gid, strerror(-r));
		goto fail;
	}
	if (setuid(0) != -1 || getresuid(&ru, &eu, &su) < 0 ||
	    getresgid(&rg, &eg, &sg) < 0 || ru != uid || eu != uid ||
	    su != uid || rg != gid || eg != gid || sg != gid ||
	    getgroups(0, NULL) != 0) {
		r = -EPERM;
		log_errbuf(errbuf, errlen, "the drop to uid %lu did not hold",
		    (unsigned long)uid);
		goto fail;
	}
	if (pdeath != 0 && (prctl(PR_SET_PDEATHSIG, pdeath) < 0 ||
	    getppid() != ppid)) {
		r = -ESRCH;
		log_errbuf(errbuf, errlen, "the parent went away");
		goto fail;
	}
	log_info("jail broker %d: jail uids %lu-%lu; running as uid %lu gid "
	    "%lu", (int)brokerc_pid(bc), (unsigned long)brokerc_uid_first(bc),
	    (unsigned long)brokerc_uid_last(bc), (unsigned long)uid,
	    (unsigned long)gid);
	*bcp = bc;
	return 0;
 fail:
	brokerc_close(bc);
	return r;
}

int
privdrop_split(int *wstatusp)
{
	sigset_t	 set, old;
	siginfo_t	 si;
	pid_t		 parent = getpid(), pid, w;
	int		 status = 0, r;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	fflush(NULL);
	/* Blocked before the fork, so no SIGCHLD is missed. */
	if (sigprocmask(SIG_BLOCK, &set, &old) < 0)
		return -errno;
	if ((pid = fork()) < 0) {
		r = -errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		return r;
	}
	if (pid == 0) {
		if (sigprocmask(SIG_SETMASK, &old, NULL) < 0 ||
		    prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 ||
		    getppid() != parent)
			_exit(1);
		return 0;
	}
	for (;;) {
		if (sigwaitinfo(&set, &si) < 0)
			continue;		/* EINTR */
		if (si.si_signo != SIGCHLD) {
			kill(pid, si.si_signo);
			continue;
		}
		while ((w = waitpid(pid, &status, WNOHANG)) < 0 &&
		    errno == EINTR)
			;
		if (w < 0)
			status = 1 << 8;	/* cannot happen: exit 1 */
		if (w != 0)
			break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	*wstatusp = status;
	return 1;
}
