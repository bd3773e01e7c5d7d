#!/bin/sh
# join.sh FILE... -- print the Python files FILE..., in the order given,
# as one source, with two blank lines between files (top-level
# definitions keep their spacing).  The Makefile joins the parts of the
# jail's runner (sandbox/runner/) into $(O)/sandbox/runner.py this way:
# one module at run time, so the parts import nothing from each other.
# Every file must end in a newline, or its last line would run into the
# next file's first.
set -eu
sep=
for f; do
	if [ -n "$(tail -c 1 "$f")" ]; then
		echo "join.sh: $f: no newline at the end" >&2
		exit 1
	fi
	[ -z "$sep" ] || printf '\n\n'
	sep=1
	cat "$f"
done
