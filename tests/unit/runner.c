/*
 * runner.c - the unit-test runner: TAP over forked tests (libuv's runner).
 *
 *   runner             run every test of TEST_LIST (test-list.h), each in
 *                      a child process with a timeout, and print TAP
 *   runner NAME...     run the named tests in this process, in order,
 *                      with no fork and no timeout (for gdb)
 *   runner --list      print the test names, one a line
 *
 * A test returns TEST_PASS (0) or TEST_SKIP (77, after printing its
 * reason on stdout with RETURN_SKIP); a failed ASSERT aborts it.  In
 * the forked mode the child's stdout and stderr are captured: the last
 * line of stdout becomes the reason of a SKIP, and both are printed as
 * "# " lines after a "not ok".  The timeout is 5 s times
 * TEST_TIMEOUT_MULTIPLIER (a positive number, default 1); on timeout the
 * child's process group is killed.  The last line is a summary,
 * "N passed, N failed, N skipped".  The exit status is 0 when nothing
 * failed, 1 when a test failed or timed out, 2 for a usage error (an
 * unknown test name, a bad multiplier).
 *
 * The runner is a one-shot program, so it may fork and keep file-scope
 * state; nothing here is shared with the daemon.
 */
#include <sys/types.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <dirent.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/test.h"
#include "tests/unit/test-list.h"
#include "common/xjson.h"
#include "common/xmalloc.h"

#define RUNNER_TIMEOUT_MS	5000		/* per test, unmultiplied */
#define RUNNER_OUTPUT_MAX	(64 * 1024)	/* bytes kept per stream */
#define RUNNER_EXIT_USAGE	2		/* bad name or environment */

#define RUNNER_DECLARE(name)	int test_##name(void);
TEST_LIST(RUNNER_DECLARE)

struct runner_test {
	const char	*name;		/* as listed, without "test_" */
	int		(*fn)(void);	/* returns TEST_PASS or TEST_SKIP */
};

#define RUNNER_ENTRY(name)	{ #name, test_##name },
static const struct runner_test runner_tests[] = {
	TEST_LIST(RUNNER_ENTRY)
};
#define RUNNER_NTESTS	(sizeof(runner_tests) / sizeof(runner_tests[0]))

enum runner_outcome {
	RUNNER_PASS,
	RUNNER_FAIL,
	RUNNER_SKIP,
	RUNNER_TIMEOUT,
};

/* One captured output stream of a forked test. */
struct runner_stream {
	int	 fd;			/* read end of the pipe, -1 at EOF */
	size_t	 len;			/* bytes kept in buf */
	bool	 cut;			/* output past the cap was dropped */
	char	 buf[RUNNER_OUTPUT_MAX + 1];	/* always NUL-terminated */
};

static struct runner_stream	runner_out, runner_err;
static sigset_t			runner_oldmask;	/* restored in children */

/* --- Helpers --- */

/* Milliseconds on the monotonic clock. */
static long long
runner_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The per-test timeout in ms: RUNNER_TIMEOUT_MS times
 * $TEST_TIMEOUT_MULTIPLIER.  Returns -1 for a value that is not a
 * positive number.
 */
static long long
runner_timeout_ms(void)
{
	const char	*s;
	char		*end;
	double		 m;

	s = getenv("TEST_TIMEOUT_MULTIPLIER");
	if (s == NULL || *s == '\0')
		return RUNNER_TIMEOUT_MS;
	errno = 0;
	m = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(m > 0) || m > 1e6)
		return -1;
	m *= RUNNER_TIMEOUT_MS;
	return m < 1 ? 1 : (long long)m;
}

static const struct runner_test *
runner_find(const char *name)
{
	for (size_t i = 0; i < RUNNER_NTESTS; i++) {
		if (strcmp(runner_tests[i].name, name) == 0)
			return &runner_tests[i];
	}
	return NULL;
}

/* Fail loudly on a name listed twice in TEST_LIST. */
static int
runner_check_list(void)
{
	for (size_t i = 0; i < RUNNER_NTESTS; i++) {
		for (size_t j = i + 1; j < RUNNER_NTESTS; j++) {
			if (strcmp(runner_tests[i].name,
			    runner_tests[j].name) == 0) {
				fprintf(stderr, "runner: %s listed twice in "
				    "test-list.h\n", runner_tests[i].name);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Write "len" bytes of test output with control characters as '?'. */
static void
runner_put_clean(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		putchar((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c);
	}
}

/* Print a captured stream as TAP diagnostics, "# tag: line". */
static void
runner_diag(const struct runner_stream *s, const char *tag)
{
	const char	*p = s->buf, *end = s->buf + s->len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		printf("# %s: ", tag);
		runner_put_clean(p, (size_t)(nl - p));
		putchar('\n');
		p = nl + 1;
	}
	if (s->cut)
		printf("# %s: (cut at %d bytes)\n", tag, RUNNER_OUTPUT_MAX);
}

/*
 * Find the skip reason: the last non-blank line of the captured
 * stdout.  Returns its start and stores its length in *lenp, or
 * returns NULL when the test printed nothing.
 */
static const char *
runner_skip_reason(const struct runner_stream *s, size_t *lenp)
{
	size_t	 end = s->len, start;

	while (end > 0 && (s->buf[end - 1] == '\n' ||
	    s->buf[end - 1] == '\r' || s->buf[end - 1] == ' ' ||
	    s->buf[end - 1] == '\t'))
		end--;
	if (end == 0)
		return NULL;
	start = end;
	while (start > 0 && s->buf[start - 1] != '\n')
		start--;
	*lenp = end - start;
	return s->buf + start;
}

/* Read what is available on a stream; close it at EOF or on error. */
static void
runner_stream_read(struct runner_stream *s)
{
	char	 tmp[4096];
	ssize_t	 n;
	size_t	 keep;

	n = read(s->fd, tmp, sizeof(tmp));
	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		close(s->fd);
		s->fd = -1;
		return;
	}
	keep = RUNNER_OUTPUT_MAX - s->len;
	if (keep > (size_t)n)
		keep = (size_t)n;
	memcpy(s->buf + s->len, tmp, keep);
	s->len += keep;
	s->buf[s->len] = '\0';
	if (keep < (size_t)n)
		s->cut = true;
}

static void
runner_stream_init(struct runner_stream *s, int fd)
{
	s->fd = fd;
	s->len = 0;
	s->cut = false;
	s->buf[0] = '\0';
}

static void
runner_stream_close(struct runner_stream *s)
{
	if (s->fd != -1) {
		close(s->fd);
		s->fd = -1;
	}
}

/* --- Forked mode --- */

/* Read what the pipes already hold, without waiting for more. */
static void
runner_drain(void)
{
	struct pollfd	 pfd[2];

	for (;;) {
		pfd[0] = (struct pollfd){ .fd = runner_out.fd,
		    .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = runner_err.fd,
		    .events = POLLIN };
		if (poll(pfd, 2, 0) <= 0)
			return;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR))
			runner_stream_read(&runner_out);
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			runner_stream_read(&runner_err);
	}
}

/*
 * In the child: stdin from /dev/null, stdout and stderr to the pipes,
 * the signal mask of the runner's caller, then run the test.  exit(),
 * not _exit(), so that stdio is flushed and LeakSanitizer runs.
 */
static void
runner_child(const struct runner_test *t, int sfd, const int out[2],
    const int err[2])
{
	int	 fd;

	setpgid(0, 0);
	if ((fd = open("/dev/null", O_RDONLY)) != -1) {
		dup2(fd, STDIN_FILENO);
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (dup2(out[1], STDOUT_FILENO) == -1 ||
	    dup2(err[1], STDERR_FILENO) == -1)
		_exit(127);
	close(out[0]);
	close(out[1]);
	close(err[0]);
	close(err[1]);
	close(sfd);
	sigprocmask(SIG_SETMASK, &runner_oldmask, NULL);
	exit(t->fn());
}

/*
 * Wait for the child "pid" to exit and both pipes to reach EOF, reading
 * its output, until the deadline.  Returns 0 with the wait status in
 * *statusp, or -ETIMEDOUT with the child's process group killed and the
 * child reaped.
 *
 * When the child has exited (seen with WNOWAIT, so that its pid cannot
 * be reused yet) its process group is killed: a grandchild left behind
 * would otherwise hold the pipes open until the deadline.
 */
static int
runner_wait(pid_t pid, int sfd, long long deadline, int *statusp)
{
	struct signalfd_siginfo	 ssi;
	struct pollfd		 pfd[3];
	siginfo_t		 si;
	long long		 left;
	bool			 reaped = false;
	int			 nfd;

	for (;;) {
		if (!reaped) {
			memset(&si, 0, sizeof(si));
			if (waitid(P_PID, (id_t)pid, &si,
			    WEXITED | WNOHANG | WNOWAIT) == 0 &&
			    si.si_pid == pid) {
				kill(-pid, SIGKILL);
				while (waitpid(pid, statusp, 0) == -1 &&
				    errno == EINTR)
					;
				reaped = true;
			}
		}
		if (reaped && runner_out.fd == -1 && runner_err.fd == -1)
			return 0;

		left = deadline - runner_now_ms();
		if (left <= 0) {
			if (reaped)
				return 0;	/* output still held open */
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, statusp, 0) == -1 &&
			    errno == EINTR)
				;
			runner_drain();		/* what it said last */
			return -ETIMEDOUT;
		}

		nfd = 0;
		pfd[nfd++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		pfd[nfd++] = (struct pollfd){ .fd = runner_out.fd,
		    .events = POLLIN };
		pfd[nfd++] = (struct pollfd){ .fd = runner_err.fd,
		    .events = POLLIN };		/* fd -1 is ignored */
		if (poll(pfd, (nfds_t)nfd, left > INT_MAX ? INT_MAX :
		    (int)left) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "runner: poll: %s\n", strerror(errno));
			abort();
		}
		if (pfd[0].revents & POLLIN) {
			while (read(sfd, &ssi, sizeof(ssi)) > 0)
				;		/* drain; waitid decides */
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			runner_stream_read(&runner_out);
		if (pfd[2].revents & (POLLIN | POLLHUP | POLLERR))
			runner_stream_read(&runner_err);
	}
}

/*
 * Run one test in a child process.  Returns its outcome and leaves the
 * captured output in runner_out and runner_err.  "*statusp" gets the
 * wait status, or -1 when the child could not be started (the reason
 * is then in runner_err).
 */
static enum runner_outcome
runner_fork_one(const struct runner_test *t, int sfd, long long timeout_ms,
    int *statusp)
{
	int	 out[2] = { -1, -1 }, err[2] = { -1, -1 };
	pid_t	 pid;
	int	 r;

	*statusp = -1;
	runner_stream_init(&runner_out, -1);
	runner_stream_init(&runner_err, -1);
	if (pipe2(out, O_CLOEXEC) == -1 || pipe2(err, O_CLOEXEC) == -1)
		goto fail;

	fflush(NULL);		/* or the child would print our buffers */
	if ((pid = fork()) == -1)
		goto fail;
	if (pid == 0)
		runner_child(t, sfd, out, err);	/* does not return */

	setpgid(pid, pid);	/* also in the child: whichever runs first */
	close(out[1]);
	close(err[1]);
	runner_stream_init(&runner_out, out[0]);
	runner_stream_init(&runner_err, err[0]);

	r = runner_wait(pid, sfd, runner_now_ms() + timeout_ms, statusp);
	runner_stream_close(&runner_out);
	runner_stream_close(&runner_err);
	if (r == -ETIMEDOUT)
		return RUNNER_TIMEOUT;
	if (WIFEXITED(*statusp) && WEXITSTATUS(*statusp) == TEST_PASS)
		return RUNNER_PASS;
	if (WIFEXITED(*statusp) && WEXITSTATUS(*statusp) == TEST_SKIP)
		return RUNNER_SKIP;
	return RUNNER_FAIL;

 fail:
	r = errno;
	for (int i = 0; i < 2; i++) {
		if (out[i] != -1)
			close(out[i]);
		if (err[i] != -1)
			close(err[i]);
	}
	runner_err.len = (size_t)snprintf(runner_err.buf,
	    sizeof(runner_err.buf), "runner: cannot start test: %s",
	    strerror(r));
	return RUNNER_FAIL;
}

/* Print the "# " lines that explain a failure. */
static void
runner_explain(enum runner_outcome o, int status, long long timeout_ms)
{
	runner_diag(&runner_out, "stdout");
	runner_diag(&runner_err, "stderr");
	if (o == RUNNER_TIMEOUT)
		printf("# killed after %lld ms\n", timeout_ms);
	else if (status == -1)
		;			/* reason already in runner_err */
	else if (WIFSIGNALED(status))
		printf("# killed by signal %d (%s)\n", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	else if (WIFEXITED(status))
		printf("# exit status %d\n", WEXITSTATUS(status));
}

static int
runner_run_all(void)
{
	sigset_t	 mask;
	long long	 timeout_ms;
	unsigned	 npass = 0, nfail = 0, nskip = 0;
	int		 sfd, status;

	if ((timeout_ms = runner_timeout_ms()) < 0) {
		fprintf(stderr, "runner: TEST_TIMEOUT_MULTIPLIER must be a "
		    "positive number\n");
		return RUNNER_EXIT_USAGE;
	}

	/*
	 * Children are watched through a signalfd, so SIGCHLD is blocked
	 * here (and unblocked again in each child).  An inherited SIG_IGN
	 * would make the kernel reap the children before we can.
	 */
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, &runner_oldmask) == -1 ||
	    (sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		fprintf(stderr, "runner: signalfd: %s\n", strerror(errno));
		return 1;
	}

	printf("1..%zu\n", RUNNER_NTESTS);
	for (size_t i = 0; i < RUNNER_NTESTS; i++) {
		const struct runner_test *t = &runner_tests[i];
		enum runner_outcome	  o;
		const char		 *why;
		size_t			  whylen = 0;

		o = runner_fork_one(t, sfd, timeout_ms, &status);
		switch (o) {
		case RUNNER_PASS:
			npass++;
			printf("ok %zu - %s\n", i + 1, t->name);
			break;
		case RUNNER_SKIP:
			nskip++;
			printf("ok %zu - %s # SKIP", i + 1, t->name);
			if ((why = runner_skip_reason(&runner_out,
			    &whylen)) != NULL) {
				putchar(' ');
				runner_put_clean(why, whylen);
			}
			putchar('\n');
			break;
		case RUNNER_FAIL:
		case RUNNER_TIMEOUT:
			nfail++;
			printf("not ok %zu - %s%s\n", i + 1, t->name,
			    o == RUNNER_TIMEOUT ? " # timeout" : "");
			runner_explain(o, status, timeout_ms);
			break;
		}
		fflush(stdout);
	}
	close(sfd);
	printf("%u passed, %u failed, %u skipped\n", npass, nfail, nskip);
	return nfail > 0 ? 1 : 0;
}

/* --- In-process mode --- */

/*
 * Run the named tests here, in order: a failed ASSERT aborts the
 * runner itself, which is what a debugger wants.  A skip reason is
 * printed by the test itself, on the line before its "ok".
 */
static int
runner_run_named(int argc, char **argv)
{
	unsigned	 npass = 0, nfail = 0, nskip = 0;
	int		 r;

	for (int i = 1; i < argc; i++) {
		if (runner_find(argv[i]) == NULL) {
			fprintf(stderr, "runner: unknown test: %s (see "
			    "\"runner --list\")\n", argv[i]);
			return RUNNER_EXIT_USAGE;
		}
	}

	printf("1..%d\n", argc - 1);
	for (int i = 1; i < argc; i++) {
		const struct runner_test *t = runner_find(argv[i]);

		r = t->fn();
		fflush(NULL);
		if (r == TEST_PASS) {
			npass++;
			printf("ok %d - %s\n", i, t->name);
		} else if (r == TEST_SKIP) {
			nskip++;
			printf("ok %d - %s # SKIP\n", i, t->name);
		} else {
			nfail++;
			printf("not ok %d - %s\n# returned %d\n", i, t->name,
			    r);
		}
	}
	printf("%u passed, %u failed, %u skipped\n", npass, nfail, nskip);
	return nfail > 0 ? 1 : 0;
}

/* --- Entry points --- */

const char *
test_data_path(const char *rel)
{
	static char	 path[PATH_MAX];
	const char	*root;
	int		 n;

	/*
	 * Tests run from the repository root.  The benchmarks verdict ships
	 * (data/: HumanEval, MBPP) are read from there, the others from the
	 * shared data beside the repository.
	 */
	root = getenv("VERDICT_DATA");
	if (root == NULL || *root == '\0') {
		n = snprintf(path, sizeof(path), "data/%s", rel);
		if (n > 0 && (size_t)n < sizeof(path) &&
		    access(path, R_OK) == 0)
			return path;
		root = "../shared/data";
	}
	n = snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		fprintf(stderr, "test_data_path: path too long: %s/%s\n",
		    root, rel);
		abort();
	}
	return path;
}

int
main(int argc, char **argv)
{
	/*
	 * Line-buffered even into a pipe, before any output: children
	 * inherit it, so a test's stdout survives an abort(), and TAP
	 * lines interleave in order with what in-process tests print.
	 */
	setvbuf(stdout, NULL, _IOLBF, 0);
	xjson_init();

	if (runner_check_list() != 0)
		return RUNNER_EXIT_USAGE;
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < RUNNER_NTESTS; i++)
			printf("%s\n", runner_tests[i].name);
		return 0;
	}
	if (argc > 1)
		return runner_run_named(argc, argv);
	return runner_run_all();
}

void
test_tmp_dir(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/verdict-test-XXXXXX");
	ASSERT_NOT_NULL(mkdtemp(dir));
}

char *
test_tmp_file(const char *dir, const char *name, const void *data,
    size_t len)
{
	char	*path = xasprintf("%s/%s", dir, name);
	FILE	*f;

	ASSERT_NOT_NULL(f = fopen(path, "wb"));
	ASSERT_EQ(fwrite(data, 1, len, f), len);
	ASSERT_OK(fclose(f));
	return path;
}

char *
test_tmp_text(const char *dir, const char *name, const char *text)
{
	return test_tmp_file(dir, name, text, strlen(text));
}

void
test_tmp_rm(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		*p;

	ASSERT_NOT_NULL(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		ASSERT_OK(unlink(p));
		free(p);
	}
	closedir(d);
	ASSERT_OK(rmdir(dir));
}

char *
test_dir_file(const char *dir, const char *suffix, size_t *n)
{
	DIR		*d;
	struct dirent	*e;
	char		*path = NULL;
	size_t		 len;

	*n = 0;
	ASSERT_NOT_NULL(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		(*n)++;
		len = strlen(e->d_name);
		if (path == NULL && len >= strlen(suffix) && strcmp(e->d_name +
		    len - strlen(suffix), suffix) == 0)
			path = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	return path;
}

const char *
test_jail_path(void)
{
	static char	 path[PATH_MAX];
	const char	*o = getenv("O");

	if (geteuid() != 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/verdict-jail", o ? o : "build");
	return access(path, X_OK) == 0 ? path : NULL;
}

/* One process of /proc; returns 0, or -1 when it is gone. */
static int
test_proc_read(pid_t pid, struct test_proc *tp, pid_t *ppid, uid_t *uid)
{
	FILE		*fp;
	char		 path[64], buf[1024], *p;
	unsigned	 u;
	size_t		 n;
	int		 pp, r = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	/* After "pid (comm)": state, ppid, ..., starttime (field 22). */
	if ((p = strrchr(buf, ')')) == NULL || sscanf(p + 1,
	    " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d "
	    "%*d %*d %*d %llu", &tp->state, &pp, &tp->start) != 3)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (r < 0 && fgets(buf, sizeof(buf), fp) != NULL)
		if (sscanf(buf, "Uid: %u", &u) == 1) {
			tp->pid = pid;
			*ppid = pp;
			*uid = u;
			r = 0;
		}
	fclose(fp);
	return r;
}

size_t
test_procs_under(pid_t ancestor, uid_t lo, uid_t hi, int sig,
    struct test_proc *procs, size_t max)
{
	struct test_proc *all = NULL;
	DIR		*d;
	struct dirent	*e;
	pid_t		*ppids = NULL, q;
	uid_t		*uids = NULL;
	size_t		 n = 0, cap = 0, found = 0, j;

	ASSERT_NOT_NULL(d = opendir("/proc"));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			all = xreallocarray(all, cap, sizeof(*all));
			ppids = xreallocarray(ppids, cap, sizeof(*ppids));
			uids = xreallocarray(uids, cap, sizeof(*uids));
		}
		if (test_proc_read((pid_t)atoi(e->d_name), &all[n], &ppids[n],
		    &uids[n]) == 0)
			n++;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		if (uids[i] < lo || uids[i] > hi || all[i].state == 'Z' ||
		    all[i].state == 'X')
			continue;
		/* Climb the parents until "ancestor", or the top. */
		for (q = ppids[i]; q > 1 && q != ancestor; q = ppids[j]) {
			for (j = 0; j < n && all[j].pid != q; j++)
				;
			if (j == n)
				break;
		}
		if (q != ancestor)
			continue;
		if (found < max)
			procs[found] = all[i];
		found++;
		if (sig != 0)
			kill(all[i].pid, sig);
	}
	free(all);
	free(ppids);
	free(uids);
	return found;
}

size_t
test_procs_alive(const struct test_proc *procs, size_t n)
{
	struct test_proc now;
	pid_t		 ppid;
	uid_t		 uid;
	size_t		 alive = 0;

	for (size_t i = 0; i < n; i++)
		if (test_proc_read(procs[i].pid, &now, &ppid, &uid) == 0 &&
		    now.start == procs[i].start && now.state != 'Z' &&
		    now.state != 'X')
			alive++;
	return alive;
}
