# golden.py - every format of report/render.h, byte for byte, against
# the renderings kept in tests/report/golden/.  TAP on stdout.
#
#   O=build /usr/bin/python3 tests/report/golden.py [--only a,b]
#   O=build /usr/bin/python3 tests/report/golden.py --update
#
# Each folder of tests/report/golden/ is a case: a report object,
# report.json, and what $(O)/tests/report/render-main makes of it,
# METRIC.FORMAT for csv, md and svg, and all.json and all.html for the
# formats that ignore the metric (which every metric must then give).
#
#   two-runs   the report of tests/unit/test-render.c: two runs, one
#              partial and named with markup, every metric, comparisons,
#              a crossover and a disagreement
#   edges      what report_build never makes but a renderer must take:
#              control characters, U+FFFF, a line end and a long UTF-8
#              name, Markdown and CSV punctuation, twelve runs (more than
#              the colours: a style from each name's hash), a cost on one
#              axis only, a partial run without its pending count, a base
#              without a model, malformed comparisons and disagreements
#   uneven     report_build's report of an even run (n = 4) and an RL run
#              of n = 1, 2 and 8: pass@k past n_min over fewer problems
#              (problems_at_k, the double dagger and its note, the CSV's
#              problems column, no standard error over one problem)
#   meta       two-runs with what the daemon and report_build add since:
#              "meta" (the subtitle of md, html and every plot), budget
#              points with "stderr" and "ci95" (their bands), ci95_at_k,
#              and problems_at_k on one run (hollow markers)
#   problems-common  report_build's report of two runs over different
#              problems (3 and 4, 2 shared), cut to the shared ones: the
#              note in every format, each run's problems_dropped
#   problems-all     the same runs with own_problems (problems=all):
#              the warning in every format
#   base-plus  report_build's report of two runs, each beside its
#              results by the base tests alone ("R (base)", base_of R;
#              ?tests=both): n = 6 with greedy samples and n = 4 without,
#              base_plus at k = 1, 2, 4 and n_min, "tests": "base", the
#              md and html section "Base and plus tests"
#
# The files pin the output so that a change to the code that writes it
# (a restructuring) can show it changed nothing; a change meant to alter
# the output regenerates them with --update, and the diff is reviewed.

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import tap                                      # noqa: E402

O = os.environ.get("O", "build")
DRIVER = os.path.join(O, "tests", "report", "render-main")
GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
TIMEOUT = 60 * float(os.environ.get("TEST_TIMEOUT_MULTIPLIER", "1"))
FORMATS = ("json", "csv", "md", "svg", "html")
METRICS = ("pass", "flops", "time", "rank")


def expected_name(fmt, metric):
    return "all." + fmt if fmt in ("json", "html") else metric + "." + fmt


def render(src, fmt, metric):
    p = subprocess.run([DRIVER, fmt, metric, src], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=TIMEOUT)
    if p.returncode != 0:
        raise RuntimeError("render-main %s %s %s: exit %d: %s" % (
            fmt, metric, src, p.returncode,
            p.stderr.decode(errors="replace")))
    return p.stdout


def first_difference(a, b):
    n = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
             min(len(a), len(b)))
    line = a.count(b"\n", 0, n) + 1
    return "byte %d (line %d): %r, expected %r" % (
        n, line, a[n:n + 60], b[n:n + 60])


def case(name):
    def run(s, tmp):
        d = os.path.join(GOLDEN, name)
        src = os.path.join(d, "report.json")
        bad = []
        for fmt in FORMATS:
            for metric in METRICS:
                out = render(src, fmt, metric)
                path = os.path.join(d, expected_name(fmt, metric))
                if UPDATE:
                    with open(path, "wb") as f:
                        f.write(out)
                    continue
                with open(path, "rb") as f:
                    want = f.read()
                if out != want:
                    bad.append("%s %s: %s" % (fmt, metric,
                                              first_difference(out, want)))
        for b in bad:
            tap.diag(b)
        s.result(name, not bad, "%d renderings differ" % len(bad)
                 if bad else "")
    run.__name__ = name
    return run


UPDATE = sys.argv[1:] == ["--update"]
if UPDATE:
    sys.argv[1:] = []

if __name__ == "__main__":
    tap.main([case(c) for c in sorted(os.listdir(GOLDEN))],
             "verdict-golden-")
