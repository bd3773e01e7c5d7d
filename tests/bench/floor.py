#!/usr/bin/env python3
# floor.py - "make bench": what an EvalPlus problem set's canonical
# solutions cost on their own, the floor under any harness that runs them
# (peers.py sets it beside verdict and EvalPlus).
#
# Each problem's reference solution (its canonical candidate) is exec'd in
# this one process, with no isolation, and called on every input, base
# then plus, with the inputs' Python types restored as the judge restores
# them (the runner's mbpp_inputs for MBPP+); only the calls are timed
# (CPU time; copying the inputs and comparing are not), and their result
# is thrown away.  A harness can hide none of this time: every input must
# be run.  On JOBS cores it cannot finish sooner than
# max(sum / JOBS, the longest problem), one problem being one process.
#
# Usage: floor.py PROBLEMS.jsonl.gz JOBS [LEAVE_OUT...]
# Prints "floor SECONDS SUM LONGEST TASK": the bound, the problems' CPU
# in all, the longest problem's and its task id.

import copy
import gzip
import importlib.util
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("O", "build"))


def runner():
    """The joined runner source, as a module (for mbpp_inputs)."""
    spec = importlib.util.spec_from_file_location(
        "runner", os.path.join(BUILD, "sandbox", "runner.py"))
    r = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(r)
    return r


def problem_cpu(p, r):
    """CPU seconds of p's canonical solution over its inputs."""
    mbpp = p["task_id"].startswith("Mbpp/")
    ns = {"__name__": "__floor__"}
    exec(compile(p["canonical_solution"] if mbpp else
                 p["prompt"] + p["canonical_solution"], p["task_id"],
                 "exec"), ns)
    fn = ns[p["entry_point"]]
    used = 0.0
    for args in p["base_input"] + (p["plus_input"] or []):
        if mbpp:
            args = r.mbpp_inputs(p["task_id"], args)
        args = copy.deepcopy(args)
        t0 = time.process_time()
        try:
            fn(*args)
        except Exception:       # noqa: an input the reference refuses
            pass
        used += time.process_time() - t0
    return used


def main():
    path, jobs, leave = sys.argv[1], int(sys.argv[2]), set(sys.argv[3:])
    sys.setrecursionlimit(100000)
    sys.set_int_max_str_digits(0)
    r = runner()
    with gzip.open(path, "rt") as f:
        probs = [json.loads(line) for line in f]
    cpu = {p["task_id"]: problem_cpu(p, r) for p in probs
           if p["task_id"] not in leave}
    total = sum(cpu.values())
    task = max(cpu, key=cpu.get)
    print("floor %.3f %.3f %.3f %s" % (max(total / jobs, cpu[task]), total,
                                       cpu[task], task))
    return 0


if __name__ == "__main__":
    sys.exit(main())
