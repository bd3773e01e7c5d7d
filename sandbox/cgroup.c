/*
 * cgroup.c - the candidates' cgroup of one jail.  See cgroup.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "sandbox/cgroup.h"

#define CGROUP_PREFIX	"verdict-jail."

/* Format an error into errbuf and return -errnum. */
static int
cgroup_err(char *errbuf, size_t errlen, int errnum, const char *what)
{
	snprintf(errbuf, errlen, "cgroup: %s: %s", what, strerror(errnum));
	return -errnum;
}

/*
 * The directory of this process's cgroup v2 entry: the cgroup2 mount
 * point (from /proc/self/mountinfo) joined with the path of the "0::"
 * line of /proc/self/cgroup.  Returns 0 or a negative errno (-ENOENT:
 * no cgroup v2 here).
 */
static int
cgroup_own_dir(char *dir, size_t len)
{
	char	 line[1024], mnt[512] = "", own[512] = "";
	char	*sep, *p;
	FILE	*f;
	int	 n;

	if ((f = fopen("/proc/self/mountinfo", "re")) == NULL)
		return -errno;
	while (mnt[0] == '\0' && fgets(line, sizeof(line), f) != NULL) {
		/* "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS ... - TYPE ..." */
		if ((sep = strstr(line, " - cgroup2 ")) == NULL)
			continue;
		*sep = '\0';
		p = line;
		for (int i = 0; i < 4 && p != NULL; i++)
			if ((p = strchr(p, ' ')) != NULL)
				p++;
		if (p != NULL && (sep = strchr(p, ' ')) != NULL &&
		    (size_t)(sep - p) < sizeof(mnt)) {
			memcpy(mnt, p, (size_t)(sep - p));
			mnt[sep - p] = '\0';
		}
	}
	fclose(f);
	if ((f = fopen("/proc/self/cgroup", "re")) == NULL)
		return -errno;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "0::", 3) == 0 &&
		    strlen(line + 3) < sizeof(own)) {
			line[strcspn(line, "\n")] = '\0';
			memcpy(own, line + 3, strlen(line + 3) + 1);
		}
	fclose(f);
	/* Escaped characters (a space is "\040") are not worth a parser. */
	if (mnt[0] == '\0' || own[0] != '/' || strchr(mnt, '\\') != NULL)
		return -ENOENT;
	n = snprintf(dir, len, "%s%s", mnt, strcmp(own, "/") == 0 ? "" : own);
	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

/*
 * Remove the empty cgroups "verdict-jail.UIDBASE.PID" in "dir" whose
 * helper PID is gone (it was killed before it could remove its own).
 */
static void
cgroup_sweep(const char *dir, uid_t uid_base)
{
	char		 prefix[64], path[1024], *end;
	struct dirent	*e;
	DIR		*d;
	long		 pid;

	snprintf(prefix, sizeof(prefix), CGROUP_PREFIX "%u.",
	    (unsigned)uid_base);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		errno = 0;
		pid = strtol(e->d_name + strlen(prefix), &end, 10);
		if (errno != 0 || *end != '\0' || pid <= 0 ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		(void)rmdir(path);	/* EBUSY: still in use; leave it */
	}
	closedir(d);
}

/* The cgroup directory of helper "pid" for "uid_base", in "path". */
static int
cgroup_path(uid_t uid_base, pid_t pid, char *path, size_t len)
{
	char	 dir[512];
	int	 r, n;

	if ((r = cgroup_own_dir(dir, sizeof(dir))) < 0)
		return r;
	n = snprintf(path, len, "%s/" CGROUP_PREFIX "%u.%d", dir,
	    (unsigned)uid_base, (int)pid);
	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

int
cgroup_open(uid_t uid_base, struct cgroup *cg, char *errbuf, size_t errlen)
{
	char	 dir[512], file[600];
	int	 r;

	cg->path[0] = '\0';
	cg->procs_fd = cg->stat_fd = -1;
	if ((r = cgroup_own_dir(dir, sizeof(dir))) < 0)
		return cgroup_err(errbuf, errlen, -r, "no cgroup v2 hierarchy");
	cgroup_sweep(dir, uid_base);
	if ((r = cgroup_path(uid_base, getpid(), cg->path,
	    sizeof(cg->path))) < 0) {
		cg->path[0] = '\0';
		return cgroup_err(errbuf, errlen, -r, dir);
	}
	if (mkdir(cg->path, 0755) < 0) {
		r = cgroup_err(errbuf, errlen, errno, cg->path);
		cg->path[0] = '\0';
		return r;
	}
	snprintf(file, sizeof(file), "%s/cgroup.procs", cg->path);
	if ((cg->procs_fd = open(file, O_WRONLY | O_CLOEXEC)) < 0) {
		r = cgroup_err(errbuf, errlen, errno, file);
		cgroup_close(cg);
		return r;
	}
	snprintf(file, sizeof(file), "%s/cpu.stat", cg->path);
	if ((cg->stat_fd = open(file, O_RDONLY | O_CLOEXEC)) < 0) {
		r = cgroup_err(errbuf, errlen, errno, file);
		cgroup_close(cg);
		return r;
	}
	return 0;
}

void
cgroup_remove(uid_t uid_base, pid_t keeper)
{
	char	 path[600];

	if (cgroup_path(uid_base, keeper, path, sizeof(path)) == 0)
		(void)rmdir(path);	/* ENOENT: it made none */
}

void
cgroup_close(struct cgroup *cg)
{
	if (cg->procs_fd >= 0)
		close(cg->procs_fd);
	if (cg->stat_fd >= 0)
		close(cg->stat_fd);
	cg->procs_fd = cg->stat_fd = -1;
	if (cg->path[0] != '\0')
		(void)rmdir(cg->path);
	cg->path[0] = '\0';
}
