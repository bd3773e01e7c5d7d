/*
 * brokerc.c - verdictd's side of the jail broker.  See brokerc.h, and
 * broker.h for the wire format.
 *
 * Requests are sent with MSG_DONTWAIT (the loop never blocks on the
 * broker) and MSG_NOSIGNAL (a dead broker is an error, not SIGPIPE);
 * replies are read with MSG_CMSG_CLOEXEC, and everything in them is
 * checked before it is used: the broker is root, but a bug there must
 * not become a bug here.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "sandbox/brokerc.h"

#define BROKERC_HELLO_MS	10000	/* the broker's start */
#define BROKERC_EXEC_FAILED	127	/* the child's status when exec fails */

struct brokerc {
	int		 fd;		/* our end of the socketpair */
	pid_t		 pid;		/* the broker */
	unsigned	 workers;	/* from its hello */
	uid_t		 uid_first, uid_last;
};

/*
 * In the child: the socket at descriptor 3, /dev/null at 0 and 1, the
 * log (2) kept, nothing else, no blocked signals, then exec the broker.
 * Between fork and exec: async-signal-safe calls only.
 */
static void __attribute__((noreturn))
brokerc_exec(int sock, char *argv[])
{
	struct sigaction sa;
	sigset_t	 none;
	int		 s, null;

	sigemptyset(&none);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0 ||
	    sigaction(SIGPIPE, &sa, NULL) < 0)
		_exit(BROKERC_EXEC_FAILED);
	/* Out of the way first, so that no dup2() below clobbers it. */
	if ((s = fcntl(sock, F_DUPFD, 10)) < 0 ||
	    (null = open("/dev/null", O_RDWR)) < 0 ||
	    dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(s, 3) < 0 ||
	    syscall(SYS_close_range, 4, ~0U, 0) < 0)
		_exit(BROKERC_EXEC_FAILED);
	execv(argv[0], argv);
	_exit(BROKERC_EXEC_FAILED);
}

int
brokerc_start(const struct brokerc_opts *o, struct brokerc **bcp,
    char *errbuf, size_t errlen)
{
	char		 a_broker[] = "--broker", a_workers[] = "--workers";
	char		 a_uid[] = "--uid-base", a_scratch[] = "--scratch-mb";
	char		 a_python[] = "--python";
	char		 workers[16], base[16], scratch[16];
	char		*argv[12], *path = NULL, *python = NULL;
	struct broker_rep rep;
	struct brokerc	*bc = NULL;
	int		 sv[2] = { -1, -1 }, fds[BROKER_NFDS], r, n = 0;
	pid_t		 pid;

	*bcp = NULL;
	if (geteuid() != 0) {
		log_errbuf(errbuf, errlen, "the jail broker must be started "
		    "as root");
		return -EPERM;
	}
	if (access(o->jail_path, X_OK) < 0) {
		r = -errno;
		log_errbuf(errbuf, errlen, "%s: %s", o->jail_path,
		    strerror(-r));
		return r;
	}
	/* argv in writable storage, built before the fork. */
	path = xstrdup(o->jail_path);
	snprintf(workers, sizeof(workers), "%u", o->workers);
	snprintf(base, sizeof(base), "%lu", (unsigned long)o->uid_base);
	snprintf(scratch, sizeof(scratch), "%u", o->scratch_mb);
	argv[n++] = path;
	argv[n++] = a_broker;
	argv[n++] = a_workers;
	argv[n++] = workers;
	argv[n++] = a_uid;
	argv[n++] = base;
	argv[n++] = a_scratch;
	argv[n++] = scratch;
	if (o->python != NULL) {
		python = xstrdup(o->python);
		argv[n++] = a_python;
		argv[n++] = python;
	}
	argv[n] = NULL;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
	    (pid = fork()) < 0) {
		r = -errno;
		log_errbuf(errbuf, errlen, "cannot start the jail broker: %s",
		    strerror(-r));
		goto out;
	}
	if (pid == 0)
		brokerc_exec(sv[1], argv);
	bc = xcalloc(1, sizeof(*bc));
	bc->fd = sv[0];
	bc->pid = pid;
	sv[0] = -1;

	r = brokerc_recv(bc, &rep, fds, BROKERC_HELLO_MS);
	if (r == 1 && rep.type == BROKER_HELLO && rep.workers ==
	    o->workers && rep.uid_first >= o->uid_base &&
	    rep.uid_last - rep.uid_first + 1 == BROKER_RANGE_UIDS) {
		bc->workers = rep.workers;
		bc->uid_first = rep.uid_first;
		bc->uid_last = rep.uid_last;
		*bcp = bc;
		bc = NULL;
		r = 0;
	} else if (r == 1 && rep.type == BROKER_REFUSED) {
		log_errbuf(errbuf, errlen, "jail broker: %s", rep.text);
		r = rep.error > 0 ? -rep.error : -EIO;
	} else if (r == 1) {
		if (rep.type == BROKER_SPAWNED)
			for (int i = 0; i < BROKER_NFDS; i++)
				close(fds[i]);
		log_errbuf(errbuf, errlen, "jail broker: a message of type %u "
		    "where its hello belongs", rep.type);
		r = -EPROTO;
	} else {
		if (r == 0)
			r = -ETIMEDOUT;
		log_errbuf(errbuf, errlen, "jail broker: %s", r == -EPIPE ?
		    "exited before its hello (see its log)" : strerror(-r));
	}
 out:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	brokerc_close(bc);
	free(path);
	free(python);
	return r;
}

int
brokerc_fd(const struct brokerc *bc)
{
	return bc->fd;
}

pid_t
brokerc_pid(const struct brokerc *bc)
{
	return bc->pid;
}

unsigned
brokerc_workers(const struct brokerc *bc)
{
	return bc->workers;
}

uid_t
brokerc_uid_first(const struct brokerc *bc)
{
	return bc->uid_first;
}

uid_t
brokerc_uid_last(const struct brokerc *bc)
{
	return bc->uid_last;
}

/* Send one request without blocking.  Returns 0 or a negative errno. */
static int
brokerc_send(struct brokerc *bc, enum broker_type type, unsigned slot,
    uint64_t jail)
{
	struct broker_req req;
	ssize_t		 n;

	memset(&req, 0, sizeof(req));
	req.version = BROKER_VERSION;
	req.type = type;
	req.slot = slot;
	req.jail = jail;
	while ((n = send(bc->fd, &req, sizeof(req), MSG_DONTWAIT |
	    MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return -errno;
	return (size_t)n == sizeof(req) ? 0 : -EIO;
}

int
brokerc_spawn(struct brokerc *bc, unsigned slot)
{
	return brokerc_send(bc, BROKER_SPAWN, slot, 0);
}

int
brokerc_kill(struct brokerc *bc, uint64_t jail)
{
	return brokerc_send(bc, BROKER_KILL, 0, jail);
}

int
brokerc_recv(struct brokerc *bc, struct broker_rep *rep,
    int fds[BROKER_NFDS], int timeout_ms)
{
	union {
		char		 buf[CMSG_SPACE(sizeof(int) * BROKER_NFDS)];
		struct cmsghdr	 align;
	}		 u;
	struct pollfd	 pfd;
	struct msghdr	 msg;
	struct iovec	 iov;
	struct cmsghdr	*cm;
	size_t		 nfds = 0, total = 0, want;
	ssize_t		 n;
	int		 fd, r;

	if (timeout_ms != 0) {
		pfd.fd = bc->fd;
		pfd.events = POLLIN;
		while ((r = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
			;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
	}
	memset(&msg, 0, sizeof(msg));
	memset(rep, 0, sizeof(*rep));
	iov.iov_base = rep;
	iov.iov_len = sizeof(*rep);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	n = recvmsg(bc->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (n == 0)
		return -EPIPE;
	for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
	    cm = CMSG_NXTHDR(&msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < (cm->cmsg_len - CMSG_LEN(0)) /
		    sizeof(int); i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
			    sizeof(int));
			total++;
			if (nfds < BROKER_NFDS)
				fds[nfds++] = fd;
			else
				close(fd);
		}
	}
	want = rep->type == BROKER_SPAWNED ? BROKER_NFDS : 0;
	if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
	    (size_t)n != sizeof(*rep) || rep->version != BROKER_VERSION ||
	    rep->type < BROKER_HELLO || rep->type > BROKER_REFUSED ||
	    memchr(rep->text, '\0', sizeof(rep->text)) == NULL ||
	    total != want) {
		for (size_t i = 0; i < nfds; i++)
			close(fds[i]);
		return -EPROTO;
	}
	return 1;
}

void
brokerc_close(struct brokerc *bc)
{
	struct pollfd	 pfd;
	pid_t		 r;
	int		 pidfd;

	if (bc == NULL)
		return;
	close(bc->fd);
	/* EOF: the broker kills and reaps its jails, then exits. */
	if ((pidfd = (int)syscall(SYS_pidfd_open, bc->pid, 0)) >= 0) {
		pfd.fd = pidfd;
		pfd.events = POLLIN;
		while (poll(&pfd, 1, BROKERC_EXIT_MS) < 0 && errno == EINTR)
			;
		close(pidfd);
		r = waitpid(bc->pid, NULL, WNOHANG);
	} else		/* no pidfd (Linux before 5.3): wait unbounded */
		r = waitpid(bc->pid, NULL, 0);
	if (r == 0)
		log_warnx("jail broker %d did not exit in %d s; not waiting "
		    "for it", (int)bc->pid, BROKERC_EXIT_MS / 1000);
	free(bc);
}
