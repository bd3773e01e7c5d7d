#!/usr/bin/env python3
# run.py - "make bench": verdict's speed beside the plain alternatives,
# measured in one run on this machine.
#
# Candidates: the 164 HumanEval canonical solutions, 10 times each
# (1,640).  Each configuration runs BENCH_REPS times (default 3), the
# configurations taking turns so that a noisy neighbour hits all of
# them alike; the report gives the median rate and the spread (min-max).
#
#   verdict   verdictd eval -j <cores>, full jail (namespaces, seccomp,
#             rlimits, one fork per candidate, judge in its own process)
#   fresh     a fresh python3 -I -S per candidate, no jail, <cores> at once
#   forksrv   warm Python fork servers without any jail, one per core
#   inproc    all candidates in one Python process, no isolation at all

import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("O", "build"))
HE = os.path.join(ROOT, "data", "humaneval", "HumanEval.jsonl.gz")
PY = "/usr/bin/python3"


def verdict_once(samples, jobs, tmp, n=1640):
    out = os.path.join(tmp, "out.jsonl")
    proc = subprocess.run([os.path.join(BUILD, "verdictd"), "eval",
                           "--problems", HE, "--samples", samples,
                           "-j", str(jobs), "--out", out, "--quiet"],
                          capture_output=True, text=True, check=True)
    m = re.search(r"([\d.]+) candidates/s \((\d+) in ([\d.]+) s\); "
                  r"candidate wall time p50 (\d+) ms, p99 (\d+) ms; peak "
                  r"RSS verdictd (\d+) KiB, largest jail process (\d+) KiB",
                  proc.stdout)
    if not m or "passed %d" % n not in proc.stdout:
        sys.exit("verdict run failed:\n" + proc.stdout + proc.stderr)
    return {"rate": float(m.group(1)), "secs": float(m.group(3)),
            "p50": int(m.group(4)), "p99": int(m.group(5)),
            "rss_d": int(m.group(6)), "rss_j": int(m.group(7))}


def baseline_once(mode, samples, jobs):
    proc = subprocess.run([PY, os.path.join(ROOT, "tests", "bench",
                                            "baselines.py"),
                           mode, samples, HE, str(jobs)],
                          capture_output=True, text=True, check=True)
    _, n, secs = proc.stdout.split()
    return {"rate": int(n) / float(secs)}


def problems():
    """The HumanEval problems, in file order."""
    with gzip.open(HE, "rt") as f:
        return [json.loads(line) for line in f]


def sample_rows(probs, distinct=False):
    """The canonical solutions 10 times (1,640 rows: task_id, completion,
    sample).  distinct: each copy ends with its own "# copy N" comment,
    so that no two programs are equal (the service's dedupe would
    otherwise run each program once)."""
    return [{"task_id": p["task_id"],
             "completion": p["canonical_solution"] +
             ("# copy %d\n" % i if distinct else ""), "sample": i}
            for i in range(10) for p in probs]


def write_samples(path, rows):
    with open(path, "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    return path


def main():
    jobs = os.cpu_count() or 1
    reps = int(os.environ.get("BENCH_REPS", "3"))
    probs = problems()
    rates = {k: [] for k in ("verdict", "fresh", "forksrv", "inproc")}
    extra = []
    with tempfile.TemporaryDirectory(prefix="verdict-bench.") as tmp:
        samples = write_samples(os.path.join(tmp, "samples.jsonl"),
                                sample_rows(probs))
        for r in range(reps):
            for mode in rates:
                if mode == "verdict":
                    res = verdict_once(samples, jobs, tmp)
                    extra.append(res)
                else:
                    res = baseline_once(mode, samples, jobs)
                rates[mode].append(res["rate"])
                print("  run %d/%d %-8s %7.1f candidates/s" % (
                    r + 1, reps, mode, res["rate"]), flush=True)

    def med(xs):
        return statistics.median(xs)

    print()
    print("HumanEval canonical solutions x 10 = 1,640 candidates, "
          "%d cores, %d runs each (median, min-max):" % (jobs, reps))
    for mode, label in (("verdict", "verdict, full jail, -j %d" % jobs),
                        ("fresh", "(a) fresh python3 -I -S each, %d at "
                         "once" % jobs),
                        ("forksrv", "fork server, no jail, %d" % jobs),
                        ("inproc", "(b) one process, no isolation")):
        xs = rates[mode]
        print("  %-40s %7.1f/s  (%.1f-%.1f)" % (label, med(xs), min(xs),
                                                max(xs)))
    v = med(rates["verdict"])
    print("  verdict / (a) = %.2f   verdict / (b) = %.2f   verdict / fork "
          "server = %.2f" % (v / med(rates["fresh"]),
                             v / med(rates["inproc"]),
                             v / med(rates["forksrv"])))
    print("  verdict per-candidate wall time: p50 %d ms, p99 %d ms "
          "(medians over runs)" % (med([e["p50"] for e in extra]),
                                   med([e["p99"] for e in extra])))
    print("  peak RSS: verdictd %d KiB, largest jail process %d KiB" % (
        max(e["rss_d"] for e in extra), max(e["rss_j"] for e in extra)))


if __name__ == "__main__":
    main()
