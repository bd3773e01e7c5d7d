/*
 * jail.c - namespace, filesystem and credential steps of verdict-jail.
 * See jail.h for the order in which jail-main.c runs them.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

#include "common/log.h"
#include "sandbox/jail.h"
#include "sandbox/policy.h"

int
jail_err(char *errbuf, size_t errlen, int errnum, const char *what,
    const char *arg)
{
	snprintf(errbuf, errlen, "%s%s%s: %s", what, arg ? " " : "",
	    arg ? arg : "", strerror(errnum));
	return -errnum;
}

size_t
jail_setup_line(char *dst, size_t dstlen, const char *msg)
{
	static const char	 head[] = "{\"internal\": \"setup: ";
	static const char	 tail[] = "\"}\n";
	size_t			 n;

	if (dstlen < JAIL_SETUP_LINE_MIN) {
		if (dstlen > 0)
			dst[0] = '\0';
		return 0;
	}
	/* The escape gets what head and tail leave, its NUL included. */
	memcpy(dst, head, sizeof(head) - 1);
	log_escape_json(dst + sizeof(head) - 1,
	    dstlen - (sizeof(head) - 1) - (sizeof(tail) - 1), msg,
	    strlen(msg));
	n = strlen(dst);
	memcpy(dst + n, tail, sizeof(tail));
	return n + sizeof(tail) - 1;
}

/* Write a short string to a file, as for /proc/PID/uid_map. */
static int
jail_write_file(const char *path, const char *s)
{
	int	 fd, r = 0;
	size_t	 len = strlen(s);

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (write(fd, s, len) != (ssize_t)len)
		r = errno ? -errno : -EIO;
	close(fd);
	return r;
}

int
jail_map_ids(pid_t pid, uid_t base, char *errbuf, size_t errlen)
{
	char	 path[64], map[64];
	int	 r;

	snprintf(map, sizeof(map), "0 %u %u\n", (unsigned)base, JAIL_NUIDS);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	if ((r = jail_write_file(path, map)) < 0)
		return jail_err(errbuf, errlen, -r, "write", path);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	if ((r = jail_write_file(path, map)) < 0)
		return jail_err(errbuf, errlen, -r, "write", path);
	return 0;
}

int
jail_setup_creds(char *errbuf, size_t errlen)
{
	if (setresgid(0, 0, 0) < 0)
		return jail_err(errbuf, errlen, errno, "setresgid", NULL);
	if (setresuid(0, 0, 0) < 0)
		return jail_err(errbuf, errlen, errno, "setresuid", NULL);
	if (sethostname("verdict", 7) < 0)
		return jail_err(errbuf, errlen, errno, "sethostname", NULL);
	return 0;
}

/*
 * The flags of the mount "path" is on that a remount must keep: in a user
 * namespace the kernel refuses to clear flags that the original mount
 * has (locked); outside one, keeping them means a bind is never less
 * restricted than its source (noexec stays noexec).
 */
static unsigned long
jail_locked_flags(const char *path)
{
	struct statvfs	 sv;
	unsigned long	 fl = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		fl |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		fl |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		fl |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		fl |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		fl |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		fl |= MS_RELATIME;
	return fl;
}

/* Change the flags of the mount at "path" alone (not its superblock). */
static int
jail_remount(const char *path, unsigned long flags, char *errbuf,
    size_t errlen)
{
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | flags |
	    jail_locked_flags(path), NULL) < 0)
		return jail_err(errbuf, errlen, errno, "remount", path);
	return 0;
}

int
jail_bind(const char *src, const char *dst, unsigned long flags,
    char *errbuf, size_t errlen)
{
	/* Not MS_REC: what the host mounted below src stays out. */
	if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
		return jail_err(errbuf, errlen, errno, "bind", src);
	return jail_remount(dst, flags, errbuf, errlen);
}

/* The device nodes a Python program may open; bound from the host. */
static const char *const jail_devices[] = {
	"null", "zero", "full", "random", "urandom",
};

int
jail_setup_fs(const struct jail_config *cfg, char *errbuf, size_t errlen)
{
	char	 src[32], path[64], opts[64];
	int	 fd, r;

	/* Nothing we mount may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return jail_err(errbuf, errlen, errno, "make / private", NULL);
	/*
	 * The keeper's tree came with our mount namespace, so it is locked
	 * and pivot_root() refuses it: bind it onto itself, binds included
	 * (they are all the keeper's; none is the host's), to get a mount of
	 * our own.  Its tmpfs is ours (uid 0 here) to add mount points to.
	 */
	if (mount(JAIL_BUILD, JAIL_BUILD, NULL, MS_BIND | MS_REC, NULL) < 0)
		return jail_err(errbuf, errlen, errno, "bind new root", NULL);
	if (mkdir(JAIL_BUILD "/dev", 0755) < 0 ||
	    mkdir(JAIL_BUILD "/tmp", 0755) < 0 ||
	    mkdir(JAIL_BUILD "/.old", 0700) < 0)
		return jail_err(errbuf, errlen, errno, "mkdir", "in new root");

	/*
	 * The nodes are binds of the host's, which must stay devices (no
	 * MS_NODEV); the tmpfs below them is read-only and nodev once they
	 * are in place.  Writing to a device works on a read-only mount.
	 */
	if (mount("verdict-dev", JAIL_BUILD "/dev", "tmpfs",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=64k,mode=0755") < 0)
		return jail_err(errbuf, errlen, errno, "mount /dev tmpfs", NULL);
	for (size_t i = 0; i < sizeof(jail_devices) / sizeof(jail_devices[0]);
	    i++) {
		snprintf(src, sizeof(src), "/dev/%s", jail_devices[i]);
		snprintf(path, sizeof(path), JAIL_BUILD "/dev/%s",
		    jail_devices[i]);
		if ((fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666)) < 0)
			return jail_err(errbuf, errlen, errno, "create", path);
		close(fd);
		if ((r = jail_bind(src, path, MS_RDONLY | MS_NOSUID |
		    MS_NOEXEC, errbuf, errlen)) < 0)
			return r;
	}
	if ((r = jail_remount(JAIL_BUILD "/dev", MS_RDONLY | MS_NOSUID |
	    MS_NODEV | MS_NOEXEC, errbuf, errlen)) < 0)
		return r;

	/* The only writable place: a size-limited tmpfs for scratch dirs. */
	snprintf(opts, sizeof(opts), "size=%um,mode=0755,nr_inodes=4096",
	    cfg->scratch_mb);
	if (mount("verdict-scratch", JAIL_BUILD "/tmp", "tmpfs",
	    MS_NOSUID | MS_NODEV, opts) < 0)
		return jail_err(errbuf, errlen, errno, "mount scratch", NULL);

	if (syscall(SYS_pivot_root, JAIL_BUILD, JAIL_BUILD "/.old") < 0)
		return jail_err(errbuf, errlen, errno, "pivot_root", NULL);
	if (chdir("/") < 0)
		return jail_err(errbuf, errlen, errno, "chdir /", NULL);
	if (umount2("/.old", MNT_DETACH) < 0)
		return jail_err(errbuf, errlen, errno, "detach old root", NULL);
	if (rmdir("/.old") < 0)
		return jail_err(errbuf, errlen, errno, "rmdir /.old", NULL);
	/* The keeper's tmpfs: only this mount of it can be made read-only. */
	if ((r = jail_remount("/", MS_RDONLY | MS_NOSUID | MS_NODEV, errbuf,
	    errlen)) < 0)
		return r;
	if (access(cfg->python, X_OK) < 0)
		return jail_err(errbuf, errlen, errno, "interpreter",
		    cfg->python);
	return 0;
}

/* Is "fd" in keep[]? */
static bool
jail_is_kept(int fd, const int *keep, size_t nkeep)
{
	for (size_t i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return true;
	return false;
}

int
jail_close_fds(const int *keep, size_t nkeep)
{
	int	 maxfd = 3;

	for (size_t i = 0; i < nkeep; i++)
		if (keep[i] > maxfd)
			maxfd = keep[i];
	/* Individually up to the highest kept one, then in one range. */
	for (int fd = 0; fd <= maxfd; fd++)
		if (!jail_is_kept(fd, keep, nkeep))
			close(fd);
	if (syscall(SYS_close_range, maxfd + 1, ~0U, 0) < 0)
		return -errno;
	return 0;
}

int
jail_enter_role(uid_t uid, char *errbuf, size_t errlen)
{
	struct rlimit	 no_core = { 0, 0 };
	int		 r;

	if (setgroups(0, NULL) < 0)
		return jail_err(errbuf, errlen, errno, "setgroups", NULL);
	if (setresgid(uid, uid, uid) < 0)
		return jail_err(errbuf, errlen, errno, "setresgid", NULL);
	if (setresuid(uid, uid, uid) < 0)
		return jail_err(errbuf, errlen, errno, "setresuid", NULL);
	if (setrlimit(RLIMIT_CORE, &no_core) < 0)
		return jail_err(errbuf, errlen, errno, "RLIMIT_CORE", NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return jail_err(errbuf, errlen, errno, "PR_SET_PDEATHSIG", NULL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return jail_err(errbuf, errlen, errno, "PR_SET_NO_NEW_PRIVS",
		    NULL);
	if ((r = policy_load()) < 0)
		return jail_err(errbuf, errlen, -r, "seccomp policy", NULL);
	return 0;
}
