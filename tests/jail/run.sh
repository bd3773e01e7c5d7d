#!/bin/sh
# run.sh -- the hostile suite: candidates that attack the jail and the
# judge, each with the exact verdict it must get.
#
#   O=build sh tests/jail/run.sh [--keep] [--no-cgroup] [--only REGEX]
#
# (what "make jail" runs: once whole, once --no-cgroup with the cases
# about time).  --keep keeps the log directory; --only runs the cases
# whose name matches the Python regular expression; --no-cgroup hides
# every cgroup v2 hierarchy from verdictd and its jails (in the suite's
# private mount namespace), so that candidates' CPU time comes from
# rusage and RLIMIT_CPU, as on a host without a usable cgroup.
#
# tests/jail/gen.py writes the candidates, one file NNN-name.py each,
# into the log directory; each file's header says
#   # task: <task_id>           a problem of tests/jail/problems/*.jsonl
#   # kind: completion|program  how the file is sent (the whole file,
#                               header included: comments are harmless)
#   # expect: <verdict>         the one verdict it must get
#   # attack: ...               one line: what it tries
#   # why: ...                  why that verdict is the right one
# All cases go into one samples file, in name order (an honest candidate
# follows each destructive one), and run through one "verdictd eval -j 2"
# with a short --timeout.  Then, outside the jail:
#   - no process of its jails is left (the host uids it logged, "jail uids
#     A-B"),
#   - nothing was written to the host paths the cases aim at,
#   - no jail helper died during the run (verdictd's warnings),
#   - verdictd eval exited 0 (it exits 2 when a verdict is "internal"),
#   - no sanitizer report in verdictd's output (make check builds),
#   - verdict-jail --print-policy has KILL_PROCESS as its default action,
#   - the search of case 340 finds verdict's files on the host (so it
#     would find them in the jail if they were there),
#   - nothing was written to the tmpfs below the stdlib (see below), and
#     the caller's mounts are untouched.
#
# The whole suite runs in a private mount namespace (unshare) in which a
# writable tmpfs (mode 1777, with a planted file) is mounted over the
# standard library's pydoc_data directory, as a host may mount a
# filesystem somewhere below what the jail binds: the jail must show the
# original directory, and every mount in it must be read-only (cases
# 341-343 and 349).  The namespace, and that tmpfs, end with the run.
# Output is TAP, then "N passed, N failed" alone on the last line; the
# exit status is 1 on any failure.  The log directory (samples, results,
# verdictd's output) is kept and printed on failure, removed on success.
#
# No sleeps: the only waiting is for verdictd itself.  The leftover-process
# check re-runs ps a bounded number of times, because the kernel reaps a
# killed jail's last process (its init) a moment after verdictd exits.
# Each verdictd takes a range of host uids of its own while it runs, but
# another one (a test, a daemon) may take the range this run had once it
# ended; so that check skips the jails of running instances: a leftover
# is a jail process whose keeper (its nearest ancestor outside the jail's
# uids) is gone or no longer the child of a live jail broker
# (verdict-jail, a child of verdictd).

set -u

# First into the private mount namespace (see above), arguments and all.
if [ "${VERDICT_JAIL_PRIVATE_NS:-}" != 1 ]; then
	VERDICT_JAIL_PRIVATE_NS=1 exec unshare --mount --propagation private \
	    sh "$0" "$@"
fi

keep=0
nocg=0
only=
while [ $# -gt 0 ]; do
	case $1 in
	--keep) keep=1 ;;
	--no-cgroup) nocg=1 ;;
	--only) only=${2:?--only needs a regular expression}; shift ;;
	*) echo "usage: run.sh [--keep] [--no-cgroup] [--only REGEX]" >&2
	   exit 2 ;;
	esac
	shift
done

if [ "$nocg" = 1 ]; then
	awk '/ - cgroup2 / { print $5 }' /proc/self/mountinfo |
	    while IFS= read -r m; do umount -l "$m"; done
	if grep -q ' - cgroup2 ' /proc/self/mountinfo; then
		echo "run.sh: cannot hide the cgroup v2 hierarchy" >&2
		exit 1
	fi
fi

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
O=${O:-build}
case $O in
/*) bin=$O ;;
*) bin=$top/$O ;;
esac
PY=/usr/bin/python3
TIMEOUT=${VERDICT_JAIL_TIMEOUT:-2}
# Every uid range an instance may take: BROKER_UID_BASE and 64 ranges of
# 1024 (sandbox/broker.h).
SPAN_LO=430000
SPAN_HI=495535

for f in "$bin/verdictd" "$bin/verdict-jail"; do
	if [ ! -x "$f" ]; then
		echo "run.sh: $f: not built (run make all)" >&2
		exit 1
	fi
done

log=$(mktemp -d "${TMPDIR:-/tmp}/verdict-jail-suite.XXXXXX") || exit 1

# The host filesystem below a bound directory (see the header).  The
# caller's namespace, for the check after the run: exec kept our pid,
# so our parent is still the caller, outside ours.
caller=/proc/$PPID
submount=$("$PY" -I -c 'import os
print(os.path.join(os.path.dirname(os.__file__), "pydoc_data"))') &&
    mount -t tmpfs -o size=1m,mode=1777 verdict-submount "$submount" &&
    echo planted > "$submount/verdict-planted-submount" || {
	echo "run.sh: cannot mount a tmpfs over the stdlib's pydoc_data" >&2
	exit 1
}

# Host paths the cases try to write.  Remove what an earlier (failed) run
# may have left, so that the check below is about this run only.
pwned_paths() {
	ls -d /tmp/verdict-pwned* 2>/dev/null
	for p in /root/verdict-pwned /var/tmp/verdict-pwned \
	    /dev/shm/verdict-pwned "${HOME:-/root}/verdict-pwned"; do
		[ -e "$p" ] && echo "$p"
	done
}
pwned_paths | while IFS= read -r p; do rm -rf -- "$p"; done

# Live jail processes with a uid in [$1, $2] that belong to no running
# instance: "uid pid comm".  The keeper of a live jail is a child of the
# jail broker (verdict-jail), itself a child of verdictd.
jail_procs() {
	ps -eo uid=,pid=,ppid=,stat=,comm= | awk -v lo="$1" -v hi="$2" '
	{ uid[$2] = $1; ppid[$2] = $3; stat[$2] = $4; comm[$2] = $5 }
	END {
		for (p in uid) {
			if (uid[p] < lo || uid[p] > hi || stat[p] ~ /^Z/)
				continue
			k = p		# climb to the keeper
			while (k in uid && uid[k] >= lo && uid[k] <= hi)
				k = ppid[k]
			b = ppid[k]	# the broker
			if (k in uid && comm[k] == "verdict-jail" &&
			    comm[b] == "verdict-jail" &&
			    comm[ppid[b]] == "verdictd")
				continue
			print uid[p], p, comm[p]
		}
	}'
}
jail_procs $SPAN_LO $SPAN_HI | awk '{ print $2 }' > "$log/procs-before"

# --- Build the samples file ------------------------------------------------

"$PY" "$here/gen.py" "$log/cases" || {
	echo "run.sh: gen.py failed" >&2
	exit 1
}
ONLY=$only "$PY" - "$log/cases" "$log/samples.jsonl" "$log/cases.json" \
    <<'EOF' || {
import json, os, re, sys

cases_dir, samples_path, meta_path = sys.argv[1:4]
# "internal" is the oracle's own fault: no candidate may ever cause it,
# so it is never an expectation.
VERDICTS = {"passed", "failed", "error", "syntax_error", "timeout",
            "memory_limit", "output_limit", "forbidden"}
meta = []
with open(samples_path, "w") as out:
    for fn in sorted(os.listdir(cases_dir)):
        if not re.fullmatch(r"\d{3}-[a-z0-9-]+\.py", fn):
            continue
        if not re.search(os.environ.get("ONLY", ""), fn):
            continue
        name = fn[:-3]
        with open(os.path.join(cases_dir, fn), encoding="utf-8") as f:
            text = f.read()
        head = dict(re.findall(r"^# (task|kind|expect): *(.*?) *$", text,
                               re.M))
        for k in ("task", "kind", "expect"):
            if k not in head:
                sys.exit("run.sh: %s: no '# %s:' line" % (fn, k))
        if head["kind"] not in ("completion", "program"):
            sys.exit("run.sh: %s: kind must be completion or program" % fn)
        if head["expect"] not in VERDICTS:
            sys.exit("run.sh: %s: expect must be one verdict, not %r"
                     % (fn, head["expect"]))
        out.write(json.dumps({"task_id": head["task"],
                              head["kind"]: text, "id": name}) + "\n")
        meta.append({"name": name, "expect": head["expect"]})
with open(meta_path, "w") as f:
    json.dump(meta, f)
EOF
	echo "run.sh: cannot build the samples; logs in $log" >&2
	exit 1
}

# --- Run every candidate once -----------------------------------------------

set --
for p in "$here"/problems/*.jsonl; do
	set -- "$@" --problems "$p"
done
t0=$(date +%s)
"$bin/verdictd" eval "$@" --samples "$log/samples.jsonl" \
    --out "$log/out.jsonl" -j 2 --quiet --timeout "$TIMEOUT" \
    >"$log/summary.txt" 2>"$log/verdictd.stderr"
eval_status=$?
t1=$(date +%s)

# --- Compare the verdicts ---------------------------------------------------

"$PY" - "$log/cases.json" "$log/out.jsonl" > "$log/tap-cases" <<'EOF'
import json, sys

meta = json.load(open(sys.argv[1]))
got = {}
try:
    with open(sys.argv[2]) as f:
        for line in f:
            r = json.loads(line)
            got[r.get("id")] = r
except OSError:
    pass


def clip(s, n=300):
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[:n] + "..."


for i, c in enumerate(meta, 1):
    r = got.get(c["name"])
    if r is None:
        print("not ok %d - %s: expected %s, got no result" %
              (i, c["name"], c["expect"]))
        continue
    v = r.get("verdict")
    if v == c["expect"]:
        print("ok %d - %s (%s)" % (i, c["name"], v))
    else:
        print("not ok %d - %s: expected %s, got %s, message: %s" %
              (i, c["name"], c["expect"], v, clip(r.get("message", ""))))
        err = r.get("stderr") or ""
        if err.strip():
            print("#   stderr: " + clip(err))
EOF

n=$(grep -c '^\(not \)\{0,1\}ok ' "$log/tap-cases")
cat "$log/tap-cases"

# --- Checks outside the jail ------------------------------------------------

check() {	# check OK NAME [DETAIL]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2${3:+: $3}"
	fi | tee -a "$log/tap-checks"
}
: > "$log/tap-checks"

# The range this run's broker held, from verdictd's log.
set -- $(sed -n 's/.*jail uids \([0-9]*\)-\([0-9]*\).*/\1 \2/p' \
    "$log/verdictd.stderr" | head -n 1)
uid_lo=${1:-}
uid_hi=${2:-}
left=""
tries=0
while [ -n "$uid_lo" ] && [ $tries -lt 200 ]; do
	left=$(jail_procs "$uid_lo" "$uid_hi" |
	    awk 'NR == FNR { before[$1]; next } !($2 in before)' \
	    "$log/procs-before" -)
	[ -z "$left" ] && break
	tries=$((tries + 1))
done
if [ -z "$uid_lo" ]; then
	check 1 "no jail process left" "verdictd logged no jail uid range"
elif [ -z "$left" ]; then
	check 0 "no jail process left (uids $uid_lo..$uid_hi)"
else
	check 1 "no jail process left (uids $uid_lo..$uid_hi)" \
	    "$(echo "$left" | tr '\n' ';')"
fi

pw=$(pwned_paths | tr '\n' ' ')
if [ -z "$pw" ]; then
	check 0 "nothing written to the host paths the cases aim at"
else
	check 1 "nothing written to the host paths the cases aim at" "$pw"
fi

died=$(grep -E 'worker [0-9]+: ' "$log/verdictd.stderr" |
    grep -v ': pool closed$' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
if [ -z "$died" ]; then
	check 0 "no jail helper died during the run"
else
	check 1 "no jail helper died during the run" "$died"
fi

if [ "$eval_status" = 0 ]; then
	check 0 "verdictd eval exited 0"
else
	check 1 "verdictd eval exited 0" "status $eval_status: $(tr '\n' ' ' \
	    < "$log/summary.txt" | cut -c1-200)"
fi

# What the cases print, warn or raise is theirs (their stderr excerpt):
# none of it may reach verdictd's log.  verdictd and the jail log fixed
# sentences; these are the marks the cases leave.
leaked=$(grep -E 'SyntaxWarning|Traceback|verdict-poison|PLANTED|[Ss]ecret' \
    "$log/verdictd.stderr" | head -n 3 | tr '\n' ';')
if [ -z "$leaked" ]; then
	check 0 "nothing a candidate produced reached verdictd's log"
else
	check 1 "nothing a candidate produced reached verdictd's log" "$leaked"
fi

san=$(grep -E 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' \
    "$log/verdictd.stderr" | head -n 3 | tr '\n' ';')
if [ -z "$san" ]; then
	check 0 "no sanitizer report from verdictd or verdict-jail"
else
	check 1 "no sanitizer report from verdictd or verdict-jail" "$san"
fi

"$bin/verdict-jail" --print-policy > "$log/policy.txt" 2>&1
default=$(awk '/^ *# default action/ { getline; print; exit }' \
    "$log/policy.txt" | tr -d ' ;')
if [ "$default" = "actionKILL_PROCESS" ]; then
	check 0 "verdict-jail --print-policy: default action KILL_PROCESS"
else
	check 1 "verdict-jail --print-policy: default action KILL_PROCESS" \
	    "got '$default'"
fi

# The search of case 340, run on the host: it must find the suite's own
# problem files, the binaries, the config, and what the jail leaves out.
found=$(VERDICT_SELFTEST_ROOTS="$top:$bin" "$PY" \
    "$log/cases/340-he-fs-verdict-files.py" 2>&1)
missing=""
for want in /tests/jail/problems/humaneval.jsonl /verdictd /verdict-jail \
    /conf/verdictd.conf "/usr/share exists" "/etc holds" \
    "/usr/lib/python3/dist-packages holds"; do
	case $found in
	*"$want"*) ;;
	*) missing="$missing '$want'" ;;
	esac
done
if [ -z "$missing" ]; then
	check 0 "case 340's search finds verdict's files on the host"
else
	check 1 "case 340's search finds verdict's files on the host" \
	    "missed$missing"
fi

left=$(ls -A "$submount" | tr '\n' ' ')
if [ "$left" = "verdict-planted-submount " ]; then
	check 0 "nothing written to the tmpfs below the stdlib"
else
	check 1 "nothing written to the tmpfs below the stdlib" "holds $left"
fi

if grep -q " verdict-submount " "$caller/mountinfo" ||
    [ -e "$caller/root$submount/verdict-planted-submount" ]; then
	check 1 "the caller's mounts are untouched" "tmpfs at $submount"
else
	check 0 "the caller's mounts are untouched"
fi

# --- Summary ----------------------------------------------------------------

echo "1..$n"
echo "# $(head -n 1 "$log/summary.txt" 2>/dev/null)"
echo "# suite ran in $((t1 - t0)) s (verdictd eval -j 2 --timeout $TIMEOUT)"
failed=$(cat "$log/tap-cases" "$log/tap-checks" | grep -c '^not ok ')
passed=$((n - failed))
if [ "$failed" -gt 0 ] || [ "$keep" = 1 ]; then
	echo "# logs kept in $log (the cases are in $log/cases)"
else
	rm -rf "$log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
