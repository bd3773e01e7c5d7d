#!/usr/bin/env python3
# leak.py -- one jail worker, 2,000 failing candidates in a row, then an
# honest one: every job must give back what it took.
#
#   O=build python3 tests/jail/leak.py [N]     (run by "make jail")
#
# The failures cycle through every way a candidate can end badly that
# costs little time (no time-outs): programs CPython cannot compile (a
# deep chain of nested lambdas, which once made the zygote fail with
# "internal" and leak three pipes and a scratch directory per job),
# syntax errors, exceptions, early exits, a crash, a refused system call,
# an exception class named MemoryError, wrong answers, output floods.
# Each must get its own verdict, never "internal"; the honest candidate
# at the end must pass; "verdictd eval -j 1" must report the same count
# of open descriptors in the zygote and in the forker after every job;
# no worker may die.  Then the run the issue reported: one right program
# and three that CPython cannot compile once gave pass@1 = 100% (the three
# ended "internal", left out of n); it must be 25%.  TAP output, exit
# status 1 on any failure.
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
O = os.environ.get("O", "build")
BIN = O if os.path.isabs(O) else os.path.join(TOP, O)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 2000

# (name, expected verdict, program for Hostile/add)
KINDS = [
    ("nested-lambdas", "error",
     "add = " + "lambda: " * 5000 + "0\n"),
    ("nested-lambdas-compiles", "failed",
     "f = " + "lambda: " * 1500 + "0\n\n\ndef add(a, b):\n    return 0\n"),
    ("syntax", "syntax_error", "def add(a, b)\n    return a + b\n"),
    ("raise", "error", "def add(a, b):\n    raise ValueError('no')\n"),
    ("sys-exit", "error", "import sys\nsys.exit(0)\n"),
    ("os-exit", "error", "import os\nos._exit(0)\n"),
    ("segfault", "error",
     "import ctypes\nctypes.string_at(0)\n"),
    ("socket", "forbidden",
     "import socket\nsocket.socket()\n"),
    ("fake-memory-error", "error",
     "class MemoryError(Exception):\n    pass\n\n\n"
     "def add(a, b):\n    raise MemoryError('fake')\n"),
    ("wrong", "failed", "def add(a, b):\n    return a - b\n"),
    ("output-flood", "output_limit",
     "import sys\nsys.stdout.write('x' * (2 << 20))\n"),
]
HONEST = "def add(a, b):\n    return a + b\n"


def main():
    results = []

    def ok(cond, name, detail=""):
        results.append(cond)
        print("%s %d - %s%s" % ("ok" if cond else "not ok", len(results),
                                name, "" if cond else ": " + detail))

    tmp = tempfile.mkdtemp(prefix="verdict-leak.")
    samples = os.path.join(tmp, "samples.jsonl")
    want = {}
    with open(samples, "w") as f:
        for i in range(N):
            name, verdict, prog = KINDS[i % len(KINDS)]
            sid = "%04d-%s" % (i, name)
            want[sid] = verdict
            # A comment makes each program distinct: none is a copy.
            f.write(json.dumps({"task_id": "Hostile/add", "id": sid,
                                "program": "# %d\n%s" % (i, prog)}) + "\n")
        want["honest"] = "passed"
        f.write(json.dumps({"task_id": "Hostile/add", "id": "honest",
                            "program": HONEST}) + "\n")
    out = os.path.join(tmp, "out.jsonl")
    p = subprocess.run(
        [os.path.join(BIN, "verdictd"), "eval", "--problems",
         os.path.join(HERE, "problems", "humaneval.jsonl"), "--samples",
         samples, "--out", out, "-j", "1", "--timeout", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ok(p.returncode == 0, "verdictd eval -j 1 exited 0",
       "status %d: %s" % (p.returncode, p.stderr[-300:]))

    got = {}
    if os.path.exists(out):
        with open(out) as f:
            for line in f:
                r = json.loads(line)
                got[r["id"]] = r
    wrong = ["%s: %s (%s)" % (k, got.get(k, {}).get("verdict"),
                              got.get(k, {}).get("message", "")[:80])
             for k in want if got.get(k, {}).get("verdict") != want[k]]
    ok(not wrong, "%d failing candidates each got their verdict" % N,
       "%d wrong, e.g. %s" % (len(wrong), wrong[:3]))
    internal = [k for k, r in got.items() if r.get("verdict") == "internal"]
    ok(not internal, "no candidate ended \"internal\"",
       "%d did, e.g. %s" % (len(internal), internal[:3]))
    ok(got.get("honest", {}).get("verdict") == "passed",
       "the honest candidate after them passed",
       str(got.get("honest", {}).get("verdict")))

    m = re.search(r"open descriptors after each job: zygote (\d+)\.\.(\d+), "
                  r"forker (\d+)\.\.(\d+)", p.stdout)
    ok(m is not None and m.group(1) == m.group(2) and
       m.group(3) == m.group(4),
       "the zygote's and the forker's open descriptors never changed",
       m.group(0) if m else "no count in: " + p.stdout[-300:])
    died = [ln for ln in p.stderr.splitlines() if re.search(r"worker \d+: ",
                                                            ln)]
    ok(not died, "no jail helper died or was replaced",
       "; ".join(died[:3]))

    with open(samples, "w") as f:
        f.write(json.dumps({"task_id": "Hostile/add", "program": HONEST})
                + "\n")
        for i in range(3):
            f.write(json.dumps({"task_id": "Hostile/add", "program":
                                "# %d\n%s" % (i, KINDS[0][2])}) + "\n")
    p = subprocess.run(
        [os.path.join(BIN, "verdictd"), "eval", "--problems",
         os.path.join(HERE, "problems", "humaneval.jsonl"), "--samples",
         samples, "--out", out, "-j", "2", "--timeout", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    m = re.search(r'"pass@1": ([0-9.]+)', p.stdout)
    ok(m is not None and float(m.group(1)) == 25.0,
       "1 right and 3 uncompilable programs: pass@1 = 25%",
       m.group(0) if m else p.stdout[-300:])
    print("1..%d" % len(results))
    failed = results.count(False)
    if failed:
        print("# logs kept in %s" % tmp)
    else:
        subprocess.run(["rm", "-rf", tmp])
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
