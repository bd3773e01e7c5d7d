/*
 * rootfs.c - the manifest of the jail's root, and building the root from
 * it.  See rootfs.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "sandbox/jail.h"
#include "sandbox/rootfs.h"

/* Python source of the probe, compiled in from sandbox/rootfs-probe.py. */
extern const char rootfs_probe_src[];

/* The most the probe may print; it prints a few hundred lines. */
#define ROOTFS_PROBE_MAX	(1 << 20)

/* Symlinks followed while resolving one path, as the kernel's limit. */
#define ROOTFS_MAX_HOPS		40

enum rootfs_kind {
	ROOTFS_DIR,		/* a directory made on the root tmpfs */
	ROOTFS_LINK,		/* a symlink, its target as on the host */
	ROOTFS_BIND_DIR,	/* a host directory bound whole */
	ROOTFS_BIND_FILE,	/* a host file bound */
};

static const char *const rootfs_kind_names[] = {
	"dir", "link", "bind-dir", "bind-file",
};

struct rootfs_entry {
	enum rootfs_kind	 kind;
	char			*path;		/* absolute and clean */
	char			*target;	/* links only */
};

struct rootfs {
	struct rootfs_entry	*ents;
	size_t			 n;
	size_t			 cap;
};

/*
 * Is "p" absolute and clean: no empty, "." or ".." component, no
 * trailing slash, no control character, shorter than PATH_MAX, not "/"?
 */
static bool
rootfs_is_clean(const char *p)
{
	size_t	 len;

	if (p[0] != '/' || strlen(p) >= PATH_MAX)
		return false;
	for (const char *c = p; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	for (const char *c = p; *c != '\0'; c += len) {
		c++;				/* the slash */
		len = strcspn(c, "/");
		if (len == 0 || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return false;
	}
	return true;
}

/* Is "p" strictly below the directory "dir"? */
static bool
rootfs_is_under(const char *p, const char *dir)
{
	size_t	 len = strlen(dir);

	return strncmp(p, dir, len) == 0 && p[len] == '/';
}

/*
 * May the clean path "p" be in the jail?  What is bound must lie below
 * /usr, /lib* or /etc/alternatives, or be /etc/ld.so.cache.  The
 * directories and symlinks on the way may also be those tops, /etc, and
 * /bin (merged /usr: /lib -> usr/lib, /bin -> usr/bin).
 */
static bool
rootfs_is_allowed(const char *p, bool bound)
{
	bool	 lib = strncmp(p, "/lib", 4) == 0;

	if (strcmp(p, "/etc/ld.so.cache") == 0 || rootfs_is_under(p, "/usr") ||
	    rootfs_is_under(p, "/etc/alternatives") ||
	    (lib && strchr(p + 1, '/') != NULL))
		return true;
	if (bound)
		return false;
	return lib || strcmp(p, "/usr") == 0 || strcmp(p, "/etc") == 0 ||
	    strcmp(p, "/etc/alternatives") == 0 || strcmp(p, "/bin") == 0;
}

static void
rootfs_add(struct rootfs *rf, enum rootfs_kind kind, const char *path,
    const char *target)
{
	struct rootfs_entry	*e;

	if (rf->n == rf->cap) {
		rf->cap = rf->cap ? rf->cap * 2 : 64;
		rf->ents = xreallocarray(rf->ents, rf->cap, sizeof(*rf->ents));
	}
	e = &rf->ents[rf->n++];
	e->kind = kind;
	e->path = xstrdup(path);
	e->target = target ? xstrdup(target) : NULL;
}

/* Report a path that may not be in the jail; returns -EPERM. */
static int
rootfs_refuse(char *errbuf, size_t errlen, const char *p, const char *from)
{
	log_errbuf(errbuf, errlen, "rootfs: %s (on the way to %s) is outside "
	    "/usr, /lib*, /etc/alternatives and /etc/ld.so.cache", p, from);
	return -EPERM;
}

/*
 * Resolve the clean path "path" one component at a time, as the kernel
 * does, adding to rf every directory passed through and every symlink
 * met (with its target as it is, so that the jail resolves it alike),
 * and what it ends at as a bind of kind "kind" (ROOTFS_BIND_DIR or
 * ROOTFS_BIND_FILE), which must be a directory or a regular file.
 */
static int
rootfs_walk(struct rootfs *rf, const char *path, enum rootfs_kind kind,
    char *errbuf, size_t errlen)
{
	char		 done[PATH_MAX], todo[PATH_MAX], cur[PATH_MAX];
	char		 target[PATH_MAX], next[PATH_MAX];
	const char	*comp, *rest, *slash;
	struct stat	 st;
	size_t		 len;
	ssize_t		 n;
	bool		 dot, dotdot;
	int		 hops = 0;

	done[0] = '\0';			/* resolved so far; "" is / */
	snprintf(todo, sizeof(todo), "%s", path);
	for (;;) {
		comp = todo + strspn(todo, "/");
		len = strcspn(comp, "/");
		rest = comp + len + strspn(comp + len, "/");
		dot = len == 1 && comp[0] == '.';
		dotdot = len == 2 && comp[0] == '.' && comp[1] == '.';
		if (len == 0 || ((dot || dotdot) && *rest == '\0')) {
			log_errbuf(errbuf, errlen, "rootfs: %s does not end "
			    "in a name", path);
			return -EINVAL;
		}
		if (dot || dotdot) {
			/* done is a real directory: ".." is its parent. */
			if (dotdot && (slash = strrchr(done, '/')) != NULL)
				done[slash - done] = '\0';
			memmove(todo, rest, strlen(rest) + 1);
			continue;
		}
		if (snprintf(cur, sizeof(cur), "%s/%.*s", done, (int)len,
		    comp) >= (int)sizeof(cur))
			return jail_err(errbuf, errlen, ENAMETOOLONG, "rootfs",
			    path);
		if (lstat(cur, &st) < 0)
			return jail_err(errbuf, errlen, errno, "rootfs: lstat",
			    cur);
		if (S_ISLNK(st.st_mode)) {
			if (++hops > ROOTFS_MAX_HOPS)
				return jail_err(errbuf, errlen, ELOOP,
				    "rootfs", path);
			if (!rootfs_is_allowed(cur, false))
				return rootfs_refuse(errbuf, errlen, cur, path);
			if ((n = readlink(cur, target, sizeof(target) - 1)) < 0)
				return jail_err(errbuf, errlen, errno,
				    "rootfs: readlink", cur);
			target[n] = '\0';
			rootfs_add(rf, ROOTFS_LINK, cur, target);
			if (target[0] == '/')
				done[0] = '\0';
			if (snprintf(next, sizeof(next), "%s/%s", target,
			    rest) >= (int)sizeof(next))
				return jail_err(errbuf, errlen, ENAMETOOLONG,
				    "rootfs", path);
			memcpy(todo, next, sizeof(todo));
			continue;
		}
		if (*rest == '\0') {
			if (kind == ROOTFS_BIND_DIR ? !S_ISDIR(st.st_mode) :
			    !S_ISREG(st.st_mode)) {
				log_errbuf(errbuf, errlen, "rootfs: %s is not "
				    "a %s", cur, kind == ROOTFS_BIND_DIR ?
				    "directory" : "regular file");
				return -EINVAL;
			}
			if (!rootfs_is_allowed(cur, true))
				return rootfs_refuse(errbuf, errlen, cur, path);
			rootfs_add(rf, kind, cur, NULL);
			return 0;
		}
		if (!S_ISDIR(st.st_mode))
			return jail_err(errbuf, errlen, ENOTDIR, "rootfs", cur);
		if (!rootfs_is_allowed(cur, false))
			return rootfs_refuse(errbuf, errlen, cur, path);
		rootfs_add(rf, ROOTFS_DIR, cur, NULL);
		memcpy(done, cur, sizeof(done));
		memmove(todo, rest, strlen(rest) + 1);
	}
}

static int
rootfs_cmp(const void *a, const void *b)
{
	const struct rootfs_entry	*x = a, *y = b;

	return strcmp(x->path, y->path);
}

/* Is "p" strictly below a directory that rf binds whole? */
static bool
rootfs_is_bound(const struct rootfs *rf, const char *p)
{
	for (size_t i = 0; i < rf->n; i++)
		if (rf->ents[i].kind == ROOTFS_BIND_DIR &&
		    rootfs_is_under(p, rf->ents[i].path))
			return true;
	return false;
}

/*
 * Sort by path (a directory then comes before what is in it), merge the
 * entries that name the same path (a directory passed through that is
 * also bound whole is bound), and drop what a bound directory brings
 * anyway.  Two different things at one path fail.
 */
static int
rootfs_finish(struct rootfs *rf, char *errbuf, size_t errlen)
{
	struct rootfs_entry	*e, *last;
	bool			*drop, same, dirs;
	size_t			 n = 0;

	qsort(rf->ents, rf->n, sizeof(*rf->ents), rootfs_cmp);
	for (size_t i = 0; i < rf->n; i++) {
		e = &rf->ents[i];
		last = n > 0 ? &rf->ents[n - 1] : NULL;
		if (last == NULL || strcmp(last->path, e->path) != 0) {
			rf->ents[n++] = *e;
			continue;
		}
		same = last->kind == e->kind && (e->kind != ROOTFS_LINK ||
		    strcmp(last->target, e->target) == 0);
		dirs = (last->kind == ROOTFS_DIR ||
		    last->kind == ROOTFS_BIND_DIR) &&
		    (e->kind == ROOTFS_DIR || e->kind == ROOTFS_BIND_DIR);
		if (!same && !dirs) {
			log_errbuf(errbuf, errlen, "rootfs: %s is both a %s "
			    "and a %s", e->path, rootfs_kind_names[last->kind],
			    rootfs_kind_names[e->kind]);
			/* Keep the rest for rootfs_free(). */
			memmove(&rf->ents[n], e, (rf->n - i) * sizeof(*e));
			rf->n = n + rf->n - i;
			return -EINVAL;
		}
		if (e->kind == ROOTFS_BIND_DIR)
			last->kind = ROOTFS_BIND_DIR;
		free(e->path);
		free(e->target);
	}
	rf->n = n;

	drop = xcalloc(rf->n, sizeof(*drop));
	for (size_t i = 0; i < rf->n; i++)
		drop[i] = rootfs_is_bound(rf, rf->ents[i].path);
	n = 0;
	for (size_t i = 0; i < rf->n; i++) {
		if (drop[i]) {
			free(rf->ents[i].path);
			free(rf->ents[i].target);
		} else
			rf->ents[n++] = rf->ents[i];
	}
	rf->n = n;
	free(drop);
	return 0;
}

/*
 * Run the probe: "python -I -S -B -c <source>" with an empty environment,
 * stdin from /dev/null, stdout into a pipe, stderr ours, no other
 * descriptor.  On success stores its output (new, NUL-terminated) in
 * *outp.
 */
static int
rootfs_run_probe(const char *python, char **outp, char *errbuf,
    size_t errlen)
{
	static char	 a_i[] = "-I", a_s[] = "-S", a_b[] = "-B", a_c[] = "-c";
	char		*prog = NULL, *src = NULL, *buf = NULL;
	char		*argv[7], *envp[1] = { NULL };
	size_t		 len = 0, cap = 0;
	ssize_t		 n;
	pid_t		 pid;
	int		 p[2], fd, status, r = -EIO;

	if (pipe2(p, O_CLOEXEC) < 0)
		return jail_err(errbuf, errlen, errno, "rootfs probe: pipe",
		    NULL);
	/* execve() takes char *: writable copies made before the fork. */
	prog = xstrdup(python);
	src = xstrdup(rootfs_probe_src);
	argv[0] = prog;
	argv[1] = a_i;
	argv[2] = a_s;
	argv[3] = a_b;
	argv[4] = a_c;
	argv[5] = src;
	argv[6] = NULL;
	if ((pid = fork()) < 0) {
		r = jail_err(errbuf, errlen, errno, "rootfs probe: fork", NULL);
		close(p[0]);
		close(p[1]);
		goto out;
	}
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDONLY)) < 0 ||
		    dup2(fd, 0) < 0 || dup2(p[1], 1) < 0 ||
		    syscall(SYS_close_range, 3, ~0U, 0) < 0)
			_exit(127);
		execve(prog, argv, envp);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 16384;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(p[0], buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len > ROOTFS_PROBE_MAX) {
			kill(pid, SIGKILL);
			break;
		}
	}
	close(p[0]);
	buf[len] = '\0';
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			r = jail_err(errbuf, errlen, errno,
			    "rootfs probe: waitpid", NULL);
			goto out;
		}
	if (len > ROOTFS_PROBE_MAX)
		log_errbuf(errbuf, errlen, "rootfs probe: more than %d bytes "
		    "of output", ROOTFS_PROBE_MAX);
	else if (WIFSIGNALED(status))
		log_errbuf(errbuf, errlen, "rootfs probe: %s killed by "
		    "signal %d", python, WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		log_errbuf(errbuf, errlen, "rootfs probe: %s exited with "
		    "status %d (its messages are in the log)", python,
		    WEXITSTATUS(status));
	else if (strlen(buf) != len)
		log_errbuf(errbuf, errlen, "rootfs probe: NUL in its output");
	else {
		*outp = buf;
		buf = NULL;
		r = 0;
	}
 out:
	free(buf);
	free(src);
	free(prog);
	return r;
}

/* Walk every "dir PATH" and "file PATH" line of the probe's output. */
static int
rootfs_parse(struct rootfs *rf, char *out, char *errbuf, size_t errlen)
{
	enum rootfs_kind	 kind;
	char			*line, *nl, *path;
	int			 ndirs = 0, r;

	for (line = out; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL) {
			log_errbuf(errbuf, errlen, "rootfs probe: output "
			    "ends in an unfinished line");
			return -EINVAL;
		}
		*nl = '\0';
		if (strncmp(line, "dir ", 4) == 0) {
			kind = ROOTFS_BIND_DIR;
			path = line + 4;
			ndirs++;
		} else if (strncmp(line, "file ", 5) == 0) {
			kind = ROOTFS_BIND_FILE;
			path = line + 5;
		} else {
			log_errbuf(errbuf, errlen, "rootfs probe: unexpected "
			    "line \"%.80s\"", line);
			return -EINVAL;
		}
		if (!rootfs_is_clean(path)) {
			log_errbuf(errbuf, errlen, "rootfs probe: \"%.80s\" "
			    "is not an absolute, clean path", path);
			return -EINVAL;
		}
		if ((r = rootfs_walk(rf, path, kind, errbuf, errlen)) < 0)
			return r;
	}
	if (ndirs == 0) {
		log_errbuf(errbuf, errlen, "rootfs probe: no standard library "
		    "directory");
		return -EINVAL;
	}
	return 0;
}

int
rootfs_probe(const char *python, struct rootfs **rfp, char *errbuf,
    size_t errlen)
{
	struct rootfs	*rf;
	struct stat	 st;
	char		*out = NULL;
	int		 r;

	rf = xcalloc(1, sizeof(*rf));
	if (!rootfs_is_clean(python)) {
		log_errbuf(errbuf, errlen, "rootfs: interpreter %s is not an "
		    "absolute, clean path", python);
		r = -EINVAL;
		goto out;
	}
	/* The interpreter is checked before it runs. */
	if ((r = rootfs_walk(rf, python, ROOTFS_BIND_FILE, errbuf,
	    errlen)) < 0 ||
	    (r = rootfs_run_probe(python, &out, errbuf, errlen)) < 0 ||
	    (r = rootfs_parse(rf, out, errbuf, errlen)) < 0)
		goto out;
	/* The dynamic linker reads its cache at every dlopen(). */
	if (lstat("/etc/ld.so.cache", &st) == 0 && (r = rootfs_walk(rf,
	    "/etc/ld.so.cache", ROOTFS_BIND_FILE, errbuf, errlen)) < 0)
		goto out;
	r = rootfs_finish(rf, errbuf, errlen);
 out:
	free(out);
	if (r < 0)
		rootfs_free(rf);
	else
		*rfp = rf;
	return r;
}

int
rootfs_build(const struct rootfs *rf, const char *root, uid_t owner,
    char *errbuf, size_t errlen)
{
	const struct rootfs_entry	*e;
	char				 dst[PATH_MAX], opts[64];
	int				 fd, r;

	if (unshare(CLONE_NEWNS) < 0)
		return jail_err(errbuf, errlen, errno,
		    "rootfs: unshare mount namespace", NULL);
	/* Nothing mounted here may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return jail_err(errbuf, errlen, errno, "rootfs: make / private",
		    NULL);
	snprintf(opts, sizeof(opts), "size=1m,mode=0755,uid=%u,gid=%u",
	    (unsigned)owner, (unsigned)owner);
	if (mount("verdict-root", root, "tmpfs", MS_NOSUID | MS_NODEV,
	    opts) < 0)
		return jail_err(errbuf, errlen, errno, "rootfs: mount tmpfs",
		    root);
	/* Sorted: every directory is made before what is in it. */
	for (size_t i = 0; i < rf->n; i++) {
		e = &rf->ents[i];
		if (snprintf(dst, sizeof(dst), "%s%s", root, e->path) >=
		    (int)sizeof(dst))
			return jail_err(errbuf, errlen, ENAMETOOLONG, "rootfs",
			    e->path);
		switch (e->kind) {
		case ROOTFS_DIR:
			/* chmod: the mode must not depend on our umask. */
			if (mkdir(dst, 0755) < 0 || chmod(dst, 0755) < 0)
				return jail_err(errbuf, errlen, errno,
				    "rootfs: mkdir", dst);
			break;
		case ROOTFS_LINK:
			if (symlink(e->target, dst) < 0)
				return jail_err(errbuf, errlen, errno,
				    "rootfs: symlink", dst);
			break;
		case ROOTFS_BIND_DIR:
			if (mkdir(dst, 0755) < 0)
				return jail_err(errbuf, errlen, errno,
				    "rootfs: mkdir", dst);
			if ((r = jail_bind(e->path, dst, MS_RDONLY |
			    MS_NOSUID | MS_NODEV, errbuf, errlen)) < 0)
				return r;
			break;
		case ROOTFS_BIND_FILE:
			if ((fd = open(dst, O_CREAT | O_EXCL | O_WRONLY |
			    O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
				return jail_err(errbuf, errlen, errno,
				    "rootfs: create", dst);
			close(fd);
			if ((r = jail_bind(e->path, dst, MS_RDONLY |
			    MS_NOSUID | MS_NODEV, errbuf, errlen)) < 0)
				return r;
			break;
		}
	}
	return 0;
}

int
rootfs_print(const struct rootfs *rf, int fd)
{
	const struct rootfs_entry	*e;

	for (size_t i = 0; i < rf->n; i++) {
		e = &rf->ents[i];
		if (dprintf(fd, "%s %s%s%s\n", rootfs_kind_names[e->kind],
		    e->path, e->target ? " -> " : "",
		    e->target ? e->target : "") < 0)
			return -EIO;
	}
	return 0;
}

void
rootfs_free(struct rootfs *rf)
{
	if (rf == NULL)
		return;
	for (size_t i = 0; i < rf->n; i++) {
		free(rf->ents[i].path);
		free(rf->ents[i].target);
	}
	free(rf->ents);
	free(rf);
}
