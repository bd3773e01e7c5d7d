# run.py - proof that tools/lint.py (make lint) fails when it must.  TAP.
#
#   /usr/bin/python3 tests/lint/run.py [--only a,b]      (make lint-test)
#
# Each test copies the .c and .h files of the tree (the ones lint reads)
# to a fresh folder, plants include lines in the copy, runs the real
# tools/lint.py --root COPY, and checks its exit status and that it names
# each planted line as FILE:LINE with its rule.  The files planted in are
# picked from the tree as it is (the first header of a folder), so that
# renames elsewhere do not break the proof.
#
#   clean_copy               the unplanted copy passes (the control)
#   violation_and_cycle      a common/ .c includes an api/ header, and
#                            two sandbox/ headers include each other:
#                            exit 1, both named, nothing else
#   report_only_common       report/ includes sandbox/ (below it, but
#                            report/ includes only common/)
#   client_only_common       client/ includes daemon/
#   nothing_includes_client  sandbox/ includes client/
#   service_includes_api     a daemon/ file that is not a root includes
#                            api/
#   root_includes_api        a root (lint's ROOTS) includes api/: passes
#   tests_include_anything   tests/ includes client/, api/, a root's
#                            folder: passes
#   comments_ignored         an #include in a comment is not read: passes
#   unknown_folder           a file in a folder on no floor fails
#   folder_header            a folder without its README.md fails
#   known_allowance          a KNOWN entry lets its violation pass; a stale
#                            one fails
#   library_headers          <cairo.h> in daemon/ and <librsvg/rsvg.h> in
#                            a client/ file other than export.c fail
#                            ([lib]); client/export.c's own pass

import importlib.util
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
LINT = os.path.join(ROOT, "tools", "lint.py")
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import tap  # noqa: E402

spec = importlib.util.spec_from_file_location("lint", LINT)
lint = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lint)


def copy(tmp, name, script=LINT):
    """A copy of the files lint reads (the sources and their folders'
    README.md), and of the script, in tmp/name."""
    dst = os.path.join(tmp, name)
    paths = list(lint.sources(ROOT))
    for top in set(p.split("/")[0] for p in paths if "/" in p):
        if os.path.isfile(os.path.join(ROOT, top, "README.md")):
            paths.append(top + "/README.md")
    for path in paths:
        os.makedirs(os.path.dirname(os.path.join(dst, path)), exist_ok=True)
        shutil.copyfile(os.path.join(ROOT, path), os.path.join(dst, path))
    os.makedirs(os.path.join(dst, "tools"), exist_ok=True)
    shutil.copyfile(script, os.path.join(dst, "tools", "lint.py"))
    return dst


def first(folder, ext=".h", but=()):
    """The first file (sorted) of folder/ in the tree, not in but."""
    names = sorted(f for f in os.listdir(os.path.join(ROOT, folder))
                   if f.endswith(ext) and folder + "/" + f not in but)
    if not names:
        raise RuntimeError("no %s file in %s/" % (ext, folder))
    return folder + "/" + names[0]


def plant(tree, path, line):
    """Append line to tree/path; its line number."""
    full = os.path.join(tree, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    text = open(full).read() if os.path.exists(full) else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += line + "\n"
    with open(full, "w") as fh:
        fh.write(text)
    return text.count("\n")


def run(tree):
    r = subprocess.run(["/usr/bin/python3",
                        os.path.join(tree, "tools", "lint.py"),
                        "--root", tree], capture_output=True, text=True)
    return r.returncode, [x for x in r.stdout.splitlines()
                          if not x.startswith("lint: known:")]


def expect(s, name, tree, status, wanted):
    """lint on tree exits status, and its findings are exactly wanted:
    (FILE:LINE or FILE, [words the line must hold]) each."""
    rc, out = run(tree)
    bad = []
    if rc != status:
        bad.append("exit %d, not %d" % (rc, status))
    for prefix, words in wanted:
        hit = [x for x in out if x.startswith(prefix + ":")
               and all(w in x for w in words)]
        if not hit:
            bad.append("no finding %s: ... %s" % (prefix, " ".join(words)))
    if len(out) != len(wanted):
        bad.append("%d findings, not %d" % (len(out), len(wanted)))
    if bad:
        tap.diag("\n".join(out))
    s.result(name, not bad, "; ".join(bad))


def clean_copy(s, tmp):
    expect(s, "clean_copy", copy(tmp, "clean"), 0, [])


def violation_and_cycle(s, tmp):
    t = copy(tmp, "vc")
    # A .c: including a header above it makes no cycle as well.
    low, high = first("common", ".c"), first("api")
    n = plant(t, low, '#include "%s"' % high)
    a = first("sandbox")
    b = first("sandbox", but=(a,))
    na = plant(t, a, '#include "%s"' % b)
    plant(t, b, '#include "%s"' % a)
    # The cycle is named from its first file, with a line of each (b's
    # planted line, or an include of a that b already had).
    expect(s, "violation_and_cycle", t, 1, [
        ("%s:%d" % (low, n), ["[floor]", high, "a lower floor includes "
                              "a higher one"]),
        (a, ["[cycle]", "%s:%d includes %s" % (a, na, b),
             "%s:" % b, "includes " + a]),
    ])


def report_only_common(s, tmp):
    t = copy(tmp, "roc")
    src, inc = first("report", ".c"), first("sandbox")
    n = plant(t, src, '#include "%s"' % inc)
    expect(s, "report_only_common", t, 1, [
        ("%s:%d" % (src, n), ["[floor]", inc, "report may include only "
                              "common, report; not sandbox"])])


def client_only_common(s, tmp):
    t = copy(tmp, "coc")
    src, inc = first("client", ".c"), first("daemon")
    n = plant(t, src, '#include "%s"' % inc)
    expect(s, "client_only_common", t, 1, [
        ("%s:%d" % (src, n), ["[floor]", inc, "client may include only "
                              "common, client; not daemon"])])


def nothing_includes_client(s, tmp):
    t = copy(tmp, "nic")
    src, inc = first("sandbox", ".c"), first("client")
    n = plant(t, src, '#include "%s"' % inc)
    expect(s, "nothing_includes_client", t, 1, [
        ("%s:%d" % (src, n), ["[floor]", inc, "not client"])])


def service_includes_api(s, tmp):
    t = copy(tmp, "sia")
    src, inc = first("daemon", ".c"), first("api")
    n = plant(t, src, '#include "%s"' % inc)
    expect(s, "service_includes_api", t, 1, [
        ("%s:%d" % (src, n), ["[floor]", inc, "api is above daemon"])])


def root_includes_api(s, tmp):
    t = copy(tmp, "ria")
    plant(t, first("main", ".c"), '#include "%s"' % first("api"))
    expect(s, "root_includes_api", t, 0, [])


def tests_include_anything(s, tmp):
    t = copy(tmp, "tia")
    src = "tests/unit/runner.c"
    for inc in (first("client"), first("api"), first("daemon")):
        plant(t, src, '#include "%s"' % inc)
    expect(s, "tests_include_anything", t, 0, [])


def comments_ignored(s, tmp):
    t = copy(tmp, "ci")
    src, inc = first("common"), first("api")
    plant(t, src, '/* #include "%s" */' % inc)
    plant(t, src, '/*\n#include "%s"\n */' % inc)
    plant(t, src, '// #include "%s"' % inc)
    plant(t, src, 'static const char lint_q[] = "/*"; /* */')
    expect(s, "comments_ignored", t, 0, [])


def unknown_folder(s, tmp):
    t = copy(tmp, "uf")
    plant(t, "nofloor/x.c", '#include "%s"' % first("common"))
    expect(s, "unknown_folder", t, 1, [
        ("nofloor/x.c:1", ["[where]", "on no floor"])])


def folder_header(s, tmp):
    t = copy(tmp, "fh")
    os.remove(os.path.join(t, "store", "README.md"))
    expect(s, "folder_header", t, 1, [
        ("store/README.md:1", ["[header]", "store/ has no README.md"])])


def known_allowance(s, tmp):
    src, inc = first("common", ".c"), first("api")
    script = open(LINT).read()
    marker = "KNOWN = {\n"
    if marker not in script:
        s.result("known_allowance", False, "no KNOWN = { in lint.py")
        return
    entry = '    ("%s", "%s"): "planted by tests/lint/run.py",\n' % (src, inc)
    with open(os.path.join(tmp, "lint-known.py"), "w") as fh:
        fh.write(script.replace(marker, marker + entry, 1))
    t = copy(tmp, "ka", os.path.join(tmp, "lint-known.py"))
    plant(t, src, '#include "%s"' % inc)
    rc1, out1 = run(t)
    t2 = copy(tmp, "ka2", os.path.join(tmp, "lint-known.py"))
    rc2, out2 = run(t2)
    ok = (rc1 == 0 and out1 == [] and rc2 == 1 and len(out2) == 1 and
          "[known]" in out2[0] and src in out2[0])
    if not ok:
        tap.diag("\n".join(["with the violation: exit %d" % rc1] + out1 +
                           ["without: exit %d" % rc2] + out2))
    s.result("known_allowance", ok)


def library_headers(s, tmp):
    t = copy(tmp, "lh")
    d = first("daemon", ".c")
    c = first("client", ".c", but=("client/export.c",))
    nd = plant(t, d, "#include <cairo.h>")
    nc = plant(t, c, "#include <librsvg/rsvg.h>")
    plant(t, "client/export.c", "#include <cairo-pdf.h>")
    expect(s, "library_headers", t, 1, [
        ("%s:%d" % (d, nd), ["[lib]", "<cairo.h>", "only client/export.c"]),
        ("%s:%d" % (c, nc), ["[lib]", "<librsvg/rsvg.h>"])])


if __name__ == "__main__":
    tap.main([clean_copy, violation_and_cycle, report_only_common,
              client_only_common, nothing_includes_client,
              service_includes_api, root_includes_api,
              tests_include_anything, comments_ignored, unknown_folder,
              folder_header, known_allowance, library_headers],
             "verdict-lint-")
