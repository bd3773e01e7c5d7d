/*
 * jail-main.c - main() of verdict-jail, the jail helper, and the keeper
 * of one jail.
 *
 *   verdict-jail --broker ...   the jail broker (sandbox/broker.h), which
 *                               verdictd starts once, as root
 *   verdict-jail --print-policy the seccomp policy, as text
 *
 * The broker forks one keeper per worker slot, with four descriptors:
 *
 *   0  job requests for the zygote (JSON lines, see sandbox/runner.py)
 *   1  results from the zygote (JSON lines)
 *   2  log
 *   3  test specs for the judge (JSON lines)
 *
 * Process tree, shaped like isolate's keeper and inside process:
 *
 *   keeper (host namespaces, root)     maps uids, reports setup errors
 *    `- init (pid 1 of a new PID ns)   mounts, starts the roles, reaps
 *        |- zygote  python3, uid 0     supervises: compiles, times, kills
 *        |- forker  python3, uid 0     forks one child per candidate
 *        `- judge   python3, uid 1     holds the tests, judges returns
 *
 * Setup order inside (each step fails closed with a message that the
 * keeper turns into a {"internal": "..."} line on fd 1 and exit 2):
 * namespaces (clone), uid maps, credentials, filesystem, descriptors,
 * then per role: uid, no-new-privs, seccomp, execve.
 *
 * The keeper's exit status, as in isolate: 0 the jail ran and its
 * zygote stopped normally, 2 internal error.  verdict-jail's: 1 bad
 * usage, else the broker's or --print-policy's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "common/log.h"
#include "sandbox/broker.h"
#include "sandbox/jail.h"
#include "sandbox/policy.h"

/* Python source of the runner, compiled in from sandbox/runner.py. */
extern const char jail_runner_src[];

#define JAIL_NS_FLAGS	(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | \
	    CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)

/* The keeper's child, for the signal handler (isolate-style global). */
static volatile pid_t	 jail_init_pid;

/*
 * execve() takes "char *const []" for historical reasons and only reads
 * the strings; this is the one place a const is cast away.
 */
static char *
jail_unconst(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* Forward a termination signal to init as SIGKILL; async-signal-safe. */
static void
jail_keeper_signal(int signo)
{
	(void)signo;
	if (jail_init_pid > 0)
		kill(jail_init_pid, SIGKILL);
}

static int
jail_usage(void)
{
	fprintf(stderr, "usage: verdict-jail --broker --workers N --uid-base N "
	    "--scratch-mb N\n"
	    "                    [--python PATH]\n"
	    "       verdict-jail --print-policy\n");
	return 1;
}

/* Write all of buf to fd, ignoring errors (reporting paths only). */
static void
jail_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

/* Send a setup error to the keeper and exit; used inside the jail. */
static void __attribute__((noreturn))
jail_die(int errfd, const char *who, const char *msg)
{
	char	 line[512];
	int	 n;

	n = snprintf(line, sizeof(line), "%s: %s", who, msg);
	if (n > 0)
		jail_write_all(errfd, line, (size_t)n < sizeof(line) ?
		    (size_t)n : sizeof(line) - 1);
	_exit(2);
}

/*
 * In a child of init: put fds[i] at descriptor i (0 to 4; -1 leaves it
 * closed), close the rest but the error pipe, drop to the role's uid,
 * load the policy and exec the interpreter.  Does not return.
 */
static void __attribute__((noreturn))
jail_exec_role(const char *role, uid_t uid, const int fds[5], int errfd,
    char *const argv[], char *const envp[])
{
	char	 err[256];
	int	 keep[6] = { 0, 1, 2, 3, 4, 0 }, moved[5];

	/* Move out of the way first so the dup2()s cannot clobber. */
	for (int i = 0; i < 5; i++) {
		moved[i] = -1;
		if (fds[i] >= 0 && (moved[i] = fcntl(fds[i], F_DUPFD_CLOEXEC,
		    10)) < 0)
			jail_die(errfd, role, strerror(errno));
	}
	for (int i = 0; i < 5; i++)
		if (moved[i] >= 0 && dup2(moved[i], i) < 0)
			jail_die(errfd, role, strerror(errno));
	keep[5] = errfd;
	if (jail_close_fds(keep, 6) < 0)
		jail_die(errfd, role, "close_range failed");
	if (jail_enter_role(uid, err, sizeof(err)) < 0)
		jail_die(errfd, role, err);
	/* From here on nothing allocates: argv and envp were built early. */
	execve(argv[0], argv, envp);
	jail_die(errfd, role, strerror(errno));
}

/*
 * pid 1 of the jail: set up, start the zygote, the forker and the
 * judge, then reap every orphan until one of the roles ends, which ends
 * the jail.
 */
static void __attribute__((noreturn))
jail_init(const struct jail_config *cfg, int syncfd, int errfd)
{
	static char	 env_path[] = "PATH=/usr/bin:/bin";
	static char	 env_home[] = "HOME=/tmp";
	static char	 env_lang[] = "LC_ALL=C.UTF-8";
	static char	 env_blas[] = "OPENBLAS_NUM_THREADS=1";
	static char	 env_omp[] = "OMP_NUM_THREADS=1";
	static char	 a_i[] = "-I", a_b[] = "-B", a_c[] = "-c";
	static char	 r_zygote[] = "zygote", r_judge[] = "judge";
	static char	 r_forker[] = "forker";
	char		*envp[] = { env_path, env_home, env_lang, env_blas,
			    env_omp, NULL };
	char		*argv_z[7], *argv_j[7], *argv_f[7];
	char		 err[256], c;
	int		 zj[2], zf[2], devnull, keep[5] = { 0, 1, 2, 3, 0 };
	int		 fds[5];
	pid_t		 zygote, judge, forker, pid;
	int		 status, zstatus = 2 << 8;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		jail_die(errfd, "init", strerror(errno));
	/* Wait until the keeper has written our uid and gid maps. */
	if (read(syncfd, &c, 1) != 1)
		jail_die(errfd, "init", "keeper went away");
	close(syncfd);

	if (jail_setup_creds(err, sizeof(err)) < 0)
		jail_die(errfd, "credentials", err);
	if (jail_setup_fs(cfg, err, sizeof(err)) < 0)
		jail_die(errfd, "filesystem", err);
	keep[4] = errfd;
	if (jail_close_fds(keep, 5) < 0)
		jail_die(errfd, "init", "close_range failed");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, zj) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, zf) < 0)
		jail_die(errfd, "socketpair", strerror(errno));
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		jail_die(errfd, "/dev/null", strerror(errno));

	argv_z[0] = argv_j[0] = argv_f[0] = jail_unconst(cfg->python);
	argv_z[1] = argv_j[1] = argv_f[1] = a_i;
	argv_z[2] = argv_j[2] = argv_f[2] = a_b;
	argv_z[3] = argv_j[3] = argv_f[3] = a_c;
	argv_z[4] = argv_j[4] = argv_f[4] = jail_unconst(jail_runner_src);
	argv_z[5] = r_zygote;
	argv_j[5] = r_judge;
	argv_f[5] = r_forker;
	argv_z[6] = argv_j[6] = argv_f[6] = NULL;

	/* Descriptors 0, 1, 2, 3, 4 of each role; -1 leaves one closed. */
	fds[0] = 3; fds[1] = 2; fds[2] = 2; fds[3] = zj[1]; fds[4] = -1;
	if ((judge = fork()) < 0)
		jail_die(errfd, "fork judge", strerror(errno));
	if (judge == 0)
		jail_exec_role("judge", JAIL_UID_JUDGE, fds, errfd, argv_j,
		    envp);
	fds[0] = devnull; fds[1] = devnull; fds[3] = zf[1];
	if ((forker = fork()) < 0)
		jail_die(errfd, "fork forker", strerror(errno));
	if (forker == 0)
		jail_exec_role("forker", JAIL_UID_ZYGOTE, fds, errfd, argv_f,
		    envp);
	fds[0] = 0; fds[1] = 1; fds[3] = zj[0]; fds[4] = zf[0];
	if ((zygote = fork()) < 0)
		jail_die(errfd, "fork zygote", strerror(errno));
	if (zygote == 0)
		jail_exec_role("zygote", JAIL_UID_ZYGOTE, fds, errfd, argv_z,
		    envp);
	close(zj[0]);
	close(zj[1]);
	close(zf[0]);
	close(zf[1]);
	close(devnull);
	close(errfd);
	for (int fd = 0; fd <= 3; fd++)
		close(fd);

	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pid == zygote) {
			zstatus = status;
			break;
		}
		if (pid == judge || pid == forker)
			break;
	}
	/* As pid 1, our exit kills everything left in the namespace. */
	_exit(WIFEXITED(zstatus) ? WEXITSTATUS(zstatus) : 2);
}

/*
 * The keeper of one jail, in a child of the broker (broker_keeper_fn):
 * descriptors 0 to 3 as in the header comment, cfg->uid_base the slot's
 * first host uid.  Returns the exit status.
 */
static int
jail_keeper(const struct jail_config *cfg)
{
	struct sigaction	 sa;
	char			 err[512], line[700];
	int			 syncp[2], errp[2], status, n;
	size_t			 elen = 0;
	pid_t			 pid;

	if (pipe2(syncp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		snprintf(err, sizeof(err), "pipe: %s", strerror(errno));
		goto fail;
	}
	pid = (pid_t)syscall(SYS_clone, JAIL_NS_FLAGS | SIGCHLD, NULL, NULL,
	    NULL, NULL);
	if (pid < 0) {
		snprintf(err, sizeof(err), "clone namespaces: %s",
		    strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		close(syncp[1]);
		close(errp[0]);
		jail_init(cfg, syncp[0], errp[1]);
	}
	jail_init_pid = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = jail_keeper_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	close(syncp[0]);
	close(errp[1]);
	close(0);
	close(3);

	if (jail_map_ids(pid, cfg->uid_base, err, sizeof(err)) < 0) {
		kill(pid, SIGKILL);
		goto fail;
	}
	if (write(syncp[1], "x", 1) != 1) {
		snprintf(err, sizeof(err), "sync: %s", strerror(errno));
		kill(pid, SIGKILL);
		goto fail;
	}
	close(syncp[1]);

	/* EOF on the error pipe: every role reached execve(). */
	while (elen < sizeof(err) - 1) {
		n = (int)read(errp[0], err + elen, sizeof(err) - 1 - elen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		elen += (size_t)n;
	}
	close(errp[0]);
	err[elen] = '\0';
	if (elen > 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		goto fail;
	}
	close(1);

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 2;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 2;

 fail:
	/* One line the daemon can parse, then the same for the log. */
	log_escape(line, sizeof(line), err, strlen(err));
	n = snprintf(err, sizeof(err), "{\"internal\": \"setup: %s\"}\n",
	    line);
	if (n > 0)
		jail_write_all(1, err, (size_t)n < sizeof(err) ? (size_t)n :
		    sizeof(err) - 1);
	log_warnx("setup: %s", line);
	return 2;
}

int
main(int argc, char *argv[])
{
	int	 r;

	log_init(LOG_LEVEL_INFO, "verdict-jail");
	if (argc == 2 && strcmp(argv[1], "--print-policy") == 0)
		return policy_print(1) < 0 ? 2 : 0;
	if (argc < 2 || strcmp(argv[1], "--broker") != 0)
		return jail_usage();
	if ((r = broker_main(argc - 1, argv + 1, jail_keeper)) == 1)
		jail_usage();
	return r;
}
