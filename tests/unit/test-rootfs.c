/*
 * test-rootfs.c -- the manifest of the jail's root (sandbox/rootfs.c).
 *
 *   rootfs_lists_what_python_needs  with the real /usr/bin/python3: the
 *                                   interpreter (and its link), the
 *                                   standard library bound whole,
 *                                   /etc/ld.so.cache, libc; nothing under
 *                                   /usr/local or /usr/share, nothing of
 *                                   /etc but ld.so.cache and alternatives
 *   rootfs_refuses_unclean          a relative interpreter or one with
 *                                   ".." gives -EINVAL
 *   rootfs_refuses_outside          an interpreter outside /usr and /lib*
 *                                   (/etc/passwd) gives -EPERM, before
 *                                   anything runs
 *   rootfs_refuses_link_outside     a name under /usr whose symlink leads
 *                                   to /etc/python3.X (Debian's
 *                                   sitecustomize.py) gives -EPERM: every
 *                                   hop is checked
 *   rootfs_fails_closed_on_probe    an "interpreter" that exits 1, or that
 *                                   prints nothing, gives an error naming
 *                                   the reason
 *
 * The first and the fourth need Debian's /usr/bin/python3; without it
 * they SKIP.  Nothing here needs root or mounts anything.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tests/unit/test.h"
#include "common/xmalloc.h"
#include "sandbox/rootfs.h"

#define ROOTFS_TEST_PYTHON	"/usr/bin/python3"

/* The manifest made with "python" as text (new), or NULL with r set. */
static char *
rootfs_test_text(const char *python, int *r, char *err, size_t errlen)
{
	struct rootfs	*rf = NULL;
	char		*text;
	size_t		 len = 0;
	ssize_t		 n;
	int		 p[2];

	if ((*r = rootfs_probe(python, &rf, err, errlen)) < 0)
		return NULL;
	ASSERT_OK(pipe(p));
	ASSERT_OK(rootfs_print(rf, p[1]));
	close(p[1]);
	rootfs_free(rf);
	text = xmalloc(1 << 16);
	while ((n = read(p[0], text + len, (1 << 16) - 1 - len)) > 0)
		len += (size_t)n;
	close(p[0]);
	text[len] = '\0';
	return text;
}

/* Does "text" hold a line that starts with "prefix"? */
static bool
rootfs_test_has(const char *text, const char *prefix)
{
	size_t	 len = strlen(prefix);

	for (const char *l = text; *l != '\0'; l = strchr(l, '\n') + 1)
		if (strncmp(l, prefix, len) == 0)
			return true;
	return false;
}

TEST(rootfs_lists_what_python_needs)
{
	char		 err[512], *text, *path, *nl;
	struct stat	 st;
	int		 r;

	if (lstat(ROOTFS_TEST_PYTHON, &st) < 0)
		RETURN_SKIP("no " ROOTFS_TEST_PYTHON);
	text = rootfs_test_text(ROOTFS_TEST_PYTHON, &r, err, sizeof(err));
	if (text == NULL)
		TEST_FAIL_AT("rootfs_probe: %d: %s", r, err);
	ASSERT(rootfs_test_has(text, S_ISLNK(st.st_mode) ?
	    "link " ROOTFS_TEST_PYTHON " -> " :
	    "bind-file " ROOTFS_TEST_PYTHON "\n"));
	ASSERT(rootfs_test_has(text, "bind-dir /usr/lib/python3."));
	ASSERT(rootfs_test_has(text, "bind-file /etc/ld.so.cache\n"));
	ASSERT(strstr(text, "/libc.so.6\n") != NULL);
	for (char *l = text; *l != '\0'; l = nl + 1) {
		nl = strchr(l, '\n');
		ASSERT_NOT_NULL(nl);
		*nl = '\0';
		path = strchr(l, ' ') + 1;
		if (strstr(path, "/usr/local") == path ||
		    strstr(path, "/usr/share") == path ||
		    strstr(path, "verdict") != NULL ||
		    (strncmp(path, "/etc", 4) == 0 && strcmp(path, "/etc") != 0 &&
		    strcmp(path, "/etc/ld.so.cache") != 0 &&
		    strncmp(path, "/etc/alternatives", 17) != 0))
			TEST_FAIL_AT("must not be in the jail: %s", l);
	}
	free(text);
	return TEST_PASS;
}

TEST(rootfs_refuses_unclean)
{
	struct rootfs	*rf = NULL;
	char		 err[512];

	ASSERT_ERR(rootfs_probe("usr/bin/python3", &rf, err, sizeof(err)),
	    -EINVAL);
	ASSERT_ERR(rootfs_probe("/usr/bin/../bin/python3", &rf, err,
	    sizeof(err)), -EINVAL);
	ASSERT_ERR(rootfs_probe("/usr//bin/python3", &rf, err, sizeof(err)),
	    -EINVAL);
	ASSERT_NULL(rf);
	return TEST_PASS;
}

TEST(rootfs_refuses_outside)
{
	struct rootfs	*rf = NULL;
	char		 err[512];

	ASSERT_ERR(rootfs_probe("/etc/passwd", &rf, err, sizeof(err)),
	    -EPERM);
	ASSERT(strstr(err, "/etc/passwd") != NULL);
	ASSERT_NULL(rf);
	return TEST_PASS;
}

TEST(rootfs_refuses_link_outside)
{
	struct rootfs	*rf = NULL;
	char		 err[512], version[64], path[PATH_MAX], target[PATH_MAX];
	ssize_t		 n;

	/* Debian: python3 -> python3.X, python3.X/sitecustomize.py -> /etc. */
	if ((n = readlink(ROOTFS_TEST_PYTHON, version, sizeof(version) - 1)) <
	    0)
		RETURN_SKIP(ROOTFS_TEST_PYTHON " is not a link");
	version[n] = '\0';
	snprintf(path, sizeof(path), "/usr/lib/%s/sitecustomize.py", version);
	if ((n = readlink(path, target, sizeof(target) - 1)) < 0 ||
	    strncmp(target, "/etc/", 5) != 0)
		RETURN_SKIP("no sitecustomize.py link to /etc");
	ASSERT_ERR(rootfs_probe(path, &rf, err, sizeof(err)), -EPERM);
	ASSERT(strstr(err, "/etc/python3") != NULL);
	ASSERT_NULL(rf);
	return TEST_PASS;
}

TEST(rootfs_fails_closed_on_probe)
{
	struct rootfs	*rf = NULL;
	char		 err[512];
	int		 r;

	if (access("/usr/bin/false", X_OK) < 0 ||
	    access("/usr/bin/true", X_OK) < 0)
		RETURN_SKIP("no /usr/bin/false or /usr/bin/true");
	r = rootfs_probe("/usr/bin/false", &rf, err, sizeof(err));
	ASSERT(r < 0);
	ASSERT(strstr(err, "exited with status 1") != NULL);
	r = rootfs_probe("/usr/bin/true", &rf, err, sizeof(err));
	ASSERT(r < 0);
	ASSERT(strstr(err, "no standard library") != NULL);
	ASSERT_NULL(rf);
	return TEST_PASS;
}
