#!/usr/bin/env python3
# service.py - "make bench", second part: the service (verdictd serve)
# over HTTP, measured in one run on this machine.  Every daemon is fresh:
# its own state directory under $TMPDIR (the file system is named in the
# report: fsync costs what it costs there), workers = cores, the
# config's defaults otherwise; it is stopped with SIGTERM, which must
# exit 0.  The load generator is this process: bodies are serialized
# before the clock starts, connections are kept alive, and its own CPU
# time is reported beside the daemon's (all its threads, from /proc) and
# the whole machine's (from /proc/stat: other work on it shows there).
#
#   accept    Candidates accepted per second.  50 batches of 1,000
#             distinct candidates (the HumanEval canonical solutions,
#             each ending with its own "# N" comment, so that every one
#             is a new job: dedupe would flatter the figure), NDJSON,
#             posted over 1 and over 2 keep-alive connections.  A 202
#             comes after the batch's commit (WAL, synchronous=FULL).
#             With the jail busy (the workers run the accepted jobs
#             meanwhile, as in use: on 2 cores they compete for the CPUs)
#             and idle (each worker first gets a program that sleeps
#             HOLD_S seconds, so the HTTP and store path has the CPUs;
#             that no accepted job ran meanwhile is checked).  Reported:
#             the rate over the 50 batches, and per batch 1,000 / its
#             latency; the store's files after the 50,000.  The config
#             of both raises limits.humaneval.wall for the sleepers; the
#             limits do not enter the accept path.
#   accept on PostgreSQL
#             The same four accept measures (the same bodies, jail busy
#             and idle, 1 and 2 connections) on a daemon whose config
#             says "database = <URI>": a fresh PostgreSQL server of its
#             own per run (tests/tools/pg.py: Debian's server made in
#             this bench's temporary directory, on a Unix socket there,
#             fsync and synchronous_commit on), as every SQLite run gets
#             a fresh state directory.  Each takes turns with its SQLite
#             twin in every rep, in alternating order.  Reported: the
#             rates, the ratio PostgreSQL / SQLite per turn, the
#             daemon's CPU and the server's per candidate (the server's:
#             its postmaster with the children it reaped, and its live
#             children, from /proc), the size of the database's files.
#             BENCH_PG=0 skips it.  Claim latency (commit to a node
#             starting the job) and the cluster's verdicts/s are
#             cluster.py's.
#   verdicts  End-to-end verdicts per second.  The 1,640 candidates of
#             run.py (the canonical solutions x 10), made distinct by a
#             trailing "# copy N" comment for the same reason, posted in
#             batches of 1,000 over one connection, then GET /v1/runs/R
#             every 50 ms until all are done: timed from the first POST
#             to the poll that sees the last verdict, with the daemon
#             started (and its workers warm) beforehand.  Against
#             `verdictd eval -j <cores>` on the same file, in turns (in
#             alternating order).  eval's own time includes starting and
#             stopping its jail workers; that fixed cost is measured (an
#             eval of 2 candidates) and printed beside it.  So are the
#             jail's occupancy (the candidates' wall time over workers x
#             elapsed: are the workers kept fed?) and the candidates'
#             median wall time (is each candidate slower?).
#   latency   POST-to-verdict latency, the RL reward path: on an idle
#             daemon, 200 single candidates posted one after the other
#             with ?wait=60 (each answer a 200 with its verdict), then 20
#             batches of 100 the same way; every candidate a new job.
#             Reported: p50, p99 and max of each, send to answer read.
#   store     1,328,000 stored verdicts, 1,000 per problem of the 664
#             bundled ones in each of two runs, big and big13 (reported
#             together: the comparisons' bootstrap runs on all of
#             them; BENCH_SERVICE_BIG=N stores N instead, a
#             multiple of 1,000; BENCH_SERVICE_BIG=0 skips it).  A right
#             and a wrong program per problem are judged; then the
#             candidates, whose programs are those (fresh samples, with
#             scores and a model, 1,000 per batch over 2 connections),
#             each join a done job and are done at once.  Then
#             GET /v1/runs, /v1/runs/R, /v1/runs/R/problems and the
#             reports (JSON, HTML, and only k=10; 5 calls each), the
#             full /v1/runs/R/results stream (3 times, every line
#             counted), the daemon's VmRSS and VmHWM, and the store's
#             files.
#
#   before    The same accept (jail idle, 1 and 2 connections) and
#             verdicts measures of the daemon as built at the last commit
#             of tests/bench/before.py (before issue 11's schema 3),
#             in the same turns, and the ratios now / before: a change
#             that must not move them is seen not to.  BENCH_BEFORE=0
#             skips it.
#
# accept (on both stores), verdicts and before run BENCH_REPS times (default 3), taking
# turns; the report gives medians and spreads (min-max).  store runs
# once.
# Daemon warnings in the logs, 429s and slow batches are printed.

import contextlib
import gzip
import http.client
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
import daemon                                           # noqa: E402
import pg as pgserver                                   # noqa: E402
import before                                           # noqa: E402
import run as evalbench                                 # noqa: E402

JOBS = os.cpu_count() or 1
NDJSON = {"Content-Type": "application/x-ndjson"}
BATCH = 1000
ACCEPT_BATCHES = 50
LAT_ONE = 200           # single candidates posted with ?wait=
LAT_BATCHES = 20        # batches of 100 posted with ?wait=
HOLD_S = 10             # the sleepers that keep the jail idle
POLL_S = 0.05
BIG = int(os.environ.get("BENCH_SERVICE_BIG", "1328000")) // BATCH * BATCH
REPORT_GOAL = 1.0       # seconds for a report over the big run
ACCEPT_GOAL = 20000     # candidates/s on 2 cores
RATIO_GOAL = 0.90       # service / eval
TICK = os.sysconf("SC_CLK_TCK")

anomalies = []          # daemon warnings, 429s, slow batches


def med(xs):
    return statistics.median(xs)


# --- Measuring ---

def proc_cpu(pid):
    """CPU seconds (user + system, every thread) of process pid."""
    with open("/proc/%d/stat" % pid) as f:
        x = f.read().rsplit(")", 1)[1].split()
    return (int(x[11]) + int(x[12])) / TICK


def machine_cpu():
    """(busy, total) CPU seconds of the machine since boot."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return sum(v) - v[3] - v[4], sum(v)


class Meter:
    """Wall time, and CPU of the daemon, of this process (the load
    generator) and of the whole machine, from creation to stop()."""

    def __init__(self, pid):
        self.pid = pid
        self.t0 = time.perf_counter()
        self.d0 = proc_cpu(pid)
        self.g0 = time.process_time()
        self.m0 = machine_cpu()

    def stop(self):
        self.wall = time.perf_counter() - self.t0
        self.daemon = proc_cpu(self.pid) - self.d0
        self.gen = time.process_time() - self.g0
        m1 = machine_cpu()
        self.busy = (m1[0] - self.m0[0]) / max(1, m1[1] - self.m0[1])
        return self


def fs_of(path):
    """The type of the file system holding path (from /proc/mounts)."""
    best, kind = "", "?"
    path = os.path.realpath(path)
    with open("/proc/mounts") as f:
        for line in f:
            _, mnt, typ = line.split()[:3]
            if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) \
                    and len(mnt) > len(best):
                best, kind = mnt, typ
    return kind


def state_files(d):
    """Sizes of the files in the daemon's state directory."""
    return {f: os.path.getsize(os.path.join(d.state, f))
            for f in sorted(os.listdir(d.state))}


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def log_anomalies(name, text):
    for line in text.splitlines():
        if re.search(r": (warning|fatal|error)", line):
            anomalies.append("%s: %s" % (name, line))


@contextlib.contextmanager
def serving(tmp, name, conf=None, keep=False, build=None):
    """A fresh daemon in tmp/name (workers = cores, then conf), of the
    build folder build (default $O).  It is stopped with SIGTERM on the
    way out, which must exit 0; its folder is then removed unless
    keep."""
    d = daemon.Daemon(tmp, name, dict({"workers": JOBS}, **(conf or {})),
                      verdictd=build and os.path.join(build, "verdictd"))
    try:
        yield d.start()
    except BaseException:
        if d.proc is not None:
            status = d.proc.poll()
            if status is None:
                status = "%s after SIGTERM" % d.stop()
            sys.stderr.write("verdictd (%s): exit %s; its log ends:\n%s\n"
                             % (name, status, d.text()[-3000:]))
        raise
    status = d.stop(timeout=120)
    log_anomalies(name, d.text())
    if status != 0:
        sys.exit("verdictd (%s) exited %s after SIGTERM:\n%s" % (
            name, status, d.text()[-3000:]))
    if not keep:
        shutil.rmtree(d.dir)


def wait_for(what, cond, timeout):
    deadline = time.time() + timeout
    while not cond():
        if time.time() > deadline:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(POLL_S)


class Client:
    """GETs on one kept-alive connection.  If the daemon has closed it
    (connection_timeout closes idle ones), it is opened again once and
    that is noted with how long it had been idle."""

    def __init__(self, port):
        self.port = port
        self.conn = None
        self.last = time.time()

    def get(self, path):
        """Returns (status, body bytes)."""
        for again in (False, True):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=600)
            idle = time.time() - self.last
            try:
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                body = r.read()
                self.last = time.time()
                return r.status, body
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError) as e:
                self.close()
                if again:
                    raise
                anomalies.append("GET %s: the daemon had closed the "
                                 "connection (idle %.1f s): %s" % (
                                     path, idle, type(e).__name__))

    def run_info(self, run):
        st, body = self.get("/v1/runs/" + run)
        if st != 200:
            raise RuntimeError("GET /v1/runs/%s: %d %s" % (run, st,
                                                           body[:300]))
        return json.loads(body)

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def post(port, bodies, conns):
    """POST every body of the iterable "bodies" (NDJSON bytes) to
    /v1/candidates over conns keep-alive connections, each taking the
    next body when its last one is answered.  A 429 waits Retry-After
    and posts the same body again.  Every answer must be a 202 with the
    whole batch accepted and no duplicate.  Returns the latencies in
    seconds (send to answer read, in completion order) and the number
    of 429s."""
    it = iter(bodies)
    lock = threading.Lock()
    lat, errors = [], []
    full = [0]

    def worker():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        try:
            while not errors:
                with lock:
                    body = next(it, None)
                if body is None:
                    return
                while True:
                    t = time.perf_counter()
                    c.request("POST", "/v1/candidates", body=body,
                              headers=NDJSON)
                    r = c.getresponse()
                    data = r.read()
                    secs = time.perf_counter() - t
                    if r.status != 429:
                        break
                    with lock:
                        full[0] += 1
                    time.sleep(float(r.getheader("Retry-After", "1")))
                ans = json.loads(data) if r.status == 202 else {}
                if (ans.get("accepted") != body.count(b"\n") or
                        ans.get("duplicates") != 0):
                    errors.append("%d %s" % (r.status, data[:300]))
                    return
                with lock:
                    lat.append(secs)
        except Exception as e:          # reported below, once
            errors.append("%s: %s" % (type(e).__name__, e))
        finally:
            c.close()

    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError("POST /v1/candidates: " + errors[0])
    return lat, full[0]


def ndjson(rows):
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


# --- accept ---

def accept_bodies(probs):
    return [ndjson({"run": "accept", "task_id": p["task_id"],
                    "completion": p["canonical_solution"] + "# %d\n" % n,
                    "sample": n}
                   for n, p in ((n, probs[n % len(probs)]) for n in
                                range(b * BATCH, (b + 1) * BATCH)))
            for b in range(ACCEPT_BATCHES)]


def pg_cpu(db):
    """CPU seconds (user + system) of the PostgreSQL server db: its
    postmaster with the children it has reaped (cutime, cstime), and its
    children alive now (backends, WAL writer, checkpointer, ...)."""
    with open(os.path.join(db.dir, "data", "postmaster.pid")) as f:
        top = int(f.readline())
    secs = 0.0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                x = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue            # gone meanwhile: its parent reaped it
        pid, ppid = int(name), int(x[1])
        if pid == top:
            secs += sum(int(v) for v in x[11:15]) / TICK
        elif ppid == top:
            secs += (int(x[11]) + int(x[12])) / TICK
    return secs


def dir_size(path):
    return sum(os.path.getsize(os.path.join(d, f))
               for d, _, fs in os.walk(path) for f in fs
               if os.path.isfile(os.path.join(d, f)))


def accept_once(tmp, bodies, jail, conns, build=None, pg=False):
    """One accept run; with pg on a fresh PostgreSQL server of its own
    (tests/tools/pg.py: tmp/pg-JAIL-CONNS, Unix socket, fsync on) as
    the daemon's database, as a fresh state directory is SQLite's."""
    if pg:
        with pgserver.server(tmp, "pg-%s-%d" % (jail, conns)) as db:
            res = accept_once_on(tmp, bodies, jail, conns, build, db)
            res["db"] = dir_size(os.path.join(db.dir, "data", "base"))
            res["wal"] = dir_size(os.path.join(db.dir, "data", "pg_wal"))
            db.stop()
            log_anomalies("postgresql", "\n".join(
                x for x in db.log().splitlines()
                if re.search(r"(WARNING|ERROR|FATAL|PANIC):", x)
                # The daemon's connections cut by its SIGTERM, and
                # the server's own fast shutdown, are not anomalies.
                and "terminating connection due to administrator" not in x))
        shutil.rmtree(db.dir)
        return res
    return accept_once_on(tmp, bodies, jail, conns, build, None)


def accept_once_on(tmp, bodies, jail, conns, build, db):
    conf = {"limits.humaneval.wall": "%ds" % (HOLD_S + 20)}
    if db is not None:
        conf["database"] = db.uri
    with serving(tmp, "accept-%s-%d%s" % (jail, conns, "-pg" if db else ""),
                 conf, build=build) as d:
        c = Client(d.port)
        if jail == "idle":
            st, _, ans = d.request("POST", "/v1/candidates", ndjson(
                {"run": "hold", "task_id": "HumanEval/0", "program":
                 "import time\ntime.sleep(%d)\n# %d\n" % (HOLD_S, i)}
                for i in range(JOBS)), NDJSON)
            if st != 202:
                raise RuntimeError("hold: %d %s" % (st, ans))
            wait_for("the sleepers", lambda: c.run_info(
                "hold")["running"] >= JOBS, 60)
        else:
            time.sleep(1)       # the workers' start is not measured
        m = Meter(d.proc.pid)
        pg0 = pg_cpu(db) if db else 0
        lat, full = post(d.port, bodies, conns)
        m.stop()
        pg_s = pg_cpu(db) - pg0 if db else 0
        files = state_files(d)
        woke = False
        if jail == "idle":
            woke = (c.run_info("hold")["done"] > 0 or
                    c.run_info("accept")["done"] > 0)
        c.close()
    n = len(bodies) * BATCH
    if full:
        anomalies.append("accept %s %d%s: %d answers 429" % (
            jail, conns, " (PostgreSQL)" if db else "", full))
    return {"rate": n / m.wall, "batch": [BATCH / x for x in lat],
            "lat": lat, "d_us": m.daemon / n * 1e6,
            "pg_us": pg_s / n * 1e6,
            "gen": m.gen / m.wall, "busy": m.busy, "woke": woke,
            "db": files.get("verdict.db", 0),
            "wal": files.get("verdict.db-wal", 0)}


# --- latency ---

def latency_once(tmp, probs):
    """POST-to-verdict latency on an idle daemon, with ?wait= (one
    request per reward): LAT_ONE single candidates one after the other
    (each one object), then LAT_BATCHES batches of 100; every candidate
    distinct (a new job), every answer a 200 with all done.  Returns the
    seconds of each request, send to answer read: (singles, batches)."""
    one, batch = [], []
    n = 0

    def row(i):
        p = probs[i % len(probs)]
        return {"run": "lat", "task_id": p["task_id"], "completion":
                p["canonical_solution"] + "# lat %d\n" % i}

    with serving(tmp, "latency") as d:
        c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=600)
        time.sleep(1)           # the workers' start is not measured
        for k in range(LAT_ONE + LAT_BATCHES):
            size = 1 if k < LAT_ONE else 100
            rows = [row(n + j) for j in range(size)]
            n += size
            body = json.dumps(rows[0] if size == 1 else rows).encode()
            t = time.perf_counter()
            c.request("POST", "/v1/candidates?wait=60", body=body)
            r = c.getresponse()
            data = r.read()
            (one if size == 1 else batch).append(time.perf_counter() - t)
            ans = json.loads(data)
            if r.status != 200 or len(ans.get("results", [])) != size:
                raise RuntimeError("POST ?wait: %d %s" % (r.status,
                                                         data[:300]))
        c.close()
    return one, batch


# --- verdicts ---

def eval_overhead(tmp, probs):
    """Seconds of eval's own start and stop: an eval of 2 candidates."""
    two = evalbench.write_samples(os.path.join(tmp, "two.jsonl"),
                                  evalbench.sample_rows(probs)[:2])
    secs = []
    for _ in range(3):
        r = evalbench.verdict_once(two, JOBS, tmp, n=2)
        secs.append(r["secs"])
    return med(secs)


def service_once(tmp, rows, build=None):
    bodies = [ndjson(dict(r, run="verdicts") for r in rows[i:i + BATCH])
              for i in range(0, len(rows), BATCH)]
    with serving(tmp, "verdicts", build=build) as d:
        c = Client(d.port)
        time.sleep(1)           # as a service that has been up a while
        m = Meter(d.proc.pid)
        post(d.port, bodies, 1)
        posted = time.perf_counter() - m.t0
        deadline = time.time() + 1800
        while True:
            info = c.run_info("verdicts")
            if info["done"] >= len(rows):
                break
            if time.time() > deadline:
                raise RuntimeError("verdicts: not done: %s" % info)
            time.sleep(POLL_S)
        m.stop()
        res = [json.loads(x) for x in
               c.get("/v1/runs/verdicts/results")[1].splitlines()]
        c.close()
    if info["verdicts"]["passed"] != len(rows) or len(res) != len(rows):
        sys.exit("service verdicts: %s, %d results" % (info, len(res)))
    walls = sorted(x["wall_ms"] for x in res)
    return {"rate": len(rows) / m.wall, "posted": posted,
            "d_ms": m.daemon / len(rows) * 1000,
            "busy": occupancy(res, m.wall), "p50": walls[len(walls) // 2]}


def occupancy(results, secs):
    """How busy the jail workers were: the candidates' wall time over
    workers x elapsed time."""
    return sum(x["wall_ms"] for x in results) / 1000 / (JOBS * secs)


def eval_once(tmp, samples):
    e = evalbench.verdict_once(samples, JOBS, tmp)
    with open(os.path.join(tmp, "out.jsonl")) as f:
        e["busy"] = occupancy([json.loads(x) for x in f], e["secs"])
    return e


# --- store ---

def big_problems(probs):
    """The bundled problems verdictd serves: HumanEval and the MBPP test
    split (task ids 11..510), 664 in all, each with a right and a wrong
    completion."""
    out = [(p["task_id"], p["canonical_solution"], "    return None\n")
           for p in probs]
    with gzip.open(os.path.join(daemon.ROOT, "data", "mbpp",
                                "mbpp.jsonl.gz"), "rt") as f:
        for line in f:
            p = json.loads(line)
            if 11 <= p["task_id"] <= 510:
                out.append(("Mbpp/%d" % p["task_id"], p["code"] + "\n",
                            "pass\n"))
    return out


def big_once(tmp, probs):
    res = {}
    with serving(tmp, "big", keep=True) as d:
        c = Client(d.port)
        probs = big_problems(probs)
        seed = [{"run": "seed", "task_id": p[0], "completion": p[1 + k]}
                for k in (0, 1) for p in probs]
        post(d.port, [ndjson(seed)], 1)
        wait_for("the seed run", lambda: c.run_info(
            "seed")["done"] >= len(seed), 600)
        res["seed"] = c.run_info("seed")["verdicts"]
        c.close()       # the fill takes longer than connection_timeout

        # Line i: problem i % 664 in round r = i // 664, of run big
        # (codellama-7b) on even rounds and big13 (codellama-13b) on odd
        # ones, sample r // 2 (so (run, task_id, sample) never repeats;
        # 1,328,000 lines give 1,000 samples per problem to each run,
        # two runs to compare, with the bootstrap), a score for
        # rank-score@k, and a model for the budgets.  big has the right
        # completion on every other of its rounds, big13 on every third.
        np_ = len(probs)
        heads = [[['{"run":"%s","model":"%s","task_id":%s,'
                   '"completion":%s,"sample":' % (run, model,
                                                  json.dumps(p[0]),
                                                  json.dumps(comp))
                   for comp in p[1:]] for p in probs]
                 for run, model in (("big", "codellama-7b"),
                                    ("big13", "codellama-13b"))]

        def line(i):
            r = i // np_
            wrong = (r // 2) % 2 if r % 2 == 0 else int((r // 2) % 3 != 0)
            return (heads[r % 2][i % np_][wrong] + str(r // 2) +
                    ',"score":%.3f}\n' % ((i * 7919) % 1000 / 100.0))

        def bodies():
            for b in range(BIG // BATCH):
                yield "".join(line(i) for i in range(
                    b * BATCH, (b + 1) * BATCH)).encode()

        m = Meter(d.proc.pid)
        lat, full = post(d.port, bodies(), 2)
        m.stop()
        res["fill"] = {"rate": BIG / m.wall, "secs": m.wall,
                       "batch": [BATCH / x for x in lat], "full": full,
                       "d_us": m.daemon / BIG * 1e6, "gen": m.gen / m.wall}
        info = c.run_info("big")
        other = c.run_info("big13")
        if (info["candidates"] + other["candidates"] != BIG or
                info["done"] + other["done"] != BIG or
                info["queued"] or info["running"] or
                info["verdicts"]["internal"] or other["queued"] or
                other["running"] or other["verdicts"]["internal"]):
            sys.exit("big runs after the fill: %s, %s" % (info, other))
        res["info"] = info
        res["rss_fill"] = d.proc_kb("VmRSS")[0]
        res["files_fill"] = state_files(d)

        res["q"] = {}
        for path in ("/v1/runs", "/v1/runs/big", "/v1/runs/big/problems",
                     "/v1/reports?runs=big,big13",
                     "/v1/reports?runs=big,big13&format=html",
                     "/v1/reports?runs=big,big13&k=10"):
            secs = []
            for _ in range(5):
                t = time.perf_counter()
                st, body = c.get(path)
                secs.append(time.perf_counter() - t)
                if st != 200:
                    sys.exit("GET %s: %d %s" % (path, st, body[:300]))
            res["q"][path] = (secs, len(body))
        secs, size = [], 0
        for _ in range(3):
            rc = http.client.HTTPConnection("127.0.0.1", d.port,
                                            timeout=600)
            t = time.perf_counter()
            rc.request("GET", "/v1/runs/big/results")
            r = rc.getresponse()
            lines = size = 0
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    break
                lines += chunk.count(b"\n")
                size += len(chunk)
            secs.append(time.perf_counter() - t)
            rc.close()
            if r.status != 200 or lines != info["candidates"]:
                sys.exit("GET /v1/runs/big/results: %d, %d lines" % (
                    r.status, lines))
        res["q"]["/v1/runs/big/results"] = (secs, size)
        res["rss"] = d.proc_kb("VmRSS", "VmHWM", "RssAnon", "RssFile",
                               "RssShmem")
        res["files"] = state_files(d)
        c.close()
    res["files_after"] = state_files(d)
    shutil.rmtree(d.dir)
    return res


# --- Report ---

def mib(n):
    return "%.1f MiB" % (n / 1048576)


# Accepted/s that PostgreSQL must reach (issue 10: "at least the SQLite
# rate, 20,000 accepted candidates/s durably on this machine").
PG_ACCEPT_GOAL = 20000


def goal(ok, what):
    return "%s: %s" % (what, "met" if ok else "NOT met")


def row(label, xs, fmt, unit="", target=""):
    """One line of the table: median (min-max) of xs."""
    f = "{:%s}" % fmt
    print(("  %-38s %9s%-2s %-22s%s" % (
        label, f.format(med(xs)), unit, "(%s-%s)" % (
            f.format(min(xs)), f.format(max(xs))),
        "goal " + target if target else "")).rstrip())


def pct(xs, p):
    """The p-th percentile of xs (the nearest rank)."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def report_latency(lat):
    print()
    print("POST-to-verdict latency with ?wait= (one request per reward), "
          "idle daemon, %d workers," % JOBS)
    print("every candidate a new job (ms; p50, p99, max):")
    for label, xs in (("1 candidate (%d requests)" % LAT_ONE, lat[0]),
                      ("batch of 100 (%d requests)" % LAT_BATCHES,
                       lat[1])):
        print("  %-30s p50 %6.1f  p99 %6.1f  max %6.1f" % (
            label, pct(xs, 50) * 1000, pct(xs, 99) * 1000,
            max(xs) * 1000))


def accept_head(store, k, rs):
    """Print the head line of accept configuration k = (jail, conns)
    ("store" before it: "" or "PostgreSQL, "), saying whether the jail
    woke in its runs rs; returns their batch latencies, sorted."""
    woke = sum(x["woke"] for x in rs)
    print("  %sjail %s, %d connection%s:%s" % (
        store, k[0], k[1], "" if k[1] == 1 else "s",
        " THE JAIL WOKE in %d run(s)" % woke if woke else ""))
    return sorted(b for x in rs for b in x["lat"])


def report(reps, fs, load0, acc, ev, sv, overhead, big):
    configs = list(acc)
    er = [x["rate"] for x in ev]
    sr = [x["rate"] for x in sv]
    ratios = [s / e for s, e in zip(sr, er)]

    print()
    print("The service over HTTP: %d cores, %d jail workers, state on %s; "
          "%d runs each, median (min-max);" % (JOBS, JOBS, fs, reps))
    print("load average %s at the start, %s at the end." % (load0,
                                                            loadavg()))
    for k in configs:
        rates = [x["rate"] for x in acc[k]]
        row("accepted/s, jail %s, %d connection%s" % (
            k[0], k[1], "" if k[1] == 1 else "s"), rates, ",.0f", "/s",
            goal(med(rates) >= ACCEPT_GOAL, "{:,}/s".format(ACCEPT_GOAL)))
    row("verdicts/s, service over HTTP", sr, ".1f", "/s")
    row("verdicts/s, verdictd eval -j %d" % JOBS, er, ".1f", "/s")
    row("service / eval (per turn)", ratios, ".2f", "",
        goal(med(ratios) >= RATIO_GOAL, "%.2f" % RATIO_GOAL))
    if big is not None:
        q = big["q"]["/v1/runs/big/results"][0]
        print("  %-38s %9.1f MiB, VmHWM %.1f MiB" % (
            "{:,} stored: daemon VmRSS".format(BIG),
            big["rss"][0] / 1024, big["rss"][1] / 1024))
        row("{:,} (run big): results stream".format(
            big["info"]["candidates"]), q, ".2f", " s")
        for path, label in (("/v1/reports?runs=big,big13", "json"),
                            ("/v1/reports?runs=big,big13&format=html",
                             "html")):
            q = big["q"][path][0]
            row("{:,}, 2 runs: report ({})".format(BIG, label), q, ".2f",
                " s",
                goal(med(q) < REPORT_GOAL, "< %.0f s" % REPORT_GOAL))

    print()
    print("Accepting: 50 batches of 1,000 distinct candidates (each a new "
          "job; the 202 follows an fsync'd commit).")
    print("Jail busy: the workers run the accepted jobs meanwhile; idle: "
          "they sleep (%d s programs posted first)." % HOLD_S)
    for k in configs:
        rs = acc[k]
        batch = [b for x in rs for b in x["batch"]]
        lat = accept_head("", k, rs)
        print("    per batch, 1,000/latency over %d batches: median "
              "{:,.0f}/s ({:,.0f}-{:,.0f}); per run: %s".format(
                  med(batch), min(batch), max(batch)) % (
                  len(batch), ", ".join("{:,.0f}".format(med(x["batch"]))
                                        for x in rs)))
        print("    latency p50 %.0f ms, max %.0f ms; daemon CPU %.0f "
              "us/candidate; load generator %.0f%% of a core; machine "
              "%.0f%% busy" % (
                  med(lat) * 1000, lat[-1] * 1000,
                  med([x["d_us"] for x in rs]),
                  100 * med([x["gen"] for x in rs]),
                  100 * med([x["busy"] for x in rs])))
        print("    store after 50,000: verdict.db %s, WAL %s (medians)" % (
            mib(med([x["db"] for x in rs])),
            mib(med([x["wal"] for x in rs]))))
        slow = [b for b in lat if b > 4 * med(lat)]
        if slow:
            anomalies.append("accept, jail %s, %d conn: %d batches over 4x "
                             "the median latency (slowest %.0f ms)" % (
                                 k[0], k[1], len(slow), slow[-1] * 1000))
    print("End to end: run.py's 1,640 candidates made distinct (\"# copy "
          "N\"), %d workers; service: 2 POSTs, then" % JOBS)
    print("GET /v1/runs/R every %.0f ms, timed from the first POST to the "
          "last verdict." % (POLL_S * 1000))
    print("  service: all posted after %.2f s; jail workers busy %.0f%% of "
          "the time; daemon CPU %.2f ms/verdict" % (
              med([x["posted"] for x in sv]),
              100 * med([x["busy"] for x in sv]),
              med([x["d_ms"] for x in sv])))
    print("  eval: jail workers busy %.0f%% of the time; its time includes "
          "%.2f s of worker start and stop" % (
              100 * med([x["busy"] for x in ev]), overhead))
    print("  per turn, service/eval: %s verdicts/s; candidate wall time "
          "p50 %s ms" % (", ".join("%.1f/%.1f" % (s, e) for s, e in
                                   zip(sr, er)),
                         ", ".join("%d/%d" % (s["p50"], e["p50"])
                                   for s, e in zip(sv, ev))))
    if big is None:
        print("Stored verdicts: skipped (BENCH_SERVICE_BIG=0).")
    else:
        f = big["fill"]
        print("{:,} stored verdicts (two runs, compared with 10,000 "
              "bootstrap resamples), after a seed run of a right and a "
              "wrong program for each of the 664 problems".format(BIG))
        print("  (%s):" % ", ".join("%s %d" % (k, n) for k, n in
                                    big["seed"].items() if n))
        print("  fill, each candidate joining a done job, 2 connections: "
              "{:,.0f}/s, %.1f s; per batch median {:,.0f}/s "
              "({:,.0f}-{:,.0f})".format(
                  f["rate"], med(f["batch"]), min(f["batch"]),
                  max(f["batch"])) % f["secs"])
        print("    daemon CPU %.0f us/candidate; load generator %.0f%% of a "
              "core; %d answers 429" % (f["d_us"], 100 * f["gen"],
                                        f["full"]))
        print("  run big: {:,} candidates, {:,} done: ".format(
            big["info"]["candidates"], big["info"]["done"]) + ", ".join(
                "{} {:,}".format(k, n) for k, n in
                big["info"]["verdicts"].items() if n))
        for path, (secs, size) in big["q"].items():
            print("  GET %-24s median %9.1f ms (%.1f-%.1f), %d calls, %s"
                  % (path, med(secs) * 1000, min(secs) * 1000,
                     max(secs) * 1000, len(secs), mib(size)))
        print("  daemon VmRSS %d KiB (anon %d, file %d, shmem %d), VmHWM "
              "%d KiB; VmRSS %d KiB right after the fill" % (
                  big["rss"][0], big["rss"][2], big["rss"][3],
                  big["rss"][4], big["rss"][1], big["rss_fill"]))
        for when, files in (("after the fill", big["files_fill"]),
                            ("after the queries", big["files"]),
                            ("after SIGTERM", big["files_after"])):
            print("  store %-17s %10s: %s" % (
                when, mib(sum(files.values())), ", ".join(
                    "%s %s" % (k, mib(n)) for k, n in files.items())))
    print("Anomalies:" + ("" if anomalies else " none"))
    for a in anomalies:
        print("  " + a)


def report_pg(acc, pg_acc):
    print()
    print("Accepting on PostgreSQL (a fresh server per run, Unix socket, "
          "fsync on, the daemon's database) vs")
    print("SQLite: accepted/s, the same 50 batches of 1,000, in turns "
          "(median, min-max):")
    for k in pg_acc:
        label = "%s, %d conn." % k
        pg = [x["rate"] for x in pg_acc[k]]
        lite = [x["rate"] for x in acc[k]]
        # The goal: SQLite's rate when it was filed, 20,000/s
        # durably on this machine; SQLite has got faster since.
        row("PostgreSQL, jail " + label, pg, ",.0f", "/s",
            goal(med(pg) >= PG_ACCEPT_GOAL, ">= 20,000/s") + "; " +
            goal(med(pg) >= med(lite), ">= SQLite now"))
        row("SQLite, jail " + label, lite, ",.0f", "/s")
        row("  PostgreSQL / SQLite (per turn)",
            [a / b for a, b in zip(pg, lite)], ".2f")
    for k in pg_acc:
        rs = pg_acc[k]
        lat = accept_head("PostgreSQL, ", k, rs)
        print("    latency p50 %.0f ms, max %.0f ms; CPU per candidate: "
              "daemon %.0f us (SQLite %.0f), PostgreSQL server %.0f us; "
              "machine %.0f%% busy" % (
                  med(lat) * 1000, lat[-1] * 1000,
                  med([x["d_us"] for x in rs]),
                  med([x["d_us"] for x in acc[k]]),
                  med([x["pg_us"] for x in rs]),
                  100 * med([x["busy"] for x in rs])))
        print("    database after 50,000: base %s, WAL %s (medians)" % (
            mib(med([x["db"] for x in rs])),
            mib(med([x["wal"] for x in rs]))))
    print("  Claim latency and verdicts/s of several nodes: see "
          "tests/bench/cluster.py (next).")


def report_before(commit, what, acc, old_acc, sv, old_sv):
    print()
    print("Now against verdict at %s, %s (same turns, median, min-max):"
          % (commit, what))
    for k in old_acc:
        label = "accepted/s, jail %s, %d conn." % k
        now = [x["rate"] for x in acc[k]]
        old = [x["rate"] for x in old_acc[k]]
        row(label + ", now", now, ",.0f", "/s")
        row(label + ", before", old, ",.0f", "/s")
        row("  now / before (per turn)",
            [a / b for a, b in zip(now, old)], ".2f")
    now = [x["rate"] for x in sv]
    old = [x["rate"] for x in old_sv]
    row("verdicts/s, service, now", now, ".1f", "/s")
    row("verdicts/s, service, before", old, ".1f", "/s")
    row("  now / before (per turn)", [a / b for a, b in zip(now, old)],
        ".2f")


def main():
    reps = int(os.environ.get("BENCH_REPS", "3"))
    probs = evalbench.problems()
    rows = evalbench.sample_rows(probs, distinct=True)
    bodies = accept_bodies(probs)
    acc = {(jail, conns): [] for jail in ("busy", "idle")
           for conns in (1, 2)}
    ev, sv = [], []
    old_acc = {("idle", 1): [], ("idle", 2): []}
    pg_acc = ({k: [] for k in acc} if os.environ.get("BENCH_PG", "1")
              != "0" else {})
    old_sv = []
    commit, what = before.COMMITS[-1]
    big = None
    load0 = loadavg()
    with tempfile.TemporaryDirectory(prefix="verdict-bench-service.") \
            as tmp:
        old = None
        if os.environ.get("BENCH_BEFORE", "1") != "0":
            old = before.build(commit, tmp)
        fs = fs_of(tmp)
        samples = evalbench.write_samples(os.path.join(tmp, "dist.jsonl"),
                                          rows)
        overhead = eval_overhead(tmp, probs)
        for r in range(reps):
            for k in acc:
                # SQLite and PostgreSQL take turns, in alternating order.
                stores = [False] + ([True] if k in pg_acc else [])
                for pg in stores[::1 if r % 2 == 0 else -1]:
                    res = accept_once(tmp, bodies, *k, pg=pg)
                    (pg_acc if pg else acc)[k].append(res)
                    print("  run %d/%d accept, jail %s, %d conn%s %8.0f "
                          "candidates/s%s" % (
                              r + 1, reps, k[0], k[1],
                              ", PostgreSQL" if pg else "", res["rate"],
                              " (jail woke)" if res["woke"] else ""),
                          flush=True)
            # eval and the service take turns, in alternating order.
            for which in (("eval", "service"), ("service", "eval"))[r % 2]:
                if which == "eval":
                    x = eval_once(tmp, samples)
                    ev.append(x)
                    label = "eval -j %d" % JOBS
                else:
                    x = service_once(tmp, rows)
                    sv.append(x)
                    label = "service (HTTP)"
                print("  run %d/%d %-24s %8.1f verdicts/s" % (
                    r + 1, reps, label, x["rate"]), flush=True)
            if old is not None:
                for k in old_acc:
                    res = accept_once(tmp, bodies, *k, build=old)
                    old_acc[k].append(res)
                    print("  run %d/%d accept, jail %s, %d conn, at %s "
                          "%8.0f candidates/s" % (r + 1, reps, k[0], k[1],
                                                  commit, res["rate"]),
                          flush=True)
                x = service_once(tmp, rows, build=old)
                old_sv.append(x)
                print("  run %d/%d service (HTTP) at %s %8.1f verdicts/s"
                      % (r + 1, reps, commit, x["rate"]), flush=True)
        print("  latency: %d single candidates, %d batches of 100, with "
              "?wait= ..." % (LAT_ONE, LAT_BATCHES), flush=True)
        lat = latency_once(tmp, probs)
        if BIG > 0:
            print("  store: {:,} verdicts through HTTP ...".format(BIG),
                  flush=True)
            big = big_once(tmp, probs)
        before.remove_all()
    report(reps, fs, load0, acc, ev, sv, overhead, big)
    report_latency(lat)
    if pg_acc:
        report_pg(acc, pg_acc)
    if old_sv:
        report_before(commit, what, acc, old_acc, sv, old_sv)


if __name__ == "__main__":
    main()
