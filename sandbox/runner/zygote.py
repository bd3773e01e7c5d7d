# zygote.py - the forker and the zygote, a part of the runner (see
# common.py).  The forker is the warm interpreter that forks the
# candidates (candidate.py); the zygote supervises each job: it hands the
# program and the judge's channel over, times and kills the candidate,
# and merges the judge's verdict with what it saw.  In this order: the
# forker's setup (preloaded modules, the candidates' seccomp filter and
# PID namespace), Forker, the zygote's clocks and held system calls,
# Zygote, then the scratch directory and descriptor bookkeeping
# (remove_tree, FdSet).

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
            # Its own counts are sent as totals, and kept by the zygote:
            # nothing measured here may be in the memory the next
            # candidate is forked from.
            me = resource.getrusage(resource.RUSAGE_SELF)
            self.sock.sendall(b" ".join(b"%d" % x for x in (
                status, int(ru.ru_utime * 1e6), int(ru.ru_stime * 1e6),
                ru.ru_maxrss, me.ru_maxrss, count_fds(high + FDS_SLACK)) +
                rusage_counts(ru) + rusage_counts(me) +
                (int((me.ru_utime + me.ru_stime) * 1e6),)) + b"\n")
            del job, fds, got, status, ru, pid, pidfd, me


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
        self.cost = {}          # the job's COST (see common.py)
        self.forker_total = None    # the forker's rusage at its last report
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
        unmet = limits_unmet(job)
        if unmet:
            return {"job": jid, "verdict": "internal", "message": unmet,
                    "tests": []}
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
        if isinstance(prep.get("expected"), str):
            # Made before the candidate started: see expected_dump.
            rec["expected"] = prep["expected"]
            rec["expected_ms"] = prep.get("expected_ms")
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
        maxrss_kb, forker_rss_kb, forker_fds)); the candidate's and the
        forker's counts go to self.cost."""
        rep = self.freader.read_raw()
        if rep is None:
            raise EOFError("forker went away")
        v = [int(x) for x in rep.split()]
        if len(v) != 15:
            raise ValueError("the forker's report is malformed")
        cost_add(self.cost, cost_of("cand", v[6:10] + [v[1] + v[2]]))
        # The forker's totals: its cost is the difference from the last
        # report (none for the first job, whose would be its start).
        if self.forker_total is not None:
            cost_add(self.cost, cost_of("forker", [
                a - b for a, b in zip(v[10:15], self.forker_total)]))
        self.forker_total = v[10:15]
        return v[0], tuple(v[1:6])

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
        out_open = True         # till its pipe's EOF: no writer is left
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
                # Once the output pipe is at EOF it would be readable
                # for ever: waiting on it would spin until the forker's
                # report (the candidate is gone then, or about to be).
                # Once the candidate is being killed, what it wrote is
                # read after its end (below), not woken for.
                waitfds += [self.fsock, self.listener]
                if out_open and killed is None:
                    waitfds.append(out_r)
            ready = select.select(waitfds, [], [], left / 1000.0)[0]
            if self.listener in ready:
                call = take_notification(self.listener)
                if call is not None and status is None and \
                        killed in (None, "done"):
                    killed, killed_at, held = "forbidden", now_ms(), call
                    self.kill(pidfd)
            if out_r in ready:
                chunk = os.read(out_r, 65536)
                out_open = bool(chunk)
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
        # The rest of its output, for the excerpt: it has ended (reaped,
        # and with it every process of its PID namespace), so the pipe
        # holds all there will be; never blocking all the same (a write
        # end could outlive it in flight in a unix socket).
        while out_open and len(out) < 4096 and \
                select.select([out_r], [], [], 0)[0]:
            chunk = os.read(out_r, 65536)
            out_open = bool(chunk)
            out += chunk[:4096 - len(out)]
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
        cost_add(self.cost, res.get("cost"))
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
        last = resource.getrusage(resource.RUSAGE_SELF)
        while True:
            job = jobs.read()
            if job is None:
                break
            self.cost = {}
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
            me = resource.getrusage(resource.RUSAGE_SELF)
            cost_add(self.cost, cost_of("zygote", rusage_delta(me, last)))
            last = me
            rec["cost"] = self.cost
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
