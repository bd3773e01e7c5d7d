"""verdict_client - a client of verdictd's REST API, standard library only.

For generators and RL trainers: post candidates in batches (retrying
429 and 503 after their Retry-After, splitting a batch the server finds
over its queue_limit), wait for their verdicts, get rewards in one
request, read a run's results and reports.  One file: install it with
``pip install ./client/python`` or copy it beside your code.

    from verdict_client import Client

    c = Client("http://127.0.0.1:8417", token=None)
    ids = c.submit([{"task_id": "HumanEval/0", "completion": "..."}],
                   run="cl7b")
    done = c.wait(ids)                  # [{"id", "verdict", "passed",
                                        #   "tests_passed", ...}, ...]
    r = c.rewards(batch, run="rl-step-7")   # one request per batch
    for line in c.results("cl7b"):      # every verdict of the run
        ...
    for v in c.stream("cl7b"):          # verdicts as they land, forever
        save(v["cursor"])               # stream("cl7b", after=...) later
    rep = c.report(["cl7b"])            # the JSON report
    c.runs(state="pending")             # runs not judged yet
    c.update_run("cl7b", model="codellama-7b")
    c.delete_run("cl7b-old")            # its candidates, unshared jobs

``AsyncClient`` has the same methods as coroutines (each runs the
blocking call in a thread: asyncio.to_thread).

Errors: a refused request raises VerdictError with the HTTP status, the
error's code, message and field (as the server says them); a server that
stays busy or unreachable past ``max_wait`` seconds raises it too, with
status 0 for no answer.
"""

import asyncio
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["Client", "AsyncClient", "VerdictError"]
__version__ = "0.2.0"

MAX_IDS = 1000          # ids per GET /v1/candidates (the server's limit)
MAX_WAIT_S = 300        # the longest ?wait= the server takes


class VerdictError(Exception):
    """A request the server refused (status >= 400), or no answer."""

    def __init__(self, status, code, message, field=None, body=None):
        super().__init__("HTTP %s %s: %s%s" % (
            status, code, message, " (field %s)" % field if field else ""))
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.body = body


class Client:
    """One verdictd server.  url: its base URL; token: a bearer token
    (or None); timeout: seconds per request beyond its own wait;
    max_wait: seconds to keep retrying a busy (429, 503) or unreachable
    server; batch: candidates per POST."""

    def __init__(self, url="http://127.0.0.1:8417", token=None, timeout=60,
                 max_wait=300, batch=1000):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.max_wait = max_wait
        self.batch = batch

    # --- requests ---

    def _request(self, method, path, body=None, wait=0):
        """The answer (status, parsed JSON or text) to one request,
        retried while the server is busy or away, up to max_wait.  A
        body of bytes is sent as it is, any other as JSON."""
        raw = isinstance(body, (bytes, bytearray))
        data = body if raw or body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/octet-stream" if raw \
                else "application/json"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        waited, delay = 0.0, 0.5
        while True:
            req = urllib.request.Request(self.url + path, data=data,
                                         headers=headers, method=method)
            try:
                with urllib.request.urlopen(
                        req, timeout=self.timeout + wait) as r:
                    return r.status, _decode(r.read(), r.headers)
            except urllib.error.HTTPError as e:
                payload = _decode(e.read(), e.headers)
                if e.code in (429, 503):
                    pause = float(e.headers.get("Retry-After") or delay)
                    if waited + pause > self.max_wait:
                        raise _error(e.code, payload)
                    time.sleep(pause)
                    waited += pause
                    continue
                raise _error(e.code, payload)
            except (urllib.error.URLError, ConnectionError, TimeoutError,
                    OSError) as e:
                if waited + delay > self.max_wait:
                    raise VerdictError(0, "unreachable", str(e))
                time.sleep(delay)
                waited += delay
                delay = min(delay * 2, 8)

    # --- submitting ---

    def _batches(self, candidates, run, model, dataset=None):
        out = []
        for c in candidates:
            c = dict(c)
            if run is not None:
                c["run"] = run
            if model is not None:
                c["model"] = model
            if dataset is not None:
                c.setdefault("dataset", dataset)
            out.append(c)
            if len(out) >= self.batch:
                yield out
                out = []
        if out:
            yield out

    def _post(self, batch, wait=None, sanitize=False):
        """POST one batch (again in halves while the server says it is
        over its queue_limit); returns the answers, in order.  sanitize:
        ?sanitize=1, the default of the batch's candidates."""
        args = (["wait=%g" % wait] if wait else []) + \
            (["sanitize=1"] if sanitize else [])
        path = "/v1/candidates" + ("?" + "&".join(args) if args else "")
        try:
            return [self._request("POST", path, batch, wait or 0)[1]]
        except VerdictError as e:
            if e.code != "batch_over_queue_limit" or len(batch) <= 1:
                raise
            limit = (e.body or {}).get("error", {}).get("queue_limit")
            size = max(1, min(limit or len(batch) // 2, len(batch) - 1))
            self.batch = min(self.batch, size)
            answers = []
            for i in range(0, len(batch), size):
                answers += self._post(batch[i:i + size], wait, sanitize)
            return answers

    def submit(self, candidates, run=None, model=None, dataset=None,
               sanitize=False):
        """Post candidates (dicts: task_id, completion or program, ...;
        run and model set on each when given, dataset on each without
        one), in batches.  Returns their ids, in order.  sanitize: judge
        the code extracted from each text (fences, prose: EvalPlus's
        sanitizer) unless the candidate says "sanitize": false."""
        ids = []
        for batch in self._batches(candidates, run, model, dataset):
            for ans in self._post(batch, sanitize=sanitize):
                ids += ans["ids"]
        return ids

    # --- verdicts ---

    def candidate(self, cid, wait=None):
        """One candidate, whole; with wait, long-polled until it is done
        (or wait seconds)."""
        path = "/v1/candidates/" + urllib.parse.quote(cid, safe="")
        if wait:
            path += "?wait=%g" % min(wait, MAX_WAIT_S)
        return self._request("GET", path, wait=wait or 0)[1]

    def wait(self, ids, timeout=300):
        """The rewards of candidates posted before ({"id", "state",
        "verdict", "passed", "tests_passed", "tests"}, in the order of
        ids), waiting up to timeout seconds for them to be done; those
        still pending then have state "queued" or "running"."""
        out = []
        deadline = time.monotonic() + timeout
        for i in range(0, len(ids), MAX_IDS):
            chunk = ids[i:i + MAX_IDS]
            while True:
                left = max(0.0, deadline - time.monotonic())
                w = min(left, MAX_WAIT_S)
                path = "/v1/candidates?ids=%s&wait=%g" % (
                    ",".join(urllib.parse.quote(x, safe="") for x in chunk),
                    w)
                ans = self._request("GET", path, wait=w)[1]
                if ans["done"] or left <= w:
                    break
            out += ans["candidates"]
        return out

    def rewards(self, candidates, run=None, model=None, wait=300,
                dataset=None, sanitize=False):
        """Post candidates and return their rewards, in order: each
        batch in one request (POST ?wait=), and GET ?ids= for those not
        done then, up to wait seconds in all.  sanitize: as submit's
        (a sanitized one's reward has "sanitized": true)."""
        out = []
        deadline = time.monotonic() + wait
        for batch in self._batches(candidates, run, model, dataset):
            w = min(max(0.0, deadline - time.monotonic()), MAX_WAIT_S)
            for ans in self._post(batch, w or 0.001, sanitize):
                if ans.get("done"):
                    out += ans["results"]
                else:
                    out += self.wait(ans["ids"], max(
                        0.0, deadline - time.monotonic()))
        return out

    def reward(self, candidate, run=None, model=None, wait=300,
               dataset=None, sanitize=False):
        """The reward of one candidate (one request when it is judged
        within the wait)."""
        return self.rewards([candidate], run, model, wait, dataset,
                            sanitize)[0]

    # --- runs and reports ---

    def run(self, name):
        """A run's counts: candidates, done, verdicts, ..."""
        return self._request("GET", "/v1/runs/" + _q(name))[1]

    def runs(self, name=None, model=None, state=None):
        """Every run, or those matching all the filters given: name, a
        run name or glob ("cl7b-*"); model; state, "pending" (runs with
        candidates not judged yet) or "done"."""
        q = {k: v for k, v in (("name", name), ("model", model),
                               ("state", state)) if v is not None}
        path = "/v1/runs" + ("?" + urllib.parse.urlencode(q) if q else "")
        return self._request("GET", path)[1]["runs"]

    def update_run(self, name, model=None, ranker=None):
        """Set a run's model and/or ranker after the fact (None: left as
        it is); returns the run as run() shows it."""
        body = {k: v for k, v in (("model", model), ("ranker", ranker))
                if v is not None}
        return self._request("PATCH", "/v1/runs/" + _q(name), body)[1]

    def delete_run(self, name):
        """Delete a run, its candidates and the jobs no other run uses
        (jobs shared with other runs are kept for them); returns what
        went: {"run", "candidates", "jobs_deleted", "jobs_kept"}.  An
        unknown run (or one deleted already) raises VerdictError 404."""
        return self._request("DELETE", "/v1/runs/" + _q(name))[1]

    def problems(self, name):
        """A run's per-problem counts and pass rates."""
        return self._request("GET", "/v1/runs/%s/problems" % _q(name))[1]

    def results(self, name):
        """Every done candidate of a run, one dict per verdict, read as
        the server streams them (NDJSON)."""
        headers = {"Authorization": "Bearer " + self.token} \
            if self.token else {}
        req = urllib.request.Request(
            "%s/v1/runs/%s/results" % (self.url, _q(name)), headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                for line in r:
                    if line.strip():
                        yield json.loads(line)
        except urllib.error.HTTPError as e:
            raise _error(e.code, _decode(e.read(), e.headers))

    def stream(self, name, after=None, follow=True):
        """A run's verdicts in the order they came (the feed), one dict
        per verdict with its "cursor"; with follow, without end: the new
        ones as they land.  A connection that drops, or a stream the
        server ends (its timeout, a restart), is made again from the last
        cursor given (after 0.5, 1, 2 ... 8 s when it failed or ended
        without a verdict), so no verdict comes twice or is missed;
        after max_wait seconds of failures in a row it raises
        VerdictError.  Without follow it ends after the last verdict
        there is.  after: the cursor of a verdict an earlier stream
        gave, to go on after it."""
        headers = {"Authorization": "Bearer " + self.token} \
            if self.token else {}
        cursor, waited, delay = after or 0, 0.0, 0.5
        while True:
            got = False
            q = {"after": cursor}
            if follow:
                q["follow"] = 1
            req = urllib.request.Request("%s/v1/runs/%s/feed?%s" % (
                self.url, _q(name), urllib.parse.urlencode(q)),
                headers=headers)
            try:
                # A keep-alive comes every 15 s: a longer silence is a
                # connection lost.
                with urllib.request.urlopen(
                        req, timeout=max(self.timeout, 30)) as r:
                    for line in r:
                        if not line.endswith(b"\n"):
                            raise ValueError("a line cut short")
                        v = json.loads(line)
                        if "id" in v:       # not a keep-alive
                            cursor, waited, delay = v["cursor"], 0.0, 0.5
                            got = True
                            yield v
                if not follow:
                    return
                if not got:
                    # Ended with nothing (a daemon draining ends each
                    # stream at once): again after a pause, no failure.
                    time.sleep(delay)
                    delay = min(delay * 2, 8)
                continue
            except urllib.error.HTTPError as e:
                payload = _decode(e.read(), e.headers)
                if e.code not in (429, 503):
                    raise _error(e.code, payload)
                pause = float(e.headers.get("Retry-After") or delay)
                err = _error(e.code, payload)
            except (urllib.error.URLError, http.client.HTTPException,
                    ConnectionError, TimeoutError, OSError,
                    ValueError) as e:
                pause = delay
                err = VerdictError(0, "unreachable", str(e))
            if waited + pause > self.max_wait:
                raise err
            time.sleep(pause)
            waited += pause
            delay = min(delay * 2, 8)

    def report(self, runs, fmt="json", **params):
        """The report of runs (names): a dict for fmt "json", else the
        text of "csv", "md", "html" or "svg"; params are the report's
        other arguments (k, metric, base, ...)."""
        q = dict(params, runs=",".join(runs), format=fmt)
        return self._request("GET", "/v1/reports?" +
                             urllib.parse.urlencode(q))[1]

    def health(self):
        return self._request("GET", "/v1/health")[1]

    # --- problems ---

    def import_problems(self, body, fmt, dataset=None):
        """Import a problem file (bytes, gzipped or not) of format fmt
        (humaneval, mbpp, apps, evalplus) as dataset (default: each
        problem's benchmark name).  Returns {"imported", "unchanged",
        "task_ids"}: the same file again changes nothing."""
        q = {"format": fmt}
        if dataset is not None:
            q["dataset"] = dataset
        return self._request("POST", "/v1/problems?" +
                             urllib.parse.urlencode(q), body)[1]


class AsyncClient:
    """Client's methods as coroutines, for asyncio programs: each runs
    the blocking call in a worker thread (asyncio.to_thread)."""

    def __init__(self, *args, **kwargs):
        self.sync = Client(*args, **kwargs)

    async def stream(self, *args, **kwargs):
        """Client.stream() as an async generator: each verdict read in
        a worker thread."""
        gen = self.sync.stream(*args, **kwargs)
        end = object()
        try:
            while True:
                v = await asyncio.to_thread(next, gen, end)
                if v is end:
                    return
                yield v
        finally:
            gen.close()

    def __getattr__(self, name):
        fn = getattr(self.sync, name)

        async def call(*args, **kwargs):
            if name == "results":
                return await asyncio.to_thread(
                    lambda: list(fn(*args, **kwargs)))
            return await asyncio.to_thread(fn, *args, **kwargs)
        return call


def _q(s):
    return urllib.parse.quote(s, safe="")


def _decode(raw, headers):
    """JSON when the server says so (or it parses), else text."""
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def _error(status, payload):
    err = payload.get("error", {}) if isinstance(payload, dict) else {}
    return VerdictError(status, err.get("code", "http_%d" % status),
                        err.get("message", str(payload)[:300]),
                        err.get("field"), payload)
