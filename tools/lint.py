#!/usr/bin/python3
# lint.py -- the layering of verdict's own includes (STYLE.md 2.2).
#
#   /usr/bin/python3 tools/lint.py [--root DIR]      (make lint)
#
# Reads every #include "..." of every .c and .h in the tree (not build*/,
# data/ or hidden folders) and fails, with FILE:LINE and the rule, when
#
#   [floor]  a file includes a file on a higher floor (FLOORS below),
#            or one it may not include (ONLY below: report/ and client/);
#   [cycle]  headers include each other in a cycle;
#   [where]  a file is on no floor (a new folder: give it one here), or
#            an include names no file of the tree (a generated header in
#            $(O) would need a rule here; there is none today);
#   [header] a folder of C files has no README.md (a paragraph: what it
#            owns and what it may include);
#   [lib]    a file includes a library header (<...>) that only some
#            files may include (LIBS below).
#
# Other <...> includes are not read.  Exit status: 0 clean, 1 findings,
# 2 usage.
# tests/lint/run.py proves that it fails on a planted violation and cycle.

import os
import re
import sys

# The composition roots: they wire the services and the API together, so
# they may include every floor.
ROOTS = ["main/"]

# The floors, lowest first: a file may include files on its own floor and
# on the floors below it, never above.  A floor is folders (ending in /)
# or files; a file named here wins over its folder.
FLOORS = [
    ("common",  ["common/"]),
    ("sandbox", ["sandbox/"]),
    ("report",  ["report/"]),
    ("store",   ["store/"]),
    ("daemon",  ["daemon/"]),
    ("api",     ["api/"]),
    ("root",    ROOTS),
]

# Outside the floors, and the floors narrower than their place: what
# each may include (None: anything).  Nothing on a floor includes
# client/ or tests/.
OUTSIDE = [
    ("client",  ["client/"]),
    ("tests",   ["tests/"]),
]
ONLY = {
    "report": ["common", "report"],     # pure computation, no I/O
    "client": ["common", "client"],     # never daemon code
    "tests":  None,
}
assert all(name in ONLY for name, _ in OUTSIDE), "OUTSIDE needs ONLY"

# Library headers only the files named may include, by the start of the
# name in <...>.  librsvg and cairo (and the glib under them) draw the
# report's plots as PDF and PNG in the client alone, client/export.c: no
# other file pulls them in, and verdictd never links them (Makefile).
LIBS = {
    "librsvg/": ["client/export.c"],
    "cairo": ["client/export.c"],
    "glib": ["client/export.c"],
}

# Violations the tree has today that another change is removing, as
# (file, included file): "reason".  They are reported as known, not
# failed; an entry that no longer occurs is a finding (remove it).
KNOWN = {
}

SKIP_TOP = re.compile(r"^(build.*|data|\..*)$")
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"')
LIB_INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*<([^>]+)>')


def area_of(path):
    """The floor or outside area of a tree path, or None."""
    best, best_len = None, -1
    for name, places in FLOORS + OUTSIDE:
        for p in places:
            if p.endswith("/"):
                hit = path.startswith(p)
            else:
                hit = path == p
            # A file beats a folder; a longer folder beats a shorter one.
            n = len(p) + (10000 if not p.endswith("/") else 0)
            if hit and n > best_len:
                best, best_len = name, n
    return best


def allowed(src_area):
    """The areas src_area may include."""
    names = [n for n, _ in FLOORS]
    if src_area in ONLY:
        only = ONLY[src_area]
        if only is None:
            return set(names) | set(n for n, _ in OUTSIDE)
        return set(only)
    return set(names[:names.index(src_area) + 1])


FLOOR_NAMES = [n for n, _ in FLOORS]


def floor_index(area):
    return FLOOR_NAMES.index(area) if area in FLOOR_NAMES else None


def in_order(areas):
    order = FLOOR_NAMES + [n for n, _ in OUTSIDE]
    return sorted(areas, key=order.index)


def strip_comments(text):
    """text with comments blanked (line breaks kept), literals kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            # A literal, to its end or the end of its line (an apostrophe
            # in an #error line): a "/*" in it opens no comment.
            j = i + 1
            while j < n and text[j] not in c + "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + (j < n and text[j] == c), n)
            out.append(text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def sources(root):
    for top in sorted(os.listdir(root)):
        if SKIP_TOP.match(top):
            continue
        full = os.path.join(root, top)
        if os.path.isfile(full):
            if top.endswith((".c", ".h")):
                yield top
            continue
        for d, dirs, files in os.walk(full):
            dirs[:] = sorted(x for x in dirs if not x.startswith("."))
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.relpath(os.path.join(d, f), root)


def lines(root, path):
    """The lines of path, comments blanked."""
    with open(os.path.join(root, path), encoding="utf-8",
              errors="replace") as fh:
        return strip_comments(fh.read()).split("\n")


def lib_findings(root, path):
    """A [lib] finding for each <...> include of path that LIBS keeps
    from it."""
    for no, line in enumerate(lines(root, path), 1):
        m = LIB_INCLUDE.match(line)
        if not m:
            continue
        for start, who in sorted(LIBS.items()):
            if m.group(1).startswith(start) and path not in who:
                yield ("%s:%d: [lib] includes <%s>: only %s may include "
                       "<%s...> (LIBS in tools/lint.py)" %
                       (path, no, m.group(1), ", ".join(who), start))


def includes(root, path):
    """(line, text, resolved path or None) for each #include "..." of path."""
    for no, line in enumerate(lines(root, path), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        inc = m.group(1)
        # As the compiler looks: beside the file first, then -I. (the
        # Makefile's only include folder of the tree).
        res = None
        for cand in (os.path.join(os.path.dirname(path), inc), inc):
            cand = os.path.normpath(cand)
            if not cand.startswith("..") and \
                    os.path.isfile(os.path.join(root, cand)):
                res = cand
                break
        yield no, inc, res


def cycles(graph):
    """One cycle for each strongly connected component that has one."""
    index, low, onstack, stack, sccs = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        # Iterative Tarjan: no recursion limit on a deep include chain.
        work = [(v, iter(sorted(graph.get(v, {}))))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        onstack.add(v)
        while work:
            u, it = work[-1]
            pushed = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    onstack.add(w)
                    work.append((w, iter(sorted(graph.get(w, {})))))
                    pushed = True
                    break
                if w in onstack:
                    low[u] = min(low[u], index[w])
            if pushed:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[u])
            if low[u] == index[u]:
                comp = []
                while True:
                    w = stack.pop()
                    onstack.discard(w)
                    comp.append(w)
                    if w == u:
                        break
                if len(comp) > 1 or u in graph.get(u, {}):
                    sccs.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    found = []
    for comp in sccs:
        members = set(comp)
        start = comp[0]
        # Shortest way from start back to start inside the component.
        prev = {}
        queue = [start]
        end = None
        while queue and end is None:
            nxt = []
            for u in queue:
                for w in sorted(graph.get(u, {})):
                    if w not in members:
                        continue
                    if w == start:
                        end = u
                        break
                    if w not in prev:
                        prev[w] = u
                        nxt.append(w)
                if end is not None:
                    break
            queue = nxt
        path = [end]
        while path[-1] != start:
            path.append(prev[path[-1]])
        path.reverse()
        found.append((path, comp))
    return found


def lint(root):
    findings, known_used = [], set()
    graph = {}
    files = list(sources(root))
    nincs = 0
    for path in files:
        src = area_of(path)
        if src is None:
            findings.append("%s:1: [where] %s is on no floor: give its "
                            "folder a place in tools/lint.py (FLOORS or "
                            "OUTSIDE)" % (path, path))
            continue
        findings.extend(lib_findings(root, path))
        ok_areas = allowed(src)
        for no, inc, res in includes(root, path):
            nincs += 1
            if res is None:
                findings.append('%s:%d: [where] #include "%s" names no '
                                "file of the tree" % (path, no, inc))
                continue
            dst_path = res
            graph.setdefault(path, {}).setdefault(res, no)
            dst = area_of(dst_path)
            if dst is not None and dst in ok_areas:
                continue
            if (path, dst_path) in KNOWN:
                known_used.add((path, dst_path))
                continue
            fs, fd = floor_index(src), floor_index(dst)
            if src not in ONLY and fs is not None and fd is not None:
                why = ("a lower floor includes a higher one: %s is above "
                       "%s (%s)" % (dst, src, " < ".join(FLOOR_NAMES)))
            elif dst is None:
                why = "it is on no floor"
            else:
                why = "%s may include only %s; not %s" % (
                    src, ", ".join(in_order(ok_areas)), dst)
            findings.append("%s:%d: [floor] includes %s: %s" %
                            (path, no, dst_path, why))
    for top in sorted(set(p.split("/")[0] for p in files if "/" in p)):
        if (area_of(top + "/") is not None and
                not os.path.isfile(os.path.join(root, top, "README.md"))):
            findings.append("%s/README.md:1: [header] %s/ has no README.md:"
                            " one paragraph on what it owns and what it "
                            "may include" % (top, top))
    for path, comp in cycles(graph):
        ring = path + [path[0]]
        steps = ["%s:%d includes %s" % (a, graph[a][b], b)
                 for a, b in zip(ring, ring[1:])]
        findings.append("%s:%d: [cycle] include cycle %s (%s)" %
                        (path[0], graph[path[0]][ring[1]],
                         " -> ".join(ring), "; ".join(steps)))
    for key in sorted(set(KNOWN) - known_used):
        findings.append("%s:1: [known] the known violation %s -> %s no "
                        "longer occurs: remove it from KNOWN in "
                        "tools/lint.py" % (key[0], key[0], key[1]))
    return files, nincs, findings, sorted(known_used)


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    args = argv[1:]
    if args[:1] == ["--root"] and len(args) == 2:
        root = args[1]
    elif args:
        sys.stderr.write("usage: lint.py [--root DIR]\n")
        return 2
    files, nincs, findings, known = lint(root)
    for a, b in known:
        print("lint: known: %s includes %s: %s" % (a, b, KNOWN[(a, b)]))
    for f in findings:
        print(f)
    print("lint: %d files, %d includes: %s" % (
        len(files), nincs, "%d finding(s)" % len(findings) if findings
        else "layering and include cycles ok"), file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
