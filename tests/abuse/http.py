#!/usr/bin/env python3
# http.py - HTTP-level abuse of one real daemon (issue 13): malformed and
# adversarial requests for a bounded time, while a watcher checks that
# the service stays up.
#
#   O=build-check HTTP_ABUSE_SECONDS=600 python3 tests/abuse/http.py
#
# One `verdictd serve` ($O's: make check runs it under ASan and UBSan)
# with a fresh state directory, max_body 1m, connection_timeout 3s and
# max_connections 1024 (the default).  For HTTP_ABUSE_SECONDS (default
# 60), with a seeded generator (HTTP_ABUSE_SEED; the seed is printed):
#
#   regressions  each case that once found a bug, first, once: two gzip
#                bombs posted as problem files at once (1 MB each,
#                inflating to 1 GB of newlines: each held an HTTP thread
#                for 18 s, and two stalled the health) must each be a
#                413 within HEALTH_DEADLINE while the health answers
#   workers      8 threads sending generated requests, one connection
#                each: broken chunked encoding (bad and overflowing
#                sizes, missing CRLFs, long extensions, chunked with a
#                Content-Length, chunks over max_body), huge headers and
#                header counts, header lines without a colon or with NULs,
#                wrong, negative, doubled and lying Content-Length,
#                bodies over max_body, methods that do not exist, bad
#                request lines and versions, NULs, invalid UTF-8, raw
#                bytes and bad %-escapes in paths and query strings (on
#                every route, with every query argument), deep JSON and
#                huge numbers in every body the API takes, gzip bombs,
#                pipelined requests (good and bad mixed), half-closed
#                sockets, connections reset mid-request, random bytes;
#   slow         slowloris writers (a header byte a second for a while,
#                then silence: the daemon must close them within
#                connection_timeout), slow readers of big answers, feeds
#                that follow and are never read, long polls dropped;
#   storm        every 15 s, 2,000 connections opened at once, then
#                closed;
#   watcher      GET /v1/health every 100 ms on a new connection: each
#                must be a 200 within HEALTH_DEADLINE (connect refusals
#                and waits for a free slot, during a storm, count in
#                it).
#
# Every abusive request must get an answer or a clean close (EOF or
# reset) within connection_timeout plus a margin: a silent connection
# past that is a hang.  No answer to bad input may be a 5xx but 503
# (busy) or 505 (HTTP/2.0 and such): a 500 is a bug, but for one that
# libmicrohttpd 0.9.75 itself gives to a chunk line longer than its
# connection's buffer (its body names the library; counted apart, as
# "mhd-500").  Then: a good candidate is judged, RSS is bounded, the
# daemon exits 0 on SIGTERM, and its log has no sanitizer report.
# Timeouts scale with TEST_TIMEOUT_MULTIPLIER (make check: 4).
#
# Output: TAP, one line per check and per family of requests (its count
# and outcomes); a failing request's bytes are printed (clipped) so that
# it can be replayed.  Needs root (the daemon's jail).

import os
import sys

# This file's name is the standard library's http package's: its folder
# must not come first on the path, or daemon.py's "import http.client"
# finds this file.
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

import json                                             # noqa: E402
import random                                           # noqa: E402
import socket                                           # noqa: E402
import struct                                           # noqa: E402
import threading                                        # noqa: E402
import time                                             # noqa: E402
import zlib                                             # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
import daemon                                           # noqa: E402
import tap                                              # noqa: E402
from tap import diag                                    # noqa: E402

SECONDS = float(os.environ.get("HTTP_ABUSE_SECONDS", "60"))
SEED = int(os.environ.get("HTTP_ABUSE_SEED", str(int(time.time()))))
MULT = float(os.environ.get("TEST_TIMEOUT_MULTIPLIER", "1"))
CONN_TIMEOUT_S = 3
MAX_BODY = 1 << 20
MAX_CONNECTIONS = 1024
HEALTH_EVERY_S = 0.1
HEALTH_DEADLINE = 2.0 * MULT
# An abusive request's answer or close: connection_timeout, then MHD's
# next look at its connections, plus what a loaded machine adds.
HANG_S = CONN_TIMEOUT_S + 7 * MULT
WORKERS = 8
STORM_EVERY_S = 15
STORM_CONNS = 2000
SLOWLORIS = 32
RSS_LIMIT_KB = (400 if MULT > 1 else 150) * 1024

RUN = "abuse"
GOOD = {"run": RUN, "task_id": "HumanEval/0",
        "completion": "    return False\n"}


# --- Talking raw HTTP ---

class Outcome:
    """What one abusive exchange got: statuses of the answers read, and
    how the connection ended ("open" after the answers wanted, "eof",
    "reset", or "hang")."""

    def __init__(self):
        self.statuses = []
        self.bodies = []        # the first bytes of each answer's body
        self.end = None
        self.secs = 0.0

    def __repr__(self):
        return "%s %s %.1fs" % (self.statuses, self.end, self.secs)


def parse_answers(buf, out, head_only=False):
    """Take complete HTTP answers off the front of buf (a bytearray),
    appending their statuses to out.statuses and the start of their
    bodies to out.bodies; what is left is not a whole answer yet."""
    while True:
        i = buf.find(b"\r\n\r\n")
        if i < 0:
            return
        head = bytes(buf[:i]).decode("latin-1")
        lines = head.split("\r\n")
        try:
            status = int(lines[0].split()[1])
        except (IndexError, ValueError):
            status = -1
        hdr = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            hdr[k.strip().lower()] = v.strip()
        pos = i + 4
        if head_only:
            body_end = pos
        elif "content-length" in hdr:
            body_end = pos + int(hdr["content-length"])
            if len(buf) < body_end:
                return
        elif "chunked" in hdr.get("transfer-encoding", "").lower():
            p = pos
            while True:
                j = buf.find(b"\r\n", p)
                if j < 0:
                    return
                size = int(bytes(buf[p:j]).split(b";")[0] or b"0", 16)
                if size == 0:
                    k = buf.find(b"\r\n\r\n", j)
                    if k < 0:
                        return
                    body_end = k + 4
                    break
                p = j + 2 + size + 2
                if len(buf) < p:
                    return
        else:
            body_end = pos
        out.statuses.append(status)
        out.bodies.append(bytes(buf[pos:min(body_end, pos + 400)]))
        del buf[:body_end]


def exchange(port, chunks, answers=1, shut_wr=False, gap_s=0.0, rst=False,
             head_only=False, timeout=None):
    """Send chunks (bytes each) on a new connection, gap_s apart; then
    read until `answers` answers are complete, or the daemon closes, or
    the deadline (a hang).  shut_wr half-closes after the last chunk;
    rst resets the connection after sending (SO_LINGER 0): nothing to
    read."""
    out = Outcome()
    t0 = time.time()
    deadline = t0 + (timeout or HANG_S)
    try:
        s = socket.create_connection(("127.0.0.1", port),
                                     timeout=HEALTH_DEADLINE * 5)
    except OSError as e:
        out.end = "connect:%s" % type(e).__name__
        return out
    buf = bytearray()
    try:
        for c in chunks:
            try:
                s.sendall(c)
            except (BrokenPipeError, ConnectionResetError):
                break           # the daemon closed first: read its answer
            if gap_s:
                time.sleep(gap_s)
        if rst:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            out.end = "rst"
            return out
        if shut_wr:
            try:
                s.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        while True:
            parse_answers(buf, out, head_only)
            if len(out.statuses) >= answers:
                out.end = "open"
                break
            left = deadline - time.time()
            if left <= 0:
                out.end = "hang"
                break
            s.settimeout(left)
            try:
                d = s.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                out.end = "reset"
                break
            if not d:
                parse_answers(buf, out, head_only)
                out.end = "eof"
                break
            buf += d
    finally:
        s.close()
        out.secs = time.time() - t0
    return out


def req(method, path, headers=(), body=None, version=b"HTTP/1.1",
        host=True):
    """One request's bytes.  Everything may be bytes or str; body gets
    a Content-Length unless a header already says how long it is."""
    def b(x):
        # Lone surrogates pass as the invalid UTF-8 they make.
        return x if isinstance(x, bytes) else x.encode("utf-8",
                                                       "surrogatepass")
    lines = [b(method) + b" " + b(path) + b" " + version]
    names = set()
    if host:
        lines.append(b"Host: abuse")
    for k, v in headers:
        lines.append(b(k) + b": " + b(v))
        names.add(b(k).lower())
    if body is not None:
        body = b(body)
        if b"content-length" not in names and \
                b"transfer-encoding" not in names:
            lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")


# --- The generator ---

# Every route, with its query arguments, for the path and query cases.
ROUTES = [
    ("POST", "/v1/candidates", ["wait", "sanitize"]),
    ("GET", "/v1/candidates", ["ids", "wait"]),
    ("GET", "/v1/candidates/{}", ["wait"]),
    ("GET", "/v1/runs", ["name", "model", "state"]),
    ("GET", "/v1/runs/{}", []),
    ("DELETE", "/v1/runs/{}", []),
    ("PATCH", "/v1/runs/{}", []),
    ("GET", "/v1/runs/{}/problems", []),
    ("GET", "/v1/runs/{}/results", ["fields"]),
    ("GET", "/v1/runs/{}/feed", ["after", "follow", "timeout", "fields"]),
    ("GET", "/v1/problems", ["benchmark", "dataset"]),
    ("POST", "/v1/problems", ["format", "dataset"]),
    ("GET", "/v1/problems/{}", []),
    ("GET", "/v1/reports", ["runs", "format", "metric", "k", "base",
                            "cost", "order", "tests", "axis", "problems"]),
    ("GET", "/v1/health", []),
    ("GET", "/v1/openapi.json", []),
    ("GET", "/metrics", []),
]

BODY_ROUTES = [("POST", "/v1/candidates"), ("POST", "/v1/candidates?wait=1"),
               ("PATCH", "/v1/runs/" + RUN),
               ("POST", "/v1/problems?format=humaneval"),
               ("POST", "/v1/problems?format=apps&dataset=abuse"),
               ("POST", "/v1/problems?format=evalplus&dataset=abuse2")]


def nasty_text(rng):
    """A short string of the things that break parsers."""
    pick = rng.choice([
        lambda: "",
        lambda: "%00", lambda: "%", lambda: "%%", lambda: "%zz", lambda: "%f",
        lambda: "%ff%fe", lambda: "%c0%af", lambda: "%ed%a0%80",
        lambda: "%e2%82", lambda: "\x00", lambda: "\xff\xfe",
        lambda: "..", lambda: "%2e%2e%2f", lambda: "/", lambda: "//",
        lambda: "?", lambda: "#", lambda: "&", lambda: "=", lambda: ";",
        lambda: " ", lambda: "\t", lambda: "%20", lambda: "+",
        lambda: "\u00e9", lambda: "\U0001f600", lambda: "%0d%0a",
        lambda: "A" * rng.choice([127, 128, 129, 1000, 8000]),
        lambda: "%41" * rng.choice([100, 3000]),
        lambda: "-1", lambda: "0", lambda: "1e999", lambda: "nan",
        lambda: "inf", lambda: "-0", lambda: "0x10", lambda: "9" * 30,
        lambda: "9223372036854775807", lambda: "9223372036854775808",
        lambda: "18446744073709551616", lambda: "1.5", lambda: " 1",
        lambda: ",", lambda: "," * 5000, lambda: ",".join(
            "v-%d" % i for i in range(rng.choice([10, 1001, 3000]))),
        lambda: "*", lambda: "[", lambda: "[!", lambda: "\\",
        lambda: "{\"a\":" * 2000, lambda: "{}", lambda: "null",
        lambda: RUN, lambda: "HumanEval/0", lambda: "v-1",
        lambda: "".join(chr(rng.randrange(1, 256)) for _ in range(20)),
        lambda: bytes(rng.randrange(256) for _ in range(20)).decode(
            "latin-1"),
    ])
    return pick()


def rand_path(rng):
    method, pat, args = rng.choice(ROUTES)
    if rng.random() < 0.2:
        method = rng.choice(["GET", "POST", "DELETE", "PATCH", "PUT",
                             "HEAD", "OPTIONS"])
    path = pat.replace("{}", nasty_text(rng) or "x")
    if rng.random() < 0.3:
        path += nasty_text(rng)
    q = []
    for _ in range(rng.choice([0, 1, 2, 3])):
        k = rng.choice(args + ["zz", nasty_text(rng)]) if args else \
            nasty_text(rng)
        q.append("%s=%s" % (k, nasty_text(rng)) if rng.random() < 0.9
                 else k)
    if rng.random() < 0.05:
        q = ["wait=1"] * rng.choice([100, 5000])
    if q or rng.random() < 0.1:
        path += "?" + "&".join(q)
    # Raw bytes stay raw: latin-1 makes each code point < 256 one byte;
    # beyond it, UTF-8.
    try:
        raw = path.encode("latin-1")
    except UnicodeEncodeError:
        raw = path.encode("utf-8")
    return method, raw


def deep_json(rng):
    n = rng.choice([1000, 100000, 1000000])
    if rng.random() < 0.5:
        return "[" * n + "]" * n
    return '{"a":' * n + "1" + "}" * n


def huge_numbers(rng):
    num = rng.choice(["1e400", "-1e400", "1e-400", "18446744073709551616",
                      "-9223372036854775809", "9223372036854775807",
                      "1" + "0" * 5000, "NaN", "Infinity", "-0", "0e0",
                      "1.7976931348623157e308", "4.9e-324", "00", "01",
                      "1.", ".5", "+1", "0x1"])
    field = rng.choice(["sample", "score", "greedy", "cost", "cost.tokens",
                        "cost.seconds", "cost.tflops", "model", "id",
                        "run"])
    if field.startswith("cost."):
        return ('[{"run":"%s","task_id":"HumanEval/0","completion":"  pass",'
                '"cost":{"%s":%s}}]' % (RUN, field[5:], num))
    return ('[{"run":"%s","task_id":"HumanEval/0","completion":"  pass",'
            '"%s":%s}]' % (RUN, field, num))


def gzip_bomb(byte, mib):
    """gzip of "mib" MiB of one byte: 1,000 MiB of newlines (or of one
    line without an end) is about 1 MB."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    unit = byte * (1 << 20)
    parts = [c.compress(unit) for _ in range(mib)]
    return b"".join(parts) + c.flush()


_BOMBS = {}


def bomb(rng):
    k = rng.randrange(4)
    if k not in _BOMBS:
        _BOMBS[k] = gzip_bomb(b"\n" if k % 2 else b"a", 64 if k < 2 else
                              1000)
    return _BOMBS[k]


def chunked(rng):
    """A POST with broken (or merely odd) chunked encoding."""
    method, path = rng.choice(BODY_ROUTES)
    head = req(method, path, [("Transfer-Encoding", rng.choice(
        ["chunked", "chunked", "chunked", "Chunked", "gzip, chunked",
         "chunked, chunked", "xchunked", "chunked ", "identity"]))] +
        ([("Content-Length", rng.choice(["5", "0", "100000000"]))]
         if rng.random() < 0.2 else []))
    kind = rng.randrange(12)
    if kind == 0:
        body = [b"zz\r\nabc\r\n0\r\n\r\n"]
    elif kind == 1:
        body = [b"ffffffffffffffffffffffff\r\nabc\r\n0\r\n\r\n"]
    elif kind == 2:
        body = [b"7fffffffffffffff\r\n" + b"x" * 100]      # then silence
    elif kind == 3:
        body = [b"3\r\nabcdef0\r\n\r\n"]                     # no CRLF
    elif kind == 4:
        body = [b"3;" + b"e" * rng.choice([100, 10000, 100000]) +
                b"\r\nabc\r\n0\r\n\r\n"]
    elif kind == 5:
        # Many small chunks adding up to more than max_body.
        ck = b"1000\r\n" + b"[" * 4096 + b"\r\n"
        body = [ck * ((MAX_BODY // 4096) + 8) + b"0\r\n\r\n"]
    elif kind == 6:
        body = [b"-5\r\nabc\r\n0\r\n\r\n"]
    elif kind == 7:
        body = [b"0\r\n" + b"X-Trailer: " + b"t" * rng.choice(
            [10, 100000]) + b"\r\n\r\n"]
    elif kind == 8:
        body = [b"%x\r\n%s\r\n0\r\n\r\n" % (len(GOODB), GOODB)]
    elif kind == 9:
        body = [b"5\r\n[1,2]\r\n", b"0\r\n"]                 # no last CRLF
    elif kind == 10:
        body = [b"\r\n\r\n\r\n"]
    else:
        body = [bytes(rng.randrange(256) for _ in range(rng.randrange(1,
                                                                     200)))]
    return "chunked", [head] + body, {}


GOODB = json.dumps([GOOD]).encode()


def headers_case(rng):
    kind = rng.randrange(10)
    path = rng.choice([b"/v1/health", b"/v1/runs", b"/v1/candidates"])
    if kind == 0:
        h = [("X-Big", "b" * rng.choice([8000, 65536, 1 << 20]))]
    elif kind == 1:
        h = [("X-H%d" % i, "v") for i in range(rng.choice([100, 1000,
                                                           20000]))]
    elif kind == 2:
        return "headers", [b"GET " + path + b" HTTP/1.1\r\nHost: a\r\n"
                           b"no colon here\r\n\r\n"], {}
    elif kind == 3:
        h = [("X-Nul", "a\x00b")]
    elif kind == 4:
        return "headers", [b"GET " + path + b" HTTP/1.1\r\nHost: a\r\n"
                           b"X-Fold: a\r\n  continued\r\n\r\n"], {}
    elif kind == 5:
        h = [("X-Bin", bytes(range(128, 256)))]
    elif kind == 6:
        h = [("", "empty name"), (" X-Space", "x")]
    elif kind == 7:
        h = [("Authorization", rng.choice(
            ["Bearer " + "t" * 100000, "Bearer \xff\xfe", "Bearer",
             "Bearer ", "Basic Zm9vOmJhcg==", "bearer x\x00y"]))]
    elif kind == 8:
        h = [("Content-Type", rng.choice(
            ["application/x-ndjson" * 1000, "\xff", "text/plain; a=" +
             "b" * 5000]))]
    else:
        return "headers", [req("GET", path, host=False)], {}
    return "headers", [req(rng.choice(["GET", "POST"]), path, h,
                           body=rng.choice([None, GOODB]))], {}


def request_line(rng):
    kind = rng.randrange(10)
    if kind == 0:
        m = rng.choice(["FOO", "get", "GETT", "BREW", "PROPFIND", "TRACE",
                        "CONNECT", "OPTIONS", "M" * 10000, "G\x00ET", "",
                        "\xff\xfe", "PATCH", "PUT", "HEAD"])
        return "method", [req(m, rand_path(random.Random(rng.random()))[1])
                          ], {"head_only": m == "HEAD"}
    if kind == 1:
        return "request-line", [rng.choice([
            b"GET /\r\n\r\n", b"GET / HTTP/2.0\r\nHost: a\r\n\r\n",
            b"GET / HTTP/9.9\r\nHost: a\r\n\r\n",
            b"GET / HTTP/1.1x\r\nHost: a\r\n\r\n",
            b"GET /v1/health HTTP/1.0\r\n\r\n",
            b"GET  /v1/health  HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET\t/v1/health\tHTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET /v1/health HTTP/1.1\nHost: a\n\n",
            b"\r\n\r\n\r\nGET /v1/health HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET http://abuse/v1/health HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET * HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET " + b"/" * 100000 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET /v1/runs/" + b"r" * 5000 + b" HTTP/1.1\r\nHost: a\r\n\r\n",
        ])], {}
    method, path = rand_path(rng)
    return "path-query", [req(method, path, body=GOODB if method in (
        "POST", "PATCH") and rng.random() < 0.5 else None)], {
            "head_only": method == "HEAD"}


def body_case(rng):
    method, path = rng.choice(BODY_ROUTES)
    kind = rng.randrange(12)
    nd = [("Content-Type", "application/x-ndjson")] if \
        rng.random() < 0.3 else []
    if kind == 0:
        return "body", [req(method, path, nd + [("Content-Length",
                                                 str(MAX_BODY + 1))])], {}
    if kind == 1:
        return "body", [req(method, path, nd + [("Content-Length", rng.choice(
            ["-1", "abc", "18446744073709551621", " 5", "5 5", "0x10",
             "1e3", "99999999999999999999999"]))], body=b"[1]")], {}
    if kind == 2:
        return "body", [req(method, path, nd + [("Content-Length", "3"),
                                                ("Content-Length", "30")],
                            body=b"[1]")], {}
    if kind == 3:
        # Shorter than the body: the rest is read as the next request.
        b = GOODB
        return "body", [req(method, path, nd + [("Content-Length", str(
            len(b) // 2))], body=b)], {}
    if kind == 4:
        # Longer than the body, then silence: closed by the timeout.
        return "body", [req(method, path, nd + [("Content-Length", "100")],
                            body=b"[1")], {}
    if kind == 5:
        return "body", [req(method, path, nd, body=b"[" * 10 + b'"' +
                            bytes(rng.randrange(256) for _ in range(64)) +
                            b'"')], {}
    if kind == 6:
        return "json", [req(method, path, nd, body=deep_json(rng))], {}
    if kind == 7:
        return "json", [req(method, path, nd, body=huge_numbers(rng))], {}
    if kind == 8:
        return "gzip", [req("POST", rng.choice([
            "/v1/problems?format=humaneval&dataset=bomb",
            "/v1/problems?format=apps&dataset=bomb2",
            "/v1/candidates"]), nd, body=bomb(rng))], {}
    if kind == 9:
        b = bytearray(GOODB)
        for _ in range(rng.randrange(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return "body", [req(method, path, nd, body=bytes(b))], {}
    if kind == 10:
        return "body", [req(method, path, nd, body=b"x" * (MAX_BODY + 10))],\
            {}
    return "json", [req(method, path, nd, body=json.dumps(rng.choice([
        {"model": "\ud800"}, {"model": "m" * 200}, {"ranker": []},
        {"model": None, "ranker": None}, [GOOD] * 3, {},
        [dict(GOOD, id="x" * 129)], [dict(GOOD, run="")],
        [dict(GOOD, completion="\u0000")],
        [dict(GOOD, task_id="HumanEval/" + "9" * 40)],
    ]), ensure_ascii=rng.random() < 0.5))], {}


def connection_case(rng):
    kind = rng.randrange(8)
    h = req("GET", "/v1/health")
    if kind == 0:
        n = rng.choice([2, 20, 200])
        return "pipelined", [h * n], {"answers": n}
    if kind == 1:
        bad = rng.choice([b"FOO / HTTP/1.1\r\n\r\n", req(
            "POST", "/v1/candidates", body=b"[{"), b"\x00\x01\x02\r\n\r\n"])
        return "pipelined", [h + bad + h], {"answers": 1}
    if kind == 2:
        return "half-closed", [rng.choice([h, req(
            "POST", "/v1/candidates", body=GOODB), h[:20]])], {
                "shut_wr": True}
    if kind == 3:
        return "reset", [rng.choice([h[:10], req("POST", "/v1/candidates",
                                                 body=GOODB)[:60]])], {
            "rst": True}
    if kind == 4:
        return "empty", [], {"shut_wr": True}
    if kind == 5:
        # Bytes in several writes with pauses, a request split anywhere.
        cut = rng.randrange(1, len(h))
        return "split", [h[:cut], h[cut:]], {"gap_s": 0.05}
    return "random-bytes", [bytes(rng.randrange(256) for _ in range(
        rng.choice([1, 16, 1000, 8192])))], {}


GENERATORS = [chunked, headers_case, request_line, request_line, body_case,
              body_case, connection_case]

def regression_bombs(s, d):
    """Two gzip bombs at once, posted as problem files: each a 413 within
    HEALTH_DEADLINE, and the health answers meanwhile."""
    bomb = gzip_bomb(b"\n", 1000)
    assert len(bomb) < MAX_BODY
    outs = [None, None]

    def post(i):
        outs[i] = exchange(d.port, [req(
            "POST", "/v1/problems?format=humaneval&dataset=bomb%d" % i,
            body=bomb)])
    ths = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in ths:
        t.start()
    time.sleep(0.1)
    health = exchange(d.port, [req("GET", "/v1/health")])
    for t in ths:
        t.join()
    s.result("regression: two gzip bombs at once are 413s at once",
             all(o.statuses == [413] and o.secs < HEALTH_DEADLINE
                 for o in outs) and health.statuses == [200] and
             health.secs < HEALTH_DEADLINE,
             "bombs %r; health %r" % (outs, health))


# --- The run ---

class Stats:
    def __init__(self):
        self.mu = threading.Lock()
        self.families = {}      # name -> {"n", "answered", "closed", ...}
        self.fails = []         # (family, why, chunks, outcome)

    def add(self, fam, chunks, out, allow_5xx=False):
        bad = None
        mhd = [s == 500 and b"libmicrohttpd" in b
               for s, b in zip(out.statuses, out.bodies)]
        if any(mhd):
            fam = "mhd-500"
            out.statuses = [s for s, m in zip(out.statuses, mhd) if not m]
        if out.end == "hang":
            bad = "no answer and no close within %.0f s" % HANG_S
        elif out.end and out.end.startswith("connect"):
            bad = "cannot connect (%s)" % out.end
        elif not allow_5xx and any(s >= 500 and s not in (503, 505)
                                   for s in out.statuses):
            bad = "a %s" % [s for s in out.statuses if s >= 500]
        with self.mu:
            f = self.families.setdefault(fam, {
                "n": 0, "answered": 0, "eof": 0, "reset": 0, "bad": 0,
                "codes": {}})
            f["n"] += 1
            if out.statuses:
                f["answered"] += 1
            if out.end in ("eof", "reset"):
                f[out.end] += 1
            for s in out.statuses:
                f["codes"][s] = f["codes"].get(s, 0) + 1
            if bad:
                f["bad"] += 1
                if len(self.fails) < 30:
                    self.fails.append((fam, bad, chunks, out))
        return bad


def clip(chunks, n=300):
    b = b"".join(chunks)
    return repr(b[:n]) + ("... (%d bytes)" % len(b) if len(b) > n else "")


class Watcher(threading.Thread):
    """GET /v1/health every HEALTH_EVERY_S: each must answer 200 within
    HEALTH_DEADLINE."""

    def __init__(self, port, stop):
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.n = 0
        self.late = []
        self.worst = 0.0

    def probe(self):
        t0 = time.time()
        deadline = t0 + HEALTH_DEADLINE
        why = "?"
        while time.time() < deadline:
            out = exchange(self.port, [req("GET", "/v1/health")],
                           timeout=max(0.05, deadline - time.time()))
            if out.statuses[:1] == [200]:
                return time.time() - t0, None
            why = "%r" % out
            time.sleep(0.01)
        return time.time() - t0, why

    def run(self):
        while not self.stop.is_set():
            t = time.time()
            secs, why = self.probe()
            self.n += 1
            self.worst = max(self.worst, secs)
            if why is not None and len(self.late) < 20:
                self.late.append((round(t, 1), round(secs, 2), why))
            self.stop.wait(max(0.0, HEALTH_EVERY_S - (time.time() - t)))


def worker(port, rng, stop, stats):
    while not stop.is_set():
        try:
            fam, chunks, opts = rng.choice(GENERATORS)(rng)
            out = exchange(port, chunks, **opts)
        except Exception as e:          # the harness's own bug: a failure
            out = Outcome()
            out.end = "connect:harness %s: %s" % (type(e).__name__, e)
            fam, chunks = "harness", []
        stats.add(fam, chunks, out)


def slow(port, rng, stop, stats, d):
    """Slowloris writers, slow readers, unread followers, dropped long
    polls, in rounds until stop."""
    while not stop.is_set():
        ths = []

        def loris(i):
            # A header byte a second for a few seconds, then silence: the
            # daemon must close it within connection_timeout.
            s = socket.create_connection(("127.0.0.1", port))
            msg = b"POST /v1/candidates HTTP/1.1\r\nHost: a\r\nX-a: "
            t0 = time.time()
            out = Outcome()
            try:
                s.sendall(msg)
                for _ in range(rng.randrange(1, 6)):
                    if stop.wait(1.0):
                        break
                    s.sendall(b"a")
                s.settimeout(HANG_S)
                t0 = time.time()
                d_ = s.recv(4096)
                out.end = "eof" if not d_ else "open"
                if d_:
                    parse_answers(bytearray(d_), out)
            except socket.timeout:
                out.end = "hang"
            except (ConnectionResetError, BrokenPipeError):
                out.end = "reset"
            finally:
                out.secs = time.time() - t0
                s.close()
            stats.add("slowloris", [msg], out)

        def reader(path):
            # Read a big answer a few bytes at a time.
            s = socket.create_connection(("127.0.0.1", port))
            out = Outcome()
            t0 = time.time()
            try:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.sendall(req("GET", path))
                s.settimeout(HANG_S)
                got = 0
                while time.time() - t0 < 6 and not stop.is_set():
                    x = s.recv(64)
                    if not x:
                        out.end = "eof"
                        break
                    got += len(x)
                    time.sleep(0.05)
                out.end = out.end or "open"
                out.statuses.append(200 if got else 0)
            except socket.timeout:
                out.end = "hang"
            except ConnectionResetError:
                out.end = "reset"
            finally:
                out.secs = time.time() - t0
                s.close()
            stats.add("slow-reader", [path.encode()], out)

        def unread(path, hold):
            # Ask and never read; drop it after "hold" seconds.
            s = socket.create_connection(("127.0.0.1", port))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
            s.sendall(req("GET", path))
            stop.wait(hold)
            s.close()

        for i in range(SLOWLORIS):
            ths.append(threading.Thread(target=loris, args=(i,)))
        for p in ["/v1/openapi.json", "/metrics",
                  "/v1/runs/%s/results?fields=message,tests,stderr" % RUN,
                  "/v1/reports?runs=%s&format=html" % RUN]:
            ths.append(threading.Thread(target=reader, args=(p,)))
        for p in ["/v1/runs/%s/feed?follow=1" % RUN,
                  "/v1/runs/%s/feed?follow=1&after=0&timeout=2" % RUN,
                  "/v1/candidates/%s?wait=30" % d.first_id,
                  "/v1/candidates?ids=%s&wait=30" % d.first_id]:
            ths.append(threading.Thread(target=unread, args=(
                p, rng.choice([0.01, 0.5, 3]))))
        for t in ths:
            t.start()
        for t in ths:
            t.join()


def storm(port, stop, stats):
    """Every STORM_EVERY_S, STORM_CONNS connections at once, then closed
    (some with a request half sent)."""
    while not stop.wait(STORM_EVERY_S / 3):
        socks = []
        for i in range(STORM_CONNS):
            try:
                s = socket.socket()
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", port))
                socks.append(s)
            except OSError:
                break
        time.sleep(0.2)
        for i, s in enumerate(socks):
            if i % 3 == 0:
                try:
                    s.send(b"GET /v1/heal")
                except OSError:
                    pass
            s.close()
        with stats.mu:
            stats.storms = getattr(stats, "storms", 0) + 1
            stats.storm_conns = getattr(stats, "storm_conns", 0) + len(socks)
        stop.wait(STORM_EVERY_S * 2 / 3)


def abuse(s, tmp):
    d = daemon.Daemon(tmp, "abuse", {
        "workers": 1, "max_body": "1m", "connection_timeout": "%ds" %
        CONN_TIMEOUT_S, "max_connections": MAX_CONNECTIONS}).start()
    diag("seed %d, %g s, daemon %s (pid %d, port %d)" % (
        SEED, SECONDS, d.verdictd, d.proc.pid, d.port))
    st, _, body = d.request("POST", "/v1/candidates?wait=60", [GOOD])
    d.first_id = body["ids"][0] if st in (200, 202) else "v-1"
    s.result("a good candidate before", st == 200, "%s" % st)

    stats = Stats()
    regression_bombs(s, d)

    stop = threading.Event()
    w = Watcher(d.port, stop)
    w.start()
    rng = random.Random(SEED)
    ths = [threading.Thread(target=worker, args=(d.port, random.Random(
        rng.random()), stop, stats), daemon=True) for _ in range(WORKERS)]
    ths.append(threading.Thread(target=slow, args=(
        d.port, random.Random(rng.random()), stop, stats, d), daemon=True))
    ths.append(threading.Thread(target=storm, args=(d.port, stop, stats),
                                daemon=True))
    rss0, = d.proc_kb("VmRSS")
    for t in ths:
        t.start()
    t_end = time.time() + SECONDS
    alive = True
    while time.time() < t_end:
        time.sleep(min(1.0, max(0.0, t_end - time.time())))
        if d.proc.poll() is not None:
            alive = False
            break
    stop.set()
    for t in ths:
        t.join(HANG_S + 30)
    w.join(HEALTH_DEADLINE + 5)

    total = sum(f["n"] for f in stats.families.values())
    diag("%d abusive requests, %d storms of %d connections; RSS %d KiB "
         "at the start" % (total, getattr(stats, "storms", 0), STORM_CONNS,
                           rss0))
    for fam in sorted(stats.families):
        f = stats.families[fam]
        codes = ",".join("%s:%d" % (k, v) for k, v in sorted(
            f["codes"].items()))
        s.result("%s: %d requests answered or closed" % (fam, f["n"]),
                 f["bad"] == 0, "%d answered, %d closed, %d reset, %d bad; "
                 "statuses %s" % (f["answered"], f["eof"], f["reset"],
                                  f["bad"], codes or "-"))
    for fam, why, chunks, out in stats.fails:
        diag("%s: %s: %s; sent %s" % (fam, why, out, clip(chunks)))
    s.result("daemon alive after %g s" % SECONDS, alive and
             d.proc.poll() is None, "" if alive else "exit %s" %
             d.proc.returncode)
    s.result("health: %d probes, each a 200 within %.1f s" % (
        w.n, HEALTH_DEADLINE), w.n > 0 and not w.late,
        "worst %.2f s" % w.worst)
    for t, secs, why in w.late:
        diag("health at %s: %.2f s: %s" % (t, secs, why))
    if d.proc.poll() is None:
        st, _, body = d.request("POST", "/v1/candidates?wait=60", [
            dict(GOOD, completion="    return True\n")])
        s.result("a good candidate after", st == 200 and body.get(
            "done") is True, "%s" % st)
        rss, = d.proc_kb("VmRSS")
        s.result("RSS %d KiB after (limit %d)" % (rss, RSS_LIMIT_KB),
                 rss < RSS_LIMIT_KB, "%d KiB at the start" % rss0)
        status = d.stop()
    else:
        status = d.proc.returncode
    log = d.text()
    s.result("exit 0 on SIGTERM", status == 0, "status %s" % status)
    clean = d.sanitizer_clean()
    s.result("no sanitizer report in the daemon's log", clean)
    if not clean or status != 0 or not alive:
        diag(log[-4000:])


if __name__ == "__main__":
    tap.main([abuse], "verdict-abuse.")
