/*
 * broker.c - the jail broker, "verdict-jail --broker".  See broker.h for
 * its contract and wire format.
 *
 * A one-shot root program (isolate-style: plain poll(2), blocking
 * writes, no libuv).  It waits on two descriptors: the socket to
 * verdictd and a signalfd for SIGCHLD, SIGTERM, SIGINT and SIGHUP, so
 * that no signal handler runs and keepers are reaped in the loop, each
 * by its own pid (the broker has no other children).
 *
 * Sections: options, start (descriptors, the uid range), replies,
 * requests, keepers, the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "sandbox/broker.h"
#include "sandbox/cgroup.h"

#define BROKER_EXIT_USAGE	1
#define BROKER_EXIT_INTERNAL	2
#define BROKER_SOCK		3	/* descriptor of the socket */

/* One slot's jail. */
struct broker_jail {
	uint64_t	 id;		/* 0: none made yet */
	pid_t		 pid;		/* its keeper and process group; 0
					   once reaped */
};

struct broker {
	struct jail_config cfg;		/* uid_base: the range's first uid */
	unsigned	 workers;	/* slots */
	uid_t		 uid_base;	/* --uid-base: first uid of range 0 */
	int		 sigfd;		/* signalfd of the signals below */
	int		 lockfd;	/* holds the range's flock */
	pid_t		 pid;		/* the broker's, for keepers */
	sigset_t	 oldmask;	/* as exec'd; keepers get it back */
	uint64_t	 last_id;	/* jail ids count up from 1 */
	struct broker_jail *jails;	/* one per slot */
	broker_keeper_fn *keeper;
	bool		 done;		/* EOF, a signal or a send failed */
};

/* --- Options --- */

/* Parse the decimal "s" of option "opt" in [lo, hi].  Returns 0, or -1
 * with the reason printed. */
static int
broker_number(const char *opt, const char *s, unsigned long lo,
    unsigned long hi, unsigned long *v)
{
	char	*end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *s < '0' || *s > '9' || *end != '\0' || *v < lo ||
	    *v > hi) {
		fprintf(stderr, "verdict-jail: %s %s: must be %lu..%lu\n", opt,
		    s, lo, hi);
		return -1;
	}
	return 0;
}

/* Fill b from argv (argv[0] is "--broker").  Returns 0 or -1. */
static int
broker_options(struct broker *b, int argc, char *argv[])
{
	unsigned long	 v;
	bool		 workers = false;

	b->uid_base = BROKER_UID_BASE;
	b->cfg.scratch_mb = BROKER_SCRATCH_MB;
	b->cfg.python = BROKER_PYTHON;
	for (int i = 1; i < argc; i += 2) {
		const char	*opt = argv[i], *val = argv[i + 1];

		if (val == NULL)
			return -1;
		if (strcmp(opt, "--workers") == 0) {
			if (broker_number(opt, val, 1, BROKER_MAX_SLOTS,
			    &v) < 0)
				return -1;
			b->workers = (unsigned)v;
			workers = true;
		} else if (strcmp(opt, "--uid-base") == 0) {
			if (broker_number(opt, val, 1, BROKER_UID_BASE_MAX,
			    &v) < 0)
				return -1;
			b->uid_base = (uid_t)v;
		} else if (strcmp(opt, "--scratch-mb") == 0) {
			if (broker_number(opt, val, 1, 65536, &v) < 0)
				return -1;
			b->cfg.scratch_mb = (unsigned)v;
		} else if (strcmp(opt, "--python") == 0 && val[0] == '/')
			b->cfg.python = val;
		else
			return -1;
	}
	return workers ? 0 : -1;
}

/* --- Start --- */

/*
 * Descriptor 3 must be the socket to verdictd and 2 is the log; 0 and 1
 * become /dev/null (so that no pipe of a jail lands there) and every
 * other descriptor is closed.  Returns 0 or -1 with the reason logged.
 */
static int
broker_setup_fds(void)
{
	socklen_t	 len = sizeof(int);
	int		 type, fd;

	if (getsockopt(BROKER_SOCK, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
	    type != SOCK_SEQPACKET) {
		log_warnx("descriptor %d is not the SOCK_SEQPACKET socket to "
		    "verdictd (see sandbox/broker.h)", BROKER_SOCK);
		return -1;
	}
	if ((fd = open("/dev/null", O_RDWR)) < 0 || dup2(fd, 0) < 0 ||
	    dup2(fd, 1) < 0) {
		log_warn("/dev/null");
		return -1;
	}
	if (fcntl(BROKER_SOCK, F_SETFD, FD_CLOEXEC) < 0 ||
	    syscall(SYS_close_range, BROKER_SOCK + 1, ~0U, 0) < 0) {
		log_warn("descriptors");
		return -1;
	}
	return 0;
}

/*
 * Take the first free range of host uids: the first BROKER_LOCK_DIR/
 * uids.N.lock that no one holds an flock on.  Lock files are never
 * removed (a removed file could be made again and locked twice).
 * Returns 0 or a negative errno with the reason in errbuf.
 */
/*
 * The limits verdictd was started under (ulimit, systemd's LimitAS=)
 * are the daemon's, not the jails': inherited, they could cap a jail
 * process below the limits the jail gives a candidate.  The broker
 * (root) lifts those it can; the jail sets each process's own.  Where it
 * cannot (no CAP_SYS_RESOURCE), a job whose limits do not fit is the
 * oracle's failure, never the candidate's (the zygote checks each).
 */
static void
broker_setup_rlimits(void)
{
	static const struct {
		int		 res;
		const char	*name;
	} lim[] = {
		{ RLIMIT_AS, "RLIMIT_AS" },
		{ RLIMIT_DATA, "RLIMIT_DATA" },
		{ RLIMIT_CPU, "RLIMIT_CPU" },
		{ RLIMIT_FSIZE, "RLIMIT_FSIZE" },
	};
	struct rlimit	 rl, inf = { RLIM_INFINITY, RLIM_INFINITY };

	for (size_t i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		if (getrlimit(lim[i].res, &rl) == 0 &&
		    rl.rlim_cur == RLIM_INFINITY && rl.rlim_max == RLIM_INFINITY)
			continue;
		if (setrlimit(lim[i].res, &inf) < 0)
			log_warn("%s: cannot lift the limit verdictd was "
			    "started under", lim[i].name);
	}
}

static int
broker_lock(struct broker *b, char *errbuf, size_t errlen)
{
	char	 path[64];
	int	 fd, e;

	if (mkdir(BROKER_LOCK_DIR, 0755) < 0 && errno != EEXIST) {
		e = errno;
		log_errbuf(errbuf, errlen, "%s: %s", BROKER_LOCK_DIR,
		    strerror(e));
		return -e;
	}
	for (unsigned n = 0; n < BROKER_NRANGES; n++) {
		snprintf(path, sizeof(path), "%s/uids.%u.lock",
		    BROKER_LOCK_DIR, n);
		/* 0600: nobody but root can open it, so nobody but root
		 * can hold a range. */
		if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, 0600)) < 0) {
			e = errno;
			log_errbuf(errbuf, errlen, "%s: %s", path,
			    strerror(e));
			return -e;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			b->lockfd = fd;
			b->cfg.uid_base = b->uid_base + n * BROKER_RANGE_UIDS;
			return 0;
		}
		e = errno;
		close(fd);
		if (e != EWOULDBLOCK) {
			log_errbuf(errbuf, errlen, "flock %s: %s", path,
			    strerror(e));
			return -e;
		}
	}
	log_errbuf(errbuf, errlen, "all %u uid ranges from %lu are taken "
	    "(%s/uids.*.lock)", BROKER_NRANGES, (unsigned long)b->uid_base,
	    BROKER_LOCK_DIR);
	return -EBUSY;
}

/*
 * Block the signals the loop reads from its signalfd.  Returns 0 or a
 * negative errno with the reason in errbuf.
 */
static int
broker_signals_init(struct broker *b, char *errbuf, size_t errlen)
{
	sigset_t	 set;
	int		 e;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, &b->oldmask) < 0 ||
	    (b->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
		e = errno;
		log_errbuf(errbuf, errlen, "signalfd: %s", strerror(e));
		return -e;
	}
	return 0;
}

/* --- Replies --- */

static void
broker_rep_init(struct broker_rep *rep, enum broker_type type)
{
	memset(rep, 0, sizeof(*rep));
	rep->version = BROKER_VERSION;
	rep->type = type;
}

/*
 * Send one reply, with "nfds" descriptors (borrowed).  A failure means
 * verdictd is gone: the loop ends.
 */
static void
broker_send(struct broker *b, struct broker_rep *rep, const int *fds,
    int nfds)
{
	union {
		char		 buf[CMSG_SPACE(sizeof(int) * BROKER_NFDS)];
		struct cmsghdr	 align;
	}		 u;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	ssize_t		 n;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = rep;
	iov.iov_len = sizeof(*rep);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
	}
	while ((n = sendmsg(BROKER_SOCK, &msg, MSG_NOSIGNAL)) < 0 &&
	    errno == EINTR)
		;
	if (n < 0) {
		log_debug("send: %s", strerror(errno));
		b->done = true;
	}
}

/* Send BROKER_FAILED (for "slot") or BROKER_REFUSED, and log it. */
static void __attribute__((format(printf, 5, 6)))
broker_error(struct broker *b, enum broker_type type, unsigned slot,
    int error, const char *fmt, ...)
{
	struct broker_rep rep;
	va_list		 ap;

	broker_rep_init(&rep, type);
	rep.slot = slot;
	rep.error = error;
	va_start(ap, fmt);
	vsnprintf(rep.text, sizeof(rep.text), fmt, ap);
	va_end(ap);
	log_warnx("%s: %s", type == BROKER_FAILED ? "spawn failed" :
	    "request refused", rep.text);
	broker_send(b, &rep, NULL, 0);
}

/* --- Keepers --- */

/*
 * In the child of the broker: put the jail's pipe ends at descriptors
 * 0, 1 and 3 (2 is the log) and become the keeper of "slot".  Does not
 * return.
 */
static void __attribute__((noreturn))
broker_keeper(struct broker *b, unsigned slot, int job, int res, int spec)
{
	struct jail_config cfg = b->cfg;
	int		 keep[5] = { 0, 1, 2, 3, b->lockfd };

	cfg.uid_base += BROKER_SLOT_UIDS * slot;
	/* The blocked signals are for the broker's signalfd only. */
	if (sigprocmask(SIG_SETMASK, &b->oldmask, NULL) < 0 ||
	    setpgid(0, 0) < 0)
		_exit(BROKER_EXIT_INTERNAL);
	/* Die with the broker: a jail never outlives the uid range. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != b->pid)
		_exit(BROKER_EXIT_INTERNAL);
	/* The pipes were made while 0 to 3 were open, so all are above 3
	 * and no dup2() clobbers another's source. */
	if (dup2(job, 0) < 0 || dup2(res, 1) < 0 || dup2(spec, 3) < 0)
		_exit(BROKER_EXIT_INTERNAL);
	/* Keep the lock: the range is free only when no keeper is left. */
	if (jail_close_fds(keep, 5) < 0)
		_exit(BROKER_EXIT_INTERNAL);
	_exit(b->keeper(&cfg));
}

/* SPAWN: make a jail for "slot" and hand verdictd its pipes. */
static void
broker_spawn(struct broker *b, unsigned slot)
{
	struct broker_jail *j = &b->jails[slot];
	struct broker_rep rep;
	int		 job[2] = { -1, -1 }, res[2] = { -1, -1 };
	int		 spec[2] = { -1, -1 }, fds[BROKER_NFDS];
	pid_t		 pid;

	if (j->pid > 0) {
		broker_error(b, BROKER_FAILED, slot, EBUSY, "slot %u: jail "
		    "%llu is still alive", slot, (unsigned long long)j->id);
		return;
	}
	if (pipe2(job, O_CLOEXEC) < 0 || pipe2(res, O_CLOEXEC) < 0 ||
	    pipe2(spec, O_CLOEXEC) < 0) {
		broker_error(b, BROKER_FAILED, slot, errno, "pipe: %s",
		    strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		broker_error(b, BROKER_FAILED, slot, errno, "fork: %s",
		    strerror(errno));
		goto out;
	}
	if (pid == 0)
		broker_keeper(b, slot, job[0], res[1], spec[0]);
	/* Here too, so that a KILL right after SPAWNED finds the group. */
	(void)setpgid(pid, pid);
	j->id = ++b->last_id;
	j->pid = pid;
	broker_rep_init(&rep, BROKER_SPAWNED);
	rep.slot = slot;
	rep.jail = j->id;
	fds[0] = job[1];
	fds[1] = res[0];
	fds[2] = spec[1];
	broker_send(b, &rep, fds, BROKER_NFDS);
 out:
	for (int i = 0; i < 2; i++) {
		if (job[i] >= 0)
			close(job[i]);
		if (res[i] >= 0)
			close(res[i]);
		if (spec[i] >= 0)
			close(spec[i]);
	}
}

/* KILL: SIGKILL a live jail's process group; other ids do nothing. */
static void
broker_kill(struct broker *b, uint64_t id)
{
	for (unsigned i = 0; i < b->workers; i++) {
		/* An unreaped keeper's pid, so its group, is not reused. */
		if (b->jails[i].id == id && b->jails[i].pid > 0) {
			kill(-b->jails[i].pid, SIGKILL);
			return;
		}
	}
	log_debug("kill: jail %llu is not alive", (unsigned long long)id);
}

/* Reap the keepers that ended and send BROKER_EXITED for each. */
static void
broker_reap(struct broker *b)
{
	struct broker_rep rep;
	int		 status;
	pid_t		 r;

	for (unsigned i = 0; i < b->workers; i++) {
		if (b->jails[i].pid <= 0)
			continue;
		r = waitpid(b->jails[i].pid, &status, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR))
			continue;
		if (r < 0) {
			log_warn("waitpid %d", (int)b->jails[i].pid);
			status = BROKER_EXIT_INTERNAL << 8;
		}
		cgroup_remove(b->cfg.uid_base + BROKER_SLOT_UIDS * i,
		    b->jails[i].pid);
		b->jails[i].pid = 0;
		broker_rep_init(&rep, BROKER_EXITED);
		rep.slot = i;
		rep.jail = b->jails[i].id;
		rep.status = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
		rep.signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		broker_send(b, &rep, NULL, 0);
	}
}

/* Kill every live jail and wait for each keeper. */
static void
broker_kill_all(struct broker *b)
{
	for (unsigned i = 0; i < b->workers; i++)
		if (b->jails[i].pid > 0)
			kill(-b->jails[i].pid, SIGKILL);
	for (unsigned i = 0; i < b->workers; i++) {
		while (b->jails[i].pid > 0 &&
		    waitpid(b->jails[i].pid, NULL, 0) < 0 && errno == EINTR)
			;
		if (b->jails[i].pid > 0)
			cgroup_remove(b->cfg.uid_base + BROKER_SLOT_UIDS * i,
			    b->jails[i].pid);
		b->jails[i].pid = 0;
	}
}

/* --- The loop --- */

/* One request from verdictd, checked field by field. */
static void
broker_request(struct broker *b)
{
	struct broker_req req;
	struct msghdr	 msg;
	struct iovec	 iov;
	ssize_t		 n;

	memset(&req, 0, sizeof(req));
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = &req;
	iov.iov_len = sizeof(req);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	/* No control buffer: descriptors sent here are closed by the
	 * kernel, and MSG_CTRUNC tells. */
	n = recvmsg(BROKER_SOCK, &msg, MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		log_warn("recv");
		b->done = true;
		return;
	}
	/* EOF: verdictd is gone.  (An empty datagram reads the same; a
	 * verdictd that sends one only loses its jails.) */
	if (n == 0) {
		b->done = true;
		return;
	}
	if (msg.msg_flags & MSG_CTRUNC)
		broker_error(b, BROKER_REFUSED, 0, EINVAL, "descriptors sent "
		    "to the broker");
	else if ((msg.msg_flags & MSG_TRUNC) || (size_t)n != sizeof(req))
		broker_error(b, BROKER_REFUSED, 0, EINVAL, "a request of %s%zd "
		    "bytes (not %zu)", (msg.msg_flags & MSG_TRUNC) ? "over " :
		    "", n, sizeof(req));
	else if (req.version != BROKER_VERSION)
		broker_error(b, BROKER_REFUSED, 0, EPROTO, "version %u (not "
		    "%u)", req.version, BROKER_VERSION);
	else if (req.pad != 0)
		broker_error(b, BROKER_REFUSED, 0, EINVAL, "pad is not 0");
	else if (req.type == BROKER_SPAWN && (req.jail != 0 ||
	    req.slot >= b->workers))
		broker_error(b, BROKER_REFUSED, 0, EINVAL, "SPAWN of slot %u "
		    "(of %u) jail %llu", req.slot, b->workers,
		    (unsigned long long)req.jail);
	else if (req.type == BROKER_SPAWN)
		broker_spawn(b, req.slot);
	else if (req.type == BROKER_KILL && (req.slot != 0 || req.jail == 0))
		broker_error(b, BROKER_REFUSED, 0, EINVAL, "KILL of slot %u "
		    "jail %llu", req.slot, (unsigned long long)req.jail);
	else if (req.type == BROKER_KILL)
		broker_kill(b, req.jail);
	else
		broker_error(b, BROKER_REFUSED, 0, EINVAL, "unknown request "
		    "type %u", req.type);
}

/* Signals from the signalfd: reap on SIGCHLD, end on the others. */
static void
broker_signals(struct broker *b)
{
	struct signalfd_siginfo si;

	while (read(b->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			log_info("%s: killing the jails", strsignal(
			    (int)si.ssi_signo));
			b->done = true;
		}
	}
	broker_reap(b);
}

int
broker_main(int argc, char *argv[], broker_keeper_fn *keeper)
{
	struct broker		 b;
	struct broker_rep	 rep;
	struct pollfd		 pfd[2];
	char			 err[BROKER_TEXT_LEN];
	int			 r;

	memset(&b, 0, sizeof(b));
	b.keeper = keeper;
	b.lockfd = b.sigfd = -1;
	b.pid = getpid();
	if (broker_options(&b, argc, argv) < 0)
		return BROKER_EXIT_USAGE;
	if (broker_setup_fds() < 0)
		return BROKER_EXIT_USAGE;
	/* A session of its own: already one when verdictd made it so. */
	(void)setsid();
	if (geteuid() != 0) {
		log_errbuf(err, sizeof(err), "the broker must run as root "
		    "(it maps host uids into jails)");
		r = -EPERM;
	} else if ((r = broker_lock(&b, err, sizeof(err))) == 0)
		r = broker_signals_init(&b, err, sizeof(err));
	if (r == 0)
		broker_setup_rlimits();
	if (r < 0) {
		broker_error(&b, BROKER_REFUSED, 0, -r, "%s", err);
		return BROKER_EXIT_INTERNAL;
	}
	b.jails = xcalloc(b.workers, sizeof(*b.jails));
	broker_rep_init(&rep, BROKER_HELLO);
	rep.uid_first = b.cfg.uid_base;
	rep.uid_last = b.cfg.uid_base + BROKER_RANGE_UIDS - 1;
	rep.workers = b.workers;
	broker_send(&b, &rep, NULL, 0);

	while (!b.done) {
		pfd[0].fd = BROKER_SOCK;
		pfd[0].events = POLLIN;
		pfd[1].fd = b.sigfd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			break;
		}
		if (pfd[1].revents & POLLIN)
			broker_signals(&b);
		if (!b.done && pfd[0].revents != 0)
			broker_request(&b);
	}
	broker_kill_all(&b);
	free(b.jails);
	return 0;
}
