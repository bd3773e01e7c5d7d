#!/bin/sh
# installed.sh -- the jail in the installed layout: can a candidate read
# the installed problem files (tests and canonical solutions)?
#
#   O=build sh tests/jail/installed.sh      (what "make jail" runs after
#                                            tests/jail/run.sh)
#
# "make install DESTDIR=$tmp PREFIX=/usr/local" installs into a temporary
# directory; then, in a private mount namespace (unshare) with that
# $tmp/usr/local bound over /usr/local, the installed
# /usr/local/sbin/verdictd eval, with the installed verdict-jail and the
# bundled HumanEval data, judges one "universal" completion on all 164
# problems.  The completion looks for HumanEval's problem file (gzipped
# or not) under /usr/local/share and /usr/share, then anywhere on the
# filesystem, finds its own problem by its function's name, and returns
# what the canonical solution returns.  Checks:
#   - make install succeeded and put the problem file where it is looked for,
#   - inside the jail: all 164 judged, none passed, none "internal",
#   - outside the jail (plain python3 in the same namespace, the same
#     completion run by a minimal harness): it finds the installed file
#     and passes at least 150 problems, so that the check above can fail,
#   - the caller's /usr/local is untouched (no mount leaked out).
# Output is TAP, then "N passed, N failed" alone on the last line; the
# exit status is 1 on any failure.  The temporary directory is kept and
# printed on failure.

set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
O=${O:-build}
PY=/usr/bin/python3

if [ "${VERDICT_INSTALLED_NS:-}" != 1 ]; then
	VERDICT_INSTALLED_NS=1 exec unshare --mount --propagation private \
	    sh "$0" "$@"
fi
caller=/proc/$PPID	# outside our namespace: exec kept our pid

tmp=$(mktemp -d "${TMPDIR:-/tmp}/verdict-installed.XXXXXX") || exit 1
n=0
failed=0
check() {	# check OK NAME [DETAIL]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2${3:+: $3}"
	fi
}

dest=$tmp/dest
data=/usr/local/share/verdict/humaneval/HumanEval.jsonl.gz
if ${MAKE:-make} -s -C "$top" install O="$O" DESTDIR="$dest" \
    PREFIX=/usr/local > "$tmp/install.log" 2>&1 &&
    [ -f "$dest$data" ] && [ -x "$dest/usr/local/sbin/verdict-jail" ]; then
	check 0 "make install DESTDIR=... PREFIX=/usr/local"
else
	check 1 "make install DESTDIR=... PREFIX=/usr/local" \
	    "$(tail -n 3 "$tmp/install.log" | tr '\n' ' ')"
	echo "1..$n"
	echo "# kept $tmp"
	echo "0 passed, $n failed"
	exit 1
fi

# The universal completion: a function body, the same for every problem.
cat > "$tmp/universal.py" <<'EOF'
    import builtins, glob, gzip, json, os, sys, time
    frame = sys._getframe()
    code = frame.f_code
    args = [frame.f_locals[v] for v in code.co_varnames[:code.co_argcount]]
    cache = builtins.__dict__.setdefault("_universal_cache", {})
    if "rows" not in cache:
        paths = []
        for top in ("/usr/local/share", "/usr/share"):
            paths += glob.glob(top + "/**/*.jsonl*", recursive=True)
        if not paths:
            end = time.monotonic() + 1.0
            for dirpath, dirs, files in os.walk("/"):
                if dirpath in ("/proc", "/sys") or time.monotonic() > end:
                    dirs[:] = []
                paths += [os.path.join(dirpath, f) for f in files
                          if ".jsonl" in f]
        rows = {}
        for p in paths:
            if "humaneval" not in os.path.basename(p).lower():
                continue
            try:
                with (gzip.open if p.endswith(".gz") else open)(p, "rt") as f:
                    for line in f:
                        r = json.loads(line)
                        rows[r["entry_point"]] = r
            except (OSError, ValueError, KeyError):
                pass
        cache["rows"], cache["paths"] = rows, paths
    row = cache["rows"].get(code.co_name)
    if row is None:
        return None
    ns = {}
    exec(row["prompt"] + row["canonical_solution"], ns)
    return ns[code.co_name](*args)
EOF

"$PY" - "$dest$data" "$tmp/universal.py" "$tmp/samples.jsonl" <<'EOF' || {
import gzip, json, sys

problems, completion, samples = sys.argv[1:4]
body = open(completion).read()
with gzip.open(problems, "rt") as f, open(samples, "w") as out:
    for line in f:
        out.write(json.dumps({"task_id": json.loads(line)["task_id"],
                              "completion": body}) + "\n")
EOF
	echo "installed.sh: cannot write the samples" >&2
	exit 1
}

# Inside the private namespace: the installed tree is /usr/local.
mount --bind "$dest/usr/local" /usr/local || {
	echo "installed.sh: cannot bind $dest/usr/local over /usr/local" >&2
	exit 1
}
t0=$(date +%s)
/usr/local/sbin/verdictd eval --samples "$tmp/samples.jsonl" \
    --out "$tmp/out.jsonl" -j 2 --quiet --timeout 10 \
    > "$tmp/summary.txt" 2> "$tmp/verdictd.stderr"
status=$?
t1=$(date +%s)
res=$("$PY" - "$tmp/out.jsonl" <<'EOF'
import json, sys

rows = [json.loads(line) for line in open(sys.argv[1])]
verdicts = {}
for r in rows:
    verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
print(len(rows), sum(r["passed"] for r in rows), verdicts.get("internal", 0),
      json.dumps(verdicts, sort_keys=True).replace(" ", ""))
EOF
)
set -- $res 0 0 0 "{}"
name="installed verdictd eval: the universal completion passes none"
if [ "$status" = 0 ] && [ "$1" = 164 ] && [ "$2" = 0 ] && [ "$3" = 0 ]; then
	check 0 "$name of 164 ($4)"
else
	check 1 "$name of 164" \
	    "status $status, $1 judged, $2 passed, $3 internal: $4"
fi

# The same completion outside the jail, in a minimal harness.
outside=$("$PY" - "$dest$data" "$tmp/universal.py" <<'EOF' 2>&1
import builtins, gzip, json, sys

problems, completion = sys.argv[1:3]
body = open(completion).read()
passed = 0
with gzip.open(problems, "rt") as f:
    rows = [json.loads(line) for line in f]
for r in rows:
    ns = {}
    try:
        exec(r["prompt"] + body + "\n\n" + r["test"] + "\n\ncheck(%s)\n" %
             r["entry_point"], ns)
        passed += 1
    except Exception:
        pass
paths = builtins.__dict__.get("_universal_cache", {}).get("paths", [])
print(passed, len(rows), " ".join(paths))
EOF
)
set -- $outside 0 0
case " $* " in
*" $data "*) found=1 ;;
*) found=0 ;;
esac
name="outside the jail the same completion finds $data"
if [ "$found" = 1 ] && [ "$1" -ge 150 ]; then
	check 0 "$name and passes $1 of $2"
else
	check 1 "$name and passes at least 150" \
	    "$(echo "$outside" | cut -c1-300)"
fi

if grep -qF "$dest" "$caller/mountinfo"; then
	check 1 "the caller's mounts are untouched" "the bind leaked"
else
	check 0 "the caller's mounts are untouched"
fi

echo "1..$n"
echo "# 164 candidates judged in $((t1 - t0)) s by the installed verdictd"
if [ "$failed" -gt 0 ]; then
	echo "# kept $tmp"
else
	rm -rf "$tmp"
fi
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
