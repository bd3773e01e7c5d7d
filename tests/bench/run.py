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
#
# Last, what each candidate cost, process by process (page faults,
# context switches, CPU time): verdict's medians ("cost per candidate"
# line of verdictd eval) beside the fork server's means (its children's
# rusage and its own, per candidate): what the jail adds.

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
    c = re.search(r"cost per candidate \(medians\): page faults "
                  r"candidate (\d+)\+(\d+), forker (\d+)\+(\d+), zygote "
                  r"(\d+)\+(\d+), judge (\d+)\+(\d+); context switches "
                  r"candidate (\d+)/(\d+), forker (\d+)/(\d+), zygote "
                  r"(\d+)/(\d+), judge (\d+)/(\d+); CPU ms candidate "
                  r"([\d.]+), forker ([\d.]+), zygote ([\d.]+), judge "
                  r"([\d.]+)", proc.stdout)
    if not m or not c or "passed %d" % n not in proc.stdout:
        sys.exit("verdict run failed:\n" + proc.stdout + proc.stderr)
    g = [float(x) for x in c.groups()]
    cost = {}
    for i, who in enumerate(WHO):
        cost[who] = {"minflt": g[2 * i], "majflt": g[2 * i + 1],
                     "nvcsw": g[8 + 2 * i], "nivcsw": g[9 + 2 * i],
                     "cpu_ms": g[16 + i]}
    return {"rate": float(m.group(1)), "secs": float(m.group(3)),
            "p50": int(m.group(4)), "p99": int(m.group(5)),
            "rss_d": int(m.group(6)), "rss_j": int(m.group(7)),
            "cost": cost}


WHO = ("candidate", "forker", "zygote", "judge")


def baseline_once(mode, samples, jobs):
    proc = subprocess.run([PY, os.path.join(ROOT, "tests", "bench",
                                            "baselines.py"),
                           mode, samples, HE, str(jobs)],
                          capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    _, n, secs = lines[0].split()
    res = {"rate": int(n) / float(secs)}
    if len(lines) > 1 and lines[1].startswith("cost "):
        kv = dict(x.split("=") for x in lines[1].split()[1:])
        res["cost"] = {who: {k: float(kv["%s_%s" % (pre, k)])
                             for k in ("minflt", "majflt", "nvcsw",
                                       "nivcsw")} |
                       {"cpu_ms": float(kv[pre + "_cpu_us"]) / 1000.0}
                       for who, pre in (("candidate", "cand"),
                                        ("server", "server"))}
    return res


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
    fscost = []                 # the fork server's, per run
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
                    if "cost" in res:
                        fscost.append(res["cost"])
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
    cost_report([e["cost"] for e in extra], fscost)


def cost_report(jail, fs):
    """What each candidate cost, by process: the jail's medians over its
    candidates (verdictd eval's "cost per candidate" line) beside the
    fork server's means (its children's rusage and its own deltas over
    its candidates); each figure the median over the runs."""
    def row(label, runs, who):
        def m(k):
            return statistics.median(r[who][k] for r in runs)
        print("    %-24s %8.0f %6.0f %7.0f %8.0f %8.2f" % (
            label, m("minflt"), m("majflt"), m("nvcsw"), m("nivcsw"),
            m("cpu_ms")))

    def total(runs, whos):
        return [{"all": {k: sum(r[w][k] for w in whos) for k in
                         r[whos[0]]}} for r in runs]
    print("  cost per candidate (jail: medians; fork server: means):")
    print("    %-24s %8s %6s %7s %8s %8s" % ("", "minflt", "majflt",
                                             "nvcsw", "nivcsw", "CPU ms"))
    for who in WHO:
        row("jail " + who, jail, who)
    row("jail, sum of the four", total(jail, WHO), "all")
    if fs:
        row("fork server: child", fs, "candidate")
        row("fork server: server", fs, "server")
        row("fork server, sum", total(fs, ("candidate", "server")),
            "all")


if __name__ == "__main__":
    main()
