# main.py - the runner's entry point, its last part (see common.py): what
# every role sets first (no SIGPIPE, no warnings, an exception logged by
# its type and place only), then the role named on the command line:
# zygote, forker or judge.

# --- Main -------------------------------------------------------------------

def log_where(code, lineno):
    """Where line lineno of code is: "judge.py:212" for the runner's own
    code (RUNNER_PARTS, the first line of the joined source, says where
    each part starts), else the code's file name ("<test>:3",
    "decoder.py:337")."""
    if code.co_filename == log_where.__code__.co_filename:
        for first, name in reversed(RUNNER_PARTS):
            if lineno >= first:
                return "%s:%d" % (name, lineno - first + 1)
        return "line %d" % lineno
    name = os.path.basename(code.co_filename)
    if not name.isprintable() or len(name) > 64:
        name = "?"
    return "%s:%d" % (name, lineno)


def log_exception(etype, value, tb):
    """sys.excepthook: the exception's type and where it was raised
    (each frame's part and line, see log_where), never its text (it may
    hold what a candidate sent)."""
    where = []
    while tb is not None:
        where.append(log_where(tb.tb_frame.f_code, tb.tb_lineno))
        tb = tb.tb_next
    sys.stderr.write("verdict %s: %s at %s\n" % (
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
