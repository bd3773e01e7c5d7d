#!/usr/bin/env python3
# run.py - "make soak" (issue 13; not in make test or CI): one daemon
# under an hour of mixed traffic, then its verdicts against a clean run.
#
#   make soak                       # one hour
#   SOAK_SECONDS=600 make soak      # ten minutes
#   O=build-check SOAK_SECONDS=600 python3 tests/soak/run.py
#
# One `verdictd serve` ($O's) with a fresh state directory, workers 2,
# the bundled HumanEval and the hostile suite's problems
# (tests/jail/problems/), for SOAK_SECONDS (default 3600) of traffic from
# threads of this process, each on its own keep-alive connection:
#
#   submit    the 16,400 CodeGen-16B samples (make run's data), shuffled
#             (SOAK_SEED), in NDJSON batches of 100 into runs of 2,000
#             (SOAK_RUN_SIZE); the queue is kept under SOAK_QUEUE (300)
#             so that the jail is always busy but the end is near.
#             Each later pass over the samples appends "# soak pass P"
#             to every program (new jobs, the same verdicts).  One
#             batch in ten is posted again (stored once: duplicates) and
#             one in ten under a second run (the same programs: judged
#             once, dedupe).
#   hostile   every 30 s, 25 of the hostile suite's programs (tests/jail/
#             gen.py; not those that expect a time-out, whose verdict
#             depends on the machine's load), in turn, into a run of its
#             own, each with a "# round N" line (judged again).
#   reads     in turn: the runs list, a run, its problems, its results
#             (with messages), its feed (not following), a report in JSON
#             over two runs (problems=all) and one in HTML, /metrics,
#             long polls on candidates (?wait=, one and many ids), and a
#             reward (POST ?wait=) of one sample into a run soak-rl-N
#             (20 each).
#   collect   each run that gets no more candidates, once judged: its
#             verdicts read (results), then the run deleted, so that the
#             store stays about the same size.  SQLite's page cache
#             (32 MiB per connection) grows with the database, which is
#             no leak; with the store steady, whatever grows is one.
#   follow    a feed that follows the current run for 20 s, resumed at
#             the last cursor: no cursor twice.
#   delete    every 20 s a run of 50 samples (half of them programs that
#             live runs have too), deleted 0-3 s later, queued or
#             running.
#   SIGHUP    every 30 s (the config reread).
#
# Every minute a line: elapsed, the daemon's RSS and open descriptors
# (/proc/PID/fd), the sizes of the SQLite WAL and database, verdicts/s
# over the minute (/metrics' verdictd_verdicts_total) and in all,
# queued.  Then the traffic stops, the queue is drained, and the verdict
# of every candidate of the runs left is read (results).  The same
# programs without their "pass"/"round" lines go once each through a
# clean `verdictd eval -j 2` with the same problems, and every candidate
# is compared with its program's clean verdict.
#
# It holds (exit 0) only when, after the warm-up (the first quarter):
#   - RSS grew by less than RSS_TOLERANCE (10%) from the warm-up's end to
#     the end (the median of the samples of each minute);
#   - open descriptors stayed within +-FD_TOLERANCE (5) of the warm-up's
#     end (same medians), and their max is within 2 * FD_TOLERANCE;
#   - no candidate's verdict differs from the clean run's (but "limit
#     races": timeout against memory_limit or output_limit, a program
#     that runs into two limits and gets the first it reaches, which
#     depends on the load; listed, never a pass against a fail);
#   - no answer was a 5xx, no request failed, the daemon never stopped,
#     exits 0 on SIGTERM, and its log has no sanitizer report.
# Prints TAP.  Needs root (the jail).

import gzip
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
import daemon                                           # noqa: E402
import tap                                              # noqa: E402
from tap import diag                                    # noqa: E402

ROOT = daemon.ROOT
SECONDS = float(os.environ.get("SOAK_SECONDS", "3600"))
SEED = int(os.environ.get("SOAK_SEED", "13"))
QUEUE = int(os.environ.get("SOAK_QUEUE", "300"))
SAMPLES = os.path.join(ROOT, "data", "samples",
                       "humaneval_codegen16B_codet_n100.samples.jsonl.gz")
HUMANEVAL = os.path.join(ROOT, "data", "humaneval", "HumanEval.jsonl.gz")
JAIL_PROBLEMS = os.path.join(ROOT, "tests", "jail", "problems")
SAMPLE_EVERY_S = 10
PRINT_EVERY_S = 60
RSS_TOLERANCE = 0.10
FD_TOLERANCE = 5
BATCH = 100
RUN_SIZE = int(os.environ.get("SOAK_RUN_SIZE", "2000"))
NDJSON = {"Content-Type": "application/x-ndjson"}
# A program that runs into two limits (a list that grows for ever: the
# CPU time or the address space first) gets the one it reaches first,
# which depends on the machine's speed and load: such a pair is a "limit
# race", listed, not a difference.  Both are fails: a pass bit never
# changes.
LIMITS = {"timeout", "memory_limit", "output_limit"}


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def hostile_cases(tmp):
    """The hostile suite's cases but those expecting a time-out: dicts
    of name, task, kind (completion or program), text, expect."""
    out = os.path.join(tmp, "cases")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "jail",
                                                 "gen.py"), out],
                   check=True, stdout=subprocess.DEVNULL)
    cases = []
    for fn in sorted(os.listdir(out)):
        if not fn.endswith(".py"):
            continue
        with open(os.path.join(out, fn), encoding="utf-8") as f:
            text = f.read()
        head = dict(re.findall(r"^# (task|kind|expect): *(.*?) *$", text,
                               re.M))
        if head.get("expect") in (None, "timeout"):
            continue
        cases.append({"name": fn[:-3], "task": head["task"],
                      "kind": head["kind"], "text": text,
                      "expect": head["expect"]})
    return cases


class Client:
    """One keep-alive connection to the daemon; counts what went wrong."""

    def __init__(self, port, soak):
        self.port, self.soak = port, soak
        self.c = None

    def request(self, method, path, body=None, headers=None, timeout=120):
        if isinstance(body, (list, dict)):
            body = json.dumps(body).encode()
        for attempt in range(2):
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.port,
                                                    timeout=timeout)
            try:
                self.c.request(method, path, body=body,
                               headers=headers or {})
                r = self.c.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.c.close()
                    self.c = None
                break
            except (OSError, http.client.HTTPException) as e:
                self.c.close()
                self.c = None
                if attempt == 1:
                    self.soak.error("%s %s: %s" % (method, path[:80], e))
                    return 0, None
        self.soak.count(r.status, method, path)
        ctype = r.getheader("Content-Type", "")
        if "json" in ctype and "ndjson" not in ctype:
            try:
                data = json.loads(data)
            except ValueError:
                pass
        return r.status, data


class Soak:
    def __init__(self, d, tmp):
        self.d = d
        self.tmp = tmp
        self.mu = threading.Lock()
        self.stop = threading.Event()
        self.errors = []
        self.odd = []           # the first 4xx but 404s, for the log
        self.statuses = {}
        self.requests = 0
        self.cands = {}         # id -> (run, key) of every kept candidate
        self.deleted_runs = set()
        self.keys = {}          # key -> (task_id, kind, text) of a base
        self.runs = []          # kept runs, in order
        self.closed = []        # runs that get no more candidates
        self.got = {}           # id -> verdict, of the runs collected
        self.collected = set()  # runs read and deleted
        self.hup = 0
        self.deletes = 0
        self.follow_lines = 0
        self.follow_dups = 0
        self.rewards = 0
        self.samples = []       # (t, rss_kb, fds, wal, verdicts)

    def error(self, msg):
        with self.mu:
            if len(self.errors) < 50:
                self.errors.append(msg)

    def count(self, status, method, path):
        with self.mu:
            self.requests += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500 and status != 503:
            self.error("%s %s: %d" % (method, path[:80], status))
        elif 400 <= status < 500 and status != 404 and len(self.odd) < 10:
            self.odd.append("%s %s: %d" % (method, path[:100], status))

    def keep(self, run, ids, keys):
        with self.mu:
            for i, k in zip(ids, keys):
                self.cands[i] = (run, k)

    def open_run(self, run):
        with self.mu:
            if run not in self.runs:
                self.runs.append(run)

    def close_run(self, run):
        with self.mu:
            if run in self.runs and run not in self.closed:
                self.closed.append(run)

    # --- Traffic ---

    def queued(self, cl):
        st, h = cl.request("GET", "/v1/health")
        return h.get("queued", 0) + h.get("running", 0) if st == 200 else 0

    def submit(self):
        cl = Client(self.d.port, self)
        rng = random.Random(SEED)
        rows = load(SAMPLES)
        order = list(range(len(rows)))
        rng.shuffle(order)
        n = 0
        p = 0
        while not self.stop.is_set():
            for start in range(0, len(order), BATCH):
                if self.stop.is_set():
                    return
                while self.queued(cl) > QUEUE and not self.stop.wait(0.2):
                    pass
                run = "soak-p%d-r%d" % (p, n // RUN_SIZE)
                if self.runs and run not in self.runs:
                    for r in [x for x in self.runs if x.startswith((
                            "soak-p", "soak-dup-"))]:
                        self.close_run(r)
                self.open_run(run)
                batch, keys = [], []
                for i in order[start:start + BATCH]:
                    r = rows[i]
                    key = "s%d" % i
                    self.keys[key] = (r["task_id"], "completion",
                                      r["completion"])
                    text = r["completion"] + (
                        "\n# soak pass %d\n" % p if p else "")
                    batch.append({"run": run, "task_id": r["task_id"],
                                  "sample": i, "completion": text})
                    keys.append(key)
                body = "\n".join(json.dumps(x) for x in batch).encode()
                st, ans = cl.request("POST", "/v1/candidates", body, NDJSON)
                if st != 202:
                    self.error("submit %s: %s %s" % (run, st, str(ans)[:200]))
                    continue
                self.keep(run, ans["ids"], keys)
                n += len(batch)
                if rng.random() < 0.1:      # the same batch again
                    st, again = cl.request("POST", "/v1/candidates", body,
                                           NDJSON)
                    if st != 202 or again["ids"] != ans["ids"] or \
                            again["duplicates"] != len(batch):
                        self.error("batch again: %s %s" % (st,
                                                           str(again)[:200]))
                if rng.random() < 0.1:      # the same programs, another run
                    drun = run.replace("soak-p", "soak-dup-p")
                    self.open_run(drun)
                    dbody = "\n".join(json.dumps(dict(x, run=drun))
                                      for x in batch).encode()
                    st, dup = cl.request("POST", "/v1/candidates", dbody,
                                         NDJSON)
                    if st == 202:
                        self.keep(drun, dup["ids"], keys)
                    else:
                        self.error("dup run: %s" % st)
            p += 1

    def hostile(self, cases):
        cl = Client(self.d.port, self)
        rnd = 0
        pos = 0
        while not self.stop.wait(0 if rnd == 0 else 30):
            pick = [cases[(pos + i) % len(cases)] for i in range(25)]
            pos += 25
            run = "hostile-%d" % rnd
            batch, keys = [], []
            for c in pick:
                key = "h:" + c["name"]
                self.keys[key] = (c["task"], c["kind"], c["text"])
                batch.append({"run": run, "task_id": c["task"], "id":
                              "%s-%d" % (c["name"], rnd),
                              c["kind"]: c["text"] + "\n# round %d\n" % rnd})
                keys.append(key)
            st, ans = cl.request("POST", "/v1/candidates", batch)
            if st == 202:
                self.open_run(run)
                self.keep(run, ans["ids"], keys)
                self.close_run(run)
            else:
                self.error("hostile: %s %s" % (st, str(ans)[:200]))
            rnd += 1

    def reads(self):
        cl = Client(self.d.port, self)
        rng = random.Random(SEED + 1)
        rows = load(SAMPLES)
        step = 0
        while not self.stop.wait(0.2):
            with self.mu:
                runs = list(self.runs)
                ids = list(self.cands)[-2000:]
            if not runs or not ids:
                continue
            run = rng.choice(runs)
            k = step % 10
            step += 1
            if k == 0:
                cl.request("GET", "/v1/runs")
            elif k == 1:
                cl.request("GET", "/v1/runs/" + run)
                cl.request("GET", "/v1/runs/%s/problems" % run)
            elif k == 2:
                cl.request("GET", "/v1/runs/%s/results?fields=message,"
                           "tests,stderr" % run)
            elif k == 3:
                cl.request("GET", "/v1/runs/%s/feed?after=%d" % (
                    run, rng.randrange(0, 1000)))
            elif k == 4:
                other = rng.choice(runs)
                cl.request("GET", "/v1/reports?runs=%s&problems=all" %
                           ",".join(sorted({run, other})))
            elif k == 5:
                cl.request("GET", "/v1/reports?runs=%s&format=html" % run)
            elif k == 6:
                cl.request("GET", "/metrics")
            elif k == 7:
                cl.request("GET", "/v1/candidates/%s?wait=5" %
                           rng.choice(ids))
            elif k == 8:
                cl.request("GET", "/v1/candidates?ids=%s&wait=5" % ",".join(
                    rng.sample(ids, min(20, len(ids)))))
            else:
                i = rng.randrange(len(rows))
                r = rows[i]
                rl = "soak-rl-%d" % (self.rewards // 20)
                st, ans = cl.request("POST", "/v1/candidates?wait=30", {
                    "run": rl, "task_id": r["task_id"],
                    "completion": r["completion"] + "\n# reward %d\n" % step})
                if st in (200, 202):
                    self.keys["s%d" % i] = (r["task_id"], "completion",
                                            r["completion"])
                    self.open_run(rl)
                    self.keep(rl, ans["ids"], ["s%d" % i])
                    with self.mu:
                        self.rewards += 1
                    if "soak-rl-%d" % (self.rewards // 20) != rl:
                        self.close_run(rl)

    def follow(self):
        seen = set()
        cursors = {}            # run -> the last cursor received
        while not self.stop.is_set():
            with self.mu:
                runs = [r for r in self.runs if r.startswith("soak-p")]
            if not runs:
                self.stop.wait(1)
                continue
            run = runs[-1]
            # Resumed at the last cursor, three times, then maybe the
            # same run again, still from its last cursor.
            for _ in range(3):
                cursor = cursors.get(run, 0)
                if self.stop.is_set():
                    return
                c = http.client.HTTPConnection("127.0.0.1", self.d.port,
                                               timeout=60)
                try:
                    c.request("GET", "/v1/runs/%s/feed?follow=1&after=%d&"
                              "timeout=20" % (run, cursor))
                    r = c.getresponse()
                    self.count(r.status, "GET", "feed?follow=1")
                    if r.status != 200:         # collected meanwhile
                        break
                    while not self.stop.is_set():
                        line = r.readline()
                        if not line:
                            break
                        o = json.loads(line)
                        cursor = max(cursor, o["cursor"])
                        cursors[run] = cursor
                        if "id" in o:
                            with self.mu:
                                self.follow_lines += 1
                                if (run, o["id"]) in seen:
                                    self.follow_dups += 1
                            seen.add((run, o["id"]))
                except (OSError, http.client.HTTPException, ValueError) as e:
                    self.error("follow %s: %s" % (run, e))
                finally:
                    c.close()

    def delete(self):
        cl = Client(self.d.port, self)
        rng = random.Random(SEED + 2)
        rows = load(SAMPLES)
        n = 0
        while not self.stop.wait(20):
            run = "scratch-%d" % n
            n += 1
            batch = []
            for j in range(50):
                i = rng.randrange(len(rows))
                text = rows[i]["completion"]
                if j % 2:
                    text += "\n# scratch %d\n" % n
                batch.append({"run": run, "task_id": rows[i]["task_id"],
                              "completion": text})
            st, _ = cl.request("POST", "/v1/candidates", batch)
            if st != 202:
                continue
            self.stop.wait(rng.uniform(0, 3))
            st, ans = cl.request("DELETE", "/v1/runs/" + run)
            if st == 200:
                with self.mu:
                    self.deletes += 1
            else:
                self.error("delete %s: %s %s" % (run, st, str(ans)[:200]))

    def results(self, cl, run):
        """The verdicts of a run's candidates, into self.got; whether
        it answered."""
        st, body = cl.request("GET", "/v1/runs/%s/results" % run)
        if st != 200:
            self.error("results %s: %s" % (run, st))
            return False
        with self.mu:
            for line in body.splitlines():
                if line.strip():
                    o = json.loads(line)
                    self.got[o["id"]] = o["verdict"]
        return True

    def collect(self):
        """Read the verdicts of each closed run once it is judged, then
        delete it: the store (and with it SQLite's page caches) stays
        about the same size, so that what grows is a leak."""
        cl = Client(self.d.port, self)
        while not self.stop.wait(5):
            with self.mu:
                todo = [r for r in self.closed if r not in self.collected]
            for run in todo:
                if self.stop.is_set():
                    return
                st, info = cl.request("GET", "/v1/runs/" + run)
                if st != 200 or info["queued"] or info["running"]:
                    continue
                if not self.results(cl, run):
                    continue
                st, _ = cl.request("DELETE", "/v1/runs/" + run)
                if st != 200:
                    self.error("delete %s: %s" % (run, st))
                with self.mu:
                    self.collected.add(run)
                    self.runs.remove(run)

    def guard(self, f, *args):
        """Run a traffic thread's function; an exception in it is the
        harness's fault, a failure, and the function starts again."""
        while not self.stop.is_set():
            try:
                f(*args)
                return
            except Exception as e:
                self.error("%s: %s: %s" % (f.__name__, type(e).__name__,
                                           e))
                self.stop.wait(1)

    def sighup(self):
        while not self.stop.wait(30):
            self.d.proc.send_signal(signal.SIGHUP)
            with self.mu:
                self.hup += 1

    # --- Figures ---

    def verdicts_total(self, cl):
        st, text = cl.request("GET", "/metrics")
        if st != 200:
            return None
        return sum(float(m) for m in re.findall(
            rb"^verdictd_verdicts_total\{[^}]*\} (\S+)$", text, re.M))

    def wal_bytes(self, suffix="-wal"):
        try:
            return os.path.getsize(os.path.join(self.d.state,
                                                "verdict.db" + suffix))
        except OSError:
            return 0

    def monitor(self, t0):
        cl = Client(self.d.port, self)
        last_print = (t0, 0.0)
        next_print = t0 + PRINT_EVERY_S
        while not self.stop.wait(SAMPLE_EVERY_S):
            if self.d.proc.poll() is not None:
                return
            now = time.time()
            rss, = self.d.proc_kb("VmRSS")
            fds = len(os.listdir("/proc/%d/fd" % self.d.proc.pid))
            v = self.verdicts_total(cl) or 0.0
            with self.mu:
                self.samples.append((now - t0, rss, fds, self.wal_bytes(), v))
            if now >= next_print:
                st, h = cl.request("GET", "/v1/health")
                print("# %5.0f s  RSS %6d KiB  fds %3d  WAL %5.1f MiB  db "
                      "%5.1f MiB  verdicts/s %5.1f (all %5.1f)  verdicts "
                      "%6d  queued %d  requests %d" % (
                          now - t0, rss, fds, self.wal_bytes() / 2 ** 20,
                          self.wal_bytes("") / 2 ** 20,
                          (v - last_print[1]) / (now - last_print[0]),
                          v / (now - t0), v,
                          h.get("queued", -1) if st == 200 else -1,
                          self.requests))
                sys.stdout.flush()
                last_print = (now, v)
                next_print += PRINT_EVERY_S


def drain(d, cl, limit_s):
    """Wait until nothing is queued or running; returns whether it did."""
    end = time.time() + limit_s
    while time.time() < end:
        st, h = cl.request("GET", "/v1/health")
        if st == 200 and h["queued"] == 0 and h["running"] == 0:
            return True
        time.sleep(1)
    return False


def minute_median(samples, lo, hi, i):
    xs = [s[i] for s in samples if lo <= s[0] < hi]
    return statistics.median(xs) if xs else None


def soak(s, tmp):
    problems = [HUMANEVAL] + sorted(
        os.path.join(JAIL_PROBLEMS, f) for f in os.listdir(JAIL_PROBLEMS))
    d = daemon.Daemon(tmp, "soak", {"workers": 2,
                                    "problems": problems}).start()
    cases = hostile_cases(tmp)
    diag("%g s against %s (pid %d, port %d); %d hostile cases; seed %d" % (
        SECONDS, d.verdictd, d.proc.pid, d.port, len(cases), SEED))
    so = Soak(d, tmp)
    t0 = time.time()
    ths = [threading.Thread(target=so.guard, args=(f,) + a, daemon=True)
           for f, a in [
        (so.submit, ()), (so.hostile, (cases,)), (so.reads, ()),
        (so.follow, ()), (so.delete, ()), (so.sighup, ()),
        (so.collect, ()), (so.monitor, (t0,))]]
    for t in ths:
        t.start()
    alive = True
    while time.time() < t0 + SECONDS:
        time.sleep(1)
        if d.proc.poll() is not None:
            alive = False
            break
    so.stop.set()
    for t in ths:
        t.join(180)
    elapsed = time.time() - t0
    s.result("daemon alive for %.0f s" % elapsed, alive,
             "" if alive else "exit %s" % d.proc.returncode)
    if not alive:
        diag(d.text()[-4000:])
        return

    # The figures.
    sm = so.samples
    warm = SECONDS / 4
    last = sm[-1][0] if sm else 0
    rss_w = minute_median(sm, warm, warm + 60, 1)
    rss_e = minute_median(sm, last - 60, last + 1, 1)
    fd_w = minute_median(sm, warm, warm + 60, 2)
    fd_e = minute_median(sm, last - 60, last + 1, 2)
    fd_max = max((x[2] for x in sm if x[0] >= warm), default=0)
    verdicts = sm[-1][4] if sm else 0
    diag("start: RSS %d KiB, %d fds; warm-up end (%.0f s): RSS %s KiB, "
         "%s fds; end: RSS %s KiB, %s fds (max after warm-up %d); WAL "
         "max %.1f MiB" % (sm[0][1], sm[0][2], warm, rss_w, fd_w, rss_e,
                           fd_e, fd_max, max(x[3] for x in sm) / 2 ** 20))
    diag("%d verdicts in %.0f s: %.1f/s; %d requests (%s); %d SIGHUPs, "
         "%d runs deleted, %d rewards, %d followed lines" % (
             verdicts, last, verdicts / max(last, 1), so.requests,
             ", ".join("%s: %d" % kv for kv in sorted(so.statuses.items())),
             so.hup, so.deletes, so.rewards, so.follow_lines))
    ok = rss_w is not None and rss_e is not None
    s.result("RSS flat after the warm-up (%s -> %s KiB, < %d%%)" % (
        rss_w, rss_e, RSS_TOLERANCE * 100),
        ok and rss_e < rss_w * (1 + RSS_TOLERANCE))
    s.result("descriptors flat after the warm-up (%s -> %s, max %d, "
             "+-%d)" % (fd_w, fd_e, fd_max, FD_TOLERANCE),
             ok and abs(fd_e - fd_w) <= FD_TOLERANCE and
             fd_max <= fd_w + 2 * FD_TOLERANCE)
    s.result("no request failed, no 5xx", not so.errors,
             "%d errors" % len(so.errors))
    for e in so.errors[:20] + so.odd:
        diag(e)
    s.result("a followed feed never repeats a verdict", so.follow_dups == 0,
             "%d lines, %d repeated" % (so.follow_lines, so.follow_dups))

    # Drain, then every kept candidate's verdict.
    cl = Client(d.port, so)
    drained = drain(d, cl, 900)
    s.result("queue drained", drained)
    for run in list(so.runs):
        so.results(cl, run)
    got = so.got
    diag("%d runs collected and deleted on the way" % len(so.collected))
    status = d.stop()
    s.result("exit 0 on SIGTERM", status == 0, "status %s" % status)
    s.result("no sanitizer report in the daemon's log", d.sanitizer_clean())

    # The clean run: each base program once, through verdictd eval.
    keys = sorted({k for _, k in so.cands.values()})
    path = os.path.join(tmp, "clean.jsonl")
    with open(path, "w") as f:
        for k in keys:
            task, kind, text = so.keys[k]
            f.write(json.dumps({"task_id": task, kind: text, "key": k}) +
                    "\n")
    out = os.path.join(tmp, "clean-out.jsonl")
    args = [d.verdictd, "eval", "--samples", path, "--out", out, "-j", "2",
            "--quiet"]
    for p in problems:
        args += ["--problems", p]
    t1 = time.time()
    r = subprocess.run(args, capture_output=True, text=True)
    clean = {}
    if os.path.exists(out):
        for o in load(out):
            clean[o["key"]] = o["verdict"]
    diag("clean run: %d programs in %.0f s (exit %d): %s" % (
        len(keys), time.time() - t1, r.returncode,
        r.stdout.strip().splitlines()[0] if r.stdout.strip() else
        r.stderr[-300:]))
    diffs, races, missing = [], [], 0
    for cid, (run, k) in so.cands.items():
        if cid not in got:
            missing += 1
            continue
        if got[cid] != clean.get(k):
            x = (cid, run, k, got[cid], clean.get(k))
            (races if {got[cid], clean.get(k)} <= LIMITS else
             diffs).append(x)
    s.result("every kept candidate has a verdict", missing == 0,
             "%d candidates, %d missing" % (len(so.cands), missing))
    s.result("no verdict differs from the clean run (%d candidates, %d "
             "programs)" % (len(so.cands) - missing, len(keys)), not diffs,
             "%d differ; %d limit races" % (len(diffs), len(races)))
    for x in diffs[:20] + races[:20]:
        diag("%s (%s, %s): soak %s, clean %s" % x)


if __name__ == "__main__":
    tap.main([soak], "verdict-soak.")
