#!/usr/bin/python3
# frames.py -- fuzz the judge's reading of a candidate's frames: the
# runner (sandbox/runner/, joined as $O/sandbox/runner.py) as the judge
# uses it, Channel.call() over a pipe holding one frame (4-byte length,
# then JSON of tagged values: common.py's FrameReader and dec()), and
# Batch.result() over the same bytes read as the replies to a batch of
# three calls (each frame also carrying "i" and "us"; a value may follow
# its frame as a frame of its own, "raw", checked by its digest).
#
#   O=build-fuzz /usr/bin/python3 tests/fuzz/frames.py SECONDS   (make fuzz)
#   O=build /usr/bin/python3 tests/fuzz/frames.py 0              (fuzz-replay)
#
# Frames are mutated from the seeds below and tests/fuzz/regress/frames/:
# bytes flipped, cut or repeated, lengths that lie, tagged values built at
# random.  A frame may end the call only with CandidateGone (the judge's
# verdict for a malformed reply), CandidateBad (not plain data), or the
# exception the candidate said it raised; anything else, or a frame that
# takes over 2 s, is a bug: the frame goes to $O/tests/fuzz/frames-bug-N
# and the exit status is 1.  With SECONDS 0, only the seeds and the
# regression frames are run.  Each frame is read in this process (one
# frame is small: the pipe holds it, the write end is closed before the
# read, so a read never blocks); the whole run is bounded by SECONDS.

import hashlib
import importlib.util
import json
import os
import random
import struct
import sys
import time

O = os.environ.get("O", "build")
HERE = os.path.dirname(os.path.abspath(__file__))
SLOW_S = 2.0
PIPE_MAX = 60000                # a frame the pipe holds without a reader

spec = importlib.util.spec_from_file_location(
    "runner", os.path.join(O, "sandbox", "runner.py"))
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)


class Point:
    """A class of the problem's, which dec() may rebuild ("o")."""

    def __init__(self, x=0):
        self.x = x


CLASSES = {"Point": Point}

SEEDS = [
    {"t": "ret", "v": 1},
    {"t": "ret", "v": {"l": [1, "a", None, True, 2.5]}},
    {"t": "ret", "v": {"t": [{"l": []}, {"d": [[1, {"s": [1, 2]}]]}]}},
    {"t": "ret", "v": {"f": [{"b": "00ff"}, {"c": [1.0, -2.0]}]}},
    {"t": "ret", "v": {"i": "-1fffffffffffffffffffffffffff"}},
    {"t": "ret", "v": {"o": ["Point", {"x": {"l": [1]}}]}},
    {"t": "ret", "v": {"o": ["Other", {}, False]}},
    {"t": "ret", "v": {"u": ["re.Match", True]}},
    {"t": "ret", "v": {"r": "x"}},
    {"t": "bad", "msg": "not plain data"},
    {"t": "exc", "type": "ValueError", "base": "ValueError", "msg": "m"},
    {"t": "exc", "type": "X", "base": "MemoryError", "mem": True},
    {"t": "exc", "type": "E", "base": "SystemExit"},
    {"t": "what"},
]

BUILTINS = sorted(dir(__import__("builtins")))
TAGS = ["l", "t", "s", "f", "d", "b", "c", "i", "r", "u", "o", "x"]


def frame(obj):
    data = json.dumps(obj).encode()
    return struct.pack(">I", len(data)) + data


def rand_value(rng, depth=0):
    """A tagged value built at random, often malformed."""
    k = rng.randrange(12 if depth < 6 else 4)
    if k == 0:
        return rng.choice([0, -1, 2 ** 70, 1.5, 1e308, "s", None, True])
    if k == 1:
        return rng.choice(["", "zz", "0x1", "-", "ff" * rng.randrange(9)])
    if k == 2:
        return [rand_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if k == 3:
        return {rng.choice(TAGS): rand_value(rng, depth + 1)}
    tag = rng.choice(TAGS)
    n = rng.randrange(5)
    if tag == "d":
        val = [[rand_value(rng, depth + 1), rand_value(rng, depth + 1)]
               for _ in range(n)]
    elif tag == "o":
        val = [rng.choice(["Point", "Nope", 3, None]),
               rng.choice([{}, {"x": rand_value(rng, depth + 1)}, [], 1]),
               rng.choice([True, False, 0])][:rng.randrange(4)]
    elif tag in ("c", "u"):
        val = [rand_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    else:
        val = rand_value(rng, depth + 1)
        if tag in ("l", "t", "s", "f") and rng.random() < 0.8:
            val = [rand_value(rng, depth + 1) for _ in range(n)]
    d = {tag: val}
    if rng.random() < 0.05:
        d["extra"] = 1
    return d


def rand_msg(rng):
    msg = dict(rng.choice(SEEDS))
    r = rng.random()
    if r < 0.5:
        msg["v"] = rand_value(rng)
    elif r < 0.7:
        msg["t"] = "exc"
        msg["base"] = rng.choice(BUILTINS + [[], {}, 1, None, True])
        for key in ("type", "msg", "mem"):
            if rng.random() < 0.3:
                msg[key] = rand_value(rng)
    elif r < 0.8:
        msg = rng.choice([[], "x", 1, None, {"t": 1}, {"t": "ret"}])
    return msg


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        op = rng.randrange(5)
        if op == 0 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op == 1 and len(data) > 1:
            data = data[:rng.randrange(len(data))]
        elif op == 2 and len(data) > 4:
            i = rng.randrange(4, len(data))
            j = min(len(data), i + rng.randrange(1, 16))
            data[i:i] = data[i:j] * rng.randrange(1, 8)
        elif op == 3:
            n = struct.unpack(">I", bytes(data[:4]).ljust(4, b"\0"))[0]
            n = rng.choice([0, 1, n - 1, n + 1, 2 ** 31, 2 ** 32 - 1])
            data[:4] = struct.pack(">I", max(0, min(n, 2 ** 32 - 1)))
        else:
            data += bytes(rng.randrange(256) for _ in range(4))
    return bytes(data[:PIPE_MAX])


def call_one(ch):
    """The judge's single call, as script-mode tests make it."""
    ch.call("f", [1], {})


# The digest of a value's text that call_batch expects of the second
# call, as a reference-mode problem's long outputs are kept.
DIGESTS = {1: hashlib.sha256(b'{"l":[1,2,3]}').digest()}


def call_batch(ch):
    """The judge's batched calls (Batch, call and reference modes): the
    pipe's frames are the replies to three calls, values in them or in
    frames of their own ("raw")."""
    b = runner.Batch(ch, "f", None, [{"args": [1]}, {"args": [2]},
                                     {"args": [3]}], [1000] * 3)
    for i in range(3):
        ch.raised = None
        b.value(i, DIGESTS)


def one(data, how=call_one):
    """Run the frames in data through one of the judge's ways of calling;
    None, or what went wrong."""
    r, w = os.pipe()
    sink = os.open(os.devnull, os.O_WRONLY)
    try:
        os.write(w, data[:PIPE_MAX])
        os.close(w)
        w = -1
        ch = runner.Channel(sink, r, runner.now_ms() + 1000, CLASSES,
                            None)
        t0 = time.monotonic()
        try:
            how(ch)
        except (runner.CandidateGone, runner.CandidateBad):
            pass
        except Exception as e:  # noqa: the judge's own fault, below
            if e is not ch.raised:
                return "%s: %s" % (type(e).__name__, e)
        if time.monotonic() - t0 > SLOW_S:
            return "slow: %.1f s" % (time.monotonic() - t0)
        return None
    finally:
        if w >= 0:
            os.close(w)
        os.close(r)
        os.close(sink)


def batch_frames(rng):
    """Three reply frames of a batch, the way a candidate writes them."""
    out = []
    for i in range(3):
        m = rand_msg(rng) if rng.random() < 0.3 else \
            dict(rng.choice(SEEDS[:9]))
        if isinstance(m, dict):
            m = dict(m, i=rng.choice([i, i, i, i + 1, "0"]),
                     us=rng.choice([0, 5, 10 ** 7, -1, "1"]))
        if isinstance(m, dict) and rng.random() < 0.3:
            # The value as a frame of its own (or not quite).
            v = json.dumps(m.pop("v", rand_value(rng))).encode()
            m["raw"] = rng.choice([True, True, 1, "yes"])
            out.append(frame(m))
            out.append(struct.pack(">I", len(v)) + v if rng.random() < 0.8
                       else mutate(rng, struct.pack(">I", len(v)) + v))
            continue
        out.append(frame(m))
    return b"".join(out)


def kept():
    """The seeds and the regression frames, as bytes."""
    out = [frame(s) for s in SEEDS]
    # Batches of three replies, each with its index and CPU time.
    out += [b"".join(frame(dict(m, i=i, us=3))
                     for i, m in enumerate(SEEDS[k:k + 3]))
            for k in range(0, len(SEEDS), 3)]
    # Values in frames of their own: one with the expected digest, one
    # without, one that is not JSON.
    out.append(b"".join(frame({"t": "ret", "raw": True, "i": i, "us": 3}) +
                        struct.pack(">I", len(v)) + v for i, v in enumerate(
                            [b'{"l":[1,2]}', b'{"l":[1,2,3]}', b'[1,'])))
    d = os.path.join(HERE, "regress", "frames")
    if os.path.isdir(d):
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), "rb") as f:
                out.append(f.read())
    return out


def main():
    secs = float(sys.argv[1]) if len(sys.argv) > 1 else 0
    rng = random.Random(int(os.environ.get("FUZZ_SEED", "0")) or None)
    pool = kept()
    bugs = 0
    n = 0
    end = time.monotonic() + secs

    def check(data):
        nonlocal bugs
        why = one(data) or one(data, call_batch)
        if why is None:
            return
        path = os.path.join(O, "tests", "fuzz", "frames-bug-%d" % bugs)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        print("frames: %s (frame in %s)" % (why, path))
        bugs += 1

    for data in pool:
        check(data)
        n += 1
    while time.monotonic() < end and bugs < 10:
        r = rng.random()
        if r < 0.4:
            data = frame(rand_msg(rng))
        elif r < 0.55:
            data = batch_frames(rng)
        else:
            data = mutate(rng, rng.choice(pool))
        check(data)
        n += 1
    if secs > 0:
        print("fuzz frames: %d executions in %g s" % (n, secs))
    else:
        print("%s fuzz-replay frames: %d inputs" % ("FAIL" if bugs else "ok",
                                                   n))
    sys.exit(1 if bugs else 0)


if __name__ == "__main__":
    main()
