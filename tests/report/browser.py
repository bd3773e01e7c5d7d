# browser.py - the HTML and SVG reports (report/render.c) in a real
# browser: headless Chromium (Debian's "chromium", which
# tools/deps.sh installs).  TAP on stdout.
#
#   O=build /usr/bin/python3 tests/report/browser.py [--only a,b]
#
# A report object shaped as in report/report.h is made up here: three
# runs with pass@k for k = 1..n computed from per-problem pass counts
# with the unbiased estimator, budgets from a cost table, rank scores for
# two runs, greedy pass@1, comparisons, disagreements, one run still
# being judged, and a run name full of markup.  $(O)/tests/report/
# render-main renders it, and Chromium loads the result:
#
#   tools_present      Chromium and python3-pil are installed: a missing
#                      browser is a failure, never a skip (run "make deps")
#   html_dom           the page as Chromium parsed it (--dump-dom): its
#                      title, four <svg> panels each with a polyline for
#                      every run and a legend naming every run, a star per
#                      greedy run, the tables, the partial banner, and the
#                      markup of the run name as text, never as elements
#   html_no_cost       a report without costs or rank scores: three
#                      panels, the two budget panels say "no cost for these
#                      models" and draw no line
#   svg_standalone     each metric's SVG is well-formed XML (Python's
#                      parser) and Chromium shows it without a parser error
#                      and with a polyline per run
#   screenshot         a 1200x2400 screenshot of the page is a real
#                      picture: thousands of colours, and every run's
#                      colour (read from the DOM) on many pixels
#   bands              a translucent band (polygon) per run with standard
#                      errors on the pass@k and budget plots, of its line's
#                      colour; none on rank-score, none without stderr
#   meta_title         with the daemon's "meta", the line under the h1 and
#                      under every plot's title names the benchmarks, the
#                      problem count, the date and the version
#   stable_colours     the same runs in another order: each run keeps its
#                      colour, dashes and markers on every panel, and its
#                      colour and dashes in the legend; no two runs have
#                      all three alike
#   no_empty_panel     the panels as Chromium lays them out (a copy of the
#                      page with a script that measures them) at three
#                      widths, with three panels and with four: every row
#                      full, or its one panel centred (the last of an odd
#                      number, as wide as the others)
#   axis_absolute      axis=absolute: the budget plots' x axes in TFLOPs
#                      and seconds, labelled so, ticks from the base cost
#
# With REPORT_SCREENSHOT=path the screenshot is also copied to path, for
# a person to look at.

import html
import html.parser
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
import tap                                      # noqa: E402

O = os.environ.get("O", "build")
DRIVER = os.path.join(O, "tests", "report", "render-main")
CHROMIUM = "chromium"
TIMEOUT = 120 * float(os.environ.get("TEST_TIMEOUT_MULTIPLIER", "1"))
ODD = "<b>tiny</b> & \"co\" 'x'"        # a run name that must stay text

# model: (TFLOPs, seconds) per sample; the base model is the cheapest.
COSTS = {"codegen-2B": (0.6, 1.0), "codegen-6B": (1.7, 1.9),
         "codegen-16B": (4.4, 3.5)}


# --- The fixture -------------------------------------------------------

def passk(n, c, k):
    """The unbiased estimator, as report/passk.c computes it."""
    if n - c < k:
        return 1.0
    prod = 1.0
    for i in range(n - c + 1, n + 1):
        prod *= (i - k) / i
    return 1.0 - prod


def mean_se(xs):
    m = sum(xs) / len(xs)
    var = sum((x - m) ** 2 for x in xs) / (len(xs) - 1)
    return m, math.sqrt(var / len(xs))


def make_run(name, model, ranker, ns, skill, seed, greedy, partial):
    """A run over len(ns) problems, problem i with ns[i] samples."""
    rnd = random.Random(seed)
    cs = []
    for n in ns:
        r = min(1.0, max(0.0, rnd.betavariate(0.4, 0.4 / skill)))
        cs.append(sum(rnd.random() < r for _ in range(n)))
    n_min = min(ns)
    pak, sek = {}, {}
    for k in range(1, n_min + 1):
        m, se = mean_se([passk(n, c, k) for n, c in zip(ns, cs)])
        pak[str(k)], sek[str(k)] = 100 * m, 100 * se
    run = {"run": name, "model": model, "ranker": ranker,
           "problems": len(ns), "n_min": n_min, "n_max": max(ns),
           "samples": sum(ns), "pending": 12 if partial else 0,
           "internal": 1, "partial": partial,
           "reliable_k_max": n_min // 2, "pass_at_k": pak,
           "stderr_at_k": sek, "greedy_pass_at_1": greedy,
           "greedy_problems": len(ns) if greedy is not None else 0,
           "rank_score_at_k": None,
           "cost": {"tflops": COSTS[model][0], "seconds": COSTS[model][1]},
           "cost_source": "table", "budgets": {"flops": [], "time": []},
           "per_problem": [{"task_id": "HumanEval/%d" % i, "n": n, "c": c,
                            "pass_rate": 100.0 * c / n, "greedy": None,
                            "verdicts": {"passed": c, "failed": n - c}}
                           for i, (n, c) in enumerate(zip(ns, cs))]}
    if ranker is not None:
        # Between pass@1 and pass@k: a ranker that recovers part of it.
        run["rank_score_at_k"] = {
            k: pak["1"] + 0.45 * (v - pak["1"]) for k, v in pak.items()}
    return run


def add_budgets(report):
    """report.h "budgets": B = 1, 2, 4, ... samples of the base model."""
    base = min(COSTS[r["model"]][0] for r in report["runs"])
    base_m = [m for m, c in COSTS.items() if c[0] == base][0]
    report["base"] = {"model": base_m, "tflops": COSTS[base_m][0],
                      "seconds": COSTS[base_m][1]}
    for kind, j in (("flops", 0), ("time", 1)):
        b = 1
        while True:
            left = False
            for r in report["runs"]:
                k = int(b * COSTS[base_m][j] / COSTS[r["model"]][j] + 1e-9)
                if 1 <= k <= r["n_min"]:
                    rs = r["rank_score_at_k"]
                    r["budgets"][kind].append(
                        {"budget": b, "k": k, "pass": r["pass_at_k"][str(k)],
                         "stderr": r["stderr_at_k"][str(k)],
                         "rank": rs[str(k)] if rs else None})
                if k <= r["n_min"]:
                    left = True
            if not left:
                break
            b *= 2


def comparison(report, metric):
    """report.h "comparisons" for one metric, from the runs' points."""
    vals = {}                   # x -> {run: pct}
    for r in report["runs"]:
        if metric in ("pass", "rank"):
            m = r["pass_at_k" if metric == "pass" else "rank_score_at_k"]
            pts = [(int(k), v) for k, v in (m or {}).items()]
        else:
            pts = [(e["budget"], e["pass"]) for e in r["budgets"][metric]]
        for x, v in pts:
            vals.setdefault(x, {})[r["run"]] = v
    points, xo, prev = [], [], None
    for x in sorted(vals):
        if len(vals[x]) < 2:
            continue
        order = sorted(vals[x].items(), key=lambda kv: -kv[1])
        points.append({"x": x, "best": order[0][0],
                       "margin": order[0][1] - order[1][1],
                       "values": vals[x]})
        if prev is not None and prev != order[0][0]:
            xo.append({"x": x, "before": prev, "after": order[0][0]})
        prev = order[0][0]
    return {"metric": metric, "points": points, "crossovers": xo}


def fixture():
    rnd = random.Random(7)
    ns = [100] * 40
    runs = [
        make_run("codegen-16B", "codegen-16B", "codegen-16B", ns, 0.9, 1,
                 31.7, False),
        make_run(ODD, "codegen-2B", "codegen-2B", ns, 0.45, 2, 14.0, True),
        make_run("codegen-6B", "codegen-6B", None,
                 [rnd.choice((80, 90, 100)) for _ in ns], 0.65, 3, 23.9,
                 False),
    ]
    report = {"runs": runs, "comparisons": [], "disagreements": []}
    add_budgets(report)
    for metric in ("pass", "flops", "time", "rank"):
        report["comparisons"].append(comparison(report, metric))
    rates = {}
    for r in runs:
        for p in r["per_problem"]:
            rates.setdefault(p["task_id"], {})[r["run"]] = p["pass_rate"]
    spread = sorted(rates, key=lambda t: -(max(rates[t].values()) -
                                           min(rates[t].values())))
    report["disagreements"] = [
        {"task_id": t, "spread": max(rates[t].values()) -
         min(rates[t].values()), "pass_rates": rates[t]} for t in spread[:10]]
    return report


META = {"benchmarks": ["humaneval", "mbpp+"], "problems": 40,
        "generated": "2026-12-05", "version": "0.2.0"}
SUBTITLE = "humaneval, mbpp+ \u00b7 40 problems \u00b7 2026-12-05 \u00b7 " \
    "verdict 0.2.0"


def fixture_no_cost():
    """One run, no cost, no rank scores, no greedy, no comparisons."""
    run = make_run("solo", "codegen-6B", None, [20] * 10, 0.5, 4, None,
                   False)
    run["cost"] = {"tflops": None, "seconds": None}
    run["cost_source"] = None
    run["budgets"] = {"flops": [], "time": []}
    return {"runs": [run], "base": {"model": None, "tflops": None,
                                    "seconds": None},
            "comparisons": [], "disagreements": []}


# --- Tools -------------------------------------------------------------

def render(tmp, report, fmt, metric, name):
    src = os.path.join(tmp, name + ".json")
    out = os.path.join(tmp, "%s-%s.%s" % (name, metric, fmt))
    with open(src, "w") as f:
        json.dump(report, f)
    with open(out, "wb") as f:
        p = subprocess.run([DRIVER, fmt, metric, src], stdout=f,
                           stderr=subprocess.PIPE, timeout=TIMEOUT)
    if p.returncode != 0:
        raise RuntimeError("render-main %s %s: exit %d: %s" % (
            fmt, metric, p.returncode, p.stderr.decode(errors="replace")))
    return out


def chromium(tmp, url, *args):
    """Run headless Chromium on url; returns its stdout as text.
    --no-sandbox: the tests may run as root, where Chromium's sandbox
    refuses to start; the pages are our own."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--hide-scrollbars", "--no-first-run",
           "--user-data-dir=" + os.path.join(tmp, "profile")] + \
        list(args) + [url]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=TIMEOUT)
    if p.returncode != 0:
        raise RuntimeError("chromium exit %d: %s" % (
            p.returncode, p.stderr.decode(errors="replace")[-2000:]))
    return p.stdout.decode()


def url(path):
    return "file://" + os.path.abspath(path)


class Dom(html.parser.HTMLParser):
    """The parts of a dumped DOM the tests look at: the title, each
    <svg> with its polylines, stars and legend text, the tables, the
    texts of the partial banners and of the empty plots, and the names
    of every element seen."""

    def __init__(self):
        super().__init__()
        self.title = ""
        self.h1 = ""
        self.subtitle = ""      # the page's, under the h1
        self.svgs = []
        self.tables = 0
        self.partial = []
        self.tags = set()
        self.stack = []         # open elements: (tag, class)
        self.text = []          # text of the whole body

    def _in(self, tag, cls=None):
        return any(t == tag and (cls is None or c == cls)
                   for t, c in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        cls = (a.get("class") or "").split()
        if tag == "svg":
            self.svgs.append({"id": a.get("id"), "runs": [], "strokes": [],
                              "dashes": [], "shapes": [], "stars": 0,
                              "legend": [],
                              "empty": "", "bands": [], "swatches": [],
                              "subtitle": "", "xlabel": ""})
        elif tag == "polyline" and self.svgs and "run" in cls:
            # A run's line (its lighter part past n/2 is class "beyond").
            self.svgs[-1]["runs"].append(a.get("data-run"))
            self.svgs[-1]["strokes"].append(a.get("stroke"))
            self.svgs[-1]["dashes"].append(a.get("stroke-dasharray"))
            self.svgs[-1]["shapes"].append(None)
        elif tag in ("circle", "rect", "polygon") and self._in("g", "marks") \
                and self.svgs[-1]["shapes"][-1] is None:
            # A marker's shape: its element, and a polygon's corners.
            self.svgs[-1]["shapes"][-1] = "%s%d" % (
                tag, len((a.get("points") or "").split()))
        elif tag == "polygon" and "band" in cls and self.svgs:
            self.svgs[-1]["bands"].append((a.get("data-run"), a.get("fill"),
                                           a.get("fill-opacity")))
        elif tag == "line" and "swatch" in cls and self.svgs:
            self.svgs[-1]["swatches"].append((a.get("data-run"),
                                              a.get("stroke"),
                                              a.get("stroke-dasharray")))
        elif tag == "polygon" and a.get("class") == "greedy" and self.svgs:
            self.svgs[-1]["stars"] += 1
        elif tag == "table":
            self.tables += 1
        if tag not in ("meta", "link", "br", "hr", "img", "input"):
            self.stack.append((tag, a.get("class")))

    def handle_endtag(self, tag):
        if any(t == tag for t, _ in self.stack):
            while self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self._in("title") and not self._in("svg"):
            self.title += data
        if self._in("h1"):
            self.h1 += data
        if self._in("p", "subtitle"):
            self.subtitle += data
        if self._in("text", "subtitle"):
            self.svgs[-1]["subtitle"] += data
        if self._in("g", "xaxis") and self.svgs:
            self.svgs[-1]["xlabel"] = data
        if self._in("g", "legend") and not self._in("title"):
            self.svgs[-1]["legend"].append(data)
        if self._in("text", "empty"):
            self.svgs[-1]["empty"] += data
        if self._in("p", "partial"):
            self.partial.append(data)
        self.text.append(data)


def dom_of(tmp, path):
    d = Dom()
    d.feed(chromium(tmp, url(path), "--dump-dom"))
    return d


def check(s, name, problems):
    for p in problems:
        tap.diag(p)
    s.result(name, not problems)


# --- Tests -------------------------------------------------------------

def tools_present(s, tmp):
    bad = []
    if shutil.which(CHROMIUM) is None:
        bad.append("chromium is not installed: run \"make deps\" (as "
                   "root) or \"apt-get install chromium\"; these tests "
                   "need the real browser and fail without it")
    try:
        import PIL              # noqa: F401
    except ImportError:
        bad.append("python3-pil is not installed: run \"make deps\" (as "
                   "root) or \"apt-get install python3-pil\"")
    check(s, "tools_present", bad)


def html_dom(s, tmp):
    report = fixture()
    names = [r["run"] for r in report["runs"]]
    d = dom_of(tmp, render(tmp, report, "html", "pass", "full"))
    bad = []
    want = "verdict report: " + ", ".join(names)
    if d.title != want:
        bad.append("title %r, not %r" % (d.title, want))
    ids = [v["id"] for v in d.svgs]
    if ids != ["plot-pass", "plot-flops", "plot-time", "plot-rank"]:
        bad.append("panels %r" % ids)
    for v in d.svgs:
        # codegen-6B has no ranker: no rank-score line, "(no data)".
        lines = names[:2] if v["id"] == "plot-rank" else names
        if v["runs"] != lines:
            bad.append("%s: polylines of %r" % (v["id"], v["runs"]))
        legend = "".join(v["legend"])
        for n in names:
            if n[:20] not in legend:
                bad.append("%s: %r not in the legend %r" % (v["id"], n,
                                                           legend))
        if "greedy pass@1" not in legend:
            bad.append("%s: no key to the stars" % v["id"])
        # Every run is greedy; the budget panels place the stars at the
        # cost of a sample; rank-score has no star for the unranked run.
        want_stars = 2 if v["id"] == "plot-rank" else 3
        if v["stars"] != want_stars:
            bad.append("%s: %d stars, not %d" % (v["id"], v["stars"],
                                                 want_stars))
    if d.tables < 9:            # runs, 4 values, 4 comparisons, disagree
        bad.append("%d tables" % d.tables)
    if not any("partial: still being judged" in t and ODD in t
               for t in d.partial):
        bad.append("no partial banner naming %r: %r" % (ODD, d.partial))
    if "b" in d.tags:
        bad.append("the run name became markup: a <b> element")
    text = "".join(d.text)
    for t in ("Runs", "pass@k (%)", "pass at a FLOPs budget (%)",
              "pass at a wall-time budget (%)", "rank-score@k (%)",
              "Comparisons: pass@k", "Disagreements", "How to read",
              "HumanEval/", ODD):
        if t not in text:
            bad.append("%r not in the page" % t)
    check(s, "html_dom", bad)


def html_no_cost(s, tmp):
    d = dom_of(tmp, render(tmp, fixture_no_cost(), "html", "pass",
                           "nocost"))
    bad = []
    ids = [v["id"] for v in d.svgs]
    if ids != ["plot-pass", "plot-flops", "plot-time"]:
        bad.append("panels %r" % ids)
    for v in d.svgs:
        if v["id"] == "plot-pass":
            if v["runs"] != ["solo"] or v["stars"] != 0:
                bad.append("pass panel: %r, %d stars" % (v["runs"],
                                                         v["stars"]))
        elif v["runs"] or v["empty"] != "no cost for these models":
            bad.append("%s: lines %r, says %r" % (v["id"], v["runs"],
                                                  v["empty"]))
    if d.partial:
        bad.append("a partial banner: %r" % d.partial)
    check(s, "html_no_cost", bad)


def svg_standalone(s, tmp):
    report = fixture()
    names = [r["run"] for r in report["runs"]]
    bad = []
    ns = "{http://www.w3.org/2000/svg}"
    for metric in ("pass", "flops", "time", "rank"):
        path = render(tmp, report, "svg", metric, "full")
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            bad.append("%s: not XML: %s" % (metric, e))
            continue
        runs = [p.get("data-run") for p in root.iter(ns + "polyline")
                if "run" in p.get("class").split()]
        lines = names[:2] if metric == "rank" else names
        if root.tag != ns + "svg" or runs != lines:
            bad.append("%s: root %s, polylines of %r" % (metric, root.tag,
                                                         runs))
        dom = chromium(tmp, url(path), "--dump-dom")
        if "parsererror" in dom or \
                dom.count("<polyline class=\"run") != len(lines):
            bad.append("%s: chromium: %s" % (metric, dom[:300]))
    check(s, "svg_standalone", bad)


def screenshot(s, tmp):
    from PIL import Image       # python3-pil, from tools/deps.sh
    report = fixture()
    page = render(tmp, report, "html", "pass", "shot")
    d = dom_of(tmp, page)
    png = os.path.join(tmp, "shot.png")
    chromium(tmp, url(page), "--screenshot=" + png,
             "--window-size=1200,2400")
    if os.environ.get("REPORT_SCREENSHOT"):
        shutil.copy(png, os.environ["REPORT_SCREENSHOT"])
    bad = []
    size = os.path.getsize(png)
    if size < 50000:
        bad.append("the screenshot is %d bytes" % size)
    img = Image.open(png).convert("RGB")
    if img.size != (1200, 2400):
        bad.append("the screenshot is %dx%d" % img.size)
    colors = img.getcolors(1 << 24)
    if len(colors) < 1000:
        bad.append("%d colours only" % len(colors))
    count = {rgb: n for n, rgb in colors}
    for name, stroke in zip(d.svgs[0]["runs"], d.svgs[0]["strokes"]):
        rgb = tuple(int(stroke[i:i + 2], 16) for i in (1, 3, 5))
        if count.get(rgb, 0) < 200:
            bad.append("%r: colour %s on %d pixels" % (
                name, stroke, count.get(rgb, 0)))
    check(s, "screenshot", bad)


def bands(s, tmp):
    report = fixture()
    report["runs"][2]["stderr_at_k"] = {}       # codegen-6B: no stderr
    for kind in ("flops", "time"):
        for e in report["runs"][2]["budgets"][kind]:
            e["stderr"] = None
    names = [r["run"] for r in report["runs"]]
    d = dom_of(tmp, render(tmp, report, "html", "pass", "bands"))
    bad = []
    for v in d.svgs:
        want = [] if v["id"] == "plot-rank" else names[:2]
        got = [b[0] for b in v["bands"]]
        if got != want:
            bad.append("%s: bands of %r, not %r" % (v["id"], got, want))
        colour = dict(zip(v["runs"], v["strokes"]))
        for run, fill, opacity in v["bands"]:
            if fill != colour.get(run) or not 0 < float(opacity) < 0.5:
                bad.append("%s: %r's band %s at %s, its line %s" % (
                    v["id"], run, fill, opacity, colour.get(run)))
    check(s, "bands", bad)


def meta_title(s, tmp):
    report = fixture()
    report["meta"] = META
    d = dom_of(tmp, render(tmp, report, "html", "pass", "meta"))
    bad = []
    if d.subtitle != SUBTITLE:
        bad.append("page subtitle %r, not %r" % (d.subtitle, SUBTITLE))
    if not d.h1.startswith("verdict report: "):
        bad.append("h1 %r" % d.h1)
    for v in d.svgs:
        if v["subtitle"] != SUBTITLE:
            bad.append("%s: subtitle %r" % (v["id"], v["subtitle"]))
    for metric in ("pass", "time"):
        root = ET.parse(render(tmp, report, "svg", metric, "meta")).getroot()
        subs = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")
                if t.get("class") == "subtitle"]
        if subs != [SUBTITLE]:
            bad.append("svg %s: subtitles %r" % (metric, subs))
    # Without meta: none, and nothing else changes.
    plain = dom_of(tmp, render(tmp, fixture(), "html", "pass", "plain"))
    if plain.subtitle or any(v["subtitle"] for v in plain.svgs):
        bad.append("a subtitle without meta: %r" % plain.subtitle)
    check(s, "meta_title", bad)


def stable_colours(s, tmp):
    report = fixture()
    flipped = dict(report, runs=report["runs"][::-1])
    a = dom_of(tmp, render(tmp, report, "html", "pass", "order-a"))
    b = dom_of(tmp, render(tmp, flipped, "html", "pass", "order-b"))
    bad = []
    for va, vb in zip(a.svgs, b.svgs):
        if va["runs"] != vb["runs"][::-1]:
            bad.append("%s: runs %r then %r" % (va["id"], va["runs"],
                                                vb["runs"]))
        sa = dict(zip(va["runs"], zip(va["strokes"], va["dashes"],
                                      va["shapes"])))
        sb = dict(zip(vb["runs"], zip(vb["strokes"], vb["dashes"],
                                      vb["shapes"])))
        if sa != sb:
            bad.append("%s: styles %r, then %r" % (va["id"], sa, sb))
        for run, stroke, dash in va["swatches"]:
            if run in sa and sa[run][:2] != (stroke, dash):
                bad.append("%s: %r's legend %r, its line %r" % (
                    va["id"], run, (stroke, dash), sa[run]))
    # Nine colours: names may share one, never colour, dashes and marker.
    v = a.svgs[0] if a.svgs else {"strokes": [], "dashes": [], "shapes": []}
    looks = set(zip(v["strokes"], v["dashes"], v["shapes"]))
    if len(looks) != len(report["runs"]):
        bad.append("runs look alike: %r" % looks)
    check(s, "stable_colours", bad)


# Measures the panels once laid out and leaves it in the DOM: the pages
# have no script of their own; this copy of one does, for the test.
LAYOUT_JS = """<script>
(function () {
  var grid = document.querySelector('.panels').getBoundingClientRect();
  var p = Array.prototype.map.call(document.querySelectorAll('.panel'),
    function (e) { var r = e.getBoundingClientRect();
      return [r.left, r.top, r.width]; });
  var out = document.createElement('pre');
  out.id = 'layout';
  out.textContent = JSON.stringify({left: grid.left, width: grid.width,
    panels: p});
  document.body.appendChild(out);
})();
</script>"""


def layout_of(tmp, page, width):
    with open(page) as f:
        text = f.read()
    probe = page + ".%d.html" % width
    with open(probe, "w") as f:
        f.write(text.replace("</body>", LAYOUT_JS + "</body>"))
    dom = chromium(tmp, url(probe), "--dump-dom",
                   "--window-size=%d,1000" % width)
    m = re.search(r'<pre id="layout">(.*?)</pre>', dom, re.S)
    return json.loads(html.unescape(m.group(1))) if m else None


def empty_cells(lay):
    """The problems of a layout: a row with fewer panels than the widest
    one that is not one panel centred, as wide as the others."""
    rows = {}
    for left, top, width in lay["panels"]:
        rows.setdefault(round(top), []).append((left, width))
    cols = max(len(r) for r in rows.values())
    width = max(w for r in rows.values() for _, w in r if len(r) == cols)
    bad = []
    for top, row in sorted(rows.items()):
        if len(row) == cols:
            continue
        (left, w), = row if len(row) == 1 else [(None, None)]
        mid = lay["left"] + lay["width"] / 2
        if left is None or abs(left + w / 2 - mid) > 2 or \
                abs(w - width) > 2:
            bad.append("row at %d: %d of %d cells, %r" % (top, len(row),
                                                          cols, row))
    return cols, bad


def no_empty_panel(s, tmp):
    bad = []
    for name, report, n in (("three", fixture_no_cost(), 3),
                            ("four", fixture(), 4)):
        page = render(tmp, report, "html", "pass", "grid-" + name)
        seen = set()
        for width in (1600, 1200, 900):
            lay = layout_of(tmp, page, width)
            if lay is None or len(lay["panels"]) != n:
                bad.append("%s at %d: no layout: %r" % (name, width, lay))
                continue
            cols, problems = empty_cells(lay)
            seen.add(cols)
            bad += ["%s at %dpx: %s" % (name, width, p) for p in problems]
        # Wide pages put three in a row, narrow ones one a row.
        want = {3, 2, 1} if n == 3 else {2, 1}
        if seen != want:
            bad.append("%s: %r columns at 1600, 1200 and 900px, not %r" % (
                name, sorted(seen), sorted(want)))
    check(s, "no_empty_panel", bad)


def axis_absolute(s, tmp):
    report = fixture()
    base = report["base"]
    bad = []
    ns = "{http://www.w3.org/2000/svg}"
    for metric, unit, cost in (("flops", "TFLOPs", base["tflops"]),
                               ("time", "seconds", base["seconds"])):
        src = os.path.join(tmp, "abs.json")
        with open(src, "w") as f:
            json.dump(report, f)
        path = os.path.join(tmp, "abs-%s.svg" % metric)
        with open(path, "wb") as f:
            subprocess.run([DRIVER, "svg", metric, src, "absolute"],
                           stdout=f, check=True, timeout=TIMEOUT)
        root = ET.parse(path).getroot()
        texts = [t.text for g in root.iter(ns + "g")
                 if g.get("class") == "xaxis" for t in g.iter(ns + "text")]
        label = "budget, in %s (log2)" % unit
        if not texts or label not in texts[-1]:
            bad.append("%s: axis label %r" % (metric, texts[-1:]))
        # The first budget, one base sample, is at x = cost: the ticks
        # are the powers of two around it, in the unit.
        ticks = [float(t) for t in texts[:-1]]
        if not ticks or min(ticks) > 2 * cost or min(ticks) < cost / 4:
            bad.append("%s: ticks %r for a base of %g" % (metric, ticks,
                                                          cost))
        dom = chromium(tmp, url(path), "--dump-dom")
        if "parsererror" in dom or label not in dom:
            bad.append("%s: chromium: %s" % (metric, dom[:300]))
    check(s, "axis_absolute", bad)


if __name__ == "__main__":
    tap.main([tools_present, html_dom, html_no_cost, svg_standalone,
              screenshot, bands, meta_title, stable_colours,
              no_empty_panel, axis_absolute], "verdict-report-")
