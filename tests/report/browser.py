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
#
# With REPORT_SCREENSHOT=path the screenshot is also copied to path, for
# a person to look at.

import html.parser
import json
import math
import os
import random
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
        if tag == "svg":
            self.svgs.append({"id": a.get("id"), "runs": [], "strokes": [],
                              "stars": 0, "legend": [], "empty": ""})
        elif tag == "polyline" and self.svgs:
            self.svgs[-1]["runs"].append(a.get("data-run"))
            self.svgs[-1]["strokes"].append(a.get("stroke"))
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
        runs = [p.get("data-run") for p in root.iter(ns + "polyline")]
        lines = names[:2] if metric == "rank" else names
        if root.tag != ns + "svg" or runs != lines:
            bad.append("%s: root %s, polylines of %r" % (metric, root.tag,
                                                         runs))
        dom = chromium(tmp, url(path), "--dump-dom")
        if "parsererror" in dom or dom.count("<polyline") != len(lines):
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


if __name__ == "__main__":
    tap.main([tools_present, html_dom, html_no_cost, svg_standalone,
              screenshot], "verdict-report-")
