#!/bin/sh
# run.sh -- run the fuzz harnesses (tests/fuzz/fuzz-NAME.c).
#
#   O=build-fuzz sh tests/fuzz/run.sh fuzz SECONDS NAME...   (make fuzz)
#   O=build sh tests/fuzz/run.sh replay 0 NAME...            (make fuzz-replay)
#
# fuzz: each harness $O/tests/fuzz/fuzz-NAME (libFuzzer) runs SECONDS on
# a scratch copy of tests/fuzz/corpus/NAME and tests/fuzz/regress/NAME
# ($O/tests/fuzz/NAME.corpus, so that the runs do not grow the tree),
# and "fuzz NAME: N executions" is printed from libFuzzer's final
# stats.  A crash, a sanitizer report, a leak, a timeout (10 s) or an
# RSS over 2 GB stops that harness: its input is $O/tests/fuzz/NAME-*
# and its log $O/tests/fuzz/NAME.log.  Add the input to regress/NAME/
# once the bug is fixed.
#
# replay: each harness (built with replay.c) reads every seed and
# regression input once; its stderr goes to $O/tests/fuzz/NAME.log,
# shown when it fails.
#
# Exit status: 0 when every harness passed, 1 otherwise.

set -u
O=${O:-build}
mode=$1
secs=$2
shift 2
here=$(dirname "$0")
status=0

for n in "$@"; do
	bin=$O/tests/fuzz/fuzz-$n
	log=$O/tests/fuzz/$n.log
	if [ "$mode" = replay ]; then
		files=$(find "$here/corpus/$n" "$here/regress/$n" -type f \
		    2>/dev/null | sort)
		# shellcheck disable=SC2086
		if "$bin" $files 2>"$log"; then
			echo "ok fuzz-replay $n: $(echo "$files" |
			    grep -c .) inputs"
		else
			echo "FAIL fuzz-replay $n (stderr: $log):"
			tail -n 40 "$log"
			status=1
		fi
		continue
	fi
	# The report harnesses take small inputs; files are bigger.
	case $n in
	query|report|result|client|models) len=8192 ;;
	*) len=65536 ;;
	esac
	scratch=$O/tests/fuzz/$n.corpus
	rm -rf "$scratch" "$O/tests/fuzz/$n"-crash-* \
	    "$O/tests/fuzz/$n"-leak-* "$O/tests/fuzz/$n"-timeout-* \
	    "$O/tests/fuzz/$n"-oom-*
	mkdir -p "$scratch"
	for d in "$here/corpus/$n" "$here/regress/$n"; do
		[ -d "$d" ] && cp "$d"/* "$scratch"/ 2>/dev/null
	done
	"$bin" "$scratch" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -max_len="$len" -print_final_stats=1 \
	    -close_fd_mask=3 -artifact_prefix="$O/tests/fuzz/$n-" \
	    >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	if [ $rc -eq 0 ]; then
		echo "fuzz $n: ${execs:-?} executions in $secs s"
	else
		echo "FAIL fuzz $n: exit $rc after ${execs:-?} executions" \
		    "(log: $log)"
		ls "$O/tests/fuzz/$n"-* 2>/dev/null | grep -v corpus
		grep -m 5 -E 'ERROR|runtime error|SUMMARY' "$log"
		status=1
	fi
done
exit $status
