# common.py - the first part of the runner, the Python half of the jail:
# zygote, forker, candidate and judge.
#
# The runner is edited as the files of sandbox/runner/ and run as one
# source: the Makefile joins them (RUNNER_PY, tools/join.sh), in
# this order, into $(O)/sandbox/runner.py, which is compiled into
# verdict-jail:
#
#   common.py     this header (the wire formats); limits, framing, the
#                 plain-data encoding, time limits
#   candidate.py  the candidate process, forked per job
#   zygote.py     the forker and the zygote
#   compare.py    each benchmark's comparison rules: APPS stdio and
#                 call-based, EvalPlus's reference rule, the MBPP+ input
#                 types and set and not-None tasks
#   judge.py      the judge
#   main.py       the roles' entry point
#
# The parts are one module at run time: they import nothing from each
# other, and a function of any part may use the names of every part.  A
# part's top level (constants, default arguments) may use only what the
# parts before it define.  The joined source's first line is generated:
# RUNNER_PARTS, the line where each part starts, so that the log names a
# part and a line in it ("judge.py:212", see log_where in main.py).
#
# verdict-jail (sandbox/jail-main.c) execs this source three times inside
# one jail, with "python3 -I -B -c <this source> ROLE" (the forker with
# -P -s in place of -I, and PYTHONHASHSEED=0, so that every candidate
# hashes strings alike: see jail-main.c):
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
#   {"job": str, "wall_ms": int, "test_ms": int, "spec": SPEC,
#    "expected": str (reference mode, once known; see below)}
#   or, for a job of the same problem as the worker's last one,
#   {"job": str, "wall_ms": int, "test_ms": int, "same": str}: the
#   spec (and outputs) of job "same", which the judge keeps prepared
#   (judge.py's prepare; sandbox/pool.c's worker_run).
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
#    "jail_rss_kb": int, "jail_fds": int, "forker_fds": int,
#    "cost": COST}
#   jail_rss_kb, jail_fds and forker_fds are the jail's own health: its
#   peak memory, and the descriptors the zygote and the forker hold after
#   the job (constant from job to job; the zygote retires the jail when
#   they are not).  COST is what the job cost, for measurement only
#   (verdictd eval prints its medians; nothing stores it), all ints,
#   summed over the job's attempts:
#     {"cand_minflt", "cand_majflt", "cand_nvcsw", "cand_nivcsw",
#      "cand_cpu_us":
#        the candidate's page faults (minor, major), context switches
#        (voluntary, involuntary) and CPU time (user + system, us), from
#        wait4();
#      "forker_minflt", "forker_majflt", "forker_nvcsw", "forker_nivcsw",
#      "forker_cpu_us", and the same with "zygote_" and "judge_":
#        each helper's getrusage(RUSAGE_SELF) deltas from its previous
#        job to this one (so between jobs included): page faults,
#        context switches, user + system CPU time in microseconds.  The
#        forker's minor faults are mostly copy-on-write faults: pages it
#        wrote that a fork had made shared.  No forker_* on a jail's
#        first job.}
#   A key the jail did not measure is absent.
#   The first job of a reference-mode problem adds "expected": str, the
#   reference's outputs (the long ones by the digest of their text) and
#   times (judge.py's expected_dump), which the daemon keeps and sends
#   back with the problem's later jobs as "expected" beside "spec"
#   (sandbox/expected.h), and "expected_ms": int, the reference's time
#   over all inputs.
# zygote <-> judge: a socketpair at fd 3 of both; the zygote hands the
#   judge the two pipe ends of a candidate's channel with SCM_RIGHTS.
# zygote <-> forker: a socketpair at fd 4 of the zygote, fd 3 of the
#   forker.  Per job: one line of JSON (limits, mode, scratch directory)
#   with four descriptors (the candidate's channel ends, its output pipe,
#   its program); the forker answers "PID\n" with a pidfd, then
#   "STATUS UTIME_US STIME_US MAXRSS_KB FORKER_RSS_KB FORKER_FDS
#   MINFLT MAJFLT NVCSW NIVCSW F_MINFLT F_MAJFLT F_NVCSW F_NIVCSW
#   F_CPU_US\n": wait4()'s status and rusage of the candidate, then the
#   forker's own: its peak memory and descriptors, and its rusage totals
#   (the zygote keeps them and takes the differences: the forker keeps
#   nothing it measured, see Forker).
# judge -> zygote: the reply to "run" carries the judge's deltas as
#   "cost": {"judge_minflt", ...} (see COST) beside "judge_rss_kb".
# judge <-> candidate: 4-byte big-endian length + JSON frames.  The
#   candidate's first frame is "ready" (its names), "syntax" or "exc";
#   then per request one reply: {"t": "ret", "v": VALUE}, {"t": "exc",
#   ...} or {"t": "bad", "msg"}.  A request is one call, {"t": "call",
#   "f", "cls", "a", "k"} (script mode: the tests' code calls), one
#   stdio run {"t": "run", "in", "ms"}, or a batch of calls of one
#   function (call and reference modes: judge.py's Batch), {"t":
#   "calls", "f", "cls", "k", "calls": [[INDEX, ARGS]...]}, answered by
#   one reply per call in order, each with "i": INDEX and "us": the CPU
#   time the call took in the candidate's process.  A "ret" reply whose
#   value is RAW_MIN bytes of JSON or more has "raw": true in place of
#   "v", and the value's JSON text follows as a frame of its own (the
#   judge matches it against an expected output's digest unparsed).

import builtins
import collections
import contextlib
import gc
import itertools
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
BATCH_MAX = 64                  # calls the judge sends in one frame
BATCH_QUICK_US = 2000           # the candidate's replies to quicker calls
                                # may wait for the next write (Batch)
RAW_MIN = 64 << 10              # a batch reply's value this long (JSON)
                                # crosses as a frame of its own (Batch)

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
    """Undo common/jsonl.c's wrapping of values jansson cannot hold.

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


_HASH_EXACT = frozenset((int, float, str, bool, type(None), complex,
                         bytes))


def hash_flood(items):
    """Would hashing these values go quadratic?  True when more than
    FLOOD_DISTINCT distinct values share one hash: nothing but a crafted
    value does that (ints equal modulo 2**61 - 1, tuples solved for a
    hash); equal values may repeat at will.  Linear in len(items)."""
    if len(items) <= FLOOD_MIN:
        return False
    if set(map(type, items)) <= _HASH_EXACT:
        # Scalars (most long answers): their hashes in C, counted in C
        # (hash values are ints that never collide among themselves).
        counts = collections.Counter(map(hash, items))
    else:
        hashes = []
        for x in items:
            try:
                hashes.append(hash(x))
            except Exception:   # noqa: unhashable (or a problem class's)
                pass
        counts = collections.Counter(hashes)
    crowded = {h for h, n in counts.items() if n > FLOOD_DISTINCT}
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


_SET, _MAP, _TYPE = set, map, type


def dec(x, classes, refs=None, guard=False):
    """Decode tagged JSON.

    Only classes in "classes" may be rebuilt; references ({"r": name})
    resolve in "refs", which only the candidate side passes.  "guard"
    (the judge, decoding what a candidate sent) refuses containers whose
    values are crafted to collide in hash (see hash_flood): a set or a
    dict of them, or anything the tests then hash, would take the judge
    quadratic time.  guard="hashed" checks only the containers that hash
    their items here (sets, frozensets, dicts), for judges whose rules
    hash nothing else or check first (call and reference modes, see
    reference_equal): a list of ten million floats is then not hashed
    for nothing.
    """
    if isinstance(x, dict):
        if len(x) != 1:
            raise Unplain("malformed value")
        (tag, val), = x.items()
        if tag in ("l", "t", "s", "f", "d") and not isinstance(val, list):
            raise Unplain("malformed value")
        # [real, imag], [type name, truth], [class, state(, truth)]: a
        # shorter list, or a state that is no object, is no value of ours
        # (and an IndexError here would reach the test as the
        # candidate's).
        if tag in ("c", "u", "o") and (not isinstance(val, list) or
                                       len(val) < 2):
            raise Unplain("malformed value")
        if tag == "o" and not isinstance(val[1], dict):
            raise Unplain("malformed value")
        if tag == "l" or tag == "t":
            # JSON scalars decode to themselves: no call per element.
            # (The builtins as they were: a candidate may rebind its own,
            # and decodes its arguments with this.)
            types = _SET(_MAP(_TYPE, val))
            if dict not in types and list not in types:
                items = val
            else:
                items = [dec(e, classes, refs, guard) for e in val]
            if guard is True and hash_flood(items):
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


def frame_pack(obj):
    """One frame: 4-byte big-endian length, then obj as compact JSON."""
    data = json.dumps(obj, separators=(",", ":")).encode()
    return struct.pack(">I", len(data)) + data


def frame_send(fd, obj):
    write_all(fd, frame_pack(obj))


class FrameReader:
    """Frames from fd, read in large chunks: a reply that comes with many
    others (a batch of calls, see Batch in judge.py) costs no system
    call of its own.  recv(limit) returns the next frame's object, None
    at EOF; "limit" (a TimeLimit, or None for no limit) says how long to
    wait and raises TimeoutError when the time is up; a frame longer
    than FRAME_MAX is Unplain.  recv_body(limit) is the same, the frame's
    bytes unparsed."""

    def __init__(self, fd):
        self.fd = fd
        self.buf = b""
        self.pos = 0

    def fill(self, limit):
        if limit is not None and not select.select([self.fd], [], [], 0)[0]:
            while not select.select([self.fd], [], [], limit.wait_s())[0]:
                pass
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            return False
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def ready(self):
        """Is a whole frame in hand (recv would not wait)?"""
        have = len(self.buf) - self.pos
        return have >= 4 and have >= 4 + struct.unpack_from(
            ">I", self.buf, self.pos)[0]

    def recv(self, limit=None):
        body = self.recv_body(limit)
        return None if body is None else json.loads(body)

    def recv_body(self, limit=None):
        while True:
            have = len(self.buf) - self.pos
            if have >= 4:
                n, = struct.unpack_from(">I", self.buf, self.pos)
                if n > FRAME_MAX:
                    raise Unplain("value larger than %d bytes" % FRAME_MAX)
                if have >= 4 + n:
                    body = self.buf[self.pos + 4:self.pos + 4 + n]
                    self.pos += 4 + n
                    return body
                if not self.fill_frame(4 + n - have, limit):
                    return None
            elif not self.fill(limit):
                return None

    def fill_frame(self, need, limit):
        """Read the "need" bytes that complete the frame begun in the
        buffer, joined once (a pipe gives 64 KiB a read: appending each
        would copy a large frame hundreds of times)."""
        parts = [self.buf[self.pos:]]
        while need > 0:
            self.buf, self.pos = b"", 0
            if not self.fill(limit):
                return False
            parts.append(self.buf)
            need -= len(self.buf)
        self.buf, self.pos = b"".join(parts), 0
        return True


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


COST_COUNTS = ("minflt", "majflt", "nvcsw", "nivcsw")


def rusage_counts(ru):
    """The counts of a struct rusage that COST reports, in COST_COUNTS
    order (page faults, then context switches)."""
    return (ru.ru_minflt, ru.ru_majflt, ru.ru_nvcsw, ru.ru_nivcsw)


def rusage_delta(now, before):
    """COST_COUNTS of now - before, then the CPU time between (us)."""
    return tuple(a - b for a, b in zip(rusage_counts(now),
                                       rusage_counts(before))) + (
        int((now.ru_utime + now.ru_stime - before.ru_utime -
             before.ru_stime) * 1e6),)


def cost_of(who, values):
    """COST keys for one process: who ("cand", "forker", ...) with
    COST_COUNTS, and "cpu_us" when values has a fifth."""
    return dict(zip(("%s_%s" % (who, k) for k in COST_COUNTS +
                     ("cpu_us",)), values))


def cost_add(cost, more):
    """Add the int values of the dict "more" into "cost" (anything else
    in it is ignored: the sum stays ints)."""
    if isinstance(more, dict):
        for k, v in more.items():
            if type(k) is str and type(v) is int:
                cost[k] = cost.get(k, 0) + v


def short(s, n=MSG_MAX):
    s = str(s)
    return s if len(s) <= n else s[:n] + "..."


def exc_text(e):
    return short("%s: %s" % (type(e).__name__, e))
