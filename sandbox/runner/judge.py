# judge.py - the judge, a part of the runner (see common.py).  It holds a
# job's tests (read from its own pipe, never seen by the zygote or the
# forker), prepares them (for EvalPlus, the reference's outputs), runs
# them against one candidate over its channel, compares with compare.py's
# rules and answers the zygote with the verdict.

# --- Judge ------------------------------------------------------------------

class CandidateGone(BaseException):
    """The candidate process ended or hung; not catchable by tests."""

    marginal = False            # a time-out perhaps of the machine's doing

    def __init__(self, status, msg):
        BaseException.__init__(self, msg)
        self.status = status


class CandidateBad(Exception):
    """The candidate returned something that is not plain data."""


_RAISABLE = {n: c for n, c in vars(builtins).items()
             if isinstance(c, type) and issubclass(c, Exception)}


class Channel:
    """The judge's end of one candidate's pipes."""

    def __init__(self, wfd, rfd, deadline, classes, clock):
        self.wfd, self.rfd = wfd, rfd
        self.reader = FrameReader(rfd)
        self.deadline = deadline
        self.classes = classes
        self.clock = clock
        self.raised = None      # last exception that came from the candidate
        self.guard = True       # dec's guard for replies (see dec)

    def limit(self, ms=None):
        """A TimeLimit of ms for one test (None: the whole run's)."""
        if ms is None:
            return TimeLimit(self.deadline - now_ms(), None, self.deadline)
        return TimeLimit(ms, self.clock, self.deadline)

    def recv(self, limit=None):
        """The next frame from the candidate, waiting at most "limit" (a
        TimeLimit; None: the whole run's).  A frame in hand is taken
        without a look at the clock: the time it took is counted by the
        next wait, and by the limit of the test it answers."""
        try:
            msg = json.loads(self.recv_body(limit))
        except (ValueError, RecursionError):
            raise CandidateGone("error", "malformed reply")
        if not isinstance(msg, dict) or not isinstance(msg.get("t"), str):
            raise CandidateGone("error", "malformed reply")
        return msg

    def recv_body(self, limit=None):
        """recv, the frame's bytes unparsed."""
        if not self.reader.ready():
            limit = limit or self.limit()
        try:
            body = self.reader.recv_body(limit)
        except TimeoutError:
            gone = CandidateGone("timeout", "time limit exceeded")
            gone.marginal = limit.marginal()
            raise gone
        except Unplain as e:
            raise CandidateGone("output_limit", str(e))
        if body is None:
            raise CandidateGone("error", "the candidate process ended")
        return body

    def send(self, obj):
        self.write(frame_pack(obj))

    def write(self, frames):
        """Write whole frames (bytes) to the candidate."""
        try:
            write_all(self.wfd, frames)
        except BrokenPipeError:
            raise CandidateGone("error", "the candidate process ended")

    def call(self, name, args, kwargs, cls=None, limit=None):
        try:
            a, k = enc(list(args)), enc(kwargs)
        except Unplain as e:
            raise JudgeLimit("the test passes a value that cannot cross "
                             "to the candidate (%s)" % e)
        self.send({"t": "call", "f": name, "cls": cls, "a": a, "k": k})
        return self.reply(self.recv(limit))

    def reply(self, msg):
        """The value a call's reply frame carries, or raise what it says:
        the candidate's exception (as its builtin base), CandidateBad for
        a value that is not plain data, CandidateGone for a bad frame."""
        t = msg.get("t")
        if t == "ret":
            if "v" not in msg:
                raise CandidateGone("error", "malformed reply")
            try:
                return dec(msg["v"], self.classes, guard=self.guard)
            except (Unplain, TypeError, ValueError, RecursionError) as e:
                raise CandidateBad(str(e))
            except MemoryError:
                raise CandidateGone("output_limit", "returned a value too "
                                    "large for the judge")
        if t == "bad":
            raise CandidateBad(msg.get("msg", "not plain data"))
        if t == "exc":
            # Raised here as the builtin class the candidate's exception
            # really derives from (never by its name), so a test that
            # expects a ValueError is not satisfied by a class of the
            # candidate's own that is merely called ValueError.
            ename = str(msg.get("type", "Exception"))
            base = msg.get("base")
            if not isinstance(base, str):
                raise CandidateGone("error", "malformed reply")
            if base in ("SystemExit", "KeyboardInterrupt",
                        "GeneratorExit"):
                raise CandidateGone("error", "the candidate raised %s "
                                    "during a test" % base)
            cls_ = MemoryError if msg.get("mem") is True else \
                _RAISABLE.get(base, Exception)
            if cls_ is MemoryError and msg.get("mem") is not True:
                cls_ = Exception
            # A class whose constructor takes more than a message
            # (UnicodeDecodeError, ExceptionGroup) is raised as its
            # nearest base that takes one (UnicodeError, Exception),
            # which a test expecting a base of it still catches: never
            # as the TypeError its constructor would raise here.
            text = "%s: %s" % (ename, msg.get("msg", ""))
            for c in cls_.__mro__:
                try:
                    err = c(text)
                    break
                except TypeError:
                    continue
            self.raised = err
            raise err
        raise CandidateGone("error", "malformed reply")


class JudgeLimit(Exception):
    """The problem's tests cannot be judged out of process."""


BATCH_BYTES = 1 << 20           # a batch's arguments, as JSON, at most
BATCH_SLACK_MS = BATCH_MAX * BATCH_QUICK_US / 1000.0


class Batch:
    """The calls of one function over a problem's inputs, sent BATCH_MAX
    at a time: one frame of calls, one reply frame per call ("i", its
    index; "us", the CPU time the candidate's process says it took), so
    that hundreds of inputs cost a few round trips, not hundreds.

    Time, measured from outside (the candidates' cgroup, else the wall
    clock: see TimeLimit): the batch as a whole is held to the sum of its
    calls' limits, and the wait for each reply to the longest limit of
    the calls still unanswered plus BATCH_SLACK_MS (the candidate writes
    at once after any call of BATCH_QUICK_US or more), so a call that
    never returns is stopped about when its own limit is up; either ends
    the test waited for as a time-out.  A call over its own limit by the
    time the candidate reports is a time-out too: exact for any program
    that does not tamper with its own process, and one that does can
    only move time between the calls of one batch, never take more than
    the batch's sum (EvalPlus's per-input limits, which its process
    enforces on itself, are bounded only by its whole run's).
    """

    def __init__(self, chan, fn, cls, tests, limits):
        self.chan = chan
        self.fn, self.cls = fn, cls
        self.tests = tests
        self.limits = limits
        self.waiting = []       # indices sent, not yet answered
        self.gaps = []          # and the wait for each one's reply
        self.got = {}           # index -> (reply frame, reported ms)
        self.limit = None       # the running batch's TimeLimit
        self.total = 0          # and its ms

    def send_from(self, i):
        """Send the calls of tests i, i+1, ... as one batch."""
        calls, size, j = [], 0, i
        while j < len(self.tests) and len(calls) < BATCH_MAX and \
                size < BATCH_BYTES:
            try:
                a = json.dumps([j, enc(list(self.tests[j]["args"]))],
                               separators=(",", ":"))
            except Unplain as e:
                if not calls:
                    raise JudgeLimit("the test passes a value that cannot "
                                     "cross to the candidate (%s)" % e)
                break           # raised when test j's turn comes
            calls.append(a)
            size += len(a)
            j += 1
        head = json.dumps({"t": "calls", "f": self.fn, "cls": self.cls,
                           "k": enc({})}, separators=(",", ":"))
        body = ("%s,\"calls\":[%s]}" % (head[:-1], ",".join(calls))).encode()
        if len(body) > FRAME_MAX:
            raise JudgeLimit("a test's arguments are larger than %d bytes"
                             % FRAME_MAX)
        self.total = sum(self.limits[i:j])
        self.limit = self.chan.limit(self.total)
        self.chan.write(struct.pack(">I", len(body)) + body)
        self.waiting = list(range(i, j))
        # The wait for each reply: the longest limit still unanswered.
        self.gaps = list(itertools.accumulate(
            reversed(self.limits[i:j]), max))[::-1]
        self.gaps = [g + BATCH_SLACK_MS for g in self.gaps]

    def wait(self, gap):
        """The TimeLimit of the wait for the next frame: "gap", within
        what is left of the batch's time; None when one is in hand."""
        if self.chan.reader.ready():
            return None
        left = self.total - self.limit.used_ms()
        return self.chan.limit(max(1.0, min(gap, left)))

    def result(self, i):
        """(reply frame, ms the candidate reports, the value's JSON text
        when it came as a frame of its own, else None) of test i, the
        tests being taken in order."""
        if i not in self.got and not self.waiting:
            self.send_from(i)
        while i not in self.got:
            j = self.waiting.pop(0)
            gap = self.gaps.pop(0)
            msg = self.chan.recv(self.wait(gap))
            us = msg.get("us")
            if msg.get("i") != j or type(us) is not int or us < 0:
                raise CandidateGone("error", "malformed reply")
            raw = None
            if msg.get("raw") is True and msg["t"] == "ret":
                raw = self.chan.recv_body(self.wait(gap))
            self.got[j] = (msg, us / 1000.0, raw)
        return self.got.pop(i)

    def value(self, i, digests, expect=None):
        """(what test i's call returned, ms the candidate reports), the
        tests being taken in order; raises as Channel.reply does.  The
        value is MATCHED when it came as a frame of its own whose bytes
        have the digest digests[i]: the JSON text of that very value.
        expect(i), if given, is called before such a frame that does not
        match is parsed: an expected value made then (Expected.value) is
        made while the judge holds the reply's bytes only, so that what
        a candidate sent cannot take the memory the reference needs."""
        import hashlib
        msg, used, raw = self.result(i)
        if raw is not None:
            if i in digests and hashlib.sha256(raw).digest() == digests[i]:
                return MATCHED, used
            if expect is not None:
                expect(i)
            try:
                msg = {"t": "ret", "v": json.loads(raw)}
            except (ValueError, RecursionError):
                raise CandidateGone("error", "malformed reply")
        return self.chan.reply(msg), used


MATCHED = object()              # Batch.value: equal to the expected output


def judge_alarm(signo, frame):
    """SIGALRM in the judge: the job's time is up."""
    raise CandidateGone("timeout", "time limit exceeded")


def strings(v):
    """The strings of a list the candidate sent; anything else is []."""
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) \
        else []


class Proxy:
    """Stands for a candidate function inside the judge's namespace."""

    __slots__ = ("_chan", "_name", "__name__")

    def __init__(self, chan, name):
        self._chan = chan
        self._name = name
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        return self._chan.call(self._name, args, kwargs)


def test_status(e, chan):
    """Map an exception out of a test to (status, message)."""
    if isinstance(e, CandidateGone):
        return e.status, str(e)
    if e is chan.raised or (chan.raised is not None and
                            e.__context__ is chan.raised):
        if isinstance(e, MemoryError):
            return "memory_limit", str(e)
        return "error", short(str(e))
    if isinstance(e, CandidateBad):
        return "failed", "returned %s" % short(e)
    if isinstance(e, AssertionError):
        return "failed", short("assertion failed" + (": %s" % e
                                                     if str(e) else ""))
    return "failed", exc_text(e)


def judge_memory(mem_mb):
    """Bound the judge's memory for a job whose candidate may use mem_mb:
    twice that (the tests' values and the reference outputs of EvalPlus
    sit beside what the candidate returns) plus 1 GiB.  A reply that
    would take more ends as the candidate's output_limit."""
    lim = (2 * mem_mb + 1024) << 20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        lim = min(lim, hard)
    resource.setrlimit(resource.RLIMIT_AS, (lim, hard))


# --- Expected outputs, computed once -----------------------------------------
#
# A reference-mode problem's expected outputs (and the reference's time on
# each input) are computed by the first job of the problem that a jail
# runs, and handed back to the daemon in the prepare reply (never after a
# candidate ran: nothing of a candidate can reach them).  The daemon keeps
# them keyed by the problem's spec (sandbox/expected.h) and sends them with
# every later job of that problem.  The text is opaque to the daemon:
# {"out": [enc(value)...], "ms": [number...]}, Python's JSON (big ints,
# NaN), in ASCII.  Only exact plain types are kept, which enc() and dec()
# carry without loss; anything else is computed again each time.

_EXACT = frozenset((type(None), bool, int, float, complex, str, bytes))


def plain_exact(v, d=0):
    """Is v built only of exact plain types (no subclass, no object)?"""
    t = type(v)
    if t in _EXACT:
        return True
    if d > DEPTH_MAX:
        return False
    if t is list or t is tuple or t is set or t is frozenset:
        return all(plain_exact(x, d + 1) for x in v)
    if t is dict:
        return all(plain_exact(k, d + 1) and plain_exact(x, d + 1)
                   for k, x in v.items())
    return False


EXPECTED_MAX = 16 << 20         # longest text kept (the daemon's record
                                # lines are at most 64 MiB)


MISSING = object()              # an expected output known by digest only


class Expected:
    """A reference-mode problem's expected outputs: "out", the value per
    input, or MISSING where only "digests" has it (a kept text holds long
    outputs by digest: see expected_dump); "ms", the reference's time per
    input; "digests", input index -> SHA-256 of the output's JSON text
    (enc, compact), for the long ones.  A candidate's long reply whose
    text has that digest is that very value (Batch: no need to parse
    it); any other is parsed and compared by the rules, with the value
    made here if MISSING (value(), running the reference on that input
    alone, once)."""

    def __init__(self, out, ms, digests):
        self.out, self.ms, self.digests = out, ms, digests
        self.fn = None

    def value(self, s, i):
        if self.out[i] is MISSING:
            import copy
            if self.fn is None:
                self.fn = reference_fn(s)
            self.out[i] = self.fn(*copy.deepcopy(s["tests"][i]["args"]))
        return self.out[i]


def reference_fn(s):
    """The reference solution of spec s, compiled in a namespace of its
    own."""
    ns = {"__name__": "__judge__", "__builtins__": builtins}
    exec(compile(s["reference"], "<reference>", "exec"), ns)
    return ns[s["fn"]]


def output_text(v):
    """The JSON text of output v as the candidate sends it (enc,
    compact): a value's digest is that of this text."""
    return json.dumps(enc(v), separators=(",", ":")).encode()


def expected_dump(expected, ref_ms):
    """(text, digests): the text the daemon keeps for these outputs, or
    None when they are not all exact plain data or too long; and the
    digests of the outputs RAW_MIN bytes long or more (see Expected),
    which the text holds in their place ({"h": hex}), so that HumanEval/
    15's 100 MiB of outputs keep in a few KiB.  An output with a NaN in
    it has no digest: NaN equals nothing, not even itself."""
    import hashlib
    digests, parts = {}, []
    try:
        for i, x in enumerate(expected):
            if not plain_exact(x):
                return None, {}
            t = output_text(x)
            if len(t) >= RAW_MIN and b"NaN" not in t:
                digests[i] = hashlib.sha256(t).digest()
                t = b'{"h":"%s"}' % digests[i].hex().encode()
            parts.append(t)
        text = b'{"out":[%s],"ms":%s}' % (b",".join(parts), json.dumps(
            [float(x) for x in ref_ms]).encode())
    except (MemoryError, RecursionError, Unplain):
        return None, digests    # the job goes on without a text
    return (text.decode() if len(text) <= EXPECTED_MAX else None), digests


def expected_load(text, n):
    """The Expected of a text of expected_dump for n tests; None when
    there is none or it does not fit (then they are computed)."""
    if not isinstance(text, str):
        return None
    out, digests = [], {}
    try:
        d = json.loads(text)
        for i, x in enumerate(d["out"]):
            if type(x) is dict and list(x) == ["h"]:
                digests[i] = bytes.fromhex(x["h"])
                if len(digests[i]) != 32:
                    return None
                out.append(MISSING)
                continue
            out.append(dec(x, {}))
            if not plain_exact(out[-1]):
                return None
        ms = [float(x) for x in d["ms"]]
    except (ValueError, TypeError, KeyError, Unplain, RecursionError):
        return None
    if len(out) != n or len(ms) != n:
        return None
    return Expected(out, ms, digests)


class Judge:
    def __init__(self):
        self.sock = socket.socket(fileno=3)
        self.specs = LineReader(0, pyjson_hook)
        self.pending = None     # the prepared job
        self.clock = CpuClock.at(JUDGE_CPU_STAT_FD)
        self.last = None        # the last job's line, parsed
        self.kept = None        # (job, spec, reference outputs): see
                                # prepare
        self.compiled = {}      # source -> code, for repeated problems
        # At the last "run" reply: its COST deltas are from there.
        self.ru_last = resource.getrusage(resource.RUSAGE_SELF)

    def compile(self, source, name):
        code = self.compiled.get(source)
        if code is None:
            if len(self.compiled) > 256:
                self.compiled.clear()
            code = compile(source, name, "exec")
            self.compiled[source] = code
        return code

    def load_spec(self, jid):
        """The line of job jid (those of jobs never prepared are
        skipped)."""
        while True:
            line = self.specs.read_raw()
            if line is None:
                raise EOFError("no more specs")
            job = json.loads(line, object_hook=pyjson_hook)
            if job.get("job") == jid:
                return job

    def prepare(self, jid, again=False):
        """Prepare job jid's tests; "again": the last job's once more,
        for a run that must be repeated.

        The problem's spec, parsed and, for EvalPlus, with its reference
        outputs, is kept for the next job: one whose line says "same"
        (naming the job whose line carried the spec) gets it without
        sending it again (see worker_run in sandbox/pool.c).  Nothing in
        it is changed by a run: the tests' values cross to the candidate
        as copies, and the reference runs on copies of its inputs.
        """
        if again:
            if self.last is None or self.last["job"] != jid:
                raise JudgeLimit("nothing to prepare again")
            job = self.last
        else:
            job = self.load_spec(jid)
        # The job whose spec this one runs on, if kept.
        src = job.get("same", jid if again else None)
        if src is not None:
            if self.kept is None or self.kept[0] != src:
                raise JudgeLimit("the spec of job %s is not kept" %
                                 short(str(src), 40))
            s, ref = self.kept[1], self.kept[2]
        else:
            self.kept = None
            s, ref = job["spec"], None
        prep = {"spec": job, "s": s, "ns": None, "expected": None,
                "remote_setup": False}
        if s["mode"] == "script":
            ns = {"__name__": "__judge__", "__builtins__": builtins}
            try:
                exec(self.compile(s.get("setup", ""), "<setup>"), ns)
            except NameError:
                # The setup uses the candidate's definitions; it runs
                # in the candidate process (as part of its program).
                prep["remote_setup"] = True
            prep["ns"] = ns
        elif s["mode"] == "reference" and ref is None:
            if s.get("mbpp_deserialize"):
                for t in s["tests"]:
                    t["args"] = mbpp_inputs(s["mbpp_deserialize"],
                                            t["args"])
            ref = expected_load(job.get("expected"), len(s["tests"]))
            if ref is None:
                out, ms = self.reference(s)
                prep["made"], digests = expected_dump(out, ms)
                prep["made_ms"] = int(sum(ms))
                ref = Expected(out, ms, digests)
        prep["expected"] = ref
        if src is None:
            self.kept = (jid, s, ref)
        self.pending = prep
        self.last = job

    @staticmethod
    def reference(s):
        """Run the reference on every input: (outputs, ms per input).
        Like EvalPlus, each test's time limit follows from how long the
        reference takes on it (see run_call)."""
        import copy
        fn = reference_fn(s)
        expected, ref_ms = [], []
        for t in s["tests"]:
            t0 = now_ms()
            expected.append(fn(*copy.deepcopy(t["args"])))
            ref_ms.append(now_ms() - t0)
        return expected, ref_ms

    def run(self, jid, fds):
        prep, self.pending = self.pending, None
        if prep is None or prep["spec"]["job"] != jid:
            return {"verdict": "internal", "message": "job not prepared"}
        spec, s = prep["spec"], prep["s"]
        wfd, rfd = fds
        # The whole run's wall-clock backstop; the zygote enforces the
        # candidate's CPU time limit.
        deadline = now_ms() + WALL_FACTOR * spec["wall_ms"] + 1000
        ns = prep["ns"]
        classes = {k: v for k, v in (ns or {}).items()
                   if isinstance(v, type) and k not in vars(builtins)}
        chan = Channel(wfd, rfd, deadline, classes, self.clock)
        try:
            first = chan.recv()
        except CandidateGone as e:
            st = "timeout" if e.status == "timeout" else "error"
            return {"verdict": st, "message": "%s before the tests ran" %
                    e, "tests": []}
        if first["t"] == "syntax":
            return {"verdict": "syntax_error",
                    "message": short(first.get("msg", "")), "tests": []}
        if first["t"] == "exc":
            kind = str(first.get("type"))
            v = "memory_limit" if first.get("mem") is True else "error"
            if first.get("base") == "SystemExit":
                msg = "the program exited before the tests ran"
            else:
                msg = "%s: %s" % (kind, first.get("msg", ""))
            return {"verdict": v, "message": short(msg), "tests": []}
        if first["t"] != "ready":
            return {"verdict": "error", "message": "malformed reply",
                    "tests": []}
        names = strings(first.get("names"))
        mode = s["mode"]
        if prep.get("remote_setup"):
            for name in strings(first.get("values")):
                if name not in ns:
                    ns[name] = RemoteRef(name)
        # The candidate's replies are decoded here, so a crafted one can
        # make the judge slow (a set of colliding hashes): past the
        # limit, an alarm ends the tests as a time-out.
        signal.signal(signal.SIGALRM, judge_alarm)
        left = max(0.001, (deadline - now_ms()) / 1000.0)
        signal.setitimer(signal.ITIMER_REAL, left)
        try:
            if mode == "script":
                tests = self.run_script(s, ns, names, chan)
            elif mode == "stdio":
                tests = self.run_stdio(s, spec["test_ms"], chan)
            elif mode == "call":
                tests = self.run_call(s, spec["test_ms"], chan)
            else:
                tests = self.run_call(s, spec["test_ms"], chan,
                                      prep["expected"])
        except JudgeLimit as e:
            return {"verdict": "internal", "message": str(e), "tests": []}
        except CandidateGone as e:
            return {"verdict": e.status, "message": str(e), "tests": []}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        worst = "passed"
        message = ""
        for t in tests:
            st = "timeout" if t["status"] == "not_run" else t["status"]
            if t["status"] != "not_run" and \
                    VERDICT_RANK.get(st, 8) > VERDICT_RANK[worst]:
                worst = st
                message = "%s: %s" % (t["name"], t.get("message", ""))
        return {"verdict": worst, "message": short(message),
                "tests": tests}

    @staticmethod
    def run_each(tests, chan, one):
        """Run one(i, test) for each test and collect the results.

        one() returns the result record or raises; an exception becomes
        the test's status (see test_status).  Once the candidate is gone
        or a test timed out, the remaining tests are "not_run".
        """
        results = []
        stop = False
        for i, t in enumerate(tests):
            name = t.get("name") or "test[%d]" % i
            if stop:
                results.append({"name": name, "status": "not_run"})
                continue
            t0 = now_ms()
            chan.raised = None
            try:
                res = one(i, t)
            except JudgeLimit:
                raise
            except BaseException as e:  # noqa: the test decides
                st, msg = test_status(e, chan)
                res = {"status": st, "message": msg}
                stop = isinstance(e, CandidateGone)
                if stop and e.marginal:
                    res["marginal"] = True
            stop = stop or res["status"] == "timeout"
            res["name"] = name
            res.setdefault("ms", int(now_ms() - t0))
            results.append(res)
        return results

    def run_script(self, s, ns, names, chan):
        """Run the tests in the prepared namespace, candidate proxied."""
        for name in s.get("entry", []):
            ns[name] = Proxy(chan, name)
        for name in names:
            if name not in ns and name not in vars(builtins):
                ns[name] = Proxy(chan, name)

        def one(i, t):
            exec(self.compile(t["code"], "<test>"), ns)
            return {"status": "passed"}
        return self.run_each(s["tests"], chan, one)

    def run_stdio(self, s, test_ms, chan):
        """Run the program once per input; compare outputs here."""
        def one(i, t):
            chan.send({"t": "run", "in": t["input"], "ms": test_ms})
            # The candidate's process times its child per input (CPU
            # time from wait4, a wall-clock backstop).  With a clock the
            # judge counts every process of the candidate, orphans
            # included; without, it waits out the child's backstop.
            if chan.clock:
                limit = chan.limit(test_ms)
            else:
                limit = TimeLimit(WALL_FACTOR * test_ms + 2000, None,
                                  chan.deadline)
            r = chan.recv(limit)
            st = r.get("status")
            res = {"ms": r.get("ms", 0)}
            if r.get("marginal") is True:
                res["marginal"] = True
            if chan.clock and st != "timeout" and \
                    limit.used_ms() > test_ms:
                st = "timeout"
                res["marginal"] = limit.marginal()
            if st == "ok":
                ok = stdio_equal(r.get("out", ""), t["output"])
                res["status"] = "passed" if ok else "failed"
                if not ok:
                    res["message"] = "wrong output"
            elif st in ("timeout", "output_limit", "forbidden",
                        "memory_limit"):
                res["status"] = st
                res["message"] = {
                    "timeout": "time limit exceeded",
                    "output_limit": "too much output",
                    "forbidden": "the jail refused a system call",
                    "memory_limit": "MemoryError"}[st]
            else:
                res["status"] = "error"
                res["message"] = "exit status %s" % r.get("exit") \
                    if st == "exit" else "killed by signal %s" % \
                    r.get("signal")
            return res
        return self.run_each(s["tests"], chan, one)

    def run_call(self, s, test_ms, chan, ref=None):
        """Call the function once per input; compare returns here.

        With a reference ("ref", an Expected), a test may take
        REF_TIME_FACTOR times the reference's own time on it, if that is
        more than test_ms; a long reply whose JSON text has the expected
        output's digest passes unparsed, where the task's rule holds for
        any value and itself (digest_decides).
        """
        # The rules of these modes hash nothing a list holds, but for
        # MBPP+'s set tasks, which check first (reference_equal).
        chan.guard = "hashed"
        limits = [max(test_ms, REF_TIME_FACTOR * ref.ms[i]) if ref
                  else test_ms for i in range(len(s["tests"]))]
        batch = Batch(chan, s["fn"], s.get("cls"), s["tests"], limits)
        task = s.get("mbpp_deserialize")
        digests = ref.digests if ref and digest_decides(task) else {}

        def expect(i):
            try:
                return ref.value(s, i)
            except Exception as e:  # noqa: the oracle's fault
                raise JudgeLimit("the reference failed on input %d it "
                                 "ran before: %s" % (i, exc_text(e)))

        def one(i, t):
            ms = limits[i]
            out, used = batch.value(i, digests, expect if ref else None)
            if used > ms:
                # Over its limit (as the candidate's process counted):
                # a time-out, run again if within the margin.
                return {"status": "timeout", "message": "time limit "
                        "exceeded (%d ms, limit %d ms)" % (used, ms),
                        "marginal": used <= ms * (1 + TIME_MARGIN)}
            if out is MATCHED:
                ok = True
            elif ref:
                ok = reference_equal(out, expect(i), s.get("atol", 0),
                                     task)
            else:
                ok = call_equal(out, t["output"])
            if ok:
                return {"status": "passed", "ms": int(used)}
            return {"status": "failed", "message": "wrong output",
                    "ms": int(used)}
        return self.run_each(s["tests"], chan, one)

    def serve(self):
        self.sock.sendall(b'{"hello": true}\n')
        buf = b""
        while True:
            msg, fds, _, _ = socket.recv_fds(self.sock, 65536, 2)
            if not msg:
                break
            buf += msg
            # Descriptors come only with a "run" line, and the zygote
            # sends one line and waits for its answer; a line without
            # its descriptors is answered "internal", never guessed.
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if not self.handle(json.loads(line), fds):
                    return
                fds = []

    def handle(self, req, fds):
        """Answer one request; False when the specs have ended."""
        jid = req.get("job")
        try:
            if req["op"] in ("prepare", "again"):
                if isinstance(req.get("mem_mb"), int):
                    judge_memory(req["mem_mb"])
                self.prepare(jid, req["op"] == "again")
                reply = {"job": jid, "ok": True}
                if self.pending.get("made"):
                    reply["expected"] = self.pending.pop("made")
                    reply["expected_ms"] = self.pending.pop("made_ms")
            elif len(fds) != 2:
                reply = {"job": jid, "verdict": "internal",
                         "message": "judge: run without its channel"}
            else:
                reply = self.run(jid, fds)
                reply["job"] = jid
                me = resource.getrusage(resource.RUSAGE_SELF)
                reply["judge_rss_kb"] = me.ru_maxrss
                reply["cost"] = cost_of("judge", rusage_delta(
                    me, self.ru_last))
                self.ru_last = me
        except EOFError:
            return False
        except BaseException as e:  # noqa: report, keep serving
            reply = {"job": jid, "verdict": "internal",
                     "internal": "judge: %s" % exc_text(e),
                     "message": "judge: %s" % exc_text(e)}
        for fd in fds:
            os.close(fd)
        self.sock.sendall(json.dumps(reply).encode() + b"\n")
        return True
