#!/usr/bin/env python3
# run.py - fault injection: real faults on a real verdictd (no mocks),
# each test short.  TAP, like the other suites; --only a,b runs some.
#
#   disk_full        the state directory on a small tmpfs, filled up with
#                    a file in the middle of a run: submissions get 503
#                    store_unavailable with Retry-After (the JSON error
#                    says "database or disk is full"), reads still
#                    answer, nothing accepted is lost; once the file is
#                    deleted the held verdicts are stored, the refused
#                    batch goes in, and every candidate ends done once
#                    with its clean run's verdict (skipped, saying why,
#                    where no tmpfs can be mounted)
#   sqlite_locked    another process holds the SQLite file's write lock
#                    (BEGIN EXCLUSIVE) for longer than the busy timeout:
#                    submissions get 503 store_unavailable with
#                    Retry-After, no crash, and everything ends done once
#                    after the release
#   pg_stopped       cluster mode (a serve and a worker node): the whole
#                    PostgreSQL server frozen with SIGSTOP mid-run for
#                    24 s: submissions get 503 with Retry-After within
#                    21 s (a statement's 15 s without an answer, a new
#                    connection's 5 s), never a hang; health answers
#                    unreachable; no crash; after SIGCONT it carries on
#                    and every candidate ends done once with its clean
#                    verdict (a claim committed but never seen expires)
#   jail_faults      during a run of real CodeGen-16B samples the jail's
#                    helper processes (keeper, init, zygote, forker,
#                    judge) are killed (SIGKILL) and frozen (SIGSTOP, then
#                    SIGCONT, or left to the daemon's backstop) at random:
#                    every candidate ends done once with its clean run's
#                    verdict, or "error" marked oracle_error when both of
#                    its attempts were hit (what the daemon promises),
#                    never another verdict
#   fd_pressure      verdictd under RLIMIT_NOFILE 64, 80 idle
#                    connections held and 120 requests at once: clean
#                    answers or refused connections (no crash), nothing
#                    accepted is lost, every candidate judged right
#   mem_pressure     verdictd under the least RLIMIT_AS it starts in (a
#                    clean refusal below): small and 12 MB posts get 202
#                    or a JSON 503 (out_of_memory, store_unavailable),
#                    it stays up and exits 0 on SIGTERM; restarted
#                    without the limit on the same state, nothing
#                    accepted is lost; a job judged under the limit is
#                    the oracle's failure (the jail cannot give the
#                    candidate its 1 GiB), never a false verdict
#   kill9_loop       kill -9 of verdictd at FAULT_KILLS (20) random points
#                    of a run of FAULT_SAMPLES (2,000; 16,400 is the whole
#                    CodeGen-16B set, for make soak or by hand) real
#                    samples, posted in batches, some again after each
#                    restart: nothing lost, nothing twice, and the final
#                    verdicts equal the clean run's
#
# The clean run (the truth) is `verdictd eval` on the same samples, made
# once per suite.  $O is the build folder (default build).

import importlib.util
import json
import os
import random
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
import daemon                                           # noqa: E402
import pg                                               # noqa: E402
import tap                                              # noqa: E402
from tap import diag                                    # noqa: E402

# The e2e suite's helpers (its Daemon with the client, results, finish,
# wait_done, post_retrying, the process table): one copy of them.
_spec = importlib.util.spec_from_file_location(
    "e2e", os.path.join(os.path.dirname(HERE), "e2e", "run.py"))
e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(e2e)
Daemon = e2e.Daemon

VERDICTD = daemon.VERDICTD
SAMPLES = e2e.SAMPLES
SEED = int(os.environ.get("FAULT_SEED", str(int(time.time()))))
N_SAMPLES = int(os.environ.get("FAULT_SAMPLES", "2000"))
N_KILLS = int(os.environ.get("FAULT_KILLS", "20"))
RNG = random.Random(SEED)


# --- The samples and their clean verdicts ---

_rows = {}
_truth = {}


def samples(n):
    """The first n CodeGen-16B samples, spread over the problems: the
    first samples of every problem, then the next (n per problem
    rounded up, cut at n)."""
    if n not in _rows:
        allr = e2e.load(SAMPLES)
        per = -(-n // 164)
        rows = [r for r in allr if r["sample"] < per][:n]
        for r in rows:
            r.pop("prompt", None)
        _rows[n] = rows
    return _rows[n]


def key(r):
    return (r["task_id"], r["sample"])


def truth(tmp, rows):
    """(task_id, sample) -> verdict of a clean `verdictd eval` of rows
    (those not already known), -j 2."""
    todo = [r for r in rows if key(r) not in _truth]
    if todo:
        f = e2e.write_jsonl(os.path.join(tmp, "truth-%d.jsonl" % len(_truth)),
                            todo)
        out = f + ".out"
        t0 = time.time()
        r = subprocess.run([VERDICTD, "eval", "--samples", f, "--out", out,
                            "-j", "2", "--quiet"], capture_output=True,
                           text=True)
        if r.returncode not in (0, 2):
            raise RuntimeError("eval: %d %s" % (r.returncode, r.stderr))
        for x in e2e.load(out):
            _truth[key(x)] = x["verdict"]
        diag("clean run of %d samples: %.0f s" % (len(todo),
                                                   time.time() - t0))
    return {key(r): _truth[key(r)] for r in rows}


def with_run(rows, run):
    return [dict(r, run=run) for r in rows]


def compare(d, run, rows, want, oracle_ok=False):
    """Check run on d against the clean verdicts want: every row done
    once, each with its verdict (or, with oracle_ok, "error" marked
    oracle_error: for any row when it is True, else for rows whose clean
    verdict is in it).  Returns (problems, counts)."""
    rc, lines = e2e.results(d, run)
    bad = []
    got = {}
    for x in lines:
        k = (x["task_id"], x["sample"])
        if k in got:
            bad.append("twice: %s" % (k,))
        got[k] = x
    oracle = 0
    for r in rows:
        x = got.get(key(r))
        if x is None:
            bad.append("missing: %s" % (key(r),))
        elif x["verdict"] != want[key(r)]:
            full = d.request("GET", "/v1/candidates/" + x["id"])[2] or {}
            if full.get("oracle_error") is True and (
                    oracle_ok is True or want[key(r)] in (oracle_ok or ())):
                oracle += 1
                diag("oracle error: %s: %s" % (key(r), full.get("message")))
            else:
                bad.append("%s: %s, clean run %s%s" % (
                    key(r), x["verdict"], want[key(r)], detail(full)))
    info = d.run_info(run) or {}
    n = len(rows)
    if not (rc == 0 and len(lines) == n and info.get("candidates") == n and
            info.get("done") == n and
            sum(info.get("verdicts", {}).values()) == n):
        bad.append("counts: %d lines, %s" % (len(lines), info))
    return bad, {"oracle_errors": oracle, "info": info}


def detail(rec):
    """What a stored record says beyond its verdict, for a diagnosis."""
    if not rec:
        return ""
    keep = {k: rec.get(k) for k in ("message", "exit", "signal", "stderr",
                                    "rechecked", "cpu_ms", "wall_ms")}
    keep["tests"] = [(t.get("name"), t.get("status"), t.get("message"))
                     for t in rec.get("tests") or []][:5]
    return " (%s)" % json.dumps(keep)[:1500]


def post(d, rows, tries=60):
    """POST rows until a 202 (waiting out 429s and 503s): the ids."""
    for _ in range(tries):
        try:
            st, hdr, body = d.request("POST", "/v1/candidates", rows,
                                      timeout=60)
        except OSError:
            st, hdr, body = None, {}, None
        if st == 202:
            return body["ids"]
        time.sleep(float(hdr.get("Retry-After", "1")))
    raise RuntimeError("post: %s %s" % (st, str(body)[:300]))


def wait_all(d, run, n, timeout):
    return e2e.wait_done(d, run, n, timeout)


def err_of(body):
    return body.get("error", {}) if isinstance(body, dict) else {}


# --- 1. Disk full ---

def disk_full(s, tmp):
    mnt = os.path.join(tmp, "dfull")
    os.makedirs(mnt)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m,mode=755",
                        "tmpfs", mnt], capture_output=True, text=True)
    if r.returncode != 0:
        s.skip("disk_full", "cannot mount a tmpfs: %s" % r.stderr.strip())
        return
    try:
        _disk_full(s, tmp, mnt)
    finally:
        subprocess.run(["umount", "-l", mnt])


def fill(path):
    """Write path until the file system is full; its size."""
    n = 0
    chunk = b"\0" * (1 << 16)
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                n += f.write(chunk)
        except OSError:
            pass
        # The last pages: smaller writes until not one byte fits.
        for size in (4096, 512, 1):
            try:
                while True:
                    n += f.write(b"\0" * size)
            except OSError:
                pass
    return n


def _disk_full(s, tmp, mnt):
    rows = samples(656)                 # 4 a problem
    want = truth(tmp, rows)
    a, b = with_run(rows[:492], "df"), with_run(rows[492:], "df")
    d = Daemon(tmp, "dfull", state=os.path.join(mnt, "state")).start()
    checks = []
    ids = post(d, a)
    info0 = wait_all(d, "df", 40, 60)
    filler = os.path.join(mnt, "filler")
    size = fill(filler)
    t0 = time.time()
    seen = []
    # New candidates each time (a batch posted again is accepted without
    # a write); the first may still fit in the pages SQLite holds.
    k = 0
    while time.time() - t0 < 6 and k + 8 <= len(b):
        st, hdr, body = d.request("POST", "/v1/candidates", b[k:k + 8])
        seen.append((st, hdr.get("Retry-After"), err_of(body).get("code"),
                     err_of(body).get("message", "")))
        k += 8
        time.sleep(0.3)
    refused = [x for x in seen if x[0] != 202]
    st_r, _, _ = d.request("GET", "/v1/runs/df")
    st_h, _, health = d.request("GET", "/v1/health")
    alive = d.proc.poll() is None
    held = d.run_info("df") or {}
    os.unlink(filler)
    t_free = time.time()
    ids += post(d, b)
    info = wait_all(d, "df", len(rows), 240)
    t_done = time.time() - t_free
    checks.append(("alive while full", alive, ""))
    checks.append(("posts refused: 503 store_unavailable (or 507) with "
                   "Retry-After, the message says the disk is full",
                   len(refused) >= 5 and seen[-1][0] != 202 and all(
                       x[0] in (503, 507) and x[1] is not None and
                       x[2] in ("store_unavailable", "insufficient_storage")
                       and "full" in x[3] for x in refused), seen[:4]))
    checks.append(("reads answered while full", st_r == 200 and st_h == 200,
                   (st_r, st_h, health)))
    checks.append(("no verdict claimed stored while full beyond what was",
                   held.get("done", 0) <= len(a), held))
    bad, _ = compare(d, "df", rows, want)
    checks.append(("every candidate done once with its clean verdict",
                   not bad and len(set(ids)) == len(rows), bad[:10]))
    text = d.text()
    checks.append(("the log says why", "full" in text, ""))
    fails = [c for c in checks if not c[1]]
    for c in fails:
        diag("%s: %s" % (c[0], str(c[2])[:800]))
    e2e.finish(s, "disk_full", d, not fails, "filled %d KiB at %d done; "
               "%d refusals (%s); all %d done %.1f s after freeing" % (
                   size >> 10, info0.get("done", 0), len(refused),
                   ", ".join(str(x[0]) for x in seen),
                   info.get("done", 0), t_done))


# --- 2. The store locked, PostgreSQL frozen ---

LOCKER = r"""
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
print("released", flush=True)
"""


def sqlite_locked(s, tmp):
    rows = samples(492)
    want = truth(tmp, rows)
    a, b = with_run(rows[:328], "lk"), with_run(rows[328:], "lk")
    d = Daemon(tmp, "locked").start()
    ids = post(d, a)
    wait_all(d, "lk", 30, 60)
    hold = 14
    lk = subprocess.Popen([sys.executable, "-c", LOCKER,
                           os.path.join(d.state, "verdict.db"), str(hold)],
                          stdout=subprocess.PIPE, text=True)
    lk.stdout.readline()
    t0 = time.time()
    seen, health = [], []
    while time.time() - t0 < hold - 1:
        t1 = time.time()
        st, hdr, body = d.request("POST", "/v1/candidates", b[:20],
                                  timeout=60)
        seen.append((st, hdr.get("Retry-After"), err_of(body).get("code"),
                     round(time.time() - t1, 1), time.time() - t0 > hold))
        t1 = time.time()
        st, _, _ = d.request("GET", "/v1/health", timeout=60)
        health.append((st, round(time.time() - t1, 1)))
    alive = d.proc.poll() is None
    lk.wait()
    t_rel = time.time()
    ids += post(d, b)
    info = wait_all(d, "lk", len(rows), 240)
    checks = [
        ("alive", alive, ""),
        # A post waits out the busy timeout (10 s), then is refused; one
        # still waiting at the release goes in.
        ("posts: 503 store_unavailable with Retry-After",
         seen[:1] and seen[0][:3] == (503, "1", "store_unavailable") and
         all(x[:3] == (503, "1", "store_unavailable") or
             (x[0] == 202 and x[4]) for x in seen), seen),
        ("health answered", all(h[0] == 200 for h in health), health),
    ]
    bad, _ = compare(d, "lk", rows, want)
    checks.append(("every candidate done once with its clean verdict",
                   not bad and len(set(ids)) == len(rows), bad[:10]))
    fails = [c for c in checks if not c[1]]
    for c in fails:
        diag("%s: %s" % (c[0], str(c[2])[:800]))
    e2e.finish(s, "sqlite_locked", d, not fails, "locked %d s: %d posts "
               "refused (%s s each); all %d done %.1f s after release" % (
                   hold, len(seen), "/".join(str(x[3]) for x in seen[:3]),
                   info.get("done", 0), time.time() - t_rel))


PG_FROZEN_S = 24


def pg_pids(db):
    """The PostgreSQL server's processes: the postmaster (its pid file)
    and its children."""
    with open(os.path.join(db.dir, "data", "postmaster.pid")) as f:
        pm = int(f.readline())
    return [pm] + e2e.descendants(e2e.proc_table(), pm)


def pg_stopped(s, tmp):
    if not os.path.exists(pg.PG_SH):
        s.skip("pg_stopped", "no tests/tools/pg.sh")
        return
    rows = samples(492)
    want = truth(tmp, rows)
    a, b = with_run(rows[:328], "ps"), with_run(rows[328:], "ps")
    with pg.server(tmp) as db:
        d = Daemon(tmp, "pgstop", {"database": db.uri,
                                   "node_id": "serve"}).start()
        w = Daemon(tmp, "pgstop-w", {"database": db.uri, "node_id": "w1",
                                     "workers": 1}, worker=True).start()
        ids = post(d, a)
        info0 = wait_all(d, "ps", 30, 60)
        pids = pg_pids(db)
        for p in pids:
            os.kill(p, signal.SIGSTOP)
        t0 = time.time()
        seen, health = [], []
        try:
            while time.time() - t0 < PG_FROZEN_S:
                t1 = time.time()
                try:
                    st, hdr, body = d.request("POST", "/v1/candidates",
                                              b[:20], timeout=40)
                except OSError as e:
                    st, hdr, body = "no answer: %s" % e, {}, None
                seen.append((st, hdr.get("Retry-After"),
                             err_of(body).get("code"),
                             round(time.time() - t1, 1)))
                t1 = time.time()
                try:
                    st, _, h = d.request("GET", "/v1/health", timeout=40)
                    h = h.get("database", {}).get("reachable") \
                        if isinstance(h, dict) else h
                except OSError as e:
                    st, h = "no answer: %s" % e, None
                health.append((st, h, round(time.time() - t1, 1)))
                time.sleep(0.3)
        finally:
            alive = d.proc.poll() is None and w.proc.poll() is None
            for p in pids:
                os.kill(p, signal.SIGCONT)
        t_cont = time.time()
        ids += post(d, b)
        info = wait_all(d, "ps", len(rows), 240)
        checks = [
            ("alive", alive, ""),
            # A statement gets PGS_WAIT_MS (15 s) without an answer, a
            # connection connect_timeout (5 s).  A post and a health
            # check can take 24 s between them: one post may be all.
            ("posts: 503 store_unavailable with Retry-After within 21 s",
             len(seen) >= 1 and all(
                 x[:3] == (503, "1", "store_unavailable") and x[3] < 21
                 for x in seen), seen),
            ("health answered, unreachable",
             any(h[:2] == (200, False) for h in health) and
             all(h[0] == 200 for h in health), health),
        ]
        bad, _ = compare(d, "ps", rows, want)
        checks.append(("every candidate done once with its clean verdict",
                       not bad and len(set(ids)) == len(rows), bad[:10]))
        fails = [c for c in checks if not c[1]]
        for c in fails:
            diag("%s: %s" % (c[0], str(c[2])[:800]))
        e2e.finish_all(s, "pg_stopped", [w, d], not fails,
                       "frozen %d s at %d done: %d posts refused (%s s "
                       "each); all %d done %.1f s after SIGCONT" % (
                           PG_FROZEN_S, info0.get("done", 0), len(seen),
                           "/".join(str(x[3]) for x in seen[:3]),
                           info.get("done", 0), time.time() - t_cont))


# --- 3. Jail helpers killed and frozen ---

def jail_helpers(d):
    """pid -> role of the jail's helper processes under d's broker: the
    keepers (root), each jail's init, and the zygote, forker (its uid 0)
    and judge (its uid 1), which are init's children; never the broker,
    never a candidate (uid 2, a child of the forker).  A candidate is
    told by its parent, not its uid: for its first milliseconds, before
    it drops to uid 2, it has the forker's (killing it then is the
    candidate's "error", not a fault of the jail's)."""
    rng = e2e.jail_range(d)
    t = e2e.proc_table()
    brokers = [p for p, (pp, _, _) in t.items() if pp == d.proc.pid]
    out = {}
    for b in brokers:
        for p in e2e.descendants(t, b):
            if p not in t:
                continue
            uid = t[p][1]
            if uid == 0:
                out[p] = "keeper"
            elif rng and rng[0] <= uid <= rng[1]:
                k = (uid - rng[0]) % 4
                init = t[p][2].startswith("verdict")
                parent = t.get(t[p][0], (0, 0, ""))
                if k == 0 and init:
                    out[p] = "init"
                elif k in (0, 1) and parent[2].startswith("verdict"):
                    out[p] = "zygote/forker" if k == 0 else "judge"
    return out


def jail_faults(s, tmp):
    rows = samples(N_SAMPLES)
    want = truth(tmp, rows)
    d = Daemon(tmp, "jailf").start()
    ids = []
    for i in range(0, len(rows), 500):
        ids += post(d, with_run(rows[i:i + 500], "jf"))
    faults = []
    stopped = []                        # (pid, when to SIGCONT or None)
    t0 = time.time()
    deadline = t0 + 400
    info = {}
    while time.time() < deadline:
        info = d.run_info("jf") or info
        if info.get("done", 0) >= len(rows):
            break
        time.sleep(RNG.uniform(0.3, 1.2))
        now = time.time()
        for x in [x for x in stopped if x[1] is not None and x[1] <= now]:
            try:
                os.kill(x[0], signal.SIGCONT)
            except ProcessLookupError:
                pass
            stopped.remove(x)
        helpers = jail_helpers(d)
        if not helpers:
            continue
        pid = RNG.choice(sorted(helpers))
        what = RNG.random()
        try:
            if what < 0.6:
                os.kill(pid, signal.SIGKILL)
                faults.append(("SIGKILL", helpers[pid]))
            elif what < 0.9:
                os.kill(pid, signal.SIGSTOP)
                stopped.append((pid, now + RNG.uniform(0.5, 4)))
                faults.append(("SIGSTOP+CONT", helpers[pid]))
            elif not any(x[1] is None for x in stopped):
                # Left frozen: the daemon's backstop must end it.
                os.kill(pid, signal.SIGSTOP)
                stopped.append((pid, None))
                faults.append(("SIGSTOP", helpers[pid]))
        except ProcessLookupError:
            pass
    secs = time.time() - t0
    for x in stopped:
        try:
            os.kill(x[0], signal.SIGCONT)
        except ProcessLookupError:
            pass
    alive = d.proc.poll() is None
    # Only a time-out can be hit on every attempt: it runs for seconds
    # (4-9 s of wall time on a loaded 2-core machine), and a fault comes
    # every 0.75 s on average; any other candidate must get its verdict.
    bad, c = compare(d, "jf", rows, want, oracle_ok=("timeout",))
    if not alive:
        bad.append("verdictd died")
    if len(set(ids)) != len(rows):
        bad.append("ids: %d for %d rows" % (len(set(ids)), len(rows)))
    for x in bad[:20]:
        diag(x)
    if bad:
        # What the jails said meanwhile (their setup errors, retirements).
        for ln in [ln for ln in d.text().splitlines()
                   if "candidate" in ln or "worker" in ln][-40:]:
            diag("log: " + ln[:300])
    kinds = {}
    for f in faults:
        kinds["%s %s" % f] = kinds.get("%s %s" % f, 0) + 1
    diag("seed %d; faults: %s" % (SEED, json.dumps(kinds, sort_keys=True)))
    e2e.finish(s, "jail_faults", d, not bad and len(faults) >= 10,
               "%d faults over %d candidates in %.0f s; %d oracle errors "
               "(time-outs, every attempt hit), every other verdict the "
               "clean run's" %
               (len(faults), len(rows), secs, c["oracle_errors"]))


# --- 4. Descriptors and memory ---

class Limited(Daemon):
    """A daemon started under rlimits (preexec_fn: setrlimit in the child
    before exec)."""

    limits = {}

    def start(self):
        real = subprocess.Popen

        def popen(*a, **kw):
            lim = self.limits

            def pre():
                for res, v in lim.items():
                    resource.setrlimit(res, (v, v))
            kw["preexec_fn"] = pre
            return real(*a, **kw)
        subprocess.Popen = popen
        try:
            return super().start()
        finally:
            subprocess.Popen = real


def hammer(d, n, rows):
    """n connections at once, each posting rows (or, for the odd ones,
    asking for the run); the statuses (or exception names)."""
    out = [None] * n

    def one(i):
        try:
            if i % 2:
                st, _, body = d.request("GET", "/v1/runs/fd", timeout=30)
            else:
                st, _, body = d.request("POST", "/v1/candidates",
                                        rows[i % len(rows):][:1],
                                        timeout=30)
            out[i] = st if st < 500 or isinstance(body, dict) else \
                "%d not JSON" % st
        except OSError as e:
            out[i] = type(e).__name__
    th = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in th:
        t.start()
    for t in th:
        t.join()
    return out


def fd_pressure(s, tmp):
    rows = samples(328)
    want = truth(tmp, rows)
    d = Limited(tmp, "fdp")
    d.limits = {resource.RLIMIT_NOFILE: 64}
    d.start()
    ids = post(d, with_run(rows[:164], "fd"))
    # Idle connections that hold descriptors, then a crowd.
    idle = []
    for _ in range(80):
        try:
            c = socket.create_connection(("127.0.0.1", d.port), timeout=5)
            idle.append(c)
        except OSError:
            break
    crowd = hammer(d, 120, with_run(rows[164:], "fd"))
    alive1 = d.proc.poll() is None
    for c in idle:
        c.close()
    # The rest, posted again (idempotent) once the crowd is gone.
    ids += post(d, with_run(rows[164:], "fd"))
    info = wait_all(d, "fd", len(rows), 240)
    alive = alive1 and d.proc.poll() is None
    bad, _ = compare(d, "fd", rows, want)
    kinds = {}
    for x in crowd:
        kinds[str(x)] = kinds.get(str(x), 0) + 1
    clean = all(isinstance(x, int) and x in (200, 202, 503) or
                x in ("ConnectionResetError", "RemoteDisconnected",
                      "ConnectionRefusedError", "BrokenPipeError")
                for x in crowd)
    if not (alive and clean and not bad):
        diag("crowd: %s; %s" % (kinds, bad[:10]))
        diag(d.text()[-1500:])
    e2e.finish(s, "fd_pressure", d, alive and clean and not bad,
               "%d idle connections held, 120 at once: %s; all %d done" % (
                   len(idle), json.dumps(kinds, sort_keys=True),
                   info.get("done", 0)))


def mem_pressure(s, tmp):
    rows = samples(82)
    want = truth(tmp, rows)
    # Walk up from a limit too low to start in: each refusal must be a
    # clean exit; the first limit it starts in is the test's.
    got = None
    for mb in (32, 48, 64, 96, 128, 192, 256, 384, 512):
        d = Limited(tmp, "memp-%d" % mb)
        d.limits = {resource.RLIMIT_AS: mb << 20}
        try:
            d.start()
            got = (mb, d)
            break
        except RuntimeError:
            text = d.text()
            if d.proc.poll() is None or d.proc.returncode < 0 or \
                    "Sanitizer" in text:
                diag("no clean refusal under %d MiB:\n%s" % (mb,
                                                            text[-1500:]))
                s.result("mem_pressure", False, "crash under %d MiB" % mb)
                return
    if got is None:
        s.skip("mem_pressure", "does not start under 512 MiB of address "
               "space")
        return
    mb, d = got
    # Under it: small posts and a 12 MB one (the body is held whole),
    # each answered (202, or a JSON error), the daemon alive after.
    answers = []
    big = [dict(r, run="mp-big", id="big-%d" % i,
                completion=r["completion"] + "#" * 60000)
           for i, r in enumerate(samples(164)[:200])]
    ids = []
    for i, batch in enumerate([rows[:41], big, rows[41:], big]):
        try:
            st, _, body = d.request("POST", "/v1/candidates",
                                    batch if batch is big else
                                    with_run(batch, "mp"), timeout=120)
            answers.append((st, err_of(body).get("code")))
            if st == 202 and batch is not big:
                ids += body["ids"]
        except OSError as e:
            answers.append((type(e).__name__, None))
    time.sleep(2)
    alive = d.proc.poll() is None
    if not alive:
        diag("verdictd died (%s) under %d MiB:\n%s" % (
            d.proc.returncode, mb, d.text()[-3000:]))
    clean = all(a[0] == 202 or (a[0] in (413, 429, 503, 507) and a[1])
                for a in answers)
    st = d.stop()
    # Then without the limit, on the same state: everything accepted is
    # there and judged; the rest goes in now.
    d2 = Daemon(tmp, "memp-after", state=d.state).start()
    ids += post(d2, with_run(rows, "mp"))
    info = wait_all(d2, "mp", len(rows), 240)
    # Where the broker could not lift the limit for the jails (no
    # CAP_SYS_RESOURCE), a job judged under it is the oracle's failure
    # (error, oracle_error, the reason logged), never a verdict of the
    # candidate's.
    bad, c = compare(d2, "mp", rows, want, oracle_ok=True)
    if c["oracle_errors"] and "below the candidate's" not in d.text():
        bad.append("oracle errors without the reason in the log")
    ok = alive and clean and st == 0 and not bad
    if not ok:
        diag("answers %s, exit %s; %s" % (answers, st, bad[:10]))
        diag(d.text()[-1500:])
    e2e.finish(s, "mem_pressure", d2, ok, "starts under %d MiB; posts "
               "(41, 12 MB, 41, 12 MB) answered %s; exit %s; all %d done "
               "after, %d oracle errors from under the limit" % (
                   mb, "/".join("%s %s" % a if a[1] else str(a[0])
                                for a in answers), st, info.get("done", 0),
                   c["oracle_errors"]))


# --- 5. kill -9 at many points ---

def kill9_loop(s, tmp):
    rows = samples(N_SAMPLES)
    want = truth(tmp, rows)
    batches = [with_run(rows[i:i + 250], "k9") for i in
               range(0, len(rows), 250)]
    d = Daemon(tmp, "k9loop").start()
    # The kill points: numbers of verdicts done, drawn at random over the
    # run (so each restart makes progress first), some of them in the
    # middle of a submission.
    points = sorted(RNG.randrange(1, len(rows)) for _ in range(N_KILLS))
    posted = 0
    kills = []
    t0 = time.time()
    for p in points:
        # Keep a batch or two ahead of the kill point.
        while posted < len(batches) and posted * 250 < p + 500:
            post(d, batches[posted])
            posted += 1
        info = wait_all(d, "k9", p, 120)
        before = info.get("done", 0)
        if posted < len(batches) and RNG.random() < 0.3:
            # In the middle of a submission.
            th = threading.Thread(target=lambda b=batches[posted]: _try(
                d, b))
            th.start()
            time.sleep(RNG.uniform(0, 0.05))
            d.stop(signal.SIGKILL)
            th.join()
            where = "mid-post"
        else:
            d.stop(signal.SIGKILL)
            where = "run"
        kills.append((round(time.time() - t0, 1), before, where))
        d.start()
        # The last batches posted before, posted again: stored once.
        for b in batches[max(0, posted - 2):posted]:
            post(d, b)
    while posted < len(batches):
        post(d, batches[posted])
        posted += 1
    info = wait_all(d, "k9", len(rows), 600)
    secs = time.time() - t0
    bad, _ = compare(d, "k9", rows, want)
    if info.get("verdicts", {}).get("internal"):
        bad.append("internal verdicts: %s" % info["verdicts"])
    for x in bad[:20]:
        diag(x)
    diag("seed %d; kills (s, done, where): %s" % (SEED, kills))
    e2e.finish(s, "kill9_loop", d, not bad,
               "%d kills over %d candidates in %.0f s; final verdicts the "
               "clean run's" % (len(kills), len(rows), secs))


def _try(d, rows):
    try:
        d.request("POST", "/v1/candidates", rows, timeout=30)
    except OSError:
        pass


TESTS = [disk_full, sqlite_locked, pg_stopped, jail_faults, fd_pressure,
         mem_pressure, kill9_loop]

if __name__ == "__main__":
    tap.diag("seed %d (FAULT_SEED), %d samples (FAULT_SAMPLES), %d kills "
             "(FAULT_KILLS)" % (SEED, N_SAMPLES, N_KILLS))
    tap.main(TESTS, "verdict-fault.")
