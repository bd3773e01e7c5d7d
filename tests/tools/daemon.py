# daemon.py - one real `verdictd serve` on a free port with its own
# state directory, for the Python suites that drive the service over
# HTTP (tests/e2e/run.py, tests/bench/service.py); or, with worker=True,
# one `verdictd worker` (no HTTP), a node of a cluster on PostgreSQL.
# $O is the build folder (default build).

import atexit
import http.client
import json
import os
import re
import signal
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("O", "build"))
VERDICTD = os.path.join(BUILD, "verdictd")


# Every daemon started, so that one a failed test left running is
# killed when the suite exits.
_started = []


@atexit.register
def _kill_left():
    for p in _started:
        if p.poll() is None:
            p.kill()
            p.wait()


class Daemon:
    """One verdictd serve process on a free port.  Its config, log and
    (unless state is given) state directory live in tmp/name.  verdictd
    is the program (default: $O's; the bench runs older builds too).
    worker=True runs `verdictd worker` instead: no port, no requests;
    its config needs a database line."""

    DEFAULTS = {}           # config keys every daemon of a suite gets

    def __init__(self, tmp, name, conf=None, state=None, verdictd=None,
                 worker=False):
        # verdictd starts as root and then runs as the user verdict,
        # which must get through tmp to its config and state directory.
        os.chmod(tmp, 0o711)
        self.dir = os.path.join(tmp, name)
        os.makedirs(self.dir, exist_ok=True)
        self.state = state or os.path.join(self.dir, "state")
        self.conf = os.path.join(self.dir, "verdictd.conf")
        self.log = os.path.join(self.dir, "verdictd.log")
        self.write_conf(conf or {})
        self.proc = None
        self.port = None
        self.verdictd = verdictd or VERDICTD
        self.worker = worker
        self.listen = "127.0.0.1:0"     # a restart may keep its port

    def write_conf(self, conf):
        """Write the config: DEFAULTS overridden by conf; a list value
        gives a repeatable key one line per element."""
        lines = []
        for k, v in dict(self.DEFAULTS, **conf).items():
            for x in (v if isinstance(v, list) else [v]):
                lines.append("%s = %s" % (k, x))
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self):
        """Start and wait for the "listening on" line (which names the
        port), or a worker's "worker NODE: N jail workers" line; returns
        self."""
        logf = open(self.log, "ab")
        start = os.path.getsize(self.log)
        if self.worker:
            args = ["worker", "-f", self.conf]
            ready = rb"worker .*: \d+ jail workers on "
        else:
            args = ["serve", "-f", self.conf, "--listen", self.listen]
            ready = rb"listening on http://127\.0\.0\.1:(\d+)"
        self.proc = subprocess.Popen(
            [self.verdictd] + args + ["--state-dir", self.state],
            stdout=logf, stderr=logf)
        _started.append(self.proc)
        logf.close()
        deadline = time.time() + 60
        while time.time() < deadline:
            with open(self.log, "rb") as f:
                f.seek(start)
                m = re.search(ready, f.read())
            if m:
                self.port = None if self.worker else int(m.group(1))
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("verdictd did not start:\n" + self.text()[-2000:])

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def text(self):
        with open(self.log, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Send sig and wait; returns the exit status, or "hung" (then
        the daemon was killed)."""
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "hung"

    def sanitizer_clean(self):
        t = self.text()
        return not ("ERROR: AddressSanitizer" in t or "runtime error:" in t
                    or "LeakSanitizer" in t)

    def proc_kb(self, *fields):
        """The daemon's /proc/PID/status fields in KiB (VmRSS, VmHWM,
        ...), in the order asked."""
        with open("/proc/%d/status" % self.proc.pid) as f:
            text = f.read()
        return [int(re.search(r"^%s:\s+(\d+) kB" % k, text, re.M).group(1))
                for k in fields]

    def request(self, method, path, body=None, headers=None, timeout=60):
        """One HTTP request on a new connection; returns (status,
        headers, parsed JSON or raw bytes)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port,
                                       timeout=timeout)
        try:
            if isinstance(body, (list, dict)):
                body = json.dumps(body).encode()
            elif isinstance(body, str):
                body = body.encode()
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            try:
                data = json.loads(data)
            except ValueError:
                pass
            return r.status, dict(r.getheaders()), data
        finally:
            c.close()

    def run_info(self, run, token=None):
        """GET /v1/runs/RUN as a dict, or None if it is not 200."""
        st, _, body = self.request("GET", "/v1/runs/" + run, headers={
            "Authorization": "Bearer " + token} if token else None)
        return body if st == 200 else None
