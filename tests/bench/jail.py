#!/usr/bin/env python3
# jail.py - "make bench": what the jail of issue 8 costs and what it buys,
# measured in one run on this machine.
#
# 1. Throughput: the HumanEval canonical solutions 10 times (1,640
#    candidates) through "verdictd eval" as built now and as built at
#    BEFORE (the last commit before issue 8's jail: binds all of /usr,
#    compiles in the zygote, wall-clock limits, verdictd as root), taking
#    turns, BENCH_REPS times each (default 3); median and spread.
# 2. Load: the 16,400 CodeGen-16B samples judged on an idle machine, then
#    again with every core busy with a spinning process; the pass bits
#    must not change (the limit is CPU time of the candidate's own
#    processes).  Prints the flips (the goal is 0) and the time-outs of
#    each run.  BENCH_LOAD=0 skips it (about 20 minutes on 2 cores).
#
# The old build needs the git history (a clone, not an export) and about
# a minute; without it part 1 prints the current rate alone.

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench                                     # noqa: E402

ROOT = bench.ROOT
BUILD = bench.BUILD
BEFORE = "232dc8f"
CODEGEN = os.path.join(ROOT, "data", "samples",
                       "humaneval_codegen16B_codet_n100.samples.jsonl.gz")


def build_before(tmp):
    """verdictd and verdict-jail as of BEFORE, built in tmp; or None."""
    src = os.path.join(tmp, "before")
    try:
        subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach",
                        src, BEFORE], check=True, capture_output=True)
        subprocess.run(["make", "-s", "-C", src, "-j%d" % (os.cpu_count()
                        or 1), "O=build", "build/verdictd",
                        "build/verdict-jail"], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print("  (no build of %s: %s)" % (BEFORE, getattr(e, "stderr", e)))
        return None
    return os.path.join(src, "build")


def remove_before(tmp):
    src = os.path.join(tmp, "before")
    if os.path.isdir(src):
        subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force",
                        src], capture_output=True)


def eval_rate(build, samples, jobs, tmp):
    bench.BUILD = build
    try:
        return bench.verdict_once(samples, jobs, tmp)["rate"]
    finally:
        bench.BUILD = BUILD


def throughput(tmp, jobs, reps):
    samples = bench.write_samples(os.path.join(tmp, "he10.jsonl"),
                                  bench.sample_rows(bench.problems()))
    old = build_before(tmp)
    rates = {"now": [], "before": []}
    for r in range(reps):
        for which, build in (("now", BUILD), ("before", old)):
            if build is None:
                continue
            rates[which].append(eval_rate(build, samples, jobs, tmp))
            print("  run %d/%d %-6s %7.1f candidates/s" % (
                r + 1, reps, which, rates[which][-1]), flush=True)
    remove_before(tmp)
    print()
    print("Throughput, HumanEval canonical x 10 = 1,640 candidates, -j %d, "
          "%d runs each (median, min-max):" % (jobs, reps))
    for which, label in (("now", "verdict now"),
                         ("before", "verdict at %s (before issue 8)" %
                          BEFORE)):
        xs = rates[which]
        if xs:
            print("  %-40s %7.1f/s  (%.1f-%.1f)" % (
                label, statistics.median(xs), min(xs), max(xs)))
    if rates["before"]:
        print("  now / before = %.2f" % (statistics.median(rates["now"]) /
                                         statistics.median(
                                             rates["before"])))


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
        remove_before(tmp)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
