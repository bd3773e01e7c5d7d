#!/usr/bin/env python3
# jail.py - "make bench": what the jail of issue 8 costs and what it buys,
# measured in one run on this machine.
#
# 1. Throughput: the HumanEval canonical solutions 10 times (1,640
#    candidates) through "verdictd eval" as built now and as built at
#    each commit of before.COMMITS (before issue 8's jail: binds all of
#    /usr, compiles in the zygote, wall-clock limits, verdictd as root;
#    before issue 9's restructuring and before issue 11's schema 3,
#    which must not change the figure),
#    taking turns, BENCH_REPS times each (default 3); median and spread.
# 2. Load: the 16,400 CodeGen-16B samples judged on an idle machine, then
#    again with every core busy with a spinning process; the pass bits
#    must not change (the limit is CPU time of the candidate's own
#    processes).  Prints the flips (the goal is 0) and the time-outs of
#    each run.  BENCH_LOAD=0 skips it (about 20 minutes on 2 cores).
#
# The old builds need the git history (a clone, not an export) and about
# a minute each (before.py); without it part 1 prints the current rate
# alone.

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import before                                           # noqa: E402
import run as bench                                     # noqa: E402

ROOT = bench.ROOT
BUILD = bench.BUILD
CODEGEN = os.path.join(ROOT, "data", "samples",
                       "humaneval_codegen16B_codet_n100.samples.jsonl.gz")


def eval_rate(build, samples, jobs, tmp):
    bench.BUILD = build
    try:
        return bench.verdict_once(samples, jobs, tmp)["rate"]
    finally:
        bench.BUILD = BUILD


def throughput(tmp, jobs, reps):
    samples = bench.write_samples(os.path.join(tmp, "he10.jsonl"),
                                  bench.sample_rows(bench.problems()))
    builds = [("now", "verdict now", BUILD)] + [
        (c, "verdict at %s, %s" % (c, what), before.build(c, tmp))
        for c, what in before.COMMITS]
    builds = [b for b in builds if b[2] is not None]
    rates = {which: [] for which, _, _ in builds}
    for r in range(reps):
        for which, _, build in builds:
            rates[which].append(eval_rate(build, samples, jobs, tmp))
            print("  run %d/%d %-8s %7.1f candidates/s" % (
                r + 1, reps, which, rates[which][-1]), flush=True)
    print()
    print("Throughput, HumanEval canonical x 10 = 1,640 candidates, -j %d, "
          "%d runs each, taking turns (median, min-max):" % (jobs, reps))
    for which, label, _ in builds:
        xs = rates[which]
        print("  %-58s %7.1f/s  (%.1f-%.1f)" % (
            label, statistics.median(xs), min(xs), max(xs)))
    for which, label, _ in builds[1:]:
        print("  now / %s = %.2f" % (which, statistics.median(rates["now"])
                                     / statistics.median(rates[which])))


def judge_all(tmp, jobs, name):
    out = os.path.join(tmp, name + ".jsonl")
    p = subprocess.run([os.path.join(BUILD, "verdictd"), "eval",
                        "--samples", CODEGEN, "-j", str(jobs), "--out", out,
                        "--quiet"], capture_output=True, text=True)
    if p.returncode not in (0, 2):
        sys.exit("verdictd eval failed:\n" + p.stdout + p.stderr)
    m = re.search(r"([\d.]+) candidates/s", p.stdout)
    bits, timeouts = [], 0
    with open(out) as f:
        for line in f:
            r = json.loads(line)
            bits.append((r["task_id"], len(bits), r["passed"]))
            timeouts += r["verdict"] == "timeout"
    return bits, timeouts, float(m.group(1)) if m else 0.0


def load(tmp, jobs):
    print()
    print("Load: the 16,400 CodeGen-16B samples, idle and with %d spinning "
          "processes (one per core):" % jobs, flush=True)
    idle, t_idle, r_idle = judge_all(tmp, jobs, "idle")
    spin = [subprocess.Popen([bench.PY, "-c", "while True: pass"])
            for _ in range(jobs)]
    try:
        busy, t_busy, r_busy = judge_all(tmp, jobs, "busy")
    finally:
        for p in spin:
            p.kill()
            p.wait()
    flips = [(a[0], a[1], a[2], b[2]) for a, b in zip(idle, busy)
             if a[2] != b[2]]
    print("  idle: %.1f candidates/s, %d time-outs; busy: %.1f "
          "candidates/s, %d time-outs" % (r_idle, t_idle, r_busy, t_busy))
    print("  pass bits that changed under load: %d of %d (goal 0)%s" % (
        len(flips), len(idle), "".join(
            "\n    %s (line %d): %s idle, %s busy" % (
                t, s, "passed" if a else "failed",
                "passed" if b else "failed") for t, s, a, b in flips[:10])))


def main():
    jobs = os.cpu_count() or 1
    reps = int(os.environ.get("BENCH_REPS", "3"))
    tmp = tempfile.mkdtemp(prefix="verdict-bench-jail.")
    try:
        throughput(tmp, jobs, reps)
        if os.environ.get("BENCH_LOAD", "1") != "0":
            load(tmp, jobs)
    finally:
        before.remove_all()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
