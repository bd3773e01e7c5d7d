#!/usr/bin/env python3
# gen.py DIR -- write the hostile suite's candidates into DIR, one file
# per case (NNN-name.py), for tests/jail/run.sh.
#
# Each case is: name, task (a problem of tests/jail/problems/), kind
# (completion or program), the one verdict it must get, the attack in one
# line, why that verdict is right, and the program.  The programs are
# made here from shared snippets (the same attack on each protocol
# differs only in its wrapper); "sh tests/jail/run.sh --keep" leaves the
# generated files in the log directory for reading.
import os
import sys
import textwrap

OUT = sys.argv[1] if len(sys.argv) > 1 else "cases"
CASES = []


def case(name, task, kind, expect, attack, why, body):
    CASES.append((name, task, kind, expect, attack, why, body))


def emit():
    names = set()
    os.makedirs(OUT, exist_ok=True)
    for name, task, kind, expect, attack, why, body in CASES:
        assert name not in names, name
        names.add(name)
        head = ["# task: %s" % task, "# kind: %s" % kind,
                "# expect: %s" % expect, "# attack: %s" % attack]
        for ln in textwrap.wrap(" ".join(why.split()), 72):
            head.append("# why: " + ln)
        if body.startswith("\n"):
            body = textwrap.dedent(body).lstrip("\n")
            if kind == "completion":    # a function body: 4 spaces
                body = textwrap.indent(body, "    ")
        text = "\n".join(head) + "\n" + body
        if not text.endswith("\n"):
            text += "\n"
        with open(os.path.join(OUT, name + ".py"), "w") as fh:
            fh.write(text)


# ---------------------------------------------------------------------------
# Shared snippets

SCAN = '''
import gc
import os
import re
import sys

# Built in pieces so that this program itself holds no match.
PATTERN = re.compile("VERDICT" + "-SECRET-" + "[0-9a-f]{16}")


def scan(obj, found, seen, depth=0):
    """Collect every secret-looking string reachable from obj."""
    if depth > 6 or id(obj) in seen or type(obj).__name__ == "module":
        return
    seen.add(id(obj))
    try:
        if isinstance(obj, (bytes, bytearray, memoryview)):
            obj = bytes(obj).decode("latin-1")
        if isinstance(obj, str):
            found.extend(PATTERN.findall(obj))
        elif isinstance(obj, dict):
            for k, v in list(obj.items()):
                scan(k, found, seen, depth + 1)
                scan(v, found, seen, depth + 1)
        elif isinstance(obj, (list, tuple, set, frozenset)):
            for v in list(obj):
                scan(v, found, seen, depth + 1)
        else:
            d = object.__getattribute__(obj, "__dict__")
            if isinstance(d, dict):
                scan(d, found, seen, depth + 1)
    except Exception:
        pass
'''

FRAMES = SCAN + '''

def search():
    """Walk every frame above us: locals, globals, code constants."""
    found, seen = [], set()
    f = sys._getframe()
    while f is not None:
        scan(f.f_locals, found, seen)
        scan(f.f_globals, found, seen)
        scan(f.f_code.co_consts, found, seen)
        f = f.f_back
    return found
'''

TRACEBACK = SCAN + '''

def search():
    """Raise, then climb from the traceback's frame to the outermost one."""
    found, seen = [], set()
    try:
        raise RuntimeError("probe")
    except RuntimeError as e:
        tb = e.__traceback__
    f = tb.tb_frame
    while f is not None:
        scan(f.f_locals, found, seen)
        scan(f.f_globals, found, seen)
        f = f.f_back
    return found
'''

GC = SCAN + '''

def search():
    """Look at every object the collector knows, and at what they hold."""
    found, seen = [], set()
    gc.collect()
    for o in gc.get_objects():
        scan(o, found, seen, 5)
        for r in gc.get_referents(o):
            scan(r, found, seen, 6)
    return found
'''

FS = SCAN + '''
import stat

OS_DIRS = ("usr", "lib", "lib32", "lib64", "libx32", "bin", "sbin")
HOST_DIRS = ("/work", "/root", "/home", "/proc", "/sys", "/var", "/etc",
             "/run", "/srv", "/opt", "/mnt", "/media", "/tmp", "/dev",
             "/data", "/build")


def search():
    """Read every regular file outside the OS directories, and the env.

    Stops after one second, within every time limit of the suite.
    """
    import time
    end = time.monotonic() + 1.0
    found, seen = [], set()
    scan(dict(os.environ), found, seen)
    tops = ["/" + t for t in sorted(os.listdir("/")) if t not in OS_DIRS]
    for top in tops + list(HOST_DIRS):
        for dirpath, dirs, files in os.walk(top):
            for f in files:
                p = os.path.join(dirpath, f)
                if time.monotonic() > end:
                    return found
                try:
                    st = os.lstat(p)
                    if not stat.S_ISREG(st.st_mode) or st.st_size > 8 << 20:
                        continue
                    with open(p, "rb") as fh:
                        scan(fh.read(), found, seen)
                except OSError:
                    pass
    return found
'''

PROC = SCAN + '''

def search():
    """Read /proc of every process we can name: cmdline, environ, mem."""
    found, seen = [], set()
    pids = ["self", "1", str(os.getppid())]
    try:
        pids += [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError as e:
        print("no /proc:", e, file=sys.stderr)
    for pid in pids:
        for what in ("cmdline", "environ", "maps", "fd/0", "mem"):
            try:
                with open("/proc/%s/%s" % (pid, what), "rb") as fh:
                    scan(fh.read(1 << 20), found, seen)
            except OSError:
                pass
    return found
'''

PARENT_MEM = '''
import ctypes
import os
import sys


class IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def read_parent():
    """Try /proc/PPID/mem, then process_vm_readv(2) on the parent."""
    ppid = os.getppid() or 1
    try:
        with open("/proc/%d/mem" % ppid, "rb") as fh:
            return fh.read(64)
    except OSError as e:
        print("no /proc/PID/mem:", e, file=sys.stderr, flush=True)
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(4096)
    local = IOVec(ctypes.cast(buf, ctypes.c_void_p), 4096)
    remote = IOVec(0x400000, 4096)
    n = libc.process_vm_readv(ppid, ctypes.byref(local), 1,
                              ctypes.byref(remote), 1, 0)
    return buf.raw[:max(n, 0)]
'''

PTRACE = '''
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
PTRACE_TRACEME, PTRACE_ATTACH = 0, 16
'''

# ---------------------------------------------------------------------------
# 0xx: honest controls and plain failures

case("001-honest-he-add", "Hostile/add", "completion", "passed",
     "none: honest control (HumanEval-shaped completion)",
     "A correct completion of the prompt must pass.",
     """
         return a + b
     """)

case("002-honest-he-greet", "Hostile/greet", "completion", "passed",
     "none: honest control returning a str",
     "A correct completion returning a str must pass.",
     """
         return 'Hello, ' + name + '!'
     """)

case("003-honest-he-evens", "Hostile/evens", "completion", "passed",
     "none: honest control returning a list",
     "A correct completion returning a list must pass.",
     """
         return [i for i in range(n) if i % 2 == 0]
     """)

case("004-honest-he-program", "Hostile/add", "program", "passed",
     "none: honest control sent as a whole program",
     "A whole program defining the entry point correctly must pass.",
     """
     def add(a, b):
         return a + b
     """)

case("005-honest-mbpp", "Mbpp/501", "program", "passed",
     "none: honest control (MBPP-shaped)",
     "A correct MBPP program must pass every assert of test_list.",
     """
     def add_nums(a, b):
         return a + b
     """)

case("006-honest-mbpp-setup", "Mbpp/503", "program", "passed",
     "none: honest control on an MBPP problem with test_setup_code",
     "The setup code (BASE = 10) is appended to the program, as MBPP does; "
     "a correct program must pass.",
     """
     def add_base(x):
         return x + BASE
     """)

case("007-honest-apps-stdio", "APPS/900001", "program", "passed",
     "none: honest control (APPS standard input/output)",
     "A correct stdin/stdout program must pass every input.",
     """
     a, b = map(int, input().split())
     print(a + b)
     """)

case("008-honest-apps-call", "APPS/900002", "program", "passed",
     "none: honest control (APPS call-based, fn_name)",
     "A correct function must pass every call.",
     """
     def add(a, b):
         return a + b
     """)

case("009-honest-apps-class", "APPS/900005", "program", "passed",
     "none: honest control (APPS call-based with class Solution)",
     "A correct Solution.add must pass every call.",
     """
     class Solution:
         def add(self, a, b):
             return a + b
     """)

case("010-honest-apps-call-str", "APPS/900006", "program", "passed",
     "none: honest control (APPS call-based returning a str)",
     "A correct function returning a str must pass.",
     """
     def greet(name):
         return 'Hello, ' + name + '!'
     """)

case("011-wrong-he-add", "Hostile/add", "completion", "failed",
     "none: a plainly wrong answer (control)",
     "a - b is wrong for (2, 3): the check's assert fails.",
     """
         return a - b
     """)

case("012-wrong-mbpp", "Mbpp/501", "program", "failed",
     "none: a plainly wrong answer (control)",
     "a * b is wrong for (2, 3): an assert of test_list fails.",
     """
     def add_nums(a, b):
         return a * b
     """)

case("013-wrong-apps-stdio", "APPS/900001", "program", "failed",
     "none: a plainly wrong output (control)",
     "Prints a - b: wrong output for the first input.",
     """
     a, b = map(int, input().split())
     print(a - b)
     """)

case("014-wrong-apps-call", "APPS/900002", "program", "failed",
     "none: a plainly wrong return value (control)",
     "Returns a * b: wrong output for (2, 3).",
     """
     def add(a, b):
         return a * b
     """)

case("015-syntax-error-he", "Hostile/add", "completion", "syntax_error",
     "none: a completion that does not compile (control)",
     "The program does not compile, so nothing runs.",
     """
         return a +
     """)

case("016-syntax-error-apps-stdio", "APPS/900001", "program", "syntax_error",
     "none: a stdio program that does not compile (control)",
     "The program does not compile (also not once wrapped in a function).",
     """
     a, b = map(int, input().split()
     print(a + b)
     """)

case("017-exception-he", "Hostile/add", "completion", "error",
     "none: an uncaught exception during a test (control)",
     "The function raises ValueError: an uncaught exception is 'error'.",
     """
         raise ValueError("no")
     """)

case("018-honest-apps-stdio-toplevel-return", "APPS/900001", "program",
     "passed",
     "none: a stdio program with a top-level return, as the APPS harness allows",
     "The APPS harness runs stdio programs inside a function, so a bare "
     "return at top level is legal there; this one prints the right sum.",
     """
     a, b = map(int, input().split())
     print(a + b)
     if a:
         return
     """)

case("020-honest-mbpp-remote-setup", "Mbpp/504", "program", "passed",
     "none: honest control on an MBPP problem whose setup code needs the "
     "candidate's class (the judge passes b1, b2 by reference)",
     "The setup (b1 = Box(5) ...) cannot run in the judge, which has no "
     "Box; it runs in the candidate and the judge refers to its values. "
     "A correct program must pass.",
     """
     class Box:
         def __init__(self, value):
             self.value = value


     def unbox(b):
         return b.value
     """)
case("021-wrong-mbpp-remote-setup", "Mbpp/504", "program", "failed",
     "none: a wrong answer on the remote-setup problem (control)",
     "unbox returns value + 1: the asserts fail.",
     """
     class Box:
         def __init__(self, value):
             self.value = value


     def unbox(b):
         return b.value + 1
     """)
case("022-mbpp-remote-setup-lying-values", "Mbpp/504", "program", "failed",
     "on the remote-setup problem, return lying objects and publish "
     "non-callable globals named like the builtins the tests use (abs, "
     "AssertionError) so the judge's namespace refers to them",
     "Returned objects of the candidate's class are not plain data (the "
     "judge has no Box), and a judge-side name that refers to a candidate "
     "value cannot be called or raised; every assert fails: 'failed'.",
     """
     class Box:
         def __init__(self, value):
             self.value = value

         def __eq__(self, other):
             return True


     abs = 3
     AssertionError = 0
     isinstance = 1


     def unbox(b):
         return Box(42)
     """)
case("023-mbpp-remote-setup-exit", "Mbpp/504", "program", "error",
     "on the remote-setup problem, sys.exit(0) from the class the setup "
     "code instantiates (the setup runs in the candidate)",
     "The setup runs in the candidate process after its definitions, so "
     "Box(5) ends the process before any assert: 'error'.",
     """
     import sys


     class Box:
         def __init__(self, value):
             sys.exit(0)


     def unbox(b):
         return b.value
     """)

# ---------------------------------------------------------------------------
# 1xx: ending the process early

EXITS = [
    ("exit", "exit(0)", "exit(0)"),
    ("sys-exit", "sys.exit(0)", "import sys\nsys.exit(0)"),
    ("raise-systemexit", "raise SystemExit", "raise SystemExit"),
    ("os-exit", "os._exit(0)", "import os\nos._exit(0)"),
    ("posix-exit", "posix._exit(0)", "import posix\nposix._exit(0)"),
]


def indent(code, n):
    return "".join(" " * n + ln + "\n" for ln in code.splitlines())


n = 101
for slug, what, code in EXITS:
    case("%03d-he-%s-module" % (n, slug), "Hostile/add", "completion", "error",
         "%s at module level, before any test ran (HumanEval script protocol)"
         % what,
         "The program ends before the judge got any function: the tests "
         "never ran, which must be 'error', never 'passed'.",
         "    return a + b\n\n\n" + code + "\n")
    n += 1
for slug, what, code in EXITS:
    case("%03d-he-%s-function" % (n, slug), "Hostile/add", "completion",
         "error",
         "%s inside the function, during the first test (HumanEval)" % what,
         "The process ends (or raises SystemExit) in the middle of a test: "
         "the candidate is gone, the test cannot pass; 'error'.",
         indent(code, 4) + "    return a + b\n")
    n += 1
for slug, what, code in EXITS:
    case("%03d-mbpp-%s-module" % (n, slug), "Mbpp/501", "program", "error",
         "%s at module level, before the asserts (MBPP)" % what,
         "Ends before the asserts of test_list ran: 'error'.",
         "def add_nums(a, b):\n    return a + b\n\n\n" + code + "\n")
    n += 1
for slug, what, code in EXITS:
    case("%03d-mbpp-%s-function" % (n, slug), "Mbpp/501", "program", "error",
         "%s inside the function, during the first assert (MBPP)" % what,
         "The candidate ends during a test: 'error'.",
         "def add_nums(a, b):\n" + indent(code, 4) + "    return a + b\n")
    n += 1
for slug, what, code in EXITS:
    case("%03d-apps-call-%s-module" % (n, slug), "APPS/900002", "program",
         "error",
         "%s at module level, before any call (APPS call-based)" % what,
         "Ends before the judge could call add(): 'error'.",
         "def add(a, b):\n    return a + b\n\n\n" + code + "\n")
    n += 1
for slug, what, code in EXITS:
    case("%03d-apps-call-%s-function" % (n, slug), "APPS/900002", "program",
         "error",
         "%s inside the function, during the first call (APPS call-based)"
         % what,
         "The candidate ends during a call: 'error'.",
         "def add(a, b):\n" + indent(code, 4) + "    return a + b\n")
    n += 1
for slug, what, code in EXITS:
    case("%03d-apps-stdio-%s-before-output" % (n, slug), "APPS/900001",
         "program", "failed",
         "%s before printing anything (APPS stdin/stdout)" % what,
         "For stdio problems the program runs once per input and only its "
         "output counts; ending with status 0 before printing leaves an "
         "empty output, which is a wrong answer: 'failed'.",
         code + "\na, b = map(int, input().split())\nprint(a + b)\n")
    n += 1

n = 136
case("136-apps-stdio-sys-exit-after-output", "APPS/900001", "program",
     "passed",
     "sys.exit(0) right after printing the right answer (APPS stdio)",
     "Legitimate for stdio problems: the output is complete and the exit "
     "status is 0, exactly as the APPS harness sees it.",
     """
     import sys
     a, b = map(int, input().split())
     print(a + b)
     sys.exit(0)
     """)
case("137-apps-stdio-exit-after-output", "APPS/900001", "program", "passed",
     "exit(0) right after printing the right answer (APPS stdio)",
     "As sys.exit(0): complete output, status 0.",
     """
     a, b = map(int, input().split())
     print(a + b)
     exit(0)
     """)
case("138-apps-stdio-raise-systemexit-after-output", "APPS/900001", "program",
     "passed",
     "raise SystemExit right after printing the right answer (APPS stdio)",
     "SystemExit with no code is status 0; the output is complete.",
     """
     a, b = map(int, input().split())
     print(a + b)
     raise SystemExit
     """)
case("139-apps-stdio-os-exit-unflushed", "APPS/900001", "program", "failed",
     "os._exit(0) after print() but before stdout was flushed (APPS stdio)",
     "os._exit skips the flush of the buffered standard output, so the "
     "answer never reaches the output file: empty output, 'failed' (the "
     "same happens outside any jail).",
     """
     import os
     a, b = map(int, input().split())
     print(a + b)
     os._exit(0)
     """)
case("140-apps-stdio-posix-exit-flushed", "APPS/900001", "program", "passed",
     "posix._exit(0) after printing and flushing the answer (APPS stdio)",
     "The output was flushed before the exit and the status is 0: a "
     "legitimate complete run.",
     """
     import posix
     import sys
     a, b = map(int, input().split())
     print(a + b)
     sys.stdout.flush()
     posix._exit(0)
     """)
case("141-apps-stdio-sys-exit-nonzero", "APPS/900001", "program", "error",
     "sys.exit(1) after printing the right answer (APPS stdio)",
     "A non-zero exit status is a runtime error even with the right output.",
     """
     import sys
     a, b = map(int, input().split())
     print(a + b)
     sys.exit(1)
     """)

# 15x: programs the oracle itself once could not take apart (compiled,
# or shipped between its processes): nothing a candidate writes may end
# "internal", which would leave it out of pass@k.

NESTED = "lambda: " * 5000 + "0"
NESTED_WHY = ("5,000 nested lambdas are beyond CPython's parser (it raises "
              "MemoryError at its own nesting limit, far below the memory "
              "limit).  A program that cannot be compiled is the "
              "candidate's 'error': never 'internal', never "
              "'memory_limit'.")
case("150-he-nested-lambdas", "Hostile/add", "program", "error",
     "a few KB of nested lambdas that CPython cannot compile",
     NESTED_WHY, "add = " + NESTED + "\n")
case("151-mbpp-nested-lambdas", "Mbpp/501", "program", "error",
     "a few KB of nested lambdas that CPython cannot compile (MBPP)",
     NESTED_WHY, "add_nums = " + NESTED + "\n")
case("152-apps-stdio-nested-lambdas", "APPS/900001", "program", "error",
     "a few KB of nested lambdas that CPython cannot compile (APPS stdio)",
     NESTED_WHY, "f = " + NESTED + "\nprint(0)\n")
case("153-apps-call-nested-lambdas", "APPS/900002", "program", "error",
     "a few KB of nested lambdas that CPython cannot compile (APPS call)",
     NESTED_WHY, "add = " + NESTED + "\n")
case("154-he-nested-lambdas-compile", "Hostile/add", "program", "passed",
     "1,500 nested lambdas: they compile, but the code object is too deep "
     "for marshal (the oracle once shipped it between its processes that "
     "way and ended 'internal')",
     "The program is valid and add is right: 'passed'.  The oracle never "
     "serializes a candidate's code.",
     "f = " + "lambda: " * 1500 + "0\n\n\ndef add(a, b):\n"
     "    return a + b\n")
case("155-he-compile-warnings", "Hostile/add", "program", "passed",
     "800 lines that each make the compiler warn (SyntaxWarning: 'is' with "
     "a literal), to flood the daemon's log",
     "The warnings are the candidate's own output (its stderr excerpt); "
     "nothing of them may reach verdictd's log (run.sh checks).  add is "
     "right: 'passed'.",
     "def never_called(x):\n" +
     "".join("    if x is %d:\n        pass\n" % i for i in range(800)) +
     "\n\ndef add(a, b):\n    return a + b\n")
case("156-honest-after-compile-cases", "Hostile/add", "completion", "passed",
     "none: honest control after the programs above",
     "Must pass on whichever worker runs it.", "    return a + b\n")

# ---------------------------------------------------------------------------
# 2xx: values that lie

LIAR = '''
class Liar:
    """Equal to everything, true, hashes like anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True

    def __hash__(self):
        return 0

    def __repr__(self):
        return "5"
'''
LYING_INT = '''
class LyingInt(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__
'''
LYING_STR = '''
class LyingStr(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__
'''
LYING_LIST = '''
class LyingList(list):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False
'''
EQ_WHY = ("Only plain data crosses from the candidate to the judge, and the "
          "judge compares with its own ==: the lie is lost and the value is "
          "wrong (or not plain data), so the test fails: 'failed'.")

case("201-he-eq-always-true", "Hostile/add", "program", "failed",
     "return an object whose __eq__ always returns True (HumanEval)",
     EQ_WHY,
     LIAR + "\n\ndef add(a, b):\n    return Liar()\n")
case("202-he-int-subclass-eq", "Hostile/add", "program", "failed",
     "return an int subclass (value 42) whose __eq__ always returns True",
     EQ_WHY,
     LYING_INT + "\n\ndef add(a, b):\n    return LyingInt(42)\n")
case("203-he-str-subclass-eq", "Hostile/greet", "program", "failed",
     "return a str subclass (value 'nope') whose __eq__ always returns True",
     EQ_WHY,
     LYING_STR + "\n\ndef greet(name):\n    return LyingStr('nope')\n")
case("204-he-list-subclass-eq", "Hostile/evens", "program", "failed",
     "return a list subclass (value [42]) whose __eq__ always returns True",
     EQ_WHY,
     LYING_LIST + "\n\ndef evens(n):\n    return LyingList([42])\n")
case("205-mbpp-eq-always-true", "Mbpp/501", "program", "failed",
     "return an object whose __eq__ always returns True (MBPP)",
     EQ_WHY,
     LIAR + "\n\ndef add_nums(a, b):\n    return Liar()\n")
case("206-mbpp-int-subclass-eq", "Mbpp/501", "program", "failed",
     "return an int subclass whose __eq__ always returns True (MBPP)",
     EQ_WHY,
     LYING_INT + "\n\ndef add_nums(a, b):\n    return LyingInt(42)\n")
case("207-apps-call-eq-always-true", "APPS/900002", "program", "failed",
     "return an object whose __eq__ always returns True (APPS call)",
     EQ_WHY,
     LIAR + "\n\ndef add(a, b):\n    return Liar()\n")
case("208-apps-call-int-subclass-eq", "APPS/900002", "program", "failed",
     "return an int subclass whose __eq__ always returns True (APPS call)",
     EQ_WHY,
     LYING_INT + "\n\ndef add(a, b):\n    return LyingInt(42)\n")
case("209-apps-call-str-subclass-eq", "APPS/900006", "program", "failed",
     "return a str subclass whose __eq__ always returns True (APPS call)",
     EQ_WHY,
     LYING_STR + "\n\ndef greet(name):\n    return LyingStr('nope')\n")
case("210-apps-class-eq-always-true", "APPS/900005", "program", "failed",
     "Solution.add returns an object whose __eq__ always returns True",
     EQ_WHY,
     LIAR + "\n\nclass Solution:\n    def add(self, a, b):\n"
     "        return Liar()\n")
case("211-he-class-spoof", "Hostile/add", "program", "failed",
     "an object whose __class__ claims to be int, so isinstance(x, int) holds",
     "isinstance() believes __class__, so the runner's encoder takes the "
     "int path, and int.__int__() refuses the object with TypeError: the "
     "candidate answers with a value that cannot be encoded, a wrong "
     "answer, 'failed'.  Never 'passed': nothing but plain data reaches "
     "the judge.",
     """
     class Spoof:
         @property
         def __class__(self):
             return int

         def __eq__(self, other):
             return True

         __hash__ = object.__hash__


     def add(a, b):
         return Spoof()
     """)
case("212-apps-stdio-lying-stdout", "APPS/900001", "program", "failed",
     "replace sys.stdout by an object that claims to have written the answer",
     "The judge reads the output file, not the program's objects; the "
     "fake writer writes nothing, so the output is empty: 'failed'.",
     """
     import sys


     class Liar:
         def write(self, s):
             return len(s)

         def flush(self):
             pass

         def __eq__(self, other):
             return True


     sys.stdout = Liar()
     a, b = map(int, input().split())
     print(a + b)
     """)

# 25x: a verdict chosen by name.  memory_limit is decided from the real
# exception type (or the limit being hit), never from a class's name.
FAKE_MEM = """
class MemoryError(Exception):
    pass
"""
FAKE_WHY = ("The class is the candidate's own, merely named MemoryError: "
            "an uncaught exception of it is 'error', not 'memory_limit'.")
case("250-he-fake-memory-error", "Hostile/add", "program", "error",
     "raise a class of its own named MemoryError during a test", FAKE_WHY,
     FAKE_MEM + "\n\ndef add(a, b):\n    raise MemoryError('out of memory')"
     "\n")
case("251-he-fake-memory-error-module", "Hostile/add", "program", "error",
     "raise a class of its own named MemoryError at import", FAKE_WHY,
     FAKE_MEM + "\n\nraise MemoryError('out of memory')\n")
case("252-mbpp-fake-memory-error", "Mbpp/501", "program", "error",
     "raise a class of its own named MemoryError (MBPP)", FAKE_WHY,
     FAKE_MEM + "\n\ndef add_nums(a, b):\n    raise MemoryError('x')\n")
case("253-apps-call-fake-memory-error", "APPS/900002", "program", "error",
     "raise a class of its own named MemoryError (APPS call)", FAKE_WHY,
     FAKE_MEM + "\n\ndef add(a, b):\n    raise MemoryError('x')\n")
case("254-apps-stdio-fake-memory-error", "APPS/900001", "program", "error",
     "raise a class of its own named MemoryError (APPS stdio)", FAKE_WHY,
     FAKE_MEM + "\n\nraise MemoryError('x')\n")
case("255-apps-stdio-rebind-memory-error", "APPS/900001", "program",
     "error",
     "rebind builtins.MemoryError to a class of its own, then raise it, so "
     "that the runner's 'except MemoryError' catches it (APPS stdio)",
     "The runner holds the real class from before any candidate code: the "
     "fake is an uncaught exception, 'error'.",
     "import builtins\n" + FAKE_MEM +
     "\n\nbuiltins.MemoryError = MemoryError\nraise MemoryError('x')\n")
case("256-apps-stdio-exit-status-86", "APPS/900001", "program", "error",
     "sys.exit(86), the status the stdio runner once used for MemoryError",
     "A non-zero exit is a runtime error: 'error', not 'memory_limit'.",
     "import sys\nsys.exit(86)\n")
case("257-he-own-valueerror", "Hostile/raises", "program", "error",
     "a test expects ValueError; raise a class of its own named ValueError",
     "The judge re-raises the candidate's exception as the builtin class it "
     "really derives from (Exception here), so 'except ValueError' in the "
     "test does not catch it: an uncaught exception, 'error' (never "
     "'passed').",
     "class ValueError(Exception):\n    pass\n\n\ndef check_positive(x):\n"
     "    if x <= 0:\n        raise ValueError('not positive')\n"
     "    return x\n")
case("258-he-real-valueerror", "Hostile/raises", "program", "passed",
     "none: control for 257 with the real ValueError",
     "The test's 'except ValueError' catches it and the values are right.",
     "def check_positive(x):\n    if x <= 0:\n"
     "        raise ValueError('not positive')\n    return x\n")
case("259-he-real-unicodedecodeerror", "Hostile/raises", "program",
     "passed",
     "none: raise the real UnicodeDecodeError, a ValueError whose "
     "constructor takes five arguments",
     "The judge re-raises it as its nearest builtin base that takes a "
     "message (UnicodeError, a ValueError): the test's 'except ValueError' "
     "catches it, as it would in process ('passed'; it once failed with "
     "the judge's own TypeError).",
     "def check_positive(x):\n    if x <= 0:\n"
     "        b'\\xff'.decode('utf-8')\n    return x\n")

# ---------------------------------------------------------------------------
# 3xx: reaching the harness, the tests, the expected values

SECRET_WHY = ("The expected value exists only in the tests, which only the "
              "judge (another uid, another process) holds; nothing the "
              "candidate can reach contains it, so it answers 'not found' "
              "and the test fails: 'failed'.  A pass here is a hole.")


def secret_cases(start, tag, search, how):
    """Four cases, one per protocol, each using search() on the secret."""
    n = start
    case("%03d-he-%s-secret" % (n, tag), "Hostile/secret", "program", "failed",
         "%s to find the expected value (HumanEval)" % how, SECRET_WHY,
         search + '''

def secret():
    found = search()
    print("found:", found[:3], file=sys.stderr)
    return found[0] if found else "not found"
''')
    case("%03d-mbpp-%s-secret" % (n + 1, tag), "Mbpp/502", "program",
         "failed", "%s to find the expected value (MBPP)" % how, SECRET_WHY,
         search + '''

def get_secret():
    found = search()
    print("found:", found[:3], file=sys.stderr)
    return found[0] if found else "not found"
''')
    case("%03d-apps-call-%s-secret" % (n + 2, tag), "APPS/900004", "program",
         "failed", "%s to find the expected value (APPS call)" % how,
         SECRET_WHY,
         search + '''

def secret():
    found = search()
    print("found:", found[:3], file=sys.stderr)
    return found[0] if found else "not found"
''')
    case("%03d-apps-stdio-%s-secret" % (n + 3, tag), "APPS/900003", "program",
         "failed", "%s to find the expected output (APPS stdio)" % how,
         SECRET_WHY,
         search + '''

found = search()
print("found:", found[:3], file=sys.stderr)
print(found[0] if found else "not found")
''')


secret_cases(301, "frames", FRAMES,
             "walk sys._getframe() up through the harness's frames")
secret_cases(305, "traceback", TRACEBACK,
             "climb traceback frames (tb_frame.f_back) into the harness")
secret_cases(309, "gc", GC, "search gc.get_objects() and their referents")
secret_cases(313, "filesystem", FS,
             "read every file outside the OS directories (the test files)")
secret_cases(317, "proc", PROC,
             "read /proc/*/cmdline, environ, mem of every process")

PM_WHY = ("process_vm_readv(2) is not in the seccomp allow-list: the process "
          "is killed with SIGSYS, which is 'forbidden'.")
case("321-he-parent-memory", "Hostile/secret", "program", "forbidden",
     "read the parent's memory (/proc/PPID/mem, then process_vm_readv)",
     PM_WHY, PARENT_MEM + '''

def secret():
    return read_parent().decode("latin-1")
''')
case("322-mbpp-parent-memory", "Mbpp/502", "program", "forbidden",
     "read the parent's memory (/proc/PPID/mem, then process_vm_readv)",
     PM_WHY, PARENT_MEM + '''

def get_secret():
    return read_parent().decode("latin-1")
''')
case("323-apps-call-parent-memory", "APPS/900004", "program", "forbidden",
     "read the parent's memory (/proc/PPID/mem, then process_vm_readv)",
     PM_WHY, PARENT_MEM + '''

def secret():
    return read_parent().decode("latin-1")
''')
case("324-apps-stdio-parent-memory", "APPS/900003", "program", "forbidden",
     "read the parent's memory (/proc/PPID/mem, then process_vm_readv)",
     PM_WHY + " The stdio protocol runs the program in a child per input; "
     "a system call the jail refuses is still 'forbidden' there.",
     PARENT_MEM + '''

print(read_parent().decode("latin-1"))
''')

PATCH_WHY = ("Whatever the candidate patches lives in its own process; the "
             "judge runs the asserts with its own builtins and compares the "
             "values it receives, so the wrong answer fails: 'failed'.")
case("330-he-patch-harness-functions", "Hostile/add", "program", "failed",
     "find the runner's globals through frames and patch its reply path "
     "(enc, frame_send, candidate_reply_value) to always report success",
     PATCH_WHY,
     """
     import sys


     def harness_globals():
         f = sys._getframe()
         while f is not None:
             if "frame_send" in f.f_globals and "enc" in f.f_globals:
                 return f.f_globals
             f = f.f_back
         return None


     G = harness_globals()
     if G is not None:
         real_send = G["frame_send"]

         def lying_send(fd, obj):
             if isinstance(obj, dict) and obj.get("t") in ("exc", "bad"):
                 obj = {"t": "ret", "v": True}
             return real_send(fd, obj)

         G["frame_send"] = lying_send
         G["enc"] = lambda v, d=0: True
         G["short"] = lambda s, n=0: "passed"
         G["VERDICT_RANK"] = {}


     def add(a, b):
         return a - b
     """)
case("331-he-override-builtins", "Hostile/add", "program", "failed",
     "replace AssertionError and common builtins, then answer wrongly",
     PATCH_WHY,
     """
     import builtins


     class NeverRaised(Exception):
         pass


     builtins.AssertionError = NeverRaised
     for name in ("abs", "all", "any", "sorted", "round", "sum", "min",
                  "max", "set", "zip"):
         setattr(builtins, name, lambda *a, **k: True)


     def add(a, b):
         return 42
     """)
case("332-he-curse-int-eq", "Hostile/add", "program", "failed",
     "patch int.__eq__ itself (gc.get_referents on the type dict + ctypes) "
     "so that 42 == anything inside the candidate",
     PATCH_WHY + " Even a patched int type only changes == inside the "
     "candidate's own interpreter.",
     """
     import ctypes
     import gc

     d = gc.get_referents(int.__dict__)[0]
     d["__eq__"] = lambda a, b: True
     d["__ne__"] = lambda a, b: False
     ctypes.pythonapi.PyType_Modified(ctypes.py_object(int))


     def add(a, b):
         return 42
     """)
case("333-mbpp-override-builtins", "Mbpp/501", "program", "failed",
     "replace AssertionError and common builtins, then answer wrongly",
     PATCH_WHY,
     """
     import builtins

     builtins.AssertionError = type("AssertionError", (Exception,), {})
     builtins.abs = builtins.all = builtins.any = lambda *a: True


     def add_nums(a, b):
         return 42
     """)
case("334-apps-call-override-builtins", "APPS/900002", "program", "failed",
     "replace AssertionError and common builtins, then answer wrongly",
     PATCH_WHY,
     """
     import builtins

     builtins.AssertionError = type("AssertionError", (Exception,), {})
     builtins.abs = builtins.all = builtins.any = lambda *a: True


     def add(a, b):
         return 42
     """)
case("335-apps-stdio-override-builtins", "APPS/900001", "program", "failed",
     "replace print, input, sys.exit and AssertionError, then print wrongly",
     "The judge compares the output file with the expected text in its own "
     "process; patched builtins only change the candidate: 'failed'.",
     """
     import builtins
     import sys

     builtins.AssertionError = type("AssertionError", (Exception,), {})
     real_print = builtins.print
     builtins.print = lambda *a, **k: real_print(42)
     sys.exit = lambda *a: None
     a, b = map(int, input().split())
     print(a + b)
     """)
case("336-he-mount-proc", "Hostile/secret", "program", "forbidden",
     "mount a fresh /proc (ctypes mount(2)) to read the judge's memory",
     "mount(2) is not in the seccomp allow-list: killed with SIGSYS, "
     "'forbidden'.",
     """
     import ctypes
     import os

     libc = ctypes.CDLL(None, use_errno=True)
     os.mkdir("p")
     libc.mount(b"proc", b"p", b"proc", 0, None)
     print("mounted?", os.listdir("p"))


     def secret():
         return "not found"
     """)

# ---------------------------------------------------------------------------
# 34x: what the jail's filesystem shows (issue 8): only what Python needs,
# all of it read-only.  run.sh runs the suite with a writable tmpfs
# mounted over the stdlib's pydoc_data directory on the host side, with
# a file planted in it (SUBMOUNT_PLANTED below): the jail must show the
# original directory, read-only, and nothing written there.

VERDICT_FILES = """
import fnmatch
import os
import sys

# verdict's own files by name (problem and sample files, config, state
# database, binaries, its share/etc/lib directories), and what the jail
# must not show at all.
NAMES = ("*.jsonl", "*.jsonl.*", "verdictd.conf*", "models.conf",
         "verdict.db*", "verdictd", "verdict-jail", "verdict")
ABSENT = ("/usr/local", "/usr/share", "/usr/sbin", "/usr/include",
          "/usr/src", "/var", "/home", "/root", "/opt", "/srv", "/run",
          "/proc", "/sys", "/boot", "/mnt", "/media")
ONLY = {"/etc": ("ld.so.cache", "alternatives"),
        "/etc/alternatives": ("libblas.so.*", "liblapack.so.*"),
        "/usr/lib/python3/dist-packages": ("numpy",),
        "/usr/lib/python3.%d/dist-packages" % sys.version_info[1]:
        ("numpy",)}


def verdict_files(roots, walk_anyway):
    found = []
    for p in ABSENT:
        if os.path.lexists(p):
            found.append(p + " exists")
    for d, allowed in ONLY.items():
        try:
            extra = [n for n in sorted(os.listdir(d)) if not any(
                fnmatch.fnmatch(n, pat) for pat in allowed)]
        except OSError:
            continue
        if extra:
            found.append("%s holds %s" % (d, extra[:5]))
    if found and not walk_anyway:
        return found
    for top in roots:
        for dirpath, dirs, files in os.walk(top):
            if dirpath in ("/proc", "/sys"):
                dirs[:] = []
            for name in dirs + files:
                if any(fnmatch.fnmatch(name, pat) for pat in NAMES):
                    found.append(os.path.join(dirpath, name))
    return found


# The suite's run.sh also runs this file on the host, with roots where
# verdict's files are, to show that the search finds them there.
SELFTEST = os.environ.get("VERDICT_SELFTEST_ROOTS")
FOUND = verdict_files(SELFTEST.split(":") if SELFTEST else ["/"],
                      bool(SELFTEST))
if SELFTEST:
    print("\\n".join(FOUND))
elif FOUND:
    print("VISIBLE:", FOUND[:10], file=sys.stderr, flush=True)
"""
case("340-he-fs-verdict-files", "Hostile/add", "program", "passed",
     "search the whole visible filesystem for verdict's files (problem "
     "files *.jsonl*, verdictd.conf, verdict.db, the binaries) and for "
     "/usr/local, /usr/share, /var, /etc beyond ld.so.cache and "
     "alternatives, dist-packages beyond numpy; answer wrongly if any",
     "The jail's root holds only what Python needs (the interpreter, its "
     "standard library, shared libraries, numpy): nothing is found and the "
     "answers are right, 'passed'.  run.sh runs the same search on the "
     "host, where it must find the suite's own problem files and binaries.",
     VERDICT_FILES + "\n\ndef add(a, b):\n    return a - b if FOUND else "
     "a + b\n")

FS_WRITE = """
import errno
import os
import sys

MARK = "verdict-fs-" + "write-7d1c"


def write_everywhere():
    # Control: the candidate's own scratch directory takes writes, so
    # the attempts below would succeed where writing is possible.
    with open(MARK, "w") as f:
        f.write(MARK)
    os.unlink(MARK)
    wrote = []
    for dirpath, dirs, files in os.walk("/"):
        if dirpath == "/tmp" or dirpath.startswith("/tmp/"):
            dirs[:] = []
            continue
        target = os.path.join(dirpath, MARK)
        for what, fn in (("create", lambda: open(target, "x").close()),
                         ("mkdir", lambda: os.mkdir(target + ".d")),
                         ("symlink", lambda: os.symlink("/", target + ".l"))):
            try:
                fn()
                wrote.append("%s %s" % (what, target))
            except OSError:
                pass
        for name in files:
            try:
                os.close(os.open(os.path.join(dirpath, name), os.O_WRONLY |
                                 os.O_APPEND | os.O_NOFOLLOW))
                if not dirpath.startswith("/dev"):
                    wrote.append("open for writing " + name)
            except OSError:
                pass
    return wrote


WROTE = write_everywhere()
if WROTE:
    print("WROTE:", WROTE[:10], file=sys.stderr, flush=True)
"""
case("341-he-fs-write-everywhere", "Hostile/add", "program", "passed",
     "create a file, a directory and a symlink in every directory outside "
     "/tmp (the host's writable tmpfs over pydoc_data included) and open "
     "every file for writing; answer wrongly if anything worked",
     "Everything outside the scratch tmpfs is read-only (the devices are "
     "writable devices on a read-only mount), and what the host mounted "
     "below a bound directory is not in the jail: every attempt fails and "
     "the answers are right, 'passed'.  The candidate first writes its own "
     "directory, so the attempts do work where writing is possible.",
     FS_WRITE + "\n\ndef add(a, b):\n    return a - b if WROTE else a + b\n")

MOUNT_FLAGS = """
import os
import sys

RO, NOSUID, NODEV, NOEXEC = (os.ST_RDONLY, os.ST_NOSUID, os.ST_NODEV,
                             os.ST_NOEXEC)
DEVICES = {"/dev/" + n for n in ("null", "zero", "full", "random", "urandom")}


def wanted(path):
    if path == "/tmp" or path.startswith("/tmp/"):
        return NOSUID | NODEV, RO
    if path in DEVICES:
        return RO | NOSUID | NOEXEC, NODEV
    if path == "/dev":
        return RO | NOSUID | NODEV | NOEXEC, 0
    return RO | NOSUID | NODEV, 0


def bad_mounts():
    # statvfs() tells the flags of the mount a path is on; every mount
    # point is a directory or a file of this walk.
    bad = []
    for dirpath, dirs, files in os.walk("/"):
        for p in [dirpath] + [os.path.join(dirpath, f) for f in files]:
            if os.path.islink(p):
                continue
            flags = os.statvfs(p).f_flag
            need, never = wanted(p)
            if flags & need != need or flags & never:
                bad.append("%s %#x" % (p, flags))
    return bad


BAD = bad_mounts()
if BAD:
    print("MOUNT FLAGS:", BAD[:10], file=sys.stderr, flush=True)
"""
case("342-he-fs-mount-flags", "Hostile/add", "program", "passed",
     "statvfs() every directory and file: every mount must be read-only, "
     "nosuid, nodev (submounts included), /tmp writable nosuid nodev, the "
     "device nodes read-only nosuid noexec; answer wrongly otherwise",
     "That is how the jail mounts everything (issue 8, item 6): 'passed'. "
     "Before, a filesystem mounted under /usr on the host came along "
     "writable, with suid and devices.",
     MOUNT_FLAGS + "\n\ndef add(a, b):\n    return a - b if BAD else a + b\n")

SUBMOUNT = """
import os
import sys

PLANTED = "verdict-planted-" + "submount"
HERE = os.path.join(os.path.dirname(os.__file__), "pydoc_data")
NAMES = os.listdir(HERE)
SEEN = [n for n in NAMES if n == PLANTED or n.startswith("verdict-")]
if "topics.py" not in NAMES:
    SEEN.append("no topics.py: not the original directory")
if SEEN:
    print(HERE, "holds", NAMES, file=sys.stderr, flush=True)
"""
case("343-he-fs-submount-hidden", "Hostile/add", "program", "passed",
     "look into the stdlib's pydoc_data, over which run.sh mounted a "
     "writable tmpfs with a planted file on the host side; answer wrongly "
     "if the planted file (or any verdict-* file) is there or the original "
     "files are not",
     "The jail binds the standard library without what is mounted below "
     "it: it shows the original directory, 'passed'.",
     SUBMOUNT + "\n\ndef add(a, b):\n    return a - b if SEEN else a + b\n")

NUMPY = """
import numpy as np

A = np.arange(6, dtype=float).reshape(2, 3)
PRODUCT = (A @ A.T).tolist()
X = np.linalg.solve(np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([9.0, 8.0]))
F = np.fft.fft([1.0, 0.0, 0.0, 0.0])
R = np.random.default_rng(7).integers(0, 10, size=100)
OK = (PRODUCT == [[5.0, 14.0], [14.0, 50.0]] and np.allclose(X, [2.0, 3.0])
      and np.allclose(F, 1.0) and 0 <= R.min() and R.max() < 10 and
      abs(np.linalg.det(np.eye(3) * 2.0) - 8.0) < 1e-9)
"""
case("344-he-fs-numpy", "Hostile/add", "program", "passed",
     "none: numpy imports and computes inside the jail (a matrix product, "
     "numpy.linalg.solve and det through BLAS/LAPACK, fft, random)",
     "EvalPlus's tests need numpy: the jail's root holds its package and "
     "every library it loads (libblas and liblapack through Debian's "
     "/etc/alternatives links).  Right answers: 'passed'.",
     NUMPY + "\n\ndef add(a, b):\n    return a + b if OK else a - b\n")

STDLIB_EXT = """
import sys

FAILED = []


def check(name, fn):
    try:
        if not fn():
            FAILED.append(name)
    except Exception as e:
        FAILED.append("%s: %r" % (name, e))


def t_sqlite3():
    import sqlite3
    con = sqlite3.connect(":memory:")
    con.execute("create table t (x integer)")
    con.executemany("insert into t values (?)", [(1,), (2,), (3,)])
    return con.execute("select sum(x) from t").fetchone()[0] == 6


def t_hashlib():
    import hashlib
    return (hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf") and
            hashlib.md5(b"").hexdigest().startswith("d41d8cd9") and
            len(hashlib.sha3_256(b"").digest()) == 32 and
            len(hashlib.blake2b(b"").digest()) == 64)


def t_decimal():
    import decimal
    decimal.getcontext().prec = 30
    return str(decimal.Decimal(1) / decimal.Decimal(8)) == "0.125"


def t_ctypes():
    import ctypes
    return ctypes.CDLL(None).abs(-3) == 3 and ctypes.c_int(5).value == 5


def t_compression():
    import bz2
    import lzma
    import zlib
    data = b"verdict" * 1000
    return (zlib.decompress(zlib.compress(data)) == data and
            lzma.decompress(lzma.compress(data)) == data and
            bz2.decompress(bz2.compress(data)) == data)


def t_ssl():
    import ssl
    ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return ssl.OPENSSL_VERSION.startswith("OpenSSL")


def t_locale():
    import locale
    import time
    return (locale.setlocale(locale.LC_ALL, "").startswith("C.") and
            time.strftime("%A", time.gmtime(0)) == "Thursday")


def t_misc():
    import unicodedata
    import uuid
    import xml.etree.ElementTree as ET
    return (unicodedata.name("\\u00e9") == "LATIN SMALL LETTER E WITH ACUTE"
            and uuid.uuid4().version == 4 and
            ET.fromstring("<a><b/></a>")[0].tag == "b")


for name, fn in sorted(globals().items()):
    if name.startswith("t_"):
        check(name[2:], fn)
if FAILED:
    print("FAILED:", FAILED, file=sys.stderr, flush=True)
"""
case("345-he-fs-stdlib-extensions", "Hostile/add", "program", "passed",
     "none: the standard library's C extensions that candidates use load "
     "and work (sqlite3 in memory, hashlib, decimal, ctypes, zlib, lzma, "
     "bz2, ssl, locale, unicodedata, uuid, xml)",
     "The jail's root holds the whole standard library and every shared "
     "library its extension modules load (the probe loads each of them): "
     "all work, 'passed'.",
     STDLIB_EXT + "\n\ndef add(a, b):\n    return a - b if FAILED else "
     "a + b\n")

FS_READ = FS_WRITE.split("\n\ndef write_everywhere")[0] + """


def marks():
    found = []
    for dirpath, dirs, files in os.walk("/"):
        found += [os.path.join(dirpath, n) for n in dirs + files
                  if n.startswith(MARK)]
    return found


FOUND = marks()
if FOUND:
    print("MARKS:", FOUND[:10], file=sys.stderr, flush=True)
"""
case("349-he-fs-read-marks", "Hostile/add", "program", "passed",
     "look everywhere for the marks 341 tried to write (it ran a few cases "
     "earlier, on either worker); answer wrongly if any is there",
     "Nothing outside a candidate's own scratch directory can be written, "
     "and that is emptied after each candidate: no mark, 'passed'.",
     FS_READ + "\n\ndef add(a, b):\n    return a - b if FOUND else a + b\n")

# ---------------------------------------------------------------------------
# 4xx: time

ALARM = '''
import signal
import time

for s in (signal.SIGALRM, signal.SIGVTALRM, signal.SIGPROF, signal.SIGXCPU,
          signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1):
    signal.signal(s, signal.SIG_IGN)
signal.setitimer(signal.ITIMER_REAL, 0)
time.time = lambda: 0.0
time.monotonic = lambda: 0.0
time.perf_counter = lambda: 0.0
'''
TO_WHY = ("Ignoring signals and patching the time module only blinds the "
          "candidate itself; the zygote's wall clock and RLIMIT_CPU still "
          "end it: 'timeout'.")
case("401-he-sigalrm-loop-module", "Hostile/add", "program", "timeout",
     "ignore SIGALRM/SIGXCPU/SIGTERM, patch time, loop forever at module level",
     TO_WHY, ALARM + "\nwhile True:\n    pass\n")
case("402-he-sigalrm-loop-function", "Hostile/add", "program", "timeout",
     "ignore SIGALRM/SIGXCPU/SIGTERM, patch time, loop forever in the function",
     TO_WHY, ALARM + "\n\ndef add(a, b):\n    while True:\n        pass\n")
case("403-he-sleep-forever", "Hostile/add", "completion", "timeout",
     "sleep forever (no CPU used) inside the function",
     "A sleeping candidate uses no CPU, so only the wall clock can end it; "
     "it must: 'timeout'.",
     "    import time\n    time.sleep(3600)\n    return a + b\n")
case("404-mbpp-sigalrm-loop", "Mbpp/501", "program", "timeout",
     "ignore SIGALRM and friends, patch time, loop forever in the function",
     TO_WHY,
     ALARM + "\n\ndef add_nums(a, b):\n    while True:\n        pass\n")
case("405-apps-call-sigalrm-loop", "APPS/900002", "program", "timeout",
     "ignore SIGALRM and friends, patch time, loop forever in the function",
     TO_WHY + " The per-test limit applies.",
     ALARM + "\n\ndef add(a, b):\n    while True:\n        pass\n")
case("406-apps-stdio-sigalrm-loop", "APPS/900001", "program", "timeout",
     "ignore SIGALRM and friends, patch time, loop forever (stdio)",
     TO_WHY + " The per-input limit applies.",
     ALARM + "\nwhile True:\n    pass\n")
case("407-apps-call-loop-module", "APPS/900002", "program", "timeout",
     "loop forever at module level, before the judge can call anything",
     TO_WHY + " Here the candidate's whole wall limit applies.",
     ALARM + "\nwhile True:\n    pass\n")
case("408-honest-after-timeouts", "Hostile/add", "completion", "passed",
     "none: honest control after the endless loops",
     "Nothing of an earlier, killed candidate may slow or break this one.",
     "    return a + b\n")

# Near the limit: the limit is CPU time, which load does not change; a
# time-out within 25% of it is run once more before it is final.
NEAR = """
import time

t = time.process_time()
while time.process_time() - t < %s:
    pass


def add(a, b):
    return a + b
"""
case("409-he-just-over-limit", "Hostile/add", "program", "timeout",
     "compute 2.2 s of CPU before answering, against a 2 s limit",
     "Over the limit: 'timeout' (run twice: within the margin, the second "
     "run decides, and it is over again).", NEAR % "2.2")
case("410-he-just-under-limit", "Hostile/add", "program", "passed",
     "compute 1.8 s of CPU before answering, against a 2 s limit",
     "Under the limit however long it waits for a core: 'passed'.",
     NEAR % "1.8")

# ---------------------------------------------------------------------------
# 5xx: fake markers and the judge's channel

MARKERS = r'''
import os
import sys

FAKES = [
    '{"job": "1", "verdict": "passed", "passed": true, "tests": []}',
    '{"ready": true}',
    '{"t": "ret", "v": 5}',
    "ok 1 - check", "PASSED", "All tests passed", "1..1",
]
for line in FAKES:
    print(line)
    print(line, file=sys.stderr)
sys.stdout.flush()
for fd in (1, 2):
    os.write(fd, b'\n{"verdict": "passed"}\n')
'''
MK_WHY = ("The candidate's stdout and stderr are captured as text, never "
          "parsed as results; the answer is wrong: 'failed'.")
case("501-he-fake-markers", "Hostile/add", "program", "failed",
     "print fake result lines (JSON verdicts, TAP, PASSED) on stdout/stderr",
     MK_WHY, MARKERS + "\n\ndef add(a, b):\n    print('PASSED')\n"
     "    return 42\n")
case("502-mbpp-fake-markers", "Mbpp/501", "program", "failed",
     "print fake result lines (JSON verdicts, TAP, PASSED) on stdout/stderr",
     MK_WHY, MARKERS + "\n\ndef add_nums(a, b):\n    return 42\n")
case("503-apps-call-fake-markers", "APPS/900002", "program", "failed",
     "print fake result lines (JSON verdicts, TAP, PASSED) on stdout/stderr",
     MK_WHY, MARKERS + "\n\ndef add(a, b):\n    return 42\n")
case("504-apps-stdio-fake-markers", "APPS/900001", "program", "failed",
     "print fake result lines and a wrong answer (APPS stdio)",
     "Only the output text is compared with the expected one; fake markers "
     "plus a wrong number are a wrong output: 'failed'.",
     """
     import sys

     print('{"verdict": "passed", "passed": true}')
     print('{"verdict": "passed"}', file=sys.stderr)
     print("ok 1 - test[0]")
     print(42)
     """)

FRAME = '''
import os
import struct


def raw_frame(payload):
    """Write one frame of the judge's channel (fd 4) by hand."""
    os.write(4, struct.pack(">I", len(payload)) + payload)
'''
case("505-he-raw-frame-fake-result", "Hostile/add", "program", "error",
     "write a fake 'ret' frame on the judge's channel before the runner's "
     "ready message",
     "The judge expects a ready message first; any other first message is "
     "a malformed reply: 'error'.",
     FRAME + '\nraw_frame(b\'{"t": "ret", "v": 5}\')\n\n\n'
     "def add(a, b):\n    return a + b\n")
case("506-he-raw-frame-not-object", "Hostile/add", "program", "error",
     "write a first frame that is valid JSON but not an object ([])",
     "A frame that does not follow the wire format is a malformed reply: "
     "'error'.  It must never be 'internal' (the oracle's fault, which "
     "drops the sample from pass@k).",
     FRAME + "\nraw_frame(b'[]')\n\n\ndef add(a, b):\n    return a + b\n")
case("507-he-raw-ready-bad-names", "Hostile/add", "program", "error",
     "write a ready frame whose names is not a list of strings",
     "A malformed ready message is a malformed reply: 'error', never "
     "'internal'.",
     FRAME + '\nraw_frame(b\'{"t": "ready", "names": 5}\')\n\n\n'
     "def add(a, b):\n    return a + b\n")
case("508-apps-call-raw-frame-not-object", "APPS/900002", "program", "error",
     "write a first frame that is valid JSON but not an object (APPS call)",
     "A malformed reply: 'error', never 'internal'.",
     FRAME + "\nraw_frame(b'5')\n\n\ndef add(a, b):\n    return a + b\n")
case("509-he-raw-syntax-frame-nan", "Hostile/add", "program",
     "syntax_error",
     "write a 'syntax' frame whose message is NaN (not a string)",
     "A candidate that claims its own syntax error gets exactly that, a "
     "not-passed verdict; the NaN in the message must neither break the "
     "result line nor end as 'internal'.",
     FRAME + '\nraw_frame(b\'{"t": "syntax", "msg": NaN}\')\n\n\n'
     "def add(a, b):\n    return a + b\n")
case("510-he-exception-message-nul", "Hostile/add", "completion", "error",
     "raise an exception whose message holds a NUL character",
     "An uncaught exception during a test is 'error', whatever its "
     "message; it must not break the result line (never 'internal').",
     '    raise ValueError("a\\x00b")\n')
case("511-he-exception-message-surrogate", "Hostile/add", "completion",
     "error",
     "raise an exception whose message holds a lone surrogate (\\ud800)",
     "An uncaught exception during a test is 'error', whatever its "
     "message; never 'internal'.",
     '    raise ValueError("a\\ud800b")\n')
case("512-he-stderr-nul", "Hostile/add", "completion", "passed",
     "write a NUL byte to stderr, then answer correctly",
     "Output is not part of the HumanEval protocol and the answers are "
     "right: 'passed'.  A NUL in the captured stderr must not break the "
     "result line.",
     '    import sys\n    sys.stderr.write("debug \\x00 byte\\n")\n'
     "    return a + b\n")
case("513-apps-stdio-stderr-nul", "APPS/900001", "program", "passed",
     "write a NUL byte to stderr, then print the right answer (APPS stdio)",
     "Only stdout is compared and it is right: 'passed'.",
     """
     import sys

     sys.stderr.write("debug \\x00 byte\\n")
     a, b = map(int, input().split())
     print(a + b)
     """)
case("514-apps-call-exception-message-surrogate", "APPS/900002", "program",
     "error",
     "raise an exception whose message holds a lone surrogate (APPS call)",
     "An uncaught exception during a call is 'error'; never 'internal'.",
     """
     def add(a, b):
         raise ValueError("a\\ud800b")
     """)
case("515-mbpp-exception-message-nul", "Mbpp/501", "program", "error",
     "raise an exception whose message holds a NUL character (MBPP)",
     "An uncaught exception during an assert is 'error'; never 'internal'.",
     """
     def add_nums(a, b):
         raise ValueError("a\\x00b")
     """)
case("516-he-module-exception-surrogate", "Hostile/add", "program", "error",
     "raise an exception with a lone surrogate in its message at module level",
     "An exception before the tests is 'error'; never 'internal'.",
     """
     raise ValueError("a\\ud800b")
     """)
case("517-apps-stdio-stdout-nul", "APPS/900001", "program", "failed",
     "print a NUL byte in front of the answer (APPS stdio)",
     "The output differs from the expected text: 'failed'.",
     """
     a, b = map(int, input().split())
     print("\\x00" + str(a + b))
     """)
case("519-he-raw-frame-reply-without-value", "Hostile/add", "program",
     "error",
     "during a test, write a 'ret' frame without its value on the judge's "
     "channel",
     "A reply that does not follow the wire format is a malformed reply: "
     "'error' (the judge once raised KeyError into the test, as if the "
     "candidate had: 'failed', and 'passed' for a test that catches it).",
     FRAME + '\n\ndef add(a, b):\n    raw_frame(b\'{"t": "ret"}\')\n'
     "    return a + b\n")
case("518-honest-after-channel-attacks", "Hostile/add", "completion",
     "passed", "none: honest control after the channel attacks",
     "Must pass on whichever worker runs it.",
     "    return a + b\n")

# ---------------------------------------------------------------------------
# 6xx: processes

KILL_WHY = ("The candidate is the init of its own PID namespace: its parent "
            "is outside it (getppid() is 0) and its process group is the "
            "jail's (getpgrp() is 0 too), so kill(getppid()) and killpg(0) "
            "signal that group.  The zygote, the judge and the jail's init "
            "run under other uids and cannot be signalled; the candidate "
            "itself ignores the SIGKILL because the kernel drops it for a "
            "namespace init signalled from inside.  Nothing happens and the "
            "right answers pass: 'passed'.  (The honest candidate after "
            "these shows the jail still works.)")
case("601-he-kill-parent-module", "Hostile/add", "program", "passed",
     "os.kill(os.getppid(), SIGKILL) at module level",
     KILL_WHY,
     """
     import os
     import signal

     os.kill(os.getppid(), signal.SIGKILL)


     def add(a, b):
         return a + b
     """)
case("602-he-kill-parent-function", "Hostile/add", "completion", "passed",
     "os.kill(os.getppid(), SIGKILL) inside the function",
     KILL_WHY,
     "    import os\n    os.kill(os.getppid(), 9)\n    return a + b\n")
case("603-he-killpg", "Hostile/add", "program", "passed",
     "os.killpg(0, SIGKILL) and os.killpg(os.getpgrp(), SIGKILL)",
     KILL_WHY,
     """
     import os

     try:
         os.killpg(os.getpgrp(), 9)
     except OSError:
         pass
     os.killpg(0, 9)


     def add(a, b):
         return a + b
     """)
case("604-he-kill-all", "Hostile/add", "program", "passed",
     "os.kill(-1, SIGKILL): signal every process it may, then answer",
     "kill(-1) spares the caller and its namespace's init (the caller "
     "itself); no other process of its uid exists, so nothing happens "
     "(ESRCH) and the right answers pass: 'passed'.",
     """
     import os

     try:
         os.kill(-1, 9)
     except OSError:
         pass


     def add(a, b):
         try:
             os.kill(-1, 9)
         except OSError:
             pass
         return a + b
     """)
case("605-honest-after-kills", "Hostile/add", "completion", "passed",
     "none: honest control after the kill attempts",
     "If a kill had reached the zygote or the judge, this would fail.",
     "    return a + b\n")
case("606-mbpp-kill-parent", "Mbpp/501", "program", "passed",
     "os.kill(os.getppid(), SIGKILL) inside the function (MBPP)",
     KILL_WHY,
     """
     import os


     def add_nums(a, b):
         os.kill(os.getppid(), 9)
         return a + b
     """)
case("607-apps-call-kill-parent", "APPS/900002", "program", "passed",
     "os.kill(os.getppid(), SIGKILL) inside the function (APPS call)",
     KILL_WHY,
     """
     import os


     def add(a, b):
         os.kill(os.getppid(), 9)
         return a + b
     """)
case("608-apps-call-killpg", "APPS/900002", "program", "passed",
     "os.killpg(0, SIGKILL) inside the function (APPS call)",
     KILL_WHY,
     """
     import os


     def add(a, b):
         os.killpg(0, 9)
         return a + b
     """)
case("609-apps-stdio-kill-parent", "APPS/900001", "program", "passed",
     "os.kill(os.getppid(), SIGKILL) from the per-input child (APPS stdio)",
     "The stdio program runs in a child of the candidate's namespace init; "
     "the kernel drops SIGKILL sent to a namespace init from inside, so "
     "nothing happens and the right answer passes: 'passed'.",
     """
     import os

     os.kill(os.getppid(), 9)
     a, b = map(int, input().split())
     print(a + b)
     """)
case("610-apps-stdio-killpg", "APPS/900001", "program", "error",
     "os.killpg(0, SIGKILL) from the per-input child (APPS stdio)",
     "The only process of the group it may kill is itself: the program "
     "dies of a signal it sent itself, after 0 s of CPU, which is a runtime "
     "error: 'error' (not 'timeout': no limit was reached).",
     """
     import os

     os.killpg(0, 9)
     a, b = map(int, input().split())
     print(a + b)
     """)
case("611-apps-stdio-kill-all", "APPS/900001", "program", "passed",
     "os.kill(-1, SIGKILL) from the per-input child, then the right answer",
     "kill(-1) spares the caller and the namespace init; nothing else "
     "exists, so the right answer passes: 'passed'.",
     """
     import os

     try:
         os.kill(-1, 9)
     except OSError:
         pass
     a, b = map(int, input().split())
     print(a + b)
     """)
case("612-honest-after-kills-stdio", "APPS/900001", "program", "passed",
     "none: honest stdio control after the kill attempts",
     "Must pass on whichever worker runs it.",
     """
     a, b = map(int, input().split())
     print(a + b)
     """)

FORK_BOMB = '''
import os

while True:
    try:
        os.fork()
    except OSError:
        pass
'''
FB_WHY = ("RLIMIT_NPROC caps the candidate at 16 processes, which then spin "
          "until the time limit; everything dies with the PID namespace: "
          "'timeout'.")
case("620-he-fork-bomb", "Hostile/add", "program", "timeout",
     "fork bomb at module level", FB_WHY,
     FORK_BOMB + "\n\ndef add(a, b):\n    return a + b\n")
case("621-honest-after-fork-bomb", "Hostile/add", "completion", "passed",
     "none: honest control right after the fork bomb",
     "No process of the bomb may survive or hold the process quota.",
     "    return a + b\n")
case("622-mbpp-fork-bomb", "Mbpp/501", "program", "timeout",
     "fork bomb inside the function (MBPP)", FB_WHY,
     "import os\n\n\ndef add_nums(a, b):\n" + indent(FORK_BOMB.strip(), 4))
case("623-apps-call-fork-bomb", "APPS/900002", "program", "timeout",
     "fork bomb inside the function (APPS call)", FB_WHY,
     "import os\n\n\ndef add(a, b):\n" + indent(FORK_BOMB.strip(), 4))
case("624-apps-stdio-fork-bomb", "APPS/900001", "program", "timeout",
     "fork bomb in the per-input child (APPS stdio)", FB_WHY,
     FORK_BOMB)
case("625-honest-after-fork-bombs", "APPS/900001", "program", "passed",
     "none: honest stdio control right after the fork bombs",
     "No process of the bombs may survive or hold the process quota.",
     """
     a, b = map(int, input().split())
     print(a + b)
     """)

# Neighbours: a candidate's time is the CPU time of all its processes, so
# one that fills the machine with spinners is charged for them and cannot
# push an honest candidate on the other worker over its limit.
SPIN = """
import os
import time


def spinners(n=7, seconds=8.0, wait=True):
    for _ in range(n):
        try:
            if os.fork() == 0:
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    pass
                os._exit(0)
        except OSError:
            break
    if wait:
        time.sleep(seconds)
"""
BUSY = """
import time


def busy(seconds):
    # Exactly this much CPU time, however loaded the machine is.
    t = time.process_time()
    while time.process_time() - t < seconds:
        pass
"""
case("644-he-spinners", "Hostile/add", "program", "timeout",
     "fork 7 spinners (up to RLIMIT_NPROC) and wait for them before "
     "answering, to take both cores from the other worker",
     "Its time is the CPU of all its processes: about 2 cores for as long "
     "as it runs, past its 2 s limit long before it answers (and past the "
     "wall-clock backstop, three times the limit, if the machine is that "
     "busy): 'timeout'.",
     SPIN + "\n\nspinners()\n\n\ndef add(a, b):\n    return a + b\n")
case("645-honest-busy-neighbour", "Hostile/add", "program", "passed",
     "none: an honest candidate that needs 1 s of CPU (of its 2 s), run "
     "beside the spinners",
     "Starved of CPU by its neighbour it may take several seconds of wall "
     "time, but it used only 1 s of CPU: 'passed' (it timed out when the "
     "limit was wall time).",
     BUSY + "\n\nbusy(1.0)\n\n\ndef add(a, b):\n    return a + b\n")
case("646-apps-stdio-spinners", "APPS/900001", "program", "timeout",
     "spinners from the per-input child, which waits for them before it "
     "answers (APPS stdio)",
     "Every process of the candidate is charged, not only the child that "
     "the stdio protocol starts per input: 'timeout'.",
     SPIN + "\n\nspinners()\n"
     "a, b = map(int, input().split())\nprint(a + b)\n")
case("648-mbpp-spinners", "Mbpp/501", "program", "timeout",
     "spinners started from inside the function under test (MBPP)",
     "Charged to the candidate: 'timeout'.",
     SPIN + "\n\ndef add_nums(a, b):\n    spinners()\n    return a + b\n")
case("649-honest-busy-neighbour-call", "APPS/900002", "program", "passed",
     "none: an honest APPS call-based candidate that needs 0.8 s of CPU "
     "at import, beside the spinners",
     "Within its limits however long it waits for a core: 'passed'.",
     BUSY + "\n\nbusy(0.8)\n\n\ndef add(a, b):\n    return a + b\n")
case("647-honest-busy-neighbour-stdio", "APPS/900001", "program", "passed",
     "none: an honest stdio candidate that needs 0.8 s of CPU per input, "
     "beside the spinners",
     "0.8 s of CPU is within the 2 s per-input limit however long it "
     "waits for a core: 'passed'.",
     BUSY + "\n\nbusy(0.8)\na, b = map(int, input().split())\n"
     "print(a + b)\n")

LINGER = '''
import os
import sys
import time

HOST_PATHS = ["/tmp/verdict-pwned-linger", "/root/verdict-pwned",
              "/var/tmp/verdict-pwned", "/dev/shm/verdict-pwned",
              os.path.expanduser("~/verdict-pwned")]


def linger(seconds=20):
    """Leave a grandchild behind (its parent gone) that writes files for
    a while.  (setsid() would end the candidate: see the 92x cases.)"""
    try:
        if os.fork() > 0:
            return
    except OSError:
        return
    try:
        if os.fork() > 0:
            os._exit(0)
        here = os.getcwd()
        seq = int(os.path.basename(here).lstrip("c") or 0)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            # Later candidates of this jail get /tmp/c<seq+k>.
            for k in range(1, 40):
                for name in ("verdict-pwned-linger", ".stdout", ".stdin"):
                    try:
                        with open("/tmp/c%d/%s" % (seq + k, name), "a") as f:
                            f.write("poisoned by a lingering process\\n")
                    except OSError:
                        pass
            for p in HOST_PATHS:
                try:
                    with open(p, "w") as f:
                        f.write("pwned\\n")
                except OSError:
                    pass
            time.sleep(0.01)
    finally:
        os._exit(0)
'''
LG_WHY = ("The candidate answers correctly, so 'passed'; its orphaned "
          "grandchild must die with the candidate's PID namespace when the "
          "tests are over (the probe after it, the leftover-process check "
          "and the host-path check verify that).")
case("630-he-setsid-linger", "Hostile/add", "program", "passed",
     "leave a orphaned grandchild that keeps writing into later candidates' "
     "scratch directories and host paths", LG_WHY,
     LINGER + "\n\nlinger()\n\n\ndef add(a, b):\n    return a + b\n")
case("631-he-setsid-linger-function", "Hostile/add", "program", "passed",
     "start the lingering orphaned grandchild during a test", LG_WHY,
     LINGER + "\n\ndef add(a, b):\n    linger()\n    return a + b\n")
case("632-mbpp-setsid-linger", "Mbpp/501", "program", "passed",
     "leave a lingering orphaned grandchild (MBPP)", LG_WHY,
     LINGER + "\n\nlinger()\n\n\ndef add_nums(a, b):\n    return a + b\n")
case("633-apps-call-setsid-linger", "APPS/900002", "program", "passed",
     "leave a lingering orphaned grandchild (APPS call)", LG_WHY,
     LINGER + "\n\nlinger()\n\n\ndef add(a, b):\n    return a + b\n")
case("634-apps-stdio-setsid-linger", "APPS/900001", "program", "passed",
     "leave a lingering orphaned grandchild from the per-input child",
     LG_WHY,
     LINGER + "\n\nlinger()\na, b = map(int, input().split())\n"
     "print(a + b)\n")

PROBE = '''
import os
import sys

EXPECTED_ENV = {"PATH", "HOME", "LC_ALL", "OPENBLAS_NUM_THREADS",
                "OMP_NUM_THREADS", "TMPDIR", "LANG", "LC_CTYPE", "PWD",
                "PYTHONHASHSEED"}
DEV = {"null", "zero", "full", "random", "urandom"}


def traces(allowed_in_cwd=()):
    """Every trace of an earlier candidate this one can see."""
    found = []
    here = os.getcwd()
    extra = sorted(set(os.listdir(here)) - set(allowed_in_cwd))
    if extra:
        found.append("cwd %s holds %s" % (here, extra))
    for d in ("/tmp", os.environ.get("HOME", "/tmp"),
              os.environ.get("TMPDIR", "/tmp")):
        try:
            names = os.listdir(d)
        except OSError:
            continue
        if names != [os.path.basename(here)]:
            found.append("%s holds %s" % (d, names))
    for k, v in os.environ.items():
        if k not in EXPECTED_ENV or "pwned" in v or "poison" in v:
            found.append("environment %s=%s" % (k, v))
    if set(os.listdir("/dev")) - DEV:
        found.append("/dev holds %s" % sorted(os.listdir("/dev")))
    # The jail binds these two of the host's /etc, read-only.
    if set(os.listdir("/etc")) - {"alternatives", "ld.so.cache"}:
        found.append("/etc holds %s" % os.listdir("/etc"))
    for p in ("/dev/shm", "/var/tmp", "/root", "/home", "/run"):
        if os.path.exists(p):
            found.append("%s exists" % p)
    for name in sys.modules:
        if "poison" in name or "sitecustomize" in name:
            found.append("module %s" % name)
    import math
    if math.pi != 3.141592653589793 or len("abc") != 3:
        found.append("patched modules")
    if found:
        print("TRACES:", found, file=sys.stderr, flush=True)
    return found
'''
PR_WHY = ("Every candidate gets a fresh scratch directory, the same "
          "environment and a fresh fork of the zygote; no trace of an "
          "earlier candidate may be visible, so it answers correctly: "
          "'passed'.  A 'failed' here means a trace was found (see stderr).")
case("640-he-probe-after-linger", "Hostile/add", "program", "passed",
     "probe: look for traces of earlier candidates (cwd, /tmp, HOME, env, "
     "/dev, modules) and answer wrongly if any", PR_WHY,
     PROBE + "\n\nCLEAN = not traces()\n\n\ndef add(a, b):\n"
     "    return a + b if CLEAN else a - b\n")
case("641-apps-stdio-probe-after-linger", "APPS/900001", "program", "passed",
     "probe (APPS stdio): look for traces of earlier candidates",
     PR_WHY + " The stdio runner's own .stdin and .stdout are expected.",
     PROBE + "\n\nCLEAN = not traces((\".stdin\", \".stdout\"))\n"
     "a, b = map(int, input().split())\nprint(a + b if CLEAN else a - b)\n")

# ---------------------------------------------------------------------------
# 7xx: resources

MEM = '''
chunks = []
while True:
    chunks.append(bytes(64 << 20))
'''
MEM_WHY = ("RLIMIT_AS (1 GiB) makes the allocation fail with MemoryError: "
           "'memory_limit'.  (bytes(n) gets zeroed pages from calloc without "
           "touching them: on a VM with slow page faults, touching 1 GiB "
           "takes longer than the time limit and would end as a timeout.)")
case("701-he-memory-bomb-module", "Hostile/add", "program", "memory_limit",
     "allocate (and touch) memory without end at module level", MEM_WHY,
     MEM + "\n\ndef add(a, b):\n    return a + b\n")
case("702-he-memory-bomb-function", "Hostile/add", "completion",
     "memory_limit", "allocate memory without end inside the function",
     MEM_WHY, indent(MEM.strip(), 4))
case("703-mbpp-memory-bomb", "Mbpp/501", "program", "memory_limit",
     "allocate memory without end inside the function (MBPP)", MEM_WHY,
     "def add_nums(a, b):\n" + indent(MEM.strip(), 4))
case("704-apps-call-memory-bomb", "APPS/900002", "program", "memory_limit",
     "allocate memory without end inside the function (APPS call)", MEM_WHY,
     "def add(a, b):\n" + indent(MEM.strip(), 4))
case("705-apps-stdio-memory-bomb", "APPS/900001", "program", "memory_limit",
     "allocate memory without end (APPS stdio)", MEM_WHY,
     MEM)
case("706-honest-after-memory-bombs", "Hostile/add", "completion", "passed",
     "none: honest control after the memory bombs",
     "Must pass on whichever worker runs it.",
     "    return a + b\n")

FLOOD = '''
import sys

chunk = "x" * 65536 + "\\n"
while True:
    sys.stdout.write(chunk)
'''
FL_WHY = ("More than 1 MiB of output: the zygote kills the candidate: "
          "'output_limit'.")
case("710-he-output-flood-module", "Hostile/add", "program", "output_limit",
     "write to stdout without end at module level", FL_WHY,
     FLOOD + "\n\ndef add(a, b):\n    return a + b\n")
case("711-he-output-flood-function", "Hostile/add", "program", "output_limit",
     "write to stdout without end inside the function", FL_WHY,
     "import sys\n\n\ndef add(a, b):\n"
     "    while True:\n        sys.stdout.write('x' * 65536)\n")
case("712-he-stderr-flood", "Hostile/add", "program", "output_limit",
     "write to stderr without end inside the function", FL_WHY,
     "import os\n\n\ndef add(a, b):\n"
     "    while True:\n        os.write(2, b'y' * 65536)\n")
case("713-he-output-then-answer", "Hostile/add", "program", "output_limit",
     "print 4 MiB, then return the right answer",
     "The output limit is part of the run: the candidate cannot finish "
     "writing 4 MiB before the zygote has read more than 1 MiB and killed "
     "it, so it never answers: 'output_limit'.",
     "import sys\n\n\ndef add(a, b):\n"
     "    sys.stdout.write('z' * (4 << 20))\n    sys.stdout.flush()\n"
     "    return a + b\n")
case("714-mbpp-output-flood", "Mbpp/501", "program", "output_limit",
     "write to stdout without end inside the function (MBPP)", FL_WHY,
     "import sys\n\n\ndef add_nums(a, b):\n"
     "    while True:\n        sys.stdout.write('x' * 65536)\n")
case("715-apps-call-output-flood", "APPS/900002", "program", "output_limit",
     "write to stdout without end inside the function (APPS call)", FL_WHY,
     "import sys\n\n\ndef add(a, b):\n"
     "    while True:\n        sys.stdout.write('x' * 65536)\n")
case("716-apps-call-huge-return", "APPS/900002", "program", "output_limit",
     "return a 20 MiB string",
     "A returned value larger than the 16 MiB frame limit is too much "
     "output: 'output_limit'.",
     "def add(a, b):\n    return 'x' * (20 << 20)\n")
case("717-apps-stdio-output-flood", "APPS/900001", "program", "output_limit",
     "write to stdout without end (APPS stdio)",
     "The output file is capped (RLIMIT_FSIZE at the output limit): "
     "'output_limit'.", FLOOD)
case("718-apps-stdio-stderr-flood", "APPS/900001", "program", "output_limit",
     "write to stderr without end (APPS stdio)", FL_WHY,
     "import os\n\nwhile True:\n    os.write(2, b'y' * 65536)\n")

CLOSE_WHY = ("Output is not part of this protocol; the candidate closes only "
             "its own descriptors and answers correctly: 'passed'.")
case("720-he-close-stdout-stderr", "Hostile/add", "program", "passed",
     "close stdout and stderr (descriptors and file objects), then answer",
     CLOSE_WHY,
     """
     import os
     import sys

     sys.stdout.close()
     sys.stderr.close()
     os.close(1)
     os.close(2)


     def add(a, b):
         return a + b
     """)
case("721-mbpp-close-stdout-stderr", "Mbpp/501", "program", "passed",
     "close stdout and stderr, then answer (MBPP)", CLOSE_WHY,
     """
     import os

     os.close(1)
     os.close(2)


     def add_nums(a, b):
         return a + b
     """)
case("722-apps-call-close-stdout-stderr", "APPS/900002", "program", "passed",
     "close stdout and stderr inside the function, then answer (APPS call)",
     CLOSE_WHY,
     """
     import os


     def add(a, b):
         for fd in (1, 2):
             try:
                 os.close(fd)
             except OSError:
                 pass
         return a + b
     """)
case("723-apps-call-close-channel", "APPS/900002", "program", "error",
     "close the judge channel's descriptors (3 and 4) during a call",
     "The candidate can no longer answer: the judge sees its channel end: "
     "'error'.",
     """
     import os


     def add(a, b):
         os.close(3)
         os.close(4)
         return a + b
     """)
case("724-apps-stdio-close-stdout-first", "APPS/900001", "program", "error",
     "close stdout, then print the answer (APPS stdio)",
     "Writing the answer fails (EBADF) and the program exits with status "
     "1: a runtime error, 'error'.",
     """
     import os

     os.close(1)
     a, b = map(int, input().split())
     print(a + b)
     """)
case("725-apps-stdio-close-after-output", "APPS/900001", "program", "passed",
     "print and flush the answer, then close stdout and stderr (APPS stdio)",
     "The output is complete before the descriptors are closed and the "
     "status is 0: 'passed'.",
     """
     import os
     import sys

     a, b = map(int, input().split())
     print(a + b)
     sys.stdout.flush()
     os.close(1)
     os.close(2)
     """)

case("730-he-input-module", "Hostile/add", "program", "error",
     "block on input() at module level",
     "Standard input is /dev/null: input() raises EOFError at once, an "
     "uncaught exception before the tests: 'error'.",
     """
     line = input()


     def add(a, b):
         return a + b
     """)
case("731-he-stdin-read-function", "Hostile/add", "completion", "passed",
     "block on sys.stdin.read() inside the function, then answer",
     "Standard input is /dev/null: read() returns '' at once (nothing of "
     "the judge is there) and the answers are right: 'passed'.",
     "    import sys\n    data = sys.stdin.read()\n    assert data == ''\n"
     "    return a + b\n")
case("732-mbpp-input-function", "Mbpp/501", "program", "error",
     "block on input() inside the function (MBPP)",
     "input() raises EOFError on /dev/null: 'error'.",
     """
     def add_nums(a, b):
         input()
         return a + b
     """)
case("733-apps-call-input-function", "APPS/900002", "program", "error",
     "block on input() inside the function (APPS call)",
     "input() raises EOFError on /dev/null: 'error'.",
     """
     def add(a, b):
         input()
         return a + b
     """)
case("734-apps-stdio-input-past-eof", "APPS/900001", "program", "error",
     "read more lines than the input has (APPS stdio)",
     "The input has one line; the second input() raises EOFError: the "
     "program exits with status 1, 'error'.",
     """
     a, b = map(int, input().split())
     more = input()
     print(a + b)
     """)
case("735-apps-stdio-stdin-read", "APPS/900001", "program", "passed",
     "read stdin to the end with sys.stdin.read() (APPS stdio)",
     "The input file ends; reading it whole is the normal way: 'passed'.",
     """
     import sys

     a, b = map(int, sys.stdin.read().split())
     print(a + b)
     """)

FILL = '''
import os


def fill_disk():
    """Fill the scratch tmpfs: big files, then every inode."""
    block = b"\\0" * (1 << 20)
    i = 0
    try:
        while True:
            with open("fill%d" % i, "wb") as f:
                for _ in range(15):
                    f.write(block)
            i += 1
    except OSError:
        pass
    try:
        while True:
            os.mkdir("d%d" % i)
            i += 1
    except OSError:
        pass
'''
FILL_WHY = ("The scratch tmpfs (64 MiB, 4096 inodes) is the candidate's own; "
            "filling it hurts nobody else and the answers are right: "
            "'passed'.  The next candidate must get an empty one.")
case("740-he-fill-disk", "Hostile/add", "program", "passed",
     "fill the scratch directory's filesystem (space and inodes)", FILL_WHY,
     FILL + "\n\nfill_disk()\n\n\ndef add(a, b):\n    return a + b\n")
case("741-honest-after-fill-disk", "Hostile/add", "completion", "passed",
     "none: honest control after the disk filler",
     "Must pass with an empty scratch directory.",
     "    return a + b\n")
case("742-mbpp-fill-disk", "Mbpp/501", "program", "passed",
     "fill the scratch filesystem inside the function (MBPP)", FILL_WHY,
     FILL + "\n\ndef add_nums(a, b):\n    fill_disk()\n    return a + b\n")
case("743-apps-call-fill-disk", "APPS/900002", "program", "passed",
     "fill the scratch filesystem inside the function (APPS call)", FILL_WHY,
     FILL + "\n\ndef add(a, b):\n    fill_disk()\n    return a + b\n")
case("744-apps-stdio-fill-disk", "APPS/900001", "program", "error",
     "fill the scratch filesystem, then print the answer (APPS stdio)",
     "The program's own output file lives on the filesystem it filled, so "
     "writing the answer fails (ENOSPC) and it exits with status 1: "
     "'error'.  It harms only itself.",
     FILL.replace("range(15)", "range(1)") +
     "\n\nfill_disk()\na, b = map(int, input().split())\nprint(a + b)\n")
case("745-honest-after-fill-disk-stdio", "APPS/900001", "program", "passed",
     "none: honest stdio control after the disk fillers",
     "Must pass with an empty scratch directory.",
     """
     a, b = map(int, input().split())
     print(a + b)
     """)
case("746-he-deep-tree", "Hostile/add", "program", "passed",
     "leave a directory tree deeper than PATH_MAX in the scratch directory",
     "The tree is inside the candidate's own scratch directory and the "
     "answers are right: 'passed'.  Removing it is the zygote's job and "
     "must not fail (never 'internal', no dead worker).",
     """
     import os

     for i in range(2100):
         os.mkdir("a")
         os.chdir("a")


     def add(a, b):
         return a + b
     """)
case("748-he-slow-compile", "Hostile/add", "program", "timeout",
     "a 300 KB program whose compilation takes seconds (an f-string with "
     "100,000 replacement fields: CPython 3.11 compiles it in quadratic "
     "time), correct otherwise",
     "Compiling the candidate is part of running it (the reference "
     "harnesses compile inside their time limit); taking about 7 s of CPU "
     "before the first test is over the 2 s limit: 'timeout'.  Not "
     "'passed', and at 1 MiB (about 90 s) never 'internal'.",
     "def add(a, b):\n    return a + b\n\n\ndef never_called(x):\n"
     "    return f\"" + "{x}" * 100000 + "\"\n")
case("749-honest-after-slow-compile", "Hostile/add", "completion", "passed",
     "none: honest control after the slow compile",
     "Must pass on whichever worker runs it.",
     "    return a + b\n")
case("747-honest-after-deep-tree", "Hostile/add", "completion", "passed",
     "none: honest control after the deep tree",
     "Must pass on whichever worker runs it.",
     "    return a + b\n")

# ---------------------------------------------------------------------------
# 8xx: leaving traces for later candidates

POISON = '''
import os
import sys

MARK = "verdict-poison-" + "4e2b"
HOST = ["/tmp/verdict-pwned-poison", "/root/verdict-pwned",
        "/var/tmp/verdict-pwned", "/dev/shm/verdict-pwned",
        os.path.expanduser("~/verdict-pwned")]


def attempt(fn, *args):
    try:
        fn(*args)
    except (OSError, ValueError):
        pass


def write(path, text=MARK):
    with open(path, "w") as f:
        f.write(text)


def poison():
    here = os.getcwd()
    # Everywhere a later candidate (or the host) might look.
    for d in ("/tmp", os.environ.get("HOME", "/tmp"), "/dev", "/etc", "/",
              "/usr/lib/python3/dist-packages", "/usr/local/lib", "..",
              os.path.dirname(sys.executable)):
        for name in (MARK, "sitecustomize.py", "usercustomize.py",
                     ".bashrc", "poison_mod.py"):
            attempt(write, os.path.join(d, name), "import os  # " + MARK)
    for p in HOST:
        attempt(write, p, "pwned")
    # The candidate's own directory, made as hard to clean as possible.
    attempt(write, MARK)
    attempt(write, ".hidden-" + MARK)
    attempt(os.makedirs, "sub/deeper/deepest")
    attempt(write, "sub/deeper/deepest/" + MARK)
    attempt(os.symlink, "/usr", "link-to-usr")
    attempt(os.symlink, "..", "link-to-parent")
    attempt(os.symlink, "loop", "loop")
    attempt(os.link, MARK, "hardlink-" + MARK)
    attempt(os.chmod, "sub/deeper/deepest", 0)
    attempt(os.chmod, "sub", 0)
    attempt(os.chmod, here, 0o500)
    attempt(os.chmod, "/tmp", 0o777)
    attempt(os.chmod, "/dev/null", 0o777)
    os.environ["VERDICT_POISON"] = MARK
    attempt(os.putenv, "PYTHONSTARTUP", "/tmp/" + MARK)
    # A message for whoever reads this candidate's result later.
    print("stderr-" + MARK, file=sys.stderr, flush=True)
'''
PO_WHY = ("The candidate answers correctly, so 'passed'.  What it leaves "
          "behind must be gone for the next candidate (the probes after it "
          "check) and nothing may reach the host (checked after the run).")
case("801-he-poison", "Hostile/add", "program", "passed",
     "leave files, links, unreadable directories, env and stderr marks for "
     "later candidates and the host", PO_WHY,
     POISON + "\n\npoison()\n\n\ndef add(a, b):\n    return a + b\n")
case("802-he-poison-again", "Hostile/add", "program", "passed",
     "the same poisoner again, so that both workers (-j 2) have run one",
     PO_WHY,
     POISON + "\n\npoison()\n\n\ndef add(a, b):\n    return a + b\n")
case("803-he-probe", "Hostile/add", "program", "passed",
     "probe: look for traces of earlier candidates (cwd, /tmp, HOME, env, "
     "/dev, modules) and answer wrongly if any", PR_WHY,
     PROBE + "\n\nCLEAN = not traces()\n\n\ndef add(a, b):\n"
     "    return a + b if CLEAN else a - b\n")
case("804-he-probe-previous-result", "Hostile/add", "program", "passed",
     "probe: look in the memory inherited from the process it was forked "
     "from (frames, gc) for an earlier candidate's result record, stderr, "
     "or exit status and rusage, and answer wrongly if found",
     "A candidate must not see what earlier candidates printed, how they "
     "were judged, or how they exited (a channel between candidates and a "
     "leak of other samples' results).  It answers correctly when it finds "
     "nothing: 'passed'.  A 'failed' means it found one (see stderr).",
     """
     import gc
     import sys


     def earlier_results():
         # Joined at run time: a constant would be folded into co_consts.
         needle = "-".join(("stderr", "verdict", "poison", "4e2b"))
         mine = globals()
         found = []

         def suspicious(v):
             if isinstance(v, dict) and "verdict" in v:
                 return True
             if type(v).__name__ in ("struct_rusage", "wait_result"):
                 return True
             return isinstance(v, (str, bytes)) and \\
                 needle in (v if isinstance(v, str) else v.decode("latin-1"))

         f = sys._getframe().f_back
         while f is not None:
             for k, v in list(f.f_locals.items()):
                 if suspicious(v) or (isinstance(v, tuple) and
                                      any(suspicious(x) for x in v)):
                     found.append("frame %s: %s=%r" % (f.f_code.co_name, k,
                                                        v))
             f = f.f_back
         for o in gc.get_objects():
             if o is mine or o is found:
                 continue
             if isinstance(o, dict) and "verdict" in o and "stderr" in o:
                 found.append("gc record: %r" % (o,))
             elif isinstance(o, (dict, list, tuple)):
                 vals = o.values() if isinstance(o, dict) else o
                 if any(isinstance(x, str) and needle in x for x in vals):
                     found.append("gc mark: %r" % (o,))
         return found


     FOUND = earlier_results()
     if FOUND:
         print("EARLIER RESULTS:", FOUND[:3], file=sys.stderr, flush=True)


     def add(a, b):
         return a - b if FOUND else a + b
     """)
case("805-apps-stdio-poison", "APPS/900001", "program", "passed",
     "leave traces from the per-input child (APPS stdio)",
     PO_WHY,
     POISON + "\n\npoison()\na, b = map(int, input().split())\n"
     "print(a + b)\n")
case("806-apps-stdio-poison-again", "APPS/900001", "program", "passed",
     "the same stdio poisoner again (both workers)", PO_WHY,
     POISON + "\n\npoison()\na, b = map(int, input().split())\n"
     "print(a + b)\n")
case("807-apps-stdio-probe", "APPS/900001", "program", "passed",
     "probe (APPS stdio): look for traces of earlier candidates",
     PR_WHY + " The stdio runner's own .stdin and .stdout are expected.",
     PROBE + "\n\nCLEAN = not traces((\".stdin\", \".stdout\"))\n"
     "a, b = map(int, input().split())\nprint(a + b if CLEAN else a - b)\n")
case("808-apps-call-poison", "APPS/900002", "program", "passed",
     "leave traces (APPS call)", PO_WHY,
     POISON + "\n\npoison()\n\n\ndef add(a, b):\n    return a + b\n")
case("809-apps-call-poison-again", "APPS/900002", "program", "passed",
     "the same poisoner again (both workers)", PO_WHY,
     POISON + "\n\npoison()\n\n\ndef add(a, b):\n    return a + b\n")
case("810-apps-call-probe", "APPS/900002", "program", "passed",
     "probe (APPS call): look for traces of earlier candidates", PR_WHY,
     PROBE + "\n\nCLEAN = not traces()\n\n\ndef add(a, b):\n"
     "    return a + b if CLEAN else a - b\n")
case("811-mbpp-poison", "Mbpp/501", "program", "passed",
     "leave traces (MBPP)", PO_WHY,
     POISON + "\n\npoison()\n\n\ndef add_nums(a, b):\n    return a + b\n")
case("812-mbpp-poison-again", "Mbpp/501", "program", "passed",
     "the same poisoner again (both workers)", PO_WHY,
     POISON + "\n\npoison()\n\n\ndef add_nums(a, b):\n    return a + b\n")
case("813-mbpp-probe", "Mbpp/501", "program", "passed",
     "probe (MBPP): look for traces of earlier candidates", PR_WHY,
     PROBE + "\n\nCLEAN = not traces()\n\n\ndef add_nums(a, b):\n"
     "    return a + b if CLEAN else a - b\n")

# Raw memory: the bytes (not the objects) a candidate inherits.  Every
# candidate is forked from the same warm interpreter; if that process ever
# held a candidate's program (to compile it, or on its way to the child),
# freed heap pages keep its text and every later candidate inherits them.
RAWMEM = r"""
import ctypes
import os
import sys

# The planted text, in two halves that are never joined in this
# process's memory (a joined copy would be found by this very scan).
HEAD, TAIL = b"verdict-plan", b"ted-9c1d5e"


def has_needle(page):
    i = page.find(HEAD)
    while i >= 0:
        if page.startswith(TAIL, i + len(HEAD)):
            return True
        i = page.find(HEAD, i + 1)
    return False


def readable_pages(lo, hi):
    # Copy each page through a pipe: write(2) fails with EFAULT on an
    # unmapped address instead of crashing the reader.
    r, w = os.pipe()
    try:
        for addr in range(lo & ~4095, hi, 4096):
            n = LIBC.write(w, addr, 4096)
            if n > 0:
                yield addr, os.read(r, n)
    finally:
        os.close(r)
        os.close(w)


LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.write.restype = ctypes.c_ssize_t
LIBC.write.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t)
LIBC.malloc.restype = ctypes.c_void_p
LIBC.malloc.argtypes = (ctypes.c_size_t,)


def scan():
    # Around the C heap (a fresh malloc) and the object arenas (id() of
    # fresh objects), 48 MiB either way: all a forked heap can hold here.
    anchors = {LIBC.malloc(64), id(object()), id("x" * 1000), id([])}
    seen, found = set(), []
    for a in anchors:
        for addr, page in readable_pages(max(a - (48 << 20), 4096),
                                         a + (48 << 20)):
            if addr in seen:
                continue
            seen.add(addr)
            if has_needle(page):
                found.append(hex(addr))
    return found


FOUND = scan()
if FOUND:
    print("PLANTED TEXT AT", FOUND[:4], file=sys.stderr, flush=True)
"""
PLANT = ('"""A candidate whose text a later one must never find: %s."""\n'
         "SECRET = '%s'\n" % (("verdict" + "-planted-" + "9c1d5e",) * 2))
RAW_WHY = ("A candidate must not find another candidate's program in the "
           "memory it starts with: the process candidates are forked from "
           "never holds one (each child reads its own program after the "
           "fork).  It answers right only when it finds nothing: 'passed'; "
           "'failed' means the planted text was found (see stderr).")
case("820-he-plant-text", "Hostile/add", "program", "passed",
     "plant a distinctive string constant for the scanners below",
     "Correct answer: 'passed'.",
     PLANT + "\n\ndef add(a, b):\n    return a + b\n")
case("821-he-plant-text-again", "Hostile/add", "program", "passed",
     "the same on the other worker (-j 2)", "Correct answer: 'passed'.",
     PLANT + "\n\ndef add(a, b):\n    return a + b\n")
for i, (task, tail) in enumerate((
        ("Hostile/add", "\n\ndef add(a, b):\n"
         "    return a - b if FOUND else a + b\n"),
        ("Hostile/add", "\n\ndef add(a, b):\n"
         "    return a - b if FOUND else a + b\n"),
        ("APPS/900001", "\na, b = map(int, input().split())\n"
         "print(a - b if FOUND else a + b)\n"),
        ("APPS/900002", "\n\ndef add(a, b):\n"
         "    return a - b if FOUND else a + b\n"),
        ("Mbpp/501", "\n\ndef add_nums(a, b):\n"
         "    return a - b if FOUND else a + b\n"))):
    case("82%d-scan-raw-memory-%d" % (i + 2, i + 1), task, "program",
         "passed",
         "scan the raw memory inherited from the forker (C heap and object "
         "arenas, page by page) for text an earlier candidate planted",
         RAW_WHY, RAWMEM + tail)

# ---------------------------------------------------------------------------
# 9xx: system calls the jail refuses

SOCK_WHY = ("socket(2) and socketpair(2) are not in the seccomp allow-list: "
            "the process is killed with SIGSYS, 'forbidden'.")
PT_WHY = ("ptrace(2) is not in the seccomp allow-list: the process is killed "
          "with SIGSYS, 'forbidden'.")
STDIO_NOTE = (" The stdio protocol runs the program in a child per input; a "
              "system call the jail refuses is 'forbidden' there too.")
SOCKS = [
    ("socket-inet", "open an AF_INET socket and connect out",
     "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
     "s.connect((\"127.0.0.1\", 22))\n"),
    ("socket-unix", "open an AF_UNIX socket (e.g. to a host daemon)",
     "import socket\ns = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
     "s.connect(\"/run/systemd/private\")\n"),
    ("socketpair", "create a socketpair",
     "import socket\na, b = socket.socketpair()\n"),
    ("ptrace", "ptrace(2) through ctypes (TRACEME, then ATTACH to the parent)",
     PTRACE.strip() + "\nlibc.ptrace(PTRACE_TRACEME, 0, None, None)\n"
     "libc.ptrace(PTRACE_ATTACH, os.getppid() or 1, None, None)\n"),
]
n = 901
for slug, what, code in SOCKS:
    why = PT_WHY if slug == "ptrace" else SOCK_WHY
    case("%03d-he-%s" % (n, slug), "Hostile/add", "program", "forbidden",
         what + " inside the function (HumanEval)", why,
         "def add(a, b):\n" + indent(code, 4) + "    return a + b\n")
    case("%03d-mbpp-%s" % (n + 4, slug), "Mbpp/501", "program", "forbidden",
         what + " at module level (MBPP)", why,
         code + "\n\ndef add_nums(a, b):\n    return a + b\n")
    case("%03d-apps-call-%s" % (n + 8, slug), "APPS/900002", "program",
         "forbidden", what + " inside the function (APPS call)", why,
         "def add(a, b):\n" + indent(code, 4) + "    return a + b\n")
    case("%03d-apps-stdio-%s" % (n + 12, slug), "APPS/900001", "program",
         "forbidden", what + " (APPS stdio)", why + STDIO_NOTE,
         code + "a, b = map(int, input().split())\nprint(a + b)\n")
    n += 1
case("917-honest-after-forbidden", "Hostile/add", "completion", "passed",
     "none: honest control after the forbidden system calls",
     "Must pass on whichever worker runs it.",
     "    return a + b\n")
case("918-honest-last-stdio", "APPS/900001", "program", "passed",
     "none: honest stdio control at the very end",
     "Must pass on whichever worker runs it.",
     """
     a, b = map(int, input().split())
     print(a + b)
     """)
case("919-honest-last-call", "APPS/900002", "program", "passed",
     "none: honest call control at the very end",
     "Must pass on whichever worker runs it.",
     """
     def add(a, b):
         return a + b
     """)


# 92x: starting another program, leaving the process group.  The
# candidates' second seccomp filter holds execve, execveat, setsid and
# setpgid and tells the zygote, which ends the whole candidate as
# "forbidden", whichever of its processes made the call.  A process held
# in the call cannot go on, so these verdicts do not depend on timing.
EX_WHY = ("Candidates may not start another program (the reference "
          "harnesses disable it too): the kernel holds the call and the "
          "candidate ends 'forbidden'.  The program never runs.")
EXECS = [
    ("execv-shell", "replace itself with /bin/sh (os.execv)",
     "import os\nos.execv('/bin/sh', ['sh', '-c', 'exit 0'])\n"),
    ("os-system", "os.system() a shell command (the libc spawns a child "
     "that calls execve)",
     "import os\nos.system('echo pwned > /tmp/verdict-pwned-exec')\n"),
    ("subprocess-python", "run another interpreter with subprocess",
     "import subprocess, sys\n"
     "subprocess.run([sys.executable, '-c', 'print(1)'])\n"),
    ("posix-spawn", "os.posix_spawn /usr/bin/env",
     "import os\nos.waitpid(os.posix_spawn('/usr/bin/env', ['env'], {}), "
     "0)\n"),
    ("execveat", "execveat(2) through ctypes, on a descriptor of python3",
     "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
     "fd = os.open('/usr/bin/python3', os.O_RDONLY)\n"
     "argv = (ctypes.c_char_p * 2)(b'python3', None)\n"
     "libc.syscall(322, fd, b'', argv, None, 0x1000)\n"),
    ("setsid", "setsid(): a new session, out of the candidate's group",
     "import os\nos.setsid()\n"),
    ("setpgid", "setpgid(0, 0): a process group of its own",
     "import os\nos.setpgid(0, 0)\n"),
]
n = 920
for slug, what, code in EXECS:
    case("%03d-he-%s" % (n, slug), "Hostile/add", "program", "forbidden",
         what + " inside the function (HumanEval)", EX_WHY,
         "def add(a, b):\n" + indent(code, 4) + "    return a + b\n")
    case("%03d-mbpp-%s" % (n + 1, slug), "Mbpp/501", "program",
         "forbidden", what + " at module level (MBPP)", EX_WHY,
         code + "\n\ndef add_nums(a, b):\n    return a + b\n")
    case("%03d-apps-call-%s" % (n + 2, slug), "APPS/900002", "program",
         "forbidden", what + " inside the function (APPS call)", EX_WHY,
         "def add(a, b):\n" + indent(code, 4) + "    return a + b\n")
    case("%03d-apps-stdio-%s" % (n + 3, slug), "APPS/900001", "program",
         "forbidden", what + " (APPS stdio)", EX_WHY + STDIO_NOTE,
         code + "a, b = map(int, input().split())\nprint(a + b)\n")
    n += 4
case("948-he-fork-within-limit", "Hostile/add", "program", "passed",
     "fork a few children that compute and exit (no other program)",
     "fork stays allowed within the process limit; the answer is right: "
     "'passed'.",
     """
     import os


     def add(a, b):
         kids = []
         for i in range(3):
             pid = os.fork()
             if pid == 0:
                 os._exit(sum(range(1000)) % 7)
             kids.append(pid)
         for pid in kids:
             os.waitpid(pid, 0)
         return a + b
     """)
case("949-honest-after-exec", "Hostile/add", "completion", "passed",
     "none: honest control after the programs that start programs",
     "Must pass on whichever worker runs it.", "    return a + b\n")

# ---------------------------------------------------------------------------
# 99x: keep the judge busy (last: when it works, it breaks its worker for
# every later candidate, which would hide the results of other cases)

FLOOD_SET = '''
import json
import os
import struct
import time

M = (1 << 61) - 1       # hash(k * M) == 0 for every int k


def hash_flood():
    """Answer with a set of 65,000 ints that all hash alike.

    The frame is written by hand (building the set here would be just as
    slow); rebuilding it would take the judge quadratic time, about 15 s.
    """
    value = {"s": [k * M for k in range(1, 65001)]}
    # "i" and "us": the reply to the first call of a batch (judge.py's
    # Batch: call mode); a single call (script mode) ignores them.
    body = json.dumps({"t": "ret", "v": value, "i": 0, "us": 0}).encode()
    os.write(4, struct.pack(">I", len(body)) + body)
    time.sleep(3600)
'''
HF_WHY = ("Decoding the answer would cost the judge minutes of CPU; it "
          "sees the crafted collisions first (linear time) and refuses "
          "the value: a wrong answer, 'failed'.  Never 'internal', and the "
          "judge and the zygote stay in step: the honest candidates after "
          "it must all pass.")
case("990-he-judge-hash-flood", "Hostile/add", "program", "failed",
     "return a set of 65,000 ints with equal hashes (hand-written frame) so "
     "that the judge spends many seconds decoding it", HF_WHY,
     FLOOD_SET + "\n\ndef add(a, b):\n    hash_flood()\n")
case("991-apps-call-judge-hash-flood", "APPS/900004", "program", "failed",
     "return a set of 65,000 ints with equal hashes (APPS call; a problem "
     "with one test, so the zygote gives up on the judge soonest)", HF_WHY,
     FLOOD_SET + "\n\ndef secret():\n    hash_flood()\n")
M = (1 << 61) - 1
case("988-mbppplus-set-eq-hash-flood", "Mbpp/2", "program", "failed",
     "MBPP+ compares Mbpp/2's answer as a set: return 300,000 distinct ints "
     "that all hash alike, so that the judge's set() takes minutes",
     "The judge refuses values crafted to collide in hash before it "
     "hashes them (and a list far longer than the expected set is "
     "answered without hashing): 'failed', never 'internal'.",
     "def similar_elements(a, b):\n"
     "    return [k * %d for k in range(1, 300001)]\n" % M)
case("989-he-judge-big-reply", "Hostile/evens", "program", "failed",
     "return about 5 MB of nested empty lists, which the judge must "
     "decode into over a million objects",
     "Under the 16 MiB frame limit: decoded within the judge's memory "
     "limit and compared, a wrong answer: 'failed'.  The judge keeps "
     "working (the honest candidates after it pass).",
     "import os\nimport struct\nimport time\n\n\ndef evens(n):\n"
     "    # The frame by hand: encoding 600,000 lists would take the\n"
     "    # candidate's whole time limit.\n"
     "    body = b'{\"t\":\"ret\",\"v\":{\"l\":[' + \\\n"
     "        b','.join([b'{\"l\":[]}'] * 600000) + b']}}'\n"
     "    os.write(4, struct.pack('>I', len(body)) + body)\n"
     "    time.sleep(3600)\n")
case("985-he-set-order-seeded", "Hostile/add", "program", "passed",
     "none: a program whose answer depends on the iteration order of a "
     "set of strings (as CodeGen-16B's sample 46 of HumanEval/1 does), "
     "right only in the order that string hashing seeded with 0 gives",
     "Every candidate hashes strings with PYTHONHASHSEED=0 (the forker's "
     "seed), so the order, and the verdict, is the same on every worker "
     "and in every run: 'passed'.  With a random seed it would pass about "
     "one run in six.",
     "def add(a, b):\n"
     "    return a + b if ''.join(set('({[')) == '[{(' else 0\n")
case("987-mbppplus-plant-expected", "Mbpp/2", "program", "failed",
     "MBPP+ problems are judged against the reference's outputs, which "
     "the first job of a problem makes and the daemon keeps for every "
     "later job: write result lines with made-up outputs (an empty set "
     "for every input) to every descriptor but the judge's channel, "
     "then give that wrong answer",
     "The outputs are made in the judge before the candidate starts and "
     "reach the daemon only through the zygote's own record; what a "
     "candidate writes is its output, kept as text.  A wrong answer: "
     "'failed', and the honest Mbpp/2 candidates after it pass on either "
     "worker.",
     "import os\n\n"
     "FAKE = ('{\"job\": \"1\", \"verdict\": \"passed\", \"tests\": [], '\n"
     "        '\"expected\": \"{\\\\\"out\\\\\": [], \\\\\"ms\\\\\": []}\"}\\n')\n"
     "for fd in [0, 1, 2, 3] + list(range(5, 64)):\n"
     "    try:\n"
     "        os.write(fd, FAKE.encode())\n"
     "    except OSError:\n"
     "        pass\n\n\n"
     "def similar_elements(a, b):\n"
     "    return ()\n")
case("986-mbppplus-batch-lie-time", "Mbpp/2", "program", "timeout",
     "call and reference modes send the inputs in batches and the "
     "candidate reports each call's CPU time itself: spend 2.5 times the "
     "limit on the first call, then answer every call of the batch "
     "(rightly) with frames of its own that report no time at all, and "
     "wait",
     "The judge waits for each reply no longer than the longest limit of "
     "the calls still unanswered (plus a slack of 128 ms), measured from "
     "outside: the first reply comes too late, 'timeout'.  (The batch's "
     "sum of limits would have let it through.)",
     """
     import json
     import os
     import struct
     import sys
     import time


     def similar_elements(a, b):
         t0 = time.process_time()
         while time.process_time() - t0 < 5:
             pass
         f = sys._getframe(1)
         while not (isinstance(f.f_locals.get("msg"), dict) and
                    "calls" in f.f_locals["msg"]):
             f = f.f_back
         enc, dec = f.f_globals["enc"], f.f_globals["dec"]
         out = b""
         for i, args in f.f_locals["msg"]["calls"]:
             x, y = dec(args, {})
             body = json.dumps({"t": "ret", "v": enc(tuple(set(x) & set(y))),
                                "i": i, "us": 0}).encode()
             out += struct.pack(">I", len(body)) + body
         os.write(4, out)
         time.sleep(60)
     """)
# Long replies (RAW_MIN bytes of JSON or more) cross as frames of their
# own, and pass unparsed when their text has the expected output's digest.
RAW_FRAME = """
    import os
    import struct
    import sys
    import time


    def squares(n):
        # This call's index, from the candidate's batch loop.
        f = sys._getframe(1)
        while "msg" not in f.f_locals or "out" not in f.f_locals:
            f = f.f_back
        head = b'{"t":"ret","raw":true,"i":%%d,"us":0}' %% f.f_locals["i"]
        body = %s
        os.write(4, bytes(f.f_locals["out"]) + struct.pack(">I", len(head)) +
                 head + body)
        time.sleep(60)
    """
case("980-mbppplus-raw-wrong", "Mbpp/900001", "program", "failed",
     "return the 100,000 squares with one of them wrong, a reply long "
     "enough to cross as a frame of its own",
     "Its text does not have the expected output's digest, so it is "
     "parsed and compared by the rules: 'failed'.",
     "def squares(n):\n"
     "    out = [i * i for i in range(n)]\n"
     "    if n > 50000:\n"
     "        out[77777] += 1\n"
     "    return out\n")
case("981-mbppplus-raw-equal-by-rule", "Mbpp/900001", "program", "passed",
     "none: the squares as floats, a different text from the expected "
     "output's but an equal value (EvalPlus compares with ==)",
     "A digest that does not match is not a failure: the text is parsed "
     "and compared by EvalPlus's rule, with the expected output made "
     "again from the reference where only its digest was kept: "
     "'passed'.",
     "def squares(n):\n"
     "    return [float(i * i) for i in range(n)]\n")
case("982-mbppplus-raw-body-never-sent", "Mbpp/900001", "program",
     "timeout",
     "write a reply that says its value follows as a frame of its own, "
     "then never send that frame",
     "The judge waits for the value as for any reply, no longer than the "
     "call's limit: 'timeout'.",
     RAW_FRAME % "b''")
case("983-mbppplus-raw-body-not-json", "Mbpp/900001", "program", "error",
     "write a reply whose value frame is not JSON (a list cut short)",
     "Its digest matches nothing, and it does not parse: 'error' "
     "(malformed reply), never a pass.",
     RAW_FRAME % "struct.pack('>I', 7) + b'[0,1,4,'")
case("984-mbppplus-raw-lying-eq", "Mbpp/900001", "program", "failed",
     "return a list subclass that says it equals anything, holding the "
     "right squares for small n and wrong ones, long enough to cross as "
     "a frame of its own, for large n",
     "Only the list's real items cross, as JSON text: they match no "
     "digest and compare unequal: 'failed'.",
     "class Liar(list):\n"
     "    def __eq__(self, other):\n"
     "        return True\n\n"
     "    def __hash__(self):\n"
     "        return 0\n\n\n"
     "def squares(n):\n"
     "    if n < 1000:\n"
     "        return Liar(i * i for i in range(n))\n"
     "    return Liar(range(n))\n")
for i, (task, kind, body) in enumerate([
        ("Hostile/add", "completion", "    return a + b\n"),
        ("APPS/900002", "program", "def add(a, b):\n    return a + b\n"),
        ("APPS/900001", "program",
         "a, b = map(int, input().split())\nprint(a + b)\n"),
        ("Mbpp/501", "program", "def add_nums(a, b):\n    return a + b\n"),
        ("Mbpp/2", "program",
         "def similar_elements(a, b):\n    return tuple(set(a) & set(b))\n"),
        ("Hostile/greet", "completion", "    return 'Hello, ' + name + '!'\n"),
        ("APPS/900005", "program",
         "class Solution:\n    def add(self, a, b):\n        return a + b\n"),
        ("Mbpp/900001", "program",
         "def squares(n):\n    return [i * i for i in range(n)]\n"),
        ], 992):
    case("%03d-honest-after-hash-flood-%d" % (i, i - 991), task, kind,
         "passed", "none: honest control after the judge was kept busy",
         "Must pass on whichever worker runs it.", body)

emit()
