#!/usr/bin/env python3
# run.py - end-to-end tests of the service: the real verdictd on a free
# port with a fresh state directory, driven over HTTP by the real
# `verdict` client (and by raw HTTP where the test is about bad input).
#
#   config_check     verdictd -n: the shipped config is valid; an unknown
#                    key is an error with FILE:LINE; a database URI is
#                    taken, a bad one refused without quoting its
#                    password; verdictd --help exits 0 describing every
#                    command and option
#   he_canonical     the 164 HumanEval canonical solutions, submitted with
#                    `verdict submit`, end 164 passed
#   idempotent       the same file submitted again stores nothing twice;
#                    so do client ids and (run, task_id, sample) over HTTP
#   dedupe           an identical program in another run reuses the
#                    verdict without running again
#   long_poll        GET /v1/candidates/{id}?wait=S answers when done
#   rewards          POST /v1/candidates?wait=S (one object or an array)
#                    answers 200 with each candidate's verdict, pass bit
#                    and fraction of tests passed, in the posted order
#                    (EvalPlus's "solution", a whole program, taken),
#                    when all are done in time, else 202 with the ids and
#                    the states so far; GET /v1/candidates?ids=...&wait=S
#                    waits for several; unknown ids 404, no ids, more
#                    than 1,000 or a bad wait 400 naming the field
#   openapi          /v1/openapi.json (open to anyone) documents exactly
#                    the routes of api/v1.c; a scenario's every answer
#                    fits the schema documented for its status; every
#                    documented query parameter, given a bad value or
#                    left out when required, is a 400 naming it; any
#                    other method (PUT) is a 405 whose Allow lists
#                    exactly the documented ones
#   client_show      verdict show ID prints a candidate's verdict, each
#                    test and its message; verdict problems --run R the
#                    run's per-problem pass rates (percent); verdict
#                    results --fields message,tests adds why each
#                    failed to its line; an unknown id exits 1
#   python_client    client/python installed with pip into a virtual
#                    environment of Debian's python3 (offline), and the
#                    copied file: submit (164 through a queue_limit of
#                    100: the batch split), wait, rewards in one request,
#                    reward, results, the feed (stream) dropped after 60
#                    and resumed from its cursor (each verdict once),
#                    report, a 404 as VerdictError, the asyncio client
#                    (its stream too), runs filtered by name, model and
#                    state, a run's model set, a run deleted (then 404);
#                    reward(sanitize=True) of a chat answer passes,
#                    marked sanitized, and without it is a syntax error
#   manage_runs      two runs sharing 50 identical programs; the one that
#                    created their jobs deleted (twice at once: 200 and
#                    404) while its jobs are queued and running, with
#                    long polls on its candidates (404 at once): the
#                    other run's candidates are all judged, its counts,
#                    problems and report those of a run that never
#                    shared (another daemon); the deleted run is 404,
#                    gone from /v1/runs, its candidates 404; its name
#                    takes candidates again; verdict set-model shows in
#                    the run, the list and the report's costs; verdict
#                    status filters; verdict delete without --yes
#                    changes nothing; hostile PATCH and DELETE requests
#                    (no token, huge, non-UTF-8, NUL, unknown or
#                    mistyped fields, PUT: 405 with Allow) each a clear
#                    4xx
#   feed             GET /v1/runs/R/feed?follow=1, followed while 200
#                    candidates are posted and judged: every verdict
#                    once, in cursor order, through a connection dropped
#                    and resumed with the cursor, then a keep-alive;
#                    from a cursor without follow, the rest and the end;
#                    followed through a kill -9 and a restart, resumed
#                    from the cursor, by HTTP, by `verdict feed
#                    --follow` and by the Python client's stream(): each
#                    once; `verdict feed` without
#                    --follow and with --after; bad cursors (negative,
#                    2^63, signs, spaces, not numbers), follow and
#                    timeout values are 400s naming them, 2^63 - 1 gives
#                    nothing; unknown runs 404; of 600 followers at once
#                    512 are served (half of max_connections) and 88 get
#                    503, and a verdict reaches the 512 while the daemon
#                    answers others; a follower that never reads ends
#                    (closed after connection_timeout, or at its
#                    timeout) while the others are served; a run deleted
#                    while followed ends its stream whole; SIGTERM ends
#                    a follower's stream whole and the daemon exits 0
#   kill9            kill -9 mid-run, restart: every accepted candidate
#                    ends done exactly once; re-submitting adds nothing
#   sigterm          SIGTERM drains and exits 0; the rest runs after a
#                    restart
#   backpressure     a full queue answers 429 with Retry-After; the client
#                    waits and retries
#   batch_over_limit a batch over queue_limit (60 > 50) is a 413
#                    batch_over_queue_limit naming the limit, without
#                    Retry-After, and nothing of it is stored; the client
#                    posts its batch of 1,000 again in pieces of 50 (and
#                    says so): all 164 stored and judged
#   port_in_use      a second daemon on a port already taken exits 1,
#                    its log naming the address and "Address already in
#                    use" as an error (not "port 0", not a warning)
#   auth             no or a wrong token: 401 (the client says to set
#                    one, or that the one given was refused); the right
#                    one: 200; /v1/health is open (and says the database is
#                    sqlite and reachable, and the node, by default
#                    the host name); SIGHUP reloads the tokens
#   fair_share       a run of ten posted after a big run is not starved
#   bad_input        oversized bodies and programs, deep or malformed
#                    JSON, invalid UTF-8, wrong types, wrong methods (405
#                    with Allow), a language other than Python (never
#                    judged as Python), unknown task ids, runs and
#                    candidates, slow clients and thousands of
#                    connections: each a clear 4xx, the daemon serves on
#   import           POST /v1/problems adds problems that survive a
#                    restart; the same file again changes nothing (200)
#   datasets         an EvalPlus inputs-only file beside the bundled
#                    HumanEval: ids "humaneval+:HumanEval/N", the same
#                    file again (gzipped too, after a restart) a no-op,
#                    another file under its name a 409, under a new
#                    name its own dataset; candidates pick a dataset
#                    (an unknown one is a 400 naming the field); the
#                    base and plus scores of one set of samples side by
#                    side (?tests=both, base), exact, paired in
#                    base_plus with the drop (json, md, html); a
#                    candidate that exits during a base test passes
#                    nothing; verdict submit --dataset, import
#                    --dataset (then "loaded already"), problems
#                    --dataset; the Python client's
#                    import_problems, dataset= and tests="both"
#   metrics          /metrics is Prometheus text with the named series
#                    (responses by exact status code, request durations,
#                    the build, the process's memory, descriptors and
#                    start), each with the label node="<node_id>"
#                    (escaped), and /v1/health names the node
#   report_matches_eval  the report of served candidates equals what
#                    verdictd eval prints for the same samples, and says
#                    "partial" while they are being judged
#   report_requests  every report format; bad report requests (unknown
#                    run, k over n, unknown metric, format or base) are
#                    clear errors; models without a cost are named with
#                    the models.conf line to add; cost={...} (bounded,
#                    each bad one a 400 naming cost) and a SIGHUP change
#                    the costs; the report's meta (benchmarks, problems,
#                    date, version) in the JSON and as the html subtitle,
#                    ci95_at_k, and axis=absolute (the TFLOPs axis, also
#                    from verdict report --axis; a bad axis a 400 naming
#                    it); the comparisons' bootstrap (a test of every
#                    other run at every point, the same seed the same
#                    tests, resamples and seed out of range a 400)
#   report_export    verdict report --format pdf|png: one plot
#                    (--metric) and the page (every plot, rank too, two
#                    to a row) are real files: a one-page PDF of the
#                    expected size (pdfinfo) whose page, rendered by
#                    pdftoppm, has ink and both runs' colours; a PNG of
#                    the expected pixels (twice the SVG's, or --scale)
#                    with the same; to a pipe without --out; refused
#                    to a terminal, with --scale on a PDF, and for a bad
#                    --out (named, no file left), metric or SVG (no file)
#   privsep          the daemon runs as the user verdict (uids, gids, no
#                    groups), its jail broker as root; the state directory
#                    and database are verdict's, also after a start on
#                    state left owned by root (as older versions did)
#   two_daemons      two daemons started at once log different uid ranges,
#                    and their jail processes, sampled while both judge,
#                    never share a host uid and stay in their ranges
#   broker_lost      the jail broker killed mid-run: the daemon logs it,
#                    judges nothing more and exits 1; after a restart
#                    every accepted candidate ends done once, none
#                    "internal"
#   non_root         verdictd serve and eval started as a user other than
#                    root fail at once: they must start as root
#   install          make install DESTDIR=...: binaries, a config never
#                    overwritten, the units of serve and worker nodes
#                    (which runs verdictd worker), each accepted by
#                    systemd-analyze verify, and no user made (DESTDIR);
#                    then the user-creation script make install runs without
#                    DESTDIR: the user verdict exists, as a system user
#   postgresql       a daemon on a PostgreSQL database (a throwaway
#                    server, tests/tools/pg.py; the URI with a password):
#                    submit, long-poll, counts, a report, the health;
#                    after a restart the counts are the same and the
#                    batch posted again stores nothing; a run deleted
#                    keeps the jobs another run shares (still judged for
#                    it), one with queued jobs deletes them; no SQLite file,
#                    and the password in neither the log, the health nor
#                    /metrics
#   postgresql_restart  PostgreSQL crashed (immediate) for 10 s in the
#                    middle of a run of 328 candidates, later shut down
#                    (fast) for 4 s: the daemon stays up and idle (little
#                    CPU), answers posts with 503, Retry-After and a JSON
#                    error, and its health says unreachable; after each
#                    start it carries on by itself, and the run ends with
#                    every candidate posted (a 202) done exactly once:
#                    164 passed, 164 failed, one of each per problem
#   cluster          three nodes on one PostgreSQL (a serve node and two
#                    `verdictd worker`s, workers = 1, lease = 5s) judge
#                    the 16,400 CodeGen-16B samples; one worker killed
#                    with kill -9 at about 30 %: its jail processes die,
#                    the jobs it held are back in the queue after its
#                    lease and judged by the survivors (whose log says
#                    so); every candidate done exactly once (16,400
#                    unique result lines, counts add up, none
#                    "internal"), the report's pass@10 and pass@100 are
#                    the CodeT paper's 50.3 and 73.7 (to the tenth, cut
#                    like the paper's), and all three nodes judged some
#                    (jobs.lease_node).  E2E_CLUSTER_SAMPLES=N (make
#                    check: 10) takes N samples per problem, without the
#                    paper's comparison
#   cluster_any_node two serve nodes A and B and a worker: a verdict
#                    judged elsewhere wakes a long poll on B within 2 s;
#                    B's run info, per-problem counts and report equal
#                    A's; B's feed, followed while A's candidates are
#                    judged by all three, gives each verdict once, in
#                    A's order; one batch with client ids posted to A
#                    and B at once is stored once (the duplicates of the two
#                    answers add up to the batch); a problem file
#                    imported on A is judged by the other nodes too,
#                    with the right verdicts; a run of ten posted to B
#                    after a big run posted to A is not starved; and
#                    `verdictd worker` without a database line refuses
#                    to start, naming it
#   cluster_matches_sqlite  328 candidates (canonical and wrong) judged
#                    by a serve node and a worker on PostgreSQL and by a
#                    SQLite daemon: the same /v1/runs/R/problems and the
#                    same report JSON
#   sanitize         chat answers (prose, a fence, an example, a __main__
#                    block) to real HumanEval problems, and MBPP's in CRLF
#                    answers, pass with
#                    "sanitize": true and are syntax errors without; the
#                    text as posted is kept and shown (GET, results with
#                    ?fields=original), "sanitized" in rewards and results
#                    lines; ?sanitize=1 and a candidate's own false; bad
#                    values 400 naming the field; attacks (a fake check,
#                    the right answer after the fence, a fence in a
#                    docstring, an unclosed string, top-level exits, the
#                    entry rebound after its definition) get their
#                    verdicts; verdict submit --sanitize and
#                    verdictd eval --sanitize
#
# Usage: run.py [--only NAME,...]; $O is the build folder.  Needs root
# (the jail), and the user verdict (tools/deps.sh makes it).
# Prints TAP.  Every daemon's log is checked for sanitizer reports (make
# check builds with ASan and UBSan).

import gzip
import http.client
import json
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "tools"))
import daemon                                           # noqa: E402
import pg                                               # noqa: E402
import tap                                              # noqa: E402
from tap import diag                                    # noqa: E402

ROOT = daemon.ROOT
BUILD = daemon.BUILD
VERDICTD = daemon.VERDICTD
VERDICT = os.path.join(BUILD, "verdict")
HUMANEVAL = os.path.join(ROOT, "data", "humaneval", "HumanEval.jsonl.gz")
SAMPLES = os.path.join(ROOT, "data", "samples",
                       "humaneval_codegen16B_codet_n100.samples.jsonl.gz")
TOKEN = "e2e-secret-token-0123456789"


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return path


def proc_status(pid):
    """/proc/PID/status as a dict of stripped strings."""
    with open("/proc/%d/status" % pid) as f:
        return {k: v.strip() for k, v in (
            line.split(":", 1) for line in f if ":" in line)}


def proc_ids(pid):
    """([real, effective, saved, fs uid], [... gid], [groups])."""
    st = proc_status(pid)
    return ([int(x) for x in st["Uid"].split()],
            [int(x) for x in st["Gid"].split()], st["Groups"].split())


def proc_table():
    """pid -> (ppid, real uid, name) of every live process."""
    t = {}
    for e in os.listdir("/proc"):
        if not e.isdigit():
            continue
        try:
            st = proc_status(int(e))
        except OSError:
            continue                    # gone meanwhile
        if st["State"][0] not in "ZX":
            t[int(e)] = (int(st["PPid"]), int(st["Uid"].split()[0]),
                         st["Name"])
    return t


def descendants(t, pid):
    """The pids under pid in the table t."""
    kids = {}
    for p, (pp, _, _) in t.items():
        kids.setdefault(pp, []).append(p)
    out, todo = [], [pid]
    while todo:
        for c in kids.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def jail_range(d):
    """The host uids the daemon's broker took, from its log, or None."""
    m = re.search(r"jail uids (\d+)-(\d+)", d.text())
    return (int(m.group(1)), int(m.group(2))) if m else None


def canonical_rows():
    return [{"task_id": p["task_id"], "completion": p["canonical_solution"]}
            for p in load(HUMANEVAL)]


class Daemon(daemon.Daemon):
    """tools/daemon.py's daemon, with the verdict client."""

    DEFAULTS = {"workers": 2, "connection_timeout": "5s"}

    def client(self, *args, token=None, timeout=600, stdin=None):
        env = dict(os.environ, VERDICT_URL=self.url)
        env.pop("VERDICT_TOKEN", None)
        if token:
            env["VERDICT_TOKEN"] = token
        return subprocess.run([VERDICT] + list(args), env=env,
                              capture_output=True, text=True,
                              timeout=timeout, input=stdin)

    def wait_run(self, run, timeout=600, token=None):
        r = self.client("wait", run, "--timeout", str(timeout),
                        token=token, timeout=timeout + 30)
        if r.returncode != 0:
            diag("verdict wait %s: %d %s" % (run, r.returncode, r.stderr))
        return self.run_info(run, token)


def results(d, run):
    """`verdict results RUN` on d: its exit status and the lines read."""
    res = d.client("results", run)
    return res.returncode, [json.loads(x) for x in res.stdout.splitlines()
                            if x.strip()]


def finish(s, name, d, ok, detail, status=0):
    """Stop d (SIGTERM) and report: ok, a clean exit, no sanitizer
    report."""
    if d.proc is not None and d.proc.poll() is None:
        status_now = d.stop()
    else:
        status_now = d.proc.returncode if d.proc else 0
    clean = d.sanitizer_clean()
    if not clean or status_now != status:
        diag(d.text()[-3000:])
    s.result(name, ok and clean and status_now == status,
             detail + ("" if status_now == status else
                       "; exit %s" % status_now) +
             ("" if clean else "; sanitizer report"))


# --- Tests ---

def config_check(s, tmp):
    r = subprocess.run([VERDICTD, "-n", "-f",
                        os.path.join(ROOT, "conf", "verdictd.conf")],
                       capture_output=True, text=True)
    ok = r.returncode == 0 and "ok" in r.stdout
    bad = os.path.join(tmp, "bad.conf")
    with open(bad, "w") as f:
        f.write("# a comment\nworkers = 2\nwrokers = 3\n")
    r2 = subprocess.run([VERDICTD, "-n", "-f", bad], capture_output=True,
                        text=True)
    ok2 = r2.returncode == 1 and (bad + ":3:") in r2.stderr
    # The database key: checked, never echoed (the password).
    pgconf = os.path.join(tmp, "pg.conf")
    with open(pgconf, "w") as f:
        f.write("database = postgresql://verdict:e2e-SECRET@/verdict"
                "?host=/run/none\n")
    r3 = subprocess.run([VERDICTD, "-n", "-f", pgconf], capture_output=True,
                        text=True)
    with open(pgconf, "w") as f:
        f.write("\ndatabase = mysql://verdict:e2e-SECRET@db/verdict\n")
    r4 = subprocess.run([VERDICTD, "-n", "-f", pgconf], capture_output=True,
                        text=True)
    ok3 = (r3.returncode == 0 and r4.returncode == 1 and
           (pgconf + ":2: database: not a postgresql:// URI") in r4.stderr
           and "e2e-SECRET" not in r3.stdout + r3.stderr + r4.stdout +
           r4.stderr)
    # --help: exit 0, on stdout, every command and option described.
    h = subprocess.run([VERDICTD, "--help"], capture_output=True, text=True)
    ok4 = h.returncode == 0 and all(
        x in h.stdout for x in ("worker", "eval", "--config FILE",
                                "--listen ADDR:PORT", "--state-dir DIR",
                                "--version"))
    if not (ok and ok2 and ok3 and ok4):
        diag(r.stdout + r.stderr + r2.stdout + r2.stderr + r3.stdout +
             r3.stderr + r4.stdout + r4.stderr + h.stdout + h.stderr)
    s.result("config_check", ok and ok2 and ok3 and ok4,
             r2.stderr.strip()[:100])


def he_canonical(s, tmp):
    d = Daemon(tmp, "he").start()
    f = write_jsonl(os.path.join(tmp, "canonical.jsonl"), canonical_rows())
    r = d.client("submit", "--run", "canon", f)
    info = d.wait_run("canon")
    _, lines = results(d, "canon")
    ok = (r.returncode == 0 and info is not None and
          info["candidates"] == 164 and info["done"] == 164 and
          info["verdicts"]["passed"] == 164 and len(lines) == 164 and
          all(x["verdict"] == "passed" for x in lines))
    if not ok:
        diag(r.stderr + json.dumps(info))
    finish(s, "he_canonical", d, ok, "%s passed" %
           (info or {}).get("verdicts", {}).get("passed"))


def idempotent(s, tmp):
    d = Daemon(tmp, "idem").start()
    f = write_jsonl(os.path.join(tmp, "idem.jsonl"), canonical_rows()[:20])
    r1 = d.client("submit", "--run", "idem", f)
    r2 = d.client("submit", "--run", "idem", f)
    info = d.wait_run("idem")
    rows = [{"id": "gen-%d" % i, "run": "ids", "task_id": "HumanEval/%d" % i,
             "completion": "    pass\n"} for i in range(5)]
    a = d.request("POST", "/v1/candidates", rows)
    b = d.request("POST", "/v1/candidates", rows)
    trip = [{"run": "trip", "task_id": "HumanEval/1", "sample": 7,
             "completion": "    return []\n"}]
    t1 = d.request("POST", "/v1/candidates", trip)
    t2 = d.request("POST", "/v1/candidates", trip)
    conflict = d.request("POST", "/v1/candidates", [dict(rows[0],
                                                         run="other")])
    ids = d.run_info("ids")
    ok = (r1.returncode == 0 and r2.returncode == 0 and
          info["candidates"] == 20 and "20 already stored" in r2.stderr and
          a[0] == 202 and b[0] == 202 and b[2]["duplicates"] == 5 and
          a[2]["ids"] == b[2]["ids"] == ["gen-%d" % i for i in range(5)] and
          ids["candidates"] == 5 and t1[2]["ids"] == t2[2]["ids"] and
          t2[2]["duplicates"] == 1 and conflict[0] == 409)
    if not ok:
        diag("%s\n%s\n%s %s %s %s" % (r1.stderr, r2.stderr, a, b, ids,
                                      conflict))
    finish(s, "idempotent", d, ok, "resubmitted file: %s" %
           r2.stderr.strip().splitlines()[-1:])


def dedupe(s, tmp):
    d = Daemon(tmp, "dedupe").start()
    rows = [{"run": "first", "task_id": "HumanEval/0",
             "completion": canonical_rows()[0]["completion"], "sample": i}
            for i in range(3)]
    d.request("POST", "/v1/candidates", rows)
    first = d.wait_run("first")
    for r in rows:
        r["run"] = "second"
    st, _, body = d.request("POST", "/v1/candidates", rows)
    second = d.run_info("second")
    _, _, metrics = d.request("GET", "/metrics")
    m = re.search(r'verdictd_verdicts_total\{verdict="passed",node="[^"]*"'
                  r'\} (\d+)',
                  metrics.decode() if isinstance(metrics, bytes) else
                  str(metrics))
    ok = (first["verdicts"]["passed"] == 3 and st == 202 and
          second["done"] == 3 and second["verdicts"]["passed"] == 3 and
          m is not None and int(m.group(1)) == 1)
    if not ok:
        diag("%s %s %s" % (first, second, m and m.group(0)))
    finish(s, "dedupe", d, ok, "6 candidates, %s run" %
           (m.group(1) if m else "?"))


def long_poll(s, tmp):
    d = Daemon(tmp, "poll").start()
    st, _, body = d.request("POST", "/v1/candidates", [
        {"run": "poll", "task_id": "HumanEval/2",
         "completion": canonical_rows()[2]["completion"]}])
    t0 = time.time()
    st2, _, cand = d.request("GET", "/v1/candidates/%s?wait=60" %
                             body["ids"][0])
    secs = time.time() - t0
    st3, _, quick = d.request("GET", "/v1/candidates/%s?wait=bad" %
                              body["ids"][0])
    ok = (st2 == 200 and cand["state"] == "done" and
          cand["verdict"] == "passed" and secs < 30 and st3 == 400 and
          all(k in cand for k in ("id", "run", "task_id", "tests", "cpu_ms",
                                  "wall_ms", "max_rss_kb", "stderr")))
    if not ok:
        diag("%s %s" % (cand, quick))
    finish(s, "long_poll", d, ok, "done after %.2f s" % secs)


def rewards(s, tmp):
    """The RL reward path: POST ?wait= answers with the verdicts inline,
    GET /v1/candidates?ids=...&wait= waits for several (issue 11)."""
    d = Daemon(tmp, "rew").start()
    rows = canonical_rows()
    checks = []
    # One object, not an array: one request, one reward.
    t0 = time.time()
    st, _, one = d.request("POST", "/v1/candidates?wait=30", dict(
        rows[0], run="rew"))
    secs = time.time() - t0
    res = one.get("results", [{}]) if isinstance(one, dict) else [{}]
    checks.append(("one object, inline", st == 200 and one.get("done") is
                   True and one.get("accepted") == 1 and res[0].get("id")
                   == one["ids"][0] and res[0].get("verdict") == "passed"
                   and res[0].get("passed") is True and
                   res[0].get("tests_passed") == 1.0 and
                   res[0].get("tests", 0) >= 1, st, one))
    # A batch: half right, half wrong by one test, in the posted order.
    batch = []
    for i, r in enumerate(rows[10:20]):
        batch.append(dict(r, run="rew") if i % 2 == 0 else {
            "run": "rew", "task_id": r["task_id"],
            "completion": "    return None\n"})
    st, _, many = d.request("POST", "/v1/candidates?wait=60", batch)
    res = many.get("results", []) if isinstance(many, dict) else []
    checks.append(("batch inline, in order", st == 200 and
                   len(res) == 10 and [x["id"] for x in res] ==
                   many["ids"] and [x["passed"] for x in res] ==
                   [i % 2 == 0 for i in range(10)] and all(
                       (x["tests_passed"] == 1.0) == x["passed"] and
                       0 <= x["tests_passed"] <= 1 for x in res),
                   st, str(many)[:600]))
    # EvalPlus's "solution" field: a whole program.
    prob = load(HUMANEVAL)[40]
    st, _, sol = d.request("POST", "/v1/candidates?wait=30", {
        "run": "rew", "task_id": prob["task_id"], "solution":
        prob["prompt"] + prob["canonical_solution"]})
    checks.append(("an EvalPlus solution", st == 200 and
                   sol["results"][0]["passed"] is True, st, sol))
    # Not done within the wait: 202, the ids, the states so far.
    slow = [{"run": "rew-slow", "task_id": r["task_id"], "completion":
             "    import time; time.sleep(2)\n"} for r in rows[30:32]]
    st, _, late = d.request("POST", "/v1/candidates?wait=0.2", slow)
    checks.append(("202 when not done in time", st == 202 and
                   late.get("done") is False and len(late.get("ids", []))
                   == 2 and all(x["verdict"] is None for x in
                                late.get("results", [])), st, late))
    ids = ",".join(late.get("ids", []) + many.get("ids", [])[:2])
    st, _, got = d.request("GET", "/v1/candidates?ids=%s&wait=30" % ids)
    checks.append(("GET ids wait: all done", st == 200 and
                   got.get("done") is True and
                   len(got.get("candidates", [])) == 4 and all(
                       x["state"] == "done" for x in got["candidates"]),
                   st, got))
    st1, _, b1 = d.request("GET", "/v1/candidates?ids=nope-1&wait=1")
    st2, _, b2 = d.request("GET", "/v1/candidates")
    st3, _, b3 = d.request("POST", "/v1/candidates?wait=x", slow)
    # At most 1,000 ids: 1,001 (the same id, even) is a 400, not a
    # thousand-candidate wait.
    st4, _, b4 = d.request("GET", "/v1/candidates?ids=%s&wait=1" % ",".join(
        [late["ids"][0]] * 1001) if late.get("ids") else "/v1/x")
    checks.append(("bad requests", st1 == 404 and st2 == 400 and
                   b2["error"].get("field") == "ids" and st3 == 400 and
                   b3["error"].get("field") == "wait" and st4 == 400 and
                   b4["error"].get("field") == "ids" and
                   d.run_info("rew-slow")["candidates"] == 2, "",
                   (st1, st2, st3, st4, b4)))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
    finish(s, "rewards", d, not bad, "%d checks; one reward in %.2f s" %
           (len(checks), secs))


def client_show(s, tmp):
    """verdict show ID and verdict problems --run R: why a candidate
    failed, and a run's pass rates, without reading JSON (issue 11)."""
    d = Daemon(tmp, "show").start()
    rows = canonical_rows()
    st, _, body = d.request("POST", "/v1/candidates?wait=30", [
        dict(rows[0], run="sh"), {"run": "sh", "task_id":
                                  rows[1]["task_id"], "completion":
                                  "    return None\n"}])
    good, bad = body["ids"] if st == 200 else ("v-1", "v-2")
    r1 = d.client("show", bad, "--wait", "10")
    r2 = d.client("show", good, "--json")
    r3 = d.client("problems", "--run", "sh")
    r4 = d.client("show", "nope-1")
    r5 = d.client("results", "sh", "--fields", "message,tests")
    why = [json.loads(x) for x in r5.stdout.splitlines() if x.strip()]
    lines = r3.stdout.splitlines()
    ok = (st == 200 and r1.returncode == 0 and
          re.search(r"^verdict +failed$", r1.stdout, re.M) and
          re.search(r"^tests +0 of 1 passed$", r1.stdout, re.M) and
          re.search(r"^  check +failed", r1.stdout, re.M) and
          r2.returncode == 0 and json.loads(r2.stdout)["passed"] is True
          and r3.returncode == 0 and "PASS %" in lines[0] and
          any(x.startswith(rows[0]["task_id"]) and "100.0" in x
              for x in lines) and
          any(x.startswith(rows[1]["task_id"]) and " 0.0" in x
              for x in lines) and r4.returncode == 1 and
          r5.returncode == 0 and len(why) == 2 and all(
              "message" in x and isinstance(x.get("tests"), list) and
              "stderr" not in x for x in why) and any(
              x["tests"] and x["tests"][0]["status"] == "failed"
              for x in why))
    if not ok:
        diag("%s\n%s\n%s\n%s" % (r1.stdout + r1.stderr, r2.stdout,
                                  r3.stdout + r3.stderr, r4.stderr))
    finish(s, "client_show", d, ok, "show and problems --run")


def schema_errors(spec, schema, v, where="$"):
    """What of v does not fit the JSON Schema "schema" (the subset the
    API's description uses: $ref, type, enum, required, properties,
    additionalProperties false, items, oneOf, minimum, maximum)."""
    while "$ref" in schema:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    if "oneOf" in schema:
        if all(schema_errors(spec, s, v, where) for s in schema["oneOf"]):
            return ["%s: fits none of oneOf" % where]
        return []
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    is_a = {"object": isinstance(v, dict), "array": isinstance(v, list),
            "string": isinstance(v, str), "boolean": isinstance(v, bool),
            "null": v is None,
            "integer": isinstance(v, int) and not isinstance(v, bool),
            "number": isinstance(v, (int, float)) and
            not isinstance(v, bool)}
    if kinds and not any(is_a[k] for k in kinds):
        return ["%s: %r is not %s" % (where, v, "/".join(kinds))]
    errs = []
    if "enum" in schema and v not in schema["enum"]:
        errs.append("%s: %r not in %s" % (where, v, schema["enum"]))
    if is_a["number"]:
        if "minimum" in schema and v < schema["minimum"]:
            errs.append("%s: %r < %s" % (where, v, schema["minimum"]))
        if "maximum" in schema and v > schema["maximum"]:
            errs.append("%s: %r > %s" % (where, v, schema["maximum"]))
    if isinstance(v, dict):
        props = schema.get("properties", {})
        errs += ["%s: no %s" % (where, k) for k in schema.get("required", [])
                 if k not in v]
        if schema.get("additionalProperties") is False:
            errs += ["%s: %s is not documented" % (where, k) for k in v
                     if k not in props]
        for k, sub in props.items():
            if k in v:
                errs += schema_errors(spec, sub, v[k], where + "." + k)
    if isinstance(v, list) and "items" in schema:
        for i, x in enumerate(v):
            errs += schema_errors(spec, schema["items"], x,
                                  "%s[%d]" % (where, i))
    return errs


def openapi(s, tmp):
    """/v1/openapi.json describes every route, parameter and answer of
    the running daemon, and nothing else (issue 11)."""
    d = Daemon(tmp, "oa", {"token": TOKEN}).start()
    auth_h = {"Authorization": "Bearer " + TOKEN}
    st, hdr, spec = d.request("GET", "/v1/openapi.json")
    checks = [("served, open to anyone", st == 200 and
               hdr.get("Content-Type", "").startswith("application/json")
               and isinstance(spec, dict), st, "")]
    if not isinstance(spec, dict):
        spec = {"paths": {}}
    health = d.request("GET", "/v1/health")[2]
    checks.append(("version", spec.get("info", {}).get("version") ==
                   health.get("version"), "", spec.get("info")))
    # The routes of api/v1.c are the documented ones, no more, no less.
    with open(os.path.join(ROOT, "api", "v1.c")) as f:
        routes = set(re.findall(r'\{ "([A-Z]+)", "([^"]+)", v1_', f.read()))
    routes = {(m, re.sub(r"\{\+?\}", "{}", p)) for m, p in routes}
    documented = {(m.upper(), re.sub(r"\{[a-z_]+\}", "{}", p))
                  for p, ops in spec["paths"].items() for m in ops}
    checks.append(("every route documented, nothing more",
                   routes == documented, "", (routes ^ documented)))
    # A scenario, every answer checked against its documented schema.
    rows = canonical_rows()

    def call(method, path, body=None, op=None, want=None, headers=None):
        hd = dict(auth_h, **(headers or {}))
        st, hdr, ans = d.request(method, path, body, headers=hd)
        tmpl = op or path.split("?")[0]
        resp = spec["paths"].get(tmpl, {}).get(method.lower(), {}).get(
            "responses", {}).get(str(st))
        errs = ["%s %s: %d undocumented" % (method, path, st)] \
            if resp is None else []
        if want is not None and st != want:
            errs.append("%s %s: %d, not %d" % (method, path, st, want))
        while resp is not None and "$ref" in resp:
            resp = spec["components"]["responses"][
                resp["$ref"].rsplit("/", 1)[1]]
        schema = (resp or {}).get("content", {}).get(
            "application/json", {}).get("schema")
        if schema is not None and isinstance(ans, (dict, list)):
            errs += schema_errors(spec, schema, ans)
        elif schema is not None:
            errs.append("%s %s: not JSON" % (method, path))
        checks.append(("%s %s" % (method, path), not errs, st, errs[:5]))
        return ans

    a = call("POST", "/v1/candidates", [dict(rows[0], run="oa"), {
        "run": "oa", "task_id": rows[1]["task_id"],
        "completion": "    return None\n"}], want=202)
    ids = a.get("ids", ["x", "y"]) if isinstance(a, dict) else ["x", "y"]
    call("POST", "/v1/candidates?wait=30", dict(rows[2], run="oa"),
         want=200)
    # A sanitized one (issue 11 item 8): its answers' added fields.
    p3 = load(HUMANEVAL)[3]
    a = call("POST", "/v1/candidates?wait=30&sanitize=1", {
        "run": "oa", "task_id": p3["task_id"], "program": chat_answer(p3)},
        want=200)
    san_id = a.get("ids", ["x"])[0] if isinstance(a, dict) else "x"
    call("GET", "/v1/candidates/%s" % san_id, op="/v1/candidates/{id}",
         want=200)
    call("GET", "/v1/candidates?ids=%s&wait=30" % ",".join(ids), want=200)
    call("GET", "/v1/candidates/%s?wait=30" % ids[1],
         op="/v1/candidates/{id}", want=200)
    call("GET", "/v1/candidates/nope-1", op="/v1/candidates/{id}",
         want=404)
    call("GET", "/v1/runs", want=200)
    call("GET", "/v1/runs/oa", op="/v1/runs/{run}", want=200)
    call("GET", "/v1/runs/nope", op="/v1/runs/{run}", want=404)
    call("GET", "/v1/runs/oa/problems", op="/v1/runs/{run}/problems",
         want=200)
    call("GET", "/v1/problems?benchmark=humaneval", want=200)
    call("GET", "/v1/problems/HumanEval/0", op="/v1/problems/{task_id}",
         want=200)
    he = load(HUMANEVAL)[0]
    call("POST", "/v1/problems?format=humaneval&dataset=openapi",
         json.dumps(dict(he, task_id="OpenAPI/0")) + "\n", want=201)
    call("GET", "/v1/reports?runs=oa", want=200)
    call("GET", "/v1/health", want=200)
    run_op = "/v1/runs/{run}"
    call("PATCH", "/v1/runs/oa", {"model": "oa-model"}, op=run_op, want=200)
    call("PATCH", "/v1/runs/oa", {"colour": "red"}, op=run_op, want=400)
    call("PATCH", "/v1/runs/nope", {"model": "m"}, op=run_op, want=404)
    call("GET", "/v1/runs?name=o*&model=oa-model&state=done", want=200)
    call("POST", "/v1/candidates", dict(rows[3], run="oa-gone"), want=202)
    call("DELETE", "/v1/runs/oa-gone", op=run_op, want=200)
    call("DELETE", "/v1/runs/oa-gone", op=run_op, want=404)
    st, hdr, text = d.request("GET", "/metrics", headers=auth_h)
    checks.append(("GET /metrics", st == 200, st, ""))

    def ndjson(path, tmpl, key):
        """The lines of the stream at path: 4, each fitting the schema
        documented for tmpl, each with "key"."""
        st, _, res = d.request("GET", path, headers=auth_h)
        line_schema = spec["paths"][tmpl]["get"]["responses"]["200"][
            "content"]["application/x-ndjson"]["schema"]
        lines = [json.loads(x) for x in res.decode().splitlines()] \
            if isinstance(res, bytes) else [res]
        errs = [e for x in lines for e in schema_errors(spec, line_schema,
                                                        x)]
        checks.append(("%s lines" % path, st == 200 and len(lines) == 4
                       and all(key in x for x in lines) and not errs, st,
                       errs[:5]))

    ndjson("/v1/runs/oa/results", "/v1/runs/{run}/results", "id")
    ndjson("/v1/runs/oa/results?fields=message,tests,stderr,original",
           "/v1/runs/{run}/results", "id")
    ndjson("/v1/runs/oa/feed", "/v1/runs/{run}/feed", "cursor")
    call("GET", "/v1/runs/nope/feed", op="/v1/runs/{run}/feed", want=404)
    # Every documented parameter: a bad value is a 400 naming it, and
    # a required one left out too.
    good = {"runs": "oa", "ids": ids[0], "format": "humaneval"}
    for p, ops in spec["paths"].items():
        concrete = p.replace("{id}", ids[0]).replace(
            "{run}", "oa").replace("{task_id}", "HumanEval/0")
        for m, op in ops.items():
            for prm in op.get("parameters", []):
                if prm["in"] != "query":
                    continue
                for bad in (["x-invalid"] if "x-invalid" in prm else []) + \
                        (["omit"] if prm.get("required") else []):
                    q = {x["name"]: good[x["name"]] for x in
                         op.get("parameters", []) if x.get("required")
                         and x["name"] in good}
                    if bad == "omit":
                        q.pop(prm["name"], None)
                    else:
                        q[prm["name"]] = prm["x-invalid"]
                    url = concrete + ("?" + urllib.parse.urlencode(q)
                                      if q else "")
                    st, _, ans = d.request(m.upper(), url, "{}" if m ==
                                           "post" else None,
                                           headers=auth_h)
                    field = ans.get("error", {}).get("field") \
                        if isinstance(ans, dict) else None
                    checks.append(("%s %s: bad %s (%s)" % (
                        m.upper(), p, prm["name"], bad), st == 400 and
                        field == prm["name"], st, ans))
        # Any other method: 405 naming exactly the documented ones.
        st, hdr, _ = d.request("PUT", concrete, headers=auth_h)
        allow = set(x.strip() for x in hdr.get("Allow", "").split(","))
        checks.append(("PUT %s: 405 Allow" % p, st == 405 and allow ==
                       {m.upper() for m in ops}, st, hdr.get("Allow")))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
    finish(s, "openapi", d, not bad, "%d checks over %d paths" % (
        len(checks), len(spec["paths"])))


# What the Python client's test runs, with the daemon's URL and the
# HumanEval file; prints one JSON object of what it saw.
PY_CLIENT_SCRIPT = r"""
import asyncio, gzip, json, sys
from verdict_client import AsyncClient, Client, VerdictError
url, he, tag = sys.argv[1], sys.argv[2], sys.argv[3]
probs = [json.loads(x) for x in gzip.open(he, "rt")]
rows = [{"task_id": p["task_id"], "completion": p["canonical_solution"]}
        for p in probs]
c = Client(url)
out = {}
ids = c.submit(rows, run="py" + tag)
out["ids"] = len(ids)
out["batch"] = c.batch
got = c.wait(ids, timeout=300)
out["passed"] = sum(x["passed"] for x in got)
wrong = [{"task_id": p["task_id"], "completion": "    return None\n"}
         for p in probs[:20]]
rw = c.rewards(wrong, run="py-rl" + tag)
out["rewards"] = [x["passed"] for x in rw]
out["fractions"] = [x["tests_passed"] for x in rw]
out["one"] = c.reward(rows[0], run="py-one" + tag)["passed"]
chat = {"task_id": probs[0]["task_id"], "solution": "Here:\n```python\n" +
        probs[0]["prompt"] + probs[0]["canonical_solution"] + "```\n"}
r = c.reward(chat, run="py-san" + tag, sanitize=True)
out["sanitized"] = [r["passed"], r.get("sanitized")]
out["raw"] = c.reward(chat, run="py-raw" + tag)["verdict"]
out["results"] = sum(1 for _ in c.results("py" + tag))
out["pass1"] = c.report(["py" + tag])["runs"][0]["pass_at_k"]["1"]
try:
    c.run("nope")
except VerdictError as e:
    out["error"] = [e.status, e.code]
out["patched"] = c.update_run("py-one" + tag, model="codellama-7b")["model"]
out["filtered"] = [r["run"] for r in c.runs(name="py-one*",
                                            model="codellama-7b",
                                            state="done")]
out["deleted"] = c.delete_run("py-one" + tag)["candidates"]
try:
    c.delete_run("py-one" + tag)
except VerdictError as e:
    out["gone"] = [e.status, e.code]
# The feed: 60 verdicts, the stream dropped, then taken up again from
# the last cursor: every verdict once.
first = []
for v in c.stream("py" + tag):
    first.append(v)
    if len(first) == 60:
        break
rest = list(c.stream("py" + tag, after=first[-1]["cursor"], follow=False))
seen = [v["id"] for v in first + rest]
out["stream"] = [len(seen), sorted(seen) == sorted(ids)]


async def main():
    a = AsyncClient(url)
    r = await a.rewards(rows[:5], run="py-async" + tag)
    n = 0
    async for v in a.stream("py" + tag, follow=False):
        n += 1
    return [x["passed"] for x in r] + [n]
out["async"] = asyncio.run(main())
print(json.dumps(out))
"""


def python_client(s, tmp):
    """client/python installed with pip into a virtual environment of
    Debian's python3, and the copied file, against the real daemon
    (issue 11)."""
    d = Daemon(tmp, "pyc", {"queue_limit": 100}).start()
    venv = os.path.join(tmp, "venv")
    pkg = os.path.join(ROOT, "client", "python")
    steps = [subprocess.run(["/usr/bin/python3", "-m", "venv",
                             "--system-site-packages", venv],
                            capture_output=True, text=True),
             subprocess.run([os.path.join(venv, "bin", "pip"), "install",
                             "-q", "--no-build-isolation", "--no-index",
                             pkg], capture_output=True, text=True)]
    script = os.path.join(tmp, "pyc.py")
    with open(script, "w") as f:
        f.write(PY_CLIENT_SCRIPT)
    got = []
    # Installed (run from tmp, away from the source), then the one file.
    for tag, py, env in (("-pip", os.path.join(venv, "bin", "python"), {}),
                         ("-file", "/usr/bin/python3", {"PYTHONPATH": pkg})):
        r = subprocess.run([py, script, d.url, HUMANEVAL, tag], cwd=tmp,
                           capture_output=True, text=True, timeout=600,
                           env=dict(os.environ, **env))
        steps.append(r)
        try:
            got.append(json.loads(r.stdout))
        except ValueError:
            got.append({})
    want = {"ids": 164, "batch": 100, "passed": 164,
            "rewards": [False] * 20, "one": True, "results": 164,
            "pass1": 100.0, "error": [404, "unknown_run"],
            "stream": [164, True], "async": [True] * 5 + [164],
            "patched": "codellama-7b",
            "deleted": 1, "gone": [404, "unknown_run"],
            "sanitized": [True, True], "raw": "syntax_error"}
    ok = all(x.returncode == 0 for x in steps) and all(
        {k: g.get(k) for k in want} == want and all(
            0 <= f < 1 for f in g.get("fractions", [1])) and
        g.get("filtered") == ["py-one" + tag]
        for g, tag in zip(got, ("-pip", "-file")))
    if not ok:
        for x in steps:
            diag("%s: %s %s" % (x.args[:3], x.returncode,
                                (x.stdout + x.stderr)[-800:]))
        diag(json.dumps(got)[:1500])
    finish(s, "python_client", d, ok, "installed with pip and copied: "
           "164 submitted through a queue_limit of 100, rewards inline, "
           "results, the feed resumed, report, errors, asyncio, runs "
           "filtered, a model set, a run deleted")


def manage_runs(s, tmp):
    """DELETE and PATCH /v1/runs/{run}, the runs' filters, and the
    clients' commands for them (issue 11 item 11)."""
    auth = {"Authorization": "Bearer " + TOKEN}
    d = Daemon(tmp, "mr", {"token": TOKEN}).start()
    he = canonical_rows()

    def req(method, path, body=None, headers=None, timeout=60):
        return d.request(method, path, body, dict(auth, **(headers or {})),
                         timeout=timeout)

    def post(run, rows):
        st, _, a = req("POST", "/v1/candidates", [dict(r, run=run)
                                                  for r in rows])
        return a.get("ids", []) if st == 202 else []

    # "gone" first: programs that sleep in the jail, then the 50 it
    # shares with "keep" (it creates their jobs), then 20 of its own
    # that wait in the queue.
    sleepy = [{"task_id": "HumanEval/%d" % i, "completion":
               "    import time\n    time.sleep(2)\n    return None\n"}
              for i in range(100, 106)]
    shared = he[:40] + [{"task_id": "HumanEval/%d" % i, "completion":
                         "    return None\n"} for i in range(40, 50)]
    own = [{"task_id": "HumanEval/%d" % i, "completion": "    return 42\n"}
           for i in range(120, 140)]
    gone_ids = post("gone", sleepy) + post("gone", shared) + \
        post("gone", own)
    keep_ids = post("keep", shared)
    # A long poll on one of gone's queued candidates, and one on its
    # candidate of a shared job.
    polls = {}

    def poll(cid):
        t0 = time.time()
        st, _, _ = req("GET", "/v1/candidates/%s?wait=120" % cid,
                       timeout=180)
        polls[cid] = (st, time.time() - t0)
    waiters = [threading.Thread(target=poll, args=(c,))
               for c in (gone_ids[-1], gone_ids[len(sleepy)])]
    for t in waiters:
        t.start()
    before = None
    deadline = time.time() + 60
    while time.time() < deadline:
        before = d.run_info("gone", TOKEN)
        if before and before["running"] > 0:
            break
        time.sleep(0.05)
    # Twice at once: one deletes, the other finds nothing.
    dels = []

    def delete():
        dels.append(req("DELETE", "/v1/runs/gone"))
    ts = [threading.Thread(target=delete) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for t in waiters:
        t.join()
    codes = sorted(x[0] for x in dels)
    answer = [x[2] for x in dels if x[0] == 200]
    answer = answer[0] if answer else {}
    checks = [
        ("gone was queued and running when deleted", before is not None and
         before["running"] > 0 and before["queued"] > 0, "", before),
        ("two DELETEs at once: 200 and 404", codes == [200, 404], "",
         codes),
        ("what went", answer == {"run": "gone", "candidates": 76,
                                 "jobs_deleted": 26, "jobs_kept": 50}, "",
         answer),
        ("long polls on gone's candidates: 404 at once", all(
            st == 404 and secs < 30 for st, secs in polls.values()) and
         len(polls) == 2, "", polls)]
    st1, _, _ = req("GET", "/v1/runs/gone")
    _, _, listed = req("GET", "/v1/runs")
    cands = [req("GET", "/v1/candidates/" + c)[0] for c in
             (gone_ids[0], gone_ids[len(sleepy)], gone_ids[-1])]
    checks.append(("gone is 404, not listed, its candidates 404",
                   st1 == 404 and [r["run"] for r in listed["runs"]] ==
                   ["keep"] and cands == [404] * 3, "", (st1, cands)))
    # keep is judged in full, as a run that never shared.
    keep = d.wait_run("keep", token=TOKEN)
    keep_probs = req("GET", "/v1/runs/keep/problems")[2]
    keep_rep = req("GET", "/v1/reports?runs=keep")[2]
    kv = req("GET", "/v1/candidates?ids=%s" % ",".join(keep_ids))[2]
    ref = Daemon(tmp, "mr-ref").start()
    ref.request("POST", "/v1/candidates", [dict(r, run="keep")
                                            for r in shared])
    ref_run = ref.wait_run("keep")
    ref_probs = ref.request("GET", "/v1/runs/keep/problems")[2]
    ref_rep = ref.request("GET", "/v1/reports?runs=keep")[2]

    def counts(r):
        return {k: (r or {}).get(k) for k in (
            "candidates", "problems", "done", "queued", "running",
            "verdicts", "oracle_errors")}
    checks.append(("keep judged in full, as a run that never shared",
                   counts(keep) == counts(ref_run) and keep["done"] == 50
                   and keep["verdicts"]["passed"] == 40 and
                   keep_probs == ref_probs and keep_rep["runs"][0][
                       "pass_at_k"] == ref_rep["runs"][0]["pass_at_k"] and
                   kv["done"] and len(kv["candidates"]) == 50, "",
                   (counts(keep), counts(ref_run))))
    # The name is free: the same candidates start a new run, judged.
    again = post("gone", shared + own[:2])
    gone2 = d.wait_run("gone", token=TOKEN)
    checks.append(("posted again to gone: a new run", len(again) == 52 and
                   gone2 is not None and gone2["candidates"] == 52 and
                   gone2["done"] == 52 and not set(again) & set(gone_ids),
                   "", gone2))
    # The model after the fact: run, list, report's costs.
    no_cost = req("GET", "/v1/reports?runs=keep")[2]["runs"][0]["cost"]
    sm = d.client("set-model", "keep", "codellama-13b", token=TOKEN)
    rep = req("GET", "/v1/reports?runs=keep")[2]["runs"][0]
    st_m = d.client("status", "--model", "codellama-13b", "--done",
                    "--json", token=TOKEN)
    st_p = d.client("status", "--run", "g*", "--pending", "--json",
                    token=TOKEN)
    st_g = d.client("status", "--run", "g*", token=TOKEN)
    checks.append((
        "set-model: in the run, the list and the report's cost",
        sm.returncode == 0 and d.run_info("keep", TOKEN)["model"] ==
        "codellama-13b" and rep["model"] == "codellama-13b" and
        sorted(rep["cost"].values()) == [3.29, 667] and
        all(v is None for v in no_cost.values()) and
        rep["budgets"]["flops"] and
        [r["run"] for r in json.loads(st_m.stdout or "{}").get(
            "runs", [])] == ["keep"] and
        json.loads(st_p.stdout or "{}").get("runs") == [] and
        "gone" in st_g.stdout and "keep" not in st_g.stdout, "",
        (sm.stderr, st_m.stdout[:300], st_p.stdout[:300], rep["cost"])))
    # verdict delete: nothing without --yes; then deleted; then 404.
    dry = d.client("delete", "gone", token=TOKEN)
    still = d.run_info("gone", TOKEN)
    yes = d.client("delete", "gone", "--yes", token=TOKEN)
    twice = d.client("delete", "gone", "--yes", token=TOKEN)
    checks.append(("verdict delete", dry.returncode == 2 and
                   "52 candidates" in dry.stderr and still is not None and
                   yes.returncode == 0 and "52 candidates" in yes.stderr and
                   twice.returncode == 1 and d.run_info("gone", TOKEN) is
                   None, "", (dry.stderr, yes.stderr, twice.stderr)))
    # Hostile requests, each with its answer.
    bad = [
        ("PUT", "/v1/runs/x", None, {}, 405, None),
        ("DELETE", "/v1/runs/keep", None, {"Authorization": ""}, 401,
         None),
        ("PATCH", "/v1/runs/keep", {"model": "m"}, {"Authorization": ""},
         401, None),
        ("PATCH", "/v1/runs/keep", "", {}, 400, None),
        ("PATCH", "/v1/runs/keep", {}, {}, 400, None),
        ("PATCH", "/v1/runs/keep", [1], {}, 400, None),
        ("PATCH", "/v1/runs/keep", {"model": 5}, {}, 400, "model"),
        ("PATCH", "/v1/runs/keep", {"model": "m" * 100000}, {}, 400,
         "model"),
        ("PATCH", "/v1/runs/keep", {"model": ""}, {}, 400, "model"),
        ("PATCH", "/v1/runs/keep", {"ranker": "r", "n": 1}, {}, 400, "n"),
        ("PATCH", "/v1/runs/keep", b'{"model": "\xff\xfe"}', {}, 400,
         None),
        ("PATCH", "/v1/runs/keep", '{"model": "a\\u0000b"}', {}, 400,
         None),
        ("PATCH", "/v1/runs/nope", {"model": "m"}, {}, 404, None),
        ("DELETE", "/v1/runs/nope", None, {}, 404, None),
        ("GET", "/v1/runs?state=running", None, {}, 400, "state"),
        ("GET", "/v1/runs?name=", None, {}, 400, "name"),
        ("GET", "/v1/runs?model=" + "m" * 200, None, {}, 400, "model"),
    ]
    for method, path, body, hdr, want, field in bad:
        st, h, ans = req(method, path, body, hdr)
        err = ans.get("error", {}) if isinstance(ans, dict) else {}
        ok = st == want and (field is None or err.get("field") == field)
        if want == 405:
            ok = ok and h.get("Allow") == "GET, DELETE, PATCH"
        checks.append(("%s %s %s" % (method, path[:40], str(body)[:30]),
                       ok, st, (h.get("Allow"), err)))
    keep_after = d.run_info("keep", TOKEN)
    _, _, health = req("GET", "/v1/health")
    checks.append(("keep unchanged by all that; the queue empty",
                   counts(keep_after) == counts(keep) and
                   keep_after["model"] == "codellama-13b" and
                   health["queued"] == 0, "", (counts(keep_after), health)))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
    finish_all(s, "manage_runs", [ref, d], not bad, "%d checks: delete "
               "while queued and running (twice at once, long polls 404), "
               "shared jobs judged for keep, same name again, set-model, "
               "status filters, hostile requests" % len(checks))


# A follower of the feed with the Python client: its URL and run.
PY_STREAM = r"""
import json, sys
from verdict_client import Client
for v in Client(sys.argv[1]).stream(sys.argv[2]):
    print(json.dumps(v), flush=True)
"""


def feed_follow(d, run, want, drop_at=None, on_line=None, deadline=600,
                keepalive=False):
    """Follow RUN's feed on d (follow=1) until `want` verdicts came,
    connecting again with the last cursor whenever the connection ends
    (a 404 before the run exists, a daemon killed or restarting): what
    a client must do.  drop_at: close the connection after that many
    verdicts; on_line(n): called after the n-th (it may kill the daemon);
    keepalive: then wait for one keep-alive line.  Returns (the verdict
    lines in order, connections made, the keep-alive lines)."""
    got, alive, conns, after = [], [], 0, 0
    end = time.time() + deadline
    while (len(got) < want or (keepalive and not alive)) and \
            time.time() < end:
        c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=30)
        try:
            c.request("GET", "/v1/runs/%s/feed?follow=1&timeout=60&after=%d"
                      % (run, after))
            r = c.getresponse()
            if r.status != 200:
                time.sleep(0.2)
                continue
            conns += 1
            while len(got) < want or (keepalive and not alive):
                line = r.readline()
                if not line:
                    break
                x = json.loads(line)
                if "id" not in x:
                    alive.append(x)
                    continue
                got.append(x)
                after = x["cursor"]
                if on_line:
                    on_line(len(got))
                if len(got) == drop_at:
                    break
        except (OSError, http.client.HTTPException, ValueError):
            time.sleep(0.2)             # killed, restarting: again
        finally:
            c.close()
    return got, conns, alive


def feed_once(lines, ids):
    """Every id of ids exactly once in lines, cursors increasing."""
    cur = [x["cursor"] for x in lines]
    return (sorted(x["id"] for x in lines) == sorted(ids) and
            all(a < b for a, b in zip(cur, cur[1:])))


def feed(s, tmp):
    """GET /v1/runs/RUN/feed: followed while candidates are posted and
    judged, dropped and resumed, across a kill -9; its refusals."""
    d = Daemon(tmp, "feed").start()
    checks = []
    # Followers are at most half of max_connections (1024): of 600 at
    # once, 512 are served and 88 get a 503.  A verdict then wakes the
    # 512 at the next tick, each reading once (one gone while idle holds
    # its place until it writes: timeout=5 frees them after), and the
    # daemon answers the others meanwhile.
    lim = [dict(r, run="lim") for r in canonical_rows()[:2]]
    d.request("POST", "/v1/candidates?wait=30", lim[:1])
    socks = []
    for i in range(600):
        k = socket.create_connection(("127.0.0.1", d.port), timeout=30)
        k.sendall(b"GET /v1/runs/lim/feed?follow=1&timeout=5 HTTP/1.1\r\n"
                  b"Host: x\r\n\r\n")
        socks.append(k)
    heads = [k.recv(65536) for k in socks]
    t0 = time.time()
    d.request("POST", "/v1/candidates", lim[1:])
    st, _, health = d.request("GET", "/v1/health")
    t_health = time.time() - t0
    served = [(k, h) for k, h in zip(socks, heads)
              if h.startswith(b"HTTP/1.1 200")]
    woke = 0
    for k, h in served:
        while h.count(b'"id":') < 2:
            part = k.recv(65536)
            if not part:
                break
            h += part
        woke += h.count(b'"id":') == 2
    t_all = time.time() - t0
    for k in socks:
        k.close()
    refused = sum(h.startswith(b"HTTP/1.1 503") and b"too_many_followers"
                  in h for h in heads)
    checks.append(("600 followers: 512 served, 88 refused; a verdict "
                   "reaches the 512, the daemon serves meanwhile",
                   len(served) == 512 and refused == 88 and woke == 512
                   and st == 200 and t_health < 2, (len(served), refused,
                                                    woke),
                   (round(t_health, 2), round(t_all, 2))))
    time.sleep(6)                       # their timeouts: places back
    # Followed while posted and judged; dropped at 60 and resumed with
    # the cursor; then a keep-alive line after 15 s of silence.
    rows = canonical_rows()
    rows += [{"task_id": r["task_id"], "completion": "    return None\n"}
             for r in rows[:36]]
    out = {}
    t = threading.Thread(target=lambda: out.update(zip(
        ("lines", "conns", "alive"), feed_follow(
            d, "fd", len(rows), drop_at=60, keepalive=True))))
    t.start()
    ids = []
    for i in range(0, len(rows), 25):
        st, _, a = d.request("POST", "/v1/candidates",
                             [dict(r, run="fd") for r in rows[i:i + 25]])
        ids += a.get("ids", []) if st == 202 else []
        time.sleep(0.3)
    t.join(600)
    lines = out.get("lines", [])
    last = lines[-1]["cursor"] if lines else 0
    passed = sum(x["verdict"] == "passed" for x in lines)
    checks.append(("followed, dropped, resumed: each once", len(ids) == 200
                   and feed_once(lines, ids) and passed == 164 and
                   out["conns"] >= 2, len(lines), out.get("conns")))
    checks.append(("keep-alive", out.get("alive") == [{"cursor": last}], "",
                   out.get("alive")))
    # Without follow: the same lines, then the end; from a cursor, the
    # rest.
    st, hdr, body = d.request("GET", "/v1/runs/fd/feed?after=%d" %
                              (lines[99]["cursor"] if lines[99:] else 0))
    rest = [json.loads(x) for x in body.splitlines()] \
        if isinstance(body, bytes) else body
    checks.append(("from a cursor, to the end", st == 200 and
                   hdr.get("Content-Type") == "application/x-ndjson" and
                   [x["id"] for x in rest] == [x["id"] for x in
                                               lines[100:]], st,
                   len(rest) if isinstance(rest, list) else rest))

    # kill -9 while followed; restarted; resumed from the cursor.
    rows9 = [r for r in load(SAMPLES) if r["sample"] == 0]
    for r in rows9:
        r.pop("prompt", None)
        r["run"] = "f9"
    st, _, a = d.request("POST", "/v1/candidates", rows9)
    ids9 = a.get("ids", []) if st == 202 else []
    killed = []
    # `verdict feed --follow` and the Python client's stream() too,
    # through the kill (the daemon comes back on the same port): each
    # connects again from its last cursor.
    d.listen = "127.0.0.1:%d" % d.port
    clients = [subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=os.path.join(ROOT, "client",
                                                     "python")))
        for argv in ([VERDICT, "--url", d.url, "feed", "f9", "--follow"],
                     ["/usr/bin/python3", "-c", PY_STREAM, d.url, "f9"])]
    got = [[] for _ in clients]
    readers = [threading.Thread(target=lambda c=c, g=g: g.extend(
        json.loads(x) for x in c.stdout)) for c, g in zip(clients, got)]
    for t in readers:
        t.start()

    def kill_at(n):
        if n == 40:
            killed.append(d.stop(signal.SIGKILL))
            d.start()
    lines9, conns9, _ = feed_follow(d, "f9", len(rows9), on_line=kill_at)
    checks.append(("kill -9, restart, resumed: each once",
                   len(ids9) == 164 and feed_once(lines9, ids9) and
                   killed == [-signal.SIGKILL] and conns9 >= 2,
                   len(lines9), conns9))
    deadline = time.time() + 60
    while min(map(len, got)) < len(ids9) and time.time() < deadline:
        time.sleep(0.2)
    for c, g, t, name in zip(clients, got, readers,
                             ("verdict feed --follow", "stream()")):
        c.terminate()
        t.join(30)
        err = c.stderr.read()
        checks.append(("%s through the kill: each once" % name,
                       feed_once(g, ids9) and c.wait() == -signal.SIGTERM,
                       len(g), err[-300:]))
    # Without --follow: to the end; --after: the rest; a bad cursor.
    r1 = d.client("feed", "fd")
    r2 = d.client("feed", "fd", "--after", str(lines[99]["cursor"] if
                                               lines[99:] else 0))
    r3 = d.client("feed", "fd", "--after", "-1")
    got1 = [json.loads(x)["id"] for x in r1.stdout.splitlines()]
    got2 = [json.loads(x)["id"] for x in r2.stdout.splitlines()]
    checks.append(("verdict feed, --after", r1.returncode == 0 and
                   got1 == [x["id"] for x in lines] and got2 == got1[100:]
                   and r3.returncode == 2 and "--after" in r3.stderr,
                   (len(got1), len(got2)), r3.stderr))

    # Refusals: each a 400 naming the parameter, or a 404.
    for q, field in (("after=-1", "after"), ("after=abc", "after"),
                     ("after=9223372036854775808", "after"),
                     ("after=%2B1", "after"), ("after=%201", "after"),
                     ("after=1e3", "after"), ("after=", "after"),
                     ("follow=yes", "follow"), ("follow=2", "follow"),
                     ("timeout=5", "timeout"),
                     ("follow=1&timeout=0", "timeout"),
                     ("follow=1&timeout=3601", "timeout"),
                     ("fields=bogus", "fields")):
        st, _, ans = d.request("GET", "/v1/runs/fd/feed?" + q)
        got = ans.get("error", {}).get("field") \
            if isinstance(ans, dict) else ans
        checks.append(("?%s: 400" % q, st == 400 and got == field, st,
                       got))
    st, _, body = d.request("GET", "/v1/runs/fd/feed?after="
                            "9223372036854775807&unknown=1")
    checks.append(("the largest cursor: nothing after it", st == 200 and
                   body == b"", st, body))
    for q in ("", "?follow=1"):
        st, _, ans = d.request("GET", "/v1/runs/nope/feed" + q)
        checks.append(("unknown run%s: 404" % q, st == 404 and
                       ans["error"]["code"] == "unknown_run", st, ans))

    # A follower that never reads (a small window, long lines): the
    # daemon serves the others meanwhile, and its stream ends, closed
    # after connection_timeout (5 s) without progress once the socket is
    # full, or at its timeout (3 s) when all it had fitted.
    k = socket.socket()
    k.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    k.settimeout(30)
    k.connect(("127.0.0.1", d.port))
    k.sendall(b"GET /v1/runs/fd/feed?follow=1&timeout=3&"
              b"fields=message,tests,stderr HTTP/1.1\r\nHost: x\r\n\r\n")
    got = feed_follow(d, "fd", len(rows))[0]
    time.sleep(8)
    data, part = b"", b"x"
    try:
        while part:
            part = k.recv(65536)
            data += part
    except ConnectionResetError:
        part = b""
    k.close()
    checks.append(("a reader that never reads: ended, others served",
                   not part and [x["id"] for x in got] ==
                   [x["id"] for x in lines], len(data), len(got)))
    def follow_until(run, after, event):
        """Follow run's feed from after over a raw socket, call event()
        once the stream has begun; returns (its head, everything read
        until the stream's last chunk or the close, event's result)."""
        k = socket.create_connection(("127.0.0.1", d.port), timeout=30)
        k.sendall(b"GET /v1/runs/%s/feed?follow=1&after=%d HTTP/1.1\r\n"
                  b"Host: x\r\n\r\n" % (run.encode(), after))
        head = k.recv(4096)
        got = event()
        data = head
        while not data.endswith(b"\r\n0\r\n\r\n"):
            part = k.recv(65536)
            if not part:
                break
            data += part
        k.close()
        return head, data, got

    def whole(head, data):
        return head.startswith(b"HTTP/1.1 200") and \
            data.endswith(b"\r\n0\r\n\r\n")

    # A run deleted while followed: its stream ends whole, at once.
    t0 = time.time()
    head, data, got = follow_until("f9", lines9[-1]["cursor"] if lines9
                                   else 0, lambda: d.request(
                                       "DELETE", "/v1/runs/f9")[0])
    checks.append(("a run deleted while followed: its stream ends whole",
                   got == 200 and whole(head, data) and
                   time.time() - t0 < 5, got, data[-200:]))
    # SIGTERM: a follower's stream ends whole (its last chunk) at the
    # drain, and the daemon exits 0.
    head, data, status = follow_until("fd", last, d.stop)
    checks.append(("SIGTERM ends a follower's stream whole", status == 0 and
                   whole(head, data), status, data[-200:]))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
    finish(s, "feed", d, not bad, "%d checks; %d and %d verdicts followed "
           "over %d and %d connections; a verdict reached 512 followers "
           "in %.2f s, health answered in %.2f s" % (
               len(checks), len(lines), len(lines9), out.get("conns", 0),
               conns9, t_all, t_health))


def kill9(s, tmp):
    rows = [r for r in load(SAMPLES) if r["sample"] < 8]
    for r in rows:
        r.pop("prompt", None)
    f = write_jsonl(os.path.join(tmp, "kill9.jsonl"), rows)
    d = Daemon(tmp, "kill9").start()
    r = d.client("submit", "--run", "k9", f)
    # Let some verdicts land, then kill without warning.
    deadline = time.time() + 120
    while time.time() < deadline:
        info = d.run_info("k9")
        if info and info["done"] >= 100:
            break
        time.sleep(0.2)
    before = d.run_info("k9")
    d.stop(signal.SIGKILL)
    d.start()
    # Submitting again after the crash stores nothing twice.
    r2 = d.client("submit", "--run", "k9", f)
    info = d.wait_run("k9", timeout=900)
    _, lines = results(d, "k9")
    ids = [x["id"] for x in lines]
    total = sum(info["verdicts"].values())
    ok = (r.returncode == 0 and r2.returncode == 0 and
          info["candidates"] == len(rows) and info["done"] == len(rows) and
          total == len(rows) and len(lines) == len(rows) and
          len(set(ids)) == len(ids) and info["verdicts"]["internal"] == 0)
    if not ok:
        diag("before %s\nafter %s\n%d result lines" % (before, info,
                                                       len(lines)))
    finish(s, "kill9", d, ok, "%d accepted, killed at %d done, %d done "
           "once after restart" % (len(rows), before["done"], info["done"]))


def sigterm(s, tmp):
    rows = [r for r in load(SAMPLES) if r["sample"] < 3]
    f = write_jsonl(os.path.join(tmp, "term.jsonl"), rows)
    d = Daemon(tmp, "term").start()
    d.client("submit", "--run", "term", f)
    time.sleep(1)
    t0 = time.time()
    status = d.stop(signal.SIGTERM)
    secs = time.time() - t0
    log = d.text()
    ok1 = status == 0 and "drained" in log and d.sanitizer_clean()
    d.start()
    info = d.wait_run("term")
    ok = (ok1 and info["done"] == len(rows) and
          sum(info["verdicts"].values()) == len(rows))
    if not ok:
        diag("status %s, %s" % (status, info))
    finish(s, "sigterm", d, ok, "exit %s after %.1f s; %d done after "
           "restart" % (status, secs, info["done"]))


def backpressure(s, tmp):
    d = Daemon(tmp, "bp", {"queue_limit": 10, "workers": 1}).start()
    rows = [{"run": "bp", "task_id": "HumanEval/%d" % i,
             "completion": "    import time; time.sleep(0.2)\n"}
            for i in range(8)]
    a = d.request("POST", "/v1/candidates", rows)
    b = d.request("POST", "/v1/candidates", [
        dict(r, task_id="HumanEval/%d" % (i + 50)) for i, r in
        enumerate(rows)])
    f = write_jsonl(os.path.join(tmp, "bp.jsonl"), [
        {"task_id": "HumanEval/%d" % i, "completion": "    pass\n"}
        for i in range(100, 130)])
    t0 = time.time()
    r = d.client("submit", "--run", "bp2", "--batch", "5", f)
    secs = time.time() - t0
    info = d.wait_run("bp2")
    ok = (a[0] == 202 and b[0] == 429 and "Retry-After" in b[1] and
          b[2]["error"]["code"] == "queue_full" and r.returncode == 0 and
          info["candidates"] == 30)
    if not ok:
        diag("%s\n%s\n%s" % (a[:2], b, r.stderr))
    finish(s, "backpressure", d, ok, "429 Retry-After %s; client "
           "submitted 30 through a queue of 10 in %.1f s" %
           (b[1].get("Retry-After"), secs))


def batch_over_limit(s, tmp):
    """A batch larger than queue_limit: refused for good, naming the
    limit; the client sends it again in smaller pieces (issue 11)."""
    d = Daemon(tmp, "bol", {"queue_limit": 50}).start()
    rows = canonical_rows()
    st, hdr, body = d.request("POST", "/v1/candidates", [
        dict(r, run="raw") for r in rows[:60]])
    err = body.get("error", {}) if isinstance(body, dict) else {}
    f = write_jsonl(os.path.join(tmp, "bol.jsonl"), rows)
    r = d.client("submit", "--run", "bol", f)
    info = d.wait_run("bol") or {}
    raw = d.run_info("raw")
    ok = (st == 413 and "Retry-After" not in hdr and
          err.get("code") == "batch_over_queue_limit" and
          err.get("queue_limit") == 50 and "queue_limit 50" in
          err.get("message", "") and raw is None and r.returncode == 0 and
          "at most 50 candidates per request" in r.stderr and
          info.get("candidates") == 164 and info.get("done") == 164 and
          info["verdicts"]["passed"] == 164)
    if not ok:
        diag("%s %s %s\n%s\n%s" % (st, hdr, body, r.stderr, info))
    finish(s, "batch_over_limit", d, ok, "413 %s; the client's batches "
           "of 1,000 sent as pieces of 50: %d of 164 passed" % (
               err.get("code"), info.get("verdicts", {}).get("passed", 0)))


def port_in_use(s, tmp):
    """A second daemon on a port already taken: exit 1, and the log says
    which address, why, and that it is an error (issue 11)."""
    d = Daemon(tmp, "port-a").start()
    b = Daemon(tmp, "port-b")
    r = subprocess.run([VERDICTD, "serve", "-f", b.conf, "--listen",
                        "127.0.0.1:%d" % d.port, "--state-dir", b.state],
                       capture_output=True, text=True, timeout=120)
    want = "error: listen 127.0.0.1:%d: Address already in use" % d.port
    ok = (r.returncode == 1 and want in r.stderr and "port 0" not in
          r.stderr and "warning: listen" not in r.stderr and
          d.proc.poll() is None)
    if not ok:
        diag(r.stderr[-1500:])
    finish(s, "port_in_use", d, ok, "exit %d: %s" % (
        r.returncode, want if want in r.stderr else "?"))


def auth(s, tmp):
    d = Daemon(tmp, "auth", {"token": TOKEN}).start()
    none = d.request("GET", "/v1/runs")
    wrong = d.request("GET", "/v1/runs", headers={
        "Authorization": "Bearer wrong-token-wrong-token"})
    right = d.request("GET", "/v1/runs", headers={
        "Authorization": "Bearer " + TOKEN})
    health = d.request("GET", "/v1/health")
    c_bad = d.client("status")
    c_wrong = d.client("status", token="wrong-token-wrong-token")
    c_ok = d.client("status", token=TOKEN)
    # SIGHUP: a new token replaces the old one.
    new = TOKEN + "-rotated"
    d.write_conf({"token": new})
    d.proc.send_signal(signal.SIGHUP)
    time.sleep(1)
    old_now = d.request("GET", "/v1/runs", headers={
        "Authorization": "Bearer " + TOKEN})
    new_now = d.request("GET", "/v1/runs", headers={
        "Authorization": "Bearer " + new})
    ok = (none[0] == 401 and wrong[0] == 401 and right[0] == 200 and
          health[0] == 200 and none[2]["error"]["code"] == "unauthorized"
          and health[2].get("database") == {"backend": "sqlite",
                                            "reachable": True}
          and health[2].get("node") == socket.gethostname()
          and c_bad.returncode == 1 and c_ok.returncode == 0 and
          "set the token with VERDICT_TOKEN" in c_bad.stderr and
          c_wrong.returncode == 1 and "refused the token given" in
          c_wrong.stderr and "set the token" not in c_wrong.stderr and
          old_now[0] == 401 and new_now[0] == 200 and
          TOKEN not in d.text())
    if not ok:
        diag("%s %s %s %s %s %s" % (none[0], wrong[0], right[0], health,
                                    c_bad.returncode, c_ok.returncode))
        diag("after HUP: old %s new %s" % (old_now[0], new_now[0]))
    finish(s, "auth", d, ok, "401 without, 200 with; rotated by SIGHUP")


def fair_share(s, tmp):
    """Runs take turns: while a run of ten is judged, a big run posted
    before it gets about one job per job of the small one."""
    d = Daemon(tmp, "fair", {"workers": 1}).start()
    big = [{"run": "big", "task_id": "HumanEval/%d" % (i % 164),
            "completion": "    return None  # %d\n" % i} for i in range(300)]
    d.request("POST", "/v1/candidates", big)
    time.sleep(0.5)
    small = [{"run": "small", "task_id": "HumanEval/%d" % i,
              "completion": canonical_rows()[i]["completion"]}
             for i in range(10)]
    before = d.run_info("big")["done"]
    d.request("POST", "/v1/candidates", small)
    deadline = time.time() + 300
    while time.time() < deadline:
        info = d.run_info("small")
        if info["done"] == 10:
            break
        time.sleep(0.02)
    after = d.run_info("big")["done"]
    # Ten turns each, plus the window of jobs already handed out.
    ok = info["done"] == 10 and after < 300 and after - before <= 20
    finish(s, "fair_share", d, ok, "big judged %d while small's 10 ran "
           "(%d to %d of 300)" % (after - before, before, after))


def bad_input(s, tmp):
    d = Daemon(tmp, "bad", {"max_body": "1m", "max_program": "64k"}).start()
    checks = []

    def want(name, resp, status, field=None):
        st, _, body = resp
        good = st == status and isinstance(body, dict) and "error" in body
        if good and field is not None:
            good = body["error"].get("field") == field
        checks.append((name, good, st, body))

    nd = {"Content-Type": "application/x-ndjson"}
    ok1 = {"run": "bad", "task_id": "HumanEval/0", "completion": "  pass\n"}
    # The 413 comes from the Content-Length, before any body byte: the
    # daemon answers and closes, so the body is not sent (a client
    # still writing it would get a broken pipe instead of the answer).
    raw = socket.create_connection(("127.0.0.1", d.port), timeout=20)
    raw.sendall(b"POST /v1/candidates HTTP/1.1\r\nHost: x\r\n"
                b"Content-Length: %d\r\n\r\n" % (2 << 20))
    answer = b""
    while True:
        chunk = raw.recv(65536)
        if not chunk:
            break
        answer += chunk
    raw.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    try:
        body = json.loads(body)
    except ValueError:
        pass
    want("body over max_body", (int(head.split()[1]) if head else 0, {},
                                body), 413)
    want("program over max_program", d.request(
        "POST", "/v1/candidates", [dict(ok1, completion="#" * 70000)]),
        400, "completion")
    want("deep JSON", d.request(
        "POST", "/v1/candidates", "[" * 100000 + "]" * 100000), 400)
    want("malformed JSON", d.request("POST", "/v1/candidates",
                                     '[{"run": "x",'), 400)
    want("malformed NDJSON line 2", d.request(
        "POST", "/v1/candidates", json.dumps(ok1) + "\n{oops\n",
        headers=nd), 400)
    want("invalid UTF-8", d.request(
        "POST", "/v1/candidates", b'[{"run":"bad","task_id":"HumanEval/0",'
        b'"completion":"\xff\xfe"}]'), 400)
    want("NUL in a string", d.request(
        "POST", "/v1/candidates", '[{"run":"bad","task_id":"HumanEval/0",'
        '"completion":"a\\u0000b"}]'), 400)
    want("a language other than Python", d.request(
        "POST", "/v1/candidates", [dict(ok1, language="javascript")]),
        400, "language")
    want("unknown task_id", d.request(
        "POST", "/v1/candidates", [ok1, dict(ok1, task_id="Nope/1")]),
        400, "task_id")
    want("sample of the wrong type", d.request(
        "POST", "/v1/candidates", [dict(ok1, sample="3")]), 400, "sample")
    want("score of the wrong type", d.request(
        "POST", "/v1/candidates", [dict(ok1, score=[1])]), 400, "score")
    want("cost of the wrong type", d.request(
        "POST", "/v1/candidates", [dict(ok1, cost={"tokens": 1.5})]),
        400, "cost")
    want("bad run name", d.request(
        "POST", "/v1/candidates", [dict(ok1, run="a/b")]), 400, "run")
    want("id in the server's namespace", d.request(
        "POST", "/v1/candidates", [dict(ok1, id="v-1")]), 400, "id")
    want("neither an array nor an object", d.request(
        "POST", "/v1/candidates", "42"), 400)
    want("empty batch", d.request("POST", "/v1/candidates", []), 400)
    want("unknown run", d.request("GET", "/v1/runs/nope"), 404)
    want("unknown run's problems", d.request(
        "GET", "/v1/runs/nope/problems"), 404)
    want("unknown run's results", d.request(
        "GET", "/v1/runs/nope/results"), 404)
    want("unknown candidate", d.request("GET", "/v1/candidates/zzz"), 404)
    want("unknown problem", d.request("GET", "/v1/problems/Nope/1"), 404)
    want("unknown benchmark", d.request(
        "GET", "/v1/problems?benchmark=nope"), 400, "benchmark")
    want("unknown path", d.request("GET", "/v2/things"), 404)
    wrong = d.request("DELETE", "/v1/runs")
    want("wrong method", wrong, 405)
    checks.append(("405 says Allow", wrong[1].get("Allow") == "GET",
                   wrong[0], wrong[1]))
    both = d.request("PUT", "/v1/candidates")
    checks.append(("405 says every method of the path", both[0] == 405 and
                   both[1].get("Allow") == "POST, GET", both[0], both[1]))
    # The line of the first bad candidate is named.
    st, _, body = d.request("POST", "/v1/candidates", "\n".join(
        [json.dumps(ok1)] * 3 + [json.dumps(dict(ok1, greedy="yes"))]),
        headers=nd)
    checks.append(("NDJSON names line 4", st == 400 and
                   body["error"].get("line") == 4 and
                   body["error"].get("field") == "greedy", st, body))

    # A slow client is cut off after connection_timeout (5 s).
    slow = socket.create_connection(("127.0.0.1", d.port))
    slow.sendall(b"POST /v1/candidates HTTP/1.1\r\nHost: x\r\n")
    slow.settimeout(20)
    t0 = time.time()
    try:
        closed = slow.recv(1) == b""
    except (ConnectionResetError, socket.timeout):
        closed = True
    checks.append(("slow client cut off", closed and time.time() - t0 < 15,
                   round(time.time() - t0, 1), ""))
    slow.close()

    # Thousands of connections: refused beyond max_connections, and the
    # daemon still answers afterwards with bounded memory.
    socks = []
    for _ in range(2000):
        try:
            socks.append(socket.create_connection(("127.0.0.1", d.port),
                                                  timeout=5))
        except OSError:
            break
    for x in socks:
        x.close()
    time.sleep(0.5)
    st, _, h = d.request("GET", "/v1/health")
    rss, = d.proc_kb("VmRSS")
    checks.append(("serves after %d connections" % len(socks),
                   st == 200 and h["status"] == "ok", st, h))
    # ASan roughly triples the footprint; a leak per connection would
    # show as hundreds of MB.
    checks.append(("RSS %d KiB bounded" % rss, rss < 400 * 1024, rss, ""))
    st, _, body = d.request("POST", "/v1/candidates", [ok1])
    checks.append(("accepts good input after all that", st == 202, st,
                   body))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:300]))
    finish(s, "bad_input", d, not bad, "%d checks" % len(checks))


def import_(s, tmp):
    d = Daemon(tmp, "import").start()
    apps = os.path.join(ROOT, "tests", "jail", "problems", "apps.jsonl")
    with open(apps, "rb") as f:
        body = f.read()
    a = d.request("POST", "/v1/problems?format=apps", body)
    again = d.request("POST", "/v1/problems?format=apps", body)
    wrong = d.request("POST", "/v1/problems?format=humaneval", body)
    junk = d.request("POST", "/v1/problems?format=apps", b"{not json\n")
    ids = a[2]["task_ids"] if a[0] == 201 else []
    d.stop()
    d.start()
    got = d.request("GET", "/v1/problems?benchmark=apps")
    one = d.request("GET", "/v1/problems/" + ids[0]) if ids else (0,)
    sub = d.request("POST", "/v1/candidates", [{
        "run": "apps", "task_id": ids[0] if ids else "x",
        "program": "a, b = map(int, input().split())\nprint(a + b)\n"}])
    info = d.wait_run("apps")
    ok = (a[0] == 201 and again[0] == 200 and again[2]["unchanged"] and
          again[2]["task_ids"] == ids and wrong[0] == 400 and
          junk[0] == 400 and "body:1:" in junk[2]["error"]["message"] and
          len(got[2]["problems"]) == len(ids) > 0 and one[0] == 200 and
          sub[0] == 202 and info["verdicts"]["passed"] == 1)
    if not ok:
        diag("%s\n%s\n%s\n%s\n%s" % (a, again, wrong, junk, info))
    finish(s, "import", d, ok, "%d problems kept over a restart" % len(ids))


# A small EvalPlus inputs-only file over three HumanEval problems: a few
# base inputs, then plus inputs that short ones do not reach.
PLUS_INPUTS = {
    "HumanEval/0": ([[[1.0, 2.0, 3.0], 0.5], [[1.0, 2.8, 3.0], 0.3]],
                    [[[float(i) for i in range(10)] + [4.5], 0.6]]),
    "HumanEval/2": ([[3.5], [1.25]], [[float(i) + 0.5] for i in range(9)]),
    "HumanEval/7": ([[["abc", "bcd"], "a"], [[], "x"]],
                    [[["x" * i for i in range(8)], "xx"]]),
}
# Completions, before the canonical body: none (right everywhere); a
# wrong answer from the third call on (right on the two base inputs
# only); wrong everywhere; a SystemExit on the first call.
PLUS_KINDS = {
    "right": "",
    "base_only": "    import builtins\n"
                 "    builtins.calls = getattr(builtins, 'calls', 0) + 1\n"
                 "    if builtins.calls > 2:\n        return None\n",
    "wrong": "    return None\n",
    "exit": "    raise SystemExit(0)\n",
}


def plus_file(extra=0):
    rows = []
    for p in load(HUMANEVAL):
        if p["task_id"] in PLUS_INPUTS:
            base, plus = PLUS_INPUTS[p["task_id"]]
            rows.append({"task_id": p["task_id"], "prompt": p["prompt"],
                         "entry_point": p["entry_point"],
                         "canonical_solution": p["canonical_solution"],
                         "base_input": base, "plus_input": plus +
                         plus[:1] * extra, "atol": 0})
    return "".join(json.dumps(r) + "\n" for r in rows).encode()

# The Python client on datasets: argv url, the rows of PLUS_KINDS, the
# EvalPlus file imported before.
PY_DATASETS = r"""
import json, sys
from verdict_client import Client
c = Client(sys.argv[1])
rows = [json.loads(x) for x in open(sys.argv[2])][:4]
with open(sys.argv[3], "rb") as f:
    again = c.import_problems(f.read(), "evalplus")
out = {"unchanged": again["unchanged"]}
out["passed"] = [c.reward(dict(r, id="py" + r["id"]), run="py",
                          dataset="humaneval+")["passed"] for r in rows]
out["runs"] = [r["run"] for r in c.report(["py"], tests="both")["runs"]]
print(json.dumps(out))
"""


def datasets(s, tmp):
    """HumanEval+ beside HumanEval, base and plus side by side."""
    d = Daemon(tmp, "datasets").start()
    checks = []
    body = plus_file()
    imp = d.request("POST", "/v1/problems?format=evalplus", body)
    ids = imp[2].get("task_ids") if imp[0] == 201 else []
    checks.append(("imported as humaneval+", imp[0] == 201 and ids == [
        "humaneval+:HumanEval/%d" % n for n in (0, 2, 7)], imp[0], imp[2]))
    again = d.request("POST", "/v1/problems?format=evalplus",
                      gzip.compress(body))
    checks.append(("the same file again, gzipped: a no-op",
                   again[0] == 200 and again[2]["unchanged"] and
                   again[2]["task_ids"] == ids, again[0], again[2]))
    other = d.request("POST", "/v1/problems?format=evalplus",
                      plus_file(extra=1))
    checks.append(("another file under the name: 409", other[0] == 409 and
                   "humaneval+" in other[2]["error"]["message"],
                   other[0], other[2]))
    named = d.request("POST", "/v1/problems?format=evalplus&dataset=hep2",
                      plus_file(extra=1))
    checks.append(("under a new name: its own dataset", named[0] == 201 and
                   named[2]["task_ids"][0] == "hep2:HumanEval/0",
                   named[0], named[2]))
    st, _, lst = d.request("GET", "/v1/problems?dataset=humaneval%2B")
    checks.append(("listed with base tests", st == 200 and [
        (p["task_id"], p["base_tests"], p["tests"])
        for p in lst["problems"]] == [
        (ids[i], len(b), len(b) + len(p)) for i, (b, p) in
        enumerate(PLUS_INPUTS[t] for t in sorted(PLUS_INPUTS, key=lambda
                  x: int(x.split("/")[1])))], st, lst))
    bad = d.request("POST", "/v1/candidates", [{
        "run": "x", "task_id": "HumanEval/0", "dataset": "nope",
        "completion": "    pass\n"}])
    checks.append(("unknown dataset: 400 naming it", bad[0] == 400 and
                   bad[2]["error"].get("field") == "dataset", bad[0],
                   bad[2]))
    # One set of samples, posted once to each: the plus run judged on
    # HumanEval+, the base run on the bundled HumanEval.
    he = {p["task_id"]: p for p in load(HUMANEVAL)}
    rows = []
    for t in PLUS_INPUTS:
        for kind, text in PLUS_KINDS.items():
            rows.append({"task_id": t, "id": "%s-%s" % (kind, t.split(
                "/")[1]), "completion": text + he[t]["canonical_solution"]})
    st1, _, a = d.request("POST", "/v1/candidates?wait=120", [
        dict(r, run="plus", dataset="humaneval+") for r in rows])
    st2, _, b = d.request("POST", "/v1/candidates?wait=120", [
        dict(r, run="base", id="b" + r["id"]) for r in rows])
    passed = {x["id"]: x["passed"] for x in a.get("results", [])} \
        if st1 == 200 else {}
    checks.append(("plus verdicts", st1 == 200 and passed == {
        r["id"]: r["id"].startswith("right") for r in rows}, st1,
        str(a)[:600]))
    checks.append(("base run on HumanEval", st2 == 200 and all(
        x["task_id"] in PLUS_INPUTS for x in b.get("results", [])),
        st2, str(b)[:300]))
    st, _, both = d.request("GET", "/v1/reports?runs=plus&tests=both&k=1")
    p1 = {r["run"]: r["pass_at_k"]["1"] for r in both.get("runs", [])} \
        if st == 200 else {}
    # right passes all; base_only its base tests only; exit nothing.
    checks.append(("base and plus side by side", p1 == {
        "plus": 100 / 4, "plus (base)": 200 / 4}, st, p1))
    # base_plus pairs them: the drop is base minus plus, 50 - 25.
    bp = both.get("base_plus") if st == 200 else None
    tests = {r["run"]: r.get("tests") for r in both.get("runs", [])} \
        if st == 200 else {}
    checks.append(("base_plus: the drop from base to plus", bp == [{
        "run": "plus", "base_run": "plus (base)", "base": {"1": 50.0},
        "plus": {"1": 25.0}, "drop": {"1": 25.0},
        "drop_relative": {"1": 50.0}, "greedy": {
            "base": None, "plus": None, "drop": None,
            "drop_relative": None}}] and tests == {
        "plus": None, "plus (base)": "base"}, bp, tests))
    for fmt, row in (("md", b"| plus | pass@1 | 50.00 | 25.00 | 25.00 | "
                      b"50.00 |"),
                     ("html", b"<tr><td>plus</td><td>pass@1</td>"
                      b"<td class=\"num\">50.00</td>")):
        st, _, text = d.request("GET", "/v1/reports?runs=plus&tests=both"
                                "&k=1&format=" + fmt)
        checks.append(("base and plus in " + fmt, st == 200 and
                       b"Base and plus tests" in text and row in text,
                       st, text[-800:] if isinstance(text, bytes) else
                       text))
    st, _, base = d.request("GET", "/v1/reports?runs=plus&tests=base&k=1")
    checks.append(("base alone", st == 200 and [
        r["pass_at_k"]["1"] for r in base["runs"]] == [50.0], st,
        str(base)[:300]))
    st, _, plain = d.request("GET", "/v1/reports?runs=base&tests=both&k=1")
    checks.append(("a run without plus tests: one series", st == 200 and
                   [r["run"] for r in plain["runs"]] == ["base"], st,
                   str(plain)[:300]))
    bad = d.request("GET", "/v1/reports?runs=plus&tests=extra")
    checks.append(("tests=extra: 400", bad[0] == 400 and bad[2][
        "error"].get("field") == "tests", bad[0], bad[2]))
    # The clients: verdict submit --dataset; the Python client's
    # import, a reward on a dataset and the side-by-side report.
    f = os.path.join(tmp, "rows.jsonl")
    write_jsonl(f, [dict(r, id="c" + r["id"]) for r in rows])
    sub = d.client("submit", "--run", "cli", "--dataset", "humaneval+", f)
    info = d.wait_run("cli") or {}
    st, _, probs = d.request("GET", "/v1/runs/cli/problems")
    checks.append(("verdict submit --dataset", sub.returncode == 0 and
                   info.get("verdicts", {}).get("passed") == 3 and
                   st == 200 and sorted(p["task_id"] for p in
                                        probs["problems"]) == ids,
                   sub.returncode, (sub.stderr, info, probs)))
    pf = os.path.join(tmp, "plus.jsonl")
    with open(pf, "wb") as out:
        out.write(body)
    imp1 = d.client("import", "--format", "evalplus", "--dataset", "hep3",
                    pf)
    imp2 = d.client("import", "--format", "evalplus", "--dataset", "hep3",
                    pf)
    lst = d.client("problems", "--dataset", "hep3")
    checks.append(("verdict import --dataset, again, problems --dataset",
                   imp1.returncode == 0 and "imported 3 problems" in
                   imp1.stderr and imp2.returncode == 0 and
                   "loaded already" in imp2.stderr and lst.returncode == 0
                   and lst.stdout.count("hep3:HumanEval/") == 3,
                   imp2.returncode, (imp1.stderr, imp2.stderr,
                                     lst.stdout[:400])))
    py = subprocess.run(["/usr/bin/python3", "-c", PY_DATASETS, d.url, f,
                         pf],
                        capture_output=True, text=True, timeout=300,
                        env=dict(os.environ, PYTHONPATH=os.path.join(
                            ROOT, "client", "python")))
    got = json.loads(py.stdout) if py.returncode == 0 else {}
    checks.append(("python client", got == {
        "unchanged": True, "passed": [True, False, False, False],
        "runs": ["py", "py (base)"]}, py.returncode, (got, py.stderr)))
    # A restart loads both datasets again; the same file stays a no-op.
    d.stop()
    d.start()
    again = d.request("POST", "/v1/problems?format=evalplus", body)
    st, _, one = d.request("GET", "/v1/problems/hep2:HumanEval/0")
    checks.append(("after a restart", again[0] == 200 and
                   again[2]["unchanged"] and st == 200 and
                   one["dataset"] == "hep2", again[0], (again[2], one)))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
    finish(s, "datasets", d, not bad, "%d checks" % len(checks))


def metrics(s, tmp):
    # A node id that needs the text format's escapes.
    d = Daemon(tmp, "metrics", {"node_id": 'e2e "one" \\ node'}).start()
    d.request("POST", "/v1/candidates", [
        {"run": "m", "task_id": "HumanEval/0", "completion":
         "    while True: pass\n"}])
    d.wait_run("m")
    st, hdr, text = d.request("GET", "/metrics")
    text = text.decode() if isinstance(text, bytes) else str(text)
    node = 'node="e2e \\"one\\" \\\\ node"'
    names = ["verdictd_queue_depth{%s}" % node,
             "verdictd_jobs_running{%s}" % node,
             'verdictd_verdicts_total{verdict="timeout",%s} 1' % node,
             'verdictd_timeouts_total{benchmark="humaneval",%s} 1' % node,
             'verdictd_jail_seconds_bucket{le="+Inf",%s} 1' % node,
             "verdictd_jail_seconds_sum{%s}" % node,
             'verdictd_http_responses_total{code="202",%s} 1' % node,
             "verdictd_http_request_seconds_count{%s}" % node,
             "verdictd_build_info{version=", "process_open_fds{%s}" % node,
             "process_resident_memory_bytes{%s}" % node,
             "process_start_time_seconds{%s}" % node]
    missing = [n for n in names if n not in text]
    # Every sample: NAME{LABELS} VALUE, node="..." among the labels.
    sample = re.compile(r'[a-z_]+\{(?:[a-z_]+="(?:[^"\\\n]|\\.)*",)*'
                        r'[a-z_]+="(?:[^"\\\n]|\\.)*"\} [0-9.e+-]+$')
    bad = [x for x in text.splitlines() if not x.startswith("# ") and
           (not sample.match(x) or node not in x)]
    health = d.request("GET", "/v1/health")[2]
    ok = st == 200 and hdr.get("Content-Type", "").startswith(
        "text/plain") and not missing and not bad and \
        health.get("node") == 'e2e "one" \\ node'
    if missing or bad:
        diag("missing: %s\nbad: %s\n%s" % (missing, bad[:3], text))
    if health.get("node") != 'e2e "one" \\ node':
        diag("health: %s" % health)
    finish(s, "metrics", d, ok, "%d series checked" % len(names))


def privsep(s, tmp):
    """The daemon is the user verdict, its broker root; the state is
    verdict's, also when a start finds it owned by root."""
    pw = pwd.getpwnam("verdict")
    d = Daemon(tmp, "privsep").start()
    d.request("POST", "/v1/candidates",
              [dict(canonical_rows()[0], run="ps")])
    d.wait_run("ps")
    first = d.stop()
    # State as an older verdictd, which ran as root, left it.
    for name in [""] + os.listdir(d.state):
        os.chown(os.path.join(d.state, name), 0, 0)
    d.start()
    uids, gids, groups = proc_ids(d.proc.pid)
    brokers = [p for p, (pp, _, name) in proc_table().items()
               if pp == d.proc.pid and name == "verdict-jail"]
    broker = proc_ids(brokers[0]) if len(brokers) == 1 else None
    owners = {n: os.stat(os.path.join(d.state, n))[4:6] for n in
              [""] + os.listdir(d.state)}
    info = d.run_info("ps")
    ok = (first == 0 and uids == [pw.pw_uid] * 4 and
          gids == [pw.pw_gid] * 4 and groups == [] and
          broker is not None and broker[0] == [0] * 4 and
          "verdict.db" in owners and
          all(o == (pw.pw_uid, pw.pw_gid) for o in owners.values()) and
          info is not None and info["done"] == 1 and
          jail_range(d) is not None)
    if not ok:
        diag("daemon %s %s %s; broker %s; owners %s; run %s; first stop "
             "%s" % (uids, gids, groups, broker, owners, info, first))
    finish(s, "privsep", d, ok, "daemon uid %d, broker uid %s, %d state "
           "files" % (uids[0], broker[0][0] if broker else "?",
                      len(owners)))


def two_daemons(s, tmp):
    """Two daemons at once: disjoint uid ranges, jails that never share
    a host uid."""
    user = pwd.getpwnam("verdict").pw_uid
    ds = [Daemon(tmp, "two%d" % i) for i in range(2)]
    starts = [threading.Thread(target=d.start) for d in ds]
    for t in starts:
        t.start()
    for t in starts:
        t.join()
    if any(d.port is None for d in ds):
        for d in ds:
            diag(d.text()[-1500:])
        raise RuntimeError("a daemon did not start")
    ranges = [jail_range(d) for d in ds]
    rows = [dict(r, run="two") for r in canonical_rows()[:40]]
    for d in ds:
        d.request("POST", "/v1/candidates", rows)
    # Sample the jail processes of each daemon (its descendants that are
    # neither root nor verdict) while both judge.
    seen = [set(), set()]
    deadline = time.time() + 300
    while time.time() < deadline:
        t = proc_table()
        for i, d in enumerate(ds):
            seen[i] |= {t[p][1] for p in descendants(t, d.proc.pid)
                        if t[p][1] not in (0, user)}
        if all((d.run_info("two") or {}).get("done") == 40 for d in ds):
            break
        time.sleep(0.05)
    infos = [d.run_info("two") for d in ds]
    inside = all(r is not None and all(r[0] <= u <= r[1] for u in seen[i])
                 for i, r in enumerate(ranges))
    ok = (None not in ranges and (ranges[0][1] < ranges[1][0] or
                                  ranges[1][1] < ranges[0][0]) and
          all(seen) and inside and not seen[0] & seen[1] and
          all(i is not None and i["verdicts"]["passed"] == 40
              for i in infos))
    if not ok:
        diag("ranges %s; jail uids %s; runs %s" % (ranges, seen, infos))
    first = ds[0].stop()
    finish(s, "two_daemons", ds[1], ok and first == 0 and
           ds[0].sanitizer_clean(), "ranges %s; jail uids %s and %s" % (
               ranges, sorted(seen[0]), sorted(seen[1])))


def broker_lost(s, tmp):
    """SIGKILL the broker mid-run: exit 1, nothing lost or misjudged."""
    rows = [dict(r, run="bl", sample=0) for r in canonical_rows()]
    d = Daemon(tmp, "brokerlost").start()
    d.request("POST", "/v1/candidates", rows)
    deadline = time.time() + 120
    while time.time() < deadline:
        info = d.run_info("bl")
        if info and info["done"] >= 20:
            break
        time.sleep(0.1)
    brokers = [p for p, (pp, _, name) in proc_table().items()
               if pp == d.proc.pid and name == "verdict-jail"]
    os.kill(brokers[0], signal.SIGKILL)
    try:
        status = d.proc.wait(60)
    except subprocess.TimeoutExpired:
        status = "hung"
    text = d.text()
    logged = "jail broker lost" in text and \
        "stopped: the jail broker was lost" in text
    d.start()
    info = d.wait_run("bl", timeout=600)
    ok = (len(brokers) == 1 and status == 1 and logged and
          info is not None and info["done"] == len(rows) and
          info["verdicts"]["passed"] == len(rows) and
          info["verdicts"]["internal"] == 0)
    if not ok:
        diag("exit %s; logged %s; %s" % (status, logged, info))
        diag(text[-2000:])
    finish(s, "broker_lost", d, ok, "exit %s, then %s of %d passed" % (
        status, (info or {}).get("verdicts", {}).get("passed"), len(rows)))


def non_root(s, tmp):
    """serve and eval as nobody: exit 1, "must start as root"."""
    state = os.path.join(tmp, "nonroot-state")
    as_nobody = dict(user="nobody", group="nogroup", extra_groups=[],
                     capture_output=True, text=True, timeout=60)
    r1 = subprocess.run([VERDICTD, "serve", "--listen", "127.0.0.1:0",
                         "--state-dir", state], **as_nobody)
    r2 = subprocess.run([VERDICTD, "eval", "--samples", "/dev/null"],
                        **as_nobody)
    ok = (r1.returncode == 1 and r2.returncode == 1 and
          "verdictd serve must start as root" in r1.stderr and
          "runs as user verdict" in r1.stderr and
          "verdictd eval must start as root" in r2.stderr and
          not os.path.exists(state))
    if not ok:
        diag("serve: %d %s\neval: %d %s" % (r1.returncode, r1.stderr,
                                            r2.returncode, r2.stderr))
    said = [x for x in r1.stderr.splitlines() if "must start" in x]
    s.result("non_root", ok, said[0][:160] if said else "no message")


def install(s, tmp):
    """make install into DESTDIR (which makes no user), and the
    user-creation script it runs without DESTDIR."""
    dest = os.path.join(tmp, "dest")
    mk = ["make", "-s", "-C", ROOT, "install", "O=" + os.path.relpath(
        BUILD, ROOT), "DESTDIR=" + dest]
    r1 = subprocess.run(mk, capture_output=True, text=True)
    prefix = dest + "/usr/local"
    conf = os.path.join(prefix, "etc", "verdict", "verdictd.conf")
    with open(conf, "a") as f:
        f.write("# the admin's edit\n")
    r2 = subprocess.run(mk, capture_output=True, text=True)
    with open(conf) as f:
        kept = f.read().endswith("# the admin's edit\n")
    files = [os.path.join(prefix, p) for p in
             ("sbin/verdictd", "sbin/verdict-jail", "bin/verdict",
              "share/verdict/verdict-user.sh")]
    no_user = "the user verdict is not created" in r1.stdout
    ok = (r1.returncode == 0 and r2.returncode == 0 and kept and no_user and
          all(os.access(p, os.X_OK) for p in files))
    detail = "config kept; no user made"
    # The units name /usr/local: check them with the DESTDIR tree there.
    for name in ("verdictd.service", "verdictd-worker.service"):
        with open(os.path.join(prefix, "lib", "systemd", "system",
                               name)) as f:
            text = f.read().replace("/usr/local/", prefix + "/")
        ok = ok and (" worker -f " in text) == ("worker" in name)
        unit = os.path.join(tmp, name)
        with open(unit, "w") as f:
            f.write(text)
        try:
            v = subprocess.run(["systemd-analyze", "verify", unit],
                               capture_output=True, text=True)
            ok = ok and v.returncode == 0
            detail += "; %s: systemd-analyze verify %s" % (
                name, "ok" if v.returncode == 0 else
                v.stderr.strip()[:200])
        except FileNotFoundError:
            detail += "; no systemd-analyze here"
    # What make install runs without DESTDIR (and tools/deps.sh,
    # before the tests, so here it finds the user it made).
    r3 = subprocess.run(["sh", os.path.join(ROOT, "systemd",
                                            "verdict-user.sh")],
                        capture_output=True, text=True)
    pw = pwd.getpwnam("verdict")
    user_ok = (r3.returncode == 0 and pw.pw_uid < 1000 and
               pw.pw_dir == "/var/lib/verdict" and
               pw.pw_shell == "/usr/sbin/nologin")
    ok = ok and user_ok
    detail += "; user verdict: uid %d" % pw.pw_uid
    if not ok:
        diag(r1.stdout + r1.stderr + r2.stderr + r3.stdout + r3.stderr)
    s.result("install", ok, detail)


def md_pass_rows(text):
    """The rows of the "pass@k (%)" table of a Markdown report, without
    its header (which names the run)."""
    part = text.split("## pass@k (%)", 1)[1].split("\n\n", 2)[1]
    return [line for line in part.splitlines()
            if line.startswith("| ") and not line.startswith("| k ")]


def report_matches_eval(s, tmp):
    """The report of served candidates equals what verdictd eval prints
    for the same samples: per-problem counts, pass@k and the table."""
    rows = [r for r in load(SAMPLES) if r["sample"] < 5]
    for r in rows:
        r.pop("prompt", None)
    f = write_jsonl(os.path.join(tmp, "rep.jsonl"), rows)
    d = Daemon(tmp, "report").start()
    r = d.client("submit", "--run", "rep", "--model", "codellama-7b", f)
    # Asked while judging: a report marked partial, or (before the
    # first verdict) a clear error.
    early = d.request("GET", "/v1/reports?runs=rep")
    early_ok = (early[0] == 200 and early[2]["runs"][0]["partial"]) or \
        (early[0] == 400 and "no judged samples" in
         early[2]["error"]["message"])
    d.wait_run("rep")
    st, _, rep = d.request("GET", "/v1/reports?runs=rep")
    md = d.client("report", "--runs", "rep", "--format", "md")
    out = os.path.join(tmp, "rep.out.jsonl")
    ev = subprocess.run([VERDICTD, "eval", "--samples", f, "--out", out,
                         "--quiet"], capture_output=True, text=True)
    c = {}
    for x in load(out):
        c[x["task_id"]] = c.get(x["task_id"], 0) + x["passed"]
    m = re.search(r'\{"pass@1": ([\d.]+)', ev.stdout)
    run = rep["runs"][0] if st == 200 else {}
    per = {p["task_id"]: p["c"] for p in run.get("per_problem", [])}
    same_c = per == c
    ok = (r.returncode == 0 and ev.returncode == 0 and m is not None and
          early_ok and not run["partial"] and same_c and
          abs(run["pass_at_k"]["1"] - float(m.group(1))) < 1e-4 and
          md_pass_rows(md.stdout) == md_pass_rows(ev.stdout) and
          run["budgets"]["flops"][0]["k"] == 1 and
          run["cost_source"] == "table")
    if not ok:
        diag("eval: %s\nreport: %s" % (ev.stdout[-1500:], md.stdout[:1500]))
        diag("per-problem counts differ on %s" % sorted(
            t for t in set(per) | set(c) if per.get(t) != c.get(t)))
    finish(s, "report_matches_eval", d, ok, "%d samples: pass@1 %.4f "
           "served, %s offline; early report partial=%s" % (
               len(rows), run.get("pass_at_k", {}).get("1", -1),
               m.group(1) if m else "?",
               early[2]["runs"][0]["partial"] if early[0] == 200 else
               early[2]["error"]["message"]))


def report_requests(s, tmp):
    """Report formats, and bad report requests; costs: the models
    without one named with the line to add, a cost table in the request,
    the table reloaded on SIGHUP (issue 12 item 9)."""
    models = os.path.join(tmp, "report-models.conf")
    with open(os.path.join(ROOT, "conf", "models.conf")) as f:
        table = f.read()
    with open(models, "w") as f:
        f.write(table)
    os.chmod(models, 0o644)
    d = Daemon(tmp, "reports", {"models": models}).start()
    rows = [{"run": "ra", "model": "codellama-13b", "task_id":
             "HumanEval/%d" % i, "sample": j, "score": float(j),
             "completion": canonical_rows()[i]["completion"] if j % 2 else
             "    return None\n"} for i in range(4) for j in range(4)]
    rows += [dict(r, run="rb", model="codellama-7b") for r in rows]
    rows.append({"run": "rb", "task_id": "HumanEval/0", "greedy": True,
                 "completion": canonical_rows()[0]["completion"]})
    # A model without a cost row, and a run without a model.
    rows += [dict(r, run="rc", model="gpt-x") for r in rows[:2]]
    rows += [{k: v for k, v in r.items() if k != "model"} | {"run": "rn"}
             for r in rows[:2]]
    # rp: HumanEval/2..5, two of them ra's (issue 12: problem sets).
    rows += [{"run": "rp", "model": "codellama-7b", "task_id":
              "HumanEval/%d" % i, "sample": j,
              "completion": canonical_rows()[i]["completion"]}
             for i in range(2, 6) for j in range(2)]
    d.request("POST", "/v1/candidates", rows)
    for r in ("ra", "rb", "rc", "rn", "rp"):
        d.wait_run(r)
    checks = []

    def want(name, path, status, ctype=None, text=None):
        st, hdr, body = d.request("GET", path)
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        good = st == status and (ctype is None or hdr.get(
            "Content-Type", "").startswith(ctype)) and (
            text is None or text.encode() in raw)
        checks.append((name, good, st, raw[:300]))
        return body

    day0 = time.strftime("%Y-%m-%d", time.gmtime())
    rep = want("json", "/v1/reports?runs=ra,rb", 200, "application/json")
    # The comparisons' paired bootstrap (issue 12 item 1): every point
    # tests the others against the best; the same seed, the same tests.
    boot = rep.get("bootstrap") if isinstance(rep, dict) else None
    checks.append(("bootstrap", boot == dict(
        boot or {}, resamples=10000, seed=0, level=0.95), "", boot))
    pts = [p for c in rep.get("comparisons", []) for p in c["points"]] \
        if isinstance(rep, dict) else []
    checks.append(("tests at every point", pts != [] and all(
        set(p["tests"]) | {p["best"]} == set(p["values"]) and
        p["tied"][0] == p["best"] and all(
            t["verdict"] in ("better", "worse", "tie") and
            t["ci95"][0] <= t["difference"] <= t["ci95"][1] and
            0 < t["p"] <= 1 and t["problems"] == 4
            for t in p["tests"].values()) for p in pts), "", pts[:2]))
    s7 = [want("seed %d" % i, "/v1/reports?runs=ra,rb&seed=7&"
               "resamples=2000", 200) for i in range(2)]
    checks.append(("same seed, same tests", s7[0] == s7[1] and
                   s7[0]["bootstrap"]["seed"] == 7, "", ""))
    want("few resamples", "/v1/reports?runs=ra,rb&resamples=999", 400,
         None, "resamples")
    want("bad seed", "/v1/reports?runs=ra,rb&seed=-1", 400, None, "seed")
    want("md ties", "/v1/reports?runs=ra,rb&format=md", 200,
         "text/markdown", "95% CI")
    days = (day0, time.strftime("%Y-%m-%d", time.gmtime()))
    # Issue 12 items 4, 6 and 7: intervals, the title's meta, the axis.
    version = d.request("GET", "/v1/health")[2].get("version")
    meta = rep.get("meta") if isinstance(rep, dict) else None
    checks.append(("meta", isinstance(meta, dict) and meta == dict(
        meta, benchmarks=["humaneval"], problems=4, version=version) and
        meta.get("generated") in days, "", meta))
    ci = rep["runs"][0].get("ci95_at_k", {}).get("1") \
        if isinstance(rep, dict) else None
    checks.append(("ci95_at_k", isinstance(ci, list) and len(ci) == 2 and
                   ci[0] <= rep["runs"][0]["pass_at_k"]["1"] <= ci[1],
                   "", ci))
    want("html subtitle", "/v1/reports?runs=ra,rb&format=html", 200,
         "text/html", "<p class=\"subtitle\">humaneval \u00b7 4 problems "
         "\u00b7 ")
    want("svg absolute", "/v1/reports?runs=ra,rb&format=svg&metric=flops&"
         "axis=absolute", 200, "image/svg+xml",
         "FLOPs budget, in TFLOPs (log2)")
    want("html absolute", "/v1/reports?runs=ra,rb&format=html&"
         "axis=absolute", 200, "text/html", "wall-time budget, in seconds")
    want("bad axis", "/v1/reports?runs=ra&axis=log", 400, None, "axis")
    want("csv", "/v1/reports?runs=ra,rb&format=csv", 200, "text/csv",
         "run,model,k,pass,stderr")
    want("md flops", "/v1/reports?runs=ra,rb&format=md&metric=flops", 200,
         "text/markdown", "FLOPs")
    want("svg time", "/v1/reports?runs=ra,rb&format=svg&metric=time", 200,
         "image/svg+xml", "<svg")
    want("svg rank", "/v1/reports?runs=ra,rb&format=svg&metric=rank", 200,
         "image/svg+xml", "<polyline")
    want("html", "/v1/reports?runs=ra,rb&format=html", 200, "text/html",
         "<svg")
    want("unknown run", "/v1/reports?runs=ra,nope", 404, None, "nope")
    want("k over n", "/v1/reports?runs=ra&k=5", 400, None, "n_max")
    want("bad k", "/v1/reports?runs=ra&k=x", 400)
    want("unknown metric", "/v1/reports?runs=ra&metric=speed", 400)
    want("unknown format", "/v1/reports?runs=ra&format=pdf", 400)
    want("no runs", "/v1/reports", 400)
    want("unknown base", "/v1/reports?runs=ra&base=gpt-9", 400)
    # Missing costs: which models, the line to add, where; in md too.
    mc = want("missing costs", "/v1/reports?runs=ra,rc,rn", 200)
    mc = mc.get("missing_costs") if isinstance(mc, dict) else None
    checks.append(("missing_costs", mc is not None and mc == dict(
        mc, models=["gpt-x"], lines=["gpt-x  <tflops>  <seconds>"],
        runs_without_model=["rn"], file=models), "", mc))
    want("missing costs md", "/v1/reports?runs=ra,rc&format=md&"
         "metric=flops", 200, "text/markdown", "No cost for gpt-x: add a "
         "line")
    want("no model html", "/v1/reports?runs=ra,rn&format=html", 200,
         "text/html", "verdict set-model")
    none = want("nothing missing", "/v1/reports?runs=ra,rb", 200)
    checks.append(("missing_costs null", isinstance(none, dict) and
                   none.get("missing_costs", 0) is None, "", ""))

    def cost_q(obj):
        return urllib.parse.quote(obj if isinstance(obj, str) else
                                  json.dumps(obj))

    def costs(path):
        ans = want(path, path, 200)
        return {r["run"]: r["cost"] for r in ans["runs"]} \
            if isinstance(ans, dict) else {}

    # A cost table in the request: fills gpt-x, overrides 13B, once.
    c = costs("/v1/reports?runs=ra,rc&cost=" + cost_q(
        {"gpt-x": {"tflops": 0.5, "seconds": 100},
         "codellama-13b": {"tflops": 2, "seconds": 300}}))
    checks.append(("cost={...}", c == {
        "ra": {"tflops": 2, "seconds": 300},
        "rc": {"tflops": 0.5, "seconds": 100}}, "", c))
    c = costs("/v1/reports?runs=ra,rc")
    checks.append(("cost={...} for one request", c.get("ra") == {
        "tflops": 3.29, "seconds": 667} and c.get("rc") == {
        "tflops": None, "seconds": None}, "", c))
    many = {"m%d" % i: {"tflops": 1, "seconds": 1} for i in range(65)}
    for name, obj in [
            ("not JSON", "{gpt"), ("empty", {}), ("NaN", '{"a": '
             '{"tflops": NaN, "seconds": 1}}'),
            ("Inf", '{"a": {"tflops": 1e999, "seconds": 1}}'),
            ("zero", {"a": {"tflops": 0, "seconds": 1}}),
            ("negative", {"a": {"tflops": 1, "seconds": -2}}),
            ("string", {"a": {"tflops": "1", "seconds": 2}}),
            ("extra key", {"a": {"tflops": 1, "seconds": 2, "x": 1}}),
            ("control character", {"a\x01": {"tflops": 1, "seconds": 1}}),
            ("long name", {"a" * 129: {"tflops": 1, "seconds": 1}}),
            ("65 models", many),
            ("4 KiB", {"a": {"tflops": 1, "seconds": 1}, "b" * 4100: 1}),
            ("deep", "{" + '"a":{' * 700 + "}" * 701)]:
        st, _, ans = d.request("GET", "/v1/reports?runs=ra&cost=" +
                               cost_q(obj))
        field = ans.get("error", {}).get("field") \
            if isinstance(ans, dict) else None
        checks.append(("bad cost: " + name, st == 400 and field == "cost",
                       st, ans))
    # SIGHUP reads the table again; a broken one keeps the old.
    with open(models, "w") as f:
        f.write(table + "gpt-x  2.5  600\n")
    d.proc.send_signal(signal.SIGHUP)
    time.sleep(1)
    c = costs("/v1/reports?runs=rc")
    checks.append(("SIGHUP reloads the table", c.get("rc") == {
        "tflops": 2.5, "seconds": 600}, "", c))
    with open(models, "w") as f:
        f.write(table + "gpt-x  0  600\n")
    lines = table.count("\n") + 1
    d.proc.send_signal(signal.SIGHUP)
    time.sleep(1)
    c = costs("/v1/reports?runs=rc")
    checks.append(("a broken table is not loaded", c.get("rc") == {
        "tflops": 2.5, "seconds": 600} and "%s:%d: costs must be "
        "positive numbers" % (models, lines) in d.text(), "", c))
    # Different problems: the 2 shared by default, each its own with
    # problems=all and a warning in every format; a bad value is a 400.
    common = want("common", "/v1/reports?runs=ra,rp", 200,
                  "application/json", "problem_sets")
    own = want("all", "/v1/reports?runs=ra,rp&problems=all", 200,
               "application/json", "warning")
    for fmt, text in (("csv", "# Warning: "), ("md", "Warning: "),
                      ("svg", "class=\"problem-sets\""),
                      ("html", "class=\"warning\"")):
        want("all " + fmt, "/v1/reports?runs=ra,rp&problems=all&format=" +
             fmt, 200, None, text)
    want("common csv", "/v1/reports?runs=ra,rp&format=csv", 200,
         "text/csv", "# Note: ")
    want("bad problems", "/v1/reports?runs=ra,rp&problems=bogus", 400,
         None, "problems")
    cli = d.client("report", "--runs", "ra,rp", "--problems", "all",
                   "--format", "csv")
    checks.append(("client --problems", cli.returncode == 0 and
                   cli.stdout.startswith("# Warning: "), cli.returncode,
                   cli.stdout[:300]))
    cli = d.client("report", "--runs", "ra,rb", "--axis", "absolute",
                   "--format", "svg", "--metric", "time")
    checks.append(("client --axis", cli.returncode == 0 and
                   "wall-time budget, in seconds (log2)" in cli.stdout,
                   cli.returncode, cli.stdout[:300]))
    try:
        sets = (common["problem_sets"], own["problem_sets"])
        good = (sets[0]["mode"] == "common" and sets[0]["common"] == 2 and
                [(r["problems"], r["problems_dropped"])
                 for r in common["runs"]] == [(2, 2), (2, 2)] and
                sets[1]["mode"] == "all" and "warning" in sets[1] and
                [(r["problems"], r["problems_dropped"])
                 for r in own["runs"]] == [(4, 0), (4, 0)] and
                "problem_sets" not in rep and
                "problems_dropped" not in rep["runs"][0])
    except (KeyError, TypeError, IndexError):
        good = False
    checks.append(("problem sets", good, "", json.dumps(common)[:600]))
    runs = {r["run"]: r for r in rep["runs"]} if isinstance(rep, dict) \
        else {}
    good = (runs and runs["ra"]["pass_at_k"]["1"] == 50.0 and
            runs["rb"]["greedy_pass_at_1"] == 100.0 and
            runs["rb"]["n_min"] == 4 and
            # Lower scores first: the best of all 4 (score 0) fails.
            runs["ra"]["rank_score_at_k"]["1"] == 50.0 and
            runs["ra"]["rank_score_at_k"]["4"] == 0.0 and
            # 13B costs 3.29/1.69 7B samples: no point below budget 2.
            runs["ra"]["budgets"]["flops"][0]["budget"] == 2)
    checks.append(("values", good, "", json.dumps(rep)[:600]))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: got %s %s" % (c[0], c[2], c[3]))
    finish(s, "report_requests", d, not bad, "%d checks" % len(checks))


def image_ink(img):
    """(fraction of pixels that are not white, set of colours) of a PIL
    image."""
    rgb = img.convert("RGB")
    colours = rgb.getcolors(maxcolors=1 << 24)
    white = sum(n for n, c in colours if min(c) >= 250)
    return 1 - white / (rgb.width * rgb.height), set(c for _, c in colours)


def broken_svg_client(args):
    """Run the client with args against a stand-in server that answers
    every GET with 200 and a truncated SVG."""
    import http.server

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b'<svg xmlns="http://www.w3.org/2000/svg" width="64'
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        return subprocess.run([VERDICT] + args, capture_output=True,
                              text=True, timeout=60, env=dict(
                                  os.environ, VERDICT_URL="http://127.0.0.1:"
                                  "%d" % srv.server_address[1]))
    finally:
        srv.shutdown()
        srv.server_close()


def report_export(s, tmp):
    """verdict report --format pdf and png (issue 12 item 8): the files
    are real (pages, size, not blank), errors leave no file."""
    from PIL import Image
    models = os.path.join(tmp, "export-models.conf")
    with open(os.path.join(ROOT, "conf", "models.conf")) as f:
        table = f.read()
    with open(models, "w") as f:
        f.write(table)
    os.chmod(models, 0o644)
    d = Daemon(tmp, "export", {"models": models}).start()
    rows = [{"run": "xa", "model": "codellama-13b", "task_id":
             "HumanEval/%d" % i, "sample": j, "score": float(j),
             "completion": canonical_rows()[i]["completion"] if j % 2 else
             "    return None\n"} for i in range(4) for j in range(4)]
    rows += [dict(r, run="xb", model="codellama-7b") for r in rows]
    d.request("POST", "/v1/candidates", rows)
    for r in ("xa", "xb"):
        d.wait_run(r)
    out = os.path.join(tmp, "export")
    os.makedirs(out, exist_ok=True)
    # The runs' line colours, as the server's SVG draws them (from a
    # hash of each run's name, report/rplot.c).
    svg = d.request("GET", "/v1/reports?runs=xa,xb&format=svg")[2]
    svg = svg.decode() if isinstance(svg, bytes) else str(svg)
    runs_rgb = [tuple(int(h[i:i + 2], 16) for i in (0, 2, 4)) for h in
                {m.group(2): m.group(1) for m in re.finditer(
                    r'<polyline class="run" data-run="([^"]*)" '
                    r'fill="none" stroke="#([0-9a-f]{6})"', svg)}]
    checks = [("two run colours", len(runs_rgb) == 2, "", runs_rgb)]

    def export(name, *args):
        path = os.path.join(out, name)
        r = d.client("report", "--runs", "xa,xb", "--out", path, *args)
        checks.append(("exit " + name, r.returncode == 0, r.returncode,
                       r.stderr[-300:]))
        return path

    def drawn(name, img, size):
        # size: to a pixel (pdftoppm rounds a page of 304.5 pt up).
        ink, colours = image_ink(img)
        good = (all(abs(a - b) <= 1 for a, b in zip(img.size, size)) and
                0.02 < ink < 0.9 and
                len(colours) > 50 and all(c in colours for c in runs_rgb))
        checks.append((name + " drawn", good, img.size, "ink %.3f, %d "
                       "colours, runs %s" % (ink, len(colours), [
                           c in colours for c in runs_rgb])))

    def pdf(name, pages, w_pt, h_min, h_max):
        path = export(name, "--format", "pdf", *(
            ("--metric", "flops") if name.startswith("fig") else ()))
        try:
            with open(path, "rb") as f:
                head = f.read(5)
            info = subprocess.run(["pdfinfo", path], capture_output=True,
                                  text=True, timeout=60)
            kv = dict(line.split(":", 1) for line in
                      info.stdout.splitlines() if ":" in line)
            m = re.match(r"\s*([\d.]+) x ([\d.]+) pts",
                         kv.get("Page size", ""))
            w, h = (float(m.group(1)), float(m.group(2))) if m else (0, 0)
            good = (head == b"%PDF-" and info.returncode == 0 and
                    int(kv.get("Pages", "0")) == pages and
                    abs(w - w_pt) < 1 and h_min <= h <= h_max)
            checks.append((name + " pdfinfo", good, (w, h), info.stdout))
            # Every font embedded (columns: name type encoding emb ...).
            fonts = subprocess.run(["pdffonts", path], capture_output=True,
                                   text=True, timeout=60)
            rows = [line.split() for line in
                    fonts.stdout.splitlines()[2:] if line.strip()]
            checks.append((name + " fonts", fonts.returncode == 0 and
                           rows and all(r[-5] == "yes" for r in rows),
                           fonts.returncode, fonts.stdout))
            # Page 1 at 72 dpi: one pixel per point.
            subprocess.run(["pdftoppm", "-png", "-r", "72", "-f", "1",
                            "-l", "1", "-singlefile", path, path],
                           check=True, timeout=60)
            with Image.open(path + ".png") as img:
                drawn(name, img, (round(w), round(h)))
        except (OSError, subprocess.SubprocessError, ValueError) as e:
            checks.append((name, False, "", repr(e)))

    def png(name, scale, *args):
        path = export(name, "--format", "png", *args)
        try:
            with Image.open(path) as img:
                img.load()
                fmt, size = img.format, img.size
                checks.append((name + " png", fmt == "PNG" and
                               size[0] == scale * (640 if
                               name.startswith("fig") else 16 + 2 * 656),
                               (fmt, size), ""))
                drawn(name, img, size)
                if name.startswith("page"):
                    # Each quarter holds a plot: the rank one too.
                    w, h = size
                    ink = [image_ink(img.crop((x, y, x + w // 2,
                                               y + h // 2)))[0]
                           for y in (0, h // 2) for x in (0, w // 2)]
                    checks.append((name + " four plots",
                                   min(ink) > 0.02, ink, ""))
        except OSError as e:
            checks.append((name, False, "", repr(e)))

    # One plot: its own size (640 SVG pixels, 480 pt); the page: four
    # (rank: the runs have scores), two rows of two, 16 pixels apart.
    pdf("fig.pdf", 1, 480, 200, 600)
    pdf("page.pdf", 1, (16 + 2 * 656) * 0.75, 600, 1200)
    png("fig.png", 2, "--metric", "pass")
    png("page.png", 1, "--scale", "1")
    # To a pipe, without --out.
    r = subprocess.run([VERDICT, "report", "--runs", "xa", "--format",
                        "png", "--metric", "time"], capture_output=True,
                       env=dict(os.environ, VERDICT_URL=d.url), timeout=60)
    checks.append(("png to a pipe", r.returncode == 0 and
                   r.stdout.startswith(b"\x89PNG\r\n"), r.returncode,
                   r.stderr[-300:]))
    # Refusals: no file, the reason named.
    bad = os.path.join(tmp, "no-such-dir", "x.pdf")
    r = d.client("report", "--runs", "xa", "--format", "pdf", "--out", bad)
    checks.append(("bad --out", r.returncode == 1 and
                   ("cannot write %s" % bad) in r.stderr and
                   not os.path.exists(os.path.dirname(bad)), r.returncode,
                   r.stderr))
    unk = os.path.join(out, "unknown.png")
    r = d.client("report", "--runs", "xa", "--format", "png", "--metric",
                 "speed", "--out", unk)
    checks.append(("unknown metric", r.returncode == 1 and "metric" in
                   r.stderr and not os.path.exists(unk) and
                   not os.path.exists(unk + ".tmp"), r.returncode,
                   r.stderr))
    r = d.client("report", "--runs", "xa", "--format", "pdf", "--scale",
                 "2", "--out", unk)
    checks.append(("--scale on a pdf", r.returncode == 2 and
                   "--scale" in r.stderr and not os.path.exists(unk),
                   r.returncode, r.stderr))
    # A server whose SVG is not one: nothing written, the plot named.
    r = broken_svg_client(["report", "--runs", "xa", "--format", "pdf",
                           "--metric", "pass", "--out", unk])
    checks.append(("broken svg", r.returncode == 1 and
                   "figure pass: not an SVG document" in r.stderr and
                   not os.path.exists(unk) and
                   not os.path.exists(unk + ".tmp"), r.returncode,
                   r.stderr))
    # A terminal on standard output: refused (script(1) gives one).
    r = subprocess.run(["script", "-qec", "%s report --runs xa --format "
                        "pdf" % VERDICT, "/dev/null"], capture_output=True,
                       env=dict(os.environ, VERDICT_URL=d.url), timeout=60)
    checks.append(("pdf to a terminal", r.returncode == 2 and
                   b"--out" in r.stdout and b"%PDF" not in r.stdout,
                   r.returncode, r.stdout[-300:]))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: got %s %s" % (c[0], c[2], c[3]))
    finish(s, "report_export", d, not bad, "%d checks" % len(checks))


def postgresql(s, tmp):
    secret = "e2e-pg-SECRET"
    rows = canonical_rows()[:20]
    batch = ([dict(r, run="pg", sample=0) for r in rows] +
             [{"run": "pg", "task_id": r["task_id"], "sample": 1,
               "completion": "    return 'verdict-e2e-wrong'\n"}
              for r in rows])
    with pg.server(tmp) as db:
        uri = db.uri.replace("verdict@", "verdict:%s@" % secret, 1)
        d = Daemon(tmp, "pg", {"database": uri}).start()
        checks = []
        st, _, body = d.request("POST", "/v1/candidates", batch)
        checks.append(("202", st == 202 and body["accepted"] == 40, st,
                       body))
        ids = body.get("ids", [""]) if isinstance(body, dict) else [""]
        st, _, cand = d.request("GET", "/v1/candidates/%s?wait=60" %
                                ids[0])
        checks.append(("long poll", st == 200 and cand.get("verdict") ==
                       "passed", st, cand))
        first = d.wait_run("pg") or {}
        checks.append(("counts", first.get("done") == 40 and
                       first["verdicts"]["passed"] == 20, "", first))
        probs = d.request("GET", "/v1/runs/pg/problems")[2]
        st, _, rep = d.request("GET", "/v1/reports?runs=pg")
        checks.append(("report", st == 200 and
                       rep["runs"][0]["pass_at_k"]["1"] == 50.0, st,
                       str(rep)[:300]))
        st, _, health = d.request("GET", "/v1/health")
        checks.append(("health", health.get("database") == {
            "backend": "postgresql", "reachable": True}, st, health))
        metrics = d.request("GET", "/metrics")[2]
        metrics = metrics.decode() if isinstance(metrics, bytes) else \
            str(metrics)
        checks.append(("stop", d.stop() == 0, "", ""))
        d.start()
        again = d.run_info("pg") or {}
        st, _, dup = d.request("POST", "/v1/candidates", batch)
        checks.append(("kept over a restart", again == first and
                       d.request("GET", "/v1/runs/pg/problems")[2] == probs
                       and st == 202 and dup["duplicates"] == 40 and
                       dup["ids"] == ids, st, (again, dup)))
        # A run deleted: its jobs shared with another run are kept
        # and stay judged for it; a run deleted at once, its jobs too.
        d.request("POST", "/v1/candidates", [dict(r, run="pg-copy")
                                             for r in batch])
        copy = d.wait_run("pg-copy") or {}
        d.request("POST", "/v1/candidates", [dict(
            r, run="pg-q", completion="    return %d\n" % i)
            for i, r in enumerate(rows[:5])])
        dq = d.request("DELETE", "/v1/runs/pg-q")
        dd = d.request("DELETE", "/v1/runs/pg")
        twice = d.request("DELETE", "/v1/runs/pg")
        copy2 = d.run_info("pg-copy") or {}
        checks.append(("deleted on PostgreSQL", dd[2] == {
            "run": "pg", "candidates": 40, "jobs_deleted": 0,
            "jobs_kept": 40} and dq[2] == {
            "run": "pg-q", "candidates": 5, "jobs_deleted": 5,
            "jobs_kept": 0} and twice[0] == 404 and
            d.run_info("pg") is None and copy2 == copy and
            copy.get("done") == 40, "", (dd, dq, twice[0], copy2)))
        checks.append(("no SQLite file", not os.path.exists(os.path.join(
            d.state, "verdict.db")), "", os.listdir(d.state)))
        checks.append(("no password shown", secret not in d.text() +
                       json.dumps(health) + metrics and
                       "verdict:***@" in d.text(), "", ""))
        bad = [c for c in checks if not c[1]]
        for c in bad:
            diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
        if bad:
            diag(db.log()[-2000:])
        finish(s, "postgresql", d, not bad, "%d checks" % len(checks))


def cpu_s(pid):
    """The user and system CPU seconds of process pid (its own)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post_retrying(d, rows, tries=20):
    """POST rows, again after each 503's Retry-After; the last answer."""
    for _ in range(tries):
        st, hdr, body = d.request("POST", "/v1/candidates", rows)
        if st != 503:
            break
        time.sleep(float(hdr.get("Retry-After", "1")))
    return st, hdr, body


def pg_outage(d, db, mode, secs, rows):
    """Stop db (mode), and for secs watch d: alive, 503s with
    Retry-After for a post of rows, health unreachable, CPU seconds
    used; then start db again.  Returns what was seen."""
    seen = {"mode": mode, "posts": [], "health": [], "alive": True}
    db.stop(mode)
    t0, cpu0 = time.time(), cpu_s(d.proc.pid)
    while time.time() - t0 < secs:
        st, hdr, body = d.request("POST", "/v1/candidates", rows)
        seen["posts"].append((st, hdr.get("Retry-After"),
                              body.get("error", {}).get("code")
                              if isinstance(body, dict) else body))
        st, _, health = d.request("GET", "/v1/health")
        seen["health"].append((st, health.get("database", {}).get(
            "reachable") if isinstance(health, dict) else health))
        seen["alive"] = seen["alive"] and d.proc.poll() is None
        time.sleep(0.5)
    seen["cpu_s"] = cpu_s(d.proc.pid) - cpu0
    seen["secs"] = time.time() - t0
    db.start()
    return seen


def wait_done(d, run, at_least, timeout):
    """Poll run's info until done >= at_least; the last info."""
    deadline = time.time() + timeout
    info = {}
    while time.time() < deadline:
        info = d.run_info(run) or info
        if info.get("done", 0) >= at_least:
            break
        time.sleep(0.2)
    return info


def postgresql_restart(s, tmp):
    rows = canonical_rows()
    wrong = "    return 'verdict-e2e-wrong'\n"
    cands = []
    for r in rows:
        cands.append(dict(r, run="pgr", sample=0))
        cands.append({"run": "pgr", "task_id": r["task_id"], "sample": 1,
                      "completion": wrong})
    n = len(cands)
    # Posted before the first stop; refused during each outage, posted
    # again after it.
    early, late1, late2 = cands[:264], cands[264:296], cands[296:]
    checks = []
    with pg.server(tmp) as db:
        d = Daemon(tmp, "pgr", {"database": db.uri}).start()
        accepted = []
        for i in range(0, len(early), 66):
            st, _, body = d.request("POST", "/v1/candidates",
                                    early[i:i + 66])
            checks.append(("early 202", st == 202, st, body))
            accepted += body.get("ids", []) if st == 202 else []
        # A crash while jobs are being judged.
        info1 = wait_done(d, "pgr", 30, 60)
        out1 = pg_outage(d, db, "immediate", 10, late1)
        st, _, body = post_retrying(d, late1)
        checks.append(("late1 202 after the start", st == 202, st, body))
        accepted += body.get("ids", []) if st == 202 else []
        # It carries on by itself, then a clean shutdown.
        info2 = wait_done(d, "pgr", info1.get("done", 0) + 60, 60)
        out2 = pg_outage(d, db, "fast", 4, late2)
        st, _, body = post_retrying(d, late2)
        checks.append(("late2 202 after the start", st == 202, st, body))
        accepted += body.get("ids", []) if st == 202 else []
        info = wait_done(d, "pgr", n, 90)
        for o in (out1, out2):
            m = o["mode"]
            checks.append(("%s: alive" % m, o["alive"], "", o))
            checks.append(("%s: 503 Retry-After store_unavailable" % m,
                           len(o["posts"]) >= 3 and all(
                               p == (503, "1", "store_unavailable")
                               for p in o["posts"]), "", o["posts"]))
            checks.append(("%s: health unreachable" % m, all(
                h == (200, False) for h in o["health"]), "", o["health"]))
            checks.append(("%s: idle while down" % m,
                           o["cpu_s"] < 0.1 * o["secs"], "", o))
        checks.append(("progress before each stop",
                       0 < info1.get("done", 0) < info2.get("done", 0) < n,
                       "", (info1, info2)))
        st, _, health = d.request("GET", "/v1/health")
        checks.append(("health reachable again", st == 200 and health.get(
            "database") == {"backend": "postgresql", "reachable": True},
            st, health))
        verdicts = info.get("verdicts", {})
        checks.append(("counts", info.get("candidates") == n and
                       info.get("done") == n and
                       verdicts.get("passed") == n // 2 and
                       verdicts.get("failed") == n // 2 and
                       sum(verdicts.values()) == n, "", info))
        rc, lines = results(d, "pgr")
        ids = [x["id"] for x in lines]
        checks.append(("every 202 done once", rc == 0 and
                       len(lines) == n and len(set(ids)) == n and
                       set(ids) == set(accepted) and len(accepted) == n,
                       len(lines), (len(set(ids)), len(accepted))))
        st, _, probs = d.request("GET", "/v1/runs/pgr/problems")
        plist = probs.get("problems", []) if isinstance(probs, dict) \
            else []
        checks.append(("one passed, one failed per problem", st == 200 and
                       len(plist) == 164 and all(
                           p.get("verdicts", {}).get("passed") == 1 and
                           p.get("verdicts", {}).get("failed") == 1
                           for p in plist), st, str(probs)[:400]))
        checks.append(("reconnected, the scheduler too after each outage",
                       "connected again" in d.text() and
                       d.text().count("sched: the store answers again") >= 2,
                       "", ""))
        bad = [c for c in checks if not c[1]]
        for c in bad:
            diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
        if bad:
            diag(db.log()[-2000:])
        finish(s, "postgresql_restart", d, not bad, "%d checks; down "
               "%.0f s (%s, %.2f CPU s) and %.0f s (%s, %.2f CPU s)" % (
                   len(checks), out1["secs"], out1["mode"], out1["cpu_s"],
                   out2["secs"], out2["mode"], out2["cpu_s"]))


# --- Cluster mode: several nodes on one PostgreSQL database ---

def psql(db, sql):
    """The rows of sql on db's database, each a list of strings."""
    r = subprocess.run(["psql", db.uri, "-X", "-At", "-F", "\t", "-c", sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("psql: %s" % r.stderr.strip())
    return [x.split("\t") for x in r.stdout.splitlines() if x]


def judged_by(db):
    """node -> how many done jobs it judged (jobs.lease_node)."""
    return {n: int(c) for n, c in psql(
        db, "SELECT lease_node, count(*) FROM jobs WHERE state = 2 "
        "GROUP BY lease_node")}


def node(tmp, db, name, worker=False, **conf):
    """A started node of the cluster on db: a serve node, or a worker;
    node_id is its name."""
    return Daemon(tmp, name, dict({"database": db.uri, "node_id": name},
                                  **conf), worker=worker).start()


def finish_all(s, name, nodes, ok, detail, killed=()):
    """finish() for a cluster: every node but the last (and those in
    killed) stopped first and checked for a clean exit and no sanitizer
    report; the last one reports."""
    others = [d.sanitizer_clean() for d in killed]
    for d in nodes[:-1]:
        st = d.stop()
        others.append(st == 0 and d.sanitizer_clean())
        if not others[-1]:
            diag("%s: exit %s\n%s" % (os.path.basename(d.dir), st,
                                      d.text()[-2000:]))
    finish(s, name, nodes[-1], ok and all(others), detail +
           ("" if all(others) else "; a node's exit or log was not clean"))


def cluster(s, tmp):
    """Three nodes (a serve and two workers) judge the 16,400
    CodeGen-16B samples; one worker is killed with kill -9 at about 30 %
    and its jobs go to the others after its lease."""
    # make check (ASan) takes the first E2E_CLUSTER_SAMPLES of each
    # problem, and cannot compare pass@k with the paper's then.
    per = int(os.environ.get("E2E_CLUSTER_SAMPLES", "100"))
    rows = [r for r in load(SAMPLES) if r["sample"] < per]
    for r in rows:
        r.pop("prompt", None)
    n = len(rows)
    f = write_jsonl(os.path.join(tmp, "cluster.jsonl"), rows)
    conf = {"workers": 1, "lease": "5s"}
    checks = []
    with pg.server(tmp, "pg-cluster") as db:
        a = node(tmp, db, "cl-serve", **conf)
        w1 = node(tmp, db, "cl-w1", worker=True, **conf)
        w2 = node(tmp, db, "cl-w2", worker=True, **conf)
        t0 = time.time()
        sub = {}
        th = threading.Thread(target=lambda: sub.update(r=a.client(
            "submit", "--run", "cg", "--model", "codegen-16b", f)))
        th.start()
        at = wait_done(a, "cg", n * 3 // 10, 600)
        # The killed worker's jail processes, and the jobs it held
        # (asked after the kill: a job it finished meanwhile is not).
        jails = descendants(proc_table(), w2.proc.pid)
        w2.stop(signal.SIGKILL)
        t_kill = time.time()
        held = [int(x[0]) for x in psql(
            db, "SELECT id FROM jobs WHERE state = 1 AND "
            "lease_node = 'cl-w2'")]
        deadline = time.time() + 10
        left = jails
        while left and time.time() < deadline:
            time.sleep(0.1)
            t = proc_table()
            left = [p for p in jails if p in t]
        # Its jobs go back to the queue after its lease (5 s).
        while time.time() < t_kill + 30 and psql(
                db, "SELECT 1 FROM jobs WHERE state = 1 AND "
                "lease_node = 'cl-w2' LIMIT 1"):
            time.sleep(0.2)
        back = time.time() - t_kill
        th.join()
        info = wait_done(a, "cg", n, 900)
        secs = time.time() - t0
        r = sub.get("r")
        checks.append(("submitted", r is not None and r.returncode == 0,
                       r and r.returncode, r and r.stderr[-500:]))
        checks.append(("killed at about 30 %", 0 < at.get("done", 0) < n
                       // 2, "", at))
        checks.append(("its jail processes died", jails and not left,
                       jails, left))
        verdicts = info.get("verdicts", {})
        checks.append(("counts", info.get("candidates") == n and
                       info.get("done") == n and
                       sum(verdicts.values()) == n and
                       verdicts.get("internal") == 0, "", info))
        rc, lines = results(a, "cg")
        ids = [x["id"] for x in lines]
        checks.append(("done once each", rc == 0 and
                       len(lines) == n and len(set(ids)) == n and
                       all(x.get("verdict") for x in lines),
                       len(lines), len(set(ids))))
        st, _, rep = a.request("GET", "/v1/reports?runs=cg")
        run = rep["runs"][0] if st == 200 else {}
        pk = run.get("pass_at_k", {})
        # The paper's numbers are cut to the tenth (verdictd eval says
        # 50.3702 and 73.7805 here, the same as the cluster).
        got = [int(pk.get(k, -1) * 10) / 10 for k in ("10", "100")]
        checks.append(("pass@10 50.3, pass@100 73.7", (
            got == [50.3, 73.7] or per < 100) and st == 200 and
            not run["partial"], st, (pk.get("1"), pk.get("10"),
                                     pk.get("100"))))
        by = judged_by(db)
        checks.append(("judged by all three nodes", set(by) == {
            "cl-serve", "cl-w1", "cl-w2"} and sum(by.values()) ==
            int(psql(db, "SELECT count(*) FROM jobs")[0][0]), "", by))
        after = {int(i): nd for i, nd in psql(
            db, "SELECT id, lease_node FROM jobs WHERE state = 2 AND "
            "id IN (%s)" % ",".join(map(str, held or [0])))}
        survivors = a.text() + w1.text()
        checks.append(("its jobs taken back by the others", held and
                       set(after) == set(held) and all(
                           nd in ("cl-serve", "cl-w1")
                           for nd in after.values()) and
                       "jobs of lost leases back in the queue" in survivors,
                       held, after))
        bad = [c for c in checks if not c[1]]
        for c in bad:
            diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
        finish_all(s, "cluster", [w1, a], not bad, "%d candidates in %.0f "
                   "s on 3 nodes, cl-w2 killed at %d done (%d jail "
                   "processes gone, %d jobs held, back after %.1f s); "
                   "judged %s; %s; pass@1 %s pass@10 %s pass@100 %s" % (
                       n, secs, at.get("done", 0), len(jails), len(held),
                       back, by, verdicts, pk.get("1"), pk.get("10"),
                       pk.get("100")), killed=[w2])


def cluster_any_node(s, tmp):
    """Two serve nodes A and B and a worker W on one database: any node
    answers for all of them."""
    checks = []
    # (e) A worker needs a shared database.
    lone = Daemon(tmp, "any-lone", {"workers": 1}, worker=True)
    r = subprocess.run([VERDICTD, "worker", "-f", lone.conf, "--state-dir",
                        lone.state], capture_output=True, text=True,
                       timeout=60)
    checks.append(("worker without a database refused", r.returncode != 0
                   and "database" in r.stderr, r.returncode,
                   r.stderr[-500:]))
    with pg.server(tmp, "pg-any") as db:
        a = node(tmp, db, "any-a", workers=1)
        b = node(tmp, db, "any-b", workers=1)
        w = node(tmp, db, "any-w", worker=True, workers=1)

        # (a) A verdict wakes a long poll on another node at once (the
        # lease is the default 30 s: without the note, the next look
        # would be at the lease timer, every 10 s): each
        # candidate posted to A, long-polled on B, until two were judged
        # by a node other than B (whose own verdicts wake it locally).
        lags, judges = [], []
        for i in range(8):
            st, _, body = a.request("POST", "/v1/candidates", [{
                "run": "poll", "task_id": "HumanEval/%d" % i,
                "completion": canonical_rows()[i]["completion"]}])
            cid = body["ids"][0]
            got = {}

            def poll(cid=cid, got=got):
                got["answer"] = b.request(
                    "GET", "/v1/candidates/%s?wait=30" % cid)
                got["t"] = time.time()
            th = threading.Thread(target=poll)
            th.start()
            t_done = None
            while t_done is None and th.is_alive():
                one = a.request("GET", "/v1/candidates/" + cid)[2]
                if one.get("state") == "done":
                    t_done = time.time()
                time.sleep(0.02)
            th.join()
            st, _, one = got["answer"]
            lags.append(round(got["t"] - (t_done or got["t"]), 2))
            judges.append(psql(db, "SELECT lease_node FROM jobs j JOIN "
                               "candidates c ON c.job_id = j.id WHERE "
                               "c.id = %s" % cid.split("-")[-1])[0][0]
                          if cid.startswith("v-") else "?")
            checks.append(("long poll on B of %s" % cid, st == 200 and
                           one.get("verdict") == "passed" and lags[-1] < 2,
                           st, (one, lags[-1])))
            if sum(j != "any-b" for j in judges) >= 2:
                break
        checks.append(("some judged by A or W", sum(
            j != "any-b" for j in judges) >= 2, "", judges))

        # (b) B reads what A stored; and B's feed, followed while they
        # are judged (by A, B and W), gives every verdict once, in the
        # order A's gives them.
        rows = both_rows("any")
        fed = []
        th = threading.Thread(target=lambda: fed.extend(feed_follow(
            b, "any", len(rows))[0]))
        th.start()
        ids = []
        for i in range(0, len(rows), 100):
            ids += a.request("POST", "/v1/candidates",
                             rows[i:i + 100])[2].get("ids", [])
        info_a = a.wait_run("any")
        th.join(300)
        whole = a.request("GET", "/v1/runs/any/feed")[2]
        whole = [json.loads(x) for x in whole.splitlines()] \
            if isinstance(whole, bytes) else []
        checks.append(("B's feed followed: each verdict once, A's order",
                       feed_once(fed, ids) and [x["id"] for x in fed] ==
                       [x["id"] for x in whole], len(fed), len(whole)))
        same = [(p, a.request("GET", p)[2], b.request("GET", p)[2])
                for p in ("/v1/runs/any", "/v1/runs/any/problems",
                          "/v1/reports?runs=any")]
        checks.append(("counts", info_a["done"] == len(rows) and
                       info_a["verdicts"]["passed"] == len(rows) // 2, "",
                       info_a))
        for p, x, y in same:
            checks.append(("B's %s is A's" % p, x == y and isinstance(
                x, dict), "", (str(x)[:200], str(y)[:200])))

        # (c) One batch with client ids posted to A and B at once: each
        # candidate stored once.
        dup = [{"id": "dup-%d" % i, "run": "dup",
                "task_id": "HumanEval/%d" % i,
                "completion": "    return 'dup %d'\n" % i}
               for i in range(50)]
        answers = [None, None]
        go = threading.Barrier(2)

        def post(k, d):
            go.wait()
            answers[k] = d.request("POST", "/v1/candidates", dup)
        ths = [threading.Thread(target=post, args=(k, d))
               for k, d in enumerate((a, b))]
        for th in ths:
            th.start()
        for th in ths:
            th.join()
        info = b.wait_run("dup")
        ok = all(x[0] == 202 for x in answers)
        checks.append(("same batch on A and B at once: stored once", ok and
                       answers[0][2]["ids"] == answers[1][2]["ids"] ==
                       [x["id"] for x in dup] and
                       answers[0][2]["duplicates"] +
                       answers[1][2]["duplicates"] == len(dup) and
                       info["candidates"] == info["done"] == len(dup),
                       [x[0] for x in answers], (answers, info)))

        # (d) Problems imported on A are judged by the other nodes too.
        apps = os.path.join(ROOT, "tests", "jail", "problems", "apps.jsonl")
        with open(apps, "rb") as f:
            imp = a.request("POST", "/v1/problems?format=apps", f.read())
        tid = imp[2]["task_ids"][0] if imp[0] == 201 else "x"
        prog = ("import time\ntime.sleep(0.2)\n"
                "a, b = map(int, input().split())\nprint(a + b%s)  # %d\n")
        cands = [{"run": "apps", "task_id": tid, "sample": i,
                  "program": prog % (" + 1" if i % 4 == 3 else "", i)}
                 for i in range(24)]
        st, _, body = a.request("POST", "/v1/candidates", cands)
        info = a.wait_run("apps")
        apps_by = {nd: int(c) for nd, c in psql(
            db, "SELECT lease_node, count(*) FROM jobs WHERE task_id = '%s'"
            " AND state = 2 GROUP BY lease_node" % tid.replace("'", "''"))}
        checks.append(("imported on A, judged everywhere", imp[0] == 201 and
                       st == 202 and info["done"] == 24 and
                       info["verdicts"]["passed"] == 18 and
                       info["verdicts"]["failed"] == 6 and
                       set(apps_by) - {"any-a"}, "", (imp, info, apps_by)))

        # (f) Fair share across the cluster: a run of ten posted to B
        # after a big run posted to A is not starved.
        big = [{"run": "big", "task_id": "HumanEval/%d" % (i % 164),
                "completion": "    return None  # %d\n" % i}
               for i in range(300)]
        a.request("POST", "/v1/candidates", big)
        time.sleep(0.5)
        # Not judged before (no verdict to reuse).
        small = [{"run": "small", "task_id": "HumanEval/%d" % i,
                  "completion": canonical_rows()[i]["completion"] +
                  "    # small\n"} for i in range(10)]
        before = a.run_info("big")["done"]
        t0 = time.time()
        b.request("POST", "/v1/candidates", small)
        while time.time() < t0 + 300:
            small_info = b.run_info("small")
            if small_info["done"] == 10:
                break
            time.sleep(0.02)
        small_secs = time.time() - t0
        after = a.run_info("big")["done"]
        small_by = {nd: int(c) for nd, c in psql(
            db, "SELECT lease_node, count(*) FROM jobs WHERE run_id = "
            "(SELECT id FROM runs WHERE name = 'small') GROUP BY 1")}
        # Each node takes turns between the runs: about one big job per
        # small one on each node (10 in all), plus the windows of jobs
        # already handed out (workers * 2 per node); 40 leaves room for
        # the polling.
        checks.append(("fair share", small_info.get("done") == 10 and
                       after < 300 and after - before <= 40, "",
                       (before, after, small_info, small_by)))
        a.wait_run("big")
        bad = [c for c in checks if not c[1]]
        for c in bad:
            diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
        finish_all(s, "cluster_any_node", [w, a, b], not bad, "%d checks; "
                   "long polls on B answered %s s after the verdict "
                   "(judged by %s); imported problem judged by %s; big "
                   "judged %d while small's 10 ran in %.2f s (judged by "
                   "%s)" % (len(checks), lags, judges, apps_by,
                            after - before, small_secs, small_by))


def both_rows(run):
    """The 164 HumanEval canonical solutions and a wrong completion per
    problem: 328 candidates of run."""
    out = []
    for r in canonical_rows():
        out.append(dict(r, run=run, sample=0))
        out.append({"run": run, "task_id": r["task_id"], "sample": 1,
                    "completion": "    return 'verdict-e2e-wrong'\n"})
    return out


def cluster_matches_sqlite(s, tmp):
    """The same candidates judged by a cluster (a serve node and a
    worker) and by a SQLite daemon: the same per-problem counts and the
    same report."""
    rows = both_rows("same")
    lite = Daemon(tmp, "same-sqlite").start()
    with pg.server(tmp, "pg-same") as db:
        a = node(tmp, db, "same-a", workers=1)
        w = node(tmp, db, "same-w", worker=True, workers=1)
        for d in (a, lite):
            for i in range(0, len(rows), 100):
                d.request("POST", "/v1/candidates", rows[i:i + 100])
        got = []
        for d in (a, lite):
            d.wait_run("same")
            got.append([d.request("GET", p) for p in (
                "/v1/runs/same/problems", "/v1/reports?runs=same")])
        by = judged_by(db)
        checks = [("%s identical" % what, x[0] == y[0] == 200 and
                   isinstance(x[2], dict) and x[2] == y[2], "",
                   (str(x)[:300], str(y)[:300]))
                  for what, x, y in zip(("problems", "report"), *got)]
        checks.append(("judged by both nodes", set(by) == {"same-a",
                                                           "same-w"}, "",
                       by))
        bad = [c for c in checks if not c[1]]
        for c in bad:
            diag("%s: got %s %s" % (c[0], c[2], str(c[3])[:600]))
        rep = got[0][1][2] if isinstance(got[0][1][2], dict) else {}
        finish_all(s, "cluster_matches_sqlite", [w, a, lite], not bad,
                   "328 candidates, pass@1 %s on both; cluster judged %s"
                   % (rep.get("runs", [{}])[0].get("pass_at_k", {}).get(
                       "1"), by))


# --- sanitize (issue 11 item 8) ---

# Real HumanEval problems whose chat answers sanitize must judge right:
# typing imports (0, 12), a helper of the prompt that the entry point
# calls (10, 32, 38: the tests of 38 call encode_cyclic themselves).
SAN_TASKS = ["HumanEval/0", "HumanEval/10", "HumanEval/12", "HumanEval/32",
             "HumanEval/38", "HumanEval/53"]


def chat_answer(p, body=None):
    """A chat model's answer to problem p: prose, a fenced block with the
    prompt and a body (the canonical one unless given), a usage example
    and a __main__ block, then more prose."""
    return ("Sure! Here's a solution to the problem:\n\n```python\n" +
            p["prompt"] + (body or p["canonical_solution"]) +
            "\n\n# Example usage\nprint(%s)\n" % p["entry_point"] +
            "if __name__ == \"__main__\":\n    import doctest\n"
            "    doctest.testmod()\n```\n\n"
            "It's straightforward: the loop visits each item once.\n")


def san_attacks(p):
    """Hostile answers to problem p, each with the verdict it must get."""
    e, wrong = p["entry_point"], "    return None\n"
    return [
        # A harness of its own: unreached, dropped; the judge's check
        # and candidate live in the judge anyway.
        ("fake_check", "```python\n" + p["prompt"] + wrong +
         "\ndef check(candidate):\n    return True\n"
         "candidate = %s\ncheck(%s)\nMETADATA = {}\n"
         "import sys; sys.exit(0)\n```\n" % (e, e), "failed"),
        # The right answer after the fence: the fence's is judged.
        ("after_fence", "```python\n" + p["prompt"] + wrong + "```\n" +
         p["prompt"] + p["canonical_solution"], "failed"),
        # A fence closing inside a docstring: read as one program.
        ("fence_in_string", p["prompt"].replace('"""', '"""\n```\n', 1) +
         p["canonical_solution"], "passed"),
        # An unclosed string at the end, to swallow what follows: dropped.
        ("unclosed_string", "```python\n" + p["prompt"] + wrong +
         "X = " + "'" * 3 + "\n", "failed"),
        # Exits at the top level, before the tests: dropped.
        ("early_exit", "```python\n" + p["prompt"] + wrong +
         "import os\nos._exit(0)\nraise SystemExit\n```\n", "failed"),
        # The right function, then its name bound to a wrong one: the
        # first definition of a name wins (EvalPlus), so this passes
        # sanitized where the raw text fails; the verdict says so.
        ("rebound", p["prompt"] + p["canonical_solution"] +
         "\n%s = lambda *a: None\n" % e, "passed"),
    ]


def sanitize(s, tmp):
    """Chat answers to real HumanEval problems pass with sanitize (per
    candidate, per request, the clients' flags, verdictd eval) and are
    syntax errors without; the text as posted is kept and shown; the
    attacks get their verdicts (issue 11 item 8)."""
    d = Daemon(tmp, "san").start()
    probs = {p["task_id"]: p for p in load(HUMANEVAL)}
    ps = [probs[t] for t in SAN_TASKS]
    checks = []

    def post(path, body):
        st, _, ans = d.request("POST", path, body)
        if st != 200:
            diag("POST %s: %s %s" % (path, st, ans))
            return st, {}
        return st, ans

    # Per candidate: the same answers with and without sanitize.
    chat = [{"run": "san", "task_id": p["task_id"], "program":
             chat_answer(p), "sanitize": True} for p in ps]
    raw = [dict(c, run="raw", sanitize=False) for c in chat]
    st, a = post("/v1/candidates?wait=60", chat)
    got = [r.get("verdict") for r in a.get("results", [])]
    checks.append(("sanitized pass", got == ["passed"] * len(ps), got))
    checks.append(("rewards say sanitized", all(
        r.get("sanitized") is True for r in a.get("results", [])),
        a.get("results")))
    st, b = post("/v1/candidates?wait=60", raw)
    got = [r.get("verdict") for r in b.get("results", [])]
    checks.append(("raw syntax_error", got == ["syntax_error"] * len(ps),
                   got))
    checks.append(("raw not sanitized", all(
        "sanitized" not in r for r in b.get("results", [])), ""))
    # The text as posted is kept and shown.
    ids = a.get("ids", ["none"])
    st, _, one = d.request("GET", "/v1/candidates/%s" % ids[0])
    checks.append(("original shown", st == 200 and
                   one.get("sanitized") is True and
                   one.get("original") == chat[0]["program"], one))
    rc, lines = results(d, "san")
    checks.append(("results say sanitized", rc == 0 and
                   len(lines) == len(ps) and all(
                       x.get("sanitized") is True and "original" not in x
                       for x in lines), lines[:1]))
    r = d.client("results", "san", "--fields", "original")
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    checks.append(("results ?fields=original", sorted(
        x.get("original", "") for x in lines) == sorted(
            c["program"] for c in chat), r.stderr))
    # MBPP's references (CRLF, tabs; Mbpp/19 is named test_duplicate)
    # in a CRLF answer, with a test of its own.
    mbpp = {"Mbpp/%d" % r["task_id"]: r["code"] for r in load(os.path.join(
        ROOT, "data", "mbpp", "mbpp.jsonl.gz")) if r["task_id"] in
            (12, 19, 20)}
    st, m = post("/v1/candidates?wait=60&sanitize=1", [
        {"run": "san-m", "task_id": t, "program": "Here's the function:"
         "\r\n```python\r\n" + code + "\r\n\r\nassert %s\r\n```\r\n" %
         re.match(r"def (\w+)", code).group(1)} for t, code in
        sorted(mbpp.items())])
    got = [x.get("verdict") for x in m.get("results", [])]
    checks.append(("mbpp crlf", got == ["passed"] * 3, got))
    # A completion: the prompt, a newline, the answer.
    st, c = post("/v1/candidates?wait=60", {
        "run": "san-c", "task_id": ps[0]["task_id"], "sanitize": True,
        "completion": "Here you go:\n```python\n" + ps[0]["prompt"] +
        ps[0]["canonical_solution"] + "```\n"})
    checks.append(("completion", [x.get("verdict") for x in
                                  c.get("results", [])] == ["passed"], c))
    # Per request: ?sanitize=1, and a candidate that says otherwise.
    req = [{"run": "san-r", "task_id": p["task_id"], "solution":
            chat_answer(p)} for p in ps]
    req[-1]["sanitize"] = False
    st, e = post("/v1/candidates?wait=60&sanitize=1", req)
    got = [x.get("verdict") for x in e.get("results", [])]
    checks.append(("?sanitize=1", got == ["passed"] * (len(ps) - 1) +
                   ["syntax_error"], got))
    # Refusals name the field.
    st, _, bad = d.request("POST", "/v1/candidates", dict(chat[0],
                                                          sanitize="yes"))
    checks.append(("bad sanitize", st == 400 and bad.get("error", {}).get(
        "field") == "sanitize", bad))
    st, _, bad = d.request("POST", "/v1/candidates?sanitize=2", chat[0])
    checks.append(("bad ?sanitize", st == 400 and bad.get("error", {}).get(
        "field") == "sanitize", bad))
    # Attacks, each with its verdict.
    att = [(name, p["task_id"], text, want) for p in ps[:2]
           for name, text, want in san_attacks(p)]
    st, f = post("/v1/candidates?wait=60&sanitize=1", [
        {"run": "san-a", "task_id": t, "program": text}
        for _, t, text, _ in att])
    got = [x.get("verdict") for x in f.get("results", [])]
    for (name, t, _, want), v in zip(att, got + [None] * len(att)):
        checks.append(("attack %s %s" % (name, t), v == want, v))
    # The clients' flags: verdict submit --sanitize, and the file to
    # verdictd eval --sanitize.
    path = os.path.join(tmp, "chat.jsonl")
    write_jsonl(path, [{"task_id": p["task_id"], "solution":
                        chat_answer(p)} for p in ps])
    r = d.client("submit", "--run", "san-cli", "--sanitize", path)
    info = d.wait_run("san-cli")
    checks.append(("submit --sanitize", r.returncode == 0 and
                   info.get("verdicts", {}).get("passed") == len(ps),
                   r.stderr + str(info.get("verdicts"))))
    out = os.path.join(tmp, "chat.out.jsonl")
    ev = subprocess.run([VERDICTD, "eval", "--sanitize", "--samples", path,
                         "--out", out, "--quiet"], capture_output=True,
                        text=True)
    rows = load(out) if ev.returncode == 0 else []
    checks.append(("eval --sanitize", len(rows) == len(ps) and all(
        x["passed"] and x.get("sanitized") is True for x in rows),
        ev.stderr[-500:]))
    bad = [c for c in checks if not c[1]]
    for c in bad:
        diag("%s: %s" % (c[0], str(c[2])[:800]))
    finish(s, "sanitize", d, not bad, "%d checks, %d attacks" % (
        len(checks), len(att)))


TESTS = [config_check, he_canonical, idempotent, dedupe, long_poll, rewards,
         openapi, client_show, python_client, manage_runs, feed, kill9,
         sigterm, backpressure, batch_over_limit, port_in_use, auth,
         fair_share, bad_input, import_, datasets, sanitize, metrics,
         report_matches_eval, report_requests, report_export, privsep,
         two_daemons, broker_lost, non_root, install, postgresql,
         postgresql_restart, cluster, cluster_any_node,
         cluster_matches_sqlite]

if __name__ == "__main__":
    tap.main(TESTS, "verdict-e2e.")
