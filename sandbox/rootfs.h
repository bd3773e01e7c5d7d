/*
 * rootfs.h - what the jail's root holds, and building it (helper side).
 *
 * The jail's root is built from an explicit list, the manifest, never
 * from whole host trees such as /usr: the interpreter, the directories
 * of its standard library, numpy's package directory, the shared
 * libraries and locale files those load, /etc/ld.so.cache, and the
 * symlinks on the way to each of them (/usr/bin/python3 -> python3.11,
 * soname links, Debian's /etc/alternatives hops, merged-/usr /lib ->
 * usr/lib).  Nothing of verdict's data, config or state is on it, nor
 * anything else of /usr/local, /usr/share or dist-packages.
 *
 * The keeper makes the manifest on the host, as root, before the jail's
 * namespaces: a trusted probe run of the interpreter (sandbox/rootfs-
 * probe.py, compiled in) loads every extension module of the standard
 * library and of numpy and prints what the dynamic linker opened and
 * what is mapped; every path is checked here (absolute, clean, under
 * /usr, /lib* or /etc/alternatives, or /etc/ld.so.cache) and any other
 * answer fails the jail's start.
 *
 * The keeper also builds the root, in a mount namespace of its own, so
 * that each bind can leave out what the host mounted below it (inside
 * the jail's user namespace the kernel refuses such binds).  The jail's
 * init gets a copy of that namespace in which every one of those mounts
 * is read-only, nosuid and nodev, and locked so.
 */
#ifndef SANDBOX_ROOTFS_H
#define SANDBOX_ROOTFS_H

#include <sys/types.h>

struct rootfs;				/* opaque: the manifest */

/*
 * Run the probe with the interpreter "python" (absolute) and make the
 * manifest.  On success returns 0 and stores a new manifest in *rfp,
 * which the caller releases with rootfs_free().  Returns a negative
 * errno with a message in errbuf when the probe fails or prints anything
 * that may not be in the jail (fail closed).  Forks and waits for the
 * probe; the probe's stderr goes to ours.
 */
int	 rootfs_probe(const char *python, struct rootfs **rfp, char *errbuf,
	    size_t errlen);

/*
 * Move the calling process into a new, private mount namespace and build
 * the manifest there on a tmpfs mounted at "root" (an existing
 * directory; the tmpfs is owned by host uid and gid "owner", uid 0 of
 * the jail, which adds its own mount points): directories, read-only
 * nosuid nodev binds that bring nothing mounted below their source, and
 * symlinks.  The tmpfs itself stays writable.  Call it in the process
 * that creates the jail's namespaces, once per jail, as root.  Returns 0
 * or a negative errno with a message in errbuf.
 */
int	 rootfs_build(const struct rootfs *, const char *root, uid_t owner,
	    char *errbuf, size_t errlen);

/*
 * Write the manifest to "fd", one entry a line ("bind-dir PATH",
 * "bind-file PATH", "link PATH -> TARGET", "dir PATH"), sorted by path,
 * for "verdict-jail --print-rootfs".  Returns 0 or a negative errno.
 */
int	 rootfs_print(const struct rootfs *, int fd);

/* Release a manifest; rootfs_free(NULL) is a no-op. */
void	 rootfs_free(struct rootfs *);

#endif /* SANDBOX_ROOTFS_H */
