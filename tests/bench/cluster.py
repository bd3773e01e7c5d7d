#!/usr/bin/env python3
# cluster.py - "make bench", third part: cluster mode (several nodes on
# one PostgreSQL database), measured in one run on this machine.  Every
# run gets a fresh PostgreSQL server of its own (tests/tools/pg.py:
# Debian's server in this bench's temporary directory, on a Unix socket
# there, fsync and synchronous_commit on) and fresh nodes; the nodes are
# stopped with SIGTERM, which must exit 0.  BENCH_PG=0 (or
# BENCH_CLUSTER=0) skips it all.
#
#   scale     Verdicts per second with 1 node x 1 jail worker (verdictd
#             serve, workers = 1) against 2 nodes x 1 jail worker each
#             (the same serve node plus a `verdictd worker`, workers = 1,
#             as a judge machine runs it), on one database.  The 1,640
#             candidates of run.py (the HumanEval canonical solutions x
#             10), made distinct by a trailing "# copy N" comment (dedupe
#             would otherwise run each program once), posted to the serve
#             node in batches of 1,000 over one connection, then GET
#             /v1/runs/R every 0.5 s until all are done: timed from the
#             first POST to the last verdict's finished_ms (the nodes'
#             clock, this machine's; read from the jobs table, so that
#             the polls can be few: on PostgreSQL each costs the server
#             a query over the run), with the nodes started beforehand.
#             In the same turns, verdictd eval -j 1 and -j 2 on the same
#             candidates (no database): what this machine gives a second
#             jail worker by itself.  BENCH_REPS runs each (default 3),
#             the four taking turns in alternating order.  Reported: the
#             rates, the ratio 2 nodes / 1 node per turn (the goal is
#             1.9: is coordination free?) beside eval's -j 2 / -j 1, how
#             the jobs split between the nodes (lease_node of the done
#             jobs), and the CPU per verdict of each node's verdictd
#             process (its threads, from /proc: the serve node's
#             includes the HTTP side, accepting and the polls), of the
#             PostgreSQL server (postmaster, its children alive and
#             reaped, from /proc) and of the whole machine (/proc/stat:
#             other work on it shows there).
#   claim     Claim latency: from a candidate's commit to a node
#             starting its job, on an idle cluster (serve + worker, 1
#             jail worker each).  200 single candidates, one at a time:
#             each is posted when the one before is done, then 50 ms
#             later.  The latency is claimed_ms - created_ms of its job
#             (psql on the database): created_ms is the serve node's
#             clock when it inserted the job (just before its commit),
#             claimed_ms the server's when a node claimed it, on the same
#             machine, so the clocks agree; both in ms, so a latency
#             under 1 ms reads 0 or 1.  The window of an idle node is
#             empty, so the claim is the start.  Then the same with the
#             serve node's window full (its jail worker holds a sleeping
#             program and a second one waits in its window; they are
#             posted before the worker node starts): every job is claimed
#             by the worker node, woken by NOTIFY from the serve node's
#             commit.  Reported: p50, p99 and max, per claiming node.

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
import daemon                                           # noqa: E402
import pg as pgserver                                   # noqa: E402
import run as evalbench                                 # noqa: E402
import service                                          # noqa: E402
from service import (Client, Meter, med, ndjson, pct,  # noqa: E402
                     pg_cpu, post, proc_cpu, row, wait_for)

BATCH = 1000
SCALE_POLL_S = 0.5      # the end is read from the jobs (finished_ms)
CLAIMS = int(os.environ.get("BENCH_CLAIMS", "200"))
CLAIM_GAP_S = 0.05
HOLD_S = 40             # the sleepers that fill the serve node's window
SCALE_GOAL = 1.9        # 2 nodes / 1 node, 1 jail worker each

anomalies = service.anomalies


class Worker(daemon.Daemon):
    """One `verdictd worker` (no HTTP) in tmp/name, as daemon.Daemon
    is one `verdictd serve`: it is started and waited for by its log
    line "worker NODE: N jail workers on URI"."""

    def start(self):
        logf = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [self.verdictd, "worker", "-f", self.conf, "--state-dir",
             self.state], stdout=logf, stderr=logf)
        daemon._started.append(self.proc)
        logf.close()
        deadline = time.time() + 60
        while time.time() < deadline:
            if re.search(r"worker \S+: \d+ jail workers? on", self.text()):
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("verdictd worker did not start:\n" +
                           self.text()[-2000:])


class Cluster:
    """A fresh PostgreSQL server and nodes on it, all in tmp/name; the
    nodes are stopped (SIGTERM, which must exit 0), then the server, on
    close(), whatever happened, and the folder is removed."""

    def __init__(self, tmp, name):
        self.tmp = tmp
        self.name = name
        self.nodes = []
        self.db = pgserver.Server(os.path.join(tmp, name + "-pg"))
        os.chmod(tmp, 0o711)
        self.db.start()

    def node(self, kind, node_id, conf=None):
        c = dict({"workers": 1, "database": self.db.uri,
                  "node_id": node_id}, **(conf or {}))
        d = (Worker if kind == "worker" else daemon.Daemon)(
            self.tmp, "%s-%s" % (self.name, node_id), c)
        self.nodes.append(d)
        return d.start()

    def psql(self, sql):
        r = subprocess.run(["psql", "-X", "-At", "-F", " ", self.db.uri,
                            "-c", sql], capture_output=True, text=True,
                           check=True)
        return [line.split(" ") for line in r.stdout.splitlines()]

    def close(self, ok=True):
        bad = []
        for d in self.nodes:
            if d.proc is None or d.proc.poll() is not None:
                bad.append((d, d.proc and d.proc.returncode))
                continue
            status = d.stop(timeout=120)
            service.log_anomalies(os.path.basename(d.dir), d.text())
            if status != 0:
                bad.append((d, status))
        if self.db.running:
            self.db.stop()
        service.log_anomalies("postgresql", "\n".join(
            x for x in self.db.log().splitlines()
            if re.search(r"(WARNING|ERROR|FATAL|PANIC):", x)
            and "terminating connection due to administrator" not in x))
        if bad and ok:
            d, st = bad[0]
            sys.exit("%s exited %s:\n%s" % (os.path.basename(d.dir), st,
                                             d.text()[-3000:]))
        for d in self.nodes:
            shutil.rmtree(d.dir, ignore_errors=True)
        shutil.rmtree(self.db.dir, ignore_errors=True)


def cluster(tmp, name):
    """Cluster as a context manager."""
    class _Ctx:
        def __enter__(self):
            self.c = Cluster(tmp, name)
            return self.c

        def __exit__(self, kind, value, tb):
            self.c.close(ok=kind is None)
            return False
    return _Ctx()


# --- scale ---

def scale_once(tmp, rows, nodes):
    bodies = [ndjson(dict(r, run="scale") for r in rows[i:i + BATCH])
              for i in range(0, len(rows), BATCH)]
    with cluster(tmp, "scale%d" % nodes) as cl:
        serve = cl.node("serve", "serve")
        worker = cl.node("worker", "worker") if nodes == 2 else None
        c = Client(serve.port)
        time.sleep(1)           # the nodes' start is not measured
        m = Meter(serve.proc.pid)
        t0_ms = time.time() * 1000
        w0 = proc_cpu(worker.proc.pid) if worker else 0
        pg0 = pg_cpu(cl.db)
        post(serve.port, bodies, 1)
        deadline = time.time() + 1800
        while True:
            info = c.run_info("scale")
            if info["done"] >= len(rows):
                break
            if time.time() > deadline:
                raise RuntimeError("scale: not done: %s" % info)
            time.sleep(SCALE_POLL_S)
        m.stop()
        w_s = proc_cpu(worker.proc.pid) - w0 if worker else 0
        pg_s = pg_cpu(cl.db) - pg0
        c.close()
        split = dict((k, int(n)) for k, n in cl.psql(
            "SELECT lease_node, count(*) FROM jobs GROUP BY 1 ORDER BY 1"))
        end_ms = int(cl.psql("SELECT max(finished_ms) FROM jobs")[0][0])
    if info["verdicts"]["passed"] != len(rows):
        sys.exit("scale, %d node(s): %s" % (nodes, info))
    n = len(rows)
    secs = (end_ms - t0_ms) / 1000
    # The CPU figures are over the whole polled interval (m.wall), a
    # little longer than secs.
    return {"rate": n / secs, "serve_ms": m.daemon / n * 1000,
            "worker_ms": w_s / n * 1000, "pg_ms": pg_s / n * 1000,
            "busy": m.busy, "cpu_ms": m.busy * service.JOBS * m.wall / n
            * 1000, "split": split}


def eval_once(tmp, samples, jobs):
    """verdictd eval -j jobs on the same candidates (no database): what
    this machine gives 1 and 2 jail workers."""
    m0 = service.machine_cpu()
    e = evalbench.verdict_once(samples, jobs, tmp)
    m1 = service.machine_cpu()
    busy = (m1[0] - m0[0]) / max(1, m1[1] - m0[1])
    return {"rate": e["rate"], "busy": busy,
            "cpu_ms": busy * service.JOBS * e["secs"] / 1640 * 1000}


# --- claim ---

def claim_series(serve, c, run, n, probs):
    """Post n single candidates to run, each when the one before is
    done, then CLAIM_GAP_S later."""
    for i in range(n):
        p = probs[i % len(probs)]
        st, _, ans = serve.request("POST", "/v1/candidates", ndjson([{
            "run": run, "task_id": p["task_id"], "sample": i,
            "completion": p["canonical_solution"] + "# %s %d\n" % (run, i)}]),
            service.NDJSON)
        if st != 202:
            raise RuntimeError("claim: %d %s" % (st, ans))
        wait_for("claim %d" % i, lambda: c.run_info(run)["done"] > i, 60)
        time.sleep(CLAIM_GAP_S)


def claim_latencies(cl, run):
    """(node, claimed_ms - created_ms) of run's jobs."""
    return [(node, int(ms)) for node, ms in cl.psql(
        "SELECT j.lease_node, j.claimed_ms - j.created_ms FROM jobs j "
        "JOIN runs r ON r.id = j.run_id WHERE r.name = '%s' "
        "ORDER BY j.id" % run)]


def claim_once(tmp, probs):
    res = {}
    with cluster(tmp, "claim") as cl:
        serve = cl.node("serve", "serve", {
            "limits.humaneval.wall": "%ds" % (HOLD_S + 20)})
        cl.node("worker", "worker")
        c = Client(serve.port)
        time.sleep(1)
        claim_series(serve, c, "idle", CLAIMS, probs)
        res["idle"] = claim_latencies(cl, "idle")
        c.close()
    with cluster(tmp, "claimw") as cl:
        serve = cl.node("serve", "serve", {
            "limits.humaneval.wall": "%ds" % (HOLD_S + 20)})
        c = Client(serve.port)
        # Two sleepers: one in the serve node's jail worker, one waiting
        # in its window (window = 2 x workers): it claims nothing more.
        st, _, ans = serve.request("POST", "/v1/candidates", ndjson(
            {"run": "hold", "task_id": "HumanEval/0", "program":
             "import time\ntime.sleep(%d)\n# %d\n" % (HOLD_S, i)}
            for i in range(2)), service.NDJSON)
        if st != 202:
            raise RuntimeError("hold: %d %s" % (st, ans))
        wait_for("the sleepers", lambda: c.run_info("hold")["running"] >= 2,
                 60)
        cl.node("worker", "worker")
        time.sleep(1)
        t0 = time.time()
        claim_series(serve, c, "notify", CLAIMS, probs)
        if time.time() - t0 > HOLD_S - 2:
            anomalies.append("claim via NOTIFY: the series outlasted the "
                             "sleepers (%.0f s)" % (time.time() - t0))
        res["notify"] = claim_latencies(cl, "notify")
        c.close()
    return res


# --- Report ---

def report(reps, one, two, ev1, ev2, claims):
    r1 = [x["rate"] for x in one]
    r2 = [x["rate"] for x in two]
    ratios = [b / a for a, b in zip(r1, r2)]
    e1 = [x["rate"] for x in ev1]
    e2 = [x["rate"] for x in ev2]
    eratios = [b / a for a, b in zip(e1, e2)]
    print()
    print("Cluster mode on PostgreSQL (a fresh server per run, Unix socket, "
          "fsync on), %d cores; %d runs" % (service.JOBS, reps))
    print("each, in turns, median (min-max): run.py's 1,640 candidates made "
          "distinct, posted to the serve node,")
    print("timed from the first POST to the last verdict.")
    row("verdicts/s, 1 node x 1 jail worker", r1, ".1f", "/s")
    row("verdicts/s, 2 nodes x 1 jail worker", r2, ".1f", "/s")
    row("2 nodes / 1 node (per turn)", ratios, ".2f", "",
        service.goal(med(ratios) >= SCALE_GOAL, "%.1f" % SCALE_GOAL))
    row("verdicts/s, verdictd eval -j 1", e1, ".1f", "/s")
    row("verdicts/s, verdictd eval -j 2", e2, ".1f", "/s")
    row("eval -j 2 / -j 1 (per turn)", eratios, ".2f")
    row("(2 nodes / 1 node) / (eval 2 / 1)",
        [a / b for a, b in zip(ratios, eratios)], ".2f")
    print("  jobs judged per node, 2 nodes: %s" % "; ".join(
        ", ".join("%s %d" % kv for kv in sorted(x["split"].items()))
        for x in two))
    for label, xs in (("1 node", one), ("2 nodes", two)):
        print("  CPU per verdict, %s: serve node %.2f ms, worker node "
              "%.2f ms, PostgreSQL server %.2f ms;" % (
                  label, med([x["serve_ms"] for x in xs]),
                  med([x["worker_ms"] for x in xs]),
                  med([x["pg_ms"] for x in xs])))
        print("    the whole machine %.1f ms (%.0f%% busy)" % (
            med([x["cpu_ms"] for x in xs]),
            100 * med([x["busy"] for x in xs])))
    for label, xs in (("eval -j 1", ev1), ("eval -j 2", ev2)):
        print("  CPU per verdict, %s: the whole machine %.1f ms (%.0f%% "
              "busy)" % (label, med([x["cpu_ms"] for x in xs]),
                         100 * med([x["busy"] for x in xs])))
    if claims is None:
        return
    print("Claim latency, commit to a node starting the job (claimed_ms - "
          "created_ms, ms), %d single" % CLAIMS)
    print("candidates one at a time, serve node + worker node, 1 jail "
          "worker each:")
    for key, label in (("idle", "idle cluster"),
                       ("notify", "serve node's window full")):
        lat = claims[key]
        by = {}
        for node, ms in lat:
            by.setdefault(node, []).append(ms)
        ms = [x for _, x in lat]
        print("  %-26s p50 %d ms, p99 %d ms, max %d ms (min %d); %s" % (
            label + ":", pct(ms, 50), pct(ms, 99), max(ms), min(ms),
            ", ".join("%s %d jobs p50 %d p99 %d" % (
                node, len(xs), pct(xs, 50), pct(xs, 99))
                for node, xs in sorted(by.items()))))


def main():
    if (os.environ.get("BENCH_PG", "1") == "0" or
            os.environ.get("BENCH_CLUSTER", "1") == "0"):
        print("cluster: skipped (BENCH_PG=0 or BENCH_CLUSTER=0)")
        return
    reps = int(os.environ.get("BENCH_REPS", "3"))
    probs = evalbench.problems()
    rows = evalbench.sample_rows(probs, distinct=True)
    one, two, ev1, ev2 = [], [], [], []
    load0 = service.loadavg()
    claims = None
    with tempfile.TemporaryDirectory(prefix="verdict-bench-cluster.") \
            as tmp:
        samples = evalbench.write_samples(os.path.join(tmp, "dist.jsonl"),
                                          rows)
        turns = [("node", 1), ("node", 2), ("eval", 1), ("eval", 2)]
        for r in range(reps):
            for kind, n in turns[::1 if r % 2 == 0 else -1]:
                if kind == "node":
                    x = scale_once(tmp, rows, n)
                    (one if n == 1 else two).append(x)
                    label = "%d node%s x 1 jail worker" % (
                        n, "" if n == 1 else "s")
                else:
                    x = eval_once(tmp, samples, n)
                    (ev1 if n == 1 else ev2).append(x)
                    label = "verdictd eval -j %d" % n
                print("  run %d/%d %-28s %8.1f verdicts/s" % (
                    r + 1, reps, label, x["rate"]), flush=True)
        if CLAIMS > 0:
            print("  claim latency: 2 x %d single candidates ..." % CLAIMS,
                  flush=True)
            claims = claim_once(tmp, probs)
    print("load average %s at the start, %s at the end." % (
        load0, service.loadavg()))
    report(reps, one, two, ev1, ev2, claims)
    print("Anomalies:" + ("" if anomalies else " none"))
    for a in anomalies:
        print("  " + a)


if __name__ == "__main__":
    main()
