#!/usr/bin/env python3
# before.py - "make bench": verdictd and verdict-jail as built at an
# earlier commit, so that a change is measured against what it changed,
# in the same run on the same machine (jail.py, service.py).
#
# A build is a detached git worktree of ROOT in a temporary folder, made
# once per commit and removed by remove_all().  It needs the history (a
# clone, not an export) and about a minute per commit; without it,
# build() returns None and the callers print the current figures alone.
#
import os
import subprocess

# The commits the bench compares against, with what came after them.
COMMITS = [
    ("232dc8f", "before issue 8 (the jail)"),
    ("5ca8542", "before issue 9 (the restructuring)"),
    ("bd79548", "before issue 11's schema 3 (datasets, sanitize, the "
     "feed's verdict order, run deletion: more per candidate stored)"),
]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
_built = {}                     # commit -> (worktree, build dir or None)


def build(commit, tmp):
    """The build folder holding verdictd and verdict-jail as of commit,
    built under tmp on first use; None (with the reason printed) when it
    cannot be built."""
    if commit in _built:
        return _built[commit][1]
    src = os.path.join(tmp, "before-" + commit)
    out = None
    try:
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach",
                        src, commit], check=True, capture_output=True)
        subprocess.run(["make", "-s", "-C", src, "-j%d" % (os.cpu_count()
                        or 1), "O=build", "build/verdictd",
                        "build/verdict-jail"], check=True,
                       capture_output=True)
        out = os.path.join(src, "build")
    except (OSError, subprocess.CalledProcessError) as e:
        print("  (no build of %s: %s)" % (commit, getattr(e, "stderr", e)))
    _built[commit] = (src, out)
    return out


def remove_all():
    """Remove every worktree build() made."""
    for src, _ in _built.values():
        if os.path.isdir(src):
            subprocess.run(["git", "-C", ROOT, "worktree", "remove",
                            "--force", src], capture_output=True)
    _built.clear()
