# compare.py - each benchmark's comparison rules, a part of the runner
# (see common.py).  The judge compares what a candidate printed or
# returned with these: APPS stdio output (stdio_equal) and call-based
# returns (call_equal), EvalPlus's rule against the reference's output
# (reference_equal) with MBPP+'s set and not-None task lists, and the
# MBPP+ input types that EvalPlus restores before a call (mbpp_inputs).
# Pure functions of plain values; tests/data/run.py calls them directly
# (runner_compare).

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


def mbpp_number(task):
    """The number of an MBPP+ task ("Mbpp/2", or 2), 0 for None."""
    return int(str(task).rsplit("/", 1)[-1]) if task else 0


def mbpp_inputs(task, args):
    """Restore the Python types of one MBPP+ input."""
    n = mbpp_number(task)
    for ids, conv in _MBPP_INPUTS:
        if n in ids:
            return list(conv(args))
    return args


# MBPP+ tasks whose outputs EvalPlus compares as sets, and those where
# it only asks whether the output is None (evalplus/evaluate.py,
# MBPP_OUTPUT_SET_EQ_TASKS and MBPP_OUTPUT_NOT_NONE_TASKS).
_MBPP_SET_EQ = (2, 7, 111, 140, 232, 249, 579, 769)
_MBPP_NOT_NONE = (737, 787, 794)


def digest_decides(task=None):
    """Does reference_equal hold for every plain value (NaN aside) and
    itself, under this task's rule?  Not for MBPP+'s set tasks, where a
    value that cannot be hashed equals nothing."""
    return mbpp_number(task) not in _MBPP_SET_EQ


def reference_equal(out, exp, atol, task=None):
    """EvalPlus rule: exact, or floats within atol (1e-6 when 0)."""
    n = mbpp_number(task)
    if n in _MBPP_NOT_NONE:
        return (out is None) == (exp is None)
    if n in _MBPP_SET_EQ:
        # Far more values than expected cannot be the same set: answered
        # before hashing anything; values crafted to collide in hash are
        # refused before the set is built (hash_flood: the judge decodes
        # lists of these modes without that check, see dec).
        try:
            if len(out) > 4 * len(exp) + FLOOD_MIN or hash_flood(out):
                return False
            return set(out) == set(exp)
        except TypeError:
            return False
    if out == exp:
        return True
    if _is_floats(exp):
        return _close(out, exp, atol or 1e-6)
    return False
