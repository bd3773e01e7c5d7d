# rootfs-probe.py - what the jail's root must hold, told by the interpreter.
#
# verdict-jail (sandbox/rootfs.c) runs this once per jail start, on the
# host, as root, before any namespace exists, with an empty environment:
#
#   python3 -I -S -B -c <this source>
#
# -I ignores PYTHON* variables and the user's site directory; -S skips the
# site module, whose .pth files in dist-packages would run code (so no
# third-party package is on sys.path and none is imported); -B writes no
# .pyc files into /usr.  No package's Python code runs here, and no
# extension module's init function either: extension modules are loaded
# with dlopen() only, which is all the dynamic linker needs to load their
# shared libraries.
#
# Output, one entry per line, each path absolute (rootfs.c validates them
# and fails closed on anything else):
#
#   dir PATH    a directory the jail binds whole: each directory of this
#               interpreter's own sys.path (the standard library and
#               lib-dynload) and numpy's package directory
#   file PATH   a file the jail binds, named as it is opened: the shared
#               libraries as the dynamic linker found them (the link map),
#               then every file mapped into this process (/proc/self/maps),
#               which adds the locale files; rootfs.c recreates every
#               symlink between a name and its file
import ctypes
import importlib.machinery
import locale
import os
import site
import sys


class LinkMap(ctypes.Structure):
    """The head of glibc's struct link_map (<link.h>)."""


LinkMap._fields_ = [("l_addr", ctypes.c_void_p),
                    ("l_name", ctypes.c_char_p),
                    ("l_ld", ctypes.c_void_p),
                    ("l_next", ctypes.POINTER(LinkMap)),
                    ("l_prev", ctypes.POINTER(LinkMap))]
RTLD_DI_LINKMAP = 2


def extensions(top, recurse):
    """Every extension module file in top (and below it if recurse)."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        if not recurse:
            dirnames.clear()
        for fn in sorted(filenames):
            if fn.endswith(suffixes):
                yield os.path.join(dirpath, fn)


def numpy_dir():
    """numpy's package directory, searched in site's order, or None."""
    for d in site.getsitepackages():
        p = os.path.join(d, "numpy")
        if os.path.isfile(os.path.join(p, "__init__.py")):
            return p
    return None


def load(path):
    try:
        ctypes.CDLL(path)
    except OSError as e:
        # It cannot be loaded on the host either: not the jail's concern.
        print("rootfs-probe: skipped %s: %s" % (path, e), file=sys.stderr)


def main():
    out = set()
    stdlib = [p for p in sys.path if os.path.isdir(p)]
    for p in sys.path:
        if os.path.isfile(p):           # a python3X.zip, if there is one
            out.add("file " + p)
    numpy = numpy_dir()
    for d in stdlib:
        out.add("dir " + d)
        for p in extensions(d, False):
            load(p)
    if numpy is not None:
        out.add("dir " + numpy)
        for p in extensions(numpy, True):
            load(p)
    # glibc loads libgcc_s lazily, to unwind a thread that ends in
    # pthread_exit() (as CPython's threads may at interpreter exit).
    load("libgcc_s.so.1")
    # Every locale category, as a candidate's setlocale(LC_ALL, "") would
    # load them (the jail runs with LC_ALL=C.UTF-8).
    try:
        locale.setlocale(locale.LC_ALL, "C.UTF-8")
    except locale.Error as e:
        print("rootfs-probe: C.UTF-8: %s" % e, file=sys.stderr)

    libc = ctypes.CDLL(None)
    libc.dlinfo.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
    lm = ctypes.POINTER(LinkMap)()
    if libc.dlinfo(libc._handle, RTLD_DI_LINKMAP, ctypes.byref(lm)) != 0:
        sys.exit("rootfs-probe: dlinfo(RTLD_DI_LINKMAP) failed")
    while lm:
        name = lm.contents.l_name
        if name and name.startswith(b"/"):
            out.add("file " + os.fsdecode(name))
        lm = lm.contents.l_next
    with open("/proc/self/maps") as f:
        for line in f:
            fields = line.rstrip("\n").split(None, 5)
            if len(fields) == 6 and fields[5].startswith("/") and \
                    not fields[5].endswith(" (deleted)"):
                out.add("file " + fields[5])
    sys.stdout.write("".join(e + "\n" for e in sorted(out)))


main()
