#!/usr/bin/env python3
# baselines.py - the plain alternatives that "make bench" measures verdict
# against, on the same candidates (HumanEval canonical solutions, each
# program = prompt + completion + test + check(entry_point)):
#
#   fresh     a fresh "python3 -I -S" process per candidate, no jail, as
#             many at once as there are cores             (issue's (a))
#   inproc    every candidate, one after another, exec'd in one Python
#             process with no isolation at all            (issue's (b))
#   forksrv   a warm Python that forks one child per candidate, no jail,
#             one such server per core (what the jail adds is the rest)
#
# Usage: baselines.py MODE SAMPLES.jsonl PROBLEMS.jsonl.gz JOBS
# Prints one line: "MODE N SECONDS" (N candidates, all must pass).  For
# forksrv, a second line: "cost KEY=VALUE ...", what each candidate cost
# on average, to set beside the jail's figures (verdictd eval's "cost per
# candidate" line): its children's getrusage(RUSAGE_CHILDREN) in each
# server, and the server's own getrusage(RUSAGE_SELF) deltas over its
# loop, summed over the servers and divided by the candidates (keys as in
# the jail's record: cand_minflt, cand_majflt, cand_nvcsw, cand_nivcsw,
# cand_cpu_us, then server_* for the same five).

import gzip
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

PY = "/usr/bin/python3"


def programs(samples, problems):
    with gzip.open(problems, "rt") as f:
        probs = {p["task_id"]: p for p in map(json.loads, f)}
    out = []
    with open(samples) as f:
        for line in f:
            s = json.loads(line)
            p = probs[s["task_id"]]
            out.append(p["prompt"] + s["completion"] + "\n" + p["test"] +
                       "\ncheck(%s)\n" % p["entry_point"])
    return out


def fresh(progs, jobs):
    def one(src):
        return subprocess.run([PY, "-I", "-S", "-c", src],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              timeout=30).returncode == 0
    with ThreadPoolExecutor(jobs) as ex:
        return sum(ex.map(one, progs))


def inproc(progs, jobs):
    ok = 0
    for src in progs:
        try:
            exec(compile(src, "<candidate>", "exec"), {})
            ok += 1
        except BaseException:
            pass
    return ok


FORKSRV = r'''
import os, sys, gc, resource
for m in ("typing", "math", "re", "collections", "itertools"):
    __import__(m)
gc.collect(); gc.freeze()
ok = 0
rd = os.fdopen(0, "rb")
def counts(who):
    ru = resource.getrusage(who)
    return [ru.ru_minflt, ru.ru_majflt, ru.ru_nvcsw, ru.ru_nivcsw,
            int((ru.ru_utime + ru.ru_stime) * 1e6)]
self0 = counts(resource.RUSAGE_SELF)
for line in rd:
    n = int(line)
    src = rd.read(n).decode()
    pid = os.fork()
    if pid == 0:
        try:
            exec(compile(src, "<candidate>", "exec"), {})
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, st = os.waitpid(pid, 0)
    ok += st == 0
self1 = counts(resource.RUSAGE_SELF)
print(ok, *counts(resource.RUSAGE_CHILDREN),
      *(a - b for a, b in zip(self1, self0)))
'''

COST_KEYS = ("minflt", "majflt", "nvcsw", "nivcsw", "cpu_us")


def forksrv(progs, jobs):
    shards = [progs[i::jobs] for i in range(jobs)]
    procs = []
    for sh in shards:
        p = subprocess.Popen([PY, "-I", "-c", FORKSRV],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        data = b"".join(b"%d\n" % len(s.encode()) + s.encode() for s in sh)
        procs.append((p, data))
    with ThreadPoolExecutor(jobs) as ex:
        outs = list(ex.map(lambda pd: pd[0].communicate(pd[1])[0], procs))
    rows = [[int(x) for x in o.split()] for o in outs]
    sums = [sum(col) for col in zip(*rows)]
    n = max(1, len(progs))
    keys = ["cand_" + k for k in COST_KEYS] + \
        ["server_" + k for k in COST_KEYS]
    forksrv.cost = " ".join("%s=%.1f" % (k, v / n)
                            for k, v in zip(keys, sums[1:]))
    return sums[0]


def main():
    mode, samples, problems, jobs = sys.argv[1:5]
    progs = programs(samples, problems)
    t0 = time.monotonic()
    ok = {"fresh": fresh, "inproc": inproc, "forksrv": forksrv}[mode](
        progs, int(jobs))
    secs = time.monotonic() - t0
    if ok != len(progs):
        sys.exit("%s: only %d of %d candidates passed" % (mode, ok,
                                                          len(progs)))
    print("%s %d %.3f" % (mode, len(progs), secs))
    if mode == "forksrv":
        print("cost " + forksrv.cost)


if __name__ == "__main__":
    main()
