#!/bin/sh
# embed.sh NAME FILE -- print a C file defining "const char NAME[]" with
# the bytes of FILE (NUL-terminated).  Used to compile the jail's runner
# (joined from sandbox/runner/ by join.sh) and its rootfs probe into
# verdict-jail.  od(1) is POSIX, so no xxd is needed.  A build tool: the
# Makefile runs it.
set -eu
name=$1
file=$2
printf '/* Generated from %s by tools/embed.sh; do not edit. */\n' "$file"
printf 'extern const char %s[];\n' "$name"
printf 'const char %s[] = {\n' "$name"
od -An -v -tu1 "$file" | sed -e 's/  */ /g' -e 's/^ //' -e 's/ /,/g' -e 's/$/,/' -e '/^,$/d'
printf '0 };\n'
