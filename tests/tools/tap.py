# tap.py - the TAP harness shared by the Python test suites
# (tests/data/run.py, tests/e2e/run.py): numbered results, diagnostics,
# and a main() that runs named tests in order with --only.

import sys
import tempfile


class Suite:
    def __init__(self):
        self.n = 0
        self.failed = 0
        self.skipped = 0

    def result(self, name, ok, detail=""):
        self.n += 1
        if not ok:
            self.failed += 1
        print("%s %d - %s%s" % ("ok" if ok else "not ok", self.n, name,
                                (" # " + detail) if detail else ""))
        sys.stdout.flush()

    def skip(self, name, why):
        self.n += 1
        self.skipped += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, why))
        sys.stdout.flush()


def diag(msg):
    for line in str(msg).splitlines():
        print("# " + line)
    sys.stdout.flush()


def main(tests, prefix):
    """Run tests(s, tmp) in order (all, or those named by --only a,b) in
    one temporary folder; exit 1 if any failed."""
    only = None
    args = sys.argv[1:]
    if args[:1] == ["--only"]:
        only = set(args[1].split(","))
    s = Suite()
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        for t in tests:
            if only and t.__name__ not in only:
                continue
            try:
                t(s, tmp)
            except Exception as e:      # a harness failure is a failure
                diag("%s: %s: %s" % (t.__name__, type(e).__name__, e))
                s.result(t.__name__, False, "harness error")
    print("%d passed, %d failed, %d skipped" % (s.n - s.failed - s.skipped,
                                                 s.failed, s.skipped))
    sys.exit(1 if s.failed else 0)
