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
 *   0  job requests for the zygote (JSON lines, see sandbox/runner/)
 *   1  results from the zygote (JSON lines)
 *   2  log
 *   3  test specs for the judge (JSON lines)
 *
 * Process tree, shaped like isolate's keeper and inside process:
 *
 *   keeper (root, host namespaces      builds the jail's root, makes the
 *    but a mount namespace of its own)  candidates' cgroup, maps uids,
 *    |                                  reports setup errors
 *    `- init (pid 1 of a new PID ns)   mounts, starts the roles, reaps
 *        |- zygote  python3, uid 0     supervises: times, kills, merges
 *        |- forker  python3, uid 0     forks one child per candidate
 *        `- judge   python3, uid 1     holds the tests, judges returns
 *
 * Descriptors of the roles (-: closed):
 *
 *          0       1        2    3            4               5
 *   zygote jobs    results  log  judge sock   forker sock     cpu.stat
 *   forker null    null     log  zygote sock  cgroup.procs    filter
 *   judge  specs   null     log  zygote sock  cpu.stat        -
 *
 * "filter" is a memfd holding the candidates' second seccomp filter
 * (policy_candidate_export()), cpu.stat and cgroup.procs those of the
 * candidates' cgroup (sandbox/cgroup.h), or closed without one.
 *
 * Setup order (each step fails closed with a message that the keeper
 * turns into a {"internal": "..."} line on fd 1 and exit 2): the keeper
 * lists what the jail's root holds and builds it in a mount namespace of
 * its own (rootfs.h); then namespaces (clone, init's mount namespace a
 * copy of the keeper's), uid maps, credentials, filesystem (jail.h: /dev,
 * scratch, pivot), descriptors, then per role: uid, no-new-privs,
 * seccomp, execve.  "--print-rootfs" prints that list.
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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "common/log.h"
#include "sandbox/broker.h"
#include "sandbox/cgroup.h"
#include "sandbox/jail.h"
#include "sandbox/policy.h"
#include "sandbox/rootfs.h"

/*
 * Python source of the runner: the parts in sandbox/runner/, joined by
 * the Makefile and compiled in.
 */
extern const char jail_runner_src[];

#define JAIL_NS_FLAGS	(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | \
	    CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)
#define JAIL_ROLE_FDS	6	/* descriptors 0..5 of each role */

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
	    "       verdict-jail --print-policy\n"
	    "       verdict-jail [--python PATH] --print-rootfs\n");
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
 * In a child of init: put fds[i] at descriptor i (-1 leaves it closed),
 * close the rest but the error pipe, drop to the role's uid, load the
 * policy and exec the interpreter.  Does not return.
 */
static void __attribute__((noreturn))
jail_exec_role(const char *role, uid_t uid, const int fds[JAIL_ROLE_FDS],
    int errfd, char *const argv[], char *const envp[])
{
	char	 err[256];
	int	 keep[JAIL_ROLE_FDS + 1], moved[JAIL_ROLE_FDS];

	/* Move out of the way first so the dup2()s cannot clobber. */
	for (int i = 0; i < JAIL_ROLE_FDS; i++) {
		moved[i] = -1;
		if (fds[i] >= 0 && (moved[i] = fcntl(fds[i], F_DUPFD_CLOEXEC,
		    20)) < 0)
			jail_die(errfd, role, strerror(errno));
	}
	for (int i = 0; i < JAIL_ROLE_FDS; i++) {
		keep[i] = i;
		if (moved[i] >= 0 && dup2(moved[i], i) < 0)
			jail_die(errfd, role, strerror(errno));
		if (moved[i] < 0)
			close(i);
	}
	keep[JAIL_ROLE_FDS] = errfd;
	if (jail_close_fds(keep, JAIL_ROLE_FDS + 1) < 0)
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
	static char	 env_seed[] = "PYTHONHASHSEED=0";
	static char	 a_i[] = "-I", a_b[] = "-B", a_c[] = "-c";
	static char	 a_p[] = "-P", a_s[] = "-s";
	static char	 r_zygote[] = "zygote", r_judge[] = "judge";
	static char	 r_forker[] = "forker";
	char		*envp[] = { env_path, env_home, env_lang, env_blas,
			    env_omp, NULL };
	/* The forker, and so every candidate, hashes strings with one
	 * fixed seed: a program whose answer depends on the order of a set
	 * or dict of strings gets the same verdict on every worker and in
	 * every run.  -I would ignore PYTHONHASHSEED (it implies -E); its
	 * other parts are -P and -s, and the environment is all ours.  The
	 * zygote and the judge keep a random seed (the judge hashes what
	 * candidates send). */
	char		*envp_f[] = { env_path, env_home, env_lang, env_blas,
			    env_omp, env_seed, NULL };
	char		*argv_z[7], *argv_j[7], *argv_f[8];
	char		 err[256], c;
	int		 zj[2], zf[2], devnull, filter, r;
	int		 keep[] = { 0, 1, 2, 3, errfd, cfg->cg_procs,
			    cfg->cg_stat };
	int		 fds[JAIL_ROLE_FDS];
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
	if (jail_close_fds(keep, sizeof(keep) / sizeof(keep[0])) < 0)
		jail_die(errfd, "init", "close_range failed");
	/* The candidates' second filter, for the forker to load. */
	if ((filter = memfd_create("verdict-candidate-filter",
	    MFD_CLOEXEC)) < 0)
		jail_die(errfd, "memfd_create", strerror(errno));
	if ((r = policy_candidate_export(filter)) < 0 ||
	    lseek(filter, 0, SEEK_SET) != 0)
		jail_die(errfd, "candidate filter", strerror(r < 0 ? -r : EIO));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, zj) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, zf) < 0)
		jail_die(errfd, "socketpair", strerror(errno));
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		jail_die(errfd, "/dev/null", strerror(errno));

	argv_z[0] = argv_j[0] = argv_f[0] = jail_unconst(cfg->python);
	argv_z[1] = argv_j[1] = a_i;
	argv_f[1] = a_p;
	argv_f[2] = a_s;
	argv_z[2] = argv_j[2] = argv_f[3] = a_b;
	argv_z[3] = argv_j[3] = argv_f[4] = a_c;
	argv_z[4] = argv_j[4] = argv_f[5] = jail_unconst(jail_runner_src);
	argv_z[5] = r_zygote;
	argv_j[5] = r_judge;
	argv_f[6] = r_forker;
	argv_z[6] = argv_j[6] = argv_f[7] = NULL;

	/* The table in the header comment; -1 leaves a descriptor closed. */
	fds[0] = 3; fds[1] = devnull; fds[2] = 2; fds[3] = zj[1];
	fds[4] = cfg->cg_stat; fds[5] = -1;
	if ((judge = fork()) < 0)
		jail_die(errfd, "fork judge", strerror(errno));
	if (judge == 0)
		jail_exec_role("judge", JAIL_UID_JUDGE, fds, errfd, argv_j,
		    envp);
	fds[0] = devnull; fds[1] = devnull; fds[3] = zf[1];
	fds[4] = cfg->cg_procs; fds[5] = filter;
	if ((forker = fork()) < 0)
		jail_die(errfd, "fork forker", strerror(errno));
	if (forker == 0)
		jail_exec_role("forker", JAIL_UID_ZYGOTE, fds, errfd, argv_f,
		    envp_f);
	fds[0] = 0; fds[1] = 1; fds[3] = zj[0]; fds[4] = zf[0];
	fds[5] = cfg->cg_stat;
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
	close(filter);
	if (cfg->cg_procs >= 0)
		close(cfg->cg_procs);
	if (cfg->cg_stat >= 0)
		close(cfg->cg_stat);
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
	struct jail_config	 jc = *cfg;
	struct cgroup		 cg = { "", -1, -1 };
	struct sigaction	 sa;
	struct rootfs		*rootfs = NULL;
	char			 err[512];
	char			 line[6 * sizeof(err) + 32];	/* see fail: */
	int			 syncp[2], errp[2], status, n, r;
	size_t			 elen = 0;
	pid_t			 pid;

	/* The jail's root: listed, then built in our own mount namespace. */
	r = rootfs_probe(jc.python, &rootfs, err, sizeof(err));
	if (r == 0)
		r = rootfs_build(rootfs, JAIL_BUILD, jc.uid_base, err,
		    sizeof(err));
	rootfs_free(rootfs);
	if (r < 0)
		goto fail;

	/* Without a usable cgroup, CPU time comes from rusage. */
	if (cgroup_open(jc.uid_base, &cg, err, sizeof(err)) < 0)
		log_debug("%s; CPU time from rusage", err);
	jc.cg_procs = cg.procs_fd;
	jc.cg_stat = cg.stat_fd;

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
		jail_init(&jc, syncp[0], errp[1]);
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
	/* init holds the cgroup's files now; its directory stays ours. */
	if (cg.procs_fd >= 0)
		close(cg.procs_fd);
	if (cg.stat_fd >= 0)
		close(cg.stat_fd);
	cg.procs_fd = cg.stat_fd = -1;

	if (jail_map_ids(pid, jc.uid_base, err, sizeof(err)) < 0) {
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
		if (errno != EINTR) {
			cgroup_close(&cg);
			return 2;
		}
	/* init is reaped: every process of the jail is gone. */
	cgroup_close(&cg);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 2;

 fail:
	/*
	 * One line the daemon can parse: JSON, whatever the message holds
	 * (a path's quote or backslash, a control character).  "line" holds
	 * any err escaped (6 bytes a byte at most) and the JSON around it;
	 * then the same text for the log, escaped as the log's is.
	 */
	jail_write_all(1, line, jail_setup_line(line, sizeof(line), err));
	log_escape(line, sizeof(line), err, strlen(err));
	log_warnx("setup: %s", line);
	cgroup_close(&cg);
	return 2;
}

int
main(int argc, char *argv[])
{
	int	 r;

	struct rootfs	*rootfs;
	const char	*python = BROKER_PYTHON;
	char		 err[512];

	log_init(LOG_LEVEL_INFO, "verdict-jail");
	if (argc == 2 && strcmp(argv[1], "--print-policy") == 0)
		return policy_print(1) < 0 ? 2 : 0;
	if (argc >= 2 && strcmp(argv[argc - 1], "--print-rootfs") == 0) {
		if (argc == 4 && strcmp(argv[1], "--python") == 0 &&
		    argv[2][0] == '/')
			python = argv[2];
		else if (argc != 2)
			return jail_usage();
		if (rootfs_probe(python, &rootfs, err, sizeof(err)) < 0) {
			log_warnx("%s", err);
			return 2;
		}
		r = rootfs_print(rootfs, 1);
		rootfs_free(rootfs);
		return r < 0 ? 2 : 0;
	}
	if (argc < 2 || strcmp(argv[1], "--broker") != 0)
		return jail_usage();
	if ((r = broker_main(argc - 1, argv + 1, jail_keeper)) == 1)
		jail_usage();
	return r;
}
