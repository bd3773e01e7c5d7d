# pg.py - a throwaway PostgreSQL server for the Python suites
# (tests/e2e/run.py, tests/bench/), through tests/tools/pg.sh: Debian's
# server in a directory of the test's, on a Unix socket there, fsync on.
#
#     with pg.server(tmp) as db:
#         d = Daemon(tmp, "name", {"database": db.uri}).start()
#         ...
#         db.stop()               # PostgreSQL goes away (fault tests)
#         db.start()              # and comes back, data kept
#
# str(db) is the URI too, so {"database": db} writes the same config.

import atexit
import contextlib
import os
import subprocess

PG_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pg.sh")

# Every server started, so that one a failed test left running is
# stopped when the suite exits.
_started = []


@atexit.register
def _stop_left():
    for s in _started:
        if s.running:
            s.stop("immediate")


class Server:
    """One PostgreSQL cluster in "dir" (made at the first start).  The
    directories above dir must let the user nobody through: the server
    runs as nobody when the tests run as root."""

    def __init__(self, dir):
        self.dir = os.path.abspath(dir)
        self.uri = None
        self.running = False

    def start(self):
        """Start the server (making the cluster the first time) and
        return its URI; the data of an earlier start is kept."""
        r = subprocess.run(["sh", PG_SH, "start", self.dir],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        if r.returncode != 0:
            raise RuntimeError("pg.sh start %s: %s" % (self.dir, r.stderr))
        self.uri = r.stdout.strip()
        self.running = True
        if self not in _started:
            _started.append(self)
        return self.uri

    def stop(self, mode="fast"):
        """Stop the server: "fast" shuts it down cleanly (clients are
        cut off), "immediate" is a crash (recovery at the next
        start)."""
        r = subprocess.run(["sh", PG_SH, "stop", self.dir, mode],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        self.running = False
        if r.returncode != 0:
            raise RuntimeError("pg.sh stop %s: %s" % (self.dir, r.stderr))

    def log(self):
        """The server's log so far, for a failing test's diagnostics."""
        try:
            with open(os.path.join(self.dir, "log"), "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def __str__(self):
        return self.uri or ""


@contextlib.contextmanager
def server(tmp, name="pg"):
    """A started Server in tmp/name, stopped at the end of the with
    block, whatever happens in it."""
    # tmp (from tempfile, mode 700) must let nobody through to the
    # cluster, as daemon.Daemon lets the user verdict through.
    os.chmod(tmp, 0o711)
    s = Server(os.path.join(tmp, name))
    s.start()
    try:
        yield s
    finally:
        if s.running:
            s.stop()
